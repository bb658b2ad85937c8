/*
 * test_ui_render.c - the live/replay frame, checked on pixels (label ui).
 *
 * Each case renders a scripted view with the software renderer on the
 * offscreen driver and probes pixels at the places the renderer reports in
 * its geometry: the hold ring's filled fraction, band colours, the too-fast
 * and knee-zone banners, the leg badge. Every key state is also written as
 * a PNG artefact at 1280x800 and 800x480 (argv[1], default ./artifacts/ui)
 * and its text boxes are checked against their panels and each other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rs_viewscript.h"
#include "ui_harness.h"

static const char *artifact_dir = "artifacts/ui";
static struct ui_harness big, small;
static struct rs_view view;

static int setup(void **state)
{
    (void)state;
    if (ui_harness_sdl_init() != 0 || ui_harness_open(&big, 1280, 800) != 0 ||
        ui_harness_open(&small, 800, 480) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ui_harness_close(&big);
    ui_harness_close(&small);
    SDL_Quit();
    return 0;
}

static const struct rs_overlay plain = { .volume_pct = 80 };

/* Fraction of the ring's mid-line (360 probes) showing colour c. */
static double ring_fraction(const struct ui_harness *u, struct rs_rgb c)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    double rm = (g->ring_outer + g->ring_inner) / 2.0;
    int hit = 0;
    for (int i = 0; i < 360; i++) {
        double a = (i + 0.5) * M_PI / 180.0;
        int x = (int)lround(g->ring_cx + rm * sin(a)), y = (int)lround(g->ring_cy - rm * cos(a));
        hit += ui_rgb_near(ui_pixel(u, x, y), c, 6);
    }
    return hit / 360.0;
}

/* Pixel inside the inner disc, clear of the numerals (45 deg, 0.85 ri). */
static struct rs_rgb disc_pixel(const struct ui_harness *u)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    double d = 0.85 * (g->ring_inner - 2 * g->layout.line) / sqrt(2.0);
    return ui_pixel(u, g->ring_cx + (int)d, g->ring_cy - (int)d);
}

static struct rs_rgb centre(const struct ui_harness *u, struct rs_rect r)
{
    return ui_pixel(u, r.x + r.w / 2, r.y + r.h / 2);
}

/* A pixel just inside a rectangle's top-left corner (clear of text). */
static struct rs_rgb corner(const struct ui_harness *u, struct rs_rect r)
{
    return ui_pixel(u, r.x + 2, r.y + 2);
}

static bool text_logged(const struct ui_harness *u, const char *s)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    for (int i = 0; i < g->ntext; i++)
        if (!g->text[i].dropped && strcmp(g->text[i].text, s) == 0)
            return true;
    return false;
}

static void test_hold_ring(void **state)
{
    (void)state;
    static const struct {
        float s;
        double sky, green; /* expected fractions of the ring */
        bool disc;         /* "target reached" look: filled centre */
    } cases[] = {
        { 0.0f, 0.0, 0.0, false },   { 7.5f, 0.5, 0.0, false }, { 15.0f, 1.0, 0.0, false },
        { 22.5f, 0.5, 0.5, false },  { 29.9f, 0.0, 1.0, false }, { 30.0f, 0.0, 1.0, true },
        { 45.0f, 0.0, 1.0, true },
    };
    struct rs_rgb sky = rs_colour(RS_C_SKY), green = rs_colour(RS_C_GREEN);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ui_harness *sizes[] = { &big, &small };
        for (int z = 0; z < 2; z++) {
            struct ui_harness *u = sizes[z];
            rs_viewscript_state(&view, RS_VS_ROLLING);
            view.hold_active = true;
            view.hold_s = cases[i].s;
            ui_harness_render(u, &view, &plain);
            double fs = ring_fraction(u, sky), fg = ring_fraction(u, green);
            print_message("hold %.1f s at %dx%d: sky %.3f green %.3f\n", cases[i].s, u->w, u->h, fs, fg);
            assert_true(fabs(fs - cases[i].sky) <= 0.02);
            assert_true(fabs(fg - cases[i].green) <= 0.02);
            assert_int_equal(ui_rgb_near(disc_pixel(u), green, 6), cases[i].disc);
        }
    }
    /* No hold: the ring is only the empty track. */
    rs_viewscript_state(&view, RS_VS_ROLLING);
    view.hold_active = false;
    ui_harness_render(&big, &view, &plain);
    assert_true(ring_fraction(&big, rs_colour(RS_C_TRACK)) > 0.98);
}

