/*
 * test_link_source.c - the in-process backend (emulated time: no real sleeps)
 * and connection life over it: info and start on connect, loss counting, a
 * gap on unplug, reconnect to the same roller and refusal of another one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "rs_conn.h"
#include "rs_link.h"
#include "rs_proto.h"

/* ---- a simulated roller: 80 Hz sample frames once started ----------------- */

struct sim {
    uint64_t emu_now;        /* emulated clock (µs) when clock hooks are used */
    int produce_calls;
    int sleeps;
    bool started;
    uint32_t next_seq;
    uint64_t start_us;       /* link time of START (µs since the link opened) */
    uint32_t base_seq;       /* next_seq at START: that frame is due at once */
    uint32_t skip_seq;       /* this seq is "lost" on the wire (0 = none) */
    int vanish_after;        /* produce GONE after this many frames (0 = never) */
    int sent;
    uint64_t silent_from_us, silent_to_us; /* frames due in between are never sent */
    bool send_info;
    bool info_late;          /* the info frame follows the samples of the same read */
    int32_t marker;          /* written into every sample's right channel */
    const char *serial;
    struct rs_decoder cmd_dec;
    int commands[8];
};

static uint64_t emu_now(void *ctx) { return ((struct sim *)ctx)->emu_now; }
static void emu_sleep(void *ctx, uint64_t us)
{
    struct sim *s = ctx;
    s->sleeps++;
    s->emu_now += us;
}

static int sim_consume(void *ctx, const uint8_t *buf, size_t n, uint64_t now_us)
{
    struct sim *s = ctx;
    struct rs_frame f;
    for (size_t i = 0; i < n; i++)
        if (rs_decoder_push(&s->cmd_dec, buf[i], &f)) {
            if (f.type >= RS_FT_CMD_START && f.type <= RS_FT_CMD_RESET)
                s->commands[f.type - RS_FT_CMD_START]++;
            if (f.type == RS_FT_CMD_START && !s->started) {
                s->started = true;
                s->start_us = now_us;
                s->base_seq = s->next_seq;
                s->send_info = true;
            }
            if (f.type == RS_FT_CMD_GET_INFO)
                s->send_info = true;
        }
    return 0;
}

static size_t put_info(struct sim *s, uint8_t *buf, size_t cap)
{
    if (!s->send_info || cap < RS_WIRE_MAX)
        return 0;
    struct rs_frame f = { .type = RS_FT_INFO };
    f.u.info.sample_rate_hz = 80;
    memcpy(f.u.info.serial, s->serial, strlen(s->serial));
    s->send_info = false;
    return rs_frame_encode(&f, buf);
}

static int sim_produce(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us)
{
    struct sim *s = ctx;
    s->produce_calls++;
    size_t n = 0;
    if (!s->info_late)
        n = put_info(s, buf, cap);
    if (!s->started) {
        return (int)n;
    }
    for (;;) {
        uint64_t due = s->start_us + (uint64_t)(s->next_seq - s->base_seq) * 12500u;
        if (due > now_us) {
            *next_us = due;
            break;
        }
        if (s->vanish_after && s->sent >= s->vanish_after)
            return n ? (int)n : RS_LINK_ERR_GONE;
        if (cap - n < RS_WIRE_MAX)
            break;
        uint32_t seq = s->next_seq++;
        if (seq == s->skip_seq && seq != 0)
            continue;
        if (due >= s->silent_from_us && due < s->silent_to_us)
            continue;
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample.seq = seq;
        f.u.sample.t_us = (uint32_t)(seq * 12500u);
        f.u.sample.left = (int32_t)seq * 3;
        f.u.sample.right = s->marker;
        n += rs_frame_encode(&f, buf + n);
        s->sent++;
    }
    if (s->info_late)
        n += put_info(s, buf + n, cap - n);
    return (int)n;
}

