/* test_clock.c - device-to-host clock mapping (drift, 32-bit wrap, jumps) and loss counting. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rs_clock.h"

/*
 * Simulate a device clock that runs (1 - drift) as fast as the host's, with
 * samples every 12.5 ms of device time, host arrival = true host time plus a
 * deterministic 0..4 ms latency. Returns the worst |mapped - true host| in µs.
 */
static double run(struct rs_clock *c, double drift_ppm, uint32_t dev0, uint64_t host0,
                  int samples, double *worst_after_settle)
{
    double worst = 0, worst_settled = 0;
    for (int i = 0; i < samples; i++) {
        double dev_elapsed = i * 12500.0;
        double host_true = host0 + dev_elapsed * (1.0 + drift_ppm * 1e-6);
        uint32_t dev = dev0 + (uint32_t)(i * 12500u);
        double latency = 1000 + ((i * 7919) % 4000);
        uint64_t mapped = rs_clock_map(c, dev, (uint64_t)(host_true + latency));
        double err = fabs((double)mapped - host_true);
        if (err > worst)
            worst = err;
        if (i > samples / 2 && err > worst_settled)
            worst_settled = err;
    }
    if (worst_after_settle)
        *worst_after_settle = worst_settled;
    return worst;
}

static void test_drift(void **state)
{
    (void)state;
    static const double drifts[] = { 0, 50, -50, 300, -1000, 5000 };
    for (size_t i = 0; i < sizeof drifts / sizeof drifts[0]; i++) {
        struct rs_clock c;
        rs_clock_init(&c);
        double settled;
        /* 10 minutes at 80 Hz. */
        run(&c, drifts[i], 1000, 5000000, 48000, &settled);
        double est = rs_clock_drift_ppm(&c);
        if (fabs(est - drifts[i]) > 2.0)
            fail_msg("drift %.0f ppm: estimated %.2f", drifts[i], est);
        /* Mapped times stay within the latency band (mean 3 ms) plus 2 ms. */
        if (settled > 5000)
            fail_msg("drift %.0f ppm: error %.0f us", drifts[i], settled);
        assert_int_equal(c.jumps, 0);
    }
}

static void test_wrap(void **state)
{
    (void)state;
    struct rs_clock c;
    rs_clock_init(&c);
    /* Start 10 s before the 32-bit µs counter wraps; run 60 s. */
    double settled;
    double worst = run(&c, 100, 4294967295u - 10000000u, 1000000, 4800, &settled);
    assert_int_equal(c.wraps, 1);
    assert_int_equal(c.jumps, 0);
    assert_true(worst < 20000);
    assert_true(settled < 5000);
}

static void test_wrap_across_long_gap(void **state)
{
    (void)state;
    struct rs_clock c;
    rs_clock_init(&c);
    run(&c, 0, 0, 0, 800, NULL);   /* 10 s */
    /* Unplugged for 100 minutes (more than one 71.6 min wrap period). */
    uint64_t host = 10000000ull + 6000000000ull;
    uint32_t dev = (uint32_t)(10000000ull + 6000000000ull);
    uint64_t mapped = rs_clock_map(&c, dev, host + 2000);
    assert_int_equal(c.jumps, 0);
    assert_int_equal(c.wraps, 1);
    assert_true(fabs((double)mapped - (double)host) < 10000);
}

static void test_jumps(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int64_t dev_step_us;   /* device and host steps at the event (normally 12.5 ms) */
        int64_t host_step_us;
        uint32_t want_jumps;
    } cases[] = {
        { "normal step", 12500, 12500, 0 },
        { "USB stall: arrival 0.5 s late", 12500, 512500, 0 },
        { "host and device both 30 s on (suspend)", 30000000, 30000000, 0 },
        { "device reset: time goes back 30 s", -30000000, 12500, 1 },
        { "device clock leaps 10 s ahead", 10000000, 12500, 1 },
        { "device clock stopped for 5 s", 0, 5000000, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_clock c;
        rs_clock_init(&c);
        uint32_t dev = 40000000;
        uint64_t host = 1000000;
        for (int k = 0; k < 800; k++, dev += 12500, host += 12500)
            rs_clock_map(&c, dev, host);
        dev = (uint32_t)((int64_t)dev + cases[i].dev_step_us - 12500);
        host = host + (uint64_t)cases[i].host_step_us - 12500;
        uint64_t m = rs_clock_map(&c, dev, host);
        if (c.jumps != cases[i].want_jumps)
            fail_msg("%s: jumps %u", cases[i].what, c.jumps);
        /* After a jump the mapping re-anchors on the host clock at once. */
        if (cases[i].want_jumps)
            assert_true(llabs((long long)m - (long long)host) < 1000);
        /* And keeps mapping the following samples sensibly. */
        for (int k = 0; k < 80; k++) {
            dev += 12500;
            host += 12500;
            m = rs_clock_map(&c, dev, host);
        }
        if (llabs((long long)m - (long long)host) > 600000)
            fail_msg("%s: off by %lld us after the step", cases[i].what, (long long)m - (long long)host);
    }
}

