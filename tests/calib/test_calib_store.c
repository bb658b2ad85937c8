/*
 * test_calib_store.c - the host's calibration mirror: commit keeps the
 * previous version, undo restores it (and a second undo redoes), files are
 * private (0600), damaged files give a clear message, odd serials are safe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rs_calstore.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rs-calstore-XXXXXX");
    assert_non_null(mkdtemp(dir));
    setenv("XDG_DATA_HOME", dir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static struct rs_cal cal_n(int n)
{
    struct rs_cal c = { .offset_left = -1000 * n, .offset_right = 2000 * n,
                        .scale_left = 2100.25f + (float)n, .scale_right = 2200.5f,
                        .radius_um = 69000u + (uint32_t)n, .enc_dir = (int8_t)(n % 2 ? -1 : 1),
                        .serial = "RS-00000042" };
    return c;
}

/* Field by field: the struct has padding that memcmp would compare. */
static void assert_cal_equal(const struct rs_cal *x, const struct rs_cal *y)
{
    assert_int_equal(x->offset_left, y->offset_left);
    assert_int_equal(x->offset_right, y->offset_right);
    assert_true(x->scale_left == y->scale_left);
    assert_true(x->scale_right == y->scale_right);
    assert_int_equal(x->radius_um, y->radius_um);
    assert_int_equal(x->enc_dir, y->enc_dir);
    assert_memory_equal(x->serial, y->serial, RS_SERIAL_LEN);
}

static void test_calib_commit_and_undo(void **state)
{
    (void)state;
    char path[512], why[256];
    assert_int_equal(rs_calstore_path("RS-00000042", path, sizeof path), 0);
    assert_non_null(strstr(path, "/rollsense/calibration/RS-00000042.cal"));

    struct rs_calstore st;
    assert_int_equal(rs_calstore_load(path, &st, why, sizeof why), 0); /* none yet */
    assert_false(st.has_current);
    struct rs_cal none;
    assert_int_equal(rs_calstore_undo(path, &none, why, sizeof why), RS_CALSTORE_NOTHING);
    assert_non_null(strstr(why, "nothing to undo"));

    struct rs_cal a = cal_n(1), b = cal_n(2), got;
    assert_int_equal(rs_calstore_commit(path, &a, why, sizeof why), 0);
    assert_int_equal(rs_calstore_commit(path, &b, why, sizeof why), 0);
    assert_int_equal(rs_calstore_load(path, &st, why, sizeof why), 0);
    assert_true(st.has_current && st.has_previous);
    assert_cal_equal(&st.current, &b);
    assert_cal_equal(&st.previous, &a);

    assert_int_equal(rs_calstore_undo(path, &got, why, sizeof why), 0);
    assert_cal_equal(&got, &a);
    assert_int_equal(rs_calstore_undo(path, &got, why, sizeof why), 0); /* redo */
    assert_cal_equal(&got, &b);

    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_not_equal(access(tmp, F_OK), 0); /* no leftovers */
}

static void test_calib_damaged_mirror(void **state)
{
    (void)state;
    char path[512], why[256];
    assert_int_equal(rs_calstore_path("RS-DAMAGED", path, sizeof path), 0);
    struct rs_cal a = cal_n(3);
    assert_int_equal(rs_calstore_commit(path, &a, why, sizeof why), 0);
    static const char *bad[] = {
        "current.offset_left = 12\n",                       /* incomplete */
        "current.scale_left = lots\n",                      /* not a number */
        "garbage line\n",
        "other.offset_left = 1\n",
        "current.colour = 3\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i], f);
        fclose(f);
        struct rs_calstore st;
        why[0] = '\0';
        assert_int_equal(rs_calstore_load(path, &st, why, sizeof why), RS_CALSTORE_CORRUPT);
        assert_non_null(strstr(why, "damaged"));
        assert_null(strchr(why, '\n'));
    }
    /* Committing over a damaged mirror replaces it. */
    assert_int_equal(rs_calstore_commit(path, &a, why, sizeof why), 0);
    struct rs_calstore st;
    assert_int_equal(rs_calstore_load(path, &st, why, sizeof why), 0);
    assert_cal_equal(&st.current, &a);
}

static void test_calib_serial_sanitised(void **state)
{
    (void)state;
    char path[512];
    assert_int_equal(rs_calstore_path("../../etc/x", path, sizeof path), 0);
    assert_null(strstr(path, "calibration/.."));
    assert_non_null(strstr(path, "calibration/______etc_x.cal"));
    assert_int_equal(rs_calstore_path("", path, sizeof path), 0);
    assert_non_null(strstr(path, "unknown.cal"));
    assert_int_equal(rs_calstore_path("A", path, 20), -1);
}

/* A serial of the full RS_SERIAL_LEN (12) bytes has no terminator (the info
 * frame's field): the name must not read past it. The serial sits at the
 * end of a page whose next page is unreadable, so one byte too far faults. */
static void test_calib_serial_full_length(void **state)
{
    (void)state;
    long pg = sysconf(_SC_PAGESIZE);
    char *two = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    assert_true(two != MAP_FAILED);
    assert_int_equal(mprotect(two + pg, (size_t)pg, PROT_NONE), 0);
    char *serial = two + pg - 12;
    memcpy(serial, "RS0000000042", 12);
    char path[512];
    assert_int_equal(rs_calstore_path(serial, path, sizeof path), 0);
    assert_non_null(strstr(path, "calibration/RS0000000042.cal"));
    munmap(two, (size_t)pg * 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_commit_and_undo),
        cmocka_unit_test(test_calib_damaged_mirror),
        cmocka_unit_test(test_calib_serial_sanitised),
        cmocka_unit_test(test_calib_serial_full_length),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
