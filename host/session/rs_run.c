/* rs_run.c - drive a session headless or with the window (see rs_run.h). */
#include "rs_run.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_calscreen.h"
#include "rs_defaults.h"
#include "rs_endscreen.h"
#include "rs_endsum.h"
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

static bool stop_requested(const struct rs_run_opts *o, double now)
{
    if (o->stop && *o->stop)
        return true;
    if (o->done && o->done(o->done_ctx))
        return true;
    return o->duration_s >= 0 && now >= o->duration_s;
}

static bool should_stop(struct rs_conn *c, const struct rs_run_opts *o)
{
    return stop_requested(o, rs_conn_now(c));
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
    unsigned keys = rs_calscreen_poll_keys(quit);
    /* y: a first tare, the user confirms an empty roller */
    bool enter = keys & RS_CSK_ENTER, esc = *quit || (keys & RS_CSK_STOP),
         empty = keys & RS_CSK_EMPTY;
    enum rs_calwiz_phase ph = lc->wz.phase;
    if (ph == RS_CW_DONE || ph == RS_CW_FAILED) {
        if (enter || esc)
            rs_livecal_close(lc);
    } else if (esc) {
        rs_calwiz_cancel(&lc->wz);
        calui_report(cu, o->who);
        rs_livecal_close(lc);
    } else if (empty && ph == RS_CW_CONFIRM) {
        rs_calwiz_confirm_empty(&lc->wz);
    } else if (enter && (ph == RS_CW_PROMPT || ph == RS_CW_REFUSED || ph == RS_CW_TRACK ||
                         ph == RS_CW_CONFIRM)) {
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

/* The window, the wizard over it (live and demo only) and the input. */
struct loop {
    struct rs_session *s;
    const struct rs_run_input *in;
    struct rs_conn *conn;          /* NULL: no wizard, no marks (replay) */
    const struct rs_run_opts *o;
    struct rs_window *win;
    struct calui cu;
    struct rs_ui_actions act;
    struct rs_pace pace;
    int frame;
    double drawn_at;
    /* What the loop did, for RS_LOOP_STATS (loop_stats): input waits that
     * returned, frames drawn, frames presented. Counts, not times, so a
     * test can check idleness whatever the machine's speed or load. */
    unsigned long wakes, drawn, shown;
    /* The end of the session: its holds (an observer), the last view, and
     * whether the loop ended in a way that shows the summary screen. */
    struct rs_endsum_log *holds;
    char why[512];                /* the connection's last reason for no samples */
    bool observing;
    struct rs_view *view;
    bool show_end;
    /* Called once after the loop, before the summary (rs_run: finish the
     * connection and the session, so a running hold is ended and counted). */
    void (*finish)(void *ctx);
    void *finish_ctx;
};

struct rs_run_why_rule {
    const char *has;     /* in the connection's text */
    const char *title;   /* banner words */
    const char *detail;  /* what to do; NULL: the connection's text itself */
};

/* Most specific first: a busy port's text also names the port. */
static const struct rs_run_why_rule why_rules[] = {
    { "permission denied", "NO PERMISSION FOR THE PORT",
      "permission denied: install hw/udev/70-rollsense.rules, then replug (docs/packaging.md)" },
    { "in use", "PORT IN USE", NULL },
    { "no such port", "PORT NOT FOUND", NULL },
    { "several rollers", "SEVERAL ROLLERS", "several rollers: pick one with --device SERIAL" },
    { "no roller with serial", "ROLLER NOT FOUND", NULL },
    { "no roller found", "NO ROLLER FOUND", "no roller found: is it plugged in? (or --port PATH)" },
};

void rs_run_link_why(const char *text, char *title, size_t tcap, char *detail, size_t dcap)
{
    title[0] = detail[0] = '\0';
    if (!text || !text[0])
        return;
    for (size_t i = 0; i < sizeof why_rules / sizeof why_rules[0]; i++)
        if (strstr(text, why_rules[i].has)) {
            snprintf(title, tcap, "%s", why_rules[i].title);
            snprintf(detail, dcap, "%s", why_rules[i].detail ? why_rules[i].detail : text);
            return;
        }
    snprintf(title, tcap, "NO ROLLER CONNECTED");
    snprintf(detail, dcap, "%s", text);
}

/* The loop's observer: hold_end events for the summary, and why the
 * roller is not there (the connection's notices and state reasons). */
static void loop_obs_event(void *ctx, const struct rs_event *ev)
{
    struct loop *L = ctx;
    if (L->holds)
        rs_endsum_log_event(L->holds, ev);
}

bool rs_run_why_event(char *why, size_t cap, const struct rs_conn_event *ev)
{
    if (ev->type == RS_CONN_EV_STATE && ev->state == RS_CONN_STREAMING) {
        why[0] = '\0';
        return false;
    }
    if ((ev->type != RS_CONN_EV_NOTICE && ev->type != RS_CONN_EV_STATE) || !ev->reason ||
        !ev->reason[0] || strcmp(ev->reason, why) == 0)
        return false;
    snprintf(why, cap, "%s", ev->reason);
    return true;
}

void rs_run_link_view(const char *why, struct rs_view *v)
{
    if (v->link == RS_VLINK_CONNECTED)
        return;
    rs_run_link_why(why, v->link_title, sizeof v->link_title, v->link_detail,
                    sizeof v->link_detail);
}

static void loop_obs_conn(void *ctx, const struct rs_conn_event *ev)
{
    struct loop *L = ctx;
    /* the window may be far from the terminal, but a terminal user asks too */
    if (rs_run_why_event(L->why, sizeof L->why, ev))
        fprintf(stderr, "rollsense: %s: not connected: %s\n", L->o->who, L->why);
}

/* Why the roller is not there, onto the view (live and demo only). */
static void loop_link_why(const struct loop *L, struct rs_view *v)
{
    if (L->conn)
        rs_run_link_view(L->why, v);
}

static int loop_open(struct loop *L, char *err, size_t errcap)
{
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        snprintf(err, errcap, "cannot start SDL: %s", SDL_GetError());
        return -1;
    }
    struct rs_window_config wc = L->o->wcfg;
    /* cues come from the pipeline's events (a scripted view has none) */
    wc.derive_cues = L->in->derive_cues;
    if (rs_window_open(&L->win, &wc, err, errcap) != 0) {
        SDL_Quit();
        return -1;
    }
    fprintf(stderr, "rollsense: %s: drawing with the %s\n", L->o->who, rs_window_renderer(L->win));
    if (rs_window_audio_error(L->win))
        fprintf(stderr, "rollsense: %s: running silent (%s)\n", L->o->who,
                rs_window_audio_error(L->win));
    else if (rs_window_voice_error(L->win))
        fprintf(stderr, "rollsense: %s: tones only (%s)\n", L->o->who,
                rs_window_voice_error(L->win));
    rs_pace_init(&L->pace, rs_window_has_vsync(L->win) ? 0 : 1.0 / 60.0, 1.0);
    /* The wizard's state is large (its measurement windows): on the heap,
     * and only with an observer slot free for it. */
    L->cu.last_phase = (enum rs_calwiz_phase)-1;
    /* The holds for the summary screen and why no roller is there; without
     * a free observer slot the screen lists counts only. */
    L->holds = L->in->end_screen ? malloc(sizeof *L->holds) : NULL;
    if (L->holds)
        rs_endsum_log_init(L->holds);
    struct rs_session_observer ob = { .ctx = L, .event = loop_obs_event,
                                      .conn_event = loop_obs_conn };
    L->observing = rs_session_observe(L->s, &ob) == 0;
    L->cu.lc = L->conn ? malloc(sizeof *L->cu.lc) : NULL;
    if (L->cu.lc) {
        rs_livecal_init(L->cu.lc, L->o->cal_persist);
        if (rs_livecal_attach(L->cu.lc, L->s) != 0) {
            free(L->cu.lc);
            L->cu.lc = NULL;
        }
    }
    return 0;
}

/* With RS_LOOP_STATS set in the environment: one line on stderr with the
 * loop's counts and the session time they cover (tests/e2e/window_wait_cpu.sh
 * checks that a waiting window neither spins nor redraws). */
static void loop_stats(const struct loop *L)
{
    const char *e = getenv("RS_LOOP_STATS");
    if (!e || !e[0])
        return;
    fprintf(stderr, "rollsense: %s: loop: %lu wake-ups, %lu frames drawn, %lu presented in %.3f s\n",
            L->o->who, L->wakes, L->drawn, L->shown, L->in->now(L->in->ctx));
}

static void loop_close(struct loop *L)
{
    loop_stats(L);
    rs_calscreen_destroy(L->cu.cs);
    if (L->cu.lc)
        rs_session_unobserve(L->s, L->cu.lc);
    free(L->cu.lc);
    if (L->observing)
        rs_session_unobserve(L->s, L);
    free(L->holds);
    rs_window_close(L->win);
    SDL_Quit();
}

/* The wizard's frame while it is open. 1: it drew (or the window closed:
 * *quit), 0: not open, -1: its screen failed. */
static int loop_wizard(struct loop *L, bool *quit, char *err, size_t errcap)
{
    if (!L->cu.lc || !L->cu.lc->open)
        return 0;
    rs_livecal_step(L->cu.lc, L->conn, L->s);
    if (calui_frame(&L->cu, L->win, L->o, quit, err, errcap) != 0)
        return -1;
    if (*quit || L->cu.lc->open) {
        rs_session_take_cues(L->s); /* no cues over the wizard */
        return 1;
    }
    return 0;
}

/* Waiting for a roller, nothing on screen changes: redraw only on input,
 * when the link changes, or every 10 s, so the wait costs well under 1 % of
 * a core (a software redraw is a few ms) while keys still answer at once. */
static bool loop_skip_draw(struct loop *L, enum rs_view_link was, const struct rs_view *v,
                           double now)
{
    if (L->conn && v->link == RS_VLINK_DISCONNECTED && L->frame > 0 && was == v->link &&
        now - L->drawn_at < 10.0 && L->o->frame_step_s <= 0 && !rs_window_needs_frame(L->win)) {
        SDL_PumpEvents();
        if (!SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT))
            return true;
    }
    L->drawn_at = now;
    return false;
}

