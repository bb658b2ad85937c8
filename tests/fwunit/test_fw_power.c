/*
 * test_fw_power.c - USB power states (firmware/src/usb_power.c) and what the
 * device logic does with them (rs_dev_suspend / rs_dev_resume on the fake
 * HAL): simavr has no VBUS, suspend or resume, so these host tests are where
 * that logic is proven (docs/firmware.md has the hardware checklist).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_hal.h"
#include "rs_dev.h"
#include "rs_enc.h"
#include "usb_power.h"

enum {
    A = USB_PWR_ACTIVE, S = USB_PWR_SUSPENDED, N = USB_PWR_NO_VBUS,
    E_RST = USB_PWR_EV_RESET, E_SUS = USB_PWR_EV_SUSPEND, E_WAK = USB_PWR_EV_WAKEUP,
    E_VB = USB_PWR_EV_VBUS,
    THAW = USB_PWR_ACT_THAW, ATT = USB_PWR_ACT_ATTACH, RST = USB_PWR_ACT_BUS_RESET,
    DET = USB_PWR_ACT_DETACH, FRZ = USB_PWR_ACT_FREEZE, OFF = USB_PWR_ACT_SENSORS_OFF,
    ON = USB_PWR_ACT_SENSORS_ON,
};

struct pm_case {
    uint8_t from, events, vbus, to, actions;
    const char *what;
};

static const struct pm_case pm_cases[] = {
    { A, 0, 1, A, 0, "nothing happened" },
    { A, E_SUS, 1, S, FRZ | OFF, "host suspends the bus" },
    { A, E_SUS, 0, S, FRZ | OFF, "the VBUS level means nothing without its event" },
    { S, E_WAK, 1, A, THAW | ON, "host resumes" },
    { S, E_SUS, 1, S, 0, "suspend while suspended" },
    { A, E_WAK, 1, A, 0, "wake-up while running" },
    { A, E_SUS | E_WAK, 1, A, 0, "suspend and wake-up in one pass cancel" },
    { S, E_SUS | E_WAK, 1, S, 0, "wake-up and suspend in one pass cancel" },
    { A, E_RST, 1, A, RST, "bus reset while running" },
    { S, E_RST, 1, A, THAW | RST | ON, "bus reset while suspended" },
    { S, E_WAK | E_RST, 1, A, THAW | RST | ON, "wake-up by a bus reset" },
    { A, E_SUS | E_RST, 1, A, RST, "a reset means the bus runs" },
    { A, E_VB, 0, N, DET | FRZ | OFF, "VBUS lost while running" },
    { S, E_VB, 0, N, DET, "VBUS lost while suspended (clock already frozen)" },
    { A, E_VB | E_RST, 0, N, DET | FRZ | OFF, "VBUS lost wins over a reset" },
    { N, E_VB, 1, A, THAW | ATT | ON, "VBUS back: attach" },
    { N, E_VB | E_RST, 1, A, THAW | ATT | RST | ON, "VBUS back and a reset at once" },
    { N, E_SUS | E_WAK | E_RST, 0, N, 0, "no VBUS: bus events mean nothing" },
    { N, E_RST, 1, N, 0, "no VBUS: a level without its event means nothing" },
    { N, E_VB, 0, N, 0, "VBUS low again" },
    { A, E_VB, 1, A, 0, "VBUS high again" },
    { S, E_VB, 1, S, 0, "VBUS high while suspended" },
};

static void test_power_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pm_cases / sizeof pm_cases[0]; i++) {
        const struct pm_case *c = &pm_cases[i];
        uint8_t st = c->from;
        uint8_t act = usb_power_step(&st, c->events, c->vbus);
        if (st != c->to || act != c->actions)
            fail_msg("%s: state %u actions 0x%02x, expected %u 0x%02x", c->what, st, act, c->to,
                     c->actions);
    }
}

/* The order usb_cdc.c carries the actions out in is the bit order: the clock
 * runs before the controller is touched, and is frozen last. */
static void test_action_order(void **state)
{
    (void)state;
    assert_true(THAW < ATT && ATT < RST && RST < DET && DET < FRZ);
}

static struct rs_dev dev;

static void boot(void)
{
    fake_reset();
    rs_dev_init(&dev, 0, 0);
}

/* One conversion on both chips at time t, polled as the main loop does. */
static void convert_at(uint32_t t, int32_t v)
{
    fake.now_us = t;
    fake_hx_convert(RS_HX_LEFT, v);
    fake_hx_convert(RS_HX_RIGHT, v + 1);
    rs_dev_poll_hx(&dev, t);
}

