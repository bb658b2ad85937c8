/*
 * The guided routine's state machine (host/routine/rs_routine.h) as tables:
 * plan ranges at their edges, each step's transitions at their boundaries,
 * holds that count and holds that do not, go-on and skip, unloading to
 * start a stretch, and a whole routine for both calves in order.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rs_routine.h"

#define EPS 1e-9

static struct rs_routine_plan plan(void)
{
    struct rs_routine_plan p;
    rs_routine_plan_default(&p);
    return p;
}

/* ---- plan ranges ---------------------------------------------------------- */

struct plan_case {
    const char *what;
    void (*set)(struct rs_routine_plan *p, double v);
    double ok_lo, ok_hi, bad_lo, bad_hi;
};

static void set_warmup(struct rs_routine_plan *p, double v) { p->warmup_s = v; }
static void set_spots_min(struct rs_routine_plan *p, double v) { p->spots_min = (int)v; p->spots_max = 5; }
static void set_spots_max(struct rs_routine_plan *p, double v) { p->spots_max = (int)v; }
static void set_spot_min_s(struct rs_routine_plan *p, double v) { p->spot_min_s = v; }
static void set_spots_max_s(struct rs_routine_plan *p, double v) { p->spots_max_s = v; }
static void set_stretch(struct rs_routine_plan *p, double v) { p->stretch_s = v; }
static void set_reps(struct rs_routine_plan *p, double v) { p->stretch_reps = (int)v; }
static void set_rest(struct rs_routine_plan *p, double v) { p->rest_s = v; }
static void set_countdown(struct rs_routine_plan *p, double v) { p->countdown_s = v; }
static void set_unload(struct rs_routine_plan *p, double v) { p->unload_start_s = v; }

static void test_plan_ranges(void **state)
{
    (void)state;
    static const struct plan_case cases[] = {
        { "warm-up", set_warmup, 10, 600, 9.99, 600.01 },
        { "spots_min", set_spots_min, 1, 5, 0, 6 },
        { "spots_max", set_spots_max, 2, 5, 1, 6 }, /* default spots_min is 2 */
        { "spot_min_s", set_spot_min_s, 5, 90, 4.99, 90.01 },
        { "spots_max_s", set_spots_max_s, 30, 900, 29.99, 900.01 },
        { "stretch_s", set_stretch, 10, 120, 9.99, 120.01 },
        { "stretch_reps", set_reps, 1, 5, 0, 6 },
        { "rest_s", set_rest, 0, 120, -0.01, 120.01 },
        { "countdown_s", set_countdown, 0, 10, -0.01, 10.01 },
        { "unload_start_s", set_unload, 0.5, 10, 0.49, 10.01 },
    };
    struct rs_routine_plan p = plan();
    char err[160];
    assert_int_equal(rs_routine_plan_check(&p, err, sizeof err), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct plan_case *c = &cases[i];
        double vals[4] = { c->ok_lo, c->ok_hi, c->bad_lo, c->bad_hi };
        for (int k = 0; k < 4; k++) {
            p = plan();
            c->set(&p, vals[k]);
            err[0] = '\0';
            int rc = rs_routine_plan_check(&p, err, sizeof err);
            if (k < 2) {
                assert_int_equal(rc, 0);
            } else {
                assert_true(rc < 0);
                assert_non_null(strstr(err, c->what));
            }
        }
    }
    p = plan();
    p.first_leg = RS_LEG_UNCERTAIN;
    assert_true(rs_routine_plan_check(&p, err, sizeof err) < 0);
    assert_non_null(strstr(err, "first leg"));
}

/* ---- helpers -------------------------------------------------------------- */

static int count_kind(const struct rs_routine_out *o, enum rs_rt_ev_kind k)
{
    int n = 0;
    for (int i = 0; i < o->n; i++)
        n += o->ev[i].kind == k;
    return n;
}

static const struct rs_routine_event *find(const struct rs_routine_out *o, enum rs_rt_ev_kind k)
{
    for (int i = 0; i < o->n; i++)
        if (o->ev[i].kind == k)
            return &o->ev[i];
    return NULL;
}

