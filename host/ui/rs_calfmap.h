/*
 * rs_calfmap.h - the calf maps as coloured cells, pure (no SDL): the live
 * window's map panel and the end-of-session screen draw the same cells.
 *
 * Per leg, 1 cm bins from the Achilles end (bottom) to the knee (top):
 * the left column's brightness is the time spent over the bin, the middle
 * column's colour the mean pressure's band, and a white square on the
 * right marks a hold spot. Brightness uses one scale for both legs (the
 * longest time over any bin of either), so a brighter bin on the left
 * means more time than a dimmer one on the right.
 */
#ifndef RS_CALFMAP_H
#define RS_CALFMAP_H

#include "rs_layout.h"
#include "rs_palette.h"
#include "rs_view.h"

/* Cells of one leg at most: time, pressure and hold per bin. */
#define RS_CALFMAP_CELLS (3 * RS_VIEW_CALF_BINS)

struct rs_calfmap_cell {
    struct rs_rect r;
    struct rs_rgb c;
};

/* The common brightness scale: the longest time over one bin of either
 * leg (at least 1 s), over the bins of the calf length. */
float rs_calfmap_scale(const struct rs_view *v);

/* Shades of the time column: the legend's five swatches. */
#define RS_CALFMAP_SHADES 5

/* Colour of a bin with t seconds on a scale of tmax: sky blue, 30 % to
 * full brightness by the square root of t / tmax taken up to the next
 * fifth (RS_CALFMAP_SHADES), so a bin has one of the legend's shades and
 * keeps it while its time grows within that fifth (a map that changes
 * shade every frame cannot be read from the floor, and costs a redraw
 * every frame); t <= 0 is not drawn. */
struct rs_rgb rs_calfmap_time_colour(float t, float tmax);

/* The cells of leg (0 left, 1 right) in box (the map without its label);
 * returns how many went into out (at most RS_CALFMAP_CELLS). */
int rs_calfmap_cells(const struct rs_view *v, int leg, struct rs_rect box, float tmax,
                     struct rs_calfmap_cell *out);

/* The legend: a time scale (five swatches, dim to bright), the pressure
 * band colours (light to overload) and the hold square, each with its
 * word below (TIME, PRESSURE, HOLD). */
#define RS_CALFMAP_LEGEND_CELLS 12
struct rs_calfmap_label {
    struct rs_rect r;
    const char *text;
};

/* Cells of the legend in box (returns their count) and its three labels. */
int rs_calfmap_legend(struct rs_rect box, int pad, struct rs_calfmap_cell *cells,
                      struct rs_calfmap_label labels[3]);

#endif
