/* rs_run.c - drive a session headless or with the window (see rs_run.h). */
#include "rs_run.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_calscreen.h"
#include "rs_defaults.h"
#include "rs_font.h"
#include "rs_livecal.h"
#include "rs_pace.h"

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

/* The wizard over the window: the window's renderer, the wizard's screen
 * (made on first use), and what the wizard last printed. */
struct calui {
    struct rs_livecal *lc;
    struct rs_calscreen *cs;
    char last_msg[320];
    enum rs_calwiz_phase last_phase;
};

/* Print the wizard's new messages on stderr/stdout, as the CLI wizard does:
 * a window may not be where the terminal is, and scripts read them. */
static void calui_report(struct calui *cu, const char *who)
{
    const struct rs_calwiz *wz = &cu->lc->wz;
    if (strcmp(wz->message, cu->last_msg) != 0) {
        snprintf(cu->last_msg, sizeof cu->last_msg, "%s", wz->message);
        if (wz->message[0])
            fprintf(wz->message_is_error ? stderr : stdout, "%s%s: calibrate: %s\n",
                    wz->message_is_error ? "rollsense: " : "", who, wz->message);
    }
    if (wz->phase != cu->last_phase && wz->phase == RS_CW_DONE) {
        if (wz->mode == RS_CW_CALF)
            printf("%s: calibrate: calf length %.1f cm in the profile, in use from now on\n",
                   who, wz->calf_cm);
        else
            printf("%s: calibrate: saved on the roller, in use from now on\n", who);
        if (cu->lc->note[0])
            fprintf(stderr, "rollsense: %s: calibrate: %s\n", who, cu->lc->note);
    }
    fflush(stdout);
    cu->last_phase = wz->phase;
}

/*
 * One frame of the wizard instead of the live view: its keys, its screen.
 * Returns 0, or -1 when its screen cannot be made (err set); *quit on a
 * window close.
 */
static int calui_frame(struct calui *cu, struct rs_window *win, const struct rs_run_opts *o,
                       bool *quit, char *err, size_t errcap)
{
    struct rs_livecal *lc = cu->lc;
    bool enter = false, esc = false;
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_QUIT) {
            *quit = esc = true;
        } else if (ev.type == SDL_KEYDOWN) {
            SDL_Keycode k = ev.key.keysym.sym;
            if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
                enter = true;
            else if (k == SDLK_ESCAPE || k == SDLK_q)
                esc = true;
        }
    }
    enum rs_calwiz_phase ph = lc->wz.phase;
    if (ph == RS_CW_DONE || ph == RS_CW_FAILED) {
        if (enter || esc)
            rs_livecal_close(lc);
    } else if (esc) {
        rs_calwiz_cancel(&lc->wz);
        calui_report(cu, o->who);
        rs_livecal_close(lc);
    } else if (enter && (ph == RS_CW_PROMPT || ph == RS_CW_REFUSED || ph == RS_CW_TRACK)) {
        rs_calwiz_confirm(&lc->wz);
    }
    calui_report(cu, o->who);
    if (!lc->open)
        return 0;
    SDL_Renderer *ren = SDL_GetRenderer(rs_window_sdl(win));
    if (!cu->cs) {
        char font[512];
        if (!ren || rs_font_find(font, sizeof font, NULL) != 0) {
            snprintf(err, errcap, "%s", ren ? RS_FONT_HELP : SDL_GetError());
            return -1;
        }
        if (rs_calscreen_create(&cu->cs, ren, font, err, errcap) != 0)
            return -1;
    }
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(ren, &w, &h);
    rs_calscreen_draw(cu->cs, &lc->wz, w, h);
    SDL_RenderPresent(ren);
    return 0;
}

