/*
 * test_export_format.c - samples.csv's fast number and time formatting
 * writes exactly what printf's "%.*f" and rs_iso8601 write: tables on the
 * rounding and sign edges, then a million pseudo-random values and times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_export.h"
#include "rs_reader.h"

static void check_fixed(double v, int d)
{
    char want[400], got[400];
    snprintf(want, sizeof want, "%.*f", d, v);
    size_t n = rs_export_fixed(v, d, got);
    if (strcmp(want, got) != 0 || n != strlen(want))
        fail_msg("%.17g with %d decimals: got '%s', printf '%s'", v, d, got, want);
}

static void test_fixed_edges(void **state)
{
    (void)state;
    static const double v[] = {
        0.0, -0.0, 1.0, -1.0, 0.0005, -0.0005, 0.0004999, -0.0004999, 0.0015, 0.0025,
        2.675, 1.005, 0.125, 0.375, -0.125, 0.5, 1.5, 2.5, -2.5, 9.9995, 99.9995, 999999.9995,
        123456.789, -123456.789, 1e11, 999999999.9994, 1e12, 1e15, -1e15, 4503599627370496.5,
        1e300, -1e300, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, 5e-324, 0.1, 0.2, 0.3, 1.0 / 3.0,
        2189.8, -332 / 2189.8, 191.433, 68.289, -0.152, 259.723,
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (int d = 0; d <= 10; d++)
            check_fixed(v[i], d);
}

/* xorshift64: the same sequence on every run */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_fixed_random(void **state)
{
    (void)state;
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 1000000; i++) {
        /* values like the exported columns, and ties on the decimal grid */
        double scale = pow(10.0, (double)(rnd(&s) % 16) - 6);
        double v = ((double)(rnd(&s) % 2000001) - 1000000.0) / 1000.0 * scale;
        if (i % 4 == 0)
            v = ((double)(int64_t)(rnd(&s) % 2000001) - 1000000.0 + 0.5) / 1000.0;
        check_fixed(v, (int)(rnd(&s) % 10));
    }
}

static void check_iso(struct rs_export_iso_cache *c, int64_t us, int tz)
{
    char want[64], got[64];
    rs_iso8601(us, tz, want, sizeof want);
    size_t n = rs_export_iso(c, us, tz, got);
    if (strcmp(want, got) != 0 || n != strlen(want))
        fail_msg("%lld us, tz %d: got '%s', rs_iso8601 '%s'", (long long)us, tz, got, want);
}

static void test_iso_edges(void **state)
{
    (void)state;
    static const int64_t t[] = {
        0, 1, 999999, 1000000, -1, -999999, -1000000, -1000001, 1796594803434993LL,
        1796594803999999LL, 1796594804000000LL, INT64_MAX, INT64_MIN, INT64_MAX - 1,
        253402300799999999LL, /* 9999-12-31T23:59:59.999999 */
    };
    static const int tz[] = { 0, 3600, -3600, 19800, -34200, 18 * 3600, -18 * 3600, 18 * 3600 + 1,
                              -100000 };
    for (size_t k = 0; k < sizeof tz / sizeof tz[0]; k++) {
        struct rs_export_iso_cache c;
        memset(&c, 0, sizeof c);
        for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
            check_iso(&c, t[i], tz[k]);
            check_iso(&c, t[i], tz[k]); /* from the cache */
        }
    }
}

/* A session's worth of 80 Hz times with jitter, going back now and then
 * (a stepped host clock), and a time-zone change in the middle. */
static void test_iso_runs(void **state)
{
    (void)state;
    struct rs_export_iso_cache c;
    memset(&c, 0, sizeof c);
    uint64_t s = 12345;
    int64_t us = 1796594803434993LL;
    for (int i = 0; i < 500000; i++) {
        us += 12500 + (int64_t)(rnd(&s) % 200) - 100;
        if (rnd(&s) % 1000 == 0)
            us -= (int64_t)(rnd(&s) % 3000000);
        check_iso(&c, us, i < 250000 ? 3600 : -18000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_edges),
        cmocka_unit_test(test_fixed_random),
        cmocka_unit_test(test_iso_edges),
        cmocka_unit_test(test_iso_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
