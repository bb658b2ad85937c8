/*
 * test_calib_solver.c - tare, span, encoder and radius procedures against a
 * simulated roller whose true calibration differs from the defaults.
 *
 * Acceptance: after tare and span, forces within +-1 % (or +-1 N) of truth at
 * five loads from 50 N to 600 N on each side, lateral position within 1 cm;
 * refusals (changing load, light mass, unstable placement) with a message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "rs_calibrate.h"
#include "rs_defaults.h"

/* The roller's truth: offsets and scales the calibration must find. */
static const double true_off_l = 84211, true_off_r = -53120;
static const double true_scale_l = 2151.0, true_scale_r = 2236.5;

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double gauss(void)
{
    /* Box-Muller on a xorshift generator: deterministic. */
    double u[2];
    for (int i = 0; i < 2; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        u[i] = ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

/* n samples of a load of total_n newtons at lateral x_mm, plus HX711-level
 * noise (150 counts, about 0.07 N) and an optional drift in N/s. */
static void sample_load(double total_n, double x_mm, double drift_n_s, size_t n,
                        int32_t *l, int32_t *r)
{
    for (size_t i = 0; i < n; i++) {
        double f = total_n + drift_n_s * (double)i / 80.0;
        double fr = f * (0.5 + x_mm / RS_CELL_SPAN_MM), fl = f - fr;
        l[i] = (int32_t)lround(true_off_l + fl * true_scale_l + 150 * gauss());
        r[i] = (int32_t)lround(true_off_r + fr * true_scale_r + 150 * gauss());
    }
}

static struct rs_calibrate_window window_of(double total_n, double x_mm, double drift, size_t n)
{
    static int32_t l[4000], r[4000];
    sample_load(total_n, x_mm, drift, n, l, r);
    struct rs_calibrate_window w;
    rs_calibrate_window_stats(l, r, n, 80.0, &w);
    return w;
}

/* Tare then span at the three guided positions with a 10 kg mass. */
static void calibrate(struct rs_cal *cal)
{
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    rs_calibrate_defaults(cal);
    char why[256];
    struct rs_calibrate_window w = window_of(0, 0, 0, 160);
    assert_int_equal(rs_calibrate_tare(&w, &lim, cal, why, sizeof why), RS_CALIBRATE_OK);

    static const double at[] = { -150, 0, 150 };
    struct rs_calibrate_placement p[3];
    for (int i = 0; i < 3; i++) {
        w = window_of(10 * RS_STANDARD_GRAVITY, at[i], 0, 160);
        assert_int_equal(rs_calibrate_placement(&w, 10, cal, &lim, &p[i], why, sizeof why),
                         RS_CALIBRATE_OK);
    }
    assert_int_equal(rs_calibrate_span_solve(p, 3, cal, why, sizeof why), RS_CALIBRATE_OK);
}

static void test_calib_forces_within_one_percent(void **state)
{
    (void)state;
    struct rs_cal cal;
    calibrate(&cal);
    static const double loads[] = { 50, 150, 300, 450, 600 };
    static const double sides[] = { -120, 120 }; /* left calf, right calf */
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < 5; i++) {
            int32_t l[80], r[80];
            sample_load(loads[i], sides[s], 0, 80, l, r);
            struct rs_calibrate_window w;
            rs_calibrate_window_stats(l, r, 80, 80, &w);
            double fl, fr, x;
            rs_calibrate_apply(&cal, (int32_t)lround(w.mean_left), (int32_t)lround(w.mean_right),
                           &fl, &fr, &x);
            double err = fabs(fl + fr - loads[i]);
            if (err > fmax(1.0, 0.01 * loads[i]))
                fail_msg("%.0f N at %+.0f mm measured as %.2f N", loads[i], sides[s], fl + fr);
            if (fabs(x - sides[s]) > 10.0)
                fail_msg("%.0f N at %+.0f mm located at %+.1f mm", loads[i], sides[s], x);
        }
    }
}

