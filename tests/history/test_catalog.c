/*
 * The session catalog (host/history/rs_catalog.h): entries built from
 * events, the staleness plan, the text format and its parser (round trip,
 * every truncation and byte flip refused), and the I/O shell on a directory
 * of synthetic sessions: rebuilt when missing or damaged, fresh when
 * nothing changed, updated when a file is added, changed or removed, the
 * same content either way, and 0600.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hist_synth.h"
#include "rs_catalog.h"

static void test_entry_from_events(void **state)
{
    (void)state;
    struct rs_cat_entry e;
    rs_cat_entry_init(&e, "a.rsession", NULL);
    rs_cat_entry_event(&e, "hold_end",
                       "{\"leg\":\"left\",\"pos_cm\":14.2,\"duration\":26.5,\"mean_bw_pct\":30.0}");
    rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"right\",\"duration_s\":20,\"peak_bw_pct\":40}");
    rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"uncertain\",\"duration\":9}");
    rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"left\",\"pos_cm\":3,\"duration\":10,\"mean_bw_pct\":50}");
    rs_cat_entry_event(&e, "hold_start", "{\"leg\":\"left\",\"pos_cm\":3}");
    rs_cat_entry_event(&e, "routine_done", "{\"steps\":8,\"steps_done\":8,\"completed\":true}");
    rs_cat_entry_event(&e, "routine_done", "{\"steps\":8,\"steps_done\":2,\"completed\":false}");
    rs_cat_entry_event(&e, "routine_done", "{\"completed\":true}");
    rs_cat_entry_calf_time(&e, "{\"left_s\":181.5,\"right_s\":-3}");
    rs_cat_entry_finish(&e);
    assert_int_equal(e.nholds, 3);
    assert_int_equal(e.hold[0].leg, 0);
    assert_true(fabsf(e.hold[0].pos_cm - 14.2f) < 1e-5f);
    assert_true(fabsf(e.hold[0].seconds - 26.5f) < 1e-5f);
    assert_int_equal(e.hold[1].leg, 1);
    assert_true(isnan(e.hold[1].pos_cm) && isnan(e.hold[1].bw_pct)); /* not in the event */
    assert_true(fabsf(e.hold[1].seconds - 20) < 1e-5f);
    assert_int_equal(e.routines_done, 2);
    assert_true(fabs(e.calf_time_s[0] - 181.5) < 1e-9);
    assert_true(isnan(e.calf_time_s[1])); /* refused, stays unknown */
    assert_true(fabs(e.typical_bw_pct - 40.0) < 1e-6); /* median of 30 and 50 */
    e.sum.uncalibrated = true; /* nominal forces are no measurement */
    rs_cat_entry_finish(&e);
    assert_true(isnan(e.typical_bw_pct));
}

/* Values from a damaged session are kept only within sane limits, on
 * their boundaries: a refused value is unknown (NAN), the hold stays. */
static void test_hold_value_limits(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        float pos, secs, bw; /* NAN: refused */
    } cases[] = {
        { "{\"leg\":\"left\",\"pos_cm\":999.5,\"duration\":999999,\"mean_bw_pct\":9999.5}", 999.5f, 999999, 9999.5f },
        { "{\"leg\":\"left\",\"pos_cm\":1000,\"duration\":1e6,\"mean_bw_pct\":10000}", NAN, 0, NAN },
        { "{\"leg\":\"left\",\"pos_cm\":-999.5,\"duration\":0,\"mean_bw_pct\":0}", -999.5f, 0, 0 },
        { "{\"leg\":\"left\",\"pos_cm\":-1000,\"duration\":-0.001,\"mean_bw_pct\":-0.1}", NAN, 0, NAN },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_cat_entry e;
        rs_cat_entry_init(&e, "x", NULL);
        rs_cat_entry_event(&e, "hold_end", cases[i].json);
        assert_int_equal(e.nholds, 1);
        const struct rs_cat_hold *h = &e.hold[0];
        assert_true(isnan(cases[i].pos) ? isnan(h->pos_cm) : h->pos_cm == cases[i].pos);
        assert_true(h->seconds == cases[i].secs);
        assert_true(isnan(cases[i].bw) ? isnan(h->bw_pct) : h->bw_pct == cases[i].bw);
    }
    struct rs_cat_entry e; /* at most RS_CAT_HOLDS_MAX kept */
    rs_cat_entry_init(&e, "x", NULL);
    for (int i = 0; i < RS_CAT_HOLDS_MAX + 3; i++)
        rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"right\",\"pos_cm\":9}");
    assert_int_equal(e.nholds, RS_CAT_HOLDS_MAX);
}