static void test_seq(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        uint32_t seqs[6];
        int n;
        uint64_t lost;
        uint32_t resets;
    } cases[] = {
        { "in order", { 5, 6, 7, 8 }, 4, 0, 0 },
        { "one lost", { 5, 6, 8, 9 }, 4, 1, 0 },
        { "burst lost", { 0, 1, 100 }, 3, 98, 0 },
        { "wrap of seq", { 0xfffffffeu, 0xffffffffu, 0, 1 }, 4, 0, 0 },
        { "lost across wrap", { 0xfffffffeu, 1 }, 2, 2, 0 },
        { "duplicate", { 3, 4, 4, 5 }, 4, 0, 1 },
        { "device reset", { 500, 501, 0, 1 }, 4, 0, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_seq s;
        rs_seq_init(&s);
        for (int k = 0; k < cases[i].n; k++)
            rs_seq_push(&s, cases[i].seqs[k], NULL);
        if (s.lost != cases[i].lost || s.resets != cases[i].resets)
            fail_msg("%s: lost %llu resets %u", cases[i].what, (unsigned long long)s.lost, s.resets);
    }
}

static void test_seq_gap(void **state)
{
    (void)state;
    struct rs_seq s;
    rs_seq_init(&s);
    rs_seq_push(&s, 10, NULL);
    rs_seq_gap(&s);
    int64_t missed = 99;
    /* Frames made while unplugged are the gap's, not "lost". */
    assert_int_equal(rs_seq_push(&s, 35, &missed), 0);
    assert_int_equal(missed, 24);
    assert_int_equal(s.lost, 0);
    rs_seq_gap(&s);
    assert_int_equal(rs_seq_push(&s, 0, &missed), 0);   /* device restarted */
    assert_int_equal(missed, -1);
    assert_int_equal(s.resets, 1);
    /* Normal counting resumes. */
    assert_int_equal(rs_seq_push(&s, 3, &missed), 2);
    assert_int_equal(s.lost, 2);
}

/*
 * A gap's missed frames: the sequence step while the device kept running,
 * the host time when it restarted. Rows sit on each boundary: the sequence
 * step's sign bit, the clock-jump tolerance (1 s + 2 % of the host time),
 * the rounding of the host time to whole periods, the 32-bit clock wrap.
 */
static void test_gap_missed(void **state)
{
    (void)state;
    const uint64_t S = 10000000;           /* a 10 s gap: tolerance 1.2 s */
    const uint64_t LONG = 4294967296ull + 5000000ull; /* 71.6 min + 5 s */
    static const struct {
        uint32_t seq0, dev0, seq1, dev1;
        uint64_t host;
        uint32_t period;
        int64_t missed;
        bool restarted;
    } cases[] = {
        /* the device kept counting: the sequence step, whatever the period */
        { 10, 1000000, 35, 1000000 + 25 * 12500, 25 * 12500, 12500, 24, false },
        { 10, 0, 11, 12500, 12500, 12500, 0, false },
        { 10, 0, 10u + 0x7fffffffu, (uint32_t)S, S, 12500, 0x7ffffffe, false },
        { 0xfffffff0u, 0xffff0000u, 0x10, 0x00010000u, 131072, 12500, 31, false },
        { 5, 7, 5 + 800, 7u + (uint32_t)(LONG - 4294967296ull), LONG, 12500, 799, false },
        /* device clock at the edge of the tolerance: still the same run */
        { 10, 0, 811, (uint32_t)(S + 1200000), S, 12500, 800, false },
        { 10, 2000000, 811, (uint32_t)(2000000 + S - 1200000), S, 12500, 800, false },
        /* one µs beyond it: the device restarted; 10 s / 12.5 ms = 800 periods */
        { 10, 0, 811, (uint32_t)(S + 1200001), S, 12500, 799, true },
        { 10, 2000000, 811, (uint32_t)(2000000 + S - 1200001), S, 12500, 799, true },
        /* sequence backwards or repeated: restarted, estimated from host time */
        { 500, 6250000, 0, 0, 2000000, 12500, 159, true },
        { 500, 6250000, 500, 6262500, 12500, 12500, 0, true },
        { 10, 0, 10u + 0x80000000u, (uint32_t)S, S, 12500, 799, true }, /* clock fits */
        /* rounding to whole periods: 1.5 periods is 2 (1 missed), just less is 1 */
        { 9, 0, 0, 0, 18750, 12500, 1, true },
        { 9, 0, 0, 0, 18749, 12500, 0, true },
        { 9, 0, 0, 0, 0, 12500, 0, true },
        /* another period (a 100 Hz roller), and none known */
        { 9, 0, 0, 0, 3000000, 10000, 299, true },
        { 9, 0, 0, 0, 3000000, 0, 0, true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool restarted = !cases[i].restarted;
        int64_t m = rs_gap_missed(cases[i].seq0, cases[i].dev0, cases[i].seq1, cases[i].dev1,
                                  cases[i].host, cases[i].period, &restarted);
        if (m != cases[i].missed || restarted != cases[i].restarted)
            fail_msg("case %zu: missed %lld restarted %d, want %lld %d", i, (long long)m,
                     restarted, (long long)cases[i].missed, cases[i].restarted);
    }
    /* *restarted may be NULL */
    assert_int_equal(rs_gap_missed(0, 0, 3, 37500, 37500, 12500, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drift),
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_wrap_across_long_gap),
        cmocka_unit_test(test_jumps),
        cmocka_unit_test(test_seq),
        cmocka_unit_test(test_seq_gap),
        cmocka_unit_test(test_gap_missed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
