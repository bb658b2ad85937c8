/*
 * rs_btfile.h - a chunk of the frames table read from the session file's
 * pages with rs_btree.h, for a scan worker (internal to host/record).
 *
 * Why: stepping SQLite's query is most of a scan worker's time; parsing
 * the same leaf pages here is several times cheaper (docs/performance.md).
 * What makes it safe:
 * - It reads only while the caller holds a read transaction on the same
 *   connection, and only when the file's write-ahead log is empty then. A
 *   reader whose snapshot has no log frames holds SQLite's read lock 0,
 *   which keeps every checkpoint from writing to the file, so the pages
 *   read here are that snapshot's, unchanged until the transaction ends.
 *   When the log holds frames the rows may be there, and SQLite reads them.
 * - The pages are read through the connection's own file handle: a file
 *   descriptor of our own, once closed, would drop every POSIX lock the
 *   process holds on the file, SQLite's included.
 * - rs_btree.h accepts only well-formed pages, keys in order inside the
 *   bounds their parents give, and exactly the rows of the chunk, each a
 *   good frames row, on every page SQLite's query reads for the chunk (the
 *   leaf of FROM, where its seek lands, to the leaf of the first row past
 *   END, where it stops). rs_btfile_root checks the table's columns. Anything else is
 *   left to SQLite's own query, so the rows and errors the reader gets are
 *   SQLite's whenever there is doubt. fuzz_btree compares the two on
 *   damaged files.
 */
#ifndef RS_BTFILE_H
#define RS_BTFILE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "rs_scan.h"

struct rs_btfile;

/*
 * Inside a read transaction on DB: the frames table's root page, or 0 when
 * its pages must not be read here: no such table, or its first five
 * columns are not id (INTEGER PRIMARY KEY, the rowid), host_us, dev_us,
 * type, raw, stored in that order (the records are read by position).
 * Starts the transaction's snapshot if it has none yet.
 */
uint32_t rs_btfile_root(sqlite3 *db);

/* Page reading on the database file of connection DB (through DB's own
 * handle on it, valid while DB is open), or NULL if memory is short or DB
 * has no file. */
struct rs_btfile *rs_btfile_open(sqlite3 *db);
void rs_btfile_close(struct rs_btfile *f);

/*
 * The rows FROM < rowid <= END (END - FROM of them, 1 to RS_SCAN_CHUNK) of
 * the table whose root page is ROOT into ROWS: true when every one was read
 * from the pages and is good. Call it inside a read transaction on the
 * connection it was opened on; false (ROWS then undefined) means: run the
 * query.
 */
bool rs_btfile_rows(struct rs_btfile *f, uint32_t root, int64_t from, int64_t end,
                    struct rs_scan_row *rows);

#endif
