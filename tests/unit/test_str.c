/*
 * test_str.c - rs_str_line splits exactly at '\n' and refuses a line that
 * does not fit (boundary: cap - 1 characters fit, cap do not); rs_str_copy
 * always terminates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rs_str.h"

static void test_lines(void **state)
{
    (void)state;
    const char *p = "a\n\nbc\nlast";
    char line[8];
    assert_int_equal(rs_str_line(&p, line, sizeof line), 1);
    assert_string_equal(line, "a");
    assert_int_equal(rs_str_line(&p, line, sizeof line), 1);
    assert_string_equal(line, "");
    assert_int_equal(rs_str_line(&p, line, sizeof line), 1);
    assert_string_equal(line, "bc");
    assert_int_equal(rs_str_line(&p, line, sizeof line), 1); /* no final '\n' */
    assert_string_equal(line, "last");
    assert_int_equal(rs_str_line(&p, line, sizeof line), 0);
    assert_int_equal(rs_str_line(&p, line, sizeof line), 0);
}

static void test_line_boundary(void **state)
{
    (void)state;
    char line[5];
    const char *fits = "abcd\nx";
    assert_int_equal(rs_str_line(&fits, line, sizeof line), 1); /* 4 = cap - 1 */
    assert_string_equal(line, "abcd");
    assert_string_equal(fits, "x");
    const char *too = "abcde\nx";
    assert_int_equal(rs_str_line(&too, line, sizeof line), -1); /* 5 = cap */
    assert_string_equal(too, "abcde\nx");                        /* not moved */
    const char *end = "abcde";
    assert_int_equal(rs_str_line(&end, line, sizeof line), -1);
}

static void test_copy(void **state)
{
    (void)state;
    char d[4];
    memset(d, 'z', sizeof d);
    rs_str_copy(d, sizeof d, "abcdef");
    assert_string_equal(d, "abc");
    rs_str_copy(d, sizeof d, "x");
    assert_string_equal(d, "x");
    rs_str_copy(d, 1, "yy");
    assert_string_equal(d, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_line_boundary),
        cmocka_unit_test(test_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
