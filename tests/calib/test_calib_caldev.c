/*
 * test_calib_caldev.c - the calibration conversation (rs_caldev) against an
 * in-process roller (rs_link byte source) that can misbehave: lost replies
 * (resent), NAKs, a read-back that differs, another protocol version, and
 * silence. Real clock: the few waits are bounded (resend 300 ms, timeouts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rs_caldev.h"
#include "rs_defaults.h"
#include "rs_link.h"

struct roller {
    struct rs_decoder dec;
    uint8_t out[4096];
    size_t out_len;
    struct rs_cal ram, eeprom;
    bool saved;
    int drop_replies;       /* swallow this many commands entirely */
    int nak_set;            /* SET_CAL answers this NAK code (0 = ACK) */
    bool bad_readback;
    bool speak_v2;          /* INFO frames with protocol version 2 */
    bool silent;
    int busy_saves;         /* answer this many SAVE_CALs with NAK 4 (busy) first */
    int set_cals, saves, commands;
};

static void put(struct roller *r, const struct rs_frame *f)
{
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(f, wire);
    if (r->out_len + n <= sizeof r->out) {
        memcpy(r->out + r->out_len, wire, n);
        r->out_len += n;
    }
}

static void info(struct roller *r)
{
    if (r->speak_v2) {
        uint8_t raw[RS_FRAME_MAX] = { 2, RS_FT_INFO };
        uint8_t wire[RS_WIRE_MAX];
        size_t n = rs_wire_wrap(raw, 2 + 22, wire);
        memcpy(r->out + r->out_len, wire, n);
        r->out_len += n;
        return;
    }
    struct rs_frame f = { .type = RS_FT_INFO };
    f.u.info.cal_state = r->saved ? RS_CAL_OK : RS_CAL_DEFAULT;
    f.u.info.sample_rate_hz = 80;
    memcpy(f.u.info.serial, "RS-UNIT01", 9);
    put(r, &f);
}

static void reply(struct roller *r, const struct rs_frame *c, uint8_t code)
{
    struct rs_frame f = { .type = RS_FT_REPLY };
    f.u.reply.token = c->u.cmd.token;
    f.u.reply.cmd = c->type;
    f.u.reply.code = code;
    put(r, &f);
}

static void command(struct roller *r, const struct rs_frame *c)
{
    r->commands++;
    if (r->silent)
        return;
    if (r->speak_v2) { /* every frame of a version 2 roller is version 2 */
        info(r);
        return;
    }
    if (r->drop_replies > 0) {
        r->drop_replies--;
        return;
    }
    switch (c->type) {
    case RS_FT_CMD_GET_INFO:
        info(r);
        reply(r, c, 0);
        break;
    case RS_FT_CMD_GET_CAL: {
        struct rs_frame f = { .type = RS_FT_CAL };
        f.u.cal = r->ram;
        if (r->bad_readback && r->set_cals == 1) /* the written block comes back wrong */
            f.u.cal.radius_um += 1;
        put(r, &f);
        reply(r, c, 0);
        break;
    }
    case RS_FT_CMD_SET_CAL:
        r->set_cals++;
        if (r->nak_set) {
            reply(r, c, (uint8_t)r->nak_set);
            break;
        }
        r->ram = c->u.cmd.arg.cal;
        reply(r, c, 0);
        break;
    case RS_FT_CMD_SAVE_CAL:
        if (r->busy_saves > 0) {
            r->busy_saves--;
            reply(r, c, RS_NAK_BUSY);
            break;
        }
        r->saves++;
        r->eeprom = r->ram;
        r->saved = true;
        reply(r, c, 0);
        break;
    default:
        reply(r, c, 0);
        break;
    }
}

static int produce(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us)
{
    (void)now_us;
    (void)next_us;
    struct roller *r = ctx;
    size_t n = r->out_len < cap ? r->out_len : cap;
    memcpy(buf, r->out, n);
    memmove(r->out, r->out + n, r->out_len - n);
    r->out_len -= n;
    return (int)n;
}

