/*
 * test_btree.c - the frames table's rows read from b-tree pages (rs_btree):
 * pages built here byte by byte as SQLite's file format lays them out, and
 * each rule that sends a chunk back to SQLite's query on its boundary: page
 * header, cell placement, key order and bounds, the record's columns and
 * types, the frame, the rowid sequence. The scan-level check that the rows
 * are SQLite's own is in test_scan.c; fuzz_btree compares with SQLite on
 * arbitrary pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rs_btree.h"
#include "rs_proto.h"
#include "test_util.h"

#define PS 4096u

/* A page being built: cells from the end down, pointers after the header. */
struct page {
    uint8_t d[PS];
    uint32_t usable, top, n, hs;
};

static void page_init(struct page *p, int type, uint32_t usable)
{
    memset(p, 0, sizeof *p);
    p->d[0] = (uint8_t)type;
    p->usable = usable;
    p->top = usable;
    p->hs = type == RS_BT_LEAF ? 8 : 12;
}

static size_t put_varint(uint8_t *out, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    if (v > 0x00ffffffffffffffULL) { /* nine bytes: the last holds 8 bits */
        out[8] = (uint8_t)v;
        v >>= 8;
        for (int i = 7; i >= 0; i--, v >>= 7)
            out[i] = (uint8_t)((v & 0x7f) | 0x80);
        return 9;
    }
    do {
        tmp[n++] = (uint8_t)(v & 0x7f);
        v >>= 7;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(tmp[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
    return n;
}

/* A cell of LEN bytes at the top of the content area. */
static void add_cell(struct page *p, const uint8_t *cell, uint32_t len)
{
    p->top -= len;
    memcpy(p->d + p->top, cell, len);
    p->d[p->hs + 2 * p->n] = (uint8_t)(p->top >> 8);
    p->d[p->hs + 2 * p->n + 1] = (uint8_t)p->top;
    p->n++;
    p->d[3] = (uint8_t)(p->n >> 8);
    p->d[4] = (uint8_t)p->n;
}

static void add_key(struct page *p, uint32_t child, int64_t key)
{
    uint8_t c[13] = { (uint8_t)(child >> 24), (uint8_t)(child >> 16), (uint8_t)(child >> 8),
                      (uint8_t)child };
    add_cell(p, c, 4 + (uint32_t)put_varint(c + 4, (uint64_t)key));
}

/* A record's columns: serial type and value bytes each. */
struct col {
    uint64_t type;
    const uint8_t *v;
};

/* A leaf cell for ROWID holding the record of COLS (N of them) and then
 * TRAIL bytes more. */
static void add_record_trail(struct page *p, int64_t rowid, const struct col *cols, int n,
                             size_t trail);

static void add_record(struct page *p, int64_t rowid, const struct col *cols, int n)
{
    add_record_trail(p, rowid, cols, n, 0);
}

static void add_record_trail(struct page *p, int64_t rowid, const struct col *cols, int n,
                             size_t trail)
{
    static uint8_t hdr[64], body[PS], cell[PS + 32];
    size_t hn = 1, bn = 0;
    for (int i = 0; i < n; i++) {
        hn += put_varint(hdr + hn, cols[i].type);
        uint64_t t = cols[i].type;
        size_t len = t >= 12 ? (size_t)(t - 12) / 2 : (size_t)(t == 7 ? 8 : t == 6 ? 8 : t == 5 ? 6 : t < 5 ? t : 0);
        if (cols[i].v)
            memcpy(body + bn, cols[i].v, len);
        bn += len;
    }
    memset(body + bn, 0x55, trail);
    bn += trail;
    hdr[0] = (uint8_t)hn; /* under 128 bytes: one byte */
    size_t cn = put_varint(cell, hn + bn);
    cn += put_varint(cell + cn, (uint64_t)rowid);
    memcpy(cell + cn, hdr, hn);
    memcpy(cell + cn + hn, body, bn);
    add_cell(p, cell, (uint32_t)(cn + hn + bn));
}

static uint8_t frame_raw[RS_FRAME_MAX];
static size_t frame_len;
static const uint8_t host6[6] = { 0x06, 0x44, 0x12, 0x34, 0x56, 0x78 };
static const uint8_t dev4[4] = { 0xff, 0xff, 0xff, 0xfe }; /* -2: signed */

/* The recorder's row ROWID: NULL id, host_us in 6 bytes, dev_us in 4,
 * type 2 in one byte, the packed sample as a blob. */
static void add_row(struct page *p, int64_t rowid)
{
    static const uint8_t two = 2;
    struct col c[5] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two },
                        { 12 + 2 * frame_len, frame_raw } };
    add_record(p, rowid, c, 5);
}

static int setup(void **state)
{
    (void)state;
    struct rs_frame f = rs_test_sample(7);
    frame_len = rs_frame_pack(&f, frame_raw);
    return frame_len ? 0 : -1;
}

static struct rs_bt_page view(const struct page *p)
{
    return (struct rs_bt_page){ p->d, PS, p->usable };
}

static struct rs_scan_row rows[16];

/* Rows NEXT..END of leaf P within (LO, HI]: accepted, and how many. */
static bool leaf(const struct page *p, int64_t lo, int64_t hi, int64_t next, int64_t end, int *n)
{
    struct rs_bt_page v = view(p);
    struct rs_bt_take t = { rows, 0, next, end, false };
    bool ok = rs_bt_page_type(&v) == RS_BT_LEAF && rs_bt_leaf_rows(&v, (struct rs_bt_bounds){ lo, hi }, &t);
    *n = t.n;
    if (ok)
        assert_int_equal(t.next, next + t.n);
    return ok;
}

static void test_rows_read(void **state)
{
    (void)state;
    struct page p;
    page_init(&p, RS_BT_LEAF, PS);
    for (int64_t id = 10; id <= 14; id++)
        add_row(&p, id);
    int n;
    assert_true(leaf(&p, 9, 14, 10, 14, &n));
    assert_int_equal(n, 5);
    assert_int_equal(rows[0].id, 10);
    assert_int_equal(rows[4].id, 14);
    assert_int_equal(rows[2].host, 0x064412345678LL);
    assert_int_equal(rows[2].dev, -2);
    assert_true(rows[2].good);
    assert_int_equal(rows[2].len, frame_len);
    assert_memory_equal(rows[2].raw, frame_raw, frame_len);
    /* rows before next passed over, after end ignored */
    assert_true(leaf(&p, 9, 14, 12, 13, &n));
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, 12);
    /* a chunk that goes on past this leaf: all of its rows, accepted */
    assert_true(leaf(&p, 9, 14, 10, 100, &n));
    assert_int_equal(n, 5);
    /* past: whether the leaf has a key after the chunk's end (SQLite's
     * query stops there, or reads on into the next leaf) */
    static const struct {
        int64_t end;
        bool past;
    } pt[] = { { 12, true }, { 13, true }, { 14, false }, { 100, false } };
    for (size_t i = 0; i < sizeof pt / sizeof pt[0]; i++) {
        struct rs_bt_page v = view(&p);
        struct rs_bt_take t = { rows, 0, 10, pt[i].end, !pt[i].past };
        assert_true(rs_bt_leaf_rows(&v, (struct rs_bt_bounds){ 9, 14 }, &t));
        if (t.past != pt[i].past)
            fail_msg("end %lld: past %d", (long long)pt[i].end, t.past);
    }
    /* bounds: the lowest key must be above lo, the highest at most hi */
    assert_false(leaf(&p, 10, 14, 11, 14, &n));
    assert_false(leaf(&p, 9, 13, 10, 13, &n));
}