static void test_source_emulated_time(void **state)
{
    (void)state;
    struct sim s = { .serial = "SIM1" };
    rs_decoder_init(&s.cmd_dec);
    struct rs_byte_source src = { .ctx = &s, .produce = sim_produce, .consume = sim_consume,
                                  .clock_ctx = &s, .now_us = emu_now, .sleep_us = emu_sleep };
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open_source(&l, &src, "sim"), 0);
    assert_string_equal(rs_link_backend(l), "source");
    uint8_t buf[4096];
    /* Not started: a read waits its whole timeout, in one sleep, and returns 0. */
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 100), 0);
    assert_int_equal(s.emu_now, 100000);
    assert_int_equal(s.sleeps, 1);
    /* START: info frame at once, then one sample per 12.5 ms, each read sleeping
     * exactly until the next one is due (no polling loop). */
    struct rs_frame cmd = { .type = RS_FT_CMD_START };
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(&cmd, wire);
    assert_int_equal(rs_link_write(l, wire, n, 100), (int)n);
    struct rs_decoder dec;
    rs_decoder_init(&dec);
    struct rs_frame f;
    int samples = 0, infos = 0;
    s.sleeps = 0;
    s.produce_calls = 0;
    for (int r = 0; r < 80; r++) {
        int k = rs_link_read(l, buf, sizeof buf, 1000);
        assert_true(k > 0);
        for (int i = 0; i < k; i++)
            if (rs_decoder_push(&dec, buf[i], &f)) {
                if (f.type == RS_FT_SAMPLE) {
                    assert_int_equal(f.u.sample.seq, samples);
                    samples++;
                } else if (f.type == RS_FT_INFO) {
                    infos++;
                }
            }
    }
    assert_int_equal(infos, 1);
    assert_int_equal(samples, 80);
    assert_true(s.produce_calls <= 2 * 80);
    assert_true(s.sleeps <= 80);
    /* 80 samples at 12.5 ms: the emulated clock moved ~1 s, never past. */
    assert_true(s.emu_now >= 100000 + 79 * 12500 && s.emu_now <= 100000 + 80 * 12500);
    /* An unplug in the source surfaces as RS_LINK_ERR_GONE. */
    s.vanish_after = s.sent;
    s.emu_now += 100000;
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 10), RS_LINK_ERR_GONE);
    rs_link_close(l);
}

/* ---- connection life over the source backend (emulated clock) ------------
 * The roller, the link and the connection share one emulated clock
 * (w->dev.emu_now): time advances only when something sleeps, so the
 * results are the same on an idle and on a loaded machine. */

enum plan {
    PLAN_SAME,      /* the same roller returns, having counted on */
    PLAN_OTHER,     /* another roller appears on the port */
    PLAN_RESTART,   /* the same roller returns, restarted (seq and clock from 0) */
};

struct world {
    struct sim dev;            /* the roller; survives unplugs */
    int64_t unplug_until_us;   /* monotonic: the port is absent until then */
    int opens;
    enum plan plan;
    /* Until then every open finds another roller, already streaming, which
     * sends its info frame only after its samples (0: never). */
    int64_t other_until_us;
    int other_opens;
    int other_sent;            /* samples the other roller put on the wire */
    int sent_before_other;
    uint32_t own_seq;          /* our roller's count when the other one came */
    int64_t own_left_us;       /* and when */
};

static int64_t world_now(const struct world *w)
{
    return (int64_t)w->dev.emu_now;
}

/* Every open is a fresh link; the device's elapsed time restarts with it, so
 * keep the device's own sequence/time continuous across links by offsetting. */
