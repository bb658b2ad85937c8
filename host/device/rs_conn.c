/* rs_conn.c - connection life: open, info, stream, gap, reconnect (see rs_conn.h). */
#include "rs_conn.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include "rs_clock.h"
#include "rs_defaults.h"
#include "rs_match.h"
#include "rs_scan.h"
#include "rs_str.h"

#define RS_CONN_MSG 512
#define RS_CONN_CANDIDATES 16
#define RS_CONN_INFO_RETRIES 3

struct rs_conn {
    struct rs_conn_config cfg;
    struct rs_sink sink;
    int64_t t0_us;               /* session start, monotonic */

    enum rs_conn_state state;
    struct rs_link *link;
    char port[256];              /* current or last port */
    struct rs_decoder dec;
    uint8_t token;
    int64_t next_try_ms;         /* when to try opening again */
    int64_t info_due_ms;         /* when to resend info/start */
    int64_t last_sample_ms;      /* arrival of the last sample */
    int64_t stall_retry_ms;      /* while stalled: when to resend start */
    int info_tries;
    bool got_info;               /* on this link */
    bool got_sample;             /* on this link */
    bool start_sent;             /* on this link */
    uint32_t good_frames;        /* on this link */
    int last_wait_err;           /* avoid repeating the same "waiting" event */
    bool ever_streamed;
    bool announced;              /* the first status line was sent */
    bool told_wrong_roller;      /* the "not the session's roller" notice was sent */
    bool refusing;               /* the last roller on the port was another one */

    /* waiting (no link) accounting */
    bool waiting;
    int64_t wait_start_us;
    double wait_start_cpu;
    double gap_wait_cpu;

    /* gap */
    bool gap_open;
    double gap_start;
    /* the last sample, for the frames a gap missed */
    bool have_last;
    uint32_t last_seq, last_dev_us;
    int64_t last_arrival_us;
    uint32_t period_us;          /* from the info frame's sample rate */

    /* rate: per streaming segment */
    uint64_t seg_count;
    double seg_first, seg_last;
    double span_s;
    uint64_t intervals;

