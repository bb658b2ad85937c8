/*
 * rs_text.h - text drawing for the renderer (internal to rs_ui).
 *
 * Why not one texture per string: the numerals change every frame, and a
 * texture per string would allocate every frame. Instead each font size
 * keeps one texture per printable ASCII glyph and colour, created on first
 * use; a string is drawn glyph by glyph. The colour is baked into the
 * glyph instead of set as a colour mod because the software renderer
 * rebuilds (allocates) its blit map whenever a texture's colour mod
 * changes. When a colour is first used at a size, the numeral glyphs
 * (digits . - : %) are made at once, so a changing number never needs a
 * new glyph later. After warm-up drawing text allocates nothing. Font sizes come from a fixed geometric
 * ladder (8 px x 1.15^k) opened on first use, so resizing the window never
 * rebuilds anything. Only ASCII 32..126 is drawn; other bytes draw as '?'.
 *
 * Fitting a string to a box measures it at several sizes; the results are
 * remembered (a small table keyed by the string, the box's size and the
 * size limits), since a frame fits the same strings into the same boxes as
 * the frame before.
 *
 * Every drawn or dropped string is logged (box, panel, text) for the frame,
 * in a fixed array, so tests can check that no text leaves its panel or
 * overlaps other text.
 */
#ifndef RS_TEXT_H
#define RS_TEXT_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>

#include "rs_layout.h"
#include "rs_palette.h"

#define RS_TEXT_SIZES 30
#define RS_TEXT_GLYPHS 95 /* ASCII 32..126 */
#define RS_TEXT_COLOURS 12 /* distinct text colours per size before recycling */
#define RS_TEXT_LOG_MAX 160
/* Glyph sets per destination (layer 0: the window, 1: the renderer's
 * texture of static layers). A software renderer remembers the last
 * surface a texture was blitted to and allocates when that changes, so a
 * glyph drawn into both would allocate on every switch. */
#define RS_TEXT_LAYERS 2
#define RS_TEXT_LOG_CHARS 48

struct rs_text_size {
    TTF_Font *font;
    bool tried;         /* open attempted (success or not) */
    int px, height, ascent;
    int adv[RS_TEXT_GLYPHS];
    int extent[RS_TEXT_GLYPHS]; /* max(advance, ink right edge) */
    int ncol;
    struct rs_rgb col[RS_TEXT_COLOURS];
    SDL_Texture *tex[RS_TEXT_LAYERS][RS_TEXT_COLOURS][RS_TEXT_GLYPHS];
    bool numerals[RS_TEXT_LAYERS][RS_TEXT_COLOURS]; /* all numerals made in it */
    int tw[RS_TEXT_GLYPHS], th[RS_TEXT_GLYPHS];
    /* The glyph's ink: the smallest rectangle of its surface holding every
     * pixel that is not fully transparent (w 0: none). Only that part is
     * blended: blending a transparent pixel leaves the destination as it
     * was, so the picture is the same for a fraction of the work (a
     * numeral's cell is mostly empty). */
    SDL_Rect ink[RS_TEXT_GLYPHS];
};

struct rs_text_box {
    struct rs_rect box;   /* the string's box: width by metrics, font height */
    int panel;            /* enum rs_panel, or -1 for overlays */
    bool dropped;         /* did not fit even at the smallest size: not drawn */
    int px;               /* font size drawn at (the ladder's px), 0 when dropped */
    char text[RS_TEXT_LOG_CHARS];
};

/* A remembered fit (rs_text_fit): the string and box it was for, the step
 * and the string's size at that step. */
#define RS_TEXT_MEMO 256
struct rs_text_memo {
    bool used;
    int bw, bh, max_px, min_px;
    int k, w, h;
    char s[RS_TEXT_LOG_CHARS];
};

struct rs_text {
    SDL_Renderer *ren;
    char path[512];
    struct rs_text_size size[RS_TEXT_SIZES];
    int min_px;           /* smallest size used (legibility floor), by scale */
    bool dry;             /* rs_text_fit only measures: no drawing, no log */
    bool no_draw;         /* rs_text_fit logs but does not draw (drawn before) */
    bool no_log;          /* rs_text_fit draws but does not log (logged apart) */
    int layer;            /* glyph set drawn with (RS_TEXT_LAYERS) */
    int panel;            /* panel id stamped into new log entries */
    struct rs_rect clip;  /* panel rect for the log */
    int nlog;
    struct rs_text_box log[RS_TEXT_LOG_MAX];
    struct rs_text_memo memo[RS_TEXT_MEMO]; /* direct-mapped by a hash of the inputs */
};

enum rs_align { RS_AL_LEFT, RS_AL_CENTRE, RS_AL_RIGHT };

/* Start SDL_ttf if needed and open the font at one size to prove it works.
 * Returns 0, or -1 with a one-line reason in err. */
int rs_text_init(struct rs_text *t, SDL_Renderer *ren, const char *font_path, char *err,
                 size_t errcap);
void rs_text_free(struct rs_text *t);

/* Pixel size of ladder step k. */
int rs_text_px(int k);

/* Width and height of s at step k (0, 0 if that size cannot be opened). */
void rs_text_measure(struct rs_text *t, int k, const char *s, int *w, int *h);

/* Draw s into box, at the largest ladder size whose font height is at most
 * max_px (and at least t->min_px) and that fits box; aligned horizontally,
 * centred vertically. Returns the step used, or -1 when it did not fit
 * (nothing drawn, logged as dropped). *out (optional) gets the text box. */
int rs_text_fit(struct rs_text *t, struct rs_rect box, int max_px, enum rs_align al,
                struct rs_rgb c, const char *s, struct rs_rect *out);

/* Word-wrap s into at most RS_TEXT_WRAP_LINES lines that fit box, at the
 * largest ladder size whose font height is at most max_px (and at least
 * min_px), lines aligned by al, the block centred vertically. Returns the
 * step used, or -1 when it did not fit (logged as dropped). */
#define RS_TEXT_WRAP_LINES 4
int rs_text_wrap(struct rs_text *t, struct rs_rect box, int max_px, enum rs_align al,
                 struct rs_rgb c, const char *s);

/* Draw s at step k with its top-left at x, y (no fitting). */
void rs_text_draw(struct rs_text *t, int k, int x, int y, struct rs_rgb c, const char *s);

/* The box the pixels of s cover when rs_text_draw draws it at step k with
 * its top-left at x, y: the union of its glyphs' ink (w 0: nothing is
 * drawn). False when the ink of one of them is not known, because it was
 * not drawn at this size yet. */
bool rs_text_ink(struct rs_text *t, int k, int x, int y, const char *s, struct rs_rect *out);

/* Start a new frame's log / set the panel that following strings belong to. */
void rs_text_log_reset(struct rs_text *t);
/* Forget the logged strings of the panels in the bit set (1u << panel):
 * they are about to be drawn again. */
void rs_text_log_drop(struct rs_text *t, unsigned panels);
void rs_text_set_panel(struct rs_text *t, int panel, struct rs_rect r);

#endif
