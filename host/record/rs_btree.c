/*
 * rs_btree.c - the frames table's rows read straight from its b-tree pages
 * (see rs_btree.h). Every read of a page byte is bounds-checked against the
 * page's usable size; any doubt returns false.
 */
#include <string.h>

#include "rs_btree.h"

/* The frames table's columns, in order (docs/session-format.md). */
enum { COL_ID, COL_HOST, COL_DEV, COL_TYPE, COL_RAW, NCOLS };

static uint32_t get2(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t get4(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool rs_bt_header(const uint8_t *h, int64_t size, struct rs_bt_file *out)
{
    uint32_t ps = get2(h + 16);
    ps = ps == 1 ? 65536 : ps; /* 65536 does not fit in two bytes */
    if (ps < 512 || (ps & (ps - 1)) != 0 || h[20] > ps - 480 || size < 0)
        return false;
    uint64_t in_file = (uint64_t)size / ps, count = get4(h + 28);
    if (count == 0 || memcmp(h + 24, h + 92, 4) != 0)
        count = in_file;
    if (count > in_file || count > UINT32_MAX)
        return false;
    *out = (struct rs_bt_file){ ps, ps - h[20], (uint32_t)count };
    return true;
}

/* SQLite's varint at *P (1 to 9 bytes, big-endian, 7 bits a byte and 8 in
 * the ninth) into *V, not reading at or past END: false if it would. */
static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    uint64_t x = 0;
    for (int i = 0; i < 9; i++) {
        if (*p >= end)
            return false;
        uint8_t c = *(*p)++;
        if (i == 8) {
            *v = x << 8 | c;
            return true;
        }
        x = x << 7 | (c & 0x7fu);
        if (!(c & 0x80u)) {
            *v = x;
            return true;
        }
    }
    return false; /* not reached */
}

/* The page header's size for page type TYPE (0 when not a table page). */
static uint32_t header_size(int type)
{
    return type == RS_BT_LEAF ? 8 : type == RS_BT_INTERIOR ? 12 : 0;
}

int rs_bt_page_type(const struct rs_bt_page *p)
{
    if (p->usable < 480 || p->usable > p->page_size) /* the format's least usable size */
        return 0;
    int type = p->data[0];
    uint32_t hs = header_size(type);
    uint32_t ncell = get2(p->data + 3);
    if (hs == 0 || ncell == 0 || ncell > (p->page_size - 8) / 6 ||
        hs + 2 * ncell > p->usable)
        return 0;
    return type;
}

/* Cell I's start in P (of type TYPE), or NULL when it is not at least 4
 * bytes before the usable end, SQLite's last place for a cell. (SQLite
 * reads a cell that starts inside the header too: so is it read here.) */
static const uint8_t *cell(const struct rs_bt_page *p, int type, uint32_t i)
{
    uint32_t off = get2(p->data + header_size(type) + 2 * i);
    return off > p->usable - 4 ? NULL : p->data + off;
}

bool rs_bt_child(const struct rs_bt_page *p, int64_t target, struct rs_bt_bounds *b,
                 uint32_t *child)
{
    uint32_t ncell = get2(p->data + 3);
    const uint8_t *end = p->data + p->usable;
    struct rs_bt_bounds in = *b;
    int64_t prev = in.lo;
    bool found = false;
    /* every key, in order and inside B: the bounds handed down stay true */
    for (uint32_t i = 0; i < ncell; i++) {
        const uint8_t *c = cell(p, RS_BT_INTERIOR, i);
        uint64_t u;
        if (!c)
            return false;
        const uint8_t *k = c + 4; /* after the child's page number: at most end */
        if (!varint(&k, end, &u))
            return false;
        int64_t key = (int64_t)u;
        if (key <= prev || key > in.hi)
            return false;
        if (!found && target <= key) {
            found = true;
            *child = get4(c);
            *b = (struct rs_bt_bounds){ prev, key };
        }
        prev = key;
    }
    if (!found) {
        *child = get4(p->data + 8); /* the right-most child: keys above the last */
        b->lo = prev;
    }
    return *child > 1;
}

/* Key I of interior page P, which rs_bt_child has checked. */
static int64_t key_at(const struct rs_bt_page *p, uint32_t i)
{
    const uint8_t *k = cell(p, RS_BT_INTERIOR, i) + 4;
    uint64_t u = 0;
    varint(&k, p->data + p->usable, &u);
    return (int64_t)u;
}

void rs_bt_child_checked(const struct rs_bt_page *p, int64_t target, struct rs_bt_bounds *b,
                         uint32_t *child)
{
    uint32_t ncell = get2(p->data + 3), lo = 0, hi = ncell;
    while (lo < hi) { /* the first key at or above target */
        uint32_t mid = lo + (hi - lo) / 2;
        if (key_at(p, mid) < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ncell) {
        *child = get4(cell(p, RS_BT_INTERIOR, lo));
        b->hi = key_at(p, lo);
    } else {
        *child = get4(p->data + 8);
    }
    if (lo > 0)
        b->lo = key_at(p, lo - 1);
}

/* The length of a value of serial type T, or -1 for the two reserved types. */
static int64_t serial_len(uint64_t t)
{
    static const int8_t fixed[12] = { 0, 1, 2, 3, 4, 6, 8, 8, 0, 0, -1, -1 };
    return t < 12 ? fixed[t] : (int64_t)((t - 12) / 2);
}

/* An integer of serial type T (1-6: big-endian two's complement; 8 and 9:
 * the constants 0 and 1) at P into *V; false for any other type. */
static bool serial_int(uint64_t t, const uint8_t *p, int64_t *v)
{
    if (t == 8 || t == 9) {
        *v = (int64_t)t - 8;
        return true;
    }
    if (t < 1 || t > 6)
        return false;
    int64_t n = serial_len(t);
    uint64_t x = p[0] & 0x80u ? UINT64_MAX : 0; /* sign-extended */
    for (int64_t i = 0; i < n; i++)
        x = x << 8 | p[i];
    *v = (int64_t)x;
    return true;
}

/* The record at REC (LEN bytes, all on the page) as a frames row into R:
 * false unless it has the five columns with a NULL id (the rowid stands
 * for it), integer clocks and a blob that is a whole, checked frame. */
static bool record_row(const uint8_t *rec, uint64_t len, struct rs_scan_row *r)
{
    const uint8_t *h = rec, *rec_end = rec + len;
    uint64_t hs, type[NCOLS];
    if (!varint(&h, rec_end, &hs) || hs > len)
        return false;
    const uint8_t *h_end = rec + hs, *d = h_end;
    const uint8_t *at[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        if (!varint(&h, h_end, &type[c]))
            return false; /* fewer columns than the table has */
        int64_t n = serial_len(type[c]);
        if (n < 0 || n > rec_end - d)
            return false;
        at[c] = d;
        d += n;
    }
    /* SQLite reads the header as far as the last column asked for (raw):
     * when that was all of it, the values must fill the record exactly */
    if (h == h_end && d != rec_end)
        return false;
    uint64_t raw = type[COL_RAW];
    size_t n = raw >= 12 && raw % 2 == 0 ? (size_t)serial_len(raw) : 0;
    if (type[COL_ID] != 0 || !serial_int(type[COL_HOST], at[COL_HOST], &r->host) ||
        !serial_int(type[COL_DEV], at[COL_DEV], &r->dev) || n > RS_FRAME_MAX ||
        rs_frame_check(at[COL_RAW], n) != RS_DEC_OK)
        return false;
    r->good = true;
    r->len = (uint8_t)n;
    memcpy(r->raw, at[COL_RAW], n);
    return true;
}

bool rs_bt_leaf_rows(const struct rs_bt_page *p, struct rs_bt_bounds b, struct rs_bt_take *t)
{
    uint32_t ncell = get2(p->data + 3);
    const uint8_t *end = p->data + p->usable;
    int64_t prev = b.lo;
    t->past = false;
    for (uint32_t i = 0; i < ncell; i++) {
        const uint8_t *c = cell(p, RS_BT_LEAF, i);
        uint64_t len, u;
        if (!c || !varint(&c, end, &len) || !varint(&c, end, &u))
            return false;
        int64_t id = (int64_t)u;
        if (id <= prev || id > b.hi)
            return false;
        prev = id;
        /* every key is checked, those outside the chunk too: SQLite finds
         * the chunk's first row by a binary search over all of them */
        t->past = t->past || id > t->end;
        if (id < t->next || id > t->end)
            continue;
        /* the next row, its record whole on this page (a longer one would
         * go on in overflow pages: not a frames row) */
        if (id != t->next || len > (uint64_t)(p->usable - 35) || len > (uint64_t)(end - c))
            return false;
        struct rs_scan_row *r = &t->rows[t->n];
        if (!record_row(c, len, r))
            return false;
        r->id = id;
        t->n++;
        t->next++;
    }
    return true;
}
