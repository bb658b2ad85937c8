/* rs_caldev.c - see rs_caldev.h. */
#include "rs_caldev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "rs_link.h"
#include "rs_match.h"
#include "rs_scan.h"
#include "rs_err.h"
#include "rs_str.h"

#define RS_CALDEV_QUEUE 512u     /* samples buffered between rs_caldev_sample calls */
#define RS_CALDEV_RESEND_MS 300
#define RS_CALDEV_CMD_MS 2000    /* one command, resends included */
#define RS_CALDEV_SAVE_MS 6000   /* SAVE_CAL: two EEPROM slots, a few ms per byte */

struct rs_caldev {
    struct rs_link *link;
    struct rs_decoder dec;
    char port[256];
    char want_serial[RS_DESC_STR];
    bool discovered;             /* port came from discovery: rediscover after a reset */
    struct rs_info info;
    char serial[RS_SERIAL_LEN + 1];
    uint8_t token;
    bool streaming;
    /* the answer being waited for */
    uint8_t want_token, want_cmd, want_data;
    bool got_reply, got_data;
    struct rs_reply reply;
    struct rs_frame data;
    /* samples */
    struct rs_sample q[RS_CALDEV_QUEUE];
    unsigned q_head, q_len;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

bool rs_cal_equal(const struct rs_cal *a, const struct rs_cal *b)
{
    return a->offset_left == b->offset_left && a->offset_right == b->offset_right &&
           memcmp(&a->scale_left, &b->scale_left, sizeof a->scale_left) == 0 &&
           memcmp(&a->scale_right, &b->scale_right, sizeof a->scale_right) == 0 &&
           a->radius_um == b->radius_um && a->enc_dir == b->enc_dir &&
           strncmp(a->serial, b->serial, RS_SERIAL_LEN) == 0;
}

static void on_frame(struct rs_caldev *d, const struct rs_frame *f)
{
    if (f->type == RS_FT_SAMPLE) {
        unsigned at = (d->q_head + d->q_len) % RS_CALDEV_QUEUE;
        d->q[at] = f->u.sample;
        if (d->q_len < RS_CALDEV_QUEUE)
            d->q_len++;
        else
            d->q_head = (d->q_head + 1) % RS_CALDEV_QUEUE; /* keep the newest */
        return;
    }
    if (f->type == RS_FT_INFO) {
        d->info = f->u.info;
        memcpy(d->serial, d->info.serial, RS_SERIAL_LEN);
        d->serial[RS_SERIAL_LEN] = '\0';
    }
    if (d->want_data && f->type == d->want_data) {
        d->data = *f;
        d->got_data = true;
    }
    if (f->type == RS_FT_REPLY && f->u.reply.token == d->want_token &&
        f->u.reply.cmd == d->want_cmd) {
        d->reply = f->u.reply;
        d->got_reply = true;
    }
}

/* Read what arrives within timeout_ms and decode it. 0 or RS_CALDEV_LINK/VERSION. */
static int pump(struct rs_caldev *d, int timeout_ms, char *why, size_t cap)
{
    uint8_t buf[1024];
    int n = rs_link_read(d->link, buf, sizeof buf, timeout_ms);
    if (n < 0)
        return rs_fail(RS_CALDEV_LINK, why, cap, "lost the roller on %s: %s", d->port,
                       rs_link_strerror(n));
    struct rs_frame f;
    for (int i = 0; i < n; i++)
        if (rs_decoder_push(&d->dec, buf[i], &f))
            on_frame(d, &f);
    if (d->dec.stats.bad_version && d->dec.stats.frames == 0)
        return rs_fail(RS_CALDEV_VERSION, why, cap,
                       "the device on %s speaks protocol version %u; this rollsense speaks %u",
                       d->port, d->dec.stats.last_version, RS_PROTO_VERSION);
    return 0;
}

static const char *nak_text(uint8_t code)
{
    switch (code) {
    case RS_NAK_UNKNOWN: return "unknown command";
    case RS_NAK_LENGTH: return "command too short";
    case RS_NAK_ARG: return "a value is out of range";
    case RS_NAK_BUSY: return "busy";
    case RS_NAK_STORAGE: return "the EEPROM write failed";
    default: return "unknown reason";
    }
}

/*
 * Send a command and wait for its reply (and its data frame when data_type
 * is not 0), resending every RS_CALDEV_RESEND_MS. *out gets the data frame.
 */
static int transact(struct rs_caldev *d, const struct rs_frame *cmd, uint8_t data_type,
                    struct rs_frame *out, int timeout_ms, char *why, size_t cap)
{
    struct rs_frame f = *cmd;
    f.u.cmd.token = ++d->token;
    d->want_token = f.u.cmd.token;
    d->want_cmd = f.type;
    d->want_data = data_type;
    d->got_reply = d->got_data = false;
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(&f, wire);
    int64_t deadline = mono_ms() + timeout_ms, resend = 0;
    int rc = 0;
    bool busy = false;
    for (;;) {
        int64_t now = mono_ms();
        if (d->got_reply && d->reply.code == RS_NAK_BUSY) {
            /* Still working on this command (a resend overtook a slow
             * EEPROM write) or an earlier one: its ACK may follow; ask again
             * at the next resend until the deadline. */
            d->got_reply = false;
            busy = true;
        }
        if (d->got_reply && (!data_type || d->got_data || d->reply.code != RS_REPLY_ACK))
            break;
        if (now >= deadline) {
            rc = busy ? rs_fail(RS_CALDEV_NAK, why, cap, "the roller refused %s: %s (NAK %u)",
                                rs_frame_type_name(f.type), nak_text(RS_NAK_BUSY), RS_NAK_BUSY)
                      : rs_fail(RS_CALDEV_TIMEOUT, why, cap, "the roller on %s did not answer %s",
                                d->port, rs_frame_type_name(f.type));
            break;
        }
        if (now >= resend) {
            int w = rs_link_write(d->link, wire, n, 200);
            if (w < 0) {
                rc = rs_fail(RS_CALDEV_LINK, why, cap, "cannot write to %s: %s", d->port,
                             rs_link_strerror(w));
                break;
            }
            resend = now + RS_CALDEV_RESEND_MS;
        }
        int64_t until = resend < deadline ? resend : deadline;
        rc = pump(d, (int)(until - now), why, cap);
        if (rc)
            break;
    }
    d->want_data = 0;
    if (rc)
        return rc;
    if (d->reply.code != RS_REPLY_ACK)
        return rs_fail(RS_CALDEV_NAK, why, cap, "the roller refused %s: %s (NAK %u)",
                       rs_frame_type_name(f.type), nak_text(d->reply.code), d->reply.code);
    if (out && data_type)
        *out = d->data;
    return 0;
}

static int simple(struct rs_caldev *d, uint8_t type, uint8_t data_type, struct rs_frame *out,
                  char *why, size_t cap)
{
    struct rs_frame f = { .type = type };
    return transact(d, &f, data_type, out, RS_CALDEV_CMD_MS, why, cap);
}

/* The port to open: the given one, or discovery's pick. */
static int find_port(struct rs_caldev *d, char *why, size_t cap)
{
    if (!d->discovered)
        return 0;
    struct rs_port_desc ports[16];
    struct rs_roller rollers[16];
    size_t n = 0;
    int rc = rs_scan_rollers(ports, 16, &n);
    if (rc < 0)
        return rs_fail(RS_CALDEV_NO_ROLLER, why, cap, "cannot list serial ports: %s",
                       rs_link_strerror(rc));
    for (size_t i = 0; i < n; i++) {
        rs_str_copy(rollers[i].path, sizeof rollers[i].path, ports[i].path);
        rs_str_copy(rollers[i].serial, sizeof rollers[i].serial, ports[i].serial);
    }
    size_t idx = 0;
    const char *want = d->want_serial[0] ? d->want_serial : NULL;
    rc = rs_pick_roller(rollers, n, want, &idx);
    if (rc != RS_PICK_OK) {
        char msg[512];
        rs_pick_message(rc, rollers, n, want, msg, sizeof msg);
        return rs_fail(rc == RS_PICK_AMBIGUOUS ? RS_CALDEV_AMBIGUOUS : RS_CALDEV_NO_ROLLER, why,
                       cap, "%s", msg);
    }
    rs_str_copy(d->port, sizeof d->port, rollers[idx].path);
    return 0;
}

static int open_link(struct rs_caldev *d, char *why, size_t cap)
{
    int rc = find_port(d, why, cap);
    if (rc)
        return rc;
    rs_decoder_init(&d->dec);
    rc = rs_link_open(&d->link, d->port);
    if (rc < 0) {
        d->link = NULL;
        return rs_fail(rc == RS_LINK_ERR_NOT_FOUND ? RS_CALDEV_NO_ROLLER : RS_CALDEV_LINK, why, cap,
                       "cannot open %s: %s", d->port, rs_link_strerror(rc));
    }
    return 0;
}

/* Identify the roller on d's open link (or open it first); frees d on failure. */
static int start(struct rs_caldev **out, struct rs_caldev *d, const char *serial, int timeout_ms,
                 char *why, size_t cap)
{
    int rc = d->link ? 0 : open_link(d, why, cap);
    if (rc == 0) {
        struct rs_frame f = { .type = RS_FT_CMD_GET_INFO };
        rc = transact(d, &f, RS_FT_INFO, NULL, timeout_ms, why, cap);
        if (rc == RS_CALDEV_TIMEOUT)
            rs_fail(rc, why, cap, "no roller answers on %s (is it a rollsense roller?)", d->port);
    }
    if (rc == 0 && serial && d->want_serial[0] && strcasecmp(d->serial, serial) != 0)
        rc = rs_fail(RS_CALDEV_NO_ROLLER, why, cap, "the roller on %s is %s, not %s", d->port,
                     d->serial, serial);
    /* Left streaming by a program that ended without STOP: quiet it, so
     * only streams started here are running (and stopped on close). */
    if (rc == 0 && d->info.streaming)
        rc = simple(d, RS_FT_CMD_STOP, 0, NULL, why, cap);
    if (rc) {
        rs_link_close(d->link);
        free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int rs_caldev_open(struct rs_caldev **out, const char *port, const char *serial, int timeout_ms,
                   char *why, size_t cap)
{
    *out = NULL;
    struct rs_caldev *d = calloc(1, sizeof *d);
    if (!d)
        return rs_fail(RS_CALDEV_LINK, why, cap, "out of memory");
    d->discovered = port == NULL;
    if (port)
        snprintf(d->port, sizeof d->port, "%s", port);
    if (serial)
        snprintf(d->want_serial, sizeof d->want_serial, "%s", serial);
    return start(out, d, serial, timeout_ms, why, cap);
}

int rs_caldev_open_link(struct rs_caldev **out, struct rs_link *link, const char *name,
                        int timeout_ms, char *why, size_t cap)
{
    *out = NULL;
    struct rs_caldev *d = calloc(1, sizeof *d);
    if (!d) {
        rs_link_close(link);
        return rs_fail(RS_CALDEV_LINK, why, cap, "out of memory");
    }
    d->link = link;
    rs_decoder_init(&d->dec);
    rs_str_copy(d->port, sizeof d->port, name ? name : "(link)");
    return start(out, d, NULL, timeout_ms, why, cap);
}

void rs_caldev_close(struct rs_caldev *d)
{
    if (!d)
        return;
    if (d->link && d->streaming)
        rs_caldev_stream(d, false, NULL, 0);
    rs_link_close(d->link);
    free(d);
}

const struct rs_info *rs_caldev_info(const struct rs_caldev *d) { return &d->info; }
const char *rs_caldev_serial(const struct rs_caldev *d) { return d->serial; }
const char *rs_caldev_port(const struct rs_caldev *d) { return d->port; }

int rs_caldev_get_cal(struct rs_caldev *d, struct rs_cal *out, char *why, size_t cap)
{
    struct rs_frame f;
    int rc = simple(d, RS_FT_CMD_GET_CAL, RS_FT_CAL, &f, why, cap);
    if (rc == 0)
        *out = f.u.cal;
    return rc;
}

int rs_caldev_apply(struct rs_caldev *d, const struct rs_cal *cal, char *why, size_t cap)
{
    struct rs_cal old;
    int rc = rs_caldev_get_cal(d, &old, why, cap);
    if (rc)
        return rc;
    struct rs_frame f = { .type = RS_FT_CMD_SET_CAL };
    f.u.cmd.arg.cal = *cal;
    memcpy(f.u.cmd.arg.cal.serial, d->info.serial, RS_SERIAL_LEN);
    rc = transact(d, &f, 0, NULL, RS_CALDEV_CMD_MS, why, cap);
    if (rc)
        return rc;
    struct rs_frame save = { .type = RS_FT_CMD_SAVE_CAL };
    rc = transact(d, &save, 0, NULL, RS_CALDEV_SAVE_MS, why, cap);
    struct rs_cal back;
    if (rc == 0)
        rc = rs_caldev_get_cal(d, &back, why, cap);
    if (rc == 0 && !rs_cal_equal(&back, &f.u.cmd.arg.cal))
        rc = rs_fail(RS_CALDEV_VERIFY, why, cap,
                     "the roller on %s reads back a different calibration than was written", d->port);
    if (rc == 0)
        rc = simple(d, RS_FT_CMD_GET_INFO, RS_FT_INFO, NULL, why, cap);
    if (rc == 0 && d->info.cal_state != RS_CAL_OK)
        rc = rs_fail(RS_CALDEV_VERIFY, why, cap,
                     "the roller on %s still reports no saved calibration after saving", d->port);
    if (rc && rc != RS_CALDEV_LINK) {
        /* The new block is in the roller's RAM but not (verifiably) in its
         * EEPROM: put the old one back in RAM so that what it uses matches
         * what it will load after a restart. Best effort; the error stands. */
        struct rs_frame r = { .type = RS_FT_CMD_SET_CAL };
        r.u.cmd.arg.cal = old;
        transact(d, &r, 0, NULL, RS_CALDEV_CMD_MS, NULL, 0);
    }
    return rc;
}

int rs_caldev_reset(struct rs_caldev *d, int timeout_ms, char *why, size_t cap)
{
    struct rs_frame f = { .type = RS_FT_CMD_RESET };
    f.u.cmd.arg.reset_mode = 0;
    int rc = transact(d, &f, 0, NULL, RS_CALDEV_CMD_MS, why, cap);
    if (rc)
        return rc;
    d->streaming = false;
    int64_t deadline = mono_ms() + timeout_ms;
    for (;;) {
        if (!d->link) {
            rc = open_link(d, why, cap);
        } else {
            struct rs_frame g = { .type = RS_FT_CMD_GET_INFO };
            int left = (int)(deadline - mono_ms());
            rc = transact(d, &g, RS_FT_INFO, NULL, left > 0 ? left : 1, why, cap);
            if (rc == 0)
                return 0;
            if (rc == RS_CALDEV_LINK) {
                /* A USB roller leaves the bus while it restarts: reopen. */
                rs_link_close(d->link);
                d->link = NULL;
            }
        }
        if (mono_ms() >= deadline)
            return rs_fail(RS_CALDEV_TIMEOUT, why, cap,
                           "the roller on %s did not come back after the reset", d->port);
        if (!d->link)
            sleep_ms(200);
    }
}

int rs_caldev_stream(struct rs_caldev *d, bool on, char *why, size_t cap)
{
    int rc = simple(d, on ? RS_FT_CMD_START : RS_FT_CMD_STOP, 0, NULL, why, cap);
    if (rc == 0) {
        d->streaming = on;
        d->q_len = 0; /* what came before the answer is stale */
    }
    return rc;
}

int rs_caldev_sample(struct rs_caldev *d, struct rs_sample *s, int timeout_ms, char *why,
                     size_t cap)
{
    int64_t deadline = mono_ms() + timeout_ms;
    bool polled = false;
    for (;;) {
        if (d->q_len) {
            *s = d->q[d->q_head];
            d->q_head = (d->q_head + 1) % RS_CALDEV_QUEUE;
            d->q_len--;
            return 1;
        }
        int64_t now = mono_ms();
        if (now >= deadline && polled)
            return 0;
        /* Timeout 0 still reads what is already there. */
        int rc = pump(d, now < deadline ? (int)(deadline - now) : 0, why, cap);
        if (rc)
            return rc;
        polled = true;
    }
}

int rs_caldev_flush(struct rs_caldev *d, char *why, size_t cap)
{
    /* Read until nothing more is waiting, then forget every sample. */
    for (int i = 0; i < 1000; i++) {
        unsigned before = d->q_len;
        int rc = pump(d, 0, why, cap);
        if (rc)
            return rc;
        if (d->q_len == before)
            break;
        d->q_len = 0;
    }
    d->q_len = 0;
    return 0;
}
