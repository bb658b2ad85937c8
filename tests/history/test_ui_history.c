/*
 * The history view (host/ui/rs_historyview.h) offscreen at 1280x800 and
 * 800x480 with semantic pixel checks on synthetic days (hist_synth.h's
 * plan): every hold's dot at its day and position in its leg's colour, the
 * cluster bands, the bars of time per calf and holds per leg in the leg
 * colours at the days with sessions and none before, the routine marks,
 * the recurring spot's sentence; no text dropped, outside the screen or
 * overlapping. PNG artefacts in argv[1] (default ./artifacts/ui).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist_entry.h"
#include "rs_font.h"
#include "rs_history.h"
#include "rs_historyview.h"
#include "rs_palette.h"
#include "rs_render.h"
#include "ui_harness.h"

static const char *artifact_dir = "artifacts/ui";

struct screen {
    struct ui_harness u; /* window, renderer, pixels (no rs_render) */
    struct rs_historyview *hv;
};

static bool open_screen(struct screen *s, int w, int h)
{
    memset(s, 0, sizeof *s);
    char font[512], err[256];
    return ui_harness_open_screen(&s->u, w, h, font, sizeof font) == 0 &&
           rs_historyview_create(&s->hv, s->u.ren, font, err, sizeof err) == 0;
}

static void close_screen(struct screen *s)
{
    rs_historyview_destroy(s->hv);
    ui_harness_close(&s->u);
}

static void check_text(const struct rs_historyview_geom *g, int w, int h)
{
    assert_true(g->ntext > 8);
    for (int i = 0; i < g->ntext; i++) {
        const struct rs_text_box *a = &g->text[i];
        if (a->dropped)
            fail_msg("dropped at %dx%d: '%s'", w, h, a->text);
        assert_true(rs_rect_contains((struct rs_rect){ 0, 0, w, h }, a->box));
        for (int j = i + 1; j < g->ntext; j++)
            if (rs_rect_overlaps(a->box, g->text[j].box))
                fail_msg("'%s' overlaps '%s'", a->text, g->text[j].text);
    }
}

static bool has_prefix(const struct rs_historyview_geom *g, const char *s)
{
    for (int i = 0; i < g->ntext; i++)
        if (strncmp(g->text[i].text, s, strlen(s)) == 0)
            return true;
    return false;
}

static struct rs_rgb leg(int k)
{
    return rs_leg_colour(k ? RS_VLEG_RIGHT : RS_VLEG_LEFT);
}

static void check_pixels(const struct screen *s, const struct rs_histview *v)
{
    const struct rs_historyview_geom *g = rs_historyview_geometry(s->hv);
    /* every hold on its calf map at its day and place */
    assert_int_equal(g->ndots, v->ndots);
    for (int i = 0; i < v->ndots; i++) {
        const struct rs_hist_dot *d = &v->dot[i];
        struct rs_rect m = g->map[d->leg];
        int x = rs_historyview_day_x(m, v, d->day), y = rs_historyview_pos_y(m, v, d->pos_cm);
        if (!ui_rgb_near(ui_pixel(&s->u, x, y), leg(d->leg), 2))
            fail_msg("hold %d (day %d, %.1f cm) not drawn at %d,%d", i, d->day, d->pos_cm, x, y);
    }
    /* the clusters as bands (the span's first day has no session, no dot) */
    struct rs_rect m = g->map[0];
    assert_true(ui_rgb_near(ui_pixel(&s->u, m.x + 1, rs_historyview_pos_y(m, v, 14.0f)), rs_colour(RS_C_TRACK), 2));
    assert_true(ui_rgb_near(ui_pixel(&s->u, m.x + 1, rs_historyview_pos_y(m, v, 28.0f)), rs_colour(RS_C_TRACK), 2));
    assert_true(ui_rgb_near(ui_pixel(&s->u, m.x + 1, rs_historyview_pos_y(m, v, 5.0f)), rs_colour(RS_C_PANEL), 2));
    m = g->map[1];
    assert_true(ui_rgb_near(ui_pixel(&s->u, m.x + 1, rs_historyview_pos_y(m, v, 9.0f)), rs_colour(RS_C_TRACK), 2));
    assert_true(ui_rgb_near(ui_pixel(&s->u, m.x + 1, rs_historyview_pos_y(m, v, 14.0f)), rs_colour(RS_C_PANEL), 2));
    /* bars: both legs at every day with sessions, nothing before the first */
    for (int c = 0; c < 2; c++) {
        struct rs_rect p = g->plot[c];
        int y = p.y + p.h - 2;
        assert_true(ui_rgb_near(ui_pixel(&s->u, rs_historyview_day_x(p, v, v->first_day), y), rs_colour(RS_C_PANEL), 2));
        for (int i = 0; i < v->ndays; i++) {
            int x = rs_historyview_day_x(p, v, v->day[i].day);
            for (int k = 0; k < 2; k++) {
                bool some = c == 0 || v->day[i].holds[k] > 0;
                bool drawn = ui_rgb_near(ui_pixel(&s->u, k ? x + 2 : x - 2, y), leg(k), 2);
                if (some != drawn)
                    fail_msg("chart %d day %d leg %d: drawn %d, want %d", c, i, k, drawn, some);
            }
        }
    }
    /* routines completed: marks on days 0, 3, 6, 9 only */
    struct rs_rect p = g->plot[2];
    for (int i = 0; i < v->ndays; i++) {
        bool mark = ui_rgb_near(ui_pixel(&s->u, rs_historyview_day_x(p, v, v->day[i].day), p.y + 1),
                                rs_colour(RS_C_YELLOW), 2);
        assert_int_equal(mark, i % 3 == 0);
    }
}