static void test_median(void **state)
{
    (void)state;
    float a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 };
    assert_true(fabs(rs_cat_median(a, 3) - 3) < 1e-9);
    assert_true(fabs(rs_cat_median(b, 4) - 2.5) < 1e-9);
    assert_true(isnan(rs_cat_median(a, 0)));
}

static struct rs_cat_entry entry(const char *name, int64_t size, int64_t mtime)
{
    struct rs_cat_entry e;
    struct rs_cat_stamp st = { size, mtime, 0, 0 };
    rs_cat_entry_init(&e, name, &st);
    return e;
}

static void test_plan(void **state)
{
    (void)state;
    struct rs_catalog old;
    rs_catalog_init(&old);
    const char *names[] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++) {
        struct rs_cat_entry e = entry(names[i], 100, 1000);
        rs_catalog_push(&old, &e);
    }
    old.e[3].stamp.wal_size = 4096;
    struct rs_cat_file f[] = {
        { "a", { 100, 1000, 0, 0 } },     /* same: kept */
        { "b", { 101, 1000, 0, 0 } },     /* grew */
        { "b2", { 100, 1000, 0, 0 } },    /* new */
        { "c", { 100, 1001, 0, 0 } },     /* touched (1 ns) */
        { "d", { 100, 1000, 8192, 0 } },  /* its -wal changed */
    }; /* ... and no "e"; nothing removed here */
    long keep[5];
    size_t dropped;
    assert_int_equal(rs_cat_plan(&old, f, 5, keep, &dropped), 4);
    assert_int_equal(keep[0], 0);
    for (int i = 1; i < 5; i++)
        assert_int_equal(keep[i], -1);
    assert_int_equal(dropped, 3);
    /* a removed file: dropped, the rest kept */
    struct rs_cat_file g[] = { { "a", { 100, 1000, 0, 0 } }, { "c", { 100, 1000, 0, 0 } } };
    assert_int_equal(rs_cat_plan(&old, g, 2, keep, &dropped), 0);
    assert_int_equal(keep[0], 0);
    assert_int_equal(keep[1], 2);
    assert_int_equal(dropped, 2);
    rs_catalog_free(&old);
}

static void sample_catalog(struct rs_catalog *c)
{
    rs_catalog_init(c);
    struct rs_cat_entry e = entry("2026-01-01T10-00-00.rsession", 123456, 1767261600123456789LL);
    e.readable = true;
    e.sum.start_host_us = 1767261600000000LL;
    e.sum.tz_offset_s = -18000;
    e.sum.duration_s = 600.125;
    e.sum.frames = 48010;
    e.sum.holds[0] = 2;
    e.sum.holds[1] = 1;
    e.sum.longest_hold_s = 31.2;
    e.sum.complete = true;
    e.calf_time_s[0] = 181.5;
    e.routines_done = 1;
    rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"left\",\"pos_cm\":14.2,\"duration\":26.5,\"mean_bw_pct\":30}");
    rs_cat_entry_event(&e, "hold_end", "{\"leg\":\"right\",\"duration\":20}");
    rs_cat_entry_finish(&e);
    rs_catalog_push(c, &e);
    e = entry("odd\tname\\with\nbytes.rsession", 0, 0);
    snprintf(e.message, sizeof e.message, "not a session file (tab\there)");
    rs_catalog_push(c, &e);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    struct rs_catalog c, d;
    sample_catalog(&c);
    rs_catalog_init(&d);
    size_t len;
    char *text = rs_cat_format(&c, &len), err[256];
    assert_non_null(text);
    assert_int_equal(rs_cat_parse(text, len, &d, err, sizeof err), 0);
    assert_int_equal(d.n, 2);
    /* every field back exactly (NAN compares as NAN) */
    char *again = rs_cat_format(&d, NULL);
    assert_string_equal(text, again);
    assert_string_equal(d.e[1].name, "odd\tname\\with\nbytes.rsession");
    assert_string_equal(d.e[1].message, "not a session file (tab\there)");
    assert_int_equal(d.e[0].stamp.mtime_ns, 1767261600123456789LL);
    assert_int_equal(d.e[0].sum.tz_offset_s, -18000);
    assert_true(d.e[0].sum.duration_s == 600.125);
    assert_true(isnan(d.e[0].calf_time_s[1]) && isnan(d.e[0].sum.peak_bw_pct));
    assert_int_equal(d.e[0].nholds, 2);
    assert_true(isnan(d.e[0].hold[1].pos_cm));
    free(again);
    free(text);
    rs_catalog_free(&c);
    rs_catalog_free(&d);
}

