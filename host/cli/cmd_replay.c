/*
 * cmd_replay.c - `rollsense replay FILE`: a recorded session through the
 * detectors again (host/replay), in the feedback window or headless as JSON
 * lines; --compare lists every difference from the recorded events.
 *
 * Time is emulated: the replay clock (rs_replay_clock) turns elapsed wall
 * time into session time at the chosen speed, and frames are fed while
 * their stored device time is at or before it. Headless without --speed the
 * frames are fed as fast as they can be read (scripts and tests).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rs_replay.h"
#include "rs_run.h"
#include "rs_session.h"
#include "rs_window.h"

static void help(void)
{
    printf("usage: rollsense replay FILE [--headless --json] [--compare] [--speed X]\n"
           "                         [--config FILE] [--mass KG] [--calf CM] [--force-limit N]\n"
           "                         [window options: --mute --fullscreen --volume N --size WxH]\n"
           "\n"
           "Replay a recorded session: the stored raw frames go through the detectors\n"
           "again, exactly as live fed them, with the thresholds, calibration and\n"
           "profile stored in the session (options override them).\n"
           "\n"
           "  --headless --json  no window: the recomputed events as JSON lines, then\n"
           "                     {\"type\":\"summary\",...}; as fast as the file reads\n"
           "                     unless --speed is given\n"
           "  --compare          compare the recomputed events with the recorded ones:\n"
           "                     every difference is listed (JSON: {\"type\":\"difference\"});\n"
           "                     exit 0 when there is none, 1 when there are\n"
           "  --speed X          0.25, 0.5, 1, 2, 4, 8 or 16 times real time (default 1)\n"
           "  --screenshot-after N  emulated time (1/60 s per window frame): write a PNG\n"
           "                     screenshot before frame N, print it and the position, quit\n"
           "\n"
           "Window keys: space play/pause, + and - (or Up/Down) speed, Left/Right seek\n"
           "5 s (Shift: 30 s), . and , one frame forward/back (pauses), a click on the\n"
           "timeline goes there, q or Esc quit, h help. The timeline marks the holds.\n"
           "Exit codes: 0 ok, 1 unreadable file or differences found, 2 bad command line.\n");
}

static int num_arg(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (*v == '\0' || *end || !(d >= lo && d <= hi)) {
        rs_cli_error("replay: %s wants a number in %g..%g, got '%s'", opt, lo, hi, v);
        return -1;
    }
    *out = d;
    return 0;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct out_ctx {
    bool json;
    unsigned long shown;
};

static void on_diff(void *ctx, const struct rs_replay_diff *d)
{
    struct out_ctx *o = ctx;
    o->shown++;
    if (o->json) {
        /* the event texts are JSON objects already: embedded as they are */
        printf("{\"type\":\"difference\",\"kind\":\"%s\",\"frame\":%lld,\"t\":%.4f,"
               "\"recorded\":%s,\"replayed\":%s}\n",
               rs_replay_diff_kind_name(d->kind), (long long)d->frame_id, d->t,
               d->recorded ? d->recorded : "null", d->replayed ? d->replayed : "null");
    } else {
        printf("difference at %.3f s (after frame %lld): %s\n", d->t, (long long)d->frame_id,
               rs_replay_diff_kind_name(d->kind));
        if (d->recorded)
            printf("  recorded: %s\n", d->recorded);
        if (d->replayed)
            printf("  replayed: %s\n", d->replayed);
    }
}

static void print_events(struct rs_events *ev, bool json)
{
    char line[512];
    if (json)
        for (size_t i = 0; i < ev->n; i++)
            puts(rs_event_json(&ev->ev[i], line, sizeof line));
    rs_events_clear(ev);
}

/* The routine's recorded rows, as live printed them. */
static void print_log(void *ctx, const char *type, const char *json)
{
    (void)ctx;
    (void)type;
    printf("%s\n", json);
}

/* Headless: feed everything (paced when speed > 0), print, compare. */
static int run_headless(struct rs_replay *rp, bool json, double speed,
                        volatile sig_atomic_t *stop)
{
    struct rs_events ev;
    rs_events_clear(&ev);
    struct rs_replay_clock clk;
    rs_replay_clock_init(&clk, rs_replay_length(rp), speed > 0 ? speed : 1);
    double last = mono_s();
    int more = 1;
    while (more && !(stop && *stop)) {
        if (speed > 0) {
            double now = mono_s();
            rs_replay_clock_advance(&clk, now - last);
            last = now;
            if (rs_replay_pos(rp) > clk.pos_s) {
                struct timespec ts = { 0, 10 * 1000 * 1000 };
                nanosleep(&ts, NULL);
                continue;
            }
        }
        more = rs_replay_next(rp, &ev);
        print_events(&ev, json);
    }
    return more ? -1 : 0;
}

