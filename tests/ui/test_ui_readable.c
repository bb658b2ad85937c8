/*
 * test_ui_readable.c - the live window read from 3 m: text sizes taken
 * from the renderer's text log (the font size each string was drawn at).
 *
 * - The hold seconds are at least as large as the force and speed numerals
 *   (at 7.5, 22 and 35 s, 1280x800 and 800x480 and 1920x1200).
 * - State words (force and speed band names, the hold caption, the leg
 *   badge, every banner and the dose advice) are at least 40 px at
 *   1280x800, and scale with the window (at least 40 * h / 800 px, one
 *   ladder step (15 %) of rounding allowed, at 1920x1200 and 2560x1600).
 * - A toast (MARKED) never covers the advice or a banner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_calfmap.h"
#include "rs_run.h"
#include "rs_viewscript.h"
#include "rs_warn.h"
#include "ui_harness.h"

#define STATES 8

static const struct rs_overlay plain = { .volume_pct = 80 };

static const struct rs_text_box *find(const struct ui_harness *u, int panel, const char *s)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    for (int i = 0; i < g->ntext; i++)
        if (g->text[i].panel == panel && strcmp(g->text[i].text, s) == 0)
            return &g->text[i];
    return NULL;
}

static int px_of(const struct ui_harness *u, int panel, const char *s)
{
    const struct rs_text_box *b = find(u, panel, s);
    if (!b)
        fail_msg("'%s' not drawn in panel %d", s, panel);
    return b->px;
}

/* The smallest size of the state words of this frame. */
static int state_words_px(const struct ui_harness *u, const struct rs_view *v)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    int least = 1000;
    char b[32];
    const char *words[4] = { v->force_band == RS_FB_NO_BENEFIT ? "EASE OFF"
                                                               : rs_view_force_band_name(v->force_band),
                             rs_view_speed_band_name(v->speed_band),
                             v->leg == RS_VLEG_LEFT ? "LEFT" : v->leg == RS_VLEG_RIGHT ? "RIGHT" : "NO LEG",
                             NULL };
    static const int panels[3] = { RS_P_FORCE, RS_P_SPEED, RS_P_LEG };
    for (int i = 0; i < 3; i++) {
        snprintf(b, sizeof b, "%s", words[i]);
        int px = px_of(u, panels[i], b);
        if (px < least && getenv("RS_TEST_VERBOSE"))
            fprintf(stderr, "  '%s' %d px\n", b, px);
        least = px < least ? px : least;
    }
    /* the hold caption: the last string of the hold panel */
    int cap = -1;
    for (int i = 0; i < g->ntext; i++)
        if (g->text[i].panel == RS_P_HOLD)
            cap = i;
    assert_true(cap >= 0);
    least = g->text[cap].px < least ? g->text[cap].px : least;
    /* banners and advice: every line drawn in the alert row */
    int lines = 0;
    for (int i = 0; i < g->ntext; i++)
        if (g->text[i].panel == RS_P_ALERT) {
            if (g->text[i].dropped)
                fail_msg("banner text dropped: '%s'", g->text[i].text);
            if (g->text[i].px < least && getenv("RS_TEST_VERBOSE"))
                fprintf(stderr, "  '%s' %d px\n", g->text[i].text, g->text[i].px);
            least = g->text[i].px < least ? g->text[i].px : least;
            lines++;
        }
    assert_true(lines >= g->nalerts);
    return least;
}

/* States with every kind of state word: bands, hold phases, banners, advice. */
static void states(struct rs_view *out, int *n)
{
    *n = 0;
    rs_viewscript_state(&out[(*n)++], RS_VS_ROLLING);
    rs_viewscript_state(&out[(*n)++], RS_VS_HOLD_TO30);
    rs_viewscript_state(&out[(*n)++], RS_VS_HOLD_DONE);
    rs_viewscript_state(&out[(*n)++], RS_VS_TOO_FAST);
    /* every dose advice (the longest leg name) next to a banner */
    static const int kinds[] = { RS_DOSE_HOLDS, RS_DOSE_SWITCH, RS_DOSE_STOP };
    for (int k = 0; k < 3; k++) {
        struct rs_view *v = &out[(*n)++];
        rs_viewscript_state(v, RS_VS_HOLD_DONE);
        v->force_band = RS_FB_OVERLOAD;
        rs_warn_advice_text(kinds[k], 1, 12, v->advice, sizeof v->advice);
    }
}

