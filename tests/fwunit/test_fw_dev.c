/*
 * test_fw_dev.c - device logic (firmware/src/rs_dev.c): sample frames and
 * their timing rule, status bits, fault frames, and the answer to every
 * kind of command frame, good and bad.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_hal.h"
#include "rs_dev.h"

static struct rs_dev dev;
static struct rs_cmd_link link;

/* Poll at `now` with the left conversion captured at `cap`. */
static int8_t poll_at(uint32_t now, uint32_t cap)
{
    fake.now_us = now;
    fake.hx[0].stamp = cap;
    return rs_dev_poll_hx(&dev, now);
}

static void boot(void)
{
    fake_reset();
    rs_dev_init(&dev, 0, 0);
    rs_cmd_link_init(&link);
}

static void feed(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rs_dev_rx(&dev, &link, p[i]);
}

static void send_cmd(uint8_t type, uint8_t token, uint8_t arg)
{
    struct rs_frame f;
    memset(&f, 0, sizeof f);
    f.type = type;
    f.u.cmd.token = token;
    if (type == RS_FT_CMD_IDENTIFY)
        f.u.cmd.arg.identify_s = arg;
    if (type == RS_FT_CMD_RESET)
        f.u.cmd.arg.reset_mode = arg;
    if (type == RS_FT_CMD_SET_CAL) {
        rs_cal_defaults(&f.u.cmd.arg.cal);
        f.u.cmd.arg.cal.offset_left = 4242;
        if (arg == 1)
            f.u.cmd.arg.cal.enc_dir = 0; /* invalid */
        if (arg == 2)
            f.u.cmd.arg.cal.radius_um = 0; /* invalid */
        if (arg == 3)
            f.u.cmd.arg.cal.scale_right = -2189.8f; /* invalid: not positive */
    }
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(&f, wire);
    feed(wire, n);
}

/* Raw frame: version, type, body bytes; CRC and COBS added. */
static void send_raw(uint8_t version, uint8_t type, const uint8_t *body, size_t n, int bad_crc)
{
    uint8_t raw[RS_FRAME_MAX], wire[RS_WIRE_MAX];
    raw[0] = version;
    raw[1] = type;
    if (n)
        memcpy(raw + 2, body, n);
    size_t w = rs_wire_wrap(raw, n + 2, wire);
    if (bad_crc)
        wire[w - 2] ^= 0x01; /* last CRC byte (never 0 after the flip? keep it non-zero) */
    if (bad_crc && wire[w - 2] == 0)
        wire[w - 2] = 0x55;
    feed(wire, w);
}

static const struct rs_reply *last_reply(unsigned from)
{
    int at = -1;
    for (unsigned i = from; i < fake.nframes; i++)
        if (fake.frames[i].type == RS_FT_REPLY)
            at = (int)i;
    return at < 0 ? NULL : &fake.frames[at].u.reply;
}

static void test_boot_info(void **state)
{
    (void)state;
    boot();
    assert_int_equal(fake.nframes, 1);
    assert_int_equal(fake.frames[0].type, RS_FT_INFO);
    assert_int_equal(fake.frames[0].u.info.cal_state, RS_CAL_DEFAULT);
    assert_int_equal(fake.frames[0].u.info.streaming, 1);
    assert_int_equal(fake.frames[0].u.info.sample_rate_hz, 80);
    assert_int_equal(fake.frames[0].u.info.enc_counts_per_rev, 16384);
}

static void test_boot_faults(void **state)
{
    (void)state;
    fake_reset();
    fake.ee[3] = 0x12; /* not blank, no valid block */
    rs_dev_init(&dev, 0, 1);
    int at = fake_find(RS_FT_INFO, 0);
    assert_true(at >= 0);
    assert_int_equal(fake.frames[at].u.info.cal_state, RS_CAL_CORRUPT);
    unsigned corrupt = 0, wdt = 0;
    for (unsigned i = 0; i < fake.nframes; i++) {
        if (fake.frames[i].type != RS_FT_FAULT)
            continue;
        corrupt += fake.frames[i].u.fault.code == RS_FAULT_CAL_CORRUPT && fake.frames[i].u.fault.active;
        wdt += fake.frames[i].u.fault.code == RS_FAULT_WATCHDOG && fake.frames[i].u.fault.active;
    }
    assert_int_equal(corrupt, 1);
    assert_int_equal(wdt, 1);
}

