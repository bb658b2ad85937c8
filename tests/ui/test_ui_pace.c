/*
 * test_ui_pace.c - frame pacing (label ui): a frame is due at once when
 * something changed and the grid's tick has come, the ticks one display
 * period apart whatever the drawing took, not at all while nothing changes
 * except the periodic refresh. Driven by an emulated clock: no sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

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

/* Table on the grid's boundaries: a first present at t = 0 puts the next
 * tick at 1/60 s; a present at d (a change pending from then on) makes the
 * next tick the grid's following one while d is within a period after the
 * tick, else one period after d. */
static void test_grid_boundary(void **state)
{
    (void)state;
    static const struct {
        double done;
        int want;   /* ms from done to the next tick, rounded up */
    } cases[] = {
        { P60, 17 },                 /* on the tick: next at 2/60 */
        { P60 + 0.002, 15 },         /* drawn 2 ms late: still 2/60 */
        { 2 * P60 - 0.0001, 1 },     /* just inside the period: 2/60 */
        { 2 * P60, 17 },             /* on the next tick: a period late, 3/60 */
        { 2 * P60 + 0.001, 17 },     /* a whole period late: a new grid */
        { P60 - 0.001, 17 },         /* before the tick: a new grid */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_pace p;
        rs_pace_init(&p, P60, 1.0);
        rs_pace_done(&p, 0.0, true);
        rs_pace_done(&p, cases[i].done, true);
        rs_pace_mark(&p);
        int got = rs_pace_wait_ms(&p, cases[i].done, 100);
        if (got != cases[i].want)
            fail_msg("done %.4f: wait %d ms, want %d", cases[i].done, got, cases[i].want);
    }
}

/* A frame found unchanged leaves the grid alone: the next change is drawn
 * at once and the following tick is still on the grid. */
static void test_unchanged_keeps_grid(void **state)
{
    (void)state;
    struct rs_pace p;
    rs_pace_init(&p, P60, 1.0);
    rs_pace_done(&p, 0.0, true);
    rs_pace_done(&p, P60, false);
    rs_pace_mark(&p);
    assert_int_equal(rs_pace_wait_ms(&p, P60 + 0.005, 100), 0);
    rs_pace_done(&p, P60 + 0.005, true);
    rs_pace_mark(&p);
    assert_int_equal(rs_pace_wait_ms(&p, P60 + 0.005, 100), 12); /* 2/60 - 5 ms */
}

/* The real loop: 80 samples a second, each frame taking draw_s to draw
 * and every wake-up wake_late_s late, over 10 emulated seconds. The
 * display rate is kept (60 presents a second) and each sample is on
 * screen within a period plus the lateness and the drawing. */
static void run_stream(double draw_s, double wake_late_s, int *presents, double *worst)
{
    struct rs_pace p;
    rs_pace_init(&p, P60, 1.0);
    double t = 0, next_sample = 0, pending_since = -1;
    *presents = 0;
    *worst = 0;
    while (t < 10.0) {
        while (t >= next_sample) {
            rs_pace_mark(&p);
            if (pending_since < 0)
                pending_since = next_sample;
            next_sample += 1.0 / 80.0;
        }
        int ms = rs_pace_wait_ms(&p, t, 100);
        if (ms == 0) {
            t += draw_s; /* the frame shows what had arrived when it began */
            rs_pace_done(&p, t, true);
            (*presents)++;
            if (pending_since >= 0 && t - pending_since > *worst)
                *worst = t - pending_since;
            pending_since = -1;
            continue;
        }
        double wake = t + ms / 1000.0 + wake_late_s;
        t = wake < next_sample ? wake : next_sample; /* data ends the wait early */
    }
}

static void test_80hz_stream_display_rate(void **state)
{
    (void)state;
    static const struct {
        double draw_s, late_s;
    } cases[] = { { 0, 0 }, { 0.002, 0.0005 }, { 0.004, 0.001 }, { 0.010, 0.002 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int presents;
        double worst;
        run_stream(cases[i].draw_s, cases[i].late_s, &presents, &worst);
        if (presents < 598 || presents > 601 ||
            worst > P60 + cases[i].draw_s + cases[i].late_s + 0.0011)
            fail_msg("draw %.3f late %.4f: %d presents, worst %.4f s", cases[i].draw_s,
                     cases[i].late_s, presents, worst);
    }
}

/* A first frame found unchanged (nothing presented) leaves no period to
 * wait for, whatever the memory held before; refresh 0 means 1 s. */
static void test_init_defaults(void **state)
{
    (void)state;
    struct rs_pace p;
    memset(&p, 0xff, sizeof p);
    rs_pace_init(&p, P60, 0);
    rs_pace_done(&p, 100.0, false);
    assert_int_equal(rs_pace_wait_ms(&p, 100.5, 1000), 500); /* refresh in 0.5 s */
    rs_pace_mark(&p);
    assert_int_equal(rs_pace_wait_ms(&p, 100.0, 1000), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_frame_at_once),
        cmocka_unit_test(test_period_boundary),
        cmocka_unit_test(test_idle_until_change_or_refresh),
        cmocka_unit_test(test_vsync_no_period),
        cmocka_unit_test(test_80hz_stream),
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_grid_boundary),
        cmocka_unit_test(test_unchanged_keeps_grid),
        cmocka_unit_test(test_80hz_stream_display_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
