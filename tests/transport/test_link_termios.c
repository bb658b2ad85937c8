/*
 * test_link_termios.c - the raw termios backend on a real pseudo-terminal:
 * exact read sizes, timeouts, commands reaching the device side, and the
 * vanish cases (master closed -> RS_LINK_ERR_GONE at once, without spinning).
 */
/* posix_openpt, grantpt, unlockpt, ptsname are XSI. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "rs_link.h"

struct pty {
    int master;
    char path[128];
};

static void pty_open(struct pty *p)
{
    p->master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(p->master >= 0);
    assert_int_equal(grantpt(p->master), 0);
    assert_int_equal(unlockpt(p->master), 0);
    const char *name = ptsname(p->master);
    assert_non_null(name);
    snprintf(p->path, sizeof p->path, "%s", name);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void test_read_sizes(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open(&l, p.path), 0);
    assert_string_equal(rs_link_backend(l), "termios"); /* libserialport cannot open ptys */
    static const size_t sizes[] = { 1, 2, 7, 64, 255, 1000, 4000 };
    uint8_t out[4096], in[4096];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (size_t k = 0; k < sizes[i]; k++)
            out[k] = (uint8_t)(k * 31 + i); /* includes 0x00 and every value */
        assert_int_equal(write(p.master, out, sizes[i]), (ssize_t)sizes[i]);
        size_t got = 0;
        while (got < sizes[i]) {
            int n = rs_link_read(l, in + got, sizeof in - got, 1000);
            assert_true(n > 0);
            got += (size_t)n;
        }
        assert_int_equal(got, sizes[i]);
        assert_memory_equal(in, out, sizes[i]); /* raw: no CR/LF or 0x00 mangling */
    }
    /* A command written by the host arrives on the device side unchanged. */
    const uint8_t cmd[] = { 0x03, 0x01, 0x80, 0x0a, 0x0d, 0x00 };
    assert_int_equal(rs_link_write(l, cmd, sizeof cmd, 100), (int)sizeof cmd);
    uint8_t back[16];
    struct pollfd pf = { .fd = p.master, .events = POLLIN };
    assert_int_equal(poll(&pf, 1, 1000), 1);
    assert_int_equal(read(p.master, back, sizeof back), (ssize_t)sizeof cmd);
    assert_memory_equal(back, cmd, sizeof cmd);
    rs_link_close(l);
    close(p.master);
}

static void test_timeout_waits(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open_termios(&l, p.path), 0);
    uint8_t buf[64];
    double t0 = now_s(), c0 = cpu_s();
    for (int i = 0; i < 5; i++)
        assert_int_equal(rs_link_read(l, buf, sizeof buf, 40), 0);
    double wall = now_s() - t0, cpu = cpu_s() - c0;
    assert_true(wall >= 0.19);
    assert_true(cpu < 0.01 * wall + 0.005); /* waiting, not spinning */
    rs_link_close(l);
    close(p.master);
}

static void test_vanish(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open(&l, p.path), 0);
    /* Bytes already sent before the unplug are still delivered... */
    assert_int_equal(write(p.master, "ab", 2), 2);
    uint8_t buf[64];
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 1000), 2);
    close(p.master);
    /* ...then the hang-up is reported by poll itself, not by a timeout: the
     * wait is long enough that a missed hang-up would show as the test's
     * ctest TIMEOUT, with no wall-clock assertion to flake under load. */
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 600000), RS_LINK_ERR_GONE);
    int w = rs_link_write(l, (const uint8_t *)"x", 1, 100);
    assert_true(w == RS_LINK_ERR_GONE || w == RS_LINK_ERR_IO);
    rs_link_close(l);
    /* The pty is gone: reopening is "not found", which callers retry later. */
    assert_true(rs_link_open(&l, p.path) < 0);
}

/* One owner per port: a second link (this process) or another process is
 * refused with RS_LINK_ERR_BUSY, the message names the holder's PID, and the
 * first link loses no byte. */
static void test_exclusive(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct rs_link *l = NULL, *l2 = (struct rs_link *)1;
    assert_int_equal(rs_link_open(&l, p.path), 0);
    assert_int_equal(rs_link_open(&l2, p.path), RS_LINK_ERR_BUSY);
    assert_null(l2);
    assert_int_equal(rs_link_open_termios(&l2, p.path), RS_LINK_ERR_BUSY);
    char msg[300];
    rs_link_busy_message(p.path, msg, sizeof msg);
    char want[300];
    snprintf(want, sizeof want, "port %s is in use (by another program)", p.path);
    assert_string_equal(msg, want); /* the holder is this process: no PID to name */
    assert_int_equal(write(p.master, "hello", 5), 5);
    uint8_t buf[16];
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 1000), 5);
    assert_memory_equal(buf, "hello", 5);
    rs_link_close(l);

    /* Another process holds it: refused, and named by PID. */
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct rs_link *cl = NULL;
        char ok = rs_link_open_termios(&cl, p.path) == 0 ? 'y' : 'n';
        if (write(ready[1], &ok, 1) != 1)
            _exit(2);
        pause();
        _exit(0);
    }
    char ok = 0;
    assert_int_equal(read(ready[0], &ok, 1), 1);
    assert_int_equal(ok, 'y');
    assert_int_equal(rs_link_open(&l2, p.path), RS_LINK_ERR_BUSY);
    assert_int_equal(rs_link_holder_pid(p.path), (long)child);
    rs_link_busy_message(p.path, msg, sizeof msg);
    snprintf(want, sizeof want, "port %s is in use (by PID %ld)", p.path, (long)child);
    assert_string_equal(msg, want);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    close(ready[0]);
    close(ready[1]);
    /* The holder died (even by SIGKILL): no stale lock. */
    assert_int_equal(rs_link_open(&l, p.path), 0);
    rs_link_close(l);
    close(p.master);
}

/* A raw tty reads 0 bytes when another reader (opened before us, so not
 * excluded) took the data: that is not an unplug. */
static void test_stolen_bytes_not_gone(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    int other = open(p.path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    assert_true(other >= 0);
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open(&l, p.path), 0);
    uint8_t buf[64];
    for (int i = 0; i < 20; i++) {
        assert_int_equal(write(p.master, "xy", 2), 2);
        struct pollfd pf = { .fd = other, .events = POLLIN };
        assert_int_equal(poll(&pf, 1, 1000), 1);
        /* The other reader drains; our read finds poll ready or not, but
         * never takes the empty read for an unplug. */
        while (read(other, buf, sizeof buf) > 0) {
        }
        int n = rs_link_read(l, buf, sizeof buf, 0);
        assert_true(n >= 0);
    }
    close(other);
    assert_int_equal(write(p.master, "z", 1), 1);
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 1000), 1);
    rs_link_close(l);
    close(p.master);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open_termios(&l, "/nonexistent/tty"), RS_LINK_ERR_NOT_FOUND);
    assert_int_equal(rs_link_open_termios(&l, "/dev/null"), RS_LINK_ERR_ARG);
    char dir[] = "/tmp/rs-termios-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(rs_link_open_termios(&l, dir), RS_LINK_ERR_ARG); /* EISDIR */
    rmdir(dir);
    assert_null(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_sizes),
        cmocka_unit_test(test_timeout_waits),
        cmocka_unit_test(test_vanish),
        cmocka_unit_test(test_exclusive),
        cmocka_unit_test(test_stolen_bytes_not_gone),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
