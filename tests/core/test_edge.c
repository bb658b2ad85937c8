/*
 * test_edge.c - the hinge fit (rs_edge.h) on exact signals, as a table:
 * where a ramp meets a flat level, which model, the slope and the level,
 * and the smallest windows that still have enough samples on both sides.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "rs_edge.h"

struct edge_case {
    enum rs_edge_side side;
    int n;                /* samples, 80 Hz */
    int edge;             /* index of the edge sample */
    int model;            /* ramp: 1 linear, 2 quadratic */
    double coef;          /* per s or per s^2 */
    int min_flat, min_ramp;
    int want_rc;
};

static const struct edge_case edge_cases[] = {
    { RS_EDGE_ARRIVAL, 80, 40, 1, -3.0, 4, 3, 0 },    /* rolled in at 3 cm/s, stopped */
    { RS_EDGE_ARRIVAL, 80, 30, 2, 8.0, 4, 3, 0 },     /* braked at 16 cm/s^2 */
    { RS_EDGE_DEPARTURE, 80, 50, 1, 2.0, 4, 3, 0 },   /* left at 2 cm/s */
    { RS_EDGE_DEPARTURE, 80, 20, 2, -6.0, 4, 3, 0 },  /* accelerated away */
    { RS_EDGE_DEPARTURE, 7, 3, 1, 5.0, 4, 3, 0 },     /* n = min_flat + min_ramp */
    { RS_EDGE_DEPARTURE, 6, 3, 1, 5.0, 4, 3, -1 },    /* one sample short */
    { RS_EDGE_ARRIVAL, 3, 2, 1, 5.0, 0, 1, 0 },       /* sides of at least 1 and 2 */
    { RS_EDGE_ARRIVAL, 1, 0, 1, 5.0, 0, 0, -1 },      /* one sample is no edge */
};

static void test_edge_fit(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof edge_cases / sizeof edge_cases[0]; c++) {
        const struct edge_case *k = &edge_cases[c];
        double t[128], y[128];
        double t0 = 10 + k->edge / 80.0, level = 7.5;
        for (int i = 0; i < k->n; i++) {
            t[i] = 10 + i / 80.0;
            double d = t[i] - t0;
            bool ramp = k->side == RS_EDGE_ARRIVAL ? i < k->edge : i > k->edge;
            y[i] = level + (ramp ? k->coef * (k->model == 1 ? d : d * d) : 0);
        }
        struct rs_edge e;
        int rc = rs_edge_fit(t, y, k->n, k->side, k->min_flat, k->min_ramp, &e);
        if (rc != k->want_rc)
            fail_msg("case %zu: rc %d, want %d", c, rc, k->want_rc);
        if (rc != 0)
            continue;
        if (fabs(e.t0 - t0) > 1e-9 || e.model != k->model || fabs(e.level - level) > 1e-9 ||
            fabs(e.slope - k->coef) > 1e-6 || e.res > 1e-9 || fabs(e.flat_sd) > 1e-6)
            fail_msg("case %zu: t0 %.4f model %d level %.4f slope %.4f res %g sd %g, want "
                     "t0 %.4f model %d level %.4f slope %.4f", c, e.t0, e.model, e.level,
                     e.slope, e.res, e.flat_sd, t0, k->model, level, k->coef);
        int flat = k->side == RS_EDGE_ARRIVAL ? k->n - k->edge : k->edge + 1;
        assert_int_equal(e.flat_n, flat);
        /* One flat line through everything fits worse than the hinge. */
        assert_true(e.res_flat > 1e-6);
    }
}

/* Noise on the flat side: its standard deviation, and the fit still finds
 * the edge (a ±0.1 alternating disturbance, sd 0.1). */
static void test_edge_flat_sd(void **state)
{
    (void)state;
    double t[80], y[80];
    for (int i = 0; i < 80; i++) {
        t[i] = i / 80.0;
        y[i] = i < 40 ? 3.0 * (t[i] - 0.5) : (i % 2 ? 0.1 : -0.1);
    }
    struct rs_edge e;
    assert_int_equal(rs_edge_fit(t, y, 80, RS_EDGE_ARRIVAL, 4, 3, &e), 0);
    assert_true(fabs(e.t0 - 0.5) < 0.02);
    assert_true(fabs(e.flat_sd - 0.1) < 0.005);
    assert_int_equal(e.model, 1);
}