static void test_history_view(void **state)
{
    (void)state;
    struct rs_catalog c;
    rs_catalog_init(&c);
    for (int d = 0; d < 12; d++) {
        struct rs_cat_entry e = hs_entry(d);
        rs_catalog_push(&c, &e);
    }
    static struct rs_histview v;
    struct rs_history_opts o = rs_history_defaults();
    rs_history_make(&c, &o, &v);
    rs_catalog_free(&c);
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 } };
    for (size_t z = 0; z < 2; z++) {
        struct screen s;
        assert_true(open_screen(&s, sizes[z][0], sizes[z][1]));
        rs_historyview_draw(s.hv, &v, s.u.w, s.u.h, 1.0f);
        SDL_RenderReadPixels(s.u.ren, NULL, SDL_PIXELFORMAT_ARGB8888, s.u.pixels, s.u.w * 4);
        const struct rs_historyview_geom *g = rs_historyview_geometry(s.hv);
        check_text(g, s.u.w, s.u.h);
        check_pixels(&s, &v);
        assert_true(has_prefix(g, "HISTORY  last 28 days: 12 sessions on 12 days"));
        assert_true(has_prefix(g, "left calf, 14 cm above the Achilles: held in 4"));
        assert_true(has_prefix(g, "RECURRING"));
        assert_true(g->spot_px >= (s.u.w == 1280 ? 20 : 12));
        char name[64];
        snprintf(name, sizeof name, "history-%dx%d", s.u.w, s.u.h);
        assert_int_equal(ui_harness_save_png(&s.u, artifact_dir, name), 0);
        close_screen(&s);
    }
}

/* No sessions: a sentence, no bars, no dots, nothing dropped. */
static void test_history_empty(void **state)
{
    (void)state;
    struct rs_catalog c;
    rs_catalog_init(&c);
    static struct rs_histview v;
    struct rs_history_opts o = rs_history_defaults();
    rs_history_make(&c, &o, &v);
    struct screen s;
    assert_true(open_screen(&s, 800, 480));
    rs_historyview_draw(s.hv, &v, s.u.w, s.u.h, 1.0f);
    const struct rs_historyview_geom *g = rs_historyview_geometry(s.hv);
    check_text(g, s.u.w, s.u.h);
    assert_true(has_prefix(g, "HISTORY  no sessions recorded yet"));
    assert_int_equal(g->ndots, 0);
    close_screen(&s);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        artifact_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_view),
        cmocka_unit_test(test_history_empty),
    };
    return cmocka_run_group_tests(tests, ui_harness_group_setup, ui_harness_group_teardown);
}