    struct rs_clock clock;
    struct rs_seq seq;
    struct rs_hotplug *hotplug;
    /*
     * Two identities: usb_serial is what discovery matches (the USB serial
     * string; --device or the first roller picked), st.serial is the serial
     * from the info frame, which every later connection must repeat.
     */
    char usb_serial[RS_DESC_STR];
    struct rs_conn_stats st;
    int fatal;
    char msg[RS_CONN_MSG];
};

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The session clock: the configured one (emulated time) or the monotonic clock. */
static int64_t conn_us(const struct rs_conn *c)
{
    return c->cfg.now_us ? (int64_t)c->cfg.now_us(c->cfg.clock_ctx) : mono_us();
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

const char *rs_conn_state_name(enum rs_conn_state s)
{
    switch (s) {
    case RS_CONN_SEARCHING: return "searching";
    case RS_CONN_CONNECTING: return "connecting";
    case RS_CONN_STREAMING: return "streaming";
    case RS_CONN_DISCONNECTED: return "disconnected";
    case RS_CONN_STALLED: return "stalled";
    }
    return "unknown";
}

double rs_conn_now(const struct rs_conn *c)
{
    return (conn_us(c) - c->t0_us) / 1e6;
}

static int64_t now_ms(const struct rs_conn *c)
{
    return (conn_us(c) - c->t0_us) / 1000;
}

static void emit(struct rs_conn *c, struct rs_conn_event *ev)
{
    ev->t = rs_conn_now(c);
    ev->state = c->state;
    if (!ev->port)
        ev->port = c->port;
    if (c->sink.event)
        c->sink.event(c->sink.ctx, ev);
}

static void set_state(struct rs_conn *c, enum rs_conn_state s, const char *reason)
{
    if (c->state == s)
        return;
    c->state = s;
    struct rs_conn_event ev = { .type = RS_CONN_EV_STATE, .reason = reason };
    emit(c, &ev);
}

static void notice(struct rs_conn *c, const char *reason)
{
    struct rs_conn_event ev = { .type = RS_CONN_EV_NOTICE, .reason = reason };
    emit(c, &ev);
}

struct rs_conn *rs_conn_new(const struct rs_conn_config *cfg, const struct rs_sink *sink)
{
    struct rs_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cfg = *cfg;
    if (c->cfg.retry_ms <= 0)
        c->cfg.retry_ms = 200;
    if (c->cfg.info_timeout_ms <= 0)
        c->cfg.info_timeout_ms = 1000;
    if (c->cfg.stall_ms <= 0)
        c->cfg.stall_ms = 2000;
    if (sink)
        c->sink = *sink;
    c->t0_us = conn_us(c);
    c->state = RS_CONN_SEARCHING;
    c->waiting = true;
    c->wait_start_us = c->t0_us;
    c->wait_start_cpu = cpu_s();
    snprintf(c->port, sizeof c->port, "%s", cfg->port ? cfg->port : "");
    rs_clock_init(&c->clock);
    rs_seq_init(&c->seq);
    if (cfg->serial)
        rs_str_copy(c->usb_serial, sizeof c->usb_serial, cfg->serial);
    if (!cfg->port && !cfg->open_link) {
        c->hotplug = rs_hotplug_new();
        if (!c->hotplug) {
            free(c);
            return NULL;
        }
    }
    return c;
}

static void add_stats(struct rs_decoder_stats *sum, const struct rs_decoder_stats *d)
{
    sum->frames += d->frames;
    sum->crc_errors += d->crc_errors;
    sum->framing_errors += d->framing_errors;
    sum->oversize += d->oversize;
    sum->unknown_type += d->unknown_type;
    sum->bad_length += d->bad_length;
    sum->bad_version += d->bad_version;
    if (d->bad_version)
        sum->last_version = d->last_version;
}

static int send_cmd(struct rs_link *l, uint8_t type, uint8_t token)
{
    struct rs_frame f = { .type = type };
    f.u.cmd.token = token;
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(&f, wire);
    int rc = rs_link_write(l, wire, n, 200);
    return rc < 0 ? rc : 0;
}

/* The roller on this link must first show it is the session's: the session
 * has one already (or --port came with --device) and no info frame came yet. */
static bool awaiting_identity(const struct rs_conn *c)
{
    return !c->got_info && (c->st.serial[0] || (c->cfg.port && c->cfg.serial));
}

static int send_start(struct rs_conn *c)
{
    c->start_sent = true;
    return send_cmd(c->link, RS_FT_CMD_START, ++c->token);
}

/* Ask for the info frame and the stream. A roller that has yet to prove its
 * identity is not started: its samples would be someone else's (on_info
 * starts it once the serial matches). */
static int request_stream(struct rs_conn *c)
{
    int rc = send_cmd(c->link, RS_FT_CMD_GET_INFO, ++c->token);
    if (rc == 0 && !awaiting_identity(c))
        rc = send_start(c);
    c->info_due_ms = now_ms(c) + c->cfg.info_timeout_ms;
    return rc;
}

static void end_segment(struct rs_conn *c)
{
    if (c->seg_count > 1) {
        c->span_s += c->seg_last - c->seg_first;
        c->intervals += c->seg_count - 1;
    }
    c->seg_count = 0;
}

/* Close the link (reason: why, for the state line); open a gap if we were streaming. */
static void drop_link(struct rs_conn *c, const char *reason)
{
    add_stats(&c->st.dec, &c->dec.stats);
    rs_decoder_init(&c->dec);
    rs_link_close(c->link);
    c->link = NULL;
    end_segment(c);
    c->waiting = true;
    c->wait_start_us = conn_us(c);
    c->wait_start_cpu = cpu_s();
    c->next_try_ms = now_ms(c) + c->cfg.retry_ms;
    c->last_wait_err = 0;
    if (c->ever_streamed && !c->gap_open) {
        c->gap_open = true;
        c->gap_wait_cpu = 0;
        c->st.gaps++;
        rs_seq_gap(&c->seq);
    }
    /* A reconnect that fails before its first sample stays inside the same gap. */
    set_state(c, c->gap_open ? RS_CONN_DISCONNECTED : RS_CONN_SEARCHING, reason);
}

/* Close the link after an error. */
static void lose_link(struct rs_conn *c, int err)
{
    drop_link(c, rs_link_strerror(err));
}

static void end_wait(struct rs_conn *c)
{
    if (!c->waiting)
        return;
    c->waiting = false;
    double cpu = cpu_s() - c->wait_start_cpu;
    c->st.wait_s += (conn_us(c) - c->wait_start_us) / 1e6;
    c->st.wait_cpu_s += cpu;
    if (c->gap_open)
        c->gap_wait_cpu += cpu;
}

static void close_gap(struct rs_conn *c, bool resumed, int64_t missed, bool restarted)
{
    if (!c->gap_open)
        return;
    c->gap_open = false;
    if (missed > 0)
        c->st.gap_missed += (uint64_t)missed;
    c->st.gap_restarts += restarted;
    struct rs_conn_event ev = {
        .type = RS_CONN_EV_GAP,
        .gap_start = c->gap_start,
        .gap_end = rs_conn_now(c),
        .missed = missed,
        .restarted = restarted,
        .resumed = resumed,
        .wait_cpu_s = c->gap_wait_cpu,
    };
    emit(c, &ev);
}

/* A link failure while trying to open: keep waiting or give up. */
static void wait_error(struct rs_conn *c, int err, const char *where)
{
    c->next_try_ms = now_ms(c) + c->cfg.retry_ms;
    if (err == c->last_wait_err)
        return;
    c->last_wait_err = err;
    char why[300];
    snprintf(why, sizeof why, "%s: %s", where, rs_link_strerror(err));
    notice(c, why);
}

/* Discovery: scan when due, choose the session's roller. Returns a path or NULL. */
static const char *discover(struct rs_conn *c, char *path, size_t cap)
{
    int64_t ms = now_ms(c);
    if (!rs_hotplug_due(c->hotplug, ms)) {
        c->next_try_ms = ms + rs_hotplug_wait_ms(c->hotplug, ms);
        return NULL;
    }
    rs_hotplug_scanned(c->hotplug, ms);
    c->st.scans++;
    c->next_try_ms = ms + RS_HOTPLUG_POLL_MS;
    struct rs_port_desc ports[RS_CONN_CANDIDATES];
    struct rs_roller rollers[RS_CONN_CANDIDATES];
    size_t n = 0;
    if (rs_scan_rollers(ports, RS_CONN_CANDIDATES, &n) < 0)
        n = 0;
    for (size_t i = 0; i < n; i++) {
        rs_str_copy(rollers[i].path, sizeof rollers[i].path, ports[i].path);
        rs_str_copy(rollers[i].serial, sizeof rollers[i].serial, ports[i].serial);
    }
    size_t idx = 0;
    int rc = rs_pick_roller(rollers, n, c->usb_serial[0] ? c->usb_serial : NULL, &idx);
    if (rc == RS_PICK_OK) {
        snprintf(path, cap, "%s", rollers[idx].path);
        if (!c->usb_serial[0])
            rs_str_copy(c->usb_serial, sizeof c->usb_serial, rollers[idx].serial);
        return path;
    }
    char msg[RS_CONN_MSG];
    rs_pick_message(rc, rollers, n, c->usb_serial, msg, sizeof msg);
    if (rc == RS_PICK_AMBIGUOUS) {
        snprintf(c->msg, sizeof c->msg, "%s", msg);
        c->fatal = RS_CONN_ERR_PICK;
        return NULL;
    }
    /* Offset: pick codes must not collide with rs_link_err codes. */
    if (c->last_wait_err != rc - 100) {
        c->last_wait_err = rc - 100;
        notice(c, msg);
    }
    return NULL;
}

static void try_open(struct rs_conn *c)
{
    int rc;
    struct rs_link *l = NULL;
    if (c->cfg.open_link) {
        rc = c->cfg.open_link(c->cfg.open_ctx, &l);
    } else {
        char found[256];
        const char *path = c->cfg.port;
        if (!path) {
            path = discover(c, found, sizeof found);
            if (!path)
                return;
        }
        snprintf(c->port, sizeof c->port, "%s", path);
        rc = rs_link_open(&l, path);
    }
    if (rc == RS_LINK_ERR_ACCESS && !c->ever_streamed) {
        snprintf(c->msg, sizeof c->msg, "cannot open %s: permission denied (is the user in group dialout?)",
                 c->port);
        c->fatal = RS_CONN_ERR_ACCESS;
        return;
    }
    if (rc == RS_LINK_ERR_BUSY && !c->ever_streamed) {
        /* Another program owns the port: sharing it would halve both streams. */
        rs_link_busy_message(c->port, c->msg, sizeof c->msg);
        c->fatal = RS_CONN_ERR_BUSY;
        return;
    }
    if (rc == RS_LINK_ERR_NOMEM) {
        snprintf(c->msg, sizeof c->msg, "out of memory");
        c->fatal = RS_CONN_ERR_NOMEM;
        return;
    }
    if (rc < 0) {
        wait_error(c, rc, c->port[0] ? c->port : "device");
        return;
    }
    if (c->cfg.open_link)
        rs_str_copy(c->port, sizeof c->port, rs_link_name(l));
    c->link = l;
    c->st.connects++;
    end_wait(c);
    rs_decoder_init(&c->dec);
    c->got_info = c->got_sample = c->start_sent = false;
    c->good_frames = 0;
    c->info_tries = 0;
    c->last_wait_err = 0;
    /* While another roller sits on the port, its reopenings are not news:
     * the state stays until the session's roller answers (on_info). */
    if (!c->refusing) {
        if (c->state != RS_CONN_DISCONNECTED)
            c->state = RS_CONN_SEARCHING; /* so the next line reports the change */
        set_state(c, RS_CONN_CONNECTING, NULL);
    }
    rc = request_stream(c);
    if (rc < 0)
        lose_link(c, rc);
}

/*
 * Another roller answered on the session's port: say so once (one line that
 * names both serials and what to do), close the port again and keep waiting
 * for the session's roller. The session is not ended: the person on the
 * floor plugs their own roller back in and carries on. The other roller is
 * not started and none of its frames reach the sink.
 */
static void refuse_roller(struct rs_conn *c, const char *serial, const char *want)
{
    rs_str_copy(c->st.refused, sizeof c->st.refused, serial[0] ? serial : "(no serial)");
    if (!c->told_wrong_roller) {
        char why[400];
        snprintf(why, sizeof why,
                 "roller %s on %s is not the session's roller %s; waiting for %s "
                 "(plug it back in, or end the session)",
                 c->st.refused, c->port, want, want);
        notice(c, why);
        c->told_wrong_roller = true;
    }
    c->refusing = true;
    char reason[96];
    snprintf(reason, sizeof reason, "roller %s is attached instead of %s", c->st.refused, want);
    drop_link(c, reason);
    /* Reopening another user's roller several times a second helps nobody. */
    c->next_try_ms = now_ms(c) + (c->cfg.retry_ms > 1000 ? c->cfg.retry_ms : 1000);
}

static void on_info(struct rs_conn *c, const struct rs_frame *f)
{
    const struct rs_info *in = &f->u.info;
    char serial[RS_SERIAL_LEN + 1];
    memcpy(serial, in->serial, RS_SERIAL_LEN);
    serial[RS_SERIAL_LEN] = '\0';
    /* With --port and --device, the info frame must confirm the serial. */
    const char *want = c->st.serial[0] ? c->st.serial
                       : (c->cfg.port && c->cfg.serial) ? c->cfg.serial : "";
    if (want[0] && strcasecmp(serial, want) != 0) {
        refuse_roller(c, serial, want);
        return;
    }
    if (!c->st.serial[0])
        snprintf(c->st.serial, sizeof c->st.serial, "%s", serial);
    if (in->sample_rate_hz >= 1 && in->sample_rate_hz <= 10000)
        c->period_us = 1000000u / in->sample_rate_hz;
    if (c->got_info)
        return;
    c->got_info = true;
    c->st.refused[0] = '\0';
    if (c->refusing) {
        c->refusing = false;
        set_state(c, RS_CONN_CONNECTING, "the session's roller is back");
    }
    struct rs_conn_event ev = { .type = RS_CONN_EV_INFO, .info = in, .version = f->version };
    emit(c, &ev);
    /* The roller is the session's: start it if that waited for this frame,
     * and ask for its calibration block, which reaches the sink as a cal
     * frame. A failed write shows up as a read error on the next step. */
    if (c->link && !c->start_sent)
        send_start(c);
    if (c->link)
        send_cmd(c->link, RS_FT_CMD_GET_CAL, ++c->token);
}

static void on_sample(struct rs_conn *c, const struct rs_sample *s, int64_t arrival_us)
{
    int64_t missed = -1;
    bool first_after_gap = c->gap_open;
    uint32_t lost = rs_seq_push(&c->seq, s->seq, &missed);
    if (!c->got_sample) {
        c->got_sample = true;
        c->ever_streamed = true;
        c->told_wrong_roller = false;
        if (first_after_gap) {
            /* Both clocks decide: the sequence step if the device kept
             * counting, else the host time the gap really lasted. */
            bool restarted = false;
            if (c->have_last)
                missed = rs_gap_missed(c->last_seq, c->last_dev_us, s->seq, s->t_us,
                                       (uint64_t)(arrival_us - c->last_arrival_us),
                                       c->period_us ? c->period_us : 1000000u / RS_SAMPLE_RATE_HZ,
                                       &restarted);
            close_gap(c, true, missed, restarted);
        }
        set_state(c, RS_CONN_STREAMING, NULL);
    } else if (c->state == RS_CONN_STALLED) {
        set_state(c, RS_CONN_STREAMING, "samples resumed");
    }
    c->last_sample_ms = (arrival_us - c->t0_us) / 1000;
    if (lost) {
        c->st.lost += lost;
        struct rs_conn_event ev = { .type = RS_CONN_EV_LOST, .seq = s->seq, .count = lost };
        emit(c, &ev);
    }
    uint64_t host_us = (uint64_t)(arrival_us - c->t0_us);
    double t = rs_clock_map(&c->clock, s->t_us, host_us) / 1e6;
    double ta = host_us / 1e6;
    if (c->seg_count++ == 0)
        c->seg_first = ta;
    c->seg_last = ta;
    c->gap_start = ta;   /* a gap, if one comes, starts after the last sample */
    c->have_last = true;
    c->last_seq = s->seq;
    c->last_dev_us = s->t_us;
    c->last_arrival_us = arrival_us;
    c->st.frames++;
    if (c->sink.sample)
        c->sink.sample(c->sink.ctx, s, t);
}

static void on_bytes(struct rs_conn *c, const uint8_t *buf, int n)
{
    int64_t arrival = conn_us(c);
    struct rs_frame f;
    c->st.bytes += (uint64_t)n;
    if (c->sink.bytes && n > 0)
        c->sink.bytes(c->sink.ctx, buf, (size_t)n);
    for (int i = 0; i < n && c->link; i++) {
        if (!rs_decoder_push(&c->dec, buf[i], &f))
            continue;
        c->good_frames++;
        if (f.type == RS_FT_SAMPLE) {
            /* Not started by us: a roller still to be identified, or one
             * that streamed on its own. Its samples are nobody's yet. */
            if (!awaiting_identity(c))
                on_sample(c, &f.u.sample, arrival);
        } else {
            if (f.type == RS_FT_INFO)
                on_info(c, &f);
            if (c->link && c->sink.frame && !awaiting_identity(c))
                c->sink.frame(c->sink.ctx, &f, rs_conn_now(c));
        }
    }
    /* Only foreign-version frames and nothing we understand: say so once, clearly. */
    if (c->link && c->good_frames == 0 && c->dec.stats.bad_version > 0) {
        snprintf(c->msg, sizeof c->msg,
                 "roller on %s speaks protocol v%u, this rollsense speaks v%u; "
                 "update the %s", c->port, c->dec.stats.last_version, RS_PROTO_VERSION,
                 c->dec.stats.last_version > RS_PROTO_VERSION ? "rollsense program" : "roller firmware");
        c->fatal = RS_CONN_ERR_VERSION;
    }
}

/*
 * Samples stopped but the port is still open (a hung device, an emulator
 * paused): say so, and ask for the stream again every stall_ms. Lost frames
 * are still counted from the sequence numbers when samples return.
 */
static void check_stall(struct rs_conn *c)
{
    if (!c->got_sample)
        return;
    int64_t ms = now_ms(c);
    if (c->state == RS_CONN_STREAMING && ms - c->last_sample_ms >= c->cfg.stall_ms) {
        c->st.stalls++;
        char why[64];
        snprintf(why, sizeof why, "no samples for %.1f s", c->cfg.stall_ms / 1000.0);
        set_state(c, RS_CONN_STALLED, why);
    } else if (!(c->state == RS_CONN_STALLED && ms >= c->stall_retry_ms)) {
        return;
    }
    c->stall_retry_ms = ms + c->cfg.stall_ms;
    int rc = request_stream(c);
    if (rc < 0)
        lose_link(c, rc);
}

static void sleep_ms(const struct rs_conn *c, int ms)
{
    if (ms <= 0)
        return;
    if (c->cfg.sleep_us)
        c->cfg.sleep_us(c->cfg.clock_ctx, (uint64_t)ms * 1000);
    else
        poll(NULL, 0, ms); /* returns early on a signal: the caller re-checks */
}

int rs_conn_step(struct rs_conn *c, int max_wait_ms)
{
    c->st.steps++;
    if (c->fatal)
        return c->fatal;
    if (!c->announced) {
        c->announced = true;
        struct rs_conn_event ev = { .type = RS_CONN_EV_STATE };
        emit(c, &ev);
    }
    if (max_wait_ms < 0)
        max_wait_ms = 0;
    if (!c->link) {
        int64_t ms = now_ms(c);
        if (ms < c->next_try_ms) {
            int64_t w = c->next_try_ms - ms;
            sleep_ms(c, w < max_wait_ms ? (int)w : max_wait_ms);
            return 0;
        }
        try_open(c);
        return c->fatal;
    }
    int wait = max_wait_ms;
    int64_t due = !c->got_sample ? c->info_due_ms
                  : c->state == RS_CONN_STALLED ? c->stall_retry_ms
                  : c->last_sample_ms + c->cfg.stall_ms;
    int64_t left = due - now_ms(c);
    if (left < wait)
        wait = left < 0 ? 0 : (int)left;
    uint8_t buf[4096];
    int n = rs_link_read(c->link, buf, sizeof buf, wait);
    if (n < 0) {
        lose_link(c, n);
        return 0;
    }
    on_bytes(c, buf, n);
    if (c->fatal || !c->link)
        return c->fatal;
    if (!c->got_sample && now_ms(c) >= c->info_due_ms) {
        if (++c->info_tries == RS_CONN_INFO_RETRIES)
            notice(c, "no answer from the device yet; still asking");
        int rc = request_stream(c);
        if (c->info_tries >= RS_CONN_INFO_RETRIES)
            c->info_due_ms = now_ms(c) + 5 * c->cfg.info_timeout_ms;
        if (rc < 0)
            lose_link(c, rc);
        return 0;
    }
    check_stall(c);
    return 0;
}

enum rs_conn_state rs_conn_state(const struct rs_conn *c)
{
    return c->state;
}

void rs_conn_get_stats(const struct rs_conn *c, struct rs_conn_stats *st)
{
    *st = c->st;
    if (c->link)
        add_stats(&st->dec, &c->dec.stats);
    double span = c->span_s;
    uint64_t iv = c->intervals;
    if (c->seg_count > 1) {
        span += c->seg_last - c->seg_first;
        iv += c->seg_count - 1;
    }
    st->rate_hz = span > 0 ? iv / span : 0;
    if (c->waiting) {
        st->wait_s += (conn_us(c) - c->wait_start_us) / 1e6;
        st->wait_cpu_s += cpu_s() - c->wait_start_cpu;
    }
    st->drift_ppm = rs_clock_drift_ppm(&c->clock);
    st->clock_jumps = c->clock.jumps;
    st->seq_resets = c->seq.resets;
}

const char *rs_conn_message(const struct rs_conn *c)
{
    return c->msg;
}

int rs_conn_send(struct rs_conn *c, const struct rs_frame *cmd, uint8_t *token)
{
    if (!c->link)
        return RS_LINK_ERR_NOT_FOUND;
    struct rs_frame f = *cmd;
    f.u.cmd.token = ++c->token;
    if (token)
        *token = f.u.cmd.token;
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(&f, wire);
    int rc = rs_link_write(c->link, wire, n, 200);
    if (rc < 0) {
        lose_link(c, rc);
        return rc;
    }
    return 0;
}

void rs_conn_finish(struct rs_conn *c)
{
    if (c->link) {
        send_cmd(c->link, RS_FT_CMD_STOP, ++c->token);
        add_stats(&c->st.dec, &c->dec.stats);
        rs_decoder_init(&c->dec);
        rs_link_close(c->link);
        c->link = NULL;
        end_segment(c);
    }
    end_wait(c);
    close_gap(c, false, -1, false);
}

void rs_conn_free(struct rs_conn *c)
{
    if (!c)
        return;
    const char *e = getenv("RS_LOOP_STATS");
    if (e && e[0])
        fprintf(stderr, "rollsense: connection: %llu steps, %llu scans, %u opens in %.3f s\n",
                (unsigned long long)c->st.steps, (unsigned long long)c->st.scans,
                c->st.connects, rs_conn_now(c));
    rs_link_close(c->link);
    rs_hotplug_free(c->hotplug);
    free(c);
}

int rs_probe_info(struct rs_link *l, int timeout_ms, struct rs_info *info, uint8_t *version)
{
    struct rs_decoder dec;
    rs_decoder_init(&dec);
    int64_t deadline = mono_us() + (int64_t)timeout_ms * 1000;
    int64_t resend = 0;
    uint8_t token = 0x40;
    for (;;) {
        int64_t now = mono_us();
        if (now >= deadline)
            break;
        if (now >= resend) {
            int rc = send_cmd(l, RS_FT_CMD_GET_INFO, token++);
            if (rc < 0)
                return rc;
            resend = now + 300000;
        }
        int64_t wait = (resend < deadline ? resend : deadline) - now;
        uint8_t buf[512];
        int n = rs_link_read(l, buf, sizeof buf, (int)((wait + 999) / 1000));
        if (n < 0)
            return n;
        struct rs_frame f;
        for (int i = 0; i < n; i++)
            if (rs_decoder_push(&dec, buf[i], &f) && f.type == RS_FT_INFO) {
                *info = f.u.info;
                *version = f.version;
                return 0;
            }
        if (dec.stats.bad_version && dec.stats.frames == 0) {
            *version = dec.stats.last_version;
            return RS_CONN_ERR_VERSION;
        }
    }
    return RS_LINK_ERR_TIMEOUT;
}
