/*
 * test_bigread.c - the VFS that reads a database file in large blocks
 * (rs_bigread): a connection through it reads what one through the
 * default VFS reads, sees what another connection wrote and checkpointed
 * into the file once its next transaction begins (WAL and rollback
 * journal alike), reads pages past the end of its block and past the end
 * of the file, and can write. Nothing is timed.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "rs_bigread.h"
#include "test_util.h"

/* Rows of about 1 KiB: 600 of them span several 256 KiB blocks, 100 fit
 * in one (so a stale block would be read again for the file's header). */
#define ROWS 600
#define FEW 100

static sqlite3 *open_db(const char *path, int flags, bool big)
{
    sqlite3 *db;
    const char *vfs = big ? rs_bigread_vfs() : NULL;
    if (big)
        assert_non_null(vfs);
    if (sqlite3_open_v2(path, &db, flags, vfs) != SQLITE_OK)
        fail_msg("open %s: %s", path, sqlite3_errmsg(db));
    return db;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *e = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK)
        fail_msg("%s: %s", sql, e);
}

static int64_t one_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A table t(id, v, pad) of N rows in JOURNAL mode at PATH. */
static void make(const char *path, const char *journal, int n)
{
    sqlite3 *db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, false);
    char sql[256];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", journal);
    exec(db, sql);
    snprintf(sql, sizeof sql,
             "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, pad BLOB);"
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
             "INSERT INTO t SELECT i, i * 7, randomblob(1000) FROM n;", n);
    exec(db, sql);
    sqlite3_close(db);
}

/* An FNV-1a digest of the first column of every row of SQL, and the code
 * that ended the query (*rc). */
static uint64_t query_digest(sqlite3 *db, const char *sql, int *rc)
{
    sqlite3_stmt *st;
    uint64_t h = 14695981039346656037ULL;
    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (*rc != SQLITE_OK)
        return h;
    while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(st, 0);
        for (int i = 0, n = sqlite3_column_bytes(st, 0); i < n; i++)
            h = (h ^ b[i]) * 1099511628211ULL;
    }
    sqlite3_finalize(st);
    return h;
}

/* Every row's bytes, as a digest: the same whichever VFS read them. */
static uint64_t digest(sqlite3 *db)
{
    int rc;
    uint64_t h = query_digest(
        db, "SELECT CAST(pad || ',' || id || ',' || v AS BLOB) FROM t ORDER BY id", &rc);
    assert_int_equal(rc, SQLITE_DONE);
    return h;
}

static void test_reads_what_the_default_reads(void **state)
{
    struct rs_test_fixture *fx = *state;
    make(fx->path, "wal", ROWS);
    sqlite3 *plain = open_db(fx->path, SQLITE_OPEN_READONLY, false);
    sqlite3 *big = open_db(fx->path, SQLITE_OPEN_READONLY, true);
    assert_true(digest(big) == digest(plain));
    assert_int_equal(one_int(big, "SELECT count(*) FROM t"), ROWS);
    /* backwards: every block loaded again */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(big, "SELECT v FROM t ORDER BY id DESC", -1, &st, NULL),
                     SQLITE_OK);
    int64_t id = ROWS;
    while (sqlite3_step(st) == SQLITE_ROW)
        assert_int_equal(sqlite3_column_int64(st, 0), 7 * id--);
    assert_int_equal(id, 0);
    sqlite3_finalize(st);
    sqlite3_close(big);
    sqlite3_close(plain);
}

/* Another connection rewrites every row and the changes reach the file
 * itself (a checkpoint, or a rollback journal's commit): the big reader's
 * next transaction reads them, not its old block. */
static void expect_fresh_after_write(const char *path, const char *journal, int n)
{
    make(path, journal, n);
    sqlite3 *big = open_db(path, SQLITE_OPEN_READONLY, true);
    int64_t before = one_int(big, "SELECT sum(v) FROM t");
    assert_int_equal(before, 7LL * n * (n + 1) / 2);
    sqlite3 *w = open_db(path, SQLITE_OPEN_READWRITE, false);
    for (int k = 1; k <= 2; k++) {
        exec(w, "UPDATE t SET v = v + 1");
        if (strcmp(journal, "wal") == 0)
            exec(w, "PRAGMA wal_checkpoint(TRUNCATE)");
        assert_int_equal(one_int(big, "SELECT sum(v) FROM t"), before + k * n);
    }
    sqlite3_close(w);
    sqlite3_close(big);
}