/* The cues and the routine's spoken phrases due since the last frame. */
static void loop_sound(struct loop *L)
{
    unsigned cues = rs_session_take_cues(L->s);
    if (cues && !L->act.muted)
        rs_window_cues(L->win, cues);
    int ph[8];
    int n = rs_session_take_phrases(L->s, ph, 8);
    for (int i = 0; i < n && !L->act.muted; i++)
        rs_window_say(L->win, (enum rs_phrase)ph[i]);
}

/* What the keys of the last frame asked for. 1: stop after a screenshot. */
static int loop_keys(struct loop *L)
{
    const struct rs_ui_actions *a = &L->act;
    /* In a routine space goes on (rs_session_routine_go) and n skips. */
    if (L->conn && (a->bits & RS_UI_MARK) && !rs_session_routine_go(L->s))
        rs_session_mark(L->s, L->in->now(L->in->ctx), "");
    if (L->conn && (a->bits & RS_UI_SKIP))
        rs_session_routine_skip(L->s);
    if (L->cu.lc && (a->bits & RS_UI_CALIBRATE)) {
        open_wizard(L->cu.lc, L->s, L->o);
        L->cu.last_msg[0] = '\0';
        L->cu.last_phase = (enum rs_calwiz_phase)-1;
        rs_pace_mark(&L->pace);
    }
    if (L->in->keys)
        L->in->keys(L->in->ctx, a);
    if (a->bits & RS_UI_SCREENSHOT) {
        printf("screenshot: %s\n", a->screenshot);
        if (L->o->screenshot_after > 0 && L->in->shot)
            L->in->shot(L->in->ctx);
        fflush(stdout);
        if (L->o->screenshot_after > 0)
            return 1;
    }
    return 0;
}