/* A routine started at t = 100 s and advanced to the start of step `step`
 * by skipping. */
static void at_step(struct rs_routine *r, const struct rs_routine_plan *p, int step)
{
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(r, p, 100, &o);
    for (int i = 0; i < step; i++) {
        o.n = 0;
        rs_routine_skip(r, 100, &o);
    }
    assert_int_equal(r->cur, step);
}

/* ---- start and warm-up ---------------------------------------------------- */

static void test_start(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(&r, &p, 100, &o);
    assert_int_equal(o.n, 1);
    assert_int_equal(o.ev[0].kind, RS_RTE_STEP_START);
    assert_int_equal(o.ev[0].step, 0);
    assert_int_equal(o.ev[0].step_kind, RS_RT_WARMUP);
    assert_int_equal(o.ev[0].leg, RS_LEG_LEFT);
    assert_true(fabs(o.ev[0].planned_s - 75) < EPS);
    assert_true(fabs(o.ev[0].t - 100) < EPS);
    assert_int_equal(r.nsteps, 8);
    assert_false(rs_routine_done(&r));
}

static void test_warmup_boundary(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 0);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_tick(&r, 100 + 75 - 0.001, true, &o);
    assert_int_equal(o.n, 0);
    rs_routine_tick(&r, 100 + 75, true, &o);
    assert_int_equal(o.n, 2);
    assert_int_equal(o.ev[0].kind, RS_RTE_STEP_END);
    assert_true(fabs(o.ev[0].actual_s - 75) < EPS);
    assert_false(o.ev[0].skipped);
    assert_int_equal(o.ev[1].kind, RS_RTE_STEP_START);
    assert_int_equal(o.ev[1].step_kind, RS_RT_SPOTS);
    assert_int_equal(o.ev[1].leg, RS_LEG_LEFT);
    assert_true(fabs(o.ev[1].t - 175) < EPS);
}

static void test_warmup_go_early(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 0);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_go(&r, 140, &o);
    const struct rs_routine_event *e = find(&o, RS_RTE_STEP_END);
    assert_non_null(e);
    assert_true(fabs(e->actual_s - 40) < EPS);
    assert_false(e->skipped);
    assert_int_equal(r.steps[r.cur].kind, RS_RT_SPOTS);
}

/* ---- spots ---------------------------------------------------------------- */

struct hold_case {
    enum rs_leg leg;
    double seconds;
    int spot, spot_short, spots_after;
};

static void test_spot_holds(void **state)
{
    (void)state;
    static const struct hold_case cases[] = {
        { RS_LEG_LEFT, 14.999, 0, 1, 0 },  /* just too short */
        { RS_LEG_LEFT, 15.0, 1, 0, 1 },    /* exactly the minimum counts */
        { RS_LEG_LEFT, 45.0, 1, 0, 1 },
        { RS_LEG_RIGHT, 30.0, 0, 0, 0 },   /* the other calf: not this step's */
        { RS_LEG_UNCERTAIN, 30.0, 0, 0, 0 },
    };
    struct rs_routine_plan p = plan();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_routine r;
        at_step(&r, &p, 1);
        struct rs_routine_out o = { .n = 0 };
        rs_routine_hold(&r, 130, cases[i].leg, cases[i].seconds, &o);
        assert_int_equal(count_kind(&o, RS_RTE_SPOT), cases[i].spot);
        assert_int_equal(count_kind(&o, RS_RTE_SPOT_SHORT), cases[i].spot_short);
        assert_int_equal(r.spots, cases[i].spots_after);
    }
    /* not a spots step: a hold during the warm-up does not count */
    struct rs_routine r;
    at_step(&r, &p, 0);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_hold(&r, 130, RS_LEG_LEFT, 30, &o);
    assert_int_equal(o.n, 0);
}

