/*
 * test_report.c - the report picture from a hand-made data struct: semantic
 * pixel checks (hold shading per leg, the force line at the right height,
 * calf map intensity, text drawn), a PNG that loads back, and drawing
 * without a font. The PNG is kept in the build tree as a test artefact.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <SDL.h>
#include <SDL_image.h>

#include "rs_report.h"

static const char *g_outdir = ".";

static struct rs_report_data *make_data(void)
{
    struct rs_report_data *d = calloc(1, sizeof *d);
    snprintf(d->title, sizeof d->title, "test session");
    snprintf(d->note, sizeof d->note, "synthetic data");
    d->duration_s = 100;
    d->n = 101;
    for (size_t i = 0; i < d->n; i++) {
        double t = (double)i;
        d->t_s[i] = t;
        bool hold = (t >= 20 && t <= 40) || (t >= 60 && t <= 70);
        d->force_n[i] = hold ? 300 : 200;
        d->speed_cm_s[i] = hold ? 0 : 3;
    }
    d->force_n[90] = NAN; /* a gap */
    d->nholds = 2;
    d->holds[0] = (struct rs_report_hold){ 20, 40, RS_REPORT_LEFT };
    d->holds[1] = (struct rs_report_hold){ 60, 70, RS_REPORT_RIGHT };
    for (int b = 0; b < RS_REPORT_BINS; b++)
        d->calf_map[RS_REPORT_LEFT][b] = b == 5 ? 1000 : 100;
    return d;
}

static uint32_t px(SDL_Surface *s, int x, int y)
{
    uint32_t v = ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x];
    uint8_t r, g, b;
    SDL_GetRGB(v, s->format, &r, &g, &b);
    return (uint32_t)r << 16 | (uint32_t)g << 8 | b;
}

static int brightness(uint32_t rgb) { return (rgb >> 16) + ((rgb >> 8) & 0xff) + (rgb & 0xff); }

static void test_pixels(void **state)
{
    (void)state;
    struct rs_report_data *d = make_data();
    char err[256];
    SDL_Surface *s = rs_report_draw(d, NULL, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(s->w, RS_REPORT_WIDTH);
    assert_int_equal(s->h, RS_REPORT_HEIGHT);
    const struct rs_report_rect *f = &rs_report_force_rect, *v = &rs_report_speed_rect;
    int ytop = f->y + 3;
    assert_int_equal(px(s, rs_report_x(d, 30), ytop), RS_REPORT_HOLD_LEFT);
    assert_int_equal(px(s, rs_report_x(d, 65), ytop), RS_REPORT_HOLD_RIGHT);
    assert_int_equal(px(s, rs_report_x(d, 50), ytop), RS_REPORT_PLOT_BG);
    assert_int_equal(px(s, rs_report_x(d, 30), v->y + 3), RS_REPORT_HOLD_LEFT);
    /* the force line at 200 N on a 0..500 N axis */
    int x = rs_report_x(d, 50);
    int want_y = f->y + f->h - 2 - (int)lround(200.0 / 500.0 * (f->h - 2));
    int found = 0;
    for (int y = want_y - 3; y <= want_y + 3; y++)
        found |= px(s, x, y) == RS_REPORT_FORCE;
    assert_true(found);
    /* and nowhere else in that column */
    for (int y = f->y; y < want_y - 3; y++)
        assert_int_not_equal(px(s, x, y), RS_REPORT_FORCE);
    /* the gap at 90 s is not bridged: no line pixel in its column */
    int xg = rs_report_x(d, 90);
    for (int y = f->y; y < f->y + f->h; y++)
        assert_int_not_equal(px(s, xg, y), RS_REPORT_FORCE);
    /* speed line at 3 cm/s in the speed plot */
    found = 0;
    for (int y = v->y; y < v->y + v->h; y++)
        found |= px(s, x, y) == RS_REPORT_SPEED;
    assert_true(found);
    /* calf map: the hot bin is darker than a cool one; the unused leg is white */
    const struct rs_report_rect *ml = &rs_report_map_rect[0], *mr = &rs_report_map_rect[1];
    int bw = ml->w / RS_REPORT_BINS;
    int yc = ml->y + ml->h / 2;
    assert_true(brightness(px(s, ml->x + 5 * bw + bw / 2, yc)) <
                brightness(px(s, ml->x + 0 * bw + bw / 2, yc)) - 100);
    assert_int_equal(px(s, mr->x + 3 * bw + bw / 2, mr->y + mr->h / 2), 0xFFFFFF);
    /* text: the title area is not blank */
    int dark = 0;
    for (int yy = 15; yy < 45; yy++)
        for (int xx = 20; xx < 200; xx++)
            dark += brightness(px(s, xx, yy)) < 300;
    assert_true(dark > 50);
    SDL_FreeSurface(s);

    /* PNG: written, loads back with the same size */
    char png[1024];
    snprintf(png, sizeof png, "%s/report-test.png", g_outdir);
    assert_int_equal(rs_report_save_png(d, NULL, png, err, sizeof err), 0);
    SDL_Surface *back = IMG_Load(png);
    assert_non_null(back);
    assert_int_equal(back->w, RS_REPORT_WIDTH);
    SDL_FreeSurface(back);
    /* unwritable path: an error, not a crash */
    assert_int_equal(rs_report_save_png(d, NULL, "/nonexistent-dir/x.png", err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write"));
    free(d);
}

static void test_no_font_and_empty(void **state)
{
    (void)state;
    struct rs_report_data *d = calloc(1, sizeof *d);
    char err[256];
    /* no data at all, a font that does not exist: still a picture */
    SDL_Surface *s = rs_report_draw(d, "/nonexistent/font.ttf", err, sizeof err);
    assert_non_null(s);
    SDL_FreeSurface(s);
    free(d);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_outdir = argv[1];
    if (SDL_Init(0) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pixels),
        cmocka_unit_test(test_no_font_and_empty),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
