/*
 * rs_btree.h - the frames table's rows read straight from its b-tree pages
 * (internal to host/record: the scan workers' fast path, rs_scan.c).
 *
 * SQLite's file format is a published, stable specification
 * (https://www.sqlite.org/fileformat2.html). A table is a b-tree of pages:
 * interior pages (type 0x05) hold child page numbers separated by rowid
 * keys, leaf pages (type 0x0d) hold the rows as records. These functions
 * take one page's bytes and return data; they read nothing else and never
 * guess. Each is strict: whatever is not exactly the frames table as the
 * recorder writes it (its five columns, integer clocks, a blob frame whose
 * CRC-32 is right, rowids in order inside the bounds the parent pages give,
 * cells inside the page, no overflow pages) makes it return false, and the
 * caller then runs SQLite's own query for the whole chunk instead. So a
 * chunk read here holds exactly the rows SQLite would return, and every
 * damaged, unusual or foreign file is read by SQLite as before.
 */
#ifndef RS_BTREE_H
#define RS_BTREE_H

#include <stdbool.h>
#include <stdint.h>

#include "rs_scan.h"

/* Page types (the first byte of a b-tree page header). */
#define RS_BT_INTERIOR 0x05
#define RS_BT_LEAF 0x0d

/* Deeper than this SQLite reports the file as damaged (its cursor depth). */
#define RS_BT_DEPTH_MAX 19

/* The sizes of a database file, from its header. */
struct rs_bt_file {
    uint32_t page_size, usable, npages;
};

/*
 * The file's page size, usable bytes per page and page count, from its
 * 100-byte header H and its SIZE in bytes, as SQLite takes them: the
 * header's page count when it is valid for this version of the file (its
 * bytes 24 and 92 agree), else the file's whole pages. False for a page
 * size that is not a power of two from 512 to 65536, fewer than 480
 * usable bytes, or a count past the file's end.
 */
bool rs_bt_header(const uint8_t *h, int64_t size, struct rs_bt_file *out);

/* One page: its bytes (PAGE_SIZE of them), of which the first USABLE are
 * the b-tree's (the rest is the file's reserved space per page). */
struct rs_bt_page {
    const uint8_t *data;
    uint32_t page_size, usable;
};

/* The keys a page's rows must have: lo < rowid <= hi. */
struct rs_bt_bounds {
    int64_t lo, hi;
};

/* The page's type (RS_BT_INTERIOR or RS_BT_LEAF), or 0 when it is neither,
 * has no cell, more than SQLite allows, or a cell pointer array that does
 * not fit. */
int rs_bt_page_type(const struct rs_bt_page *p);

/*
 * Interior page P: the child page that holds rowid TARGET, and narrows *B
 * to that child's keys. False when a key is out of order or outside *B, a
 * cell leaves the page, or the child is page 0 or 1.
 */
bool rs_bt_child(const struct rs_bt_page *p, int64_t target, struct rs_bt_bounds *b,
                 uint32_t *child);

/* The same for a page rs_bt_child accepted with the same *B before: found
 * by a binary search over its keys, nothing checked again. */
void rs_bt_child_checked(const struct rs_bt_page *p, int64_t target, struct rs_bt_bounds *b,
                         uint32_t *child);

/* Where a chunk's rows go: rows[n] is next, for rowid next; rows up to
 * END. past: the last leaf read had a key above END (where SQLite's query
 * stops without reading on). */
struct rs_bt_take {
    struct rs_scan_row *rows;
    int n;
    int64_t next, end;
    bool past;
};

/*
 * Leaf page P with keys in B: its rows with rowids from t->next to t->end,
 * each exactly the next rowid, appended to t->rows (t->n and t->next move
 * on). Rows before t->next and after t->end are not taken, but their
 * keys are checked too. False when a row is missing, any key is out of
 * order or outside B, a row taken is not a frames row that reads as good
 * (rs_scan_row), or a cell leaves the page.
 */
bool rs_bt_leaf_rows(const struct rs_bt_page *p, struct rs_bt_bounds b, struct rs_bt_take *t);

#endif