static void test_sees_checkpointed_writes(void **state)
{
    struct rs_test_fixture *fx = *state;
    expect_fresh_after_write(fx->path, "wal", FEW);
    remove(fx->path);
    expect_fresh_after_write(fx->path, "wal", ROWS);
}

static void test_sees_journal_commits(void **state)
{
    struct rs_test_fixture *fx = *state;
    expect_fresh_after_write(fx->path, "delete", FEW);
    remove(fx->path);
    expect_fresh_after_write(fx->path, "delete", ROWS);
}

/* The file grows after a block was read: pages past the block's old end
 * and a table that did not fit in it. */
static void test_file_grows(void **state)
{
    struct rs_test_fixture *fx = *state;
    make(fx->path, "delete", FEW);
    sqlite3 *big = open_db(fx->path, SQLITE_OPEN_READONLY, true);
    assert_int_equal(one_int(big, "SELECT count(*) FROM t"), FEW);
    sqlite3 *w = open_db(fx->path, SQLITE_OPEN_READWRITE, false);
    exec(w, "INSERT INTO t SELECT id + 100, v, randomblob(3000) FROM t");
    assert_int_equal(one_int(big, "SELECT count(*) FROM t"), 2 * FEW);
    assert_int_equal(one_int(big, "SELECT sum(length(pad)) FROM t"), 1000 * FEW + 3000 * FEW);
    sqlite3_close(w);
    sqlite3_close(big);
}

/* Written through it: read back in the same transaction (with a cache
 * of two pages, written pages are read back from the file) and the next,
 * and by a plain connection. */
static void expect_writes(const char *path, const char *journal)
{
    make(path, journal, FEW);
    sqlite3 *big = open_db(path, SQLITE_OPEN_READWRITE, true);
    exec(big, "PRAGMA cache_size=2");
    int64_t before = one_int(big, "SELECT sum(v) FROM t");
    for (int k = 1; k <= 3; k++) {
        exec(big, "BEGIN; UPDATE t SET v = v + 1, pad = randomblob(1000)");
        assert_int_equal(one_int(big, "SELECT sum(v) FROM t"), before + k * FEW);
        exec(big, "COMMIT");
        if (strcmp(journal, "wal") == 0)
            exec(big, "PRAGMA wal_checkpoint(TRUNCATE)");
        assert_int_equal(one_int(big, "SELECT sum(v) FROM t"), before + k * FEW);
    }
    sqlite3 *plain = open_db(path, SQLITE_OPEN_READONLY, false);
    assert_true(digest(plain) == digest(big));
    sqlite3_close(plain);
    sqlite3_close(big);
}

static void test_writes(void **state)
{
    struct rs_test_fixture *fx = *state;
    expect_writes(fx->path, "wal");
    remove(fx->path);
    expect_writes(fx->path, "delete");
}

/* The first and last pages of PATH, of SIZE bytes, through a connection
 * in one read transaction: the first read loads the block that holds the
 * whole file, so the last page is read from it even after its bytes were
 * zeroed behind SQLite's back (a file's pages do not change under a
 * reader's transaction unless something ignores SQLite's locks); a plain
 * connection reads the zeros. */
static void test_one_read_per_block(void **state)
{
    struct rs_test_fixture *fx = *state;
    make(fx->path, "delete", FEW);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_true(st.st_size < 256 * 1024 && st.st_size % 4096 == 0);
    sqlite3 *big = open_db(fx->path, SQLITE_OPEN_READONLY, true);
    exec(big, "BEGIN");
    assert_int_equal(one_int(big, "SELECT v FROM t WHERE id = 1"), 7);
    int fd = open(fx->path, O_WRONLY);
    assert_true(fd >= 0);
    static const unsigned char zeros[4096];
    /* the rows went in in order: the last one is on the last page */
    assert_int_equal(pwrite(fd, zeros, sizeof zeros, st.st_size - 4096), 4096);
    close(fd);
    assert_int_equal(one_int(big, "SELECT v FROM t WHERE id = 100"), 700);
    exec(big, "COMMIT");
    sqlite3_close(big);
    /* the row's page is zeros in the file now */
    sqlite3 *plain = open_db(fx->path, SQLITE_OPEN_READONLY, false);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(plain, "SELECT v FROM t WHERE id = 100", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_CORRUPT);
    sqlite3_finalize(q);
    sqlite3_close(plain);
}

/* A file cut short (its header counts more pages than it has, so SQLite
 * reads past its end): the same rows and the same error as the default
 * VFS, at every length tried. */