/* The command line, parsed. */
struct replay_args {
    const char *path, *cfg_path;
    bool headless, json, compare;
    double speed;
    int shot_after;
    struct rs_replay_opts ro;
    struct rs_window_config wc;
};

/* An option with a value at argv[*i]: 0, or -1 (reported). */
static int value_option(int argc, char **argv, int *i, struct replay_args *a)
{
    const char *opt = argv[*i];
    if (*i + 1 >= argc) {
        rs_cli_error("replay: %s needs a value", opt);
        return -1;
    }
    const char *v = argv[++*i];
    if (!strcmp(opt, "--speed")) {
        if (num_arg(opt, v, RS_REPLAY_SPEED_MIN, RS_REPLAY_SPEED_MAX, &a->speed) != 0)
            return -1;
        if (rs_replay_speed_valid(a->speed) != 0) {
            rs_cli_error("replay: --speed wants 0.25, 0.5, 1, 2, 4, 8 or 16, got '%s'", v);
            return -1;
        }
        return 0;
    }
    if (!strcmp(opt, "--config")) {
        a->cfg_path = v;
        return 0;
    }
    if (!strcmp(opt, "--mass"))
        return num_arg(opt, v, 20, 250, &a->ro.mass_kg);
    if (!strcmp(opt, "--calf"))
        return num_arg(opt, v, 15, 60, &a->ro.calf_cm);
    return num_arg(opt, v, 0, 5000, &a->ro.force_limit_n);
}

/* One argument at argv[*i]: 0, 1 (--help shown), or -1 (reported). */
static int one_arg(int argc, char **argv, int *i, struct replay_args *a)
{
    const char *s = argv[*i];
    int w = rs_cli_window_option(argc, argv, i, "replay", &a->wc);
    if (w != 0)
        return w < 0 ? -1 : 0;
    if (rs_cli_is_help(s)) {
        help();
        return 1;
    } else if (!strcmp(s, "--headless")) {
        a->headless = true;
    } else if (!strcmp(s, "--json")) {
        a->json = true;
    } else if (!strcmp(s, "--compare")) {
        a->compare = true;
    } else if (!strcmp(s, "--screenshot-after")) {
        char *end;
        long n = *i + 1 < argc ? strtol(argv[*i + 1], &end, 10) : 0;
        if (*i + 1 >= argc || *end || n < 1 || n > 1000000) {
            rs_cli_error("replay: --screenshot-after wants a frame count >= 1");
            return -1;
        }
        a->shot_after = (int)n;
        ++*i;
    } else if (!strcmp(s, "--speed") || !strcmp(s, "--config") || !strcmp(s, "--mass") ||
               !strcmp(s, "--calf") || !strcmp(s, "--force-limit")) {
        return value_option(argc, argv, i, a);
    } else if (s[0] == '-' && s[1] != '\0') {
        rs_cli_error("replay: unknown option '%s' (try 'rollsense replay --help')", s);
        return -1;
    } else if (a->path) {
        rs_cli_error("replay: takes one FILE, got '%s' and '%s'", a->path, s);
        return -1;
    } else {
        a->path = s;
    }
    return 0;
}

/* Options that do not fit together: 0, or -1 (reported). --compare alone
 * needs no window: it is a check, not a viewing. */
static int check_args(struct replay_args *a)
{
    if (!a->path) {
        rs_cli_error("replay: missing FILE (try 'rollsense replay --help')");
        return -1;
    }
    if (a->headless && !a->json && !a->compare) {
        rs_cli_error("replay: --headless needs --json or --compare (there is nothing else to show)");
        return -1;
    }
    if (a->headless && a->shot_after) {
        rs_cli_error("replay: --screenshot-after needs the window (drop --headless)");
        return -1;
    }
    if (a->compare)
        a->headless = true;
    if (a->compare && a->speed > 0) {
        rs_cli_error("replay: --compare reads the whole session; --speed makes no sense with it");
        return -1;
    }
    return 0;
}

