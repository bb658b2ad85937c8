/*
 * cmd_sessions.c - `rollsense sessions [--json] [--dir DIR]`: the history of
 * recorded sessions, oldest first: date, duration, holds per leg, longest
 * hold, peak %BW. Sessions that were killed have no stored summary; theirs
 * is computed from the frames and hold_end events and marked "interrupted".
 * The summaries come from the session catalog (host/history/rs_catalog.h):
 * only new or changed files are opened.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "rs_catalog.h"
#include "rs_json.h"
#include "rs_record.h"
#include "rs_reader.h"

static void help(void)
{
    printf("usage: rollsense sessions [--json] [--dir DIR]\n"
           "\n"
           "List the recorded sessions, oldest first: start date and time, duration,\n"
           "holds per leg, longest hold and peak force in %% of body weight. Sessions\n"
           "live in $XDG_DATA_HOME/rollsense/sessions (default\n"
           "~/.local/share/rollsense/sessions); --dir lists another directory.\n"
           "A session whose recording was interrupted is listed with the figures\n"
           "computed from what was saved; a damaged one with what was lost.\n"
           "The figures come from catalog.rscat beside the sessions, rebuilt from the\n"
           "session files when it is missing, damaged or out of date.\n"
           "--json prints one JSON object per session per line:\n"
           "  {\"type\":\"session\",\"path\":..,\"start\":ISO 8601,\"duration_s\":..,\n"
           "   \"frames\":..,\"holds_left\":..,\"holds_right\":..,\"longest_hold_s\":..,\n"
           "   \"peak_bw_pct\":..|null,\"complete\":bool,\"damage\":null|\"...\"}\n"
           "or {\"type\":\"session\",\"path\":..,\"error\":\"...\"} for a file that cannot be read.\n");
}

struct list_ctx {
    bool json;
    int count;
};

static void print_one(void *vctx, const char *path, const struct rs_reader_summary *sum,
                      const char *message)
{
    struct list_ctx *c = vctx;
    char iso[48], buf[2048];
    c->count++;
    if (c->json) {
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "session");
        rs_json_str(&j, "path", path);
        if (!sum) {
            rs_json_str(&j, "error", message ? message : "unreadable");
        } else {
            rs_json_str(&j, "start", sum->start_host_us
                                         ? rs_iso8601(sum->start_host_us, sum->tz_offset_s, iso,
                                                      sizeof iso)
                                         : "");
            rs_json_num(&j, "duration_s", sum->duration_s, 3);
            rs_json_int(&j, "frames", (long long)sum->frames);
            rs_json_int(&j, "holds_left", sum->holds[0]);
            rs_json_int(&j, "holds_right", sum->holds[1]);
            rs_json_num(&j, "longest_hold_s", sum->longest_hold_s, 1);
            /* nominal forces of an uncalibrated roller are no measurement */
            rs_json_num(&j, "peak_bw_pct", sum->uncalibrated ? NAN : sum->peak_bw_pct, 1);
            rs_json_bool(&j, "calibrated", !sum->uncalibrated);
            rs_json_bool(&j, "complete", sum->complete);
            if (message)
                rs_json_str(&j, "damage", message);
            else
                rs_json_raw(&j, "damage", "null");
        }
        const char *line = rs_json_end(&j);
        puts(line ? line : "{\"type\":\"session\",\"error\":\"line too long\"}");
        return;
    }
    if (c->count == 1)
        printf("%-19s  %8s  %5s %5s  %8s  %6s  %s\n", "start", "duration", "holds", "L/R",
               "longest", "peak", "file");
    if (!sum) {
        printf("%-19s  %s\n", "?", message ? message : "unreadable");
        return;
    }
    char when[20] = "?", dur[48], peak[32];
    if (sum->start_host_us) {
        rs_iso8601(sum->start_host_us, sum->tz_offset_s, iso, sizeof iso);
        snprintf(when, sizeof when, "%.10s %.8s", iso, iso + 11);
    }
    long sec = sum->duration_s >= 0 && sum->duration_s < 1e9 ? lround(sum->duration_s) : 0;
    if (sec >= 3600)
        snprintf(dur, sizeof dur, "%ld:%02ld:%02ld", sec / 3600, sec / 60 % 60, sec % 60);
    else
        snprintf(dur, sizeof dur, "%ld:%02ld", sec / 60, sec % 60);
    if (sum->uncalibrated)
        snprintf(peak, sizeof peak, "uncal");
    else if (isfinite(sum->peak_bw_pct))
        snprintf(peak, sizeof peak, "%.0f%%", sum->peak_bw_pct);
    else
        snprintf(peak, sizeof peak, "-");
    const char *base = strrchr(path, '/');
    printf("%-19s  %8s  %5u %2u/%-2u  %7.0fs  %6s  %s%s\n", when, dur, sum->holds[0] + sum->holds[1],
           sum->holds[0], sum->holds[1], sum->longest_hold_s, peak, base ? base + 1 : path,
           sum->complete ? "" : "  (interrupted)");
    if (message)
        printf("%-19s  %s\n", "", message);
}

int rs_cmd_sessions(int argc, char **argv)
{
    struct list_ctx c = { false, 0 };
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (rs_cli_is_help(argv[i])) {
            help();
            return RS_EXIT_OK;
        }
        if (strcmp(argv[i], "--json") == 0) {
            c.json = true;
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            rs_cli_error("sessions: unknown argument '%s' (try 'rollsense sessions --help')",
                         argv[i]);
            return RS_EXIT_USAGE;
        }
    }
    char def[768];
    if (!dir) {
        if (rs_rec_session_dir(def, sizeof def) != 0) {
            rs_cli_error("sessions: no session directory (set XDG_DATA_HOME or HOME)");
            return RS_EXIT_FAIL;
        }
        dir = def;
    }
    /* From the catalog beside the sessions (host/history/rs_catalog.h):
     * only new or changed files are opened. */
    struct rs_catalog cat;
    struct rs_cat_status st;
    int n = rs_catalog_load(dir, true, &cat, &st);
    if (n == 0 && st.note[0])
        rs_cli_error("sessions: %s", st.note);
    for (size_t i = 0; n == 0 && i < cat.n; i++) {
        const struct rs_cat_entry *e = &cat.e[i];
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->name);
        print_one(&c, path, e->readable ? &e->sum : NULL, e->message[0] ? e->message : NULL);
    }
    rs_catalog_free(&cat);
    if (n == -ENOENT || (n == 0 && c.count == 0)) {
        if (!c.json)
            printf("no sessions in %s\n", dir);
        return RS_EXIT_OK;
    }
    if (n < 0) {
        rs_cli_error("sessions: cannot read '%s': %s", dir, strerror(-n));
        return RS_EXIT_FAIL;
    }
    return RS_EXIT_OK;
}
