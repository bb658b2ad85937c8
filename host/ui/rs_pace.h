/*
 * rs_pace.h - when the window draws.
 *
 * A frame is drawn when something visible may have changed (a sample
 * arrived, an input event, a link change, or the periodic refresh that
 * keeps clocks on screen honest), and not at all while nothing changes.
 * Without vsync the presents keep to a fixed grid of display periods
 * (1/60 s): while changes keep coming, a frame is due at every tick of the
 * grid, showing the latest state, so a late wake-up or the time a frame
 * takes to draw does not push the next one back (an 80 Hz stream gives 60
 * presents a second, not one per period-plus-drawing-time). A change that
 * comes after a tick with nothing to draw (the window was idle) is drawn
 * at once and starts a new grid there, so an occasional key or sample is
 * not held back. There is never a fixed sleep before drawing: the caller
 * waits for its data with the timeout this module gives and draws the
 * moment it says 0.
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
    double next_s;    /* the next tick of the grid: earliest next present */
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

/* A frame was handled at now_s: presented (the next tick is the grid's
 * next one after the tick it was drawn for, or one period after now_s when
 * it was drawn a whole period or more late, or before the grid's tick) or
 * found unchanged (nothing shown, the grid stays as it was). */
void rs_pace_done(struct rs_pace *p, double now_s, bool presented);

#endif
