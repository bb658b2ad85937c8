/*
 * test_ui_model.c - the pure parts of rs_ui (label ui): band boundaries,
 * the strip-chart ring buffer, hold phases and the proportional layout
 * from 800x480 to 4K with HiDPI scales. No SDL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "rs_calfmap.h"
#include "rs_layout.h"
#include "rs_palette.h"
#include "rs_view.h"

static void test_force_bands(void **state)
{
    (void)state;
    static const struct { float pct; enum rs_view_force_band b; } cases[] = {
        { -3, RS_FB_NONE }, { 0, RS_FB_NONE }, { 4.99f, RS_FB_NONE }, { 5, RS_FB_LIGHT },
        { 14.9f, RS_FB_LIGHT }, { 15, RS_FB_MODERATE }, { 30, RS_FB_TYPICAL }, { 44.9f, RS_FB_TYPICAL },
        { 45, RS_FB_HIGH }, { 60, RS_FB_HIGH }, { 60.01f, RS_FB_NO_BENEFIT },
        { 79.9f, RS_FB_NO_BENEFIT }, { 80, RS_FB_NO_BENEFIT }, { 80.01f, RS_FB_OVERLOAD },
        { 500, RS_FB_OVERLOAD },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rs_view_force_band(cases[i].pct), cases[i].b);
    /* The calf map colours with the session's thresholds, not the defaults. */
    struct rs_view v;
    rs_view_init(&v);
    v.bands.force_typical_pct = 35;
    assert_int_equal(rs_view_force_band_in(&v, 34), RS_FB_MODERATE);
    assert_int_equal(rs_view_force_band_in(&v, 35), RS_FB_TYPICAL);
}

static void test_speed_bands(void **state)
{
    (void)state;
    static const struct { float cms; enum rs_view_speed_band b; } cases[] = {
        { 0, RS_SB_STILL }, { 0.49f, RS_SB_STILL }, { -0.49f, RS_SB_STILL }, { 0.5f, RS_SB_SLOW },
        { 9.99f, RS_SB_SLOW }, { 10, RS_SB_BRISK }, { -12, RS_SB_BRISK }, { 15, RS_SB_BRISK },
        { 15.01f, RS_SB_TOO_FAST }, { -40, RS_SB_TOO_FAST },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rs_view_speed_band(cases[i].cms), cases[i].b);
}

static void test_history_ring(void **state)
{
    (void)state;
    static struct rs_view_history h;
    for (int i = 0; i < RS_VIEW_HISTORY_N + 25; i++) {
        rs_view_history_push(&h, (float)i, (float)-i);
        unsigned want = i + 1 < RS_VIEW_HISTORY_N ? (unsigned)i + 1 : RS_VIEW_HISTORY_N;
        assert_int_equal(h.count, want);
        assert_true(rs_view_history_force(&h, h.count - 1) == (float)i);      /* newest */
        assert_true(rs_view_history_speed(&h, h.count - 1) == (float)-i);
        assert_true(rs_view_history_force(&h, 0) == (float)(i + 1 - (int)want)); /* oldest */
    }
}