/* Every cut short file and every changed byte is refused, with a reason. */
static void test_parse_refuses_damage(void **state)
{
    (void)state;
    struct rs_catalog c, d;
    sample_catalog(&c);
    rs_catalog_init(&d);
    size_t len;
    char *text = rs_cat_format(&c, &len), err[256];
    for (size_t cut = 0; cut < len; cut++) {
        err[0] = '\0';
        assert_int_equal(rs_cat_parse(text, cut, &d, err, sizeof err), -1);
        assert_true(err[0] != '\0');
        assert_int_equal(d.n, 0);
    }
    for (size_t i = 0; i < len; i++) {
        char keep = text[i];
        text[i] = (char)(keep ^ 0x04);
        assert_int_equal(rs_cat_parse(text, len, &d, err, sizeof err), -1);
        text[i] = keep;
    }
    assert_int_equal(rs_cat_parse("rollsense-catalog 2\nend\t0\t0\n", 29, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "version"));
    free(text);
    /* out of order names (a valid checksum does not make them valid) */
    struct rs_cat_entry t = c.e[0];
    c.e[0] = c.e[1];
    c.e[1] = t;
    text = rs_cat_format(&c, &len);
    assert_int_equal(rs_cat_parse(text, len, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "order"));
    free(text);
    rs_catalog_free(&c);
}

/* ---- on disk ------------------------------------------------------------------ */

struct dir_fixture {
    char dir[256];
};

static void add_day(const char *dir, int d)
{
    struct hs_session s;
    char name[96], path[512];
    hs_plan_day(d, 0.5, &s);
    snprintf(path, sizeof path, "%s/%s", dir, hs_name(&s, name, sizeof name));
    assert_int_equal(hs_write(path, &s), 0);
}

static int dir_setup(void **state)
{
    struct dir_fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/test_catalog.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    for (int d = 0; d < 6; d++)
        add_day(f->dir, d);
    *state = f;
    return 0;
}

