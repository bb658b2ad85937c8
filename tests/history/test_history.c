/*
 * The history model (host/history/rs_history.h) on catalogs built in
 * memory: the local calendar day, per day sums (two sessions on one day,
 * unknown calf time, uncalibrated forces left out of the typical force,
 * routines), the span, and the recurring spots on synthetic sessions whose
 * holds were put at known places (hist_synth.h's plan): the spot, its
 * sessions of the window, its mean position and hold length, the sentence.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist_entry.h"
#include "rs_history.h"
#include "rs_spots.h"

static void test_local_day(void **state)
{
    (void)state;
    /* 2026-01-01T23:30:00Z is Jan 2 at UTC+1, Jan 1 at UTC-5 */
    int64_t t = 1767310200000000LL;
    assert_int_equal(rs_history_day(t, 0), 20454);
    assert_int_equal(rs_history_day(t, 3600), 20455);
    assert_int_equal(rs_history_day(t, -18000), 20454);
    assert_int_equal(rs_history_day(t - 1800000000LL, 0), 20454); /* 23:00 */
    assert_int_equal(rs_history_day(20455LL * 86400000000LL, 0), 20455); /* midnight: the new day */
    assert_int_equal(rs_history_day(20455LL * 86400000000LL - 1, 0), 20454);
    assert_int_equal(rs_history_day(-1, 0), -1); /* before 1970 rounds down */
}

static void catalog_of_days(struct rs_catalog *c, int first, int n)
{
    rs_catalog_init(c);
    for (int d = first; d < first + n; d++) {
        struct rs_cat_entry e = hs_entry(d);
        assert_int_equal(rs_catalog_push(c, &e), 0);
    }
}

/* Ground truth: where hist_synth.h put the holds. */
static void test_recurring_spots_ground_truth(void **state)
{
    (void)state;
    struct rs_catalog c;
    catalog_of_days(&c, 0, 12);
    static struct rs_histview v;
    struct rs_history_opts o = rs_history_defaults();
    rs_history_make(&c, &o, &v);
    /* last 5 sessions: days 7..11; the left 14 cm spot on all but day 7 */
    assert_int_equal(v.window, 5);
    assert_int_equal(v.nspots, 2);
    assert_int_equal(v.spot[0].leg, 0);
    assert_int_equal(v.spot[0].sessions, 4);
    assert_int_equal(v.spot[0].holds, 4);
    assert_true(fabsf(v.spot[0].pos_cm - 14.0f) < 0.05f);  /* 14.3 14.6 13.4 13.7 */
    assert_true(fabsf(v.spot[0].mean_s - 26.0f) < 0.01f);  /* 27 28 24 25 */
    assert_string_equal(v.spot[0].text, "left calf, 14 cm above the Achilles: held in 4 of the "
                                        "last 5 sessions, 26 s on average");
    /* right 9 cm on the even days 8 and 10; left 28 cm (day 7 only) is no spot */
    assert_int_equal(v.spot[1].leg, 1);
    assert_int_equal(v.spot[1].sessions, 2);
    assert_true(fabsf(v.spot[1].pos_cm - 9.0f) < 0.05f);
    /* the map's clusters over the whole span: 10, 6 and 2 sessions of 12 */
    assert_int_equal(v.nbands, 3);
    assert_int_equal(v.band[0].sessions, 10);
    assert_int_equal(v.band[1].sessions, 6);
    assert_int_equal(v.band[1].leg, 1);
    assert_int_equal(v.band[2].sessions, 2);
    assert_true(fabsf(v.band[2].pos_cm - 28.0f) < 0.05f);
    /* a longer window: the spot counts in more sessions */
    o.window = 10;
    rs_history_make(&c, &o, &v);
    assert_int_equal(v.spot[0].sessions, 8);
    assert_int_equal(v.spot[0].window, 10);
    rs_catalog_free(&c);
}