static void test_hold_seconds_not_smaller(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 }, { 1920, 1200 } };
    static const float holds[] = { 7.5f, 22.0f, 35.0f };
    for (size_t z = 0; z < 3; z++) {
        struct ui_harness u;
        assert_int_equal(ui_harness_open(&u, sizes[z][0], sizes[z][1]), 0);
        for (size_t i = 0; i < 3; i++) {
            static struct rs_view v;
            rs_viewscript_state(&v, RS_VS_HOLD_TO30);
            v.hold_s = holds[i];
            v.force_n = 315;
            v.speed_cms = 12.5f;
            ui_harness_render(&u, &v, &plain);
            char hs[16];
            snprintf(hs, sizeof hs, "%d", (int)v.hold_s);
            int hold = px_of(&u, RS_P_HOLD, hs), force = px_of(&u, RS_P_FORCE, "315"),
                speed = px_of(&u, RS_P_SPEED, "12.5");
            if (hold < force || hold < speed)
                fail_msg("%dx%d at %.1f s: hold %d px, force %d px, speed %d px", u.w, u.h,
                         (double)v.hold_s, hold, force, speed);
            /* and still large: the numerals are the biggest text there is */
            assert_true(hold >= u.h / 10);
        }
        ui_harness_close(&u);
    }
}

static void test_state_words_40px(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1280, 800 }, { 1920, 1200 }, { 2560, 1600 } };
    static struct rs_view v[STATES];
    int n;
    states(v, &n);
    for (size_t z = 0; z < 3; z++) {
        struct ui_harness u;
        assert_int_equal(ui_harness_open(&u, sizes[z][0], sizes[z][1]), 0);
        double want = 40.0 * u.h / 800.0 / (u.h == 800 ? 1.0 : 1.15);
        for (int i = 0; i < n; i++) {
            ui_harness_render(&u, &v[i], &plain);
            int px = state_words_px(&u, &v[i]);
            if (px < want)
                fail_msg("%dx%d state %d: a state word at %d px (want >= %.0f)", u.w, u.h, i, px,
                         want);
        }
        ui_harness_close(&u);
    }
}

/* The MARKED toast has its own box: banners and advice stay readable. */
static void test_toast_does_not_cover_advice(void **state)
{
    (void)state;
    struct ui_harness u;
    assert_int_equal(ui_harness_open(&u, 1280, 800), 0);
    static struct rs_view v[STATES];
    int n;
    states(v, &n);
    struct rs_overlay ov = plain;
    ov.toast = "MARKED";
    for (int i = 0; i < n; i++) {
        ui_harness_render(&u, &v[i], &ov);
        const struct rs_render_geom *g = rs_render_geometry(u.rr);
        const struct rs_text_box *t = find(&u, RS_P_ALERT, "MARKED");
        assert_non_null(t);
        for (int k = 0; k < g->nalerts; k++)
            if (rs_rect_overlaps(g->alert_rect[k], t->box))
                fail_msg("state %d: the toast covers banner %d", i, k);
        for (int j = 0; j < g->ntext; j++)
            if (&g->text[j] != t && rs_rect_overlaps(g->text[j].box, t->box))
                fail_msg("state %d: the toast covers '%s'", i, g->text[j].text);
        /* the toast's box is blue where no text is, the banners keep theirs */
        assert_true(ui_rgb_near(ui_pixel(&u, u.w - g->layout.pad - 2, g->layout.panel[RS_P_ALERT].y + 2),
                                rs_colour(RS_C_BLUE), 2));
    }
    ui_harness_close(&u);
}

/* An uncalibrated roller: nominal N, %BW, cm/s and cm, each marked "~",
 * "~ NOT CALIBRATED" in the force and speed panels and the banner; no raw
 * counts or counts per second anywhere. */