/*
 * Feed the session until a frame is due (rs_pace.h): at once when
 * something visible changed (a sample, a link change, a key) and a display
 * period has passed since the last present, waiting for data meanwhile;
 * never a fixed sleep before drawing. While no roller is there the
 * check-ups are rare (every 10 s), so waiting stays well under 1 % of a
 * core while keys answer within a connection step. Inputs without a wait
 * hook (replay) and emulated time advance by one frame step per frame.
 */
static int loop_feed(struct loop *L, bool idle)
{
    const struct rs_run_opts *o = L->o;
    const struct rs_run_input *in = L->in;
    if (o->frame_step_s > 0 || !in->wait) {
        if (o->frame_step_s <= 0)
            rs_window_pace(L->win);
        rs_pace_mark(&L->pace);
        return in->advance(in->ctx, o->frame_step_s > 0 ? o->frame_step_s : 1.0 / 60.0);
    }
    for (;;) {
        double now = in->now(in->ctx);
        if (stop_requested(o, now))
            return 0;
        L->pace.refresh_s = idle ? 10.0 : 1.0;
        int ms = rs_pace_wait_ms(&L->pace, now, idle ? 250 : 100);
        if (ms == 0)
            return 0;
        if (o->duration_s >= 0 && (o->duration_s - now) * 1000.0 + 1 < ms)
            ms = (int)((o->duration_s - now) * 1000.0) + 1;
        int rc = in->wait(in->ctx, ms);
        L->wakes++;
        if (rc < 0)
            return rc;
        /* A change (new data now or before) draws a frame within a
         * display period, and the frame reads the events; only a wait with
         * no frame coming looks for them here, so keys still answer at
         * once while idle. Under X11 every look is two or three syscalls:
         * looking after each wake (80 samples a second and the ticks) was
         * a third of the process's calls to the X server. */
        if (rc == 0 && !L->pace.dirty)
            SDL_PumpEvents();
        if (rc > 0 || SDL_HasEvents(SDL_FIRSTEVENT, SDL_LASTEVENT) || (L->cu.lc && L->cu.lc->open))
            rs_pace_mark(&L->pace);
    }
}

