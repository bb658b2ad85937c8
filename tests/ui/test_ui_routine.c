/*
 * The guided routine's panel (host/ui/rs_routineview.h), label `ui`.
 *
 * - Pure: the merged lower row stays inside the window below the main row;
 *   the panel's parts lie inside it and do not overlap; every shape of
 *   every drawing lies inside its box; the clock's text.
 * - Rendered (offscreen, software renderer) for every step kind and phase
 *   the routine has, with its real words (host/routine through the
 *   session's mapping), at 1280x800 and 800x480: every string of the panel
 *   is drawn (none dropped) inside the panel, and at 1280x800 the title is
 *   at least 64 px (75 px: cap height about 55 px), every other string at
 *   least 32 px, the clock at least 90 px (docs/ui.md: read from 3 m).
 * - The spoken phrases of a routine, in order, through the real
 *   synthesizer on SDL's dummy audio device (rs_audio_speech's log).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rs_audio.h"
#include "rs_routineview.h"
#include "rs_rtglue.h"
#include "rs_session.h"
#include "ui_harness.h"

static const char *artifacts = "artifacts/ui";

static void test_merge_and_layout(void **state)
{
    (void)state;
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 }, { 1920, 1200 } };
    for (int z = 0; z < 3; z++) {
        struct rs_layout l;
        rs_layout_compute(&l, sizes[z][0], sizes[z][1], 1.0f, false);
        rs_routineview_merge(&l);
        struct rs_rect p = l.panel[RS_P_CHARTS], win = { 0, 0, l.w, l.h };
        assert_true(rs_rect_contains(win, p));
        assert_int_equal(l.panel[RS_P_LEG].w, 0);
        assert_int_equal(l.panel[RS_P_MAP].w, 0);
        for (int q = RS_P_STATUS; q <= RS_P_SPEED; q++)
            assert_false(rs_rect_overlaps(p, l.panel[q]));
        assert_true(p.h > l.h * 4 / 10); /* taller than the usual lower row (0.36) */
        struct rs_routineview_layout o;
        rs_routineview_layout(p, l.pad, &o);
        const struct rs_rect parts[] = { o.figure, o.header, o.title, o.instruction, o.clock, o.marks };
        for (int i = 0; i < 6; i++) {
            assert_true(parts[i].w > 0 && parts[i].h > 0);
            assert_true(rs_rect_contains(p, parts[i]));
            for (int k = i + 1; k < 6; k++)
                assert_false(rs_rect_overlaps(parts[i], parts[k]));
        }
    }
}

static void test_figures_inside(void **state)
{
    (void)state;
    const struct rs_rect box = { 30, 40, 250, 300 };
    for (int kind = RS_RV_WARMUP; kind <= RS_RV_DONE; kind++) {
        struct rs_rv_shape sh[RS_RV_SHAPES];
        int n = rs_routineview_figure(kind, 0, box, sh, RS_RV_SHAPES);
        assert_true(n >= 2);
        bool leg = false;
        for (int i = 0; i < n; i++) {
            float r = sh[i].disc ? sh[i].w : sh[i].w / 2;
            float xs[2] = { sh[i].x0, sh[i].disc ? sh[i].x0 : sh[i].x1 };
            float ys[2] = { sh[i].y0, sh[i].disc ? sh[i].y0 : sh[i].y1 };
            for (int e = 0; e < 2; e++) {
                assert_true(xs[e] - r >= box.x && xs[e] + r <= box.x + box.w);
                assert_true(ys[e] - r >= box.y && ys[e] + r <= box.y + box.h);
            }
            leg |= sh[i].ink == RS_RVI_LEG;
        }
        assert_true(leg); /* the calf being treated is drawn in its leg's colour */
    }
}

