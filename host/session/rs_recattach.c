/*
 * rs_recattach.c - the recorder as an observer of a session (see
 * rs_recattach.h). Host times are the wall clock at the callback: that is
 * when the host received the data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rs_recattach.h"
#include "rs_snapshot.h"

struct rs_recattach {
    struct rs_rec *rec;
    struct rs_session *s;
    rs_recattach_error_fn on_error;
    void *err_ctx;
    bool reported;
    bool snap_written;
    enum rs_conn_state state;
    uint64_t samples;
    bool explicit_path;
    char path[1024];
    int64_t (*now)(void *ctx);
    void *now_ctx;
};

/* Host time of receipt: the wall clock, or the caller's (tests). */
static int64_t host_now(const struct rs_recattach *ra)
{
    return ra->now ? ra->now(ra->now_ctx) : rs_rec_now_us();
}

void rs_recattach_set_clock(struct rs_recattach *ra, int64_t (*now)(void *ctx), void *ctx)
{
    ra->now = now;
    ra->now_ctx = ctx;
}

/* After each write: the first failure turns the indicator off and is told once. */
static void check(struct rs_recattach *ra)
{
    if (ra->reported || rs_rec_status(ra->rec) == 0)
        return;
    ra->reported = true;
    rs_session_set_recording(ra->s, false);
    rs_session_set_recording_failed(ra->s, true);
    if (ra->on_error)
        ra->on_error(ra->err_ctx, rs_rec_error(ra->rec));
}

static void on_sample(void *ctx, const struct rs_sample *smp, double t)
{
    (void)t;
    struct rs_recattach *ra = ctx;
    struct rs_frame f;
    memset(&f, 0, sizeof f);
    f.version = 1;
    f.type = RS_FT_SAMPLE;
    f.u.sample = *smp;
    rs_rec_frame(ra->rec, host_now(ra), &f);
    ra->samples++;
    check(ra);
}

static void on_frame(void *ctx, const struct rs_frame *f, double t)
{
    (void)t;
    struct rs_recattach *ra = ctx;
    rs_rec_frame(ra->rec, host_now(ra), f);
    check(ra);
}

/* The session ends a running hold when streaming stops (rs_session.c,
 * on_conn_event): a gap row at the same moment lets a replay do the same. */
static void on_conn_event(void *ctx, const struct rs_conn_event *ev)
{
    struct rs_recattach *ra = ctx;
    if (ev->type != RS_CONN_EV_STATE)
        return;
    if ((ev->state == RS_CONN_DISCONNECTED || ev->state == RS_CONN_STALLED) &&
        ra->state == RS_CONN_STREAMING && ra->samples > 0) {
        rs_rec_gap(ra->rec, host_now(ra), ev->reason ? ev->reason : "disconnected");
        check(ra);
    }
    ra->state = ev->state;
}

static void on_event(void *ctx, const struct rs_event *ev)
{
    struct rs_recattach *ra = ctx;
    char buf[512];
    const char *json = rs_event_json(ev, buf, sizeof buf);
    if (json)
        rs_rec_event(ra->rec, host_now(ra), -1, rs_event_type_name(ev->type), json);
    check(ra);
}

/* The routine's routine_step and routine_done: kind 2 rows like the
 * detector's events (docs/session-format.md). */
static void on_log_event(void *ctx, const char *type, const char *json)
{
    struct rs_recattach *ra = ctx;
    rs_rec_event(ra->rec, host_now(ra), -1, type, json);
    check(ra);
}

static void on_mark(void *ctx, double t, const char *label)
{
    (void)t;
    struct rs_recattach *ra = ctx;
    rs_rec_mark(ra->rec, host_now(ra), label ? label : "");
    check(ra);
}