/*
 * The one-pass fit against a direct least-squares fit of every candidate
 * (the flat side's mean, the ramp's coefficient in closed form, sums taken
 * afresh), on data that no hinge fits exactly: a disturbance on both sides
 * and a last sample off the ramp. Exact data cannot tell a wrong sample
 * count on the ramp side from the right one (phantom copies of the last
 * sample lie on the ramp); noisy data can.
 */
static double direct_fit(const double *t, const double *y, int n, enum rs_edge_side side,
                         int min_flat, int min_ramp, struct rs_edge *best)
{
    double best_r = INFINITY;
    for (int m = 0; m < n; m++) {
        int r0 = side == RS_EDGE_ARRIVAL ? 0 : m + 1, r1 = side == RS_EDGE_ARRIVAL ? m : n;
        int nr = r1 - r0, nf = n - nr;
        if (nr < min_ramp || nf < min_flat)
            continue;
        double L = 0;
        for (int i = 0; i < n; i++)
            if (i < r0 || i >= r1)
                L += y[i] / nf;
        double rf = 0;
        for (int i = 0; i < n; i++)
            if (i < r0 || i >= r1)
                rf += (y[i] - L) * (y[i] - L);
        for (int model = 1; model <= 2; model++) {
            double zg = 0, gg = 0, zz = 0;
            for (int i = r0; i < r1; i++) {
                double d = t[i] - t[m], g = model == 1 ? d : d * d;
                zg += (y[i] - L) * g;
                gg += g * g;
                zz += (y[i] - L) * (y[i] - L);
            }
            double c = gg > 1e-15 ? zg / gg : 0, r = rf + zz - c * zg;
            if (r < best_r) {
                best_r = r;
                *best = (struct rs_edge){ .t0 = t[m], .level = L, .slope = c, .model = model,
                                          .flat_n = nf, .res = r };
            }
        }
    }
    return best_r;
}

static void test_edge_fit_direct(void **state)
{
    (void)state;
    for (int side = 0; side < 2; side++) {
        enum rs_edge_side sd = side ? RS_EDGE_DEPARTURE : RS_EDGE_ARRIVAL;
        double t[60], y[60];
        for (int i = 0; i < 60; i++) {
            t[i] = 3 + i / 80.0;
            bool ramp = sd == RS_EDGE_ARRIVAL ? i < 25 : i > 35;
            double d = t[i] - t[sd == RS_EDGE_ARRIVAL ? 25 : 35];
            y[i] = 4.0 + (ramp ? 2.5 * d : 0) + ((i * 7) % 5 - 2) * 0.03;
        }
        y[59] += 0.4; /* the last sample off the ramp (the fit's reference point) */
        y[0] -= 0.3;
        struct rs_edge e, want;
        assert_int_equal(rs_edge_fit(t, y, 60, sd, 4, 3, &e), 0);
        direct_fit(t, y, 60, sd, 4, 3, &want);
        if (fabs(e.t0 - want.t0) > 1e-12 || e.model != want.model ||
            fabs(e.level - want.level) > 1e-9 || fabs(e.slope - want.slope) > 1e-7 ||
            fabs(e.res - want.res) > 1e-9 || e.flat_n != want.flat_n)
            fail_msg("side %d: t0 %.4f model %d level %.6f slope %.6f res %.9f n %d; direct "
                     "t0 %.4f model %d level %.6f slope %.6f res %.9f n %d", side, e.t0,
                     e.model, e.level, e.slope, e.res, e.flat_n, want.t0, want.model,
                     want.level, want.slope, want.res, want.flat_n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edge_fit),
        cmocka_unit_test(test_edge_flat_sd),
        cmocka_unit_test(test_edge_fit_direct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
