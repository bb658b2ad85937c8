/*
 * cli_record.c - recording for the session commands (live, demo):
 * --record PATH / --no-record, the default session file, and the one-line
 * message when recording stops on a full disk while the session goes on;
 * the start and the end of both commands (session and connection; record,
 * run, stop recording, free).
 */
#include <signal.h>
#include <stdio.h>

#include <string.h>

#include "cli.h"
#include "rs_catalog.h"
#include "rs_conn.h"
#include "rs_history.h"
#include "rs_recattach.h"
#include "rs_run.h"
#include "rs_session.h"
#include "rs_endsum.h"
#include "rs_spots.h"

static void rec_error(void *ctx, const char *line)
{
    rs_cli_error("%s: %s", (const char *)ctx, line ? line : "recording stopped");
}

/* Start recording s if opts->enabled (a line on stderr names the file) and
 * hook the commit clock into ro. 0 (also when the default place cannot be
 * written: a warning, the session runs unrecorded), or -1 after a one-line
 * error when an explicit --record PATH cannot be created. */
static int record_start(const char *who, const struct rs_rec_opts *opts, struct rs_session *s,
                        struct rs_run_opts *ro, struct rs_recattach **out)
{
    *out = NULL;
    if (!opts->enabled)
        return 0;
    /* A file size limit (RLIMIT_FSIZE) must fail the write, which stops the
     * recording, not kill the session with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    char path[1024], err[600];
    if (rs_recattach_start(out, s, opts, path, sizeof path, rec_error, (void *)who, err,
                           sizeof err) != 0) {
        /* An explicit --record PATH that cannot be created is an error; the
         * default place failing (read-only home, full disk) must not keep
         * anyone from rolling: say so and go on unrecorded. */
        if (opts->path) {
            rs_cli_error("%s: cannot record: %s (use --no-record to run without recording)", who,
                         err);
            return -1;
        }
        rs_cli_error("%s: not recording: %s", who, err);
        return 0;
    }
    /* Headless runs keep stderr for errors only (scripts count its lines). */
    if (ro->window)
        fprintf(stderr, "rollsense: %s: recording to %s\n", who, path);
    static char named[sizeof path]; /* for the summary at the end */
    snprintf(named, sizeof named, "%s", path);
    ro->session_file = named;
    ro->tick = rs_recattach_tick;
    ro->tick_ctx = *out;
    return 0;
}

/* The holds of the last sessions in the session directory (the catalog,
 * host/history), for the summary screen's spot that keeps coming back.
 * Without a window, a directory or sessions: nothing. */
static void past_holds(struct rs_run_opts *ro)
{
    static struct rs_spot_hold h[RS_SPOTS_HOLDS_MAX];
    char dir[768];
    if (!ro->window || rs_rec_session_dir(dir, sizeof dir) != 0)
        return;
    struct rs_catalog cat;
    struct rs_cat_status st;
    if (rs_catalog_load(dir, true, &cat, &st) != 0)
        return;
    const char *f = ro->session_file, *slash = f ? strrchr(f, '/') : NULL;
    ro->npast_holds = rs_history_past_holds(&cat, slash ? slash + 1 : f, RS_ENDSUM_SPOT_WINDOW - 1,
                                            h, RS_SPOTS_HOLDS_MAX, &ro->past_sessions);
    ro->past_holds = h;
    rs_catalog_free(&cat);
}

int rs_cli_record_run(const char *who, const struct rs_rec_opts *opts, struct rs_conn *c,
                      struct rs_session *s, struct rs_run_opts *ro)
{
    struct rs_recattach *recording = NULL;
    int rc = record_start(who, opts, s, ro, &recording);
    if (rc == 0)
        past_holds(ro);
    if (rc == 0) {
        char err[600];
        rc = rs_run(c, s, ro, err, sizeof err);
        if (rc < 0)
            rs_cli_error("%s: %s", who, err);
        rs_recattach_close(recording);
    }
    rs_conn_free(c);
    rs_session_free(s);
    return rc < 0 ? RS_EXIT_FAIL : RS_EXIT_OK;
}

struct rs_session *rs_cli_session_conn(const char *who, const struct rs_session_config *scfg,
                                       const struct rs_conn_config *cfg, struct rs_conn **c)
{
    struct rs_session *s = rs_session_new(scfg);
    *c = NULL;
    if (s) {
        struct rs_sink sink = rs_session_sink(s); /* rs_conn_new copies it */
        *c = rs_conn_new(cfg, &sink);
    }
    if (!s || !*c) {
        rs_cli_error("%s: out of memory", who);
        rs_session_free(s);
        return NULL;
    }
    return s;
}
