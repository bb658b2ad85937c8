/*
 * rs_readahead.c - an item iterator run ahead on a second thread (see
 * rs_readahead.h).
 *
 * A ring of RS_RA_BLOCKS blocks: the worker fills the block after the
 * last full one, the consumer delivers the oldest full one (head) item by
 * item and gives it back when it moves on. head and count change under
 * the mutex; a block's contents belong to the worker until counted full,
 * then to the consumer until given back.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rs_readahead.h"

#define RA_DMG 8             /* damage changes recorded per block */
#define RA_TEXT (64 * 1024)  /* the strings of a block's log items */
#define RA_LINE 64           /* a cache line */

/* One item as the consumer needs it, kept small: every byte written here
 * crosses from one core's cache to the other's. */
struct ra_slot {
    int64_t id, host_us, dev_us;
    int64_t hw[2];          /* the high-water marks after the call that made it */
    const char *type, *json; /* log items: in the block's chars */
    uint8_t kind, raw_len;
    uint8_t raw[RS_FRAME_MAX]; /* frames */
};

struct ra_block {
    int n;          /* items */
    bool end;       /* NEXT returned 0 after them (slot[n].hw: the marks then) */
    int ndmg;
    struct {
        int at;     /* the counters after call AT of this block (AT == n: the end) */
        struct rs_reader_damage d;
    } dmg[RA_DMG];
    size_t text;    /* bytes of chars used */
    struct ra_slot slot[RS_RA_ITEMS];
    char chars[RA_TEXT];
};

struct rs_readahead {
    rs_ra_next_fn next;
    void *ctx;
    struct rs_ra_count *cnt;
    struct ra_block *blocks;
    pthread_mutex_t mu;
    pthread_cond_t filled, freed;
    /* under mu */
    int head, count;   /* the oldest full block, how many are full */
    bool stop;         /* the worker is to return */
    bool at_end;       /* the worker queued the end */
    /* the consumer's */
    pthread_t thread;
    bool running;      /* a worker thread to join */
    bool cur;          /* delivering blocks[head] */
    bool ended;        /* the end was delivered */
    int pos, di;       /* next item and next damage change of blocks[head] */
    struct rs_ra_count shown; /* the count after the last item delivered */
    /* the worker's: the counters after the last call of NEXT. On a cache
     * line of its own: the consumer writes the fields above for every
     * item, and sharing their line cost both threads more than the reading. */
    _Alignas(RA_LINE) struct rs_reader_damage last;
    char pad[RA_LINE];
};

static bool dmg_same(const struct rs_reader_damage *a, const struct rs_reader_damage *b)
{
    return a->bad_frames == b->bad_frames && a->bad_rows == b->bad_rows &&
           a->lost_rows == b->lost_rows && a->corrupt_regions == b->corrupt_regions &&
           a->meta_lost == b->meta_lost && a->truncated_bytes == b->truncated_bytes;
}

/* S copied into the block's characters. There is room: fill() checks. */
static const char *keep_text(struct ra_block *b, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = b->chars + b->text;
    memcpy(p, s, n);
    b->text += n;
    return p;
}

/* Fill B by calling NEXT until the block is full or the end. */
static void fill(struct rs_readahead *ra, struct ra_block *b)
{
    b->n = 0;
    b->end = false;
    b->ndmg = 0;
    b->text = 0;
    struct rs_item item, *it = &item;
    while (b->n < RS_RA_ITEMS && b->ndmg < RA_DMG && RA_TEXT - b->text >= RS_RA_TEXT_ITEM) {
        struct ra_slot *sl = &b->slot[b->n];
        int got = ra->next(ra->ctx, it);
        sl->hw[0] = ra->cnt->hw[0];
        sl->hw[1] = ra->cnt->hw[1];
        if (!dmg_same(&ra->last, &ra->cnt->dmg)) {
            ra->last = ra->cnt->dmg;
            b->dmg[b->ndmg].at = b->n;
            b->dmg[b->ndmg].d = ra->last;
            b->ndmg++;
        }
        if (got <= 0) {
            b->end = true;
            return;
        }
        sl->id = it->id;
        sl->host_us = it->host_us;
        sl->dev_us = it->dev_us;
        sl->kind = (uint8_t)it->kind;
        if (it->kind == RS_ITEM_FRAME) {
            sl->raw_len = (uint8_t)it->raw_len;
            memcpy(sl->raw, it->raw, it->raw_len);
        } else {
            sl->type = keep_text(b, it->type);
            sl->json = keep_text(b, it->json);
        }
        b->n++;
    }
}

static void *worker(void *arg)
{
    struct rs_readahead *ra = arg;
    for (;;) {
        pthread_mutex_lock(&ra->mu);
        while (ra->count == RS_RA_BLOCKS && !ra->stop)
            pthread_cond_wait(&ra->freed, &ra->mu);
        if (ra->stop) {
            pthread_mutex_unlock(&ra->mu);
            return NULL;
        }
        struct ra_block *b = &ra->blocks[(ra->head + ra->count) % RS_RA_BLOCKS];
        pthread_mutex_unlock(&ra->mu);
        fill(ra, b);
        pthread_mutex_lock(&ra->mu);
        ra->count++;
        ra->at_end = b->end;
        pthread_cond_signal(&ra->filled);
        pthread_mutex_unlock(&ra->mu);
        if (b->end)
            return NULL;
    }
}

