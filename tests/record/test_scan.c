/*
 * test_scan.c - the frames table stepped ahead by worker threads
 * (rs_scan): the chunk grid on its boundaries, and every chunk a worker
 * gives is exactly what the same query stepped here returns (rows, their
 * checks, the last code), with one worker or four, from the start or from
 * a later chunk, when chunks are dropped, when the table has grown past
 * the grid, and when no worker can open the file. Nothing is timed.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "rs_record.h"
#include "rs_scan.h"
#include "test_util.h"

#define T0_US 1763745656000000LL
#define C RS_SCAN_CHUNK

static void test_chunk_end(void **state)
{
    (void)state;
    static const struct {
        int64_t from, grid_end, end;
    } t[] = {
        { 0, 100000, C },
        { 1, 100000, C },
        { C - 1, 100000, C },
        { C, 100000, 2 * C },
        { -1, 100000, 0 },
        { INT64_MIN, 100000, 0 },
        { -1, 0, INT64_MAX },            /* the chunk that holds the end is open */
        { 11 * C, 12 * C, INT64_MAX },
        { 11 * C, 12 * C + 1, 12 * C },
        { 12 * C - 1, 12 * C, INT64_MAX },
        { 12 * C, 12 * C, INT64_MAX },   /* past the grid: one open chunk */
        { 12 * C + 5, 12 * C, INT64_MAX },
        { 0, INT64_MIN, INT64_MAX },     /* no grid (the end unreadable) */
        { 5, 1, INT64_MAX },
        { INT64_MAX - C, INT64_MAX, INT64_MAX - C + 1 },
        { INT64_MAX - C + 1, INT64_MAX, INT64_MAX },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int64_t got = rs_scan_chunk_end(t[i].from, t[i].grid_end);
        if (got != t[i].end)
            fail_msg("chunk_end(%lld, %lld) = %lld, want %lld", (long long)t[i].from,
                     (long long)t[i].grid_end, (long long)got, (long long)t[i].end);
    }
}

/* A session of N samples, changed afterwards by SQL (NULL: as recorded). */
static void record_then(const char *path, uint32_t n, const char *sql)
{
    struct rs_rec *r;
    char err[256];
    assert_int_equal(rs_rec_open(&r, path, T0_US, 3600, err, sizeof err), 0);
    for (uint32_t i = 0; i < n; i++) {
        struct rs_frame f = rs_test_sample(i);
        assert_int_equal(rs_rec_frame(r, T0_US + (int64_t)i * 12500, &f), 0);
    }
    assert_int_equal(rs_rec_close(r, T0_US + (int64_t)n * 12500, NULL), 0);
    if (!sql)
        return;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* A session of N samples, every 97th frame's bytes damaged, every 89th
 * frame's device time a text. */
static void record(const char *path, uint32_t n)
{
    record_then(path, n,
                "UPDATE frames SET raw = X'0102030405060708' WHERE id % 97 = 0;"
                "UPDATE frames SET dev_us = 'x' WHERE id % 89 = 0;");
}

struct rows {
    struct rs_scan_row *r;
    size_t n;
};

/* The rows of (from, to] stepped here with the scan's query. */
static struct rows direct(const char *path, int64_t from, int64_t to)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, RS_SCAN_BUSY_MS); /* a worker may be rebuilding the WAL index */
    assert_int_equal(sqlite3_prepare_v2(db, RS_SCAN_SQL, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    struct rows out = { calloc(200000, sizeof *out.r), 0 };
    while (sqlite3_step(st) == SQLITE_ROW && out.n < 200000)
        rs_scan_row_read(st, &out.r[out.n++]);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void expect_rows(const struct rs_scan_row *a, const struct rs_scan_row *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i].id != b[i].id || a[i].host != b[i].host || a[i].dev != b[i].dev ||
            a[i].good != b[i].good || a[i].len != b[i].len ||
            memcmp(a[i].raw, b[i].raw, a[i].len) != 0)
            fail_msg("row %zu differs: id %lld/%lld good %d/%d", i, (long long)a[i].id,
                     (long long)b[i].id, a[i].good, b[i].good);
    }
}

static struct rs_scan *scan_of(const char *path, int64_t first, int64_t grid_end, int threads,
                               int bufs)
{
    struct rs_scan_open how = { path, SQLITE_OPEN_READONLY, false };
    struct rs_scan *sc = rs_scan_new(&how, first, grid_end, threads, bufs);
    assert_non_null(sc);
    return sc;
}

