/*
 * test_btfile.c - a chunk of the frames table read from the file's pages
 * (rs_btfile): on files made here with SQLite, the rows are SQLite's own;
 * the pages SQLite's query reads for a chunk are the ones checked (the
 * leaf of FROM and the leaf of the first row past END, damaged one at a
 * time); page
 * sizes, reserved bytes per page, a foreign column order, a rowid that is
 * not the id, rows still in the write-ahead log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "rs_btfile.h"
#include "rs_proto.h"
#include "test_util.h"

#define ROWS 400
#define FRAMES_SQL                                                                          \
    "CREATE TABLE frames(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"                 \
    " dev_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL);"

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

/* A file at PATH: SETUP (page size, table), then ROWS sample rows
 * (INSERT_SQL takes host_us, dev_us, raw), then AFTER. */
static void make(const char *path, const char *setup, const char *insert_sql, const char *after)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, setup);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL), SQLITE_OK);
    exec(db, "BEGIN");
    for (uint32_t i = 0; i < ROWS; i++) {
        struct rs_frame f = rs_test_sample(i);
        uint8_t raw[RS_FRAME_MAX];
        size_t n = rs_frame_pack(&f, raw);
        sqlite3_bind_int64(st, 1, 1763745656000000LL + (int64_t)i * 12500);
        sqlite3_bind_int64(st, 2, (int64_t)i * 12500);
        sqlite3_bind_blob(st, 3, raw, (int)n, SQLITE_TRANSIENT);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    exec(db, "COMMIT");
    sqlite3_finalize(st);
    if (after)
        exec(db, after);
    sqlite3_close(db);
}

#define INSERT "INSERT INTO frames(host_us, dev_us, type, raw) VALUES(?, ?, 2, ?)"

static void make_plain(const char *path, int page_size)
{
    char setup[400];
    snprintf(setup, sizeof setup, "PRAGMA page_size=%d;" FRAMES_SQL, page_size);
    make(path, setup, INSERT, NULL);
}

/* Read (FROM, END] of PATH from the pages in a read transaction; when it
 * was read, the query's rows in the same transaction must be the same. */
static bool read_chunk(const char *path, int64_t from, int64_t end)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    struct rs_btfile *f = rs_btfile_open(db);
    assert_non_null(f);
    static struct rs_scan_row got[RS_SCAN_CHUNK], want;
    exec(db, "BEGIN");
    uint32_t root = rs_btfile_root(db);
    bool ok = root && rs_btfile_rows(f, root, from, end, got);
    if (ok) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, RS_SCAN_SQL, -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, end);
        int64_t n = 0;
        for (; sqlite3_step(st) == SQLITE_ROW; n++) {
            rs_scan_row_read(st, &want);
            assert_int_equal(got[n].id, want.id);
            assert_int_equal(got[n].host, want.host);
            assert_int_equal(got[n].dev, want.dev);
            assert_true(got[n].good && want.good);
            assert_int_equal(got[n].len, want.len);
            assert_memory_equal(got[n].raw, want.raw, want.len);
        }
        sqlite3_finalize(st);
        assert_int_equal(n, end - from);
    }
    exec(db, "COMMIT");
    rs_btfile_close(f);
    sqlite3_close(db);
    return ok;
}

static void test_rows_are_sqlites(void **state)
{
    struct rs_test_fixture *fx = *state;
    static const int sizes[] = { 512, 1024, 4096, 65536 }; /* 65536 is 1 in the header */
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        remove(fx->path);
        make_plain(fx->path, sizes[i]);
        assert_true(read_chunk(fx->path, 0, ROWS));
        assert_true(read_chunk(fx->path, 17, 18));
        assert_true(read_chunk(fx->path, 100, 333));
        assert_true(read_chunk(fx->path, ROWS - 1, ROWS));
        assert_false(read_chunk(fx->path, ROWS - 1, ROWS + 1)); /* a row past the last */
        assert_false(read_chunk(fx->path, -5, 10));              /* no row 0 */
        assert_false(read_chunk(fx->path, 10, 10));              /* an empty chunk */
    }
}

/* Reserved bytes at the end of every page (as an encryption or checksum
 * extension leaves them): the b-tree ends before them. */
