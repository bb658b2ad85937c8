/*
 * rs_scan.c - the frames table stepped ahead by worker threads (see
 * rs_scan.h).
 *
 * The workers claim chunks in order from a shared counter, so a worker on
 * a faster core does more of them (one vCPU of a virtual machine can run
 * at half the speed of the other for minutes), and fill chunk k into
 * buffer (k - first) % nbuf once the reader has given back chunk k - nbuf
 * from it (its turn is k). The reader takes chunks in increasing order and
 * gives each back before it takes the next. A buffer's rows belong to its
 * worker from its turn until marked full, then to the reader until given
 * back; claim, turn, full, k and alive change under the mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rs_bigread.h"
#include "rs_btfile.h"
#include "rs_scan.h"

#define SCAN_THREADS_MAX 4

struct scan_buf {
    int64_t k;    /* the chunk held when full */
    int64_t turn; /* the chunk it is for next: a worker may fill it then */
    int n, rc;
    bool full;
    struct rs_scan_row *rows; /* RS_SCAN_CHUNK */
};

struct rs_scan {
    struct rs_scan_open how;
    int64_t first, last, grid_end; /* the chunks first..last */
    int threads, nbuf;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    bool stop;           /* the workers are to return */
    int64_t claim;       /* the next chunk a worker will fill */
    int alive;           /* workers that have not returned */
    int64_t next;        /* the reader's: the first chunk not yet taken or dropped */
    int64_t by_pages, by_query; /* chunks filled from the file's pages, by the query */
    struct scan_buf *taken;
    pthread_t thread[SCAN_THREADS_MAX];
    bool started[SCAN_THREADS_MAX];
    struct scan_buf buf[RS_SCAN_BUFS_MAX];
};

int64_t rs_scan_chunk_end(int64_t from, int64_t grid_end)
{
    if (from >= grid_end || from > INT64_MAX - RS_SCAN_CHUNK)
        return INT64_MAX;
    int64_t end = from < 0 ? 0 : (from / RS_SCAN_CHUNK + 1) * RS_SCAN_CHUNK;
    return end < grid_end ? end : INT64_MAX;
}

/* The row of values V (id, host_us, dev_us, raw) into R. */
static void row_values(sqlite3_value **v, struct rs_scan_row *r)
{
    sqlite3_value *host = v[1], *dev = v[2], *rv = v[3];
    r->id = sqlite3_value_int64(v[0]);
    bool ints = sqlite3_value_type(host) == SQLITE_INTEGER &&
                sqlite3_value_type(dev) == SQLITE_INTEGER;
    r->host = sqlite3_value_int64(host);
    r->dev = sqlite3_value_int64(dev);
    const void *raw = sqlite3_value_blob(rv);
    int n = sqlite3_value_bytes(rv);
    r->good = raw && n >= 6 && n <= (int)RS_FRAME_MAX && ints &&
              rs_frame_check(raw, (size_t)n) == RS_DEC_OK;
    r->len = r->good ? (uint8_t)n : 0;
    if (r->good)
        memcpy(r->raw, raw, (size_t)n);
}

void rs_scan_row_read(sqlite3_stmt *st, struct rs_scan_row *r)
{
    /* each value once (the statement is on one thread: unprotected is fine) */
    sqlite3_value *v[4];
    for (int i = 0; i < 4; i++)
        v[i] = sqlite3_column_value(st, i);
    row_values(v, r);
}

/* Where the rows of a worker's chunk go: its aggregate function
 * (COLLECT_SQL) is called once per row, which costs SQLite a quarter less
 * than stepping the query and reading its columns (no result row, no
 * column calls), over the same b-tree cursor in the same rowid order. */
struct collect {
    struct scan_buf *b;
    bool full;  /* a row came when the buffer was full: the query was stopped */
};

#define COLLECT_SQL "SELECT rs_scan_collect(id, host_us, dev_us, raw) FROM frames WHERE id > ?1 AND id <= ?2"

static void collect_step(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    struct collect *c = sqlite3_user_data(ctx);
    (void)argc;
    if (c->b->n == RS_SCAN_CHUNK) {
        c->full = true;
        sqlite3_result_error(ctx, "chunk buffer full", -1); /* stops the query */
        return;
    }
    row_values(v, &c->b->rows[c->b->n++]);
}

static void collect_final(sqlite3_context *ctx)
{
    sqlite3_result_null(ctx);
}

/* A code the reader would meet at the same row whoever stepped: the end,
 * or an error in the file's bytes. Anything else (out of memory, a busy
 * or failing disk) may be this connection's alone. */
static bool final_code(int rc)
{
    int p = rc & 0xff;
    return rc == SQLITE_DONE || p == SQLITE_CORRUPT || p == SQLITE_NOTADB ||
           p == SQLITE_FORMAT || p == SQLITE_TOOBIG || p == SQLITE_MISMATCH;
}

/* A worker's connection: COLLECT_SQL (calling into col), and the file for
 * reading pages (NULL: the query reads every chunk). */
