/* test_match.c - discovery matching, USB metadata merge, roller choice and its messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rs_match.h"

static void test_port_match(void **state)
{
    (void)state;
    static const struct {
        bool usb;
        uint16_t vid, pid;
        const char *product;
        enum rs_match want;
    } cases[] = {
        { true, 0x1209, 0x0001, "rollsense roller", RS_MATCH_YES },
        { true, 0x1209, 0x0001, "", RS_MATCH_MAYBE },             /* no metadata: probe */
        { true, 0x1209, 0x0001, "Some other 1209:0001 toy", RS_MATCH_NO }, /* shared test PID */
        { true, 0x1209, 0x0001, "rollsense roller ", RS_MATCH_NO },
        { true, 0x1209, 0x0002, "rollsense roller", RS_MATCH_NO },
        { true, 0x2341, 0x8036, "Arduino Leonardo", RS_MATCH_NO },
        { false, 0x1209, 0x0001, "rollsense roller", RS_MATCH_NO }, /* ids not valid */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_port_desc d = { .usb = cases[i].usb, .vid = cases[i].vid, .pid = cases[i].pid };
        strcpy(d.path, "/dev/ttyACM0");
        strcpy(d.product, cases[i].product);
        if (rs_port_match(&d) != cases[i].want)
            fail_msg("case %zu (%s)", i, cases[i].product);
    }
}

static void test_merge_usb(void **state)
{
    (void)state;
    struct rs_port_desc ports[3] = {
        { .path = "/dev/ttyACM0", .usb = true, .vid = 0x1209, .pid = 1, .serial = "B" },
        { .path = "/dev/ttyACM1", .usb = true, .vid = 0x1209, .pid = 1, .serial = "A" },
        { .path = "/dev/ttyACM2", .usb = true, .vid = 0x1209, .pid = 1, .serial = "" },
    };
    const struct rs_usb_desc usb[2] = {
        { 0x1209, 1, "rollsense roller", "rollsense", "A" },
        { 0x1209, 1, "other thing", "someone", "B" },
    };
    rs_port_merge_usb(ports, 3, usb, 2);
    /* Paired by serial number, not by order. */
    assert_string_equal(ports[0].product, "other thing");
    assert_string_equal(ports[1].product, "rollsense roller");
    assert_string_equal(ports[1].manufacturer, "rollsense");
    /* No serial and two candidates: no guess. */
    assert_string_equal(ports[2].product, "");

    /* No serial but exactly one device with these ids: safe to pair. */
    struct rs_port_desc one = { .path = "/dev/ttyACM3", .usb = true, .vid = 0x1209, .pid = 1 };
    rs_port_merge_usb(&one, 1, usb, 1);
    assert_string_equal(one.product, "rollsense roller");

    /* Known strings are never overwritten. */
    struct rs_port_desc known = { .usb = true, .vid = 0x1209, .pid = 1, .product = "x",
                                  .manufacturer = "y", .serial = "A" };
    rs_port_merge_usb(&known, 1, usb, 2);
    assert_string_equal(known.product, "x");
}

static const struct rs_roller two[2] = {
    { "/dev/ttyACM0", "RS0001" },
    { "/dev/ttyACM1", "RS0002" },
};

static void test_pick(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *want;
        int rc;
        size_t idx;
    } cases[] = {
        { 0, NULL, RS_PICK_NONE, 0 },
        { 1, NULL, RS_PICK_OK, 0 },
        { 2, NULL, RS_PICK_AMBIGUOUS, 0 },
        { 2, "RS0002", RS_PICK_OK, 1 },
        { 2, "rs0002", RS_PICK_OK, 1 },     /* case-insensitive */
        { 2, "RS0003", RS_PICK_NO_SERIAL, 0 },
        { 1, "RS0002", RS_PICK_NO_SERIAL, 0 }, /* the only one is not the asked one */
        { 0, "RS0002", RS_PICK_NO_SERIAL, 0 },
        { 2, "", RS_PICK_AMBIGUOUS, 0 },     /* empty = not given */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t idx = 99;
        int rc = rs_pick_roller(two, cases[i].n, cases[i].want, &idx);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d", i, rc);
        if (rc == RS_PICK_OK)
            assert_int_equal(idx, cases[i].idx);
    }
}

static void test_pick_messages(void **state)
{
    (void)state;
    char buf[256];
    rs_pick_message(RS_PICK_AMBIGUOUS, two, 2, NULL, buf, sizeof buf);
    assert_string_equal(buf, "several rollers found: RS0001 on /dev/ttyACM0, RS0002 on "
                             "/dev/ttyACM1; choose one with --device SERIAL");
    rs_pick_message(RS_PICK_NO_SERIAL, two, 2, "X9", buf, sizeof buf);
    assert_string_equal(buf, "no roller with serial X9; found: RS0001 on /dev/ttyACM0, "
                             "RS0002 on /dev/ttyACM1");
    rs_pick_message(RS_PICK_NONE, two, 0, NULL, buf, sizeof buf);
    assert_non_null(strstr(buf, "no roller found"));
    /* A small buffer truncates with "..." and stays terminated. */
    char small[24];
    rs_pick_message(RS_PICK_AMBIGUOUS, two, 2, NULL, small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    assert_non_null(strstr(small, "..."));
    /* The cut falls inside a piece: the text runs up to the "..." (no hole). */
    char mid[40];
    rs_pick_message(RS_PICK_AMBIGUOUS, two, 2, NULL, mid, sizeof mid);
    assert_string_equal(mid, "several rollers found: RS0001 on /de...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_match),
        cmocka_unit_test(test_merge_usb),
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_pick_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
