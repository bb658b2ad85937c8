/*
 * rs_layout.h - where each panel of the window goes, as a pure function of
 * the output size in pixels, the HiDPI scale and the mode.
 *
 * The layout is proportional (fractions of the output), so the same
 * arrangement serves 800x480 up to 4K; the scale (drawable pixels per
 * logical point) only sets lower bounds for padding and line widths. Text
 * sizes follow from the panel sizes in the renderer. No SDL types here, so
 * the layout is unit-testable without a display.
 */
#ifndef RS_LAYOUT_H
#define RS_LAYOUT_H

#include <stdbool.h>

struct rs_rect {
    int x, y, w, h;
};

enum rs_panel {
    RS_P_STATUS,   /* top bar: link, sensor, loss, mode, recording, mute */
    RS_P_ALERT,    /* banner: slow down, knee zone, too hard, not calibrated */
    RS_P_FORCE,    /* total force numerals, %BW, band, per-side bars */
    RS_P_HOLD,     /* hold ring with the seconds */
    RS_P_SPEED,    /* speed numerals and gauge */
    RS_P_LEG,      /* which leg, position along the calf, knee zone */
    RS_P_CHARTS,   /* strip charts of force and speed, last 30 s */
    RS_P_MAP,      /* calf maps per leg, counters, dose advice */
    RS_P_TIMELINE, /* replay only: timeline and transport */
    RS_P_COUNT
};

struct rs_layout {
    int w, h;      /* output size, pixels */
    float scale;   /* pixels per logical point (1 normal, 2 HiDPI) */
    int pad;       /* gap between and inside panels */
    int line;      /* stroke width for outlines and chart lines */
    struct rs_rect panel[RS_P_COUNT]; /* RS_P_TIMELINE is 0x0 unless replay */
};

/* Smallest output the layout is designed for; smaller still renders, but
 * text may be dropped. */
enum { RS_LAYOUT_MIN_W = 800, RS_LAYOUT_MIN_H = 480 };

void rs_layout_compute(struct rs_layout *l, int w, int h, float scale, bool replay);

/* Shrink a rectangle by d on every side (never below 0x0). */
struct rs_rect rs_rect_inset(struct rs_rect r, int d);
/* True when inner lies entirely inside outer. */
bool rs_rect_contains(struct rs_rect outer, struct rs_rect inner);
/* True when a and b share at least one pixel. */
bool rs_rect_overlaps(struct rs_rect a, struct rs_rect b);
/* The band of p from fraction y0 to y1 of its height (rows), or from x0
 * to x1 of its width (columns), edges rounded to whole pixels. */
struct rs_rect rs_rect_rows(struct rs_rect p, float y0, float y1);
struct rs_rect rs_rect_cols(struct rs_rect p, float x0, float x1);

#endif