static void test_force_band_colours(void **state)
{
    (void)state;
    static const float pct[RS_FB_COUNT] = { 2, 10, 22, 37, 52, 70, 90 };
    for (int b = 0; b < RS_FB_COUNT; b++) {
        rs_viewscript_state(&view, RS_VS_ROLLING);
        view.force_pct = pct[b];
        view.force_band = rs_view_force_band(pct[b]);
        assert_int_equal(view.force_band, b);
        ui_harness_render(&big, &view, &plain);
        const struct rs_render_geom *g = rs_render_geometry(big.rr);
        assert_true(ui_rgb_near(centre(&big, g->force_band_bar), rs_force_band_colour((enum rs_view_force_band)b), 2));
        /* the band's word; "no extra benefit" says what to do instead */
        assert_true(text_logged(&big, b == RS_FB_NO_BENEFIT ? "EASE OFF"
                                                            : rs_view_force_band_name((enum rs_view_force_band)b)));
    }
    /* All seven band colours differ clearly from each other. */
    for (int a = 0; a < RS_FB_COUNT; a++)
        for (int b = a + 1; b < RS_FB_COUNT; b++)
            assert_false(ui_rgb_near(rs_force_band_colour((enum rs_view_force_band)a), rs_force_band_colour((enum rs_view_force_band)b), 40));
}