static void test_spots_max_ends_step(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 1);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_hold(&r, 120, RS_LEG_LEFT, 20, &o);
    rs_routine_hold(&r, 140, RS_LEG_LEFT, 20, &o);
    assert_int_equal(count_kind(&o, RS_RTE_STEP_END), 0);
    rs_routine_hold(&r, 160, RS_LEG_LEFT, 20, &o);
    const struct rs_routine_event *e = find(&o, RS_RTE_STEP_END);
    assert_non_null(e);
    assert_int_equal(e->count, 3);
    assert_false(e->skipped);
    assert_true(fabs(e->actual_s - 60) < EPS);
    assert_int_equal(r.steps[r.cur].kind, RS_RT_STRETCH_GASTROC);
    assert_int_equal(r.phase, RS_RTP_WAIT);
}

static void test_spots_go_needs_min(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 1);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_hold(&r, 120, RS_LEG_LEFT, 20, &o);
    o.n = 0;
    rs_routine_go(&r, 125, &o); /* one spot: go-on does nothing */
    assert_int_equal(o.n, 0);
    assert_int_equal(r.cur, 1);
    rs_routine_hold(&r, 150, RS_LEG_LEFT, 20, &o);
    o.n = 0;
    rs_routine_go(&r, 155, &o); /* two: the step ends, not skipped */
    const struct rs_routine_event *e = find(&o, RS_RTE_STEP_END);
    assert_non_null(e);
    assert_int_equal(e->count, 2);
    assert_false(e->skipped);
}

static void test_spots_time_cap(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    for (int held = 0; held <= 2; held++) {
        struct rs_routine r;
        at_step(&r, &p, 1);
        struct rs_routine_out o = { .n = 0 };
        for (int k = 0; k < held; k++)
            rs_routine_hold(&r, 110 + k * 20, RS_LEG_LEFT, 16, &o);
        o.n = 0;
        rs_routine_tick(&r, 100 + 120 - 0.001, true, &o);
        assert_int_equal(o.n, 0);
        rs_routine_tick(&r, 100 + 120, true, &o);
        const struct rs_routine_event *e = find(&o, RS_RTE_STEP_END);
        assert_non_null(e);
        assert_int_equal(e->count, held);
        /* short of spots_min (2) the step counts as skipped */
        assert_int_equal(e->skipped, held < 2);
    }
}

/* ---- stretches ------------------------------------------------------------ */

static void test_stretch_unload_starts(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 2);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_tick(&r, 101, true, &o);   /* still on the roller */
    rs_routine_tick(&r, 110, true, &o);
    assert_int_equal(r.phase, RS_RTP_WAIT);
    rs_routine_tick(&r, 111, false, &o);  /* off the roller from 111 */
    rs_routine_tick(&r, 112.9, false, &o);
    assert_int_equal(r.phase, RS_RTP_WAIT);
    rs_routine_tick(&r, 112.95, true, &o); /* back on: the wait starts again */
    rs_routine_tick(&r, 113, false, &o);
    rs_routine_tick(&r, 114.999, false, &o);
    assert_int_equal(r.phase, RS_RTP_WAIT);
    rs_routine_tick(&r, 115, false, &o);  /* 2 s off the roller */
    assert_int_equal(r.phase, RS_RTP_COUNTDOWN);
    assert_int_equal(o.n, 0);
    rs_routine_tick(&r, 117.999, false, &o);
    assert_int_equal(r.phase, RS_RTP_COUNTDOWN);
    rs_routine_tick(&r, 118, false, &o);  /* 3 s countdown */
    assert_int_equal(r.phase, RS_RTP_STRETCH);
    const struct rs_routine_event *e = find(&o, RS_RTE_REP_START);
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    assert_true(fabs(e->t - 118) < EPS);
}

