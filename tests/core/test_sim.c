/*
 * test_sim.c - the simulated user: parser errors, frames agree with the
 * physical state, dropped frames, determinism, looping, and the built-in demo
 * shows everything it promises within two minutes.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rs_defaults.h"
#include "rs_pipeline.h"
#include "rs_sim.h"
#include "scenario_run.h"

static struct rs_scenario S;

struct bad_case {
    const char *text;
    const char *expect;
};

static const struct bad_case bad_cases[] = {
    { "", "t.scn:0: no segments" },
    { "roll 5\n", "t.scn:1: roll wants SECONDS (> 0) and SPEED_CM_S" },
    { "hold -1\n", "t.scn:1: hold wants SECONDS (> 0)" },
    { "lift 1\nroll 5 10\n", "t.scn:2: roll leaves the calf (position 50.00 cm), allowed 0..40" },
    { "roll 2 -1\n", "t.scn:1: roll leaves the calf" },
    { "hold 10 wobble=9\n", "t.scn:1: option 'wobble=9' not allowed for hold" },
    { "roll 1 1 dip=0.5\n", "t.scn:1: option 'dip=0.5' not allowed for roll" },
    { "hold 10 force\n", "t.scn:1: option 'force' is not KEY=NUMBER" },
    { "mass 5\nhold 1\n", "t.scn:1: mass '5', allowed kg 20..250" },
    { "leg middle\n", "t.scn:1: leg 'middle', allowed left or right" },
    { "jump 3\n", "t.scn:1: unknown keyword 'jump'" },
    { "fault fire 1 2\nhold 3\n", "t.scn:1: fault wants NAME" },
    { "loop\nroll 1 1\n", "a looping scenario must start and end with a lift" },
    { "drop 0.9\nhold 1\n", "t.scn:1: drop '0.9', allowed  0..0.5" },
};

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        char err[512] = "";
        int rc = rs_scenario_parse(&S, bad_cases[i].text, "t.scn", err, sizeof err);
        if (rc >= 0 || !strstr(err, bad_cases[i].expect))
            fail_msg("case %zu: rc %d, \"%s\", want \"%s\"", i, rc, err, bad_cases[i].expect);
    }
}

/* Raw frames decode (with the nominal constants) to the clean physical state. */
static void test_frames_match_physics(void **state)
{
    (void)state;
    const char *text = "noise 0\nphase 0\nleg left\nlift 1\nroll 4 3 x_to=60\nhold 5 force=300 creep=2\n"
                       "roll 2 -5\nlift 1\n";
    char err[256];
    assert_int_equal(rs_scenario_parse(&S, text, "t", err, sizeof err), 0);
    struct rs_sim sim;
    rs_sim_init(&sim, &S);
    struct rs_sample s;
    struct rs_sim_truth tr;
    uint32_t n = 0;
    double circ = 2 * M_PI * RS_DEFAULT_RADIUS_UM / 1e4;
    while (rs_sim_next(&sim, &s, &tr)) {
        assert_int_equal(s.seq, n);
        assert_int_equal(s.t_us, n * 12500u);
        struct rs_phys ph;
        rs_sim_physics(&S, tr.t, &ph);
        double l = s.left / RS_DEFAULT_SCALE_COUNTS_PER_N, r = s.right / RS_DEFAULT_SCALE_COUNTS_PER_N;
        assert_true(fabs(l - ph.left_n) < 0.001 && fabs(r - ph.right_n) < 0.001);
        assert_true(fabs(s.enc - ph.angle_rad * 7.0 / circ * 16384) <= 0.5 + 1e-6);
        if (tr.st.total_n > 10) {
            double x = (r / (l + r) - 0.5) * RS_CELL_SPAN_MM;
            assert_true(fabs(x - tr.st.x_mm) < 0.1);
        }
        n++;
    }
    assert_int_equal(n, (uint32_t)(13 * 80));
    /* Creep: the force at the end of the hold is 2 % up. */
    struct rs_sim_state st;
    rs_scenario_state(&S, 1 + 4 + 4.999, &st);
    assert_true(fabs(st.total_n - 306) < 0.1);
    rs_scenario_state(&S, 1 + 4 + 0.5, &st);
    assert_true(fabs(st.total_n - 300.6) < 0.01);
}

