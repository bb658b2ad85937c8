/*
 * The guided routine inside a session (host/session/rs_rtglue.h) and its
 * config keys (host/routine/rs_rtcfg.h), label `unit`: pure tables.
 *
 * - Step events become the contract's rows (routine_step at each step's
 *   end, routine_done once) with the session offset on t, and nothing else
 *   is written; kinds use the contract's names (stretch_gastroc).
 * - The routine starts at the first loaded sample, not before.
 * - A hold of 14.99 s on the spots step's leg is not counted, 15 s is; a hold
 *   on the other leg is not counted.
 * - The session ending first gives routine_done completed:false with the
 *   steps done so far; a skipped step ends but is not done.
 * - Phrases: step starts, the leg switch, repetition starts, the end.
 * - Config: every routine key on its range's edges, whole numbers,
 *   left/right, on/off, set twice, unknown, and lines blanked.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rs_jsonq.h"
#include "rs_rtcfg.h"
#include "rs_rtglue.h"
#include "rs_voice.h"

/* The rows written for out, in order, as "type|json" lines into rows. */
static int rows_of(const struct rs_rtglue *g, const struct rs_routine_out *out, double offset,
                   char rows[][400], int max)
{
    int n = 0;
    for (int i = 0; i < out->n && n < max; i++) {
        const char *type;
        char buf[384];
        const char *j = rs_rtglue_json(g, &out->ev[i], offset, &type, buf, sizeof buf);
        if (j)
            snprintf(rows[n++], 400, "%s|%s", type, j);
    }
    return n;
}

static double num(const char *row, const char *key)
{
    double v = NAN;
    assert_true(rs_jsonq_num(strchr(row, '|') + 1, key, &v));
    return v;
}

static void str(const char *row, const char *key, const char *want)
{
    char v[64];
    assert_true(rs_jsonq_str(strchr(row, '|') + 1, key, v, sizeof v));
    assert_string_equal(v, want);
}

static bool flag(const char *row, const char *key)
{
    bool v = false;
    assert_true(rs_jsonq_bool(strchr(row, '|') + 1, key, &v));
    return v;
}

static void plan_short(struct rs_routine_plan *p)
{
    rs_routine_plan_default(p);
    p->warmup_s = 10;
    p->spots_min = 1;
    p->spots_max = 2;
    p->spots_max_s = 30;
    p->stretch_s = 10;
    p->stretch_reps = 1;
    p->rest_s = 0;
    p->countdown_s = 0;
    p->unload_start_s = 1;
}

static void test_starts_at_first_load(void **state)
{
    (void)state;
    struct rs_routine_plan p;
    plan_short(&p);
    struct rs_rtglue g;
    rs_rtglue_init(&g, &p);
    struct rs_routine_out o = { .n = 0 };
    for (double t = 0; t < 5; t += 0.5)
        rs_rtglue_sample(&g, t, false, &o);
    assert_false(g.started);
    assert_int_equal(o.n, 0);
    rs_rtglue_sample(&g, 5, true, &o);
    assert_true(g.started);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.ev[0].kind, RS_RTE_STEP_START);
    o.n = 0;
    rs_rtglue_sample(&g, 14.99, true, &o);
    assert_int_equal(o.n, 0);             /* 10 s warm-up from t = 5 */
    rs_rtglue_sample(&g, 15.0, true, &o);
    char rows[8][400];
    assert_int_equal(rows_of(&g, &o, 100, rows, 8), 1); /* the step's end; its successor's start is not written */
    assert_non_null(strstr(rows[0], "routine_step|{\"type\":\"routine_step\""));
    assert_true(fabs(num(rows[0], "t") - 115) < 1e-6);  /* device 15 + session offset 100 */
    assert_true(fabs(num(rows[0], "actual_s") - 10) < 1e-6);
    assert_true(fabs(num(rows[0], "planned_s") - 10) < 1e-6);
    assert_int_equal((int)num(rows[0], "step"), 0);
    str(rows[0], "kind", "warmup");
    str(rows[0], "leg", "left");
    assert_false(flag(rows[0], "skipped"));
}

/* Through the spots step: holds at and below the minimum, the wrong leg. */
static void test_spots_threshold(void **state)
{
    (void)state;
    struct rs_routine_plan p;
    plan_short(&p);
    struct rs_rtglue g;
    rs_rtglue_init(&g, &p);
    struct rs_routine_out o = { .n = 0 };
    rs_rtglue_sample(&g, 0, true, &o);
    rs_rtglue_go(&g, &o); /* warm-up ended early */
    o.n = 0;
    rs_rtglue_hold(&g, 20, RS_LEG_LEFT, 14.99, &o);
    rs_rtglue_hold(&g, 21, RS_LEG_RIGHT, 40, &o);
    assert_int_equal(g.rt.spots, 0);
    rs_rtglue_hold(&g, 40, RS_LEG_LEFT, 15.0, &o);
    assert_int_equal(g.rt.spots, 1);
    rs_rtglue_hold(&g, 60, RS_LEG_LEFT, 22, &o); /* spots_max: the step ends */
    char rows[8][400];
    int n = rows_of(&g, &o, 0, rows, 8);
    assert_int_equal(n, 1);
    str(rows[0], "kind", "spots");
    assert_int_equal((int)num(rows[0], "count"), 2);
    assert_true(fabs(num(rows[0], "t") - 60) < 1e-6);
    assert_true(fabs(num(rows[0], "planned_s") - 30) < 1e-6);
}

