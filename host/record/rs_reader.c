/*
 * rs_reader.c - the session reader (see rs_reader.h for the contract).
 *
 * Two cursors, one over frames and one over the log, merged by the log's
 * after_frame column. Each cursor remembers the last id it delivered, so
 * after SQLite reports corruption it can re-seek past the damaged region
 * (WHERE id > last + skip, skip doubling) instead of giving up.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rs_jsonq.h"
#include "rs_record_int.h"
#include "rs_scan.h"
#include "rs_schema.h"
#include "rs_reader.h"

#define META_MAX 32
#define META_VALUE_MAX 8192
#define TEXT_MAX 8192

struct cursor {
    sqlite3_stmt *st;
    int64_t last_id;   /* last id delivered (or skipped) */
    int64_t id;        /* id of the row the statement is on (cursor_step) */
    bool eof;
    bool have;         /* a row is peeked into the fields below */
    bool restart;      /* re-bind from last_id before the next step */
    int64_t from, end; /* the bounds ?1 and ?2 of the chunk being stepped (INT64_MAX: none) */
    int64_t grid_end;  /* the chunks' grid (rs_scan_chunk_end): frames, the last id
                          when the reader opened or sought; log: INT64_MIN, one chunk */
    int64_t *hw;       /* highest id examined so far (in the reader's cnt): damage is counted once,
                          however often a replay or report rereads the file */
};

struct rs_reader {
    sqlite3 *db;
    struct cursor fc, lc;
    sqlite3_stmt *at_st; /* frame_at's statement, prepared on first use */
    /* The frames cursor's rows: from its own statement (read into own) or
     * from the chunk taken from the parallel scan (src_rows). frow is the
     * row it is on, valid until it steps again (after the frame is
     * delivered). */
    struct rs_scan_open how;  /* how.path: NULL for a reader of bytes in memory */
    bool scan_on;             /* rs_reader_readahead: step chunks on other threads */
    struct rs_scan *scan;
    bool src;                 /* stepping the rows of a chunk taken from scan */
    const struct rs_scan_row *src_rows;
    int src_n, src_pos, src_rc;
    struct rs_scan_row own;
    const struct rs_scan_row *frow;
    /* peeked frame row; f_raw is frow's bytes */
    int64_t f_id, f_host, f_dev;
    const uint8_t *f_raw;
    size_t f_raw_len;
    /* peeked log row */
    int64_t l_id, l_after, l_host, l_dev;
    int l_kind;
    char l_type[128];
    char l_data[TEXT_MAX];
    /* delivered strings */
    char type[128];
    char data[TEXT_MAX];

    int nmeta;
    char *meta_key[META_MAX];
    char *meta_val[META_MAX];

    struct {
        struct rs_reader_damage dmg;
        int64_t hw[2]; /* the cursors' high-water marks (frames, log) */
    } cnt;
    char dmg_msg[640];
};

const char *rs_reader_strerror(int err)
{
    switch (err) {
    case RS_READER_OK: return "ok";
    case RS_READER_ENOENT: return "cannot open the file";
    case RS_READER_ENOTDB: return "not an SQLite database";
    case RS_READER_ENOTSESS: return "not a rollsense session";
    case RS_READER_EVERSION: return "newer session format";
    case RS_READER_EEMPTY: return "nothing was recorded";
    case RS_READER_ECORRUPT: return "damaged beyond reading";
    default: return "unknown error";
    }
}

static int is_corrupt(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_IOERR ||
           rc == SQLITE_FORMAT || rc == SQLITE_RANGE || rc == SQLITE_MISMATCH ||
           rc == SQLITE_ERROR || rc == SQLITE_NOMEM || rc == SQLITE_TOOBIG;
}

/* One integer from a single-row query, or the SQLite error code. */
static int query_int(sqlite3 *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_EMPTY;
    }
    sqlite3_finalize(st);
    return rc;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The WAL checksum (sqlite's walChecksumBytes): 32-bit words in the byte
 * order the WAL header's magic announces, summed pairwise into s[0], s[1]. */
static void wal_checksum(int big, const unsigned char *b, size_t n, uint32_t s[2])
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint32_t x0, x1;
        if (big) {
            x0 = be32(b + i);
            x1 = be32(b + i + 4);
        } else {
            x0 = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24;
            x1 = (uint32_t)b[i + 4] | (uint32_t)b[i + 5] << 8 | (uint32_t)b[i + 6] << 16 |
                 (uint32_t)b[i + 7] << 24;
        }
        s[0] += x0 + s[1];
        s[1] += x1 + s[0];
    }
}

/* What the WAL adds: its committed size in pages and which pages beyond the
 * main file (have_pages) it holds. */
struct wal_view {
    uint32_t db_pages;      /* size after the last valid commit, 0 if none */
    uint32_t base;          /* pages present in the main file */
    unsigned char *present; /* bitmap of pages base+1.. held by committed frames */
    uint32_t cap;           /* bits in present */
};

static void wal_mark(struct wal_view *w, uint32_t pgno)
{
    if (pgno <= w->base)
        return;
    uint32_t i = pgno - w->base - 1;
    if (i >= w->cap) {
        uint32_t ncap = w->cap ? w->cap : 1024;
        while (ncap <= i && ncap < (1u << 30))
            ncap *= 2;
        if (ncap <= i)
            return;
        unsigned char *np = realloc(w->present, ncap / 8);
        if (!np)
            return;
        memset(np + w->cap / 8, 0, (ncap - w->cap) / 8);
        w->present = np;
        w->cap = ncap;
    }
    w->present[i / 8] |= (unsigned char)(1u << (i % 8));
}