static void test_reserved_bytes(void **state)
{
    struct rs_test_fixture *fx = *state;
    make_plain(fx->path, 1024);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    int reserve = 40;
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve),
                     SQLITE_OK);
    exec(db, "VACUUM");
    sqlite3_close(db);
    FILE *f = fopen(fx->path, "rb");
    uint8_t h[100];
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    assert_int_equal(h[20], 40);
    assert_true(read_chunk(fx->path, 0, ROWS));
    assert_true(read_chunk(fx->path, 150, 160));
}

/* The frames leaves of a 512-byte-page file, in rowid order: page number,
 * first and last rowid (from the file, by the test's own reading). */
struct leaf {
    uint32_t pgno;
    int64_t first, last;
};

static int64_t varint_at(const uint8_t *p, int *len)
{
    uint64_t v = 0;
    int i = 0;
    for (; i < 8 && (p[i] & 0x80); i++)
        v = v << 7 | (p[i] & 0x7f);
    v = i == 8 ? v << 8 | p[8] : v << 7 | p[i];
    *len = i + 1;
    return (int64_t)v;
}

static int leaves(const uint8_t *file, size_t size, struct leaf *out, int cap)
{
    int n = 0;
    for (uint32_t pg = 2; pg <= size / 512 && n < cap; pg++) {
        const uint8_t *p = file + (size_t)(pg - 1) * 512;
        int ncell = p[3] << 8 | p[4];
        if (p[0] != 0x0d || ncell == 0)
            continue;
        int l;
        const uint8_t *c0 = p + (p[8] << 8 | p[9]);
        const uint8_t *cn = p + (p[8 + 2 * (ncell - 1)] << 8 | p[9 + 2 * (ncell - 1)]);
        varint_at(c0, &l);
        int64_t first = varint_at(c0 + l, &l);
        varint_at(cn, &l);
        int64_t last = varint_at(cn + l, &l);
        out[n++] = (struct leaf){ pg, first, last };
    }
    for (int i = 1; i < n; i++) /* in rowid order */
        for (int j = i; j > 0 && out[j].first < out[j - 1].first; j--) {
            struct leaf t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* Page PGNO's type byte zeroed: no b-tree page at all. */
static void break_page(const char *path, uint32_t pgno, uint8_t *saved)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(pgno - 1) * 512, SEEK_SET), 0);
    *saved = (uint8_t)fgetc(f);
    assert_int_equal(fseek(f, (long)(pgno - 1) * 512, SEEK_SET), 0);
    fputc(0, f);
    fclose(f);
}

static void mend_page(const char *path, uint32_t pgno, uint8_t saved)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, (long)(pgno - 1) * 512, SEEK_SET), 0);
    fputc(saved, f);
    fclose(f);
}

/* SQLite's query for (FROM, END] seeks to the leaf of FROM and stops at the
 * first row past END, in END's leaf or the next: a damaged page there sends
 * the chunk to the query, a damaged page elsewhere does not. */
static void test_pages_the_query_reads(void **state)
{
    struct rs_test_fixture *fx = *state;
    make_plain(fx->path, 512);
    static uint8_t file[1 << 20];
    size_t size = slurp(fx->path, file, sizeof file);
    struct leaf lv[100];
    int n = leaves(file, size, lv, 100);
    assert_true(n >= 20);
    for (int i = 1; i < n; i++)
        assert_int_equal(lv[i].first, lv[i - 1].last + 1);
    const struct leaf a = lv[5], b = lv[6], c = lv[7]; /* three leaves in a row */
    uint8_t saved;
    /* leaf a damaged */
    break_page(fx->path, a.pgno, &saved);
    assert_false(read_chunk(fx->path, a.last, b.last));     /* the seek lands in a */
    assert_true(read_chunk(fx->path, a.last + 1, b.last));  /* it lands in b */
    assert_true(read_chunk(fx->path, b.first, c.last));
    mend_page(fx->path, a.pgno, saved);
    /* leaf c damaged */
    break_page(fx->path, c.pgno, &saved);
    assert_false(read_chunk(fx->path, a.last, b.last));     /* it stops in c */
    assert_true(read_chunk(fx->path, a.last, b.last - 1));  /* it stops in b */
    mend_page(fx->path, c.pgno, saved);
    assert_true(read_chunk(fx->path, a.last, b.last));
    /* every leaf: a chunk across all of it, then the same with it damaged */
    for (int i = 1; i + 1 < n; i++) {
        assert_true(read_chunk(fx->path, lv[i].first - 1, lv[i].last));
        break_page(fx->path, lv[i].pgno, &saved);
        assert_false(read_chunk(fx->path, lv[i - 1].first, lv[i - 1].last));
        mend_page(fx->path, lv[i].pgno, saved);
    }
}

