/*
 * ui_harness.c - see ui_harness.h.
 */
#include "ui_harness.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rs_font.h"

int ui_harness_sdl_init(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    setenv("SDL_RENDER_DRIVER", "software", 1);
    /* Present through the driver's framebuffer, not a hidden GL texture. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return -1;
    }
    return 0;
}

int ui_harness_group_setup(void **state)
{
    (void)state;
    return ui_harness_sdl_init();
}

int ui_harness_group_teardown(void **state)
{
    (void)state;
    SDL_Quit();
    return 0;
}

int ui_harness_open_screen(struct ui_harness *u, int w, int h, char *font, size_t cap)
{
    memset(u, 0, sizeof *u);
    u->w = w;
    u->h = h;
    u->scale = 1.0f;
    u->win = SDL_CreateWindow("rollsense test", 0, 0, w, h, SDL_WINDOW_HIDDEN);
    if (!u->win) {
        fprintf(stderr, "SDL_CreateWindow: %s\n", SDL_GetError());
        return -1;
    }
    u->ren = SDL_CreateRenderer(u->win, -1, SDL_RENDERER_SOFTWARE);
    if (!u->ren) {
        fprintf(stderr, "SDL_CreateRenderer: %s\n", SDL_GetError());
        return -1;
    }
    if (rs_font_find(font, cap, NULL) != 0) {
        fprintf(stderr, "%s\n", RS_FONT_HELP);
        return -1;
    }
    u->pixels = calloc((size_t)w * (size_t)h, sizeof *u->pixels);
    return u->pixels ? 0 : -1;
}

int ui_harness_open(struct ui_harness *u, int w, int h)
{
    char font[512], err[256];
    if (ui_harness_open_screen(u, w, h, font, sizeof font) != 0)
        return -1;
    if (rs_render_create(&u->rr, u->ren, font, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

void ui_harness_close(struct ui_harness *u)
{
    rs_render_destroy(u->rr);
    if (u->ren)
        SDL_DestroyRenderer(u->ren);
    if (u->win)
        SDL_DestroyWindow(u->win);
    free(u->pixels);
    memset(u, 0, sizeof *u);
}

void ui_harness_render(struct ui_harness *u, const struct rs_view *v, const struct rs_overlay *ov)
{
    rs_render_frame(u->rr, v, ov, u->w, u->h, u->scale);
    SDL_RenderReadPixels(u->ren, NULL, SDL_PIXELFORMAT_ARGB8888, u->pixels, u->w * 4);
}

struct rs_rgb ui_pixel(const struct ui_harness *u, int x, int y)
{
    if (x < 0 || y < 0 || x >= u->w || y >= u->h)
        return (struct rs_rgb){ 0, 0, 0 };
    Uint32 p = u->pixels[(size_t)y * (size_t)u->w + (size_t)x];
    return (struct rs_rgb){ (uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p };
}

bool ui_rgb_near(struct rs_rgb c, struct rs_rgb want, int tol)
{
    return abs(c.r - want.r) <= tol && abs(c.g - want.g) <= tol && abs(c.b - want.b) <= tol;
}

static int mkdirs(const char *dir)
{
    char p[1024];
    size_t n = strlen(dir);
    if (n + 1 > sizeof p)
        return -1;
    memcpy(p, dir, n + 1);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    }
    return mkdir(p, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

int ui_harness_save_png(const struct ui_harness *u, const char *dir, const char *name)
{
    if (mkdirs(dir) != 0)
        return -1;
    char path[1200];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom(u->pixels, u->w, u->h, 32, u->w * 4, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return -1;
    int rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    return rc == 0 ? 0 : -1;
}
