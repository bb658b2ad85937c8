/*
 * rs_endscreen.h - the end-of-session screen: what was done (holds per leg
 * with spot and duration, time per calf, the calf maps with a legend),
 * advice for tomorrow and the session file, drawn from a struct rs_endview
 * onto a caller-owned SDL_Renderer with the window's font and palette.
 *
 * Read from the floor like the live window: the leg headings in the leg
 * colours, hold lines and advice in large type, the file name and the key
 * hint small. The frame is a function of (end view, output size, scale);
 * its geometry and text log are exposed for tests (semantic pixel checks).
 */
#ifndef RS_ENDSCREEN_H
#define RS_ENDSCREEN_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs_endview.h"
#include "rs_text.h"

struct rs_endscreen_geom {
    struct rs_rect title;       /* "SESSION DONE" and the length */
    struct rs_rect leg[2];      /* each leg's heading and hold list */
    struct rs_rect leg_head[2]; /* heading strip, filled with the leg colour */
    struct rs_rect map[2];      /* the calf maps (cells inside) */
    struct rs_rect legend;      /* time scale, pressure bands, hold square */
    struct rs_rect advice;      /* "TOMORROW" and the advice lines */
    struct rs_rect spot;        /* "KEEPS COMING BACK" and the spot's sentence (0x0: none) */
    int spot_px;                /* font size of the spot's sentence, px (0: none drawn) */
    struct rs_rect footer;      /* file name and the key hint */
    int advice_px;              /* font size of the advice, px (0: none drawn) */
    int hold_px;                /* font size of the hold lines, px */
    int ntext;
    const struct rs_text_box *text;
};

struct rs_endscreen;

/* 0, or -1 with a one-line reason in err. */
int rs_endscreen_create(struct rs_endscreen **out, SDL_Renderer *ren, const char *font_path,
                        char *err, size_t errcap);
void rs_endscreen_destroy(struct rs_endscreen *es);

/* Draw (does not present). w, h: output size in pixels; scale: HiDPI. */
void rs_endscreen_draw(struct rs_endscreen *es, const struct rs_endview *e, int w, int h,
                       float scale);

const struct rs_endscreen_geom *rs_endscreen_geometry(const struct rs_endscreen *es);

#endif
