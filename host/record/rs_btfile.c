/*
 * rs_btfile.c - a chunk of the frames table read from the session file's
 * pages (see rs_btfile.h).
 *
 * Pages are read through the connection's own file handle, so through
 * the scan's VFS (rs_bigread.h), which reads the file 256 KiB at a time.
 * The interior pages on the path from the root are kept one per depth,
 * with the bounds they were checked with, because every leaf is found from
 * the root again: a kept page is searched, not checked again. They are
 * forgotten at the start of each chunk, as the file may have changed
 * between two transactions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rs_btfile.h"
#include "rs_btree.h"

#define PAGE_MAX 65536u

struct rs_btfile {
    sqlite3_file *file; /* the connection's own handle on the database file */
    char *wal;          /* the -wal file's path */
    struct rs_bt_file sz; /* from the header, each chunk */
    uint8_t *leaf;      /* one page */
    uint8_t *path;      /* RS_BT_DEPTH_MAX pages */
    uint32_t path_pgno[RS_BT_DEPTH_MAX];
    struct rs_bt_bounds path_bounds[RS_BT_DEPTH_MAX]; /* what each was checked with */
};

struct rs_btfile *rs_btfile_open(sqlite3 *db)
{
    sqlite3_file *file = NULL;
    const char *name = sqlite3_db_filename(db, "main");
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        !file || !file->pMethods || !name || !name[0])
        return NULL;
    struct rs_btfile *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    size_t n = strlen(name) + sizeof "-wal";
    f->file = file;
    f->wal = malloc(n);
    f->leaf = malloc(PAGE_MAX);
    f->path = malloc((size_t)RS_BT_DEPTH_MAX * PAGE_MAX);
    if (!f->wal || !f->leaf || !f->path) {
        rs_btfile_close(f);
        return NULL;
    }
    snprintf(f->wal, n, "%s-wal", name);
    return f;
}

void rs_btfile_close(struct rs_btfile *f)
{
    if (!f)
        return;
    free(f->wal);
    free(f->leaf);
    free(f->path);
    free(f);
}

/* The columns the records are read by, in storage order. */
static const char *const columns[] = { "id", "host_us", "dev_us", "type", "raw" };

/* The first five columns of frames are those, stored, and id is the
 * rowid (declared INTEGER PRIMARY KEY). */
static bool frames_columns(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, type, pk, hidden FROM pragma_table_xinfo('frames')",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    bool ok = true;
    for (int i = 0; ok && i < 5; i++) {
        const char *name = NULL, *type = NULL;
        if (sqlite3_step(st) == SQLITE_ROW) {
            name = (const char *)sqlite3_column_text(st, 0);
            type = (const char *)sqlite3_column_text(st, 1);
        }
        ok = name && type && strcmp(name, columns[i]) == 0 && sqlite3_column_int(st, 3) == 0 &&
             (i > 0 || (sqlite3_stricmp(type, "INTEGER") == 0 && sqlite3_column_int(st, 2) == 1));
    }
    sqlite3_finalize(st);
    return ok;
}

uint32_t rs_btfile_root(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT rootpage FROM sqlite_schema WHERE type = 'table' AND name = 'frames'",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    int64_t root = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return root > 1 && root <= UINT32_MAX && frames_columns(db) ? (uint32_t)root : 0;
}

/* The write-ahead log holds no frame: it is absent or empty. */
static bool wal_empty(const struct rs_btfile *f)
{
    struct stat st;
    if (stat(f->wal, &st) != 0)
        return errno == ENOENT;
    return st.st_size == 0;
}

/* N bytes at OFFSET of the file, through SQLite's own handle (reading
 * the file through a descriptor of our own, and closing it, would drop
 * the process's POSIX locks on it, SQLite's included). */
static bool file_read(struct rs_btfile *f, void *buf, uint32_t n, int64_t offset)
{
    return f->file->pMethods->xRead(f->file, buf, (int)n, offset) == SQLITE_OK;
}