static void test_suspend_powers_down(void **state)
{
    (void)state;
    boot();
    convert_at(12500, 100);
    unsigned before = fake_count(RS_FT_SAMPLE, 0);
    assert_int_equal(before, 1);
    fake.led = 1;
    rs_dev_suspend(&dev);
    assert_true(dev.suspended);
    assert_true(fake.hx_power_off);
    assert_int_equal(fake.hx[0].sck, 1); /* PD_SCK held high = power-down */
    assert_int_equal(fake.hx[1].sck, 1);
    assert_int_equal(fake.led, 0);
    assert_false(fake.enc_powered); /* the encoder's supply is switched off */
    /* Resume wakes them and keeps the stream's state. */
    rs_dev_resume(&dev, 1000000);
    assert_true(fake.enc_powered);
    assert_false(dev.suspended);
    assert_false(fake.hx_power_off);
    assert_int_equal(fake.hx[0].sck, 0);
    assert_int_equal(fake.hx[1].sck, 0);
    assert_true(dev.streaming);
}

static void test_resume_without_suspend_does_nothing(void **state)
{
    (void)state;
    boot();
    int calls = fake.hx_power_calls;
    rs_dev_resume(&dev, 5000);
    assert_int_equal(fake.hx_power_calls, calls);
    assert_false(dev.settling);
    convert_at(12500, 7);
    assert_int_equal(fake_count(RS_FT_SAMPLE, 0), 1);
}

/* Conversions in the settling time after a wake-up are read (DOUT must rise
 * again) and dropped; the first one at or after it is sent. No fault is
 * timed while the chips are down or settling. */
static void test_resume_settles(void **state)
{
    (void)state;
    boot();
    convert_at(12500, 1);
    uint32_t seq = dev.seq;
    rs_dev_suspend(&dev);
    const uint32_t t0 = 10000000; /* long after: the chips were down meanwhile */
    rs_dev_resume(&dev, t0);
    unsigned from = fake.nframes;
    /* 4 ms housekeeping through the settling time, with a conversion each
     * 12.5 ms as the woken chips make them. */
    for (uint32_t t = t0; t < t0 + RS_HX_SETTLE_US; t += 4000) {
        fake.now_us = t;
        rs_dev_housekeeping(&dev, t);
    }
    convert_at(t0 + RS_HX_SETTLE_US - 1, 2);
    assert_int_equal(fake.hx[0].reads, 2); /* read ... */
    assert_int_equal(fake.hx[1].reads, 2);
    assert_int_equal(fake_count(RS_FT_SAMPLE, from), 0); /* ... and dropped */
    assert_int_equal(fake_count(RS_FT_FAULT, from), 0);
    assert_false(dev.hx[0].fault || dev.hx[1].fault);
    /* At the end of the settling time samples flow again, seq continuing. */
    convert_at(t0 + RS_HX_SETTLE_US, 3);
    int k = fake_find(RS_FT_SAMPLE, from);
    assert_true(k >= 0);
    assert_int_equal(fake.frames[k].u.sample.seq, seq);
    assert_int_equal(fake.frames[k].u.sample.left, 3);
    assert_false(dev.settling);
}

/* A chip that does not come back is in fault RS_HX_FAULT_US after the
 * settling time, not before (its timer starts afresh then). */
static void test_fault_after_settling(void **state)
{
    (void)state;
    boot();
    rs_dev_suspend(&dev);
    const uint32_t t0 = 2000000;
    rs_dev_resume(&dev, t0);
    fake.hx[1].mode = FAKE_HX_ABSENT;
    unsigned from = fake.nframes;
    uint32_t t_fault = 0;
    for (uint32_t t = t0; t < t0 + RS_HX_SETTLE_US + 2 * RS_HX_FAULT_US; t += 500) {
        fake.now_us = t;
        if ((t - t0) % 12500u == 0)
            fake_hx_convert(RS_HX_LEFT, 5);
        rs_dev_poll_hx(&dev, t);
        rs_dev_housekeeping(&dev, t);
        if (!t_fault && dev.hx[1].fault)
            t_fault = t;
    }
    assert_true(t_fault > t0 + RS_HX_SETTLE_US + RS_HX_FAULT_US);
    assert_true(t_fault <= t0 + RS_HX_SETTLE_US + RS_HX_FAULT_US + 1000);
    assert_false(dev.hx[0].fault);
    assert_true(fake_count(RS_FT_FAULT, from) >= 1);
}


/* Encoder frames through the 1 kHz ticks from t to t_end (inclusive). */
static void enc_ticks(uint32_t t, uint32_t t_end)
{
    for (uint32_t n = (t_end - t) / 1000u + 1u; n; n--, t += 1000u) {
        fake.now_us = t;
        rs_dev_poll_enc(&dev);
    }
}

/* No frame before the AS5048A's power-up time after its supply came on, at
 * start-up and after a resume, even when the first tick comes at once: the
 * first frame on the tick RS_ENC_POWERUP_US after it, then one every tick. */