static void test_calib_span_check_placement_reports_error(void **state)
{
    (void)state;
    struct rs_cal cal;
    calibrate(&cal);
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    struct rs_calibrate_window w = window_of(5 * RS_STANDARD_GRAVITY, 60, 0, 160);
    struct rs_calibrate_placement check;
    char why[256];
    assert_int_equal(rs_calibrate_placement(&w, 5, &cal, &lim, &check, why, sizeof why), 0);
    double en, ep;
    rs_calibrate_span_error(&cal, &check, &en, &ep);
    assert_true(fabs(ep) < 0.5);
    /* A deliberately wrong scale shows up in the check. */
    cal.scale_left *= 1.1f;
    cal.scale_right *= 1.1f;
    rs_calibrate_span_error(&cal, &check, &en, &ep);
    assert_true(ep < -8 && ep > -10);
    assert_true(en < -3.5);
}

static void test_calib_refusals(void **state)
{
    (void)state;
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    struct rs_cal cal;
    rs_calibrate_defaults(&cal);
    char why[256];
    static const struct {
        const char *what;
        double load_n, drift, wobble_n, mass_kg;
        size_t n;
        int tare; /* 1: tare, 0: span placement */
        int want;
        const char *says;
    } cases[] = {
        { "tare under a changing load", 0, 4.0, 0, 0, 160, 1, RS_CALIBRATE_UNSTABLE, "drifting" },
        { "tare with someone leaning on it", 30, 0, 20, 0, 160, 1, RS_CALIBRATE_UNSTABLE, "changing" },
        { "tare too short", 0, 0, 0, 0, 10, 1, RS_CALIBRATE_TOO_FEW, "readings" },
        { "span with 1.5 kg", 1.5 * 9.81, 0, 0, 1.5, 160, 0, RS_CALIBRATE_MASS_SMALL, "at least 2 kg" },
        { "span placement still moving", 98, 0, 20, 10, 160, 0, RS_CALIBRATE_UNSTABLE, "changing" },
        { "span mass sliding", 98, 3.0, 0, 10, 160, 0, RS_CALIBRATE_UNSTABLE, "drifting" },
        { "span mass not on the roller", 0, 0, 0, 10, 160, 0, RS_CALIBRATE_NO_LOAD, "resting" },
        { "tare steady", 0, 0, 0, 0, 160, 1, RS_CALIBRATE_OK, "" },
        { "span steady 2 kg", 2 * 9.81, 0, 0, 2, 160, 0, RS_CALIBRATE_OK, "" },
    };
    /* A tare first, so placements measure from the true offsets. */
    struct rs_calibrate_window w0 = window_of(0, 0, 0, 160);
    assert_int_equal(rs_calibrate_tare(&w0, &lim, &cal, why, sizeof why), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_calibrate_window w = window_of(cases[i].load_n, 0, cases[i].drift, cases[i].n);
        /* A wobble: a hand leaning on the roller shakes the load. */
        if (cases[i].wobble_n > 0) {
            static int32_t l[160], r[160];
            sample_load(cases[i].load_n, 0, 0, 160, l, r);
            for (int k = 0; k < 160; k++)
                l[k] += (int32_t)(cases[i].wobble_n * true_scale_l * ((k / 8) % 2 ? 1 : -1));
            rs_calibrate_window_stats(l, r, 160, 80, &w);
        }
        struct rs_cal c = cal;
        struct rs_calibrate_placement p;
        why[0] = '\0';
        int rc = cases[i].tare ? rs_calibrate_tare(&w, &lim, &c, why, sizeof why)
                               : rs_calibrate_placement(&w, cases[i].mass_kg, &c, &lim, &p, why,
                                                    sizeof why);
        if (rc != cases[i].want)
            fail_msg("%s: got %d, want %d (%s)", cases[i].what, rc, cases[i].want, why);
        if (rc != 0 && !strstr(why, cases[i].says))
            fail_msg("%s: message '%s' lacks '%s'", cases[i].what, why, cases[i].says);
        if (rc != 0 && cases[i].tare)
            assert_int_equal(c.offset_left, cal.offset_left); /* nothing changed */
    }
}