/* Key c: the wizard the options ask for. */
static void open_wizard(struct rs_livecal *lc, struct rs_session *s, const struct rs_run_opts *o)
{
    double win = o->cal_window_s > 0 ? o->cal_window_s : 2.0;
    switch (o->cal_step) {
    case RS_RUN_CAL_ENCODER:
        rs_livecal_open_encoder(lc, s, o->cal_turns, o->cal_distance_m, RS_SAMPLE_RATE_HZ);
        break;
    case RS_RUN_CAL_CALF:
        rs_livecal_open_calf(lc, s, RS_SAMPLE_RATE_HZ);
        break;
    case RS_RUN_CAL_TARE:
        rs_livecal_open(lc, s, RS_CW_TARE, 0, RS_SAMPLE_RATE_HZ, win);
        break;
    case RS_RUN_CAL_SPAN:
    default:
        rs_livecal_open(lc, s, o->cal_mass_kg > 0 ? RS_CW_FULL : RS_CW_TARE, o->cal_mass_kg,
                        RS_SAMPLE_RATE_HZ, win);
        break;
    }
}

/* The window loop's state between frames. */
struct winloop {
    struct rs_window *win;
    struct rs_ui_actions act;
    struct calui cu;
    struct rs_pace pace;
    int frame;
    uint64_t seen_frames;     /* sample frames delivered when last looked */
    enum rs_conn_state state; /* connection state when last looked */
};

/* Mark the frame dirty when a sample arrived, the link changed or input
 * is waiting: the things that can change what is visible. */
static void note_changes(struct rs_conn *c, struct winloop *wl)
{
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    enum rs_conn_state state = rs_conn_state(c);
    if (st.frames != wl->seen_frames || state != wl->state)
        rs_pace_mark(&wl->pace);
    wl->seen_frames = st.frames;
    wl->state = state;
    SDL_PumpEvents();
    if (SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT) || (wl->cu.lc && wl->cu.lc->open))
        rs_pace_mark(&wl->pace);
}

/*
 * Step the connection until a frame is due (rs_pace.h): at once when
 * something visible changed and a display period has passed since the
 * last present, else waiting for data meanwhile. While no roller streams
 * the check-ups are rare (every 10 s), so waiting stays well under 1 % of
 * a core while keys still answer within a connection step. With
 * frame_step_s (emulated time) every step of that length is a frame.
 */
static int wait_for_frame(struct rs_conn *c, const struct rs_run_opts *o, struct winloop *wl)
{
    if (o->frame_step_s > 0) {
        rs_pace_mark(&wl->pace);
        return step_until(c, o, rs_conn_now(c) + o->frame_step_s);
    }
    for (;;) {
        if (should_stop(c, o))
            return 0;
        double now = rs_conn_now(c);
        bool streaming = wl->state == RS_CONN_STREAMING;
        wl->pace.refresh_s = streaming ? 1.0 : 10.0;
        int ms = rs_pace_wait_ms(&wl->pace, now, streaming ? 100 : 250);
        if (ms == 0)
            return 0;
        if (o->duration_s >= 0 && (o->duration_s - now) * 1000.0 + 1 < ms)
            ms = (int)((o->duration_s - now) * 1000.0) + 1;
        int rc = rs_conn_step(c, ms);
        if (o->tick)
            o->tick(o->tick_ctx);
        if (rc < 0)
            return rc;
        note_changes(c, wl);
    }
}

/* The calibration wizard's frame when it is open: 1 it drew (the live
 * view waits), 0 it is closed, -1 error (err set); *quit on window close. */
static int wizard_turn(struct winloop *wl, struct rs_conn *c, struct rs_session *s,
                       const struct rs_run_opts *o, bool *quit, char *err, size_t errcap)
{
    struct calui *cu = &wl->cu;
    if (!cu->lc || !cu->lc->open)
        return 0;
    rs_livecal_step(cu->lc, c, s);
    if (calui_frame(cu, wl->win, o, quit, err, errcap) != 0)
        return -1;
    rs_pace_done(&wl->pace, rs_conn_now(c), true);
    if (*quit || !cu->lc->open)
        return *quit ? 1 : 0;
    rs_session_take_cues(s); /* no cues over the wizard */
    return 1;
}