/* Each good command: expected reply code and the frame that follows it. */
static void test_commands_table(void **state)
{
    (void)state;
    static const struct {
        uint8_t type, arg, code, follow; /* follow: frame type after the reply, 0 none */
    } cases[] = {
        { RS_FT_CMD_GET_INFO, 0, RS_REPLY_ACK, RS_FT_INFO },
        { RS_FT_CMD_GET_CAL, 0, RS_REPLY_ACK, RS_FT_CAL },
        { RS_FT_CMD_STOP, 0, RS_REPLY_ACK, 0 },
        { RS_FT_CMD_START, 0, RS_REPLY_ACK, RS_FT_INFO },
        { RS_FT_CMD_SET_CAL, 0, RS_REPLY_ACK, 0 },
        { RS_FT_CMD_SET_CAL, 1, RS_NAK_ARG, 0 },
        { RS_FT_CMD_SET_CAL, 2, RS_NAK_ARG, 0 },
        { RS_FT_CMD_SET_CAL, 3, RS_NAK_ARG, 0 },
        { RS_FT_CMD_IDENTIFY, 3, RS_REPLY_ACK, 0 },
        { RS_FT_CMD_RESET, 2, RS_NAK_ARG, 0 },
        { RS_FT_CMD_RESET, 0, RS_REPLY_ACK, 0 },
    };
    boot();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned from = fake.nframes;
        uint8_t token = (uint8_t)(0x40 + i);
        send_cmd(cases[i].type, token, cases[i].arg);
        /* Data first, then the reply (docs/protocol.md). */
        unsigned at = from;
        if (cases[i].follow) {
            assert_int_equal(fake.nframes, from + 2);
            assert_int_equal(fake.frames[from].type, cases[i].follow);
            at = from + 1;
        } else {
            assert_int_equal(fake.nframes, from + 1);
        }
        const struct rs_frame *r = &fake.frames[at];
        assert_int_equal(r->type, RS_FT_REPLY);
        assert_int_equal(r->u.reply.token, token);
        assert_int_equal(r->u.reply.cmd, cases[i].type);
        assert_int_equal(r->u.reply.code, cases[i].code);
    }
    /* Effects. */
    assert_int_equal(dev.cal.offset_left, 4242);          /* the valid SET_CAL only */
    assert_int_equal(dev.reset_req, RS_DEV_RESET_RESTART); /* RESET 0 */
    assert_int_equal(dev.streaming, 1);                    /* STOP then START */
}

static void test_save_reply_deferred(void **state)
{
    (void)state;
    boot();
    send_cmd(RS_FT_CMD_SET_CAL, 1, 0);
    unsigned from = fake.nframes;
    send_cmd(RS_FT_CMD_SAVE_CAL, 0x77, 0);
    assert_int_equal(fake.nframes, from); /* answered when written */
    send_cmd(RS_FT_CMD_SAVE_CAL, 0x78, 0);
    const struct rs_reply *r = last_reply(from);
    assert_non_null(r);
    assert_int_equal(r->token, 0x78);
    assert_int_equal(r->code, RS_NAK_BUSY);
    for (int i = 0; i < 200 && !fake_find(RS_FT_REPLY, from + 1 /* after the NAK */) ; i++)
        rs_dev_housekeeping(&dev, 0);
    int at;
    unsigned pos = from + 1;
    for (int i = 0; i < 200; i++) {
        rs_dev_housekeeping(&dev, (uint32_t)i * 4000u);
        if ((at = fake_find(RS_FT_REPLY, pos)) >= 0)
            break;
    }
    at = fake_find(RS_FT_REPLY, pos);
    assert_true(at >= 0);
    assert_int_equal(fake.frames[at].u.reply.token, 0x77);
    assert_int_equal(fake.frames[at].u.reply.code, RS_REPLY_ACK);
    assert_int_equal(dev.cal_state, RS_CAL_OK);
    /* A fresh boot loads it. */
    struct rs_dev d2;
    rs_dev_init(&d2, 0, 0);
    assert_int_equal(d2.cal_state, RS_CAL_OK);
    assert_int_equal(d2.cal.offset_left, 4242);
}