struct conn {
    sqlite3 *db;
    sqlite3_stmt *st;
    struct collect col;
    struct rs_btfile *pages;
};

/* Inside C's read transaction: the rows FROM < id <= END into B read from
 * the file's pages (rs_btfile.h); false leaves the chunk to the query. */
static bool fill_from_pages(struct conn *c, int64_t from, int64_t end, struct scan_buf *b)
{
    uint32_t root = rs_btfile_root(c->db); /* takes the transaction's snapshot */
    if (root == 0 || !rs_btfile_rows(c->pages, root, from, end, b->rows))
        return false;
    b->n = (int)(end - from);
    b->rc = SQLITE_DONE;
    return true;
}

/* Chunk K's rows into B by the query (inside C's transaction if one is open). */
static void fill_by_query(struct conn *c, int64_t from, int64_t end, struct scan_buf *b)
{
    sqlite3_reset(c->st);
    sqlite3_bind_int64(c->st, 1, from);
    sqlite3_bind_int64(c->st, 2, end);
    b->n = 0;
    c->col.b = b;
    c->col.full = false;
    int rc = sqlite3_step(c->st); /* the aggregate's one row once every row was collected */
    b->rc = rc == SQLITE_ROW ? SQLITE_DONE : !c->col.full && final_code(rc) ? rc : RS_SCAN_MORE;
    sqlite3_reset(c->st); /* ends the read transaction when no BEGIN opened one */
}

/* Chunk K's rows into B: from the file's pages when it can be (a chunk with
 * an end, read in one transaction with the root page), else by the query.
 * True when the pages gave it. */
static bool fill(struct rs_scan *sc, struct conn *c, int64_t k, struct scan_buf *b)
{
    int64_t from = k * RS_SCAN_CHUNK, end = rs_scan_chunk_end(from, sc->grid_end);
    bool txn = c->pages && end != INT64_MAX &&
               sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    bool pages = txn && fill_from_pages(c, from, end, b);
    if (!pages)
        fill_by_query(c, from, end, b);
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    return pages;
}

/* C's connection opened as the reader's was, with COLLECT_SQL prepared to
 * collect into c->col, and the file for reading pages unless the reader
 * needed relaxed schema checks (a damaged file: SQLite reads all of it). */
static bool open_conn(const struct rs_scan_open *how, struct conn *c)
{
    *c = (struct conn){ 0 };
    /* through the VFS that reads the file 256 KiB at a time (rs_bigread.h) */
    if (sqlite3_open_v2(how->path, &c->db, how->flags | SQLITE_OPEN_NOMUTEX, rs_bigread_vfs()) !=
        SQLITE_OK)
        return false;
    sqlite3_extended_result_codes(c->db, 1);
    /* connections opened together: one rebuilds a WAL index, the others
     * wait for it instead of failing with SQLITE_BUSY_RECOVERY */
    sqlite3_busy_timeout(c->db, RS_SCAN_BUSY_MS);
    /* a worker reads each leaf page once (the pages on its cursor's path
     * are held by the cursor): a cache of 16 pages, not SQLite's 2 MiB,
     * which was 500 pages of fresh memory to fault in per worker */
    sqlite3_exec(c->db, "PRAGMA cache_size=16", NULL, NULL, NULL);
    if (how->relaxed)
        sqlite3_exec(c->db, "PRAGMA writable_schema=ON", NULL, NULL, NULL);
    else
        c->pages = rs_btfile_open(c->db);
    return sqlite3_create_function_v2(c->db, "rs_scan_collect", 4,
                                      SQLITE_UTF8 | SQLITE_DIRECTONLY, &c->col, NULL,
                                      collect_step, collect_final, NULL) == SQLITE_OK &&
           sqlite3_prepare_v2(c->db, COLLECT_SQL, -1, &c->st, NULL) == SQLITE_OK;
}

static void close_conn(struct conn *c)
{
    rs_btfile_close(c->pages);
    sqlite3_finalize(c->st);
    sqlite3_close(c->db);
}

/* Under mu: claim the next chunk and wait until its buffer is free: the
 * buffer, or NULL when there is none to fill or the scan stops. */
static struct scan_buf *claim(struct rs_scan *sc, int64_t *k)
{
    if (sc->stop || sc->claim > sc->last)
        return NULL;
    *k = sc->claim++;
    struct scan_buf *b = &sc->buf[(*k - sc->first) % sc->nbuf];
    /* not merely "not full": chunk k - nbuf may still be being filled */
    while (b->turn != *k && !sc->stop)
        pthread_cond_wait(&sc->freed, &sc->mu);
    return sc->stop ? NULL : b;
}