static void test_speed_bands_and_too_fast(void **state)
{
    (void)state;
    static const struct { float cms; enum rs_view_speed_band band; bool slow_down; } cases[] = {
        { 0.0f, RS_SB_STILL, false }, { 5.0f, RS_SB_SLOW, false },
        { 12.0f, RS_SB_BRISK, false }, { 18.0f, RS_SB_TOO_FAST, true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ui_harness *sizes[] = { &big, &small };
        for (int z = 0; z < 2; z++) {
            struct ui_harness *u = sizes[z];
            rs_viewscript_state(&view, RS_VS_ROLLING);
            view.advice[0] = '\0';
            view.speed_cms = cases[i].cms;
            view.speed_band = rs_view_speed_band(cases[i].cms);
            assert_int_equal(view.speed_band, cases[i].band);
            ui_harness_render(u, &view, &plain);
            const struct rs_render_geom *g = rs_render_geometry(u->rr);
            /* The gauge segment of the current band is at full colour. */
            struct rs_rect ga = g->speed_gauge;
            static const float seg_mid[] = { 2.5f, 13.5f, 19.5f }; /* clear of the marker */
            for (int s = 0; s < 3; s++) {
                struct rs_rgb px = ui_pixel(u, ga.x + (int)(ga.w * seg_mid[s] / RS_RENDER_GAUGE_MAX), ga.y + ga.h - 2);
                bool full = (int)cases[i].band == s + 1;
                assert_int_equal(ui_rgb_near(px, rs_speed_band_colour((enum rs_view_speed_band)(s + 1)), 2), full);
            }
            bool banner = g->nalerts > 0 && g->alert[0] == RS_AL_SLOW_DOWN;
            assert_int_equal(banner, cases[i].slow_down);
            assert_int_equal(text_logged(u, "SLOW DOWN"), cases[i].slow_down);
            if (banner)
                assert_true(ui_rgb_near(corner(u, g->alert_rect[0]), rs_colour(RS_C_VERMILLION), 2));
            else
                assert_true(ui_rgb_near(corner(u, g->layout.panel[RS_P_ALERT]), rs_colour(RS_C_PANEL), 2));
        }
    }
}

static void test_knee_zone(void **state)
{
    (void)state;
    for (int in = 0; in < 2; in++) {
        rs_viewscript_state(&view, RS_VS_ROLLING);
        view.advice[0] = '\0';
        view.position_cm = in ? 33.0f : 12.0f;
        view.in_knee_zone = in;
        ui_harness_render(&big, &view, &plain);
        const struct rs_render_geom *g = rs_render_geometry(big.rr);
        bool banner = g->nalerts > 0 && g->alert[0] == RS_AL_KNEE;
        assert_int_equal(banner, in);
        assert_int_equal(text_logged(&big, "AVOID THE BACK OF THE KNEE"), in);
        if (banner)
            assert_true(ui_rgb_near(corner(&big, g->alert_rect[0]), rs_colour(RS_C_KNEE), 2));
        /* The knee zone on the calf bar lights up only when in it. */
        struct rs_rgb kz = corner(&big, g->knee_zone);
        assert_int_equal(ui_rgb_near(kz, rs_colour(RS_C_KNEE), 2), in);
        assert_true(g->knee_zone.h > 0 && g->knee_zone.y == g->pos_bar.y);
    }
    /* After leaving the zone the banner stays (knee_banner, 3 s) while the
     * bar shows where the roller is; the knee colour is no leg's colour. */
    rs_viewscript_state(&view, RS_VS_ROLLING);
    view.advice[0] = '\0';
    view.in_knee_zone = false;
    view.knee_banner = true;
    ui_harness_render(&big, &view, &plain);
    const struct rs_render_geom *g = rs_render_geometry(big.rr);
    assert_true(g->nalerts > 0 && g->alert[0] == RS_AL_KNEE);
    assert_false(ui_rgb_near(corner(&big, g->knee_zone), rs_colour(RS_C_KNEE), 2));
    for (int leg = RS_VLEG_NONE; leg <= RS_VLEG_RIGHT; leg++)
        assert_false(ui_rgb_near(rs_leg_colour((enum rs_view_leg)leg), rs_colour(RS_C_KNEE), 40));
}

/* No audio device: the status bar says SOUND OFF (never a volume that
 * cannot be heard); with sound it shows the volume, muted says MUTED. */
static void test_sound_off_status(void **state)
{
    (void)state;
    rs_viewscript_state(&view, RS_VS_ROLLING);
    struct rs_overlay off = { .volume_pct = 80, .sound_off = "no audio device: dsp" };
    ui_harness_render(&big, &view, &off);
    assert_true(text_logged(&big, "SOUND OFF"));
    assert_false(text_logged(&big, "VOL 80"));
    ui_harness_render(&big, &view, &plain);
    assert_true(text_logged(&big, "VOL 80"));
    assert_false(text_logged(&big, "SOUND OFF"));
}

/* Readings a hair below zero never show as "-0". */
static void test_no_negative_zero(void **state)
{
    (void)state;
    rs_viewscript_state(&view, RS_VS_ROLLING);
    view.calibrated = true;
    view.bw_known = true;
    view.force_n = -0.4f;
    view.force_pct = -0.2f;
    view.left_n = -0.3f;
    view.right_n = -0.1f;
    view.on_calf = true;
    view.position_cm = -0.2f;
    ui_harness_render(&big, &view, &plain);
    static const char *const zero[] = { "0", "0 %BW", "L 0", "R 0", "0 cm" };
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (!text_logged(&big, zero[i]))
            fail_msg("'%s' not drawn", zero[i]);
    const struct rs_render_geom *g = rs_render_geometry(big.rr);
    for (int i = 0; i < g->ntext; i++)
        if (strstr(g->text[i].text, "-0"))
            fail_msg("negative zero drawn: '%s'", g->text[i].text);
    /* The rounding edge: printf rounds -0.5 to "-0", so it is 0 too. */
    assert_true(rs_view_nz(-0.5, 0) == 0 && !signbit(rs_view_nz(-0.5, 0)));
    assert_true(rs_view_nz(-0.51, 0) == -0.51);
    assert_true(rs_view_nz(-0.049, 1) == 0);
    assert_true(rs_view_nz(-0.051, 1) == -0.051);
}

static void test_leg_indicator(void **state)
{
    (void)state;
    static const struct { enum rs_view_leg leg; const char *word; enum rs_colour c; } cases[] = {
        { RS_VLEG_LEFT, "LEFT", RS_C_BLUE }, { RS_VLEG_RIGHT, "RIGHT", RS_C_PURPLE }, { RS_VLEG_NONE, "NO LEG", RS_C_TRACK },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rs_viewscript_state(&view, RS_VS_ROLLING);
        view.leg = cases[i].leg;
        ui_harness_render(&small, &view, &plain);
        const struct rs_render_geom *g = rs_render_geometry(small.rr);
        assert_true(ui_rgb_near(corner(&small, g->leg_badge), rs_colour(cases[i].c), 2));
        assert_true(text_logged(&small, cases[i].word));
    }
}

/* Replay: the timeline is filled up to the position, marks stand above
 * it, and the transport icon says paused (two bars) or playing (triangle). */
static void test_replay_timeline(void **state)
{
    (void)state;
    for (int paused = 0; paused < 2; paused++) {
        rs_viewscript_state(&view, RS_VS_REPLAY);
        view.replay_paused = paused;
        view.replay_pos_s = 100;
        view.replay_len_s = 400;
        ui_harness_render(&big, &view, &plain);
        const struct rs_render_geom *g = rs_render_geometry(big.rr);
        struct rs_rect bar = g->timeline_bar;
        assert_true(bar.w > 0);
        int y = bar.y + bar.h - 2;
        assert_true(ui_rgb_near(ui_pixel(&big, bar.x + bar.w / 8, y), rs_colour(RS_C_SKY), 2));
        assert_true(ui_rgb_near(ui_pixel(&big, bar.x + bar.w * 3 / 8, y), rs_colour(RS_C_TRACK), 2));
        assert_true(ui_rgb_near(ui_pixel(&big, bar.x + bar.w * 3 / 4, y), rs_colour(RS_C_TRACK), 2));
        /* The first hold (15 s of 400) is a yellow tick above the bar. */
        int mx = bar.x + (int)(bar.w * 15.0f / 400.0f);
        assert_true(ui_rgb_near(ui_pixel(&big, mx, bar.y - 2), rs_colour(RS_C_YELLOW), 2));
        struct rs_rect ic = g->transport_icon;
        struct rs_rgb mid = ui_pixel(&big, ic.x + ic.w / 2, ic.y + ic.h / 2);
        struct rs_rgb left = ui_pixel(&big, ic.x + ic.w / 5, ic.y + ic.h / 2);
        if (paused) {
            assert_true(ui_rgb_near(mid, rs_colour(RS_C_PANEL), 2));
            assert_true(ui_rgb_near(left, rs_colour(RS_C_ORANGE), 2));
            assert_true(text_logged(&big, "PAUSED 2x"));
        } else {
            assert_true(ui_rgb_near(mid, rs_colour(RS_C_GREEN), 2));
            assert_true(text_logged(&big, "PLAYING 2x"));
        }
    }
    /* Live: no timeline at all. */
    rs_viewscript_state(&view, RS_VS_ROLLING);
    ui_harness_render(&big, &view, &plain);
    assert_int_equal(rs_render_geometry(big.rr)->timeline_bar.w, 0);
}

/* Every string drawn lies inside its panel, none was dropped, and no two
 * strings share a pixel. */
static void check_text_boxes(const struct ui_harness *u, const char *what)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    assert_true(g->ntext > 0 && g->ntext < RS_TEXT_LOG_MAX);
    for (int i = 0; i < g->ntext; i++) {
        const struct rs_text_box *b = &g->text[i];
        struct rs_rect panel = b->panel == RS_P_COUNT ? g->overlay_box : g->layout.panel[b->panel];
        if (b->dropped || !rs_rect_contains(panel, b->box))
            fail_msg("%s at %dx%d: text '%s' %s (box %d,%d %dx%d, panel %d,%d %dx%d)", what, u->w, u->h, b->text,
                     b->dropped ? "did not fit" : "leaves its panel", b->box.x, b->box.y, b->box.w, b->box.h,
                     panel.x, panel.y, panel.w, panel.h);
        for (int j = i + 1; j < g->ntext; j++)
            if ((b->panel == RS_P_COUNT) == (g->text[j].panel == RS_P_COUNT) && rs_rect_overlaps(b->box, g->text[j].box))
                fail_msg("%s at %dx%d: text '%s' overlaps '%s'", what, u->w, u->h, b->text, g->text[j].text);
    }
}

