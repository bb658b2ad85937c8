/*
 * cmd_view_test.c - `rollsense view-test`: the live window animated by a
 * scripted session (host/ui/rs_viewscript.c), to see and hear the window
 * before the pipeline is wired to it. Also renders single key states to
 * PNG files without showing a window (for docs and bug reports).
 */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        rs_cli_error("view-test: cannot start SDL: %s", SDL_GetError());
        return RS_EXIT_FAIL;
    }
    struct rs_window *win;
    char err[512];
    if (rs_window_open(&win, &cfg, err, sizeof err) != 0) {
        rs_cli_error("view-test: %s", err);
        SDL_Quit();
        return RS_EXIT_FAIL;
    }
    if (rs_window_audio_error(win))
        fprintf(stderr, "rollsense: view-test: running silent (%s)\n", rs_window_audio_error(win));

    static struct rs_view view;
    struct rs_ui_actions act = { 0 };
    Uint64 start = SDL_GetTicks64(), last = start;
    double t = 0; /* scripted time, stops while paused */
    bool paused = false;
    float speed = 1.0f;
    int rc = RS_EXIT_OK;
    while (!(act.bits & RS_UI_QUIT)) {
        Uint64 now = SDL_GetTicks64();
        if (!paused)
            t += (double)(now - last) / 1000.0 * speed;
        last = now;
        if (seconds >= 0 && (double)(now - start) / 1000.0 >= seconds)
            break;
        if (state >= 0) {
            rs_viewscript_state(&view, (enum rs_viewscript_state)state);
            if (view.mode == RS_MODE_REPLAY) {
                view.replay_paused = paused;
                view.replay_speed = speed;
            }
        } else {
            rs_viewscript_at(&view, (float)t);
        }
        if (rs_window_frame(win, &view, &act) != 0) {
            rs_cli_error("view-test: drawing failed: %s", SDL_GetError());
            rc = RS_EXIT_FAIL;
            break;
        }
        if (act.bits & RS_UI_PAUSE)
            paused = !paused;
        if (act.bits & RS_UI_SPEED) {
            speed *= act.speed_steps > 0 ? 2.0f : 0.5f;
            speed = speed < 0.25f ? 0.25f : speed > 8.0f ? 8.0f : speed;
        }
        if (act.bits & RS_UI_SEEK)
            t = t + act.seek_s < 0 ? 0 : t + act.seek_s;
        if (act.bits & RS_UI_SCREENSHOT)
            printf("screenshot: %s\n", act.screenshot);
        /* About 60 frames per second when the renderer does not wait for vsync. */
        Uint64 spent = SDL_GetTicks64() - now;
        if (spent < 16)
            SDL_Delay((Uint32)(16 - spent));
    }
    rs_window_close(win);
    SDL_Quit();
    return rc;
}
