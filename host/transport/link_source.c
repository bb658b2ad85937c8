/*
 * link_source.c - in-process backend: a byte source callback plays the
 * device (the simulated roller of `rollsense demo`, tests with emulated time).
 *
 * The source says when its next bytes are due, so a read sleeps exactly
 * until then (or the caller's timeout) instead of polling it in a loop.
 */
#include <stdlib.h>
#include <time.h>

#include "link_internal.h"

struct source_impl {
    struct rs_byte_source src;
    uint64_t t0_us;
};

static uint64_t real_now_us(void *ctx)
{
    (void)ctx;
    return (uint64_t)(rs_link_mono_ns() / 1000);
}

static void real_sleep_us(void *ctx, uint64_t us)
{
    (void)ctx;
    struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
    nanosleep(&ts, NULL); /* EINTR: return early, the caller re-checks */
}

static uint64_t elapsed(struct source_impl *s)
{
    return s->src.now_us(s->src.clock_ctx) - s->t0_us;
}

static int src_read(struct rs_link *l, uint8_t *buf, size_t cap, int timeout_ms)
{
    struct source_impl *s = l->impl;
    uint64_t now = elapsed(s);
    uint64_t next = now + (uint64_t)timeout_ms * 1000;
    uint64_t deadline = next;
    int n = s->src.produce(s->src.ctx, now, buf, cap, &next);
    if (n != 0)
        return n;
    if (next > deadline)
        next = deadline;
    if (next > now)
        s->src.sleep_us(s->src.clock_ctx, next - now);
    else if (timeout_ms == 0)
        return 0;
    uint64_t dummy = 0;
    return s->src.produce(s->src.ctx, elapsed(s), buf, cap, &dummy);
}

static int src_write(struct rs_link *l, const uint8_t *buf, size_t n, int timeout_ms)
{
    (void)timeout_ms;
    struct source_impl *s = l->impl;
    if (!s->src.consume)
        return (int)n;
    int rc = s->src.consume(s->src.ctx, buf, n, elapsed(s));
    return rc < 0 ? rc : (int)n;
}

static void src_close(struct rs_link *l)
{
    struct source_impl *s = l->impl;
    if (!s)
        return;
    if (s->src.close)
        s->src.close(s->src.ctx);
    free(s);
}

static const struct rs_link_ops source_ops = {
    .name = "source",
    .read = src_read,
    .write = src_write,
    .close = src_close,
};

int rs_link_open_source(struct rs_link **out, const struct rs_byte_source *src, const char *name)
{
    if (!out || !src || !src->produce || (!src->now_us) != (!src->sleep_us))
        return RS_LINK_ERR_ARG;
    *out = NULL;
    struct source_impl *s = malloc(sizeof *s);
    if (!s)
        return RS_LINK_ERR_NOMEM;
    s->src = *src;
    if (!s->src.now_us) {
        s->src.now_us = real_now_us;
        s->src.sleep_us = real_sleep_us;
        s->src.clock_ctx = NULL;
    }
    s->t0_us = s->src.now_us(s->src.clock_ctx);
    struct rs_link *l = rs_link_alloc(&source_ops, name ? name : "simulated", s);
    if (!l) {
        free(s);
        return RS_LINK_ERR_NOMEM;
    }
    *out = l;
    return RS_LINK_OK;
}