static void test_days(void **state)
{
    (void)state;
    struct rs_catalog c;
    catalog_of_days(&c, 0, 3);
    /* a second session on day 2 (later that day), uncalibrated, no calf time */
    struct rs_cat_entry e = hs_entry(2);
    snprintf(e.name, sizeof e.name, "2026-01-03T23-00-00.rsession");
    e.sum.start_host_us += 3600000000LL;
    e.sum.uncalibrated = true;
    e.calf_time_s[0] = e.calf_time_s[1] = NAN;
    rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"left\",\"pos_cm\":5,\"duration\":10,\"mean_bw_pct\":90}");
    e.sum.holds[0]++;
    e.routines_done = 2;
    rs_cat_entry_finish(&e);
    rs_catalog_push(&c, &e);
    struct rs_cat_entry bad;
    rs_cat_entry_init(&bad, "2026-01-04T00-00-00.rsession", NULL); /* unreadable */
    rs_catalog_push(&c, &bad);
    static struct rs_histview v;
    struct rs_history_opts o = rs_history_defaults();
    rs_history_make(&c, &o, &v);
    assert_int_equal(v.ndays, 3);
    assert_int_equal(v.sessions, 4);
    assert_int_equal(v.sessions_total, 5);
    assert_int_equal(v.unreadable, 1);
    assert_true(v.uncalibrated);
    assert_string_equal(v.day[0].date, "2026-01-01");
    assert_string_equal(v.day[2].date, "2026-01-03");
    assert_int_equal(v.day[2].sessions, 2);
    assert_int_equal(v.day[2].holds[0], 1);   /* day 2: no left 14 cm hold; +1 from the second */
    assert_int_equal(v.day[2].holds[1], 2);   /* 9 cm in both */
    assert_true(fabsf(v.day[2].time_s[0] - 172) < 1e-3f); /* the unknown adds nothing */
    assert_true(isnan(v.day[1].typical_bw_pct) == false);
    assert_true(fabsf(v.day[2].typical_bw_pct - 28) < 1e-3f); /* 90 %BW was nominal */
    assert_int_equal(v.day[2].routines, 2);
    assert_int_equal(v.day[0].routines, 1);
    assert_int_equal(v.last_day - v.first_day + 1, 28);
    assert_int_equal(v.ndots, 3 + 1 + 1 + 1 + 1);
    /* a span of one day keeps only the newest day */
    o.days = 1;
    rs_history_make(&c, &o, &v);
    assert_int_equal(v.ndays, 1);
    assert_int_equal(v.day[0].day, v.last_day);
    rs_catalog_free(&c);
}

/* More holds than the map keeps: the newest sessions' holds are drawn. */
static void test_dots_keep_the_newest(void **state)
{
    (void)state;
    struct rs_catalog c;
    rs_catalog_init(&c);
    for (int d = 0; d < 300; d++) {
        struct rs_cat_entry e = hs_entry(d);
        e.nholds = 0;
        for (int i = 0; i < RS_CAT_HOLDS_MAX; i++)
            rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"left\",\"pos_cm\":10,\"duration\":20}");
        rs_catalog_push(&c, &e);
    }
    static struct rs_histview v;
    struct rs_history_opts o = rs_history_defaults();
    o.days = 3660;
    rs_history_make(&c, &o, &v);
    assert_int_equal(v.ndots, RS_HIST_DOTS_MAX); /* 256 whole sessions of 32 */
    assert_int_equal(v.dot[v.ndots - 1].day, v.last_day);
    assert_int_equal(v.dot[0].day, v.last_day - 255);
    assert_int_equal(v.ndays, 300); /* the days are all there */
    rs_catalog_free(&c);
}

/* The end screen's past: the last sessions' holds numbered in time order,
 * the session being recorded left out, the newest holds kept. */