static int consume(void *ctx, const uint8_t *buf, size_t n, uint64_t now_us)
{
    (void)now_us;
    struct roller *r = ctx;
    struct rs_frame f;
    for (size_t i = 0; i < n; i++)
        if (rs_decoder_push(&r->dec, buf[i], &f))
            command(r, &f);
    return 0;
}

static struct rs_link *link_to(struct roller *r)
{
    rs_decoder_init(&r->dec);
    r->ram.scale_left = r->ram.scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N;
    r->ram.radius_um = RS_DEFAULT_RADIUS_UM;
    r->ram.enc_dir = 1;
    struct rs_byte_source src = { .ctx = r, .produce = produce, .consume = consume };
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open_source(&l, &src, "unit roller"), 0);
    return l;
}

static struct rs_cal block(void)
{
    struct rs_cal c = { .offset_left = 1234, .offset_right = -99, .scale_left = 2150.5f,
                        .scale_right = 2230.25f, .radius_um = 68500, .enc_dir = -1 };
    return c;
}

static void test_calib_caldev_apply_and_resend(void **state)
{
    (void)state;
    static struct roller r;
    memset(&r, 0, sizeof r);
    r.drop_replies = 1; /* the first GET_INFO is lost: resent after 300 ms */
    struct rs_caldev *d;
    char why[256];
    assert_int_equal(rs_caldev_open_link(&d, link_to(&r), "unit", 2000, why, sizeof why), 0);
    assert_string_equal(rs_caldev_serial(d), "RS-UNIT01");
    assert_int_equal(rs_caldev_info(d)->cal_state, RS_CAL_DEFAULT);
    assert_true(r.commands >= 2);
    struct rs_cal want = block(), got;
    r.busy_saves = 2; /* "busy" is not a refusal: asked again until it is done */
    assert_int_equal(rs_caldev_apply(d, &want, why, sizeof why), 0);
    assert_int_equal(r.saves, 1);
    assert_int_equal(rs_caldev_info(d)->cal_state, RS_CAL_OK);
    assert_int_equal(rs_caldev_get_cal(d, &got, why, sizeof why), 0);
    memcpy(want.serial, "RS-UNIT01", 9); /* apply stamps the roller's serial */
    assert_true(rs_cal_equal(&got, &want));
    assert_true(rs_cal_equal(&r.eeprom, &want));
    rs_caldev_close(d);
}

static void test_calib_caldev_failures(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int nak_set;
        bool bad_readback, speak_v2, silent, at_open;
        int rc;
        const char *why;
    } cases[] = {
        { "NAK on SET_CAL", RS_NAK_ARG, false, false, false, false, RS_CALDEV_NAK,
          "the roller refused cmd_set_cal: a value is out of range (NAK 3)" },
        { "read-back differs", 0, true, false, false, false, RS_CALDEV_VERIFY,
          "reads back a different calibration" },
        { "protocol version 2", 0, false, true, false, true, RS_CALDEV_VERSION,
          "speaks protocol version 2" },
        { "silence", 0, false, false, true, true, RS_CALDEV_TIMEOUT,
          "no roller answers on unit" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct roller r;
        memset(&r, 0, sizeof r);
        r.speak_v2 = cases[i].speak_v2;
        r.silent = cases[i].silent;
        struct rs_caldev *d = NULL;
        char why[256] = "";
        int rc = rs_caldev_open_link(&d, link_to(&r), "unit", 700, why, sizeof why);
        if (!cases[i].at_open) {
            assert_int_equal(rc, 0);
            r.nak_set = cases[i].nak_set;
            r.bad_readback = cases[i].bad_readback;
            struct rs_cal b = block();
            rc = rs_caldev_apply(d, &b, why, sizeof why);
            /* The roller uses its old block again (set back in RAM). */
            r.bad_readback = false;
            assert_int_equal(r.ram.radius_um, RS_DEFAULT_RADIUS_UM);
            rs_caldev_close(d);
        } else {
            assert_null(d);
        }
        if (rc != cases[i].rc || !strstr(why, cases[i].why))
            fail_msg("%s: rc %d, message '%s'", cases[i].name, rc, why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_caldev_apply_and_resend),
        cmocka_unit_test(test_calib_caldev_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