static void test_rowid_sequence(void **state)
{
    (void)state;
    struct page p;
    int n;
    page_init(&p, RS_BT_LEAF, PS);
    add_row(&p, 1);
    add_row(&p, 3); /* 2 is missing */
    assert_false(leaf(&p, 0, 10, 1, 3, &n));
    assert_true(leaf(&p, 0, 10, 1, 1, &n)); /* a chunk that ends before the gap */
    assert_int_equal(n, 1);
    assert_true(leaf(&p, 0, 10, 3, 3, &n));
    page_init(&p, RS_BT_LEAF, PS);
    add_row(&p, 2);
    add_row(&p, 2); /* not increasing */
    assert_false(leaf(&p, 0, 10, 2, 2, &n));
    page_init(&p, RS_BT_LEAF, PS);
    add_row(&p, 3);
    add_row(&p, 2);
    assert_false(leaf(&p, 0, 10, 1, 1, &n)); /* even with nothing to take */
}

static void test_page_header(void **state)
{
    (void)state;
    struct page p;
    page_init(&p, RS_BT_LEAF, PS);
    add_row(&p, 1);
    struct rs_bt_page v = view(&p);
    assert_int_equal(rs_bt_page_type(&v), RS_BT_LEAF);
    static const struct {
        uint32_t usable, ncell;
        int type, want;
    } t[] = {
        { 480, 1, RS_BT_LEAF, RS_BT_LEAF },      /* the least usable size */
        { 479, 1, RS_BT_LEAF, 0 },
        { PS, 1, RS_BT_INTERIOR, RS_BT_INTERIOR },
        { PS, 1, 0x0a, 0 },                       /* an index leaf */
        { PS, 1, 0x02, 0 },                       /* an index interior */
        { PS, 0, RS_BT_LEAF, 0 },                 /* no cell */
        { PS, (PS - 8) / 6, RS_BT_LEAF, RS_BT_LEAF }, /* SQLite's most */
        { PS, (PS - 8) / 6 + 1, RS_BT_LEAF, 0 },
        { 600, 296, RS_BT_LEAF, RS_BT_LEAF },     /* pointers end at 8 + 592 = 600 */
        { 600, 297, RS_BT_LEAF, 0 },
        { 600, 294, RS_BT_INTERIOR, RS_BT_INTERIOR }, /* 12 + 588 = 600 */
        { 600, 295, RS_BT_INTERIOR, 0 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct page q = p;
        q.d[0] = (uint8_t)t[i].type;
        q.d[3] = (uint8_t)(t[i].ncell >> 8);
        q.d[4] = (uint8_t)t[i].ncell;
        struct rs_bt_page w = { q.d, PS, t[i].usable };
        if (rs_bt_page_type(&w) != t[i].want)
            fail_msg("case %zu: type %d", i, rs_bt_page_type(&w));
    }
    /* SQLite's most cells for a 512-byte page: (512 - 8) / 6 = 84 */
    for (uint32_t ncell = 84; ncell <= 85; ncell++) {
        struct page q = p;
        q.d[4] = (uint8_t)ncell;
        struct rs_bt_page w = { q.d, 512, 512 };
        assert_int_equal(rs_bt_page_type(&w), ncell == 84 ? RS_BT_LEAF : 0);
    }
    struct rs_bt_page big = { p.d, 512, 513 }; /* usable past the page */
    assert_int_equal(rs_bt_page_type(&big), 0);
}

/* A header: page size field PS, reserved bytes RES, page count COUNT,
 * valid for this version of the file when VALID (bytes 24 and 92 agree). */
static void header(uint8_t *h, uint32_t ps, uint8_t res, uint32_t count, bool valid)
{
    memset(h, 0, 100);
    h[16] = (uint8_t)(ps >> 8), h[17] = (uint8_t)ps;
    h[20] = res;
    for (int i = 0; i < 4; i++)
        h[28 + i] = (uint8_t)(count >> (24 - 8 * i));
    h[27] = 7;
    h[95] = valid ? 7 : 8;
}

static void test_file_header(void **state)
{
    (void)state;
    static const struct {
        uint32_t ps;
        uint8_t res;
        uint32_t count;
        bool valid;
        int64_t size;
        bool ok;
        uint32_t page_size, usable, npages;
    } t[] = {
        { 4096, 0, 10, true, 40960, true, 4096, 4096, 10 },
        { 4096, 0, 10, true, 40960 + 4095, true, 4096, 4096, 10 },
        { 4096, 0, 10, true, 40959, false, 0, 0, 0 },  /* the count past the end */
        { 4096, 0, 9, true, 40960, true, 4096, 4096, 9 }, /* the header's count */
        { 4096, 0, 9, false, 40960, true, 4096, 4096, 10 }, /* stale: the file's */
        { 4096, 0, 0, true, 40960, true, 4096, 4096, 10 },  /* none: the file's */
        { 512, 0, 3, true, 1536, true, 512, 512, 3 },
        { 256, 0, 3, true, 1536, false, 0, 0, 0 },
        { 1, 0, 2, true, 131072, true, 65536, 65536, 2 },  /* 1 stands for 65536 */
        { 32768, 0, 1, true, 32768, true, 32768, 32768, 1 },
        { 3072, 0, 1, true, 3072, false, 0, 0, 0 },       /* not a power of two */
        { 4096, 96, 1, true, 4096, true, 4096, 4000, 1 }, /* reserved bytes */
        { 512, 32, 1, true, 512, true, 512, 480, 1 },     /* 480 usable: the least */
        { 512, 33, 1, true, 512, false, 0, 0, 0 },
        { 4096, 0, 1, true, -1, false, 0, 0, 0 },
        { 4096, 0, 0, true, 0, true, 4096, 4096, 0 },     /* an empty file */
        { 512, 0, UINT32_MAX, true, (int64_t)UINT32_MAX * 512, true, 512, 512, UINT32_MAX },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint8_t h[100];
        header(h, t[i].ps, t[i].res, t[i].count, t[i].valid);
        struct rs_bt_file f = { 0, 0, 0 };
        bool ok = rs_bt_header(h, t[i].size, &f);
        if (ok != t[i].ok || (ok && (f.page_size != t[i].page_size || f.usable != t[i].usable ||
                                     f.npages != t[i].npages)))
            fail_msg("case %zu: %d, %u %u %u", i, ok, f.page_size, f.usable, f.npages);
    }
    uint8_t h[100];
    header(h, 4096, 0, 0x01000002u, true); /* a count in all four bytes */
    struct rs_bt_file f;
    assert_true(rs_bt_header(h, (int64_t)(0x01000002 + 3) * 4096, &f));
    assert_int_equal(f.npages, 0x01000002u);
    h[92] = 1; /* bytes 24 and 92 compared whole */
    assert_true(rs_bt_header(h, 4096 * 5 + 7, &f));
    assert_int_equal(f.npages, 5);
}

static void test_cell_placement(void **state)
{
    (void)state;
    struct page p;
    int n;
    page_init(&p, RS_BT_LEAF, PS);
    add_row(&p, 1);
    uint32_t len = PS - p.top;
    /* the cell just after the pointer array: read. Pointing into the
     * header or the pointer array (SQLite reads a cell there too, and so
     * does this) or too near the usable end: the bytes there are no
     * frames row */
    static const struct {
        uint32_t off;
        bool ok;
    } t[] = { { 10, true }, { 9, false }, { 0, false }, { PS - 4, false }, { PS - 3, false } };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct page q;
        page_init(&q, RS_BT_LEAF, PS);
        q.n = 1;
        q.d[4] = 1;
        q.d[8] = (uint8_t)(t[i].off >> 8);
        q.d[9] = (uint8_t)t[i].off;
        if (t[i].off + len <= PS)
            memcpy(q.d + t[i].off, p.d + p.top, len);
        if (leaf(&q, 0, 10, 1, 1, &n) != t[i].ok)
            fail_msg("cell at %u", t[i].off);
    }
    /* a cell whose record runs past the usable end */
    struct page q;
    page_init(&q, RS_BT_LEAF, PS);
    q.d[4] = 1;
    uint32_t off = PS - len + 1;
    q.d[8] = (uint8_t)(off >> 8);
    q.d[9] = (uint8_t)off;
    memcpy(q.d + off, p.d + p.top, len - 1);
    assert_false(leaf(&q, 0, 10, 1, 1, &n));
    /* usable smaller than the page: the last bytes are not the b-tree's */
    page_init(&q, RS_BT_LEAF, PS - 32);
    add_row(&q, 1);
    assert_true(leaf(&q, 0, 10, 1, 1, &n));
    struct rs_bt_take tk = { rows, 0, 1, 1, false };
    struct rs_bt_page w = { q.d, PS, PS - 33 }; /* the cell ends past this usable */
    assert_false(rs_bt_leaf_rows(&w, (struct rs_bt_bounds){ 0, 10 }, &tk));
}

