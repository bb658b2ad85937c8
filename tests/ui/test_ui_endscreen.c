/*
 * test_ui_endscreen.c - the end of a session: the summary as data
 * (rs_endsum: hold list, counts, advice, terminal lines; no window) and
 * the summary screen (rs_endscreen) offscreen with semantic pixel checks:
 * leg headings in the leg colours, the calf maps' cells (time on one scale
 * for both legs, pressure colour, hold squares), the legend, text inside
 * the screen and not overlapping, advice at least 40 px at 1280x800; PNG
 * artefacts at 1280x800 and 800x480 (argv[1], default ./artifacts/ui).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_calfmap.h"
#include "rs_endscreen.h"
#include "rs_endsum.h"
#include "rs_font.h"
#include "rs_run.h"
#include "ui_harness.h"

static const char *artifact_dir = "artifacts/ui";

/* ---- pure: the summary as data ----------------------------------------------- */

static struct rs_event hold_end(int index, enum rs_leg leg, double pos, double secs)
{
    struct rs_event ev = { .type = RS_EV_HOLD_END, .t = 100 };
    ev.u.hold.index = index;
    ev.u.hold.leg = leg;
    ev.u.hold.pos_cm = pos;
    ev.u.hold.seconds = secs;
    return ev;
}

static struct rs_view base_view;

static void base(struct rs_summary *sum, struct rs_view *v)
{
    memset(sum, 0, sizeof *sum);
    rs_view_init(v);
    rs_config_defaults(&v->bands);
    v->calibrated = true;
}

static void test_log_and_list(void **state)
{
    (void)state;
    struct rs_endsum_log log;
    rs_endsum_log_init(&log);
    struct rs_event e1 = hold_end(1, RS_LEG_RIGHT, 15.2, 25.4), e2 = hold_end(2, RS_LEG_LEFT, 9.6, 31);
    struct rs_event e3 = hold_end(3, RS_LEG_UNCERTAIN, 20, 18), start = e1;
    start.type = RS_EV_HOLD_START;
    rs_endsum_log_event(&log, &start); /* only hold_end counts */
    assert_int_equal(log.top, 0);
    rs_endsum_log_event(&log, &e1);
    rs_endsum_log_event(&log, &e2);
    rs_endsum_log_event(&log, &e3);
    rs_endsum_log_event(&log, &e1); /* a replay seeked back plays hold 1 again */
    assert_int_equal(log.top, 3);
    struct rs_event bad = hold_end(RS_ENDSUM_LOG_MAX + 1, RS_LEG_LEFT, 1, 1);
    rs_endsum_log_event(&log, &bad);
    bad = hold_end(0, RS_LEG_LEFT, 1, 1);
    rs_endsum_log_event(&log, &bad);
    assert_int_equal(log.top, 3);

    struct rs_summary sum;
    base(&sum, &base_view);
    sum.holds[RS_LEG_RIGHT] = 1;
    sum.holds[RS_LEG_LEFT] = 1;
    sum.holds[RS_LEG_UNCERTAIN] = 1;
    base_view.calf_time_s[0] = 70;
    base_view.calf_time_s[1] = 80;
    static struct rs_endview ev;
    struct rs_endsum_in in = { &log, &sum, NULL, &base_view, 125.0, "/x/y/s.rsession", NULL, 0, 0 };
    rs_endsum_make(&in, &ev);
    assert_int_equal(ev.holds[0], 1);
    assert_int_equal(ev.holds[1], 1);
    assert_int_equal(ev.holds_unknown_leg, 1);
    assert_int_equal(ev.nlisted[0], 1);
    assert_int_equal(ev.nlisted[1], 1);
    assert_float_equal(ev.hold[1][0].pos_cm, 15.2, 1e-4);
    assert_float_equal(ev.hold[1][0].seconds, 25.4, 1e-4);
    assert_float_equal(ev.hold[0][0].seconds, 31, 1e-4);
    assert_float_equal(ev.duration_s, 125, 1e-4);
    assert_float_equal(ev.calf_time_s[1], 80, 1e-4);
    assert_string_equal(ev.file, "/x/y/s.rsession");

    /* A replay seeked back to before hold 2: the session counts one hold, so
     * holds 2 and 3 of the earlier play are not listed. */
    sum.holds[RS_LEG_LEFT] = sum.holds[RS_LEG_UNCERTAIN] = 0;
    rs_endsum_make(&in, &ev);
    assert_int_equal(ev.nlisted[0], 0);
    assert_int_equal(ev.nlisted[1], 1);

    /* A hold still running at the end (a replay quit mid-hold) is listed. */
    static struct rs_live live;
    memset(&live, 0, sizeof live);
    live.hold.active = true;
    live.hold.leg = RS_LEG_LEFT;
    live.hold.pos_cm = 12;
    live.hold.seconds = 8;
    in.live = &live;
    in.file = NULL;
    rs_endsum_make(&in, &ev);
    assert_int_equal(ev.nlisted[0], 1);
    assert_true(ev.hold[0][0].running);
    assert_string_equal(ev.file, "");
    /* ... but it is not a short hold to warn about (it was cut short) */
    for (int i = 0; i < ev.nadvice; i++)
        assert_null(strstr(ev.advice[i], "at least"));
}

