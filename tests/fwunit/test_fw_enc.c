/*
 * test_fw_enc.c - encoder frames, parity, error flag, diagnostics and the
 * unwrap into a cumulative count (firmware/src/rs_enc.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fake_hal.h"
#include "rs_enc.h"

static uint16_t par(uint16_t w)
{
    return rs_enc_parity_ok(w) ? w : (uint16_t)(w ^ 0x8000u);
}

static void test_parity(void **state)
{
    (void)state;
    static const struct { uint16_t w; uint8_t ok; } cases[] = {
        { 0x0000u, 1 }, { 0x8001u, 1 }, { 0x0001u, 0 }, { 0xffffu, 1 },
        { 0x7fffu, 0 }, { 0x4001u, 1 }, { 0xfffdu, 0 }, { 0x7ffdu, 1 }, { 0x3fffu, 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rs_enc_parity_ok(cases[i].w), cases[i].ok);
    /* Against a bit count, for every word. */
    for (uint32_t w = 0; w < 0x10000u; w++) {
        int ones = __builtin_popcount(w);
        assert_int_equal(rs_enc_parity_ok((uint16_t)w), (ones & 1) == 0);
    }
    /* The precomputed command words. */
    assert_int_equal(rs_enc_read_cmd(RS_ENC_REG_ANGLE), RS_ENC_CMD_ANGLE);
    assert_int_equal(rs_enc_read_cmd(RS_ENC_REG_DIAG), RS_ENC_CMD_DIAG);
    assert_int_equal(rs_enc_read_cmd(RS_ENC_REG_CLEAR_ERROR), RS_ENC_CMD_CLEAR_ERROR);
}