/* A row with COLS in place of the recorder's: accepted or not. */
static bool row_with(const struct col *cols, int n)
{
    struct page p;
    int got;
    page_init(&p, RS_BT_LEAF, PS);
    add_record(&p, 1, cols, n);
    return leaf(&p, 0, 1, 1, 1, &got);
}

static bool row_with_trail(const struct col *cols, int n, size_t trail)
{
    struct page p;
    int got;
    page_init(&p, RS_BT_LEAF, PS);
    add_record_trail(&p, 1, cols, n, trail);
    return leaf(&p, 0, 1, 1, 1, &got);
}

/* SQLite parses a record's header as far as the last column read (raw):
 * when that is the whole header, the values must end where the record
 * does; when more columns follow, bytes after raw are theirs. */
static void test_record_length(void **state)
{
    (void)state;
    static const uint8_t two = 2;
    uint64_t blob = 12 + 2 * frame_len;
    struct col five[5] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two }, { blob, frame_raw } };
    struct col six[6] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two }, { blob, frame_raw },
                          { 0, NULL } };
    assert_true(row_with_trail(five, 5, 0));
    assert_false(row_with_trail(five, 5, 1));
    assert_true(row_with_trail(six, 6, 0));
    assert_true(row_with_trail(six, 6, 1));
}