static void test_stretch_reps_and_rest(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 2);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_go(&r, 200, &o);           /* space starts the countdown */
    assert_int_equal(r.phase, RS_RTP_COUNTDOWN);
    rs_routine_tick(&r, 203, true, &o);   /* the load does not matter any more */
    rs_routine_tick(&r, 232.999, true, &o);
    assert_int_equal(r.phase, RS_RTP_STRETCH);
    rs_routine_tick(&r, 233, true, &o);
    assert_int_equal(r.phase, RS_RTP_REST);
    assert_int_equal(count_kind(&o, RS_RTE_REP_END), 1);
    rs_routine_tick(&r, 242.999, true, &o);
    assert_int_equal(r.phase, RS_RTP_REST);
    rs_routine_tick(&r, 243, true, &o);   /* 10 s rest, then the countdown */
    assert_int_equal(r.phase, RS_RTP_COUNTDOWN);
    o.n = 0;
    rs_routine_tick(&r, 246 + 30, true, &o);
    /* second repetition: start, end, the step's end, the next step's start */
    assert_int_equal(o.n, 4);
    assert_int_equal(o.ev[0].kind, RS_RTE_REP_START);
    assert_int_equal(o.ev[0].count, 2);
    assert_true(fabs(o.ev[0].t - 246) < EPS);
    assert_int_equal(o.ev[1].kind, RS_RTE_REP_END);
    assert_int_equal(o.ev[2].kind, RS_RTE_STEP_END);
    assert_int_equal(o.ev[2].count, 2);
    assert_true(fabs(o.ev[2].planned_s - (2 * (3 + 30) + 10)) < EPS); /* reps, countdowns, rest */
    assert_true(fabs(o.ev[2].actual_s - 176) < EPS);
    assert_int_equal(o.ev[3].kind, RS_RTE_STEP_START);
    assert_int_equal(o.ev[3].step_kind, RS_RT_STRETCH_SOLEUS);
}

static void test_rest_go_early(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    at_step(&r, &p, 3);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_go(&r, 100, &o);
    rs_routine_tick(&r, 133, true, &o);
    assert_int_equal(r.phase, RS_RTP_REST);
    rs_routine_go(&r, 135, &o);
    assert_int_equal(r.phase, RS_RTP_COUNTDOWN);
    assert_true(fabs(r.phase_t0 - 135) < EPS);
    /* go-on during a countdown or a stretch changes nothing */
    rs_routine_go(&r, 136, &o);
    assert_true(fabs(r.phase_t0 - 135) < EPS);
    rs_routine_tick(&r, 138, true, &o);
    rs_routine_go(&r, 140, &o);
    assert_int_equal(r.phase, RS_RTP_STRETCH);
    assert_true(fabs(r.phase_t0 - 138) < EPS);
}

/* ---- skip, order, done ---------------------------------------------------- */

static void test_skip_and_order(void **state)
{
    (void)state;
    static const struct {
        enum rs_rt_kind kind;
        enum rs_leg leg;
    } order[8] = {
        { RS_RT_WARMUP, RS_LEG_RIGHT }, { RS_RT_SPOTS, RS_LEG_RIGHT },
        { RS_RT_STRETCH_GASTROC, RS_LEG_RIGHT }, { RS_RT_STRETCH_SOLEUS, RS_LEG_RIGHT },
        { RS_RT_WARMUP, RS_LEG_LEFT }, { RS_RT_SPOTS, RS_LEG_LEFT },
        { RS_RT_STRETCH_GASTROC, RS_LEG_LEFT }, { RS_RT_STRETCH_SOLEUS, RS_LEG_LEFT },
    };
    struct rs_routine_plan p = plan();
    p.first_leg = RS_LEG_RIGHT;
    struct rs_routine r;
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(&r, &p, 0, &o);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(r.steps[r.cur].kind, order[i].kind);
        assert_int_equal(r.steps[r.cur].leg, order[i].leg);
        o.n = 0;
        rs_routine_skip(&r, 10.0 * (i + 1), &o);
        const struct rs_routine_event *e = find(&o, RS_RTE_STEP_END);
        assert_non_null(e);
        assert_true(e->skipped);
        assert_true(fabs(e->actual_s - 10) < EPS);
    }
    assert_true(rs_routine_done(&r));
    const struct rs_routine_event *d = find(&o, RS_RTE_DONE);
    assert_non_null(d);
    assert_true(fabs(d->actual_s - 80) < EPS);
    /* nothing moves a finished routine */
    o.n = 0;
    rs_routine_skip(&r, 90, &o);
    rs_routine_go(&r, 90, &o);
    rs_routine_tick(&r, 1000, false, &o);
    rs_routine_hold(&r, 1000, RS_LEG_LEFT, 30, &o);
    assert_int_equal(o.n, 0);
}