static void test_finish_early_and_skip(void **state)
{
    (void)state;
    struct rs_routine_plan p;
    plan_short(&p);
    struct rs_rtglue g;
    rs_rtglue_init(&g, &p);
    struct rs_routine_out o = { .n = 0 };
    rs_rtglue_finish(&g, &o);
    assert_int_equal(o.n, 0); /* never started: no routine_done */
    rs_rtglue_sample(&g, 2, true, &o);
    rs_rtglue_sample(&g, 12, true, &o); /* warm-up done */
    rs_rtglue_skip(&g, &o);             /* spots skipped */
    rs_rtglue_sample(&g, 13, true, &o);
    o.n = 0;
    rs_rtglue_finish(&g, &o);
    rs_rtglue_finish(&g, &o); /* once */
    char rows[8][400];
    assert_int_equal(rows_of(&g, &o, 0, rows, 8), 1);
    assert_non_null(strstr(rows[0], "routine_done|"));
    assert_int_equal((int)num(rows[0], "steps"), 8);
    assert_int_equal((int)num(rows[0], "steps_done"), 1);
    assert_false(flag(rows[0], "completed"));
    assert_true(fabs(num(rows[0], "total_s") - 11) < 1e-6);
}

/* The whole routine by keys: 8 rows in order, then routine_done completed. */
static void test_whole_routine_rows(void **state)
{
    (void)state;
    struct rs_routine_plan p;
    plan_short(&p);
    p.first_leg = RS_LEG_RIGHT;
    struct rs_rtglue g;
    rs_rtglue_init(&g, &p);
    struct rs_routine_out o = { .n = 0 };
    char rows[16][400];
    int n = 0;
    double t = 0;
    rs_rtglue_sample(&g, t, true, &o);
    for (int guard = 0; guard < 100 && !g.finished; guard++) {
        t += 1;
        o.n = 0;
        rs_rtglue_sample(&g, t, false, &o); /* off the roller: stretches start by themselves */
        if (g.rt.cur < g.rt.nsteps && g.rt.steps[g.rt.cur].kind == RS_RT_SPOTS)
            rs_rtglue_hold(&g, t, g.rt.steps[g.rt.cur].leg, 16, &o);
        if (g.rt.cur < g.rt.nsteps && g.rt.steps[g.rt.cur].kind == RS_RT_WARMUP)
            rs_rtglue_go(&g, &o);
        n += rows_of(&g, &o, 0, rows + n, 16 - n);
    }
    assert_int_equal(n, 9);
    static const char *const kinds[] = { "warmup", "spots", "stretch_gastroc", "stretch_soleus" };
    for (int i = 0; i < 8; i++) {
        assert_int_equal((int)num(rows[i], "step"), i);
        str(rows[i], "kind", kinds[i % 4]);
        str(rows[i], "leg", i < 4 ? "right" : "left");
        assert_false(flag(rows[i], "skipped"));
    }
    assert_true(flag(rows[8], "completed"));
    assert_int_equal((int)num(rows[8], "steps_done"), 8);
}

static void test_phrases(void **state)
{
    (void)state;
    struct rs_routine_plan p;
    plan_short(&p);
    struct rs_rtglue g;
    rs_rtglue_init(&g, &p);
    struct rs_routine_out o = { .n = 0 };
    int ph[16];
    bool tone;
    rs_rtglue_sample(&g, 0, true, &o);
    rs_rtglue_skip(&g, &o); /* -> spots */
    rs_rtglue_skip(&g, &o); /* -> knee straight, waiting */
    int n = rs_rtglue_take(&g, ph, 16, &tone);
    assert_true(tone);
    assert_int_equal(n, 3);
    assert_int_equal(ph[0], RS_PHRASE_WARMUP);
    assert_int_equal(ph[1], RS_PHRASE_SPOTS);
    assert_int_equal(ph[2], RS_PHRASE_STRETCH_STRAIGHT);
    assert_int_equal(rs_rtglue_take(&g, ph, 16, &tone), 0);
    assert_false(tone);
    o.n = 0;
    rs_rtglue_sample(&g, 1, false, &o);
    rs_rtglue_sample(&g, 2, false, &o); /* 1 s off the roller: the repetition starts */
    n = rs_rtglue_take(&g, ph, 16, &tone);
    assert_true(tone);
    assert_int_equal(n, 1);
    assert_int_equal(ph[0], RS_PHRASE_STRETCH_STRAIGHT);
    o.n = 0;
    rs_rtglue_skip(&g, &o); /* -> knee bent */
    rs_rtglue_skip(&g, &o); /* -> the right calf's warm-up */
    n = rs_rtglue_take(&g, ph, 16, &tone);
    assert_int_equal(n, 3);
    assert_int_equal(ph[0], RS_PHRASE_STRETCH_BENT);
    assert_int_equal(ph[1], RS_PHRASE_SWITCH_RIGHT);
    assert_int_equal(ph[2], RS_PHRASE_WARMUP);
    for (int i = 0; i < 4; i++) {
        o.n = 0;
        rs_rtglue_skip(&g, &o);
    }
    n = rs_rtglue_take(&g, ph, 16, &tone);
    assert_int_equal(ph[n - 1], RS_PHRASE_DONE);
}

