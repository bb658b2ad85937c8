/*
 * rs_bigread.h - a SQLite VFS for connections that read a file from start
 * to end (internal to host/record: the scan workers).
 *
 * SQLite reads one page (4 KiB) per pread, and a 10-hour session is
 * 38,000 pages. On the 2-core virtual machine analyze is measured on, a
 * system call costs microseconds: analyze spent 0.11 s of its 0.67 s CPU
 * in the kernel. This VFS reads the main database file in blocks of
 * 256 KiB instead and keeps the last block for the transaction that read
 * it: 0.08 s and 0.60 s (docs/performance.md). 64 KiB did as well, 1 MiB
 * worse.
 */
#ifndef RS_BIGREAD_H
#define RS_BIGREAD_H

#include <sqlite3.h>

/* The VFS's name for sqlite3_open_v2, registered on the first call; NULL
 * if it could not be (then open with the default). */
const char *rs_bigread_vfs(void);

#endif