/* A full routine done as a person would: every event time is where the
 * plan puts it. */
static void test_whole_routine(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(&r, &p, 0, &o);
    int steps_started = 1, reps = 0;
    long i = 0; /* samples at 80 Hz: t = i / 80 */
    for (int leg = 0; leg < 2; leg++) {
        enum rs_leg l = leg ? RS_LEG_RIGHT : RS_LEG_LEFT;
        for (long end = i + 75 * 80; i <= end; i++) { /* warm-up, on the roller */
            o.n = 0;
            rs_routine_tick(&r, i / 80.0, true, &o);
            steps_started += count_kind(&o, RS_RTE_STEP_START);
        }
        assert_int_equal(r.steps[r.cur].kind, RS_RT_SPOTS);
        double t = i / 80.0;
        o.n = 0;
        rs_routine_hold(&r, t + 25, l, 20, &o);
        rs_routine_hold(&r, t + 50, l, 10, &o); /* too short */
        rs_routine_hold(&r, t + 75, l, 20, &o);
        rs_routine_go(&r, t + 80, &o);
        steps_started += count_kind(&o, RS_RTE_STEP_START);
        i += 80 * 80;
        for (long end = i + 200 * 80; i < end && r.cur < 4 * (leg + 1); i++) {
            o.n = 0;
            rs_routine_tick(&r, i / 80.0, false, &o); /* off the roller: stretches run */
            steps_started += count_kind(&o, RS_RTE_STEP_START);
            reps += count_kind(&o, RS_RTE_REP_END);
        }
    }
    assert_true(rs_routine_done(&r));
    assert_int_equal(steps_started, 8);
    assert_int_equal(reps, 8); /* 2 reps x 2 stretches x 2 legs */
}

/* Each leg's spots step counts from zero; the unloading clock starts at the
 * first tick that sees the roller empty, not at the routine's start. */
static void test_second_leg_fresh(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(&r, &p, 0, &o);
    rs_routine_skip(&r, 0, &o);
    rs_routine_hold(&r, 20, RS_LEG_LEFT, 20, &o);
    rs_routine_hold(&r, 40, RS_LEG_LEFT, 20, &o);
    rs_routine_go(&r, 41, &o);
    assert_int_equal(r.steps[r.cur].kind, RS_RT_STRETCH_GASTROC);
    rs_routine_tick(&r, 42, false, &o);
    rs_routine_tick(&r, 43.5, false, &o); /* 1.5 s off the roller: still waiting */
    assert_int_equal(r.phase, RS_RTP_WAIT);
    rs_routine_skip(&r, 44, &o);
    rs_routine_skip(&r, 44, &o);
    rs_routine_skip(&r, 44, &o); /* the right calf's warm-up skipped */
    struct rs_routine_view v;
    rs_routine_view(&r, 45, &v);
    assert_int_equal(v.kind, RS_RT_SPOTS);
    assert_int_equal(v.leg, RS_LEG_RIGHT);
    assert_int_equal(v.spots, 0);
    assert_int_equal(v.nsteps, 8);
    assert_int_equal(v.step, 5);
    o.n = 0;
    rs_routine_hold(&r, 70, RS_LEG_RIGHT, 20, &o);
    assert_int_equal(find(&o, RS_RTE_SPOT)->count, 1);
}

static void test_unload_clock_from_first_tick(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(&r, &p, 0, &o);
    rs_routine_skip(&r, 0, &o);
    rs_routine_skip(&r, 0, &o);
    rs_routine_tick(&r, 1, false, &o);
    rs_routine_tick(&r, 2.5, false, &o);
    assert_int_equal(r.phase, RS_RTP_WAIT);
    rs_routine_tick(&r, 3, false, &o);
    assert_int_equal(r.phase, RS_RTP_COUNTDOWN);
}

