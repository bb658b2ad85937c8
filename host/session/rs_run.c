/* rs_run.c - drive a session headless or with the window (see rs_run.h). */
#include "rs_run.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool rs_run_have_display(void)
{
    const char *v[] = { "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER" };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const char *e = getenv(v[i]);
        if (e && e[0])
            return true;
    }
    return false;
}

static bool should_stop(struct rs_conn *c, const struct rs_run_opts *o)
{
    if (o->stop && *o->stop)
        return true;
    if (o->done && o->done(o->done_ctx))
        return true;
    return o->duration_s >= 0 && rs_conn_now(c) >= o->duration_s;
}

/* Step the connection until session time `until` (or a stop). 0 or fatal. */
static int step_until(struct rs_conn *c, const struct rs_run_opts *o, double until)
{
    for (;;) {
        double now = rs_conn_now(c);
        if (now >= until || should_stop(c, o))
            return 0;
        double left = until - now;
        if (o->duration_s >= 0 && o->duration_s - now < left)
            left = o->duration_s - now;
        int wait = (int)(left * 1000.0) + 1;
        if (wait > 100)
            wait = 100;
        int rc = rs_conn_step(c, wait);
        if (o->tick)
            o->tick(o->tick_ctx);
        if (rc < 0)
            return rc;
    }
}

static int run_headless(struct rs_conn *c, const struct rs_run_opts *o)
{
    for (;;) {
        if (should_stop(c, o))
            return 0;
        int rc = step_until(c, o, rs_conn_now(c) + 0.1);
        if (rc < 0)
            return rc;
    }
}

static void press(SDL_Keycode sym)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = sym;
    SDL_PushEvent(&e);
}

static int run_window(struct rs_conn *c, struct rs_session *s, const struct rs_run_opts *o,
                      char *err, size_t errcap, int *conn_rc)
{
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, errcap, "cannot start SDL: %s", SDL_GetError());
        return -1;
    }
    struct rs_window *win;
    struct rs_window_config wc = o->wcfg;
    wc.derive_cues = false; /* cues come from the pipeline's events */
    if (rs_window_open(&win, &wc, err, errcap) != 0) {
        SDL_Quit();
        return -1;
    }
    if (rs_window_audio_error(win))
        fprintf(stderr, "rollsense: %s: running silent (%s)\n", o->who, rs_window_audio_error(win));
    static struct rs_view view; /* large: not on the stack, filled every frame */
    rs_view_init(&view);
    struct rs_ui_actions act = { 0 };
    int rc = 0, frame = 0;
    while (!(act.bits & RS_UI_QUIT)) {
        /* About 60 frames per second; 10 while no roller is there (nothing
         * moves, keys still answer), so waiting for a device stays cheap. */
        double step = o->frame_step_s > 0 ? o->frame_step_s
                      : view.link == RS_VLINK_DISCONNECTED && frame > 0 ? 0.1 : 1.0 / 60.0;
        *conn_rc = step_until(c, o, rs_conn_now(c) + step);
        if (*conn_rc < 0 || should_stop(c, o))
            break;
        unsigned cues = rs_session_take_cues(s);
        if (cues && !act.muted)
            rs_window_cues(win, cues);
        rs_session_view(s, rs_conn_now(c), &view);
        if (++frame == o->screenshot_after)
            press(SDLK_s);
        if (rs_window_frame(win, &view, &act) != 0) {
            snprintf(err, errcap, "drawing failed: %s", SDL_GetError());
            rc = -1;
            break;
        }
        if (act.bits & RS_UI_MARK)
            rs_session_mark(s, rs_conn_now(c), "");
        if (act.bits & RS_UI_SCREENSHOT) {
            printf("screenshot: %s\n", act.screenshot);
            fflush(stdout);
            if (o->screenshot_after > 0)
                break;
        }
    }
    rs_window_close(win);
    SDL_Quit();
    return rc;
}

int rs_run(struct rs_conn *c, struct rs_session *s, const struct rs_run_opts *o, char *err,
           size_t errcap)
{
    int conn_rc = 0, rc = 0;
    err[0] = '\0';
    if (o->window)
        rc = run_window(c, s, o, err, errcap, &conn_rc);
    else
        conn_rc = run_headless(c, o);
    rs_conn_finish(c);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    rs_session_finish(s, &st, rs_conn_now(c));
    if (conn_rc < 0) {
        snprintf(err, errcap, "%s", rs_conn_message(c));
        return -1;
    }
    return rc;
}
