/*
 * test_fw_serial.c - the roller's identity (firmware/src/rs_serial.c): the
 * 12-hex-digit string from the factory serial, the text serial the emulator
 * supplies, and that INFO carries the identity whether calibrated or not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_hal.h"
#include "rs_dev.h"
#include "rs_serial.h"

/* Reference values computed independently (bitwise CRC-48, generator
 * x^48 + 0xE1EBA9EA3693, init 0, MSB first, no final XOR). */
struct factory_case {
    uint8_t fac[RS_SERIAL_FACTORY_LEN];
    const char *expect; /* NULL: blank serial, refused */
};

static const struct factory_case factory_cases[] = {
    /* a typical row: six ASCII lot characters, wafer, x, y... */
    { { 0x57, 0x38, 0x33, 0x35, 0x39, 0x34, 0x15, 0x0B, 0x25, 0x09 }, "79234BFC38D0" },
    /* a single 1 in the last bit gives the generator itself */
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "E1EBA9EA3693" },
    /* not blank: only rows of all 0x00 or all 0xFF are */
    { { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE }, "" },
    { { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, NULL },
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, NULL },
    { { 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01 }, "" },
    /* blank but for one byte, each place checked (first two, last) */
    { { 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "" },
    { { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 }, "" },
    { { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, "" },
};

static void test_factory_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof factory_cases / sizeof factory_cases[0]; i++) {
        const struct factory_case *c = &factory_cases[i];
        char out[RS_SERIAL_CHARS + 1];
        memset(out, '#', sizeof out);
        out[RS_SERIAL_CHARS] = 0;
        uint8_t n = rs_serial_from_factory(c->fac, out);
        if (c->expect == NULL) {
            assert_int_equal(n, 0);
            assert_string_equal(out, "############"); /* untouched */
        } else if (c->expect[0]) {
            assert_int_equal(n, RS_SERIAL_CHARS);
            assert_string_equal(out, c->expect);
        } else {
            assert_int_equal(n, RS_SERIAL_CHARS); /* all 0x01 is not blank */
            assert_string_not_equal(out, "############");
        }
    }
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, RS_SERIAL_CHARS);
}

/* Two dies of one lot differ only in the last four bytes (wafer, x, y):
 * they never share an identity. Every value of the last two bytes, and of
 * the wafer byte against the y byte, under one lot. */
static void test_same_lot_never_collides(void **state)
{
    (void)state;
    enum { N = 65536 };
    char(*ids)[RS_SERIAL_CHARS] = malloc((size_t)N * RS_SERIAL_CHARS);
    assert_non_null(ids);
    uint8_t fac[RS_SERIAL_FACTORY_LEN] = { 'Y', '8', '3', '8', '7', '5', 0x11, 0, 0, 0 };
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned v = 0; v < N; v++) {
            if (pass == 0) {
                fac[8] = (uint8_t)(v >> 8);
                fac[9] = (uint8_t)v;
            } else {
                fac[6] = (uint8_t)(v >> 8);
                fac[9] = (uint8_t)v;
            }
            assert_int_equal(rs_serial_from_factory(fac, ids[v]), RS_SERIAL_CHARS);
            for (unsigned k = 0; k < RS_SERIAL_CHARS; k++) {
                char ch = ids[v][k];
                assert_true((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F'));
            }
        }
        qsort(ids, N, RS_SERIAL_CHARS, cmp_id);
        for (unsigned v = 1; v < N; v++)
            assert_true(memcmp(ids[v - 1], ids[v], RS_SERIAL_CHARS) != 0);
    }
    free(ids);
}

struct text_case {
    const char *raw; /* bytes, 0x00-terminated here */
    size_t n;
    const char *expect; /* NULL: refused */
};

static const struct text_case text_cases[] = {
    { "EMU-00012345", 12, "EMU-00012345" },
    { "RS-0001", 12, "RS-0001" },
    { "ABCDEFGHIJKLMN", 14, "ABCDEFGHIJKL" }, /* cut at 12 */
    { "AB\xff" "CD", 5, "AB" },                /* 0xFF ends it */
    { "a.b_c-9", 7, "a.b_c-9" },
    { "", 12, NULL },
    { "\xff\xff", 2, NULL },
    { "bad serial!", 11, NULL },
    { "x\x7f", 2, NULL },
};

static void test_text(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
        const struct text_case *c = &text_cases[i];
        char out[RS_SERIAL_CHARS + 1];
        memset(out, '#', sizeof out);
        uint8_t n = rs_serial_from_text((const uint8_t *)c->raw, (uint8_t)c->n, out);
        assert_int_equal(out[RS_SERIAL_CHARS], '#'); /* nothing past the 12 bytes */
        if (!c->expect) {
            assert_int_equal(n, 0);
            assert_int_equal(out[0], '#');
            continue;
        }
        if (n != strlen(c->expect))
            fail_msg("case %zu (%s): length %u", i, c->expect, n);
        assert_memory_equal(out, c->expect, n);
        for (size_t k = n; k < RS_SERIAL_CHARS; k++)
            assert_int_equal(out[k], 0); /* NUL-padded */
    }
}

/* INFO says who the roller is, calibrated or not; the calibration block's
 * own serial field does not change it. */
static void test_info_serial(void **state)
{
    (void)state;
    for (int calibrated = 0; calibrated < 2; calibrated++) {
        fake_reset();
        memcpy(fake.serial, "0123456789AB", 12);
        struct rs_dev dev;
        rs_dev_init(&dev, 0, 0);
        if (calibrated) {
            memcpy(dev.cal.serial, "someone-else", 12);
            dev.cal_state = RS_CAL_OK;
        }
        struct rs_frame f;
        memset(&f, 0, sizeof f);
        f.type = RS_FT_CMD_GET_INFO;
        f.u.cmd.token = 9;
        unsigned from = fake.nframes;
        rs_dev_command(&dev, &f);
        int k = fake_find(RS_FT_INFO, from);
        assert_true(k >= 0);
        assert_memory_equal(fake.frames[k].u.info.serial, "0123456789AB", 12);
        assert_int_equal(fake.frames[k].u.info.cal_state, calibrated ? RS_CAL_OK : RS_CAL_DEFAULT);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_factory_vectors),
        cmocka_unit_test(test_same_lot_never_collides),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_info_serial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