static void test_clock(void **state)
{
    (void)state;
    char b[16];
    static const struct { float s; const char *want; } t[] = {
        { 27.2f, "0:28" }, { 60.0f, "1:00" }, { 59.5f, "1:00" }, { 0.0f, "0:00" },
        { 75.0f, "1:15" }, { 0.0005f, "0:00" }, { -1.0f, "" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        rs_routineview_clock(t[i].s, b, sizeof b);
        assert_string_equal(b, t[i].want);
    }
}

/* Every (kind, phase) of a routine with the routine's own words. */
#define STATES 10
static int states(struct rs_view_routine *out)
{
    struct rs_routine_plan p;
    rs_routine_plan_default(&p);
    struct rs_routine r;
    struct rs_routine_view rv;
    int n = 0;
    rs_routine_start(&r, &p, 0, NULL);
    rs_routine_view(&r, 0, &rv); /* before the first load */
    rs_session_routine_map(&rv, false, &out[n++]);
    rs_routine_view(&r, 10, &rv); /* warm-up */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_go(&r, 20, NULL);
    rs_routine_view(&r, 20, &rv); /* spots, none yet */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_hold(&r, 40, RS_LEG_LEFT, 20, NULL);
    rs_routine_hold(&r, 60, RS_LEG_LEFT, 20, NULL);
    rs_routine_view(&r, 60, &rv); /* spots: enough for today */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_go(&r, 61, NULL);
    rs_routine_view(&r, 61, &rv); /* knee straight: waiting */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_go(&r, 62, NULL);
    rs_routine_view(&r, 63, &rv); /* countdown */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_tick(&r, 70, false, NULL);
    rs_routine_view(&r, 70, &rv); /* stretching */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_tick(&r, 96, false, NULL);
    rs_routine_view(&r, 96, &rv); /* resting */
    rs_session_routine_map(&rv, true, &out[n++]);
    rs_routine_skip(&r, 97, NULL);
    rs_routine_view(&r, 97, &rv); /* knee bent: waiting */
    rs_session_routine_map(&rv, true, &out[n++]);
    for (int i = 0; i < 5; i++)
        rs_routine_skip(&r, 98 + i, NULL);
    rs_routine_view(&r, 110, &rv); /* done */
    rs_session_routine_map(&rv, true, &out[n++]);
    return n;
}

static const struct rs_text_box *find(const struct rs_render_geom *g, const char *s)
{
    for (int i = 0; i < g->ntext; i++)
        if (strcmp(g->text[i].text, s) == 0)
            return &g->text[i];
    return NULL;
}

static void check_frame(const struct ui_harness *u, const struct rs_view_routine *r, bool big)
{
    const struct rs_render_geom *g = rs_render_geometry(u->rr);
    struct rs_rect p = g->layout.panel[RS_P_CHARTS];
    int drawn = 0;
    for (int i = 0; i < g->ntext; i++) {
        const struct rs_text_box *b = &g->text[i];
        if (b->panel != RS_P_CHARTS)
            continue;
        drawn++;
        if (b->dropped)
            fail_msg("'%s' dropped at %dx%d", b->text, u->w, u->h);
        if (!rs_rect_contains(p, b->box))
            fail_msg("'%s' outside the routine panel at %dx%d", b->text, u->w, u->h);
    }
    assert_true(drawn >= 3);
    char title[48];
    size_t k = 0;
    for (; r->title[k]; k++)
        title[k] = (char)(r->title[k] >= 'a' && r->title[k] <= 'z' ? r->title[k] - 32 : r->title[k]);
    title[k] = '\0';
    const struct rs_text_box *t = find(g, title);
    if (!t)
        fail_msg("title '%s' not drawn", title);
    char clock[16];
    rs_routineview_clock(r->remaining_s, clock, sizeof clock);
    const struct rs_text_box *c = clock[0] && r->phase != RS_RVP_WAIT ? find(g, clock) : NULL;
    if (clock[0] && r->phase != RS_RVP_WAIT && !c)
        fail_msg("clock '%s' not drawn", clock);
    if (getenv("RS_ROUTINE_SIZES"))
        for (int i = 0; i < g->ntext; i++)
            if (g->text[i].panel == RS_P_CHARTS)
                fprintf(stderr, "%dx%d %3d px  %s\n", u->w, u->h, g->text[i].px, g->text[i].text);
    if (!big)
        return;
    assert_true(t->px >= 64);
    if (c)
        assert_true(c->px >= 90);
    for (int i = 0; i < g->ntext; i++) /* header, instruction lines, captions */
        if (g->text[i].panel == RS_P_CHARTS && g->text[i].px < 32)
            fail_msg("'%s' at %d px, under 32 px at 1280x800", g->text[i].text, g->text[i].px);
}

static void test_render_every_step(void **state)
{
    (void)state;
    struct rs_view_routine st[STATES];
    assert_int_equal(states(st), STATES);
    static const int sizes[][2] = { { 1280, 800 }, { 800, 480 } };
    for (int z = 0; z < 2; z++) {
        struct ui_harness u;
        assert_int_equal(ui_harness_open(&u, sizes[z][0], sizes[z][1]), 0);
        for (int i = 0; i < STATES; i++) {
            struct rs_view v;
            rs_view_init(&v);
            v.mode = RS_MODE_DEMO;
            v.link = RS_VLINK_CONNECTED;
            v.routine = st[i];
            ui_harness_render(&u, &v, NULL);
            check_frame(&u, &st[i], z == 0);
            char name[64];
            snprintf(name, sizeof name, "routine_%dx%d_%d", u.w, u.h, i);
            ui_harness_save_png(&u, artifacts, name);
        }
        ui_harness_close(&u);
    }
}

/* Skip through a routine; the phrases go to the real synthesizer. */
static void test_phrases_on_dummy_audio(void **state)
{
    (void)state;
    struct rs_audio *a;
    char err[256];
    assert_int_equal(rs_audio_open(&a, 0.8f, err, sizeof err), 0);
    if (rs_audio_voice(a, err, sizeof err) != 0) {
        assert_non_null(strstr(err, "voice off: ")); /* built without espeak-ng */
        rs_audio_close(a);
        skip();
    }
    SDL_PauseAudio(1); /* nothing is played away while we look */
    struct rs_routine_plan p;
    rs_routine_plan_default(&p);
    struct rs_rtglue g;
    rs_rtglue_init(&g, &p);
    struct rs_routine_out o = { .n = 0 };
    rs_rtglue_sample(&g, 0, true, &o);
    for (int i = 0; i < 4; i++) {
        o.n = 0;
        rs_rtglue_skip(&g, &o);
    }
    int ph[16];
    bool tone;
    int n = rs_rtglue_take(&g, ph, 16, &tone);
    for (int i = 0; i < n; i++)
        assert_int_equal(rs_audio_say(a, (enum rs_phrase)ph[i]), 1);
    const struct rs_speech *sp = rs_audio_speech(a);
    const int want[] = { RS_PHRASE_WARMUP, RS_PHRASE_SPOTS, RS_PHRASE_STRETCH_STRAIGHT,
                         RS_PHRASE_STRETCH_BENT, RS_PHRASE_SWITCH_RIGHT, RS_PHRASE_WARMUP };
    assert_int_equal(sp->nlog, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(sp->log[i], want[i]);
    rs_audio_close(a);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        artifacts = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_and_layout),
        cmocka_unit_test(test_figures_inside),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_render_every_step),
        cmocka_unit_test(test_phrases_on_dummy_audio),
    };
    return cmocka_run_group_tests(tests, ui_harness_group_setup, ui_harness_group_teardown);
}