static int dir_teardown(void **state)
{
    struct dir_fixture *f = *state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static char *cat_text(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, RS_CAT_FILE);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return strdup(buf);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void load(const char *dir, struct rs_catalog *c, struct rs_cat_status *st)
{
    assert_int_equal(rs_catalog_load(dir, true, c, st), 0);
}

static void test_rebuild_fresh_update(void **state)
{
    struct dir_fixture *f = *state;
    struct rs_catalog c;
    struct rs_cat_status st;
    umask(022);
    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_REBUILT);
    assert_int_equal(st.read, 6);
    assert_true(st.saved);
    assert_string_equal(st.note, ""); /* missing is not damage */
    assert_int_equal(c.n, 6);
    /* what the sessions hold (hist_synth.h: day 0) */
    assert_true(c.e[0].readable);
    assert_int_equal(c.e[0].nholds, 3);
    assert_int_equal(c.e[0].routines_done, 1);
    assert_true(fabs(c.e[0].calf_time_s[0] - 170) < 1e-9);
    assert_int_equal(c.e[0].sum.holds[0], 2);
    char path[512];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", f->dir, RS_CAT_FILE);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *first = cat_text(f->dir);
    rs_catalog_free(&c);

    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_FRESH);
    assert_int_equal(st.read, 0);
    assert_false(st.saved);
    rs_catalog_free(&c);

    add_day(f->dir, 9);
    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_UPDATED);
    assert_int_equal(st.read, 1);
    assert_int_equal(c.n, 7);
    rs_catalog_free(&c);

    /* removed: the entry goes, nothing else is read */
    char name[96];
    struct hs_session s;
    hs_plan_day(9, 0.5, &s);
    snprintf(path, sizeof path, "%s/%s", f->dir, hs_name(&s, name, sizeof name));
    assert_int_equal(unlink(path), 0);
    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_UPDATED);
    assert_int_equal(st.read, 0);
    assert_int_equal(st.dropped, 1);
    rs_catalog_free(&c);
    char *back = cat_text(f->dir);
    assert_string_equal(first, back); /* incremental = rebuilt */
    free(back);

    /* deleting the catalog loses nothing: rebuilt to the same text */
    snprintf(path, sizeof path, "%s/%s", f->dir, RS_CAT_FILE);
    assert_int_equal(unlink(path), 0);
    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_REBUILT);
    rs_catalog_free(&c);
    back = cat_text(f->dir);
    assert_string_equal(first, back);
    free(back);
    free(first);
}

/* A changed session file (same name) is read again. */
static void test_changed_file_reread(void **state)
{
    struct dir_fixture *f = *state;
    struct rs_catalog c;
    struct rs_cat_status st;
    load(f->dir, &c, &st);
    rs_catalog_free(&c);
    char name[96], path[512];
    struct hs_session s;
    hs_plan_day(2, 0.5, &s);
    snprintf(path, sizeof path, "%s/%s", f->dir, hs_name(&s, name, sizeof name));
    assert_int_equal(unlink(path), 0);
    hs_plan_day(3, 0.5, &s); /* day 3's holds under day 2's name */
    assert_int_equal(hs_write(path, &s), 0);
    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_UPDATED);
    assert_int_equal(st.read, 1);
    assert_int_equal(c.e[2].nholds, 1); /* day 3: the left spot only */
    rs_catalog_free(&c);
}

/* A damaged catalog: a clear note, rebuilt, and a good file again. */
static void test_damaged_catalog_rebuilt(void **state)
{
    struct dir_fixture *f = *state;
    static const char *bad[] = {
        "garbage\n",
        "rollsense-catalog 1\nS\tx.rsession\t1\n",
        "rollsense-catalog 1\nend\t5\t0000000000000000\n",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rs_catalog c;
        struct rs_cat_status st;
        write_text(f->dir, RS_CAT_FILE, bad[i]);
        load(f->dir, &c, &st);
        assert_int_equal(st.state, RS_CAT_REBUILT);
        assert_int_equal(c.n, 6);
        assert_non_null(strstr(st.note, "damaged"));
        assert_non_null(strstr(st.note, "rebuilt"));
        rs_catalog_free(&c);
        load(f->dir, &c, &st);
        assert_int_equal(st.state, RS_CAT_FRESH);
        rs_catalog_free(&c);
    }
}

/* An unreadable session is catalogued with its message (and listed). */
static void test_unreadable_session(void **state)
{
    struct dir_fixture *f = *state;
    write_text(f->dir, "2027-01-01T00-00-00.rsession", "not sqlite at all, just text\n");
    struct rs_catalog c;
    struct rs_cat_status st;
    load(f->dir, &c, &st);
    assert_int_equal(c.n, 7);
    assert_false(c.e[6].readable);
    assert_non_null(strstr(c.e[6].message, "not a session file"));
    rs_catalog_free(&c);
    load(f->dir, &c, &st);
    assert_int_equal(st.state, RS_CAT_FRESH);
    rs_catalog_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_from_events),
        cmocka_unit_test(test_hold_value_limits),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_parse_refuses_damage),
        cmocka_unit_test_setup_teardown(test_rebuild_fresh_update, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_changed_file_reread, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_damaged_catalog_rebuilt, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_session, dir_setup, dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