/* The file's sizes from its header (rs_bt_header), as SQLite takes them. */
static bool read_header(struct rs_btfile *f)
{
    uint8_t h[100];
    sqlite3_int64 size;
    return file_read(f, h, sizeof h, 0) &&
           f->file->pMethods->xFileSize(f->file, &size) == SQLITE_OK &&
           rs_bt_header(h, size, &f->sz);
}

/* Page PGNO (2 to npages) into BUF. */
static bool read_page(struct rs_btfile *f, uint32_t pgno, uint8_t *buf)
{
    return pgno >= 2 && pgno <= f->sz.npages &&
           file_read(f, buf, f->sz.page_size, (int64_t)(pgno - 1) * f->sz.page_size);
}

/* From ROOT down to the leaf that holds rowid TARGET, whose rows go to T,
 * and *HI, the highest key its parents allow it: false when the pages are
 * not what rs_btree.h accepts. Interior pages are kept one per depth (the
 * next leaf is found from the root again). */
static bool leaf_of(struct rs_btfile *f, uint32_t root, int64_t target, struct rs_bt_take *t,
                    int64_t *hi)
{
    struct rs_bt_bounds b = { INT64_MIN, INT64_MAX };
    uint32_t pgno = root;
    for (int depth = 0; depth < RS_BT_DEPTH_MAX; depth++) {
        uint8_t *keep = f->path + (size_t)depth * PAGE_MAX;
        struct rs_bt_bounds *was = &f->path_bounds[depth];
        struct rs_bt_page p = { keep, f->sz.page_size, f->sz.usable };
        if (f->path_pgno[depth] == pgno && was->lo == b.lo && was->hi == b.hi) {
            /* checked when it was read, with the same bounds */
            rs_bt_child_checked(&p, target, &b, &pgno);
            continue;
        }
        p.data = f->leaf;
        if (!read_page(f, pgno, f->leaf))
            return false;
        int type = rs_bt_page_type(&p);
        if (type == RS_BT_LEAF) {
            *hi = b.hi;
            return rs_bt_leaf_rows(&p, b, t);
        }
        uint32_t self = pgno;
        struct rs_bt_bounds in = b;
        if (type != RS_BT_INTERIOR || !rs_bt_child(&p, target, &b, &pgno))
            return false;
        memcpy(keep, f->leaf, f->sz.page_size);
        f->path_pgno[depth] = self;
        *was = in;
    }
    return false; /* deeper than SQLite reads */
}

/*
 * The pages SQLite's query reads are the ones read here: its seek for
 * id > FROM goes down to the leaf of FROM, and it steps on from leaf to
 * leaf until it has read a row past END: in END's leaf, or when END is
 * that leaf's last row, the first row of the next leaf (the leftmost one
 * under the next key up, the leaf of HI + 1).
 * So those leaves are checked too (every key of each), though their rows
 * may be outside the chunk: a damaged page there is SQLite's to report.
 */
bool rs_btfile_rows(struct rs_btfile *f, uint32_t root, int64_t from, int64_t end,
                    struct rs_scan_row *rows)
{
    bool ok = from < end && end - from <= RS_SCAN_CHUNK && end < INT64_MAX && root > 1 &&
              wal_empty(f) && read_header(f);
    memset(f->path_pgno, 0, sizeof f->path_pgno);
    struct rs_bt_take t = { rows, 0, from + 1, end, false };
    int64_t hi = 0;
    ok = ok && leaf_of(f, root, from, &t, &hi);
    while (ok && t.next <= end) {
        int64_t before = t.next;
        ok = leaf_of(f, root, t.next, &t, &hi) && t.next > before; /* each leaf gives the next rows */
    }
    /* END was its leaf's last row: the query reads the next leaf's first */
    return ok && (t.past || hi == INT64_MAX || leaf_of(f, root, hi + 1, &t, &hi));
}