static void test_uncalibrated_nominal(void **state)
{
    (void)state;
    struct ui_harness u;
    assert_int_equal(ui_harness_open(&u, 1280, 800), 0);
    static struct rs_view v;
    rs_viewscript_state(&v, RS_VS_ROLLING);
    v.calibrated = false;
    v.force_n = 287.4f;
    v.force_pct = 41.2f;
    v.speed_cms = 4.24f;
    v.position_cm = 16.2f;
    ui_harness_render(&u, &v, &plain);
    assert_non_null(find(&u, RS_P_FORCE, "~287"));
    assert_non_null(find(&u, RS_P_FORCE, "N"));
    assert_non_null(find(&u, RS_P_FORCE, "~41 %BW"));
    assert_non_null(find(&u, RS_P_FORCE, "~ NOT CALIBRATED"));
    assert_non_null(find(&u, RS_P_SPEED, "~4.2"));
    assert_non_null(find(&u, RS_P_SPEED, "cm/s"));
    assert_non_null(find(&u, RS_P_SPEED, "~ NOT CALIBRATED"));
    assert_non_null(find(&u, RS_P_LEG, "~16 cm"));
    const struct rs_render_geom *g = rs_render_geometry(u.rr);
    bool banner = false;
    for (int i = 0; i < g->ntext; i++) {
        const char *t = g->text[i].text;
        assert_null(strstr(t, "raw"));
        assert_null(strstr(t, "RAW"));
        assert_null(strstr(t, "cnt/s"));
        banner |= g->text[i].panel == RS_P_ALERT && strncmp(t, "~ NOT CALIBRATED", 16) == 0;
    }
    assert_true(banner);
    /* calibrated: the same figures without the marks */
    v.calibrated = true;
    ui_harness_render(&u, &v, &plain);
    assert_non_null(find(&u, RS_P_FORCE, "287"));
    assert_non_null(find(&u, RS_P_SPEED, "4.2"));
    assert_null(find(&u, RS_P_FORCE, "~ NOT CALIBRATED"));
    ui_harness_close(&u);
}

/* The first-run safety note does not hide the running session: the status
 * bar (clock, REC) and the banners above it look exactly as without it. */
static void test_safety_note_keeps_session_in_view(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 } };
    for (size_t z = 0; z < 2; z++) {
        struct ui_harness u;
        assert_int_equal(ui_harness_open(&u, sizes[z][0], sizes[z][1]), 0);
        static struct rs_view v;
        rs_viewscript_state(&v, RS_VS_TOO_FAST);
        ui_harness_render(&u, &v, &plain);
        const struct rs_render_geom *g = rs_render_geometry(u.rr);
        struct rs_rect al = g->layout.panel[RS_P_ALERT];
        int top = al.y + al.h;
        size_t n = (size_t)top * (size_t)u.w;
        Uint32 *before = malloc(n * sizeof *before);
        assert_non_null(before);
        memcpy(before, u.pixels, n * sizeof *before);
        struct rs_overlay ov = plain;
        ov.safety_note = true;
        ui_harness_render(&u, &v, &ov);
        assert_true(g->overlay_box.y >= top);
        assert_true(g->overlay_box.h > u.h / 2);
        assert_memory_equal(before, u.pixels, n * sizeof *before);
        /* below, the note's box is there */
        assert_true(ui_rgb_near(ui_pixel(&u, g->overlay_box.x + 1, g->overlay_box.y + 1),
                                rs_colour(RS_C_ORANGE), 2));
        free(before);
        ui_harness_close(&u);
    }
}

/* The live calf maps: one brightness scale for both legs (the same time
 * is the same brightness on either), and a legend with the band colours. */
static void test_calf_map_scale_and_legend(void **state)
{
    (void)state;
    struct ui_harness u;
    assert_int_equal(ui_harness_open(&u, 1280, 800), 0);
    static struct rs_view v;
    rs_viewscript_state(&v, RS_VS_ROLLING);
    v.calf_length_cm = 40;
    memset(v.calf, 0, sizeof v.calf);
    for (int i = 5; i < 30; i++) {
        v.calf[0].time_s[i] = 8;
        v.calf[0].pressure_pct[i] = 35;
        v.calf[1].time_s[i] = 2;
        v.calf[1].pressure_pct[i] = 35;
    }
    ui_harness_render(&u, &v, &plain);
    const struct rs_render_geom *g = rs_render_geometry(u.rr);
    for (int k = 0; k < 2; k++) {
        struct rs_rect m = g->calf_map[k];
        int y = m.y + m.h - (int)lroundf(m.h * 10.5f / 40.0f);
        struct rs_rgb want = rs_calfmap_time_colour(k ? 2.0f : 8.0f, 8.0f);
        if (!ui_rgb_near(ui_pixel(&u, m.x + m.w / 5, y), want, 2))
            fail_msg("leg %d: not on the common scale", k);
    }
    struct rs_rect lg = g->map_legend;
    assert_true(lg.w > 0 && lg.y >= g->calf_map[0].y + g->calf_map[0].h);
    int sy = lg.y + lg.h / 6;
    for (int b = RS_FB_LIGHT; b < RS_FB_COUNT; b++) {
        int x = lg.x + (int)lroundf(lg.w * (0.32f + 0.38f * (b - 0.5f) / 6.0f));
        if (!ui_rgb_near(ui_pixel(&u, x, sy), rs_force_band_colour((enum rs_view_force_band)b), 2))
            fail_msg("legend: band %d missing", b);
    }
    assert_non_null(find(&u, RS_P_MAP, "TIME"));
    assert_non_null(find(&u, RS_P_MAP, "PRESSURE"));
    assert_non_null(find(&u, RS_P_MAP, "HOLD"));
    ui_harness_close(&u);
}