/*
 * Replay the WAL's frames as SQLite's recovery would: the header's salts and
 * running checksum must match; frames after the last commit frame are not
 * part of the database. Pages of the committed frames are marked present.
 */
static void wal_scan(FILE *f, uint32_t ps, struct wal_view *w)
{
    unsigned char h[32];
    if (fread(h, 1, sizeof h, f) != sizeof h)
        return;
    uint32_t magic = be32(h);
    if ((magic & ~1u) != 0x377f0682u || be32(h + 8) != (ps == 65536 ? 1 : ps))
        return;
    int big = magic & 1;
    uint32_t sum[2] = { 0, 0 };
    wal_checksum(big, h, 24, sum);
    if (sum[0] != be32(h + 24) || sum[1] != be32(h + 28))
        return;
    unsigned char *page = malloc((size_t)ps + 24);
    if (!page)
        return;
    /* Pass 1: the last valid commit frame. Pass 2: the pages up to it. */
    long frames = 0, committed = 0;
    uint32_t db_pages = 0;
    while (fread(page, 1, (size_t)ps + 24, f) == (size_t)ps + 24) {
        if (memcmp(page + 8, h + 16, 8) != 0)
            break; /* salts of an older generation */
        wal_checksum(big, page, 8, sum);
        wal_checksum(big, page + 24, ps, sum);
        if (sum[0] != be32(page + 16) || sum[1] != be32(page + 20))
            break; /* torn or never written */
        frames++;
        if (be32(page + 4)) {
            committed = frames;
            db_pages = be32(page + 4);
        }
    }
    if (committed && fseek(f, 32, SEEK_SET) == 0) {
        for (long i = 0; i < committed; i++) {
            if (fread(page, 1, 4, f) != 4 || fseek(f, (long)ps + 20, SEEK_CUR) != 0)
                break;
            wal_mark(w, be32(page));
        }
        w->db_pages = db_pages;
    }
    free(page);
}

/*
 * Pages base+1..pages that are neither in the main file nor in a committed
 * WAL frame. Only the pages the WAL scan tracked (cap of them) are looked up
 * one by one; every page past those is missing, counted at once, so a header
 * claiming 2^32 pages costs no more than a small one.
 */
static uint64_t missing_pages(const struct wal_view *w, uint32_t pages)
{
    if (pages <= w->base)
        return 0;
    uint64_t beyond = pages - w->base;
    uint64_t tracked = beyond < w->cap ? beyond : w->cap;
    uint64_t missing = beyond - tracked;
    for (uint64_t i = 0; i < tracked; i++)
        if (!(w->present[i / 8] >> (i % 8) & 1))
            missing++;
    return missing;
}

/*
 * Bytes missing at the end of a file cut short: the database's size in pages
 * (the header's page count at offset 28, or the WAL's last commit) against
 * the pages that exist, in the main file or in a committed WAL frame. A
 * session written until the disk filled lives partly in its -wal file and is
 * intact up to its last commit. 0 when whole or the header is not trusted.
 */
static uint64_t truncated_from(const unsigned char *h, size_t hlen, uint64_t size, FILE *wal)
{
    if (hlen < 100 || memcmp(h, "SQLite format 3", 16) != 0)
        return 0;
    uint32_t ps = (uint32_t)h[16] << 8 | h[17];
    if (ps == 1)
        ps = 65536;
    if (ps < 512 || (ps & (ps - 1)))
        return 0;
    struct wal_view w = { .base = (uint32_t)(size / ps) };
    uint32_t pages = be32(h + 28);
    if (wal)
        wal_scan(wal, ps, &w);
    if (w.db_pages)
        pages = w.db_pages;
    uint64_t missing = missing_pages(&w, pages);
    free(w.present);
    uint64_t want = (uint64_t)ps * pages;
    if (!missing || want <= size)
        return 0;
    /* A partial last page of the main file is counted whole above. */
    return missing * ps < want - size ? missing * ps : want - size;
}

/* truncated_from for the file at PATH (SIZE bytes) and its -wal file. */
static uint64_t truncated_bytes(const char *path, off_t size)
{
    unsigned char h[100];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    char wal[1100];
    snprintf(wal, sizeof wal, "%s-wal", path);
    FILE *wf = fopen(wal, "rb");
    uint64_t t = truncated_from(h, n, (uint64_t)size, wf);
    if (wf)
        fclose(wf);
    return t;
}

static void load_meta(struct rs_reader *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT key, value FROM meta", -1, &st, NULL) != SQLITE_OK) {
        s->cnt.dmg.meta_lost = true;
        return;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && s->nmeta < META_MAX) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v || strlen(v) >= META_VALUE_MAX || strlen(k) > 64) {
            s->cnt.dmg.bad_rows++;
            continue;
        }
        s->meta_key[s->nmeta] = strdup(k);
        s->meta_val[s->nmeta] = strdup(v);
        if (!s->meta_key[s->nmeta] || !s->meta_val[s->nmeta]) {
            free(s->meta_key[s->nmeta]);
            free(s->meta_val[s->nmeta]);
            break;
        }
        s->nmeta++;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        s->cnt.dmg.meta_lost = true;
    sqlite3_finalize(st);
}