static int world_open(void *ctx, struct rs_link **out)
{
    struct world *w = ctx;
    if (world_now(w) < w->unplug_until_us)
        return RS_LINK_ERR_NOT_FOUND;
    w->opens++;
    if (w->opens > 1) {
        if (w->dev.marker == 777)
            w->other_sent += w->dev.sent - w->sent_before_other;
        /* The roller kept counting while away: 24 frames later, a fresh start
         * (or, restarted, from 0). */
        w->dev.started = false;
        w->dev.next_seq = w->plan == PLAN_RESTART ? 0 : w->dev.next_seq + 24;
        w->dev.vanish_after = 0;
        w->dev.serial = w->plan == PLAN_OTHER ? "OTHER" : "SIM1";
        w->dev.info_late = false;
        w->dev.marker = 0;
        if (world_now(w) < w->other_until_us) {
            /* another roller, streaming with its own count since now */
            w->sent_before_other = w->dev.sent;
            if (w->other_opens++ == 0) {
                w->own_seq = w->dev.next_seq;
                w->own_left_us = world_now(w);
            }
            w->dev.serial = "OTHER";
            w->dev.info_late = true;
            w->dev.marker = 777;
            w->dev.started = true;
            w->dev.next_seq = 0;
            w->dev.base_seq = 0;
            w->dev.start_us = 0;
        } else if (w->other_opens) {
            /* ours again: its clock and count ran on meanwhile */
            w->dev.next_seq = w->own_seq + (uint32_t)((world_now(w) - w->own_left_us) / 12500);
        }
    }
    rs_decoder_init(&w->dev.cmd_dec);
    struct rs_byte_source src = { .ctx = &w->dev, .produce = sim_produce, .consume = sim_consume,
                                  .clock_ctx = &w->dev, .now_us = emu_now, .sleep_us = emu_sleep };
    return rs_link_open_source(out, &src, "sim");
}

struct record {
    int samples, gaps, resumed, lost_events, notices, states[5];
    int foreign;               /* samples carrying the other roller's marker */
    uint32_t last_seq;
    bool ordered;
    int64_t missed;
    bool restarted;
    double gap_start, gap_end;
    double last_t;
    char notice[512];
    char last_reason[128];     /* of the last state event */
    bool have_after;
    uint32_t seq_after;        /* the first sample after the gap */
    uint32_t seq_before;       /* the last sample before it */
};

static void rec_sample(void *ctx, const struct rs_sample *s, double t)
{
    struct record *r = ctx;
    if (r->samples && s->seq <= r->last_seq)
        r->ordered = false;
    r->last_seq = s->seq;
    r->samples++;
    r->foreign += s->right == 777;
    if (r->gaps && !r->have_after) {
        r->have_after = true;
        r->seq_after = s->seq;
    }
    r->last_t = t;
}

static void rec_event(void *ctx, const struct rs_conn_event *ev)
{
    struct record *r = ctx;
    if (ev->type == RS_CONN_EV_STATE) {
        r->states[ev->state]++;
        snprintf(r->last_reason, sizeof r->last_reason, "%s", ev->reason ? ev->reason : "");
    }
    if (ev->type == RS_CONN_EV_GAP) {
        r->gaps++;
        r->missed = ev->missed;
        r->seq_before = r->last_seq;
        r->restarted = ev->restarted;
        r->gap_start = ev->gap_start;
        r->gap_end = ev->gap_end;
        r->resumed += ev->resumed;
        assert_true(ev->gap_end > ev->gap_start);
    }
    if (ev->type == RS_CONN_EV_LOST)
        r->lost_events++;
    if (ev->type == RS_CONN_EV_NOTICE) {
        r->notices++;
        snprintf(r->notice, sizeof r->notice, "%s", ev->reason ? ev->reason : "");
    }
}

static struct rs_conn *start_cfg(struct world *w, struct record *r, int stall_ms)
{
    memset(w, 0, sizeof *w);
    memset(r, 0, sizeof *r);
    r->ordered = true;
    w->dev.serial = "SIM1";
    w->dev.skip_seq = 10;
    w->dev.vanish_after = 30;
    w->dev.emu_now = 1000000; /* not 0: a clock at 0 is not special */
    struct rs_conn_config cfg = { .open_link = world_open, .open_ctx = w, .retry_ms = 50,
                                  .stall_ms = stall_ms, .clock_ctx = &w->dev,
                                  .now_us = emu_now, .sleep_us = emu_sleep };
    struct rs_sink sink = { .ctx = r, .sample = rec_sample, .event = rec_event };
    struct rs_conn *c = rs_conn_new(&cfg, &sink);
    assert_non_null(c);
    return c;
}