/* Bad frames: what the device must answer (or not). */
static void test_bad_frames_table(void **state)
{
    (void)state;
    static const uint8_t long_body[40] = { 0x33 };
    static const struct {
        const char *what;
        uint8_t version, type;
        const uint8_t *body;
        uint8_t n;
        int bad_crc;
        int replies;       /* 1: one reply expected, 0: none */
        uint8_t code, token;
    } cases[] = {
        { "unknown command", 1, 0x9a, (const uint8_t *)"\x21", 1, 0, 1, RS_NAK_UNKNOWN, 0x21 },
        { "unknown, no body", 1, 0xf0, NULL, 0, 0, 1, RS_NAK_UNKNOWN, 0 },
        { "short SET_CAL", 1, RS_FT_CMD_SET_CAL, (const uint8_t *)"\x22\x01\x02", 3, 0, 1, RS_NAK_LENGTH, 0x22 },
        { "START without token", 1, RS_FT_CMD_START, NULL, 0, 0, 1, RS_NAK_LENGTH, 0 },
        { "IDENTIFY without seconds", 1, RS_FT_CMD_IDENTIFY, (const uint8_t *)"\x23", 1, 0, 1, RS_NAK_LENGTH, 0x23 },
        { "longer body accepted", 1, RS_FT_CMD_GET_INFO, long_body, 40, 0, 1, RS_REPLY_ACK, 0x33 },
        { "bad CRC dropped", 1, RS_FT_CMD_GET_INFO, (const uint8_t *)"\x24", 1, 1, 0, 0, 0 },
        { "other version dropped", 2, RS_FT_CMD_GET_INFO, (const uint8_t *)"\x25", 1, 0, 0, 0, 0 },
        { "device frame type ignored", 1, RS_FT_SAMPLE, long_body, 20, 0, 0, 0, 0 },
        { "unknown device-side type ignored", 1, 0x33, (const uint8_t *)"\x26", 1, 0, 0, 0, 0 },
    };
    boot();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned from = fake.nframes;
        send_raw(cases[i].version, cases[i].type, cases[i].body, cases[i].n, cases[i].bad_crc);
        unsigned replies = fake_count(RS_FT_REPLY, from);
        if (replies != (unsigned)cases[i].replies)
            fail_msg("%s: %u replies", cases[i].what, replies);
        if (cases[i].replies) {
            const struct rs_reply *r = last_reply(from);
            if (r->code != cases[i].code || r->token != cases[i].token || r->cmd != cases[i].type)
                fail_msg("%s: code %u token %u cmd %u", cases[i].what, r->code, r->token, r->cmd);
        }
    }
    /* Garbage and oversize runs between frames do not hurt the next one. */
    uint8_t junk[300];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 37 + 1);
    feed(junk, sizeof junk);
    uint8_t z = 0;
    feed(&z, 1);
    unsigned from = fake.nframes;
    send_cmd(RS_FT_CMD_GET_INFO, 0x99, 0);
    const struct rs_reply *r = last_reply(from);
    assert_non_null(r);
    assert_int_equal(r->token, 0x99);
}

/* The frame rule: one per left conversion, at its captured time, with the
 * latest right value; right-driven while left is in fault; clock-driven
 * with both in fault. */
static void test_sample_rule(void **state)
{
    (void)state;
    boot();
    uint32_t t = 0;
    int32_t v = 0;
    poll_at(t, t); /* arm both */
    unsigned from = fake.nframes;
    for (int i = 0; i < 10; i++) {
        t += RS_HX_PERIOD_US;
        fake_hx_convert(1, 100 + i);
        fake_hx_convert(0, -100 - i);
        assert_int_equal(poll_at(t + 300, t), 1);
        poll_at(t + 400, t + 400); /* re-arm */
        rs_dev_housekeeping(&dev, t + 500);
    }
    assert_int_equal(fake_count(RS_FT_SAMPLE, from), 10);
    uint32_t seq0 = fake.frames[fake_find(RS_FT_SAMPLE, from)].u.sample.seq;
    int k = 0;
    for (unsigned i = from; i < fake.nframes; i++) {
        if (fake.frames[i].type != RS_FT_SAMPLE)
            continue;
        const struct rs_sample *s = &fake.frames[i].u.sample;
        assert_int_equal(s->seq, seq0 + (uint32_t)k);
        assert_int_equal(s->t_us, (uint32_t)(k + 1) * RS_HX_PERIOD_US);
        assert_int_equal(s->left, -100 - k);
        assert_int_equal(s->right, 100 + k);
        assert_int_equal(s->status & (RS_ST_HX_LEFT | RS_ST_HX_RIGHT), 0);
        assert_true(s->status & RS_ST_CAL_DEFAULT);
        k++;
    }

    /* Left gone: after the fault, right conversions make the frames. */
    fake.hx[0].mode = FAKE_HX_ABSENT;
    from = fake.nframes;
    for (int i = 0; i < 8; i++) {
        t += RS_HX_PERIOD_US;
        fake_hx_convert(1, 500 + i);
        poll_at(t, t);
        poll_at(t + 100, t + 100);
        rs_dev_housekeeping(&dev, t + 200);
    }
    int fault_at = fake_find(RS_FT_FAULT, from);
    assert_true(fault_at >= 0);
    assert_int_equal(fake.frames[fault_at].u.fault.code, RS_FAULT_HX_LEFT);
    assert_int_equal(fake.frames[fault_at].u.fault.active, 1);
    assert_true(fake_count(RS_FT_SAMPLE, from) >= 4);
    const struct rs_sample *last = NULL;
    for (unsigned i = from; i < fake.nframes; i++)
        if (fake.frames[i].type == RS_FT_SAMPLE)
            last = &fake.frames[i].u.sample;
    assert_true(last->status & RS_ST_HX_LEFT);
    assert_int_equal(last->right, 507);

    /* Both gone: a frame every 12.5 ms anyway. */
    fake.hx[1].mode = FAKE_HX_ABSENT;
    from = fake.nframes;
    for (int i = 0; i < 100; i++) {
        t += 4000;
        poll_at(t, t);
        rs_dev_housekeeping(&dev, t);
    }
    unsigned n = fake_count(RS_FT_SAMPLE, from);
    if (n < 25 || n > 33) /* 400 ms, the first ~40 ms to detect */
        fail_msg("%u fallback frames", n);

    /* Dropped frames: the next sent one carries OVERFLOW, seq counts on. */
    fake.hx[0].mode = fake.hx[1].mode = FAKE_HX_OK;
    poll_at(t, t);
    fake.send_fail = 1;
    t += RS_HX_PERIOD_US;
    fake_hx_convert(0, 1);
    poll_at(t, t);
    fake.send_fail = 0;
    t += RS_HX_PERIOD_US;
    poll_at(t, t);
    fake_hx_convert(0, 2);
    from = fake.nframes;
    poll_at(t, t);
    int at = fake_find(RS_FT_SAMPLE, from);
    assert_true(at >= 0);
    assert_true(fake.frames[at].u.sample.status & RS_ST_OVERFLOW);
    (void)v;
}

