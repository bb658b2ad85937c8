/*
 * Recurring tender spots (host/routine/rs_spots.h) on synthetic histories
 * with known spots: the radius at its edge, the session window, ranking by
 * sessions before holds, legs kept apart, and the sentence a user reads.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rs_spots.h"

#define L RS_LEG_LEFT
#define R RS_LEG_RIGHT

static void test_radius_edge(void **state)
{
    (void)state;
    static const struct {
        double a, b;
        size_t spots;
    } cases[] = {
        { 10.0, 12.0, 1 },    /* exactly 2 cm apart: one spot */
        { 10.0, 12.001, 2 },  /* just over: two */
        { 10.0, 8.0, 1 },
        { 10.0, 7.999, 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_spot_hold h[] = { { 0, L, cases[i].a, 20 }, { 1, L, cases[i].b, 30 } };
        struct rs_spot s[4];
        assert_int_equal(rs_spots_find(h, 2, 2, 5, 2.0, s, 4), cases[i].spots);
    }
}

/* A spot at 14 cm held in 4 of 5 sessions, one at 25 cm held three times in
 * one session, noise elsewhere, and the right calf with its own spot. */
static void test_recurring_spot_first(void **state)
{
    (void)state;
    struct rs_spot_hold h[] = {
        { 0, L, 14.2, 24 }, { 0, R, 9.0, 20 },
        { 1, L, 13.1, 27 }, { 1, L, 25.0, 15 }, { 1, L, 25.5, 16 }, { 1, L, 24.8, 17 },
        { 2, L, 31.0, 18 },
        { 3, L, 15.0, 25 }, { 3, R, 9.5, 22 },
        { 4, L, 14.5, 28 },
    };
    struct rs_spot s[8];
    size_t n = rs_spots_find(h, sizeof h / sizeof h[0], 5, 5, 2.0, s, 8);
    assert_int_equal(n, 4);
    assert_int_equal(s[0].leg, L);
    assert_int_equal(s[0].sessions, 4);
    assert_int_equal(s[0].holds, 4);
    assert_int_equal(s[0].window, 5);
    assert_true(fabs(s[0].pos_cm - (14.2 + 13.1 + 15.0 + 14.5) / 4) < 1e-9);
    assert_true(fabs(s[0].mean_s - 26) < 1e-9);
    /* the right calf's spot: two sessions */
    assert_int_equal(s[1].leg, R);
    assert_int_equal(s[1].sessions, 2);
    /* three holds in one session rank above one hold in one session */
    assert_int_equal(s[2].sessions, 1);
    assert_int_equal(s[2].holds, 3);
    assert_int_equal(s[3].holds, 1);
    assert_true(fabs(s[3].pos_cm - 31) < 1e-9);

    char text[160];
    rs_spot_text(&s[0], text, sizeof text);
    assert_string_equal(text, "left calf, 14 cm above the Achilles: held in 4 of the last 5 "
                              "sessions, 26 s on average");
}

/* Only the last `window` sessions count. */
static void test_window(void **state)
{
    (void)state;
    struct rs_spot_hold h[] = {
        { 0, L, 10, 20 }, { 1, L, 10, 20 }, { 2, L, 10, 20 }, /* old */
        { 7, L, 20, 20 }, { 8, L, 20, 20 }, { 9, L, 20, 20 },
    };
    struct rs_spot s[4];
    size_t n = rs_spots_find(h, 6, 10, 3, 2.0, s, 4);
    assert_int_equal(n, 1);
    assert_true(fabs(s[0].pos_cm - 20) < 1e-9);
    assert_int_equal(s[0].sessions, 3);
    assert_int_equal(s[0].window, 3);
    n = rs_spots_find(h, 6, 10, 10, 2.0, s, 4);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].window, 10);
    /* fewer sessions than the window: the window is what there is */
    n = rs_spots_find(h, 3, 3, 5, 2.0, s, 4);
    assert_int_equal(s[0].window, 3);
    /* a window beyond the maximum is clamped */
    struct rs_spot_hold late[] = { { 0, L, 10, 20 }, { 135, L, 30, 20 }, { 136, L, 30, 20 },
                                   { 199, L, 30, 20 } };
    n = rs_spots_find(late, 4, 200, 1000, 2.0, s, 4);
    assert_int_equal(n, 1); /* the hold of session 0 is older than the last 64 of 200 */
    assert_int_equal(s[0].window, RS_SPOTS_WINDOW_MAX);
    assert_int_equal(s[0].sessions, 2); /* 136 and 199; 135 is the 65th newest */
}

/* Holds of an uncertain leg and non-finite positions are not spots; the
 * output cap is kept. */
static void test_ignored_and_cap(void **state)
{
    (void)state;
    struct rs_spot_hold h[] = {
        { 0, RS_LEG_UNCERTAIN, 10, 20 }, { 0, L, NAN, 20 },
        { 0, L, 5, 20 }, { 0, L, 15, 20 }, { 0, L, 25, 20 },
    };
    struct rs_spot s[2];
    assert_int_equal(rs_spots_find(h, 5, 1, 1, 2.0, s, 2), 2);
    assert_int_equal(rs_spots_find(h, 2, 1, 1, 2.0, s, 2), 0);
    char text[160];
    s[0] = (struct rs_spot){ .leg = R, .pos_cm = 9.6, .sessions = 1, .window = 1, .holds = 1,
                             .mean_s = 21.4 };
    rs_spot_text(&s[0], text, sizeof text);
    assert_string_equal(text, "right calf, 10 cm above the Achilles: held 1 time, 21 s on average");
}

/* Many sessions with a known spot and random noise: the known spot always
 * comes first, at the right place. */
static void test_noisy_history(void **state)
{
    (void)state;
    static struct rs_spot_hold h[400];
    size_t n = 0;
    srand(7);
    for (int sess = 0; sess < 60; sess++) {
        if (sess % 5 != 0) /* 4 sessions in 5 */
            h[n++] = (struct rs_spot_hold){ sess, R, 18.0 + (rand() % 300) / 100.0 - 1.5, 25 };
        for (int k = 0; k < 2; k++) /* noise anywhere on either calf */
            h[n++] = (struct rs_spot_hold){ sess, rand() % 2 ? L : R, 3 + rand() % 35, 16 };
    }
    struct rs_spot s[64];
    size_t got = rs_spots_find(h, n, 60, 10, 2.0, s, 64);
    assert_true(got >= 1);
    assert_int_equal(s[0].leg, R);
    assert_true(fabs(s[0].pos_cm - 18.0) < 1.5);
    assert_true(s[0].sessions >= 8);
    int total = 0;
    for (size_t i = 0; i < got; i++)
        total += s[i].holds;
    /* every hold of the window belongs to exactly one spot */
    int in_window = 0;
    for (size_t i = 0; i < n; i++)
        in_window += h[i].session >= 50;
    assert_int_equal(total, in_window);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_radius_edge),
        cmocka_unit_test(test_recurring_spot_first),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_ignored_and_cap),
        cmocka_unit_test(test_noisy_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