const char *rs_reader_meta(struct rs_reader *s, const char *key)
{
    for (int i = 0; i < s->nmeta; i++)
        if (strcmp(s->meta_key[i], key) == 0)
            return s->meta_val[i];
    return NULL;
}

static void set_msg(char *msg, size_t cap, const char *fmt, const char *path, const char *detail)
{
    if (msg && cap)
        snprintf(msg, cap, fmt, path, detail);
}

void rs_reader_close(struct rs_reader *s)
{
    if (!s)
        return;
    rs_scan_free(s->scan);
    free((char *)s->how.path);
    sqlite3_finalize(s->fc.st);
    sqlite3_finalize(s->lc.st);
    sqlite3_finalize(s->at_st);
    sqlite3_close(s->db);
    for (int i = 0; i < s->nmeta; i++) {
        free(s->meta_key[i]);
        free(s->meta_val[i]);
    }
    free(s);
}

/* PATH is a non-empty regular file: 0, else RS_READER_E* with MSG set. */
static int check_file(const char *path, struct stat *sb, char *msg, size_t msgcap)
{
    if (stat(path, sb) != 0) {
        set_msg(msg, msgcap, "%s: cannot open: %s", path, strerror(errno));
        return RS_READER_ENOENT;
    }
    if (!S_ISREG(sb->st_mode)) {
        set_msg(msg, msgcap, "%s: cannot open: %s", path, "not a regular file");
        return RS_READER_ENOENT;
    }
    if (sb->st_size == 0) {
        set_msg(msg, msgcap, "%s: %s", path,
                "empty session: the recording stopped before anything was committed");
        return RS_READER_EEMPTY;
    }
    return 0;
}

/* A session image in memory (rs_reader_open_mem), or none: a file. */
struct mem_src {
    const void *data;
    size_t size;
};

/* Open *DB on a private read-only copy of MEM's bytes. The SQLite code. */
static int open_mem(sqlite3 **db, const struct mem_src *mem)
{
    int rc = sqlite3_open_v2(":memory:", db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK)
        return rc;
    unsigned char *copy = sqlite3_malloc64(mem->size ? mem->size : 1);
    if (!copy)
        return SQLITE_NOMEM;
    memcpy(copy, mem->data, mem->size);
    /* SQLite frees the copy when the connection closes, or now on failure */
    return sqlite3_deserialize(*db, "main", copy, (sqlite3_int64)mem->size,
                               (sqlite3_int64)mem->size,
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
}

/*
 * Open S->db on PATH (or on MEM's bytes when MEM is not NULL) and read its
 * application id, format version and table count, retrying relaxed or
 * read-write as needed. The SQLite code; on failure S->db is closed (NULL)
 * or left for rs_reader_close.
 */
static int open_db(struct rs_reader *s, const char *path, const struct mem_src *mem,
                   int64_t *app, int64_t *ver, int64_t *ntab)
{
    /* Read-only: a reader never changes a session. A session killed while
     * recording still has its -wal file; SQLite reads it through the -shm
     * index, which it may create next to the file. */
    int rc = SQLITE_OK, flags = SQLITE_OPEN_READONLY;
    bool relaxed = false;
    for (int attempt = 0; attempt < 3; attempt++) {
        /* one thread uses a reader at a time: no per-call mutexes */
        if (mem)
            rc = open_mem(&s->db, mem);
        else
            rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_extended_result_codes(s->db, 1);
            sqlite3_busy_timeout(s->db, RS_SCAN_BUSY_MS);
            if (relaxed)
                sqlite3_exec(s->db, "PRAGMA writable_schema=ON", NULL, NULL, NULL);
            rc = query_int(s->db, "PRAGMA application_id", app);
        }
        if (rc == SQLITE_OK)
            rc = query_int(s->db, "PRAGMA user_version", ver);
        if (rc == SQLITE_OK)
            rc = query_int(s->db, "SELECT count(*) FROM sqlite_master", ntab);
        if ((rc & 0xff) == SQLITE_CORRUPT && !relaxed) {
            /* SQLite refuses a file shorter than its header says unless
             * the schema checks are relaxed; we only read. */
            relaxed = true;
        } else if ((rc & 0xff) == SQLITE_READONLY && flags == SQLITE_OPEN_READONLY && !mem) {
            /* A recorder killed mid-write leaves a WAL whose index must be
             * rebuilt, which a read-only connection may not do. Recovery
             * only replays committed transactions; no session data changes. */
            flags = SQLITE_OPEN_READWRITE;
        } else {
            break;
        }
        sqlite3_close(s->db);
        s->db = NULL;
    }
    s->how.flags = flags;
    s->how.relaxed = relaxed;
    return rc;
}