static void test_cut_short(void **state)
{
    struct rs_test_fixture *fx = *state;
    make(fx->path, "delete", ROWS);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    static const off_t cut[] = { 300 * 1024 + 100, 256 * 1024, 256 * 1024 - 4096 + 7, 9000 };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        assert_true(cut[i] < st.st_size);
        assert_int_equal(truncate(fx->path, cut[i]), 0);
        sqlite3 *plain = open_db(fx->path, SQLITE_OPEN_READONLY, false);
        sqlite3 *big = open_db(fx->path, SQLITE_OPEN_READONLY, true);
        int rc_plain, rc_big;
        const char *q = "SELECT CAST(pad || v AS BLOB) FROM t ORDER BY id";
        assert_true(query_digest(plain, q, &rc_plain) == query_digest(big, q, &rc_big));
        assert_int_equal(rc_big, rc_plain);
        assert_int_not_equal(rc_big, SQLITE_DONE);
        sqlite3_close(big);
        sqlite3_close(plain);
    }
}

/* The VFS's read contract, file by file: bytes as the file has them,
 * inside a block, across two blocks, and past the end (SQLite's short
 * read: the bytes there are, zeros after them, SQLITE_IOERR_SHORT_READ). */
static void test_read_contract(void **state)
{
    struct rs_test_fixture *fx = *state;
    enum { SIZE = 300000 };
    static unsigned char pattern[SIZE];
    for (int i = 0; i < SIZE; i++)
        pattern[i] = (unsigned char)(i * 7 + i / 251);
    FILE *fp = fopen(fx->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(pattern, 1, SIZE, fp), SIZE);
    fclose(fp);
    assert_non_null(rs_bigread_vfs());
    sqlite3_vfs *vfs = sqlite3_vfs_find(rs_bigread_vfs());
    assert_non_null(vfs);
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    assert_non_null(f);
    int out = 0;
    assert_int_equal(vfs->xOpen(vfs, fx->path, f, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READONLY,
                                &out),
                     SQLITE_OK);
    static const struct {
        sqlite3_int64 off;
        int n, rc, have; /* have: bytes of the file in the read */
    } t[] = {
        { 4096, 4096, SQLITE_OK, 4096 },
        { 0, 100, SQLITE_OK, 100 },
        { 262144 - 100, 200, SQLITE_OK, 200 }, /* across two blocks */
        { 262144, 4096, SQLITE_OK, 4096 },
        { SIZE - 1000, 4096, SQLITE_IOERR_SHORT_READ, 1000 },
        { SIZE - 4096, 4096, SQLITE_OK, 4096 },
        { SIZE, 4096, SQLITE_IOERR_SHORT_READ, 0 },
        { 400000, 4096, SQLITE_IOERR_SHORT_READ, 0 },
        { 600000, 4096, SQLITE_IOERR_SHORT_READ, 0 }, /* a block past the end */
        { 8192, 4096, SQLITE_OK, 4096 },
    };
    unsigned char buf[4096];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        memset(buf, 0xa5, sizeof buf);
        assert_int_equal(f->pMethods->xRead(f, buf, t[i].n, t[i].off), t[i].rc);
        assert_memory_equal(buf, pattern + t[i].off, (size_t)t[i].have);
        for (int k = t[i].have; k < t[i].n; k++)
            if (buf[k] != 0)
                fail_msg("read %zu: byte %d past the end is %d, not 0", i, k, buf[k]);
    }
    sqlite3_int64 size = 0;
    assert_int_equal(f->pMethods->xFileSize(f, &size), SQLITE_OK);
    assert_int_equal(size, SIZE);
    assert_int_equal(f->pMethods->xClose(f), SQLITE_OK);
    free(f);
}

/* A file that is not a database; one that is not there. */
static void test_not_a_database(void **state)
{
    struct rs_test_fixture *fx = *state;
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.db", fx->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(missing, &db, SQLITE_OPEN_READONLY, rs_bigread_vfs()),
                     SQLITE_CANTOPEN);
    sqlite3_close(db);
    FILE *f = fopen(fx->path, "wb");
    assert_non_null(f);
    fputs("not a database, just text", f);
    fclose(f);
    sqlite3 *big = open_db(fx->path, SQLITE_OPEN_READONLY, true);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(big, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
    assert_int_equal(rc, SQLITE_NOTADB);
    sqlite3_finalize(st);
    sqlite3_close(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads_what_the_default_reads, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sees_checkpointed_writes, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sees_journal_commits, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_file_grows, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_writes, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_not_a_database, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_one_read_per_block, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_read_contract, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_cut_short, rs_test_fixture_setup, rs_test_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
