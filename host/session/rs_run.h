/*
 * rs_run.h - the loop that drives one session: connection steps, and either
 * nothing else (headless) or a window frame whenever a sample (or a key, or
 * a link change) may have changed what is visible, at most one per display
 * period (rs_pace.h). The one window loop of the program: `rollsense live`
 * and `demo` (rs_run), `replay` and `view-test` (rs_run_window with their
 * input), so all behave the same.
 *
 * Never spins: every wait is inside rs_conn_step (poll or the byte source's
 * sleep) or the window's frame pacing.
 */
#ifndef RS_RUN_H
#define RS_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs_conn.h"
#include "rs_session.h"
#include "rs_window.h"

struct rs_spot_hold; /* rs_spots.h */

/* What key c opens. AUTO: tare and span with cal_mass_kg > 0, else tare. */
enum rs_run_cal_step {
    RS_RUN_CAL_AUTO, RS_RUN_CAL_TARE, RS_RUN_CAL_SPAN, RS_RUN_CAL_ENCODER, RS_RUN_CAL_CALF,
};

struct rs_run_opts {
    bool window;                        /* open the feedback window */
    struct rs_window_config wcfg;       /* when window */
    double duration_s;                  /* stop at this session time; < 0: never */
    volatile sig_atomic_t *stop;        /* set by a signal handler; may be NULL */
    /* End of input (demo --fast after one pass); may be NULL. */
    bool (*done)(void *ctx);
    void *done_ctx;
    /* Emulated time with a window: advance the session clock by this much per
     * frame instead of waiting for real time (0: real time). */
    double frame_step_s;
    /* Take a PNG screenshot (the window's `s` key) before frame N, print
     * "screenshot: PATH" and stop (0: never). For smoke tests and docs. */
    int screenshot_after;
    const char *who;                    /* "live", "demo" or "replay", for messages */
    /* Called after every connection step (the recorder's commit clock); may be NULL. */
    void (*tick)(void *ctx);
    void *tick_ctx;
    /* Called after every live-view frame the loop handled, once
     * SDL_RenderPresent has returned (shown) or when the frame turned out
     * to show nothing new (!shown); for benchmarks; may be NULL. */
    void (*presented)(void *ctx, bool shown);
    void *presented_ctx;
    /* The calibration wizard over the window (key c; rs_livecal.h): which
     * one (enum rs_run_cal_step), the reference mass for the span, seconds
     * per load measurement (0: 2 s), turns (0: 3) and a measured distance
     * (0: none) for the encoder check, and whether results go to the
     * host's files (live: yes; demo: its roller and person are pretend, so
     * no). */
    int cal_step;
    double cal_mass_kg;
    double cal_window_s;
    double cal_turns, cal_distance_m;
    bool cal_persist;
    /* The end: the session file's name for the summary (NULL: not
     * recorded), and whether stdout carries JSON lines (then the summary's
     * lines go to stderr). */
    const char *session_file;
    bool json;
    /* Holds of the sessions before this one, for the summary's spot that
     * keeps coming back (rs_endsum_in.past); NULL: none looked for. */
    const struct rs_spot_hold *past_holds;
    size_t npast_holds;
    int past_sessions;
};

/*
 * With a window, key c opens the calibration wizard over the live view: it
 * is fed by the session's samples, Enter or Space measures, Esc or q
 * cancels, and the solved block is saved on the roller through the
 * session's connection and used from the next sample (rs_livecal.h). The
 * session and any recording go on meanwhile.
 *
 * Run until the duration, a stop signal, done(), q/Esc or a fatal
 * connection error; then finish the connection and write the summary line
 * (rs_session_finish). With a window the end then shows the summary
 * screen (rs_endscreen.h: holds per leg, time per calf, calf maps, advice,
 * the session file) until a key is pressed (rs_run_end_waits), and prints
 * the same in a few lines (rs_endsum_text) on stdout, or on stderr with
 * opts.json. Headless runs only write the JSON summary line. Returns 0, or
 * -1 with one line in err (a fatal connection error, or the window could
 * not open/draw).
 */