/* The strip charts carry the values of their reference lines (force 30 and
 * 60 %BW, speed 10 and 15 cm/s), left of the plot, at every size. */
static void test_chart_axis_values(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 } };
    for (size_t z = 0; z < 2; z++) {
        struct ui_harness u;
        assert_int_equal(ui_harness_open(&u, sizes[z][0], sizes[z][1]), 0);
        static struct rs_view v;
        rs_viewscript_state(&v, RS_VS_ROLLING);
        ui_harness_render(&u, &v, &plain);
        static const char *const want[] = { "60", "30", "15", "10" };
        const struct rs_render_geom *g = rs_render_geometry(u.rr);
        int ys[4] = { 0, 0, 0, 1 };
        /* at 800x480 the speed lines are too close for both values: the upper one */
        int n = u.w == 1280 ? 4 : 3;
        for (int i = 0; i < n; i++) {
            const struct rs_text_box *b = find(&u, RS_P_CHARTS, want[i]);
            if (!b || b->dropped)
                fail_msg("%dx%d: no axis value %s", u.w, u.h, want[i]);
            ys[i] = b->box.y;
            assert_true(b->box.x < g->layout.panel[RS_P_CHARTS].x + g->layout.panel[RS_P_CHARTS].w / 8);
        }
        assert_true(ys[0] < ys[1]); /* higher values above */
        if (n == 4)
            assert_true(ys[2] < ys[3]);
        ui_harness_close(&u);
    }
}