static void test_record_columns(void **state)
{
    (void)state;
    static const uint8_t two = 2, b8[8] = { 0x80, 0, 0, 0, 0, 0, 0, 1 };
    uint64_t blob = 12 + 2 * frame_len;
    struct col good[5] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two }, { blob, frame_raw } };
    assert_true(row_with(good, 5));
    struct col six[6] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two }, { blob, frame_raw },
                          { 0, NULL } };
    assert_true(row_with(six, 6)); /* a column added later is passed over */
    assert_false(row_with(good, 4));

    struct col c[5];
    memcpy(c, good, sizeof c);
    c[0] = (struct col){ 1, &two }; /* an id stored in the record */
    assert_false(row_with(c, 5));
    /* the clocks: integers of every width, 0 and 1 as types 8 and 9 */
    static const struct {
        uint64_t type;
        const uint8_t *v;
        bool ok;
        int64_t want;
    } t[] = {
        { 1, dev4, true, -1 }, { 2, dev4, true, -1 }, { 3, dev4, true, -1 },
        { 4, dev4, true, -2 }, { 5, host6, true, 0x064412345678LL },
        { 6, b8, true, INT64_MIN + 1 }, { 8, NULL, true, 0 }, { 9, NULL, true, 1 },
        { 7, b8, false, 0 },  /* a real */
        { 0, NULL, false, 0 }, /* NULL */
        { 13, dev4, false, 0 }, /* text */
        { 14, dev4, false, 0 }, /* blob */
        { 10, NULL, false, 0 }, { 11, NULL, false, 0 }, /* reserved */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        for (int col = 1; col <= 2; col++) {
            memcpy(c, good, sizeof c);
            c[col] = (struct col){ t[i].type, t[i].v };
            if (row_with(c, 5) != t[i].ok)
                fail_msg("clock %d of type %llu", col, (unsigned long long)t[i].type);
            if (t[i].ok && (col == 1 ? rows[0].host : rows[0].dev) != t[i].want)
                fail_msg("clock %d of type %llu: %lld", col, (unsigned long long)t[i].type,
                         (long long)(col == 1 ? rows[0].host : rows[0].dev));
        }
    }
    memcpy(c, good, sizeof c);
    c[3] = (struct col){ 13 + 2 * 3, (const uint8_t *)"abc" }; /* the type column: any value */
    assert_true(row_with(c, 5));
    c[3] = (struct col){ 7, b8 }; /* a real: eight bytes */
    assert_true(row_with(c, 5));
    c[3] = (struct col){ 12, NULL }; /* an empty blob */
    assert_true(row_with(c, 5));
    c[3] = (struct col){ 10, NULL };
    assert_false(row_with(c, 5));
}

