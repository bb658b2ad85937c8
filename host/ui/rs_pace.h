/*
 * rs_pace.h - when the window draws.
 *
 * A frame is drawn as soon as something visible may have changed (a sample
 * arrived, an input event, a link change, or the periodic refresh that
 * keeps clocks on screen honest), but never sooner than one display period
 * after the last present (no vsync: at most 60 frames per second), and not
 * at all while nothing changes. There is never a fixed sleep before
 * drawing: the caller waits for its data with the timeout this module
 * gives and draws the moment it says 0.
 *
 * Pure: the caller passes its clock (seconds, any origin), so tests drive
 * it with an emulated clock and no sleeps.
 */
#ifndef RS_PACE_H
#define RS_PACE_H

#include <stdbool.h>

struct rs_pace {
    double period_s;  /* shortest time between presents; 0: vsync paces */
    double refresh_s; /* draw at least this often even without a change */
    double next_s;    /* earliest time of the next present */
    double drawn_s;   /* time of the last present (or skipped draw) */
    bool dirty;       /* something visible may have changed since */
    bool started;     /* a first frame was drawn */
};

/* 60 frames per second without vsync is period_s = 1.0 / 60. */
void rs_pace_init(struct rs_pace *p, double period_s, double refresh_s);

/* Something visible may have changed: draw when the period allows. */
void rs_pace_mark(struct rs_pace *p);

/*
 * How long to wait for data before asking again, in whole milliseconds,
 * never more than idle_ms; 0 means draw now. Before the first frame it is
 * always 0.
 */
int rs_pace_wait_ms(struct rs_pace *p, double now_s, int idle_ms);

/* A frame was handled at now_s: presented (starts a new period) or found
 * unchanged (nothing shown, the period stays as it was). */
void rs_pace_done(struct rs_pace *p, double now_s, bool presented);

#endif
