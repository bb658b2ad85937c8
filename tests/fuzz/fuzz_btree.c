/*
 * fuzz_btree.c - libFuzzer target: reading a chunk of the frames table
 * from the file's pages (host/record/rs_btfile.c, rs_btree.c) against
 * SQLite's own query, differentially.
 *
 * A valid session-like file of 512-byte pages (300 rows: an interior root
 * over a dozen leaves) is made once; each input is a chunk (its first
 * three bytes) and up to 170 byte edits to that file (offset, value: three
 * bytes each), which break pages in every way a damaged disk or a foreign
 * writer could. Whenever the page reader accepts the chunk, SQLite's query
 * in the same read transaction must return exactly its rows, complete;
 * when it refuses, nothing is compared (the scan then runs the query).
 * Nothing else may crash, leak or be undefined.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rs_btfile.h"
#include "rs_proto.h"
#include "rs_scan.h"

#define ROWS 300

static unsigned char *image;
static sqlite3_int64 image_len;
static char path[64];

static void make_image(void)
{
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        abort();
    if (sqlite3_exec(db,
                     "PRAGMA page_size=512;"
                     "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
                     "CREATE TABLE frames(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"
                     " dev_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL);",
                     NULL, NULL, NULL) != SQLITE_OK)
        abort();
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO frames(host_us, dev_us, type, raw) VALUES(?, ?, 2, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        abort();
    for (uint32_t i = 0; i < ROWS; i++) {
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample.seq = i;
        f.u.sample.t_us = i * 12500u;
        f.u.sample.left = (int32_t)(i * 7919u) - 40000;
        uint8_t raw[RS_FRAME_MAX];
        size_t n = rs_frame_pack(&f, raw);
        sqlite3_bind_int64(st, 1, 1763745656000000LL + (int64_t)i * 12500);
        sqlite3_bind_int64(st, 2, (int64_t)i * 12500 - (i % 7 == 0 ? 0 : 1)); /* 0 now and then */
        sqlite3_bind_blob(st, 3, raw, (int)n, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            abort();
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    image = sqlite3_serialize(db, "main", &image_len, 0);
    sqlite3_close(db);
    snprintf(path, sizeof path, "/tmp/fuzz_btree-%ld.db", (long)getpid());
    if (!image)
        abort();
}

static void write_file(const uint8_t *data, size_t size)
{
    static unsigned char *copy;
    if (!copy)
        copy = malloc((size_t)image_len);
    memcpy(copy, image, (size_t)image_len);
    for (size_t i = 3; i + 3 <= size; i += 3) {
        size_t off = ((size_t)data[i] << 8 | data[i + 1]) % (size_t)image_len;
        copy[off] = data[i + 2];
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(copy, 1, (size_t)image_len, f) != (size_t)image_len)
        abort();
    fclose(f);
}

/* The query's rows of (FROM, END] into WANT: the count, or -1 unless the
 * query ended cleanly. */
static int query_rows(sqlite3 *db, int64_t from, int64_t end, struct rs_scan_row *want, int cap)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, RS_SCAN_SQL, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, end);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < cap)
        rs_scan_row_read(st, &want[n++]);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? n : -1;
}

static bool same_row(const struct rs_scan_row *a, const struct rs_scan_row *b)
{
    return a->id == b->id && a->host == b->host && a->dev == b->dev && a->good == b->good &&
           a->len == b->len && memcmp(a->raw, b->raw, a->len) == 0;
}

/* The chunk read from the pages inside a read transaction, as a scan
 * worker does; when accepted, the query's rows in the same transaction
 * must be the same. A file whose frames table the query cannot even be
 * prepared on is not compared: no worker opens it. */
static void compare(sqlite3 *db, struct rs_btfile *bf, int64_t from, int64_t end)
{
    static struct rs_scan_row got[256], want[256];
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, RS_SCAN_SQL, -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_finalize(st);
    uint32_t root = rs_btfile_root(db);
    if (root == 0 || !rs_btfile_rows(bf, root, from, end, got))
        return;
    int n = query_rows(db, from, end, want, 256);
    if (n != (int)(end - from))
        abort(); /* accepted, but SQLite ends in an error or has other rows */
    for (int i = 0; i < n; i++)
        if (!same_row(&got[i], &want[i]))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!image)
        make_image();
    if (size < 3)
        return 0;
    int64_t from = (int64_t)(data[0] << 8 | data[1]) % (ROWS + 10) - 5;
    int64_t end = from + 1 + data[2] % 64;
    write_file(data, size);
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        abort();
    struct rs_btfile *bf = rs_btfile_open(db);
    if (!bf)
        abort();
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
        compare(db, bf, from, end);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    rs_btfile_close(bf);
    sqlite3_close(db);
    unlink(path);
    return 0;
}