static void test_record_frame(void **state)
{
    (void)state;
    static const uint8_t two = 2;
    uint8_t raw[RS_FRAME_MAX + 2] = { 0 };
    struct col c[5] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two }, { 0, raw } };
    /* the sample's bytes cut or padded to every length from 5 to one past
     * RS_FRAME_MAX, with the CRC made right: a row only where
     * rs_frame_check accepts the frame, as the query's rows are good */
    int accepted = 0;
    for (size_t n = 5; n <= RS_FRAME_MAX + 1; n++) {
        memset(raw, 0, sizeof raw);
        memcpy(raw, frame_raw, n - 4 < frame_len - 4 ? n - 4 : frame_len - 4);
        uint32_t crc = rs_crc32(0, raw, n - 4);
        for (int i = 0; i < 4; i++)
            raw[n - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
        bool want = n <= RS_FRAME_MAX && rs_frame_check(raw, n) == RS_DEC_OK;
        c[4] = (struct col){ 12 + 2 * n, raw };
        if (row_with(c, 5) != want)
            fail_msg("frame of %zu bytes", n);
        accepted += want;
    }
    assert_true(accepted >= 1); /* the sample's own length at least */
    c[4] = (struct col){ 12 + 2 * frame_len, frame_raw };
    assert_true(row_with(c, 5));
    c[4] = (struct col){ 13 + 2 * frame_len, frame_raw }; /* the same bytes as text */
    assert_false(row_with(c, 5));
    uint8_t bad[RS_FRAME_MAX];
    memcpy(bad, frame_raw, frame_len);
    bad[3] ^= 1; /* CRC no longer right */
    c[4] = (struct col){ 12 + 2 * frame_len, bad };
    assert_false(row_with(c, 5));
}