/* Draw the session's view (only what changed: rs_window_frame) and tell
 * the pacing and any observer whether it was presented. */
static int loop_draw(struct loop *L, const struct rs_view *view, char *err, size_t errcap)
{
    const struct rs_run_opts *o = L->o;
    if (++L->frame == o->screenshot_after) {
        /* the first-run safety note eats the first key: dismiss it first */
        if (L->in->shot_without_note && rs_window_safety_note_shown(L->win))
            press(SDLK_F13);
        press(SDLK_s);
    }
    if (rs_window_frame(L->win, view, &L->act) != 0) {
        snprintf(err, errcap, "drawing failed: %s", SDL_GetError());
        return -1;
    }
    rs_pace_done(&L->pace, L->in->now(L->in->ctx), L->act.shown);
    L->drawn++;
    L->shown += L->act.shown;
    if (o->presented)
        o->presented(o->presented_ctx, L->act.shown);
    return 0;
}

/*
 * One loop for every session with a window: feed the session from the
 * input until a frame is due (loop_feed), the wizard or the session's
 * view, the keys. Returns 0, or -1 with err set; *in_rc gets the input's
 * last result.
 */
static int loop_run(struct loop *L, char *err, size_t errcap, int *in_rc)
{
    static struct rs_view view; /* large: not on the stack, filled every frame */
    rs_view_init(&view);
    L->view = &view;
    const struct rs_run_opts *o = L->o;
    L->show_end = L->in->end_screen;
    /* One connection step before the first frame, whatever the duration:
     * the first picture already says whether (and why not) a roller is there. */
    int first = L->conn && L->in->wait ? L->in->wait(L->in->ctx, 0) : 0;
    if (first < 0) {
        *in_rc = first;
        L->show_end = false;
        return 0;
    }
    while (!(L->act.bits & RS_UI_QUIT)) {
        *in_rc = loop_feed(L, L->conn && view.link == RS_VLINK_DISCONNECTED && L->frame > 0);
        if (*in_rc < 0) {
            L->show_end = false;
            break;
        }
        if (stop_requested(o, L->in->now(L->in->ctx)) || (L->in->ended && L->in->ended(L->in->ctx)))
            break;
        bool quit = false;
        int wz = loop_wizard(L, &quit, err, errcap);
        if (wz < 0)
            return -1;
        if (quit)
            break;
        if (wz > 0) {
            rs_pace_done(&L->pace, L->in->now(L->in->ctx), true);
            continue;
        }
        loop_sound(L);
        enum rs_view_link was_link = view.link;
        double now = L->in->now(L->in->ctx);
        rs_session_view(L->s, now, &view);
        if (L->in->decorate)
            L->in->decorate(L->in->ctx, &view);
        loop_link_why(L, &view);
        if (!L->in->wait && loop_skip_draw(L, was_link, &view, now))
            continue;
        if (loop_draw(L, &view, err, errcap) != 0)
            return -1;
        if (loop_keys(L)) {
            L->show_end = false; /* --screenshot-after: the shot was the point */
            break;
        }
    }
    return 0;
}