static void test_calib_span_ill_posed(void **state)
{
    (void)state;
    struct rs_cal cal;
    rs_calibrate_defaults(&cal);
    char why[256];
    /* Three placements all at the centre cannot separate the two scales. */
    struct rs_calibrate_placement p[3] = {
        { 10, 10000, 10000 }, { 10, 10010, 9990 }, { 10, 9995, 10005 },
    };
    assert_int_equal(rs_calibrate_span_solve(p, 3, &cal, why, sizeof why), RS_CALIBRATE_ILL_POSED);
    assert_non_null(strstr(why, "left end"));
    assert_int_equal(rs_calibrate_span_solve(p, 1, &cal, why, sizeof why), RS_CALIBRATE_ILL_POSED);
    /* A reversed bridge gives a negative scale: refused, not stored. */
    struct rs_calibrate_placement rev[2] = { { 10, -150000, 60000 }, { 10, -60000, 150000 } };
    assert_int_equal(rs_calibrate_span_solve(rev, 2, &cal, why, sizeof why), RS_CALIBRATE_ILL_POSED);
    assert_non_null(strstr(why, "wiring"));
    assert_true(cal.scale_left == RS_DEFAULT_SCALE_COUNTS_PER_N);
}

static void test_calib_encoder_and_radius(void **state)
{
    (void)state;
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    char why[256];
    static const struct {
        int32_t start, end;
        double turns;
        int want, dir;
    } cases[] = {
        { 0, 5 * 16384, 5, RS_CALIBRATE_OK, 1 },
        { 1000, 1000 - 3 * 16384 - 800, 3, RS_CALIBRATE_OK, -1 },
        { INT32_MAX - 100, (int32_t)((uint32_t)INT32_MAX + 2 * 16384u - 100), 2, RS_CALIBRATE_OK, 1 },
        { 0, 4 * 16384, 5, RS_CALIBRATE_COUNT, 0 },    /* one turn missed */
        { 0, 5 * 16384 + 3000, 5, RS_CALIBRATE_COUNT, 0 },
        { 0, 16384, 0, RS_CALIBRATE_BAD_ARG, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_cal cal;
        rs_calibrate_defaults(&cal);
        cal.enc_dir = 0;
        int rc = rs_calibrate_encoder_turns(cases[i].start, cases[i].end, cases[i].turns, &lim,
                                        &cal, why, sizeof why);
        assert_int_equal(rc, cases[i].want);
        if (rc == 0)
            assert_int_equal(cal.enc_dir, cases[i].dir);
    }
    /* 2 m rolled on a roller compressed to 67 mm radius. */
    struct rs_cal cal;
    rs_calibrate_defaults(&cal);
    double revs = 2.0 / (2 * M_PI * 0.067);
    int32_t end = (int32_t)lround(revs * 16384);
    assert_int_equal(rs_calibrate_radius_from_distance(0, end, 2.0, &cal, why, sizeof why), 0);
    assert_true(fabs(cal.radius_um - 67000.0) < 50);
    assert_int_equal(rs_calibrate_radius_from_distance(0, end, 40.0, &cal, why, sizeof why),
                     RS_CALIBRATE_BAD_ARG);
    assert_int_equal(rs_calibrate_radius_from_distance(0, end / 10, 2.0, &cal, why, sizeof why),
                     RS_CALIBRATE_COUNT);
}

static void test_calib_validate(void **state)
{
    (void)state;
    struct rs_cal cal;
    rs_calibrate_defaults(&cal);
    char why[128];
    assert_int_equal(rs_calibrate_validate(&cal, why, sizeof why), 0);
    cal.scale_left = NAN;
    assert_int_equal(rs_calibrate_validate(&cal, why, sizeof why), RS_CALIBRATE_BAD_ARG);
    rs_calibrate_defaults(&cal);
    cal.enc_dir = 0;
    assert_int_equal(rs_calibrate_validate(&cal, why, sizeof why), RS_CALIBRATE_BAD_ARG);
    rs_calibrate_defaults(&cal);
    cal.radius_um = 0;
    assert_int_equal(rs_calibrate_validate(&cal, why, sizeof why), RS_CALIBRATE_BAD_ARG);
}

/* The tare guard on its boundaries: each side within 20 N of the known zero
 * is empty, beyond is a load; no known zero asks unless confirmed; the
 * figures are never "-0". The window's means are set directly (counts). */
static void test_calib_tare_guard_table(void **state)
{
    (void)state;
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    struct rs_cal known;
    rs_calibrate_defaults(&known);
    known.offset_left = 100000;
    known.offset_right = -50000;
    known.scale_left = 2000;
    known.scale_right = 2500;
    static const struct {
        double left_n, right_n;  /* load off the known zero, N */
        bool zero_known, confirmed;
        int rc;
        const char *msg;
    } cases[] = {
        { 0, 0, true, false, RS_CALIBRATE_OK, NULL },
        { 19.99, -19.99, true, false, RS_CALIBRATE_OK, NULL },
        { 20.01, 0, true, false, RS_CALIBRATE_LOADED, "something is on the roller: 20 N (left 20 N, right 0 N)" },
        { 0, 20.01, true, false, RS_CALIBRATE_LOADED, "right 20 N" },
        { -20.01, 0, true, false, RS_CALIBRATE_LOADED, "left -20 N" },
        { 130, 130, true, true, RS_CALIBRATE_LOADED, "something is on the roller: 260 N" },
        { -0.2, 25, true, false, RS_CALIBRATE_LOADED, "(left 0 N, right 25 N)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_calibrate_window w = { .n = 160 };
        w.mean_left = known.offset_left + cases[i].left_n * known.scale_left;
        w.mean_right = known.offset_right + cases[i].right_n * known.scale_right;
        char why[256] = "";
        int rc = rs_calibrate_tare_guard(&w, &lim, &known, cases[i].zero_known,
                                         cases[i].confirmed, why, sizeof why);
        if (rc != cases[i].rc || (cases[i].msg && !strstr(why, cases[i].msg)))
            fail_msg("case %zu: rc %d, want %d; '%s'", i, rc, cases[i].rc, why);
    }
    /* No known zero: judged against the nominal zero (offsets 0, nominal scale). */
    double s = RS_DEFAULT_SCALE_COUNTS_PER_N;
    struct rs_calibrate_window w = { .n = 160, .mean_left = 19.9 * s, .mean_right = -19.9 * s };
    char why[256] = "";
    assert_int_equal(rs_calibrate_tare_guard(&w, &lim, &known, false, false, why, sizeof why),
                     RS_CALIBRATE_OK);
    w.mean_left = 20.1 * s;
    assert_int_equal(rs_calibrate_tare_guard(&w, &lim, &known, false, false, why, sizeof why),
                     RS_CALIBRATE_UNCONFIRMED);
    assert_non_null(strstr(why, "it reads 0 N (left 20 N, right -20 N, nominal scale)"));
    assert_int_equal(rs_calibrate_tare_guard(&w, &lim, &known, false, true, why, sizeof why),
                     RS_CALIBRATE_OK);
    /* The limit is configurable. */
    lim.max_touch_n = 30;
    assert_int_equal(rs_calibrate_tare_guard(&w, &lim, &known, false, false, why, sizeof why),
                     RS_CALIBRATE_OK);
    /* Negative zero never printed. */
    assert_true(signbit(rs_calibrate_nz(-0.4, 0)) == 0);
    assert_true(rs_calibrate_nz(-0.6, 0) == -0.6);
    assert_true(rs_calibrate_nz(-0.04, 1) == 0 && !signbit(rs_calibrate_nz(-0.04, 1)));
    assert_true(rs_calibrate_nz(-0.06, 1) == -0.06);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_forces_within_one_percent),
        cmocka_unit_test(test_calib_span_check_placement_reports_error),
        cmocka_unit_test(test_calib_refusals),
        cmocka_unit_test(test_calib_span_ill_posed),
        cmocka_unit_test(test_calib_encoder_and_radius),
        cmocka_unit_test(test_calib_validate),
        cmocka_unit_test(test_calib_tare_guard_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
