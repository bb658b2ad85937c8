/*
 * rs_readahead.h - an item iterator run ahead on a second thread (internal
 * to host/record: the session reader's read-ahead, rs_reader_readahead).
 *
 * The worker thread calls the iterator's NEXT and writes what it returns
 * into blocks of items (RS_RA_ITEMS each, RS_RA_BLOCKS in flight), with the
 * frame bytes and strings copied into the block; the consumer takes them in
 * the same order. The two meet once per block (a mutex and two condition
 * variables), never per item. What NEXT counts as it goes (struct
 * rs_ra_count: the damage counters and the high-water marks that keep a
 * reread from counting damage twice) is kept with the block's items, so
 * the consumer sees, after each item, exactly the counters a caller of
 * NEXT would have seen after that call, and dropping what was read ahead
 * (a seek) rolls the counts back to the last item delivered.
 *
 * The iterator's state (NEXT's context, the count) belongs to the worker
 * while it runs: pause (or discard) before touching it on the consumer's
 * side.
 */
#ifndef RS_READAHEAD_H
#define RS_READAHEAD_H

#include <stdbool.h>

#include "rs_reader.h"

#define RS_RA_ITEMS 1024
/* 32 blocks of 128 KiB: a ring larger than a core's L2 cache, so that the
 * slots the worker writes are no longer in the consumer's cache (a write to
 * a line another core holds waits for that core; with 4 blocks the worker
 * took up to 1.7 times as long on this 2-core virtual machine). */
#define RS_RA_BLOCKS 32
/* Longest strings of one item (type and json, terminators included); the
 * strings of frames are not kept: the consumer names the frame). */
#define RS_RA_TEXT_ITEM (128 + 8192)

/* What the iterator counts: its damage counters and two high-water marks
 * (the highest frame and log row examined). */
struct rs_ra_count {
    struct rs_reader_damage dmg;
    int64_t hw[2];
};

/* One item of the iteration: 1 and *it, 0 at the end (as rs_reader_next).
 * A frame comes as its bytes (raw, raw_len; json ""): its struct and type
 * name are left to the consumer. The strings of other items are copied. */
typedef int (*rs_ra_next_fn)(void *ctx, struct rs_item *it);

struct rs_readahead;

/* NULL if out of memory. Nothing runs until the first rs_readahead_next. */
struct rs_readahead *rs_readahead_new(rs_ra_next_fn next, void *ctx, struct rs_ra_count *cnt);
/* Stops the worker (joined); the queued items are dropped. */
void rs_readahead_free(struct rs_readahead *ra);

/*
 * The next item, in NEXT's order: 1 and *it (its bytes and strings valid
 * until the next call), or 0 at the end. Starts the worker when nothing is
 * queued; if the thread cannot be started, calls NEXT itself.
 */
int rs_readahead_next(struct rs_readahead *ra, struct rs_item *it);

/* Stop the worker (joined) so the iterator's state may be used; the items
 * already queued are still delivered. Resume restarts it unless the end
 * was reached. */
void rs_readahead_pause(struct rs_readahead *ra);
void rs_readahead_resume(struct rs_readahead *ra);
/* Pause and drop the queued items (the iterator is about to be moved):
 * the count goes back to what it was after the last item delivered. */
void rs_readahead_discard(struct rs_readahead *ra);

/* The damage counters as of the last item delivered. */
void rs_readahead_damage(const struct rs_readahead *ra, struct rs_reader_damage *d);

#endif