static void on_snapshot(void *ctx, const struct rs_session_snapshot *snap)
{
    struct rs_recattach *ra = ctx;
    if (snap->have_info)
        rs_rec_meta_info(ra->rec, &snap->info);
    rs_snapshot_write(ra->rec, &snap->cfg, &snap->cal, &snap->prof, !ra->snap_written);
    ra->snap_written = true;
    check(ra);
}

int rs_recattach_start(struct rs_recattach **out, struct rs_session *s,
                       const struct rs_rec_opts *opts, char *path_out, size_t path_cap,
                       rs_recattach_error_fn on_error, void *err_ctx, char *err, size_t errcap)
{
    *out = NULL;
    struct rs_recattach *ra = calloc(1, sizeof *ra);
    if (!ra) {
        if (err && errcap)
            err[0] = '\0';
        return RS_REC_EIO;
    }
    int rc = rs_rec_start(&ra->rec, opts->path, ra->path, sizeof ra->path, err, errcap);
    if (rc < 0) {
        free(ra);
        return rc;
    }
    ra->explicit_path = opts->path != NULL;
    if (path_out && path_cap)
        snprintf(path_out, path_cap, "%s", ra->path);
    ra->s = s;
    ra->on_error = on_error;
    ra->err_ctx = err_ctx;
    ra->state = RS_CONN_DISCONNECTED;
    struct rs_session_observer o = {
        .ctx = ra,
        .sample = on_sample,
        .frame = on_frame,
        .conn_event = on_conn_event,
        .pipeline_event = on_event,
        .log_event = on_log_event,
        .mark = on_mark,
        .snapshot = on_snapshot,
    };
    if (rs_session_observe(s, &o) != 0) {
        rs_rec_close(ra->rec, rs_rec_now_us(), NULL);
        free(ra);
        if (err && errcap)
            snprintf(err, errcap, "too many session observers");
        return RS_REC_EARG;
    }
    rs_session_set_recording(s, rs_rec_status(ra->rec) == 0);
    *out = ra;
    return 0;
}

struct rs_rec *rs_recattach_rec(struct rs_recattach *ra)
{
    return ra ? ra->rec : NULL;
}

void rs_recattach_tick(void *ctx)
{
    struct rs_recattach *ra = ctx;
    if (!ra)
        return;
    rs_rec_tick(ra->rec, host_now(ra));
    check(ra);
}

/* Contact time per calf, for the history (docs/session-format.md "calf_time"):
 * the pipeline knows it, the stored frames only through a replay. */
static void write_calf_time(struct rs_recattach *ra)
{
    if (ra->samples == 0 || rs_rec_status(ra->rec) != 0)
        return;
    struct rs_summary sum;
    char j[128];
    rs_session_summary(ra->s, &sum);
    snprintf(j, sizeof j, "{\"left_s\":%.1f,\"right_s\":%.1f}", sum.calf_time_s[RS_LEG_LEFT],
             sum.calf_time_s[RS_LEG_RIGHT]);
    rs_rec_meta(ra->rec, "calf_time", j);
}

int rs_recattach_close(struct rs_recattach *ra)
{
    if (!ra)
        return 0;
    /* Commit what is pending first, so a failure there is told with the
     * recorder's own line (what stopped it, what the file keeps). */
    rs_rec_flush(ra->rec);
    check(ra);
    write_calf_time(ra);
    int rc = rs_rec_close(ra->rec, host_now(ra), NULL);
    /* A session that never got a sample (no roller, wrong protocol) would
     * only clutter the history: an automatically named file goes again. A
     * file the user named stays, whatever it holds. */
    if (ra->samples == 0 && !ra->explicit_path && rc == 0) {
        char side[1040];
        unlink(ra->path);
        snprintf(side, sizeof side, "%s-wal", ra->path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", ra->path);
        unlink(side);
    }
    if (!ra->reported && rc != 0 && ra->on_error)
        ra->on_error(ra->err_ctx, "recording: the session file could not be closed cleanly");
    rs_session_set_recording(ra->s, false);
    free(ra);
    return rc;
}
