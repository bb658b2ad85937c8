/* test_proto.c - wire protocol: round trips (more cases follow). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rs_proto.h"

static void test_crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(rs_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