/* Chunks FIRST.. taken in turn and joined: the direct rows above FIRST*C. */
static void expect_all(const char *path, int64_t first, int64_t grid_end, int threads, int bufs)
{
    struct rs_scan *sc = scan_of(path, first, grid_end, threads, bufs);
    struct rows want = direct(path, first * C, INT64_MAX);
    size_t at = 0;
    const struct rs_scan_row *rows;
    int n, rc;
    int64_t k = first;
    for (; rs_scan_take(sc, k, &rows, &n, &rc); k++) {
        assert_int_equal(rc, SQLITE_DONE);
        assert_true(at + (size_t)n <= want.n);
        expect_rows(rows, want.r + at, (size_t)n);
        at += (size_t)n;
        rs_scan_release(sc);
    }
    assert_int_equal(k, (grid_end - 1) / C + 1); /* every chunk up to the last id's */
    assert_int_equal(at, want.n);
    free(want.r);
    rs_scan_free(sc);
}

static void test_every_row_in_order(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 30000);
    struct rows all = direct(fx->path, INT64_MIN, INT64_MAX);
    assert_true(all.n >= 30000 && all.r[all.n - 1].id == (int64_t)all.n);
    int bad = 0, good = 0;
    for (size_t i = 0; i < all.n; i++)
        all.r[i].good ? good++ : bad++;
    assert_true(bad > 600 && good > 29000); /* both kinds are in the chunks */
    int64_t grid_end = all.r[all.n - 1].id;
    free(all.r);
    /* threads and buffers: fewer buffers than chunks go round, and the
     * counts out of range are brought into it (0: one per thread) */
    static const int tb[][2] = { { 1, 1 }, { 1, 2 }, { 2, 2 }, { 2, 3 }, { 3, 4 },
                                 { 4, 4 }, { 2, 16 }, { 2, 0 }, { 4, 1000 } };
    for (size_t i = 0; i < sizeof tb / sizeof tb[0]; i++)
        expect_all(fx->path, 0, grid_end, tb[i][0], tb[i][1]);
    expect_all(fx->path, 2, grid_end, 2, 2); /* from a later chunk */
}

static void test_dropped_and_refused(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 5 * C + 100);
    struct rows all = direct(fx->path, INT64_MIN, INT64_MAX);
    int64_t grid_end = all.r[all.n - 1].id;
    free(all.r);
    assert_true(grid_end > 5 * C && grid_end < 6 * C);
    struct rs_scan *sc = scan_of(fx->path, 1, grid_end, 2, 4);
    const struct rs_scan_row *rows;
    int n, rc;
    assert_false(rs_scan_take(sc, 0, &rows, &n, &rc)); /* before the first */
    assert_true(rs_scan_take(sc, 3, &rows, &n, &rc));  /* 1 and 2 dropped */
    struct rows want = direct(fx->path, 3 * C, 4 * C);
    assert_int_equal(n, C);
    assert_int_equal(want.n, C);
    expect_rows(rows, want.r, want.n);
    free(want.r);
    assert_false(rs_scan_take(sc, 2, &rows, &n, &rc)); /* dropped stays dropped */
    assert_true(rs_scan_take(sc, 5, &rows, &n, &rc));  /* the taken one given back */
    assert_int_equal(n, grid_end - 5 * C);
    assert_int_equal(rows[n - 1].id, grid_end);
    assert_false(rs_scan_take(sc, 6, &rows, &n, &rc)); /* past the last */
    rs_scan_free(sc);
    /* the last id one past a chunk's end: the chunk after it is the last */
    sc = scan_of(fx->path, 0, 3 * C + 1, 1, 2);
    assert_true(rs_scan_take(sc, 3, &rows, &n, &rc));
    assert_int_equal(rows[0].id, 3 * C + 1);
    rs_scan_free(sc);
    /* freed while workers wait for buffers, and while a chunk is taken */
    rs_scan_free(scan_of(fx->path, 0, grid_end, 4, 4));
    sc = scan_of(fx->path, 0, grid_end, 1, 2);
    assert_true(rs_scan_take(sc, 0, &rows, &n, &rc));
    rs_scan_free(sc);
}

/* Rows added after the grid was drawn: the open last chunk holds more than
 * a worker keeps, and says so. */
static void test_grown_past_the_grid(void **state)
{
    struct rs_test_fixture *fx = *state;
    record(fx->path, 3 * C);
    struct rs_scan *sc = scan_of(fx->path, 0, 100, 2, 4);
    const struct rs_scan_row *rows;
    int n, rc;
    assert_true(rs_scan_take(sc, 0, &rows, &n, &rc));
    assert_int_equal(rc, RS_SCAN_MORE);
    assert_int_equal(n, C);
    struct rows want = direct(fx->path, 0, INT64_MAX);
    expect_rows(rows, want.r, (size_t)n);
    free(want.r);
    assert_false(rs_scan_take(sc, 1, &rows, &n, &rc));
    rs_scan_free(sc);
}

/* Chunks FIRST.. of PATH as expect_all, with how many the workers filled
 * from the file's pages and by the query. */