/* Files whose records are not the recorder's columns in its order. */
static void test_foreign_tables(void **state)
{
    struct rs_test_fixture *fx = *state;
    static const struct {
        const char *table;
        bool pages;
    } t[] = {
        { FRAMES_SQL, true },
        /* a column added at the end, as a later format may */
        { "CREATE TABLE frames(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"
          " dev_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL, note TEXT);", true },
        /* the clocks the other way round */
        { "CREATE TABLE frames(id INTEGER PRIMARY KEY, dev_us INTEGER NOT NULL,"
          " host_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL);", false },
        /* id a column of its own, not the rowid */
        { "CREATE TABLE frames(id INT PRIMARY KEY, host_us INTEGER NOT NULL,"
          " dev_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL);", false },
        /* a computed column among them */
        { "CREATE TABLE frames(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"
          " twice AS (host_us * 2), dev_us INTEGER NOT NULL, type INTEGER NOT NULL,"
          " raw BLOB NOT NULL);", false },
        /* the recorder's names, but dev_us computed, not stored */
        { "CREATE TABLE frames(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"
          " dev_us AS (host_us + 1), type INTEGER NOT NULL, raw BLOB NOT NULL);", false },
        /* no frames table at all */
        { "CREATE TABLE samples(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"
          " dev_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL);", false },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        remove(fx->path);
        char setup[600];
        snprintf(setup, sizeof setup, "PRAGMA page_size=1024;%s", t[i].table);
        const char *insert = strstr(t[i].table, "TABLE samples") ? "INSERT INTO samples(host_us, dev_us, type, raw) VALUES(?1, ?2, 2, ?3)"
                             : strstr(t[i].table, "dev_us AS") ? "INSERT INTO frames(host_us, type, raw) VALUES(?1 + 0 * ?2, 2, ?3)"
                                                               : INSERT;
        make(fx->path, setup, insert, NULL);
        sqlite3 *db;
        assert_int_equal(sqlite3_open_v2(fx->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        exec(db, "BEGIN");
        uint32_t root = rs_btfile_root(db);
        exec(db, "COMMIT");
        sqlite3_close(db);
        if ((root != 0) != t[i].pages)
            fail_msg("table %zu: root %u", i, root);
        if (t[i].pages)
            assert_true(read_chunk(fx->path, 0, ROWS));
    }
}

/* Rows committed into the write-ahead log and not yet in the file: the
 * pages are not the snapshot, so nothing is read from them. */
static void test_rows_in_the_log(void **state)
{
    struct rs_test_fixture *fx = *state;
    make(fx->path, "PRAGMA page_size=1024; PRAGMA journal_mode=WAL;" FRAMES_SQL, INSERT, NULL);
    assert_true(read_chunk(fx->path, 0, ROWS));
    sqlite3 *w;
    assert_int_equal(sqlite3_open(fx->path, &w), SQLITE_OK);
    exec(w, "PRAGMA wal_autocheckpoint=0;"
            "UPDATE frames SET host_us = host_us + 1 WHERE id = 3;");
    assert_false(read_chunk(fx->path, 0, 10)); /* the new row 3 is in the log */
    assert_false(read_chunk(fx->path, 100, 110));
    exec(w, "PRAGMA wal_checkpoint(TRUNCATE);"); /* into the file, the log emptied */
    assert_true(read_chunk(fx->path, 0, 10));
    sqlite3_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows_are_sqlites, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reserved_bytes, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_pages_the_query_reads, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_foreign_tables, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_rows_in_the_log, rs_test_fixture_setup, rs_test_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