bool rs_run_end_waits(const char *video_driver, bool signalled)
{
    if (signalled)
        return false;
    return !video_driver || (strcmp(video_driver, "offscreen") != 0 && strcmp(video_driver, "dummy") != 0);
}

/* Wait for a key, a click, the window's close or a signal, calling
 * draw(ctx) again on window events (exposed, resized); not at all when
 * nobody can answer (rs_run_end_waits). */
static void wait_key(struct loop *L, void (*draw)(void *ctx), void *ctx)
{
    volatile sig_atomic_t *stop = L->o->stop;
    if (!rs_run_end_waits(SDL_GetCurrentVideoDriver(), stop && *stop))
        return;
    while (!(stop && *stop)) {
        SDL_Event e;
        if (!SDL_WaitEventTimeout(&e, 200))
            continue;
        if (e.type == SDL_QUIT || e.type == SDL_MOUSEBUTTONDOWN ||
            (e.type == SDL_KEYDOWN && !e.key.repeat))
            break;
        if (e.type == SDL_WINDOWEVENT)
            draw(ctx);
    }
}

struct end_draw {
    struct loop *L;
    struct rs_endscreen *es;
    const struct rs_endview *ev;
};

static void end_draw(void *ctx)
{
    struct end_draw *d = ctx;
    SDL_Renderer *ren = SDL_GetRenderer(rs_window_sdl(d->L->win));
    int pw = 0, ph = 0, lw = 0, lh = 0;
    SDL_GetRendererOutputSize(ren, &pw, &ph);
    SDL_GetWindowSize(rs_window_sdl(d->L->win), &lw, &lh);
    rs_endscreen_draw(d->es, d->ev, pw, ph, lw > 0 ? (float)pw / (float)lw : 1.0f);
    SDL_RenderPresent(ren);
}

/* The summary screen until a key (wait_key). */
static void end_screen(struct loop *L, const struct rs_endview *ev)
{
    SDL_Renderer *ren = SDL_GetRenderer(rs_window_sdl(L->win));
    char font[512], err[320];
    struct end_draw d = { L, NULL, ev };
    if (!ren || rs_font_find(font, sizeof font, NULL) != 0 ||
        rs_endscreen_create(&d.es, ren, font, err, sizeof err) != 0)
        return;
    end_draw(&d);
    wait_key(L, end_draw, &d);
    rs_endscreen_destroy(d.es);
}

static void fatal_draw(void *ctx)
{
    struct loop *L = ctx;
    rs_window_frame(L->win, L->view, &L->act);
}

/*
 * A fatal connection error with the window open (permission denied, port
 * in use, several rollers): the window shows why and what to do (banner
 * and status bar) until a key, instead of vanishing; stderr has the line.
 */
static void loop_fatal(struct loop *L)
{
    snprintf(L->why, sizeof L->why, "%s", rs_conn_message(L->conn));
    rs_session_view(L->s, L->in->now(L->in->ctx), L->view);
    L->view->link = RS_VLINK_DISCONNECTED;
    loop_link_why(L, L->view);
    fatal_draw(L);
    wait_key(L, fatal_draw, L);
}

/* The end of a session with a window: the summary as data (rs_endsum.h),
 * its lines on the terminal (stderr when stdout carries JSON), the screen. */
static void loop_end(struct loop *L)
{
    const struct rs_run_opts *o = L->o;
    double now = L->in->now(L->in->ctx);
    rs_session_view(L->s, now, L->view);
    struct rs_summary sum;
    rs_session_summary(L->s, &sum);
    if (sum.frames == 0) { /* the roller never sent: nothing to sum up */
        fprintf(o->json ? stderr : stdout, "%s: no data from a roller in this session\n", o->who);
        return;
    }
    static struct rs_endview ev; /* holds a whole view: not on the stack */
    struct rs_endsum_in in = { .log = L->holds, .sum = &sum, .live = rs_session_live(L->s),
                               .view = L->view, .duration_s = now, .file = o->session_file,
                               .past = o->past_holds, .npast = o->npast_holds,
                               .past_sessions = o->past_sessions };
    rs_endsum_make(&in, &ev);
    char text[2048];
    FILE *out = o->json ? stderr : stdout;
    fputs(rs_endsum_text(&ev, o->who, text, sizeof text), out);
    fflush(out);
    end_screen(L, &ev);
}