static void test_encoder_power_up_time(void **state)
{
    (void)state;
    static const uint32_t t_on[] = { 0u, 3000000u, 0xffffd000u /* across the clock wrap */ };
    for (size_t i = 0; i < sizeof t_on / sizeof t_on[0]; i++) {
        fake_reset();
        fake.now_us = i == 0 ? 0 : 1000;
        rs_dev_init(&dev, fake.now_us, 0);
        assert_true(fake.enc_powered);
        uint32_t t0 = fake.now_us;
        if (i > 0) {
            rs_dev_suspend(&dev);
            t0 = fake.now_us = t_on[i];
            rs_dev_resume(&dev, t0);
            assert_true(fake.enc_powered);
        }
        unsigned sent = fake.enc_sent_n;
        enc_ticks(t0, t0 + RS_ENC_POWERUP_US); /* a tick at once, then every ms */
        assert_int_equal(fake.enc_sent_n, sent); /* nothing up to the power-up time */
        enc_ticks(t0 + RS_ENC_POWERUP_US + 1000, t0 + RS_ENC_POWERUP_US + 3000);
        assert_int_equal(fake.enc_sent_n, sent + 3); /* then every tick */
        assert_int_equal(fake.enc_early, 0);
    }
}

/* Suspended: the encoder is off; resumed, suspended again within the
 * power-up wait and resumed: the wait counts from the last resume. */
static void test_encoder_silent_while_suspended(void **state)
{
    (void)state;
    boot();
    enc_ticks(0, RS_ENC_POWERUP_US + 5000);
    rs_dev_suspend(&dev);
    rs_dev_suspend(&dev); /* twice: still off */
    assert_false(fake.enc_powered);
    const uint32_t t0 = 5000000, t1 = t0 + RS_ENC_POWERUP_US / 2;
    fake.now_us = t0;
    rs_dev_resume(&dev, t0);
    enc_ticks(t0, t1 - 1000);
    rs_dev_suspend(&dev);
    fake.now_us = t1;
    rs_dev_resume(&dev, t1);
    unsigned sent = fake.enc_sent_n;
    enc_ticks(t1, t1 + RS_ENC_POWERUP_US);
    assert_int_equal(fake.enc_sent_n, sent);
    enc_ticks(t1 + RS_ENC_POWERUP_US + 1000, t1 + RS_ENC_POWERUP_US + 1000);
    assert_int_equal(fake.enc_sent_n, sent + 1);
    assert_int_equal(fake.enc_early, 0);
}

/* Angle replies with parity (the fake encoder answers every frame with
 * fake.enc_reply, the diagnostics reads too: angles with bits 9-11 clear
 * read as a good field there). */
static uint16_t angle_reply(uint16_t a)
{
    uint16_t w = a & RS_ENC_DATA;
    return rs_enc_parity_ok(w) ? w : (uint16_t)(w | RS_ENC_PARITY);
}

/* The magnet may turn while the encoder is unpowered: after the resume the
 * count goes on from where it was (no jump by the angle moved meanwhile),
 * then follows the angle again; a frame in flight at the suspend is not
 * taken as an answer afterwards. */
static void test_encoder_rereferences_after_resume(void **state)
{
    (void)state;
    boot();
    fake.enc_reply = angle_reply(0x100);
    uint32_t t = 0;
    enc_ticks(t, t + RS_ENC_POWERUP_US + 20000);
    fake.enc_reply = angle_reply(0x164); /* +100 */
    enc_ticks(t + RS_ENC_POWERUP_US + 21000, t + RS_ENC_POWERUP_US + 40000);
    int32_t before = dev.enc.count;
    assert_int_equal(before, 100);
    /* A frame still running when the bus suspends. */
    fake.enc_hang = 1;
    enc_ticks(t + RS_ENC_POWERUP_US + 41000, t + RS_ENC_POWERUP_US + 41000);
    rs_dev_suspend(&dev);
    assert_false(dev.enc.in_flight);
    fake.enc_hang = 0;
    /* Meanwhile the roller turned by 4096 counts. */
    fake.enc_reply = angle_reply(0x1164);
    const uint32_t t0 = 9000000;
    fake.now_us = t0;
    rs_dev_resume(&dev, t0);
    enc_ticks(t0, t0 + RS_ENC_POWERUP_US + 20000);
    assert_int_equal(dev.enc.count, before);
    fake.enc_reply = angle_reply(0x1196); /* +50 */
    enc_ticks(t0 + RS_ENC_POWERUP_US + 21000, t0 + RS_ENC_POWERUP_US + 40000);
    assert_int_equal(dev.enc.count, before + 50);
    assert_int_equal(fake.enc_early, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_table),
        cmocka_unit_test(test_action_order),
        cmocka_unit_test(test_suspend_powers_down),
        cmocka_unit_test(test_resume_without_suspend_does_nothing),
        cmocka_unit_test(test_resume_settles),
        cmocka_unit_test(test_fault_after_settling),
        cmocka_unit_test(test_encoder_power_up_time),
        cmocka_unit_test(test_encoder_silent_while_suspended),
        cmocka_unit_test(test_encoder_rereferences_after_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
