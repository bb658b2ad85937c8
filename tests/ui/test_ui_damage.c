/*
 * test_ui_damage.c - drawing only what changed (label ui): after any
 * sequence of views, the picture rs_render_update leaves on the target is
 * pixel for pixel the one rs_render_frame draws from scratch; a frame equal
 * to the last draws nothing; a change of the force alone redraws the force
 * panel alone; the text log still holds every panel's strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

#include "rs_font.h"
#include "rs_render.h"
#include "rs_text.h"
#include "rs_viewscript.h"
#include "ui_harness.h"

#define W 1280
#define H 800

static struct ui_harness inc, ref; /* incremental, from scratch */
static struct rs_view view;

static int setup(void **state)
{
    (void)state;
    if (ui_harness_sdl_init() != 0 || ui_harness_open(&inc, W, H) != 0 || ui_harness_open(&ref, W, H) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_harness_close(&inc);
    ui_harness_close(&ref);
    SDL_Quit();
    return 0;
}

static int update(const struct rs_view *v, const struct rs_overlay *ov, SDL_Rect *damage)
{
    return rs_render_update(inc.rr, v, ov, W, H, 1.0f, false, damage);
}

/* The incremental picture equals the one drawn from scratch. */
static void same_as_scratch(const struct rs_view *v, const struct rs_overlay *ov, const char *what)
{
    SDL_RenderReadPixels(inc.ren, NULL, SDL_PIXELFORMAT_ARGB8888, inc.pixels, W * 4);
    ui_harness_render(&ref, v, ov);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (inc.pixels[y * W + x] != ref.pixels[y * W + x])
                fail_msg("%s: pixel %d,%d is %06x, from scratch %06x", what, x, y,
                         (unsigned)inc.pixels[y * W + x] & 0xffffffu,
                         (unsigned)ref.pixels[y * W + x] & 0xffffffu);
}

static void test_sequence_equals_scratch(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    struct rs_overlay ov = { .volume_pct = 80 };
    /* the scripted session: a frame every 0.3 s for two minutes, with
     * the key states, a toast, help and the safety note in between */
    for (int i = 0; i < 400; i++) {
        rs_viewscript_at(&view, (float)i * 0.3f);
        if (i % 50 == 7)
            rs_viewscript_state(&view, (enum rs_viewscript_state)((i / 50) % RS_VS_COUNT));
        ov.toast = i % 60 < 5 ? "MARKED" : NULL;
        ov.help = i % 90 >= 40 && i % 90 < 44;
        ov.safety_note = i < 3;
        ov.muted = i % 70 > 35;
        update(&view, &ov, d);
        if (i % 7 == 0 || ov.toast || ov.help)
            same_as_scratch(&view, &ov, "scripted session");
    }
    same_as_scratch(&view, &ov, "end of the session");
}

static void test_unchanged_draws_nothing(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_state(&view, RS_VS_ROLLING);
    assert_true(update(&view, NULL, d) > 0);
    assert_int_equal(update(&view, NULL, d), 0);
    /* a change that draws the same (below the shown precision) */
    view.force_n += 0.001f;
    assert_int_equal(update(&view, NULL, d), 0);
    /* forced: everything */
    assert_int_equal(rs_render_update(inc.rr, &view, NULL, W, H, 1.0f, true, d), 1);
    assert_int_equal(d[0].w, W);
    assert_int_equal(d[0].h, H);
}

static void test_force_alone_redraws_force_panel(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_state(&view, RS_VS_ROLLING);
    update(&view, NULL, d);
    view.force_n += 37.0f;
    view.left_n += 37.0f;
    view.force_pct += 5.0f;
    assert_int_equal(update(&view, NULL, d), 1);
    const struct rs_render_geom *g = rs_render_geometry(inc.rr);
    struct rs_rect f = g->layout.panel[RS_P_FORCE];
    assert_int_equal(d[0].x, f.x);
    assert_int_equal(d[0].y, f.y);
    assert_int_equal(d[0].w, f.w);
    assert_int_equal(d[0].h, f.h);
    same_as_scratch(&view, NULL, "force changed");
    /* the log still has the strings of the panels not drawn again */
    int panels = 0;
    for (int p = 0; p < RS_P_COUNT; p++)
        for (int i = 0; i < g->ntext; i++)
            if (g->text[i].panel == p) {
                panels |= 1 << p;
                break;
            }
    assert_true(panels & (1 << RS_P_STATUS));
    assert_true(panels & (1 << RS_P_FORCE));
    assert_true(panels & (1 << RS_P_SPEED));
    int n = g->ntext;
    ui_harness_render(&ref, &view, NULL);
    assert_int_equal(n, rs_render_geometry(ref.rr)->ntext);
}

/* While only the values change, what is copied back from the base layer
 * is where the values were drawn (their glyphs' ink, their bars), not the
 * whole panel: the base layer is the same from frame to frame. */
static void test_values_alone_copy_back_their_boxes(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_state(&view, RS_VS_ROLLING);
    update(&view, NULL, d);
    const struct rs_render_geom *g = rs_render_geometry(inc.rr);
    struct rs_rect f = g->layout.panel[RS_P_FORCE];
    for (int i = 0; i < 4; i++) {
        view.force_n += 1.0f;
        view.left_n += 1.0f;
        assert_int_equal(update(&view, NULL, d), 1);
        assert_true(g->copied_px > 0);
        if (i > 0) /* the glyphs' ink and the bars: under a quarter of it */
            assert_true(g->copied_px * 4 < (long)f.w * f.h);
        same_as_scratch(&view, NULL, "force values changed");
    }
}

/* A chart's series is redrawn when a stored value changes, even with the
 * ring's head and count the same (a replay that went back and refilled
 * it), and only then. */
static void test_chart_value_alone_redraws_charts(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_at(&view, 40.0f);
    update(&view, NULL, d);
    assert_int_equal(update(&view, NULL, d), 0);
    const struct rs_render_geom *g = rs_render_geometry(inc.rr);
    struct rs_rect c = g->layout.panel[RS_P_CHARTS];
    for (int series = 0; series < 2; series++) {
        float *vals = series ? view.history.speed_cms : view.history.force_pct;
        unsigned at = (view.history.head + view.history.count - 2u) % RS_VIEW_HISTORY_N;
        vals[at] += 7.0f;
        assert_int_equal(update(&view, NULL, d), 1);
        assert_int_equal(d[0].x, c.x);
        assert_int_equal(d[0].y, c.y);
        assert_int_equal(d[0].w, c.w);
        assert_int_equal(d[0].h, c.h);
        same_as_scratch(&view, NULL, series ? "a speed value changed" : "a force value changed");
    }
}

/* The hold ring grows in steps of 1/240 of a turn (62.5 ms of a 15 s
 * lap): a hold 30 ms on within a step draws nothing, the next step
 * redraws the hold panel alone. */
static void test_ring_grows_in_steps(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_state(&view, RS_VS_ROLLING);
    view.hold_active = true;
    view.hold_s = 4.0f;
    update(&view, NULL, d);
    static const struct { float s; int drawn; } steps[] = {
        { 5.0f, 1 },     /* 80 steps */
        { 5.03f, 0 },    /* 80.48 */
        { 5.0624f, 0 },  /* 80.998 */
        { 5.0626f, 1 },  /* 81.002 */
        { 5.11f, 0 },    /* 81.76 */
        { 5.13f, 1 },    /* 82.08 */
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        view.hold_s = steps[i].s;
        int n = update(&view, NULL, d);
        if (n != steps[i].drawn)
            fail_msg("hold at %.4f s: %d panels drawn, want %d", (double)steps[i].s, n, steps[i].drawn);
        if (i > 0 && n == 1) {
            struct rs_rect h = rs_render_geometry(inc.rr)->layout.panel[RS_P_HOLD];
            assert_int_equal(d[0].x, h.x);
            assert_int_equal(d[0].y, h.y);
        }
        same_as_scratch(&view, NULL, "hold ring");
    }
}

/* A calf map bin keeps its shade while its time grows within a fifth of
 * the scale: nothing is drawn; crossing into the next fifth redraws the
 * map panel alone. */
static void test_map_shades_change_in_fifths(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_state(&view, RS_VS_ROLLING);
    memset(view.calf, 0, sizeof view.calf);
    for (int b = 10; b < 30; b++) /* more cells than a panel keeps boxes */
        view.calf[1].time_s[b] = 1.0f;
    view.calf[0].time_s[3] = 10.0f; /* the scale */
    view.calf[0].time_s[5] = 2.5f;  /* 0.25 of it: the second fifth */
    update(&view, NULL, d);
    view.calf[0].time_s[5] = 3.9f;
    assert_int_equal(update(&view, NULL, d), 0);
    view.calf[0].time_s[5] = 4.1f;
    assert_int_equal(update(&view, NULL, d), 1);
    struct rs_rect m = rs_render_geometry(inc.rr)->layout.panel[RS_P_MAP];
    assert_int_equal(d[0].x, m.x);
    assert_int_equal(d[0].y, m.y);
    /* more top operations than boxes (a cell each): the last box holds
     * the rest, and what is copied back stays within the panel's area */
    long copied = rs_render_geometry(inc.rr)->copied_px;
    assert_true(copied > 0 && copied <= (long)m.w * m.h);
    same_as_scratch(&view, NULL, "a map bin's shade");
}

static void test_resize_redraws_all(void **state)
{
    (void)state;
    SDL_Rect d[RS_P_COUNT];
    rs_viewscript_state(&view, RS_VS_HOLD_DONE);
    update(&view, NULL, d);
    assert_int_equal(rs_render_update(inc.rr, &view, NULL, W - 10, H, 1.0f, false, d), 1);
    assert_int_equal(d[0].w, W - 10);
    update(&view, NULL, d);
    same_as_scratch(&view, NULL, "after a resize");
}

/* A text drawer of its own on the incremental window, with the font the
 * window uses. */
static void open_text(struct rs_text *t)
{
    char font[512], err[256];
    assert_int_equal(rs_font_find(font, sizeof font, NULL), 0);
    assert_int_equal(rs_text_init(t, inc.ren, font, err, sizeof err), 0);
}

/* rs_text_ink is the box of the pixels rs_text_draw changes: spaces ink
 * nothing (before, between or alone), and a size never drawn has no ink
 * to tell. */
static void test_text_ink_is_the_drawn_pixels(void **state)
{
    (void)state;
    static struct rs_text t;
    open_text(&t);
    const int k = 20;
    struct rs_rect box;
    assert_false(rs_text_ink(&t, k, 0, 0, "7", &box));
    SDL_SetRenderDrawColor(inc.ren, 0, 0, 0, 255);
    SDL_RenderClear(inc.ren);
    rs_text_draw(&t, k, 40, 30, (struct rs_rgb){ 255, 255, 255 }, " 7 1");
    SDL_RenderReadPixels(inc.ren, NULL, SDL_PIXELFORMAT_ARGB8888, inc.pixels, W * 4);
    int x0 = W, y0 = H, x1 = -1, y1 = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (inc.pixels[y * W + x] & 0xffffffu) {
                x0 = x < x0 ? x : x0;
                y0 = y < y0 ? y : y0;
                x1 = x > x1 ? x : x1;
                y1 = y > y1 ? y : y1;
            }
    assert_true(rs_text_ink(&t, k, 40, 30, " 7 1", &box));
    assert_int_equal(box.x, x0);
    assert_int_equal(box.y, y0);
    assert_int_equal(box.x + box.w, x1 + 1);
    assert_int_equal(box.y + box.h, y1 + 1);
    assert_true(rs_text_ink(&t, k, 40, 30, "  ", &box));
    assert_int_equal(box.w, 0);
    rs_text_free(&t);
}

/* A label makes only its own glyphs; the first number in a colour makes
 * all the numerals in it (no glyph is made on a later frame). */
static void test_numerals_made_for_numbers_only(void **state)
{
    (void)state;
    static struct rs_text t;
    open_text(&t);
    const int k = 12;
    const struct rs_rgb red = { 200, 40, 40 };
    rs_text_draw(&t, k, 0, 0, red, "HOLD");
    const struct rs_text_size *z = &t.size[k];
    assert_int_equal(z->ncol, 1);
    assert_non_null(z->tex[0][0]['H' - 32]);
    assert_null(z->tex[0][0]['7' - 32]);
    rs_text_draw(&t, k, 0, 0, red, "L 5");
    for (const char *d = "0123456789%"; *d; d++)
        assert_non_null(z->tex[0][0][*d - 32]);
    rs_text_free(&t);
}

/* The size ladder's table is the formula it replaced: 8 px x 1.15^k. */
static void test_text_ladder(void **state)
{
    (void)state;
    for (int k = -2; k < RS_TEXT_SIZES + 3; k++)
        assert_int_equal(rs_text_px(k), (int)lround(8.0 * pow(1.15, k)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequence_equals_scratch),
        cmocka_unit_test(test_unchanged_draws_nothing),
        cmocka_unit_test(test_force_alone_redraws_force_panel),
        cmocka_unit_test(test_values_alone_copy_back_their_boxes),
        cmocka_unit_test(test_chart_value_alone_redraws_charts),
        cmocka_unit_test(test_ring_grows_in_steps),
        cmocka_unit_test(test_map_shades_change_in_fifths),
        cmocka_unit_test(test_resize_redraws_all),
        cmocka_unit_test(test_text_ink_is_the_drawn_pixels),
        cmocka_unit_test(test_numerals_made_for_numbers_only),
        cmocka_unit_test(test_text_ladder),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