/* The last lines: the summary (--json) or the comparison. Exit code. */
static int finish(struct rs_replay *rp, const struct replay_args *a, int rc)
{
    struct rs_replay_stats st;
    rs_replay_get_stats(rp, &st);
    int exit_code = rc < 0 ? RS_EXIT_FAIL : RS_EXIT_OK;
    if (a->headless && rc == 0 && a->json && !a->compare) {
        struct rs_summary sum;
        rs_session_summary(rs_replay_session(rp), &sum);
        char line[512];
        puts(rs_summary_json(&sum, line, sizeof line));
    }
    if (!a->compare || rc != 0)
        return exit_code;
    unsigned long long fr = st.samples, rec = st.recorded_events, rep = st.replayed_events,
                       diff = st.differences;
    if (a->json)
        printf("{\"type\":\"compare\",\"frames\":%llu,\"recorded_events\":%llu,"
               "\"replayed_events\":%llu,\"differences\":%llu,\"equal\":%s}\n",
               fr, rec, rep, diff, diff ? "false" : "true");
    else if (diff == 0)
        printf("replay: no difference: %llu events recomputed from %llu frames equal the "
               "%llu recorded ones\n", rep, fr, rec);
    else
        printf("replay: %llu differences (%llu events recomputed, %llu recorded)\n", diff, rep, rec);
    return diff ? RS_EXIT_FAIL : exit_code;
}

/* Headless or in the window (host/replay's input of the one window loop). */
static int play(struct rs_replay *rp, const struct replay_args *a, volatile sig_atomic_t *stop)
{
    if (a->headless)
        return run_headless(rp, a->json && !a->compare, a->speed, stop);
    char err[600] = "";
    struct rs_run_opts o = { .window = true, .wcfg = a->wc, .duration_s = -1, .stop = stop,
                             .who = "replay", .screenshot_after = a->shot_after,
                             .frame_step_s = a->shot_after > 0 ? 1.0 / 60.0 : 0,
                             .session_file = a->path };
    if (!o.wcfg.title)
        o.wcfg.title = "rollsense replay";
    int rc = rs_replay_window(rp, &o, a->speed, err, sizeof err);
    if (rc < 0)
        rs_cli_error("replay: %s", err);
    return rc;
}

int rs_cmd_replay(int argc, char **argv)
{
    static struct replay_args a;
    memset(&a, 0, sizeof a);
    rs_replay_opts_default(&a.ro);
    a.wc.volume = 0.8f;
    for (int i = 1; i < argc; i++) {
        int r = one_arg(argc, argv, &i, &a);
        if (r != 0)
            return r > 0 ? RS_EXIT_OK : RS_EXIT_USAGE;
    }
    if (check_args(&a) != 0)
        return RS_EXIT_USAGE;
    static struct rs_config cfg;
    if (a.cfg_path) {
        if (rs_cli_load_config("replay", a.cfg_path, &cfg) != 0)
            return RS_EXIT_USAGE;
        a.ro.cfg = &cfg;
    }
    if (!a.headless && !rs_run_have_display()) {
        rs_cli_error("replay: no display (DISPLAY and WAYLAND_DISPLAY unset); use --headless --json");
        return RS_EXIT_FAIL;
    }
    a.ro.compare = a.compare;
    struct rs_replay *rp;
    char msg[600];
    if (rs_replay_open(&rp, a.path, &a.ro, msg, sizeof msg) < 0) {
        rs_cli_error("replay: %s: %s", a.path, msg);
        return RS_EXIT_FAIL;
    }
    if (rs_replay_notes(rp)[0] && !a.compare)
        fprintf(stderr, "rollsense: replay: note: %s\n", rs_replay_notes(rp));
    struct out_ctx oc = { .json = a.json };
    rs_replay_on_diff(rp, on_diff, &oc);
    if (a.json && !a.compare && a.headless)
        rs_replay_on_log(rp, print_log, NULL);
    volatile sig_atomic_t *stop = NULL;
    rs_cli_catch_signals(&stop);
    int rc = play(rp, &a, stop);
    const char *damage = rs_reader_damage_message(rs_replay_reader(rp));
    if (damage)
        rs_cli_error("replay: %s: %s", a.path, damage);
    int exit_code = finish(rp, &a, rc);
    fflush(stdout);
    rs_replay_close(rp);
    return exit_code;
}
