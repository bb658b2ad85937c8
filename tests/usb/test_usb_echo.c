/*
 * test_usb_echo.c - exact byte counts through the USB stack's bulk endpoints,
 * using the echo fixture image (echo_fw/): data integrity across packet
 * boundaries, and the zero-length packet that must end an IN transfer whose
 * length is a whole number of 64-byte packets (without it a host read of a
 * bigger buffer, as cdc-acm issues, would hang until more data came).
 *
 * Usage: test_usb_echo FIRMWARE.elf ECHO.elf
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "usb_host.h"
#include "usb_sim.h"

static const char *echo_path;

#define MS(n) ((uint64_t)(n) * 16000u)

struct echo_case {
    size_t len;
    int zlp; /* the echo must end with a zero-length packet */
};

static const struct echo_case echo_cases[] = {
    { 1, 0 }, { 8, 0 }, { 63, 0 }, { 64, 1 }, { 65, 0 }, { 100, 0 },
    { 127, 0 }, { 128, 1 }, { 129, 0 }, { 192, 1 }, { 200, 0 },
};

static void test_echo_lengths_and_zlp(void **state)
{
    (void)state;
    avr_t *avr = rs_sim_open(echo_path);
    assert_non_null(avr);
    struct rs_usbh h;
    assert_int_equal(rs_usbh_init(&h, avr), 0);
    assert_int_equal(rs_usbh_run(&h, MS(5)), 0);
    int r = rs_usbh_enumerate(&h, NULL, 115200);
    if (r)
        fail_msg("enumeration: %s", rs_usbh_strerror(r));

    for (size_t i = 0; i < sizeof echo_cases / sizeof echo_cases[0]; i++) {
        const struct echo_case *c = &echo_cases[i];
        uint8_t out[256], in[512];
        for (size_t k = 0; k < c->len; k++)
            out[k] = (uint8_t)(k * 37 + i + 1);
        assert_int_equal(rs_usbh_bulk_out(&h, out, c->len, 1), 0);

        uint64_t zlps = h.stats.in_zlps;
        size_t have = 0;
        int last = 0;
        for (int tries = 0; have < c->len && tries < 10; tries++) {
            size_t got = 0;
            /* A transfer bigger than the echo: only a short packet or ZLP ends it. */
            last = rs_usbh_bulk_in(&h, in + have, sizeof in - have, MS(20), &got);
            if (last != 0 && last != RS_USBH_ETIMEOUT)
                fail_msg("%zu bytes: bulk IN %s", c->len, rs_usbh_strerror(last));
            have += got;
        }
        if (have != c->len || last != 0)
            fail_msg("%zu bytes: got %zu back, last transfer %s", c->len, have,
                     rs_usbh_strerror(last));
        assert_memory_equal(in, out, c->len);
        if (c->zlp && h.stats.in_zlps == zlps)
            fail_msg("%zu bytes: no zero-length packet ended the transfer", c->len);
        if (c->len < 64 && h.stats.in_zlps != zlps)
            fail_msg("%zu bytes: unexpected zero-length packet", c->len);

        /* Nothing more comes. */
        size_t extra = 0;
        assert_int_equal(rs_usbh_bulk_in(&h, in, sizeof in, MS(5), &extra), RS_USBH_ETIMEOUT);
        assert_int_equal(extra, 0);
    }
    rs_sim_close(avr);
}

/* No data flows while the port is closed (DTR low): what is sent is dropped. */
static void test_echo_needs_dtr(void **state)
{
    (void)state;
    avr_t *avr = rs_sim_open(echo_path);
    assert_non_null(avr);
    struct rs_usbh h;
    assert_int_equal(rs_usbh_init(&h, avr), 0);
    assert_int_equal(rs_usbh_enumerate(&h, NULL, 115200), 0);
    assert_int_equal(rs_usbh_set_control_lines(&h, 0, 0), 0);
    uint8_t out[10] = "closed....", in[256];
    size_t got = 0;
    assert_int_equal(rs_usbh_bulk_out(&h, out, sizeof out, 0), 0);
    assert_int_equal(rs_usbh_bulk_in(&h, in, sizeof in, MS(50), &got), RS_USBH_ETIMEOUT);
    assert_int_equal(got, 0);
    rs_sim_close(avr);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FIRMWARE.elf ECHO.elf\n", argv[0]);
        return 2;
    }
    echo_path = argv[2];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_lengths_and_zlp),
        cmocka_unit_test(test_echo_needs_dtr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