/* The RS_READER_E* code (and MSG) for SQLite code RC from open_db. */
static int open_error(int rc, const char *path, char *msg, size_t msgcap)
{
    if ((rc & 0xff) == SQLITE_NOTADB) {
        set_msg(msg, msgcap, "%s: %s", path,
                "not a session file (not an SQLite database, or its header is damaged)");
        return RS_READER_ENOTDB;
    }
    if ((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_PERM ||
        (rc & 0xff) == SQLITE_READONLY) {
        set_msg(msg, msgcap, "%s: cannot open: %s", path, sqlite3_errstr(rc));
        return RS_READER_ENOENT;
    }
    set_msg(msg, msgcap, "%s: damaged beyond reading (%s)", path, sqlite3_errstr(rc));
    return RS_READER_ECORRUPT;
}

/* The header is a rollsense session of a readable format: 0, else RS_READER_E*. */
static int check_header(int64_t app, int64_t ver, int64_t ntab, const char *path, char *msg,
                        size_t msgcap)
{
    if (app == 0 && ver == 0 && ntab == 0) {
        set_msg(msg, msgcap, "%s: %s", path,
                "empty session: the recording stopped before anything was committed");
        return RS_READER_EEMPTY;
    }
    if (app != RS_READER_APP_ID) {
        set_msg(msg, msgcap, "%s: %s", path,
                "not a rollsense session (an SQLite database of another application)");
        return RS_READER_ENOTSESS;
    }
    if (ver > RS_READER_FORMAT || ver < 1) {
        char d[160];
        snprintf(d, sizeof d,
                 "session format v%lld %s; this rollsense reads v1 to v%d%s", (long long)ver,
                 ver < 1 ? "is invalid" : "is newer than this program", RS_READER_FORMAT,
                 ver < 1 ? "" : " (update rollsense to read it)");
        set_msg(msg, msgcap, "%s: %s", path, d);
        return RS_READER_EVERSION;
    }
    return 0;
}

/* The last frame id: the frames cursor's chunk grid (INT64_MIN, one chunk,
 * if the end of the table cannot be read). */
static int64_t last_frame_id(sqlite3 *db)
{
    int64_t hi = INT64_MIN; /* set when query_int succeeds (gcc -O3 cannot see it) */
    return query_int(db, "SELECT max(id) FROM frames", &hi) == SQLITE_OK ? hi : INT64_MIN;
}

/* Prepare the frames and log cursors' statements. The SQLite code. */
static int prepare_cursors(struct rs_reader *s)
{
    int rc = sqlite3_prepare_v2(s->db, RS_SCAN_SQL, -1, &s->fc.st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(s->db,
                                "SELECT id, after_frame, kind, host_us, dev_us, type, data"
                                " FROM log WHERE id > ?1 ORDER BY id",
                                -1, &s->lc.st, NULL);
    return rc;
}

/* Open S (its truncation already measured) on PATH or MEM: 0 with *OUT
 * set, else RS_READER_E* with MSG set and S freed. */
static int open_session(struct rs_reader *s, const char *path, const struct mem_src *mem,
                        struct rs_reader **out, char *msg, size_t msgcap)
{
    int64_t app = 0, ver = 0, ntab = 0;
    int err, rc = open_db(s, path, mem, &app, &ver, &ntab);
    if (rc != SQLITE_OK)
        err = open_error(rc, path, msg, msgcap);
    else
        err = check_header(app, ver, ntab, path, msg, msgcap);
    if (err) {
        rs_reader_close(s);
        return err;
    }
    if (prepare_cursors(s) != SQLITE_OK) {
        set_msg(msg, msgcap, "%s: damaged beyond reading (%s)", path, sqlite3_errmsg(s->db));
        rs_reader_close(s);
        return RS_READER_ECORRUPT;
    }
    load_meta(s);
    s->fc.restart = s->lc.restart = true;
    s->fc.grid_end = last_frame_id(s->db);
    s->lc.grid_end = INT64_MIN;
    *out = s;
    return 0;
}

static struct rs_reader *new_reader(const char *path, char *msg, size_t msgcap)
{
    struct rs_reader *s = calloc(1, sizeof *s);
    if (!s) {
        set_msg(msg, msgcap, "%s: %s", path, "out of memory");
        return NULL;
    }
    s->fc.hw = &s->cnt.hw[0];
    s->lc.hw = &s->cnt.hw[1];
    return s;
}

int rs_reader_open(struct rs_reader **out, const char *path, char *msg, size_t msgcap)
{
    *out = NULL;
    struct stat sb;
    int err = check_file(path, &sb, msg, msgcap);
    if (err)
        return err;
    struct rs_reader *s = new_reader(path, msg, msgcap);
    if (!s)
        return RS_READER_ENOENT;
    s->cnt.dmg.truncated_bytes = truncated_bytes(path, sb.st_size);
    s->how.path = strdup(path); /* the parallel scan's connections; none if NULL */
    return open_session(s, path, NULL, out, msg, msgcap);
}

int rs_reader_open_mem(struct rs_reader **out, const char *name, const void *data, size_t size,
                       char *msg, size_t msgcap)
{
    *out = NULL;
    if (size == 0) {
        set_msg(msg, msgcap, "%s: %s", name,
                "empty session: the recording stopped before anything was committed");
        return RS_READER_EEMPTY;
    }
    struct rs_reader *s = new_reader(name, msg, msgcap);
    if (!s)
        return RS_READER_ENOENT;
    s->cnt.dmg.truncated_bytes = truncated_from(data, size, size, NULL);
    struct mem_src mem = { data, size };
    return open_session(s, name, &mem, out, msg, msgcap);
}

/* Give back the chunk the frames cursor took from the parallel scan. */
static void drop_chunk(struct rs_reader *s)
{
    if (s->src) {
        rs_scan_release(s->scan);
        s->src = false;
    }
}

/* Take the chunk of ids above FROM from the parallel scan when FROM is on
 * its grid (a scan starts at the first such chunk): true when taken. */
static bool take_chunk(struct rs_reader *s, int64_t from)
{
    if (!s->scan_on || from < 0 || from % RS_SCAN_CHUNK != 0)
        return false;
    int64_t k = from / RS_SCAN_CHUNK;
    if (!s->scan) {
        s->scan = rs_scan_new(&s->how, k, s->fc.grid_end, RS_SCAN_READER_THREADS,
                              RS_SCAN_READER_BUFS);
        s->scan_on = s->scan != NULL;
    }
    s->src = s->scan && rs_scan_take(s->scan, k, &s->src_rows, &s->src_n, &s->src_rc);
    s->src_pos = 0;
    return s->src;
}

/* Point C at the chunk of ids above FROM: its statement bound to it, or
 * (frames) the scan's rows of it. */
static void cursor_bind(struct rs_reader *s, struct cursor *c, int64_t from)
{
    c->from = from;
    c->end = rs_scan_chunk_end(from, c->grid_end);
    if (c == &s->fc) {
        drop_chunk(s);
        if (take_chunk(s, from))
            return;
    }
    sqlite3_reset(c->st);
    sqlite3_bind_int64(c->st, 1, from);
    if (c == &s->fc)
        sqlite3_bind_int64(c->st, 2, c->end);
}

/* The frames cursor's next row (in s->frow, its id in c->id): the SQLite
 * code of the step, from the taken chunk while it lasts. */
static int frame_fetch(struct rs_reader *s, struct cursor *c)
{
    if (s->src) {
        if (s->src_pos < s->src_n) {
            s->frow = &s->src_rows[s->src_pos++];
            c->id = s->frow->id;
            return SQLITE_ROW;
        }
        int rc = s->src_rc;
        drop_chunk(s);
        if (rc != RS_SCAN_MORE)
            return rc;
        /* the rest of the chunk, stepped here */
        sqlite3_reset(c->st);
        sqlite3_bind_int64(c->st, 1, c->last_id > c->from ? c->last_id : c->from);
        sqlite3_bind_int64(c->st, 2, c->end);
    }
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_ROW) {
        rs_scan_row_read(c->st, &s->own);
        s->frow = &s->own;
        c->id = s->own.id;
    }
    return rc;
}

/* Step C: the SQLite code, and on a row its id in c->id. */
static int cursor_fetch(struct rs_reader *s, struct cursor *c)
{
    if (c == &s->fc)
        return frame_fetch(s, c);
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_ROW)
        c->id = sqlite3_column_int64(c->st, 0);
    return rc;
}