/* What the user asked for in the frame just drawn. 1: stop the loop. */
static int after_frame(struct winloop *wl, struct rs_conn *c, struct rs_session *s,
                       const struct rs_run_opts *o)
{
    const struct rs_ui_actions *act = &wl->act;
    if (act->bits & RS_UI_MARK)
        rs_session_mark(s, rs_conn_now(c), "");
    if ((act->bits & RS_UI_CALIBRATE) && wl->cu.lc) {
        open_wizard(wl->cu.lc, s, o);
        wl->cu.last_msg[0] = '\0';
        wl->cu.last_phase = (enum rs_calwiz_phase)-1;
        rs_pace_mark(&wl->pace);
    }
    if (act->bits & RS_UI_SCREENSHOT) {
        printf("screenshot: %s\n", act->screenshot);
        fflush(stdout);
        if (o->screenshot_after > 0)
            return 1;
    }
    return 0;
}

static int window_loop(struct winloop *wl, struct rs_conn *c, struct rs_session *s,
                       const struct rs_run_opts *o, char *err, size_t errcap, int *conn_rc)
{
    static struct rs_view view; /* large: not on the stack, filled every frame */
    rs_view_init(&view);
    while (!(wl->act.bits & RS_UI_QUIT)) {
        *conn_rc = wait_for_frame(c, o, wl);
        if (*conn_rc < 0 || should_stop(c, o))
            return 0;
        bool quit = false;
        int wz = wizard_turn(wl, c, s, o, &quit, err, errcap);
        if (wz < 0)
            return -1;
        if (quit)
            return 0;
        if (wz > 0)
            continue;
        unsigned cues = rs_session_take_cues(s);
        if (cues && !wl->act.muted)
            rs_window_cues(wl->win, cues);
        rs_session_view(s, rs_conn_now(c), &view);
        if (++wl->frame == o->screenshot_after)
            press(SDLK_s);
        if (rs_window_frame(wl->win, &view, &wl->act) != 0) {
            snprintf(err, errcap, "drawing failed: %s", SDL_GetError());
            return -1;
        }
        rs_pace_done(&wl->pace, rs_conn_now(c), wl->act.shown);
        if (o->presented)
            o->presented(o->presented_ctx, wl->act.shown);
        if (after_frame(wl, c, s, o))
            return 0;
    }
    return 0;
}

static int run_window(struct rs_conn *c, struct rs_session *s, const struct rs_run_opts *o,
                      char *err, size_t errcap, int *conn_rc)
{
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, errcap, "cannot start SDL: %s", SDL_GetError());
        return -1;
    }
    static struct winloop wl;
    memset(&wl, 0, sizeof wl);
    struct rs_window_config wc = o->wcfg;
    wc.derive_cues = false; /* cues come from the pipeline's events */
    if (rs_window_open(&wl.win, &wc, err, errcap) != 0) {
        SDL_Quit();
        return -1;
    }
    fprintf(stderr, "rollsense: %s: drawing with the %s\n", o->who, rs_window_renderer(wl.win));
    if (rs_window_audio_error(wl.win))
        fprintf(stderr, "rollsense: %s: running silent (%s)\n", o->who, rs_window_audio_error(wl.win));
    rs_pace_init(&wl.pace, rs_window_has_vsync(wl.win) ? 0 : 1.0 / 60.0, 1.0);
    wl.state = rs_conn_state(c);
    /* The wizard's state is large (its measurement windows): on the heap,
     * and only with an observer slot free for it. */
    wl.cu.last_phase = (enum rs_calwiz_phase)-1;
    wl.cu.lc = malloc(sizeof *wl.cu.lc);
    if (wl.cu.lc) {
        rs_livecal_init(wl.cu.lc, o->cal_persist);
        if (rs_livecal_attach(wl.cu.lc, s) != 0) {
            free(wl.cu.lc);
            wl.cu.lc = NULL;
        }
    }
    int rc = window_loop(&wl, c, s, o, err, errcap, conn_rc);
    rs_calscreen_destroy(wl.cu.cs);
    if (wl.cu.lc)
        rs_session_unobserve(s, wl.cu.lc);
    free(wl.cu.lc);
    rs_window_close(wl.win);
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