struct rs_readahead *rs_readahead_new(rs_ra_next_fn next, void *ctx, struct rs_ra_count *cnt)
{
    struct rs_readahead *ra = aligned_alloc(RA_LINE, sizeof *ra);
    if (!ra)
        return NULL;
    memset(ra, 0, sizeof *ra);
    ra->blocks = malloc(RS_RA_BLOCKS * sizeof *ra->blocks);
    if (!ra->blocks) {
        free(ra);
        return NULL;
    }
    ra->next = next;
    ra->ctx = ctx;
    ra->cnt = cnt;
    ra->shown = *cnt;
    pthread_mutex_init(&ra->mu, NULL);
    pthread_cond_init(&ra->filled, NULL);
    pthread_cond_init(&ra->freed, NULL);
    return ra;
}

/* Start the worker from the iterator's state. 0, or -1 (no thread). */
static int start(struct rs_readahead *ra)
{
    ra->last = ra->cnt->dmg;
    ra->stop = false;
    if (pthread_create(&ra->thread, NULL, worker, ra) != 0)
        return -1;
    ra->running = true;
    return 0;
}

void rs_readahead_pause(struct rs_readahead *ra)
{
    if (!ra->running)
        return;
    pthread_mutex_lock(&ra->mu);
    ra->stop = true;
    pthread_cond_signal(&ra->freed);
    pthread_mutex_unlock(&ra->mu);
    pthread_join(ra->thread, NULL);
    ra->running = false;
}

void rs_readahead_resume(struct rs_readahead *ra)
{
    if (!ra->running && !ra->at_end && !ra->ended)
        start(ra);
}

void rs_readahead_discard(struct rs_readahead *ra)
{
    rs_readahead_pause(ra);
    ra->head = ra->count = 0;
    ra->cur = ra->ended = ra->at_end = false;
    *ra->cnt = ra->shown;
}

void rs_readahead_free(struct rs_readahead *ra)
{
    if (!ra)
        return;
    rs_readahead_pause(ra);
    pthread_mutex_destroy(&ra->mu);
    pthread_cond_destroy(&ra->filled);
    pthread_cond_destroy(&ra->freed);
    free(ra->blocks);
    free(ra);
}

/* The count after call AT of the current block. */
static void show(struct rs_readahead *ra, const struct ra_block *b, int at)
{
    if (ra->di < b->ndmg && b->dmg[ra->di].at == at)
        ra->shown.dmg = b->dmg[ra->di++].d;
    ra->shown.hw[0] = b->slot[at].hw[0];
    ra->shown.hw[1] = b->slot[at].hw[1];
}

/* Wait for a full block unless none can come: true when delivering one. */
static bool take(struct rs_readahead *ra)
{
    pthread_mutex_lock(&ra->mu);
    while (ra->count == 0 && ra->running)
        pthread_cond_wait(&ra->filled, &ra->mu);
    ra->cur = ra->count > 0;
    pthread_mutex_unlock(&ra->mu);
    ra->pos = ra->di = 0;
    return ra->cur;
}

/* Give the current block back to the worker. */
static void give_back(struct rs_readahead *ra)
{
    pthread_mutex_lock(&ra->mu);
    ra->head = (ra->head + 1) % RS_RA_BLOCKS;
    ra->count--;
    ra->cur = false;
    pthread_cond_signal(&ra->freed);
    pthread_mutex_unlock(&ra->mu);
}

/* The item of slot SL as NEXT made it (a frame's struct is not filled). */
static void deliver(const struct ra_slot *sl, struct rs_item *it)
{
    it->kind = (enum rs_item_kind)sl->kind;
    it->id = sl->id;
    it->host_us = sl->host_us;
    it->dev_us = sl->dev_us;
    if (sl->kind == RS_ITEM_FRAME) {
        it->raw = sl->raw;
        it->raw_len = sl->raw_len;
        it->type = NULL;
        it->json = "";
    } else {
        memset(&it->frame, 0, sizeof it->frame);
        it->raw = NULL;
        it->raw_len = 0;
        it->type = sl->type;
        it->json = sl->json;
    }
}

/* No worker: the iterator called here, as without read-ahead. */
static int inline_next(struct rs_readahead *ra, struct rs_item *it)
{
    int got = ra->next(ra->ctx, it);
    ra->shown = *ra->cnt;
    return got;
}

int rs_readahead_next(struct rs_readahead *ra, struct rs_item *it)
{
    for (;;) {
        if (ra->cur) {
            const struct ra_block *b = &ra->blocks[ra->head];
            if (ra->pos < b->n) {
                deliver(&b->slot[ra->pos], it);
                show(ra, b, ra->pos++);
                return 1;
            }
            bool end = b->end;
            if (end)
                show(ra, b, b->n);
            give_back(ra);
            if (end) {
                rs_readahead_pause(ra); /* it has returned: joined */
                ra->ended = true;
                return 0;
            }
        }
        if (ra->ended)
            return inline_next(ra, it);
        if (!take(ra) && start(ra) != 0)
            return inline_next(ra, it);
    }
}

void rs_readahead_damage(const struct rs_readahead *ra, struct rs_reader_damage *d)
{
    *d = ra->shown.dmg;
}