/*
 * Step a cursor to its next row, chunk after chunk. On a corruption error,
 * re-seek past the damaged region: try id > last + 1, + 2, + 4 ...
 * (bounded), counting the ids jumped over as lost. Returns true with the
 * cursor on a row.
 */
static bool cursor_step(struct rs_reader *s, struct cursor *c)
{
    if (c->eof)
        return false;
    int64_t skip = 0;
    for (int attempt = 0; attempt < 64;) {
        if (c->restart) {
            cursor_bind(s, c, rs_add_sat(c->last_id, skip));
            c->restart = false;
        }
        int rc = cursor_fetch(s, c);
        if (rc == SQLITE_ROW) {
            int64_t id = c->id;
            if (id <= c->last_id) {
                /* a damaged b-tree can answer out of order: treat it as a
                 * corrupt region, so every delivered id is larger than the
                 * last and the iteration always ends */
                rc = SQLITE_CORRUPT;
                goto corrupt;
            }
            if (skip > 0 && id > *c->hw && (uint64_t)id - (uint64_t)c->last_id > 1)
                s->cnt.dmg.lost_rows += (uint64_t)id - (uint64_t)c->last_id - 1;
            return true;
        }
        if (rc == SQLITE_DONE) {
            if (c->end == INT64_MAX) {
                c->eof = true;
                return false;
            }
            int64_t from = rs_add_sat(c->last_id, skip);
            cursor_bind(s, c, from > c->end ? from : c->end); /* the next chunk */
            continue;
        }
    corrupt:
        if (!is_corrupt(rc))
            break;
        if (skip == 0 && c->last_id >= *c->hw)
            s->cnt.dmg.corrupt_regions++;
        skip = skip ? skip * 2 : 1;
        if (skip > ((int64_t)1 << 40) || rs_add_sat(c->last_id, skip) == INT64_MAX)
            break;
        c->restart = true;
        attempt++;
    }
    c->eof = true;
    return false;
}

static void peek_frame(struct rs_reader *s)
{
    while (!s->fc.have && cursor_step(s, &s->fc)) {
        const struct rs_scan_row *r = s->frow;
        s->f_id = s->fc.id;
        s->fc.last_id = s->f_id;
        if (!r->good) {
            if (s->f_id > *s->fc.hw)
                s->cnt.dmg.bad_frames++;
            *s->fc.hw = s->f_id > *s->fc.hw ? s->f_id : *s->fc.hw;
            continue;
        }
        *s->fc.hw = s->f_id > *s->fc.hw ? s->f_id : *s->fc.hw;
        s->f_host = r->host;
        s->f_dev = r->dev;
        s->f_raw = r->raw;
        s->f_raw_len = r->len;
        s->fc.have = true;
    }
}

static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
    snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