static void *work(void *arg)
{
    struct rs_scan *sc = arg;
    struct conn c;
    bool ok = open_conn(&sc->how, &c);
    pthread_mutex_lock(&sc->mu);
    struct scan_buf *b;
    int64_t k;
    while (ok && (b = claim(sc, &k)) != NULL) {
        pthread_mutex_unlock(&sc->mu);
        bool pages = fill(sc, &c, k, b);
        pthread_mutex_lock(&sc->mu);
        sc->by_pages += pages;
        sc->by_query += !pages;
        b->k = k;
        b->full = true;
        pthread_cond_broadcast(&sc->filled);
    }
    sc->alive--;
    pthread_cond_broadcast(&sc->filled);
    pthread_mutex_unlock(&sc->mu);
    close_conn(&c);
    return NULL;
}

/* The buffers, the copy of the path: false if out of memory. */
static bool alloc_scan(struct rs_scan *sc, const struct rs_scan_open *how)
{
    sc->how = *how;
    sc->how.path = strdup(how->path);
    if (!sc->how.path)
        return false;
    for (int b = 0; b < sc->nbuf; b++) {
        sc->buf[b].turn = sc->first + b;
        sc->buf[b].rows = malloc(RS_SCAN_CHUNK * sizeof(struct rs_scan_row));
        if (!sc->buf[b].rows)
            return false;
    }
    return true;
}

struct rs_scan *rs_scan_new(const struct rs_scan_open *how, int64_t first, int64_t grid_end,
                            int threads, int bufs)
{
    struct rs_scan *sc = calloc(1, sizeof *sc);
    if (!sc || first < 0)
        return free(sc), NULL;
    sc->threads = threads < 1 ? 1 : threads > SCAN_THREADS_MAX ? SCAN_THREADS_MAX : threads;
    sc->nbuf = bufs < sc->threads ? sc->threads : bufs > RS_SCAN_BUFS_MAX ? RS_SCAN_BUFS_MAX : bufs;
    sc->first = sc->next = sc->claim = first;
    sc->grid_end = grid_end;
    sc->last = grid_end > 0 ? (grid_end - 1) / RS_SCAN_CHUNK : 0;
    pthread_mutex_init(&sc->mu, NULL);
    pthread_cond_init(&sc->filled, NULL);
    pthread_cond_init(&sc->freed, NULL);
    bool ok = alloc_scan(sc, how);
    pthread_mutex_lock(&sc->mu);
    for (int i = 0; ok && i < sc->threads; i++) {
        sc->started[i] = pthread_create(&sc->thread[i], NULL, work, sc) == 0;
        sc->alive += sc->started[i];
    }
    pthread_mutex_unlock(&sc->mu);
    if (!ok || sc->alive == 0) {
        rs_scan_free(sc);
        return NULL;
    }
    return sc;
}

void rs_scan_free(struct rs_scan *sc)
{
    if (!sc)
        return;
    pthread_mutex_lock(&sc->mu);
    sc->stop = true;
    pthread_cond_broadcast(&sc->freed);
    pthread_mutex_unlock(&sc->mu);
    for (int i = 0; i < sc->threads; i++)
        if (sc->started[i])
            pthread_join(sc->thread[i], NULL);
    for (int b = 0; b < sc->nbuf; b++)
        free(sc->buf[b].rows);
    pthread_mutex_destroy(&sc->mu);
    pthread_cond_destroy(&sc->filled);
    pthread_cond_destroy(&sc->freed);
    free((char *)sc->how.path);
    free(sc);
}

/* Under mu: give B back to the workers, for the chunk nbuf after its own. */
static void give_back(struct rs_scan *sc, struct scan_buf *b)
{
    b->full = false;
    b->turn = b->k + sc->nbuf;
    pthread_cond_broadcast(&sc->freed);
}

bool rs_scan_take(struct rs_scan *sc, int64_t k, const struct rs_scan_row **rows, int *n,
                  int *rc)
{
    if (sc->taken)
        rs_scan_release(sc);
    if (k < sc->next || k > sc->last)
        return false;
    pthread_mutex_lock(&sc->mu);
    for (;;) {
        struct scan_buf *b = &sc->buf[(sc->next - sc->first) % sc->nbuf];
        while (!(b->full && b->k == sc->next) && sc->alive > 0)
            pthread_cond_wait(&sc->filled, &sc->mu);
        if (!(b->full && b->k == sc->next)) {
            sc->next = sc->last + 1; /* no worker could open the file: none */
            break;
        }
        if (sc->next++ == k) {
            sc->taken = b;
            *rows = b->rows;
            *n = b->n;
            *rc = b->rc;
            break;
        }
        give_back(sc, b);
    }
    pthread_mutex_unlock(&sc->mu);
    return sc->taken != NULL;
}

void rs_scan_release(struct rs_scan *sc)
{
    if (!sc->taken)
        return;
    pthread_mutex_lock(&sc->mu);
    give_back(sc, sc->taken);
    sc->taken = NULL;
    pthread_mutex_unlock(&sc->mu);
}

void rs_scan_counts(struct rs_scan *sc, int64_t *by_pages, int64_t *by_query)
{
    pthread_mutex_lock(&sc->mu);
    *by_pages = sc->by_pages;
    *by_query = sc->by_query;
    pthread_mutex_unlock(&sc->mu);
}