int rs_run(struct rs_conn *c, struct rs_session *s, const struct rs_run_opts *o, char *err,
           size_t errcap);

/*
 * What the window loop feeds the session from: the connection (rs_run:
 * live, demo), a session file (replay: host/replay's rs_replay_window) or a
 * script of views (view-test: decorate replaces the view).
 * Hooks other than advance and now may be NULL.
 */
struct rs_run_input {
    void *ctx;
    /* Feed the session for one window frame of dt_s seconds (emulated time
     * when opts.frame_step_s > 0). 0, or negative on a fatal error. */
    int (*advance)(void *ctx, double dt_s);
    /* Real time only: wait at most max_ms for data and feed it to the
     * session; 1 when something that can show arrived (a sample, a link
     * change), 0 when not, negative on a fatal error. With it the window
     * draws as data arrives (rs_pace.h); without it (replay) the loop
     * advances by 1/60 s per frame. */
    int (*wait)(void *ctx, int max_ms);
    /* Session time now (status bar, marks, the duration). */
    double (*now)(void *ctx);
    /* What the input adds to the session's view (replay: the timeline). */
    void (*decorate)(void *ctx, struct rs_view *v);
    /* The keys that move the input (replay: pause, speed, seek, frame step). */
    void (*keys)(void *ctx, const struct rs_ui_actions *a);
    /* After the screenshot of opts.screenshot_after: a last line on stdout. */
    void (*shot)(void *ctx);
    /* Dismiss the first-run safety note before that screenshot. */
    bool shot_without_note;
    /* The window derives the cues from the views (scripted views, no events). */
    bool derive_cues;
    /* Show the summary screen at the end (live, demo, replay; not view-test):
     * after q/Esc, the window's close, a stop or ended(); not after an
     * input error or the screenshot of opts.screenshot_after. */
    bool end_screen;
    /* The input is over (replay: played to its end); may be NULL. */
    bool (*ended)(void *ctx);
};

/*
 * The window loop over any input, the one rs_run uses for the connection:
 * each frame the input feeds the session, then the session's view is drawn
 * and its cues sound. No calibration wizard and no marks (those need a
 * roller). Runs until q/Esc, a stop (opts: stop, done, duration) or an
 * error. 0, or -1 with one line in err.
 */
int rs_run_window(struct rs_session *s, const struct rs_run_input *in, const struct rs_run_opts *o,
                  char *err, size_t errcap);

/*
 * Why the roller is not there, from the connection's text (a notice, a
 * state's reason or the fatal message): the few banner words ("NO ROLLER
 * FOUND", "PORT NOT FOUND", "NO PERMISSION FOR THE PORT" with the udev
 * rule as the fix, "PORT IN USE", ...) and the detail for the status bar.
 * Both "" for no text. Pure.
 */
void rs_run_link_why(const char *text, char *title, size_t tcap, char *detail, size_t dcap);

/* Keep the connection's last reason for no samples in why (cap bytes)
 * from one of its events: a notice's or a state change's reason; cleared
 * when samples stream. True when why got a new text (to print once). */
bool rs_run_why_event(char *why, size_t cap, const struct rs_conn_event *ev);

/* That reason onto a view that is not connected (rs_run_link_why); a
 * connected view is left alone. */
void rs_run_link_view(const char *why, struct rs_view *v);

/*
 * Whether the summary screen waits for a key: not after a signal (SIGTERM,
 * SIGINT, SIGHUP: it is drawn and the program ends) and not on a video
 * driver nobody can see (offscreen, dummy: unattended runs and tests).
 */
bool rs_run_end_waits(const char *video_driver, bool signalled);

/*
 * True when a window can be shown: DISPLAY or WAYLAND_DISPLAY is set, or
 * SDL_VIDEODRIVER chooses a driver explicitly (e.g. offscreen for tests).
 */
bool rs_run_have_display(void);

#endif