static void peek_log(struct rs_reader *s)
{
    while (!s->lc.have && cursor_step(s, &s->lc)) {
        sqlite3_stmt *st = s->lc.st;
        s->l_id = s->lc.id;
        s->lc.last_id = s->l_id;
        s->l_after = sqlite3_column_int64(st, 1);
        s->l_kind = sqlite3_column_int(st, 2);
        s->l_host = sqlite3_column_int64(st, 3);
        s->l_dev = sqlite3_column_int64(st, 4);
        const unsigned char *type = sqlite3_column_text(st, 5);
        const unsigned char *data = sqlite3_column_text(st, 6);
        bool seen = s->l_id <= *s->lc.hw;
        *s->lc.hw = seen ? *s->lc.hw : s->l_id;
        if (!type || !data || (s->l_kind != RS_LOG_GAP && s->l_kind != RS_LOG_EVENT &&
                               s->l_kind != RS_LOG_MARK)) {
            if (!seen)
                s->cnt.dmg.bad_rows++;
            continue;
        }
        copy_text(s->l_type, sizeof s->l_type, type);
        copy_text(s->l_data, sizeof s->l_data, data);
        s->lc.have = true;
    }
}

/* The next item, frames and log rows merged in recording order, without
 * filling a frame's struct: its bytes were checked, it->raw. */
static int merge_next(struct rs_reader *s, struct rs_item *it)
{
    peek_frame(s);
    peek_log(s);
    if (!s->fc.have && !s->lc.have)
        return 0;
    /* A log row stored after frame k comes before frame k + 1. */
    if (s->lc.have && (!s->fc.have || s->l_after < s->f_id)) {
        memset(it, 0, sizeof *it);
        static const enum rs_item_kind kinds[] = { RS_ITEM_FRAME, RS_ITEM_GAP, RS_ITEM_EVENT,
                                                   RS_ITEM_MARK };
        it->kind = kinds[s->l_kind];
        it->id = s->l_id;
        it->host_us = s->l_host;
        it->dev_us = s->l_dev;
        memcpy(s->type, s->l_type, strlen(s->l_type) + 1);
        memcpy(s->data, s->l_data, strlen(s->l_data) + 1);
        it->type = s->type;
        it->json = s->data;
        s->lc.have = false;
        return 1;
    }
    it->kind = RS_ITEM_FRAME;
    it->id = s->f_id;
    it->host_us = s->f_host;
    it->dev_us = s->f_dev;
    it->raw = s->f_raw;
    it->raw_len = s->f_raw_len;
    it->json = "";
    s->fc.have = false;
    return 1;
}

int rs_reader_next(struct rs_reader *s, struct rs_item *it)
{
    int got = merge_next(s, it);
    if (got > 0 && it->kind == RS_ITEM_FRAME) {
        rs_frame_decode(it->raw, &it->frame);
        it->type = rs_frame_type_name(it->frame.type);
    }
    return got;
}

int rs_reader_readahead(struct rs_reader *s)
{
    /* the frames stepped on two more threads where there are cores for them */
    s->scan_on = s->how.path && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
    return 0;
}

long rs_reader_log(struct rs_reader *s, rs_reader_item_fn fn, void *ctx)
{
    static const enum rs_item_kind kinds[] = { RS_ITEM_FRAME, RS_ITEM_GAP, RS_ITEM_EVENT,
                                               RS_ITEM_MARK };
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, kind, host_us, dev_us, type, data FROM log"
                                  " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return 0;
    long n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int kind = sqlite3_column_int(st, 1);
        const unsigned char *type = sqlite3_column_text(st, 4);
        const unsigned char *data = sqlite3_column_text(st, 5);
        if (!type || !data || kind < RS_LOG_GAP || kind > RS_LOG_MARK)
            continue;
        struct rs_item it;
        memset(&it, 0, sizeof it);
        it.kind = kinds[kind];
        it.id = sqlite3_column_int64(st, 0);
        it.host_us = sqlite3_column_int64(st, 2);
        it.dev_us = sqlite3_column_int64(st, 3);
        it.type = (const char *)type;
        it.json = (const char *)data;
        fn(ctx, &it);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* The first frame at or after ID: its id and dev_us. The statement is
 * prepared once per reader (seek and span call this dozens of times, and
 * preparing cost far more than the lookup). */
static bool frame_at(struct rs_reader *s, int64_t id, int64_t *found, int64_t *dev)
{
    if (!s->at_st &&
        sqlite3_prepare_v2(s->db, "SELECT id, dev_us FROM frames WHERE id >= ?1 ORDER BY id LIMIT 1",
                           -1, &s->at_st, NULL) != SQLITE_OK)
        return false;
    sqlite3_reset(s->at_st);
    sqlite3_bind_int64(s->at_st, 1, id);
    bool ok = sqlite3_step(s->at_st) == SQLITE_ROW;
    if (ok) {
        *found = sqlite3_column_int64(s->at_st, 0);
        *dev = sqlite3_column_int64(s->at_st, 1);
    }
    sqlite3_reset(s->at_st);
    return ok;
}

/*
 * The recorder stores dev_us non-decreasing in id order, so a binary search
 * over rowids finds a time in O(log n) point queries, without an index.
 */
int rs_reader_seek(struct rs_reader *s, int64_t dev_us)
{
    int64_t lo = 0, hi = 0, id, dev;
    query_int(s->db, "SELECT min(id) FROM frames", &lo);
    query_int(s->db, "SELECT max(id) FROM frames", &hi);
    int64_t target = rs_add_sat(hi, 1);
    for (int guard = 0; lo <= hi && guard < 200; guard++) {
        int64_t mid = lo + (int64_t)(((uint64_t)hi - (uint64_t)lo) / 2);
        if (!frame_at(s, mid, &id, &dev) || id < mid) {
            hi = rs_sub_sat(mid, 1);
            continue;
        }
        if (dev >= dev_us) {
            target = id;
            hi = rs_sub_sat(mid, 1);
        } else {
            lo = rs_add_sat(id, 1);
        }
    }
    drop_chunk(s);
    rs_scan_free(s->scan); /* started again at the next chunk on its grid */
    s->scan = NULL;
    s->fc = (struct cursor){ .st = s->fc.st, .last_id = rs_sub_sat(target, 1), .restart = true,
                             .hw = s->fc.hw, .grid_end = last_frame_id(s->db) };
    int64_t first_log = 0;
    sqlite3_stmt *st;
    s->lc = (struct cursor){ .st = s->lc.st, .last_id = INT64_MAX - 1, .restart = true,
                             .hw = s->lc.hw, .grid_end = INT64_MIN };
    if (sqlite3_prepare_v2(s->db, "SELECT min(id) FROM log WHERE after_frame >= ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, rs_sub_sat(target, 1));
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER) {
            first_log = sqlite3_column_int64(st, 0);
            s->lc.last_id = rs_sub_sat(first_log, 1);
        }
        sqlite3_finalize(st);
    }
    return 0;
}

/* One dev_us from a query with one id parameter; false if none or unreadable. */
static bool sample_dev(sqlite3 *db, const char *sql, int64_t id, int64_t *dev)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(st, 1, id);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *dev = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ok;
}