static void test_record_bounds(void **state)
{
    (void)state;
    struct page p;
    int n;
    page_init(&p, RS_BT_LEAF, PS);
    add_row(&p, 1);
    uint8_t *cell = p.d + p.top;
    uint8_t len = cell[0]; /* payload length: one byte here */
    /* a payload longer than the cell has room for (and past the page) */
    cell[0] = (uint8_t)(len + 1);
    assert_false(leaf(&p, 0, 1, 1, 1, &n));
    cell[0] = len;
    /* a record header longer than the payload */
    uint8_t *rec = cell + 2;
    uint8_t hs = rec[0];
    rec[0] = (uint8_t)(len + 1);
    assert_false(leaf(&p, 0, 1, 1, 1, &n));
    rec[0] = hs;
    assert_true(leaf(&p, 0, 1, 1, 1, &n));
    /* a payload of usable - 35 bytes is the longest kept whole on a leaf;
     * one byte more and its end is in an overflow page, though the cell
     * would fit: a sixth column pads the recorder's row to either length */
    static const uint8_t two = 2;
    static uint8_t pad[PS];
    for (uint32_t extra = 0; extra <= 1; extra++) {
        uint32_t s = PS - 35 - 45 + extra; /* header 8 bytes, the five columns 37 */
        struct col big[6] = { { 0, NULL }, { 5, host6 }, { 4, dev4 }, { 1, &two },
                              { 12 + 2 * frame_len, frame_raw }, { 12 + 2 * (uint64_t)s, pad } };
        if (row_with(big, 6) != (extra == 0))
            fail_msg("payload of usable - 35 + %u bytes", extra);
    }
}

/* Interior page P: the child for TARGET in (LO, HI], or 0 when refused. */
static uint32_t child_of(const struct page *p, int64_t target, struct rs_bt_bounds *b)
{
    struct rs_bt_page v = view(p);
    uint32_t child;
    if (rs_bt_page_type(&v) != RS_BT_INTERIOR || !rs_bt_child(&v, target, b, &child))
        return 0;
    return child;
}

