/*
 * test_file.c - the one small-file reader and its helpers (host/util/rs_file.h)
 * that every parser uses: non-regular files refused without hanging, NUL
 * bytes refused, decimal numbers only, bad bytes escaped on one line, and
 * private files 0600 whatever the umask or an old file's mode, and their
 * parent directories 0700.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rs_file.h"

static char dir[64];

static void path_in(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

static void write_bytes(const char *p, const char *data, size_t n)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void test_not_regular(void **state)
{
    (void)state;
    char fifo[128], err[300];
    path_in(fifo, sizeof fifo, "fifo");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *paths[] = { fifo, dir, "/dev/null" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        err[0] = '\0';
        /* A FIFO with no writer would block an fopen() forever. */
        assert_null(rs_read_text_file(paths[i], 1000, NULL, err, sizeof err));
        assert_non_null(strstr(err, "not a regular file"));
        assert_null(rs_file_open_regular(paths[i], err, sizeof err));
    }
    unlink(fifo);
    char missing[128];
    path_in(missing, sizeof missing, "missing");
    assert_null(rs_read_text_file(missing, 1000, NULL, err, sizeof err));
    assert_int_equal(errno, ENOENT);
    assert_non_null(strstr(err, "cannot read"));
}

static void test_nul_and_size(void **state)
{
    (void)state;
    char p[128], err[300];
    path_in(p, sizeof p, "nul.txt");
    write_bytes(p, "a=1\0b=2\n", 8);
    assert_null(rs_read_text_file(p, 1000, NULL, err, sizeof err));
    assert_non_null(strstr(err, "NUL byte at offset 3"));
    write_bytes(p, "a=1\nb=2\n", 8);
    size_t n = 0;
    char *t = rs_read_text_file(p, 8, &n, err, sizeof err);
    assert_non_null(t);
    assert_int_equal(n, 8);
    assert_string_equal(t, "a=1\nb=2\n");
    free(t);
    assert_null(rs_read_text_file(p, 7, NULL, err, sizeof err)); /* one byte too long */
    assert_non_null(strstr(err, "longer than 7 bytes"));
    unlink(p);
}

static void test_decimal(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;      /* the whole string is one decimal number */
        double v;
    } cases[] = {
        { "150", 1, 150 },       { "-1.5e3", 1, -1500 }, { "+2", 1, 2 },
        { ".5", 1, 0.5 },        { "5.", 1, 5 },         { "2.5E-2", 1, 0.025 },
        { "0x96", 0, 0 },        { "0x1p1", 0, 0 },      { "0X10", 0, 0 },
        { "inf", 0, 0 },         { "nan", 0, 0 },        { "-infinity", 0, 0 },
        { "1e400", 0, 0 },       { "-1e400", 0, 0 },     { " 5", 0, 0 },
        { "1e", 0, 0 },          { "e5", 0, 0 },         { "-", 0, 0 },
        { ".", 0, 0 },           { "", 0, 0 },           { "1,5", 0, 0 },
        { "1e+", 0, 0 },         { "12abc", 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v = -99;
        const char *end = NULL;
        int rc = rs_parse_decimal(cases[i].s, &v, &end);
        int whole = rc == 0 && *end == '\0';
        if (whole != cases[i].ok)
            fail_msg("'%s': whole number %d, want %d", cases[i].s, whole, cases[i].ok);
        if (whole)
            assert_float_equal(v, cases[i].v, 1e-12);
    }
    assert_int_equal(rs_parse_decimal(NULL, NULL, NULL), -1);
}

static void test_escape(void **state)
{
    (void)state;
    char buf[64];
    const char in[] = "k\x1b[31m=\n\\\xc3\xa9";
    assert_string_equal(rs_escape(in, sizeof in - 1, buf, sizeof buf),
                        "k\\x1b[31m=\\x0a\\x5c\\xc3\\xa9");
    assert_null(strchr(buf, '\n'));
    char small[12];
    rs_escape("abcdefghijklmnop", 16, small, sizeof small);
    assert_string_equal(small, "abcdefgh...");
    assert_string_equal(rs_escape("", 0, buf, sizeof buf), "");
}

static void test_private(void **state)
{
    (void)state;
    mode_t old = umask(022);
    char p[128];
    path_in(p, sizeof p, "old.png");
    write_bytes(p, "old", 3); /* 0644 under umask 022 */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(rs_file_make_private(p), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 0);
    char q[128];
    path_in(q, sizeof q, "new.csv");
    FILE *f = rs_file_fopen_private(q);
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
    assert_int_equal(stat(q, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    umask(old);
    unlink(p);
    unlink(q);
    char nodir[160];
    path_in(nodir, sizeof nodir, "no/such/dir/x");
    assert_int_equal(rs_file_create_private(nodir), -1);
    assert_int_equal(errno, ENOENT);
}

static void test_make_parents(void **state)
{
    (void)state;
    mode_t old = umask(022);
    char p[160], a[160], b[160];
    path_in(p, sizeof p, "a/b/file");
    path_in(a, sizeof a, "a");
    path_in(b, sizeof b, "a/b");
    assert_int_equal(rs_file_make_parents(p), 0);
    struct stat st;
    assert_int_equal(stat(a, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(b, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(p, &st), -1); /* the file itself is not made */
    assert_int_equal(rs_file_make_parents(p), 0); /* existing ones are fine */
    umask(old);
    /* a component that is a file: refused */
    char f[160], under[160];
    path_in(f, sizeof f, "a/b/plain");
    write_bytes(f, "x", 1);
    path_in(under, sizeof under, "a/b/plain/c/file");
    assert_int_equal(rs_file_make_parents(under), -1);
    assert_int_equal(errno, ENOTDIR);
    unlink(f);
    rmdir(b);
    rmdir(a);
    /* 1023 bytes is the longest path */
    char longp[1100];
    memset(longp, 'x', sizeof longp);
    longp[1024] = '\0';
    errno = 0;
    assert_int_equal(rs_file_make_parents(longp), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    longp[1023] = '\0'; /* no '/' in it: nothing to make */
    assert_int_equal(rs_file_make_parents(longp), 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/rs_fileXXXXXX");
    if (!mkdtemp(dir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_regular), cmocka_unit_test(test_nul_and_size),
        cmocka_unit_test(test_decimal),     cmocka_unit_test(test_escape),
        cmocka_unit_test(test_private),     cmocka_unit_test(test_make_parents),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rmdir(dir);
    return rc;
}