static void span_db(struct rs_reader *s, uint64_t *frames, int64_t *first_dev_us,
                    int64_t *last_dev_us)
{
    int64_t lo = 0, hi = 0, id, d0 = 0, d1 = 0;
    *frames = 0;
    *first_dev_us = *last_dev_us = 0;
    if (query_int(s->db, "SELECT min(id) FROM frames", &lo) != SQLITE_OK || lo <= 0)
        return;
    if (query_int(s->db, "SELECT max(id) FROM frames", &hi) != SQLITE_OK) {
        /* The end of the table is damaged (e.g. truncated): binary search
         * for the last id that can still be reached. */
        int64_t a = lo, b = (int64_t)1 << 40;
        while (a < b) {
            int64_t mid = a + (b - a + 1) / 2;
            if (frame_at(s, mid, &id, &d1))
                a = mid;
            else
                b = mid - 1;
        }
        hi = a;
    }
    if (hi < lo)
        return;
    /* The span is that of the samples: frames before the first sample (the
     * info frame at connection) carry no device time of their own. */
    if (sample_dev(s->db, "SELECT dev_us FROM frames WHERE type = 2 AND id >= ?1"
                          " ORDER BY id LIMIT 1", lo, &d0) ||
        frame_at(s, lo, &id, &d0))
        *first_dev_us = d0;
    if (sample_dev(s->db, "SELECT dev_us FROM frames WHERE type = 2 AND id <= ?1"
                          " ORDER BY id DESC LIMIT 1", hi, &d1) ||
        frame_at(s, hi, &id, &d1))
        *last_dev_us = d1;
    /* Rows are never deleted, so rowids are contiguous. */
    *frames = (uint64_t)hi - (uint64_t)lo + 1;
}

int rs_reader_span(struct rs_reader *s, uint64_t *frames, int64_t *first_dev_us,
                    int64_t *last_dev_us)
{
    span_db(s, frames, first_dev_us, last_dev_us);
    return 0;
}

/* A number from a file, clamped to what can be true (a damaged or hostile
 * summary must not print 309 digits or a negative duration). */
static double clampd(double v, double lo, double hi)
{
    return !(v >= lo) ? lo : v > hi ? hi : v;
}

void rs_summary_parse(const char *json, struct rs_reader_summary *s)
{
    double v;
    /* 10 years of seconds, 100 %BW x 100: far beyond any real session. */
    if (rs_jsonq_num(json, "duration_s", &v))
        s->duration_s = clampd(v, 0, 3.2e8);
    if (rs_jsonq_num(json, "frames", &v) && v >= 0 && v < 1e18)
        s->frames = (uint64_t)v;
    if (rs_jsonq_num(json, "holds_left", &v) && v >= 0 && v < 1e6)
        s->holds[0] = (unsigned)v;
    if (rs_jsonq_num(json, "holds_right", &v) && v >= 0 && v < 1e6)
        s->holds[1] = (unsigned)v;
    if (rs_jsonq_num(json, "longest_hold_s", &v))
        s->longest_hold_s = clampd(v, 0, 3.2e8);
    if (rs_jsonq_num(json, "peak_bw_pct", &v))
        s->peak_bw_pct = clampd(v, 0, 10000);
}

int rs_summary_from_events(sqlite3 *db, struct rs_reader_summary *s)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "SELECT data FROM log WHERE kind = 2 AND type = 'hold_end'",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    s->holds[0] = s->holds[1] = 0;
    s->longest_hold_s = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        char leg[16];
        double v;
        if (!d || !rs_jsonq_str(d, "leg", leg, sizeof leg))
            continue;
        if (strcmp(leg, "left") == 0)
            s->holds[0]++;
        else if (strcmp(leg, "right") == 0)
            s->holds[1]++;
        else
            continue;
        if ((rs_jsonq_num(d, "duration", &v) || rs_jsonq_num(d, "duration_s", &v)) && v > s->longest_hold_s)
            s->longest_hold_s = clampd(v, 0, 3.2e8);
        if (rs_jsonq_num(d, "peak_bw_pct", &v) && (isnan(s->peak_bw_pct) || v > s->peak_bw_pct))
            s->peak_bw_pct = clampd(v, 0, 10000);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