static void test_past_holds(void **state)
{
    (void)state;
    struct rs_catalog c;
    catalog_of_days(&c, 0, 10); /* days 7, 8, 9: 1, 2, 1 holds (hist_synth.h) */
    struct rs_cat_entry bad;
    rs_cat_entry_init(&bad, "2026-01-09T12-00-00.rsession", NULL); /* unreadable: not counted */
    rs_catalog_push(&c, &bad);
    struct rs_spot_hold h[16];
    int ns;
    size_t n = rs_history_past_holds(&c, NULL, 3, h, 16, &ns);
    assert_int_equal(ns, 3);
    assert_int_equal(n, 4);
    assert_int_equal(h[0].session, 0); /* day 7: the 28 cm hold (no 14 cm on d % 5 == 2) */
    assert_true(fabs(h[0].pos_cm - 28.0) < 1e-6);
    assert_int_equal(h[1].session, 1); /* day 8: 14.3 cm left, 9 cm right */
    assert_int_equal(h[2].leg, RS_LEG_RIGHT);
    assert_int_equal(h[3].session, 2); /* day 9 */
    /* leaving out the newest (the one being recorded): days 6, 7, 8 */
    n = rs_history_past_holds(&c, c.e[9].name, 3, h, 16, &ns);
    assert_int_equal(ns, 3);
    assert_int_equal(n, 2 + 1 + 2);
    assert_true(fabs(h[0].pos_cm - 13.7) < 1e-5); /* day 6: 13.7 cm left, 9 cm right */
    /* room for two: the newest two */
    n = rs_history_past_holds(&c, NULL, 3, h, 2, &ns);
    assert_int_equal(n, 2);
    assert_int_equal(h[0].session, 1);
    assert_int_equal(h[0].leg, RS_LEG_RIGHT);
    assert_int_equal(h[1].session, 2);
    assert_int_equal(rs_history_past_holds(&c, NULL, 3, h, 0, &ns), 0);
    rs_catalog_free(&c);
}

/* Files named by hand do not sort by time: the history still goes by the
 * start times (the same days and spots as with the recorder's names). */
static void test_time_order_not_name_order(void **state)
{
    (void)state;
    struct rs_catalog c, d;
    catalog_of_days(&c, 0, 12);
    rs_catalog_init(&d);
    for (size_t k = 1; k < c.n; k++)
        rs_catalog_push(&d, &c.e[k]);
    struct rs_cat_entry first = c.e[0]; /* the oldest, named last */
    snprintf(first.name, sizeof first.name, "zz-my-first-session.rsession");
    rs_catalog_push(&d, &first);
    static struct rs_histview a, b;
    struct rs_history_opts o = rs_history_defaults();
    o.window = 12;
    rs_history_make(&c, &o, &a);
    rs_history_make(&d, &o, &b);
    assert_int_equal(b.ndays, 12);
    assert_memory_equal(a.day, b.day, sizeof a.day[0] * 12);
    assert_int_equal(a.nspots, b.nspots);
    assert_string_equal(a.spot[0].text, b.spot[0].text);
    assert_memory_equal(a.dot, b.dot, sizeof a.dot[0] * (size_t)a.ndots);
    struct rs_spot_hold h[8];
    int ns;
    assert_int_equal(rs_history_past_holds(&d, NULL, 1, h, 8, &ns), 1); /* day 11 */
    assert_true(fabs(h[0].pos_cm - 13.7) < 1e-5);
    rs_catalog_free(&c);
    rs_catalog_free(&d);
}

static void test_empty(void **state)
{
    (void)state;
    struct rs_catalog c;
    rs_catalog_init(&c);
    static struct rs_histview v;
    struct rs_history_opts o = rs_history_defaults();
    rs_history_make(&c, &o, &v);
    assert_int_equal(v.ndays, 0);
    assert_int_equal(v.nspots, 0);
    assert_int_equal(v.sessions, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_day),
        cmocka_unit_test(test_recurring_spots_ground_truth),
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_dots_keep_the_newest),
        cmocka_unit_test(test_past_holds),
        cmocka_unit_test(test_time_order_not_name_order),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