static void test_delta(void **state)
{
    (void)state;
    static const struct { uint16_t a, b; int16_t d; } cases[] = {
        { 0, 0, 0 }, { 1, 0, 1 }, { 0, 1, -1 }, { 0, 16383, 1 }, { 16383, 0, -1 },
        { 8191, 0, 8191 }, { 8192, 0, -8192 }, { 100, 16300, 184 }, { 16300, 100, -184 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rs_enc_delta(cases[i].a, cases[i].b), cases[i].d);
}

/* Feed the encoder state machine with a simulated angle through the HAL
 * (replies arrive one frame late, like the chip). */
static int64_t g_pos;       /* true cumulative count */
static uint16_t g_diag = 0x0180u;

static uint16_t g_last_cmd;

static void step_with(struct rs_enc *e)
{
    rs_enc_step(e);
    /* The frame just started carries the answer to the command before it. */
    uint16_t cmd = g_last_cmd;
    g_last_cmd = fake.enc_sent[(fake.enc_sent_n - 1) % 64];
    uint16_t data = (cmd == RS_ENC_CMD_DIAG) ? g_diag : (cmd == RS_ENC_CMD_ANGLE)
                                                          ? (uint16_t)((uint64_t)g_pos & 0x3fffu) : 0;
    fake.enc_reply = par(data);
}

/* A fresh encoder state at true position pos, good magnet. */
static void enc_start(struct rs_enc *e, int64_t pos)
{
    fake_reset();
    rs_enc_init(e);
    g_pos = pos;
    g_last_cmd = 0;
    g_diag = 0x0180u;
}

static void steps(struct rs_enc *e, int n)
{
    for (int i = 0; i < n; i++)
        step_with(e);
}

static void test_unwrap_long_rolls(void **state)
{
    (void)state;
    /* Table of motions: counts per step and steps. Forward then back over
     * more than 1000 revolutions, fast and slow, and both ways. */
    static const struct { int32_t per_step; int32_t steps; } legs[] = {
        { 82, 200000 },   /* 5 rev/s at 1 kHz: 1000 revolutions forward */
        { -82, 200000 },  /* and back */
        { 3000, 10000 },  /* fast */
        { -3000, 10000 },
        { 1, 5000 }, { -7, 5000 }, { 0, 100 },
    };
    struct rs_enc e;
    enc_start(&e, 1234);
    steps(&e, 10); /* at rest: the first angle is the reference */
    int64_t expect_offset = -1234;
    for (size_t l = 0; l < sizeof legs / sizeof legs[0]; l++) {
        for (int32_t i = 0; i < legs[l].steps; i++) {
            g_pos += legs[l].per_step;
            step_with(&e);
        }
        step_with(&e);
        step_with(&e);
        /* One step lag: the last angle answered is the current one. */
        assert_int_equal((int64_t)e.count, g_pos + expect_offset);
    }
    assert_int_equal(rs_enc_take_status(&e), 0);
}

static void test_magnet_and_errors(void **state)
{
    (void)state;
    struct rs_enc e;
    enc_start(&e, 0);
    steps(&e, 20);
    int32_t held = e.count;
    /* Magnet gone: diagnostics report a weak field; the count holds even
     * though the angle wanders. */
    g_diag = 0x0800u | 0x0100u | 0xffu;
    for (int i = 0; i < 40; i++) {
        g_pos += 977;
        step_with(&e);
    }
    assert_true(rs_enc_take_status(&e) & RS_ENC_ST_MAGNET);
    int32_t during = e.count;
    assert_true(abs(during - held) <= 12 * 977); /* only until the next diag */
    /* Back: re-reference without a jump, then count again. */
    g_diag = 0x0180u;
    for (int i = 0; i < 20; i++)
        step_with(&e);
    assert_int_equal(rs_enc_take_status(&e) & RS_ENC_ST_MAGNET, 0);
    int32_t after = e.count;
    for (int i = 0; i < 10; i++) {
        g_pos += 5;
        step_with(&e);
    }
    step_with(&e);
    step_with(&e);
    assert_int_equal(e.count - after, 50);

    /* A reply with bad parity: flagged, ignored. */
    rs_enc_step(&e);
    fake.enc_reply = (uint16_t)(par((uint16_t)(g_pos & 0x3fff)) ^ 0x8000u);
    rs_enc_step(&e);
    assert_true(rs_enc_take_status(&e) & RS_ENC_ST_PARITY);
    assert_int_equal(rs_enc_take_status(&e) & RS_ENC_ST_PARITY, 0); /* sticky until taken */

    /* Error flag: flagged, and the next command clears it. */
    fake.enc_reply = par(0x4000u);
    rs_enc_step(&e);
    assert_int_equal(fake.enc_sent[(fake.enc_sent_n - 1) % 64], RS_ENC_CMD_CLEAR_ERROR);
    assert_true(rs_enc_take_status(&e) & RS_ENC_ST_ERROR);
}

static void test_hung_frame_aborted(void **state)
{
    (void)state;
    fake_reset();
    struct rs_enc e;
    rs_enc_init(&e);
    rs_enc_step(&e);
    fake.enc_hang = 1;
    rs_enc_step(&e); /* starts a frame that never ends */
    for (unsigned i = 0; i < RS_ENC_STALL_MAX; i++)
        rs_enc_step(&e);
    assert_int_equal(fake.enc_aborts, 1);
    assert_true(rs_enc_take_status(&e) & RS_ENC_ST_ERROR);
}


/* Power cut and back (rs_enc_restart): the chip's answer pipeline starts
 * empty (its first reply, 0, answers nothing), the diagnostics are read
 * first, an error flag from before is not cleared on the fresh chip, and the
 * magnet having turned meanwhile makes no jump in the count. */
static void test_restart_rereferences(void **state)
{
    (void)state;
    struct rs_enc e;
    enc_start(&e, 500);
    steps(&e, 25); /* 25 frames: the diagnostics phase is not 0 */
    g_pos += 40;
    steps(&e, 3);
    int32_t before = e.count;
    assert_int_equal(before, 40);
    e.clear_err = 1; /* an error flag seen just before the supply went off */
    rs_enc_restart(&e);
    g_pos += 3000;   /* turned while unpowered */
    g_last_cmd = 0;  /* the fresh chip was asked nothing: it answers 0 */
    step_with(&e);
    assert_int_equal(fake.enc_sent[(fake.enc_sent_n - 1) % 64], RS_ENC_CMD_DIAG);
    steps(&e, 10);
    assert_int_equal(e.count, before);
    g_pos += 50;
    steps(&e, 3);
    assert_int_equal(e.count, before + 50);
    assert_int_equal(rs_enc_take_status(&e), 0);
}

/* A frame hanging when the supply went off: after the restart the stall
 * count starts afresh for the next frame. */
static void test_restart_forgets_stalls(void **state)
{
    (void)state;
    struct rs_enc e;
    enc_start(&e, 0);
    rs_enc_step(&e);
    fake.enc_hang = 1;
    rs_enc_step(&e); /* a frame that never ends */
    for (unsigned i = 0; i < RS_ENC_STALL_MAX - 2; i++)
        rs_enc_step(&e);
    assert_int_equal(fake.enc_aborts, 0);
    rs_enc_restart(&e);
    assert_false(e.in_flight);
    rs_enc_step(&e); /* the next frame starts, and hangs too */
    for (unsigned i = 0; i < RS_ENC_STALL_MAX - 1; i++)
        rs_enc_step(&e);
    assert_int_equal(fake.enc_aborts, 0);
    rs_enc_step(&e);
    assert_int_equal(fake.enc_aborts, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parity),
        cmocka_unit_test(test_delta),
        cmocka_unit_test(test_unwrap_long_rolls),
        cmocka_unit_test(test_magnet_and_errors),
        cmocka_unit_test(test_hung_frame_aborted),
        cmocka_unit_test(test_restart_rereferences),
        cmocka_unit_test(test_restart_forgets_stalls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
