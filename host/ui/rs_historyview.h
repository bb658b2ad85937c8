/*
 * rs_historyview.h - the history window and picture: per day time per calf,
 * holds per leg, typical force and routines completed as bar charts over
 * the calendar days of the span, the calf map over days (every hold as a
 * dot at its day and position, the clusters as bands) and the recurring
 * spots as sentences. Drawn from a struct rs_histview (rs_histview.h) onto
 * a caller-owned SDL_Renderer with the window's font and palette; the frame
 * is a function of (view, output size, scale). Its geometry and text log
 * are exposed for tests (semantic pixel checks).
 */
#ifndef RS_HISTORYVIEW_H
#define RS_HISTORYVIEW_H

#include <SDL.h>
#include <stddef.h>

#include "rs_histview.h"
#include "rs_text.h"

struct rs_historyview_geom {
    struct rs_rect title;
    struct rs_rect chart[3];    /* time per calf, holds per leg, typical force + routines */
    struct rs_rect plot[3];     /* each chart's plotting area (bars inside) */
    struct rs_rect map[2];      /* calf map over days per leg: x day, y position (Achilles at the bottom) */
    struct rs_rect spots;       /* the recurring spots' sentences */
    struct rs_rect footer;
    int spot_px;                /* font size of the spot sentences (0: none drawn) */
    int ndots;                  /* holds drawn on the maps */
    int ntext;
    const struct rs_text_box *text;
};

struct rs_historyview;

/* 0, or -1 with a one-line reason in err. */
int rs_historyview_create(struct rs_historyview **out, SDL_Renderer *ren, const char *font_path,
                          char *err, size_t errcap);
void rs_historyview_destroy(struct rs_historyview *hv);

/* Draw (does not present). w, h: output size in pixels; scale: HiDPI. */
void rs_historyview_draw(struct rs_historyview *hv, const struct rs_histview *v, int w, int h,
                         float scale);

const struct rs_historyview_geom *rs_historyview_geometry(const struct rs_historyview *hv);

/* Where a day's column centre (x) and a position (y) fall in a map or plot
 * rect of the last draw's span. Pure. */
int rs_historyview_day_x(struct rs_rect r, const struct rs_histview *v, int32_t day);
int rs_historyview_pos_y(struct rs_rect r, const struct rs_histview *v, float pos_cm);

/* Draw v at w x h offscreen (software renderer, no display) into a PNG at
 * path, created 0600. font_path NULL: rs_font_find. 0, or -1 with err. */
int rs_historyview_png(const struct rs_histview *v, int w, int h, const char *font_path,
                       const char *path, char *err, size_t errcap);

/* Open a window showing v until q, Esc or the window's close. font_path
 * NULL: rs_font_find. 0, or -1 with err (no display, no font). */
int rs_historyview_window(const struct rs_histview *v, int w, int h, const char *font_path,
                          char *err, size_t errcap);

#endif