static void test_hold_phases(void **state)
{
    (void)state;
    static const struct { bool on; float s; enum rs_hold_phase p; float frac; } cases[] = {
        { false, 20, RS_HP_NONE, 1.0f / 3 }, { true, 0, RS_HP_TO15, 0 },  { true, 7.5f, RS_HP_TO15, 0.5f },
        { true, 15, RS_HP_TO30, 0 },         { true, 22.5f, RS_HP_TO30, 0.5f }, { true, 30, RS_HP_DONE, 1 },
        { true, 59.9f, RS_HP_DONE, 1 },      { true, 60, RS_HP_LONG, 1 },  { true, 90, RS_HP_RELEASE, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(rs_hold_phase(cases[i].on, cases[i].s), cases[i].p);
        assert_true(fabsf(rs_hold_lap_fraction(cases[i].s) - cases[i].frac) < 1e-5f);
    }
}

/* A bin's time colour is one of the legend's five shades: the fifth of
 * the scale its time reaches, each fifth's top belonging to it. */
static void test_calfmap_shades(void **state)
{
    (void)state;
    static const struct { float t; int shade; } cases[] = {
        { 0.01f, 1 }, { 2.0f, 1 }, { 2.01f, 2 }, { 4.0f, 2 }, { 4.01f, 3 }, { 6.0f, 3 },
        { 7.99f, 4 }, { 8.0f, 4 }, { 8.01f, 5 }, { 10.0f, 5 }, { 15.0f, 5 }, { 25.0f, 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_rgb got = rs_calfmap_time_colour(cases[i].t, 10.0f);
        struct rs_rgb want = rs_calfmap_time_colour((float)cases[i].shade, RS_CALFMAP_SHADES);
        if (got.r != want.r || got.g != want.g || got.b != want.b)
            fail_msg("%.2f s of 10: not shade %d", (double)cases[i].t, cases[i].shade);
    }
    struct rs_rgb dim = rs_calfmap_time_colour(1, RS_CALFMAP_SHADES);
    struct rs_rgb full = rs_calfmap_time_colour(RS_CALFMAP_SHADES, RS_CALFMAP_SHADES);
    assert_true(dim.b < full.b);
}

static void test_layout(void **state)
{
    (void)state;
    static const struct { int w, h; float scale; } sizes[] = {
        { 800, 480, 1 },  { 1024, 600, 1 }, { 1280, 800, 1 },  { 1920, 1080, 1 },
        { 2560, 1600, 2 }, { 3840, 2160, 1 }, { 3840, 2160, 2 }, { 1600, 960, 2 },
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int replay = 0; replay < 2; replay++) {
            struct rs_layout l;
            rs_layout_compute(&l, sizes[i].w, sizes[i].h, sizes[i].scale, replay);
            struct rs_rect screen = { 0, 0, sizes[i].w, sizes[i].h };
            int area = 0;
            for (int p = 0; p < RS_P_COUNT; p++) {
                struct rs_rect r = l.panel[p];
                if (p == RS_P_TIMELINE && !replay) {
                    assert_int_equal(r.w * r.h, 0);
                    continue;
                }
                assert_true(r.w > 0 && r.h > 0);
                assert_true(rs_rect_contains(screen, r));
                area += r.w * r.h;
                for (int q = p + 1; q < RS_P_COUNT; q++)
                    assert_false(rs_rect_overlaps(r, l.panel[q]));
            }
            /* Panels fill most of the screen: gaps are padding only. */
            assert_true(area > 0.85 * sizes[i].w * sizes[i].h);
            assert_true(l.pad >= (int)(4 * sizes[i].scale));
            /* The big numerals' panels get the largest share of height. */
            assert_true(l.panel[RS_P_FORCE].h > l.panel[RS_P_CHARTS].h);
        }
    }
}

static double lin(uint8_t c)
{
    double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* WCAG 2 contrast ratio. */
static double contrast(struct rs_rgb a, struct rs_rgb b)
{
    double la = 0.2126 * lin(a.r) + 0.7152 * lin(a.g) + 0.0722 * lin(a.b);
    double lb = 0.2126 * lin(b.r) + 0.7152 * lin(b.g) + 0.0722 * lin(b.b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* Text and band colours stand out from the panels: 4.5:1 (WCAG AA) for
 * body text, 3:1 (AA large text) for the large coloured band words and
 * numerals, and more for the main numerals. */
static void test_contrast(void **state)
{
    (void)state;
    struct rs_rgb panel = rs_colour(RS_C_PANEL), bg = rs_colour(RS_C_BG);
    assert_true(contrast(rs_colour(RS_C_TEXT), panel) >= 12.0);
    assert_true(contrast(rs_colour(RS_C_TEXT_DIM), panel) >= 7.0);
    for (int b = 0; b < RS_FB_COUNT; b++)
        assert_true(contrast(rs_force_band_colour((enum rs_view_force_band)b), panel) >= 3.0);
    for (int b = 0; b < RS_SB_COUNT; b++)
        assert_true(contrast(rs_speed_band_colour((enum rs_view_speed_band)b), panel) >= 3.0);
    for (int p = RS_HP_TO15; p <= RS_HP_RELEASE; p++)
        assert_true(contrast(rs_hold_phase_colour((enum rs_hold_phase)p), panel) >= 3.0);
    assert_true(contrast(rs_colour(RS_C_YELLOW), panel) >= 4.5); /* advice text */
    assert_true(contrast(rs_colour(RS_C_TEXT), bg) >= 12.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_force_bands), cmocka_unit_test(test_speed_bands),
        cmocka_unit_test(test_history_ring), cmocka_unit_test(test_hold_phases),
        cmocka_unit_test(test_calfmap_shades),
        cmocka_unit_test(test_layout), cmocka_unit_test(test_contrast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