/* Why no roller: the connection's real texts to banner words and detail. */
static void test_link_why_table(void **state)
{
    (void)state;
    static const struct {
        const char *text, *title, *detail_has;
    } t[] = {
        { "no roller found (is it plugged in? try --port PATH)", "NO ROLLER FOUND", "plugged in" },
        { "/dev/ttyACM9: no such port", "PORT NOT FOUND", "/dev/ttyACM9: no such port" },
        { "cannot open /dev/ttyACM0: permission denied (is the user in group dialout?)",
          "NO PERMISSION FOR THE PORT", "hw/udev/70-rollsense.rules" },
        { "/dev/ttyACM0: permission denied", "NO PERMISSION FOR THE PORT", "replug" },
        { "port /dev/ttyACM0 is in use (by PID 42)", "PORT IN USE", "PID 42" },
        { "several rollers found: A (/dev/ttyACM0), B (/dev/ttyACM1)", "SEVERAL ROLLERS", "--device" },
        { "no roller with serial X1; found: Y2", "ROLLER NOT FOUND", "serial X1" },
        { "device disconnected", "NO ROLLER CONNECTED", "device disconnected" },
        { "", "", "" },
        { NULL, "", "" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char title[32], detail[RS_VIEW_TEXT_MAX];
        rs_run_link_why(t[i].text, title, sizeof title, detail, sizeof detail);
        if (strcmp(title, t[i].title) != 0 || !strstr(detail, t[i].detail_has))
            fail_msg("'%s': got '%s' / '%s'", t[i].text ? t[i].text : "(null)", title, detail);
    }
}

/* The reason kept from the connection's events, and put on the view only
 * while not connected. */
static void test_link_why_events(void **state)
{
    (void)state;
    char why[64] = "";
    struct rs_conn_event n = { .type = RS_CONN_EV_NOTICE, .reason = "/dev/x: no such port" };
    assert_true(rs_run_why_event(why, sizeof why, &n));
    assert_string_equal(why, "/dev/x: no such port");
    assert_false(rs_run_why_event(why, sizeof why, &n)); /* said once */
    struct rs_conn_event st = { .type = RS_CONN_EV_STATE, .state = RS_CONN_SEARCHING,
                                .reason = "device disconnected" };
    assert_true(rs_run_why_event(why, sizeof why, &st));
    assert_string_equal(why, "device disconnected");
    struct rs_conn_event quiet = { .type = RS_CONN_EV_STATE, .state = RS_CONN_CONNECTING };
    assert_false(rs_run_why_event(why, sizeof why, &quiet)); /* no reason: kept */
    assert_string_equal(why, "device disconnected");
    struct rs_conn_event gap = { .type = RS_CONN_EV_GAP, .reason = "x" };
    assert_false(rs_run_why_event(why, sizeof why, &gap));
    struct rs_conn_event empty = { .type = RS_CONN_EV_NOTICE, .reason = "" };
    assert_false(rs_run_why_event(why, sizeof why, &empty));
    assert_string_equal(why, "device disconnected");
    struct rs_conn_event other = { .type = RS_CONN_EV_NOTICE, .state = RS_CONN_STREAMING, .reason = "y" };
    assert_true(rs_run_why_event(why, sizeof why, &other)); /* a notice while streaming */
    struct rs_conn_event streaming = { .type = RS_CONN_EV_STATE, .state = RS_CONN_STREAMING,
                                       .reason = "samples resumed" };
    assert_false(rs_run_why_event(why, sizeof why, &streaming));
    assert_string_equal(why, ""); /* samples: no reason any more */

    static struct rs_view v;
    rs_view_init(&v);
    v.link = RS_VLINK_CONNECTING;
    rs_run_link_view("port /dev/x is in use (by PID 7)", &v);
    assert_string_equal(v.link_title, "PORT IN USE");
    rs_view_init(&v);
    v.link = RS_VLINK_CONNECTED;
    rs_run_link_view("port /dev/x is in use (by PID 7)", &v);
    assert_string_equal(v.link_title, "");
    assert_string_equal(v.link_detail, "");
}

/* The window says why: the banner's words at the 3 m size, the detail in
 * the status bar instead of stale sensor figures. */
static void test_link_why_shown(void **state)
{
    (void)state;
    struct ui_harness u;
    assert_int_equal(ui_harness_open(&u, 1280, 800), 0);
    static struct rs_view v;
    rs_viewscript_state(&v, RS_VS_UNCAL);
    assert_int_not_equal(v.link, RS_VLINK_CONNECTED);
    rs_run_link_why("/dev/ttyACM0: permission denied", v.link_title, sizeof v.link_title,
                    v.link_detail, sizeof v.link_detail);
    ui_harness_render(&u, &v, &plain);
    /* the banner's lines, joined, inside the no-roller banner */
    const struct rs_render_geom *g = rs_render_geometry(u.rr);
    int slot = -1;
    for (int k = 0; k < g->nalerts; k++)
        if (g->alert[k] == RS_AL_DISCONNECTED)
            slot = k;
    assert_true(slot >= 0);
    char joined[96] = "";
    for (int i = 0; i < g->ntext; i++)
        if (g->text[i].panel == RS_P_ALERT && rs_rect_contains(g->alert_rect[slot], g->text[i].box)) {
            assert_true(g->text[i].px >= 40);
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                     joined[0] ? " " : "", g->text[i].text);
        }
    assert_string_equal(joined, "NO PERMISSION FOR THE PORT");
    bool detail = false;
    for (int i = 0; i < g->ntext; i++)
        if (g->text[i].panel == RS_P_STATUS) {
            assert_string_not_equal(g->text[i].text, "SENSOR OK");
            detail |= strncmp(g->text[i].text, "permission denied: install", 26) == 0 && !g->text[i].dropped;
        }
    assert_true(detail);
    /* connected: the sensor figures are back, no reason shown */
    v.link = RS_VLINK_CONNECTED;
    v.sensor_fault = false;
    ui_harness_render(&u, &v, &plain);
    assert_non_null(find(&u, RS_P_STATUS, "SENSOR OK"));
    for (int i = 0; i < g->ntext; i++)
        assert_null(strstr(g->text[i].text, "permission denied"));
    /* no reason known: the plain banner */
    v.link = RS_VLINK_DISCONNECTED;
    v.link_title[0] = v.link_detail[0] = '\0';
    ui_harness_render(&u, &v, &plain);
    assert_non_null(find(&u, RS_P_ALERT, "NO ROLLER CONNECTED"));
    ui_harness_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hold_seconds_not_smaller),
        cmocka_unit_test(test_state_words_40px),
        cmocka_unit_test(test_toast_does_not_cover_advice),
        cmocka_unit_test(test_uncalibrated_nominal),
        cmocka_unit_test(test_chart_axis_values),
        cmocka_unit_test(test_calf_map_scale_and_legend),
        cmocka_unit_test(test_safety_note_keeps_session_in_view),
        cmocka_unit_test(test_link_why_table),
        cmocka_unit_test(test_link_why_events),
        cmocka_unit_test(test_link_why_shown),
    };
    return cmocka_run_group_tests(tests, ui_harness_group_setup, ui_harness_group_teardown);
}