/* The connection and the session, finished once after the loop (rs_run). */
struct finish_ctx {
    struct rs_conn *c;
    struct rs_session *s;
};

static void finish(struct rs_conn *c, struct rs_session *s)
{
    rs_conn_finish(c);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    rs_session_finish(s, &st, rs_conn_now(c));
}

static void finish_conn(void *ctx)
{
    struct finish_ctx *f = ctx;
    finish(f->c, f->s);
}

static int run_input(struct rs_session *s, const struct rs_run_input *in, struct rs_conn *conn,
                     const struct rs_run_opts *o, char *err, size_t errcap, int *in_rc)
{
    struct loop L = { .s = s, .in = in, .conn = conn, .o = o };
    struct finish_ctx fc = { conn, s };
    if (conn) {
        L.finish = finish_conn;
        L.finish_ctx = &fc;
    }
    if (loop_open(&L, err, errcap) != 0)
        return -1;
    int rc = loop_run(&L, err, errcap, in_rc);
    if (L.finish)
        L.finish(L.finish_ctx);
    if (rc == 0 && L.show_end)
        loop_end(&L);
    else if (rc == 0 && *in_rc < 0 && conn)
        loop_fatal(&L);
    loop_close(&L);
    return rc;
}

int rs_run_window(struct rs_session *s, const struct rs_run_input *in, const struct rs_run_opts *o,
                  char *err, size_t errcap)
{
    int in_rc = 0;
    err[0] = '\0';
    int rc = run_input(s, in, NULL, o, err, errcap, &in_rc);
    if (rc == 0 && in_rc < 0 && !err[0])
        snprintf(err, errcap, "input failed");
    return rc < 0 || in_rc < 0 ? -1 : 0;
}

/* The connection as the loop's input. */
struct conn_input {
    struct rs_conn *c;
    const struct rs_run_opts *o;
    uint64_t seen_frames;     /* sample frames delivered when last looked */
    enum rs_conn_state state; /* connection state when last looked */
};

/* One connection step of at most max_ms: 1 when a sample arrived or the
 * link changed (what can change the picture), 0 when not, or fatal. */
static int conn_wait(void *ctx, int max_ms)
{
    struct conn_input *ci = ctx;
    int rc = rs_conn_step(ci->c, max_ms);
    if (ci->o->tick)
        ci->o->tick(ci->o->tick_ctx);
    if (rc < 0)
        return rc;
    struct rs_conn_stats st;
    rs_conn_get_stats(ci->c, &st);
    enum rs_conn_state state = rs_conn_state(ci->c);
    bool changed = st.frames != ci->seen_frames || state != ci->state;
    ci->seen_frames = st.frames;
    ci->state = state;
    return changed;
}

static int conn_advance(void *ctx, double dt_s)
{
    struct conn_input *ci = ctx;
    return step_until(ci->c, ci->o, rs_conn_now(ci->c) + dt_s);
}

static double conn_now(void *ctx)
{
    return rs_conn_now(((struct conn_input *)ctx)->c);
}

static int run_window(struct rs_conn *c, struct rs_session *s, const struct rs_run_opts *o,
                      char *err, size_t errcap, int *conn_rc)
{
    struct conn_input ci = { c, o, 0, rs_conn_state(c) };
    struct rs_run_input in = { .ctx = &ci, .advance = conn_advance, .wait = conn_wait,
                               .now = conn_now, .end_screen = true };
    return run_input(s, &in, c, o, err, errcap, conn_rc);
}

int rs_run(struct rs_conn *c, struct rs_session *s, const struct rs_run_opts *o, char *err,
           size_t errcap)
{
    int conn_rc = 0, rc = 0;
    err[0] = '\0';
    if (o->window) {
        rc = run_window(c, s, o, err, errcap, &conn_rc); /* finishes before its summary */
    } else {
        conn_rc = run_headless(c, o);
        finish(c, s);
    }
    if (conn_rc < 0) {
        snprintf(err, errcap, "%s", rs_conn_message(c));
        return -1;
    }
    return rc;
}