static void test_stop_silences_samples(void **state)
{
    (void)state;
    boot();
    send_cmd(RS_FT_CMD_STOP, 1, 0);
    unsigned from = fake.nframes;
    uint32_t t = 0;
    poll_at(t, t);
    for (int i = 0; i < 5; i++) {
        t += RS_HX_PERIOD_US;
        fake_hx_convert(0, i);
        poll_at(t, t);
        poll_at(t + 1, t + 1);
    }
    assert_int_equal(fake_count(RS_FT_SAMPLE, from), 0);
    send_cmd(RS_FT_CMD_START, 2, 0);
    assert_int_equal(fake_count(RS_FT_INFO, from), 1);
}

/* Answers wait for room instead of being dropped, and command intake
 * pauses meanwhile (back-pressure). */
static void test_answers_wait(void **state)
{
    (void)state;
    boot();
    struct rs_frame f;
    memset(&f, 0, sizeof f);
    uint8_t wire[2 * RS_WIRE_MAX];
    f.type = RS_FT_CMD_GET_INFO;
    f.u.cmd.token = 1;
    size_t n1 = rs_frame_encode(&f, wire);
    f.u.cmd.token = 2;
    size_t n2 = rs_frame_encode(&f, wire + n1);
    unsigned from = fake.nframes;
    fake.send_fail = 1; /* transports full */
    uint8_t used = rs_dev_rx_bytes(&dev, &link, wire, (uint8_t)(n1 + n2));
    assert_int_equal(used, n1); /* stopped after the first command */
    assert_true(rs_dev_busy(&dev));
    assert_int_equal(fake.nframes, from);
    rs_dev_flush(&dev); /* still full */
    assert_int_equal(fake.nframes, from);
    fake.send_fail = 0;
    rs_dev_flush(&dev);
    assert_false(rs_dev_busy(&dev));
    assert_int_equal(fake.nframes, from + 2);
    assert_int_equal(fake.frames[from].type, RS_FT_INFO);
    assert_int_equal(fake.frames[from + 1].type, RS_FT_REPLY);
    assert_int_equal(fake.frames[from + 1].u.reply.token, 1);
    /* The rest is taken now. */
    assert_int_equal(rs_dev_rx_bytes(&dev, &link, wire + used, (uint8_t)n2), n2);
    const struct rs_reply *r = last_reply(from + 2);
    assert_non_null(r);
    assert_int_equal(r->token, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_info),
        cmocka_unit_test(test_boot_faults),
        cmocka_unit_test(test_commands_table),
        cmocka_unit_test(test_save_reply_deferred),
        cmocka_unit_test(test_bad_frames_table),
        cmocka_unit_test(test_sample_rule),
        cmocka_unit_test(test_stop_silences_samples),
        cmocka_unit_test(test_answers_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
