/*
 * test_fw_hx711.c - HX711 sign extension, bit-level read and the
 * missing/stuck-chip fault timing (firmware/src/rs_hx711.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_hal.h"
#include "rs_hx711.h"

static void test_sign_extend(void **state)
{
    (void)state;
    static const struct { uint32_t raw; int32_t want; } cases[] = {
        { 0x000000u, 0 },
        { 0x000001u, 1 },
        { 0x7fffffu, 8388607 },
        { 0x800000u, -8388608 },
        { 0xffffffu, -1 },
        { 0xfffffeu, -2 },
        { 0x123456u, 0x123456 },
        { 0xabcdefu, (int32_t)0xffabcdefu },
        { 0xff800000u, -8388608 }, /* bits above 24 are ignored */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rs_hx_sign_extend(cases[i].raw), cases[i].want);
}

static void test_read_values(void **state)
{
    (void)state;
    static const int32_t values[] = { 0, 1, -1, 8388607, -8388608, 547450, -219, 0x5a5a5a };
    fake_reset();
    struct rs_hx h;
    rs_hx_init(&h, 0);
    int32_t v = 12345;
    /* Nothing ready yet: DOUT high arms the channel. */
    assert_int_equal(rs_hx_poll(&h, 0, 0, &v), 0);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        fake_hx_convert(0, values[i]);
        assert_int_equal(rs_hx_poll(&h, 0, 1000, &v), 1);
        assert_int_equal(v, values[i]);
        assert_int_equal(fake.hx[0].reads, (int)i + 1);
        /* Exactly one read per conversion. */
        assert_int_equal(rs_hx_poll(&h, 0, 1001, &v), 0);
    }
}

/* Table: mode of the chip over time, and whether the fault must be set. */
static void test_fault_timing(void **state)
{
    (void)state;
    fake_reset();
    struct rs_hx h;
    rs_hx_init(&h, 0);
    int32_t v;
    uint32_t t = 0;
    /* Healthy at 80 SPS for a second: never a fault. */
    for (int i = 0; i < 80; i++, t += RS_HX_PERIOD_US) {
        fake_hx_convert(1, i);
        fake.now_us = t;
        rs_hx_poll(&h, 1, t, &v);
        rs_hx_check(&h, 1, t);
        assert_int_equal(h.fault, 0);
    }
    uint32_t last_ok = t - RS_HX_PERIOD_US;
    /* Absent: the fault appears after three periods without a read, not before. */
    fake.hx[1].mode = FAKE_HX_ABSENT;
    for (uint32_t dt = 0; dt <= 60000; dt += 1000) {
        uint32_t now = last_ok + dt;
        assert_int_equal(rs_hx_poll(&h, 1, now, &v), 0);
        rs_hx_check(&h, 1, now);
        assert_int_equal(h.fault, dt > RS_HX_FAULT_US ? 1 : 0);
    }
    /* Back: the first read clears it. */
    fake.hx[1].mode = FAKE_HX_OK;
    t = last_ok + 70000;
    rs_hx_poll(&h, 1, t, &v); /* DOUT high: re-arm */
    fake_hx_convert(1, -77);
    assert_int_equal(rs_hx_poll(&h, 1, t + 100, &v), 1);
    assert_int_equal(v, -77);
    assert_int_equal(h.fault, 0);
}

static void test_stuck_low_is_a_fault(void **state)
{
    (void)state;
    fake_reset();
    struct rs_hx h;
    rs_hx_init(&h, 0);
    int32_t v;
    rs_hx_poll(&h, 0, 0, &v);
    fake.hx[0].mode = FAKE_HX_STUCK;
    /* DOUT low for ever: the read attempt is recognised as stuck (DOUT
     * still low after the 25th clock) and delivers nothing; the fault comes
     * after 37.5 ms. */
    int reads = 0;
    for (uint32_t t = 0; t <= 50000; t += 1000) {
        reads += rs_hx_poll(&h, 0, t, &v);
        rs_hx_check(&h, 0, t);
    }
    assert_int_equal(reads, 0);
    assert_int_equal(h.fault, 1);
    /* Recovered, with a conversion waiting (DOUT low, never raised until
     * clocked): the probe in rs_hx_check revives it. */
    fake.hx[0].mode = FAKE_HX_OK;
    fake_hx_convert(0, 1111);
    rs_hx_check(&h, 0, 60000);
    assert_int_equal(h.armed, 1);
    fake_hx_convert(0, 2222);
    assert_int_equal(rs_hx_poll(&h, 0, 62000, &v), 1);
    assert_int_equal(v, 2222);
    assert_int_equal(h.fault, 0);
}

static void test_clock_wraps(void **state)
{
    (void)state;
    fake_reset();
    struct rs_hx h;
    uint32_t t = 0xffffffffu - 20000u;
    rs_hx_init(&h, t);
    rs_hx_check(&h, 0, t + 30000u); /* wrapped, 30 ms later */
    assert_int_equal(h.fault, 0);
    rs_hx_check(&h, 0, t + 40000u);
    assert_int_equal(h.fault, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_extend),
        cmocka_unit_test(test_read_values),
        cmocka_unit_test(test_fault_timing),
        cmocka_unit_test(test_stuck_low_is_a_fault),
        cmocka_unit_test(test_clock_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