/* ---- config keys ---------------------------------------------------------- */

static int take(const char *text, struct rs_rtcfg *c, char *err, size_t cap, char *left, size_t lcap)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text);
    rs_rtcfg_defaults(c);
    int rc = rs_rtcfg_take(c, buf, "t.conf", err, cap);
    if (left)
        snprintf(left, lcap, "%s", buf);
    return rc;
}

static void test_cfg_ranges(void **state)
{
    (void)state;
    static const struct { const char *line; int ok; } table[] = {
        { "routine_warmup_s = 10", 1 },      { "routine_warmup_s = 9.99", 0 },
        { "routine_warmup_s = 600", 1 },     { "routine_warmup_s = 600.01", 0 },
        { "routine_spots_min = 1", 1 },      { "routine_spots_min = 0", 0 },
        { "routine_spots_min = 1.5", 0 },    { "routine_spots_max = 5", 1 },
        { "routine_spots_max = 6", 0 },      { "routine_spots_max = 1", 0 }, /* < spots_min 2 */
        { "routine_spot_min_s = 5", 1 },     { "routine_spot_min_s = 4.9", 0 },
        { "routine_spots_max_s = 900", 1 },  { "routine_spots_max_s = 901", 0 },
        { "routine_stretch_s = 10", 1 },     { "routine_stretch_s = 121", 0 },
        { "routine_stretch_reps = 5", 1 },   { "routine_stretch_reps = 6", 0 },
        { "routine_rest_s = 0", 1 },         { "routine_rest_s = -1", 0 },
        { "routine_countdown_s = 10", 1 },   { "routine_countdown_s = 11", 0 },
        { "routine_unload_start_s = 0.5", 1 }, { "routine_unload_start_s = 0.4", 0 },
        { "routine_first_leg = right", 1 },  { "routine_first_leg = both", 0 },
        { "voice = off", 1 },                { "voice = no", 0 },
        { "routine_warmup_s = 0x20", 0 },    { "routine_warmup_s = nan", 0 },
        { "routine_warmup_s =", 0 },         { "routine_nonsense = 1", 0 },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        struct rs_rtcfg c;
        char err[300] = "";
        int rc = take(table[i].line, &c, err, sizeof err, NULL, 0);
        if ((rc == 0) != table[i].ok)
            fail_msg("'%s': rc %d (%s)", table[i].line, rc, err);
        if (!table[i].ok)
            assert_non_null(strstr(err, "t.conf"));
    }
}

static void test_cfg_values_and_blanking(void **state)
{
    (void)state;
    struct rs_rtcfg c;
    char err[300], left[1024];
    assert_int_equal(take("still_time_s = 2\nroutine_warmup_s = 60 # comment\n voice=off\n"
                          "routine_first_leg = right\nroutine_stretch_reps = 3\n",
                          &c, err, sizeof err, left, sizeof left), 0);
    assert_true(fabs(c.plan.warmup_s - 60) < 1e-9);
    assert_int_equal(c.voice, 0);
    assert_int_equal(c.plan.first_leg, RS_LEG_RIGHT);
    assert_int_equal(c.plan.stretch_reps, 3);
    /* the thresholds' line stays, ours are blank, line count unchanged */
    assert_non_null(strstr(left, "still_time_s = 2\n"));
    assert_null(strstr(left, "routine"));
    assert_null(strstr(left, "voice"));
    int lines = 0;
    for (const char *q = left; *q; q++)
        lines += *q == '\n';
    assert_int_equal(lines, 5);
    assert_int_equal(take("voice = on\nvoice = on\n", &c, err, sizeof err, NULL, 0), -1);
    assert_non_null(strstr(err, "t.conf:2: key 'voice': set twice"));
    assert_int_equal(take("routine_stretch_s = 200\n", &c, err, sizeof err, NULL, 0), -1);
    assert_string_equal(err, "t.conf:1: key 'routine_stretch_s': 200 is out of range, allowed 10..120 s");
    /* bad bytes are shown escaped: the message stays one line */
    assert_int_equal(take("routine_\x1b[2J = 1\n", &c, err, sizeof err, NULL, 0), -1);
    assert_null(strchr(err, '\x1b'));
    assert_int_equal(take("voice = \x1b\n", &c, err, sizeof err, NULL, 0), -1);
    assert_null(strchr(err, '\x1b'));
    rs_rtcfg_defaults(&c);
    assert_int_equal(c.voice, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starts_at_first_load),
        cmocka_unit_test(test_spots_threshold),
        cmocka_unit_test(test_finish_early_and_skip),
        cmocka_unit_test(test_whole_routine_rows),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_cfg_ranges),
        cmocka_unit_test(test_cfg_values_and_blanking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