static void test_list_is_bounded(void **state)
{
    (void)state;
    struct rs_endsum_log log;
    rs_endsum_log_init(&log);
    for (int i = 1; i <= RS_END_HOLDS_MAX + 3; i++) {
        struct rs_event e = hold_end(i, RS_LEG_LEFT, i, 20);
        rs_endsum_log_event(&log, &e);
    }
    struct rs_summary sum;
    base(&sum, &base_view);
    sum.holds[RS_LEG_LEFT] = RS_END_HOLDS_MAX + 3;
    static struct rs_endview ev;
    struct rs_endsum_in in = { &log, &sum, NULL, &base_view, 600, NULL, NULL, 0, 0 };
    rs_endsum_make(&in, &ev);
    assert_int_equal(ev.nlisted[0], RS_END_HOLDS_MAX);
    assert_int_equal(ev.holds[0], RS_END_HOLDS_MAX + 3);
    char text[2048];
    rs_endsum_text(&ev, "demo", text, sizeof text);
    assert_non_null(strstr(text, ", ...\n")); /* more than listed */
    assert_non_null(strstr(text, "demo: not recorded\n"));
}

/* Advice: which line comes out, at each threshold's boundary. */
struct advice_case {
    const char *what;
    float left_s, right_s;       /* time per calf */
    int left_holds, right_holds; /* counted (listed with hold_s each) */
    float hold_s;
    const char *want;            /* substring of the first line */
};

