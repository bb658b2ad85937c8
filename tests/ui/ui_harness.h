/*
 * ui_harness.h - headless SDL set-up shared by the UI tests and the
 * benchmark: offscreen video, dummy audio, a hidden window and a forced
 * software renderer (docs/platform.md: the accelerated path under
 * offscreen picks OpenGL and gives different pixels).
 */
#ifndef UI_HARNESS_H
#define UI_HARNESS_H

#include <SDL.h>
#include <stdbool.h>

#include "rs_palette.h"
#include "rs_render.h"

struct ui_harness {
    SDL_Window *win;
    SDL_Renderer *ren;
    struct rs_render *rr;
    int w, h;
    float scale;    /* HiDPI scale passed to the renderer (1 by default) */
    Uint32 *pixels; /* last read-back frame, ARGB8888, w*h */
};

/* Set the headless environment (before SDL_Init) and start SDL video. */
int ui_harness_sdl_init(void);
/* The same and SDL_Quit, as a cmocka group setup and teardown. */
int ui_harness_group_setup(void **state);
int ui_harness_group_teardown(void **state);

/* Open a w x h window + software renderer + rs_render. 0 or -1. */
int ui_harness_open(struct ui_harness *u, int w, int h);
/* The same without rs_render (u->rr NULL), for the screens that draw
 * themselves (end screen, history); the font file into font. 0 or -1. */
int ui_harness_open_screen(struct ui_harness *u, int w, int h, char *font, size_t cap);
void ui_harness_close(struct ui_harness *u);

/* Render a view and read the frame back into u->pixels. */
void ui_harness_render(struct ui_harness *u, const struct rs_view *v, const struct rs_overlay *ov);

struct rs_rgb ui_pixel(const struct ui_harness *u, int x, int y);
/* True when c is within tol per channel of want. */
bool ui_rgb_near(struct rs_rgb c, struct rs_rgb want, int tol);

/* Save u->pixels as PNG into dir/name.png (dir is created). 0 or -1. */
int ui_harness_save_png(const struct ui_harness *u, const char *dir, const char *name);

#endif