const char *rs_reader_summary_json(const struct rs_reader_summary *s, char *buf, size_t cap)
{
    int n = snprintf(buf, cap,
                     "{\"duration_s\":%.3f,\"frames\":%llu,\"holds_left\":%u,\"holds_right\":%u,"
                     "\"longest_hold_s\":%.3f,\"peak_bw_pct\":",
                     s->duration_s, (unsigned long long)s->frames, s->holds[0], s->holds[1],
                     s->longest_hold_s);
    if (n < 0 || (size_t)n >= cap)
        return NULL;
    int m = isfinite(s->peak_bw_pct) ? snprintf(buf + n, cap - (size_t)n, "%.1f}", s->peak_bw_pct)
                                     : snprintf(buf + n, cap - (size_t)n, "null}");
    if (m < 0 || (size_t)(n + m) >= cap)
        return NULL;
    return buf;
}

int rs_reader_summary(struct rs_reader *s, struct rs_reader_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->peak_bw_pct = NAN;
    const char *started = rs_reader_meta(s, "started");
    double v;
    if (started && rs_jsonq_num(started, "host_us", &v))
        sum->start_host_us = rs_d2i64(v);
    if (started && rs_jsonq_num(started, "tz_offset_s", &v) && fabs(v) <= 18 * 3600)
        sum->tz_offset_s = (int)v;
    bool cal = true;
    sum->uncalibrated = (rs_jsonq_bool(rs_reader_meta(s, "calibration"), "calibrated", &cal) && !cal) ||
                        (rs_jsonq_bool(rs_reader_meta(s, "calibration_start"), "calibrated", &cal) &&
                         !cal);
    const char *stored = rs_reader_meta(s, "summary");
    if (stored) {
        rs_summary_parse(stored, sum);
        sum->complete = true;
        return 0;
    }
    int64_t d0, d1;
    span_db(s, &sum->frames, &d0, &d1);
    sum->duration_s = ((double)d1 - (double)d0) / 1e6;
    rs_summary_from_events(s->db, sum);
    return 0;
}

void rs_reader_get_damage(const struct rs_reader *s, struct rs_reader_damage *d)
{
    *d = s->cnt.dmg;
}

const char *rs_reader_damage_message(struct rs_reader *s)
{
    struct rs_reader_damage dm;
    rs_reader_get_damage(s, &dm);
    const struct rs_reader_damage *d = &dm;
    if (!d->bad_frames && !d->bad_rows && !d->corrupt_regions && !d->meta_lost &&
        !d->truncated_bytes)
        return NULL;
    char *p = s->dmg_msg;
    size_t cap = sizeof s->dmg_msg;
    int n = snprintf(p, cap, "damaged session file:");
    const char *sep = " ";
    if (d->truncated_bytes) {
        n += snprintf(p + n, cap - (size_t)n,
                      "%struncated (%llu KiB missing at the end, the frames stored there are lost)",
                      sep, (unsigned long long)(d->truncated_bytes + 1023) / 1024);
        sep = "; ";
    }
    if (d->corrupt_regions && n >= 0 && (size_t)n < cap) {
        n += snprintf(p + n, cap - (size_t)n,
                      "%s%llu corrupt region%s skipped (%llu rows known lost, more may be)", sep,
                      (unsigned long long)d->corrupt_regions, d->corrupt_regions == 1 ? "" : "s",
                      (unsigned long long)d->lost_rows);
        sep = "; ";
    }
    if (d->bad_frames && n >= 0 && (size_t)n < cap) {
        n += snprintf(p + n, cap - (size_t)n, "%s%llu frame%s failed the checksum and %s skipped",
                      sep, (unsigned long long)d->bad_frames, d->bad_frames == 1 ? "" : "s",
                      d->bad_frames == 1 ? "was" : "were");
        sep = "; ";
    }
    if (d->bad_rows && n >= 0 && (size_t)n < cap) {
        n += snprintf(p + n, cap - (size_t)n, "%s%llu unreadable event/meta row%s skipped", sep,
                      (unsigned long long)d->bad_rows, d->bad_rows == 1 ? "" : "s");
        sep = "; ";
    }
    if (d->meta_lost && n >= 0 && (size_t)n < cap)
        snprintf(p + n, cap - (size_t)n, "%sthe snapshot (device, calibration, profile) is lost",
                 sep);
    return s->dmg_msg;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rs_reader_list(const char *dir, rs_reader_list_fn fn, void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    size_t n = 0, cap = 0;
    char **names = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= 9 || strcmp(e->d_name + len - 9, ".rsession") != 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn)
                break;
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        char path[1024], msg[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct rs_reader *s;
        if (rs_reader_open(&s, path, msg, sizeof msg) != 0) {
            fn(ctx, path, NULL, msg);
        } else {
            struct rs_reader_summary sum;
            rs_reader_summary(s, &sum);
            fn(ctx, path, &sum, rs_reader_damage_message(s));
            rs_reader_close(s);
        }
        free(names[i]);
    }
    free(names);
    return (int)n;
}