static void test_advice_table(void **state)
{
    (void)state;
    static const struct advice_case cases[] = {
        { "nothing done", 10, 19.9f, 0, 0, 0, "Roll each calf slowly" },
        { "30 s rolled, no holds", 10, 20, 0, 0, 0, "Hold up to 3 tender spots" },
        { "left under half of right", 49.9f, 100, 1, 1, 20, "Start with the LEFT calf" },
        { "left exactly half", 50, 100, 1, 1, 20, "The same again" },
        { "right neglected", 100, 49, 1, 1, 20, "Start with the RIGHT calf" },
        { "other under a minute", 20, 59.9f, 1, 1, 20, "The same again" },
        { "hold at 60 s", 100, 100, 1, 1, 60, "Release each hold" },
        { "hold at 59.9 s", 100, 100, 1, 1, 59.9f, "The same again" },
        { "hold of 14.9 s", 100, 100, 1, 1, 14.9f, "at least 15 s" },
        { "hold of 15 s", 100, 100, 1, 1, 15, "The same again" },
        { "4 spots on a leg", 100, 100, 4, 1, 20, "3 spots per calf are enough" },
        { "3 spots on a leg", 100, 100, 3, 3, 20, "The same again" },
        { "over 6 minutes on a calf", 361, 361, 1, 1, 20, "About 3 minutes per calf" },
        { "6 minutes on a calf", 360, 360, 1, 1, 20, "The same again" },
        { "over 6 minutes on the right", 200, 361, 1, 1, 20, "About 3 minutes per calf" },
        { "over 6 minutes on the left", 361, 200, 1, 1, 20, "About 3 minutes per calf" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const struct advice_case *k = &cases[c];
        static struct rs_endview ev;
        memset(&ev, 0, sizeof ev);
        rs_config_defaults(&ev.view.bands);
        ev.calf_time_s[0] = k->left_s;
        ev.calf_time_s[1] = k->right_s;
        ev.holds[0] = (uint16_t)k->left_holds;
        ev.holds[1] = (uint16_t)k->right_holds;
        for (int leg = 0; leg < 2; leg++) {
            ev.nlisted[leg] = (uint8_t)ev.holds[leg];
            for (int i = 0; i < ev.holds[leg]; i++)
                ev.hold[leg][i] = (struct rs_end_hold){ 10, k->hold_s, false };
        }
        char out[RS_END_ADVICE_MAX][RS_END_TEXT_MAX];
        int n = rs_endsum_advice(&ev, out, RS_END_ADVICE_MAX);
        if (n < 1 || !strstr(out[0], k->want))
            fail_msg("%s: got '%s', want '%s'", k->what, n ? out[0] : "", k->want);
    }
}

static void test_advice_two_lines_at_most(void **state)
{
    (void)state;
    static struct rs_endview ev;
    memset(&ev, 0, sizeof ev);
    rs_config_defaults(&ev.view.bands);
    ev.calf_time_s[0] = 400; /* long on the left, right neglected, a long and a short hold */
    ev.calf_time_s[1] = 10;
    ev.holds[0] = 5;
    ev.nlisted[0] = 5;
    for (int i = 0; i < 5; i++)
        ev.hold[0][i] = (struct rs_end_hold){ 10, i ? 70.0f : 5.0f, false };
    char out[RS_END_ADVICE_MAX][RS_END_TEXT_MAX];
    assert_int_equal(rs_endsum_advice(&ev, out, RS_END_ADVICE_MAX), 2);
    assert_non_null(strstr(out[0], "RIGHT calf"));
    assert_non_null(strstr(out[1], "Release each hold"));
    assert_int_equal(rs_endsum_advice(&ev, out, 1), 1);
}

static void test_terminal_lines(void **state)
{
    (void)state;
    static struct rs_endview ev;
    memset(&ev, 0, sizeof ev);
    rs_config_defaults(&ev.view.bands);
    ev.view.calibrated = true;
    ev.duration_s = 124.9f;
    ev.calf_time_s[0] = 16;
    ev.calf_time_s[1] = 101;
    ev.holds[1] = 2;
    ev.nlisted[1] = 2;
    ev.hold[1][0] = (struct rs_end_hold){ 15.4f, 25.2f, false };
    ev.hold[1][1] = (struct rs_end_hold){ -0.2f, 35, false };
    ev.holds_unknown_leg = 1;
    ev.nadvice = 1;
    snprintf(ev.advice[0], sizeof ev.advice[0], "Start with the LEFT calf");
    snprintf(ev.file, sizeof ev.file, "/home/u/s.rsession");
    char text[2048];
    rs_endsum_text(&ev, "demo", text, sizeof text);
    assert_string_equal(text, "demo: session 2:04\n"
                              "demo: LEFT calf 0:16, 0 holds\n"
                              "demo: RIGHT calf 1:41, 2 holds: 25 s at 15 cm, 35 s at 0 cm\n"
                              "demo: 1 hold on no clear leg\n"
                              "demo: tomorrow: Start with the LEFT calf\n"
                              "demo: session file /home/u/s.rsession\n");
    ev.view.calibrated = false;
    rs_endsum_text(&ev, "live", text, sizeof text);
    assert_non_null(strstr(text, "live: session 2:04 (roller not calibrated"));
    /* truncation stays a terminated string */
    char small[20];
    rs_endsum_text(&ev, "live", small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_end_waits(void **state)
{
    (void)state;
    assert_true(rs_run_end_waits("x11", false));
    assert_true(rs_run_end_waits("wayland", false));
    assert_true(rs_run_end_waits(NULL, false));
    assert_false(rs_run_end_waits("x11", true));       /* SIGTERM: draw and end */
    assert_false(rs_run_end_waits("offscreen", false)); /* nobody can see it */
    assert_false(rs_run_end_waits("dummy", false));
}

/* ---- the screen ------------------------------------------------------------- */

struct screen {
    struct ui_harness u; /* window, renderer, pixels (no rs_render) */
    struct rs_endscreen *es;
};

static bool open_screen(struct screen *s, int w, int h)
{
    memset(s, 0, sizeof *s);
    char font[512], err[256];
    return ui_harness_open_screen(&s->u, w, h, font, sizeof font) == 0 &&
           rs_endscreen_create(&s->es, s->u.ren, font, err, sizeof err) == 0;
}

static void close_screen(struct screen *s)
{
    rs_endscreen_destroy(s->es);
    ui_harness_close(&s->u);
}

static void draw(struct screen *s, const struct rs_endview *ev)
{
    rs_endscreen_draw(s->es, ev, s->u.w, s->u.h, 1.0f);
    SDL_RenderReadPixels(s->u.ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->u.pixels, s->u.w * 4);
}

static void save(const struct screen *s, const char *name)
{
    assert_int_equal(ui_harness_save_png(&s->u, artifact_dir, name), 0);
}

/* A session like the demo's: two holds right, one left, time on both calves. */
static void demo_like(struct rs_endview *ev)
{
    memset(ev, 0, sizeof *ev);
    rs_view_init(&ev->view);
    rs_config_defaults(&ev->view.bands);
    ev->view.calibrated = true;
    ev->view.calf_length_cm = 40;
    ev->duration_s = 124;
    ev->calf_time_s[0] = 40;
    ev->calf_time_s[1] = 101;
    ev->holds[0] = 1;
    ev->holds[1] = 2;
    ev->nlisted[0] = 1;
    ev->nlisted[1] = 2;
    ev->hold[0][0] = (struct rs_end_hold){ 20, 17, false };
    ev->hold[1][0] = (struct rs_end_hold){ 15, 25, false };
    ev->hold[1][1] = (struct rs_end_hold){ 16, 35, false };
    for (int i = 5; i < 30; i++) {
        ev->view.calf[1].time_s[i] = 8.0f; /* right: 8 s per bin, the longest */
        ev->view.calf[1].pressure_pct[i] = 35;   /* typical */
        ev->view.calf[0].time_s[i] = 2.0f; /* left: a quarter of that */
        ev->view.calf[0].pressure_pct[i] = 20;   /* moderate */
    }
    ev->view.calf[0].holds[20] = 1;
    ev->view.calf[1].holds[15] = 1;
    ev->nadvice = (uint8_t)rs_endsum_advice(ev, ev->advice, RS_END_ADVICE_MAX);
    snprintf(ev->file, sizeof ev->file, "/home/u/.local/share/rollsense/sessions/2026-12-07.rsession");
}

/* y of bin i's centre in a map rect for a calf of len cm. */
static int bin_y(struct rs_rect m, int i, float len)
{
    return m.y + m.h - (int)lroundf(m.h * (i + 0.5f) / len);
}

static void check_text(const struct rs_endscreen_geom *g, int w, int h)
{
    assert_true(g->ntext > 10);
    for (int i = 0; i < g->ntext; i++) {
        const struct rs_text_box *a = &g->text[i];
        if (a->dropped)
            fail_msg("dropped: '%s'", a->text);
        assert_true(rs_rect_contains((struct rs_rect){ 0, 0, w, h }, a->box));
        for (int j = i + 1; j < g->ntext; j++)
            if (rs_rect_overlaps(a->box, g->text[j].box))
                fail_msg("'%s' overlaps '%s'", a->text, g->text[j].text);
    }
}

static bool has_text(const struct rs_endscreen_geom *g, const char *s)
{
    for (int i = 0; i < g->ntext; i++)
        if (strcmp(g->text[i].text, s) == 0)
            return true;
    return false;
}

static void test_screen_pixels(void **state)
{
    (void)state;
    static struct rs_endview ev;
    demo_like(&ev);
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 } };
    for (size_t z = 0; z < 2; z++) {
        struct screen s;
        assert_true(open_screen(&s, sizes[z][0], sizes[z][1]));
        draw(&s, &ev);
        const struct rs_endscreen_geom *g = rs_endscreen_geometry(s.es);
        /* Leg headings in the leg colours (a corner pixel: no text there). */
        for (int k = 0; k < 2; k++) {
            struct rs_rect hd = g->leg_head[k];
            assert_true(hd.w > 0 && hd.h > 0);
            assert_true(ui_rgb_near(ui_pixel(&s.u, hd.x + 1, hd.y + 1),
                                    rs_leg_colour(k ? RS_VLEG_RIGHT : RS_VLEG_LEFT), 2));
        }
        /* The maps: one brightness scale (the right's 8 s bins full, the
         * left's 2 s bins at half: sqrt(1/4)), pressure colours, holds. */
        float len = 40;
        struct rs_rect mr = g->map[1], ml = g->map[0];
        int tx_r = mr.x + mr.w / 5, tx_l = ml.x + ml.w / 5;
        assert_true(ui_rgb_near(ui_pixel(&s.u, tx_r, bin_y(mr, 10, len)), rs_calfmap_time_colour(8, 8), 2));
        assert_true(ui_rgb_near(ui_pixel(&s.u, tx_l, bin_y(ml, 10, len)), rs_calfmap_time_colour(2, 8), 2));
        assert_false(ui_rgb_near(rs_calfmap_time_colour(2, 8), rs_calfmap_time_colour(8, 8), 20));
        int pr_x = mr.x + mr.w * 66 / 100;
        assert_true(ui_rgb_near(ui_pixel(&s.u, pr_x, bin_y(mr, 10, len)), rs_force_band_colour(RS_FB_TYPICAL), 2));
        assert_true(ui_rgb_near(ui_pixel(&s.u, ml.x + ml.w * 66 / 100, bin_y(ml, 10, len)),
                                rs_force_band_colour(RS_FB_MODERATE), 2));
        /* untouched bins stay background */
        assert_true(ui_rgb_near(ui_pixel(&s.u, tx_r, bin_y(mr, 35, len)), rs_colour(RS_C_BG), 2));
        /* hold squares at their spots, none elsewhere */
        int hx_r = mr.x + mr.w * 86 / 100;
        assert_true(ui_rgb_near(ui_pixel(&s.u, hx_r, bin_y(mr, 15, len)), rs_colour(RS_C_TEXT), 2));
        assert_true(ui_rgb_near(ui_pixel(&s.u, hx_r, bin_y(mr, 25, len)), rs_colour(RS_C_BG), 2));
        assert_true(ui_rgb_near(ui_pixel(&s.u, ml.x + ml.w * 86 / 100, bin_y(ml, 20, len)),
                                rs_colour(RS_C_TEXT), 2));
        /* Legend: the brightest time swatch and every pressure band colour. */
        struct rs_rect lg = g->legend;
        assert_true(lg.w > 0 && lg.y >= mr.y + mr.h);
        int sy = lg.y + lg.h / 5;
        assert_true(ui_rgb_near(ui_pixel(&s.u, lg.x + lg.w * 28 / 100, sy), rs_calfmap_time_colour(5, 5), 2));
        for (int b = RS_FB_LIGHT; b < RS_FB_COUNT; b++) {
            int x = lg.x + (int)lroundf(lg.w * (0.32f + 0.38f * (b - 0.5f) / 6.0f));
            if (!ui_rgb_near(ui_pixel(&s.u, x, sy), rs_force_band_colour((enum rs_view_force_band)b), 2))
                fail_msg("legend band %d missing at %dx%d", b, s.u.w, s.u.h);
        }
        /* Words: holds with spot and duration, time per calf, advice, file. */
        assert_true(has_text(g, "RIGHT  1:41"));
        assert_true(has_text(g, "LEFT  0:40"));
        assert_true(has_text(g, "25 s at 15 cm"));
        assert_true(has_text(g, "17 s at 20 cm"));
        assert_true(has_text(g, "2 HOLDS"));
        assert_true(has_text(g, "SAVED: 2026-12-07.rsession"));
        assert_true(has_text(g, "PRESS ANY KEY TO CLOSE"));
        assert_true(has_text(g, "TOMORROW"));
        check_text(g, s.u.w, s.u.h);
        /* From 3 m: the advice at least 40 px at 1280x800, scaled with the window. */
        if (s.u.w == 1280)
            assert_true(g->advice_px >= 40);
        else
            assert_true(g->advice_px >= 24);
        assert_true(g->hold_px >= (s.u.w == 1280 ? 32 : 19));
        char name[64];
        snprintf(name, sizeof name, "end-screen-%dx%d", s.u.w, s.u.h);
        save(&s, name);
        close_screen(&s);
    }
}

/* Long advice wraps instead of shrinking below the size read from 3 m. */
static void test_screen_long_advice(void **state)
{
    (void)state;
    static struct rs_endview ev;
    demo_like(&ev);
    ev.nadvice = 2;
    snprintf(ev.advice[0], sizeof ev.advice[0], "Release each hold at about 30 s: longer brings no extra benefit");
    snprintf(ev.advice[1], sizeof ev.advice[1], "Roll each calf slowly for about 3 minutes and hold a tender spot 15-30 s");
    ev.view.calibrated = false;
    struct screen s;
    assert_true(open_screen(&s, 1280, 800));
    draw(&s, &ev);
    const struct rs_endscreen_geom *g = rs_endscreen_geometry(s.es);
    check_text(g, s.u.w, s.u.h);
    assert_true(g->advice_px >= 40);
    assert_true(has_text(g, "SESSION DONE  2:04  (NOT CALIBRATED)"));
    save(&s, "end-screen-long-advice");
    close_screen(&s);
}

/* ---- a spot that keeps coming back -------------------------------------------- */

/* Past sessions 0..3 (hist: the left calf at 14 cm in 1, 2 and 3; the
 * right at 9 cm in 0 only); today is session 4. */
static const struct rs_spot_hold past4[] = {
    { 0, RS_LEG_RIGHT, 9.0, 20 }, { 1, RS_LEG_LEFT, 13.6, 24 },
    { 2, RS_LEG_LEFT, 14.4, 28 }, { 3, RS_LEG_LEFT, 14.1, 25 }, { 3, RS_LEG_LEFT, 25.0, 15 },
};

static void today(struct rs_endsum_log *log, struct rs_summary *sum, double left_cm, double right_cm)
{
    rs_endsum_log_init(log);
    base(sum, &base_view);
    struct rs_event a = hold_end(1, RS_LEG_LEFT, left_cm, 27), b = hold_end(2, RS_LEG_RIGHT, right_cm, 20);
    rs_endsum_log_event(log, &a);
    rs_endsum_log_event(log, &b);
    sum->holds[RS_LEG_LEFT] = 1;
    sum->holds[RS_LEG_RIGHT] = 1;
}

static void test_recurring_spot(void **state)
{
    (void)state;
    struct rs_endsum_log log;
    struct rs_summary sum;
    static struct rs_endview ev;
    char text[2048];
    today(&log, &sum, 14.5, 30);
    struct rs_endsum_in in = { .log = &log, .sum = &sum, .view = &base_view, .duration_s = 300,
                               .past = past4, .npast = 5, .past_sessions = 4 };
    rs_endsum_make(&in, &ev);
    /* 13.6 14.4 14.1 14.5: 4 of the last 5, (24 + 28 + 25 + 27) / 4 = 26 s */
    assert_string_equal(ev.spot, "left calf, 14 cm above the Achilles: held in 4 of the last 5 "
                                 "sessions, 26 s on average");
    char line[RS_END_TEXT_MAX];
    assert_int_equal(rs_endsum_spot(&in, &ev, line, sizeof line), 1);
    assert_string_equal(line, ev.spot);
    rs_endsum_text(&ev, "demo", text, sizeof text);
    assert_non_null(strstr(text, "demo: keeps coming back: left calf, 14 cm"));
    /* today's hold 2.5 cm away: the spot did not come back today */
    today(&log, &sum, 16.9, 30);
    rs_endsum_make(&in, &ev);
    assert_string_equal(ev.spot, "");
    assert_int_equal(rs_endsum_spot(&in, &ev, line, sizeof line), 0);
    assert_string_equal(line, "");
    /* held in 2 of the last 5 (the right at 9 cm): not yet "keeps coming back" */
    today(&log, &sum, 30, 9.2);
    rs_endsum_make(&in, &ev);
    assert_string_equal(ev.spot, "");
    /* with only two past sessions given, 3 of 3 counts */
    today(&log, &sum, 14.0, 30);
    in.npast = 3;
    in.past_sessions = 3;
    rs_endsum_make(&in, &ev);
    assert_non_null(strstr(ev.spot, "held in 3 of the last 4 sessions"));
    /* no past (replay, no catalog): no line */
    in.past = NULL;
    rs_endsum_make(&in, &ev);
    assert_string_equal(ev.spot, "");
    rs_endsum_text(&ev, "demo", text, sizeof text);
    assert_null(strstr(text, "keeps coming back"));
}

/* The spot's sentence on the screen: in the leg's colour, large, inside
 * its strip, nothing dropped or overlapping, at both sizes. */
static void test_screen_spot(void **state)
{
    (void)state;
    static struct rs_endview ev;
    demo_like(&ev);
    snprintf(ev.spot, sizeof ev.spot, "left calf, 14 cm above the Achilles: held in 4 of the last 5 "
                                      "sessions, 26 s on average");
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 } };
    for (size_t z = 0; z < 2; z++) {
        struct screen s;
        assert_true(open_screen(&s, sizes[z][0], sizes[z][1]));
        draw(&s, &ev);
        const struct rs_endscreen_geom *g = rs_endscreen_geometry(s.es);
        check_text(g, s.u.w, s.u.h);
        assert_true(g->spot.h > 0 && g->spot.y > g->leg[0].y + g->leg[0].h);
        assert_true(g->advice.y >= g->spot.y + g->spot.h);
        assert_true(g->spot_px >= (s.u.w == 1280 ? 28 : 16));
        /* the leg's bar beside the sentence */
        int bx = g->spot.x + (int)lroundf(g->spot.w * 0.185f);
        assert_true(ui_rgb_near(ui_pixel(&s.u, bx, g->spot.y + g->spot.h / 2), rs_leg_colour(RS_VLEG_LEFT), 2));
        assert_true(g->advice_px >= (s.u.w == 1280 ? 32 : 19));
        char name[64];
        snprintf(name, sizeof name, "end-screen-spot-%dx%d", s.u.w, s.u.h);
        save(&s, name);
        close_screen(&s);
    }
    /* no spot: no strip */
    ev.spot[0] = '\0';
    struct screen s;
    assert_true(open_screen(&s, 1280, 800));
    draw(&s, &ev);
    assert_int_equal(rs_endscreen_geometry(s.es)->spot.h, 0);
    close_screen(&s);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        artifact_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_and_list),
        cmocka_unit_test(test_list_is_bounded),
        cmocka_unit_test(test_advice_table),
        cmocka_unit_test(test_advice_two_lines_at_most),
        cmocka_unit_test(test_terminal_lines),
        cmocka_unit_test(test_end_waits),
        cmocka_unit_test(test_screen_pixels),
        cmocka_unit_test(test_screen_long_advice),
        cmocka_unit_test(test_recurring_spot),
        cmocka_unit_test(test_screen_spot),
    };
    return cmocka_run_group_tests(tests, ui_harness_group_setup, ui_harness_group_teardown);
}
