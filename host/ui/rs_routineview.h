/*
 * rs_routineview.h - the guided routine's panel in the live window.
 *
 * In a routine the lower row of the window (leg, charts and calf map)
 * becomes one panel, taller than the lower row usually is, that says what
 * to do now, large enough to read from 3 m: the step's title (the largest
 * text, e.g. STRETCH: KNEE STRAIGHT), its instruction in words, the step
 * number, the leg, a clock (what is left of the timed thing in progress,
 * or the countdown), the tender spots ticked off or the repetitions, and a
 * drawing of the position made of lines and discs (calf on the roller, the
 * wall stretch with the knee straight, with the knee bent; no image files).
 *
 * Three parts. The data (struct rs_view_routine, in rs_view.h). The
 * layout and the drawing's shapes: pure functions of rectangles, tested
 * without a window. The draw: a few calls through a table of primitives
 * that the renderer provides (so its hashing and damage tracking see every
 * operation).
 */
#ifndef RS_ROUTINEVIEW_H
#define RS_ROUTINEVIEW_H

#include <stdbool.h>

#include "rs_layout.h"
#include "rs_palette.h"
#include "rs_view.h"

/* The lower row (leg, charts, map) merged into panel[RS_P_CHARTS], taller
 * (the main row gives up a share of its height); RS_P_LEG and RS_P_MAP
 * become empty. Pure. */
void rs_routineview_merge(struct rs_layout *l);

struct rs_routineview_layout {
    struct rs_rect figure;      /* the drawing of the position */
    struct rs_rect header;      /* STEP 3 OF 8 · LEFT CALF */
    struct rs_rect title;       /* the step's name, largest text */
    struct rs_rect instruction; /* what to do, wrapped */
    struct rs_rect clock;       /* 0:27 */
    struct rs_rect marks;       /* spots ticked off / repetitions */
    int header_px, title_px, instruction_px, clock_px; /* largest font heights */
};

/* Where everything goes in the routine panel p. Pure. */
void rs_routineview_layout(struct rs_rect p, int pad, struct rs_routineview_layout *o);

/* The drawing: thick lines and discs in pixels. */
enum rs_rv_ink { RS_RVI_BODY, RS_RVI_LEG, RS_RVI_PROP };
struct rs_rv_shape {
    bool disc;            /* a disc at (x0, y0) of radius w; else a line of width w */
    float x0, y0, x1, y1, w;
    int ink;              /* enum rs_rv_ink: the body, the leg being treated, roller/wall/floor */
};
#define RS_RV_SHAPES 16

/* The drawing of kind's position inside box; returns how many shapes. Pure. */
int rs_routineview_figure(int kind, int phase, struct rs_rect box, struct rs_rv_shape *out,
                          int max);

/* The clock's text: "0:27" (m:ss, rounded up), "" when nothing is timed. */
void rs_routineview_clock(float remaining_s, char *buf, int cap);

/* The primitives the renderer lends for drawing (ctx: the renderer). */
struct rs_rv_draw {
    void *ctx;
    void (*fill)(void *ctx, struct rs_rect r, struct rs_rgb c);
    void (*triangle)(void *ctx, const float xy[6], struct rs_rgb c);
    void (*disc)(void *ctx, int cx, int cy, int rad, struct rs_rgb c);
    /* one line fitted into box at most max_px; align 0 left, 1 centre, 2 right */
    void (*text)(void *ctx, struct rs_rect box, int max_px, int align, struct rs_rgb c,
                 const char *s);
    /* word-wrapped, centred */
    void (*wrap)(void *ctx, struct rs_rect box, int max_px, struct rs_rgb c, const char *s);
};

/* Draw the panel's content (the caller has filled the panel). */
void rs_routineview_draw(const struct rs_rv_draw *d, struct rs_rect panel, int pad,
                         const struct rs_view_routine *v);

#endif