static void test_key_states_screenshots_and_text(void **state)
{
    (void)state;
    struct ui_harness *sizes[] = { &big, &small };
    for (int z = 0; z < 2; z++) {
        struct ui_harness *u = sizes[z];
        for (int s = 0; s < RS_VS_COUNT; s++) {
            rs_viewscript_state(&view, (enum rs_viewscript_state)s);
            ui_harness_render(u, &view, &plain);
            check_text_boxes(u, rs_viewscript_name((enum rs_viewscript_state)s));
            char name[96];
            snprintf(name, sizeof name, "%s-%dx%d", rs_viewscript_name((enum rs_viewscript_state)s), u->w, u->h);
            assert_int_equal(ui_harness_save_png(u, artifact_dir, name), 0);
            char path[1200];
            snprintf(path, sizeof path, "%s/%s.png", artifact_dir, name);
            struct stat st;
            assert_int_equal(stat(path, &st), 0);
            assert_true(st.st_size > 1000);
        }
        /* The overlays: safety note and help, over a busy state. */
        static const struct { struct rs_overlay ov; const char *name; } ovs[] = {
            { { .safety_note = true, .volume_pct = 80 }, "safety-note" },
            { { .help = true, .muted = true }, "help" },
        };
        for (size_t o = 0; o < sizeof ovs / sizeof ovs[0]; o++) {
            rs_viewscript_state(&view, RS_VS_TOO_FAST);
            ui_harness_render(u, &view, &ovs[o].ov);
            check_text_boxes(u, ovs[o].name);
            char name[96];
            snprintf(name, sizeof name, "%s-%dx%d", ovs[o].name, u->w, u->h);
            assert_int_equal(ui_harness_save_png(u, artifact_dir, name), 0);
        }
    }
}

