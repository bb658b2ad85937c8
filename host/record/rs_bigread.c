/*
 * rs_bigread.c - a SQLite VFS that reads the database file in large blocks
 * (see rs_bigread.h).
 *
 * It wraps the default VFS. A main database file opened through it keeps
 * one block of BLOCK bytes: a read inside the block is copied from it, a
 * read outside it reads the aligned block around it with one pread (and a
 * read the block cannot serve, past the end of the file or after a read
 * error in the block, goes to the file as it would without this VFS).
 * The block is forgotten whenever the connection takes a lock (every
 * transaction begins with xLock, and in WAL mode with xShmLock on a read
 * mark) and on every write, so its bytes are only used within the
 * transaction that read them: SQLite does not let a checkpoint or another
 * connection change the pages of the file that a reader may read while
 * its transaction lasts (what makes its own mmap safe). test_bigread
 * fails without any one of the three.
 */
#include "rs_bigread.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BIGREAD_NAME "rs_bigread"
#define BLOCK (256 * 1024)

struct big_file {
    sqlite3_file base; /* pMethods: big_io, or NULL until the real file is open */
    sqlite3_file *real; /* the default VFS's file, allocated after this struct */
    unsigned char *block;
    sqlite3_int64 at;   /* file offset of block[0] */
    int len;            /* valid bytes in block; 0: none */
};

static sqlite3_vfs big_vfs;
static sqlite3_vfs *inner;
static sqlite3_io_methods big_io;

static struct big_file *big(sqlite3_file *f)
{
    return (struct big_file *)f;
}

static void forget(struct big_file *b)
{
    b->len = 0;
}

/* The block that holds offset OFF, as far as the file goes: read it;
 * false if it cannot be (then there is none). */
static bool load(struct big_file *b, sqlite3_int64 off)
{
    forget(b);
    sqlite3_int64 at = off - off % BLOCK; /* a read across two blocks is not inside */
    if (!b->block && !(b->block = malloc(BLOCK)))
        return false;
    sqlite3_int64 size;
    if (b->real->pMethods->xFileSize(b->real, &size) != SQLITE_OK || at >= size)
        return false;
    int len = size - at < BLOCK ? (int)(size - at) : BLOCK;
    if (b->real->pMethods->xRead(b->real, b->block, len, at) != SQLITE_OK)
        return false;
    b->at = at;
    b->len = len;
    return true;
}

static bool inside(const struct big_file *b, sqlite3_int64 off, int n)
{
    return b->len > 0 && off >= b->at && off + n <= b->at + b->len;
}

static int big_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    struct big_file *b = big(f);
    if (inside(b, off, n) || (load(b, off) && inside(b, off, n))) {
        memcpy(p, b->block + (off - b->at), (size_t)n);
        return SQLITE_OK;
    }
    return b->real->pMethods->xRead(b->real, p, n, off);
}

static int big_close(sqlite3_file *f)
{
    struct big_file *b = big(f);
    int rc = b->real->pMethods ? b->real->pMethods->xClose(b->real) : SQLITE_OK;
    free(b->block);
    b->block = NULL;
    return rc;
}

static int big_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    forget(big(f));
    return big(f)->real->pMethods->xWrite(big(f)->real, p, n, off);
}

static int big_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return big(f)->real->pMethods->xTruncate(big(f)->real, size);
}

static int big_sync(sqlite3_file *f, int flags)
{
    return big(f)->real->pMethods->xSync(big(f)->real, flags);
}

static int big_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return big(f)->real->pMethods->xFileSize(big(f)->real, size);
}

static int big_lock(sqlite3_file *f, int lock)
{
    forget(big(f));
    return big(f)->real->pMethods->xLock(big(f)->real, lock);
}

static int big_unlock(sqlite3_file *f, int lock)
{
    return big(f)->real->pMethods->xUnlock(big(f)->real, lock);
}

static int big_check_lock(sqlite3_file *f, int *out)
{
    return big(f)->real->pMethods->xCheckReservedLock(big(f)->real, out);
}

static int big_control(sqlite3_file *f, int op, void *arg)
{
    return big(f)->real->pMethods->xFileControl(big(f)->real, op, arg);
}

static int big_sector(sqlite3_file *f)
{
    return big(f)->real->pMethods->xSectorSize(big(f)->real);
}

static int big_device(sqlite3_file *f)
{
    return big(f)->real->pMethods->xDeviceCharacteristics(big(f)->real);
}

static int big_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **p)
{
    return big(f)->real->pMethods->xShmMap(big(f)->real, pg, pgsz, extend, p);
}

static int big_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    forget(big(f));
    return big(f)->real->pMethods->xShmLock(big(f)->real, offset, n, flags);
}

static void big_shm_barrier(sqlite3_file *f)
{
    big(f)->real->pMethods->xShmBarrier(big(f)->real);
}

static int big_shm_unmap(sqlite3_file *f, int del)
{
    return big(f)->real->pMethods->xShmUnmap(big(f)->real, del);
}

static int big_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
    *p = NULL; /* no mapping: every read comes through big_read */
    (void)f, (void)off, (void)n;
    return SQLITE_OK;
}

static int big_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    (void)f, (void)off, (void)p;
    return SQLITE_OK;
}

static int big_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_MAIN_DB))
        return inner->xOpen(inner, name, f, flags, out);
    struct big_file *b = big(f);
    memset(b, 0, sizeof *b);
    b->real = (sqlite3_file *)(b + 1);
    int rc = inner->xOpen(inner, name, b->real, flags, out);
    if (rc != SQLITE_OK || !b->real->pMethods)
        return rc;
    if (b->real->pMethods->iVersion < 3) { /* no shared memory to pass on */
        b->real->pMethods->xClose(b->real);
        return SQLITE_CANTOPEN;
    }
    b->base.pMethods = &big_io;
    return SQLITE_OK;
}

static sqlite3_io_methods big_io = {
    .iVersion = 3,
    .xClose = big_close,
    .xRead = big_read,
    .xWrite = big_write,
    .xTruncate = big_truncate,
    .xSync = big_sync,
    .xFileSize = big_size,
    .xLock = big_lock,
    .xUnlock = big_unlock,
    .xCheckReservedLock = big_check_lock,
    .xFileControl = big_control,
    .xSectorSize = big_sector,
    .xDeviceCharacteristics = big_device,
    .xShmMap = big_shm_map,
    .xShmLock = big_shm_lock,
    .xShmBarrier = big_shm_barrier,
    .xShmUnmap = big_shm_unmap,
    .xFetch = big_fetch,
    .xUnfetch = big_unfetch,
};

static bool registered;

static void register_once(void)
{
    inner = sqlite3_vfs_find(NULL);
    if (!inner)
        return;
    big_vfs = *inner;
    big_vfs.zName = BIGREAD_NAME;
    big_vfs.szOsFile = (int)sizeof(struct big_file) + inner->szOsFile;
    big_vfs.xOpen = big_open;
    big_vfs.pNext = NULL;
    registered = sqlite3_vfs_register(&big_vfs, 0) == SQLITE_OK;
}

const char *rs_bigread_vfs(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_once);
    return registered ? BIGREAD_NAME : NULL;
}
