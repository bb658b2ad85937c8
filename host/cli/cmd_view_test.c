/*
 * cmd_view_test.c - `rollsense view-test`: the live window animated by a
 * scripted session (host/ui/rs_viewscript.c), to see and hear the window
 * before the pipeline is wired to it. Also renders single key states to
 * PNG files without showing a window (for docs and bug reports).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "rs_run.h"
#include "rs_session.h"
#include "rs_viewscript.h"
#include "rs_window.h"

static void help(void)
{
    printf("usage: rollsense view-test [--seconds N] [--size WxH] [--fullscreen] [--mute]\n"
           "                           [--volume 0-100] [--state NAME] [--screenshot-dir DIR]\n"
           "\n"
           "Open the feedback window on a scripted %.0f s session that loops: slow\n"
           "rolling, a 25 s and a 35 s hold, a too-fast pass into the knee zone, a\n"
           "third hold with the dose advice, a leg switch. Cues sound as in live use.\n"
           "Keys: space mark/pause, m mute, s screenshot, f fullscreen, h help, q quit;\n"
           "in the replay state (--state replay) Left/Right seek and +/- change speed.\n"
           "\n"
           "  --seconds N        quit after N seconds (default: run until q)\n"
           "  --size WxH         window size in points (default 1280x800)\n"
           "  --state NAME       show one fixed state instead of the animation:\n"
           "                     rolling, hold-22s, hold-35s-done, too-fast-knee,\n"
           "                     replay, uncalibrated\n"
           "  --screenshot-dir D where the s key writes PNG files (default .)\n",
           (double)RS_VIEWSCRIPT_LOOP_S);
}

/* The script as the window loop's input: time that stops while paused,
 * runs at the chosen speed, and jumps with the seek keys. */
struct script {
    int state;        /* a fixed state, or -1: the 150 s loop */
    double t;         /* scripted time */
    bool paused;
    float speed;
    double start, last;  /* wall clock */
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* About 60 frames per second when the renderer does not wait for vsync. */
static int script_advance(void *ctx, double dt_s)
{
    struct script *sc = ctx;
    double left = dt_s - (mono_s() - sc->last);
    if (left > 0) {
        struct timespec ts = { 0, (long)(left * 1e9) };
        nanosleep(&ts, NULL);
    }
    double now = mono_s();
    if (!sc->paused)
        sc->t += (now - sc->last) * sc->speed;
    sc->last = now;
    return 0;
}

/* Wall seconds since the start: what --seconds limits. */
static double script_now(void *ctx)
{
    const struct script *sc = ctx;
    return sc->last - sc->start;
}

static void script_view(void *ctx, struct rs_view *v)
{
    const struct script *sc = ctx;
    if (sc->state >= 0) {
        rs_viewscript_state(v, (enum rs_viewscript_state)sc->state);
        if (v->mode == RS_MODE_REPLAY) {
            v->replay_paused = sc->paused;
            v->replay_speed = sc->speed;
        }
    } else {
        rs_viewscript_at(v, (float)sc->t);
    }
}

static void script_keys(void *ctx, const struct rs_ui_actions *a)
{
    struct script *sc = ctx;
    if (a->bits & RS_UI_PAUSE)
        sc->paused = !sc->paused;
    if (a->bits & RS_UI_SPEED) {
        sc->speed *= a->speed_steps > 0 ? 2.0f : 0.5f;
        sc->speed = sc->speed < 0.25f ? 0.25f : sc->speed > 8.0f ? 8.0f : sc->speed;
    }
    if (a->bits & RS_UI_SEEK)
        sc->t = sc->t + a->seek_s < 0 ? 0 : sc->t + a->seek_s;
}

int rs_cmd_view_test(int argc, char **argv)
{
    struct rs_window_config cfg = { .title = "rollsense view-test", .derive_cues = true, .volume = 0.8f };
    double seconds = -1;
    int state = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (rs_cli_is_help(a)) {
            help();
            return RS_EXIT_OK;
        } else if (strcmp(a, "--seconds") == 0 && has) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end || !(seconds >= 0)) {
                rs_cli_error("view-test: --seconds wants a number >= 0, got '%s'", argv[i]);
                return RS_EXIT_USAGE;
            }
        } else if (strcmp(a, "--size") == 0 && has) {
            if (rs_cli_parse_size(argv[++i], &cfg.width, &cfg.height) != 0) {
                rs_cli_error("view-test: --size wants WxH (320x200 to 8192x8192), got '%s'", argv[i]);
                return RS_EXIT_USAGE;
            }
        } else if (strcmp(a, "--volume") == 0 && has) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 0 || v > 100) {
                rs_cli_error("view-test: --volume wants 0 to 100, got '%s'", argv[i]);
                return RS_EXIT_USAGE;
            }
            cfg.volume = (float)v / 100.0f;
        } else if (strcmp(a, "--state") == 0 && has) {
            i++;
            for (int s = 0; s < RS_VS_COUNT; s++)
                if (strcmp(argv[i], rs_viewscript_name((enum rs_viewscript_state)s)) == 0)
                    state = s;
            if (state < 0) {
                rs_cli_error("view-test: unknown --state '%s' (see --help)", argv[i]);
                return RS_EXIT_USAGE;
            }
        } else if (strcmp(a, "--screenshot-dir") == 0 && has) {
            cfg.screenshot_dir = argv[++i];
        } else if (strcmp(a, "--fullscreen") == 0) {
            cfg.fullscreen = true;
        } else if (strcmp(a, "--mute") == 0) {
            cfg.muted = true;
        } else {
            rs_cli_error("view-test: unknown or incomplete argument '%s' (try 'rollsense view-test --help')", a);
            return RS_EXIT_USAGE;
        }
    }

    /* The one window loop (rs_run_window) over an idle session, with the
     * script as its input: the script's view replaces the session's. */
    struct rs_session_config scfg = { .mode = RS_MODE_LIVE };
    rs_config_defaults(&scfg.cfg);
    rs_calib_defaults(&scfg.cal);
    rs_profile_defaults(&scfg.prof);
    struct rs_session *s = rs_session_new(&scfg);
    if (!s) {
        rs_cli_error("view-test: out of memory");
        return RS_EXIT_FAIL;
    }
    struct script sc = { .state = state, .speed = 1.0f, .start = mono_s() };
    sc.last = sc.start;
    struct rs_run_input in = { .ctx = &sc, .advance = script_advance, .now = script_now,
                               .decorate = script_view, .keys = script_keys,
                               .derive_cues = true };
    struct rs_run_opts o = { .window = true, .wcfg = cfg, .duration_s = seconds, .who = "view-test" };
    char err[600];
    int rc = rs_run_window(s, &in, &o, err, sizeof err);
    if (rc < 0)
        rs_cli_error("view-test: %s", err);
    rs_session_free(s);
    return rc < 0 ? RS_EXIT_FAIL : RS_EXIT_OK;
}