/* The animated session never draws text outside its panel at any moment. */
static void test_scripted_session_text(void **state)
{
    (void)state;
    for (float t = 0; t < RS_VIEWSCRIPT_LOOP_S; t += 2.5f) {
        rs_viewscript_at(&view, t);
        ui_harness_render(&small, &view, &plain);
        check_text_boxes(&small, "session");
    }
}

/* The layout holds from 800x480 to 4K with HiDPI: panels inside the output,
 * disjoint, and the text still fits. */
static void test_sizes(void **state)
{
    (void)state;
    static const struct { int w, h; float scale; } sizes[] = {
        { 800, 480, 1 }, { 1024, 600, 1 }, { 1920, 1080, 1 }, { 2560, 1600, 2 }, { 3840, 2160, 1 }, { 3840, 2160, 2 },
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct ui_harness u;
        assert_int_equal(ui_harness_open(&u, sizes[i].w, sizes[i].h), 0);
        u.scale = sizes[i].scale;
        for (int s = 0; s < RS_VS_COUNT; s++) {
            rs_viewscript_state(&view, (enum rs_viewscript_state)s);
            ui_harness_render(&u, &view, &plain);
            check_text_boxes(&u, rs_viewscript_name((enum rs_viewscript_state)s));
        }
        /* Hold ring semantics hold at every size. */
        rs_viewscript_state(&view, RS_VS_ROLLING);
        view.hold_active = true;
        view.hold_s = 7.5f;
        ui_harness_render(&u, &view, &plain);
        assert_true(fabs(ring_fraction(&u, rs_colour(RS_C_SKY)) - 0.5) <= 0.02);
        char name[96];
        snprintf(name, sizeof name, "hold-7s-%dx%d-scale%.0f", u.w, u.h, (double)u.scale);
        assert_int_equal(ui_harness_save_png(&u, artifact_dir, name), 0);
        ui_harness_close(&u);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        artifact_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hold_ring),
        cmocka_unit_test(test_force_band_colours),
        cmocka_unit_test(test_speed_bands_and_too_fast),
        cmocka_unit_test(test_knee_zone),
        cmocka_unit_test(test_sound_off_status),
        cmocka_unit_test(test_no_negative_zero),
        cmocka_unit_test(test_leg_indicator),
        cmocka_unit_test(test_replay_timeline),
        cmocka_unit_test(test_key_states_screenshots_and_text),
        cmocka_unit_test(test_scripted_session_text),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
