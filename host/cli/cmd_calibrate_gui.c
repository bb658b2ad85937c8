/*
 * cmd_calibrate_gui.c - `rollsense calibrate tare|span|encoder --gui`: the
 * same steps as a wizard in a window.
 *
 * The window front end of the one wizard driver (rs_calcli_drive in
 * cmd_calibrate_run.c, which the terminal steps use too): the window's keys
 * and one frame of the wizard's screen (rs_calscreen.h) per turn. Keys:
 * Enter or Space measures (and closes at the end), Y confirms an empty
 * roller at a first tare, Esc or q cancels or closes. A line on stdin
 * counts as Enter (y, q as the keys), so tests drive it like the terminal
 * steps; every new instruction, result and refusal is also printed.
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_calibrate.h"
#include "rs_calscreen.h"
#include "rs_defaults.h"
#include "rs_font.h"
#include "rs_file.h"

#define FRAME_MS 33   /* about 30 frames per second: the screen is mostly text */

/* The window: what the driver's front-end callbacks use. */
struct gui {
    const struct rs_calcli_opts *o;
    SDL_Window *win;
    SDL_Renderer *ren;
    struct rs_calscreen *cs;
    Uint32 next_draw;
    enum rs_calwiz_phase drawn_phase;
};

/* Save the current frame as PNG; 0 or -1. */
static int screenshot(SDL_Renderer *ren, int w, int h, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return -1;
    int rc = SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (rc == 0)
        rc = rs_file_make_private(path) == 0 ? IMG_SavePNG(s, path) : -1;
    SDL_FreeSurface(s);
    return rc == 0 ? 0 : -1;
}

/* The wizard's keys (rs_calscreen_poll_keys); a stop wins over the rest. */
static enum rs_calcli_act gui_keys(void *ctx, bool *closed)
{
    (void)ctx;
    unsigned k = rs_calscreen_poll_keys(closed);
    return k & RS_CSK_STOP    ? RS_CALCLI_STOP
           : k & RS_CSK_EMPTY ? RS_CALCLI_EMPTY
           : k & RS_CSK_ENTER ? RS_CALCLI_ENTER
                              : RS_CALCLI_NONE;
}

/* At most one frame per FRAME_MS however fast samples arrive; a change of
 * phase is drawn at once; the last frame is kept as PNG when asked. */
static void gui_draw(void *ctx, const struct rs_calwiz *wz, bool last)
{
    struct gui *g = ctx;
    Uint32 now = SDL_GetTicks();
    if (!last && wz->phase == g->drawn_phase && (Sint32)(now - g->next_draw) < 0)
        return;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(g->ren, &w, &h);
    rs_calscreen_draw(g->cs, wz, w, h);
    if (last && g->o->screenshot && screenshot(g->ren, w, h, g->o->screenshot))
        rs_cli_error("calibrate: cannot write the screenshot %s: %s", g->o->screenshot,
                     SDL_GetError());
    SDL_RenderPresent(g->ren);
    g->drawn_phase = wz->phase;
    g->next_draw = now + FRAME_MS;
}

/* The window and its screen; 0, or -1 (reported). */
static int gui_open(struct gui *g, const char *font)
{
    char err[512];
    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        rs_cli_error("calibrate: cannot start the window: %s", SDL_GetError());
        return -1;
    }
    g->win = SDL_CreateWindow("rollsense - calibration", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, 1024, 640,
                              SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    /* A static screen: the software renderer is fast enough and identical
     * everywhere. */
    g->ren = g->win ? SDL_CreateRenderer(g->win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!g->ren) {
        rs_cli_error("calibrate: cannot open the window: %s", SDL_GetError());
        return -1;
    }
    if (rs_calscreen_create(&g->cs, g->ren, font, err, sizeof err)) {
        rs_cli_error("calibrate: %s", err);
        return -1;
    }
    g->drawn_phase = (enum rs_calwiz_phase)-1;
    return 0;
}

static void gui_close(struct gui *g)
{
    rs_calscreen_destroy(g->cs);
    if (g->ren)
        SDL_DestroyRenderer(g->ren);
    if (g->win)
        SDL_DestroyWindow(g->win);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit(); /* the command ends here: release what SDL and its drivers hold */
}

int rs_cal_gui(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, enum rs_calwiz_mode mode)
{
    char font[512];
    if (rs_font_find(font, sizeof font, NULL) != 0) {
        rs_cli_error("calibrate: %s", RS_FONT_HELP);
        return RS_EXIT_FAIL;
    }
    /* A light mass (bad turns, distance) is refused before the roller or a
     * window is opened. */
    if (rs_calcli_precheck(o, mode))
        return RS_EXIT_FAIL;
    struct rs_calcli_roller ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return RS_EXIT_FAIL;
    static struct rs_calwiz wz;
    rs_calcli_wizard(&wz, o, &ss, mode);
    struct gui g = { .o = o };
    int rc = RS_EXIT_FAIL;
    if (gui_open(&g, font) == 0) {
        struct rs_calcli_front f = { .ctx = &g, .keys = gui_keys, .draw = gui_draw,
                                     .hold_at_end = true };
        rc = rs_calcli_drive(u, &ss, &wz, &f) == 0 ? RS_EXIT_OK : RS_EXIT_FAIL;
    }
    gui_close(&g);
    rs_caldev_close(ss.d);
    return rc;
}