static struct rs_conn *start(struct world *w, struct record *r)
{
    return start_cfg(w, r, 0);
}

static void test_conn_stall(void **state)
{
    (void)state;
    struct world w;
    struct record r;
    struct rs_conn *c = start_cfg(&w, &r, 200);
    w.dev.vanish_after = 0;
    w.dev.skip_seq = 0;
    /* Silent from 0.25 s to 0.75 s after START (frames 20..59 never sent). */
    w.dev.silent_from_us = 250000;
    w.dev.silent_to_us = 750000;
    int64_t deadline = world_now(&w) + 5000000;
    while (world_now(&w) < deadline && r.samples < 50)
        assert_int_equal(rs_conn_step(c, 50), 0);
    assert_int_equal(r.samples, 50);
    assert_int_equal(r.states[RS_CONN_STALLED], 1);
    assert_int_equal(r.states[RS_CONN_STREAMING], 2);   /* and back */
    assert_int_equal(r.gaps, 0);                        /* the link never failed */
    assert_true(w.dev.commands[0] >= 2);                /* START was asked again */
    assert_int_equal(w.opens, 1);
    rs_conn_finish(c);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    assert_int_equal(st.stalls, 1);
    assert_int_equal(st.lost, 40);                      /* counted from seq, not guessed */
    rs_conn_free(c);
}

/* Step until 60 samples arrived (5 s of emulated time at most); when the
 * roller vanishes (vanish_after), its port stays absent for away_us. */
static void run_with_unplug(struct rs_conn *c, struct world *w, const struct record *r,
                            int64_t away_us)
{
    int64_t deadline = world_now(w) + 5000000;
    bool unplugged = false;
    while (world_now(w) < deadline && r->samples < 60) {
        assert_int_equal(rs_conn_step(c, 50), 0);
        if (!unplugged && rs_conn_state(c) == RS_CONN_DISCONNECTED) {
            unplugged = true;
            w->unplug_until_us = world_now(w) + away_us;
        }
    }
}

static void test_conn_gap_and_resume(void **state)
{
    (void)state;
    struct world w;
    struct record r;
    struct rs_conn *c = start(&w, &r);
    run_with_unplug(c, &w, &r, 300000);
    assert_int_equal(r.samples, 60);
    assert_true(r.ordered);
    assert_int_equal(w.dev.commands[0], 2); /* one START per connection */
    assert_int_equal(r.gaps, 1);
    assert_int_equal(r.resumed, 1);
    assert_int_equal(r.missed, 24);
    assert_false(r.restarted);
    assert_int_equal(r.lost_events, 1);
    assert_int_equal(r.states[RS_CONN_STREAMING], 2);
    assert_int_equal(r.states[RS_CONN_DISCONNECTED], 1);
    rs_conn_finish(c);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    assert_int_equal(st.frames, 60);
    assert_int_equal(st.lost, 1);
    assert_int_equal(st.gaps, 1);
    assert_int_equal(st.gap_missed, 24);
    assert_int_equal(st.connects, 2);
    assert_string_equal(st.serial, "SIM1");
    assert_true(st.rate_hz > 60 && st.rate_hz < 100);
    assert_true(st.wait_s >= 0.25);
    rs_conn_free(c);
}

