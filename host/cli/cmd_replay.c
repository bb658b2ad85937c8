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

int rs_cmd_replay(int argc, char **argv)
{
    const char *path = NULL, *cfg_path = NULL;
    bool headless = false, json = false, compare = false;
    double speed = 0;
    int shot_after = 0;
    struct rs_replay_opts ro;
    rs_replay_opts_default(&ro);
    struct rs_window_config wc = { .volume = 0.8f };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int w = rs_cli_window_option(argc, argv, &i, "replay", &wc);
        if (w < 0)
            return RS_EXIT_USAGE;
        if (w > 0)
            continue;
        if (rs_cli_is_help(a)) {
            help();
            return RS_EXIT_OK;
        } else if (!strcmp(a, "--headless")) {
            headless = true;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--compare")) {
            compare = true;
        } else if (!strcmp(a, "--screenshot-after")) {
            char *end;
            long n = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : 0;
            if (i + 1 >= argc || *end || n < 1 || n > 1000000) {
                rs_cli_error("replay: --screenshot-after wants a frame count >= 1");
                return RS_EXIT_USAGE;
            }
            shot_after = (int)n;
            i++;
        } else if (!strcmp(a, "--speed") || !strcmp(a, "--config") || !strcmp(a, "--mass") ||
                   !strcmp(a, "--calf") || !strcmp(a, "--force-limit")) {
            if (i + 1 >= argc) {
                rs_cli_error("replay: %s needs a value", a);
                return RS_EXIT_USAGE;
            }
            const char *v = argv[++i];
            int bad = 0;
            if (!strcmp(a, "--speed")) {
                bad = num_arg(a, v, RS_REPLAY_SPEED_MIN, RS_REPLAY_SPEED_MAX, &speed);
                if (!bad && rs_replay_speed_valid(speed) != 0) {
                    rs_cli_error("replay: --speed wants 0.25, 0.5, 1, 2, 4, 8 or 16, got '%s'", v);
                    bad = 1;
                }
            } else if (!strcmp(a, "--config")) {
                cfg_path = v;
            } else if (!strcmp(a, "--mass")) {
                bad = num_arg(a, v, 20, 250, &ro.mass_kg);
            } else if (!strcmp(a, "--calf")) {
                bad = num_arg(a, v, 15, 60, &ro.calf_cm);
            } else {
                bad = num_arg(a, v, 0, 5000, &ro.force_limit_n);
            }
            if (bad)
                return RS_EXIT_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            rs_cli_error("replay: unknown option '%s' (try 'rollsense replay --help')", a);
            return RS_EXIT_USAGE;
        } else if (path) {
            rs_cli_error("replay: takes one FILE, got '%s' and '%s'", path, a);
            return RS_EXIT_USAGE;
        } else {
            path = a;
        }
    }
    if (!path) {
        rs_cli_error("replay: missing FILE (try 'rollsense replay --help')");
        return RS_EXIT_USAGE;
    }
    if (headless && !json && !compare) {
        rs_cli_error("replay: --headless needs --json or --compare (there is nothing else to show)");
        return RS_EXIT_USAGE;
    }
    if (headless && shot_after) {
        rs_cli_error("replay: --screenshot-after needs the window (drop --headless)");
        return RS_EXIT_USAGE;
    }
    /* --compare alone needs no window: it is a check, not a viewing */
    if (compare)
        headless = true;
    if (compare && speed > 0) {
        rs_cli_error("replay: --compare reads the whole session; --speed makes no sense with it");
        return RS_EXIT_USAGE;
    }
    static struct rs_config cfg;
    if (cfg_path) {
        if (rs_cli_load_config("replay", cfg_path, &cfg) != 0)
            return RS_EXIT_USAGE;
        ro.cfg = &cfg;
    }
    if (!headless && !rs_run_have_display()) {
        rs_cli_error("replay: no display (DISPLAY and WAYLAND_DISPLAY unset); use --headless --json");
        return RS_EXIT_FAIL;
    }
    ro.compare = compare;
    struct rs_replay *rp;
    char msg[600];
    if (rs_replay_open(&rp, path, &ro, msg, sizeof msg) < 0) {
        rs_cli_error("replay: %s: %s", path, msg);
        return RS_EXIT_FAIL;
    }
    if (rs_replay_notes(rp)[0] && !compare)
        fprintf(stderr, "rollsense: replay: note: %s\n", rs_replay_notes(rp));
    struct out_ctx oc = { .json = json };
    rs_replay_on_diff(rp, on_diff, &oc);
    volatile sig_atomic_t *stop = NULL;
    rs_cli_catch_signals(&stop);

    int rc;
    if (headless) {
        rc = run_headless(rp, json && !compare, speed, stop);
    } else {
        char err[600] = "";
        struct rs_run_opts o = { .window = true, .wcfg = wc, .duration_s = -1, .stop = stop,
                                 .who = "replay", .screenshot_after = shot_after,
                                 .frame_step_s = shot_after > 0 ? 1.0 / 60.0 : 0 };
        if (!o.wcfg.title)
            o.wcfg.title = "rollsense replay";
        rc = rs_replay_window(rp, &o, speed, err, sizeof err);
        if (rc < 0)
            rs_cli_error("replay: %s", err);
    }
    const char *damage = rs_reader_damage_message(rs_replay_reader(rp));
    if (damage)
        rs_cli_error("replay: %s: %s", path, damage);
    struct rs_replay_stats st;
    rs_replay_get_stats(rp, &st);
    int exit_code = rc < 0 ? RS_EXIT_FAIL : RS_EXIT_OK;
    if (headless && rc == 0 && json && !compare) {
        struct rs_summary sum;
        rs_session_summary(rs_replay_session(rp), &sum);
        char line[512];
        puts(rs_summary_json(&sum, line, sizeof line));
    }
    if (compare && rc == 0) {
        if (json)
            printf("{\"type\":\"compare\",\"frames\":%llu,\"recorded_events\":%llu,"
                   "\"replayed_events\":%llu,\"differences\":%llu,\"equal\":%s}\n",
                   (unsigned long long)st.samples, (unsigned long long)st.recorded_events,
                   (unsigned long long)st.replayed_events, (unsigned long long)st.differences,
                   st.differences ? "false" : "true");
        else if (st.differences == 0)
            printf("replay: no difference: %llu events recomputed from %llu frames equal the "
                   "%llu recorded ones\n",
                   (unsigned long long)st.replayed_events, (unsigned long long)st.samples,
                   (unsigned long long)st.recorded_events);
        else
            printf("replay: %llu differences (%llu events recomputed, %llu recorded)\n",
                   (unsigned long long)st.differences, (unsigned long long)st.replayed_events,
                   (unsigned long long)st.recorded_events);
        if (st.differences)
            exit_code = RS_EXIT_FAIL;
    }
    fflush(stdout);
    rs_replay_close(rp);
    return exit_code;
}