/* A late tick catches up with each transition at its own time. */
static void test_late_tick(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    struct rs_routine_out o = { .n = 0 };
    rs_routine_start(&r, &p, 0, &o);
    o.n = 0;
    rs_routine_tick(&r, 500, true, &o);
    assert_int_equal(o.n, 4);
    assert_true(fabs(o.ev[0].t - 75) < EPS);   /* warm-up ended */
    assert_true(fabs(o.ev[2].t - 195) < EPS);  /* spots capped 120 s later */
    assert_true(o.ev[2].skipped);
    assert_int_equal(r.steps[r.cur].kind, RS_RT_STRETCH_GASTROC);
}

/* ---- the view ------------------------------------------------------------- */

static void test_view(void **state)
{
    (void)state;
    struct rs_routine_plan p = plan();
    struct rs_routine r;
    struct rs_routine_view v;
    at_step(&r, &p, 0);
    rs_routine_view(&r, 130, &v);
    assert_int_equal(v.kind, RS_RT_WARMUP);
    assert_int_equal(v.leg, RS_LEG_LEFT);
    assert_true(fabs(v.remaining_s - 45) < EPS);
    assert_string_equal(v.title, "Warm up");
    assert_non_null(strstr(v.instruction, "Achilles"));
    assert_non_null(strstr(v.instruction, "back of the knee"));

    at_step(&r, &p, 1);
    struct rs_routine_out o = { .n = 0 };
    rs_routine_view(&r, 100, &v);
    assert_non_null(strstr(v.instruction, "hold it 15-30 s"));
    rs_routine_hold(&r, 120, RS_LEG_LEFT, 20, &o);
    rs_routine_hold(&r, 140, RS_LEG_LEFT, 20, &o);
    rs_routine_view(&r, 141, &v);
    assert_int_equal(v.spots, 2);
    assert_non_null(strstr(v.instruction, "Enough spots"));

    at_step(&r, &p, 2);
    rs_routine_view(&r, 100, &v);
    assert_true(v.remaining_s < 0); /* waiting: nothing timed */
    assert_int_equal(v.rep, 1);
    assert_non_null(strstr(v.instruction, "straight"));
    rs_routine_go(&r, 100, &o);
    rs_routine_view(&r, 101, &v);
    assert_true(fabs(v.remaining_s - 2) < EPS);
    rs_routine_tick(&r, 103, false, &o);
    rs_routine_view(&r, 113, &v);
    assert_true(fabs(v.remaining_s - 20) < EPS);

    at_step(&r, &p, 3);
    rs_routine_view(&r, 100, &v);
    assert_non_null(strstr(v.instruction, "bent"));

    rs_routine_skip(&r, 100, &o);
    while (!rs_routine_done(&r))
        rs_routine_skip(&r, 100, &o);
    rs_routine_view(&r, 100, &v);
    assert_int_equal(v.step, 8);
    assert_string_equal(v.title, "Routine done");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(rs_routine_kind_name(RS_RT_WARMUP), "warmup");
    assert_string_equal(rs_routine_kind_name(RS_RT_STRETCH_SOLEUS), "stretch_soleus");
    assert_string_equal(rs_routine_kind_name((enum rs_rt_kind)9), "unknown");
    assert_string_equal(rs_routine_ev_name(RS_RTE_DONE), "done");
    assert_string_equal(rs_routine_ev_name((enum rs_rt_ev_kind)-1), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_ranges),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_warmup_boundary),
        cmocka_unit_test(test_warmup_go_early),
        cmocka_unit_test(test_spot_holds),
        cmocka_unit_test(test_spots_max_ends_step),
        cmocka_unit_test(test_spots_go_needs_min),
        cmocka_unit_test(test_spots_time_cap),
        cmocka_unit_test(test_stretch_unload_starts),
        cmocka_unit_test(test_stretch_reps_and_rest),
        cmocka_unit_test(test_rest_go_early),
        cmocka_unit_test(test_skip_and_order),
        cmocka_unit_test(test_whole_routine),
        cmocka_unit_test(test_second_leg_fresh),
        cmocka_unit_test(test_unload_clock_from_first_tick),
        cmocka_unit_test(test_late_tick),
        cmocka_unit_test(test_view),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