static void test_conn_other_roller_refused(void **state)
{
    (void)state;
    struct world w;
    struct record r;
    struct rs_conn *c = start(&w, &r);
    w.plan = PLAN_OTHER;
    int64_t deadline = world_now(&w) + 1500000;
    while (world_now(&w) < deadline)
        assert_int_equal(rs_conn_step(c, 50), 0);
    /* It streamed, lost the roller, and then only ever saw another one. */
    assert_int_equal(r.samples, 30);
    assert_int_equal(r.states[RS_CONN_STREAMING], 1);
    assert_int_equal(r.notices, 1);   /* said once, not at every retry */
    assert_true(w.opens >= 3);        /* kept retrying... */
    assert_true(w.opens <= 3);        /* ...but once a second */
    assert_int_equal(rs_conn_state(c), RS_CONN_DISCONNECTED);
    /* The line names both rollers and what to do. */
    assert_non_null(strstr(r.notice, "roller OTHER on sim is not the session's roller SIM1"));
    assert_non_null(strstr(r.notice, "plug it back in, or end the session"));
    /* The other roller was never started, and its reopenings were not news:
     * "connecting" and "disconnected" for the unplug and the first reopening
     * only, the second with the reason. */
    assert_int_equal(w.dev.commands[0], 1);
    assert_int_equal(r.states[RS_CONN_CONNECTING], 2);
    assert_int_equal(r.states[RS_CONN_DISCONNECTED], 2);
    rs_conn_finish(c);
    /* The session ended inside the gap: it is reported, not resumed. */
    assert_int_equal(r.gaps, 1);
    assert_int_equal(r.resumed, 0);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    assert_int_equal(st.gaps, 1);
    assert_string_equal(st.serial, "SIM1");
    assert_string_equal(st.refused, "OTHER");
    assert_string_equal(r.last_reason, "roller OTHER is attached instead of SIM1");
    rs_conn_free(c);
}

/*
 * Another roller that streams on its own and sends its info frame only after
 * its samples: none of its samples reach the sink. When the session's roller
 * returns it is accepted (same serial), the gap closes with the frames it
 * made meanwhile, and the refusal is cleared.
 */
static void test_conn_other_roller_then_own(void **state)
{
    (void)state;
    struct world w;
    struct record r;
    struct rs_conn *c = start(&w, &r);
    w.other_until_us = world_now(&w) + 2500000;
    int64_t deadline = world_now(&w) + 5000000;
    while (world_now(&w) < deadline && r.samples < 60) {
        assert_int_equal(rs_conn_step(c, 50), 0);
        if (w.other_opens && rs_conn_state(c) == RS_CONN_DISCONNECTED) {
            struct rs_conn_stats st;
            rs_conn_get_stats(c, &st);
            assert_string_equal(st.refused, "OTHER");
        }
    }
    assert_true(w.other_opens >= 2);
    assert_true(w.other_sent > 0);     /* it did stream */
    assert_int_equal(r.foreign, 0);
    assert_int_equal(r.samples, 60);
    assert_true(r.ordered);
    assert_int_equal(r.notices, 1);
    assert_int_equal(r.gaps, 1);
    assert_int_equal(r.resumed, 1);
    assert_false(r.restarted);
    assert_true(r.have_after);
    assert_int_equal(r.seq_before, 30);   /* 31 frames sent, seq 10 lost on the wire */
    assert_int_equal(r.missed, (int64_t)r.seq_after - 31);
    assert_true(r.missed > 200);          /* 3 s away: about 240 frames */
    /* connecting: the first open, the first reopening (which found the other
     * roller; the later ones are quiet) and the return of the session's roller */
    assert_int_equal(r.states[RS_CONN_CONNECTING], 3);
    assert_int_equal(r.states[RS_CONN_STREAMING], 2);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    assert_string_equal(st.refused, "");
    assert_string_equal(st.serial, "SIM1");
    assert_int_equal(st.gap_restarts, 0);
    rs_conn_finish(c);
    rs_conn_free(c);
}

/*
 * The roller restarts while unplugged (sequence and clock from 0) and comes
 * back 2 s later: the gap lasts its real host time and its missed frames are
 * that time in frame periods, not 0 and not "unknown".
 */
