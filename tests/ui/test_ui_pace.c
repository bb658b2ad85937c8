/*
 * test_ui_pace.c - frame pacing (label ui): a frame is due at once when
 * something changed and a display period has passed, never sooner than
 * the period after a present, not at all while nothing changes except the
 * periodic refresh. Driven by an emulated clock: no sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rs_pace.h"

#define P60 (1.0 / 60.0)

static void test_first_frame_at_once(void **state)
{
    (void)state;
    struct rs_pace p;
    rs_pace_init(&p, P60, 1.0);
    assert_int_equal(rs_pace_wait_ms(&p, 5.0, 100), 0);
}

/* Table on the period boundary: after a present at t = 0, a change at
 * t = dt waits until 1/60 s (rounded up to whole ms), then draws. */
static void test_period_boundary(void **state)
{
    (void)state;
    static const struct {
        double now;
        int want;
    } cases[] = {
        { 0.0, 17 },            /* 16.67 ms left: wake at 17 ms, never early */
        { 0.001, 16 },
        { 0.0166, 1 },          /* 0.07 ms left: at least 1 */
        { P60, 0 },             /* exactly one period: now */
        { 0.020, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_pace p;
        rs_pace_init(&p, P60, 1.0);
        rs_pace_done(&p, 0.0, true);
        rs_pace_mark(&p);
        int got = rs_pace_wait_ms(&p, cases[i].now, 100);
        if (got != cases[i].want)
            fail_msg("now %.4f: wait %d ms, want %d", cases[i].now, got, cases[i].want);
    }
}

static void test_idle_until_change_or_refresh(void **state)
{
    (void)state;
    struct rs_pace p;
    rs_pace_init(&p, P60, 1.0);
    rs_pace_done(&p, 10.0, true);
    /* nothing changed: wait the idle time, not a frame period */
    assert_int_equal(rs_pace_wait_ms(&p, 10.1, 100), 100);
    /* the refresh is nearer than the idle time: wake for it */
    assert_int_equal(rs_pace_wait_ms(&p, 10.95, 100), 50);
    assert_int_equal(rs_pace_wait_ms(&p, 10.999, 100), 1);
    /* refresh due: draw (a check; the window may find nothing changed) */
    assert_int_equal(rs_pace_wait_ms(&p, 11.0, 100), 0);
    /* found unchanged: nothing presented, idle again, the period not spent */
    rs_pace_done(&p, 11.0, false);
    assert_int_equal(rs_pace_wait_ms(&p, 11.0, 100), 100);
    rs_pace_mark(&p);
    assert_int_equal(rs_pace_wait_ms(&p, 11.0, 100), 0);
}

/* vsync paces the presents itself: a change is drawn at once. */
static void test_vsync_no_period(void **state)
{
    (void)state;
    struct rs_pace p;
    rs_pace_init(&p, 0, 1.0);
    rs_pace_done(&p, 1.0, true);
    rs_pace_mark(&p);
    assert_int_equal(rs_pace_wait_ms(&p, 1.0, 100), 0);
}

/* 80 samples a second against a 60 Hz limit over 10 emulated seconds:
 * about 60 presents a second, each sample on screen within one period. */
static void test_80hz_stream(void **state)
{
    (void)state;
    struct rs_pace p;
    rs_pace_init(&p, P60, 1.0);
    double t = 0, next_sample = 0, pending_since = -1, worst = 0;
    int presents = 0;
    while (t < 10.0) {
        if (t >= next_sample) {
            rs_pace_mark(&p);
            if (pending_since < 0)
                pending_since = next_sample;
            next_sample += 1.0 / 80.0;
        }
        int ms = rs_pace_wait_ms(&p, t, 100);
        if (ms == 0) {
            rs_pace_done(&p, t, true);
            presents++;
            if (pending_since >= 0 && t - pending_since > worst)
                worst = t - pending_since;
            pending_since = -1;
            continue;
        }
        double wake = t + ms / 1000.0;
        t = wake < next_sample ? wake : next_sample; /* data ends the wait early */
    }
    assert_in_range(presents, 570, 601);
    assert_true(worst <= P60 + 0.0011);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_frame_at_once),
        cmocka_unit_test(test_period_boundary),
        cmocka_unit_test(test_idle_until_change_or_refresh),
        cmocka_unit_test(test_vsync_no_period),
        cmocka_unit_test(test_80hz_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