static void expect_counts(const char *path, int64_t grid_end, int64_t pages, int64_t query)
{
    expect_all(path, 0, grid_end, 2, 4);
    struct rs_scan *sc = scan_of(path, 0, grid_end, 2, 4);
    const struct rs_scan_row *rows;
    int n, rc;
    for (int64_t k = 0; rs_scan_take(sc, k, &rows, &n, &rc); k++)
        rs_scan_release(sc);
    int64_t by_pages, by_query;
    rs_scan_counts(sc, &by_pages, &by_query);
    rs_scan_free(sc);
    if (by_pages != pages || by_query != query)
        fail_msg("%lld chunks from pages and %lld by the query, want %lld and %lld",
                 (long long)by_pages, (long long)by_query, (long long)pages, (long long)query);
}

/* A file as the recorder leaves it: every chunk with an end read from the
 * pages (the open last one by the query), the same rows as SQLite's. */
static void test_rows_from_pages(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_then(fx->path, 5 * C + 100, NULL);
    expect_counts(fx->path, 5 * C + 100, 5, 1);
    char exact[600]; /* the last id on a chunk's end: that chunk is the open one */
    snprintf(exact, sizeof exact, "%s/exact.rsession", fx->dir);
    record_then(exact, 4 * C, NULL);
    expect_counts(exact, 4 * C, 3, 1);
}

/* Rows that are not good, and a damaged page: those chunks by the query,
 * the others from the pages. */
static void test_damage_left_to_sqlite(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_then(fx->path, 6 * C, "UPDATE frames SET raw = X'0102030405060708' WHERE id = 100;"
                                 "UPDATE frames SET dev_us = 'x' WHERE id = 2 * 8192 + 5;"
                                 "UPDATE frames SET host_us = 1.5 WHERE id = 3 * 8192 + 1;");
    expect_counts(fx->path, 6 * C, 2, 4);
    /* a frame's bytes changed behind SQLite's back: its CRC is wrong */
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT raw FROM frames WHERE id = 4 * 8192 + 7",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    uint8_t raw[RS_FRAME_MAX];
    int len = sqlite3_column_bytes(st, 0);
    memcpy(raw, sqlite3_column_blob(st, 0), (size_t)len);
    sqlite3_finalize(st);
    sqlite3_close(db);
    FILE *f = fopen(fx->path, "r+b");
    assert_non_null(f);
    static uint8_t file[8 << 20];
    size_t size = fread(file, 1, sizeof file, f);
    uint8_t *at = memmem(file, size, raw, (size_t)len);
    assert_non_null(at);
    at[len / 2] ^= 0x10;
    assert_int_equal(fseek(f, at - file + len / 2, SEEK_SET), 0);
    assert_int_equal(fputc(at[len / 2], f), at[len / 2]);
    fclose(f);
    expect_counts(fx->path, 6 * C, 1, 5);
}

/* Committed rows still in the write-ahead log: the pages are not the
 * snapshot, so the query reads every chunk. */
static void test_log_left_to_sqlite(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_then(fx->path, 3 * C, NULL);
    sqlite3 *w;
    assert_int_equal(sqlite3_open(fx->path, &w), SQLITE_OK);
    assert_int_equal(sqlite3_exec(w, "PRAGMA wal_autocheckpoint=0;"
                                     "INSERT INTO frames(host_us, dev_us, type, raw)"
                                     " SELECT host_us, dev_us, type, raw FROM frames WHERE id = 1;",
                                  NULL, NULL, NULL), SQLITE_OK);
    expect_counts(fx->path, 3 * C + 1, 0, 4);
    sqlite3_close(w); /* the last connection checkpoints: pages again */
    expect_counts(fx->path, 3 * C + 1, 3, 1);
}

/* No worker can open the file: the reader is told, not kept waiting. */
static void test_cannot_open(void **state)
{
    struct rs_test_fixture *fx = *state;
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.rsession", fx->dir);
    struct rs_scan_open how = { missing, SQLITE_OPEN_READONLY, false };
    assert_null(rs_scan_new(&how, -1, 10 * C, 2, 4)); /* no chunk below the grid */
    struct rs_scan *sc = scan_of(missing, 0, 10 * C, 2, 4);
    const struct rs_scan_row *rows;
    int n, rc;
    assert_false(rs_scan_take(sc, 0, &rows, &n, &rc));
    assert_false(rs_scan_take(sc, 1, &rows, &n, &rc));
    rs_scan_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunk_end),
        cmocka_unit_test_setup_teardown(test_every_row_in_order, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_dropped_and_refused, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_grown_past_the_grid, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_cannot_open, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_rows_from_pages, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_damage_left_to_sqlite, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_log_left_to_sqlite, rs_test_fixture_setup, rs_test_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