static void test_dropped_and_deterministic(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(rs_scenario_parse(&S, "drop 0.01\nseed 5\nhold 600\n", "t", err, sizeof err), 0);
    struct rs_sim a, b;
    rs_sim_init(&a, &S);
    rs_sim_init(&b, &S);
    struct rs_sample sa, sb;
    uint32_t n = 0, last = 0, lost = 0;
    while (rs_sim_next(&a, &sa, NULL)) {
        assert_int_equal(rs_sim_next(&b, &sb, NULL), 1);
        assert_memory_equal(&sa, &sb, sizeof sa);
        if (n == 0)
            assert_int_equal(sa.seq, 0);
        else
            lost += sa.seq - last - 1;
        last = sa.seq;
        n++;
    }
    assert_int_equal(n + lost, 600 * 80);
    assert_true(lost > 380 && lost < 580); /* 1 % of 48000 = 480 */
}

static void test_loop(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(rs_scenario_parse(&S, "lift 1\nroll 4 2\nlift 1\nloop\n", "t", err, sizeof err), 0);
    assert_true(S.duration == 6 && S.cycle_disp == 8);
    struct rs_sim_state a, b;
    rs_scenario_state(&S, 2.5, &a);
    rs_scenario_state(&S, 2.5 + 3 * 6, &b);
    assert_true(fabs(b.disp_cm - a.disp_cm - 24) < 1e-9);
    assert_true(fabs(b.total_n - a.total_n) < 1e-9 && fabs(b.pos_cm - a.pos_cm) < 1e-9);
}

/* `rollsense demo`: within two minutes a 25 s and a 35 s hold, a too-fast
 * pass, three holds on one leg with the dose advice, a leg switch. */
static void test_builtin_demo(void **state)
{
    (void)state;
    const char *text = rs_scenario_builtin("demo");
    assert_non_null(text);
    assert_null(rs_scenario_builtin("nope"));
    char err[256];
    if (rs_scenario_parse(&S, text, "builtin:demo", err, sizeof err))
        fail_msg("%s", err);
    assert_true(S.loop);
    for (const char *const *n = rs_scenario_builtin_names(); *n; n++) {
        static struct rs_scenario other;
        if (rs_scenario_parse(&other, rs_scenario_builtin(*n), *n, err, sizeof err))
            fail_msg("%s", err);
    }
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    struct run_result r;
    run_scenario(&S, &cfg, 0, 0, &r); /* one pass of the loop */
    int holds = 0, h25 = 0, h35 = 0, fast = 0, dose = 0;
    bool left = false, right = false;
    for (size_t i = 0; i < r.nev; i++) {
        const struct rs_event *e = &r.ev[i];
        if (e->t > 120)
            continue;
        if (e->type == RS_EV_HOLD_END) {
            holds++;
            h25 += fabs(e->u.hold.seconds - 25) < 0.1;
            h35 += fabs(e->u.hold.seconds - 35) < 0.1;
        }
        fast += e->type == RS_EV_SPEED_BAND && e->u.band.band == RS_SPEED_TOO_FAST;
        dose += e->type == RS_EV_DOSE && e->u.dose.kind == RS_DOSE_HOLDS;
    }
    left = r.sum.calf_time_s[RS_LEG_LEFT] > 5;
    right = r.sum.calf_time_s[RS_LEG_RIGHT] > 5;
    if (holds < 3 || !h25 || !h35 || !fast || dose != 1 || !left || !right) {
        fprintf(stderr, "%s", r.json);
        fail_msg("demo: holds %d (25 s: %d, 35 s: %d), too fast %d, dose %d, legs %d/%d", holds,
                 h25, h35, fast, dose, left, right);
    }
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_frames_match_physics),
        cmocka_unit_test(test_dropped_and_deterministic),
        cmocka_unit_test(test_loop),
        cmocka_unit_test(test_builtin_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
