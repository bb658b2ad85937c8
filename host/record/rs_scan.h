/*
 * rs_scan.h - the frames table stepped ahead by worker threads, a chunk of
 * rowids each (internal to host/record: the session reader's parallel scan,
 * turned on by rs_reader_readahead).
 *
 * The reader's frames cursor steps its query in chunks of RS_SCAN_CHUNK
 * rowids: (from, rs_scan_chunk_end(from, grid_end)], where grid_end is the
 * last rowid when the scan began and the chunk that holds it is open-ended.
 * A chunk that starts on the grid (from = k * RS_SCAN_CHUNK) is the same
 * query whoever runs it, so the workers run chunks k, k + 1, ... on
 * connections of their own (the next chunk to whichever is free), and the
 * reader takes each chunk's rows (and the code its last step returned) in
 * place of stepping it: the same rows, in the same order, with the same
 * error at the same place. A worker reads a chunk straight from the
 * table's b-tree pages when it safely can (rs_btfile.h), which gives the
 * same rows for a fraction of the cost, and steps the query otherwise. The reader's damage rules run on them
 * unchanged, on its own thread. A chunk it cannot take (no worker could
 * open the file, the chunk was started off the grid after a damaged region
 * or a seek, or already dropped) it steps itself, and so the rest of one a
 * worker could not finish (RS_SCAN_MORE).
 */
#ifndef RS_SCAN_H
#define RS_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "rs_proto.h"

#define RS_SCAN_CHUNK 8192

/* The frames cursor's query: ?1 < id <= ?2. */
#define RS_SCAN_SQL "SELECT id, host_us, dev_us, raw FROM frames WHERE id > ?1 AND id <= ?2 ORDER BY id"

/* How long a connection waits for another that is rebuilding the WAL
 * index of the file (several connections open it at once). */
#define RS_SCAN_BUSY_MS 5000

/* A chunk's rows ran past what a worker holds (only the open-ended last
 * chunk of a file still growing can): step on from the last row taken. */
#define RS_SCAN_MORE (-1)

/* One frames row, read and checked (good: integer clocks and a frame whose
 * length and CRC-32 are right; raw is kept only then). */
struct rs_scan_row {
    int64_t id, host, dev;
    bool good;
    uint8_t len;
    uint8_t raw[RS_FRAME_MAX];
};

/* How the reader opened its connection, for the workers to do the same. */
struct rs_scan_open {
    const char *path;
    int flags;     /* SQLITE_OPEN_* */
    bool relaxed;  /* PRAGMA writable_schema=ON was needed */
};

/* The last rowid of the chunk of ids above FROM. */
int64_t rs_scan_chunk_end(int64_t from, int64_t grid_end);

/* The row ST (RS_SCAN_SQL) is on, into R. */
void rs_scan_row_read(sqlite3_stmt *st, struct rs_scan_row *r);

struct rs_scan;

/* The most chunk buffers a scan has (each holds RS_SCAN_CHUNK rows). */
#define RS_SCAN_BUFS_MAX 32

/*
 * The session reader's scan: two workers (as many as the two cores
 * analyze and export are measured on), and sixteen chunk buffers between
 * them, about 12 MiB in all. The reader's own work per chunk varies (a
 * hold's edge fits are bursts of work), and with four buffers the workers
 * stopped for a free one often enough to leave a core idle 15 % of the
 * time: analyze of a 10-hour session took 0.47 s against 0.42 s with
 * sixteen, measured alternately on the same file (docs/performance.md).
 * More did not help.
 */
#define RS_SCAN_READER_THREADS 2
#define RS_SCAN_READER_BUFS 16

/* THREADS workers (1 to 4) over the chunks from FIRST on (grid_end as
 * above), filling up to BUFS chunks (THREADS to RS_SCAN_BUFS_MAX) ahead of
 * the reader; NULL if out of memory or no thread could start. */
struct rs_scan *rs_scan_new(const struct rs_scan_open *how, int64_t first, int64_t grid_end,
                            int threads, int bufs);
/* Stops the workers (joined) and closes their connections. */
void rs_scan_free(struct rs_scan *sc);

/*
 * Chunk K: true with its rows (*rows, *n, valid until rs_scan_release) and
 * the code its last step returned (*rc: SQLITE_DONE, an error, or
 * RS_SCAN_MORE), waiting for a worker if need be; chunks before K are
 * dropped. False if the scan does not have K (then nor any chunk before).
 */
bool rs_scan_take(struct rs_scan *sc, int64_t k, const struct rs_scan_row **rows, int *n,
                  int *rc);
/* Give the chunk taken last back to its worker. */
void rs_scan_release(struct rs_scan *sc);

/* The chunks the workers have filled so far from the file's pages
 * (rs_btfile.h) and by the query. */
void rs_scan_counts(struct rs_scan *sc, int64_t *by_pages, int64_t *by_query);

#endif