static void test_conn_restart_gap(void **state)
{
    (void)state;
    struct world w;
    struct record r;
    struct rs_conn *c = start(&w, &r);
    w.plan = PLAN_RESTART;
    w.dev.skip_seq = 0;
    run_with_unplug(c, &w, &r, 2000000);
    assert_int_equal(r.samples, 60);
    assert_int_equal(r.gaps, 1);
    assert_int_equal(r.resumed, 1);
    assert_true(r.restarted);
    assert_int_equal(r.seq_after, 0);
    double gap_s = r.gap_end - r.gap_start;
    assert_true(gap_s >= 2.0 && gap_s <= 2.1);   /* unplugged 2 s, reopened within 50 ms */
    assert_int_equal(r.missed, (int64_t)llround(gap_s * 80) - 1);
    assert_true(r.missed >= 159 && r.missed <= 168);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    assert_int_equal(st.gap_restarts, 1);
    assert_int_equal(st.gap_missed, (uint64_t)r.missed);
    assert_int_equal(st.lost, 0);
    rs_conn_finish(c);
    rs_conn_free(c);
}

/* ---- hostile bytes: random data and valid frames, in random chunk sizes --- */

struct noise {
    uint64_t x;        /* xorshift state */
    size_t left;       /* bytes still to produce */
    uint32_t seq;
};

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static int noise_produce(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us)
{
    (void)now_us;
    (void)next_us;
    struct noise *z = ctx;
    if (z->left == 0)
        return RS_LINK_ERR_GONE;
    size_t n = 1 + (size_t)(xorshift(&z->x) % cap);
    if (n > z->left)
        n = z->left;
    size_t i = 0;
    while (i < n) {
        if (xorshift(&z->x) % 8 == 0 && n - i >= RS_WIRE_MAX + 1) {
            /* A delimiter first, as after any corruption on a real line. */
            buf[i++] = 0;
            struct rs_frame f = { .type = RS_FT_SAMPLE };
            f.u.sample.seq = z->seq++;
            uint8_t wire[RS_WIRE_MAX];
            size_t k = rs_frame_encode(&f, wire);
            memcpy(buf + i, wire, k);
            i += k;
        } else {
            size_t run = 1 + (size_t)(xorshift(&z->x) % 100);
            for (size_t k = 0; k < run && i < n; k++)
                buf[i++] = (uint8_t)xorshift(&z->x);
        }
    }
    z->left -= n;
    return (int)n;
}

static struct noise the_noise;

static int noise_open(void *ctx, struct rs_link **out)
{
    struct rs_byte_source src = { .ctx = ctx, .produce = noise_produce };
    return rs_link_open_source(out, &src, "noise");
}

static void count_sample(void *ctx, const struct rs_sample *s, double t)
{
    (void)s;
    (void)t;
    (*(int *)ctx)++;
}

static void test_conn_survives_noise(void **state)
{
    (void)state;
    the_noise = (struct noise){ .x = 0x9e3779b97f4a7c15ull, .left = 2u << 20 };
    int samples = 0;
    struct rs_conn_config cfg = { .open_link = noise_open, .open_ctx = &the_noise, .retry_ms = 10 };
    struct rs_sink sink = { .ctx = &samples, .sample = count_sample };
    struct rs_conn *c = rs_conn_new(&cfg, &sink);
    assert_non_null(c);
    /* No crash (ASan in the sanitize preset), no fatal error, bytes all consumed. */
    for (int i = 0; i < 5000 && the_noise.left > 0; i++)
        assert_int_equal(rs_conn_step(c, 10), 0);
    assert_int_equal(the_noise.left, 0);
    rs_conn_finish(c);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    assert_int_equal(st.bytes, 2u << 20);
    assert_int_equal(st.frames, (uint64_t)samples);
    /* Every embedded frame survives the noise around it. */
    assert_int_equal(samples, the_noise.seq);
    assert_true(samples > 1000);
    assert_true(st.dec.crc_errors + st.dec.framing_errors + st.dec.oversize > 1000);
    rs_conn_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_emulated_time),
        cmocka_unit_test(test_conn_gap_and_resume),
        cmocka_unit_test(test_conn_other_roller_refused),
        cmocka_unit_test(test_conn_other_roller_then_own),
        cmocka_unit_test(test_conn_restart_gap),
        cmocka_unit_test(test_conn_stall),
        cmocka_unit_test(test_conn_survives_noise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