static void test_interior(void **state)
{
    (void)state;
    struct page p;
    page_init(&p, RS_BT_INTERIOR, PS);
    add_key(&p, 7, 100);
    add_key(&p, 8, 200);
    add_key(&p, 9, 300);
    p.d[8] = 0, p.d[9] = 0, p.d[10] = 0, p.d[11] = 10; /* right-most child */
    static const struct {
        int64_t target;
        uint32_t child;
        int64_t lo, hi;
    } t[] = {
        { INT64_MIN, 7, 0, 100 }, { 1, 7, 0, 100 },     { 100, 7, 0, 100 },
        { 101, 8, 100, 200 },     { 200, 8, 100, 200 }, { 201, 9, 200, 300 },
        { 300, 9, 200, 300 },     { 301, 10, 300, 1000 }, { INT64_MAX, 10, 300, 1000 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct rs_bt_bounds b = { 0, 1000 };
        uint32_t c = child_of(&p, t[i].target, &b);
        if (c != t[i].child || b.lo != t[i].lo || b.hi != t[i].hi)
            fail_msg("target %lld: child %u in (%lld, %lld]", (long long)t[i].target, c,
                     (long long)b.lo, (long long)b.hi);
        /* the search of a page already checked finds the same */
        struct rs_bt_page v = view(&p);
        b = (struct rs_bt_bounds){ 0, 1000 };
        rs_bt_child_checked(&v, t[i].target, &b, &c);
        if (c != t[i].child || b.lo != t[i].lo || b.hi != t[i].hi)
            fail_msg("checked, target %lld: child %u in (%lld, %lld]", (long long)t[i].target, c,
                     (long long)b.lo, (long long)b.hi);
    }
    /* and over a page of many keys, every target from below the first key
     * to above the last */
    struct page m;
    page_init(&m, RS_BT_INTERIOR, PS);
    for (uint32_t k = 0; k < 300; k++)
        add_key(&m, 100 + k, 10 + 7 * (int64_t)k);
    m.d[10] = 0x0f; /* right-most child 0x0f00 */
    for (int64_t target = 0; target < 10 + 7 * 300 + 5; target++) {
        struct rs_bt_bounds b1 = { 0, 99999 }, b2 = b1;
        uint32_t c1, c2;
        struct rs_bt_page v = view(&m);
        assert_true(rs_bt_child(&v, target, &b1, &c1));
        rs_bt_child_checked(&v, target, &b2, &c2);
        if (c1 != c2 || b1.lo != b2.lo || b1.hi != b2.hi)
            fail_msg("target %lld: %u (%lld, %lld] against %u (%lld, %lld]", (long long)target,
                     c1, (long long)b1.lo, (long long)b1.hi, c2, (long long)b2.lo, (long long)b2.hi);
    }
    /* every key checked against the bounds, also those after the child */
    struct rs_bt_bounds b = { 100, 300 };
    assert_int_equal(child_of(&p, 150, &b), 0); /* 100 is not above lo */
    b = (struct rs_bt_bounds){ 99, 299 };
    assert_int_equal(child_of(&p, 150, &b), 0); /* 300 is above hi */
    b = (struct rs_bt_bounds){ 99, 300 };
    assert_int_equal(child_of(&p, 150, &b), 8);
    /* keys out of order, or equal */
    struct page q;
    page_init(&q, RS_BT_INTERIOR, PS);
    add_key(&q, 7, 100);
    add_key(&q, 8, 100);
    q.d[11] = 10;
    b = (struct rs_bt_bounds){ 0, 1000 };
    assert_int_equal(child_of(&q, 50, &b), 0);
    /* a child's page number takes all four bytes */
    page_init(&q, RS_BT_INTERIOR, PS);
    add_key(&q, 0x01020304u, 100);
    q.d[11] = 10;
    b = (struct rs_bt_bounds){ 0, 1000 };
    assert_int_equal(child_of(&q, 50, &b), 0x01020304u);
    /* a key whose varint needs the byte just past the usable end */
    page_init(&q, RS_BT_INTERIOR, PS - 1);
    q.d[4] = 1;
    q.d[12] = (uint8_t)((PS - 6) >> 8);
    q.d[13] = (uint8_t)(PS - 6);
    q.d[PS - 3] = 7;    /* child 7: bytes PS-6 .. PS-3 */
    q.d[PS - 2] = 0x81; /* the key's first byte, the last usable one */
    q.d[PS - 1] = 0x05; /* not the b-tree's */
    q.d[11] = 10;
    struct rs_bt_page w = { q.d, PS, PS - 1 };
    b = (struct rs_bt_bounds){ 0, 1000 };
    uint32_t kid;
    assert_int_equal(rs_bt_page_type(&w), RS_BT_INTERIOR);
    assert_false(rs_bt_child(&w, 50, &b, &kid));
    w.usable = PS; /* with that byte: key 0x85 */
    b = (struct rs_bt_bounds){ 0, 1000 };
    assert_true(rs_bt_child(&w, 50, &b, &kid));
    assert_int_equal(kid, 7);
    assert_int_equal(b.hi, 0x85);
    /* children 0 and 1 are never a table's pages; 2 is */
    static const uint32_t kids[] = { 0, 1, 2 };
    for (size_t i = 0; i < 3; i++) {
        page_init(&q, RS_BT_INTERIOR, PS);
        add_key(&q, kids[i], 100);
        q.d[11] = 10;
        b = (struct rs_bt_bounds){ 0, 1000 };
        assert_int_equal(child_of(&q, 50, &b), kids[i] > 1 ? kids[i] : 0);
    }
    page_init(&q, RS_BT_INTERIOR, PS);
    add_key(&q, 7, 100);
    q.d[11] = 1; /* the right-most child */
    b = (struct rs_bt_bounds){ 0, 1000 };
    assert_int_equal(child_of(&q, 500, &b), 0);
    /* a key varint that runs off the usable end */
    page_init(&q, RS_BT_INTERIOR, PS);
    q.d[4] = 1;
    q.d[12] = (uint8_t)((PS - 5) >> 8);
    q.d[13] = (uint8_t)(PS - 5);
    memset(q.d + PS - 5, 0, 4);
    q.d[PS - 1] = 0x81; /* continues past the end */
    q.d[11] = 10;
    b = (struct rs_bt_bounds){ 0, 1000 };
    assert_int_equal(child_of(&q, 50, &b), 0);
    q.d[PS - 1] = 0x05; /* ends on the last byte: key 5 */
    q.d[PS - 2] = 7;
    b = (struct rs_bt_bounds){ 0, 1000 };
    assert_int_equal(child_of(&q, 5, &b), 7);
    assert_int_equal(b.hi, 5);
}

static void test_nine_byte_varint(void **state)
{
    (void)state;
    /* rowids near the ends of the range take nine bytes */
    struct page p;
    page_init(&p, RS_BT_INTERIOR, PS);
    add_key(&p, 7, INT64_MAX - 1);
    p.d[11] = 9;
    struct rs_bt_bounds b = { INT64_MIN, INT64_MAX };
    assert_int_equal(child_of(&p, INT64_MAX - 1, &b), 7);
    assert_int_equal(b.hi, INT64_MAX - 1);
    b = (struct rs_bt_bounds){ INT64_MIN, INT64_MAX };
    assert_int_equal(child_of(&p, INT64_MAX, &b), 9);
    struct page q;
    int n;
    page_init(&q, RS_BT_LEAF, PS);
    add_row(&q, INT64_MAX - 2);
    add_row(&q, INT64_MAX - 1);
    assert_true(leaf(&q, INT64_MAX - 3, INT64_MAX - 1, INT64_MAX - 2, INT64_MAX - 1, &n));
    assert_int_equal(n, 2);
    assert_int_equal(rows[1].id, INT64_MAX - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_read),
        cmocka_unit_test(test_rowid_sequence),
        cmocka_unit_test(test_page_header),
        cmocka_unit_test(test_file_header),
        cmocka_unit_test(test_cell_placement),
        cmocka_unit_test(test_record_columns),
        cmocka_unit_test(test_record_length),
        cmocka_unit_test(test_record_frame),
        cmocka_unit_test(test_record_bounds),
        cmocka_unit_test(test_interior),
        cmocka_unit_test(test_nine_byte_varint),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
