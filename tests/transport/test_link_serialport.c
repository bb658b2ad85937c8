/*
 * test_link_serialport.c - error handling of the libserialport backend with
 * every sp_* call replaced by a scripted fake (struct rs_sp_api): EOF, EIO,
 * timeouts, a vanished port, open failures, partial writes; and the port
 * scan's copying of USB metadata.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rs_link.h"
#include "rs_scan.h"
#include "rs_sp_api.h"

/* ---- the scripted fake ---------------------------------------------------- */

static struct fake {
    enum sp_return by_name, open, config;
    int poll_ret, poll_errno;
    short revents;
    enum sp_return waiting, read_ret, write_ret;
    int last_errno;
    unsigned write_timeout;
    int polls, reads, closes, frees;
    int fd;        /* the "port's" fd: a private temp file, so flock works */
} fk;

static char fake_node[64]; /* the temp file standing in for the device node */

static int fake_port_obj;
#define FAKE_PORT ((struct sp_port *)&fake_port_obj)

static enum sp_return f_by_name(const char *n, struct sp_port **p)
{
    (void)n;
    *p = fk.by_name == SP_OK ? FAKE_PORT : NULL;
    return fk.by_name;
}
static void f_free(struct sp_port *p) { (void)p; fk.frees++; }
static enum sp_return f_open(struct sp_port *p, enum sp_mode m)
{
    (void)p;
    (void)m;
    if (fk.open == SP_OK)
        fk.fd = open(fake_node, O_RDWR);
    return fk.open;
}
static enum sp_return f_close(struct sp_port *p)
{
    (void)p;
    fk.closes++;
    close(fk.fd);
    fk.fd = -1;
    return SP_OK;
}
static enum sp_return f_baud(struct sp_port *p, int b) { (void)p; (void)b; return fk.config; }
static enum sp_return f_bits(struct sp_port *p, int b) { (void)p; (void)b; return SP_OK; }
static enum sp_return f_parity(struct sp_port *p, enum sp_parity x) { (void)p; (void)x; return SP_OK; }
static enum sp_return f_stop(struct sp_port *p, int b) { (void)p; (void)b; return SP_OK; }
static enum sp_return f_flow(struct sp_port *p, enum sp_flowcontrol x) { (void)p; (void)x; return SP_OK; }
static enum sp_return f_dtr(struct sp_port *p, enum sp_dtr x) { (void)p; (void)x; return SP_OK; }
static enum sp_return f_handle(const struct sp_port *p, void *r) { (void)p; *(int *)r = fk.fd; return SP_OK; }
static enum sp_return f_waiting(struct sp_port *p) { (void)p; return fk.waiting; }
static enum sp_return f_read(struct sp_port *p, void *buf, size_t n)
{
    (void)p;
    fk.reads++;
    if (fk.read_ret > 0) {
        size_t k = (size_t)fk.read_ret < n ? (size_t)fk.read_ret : n;
        memset(buf, 0xab, k);
        return (enum sp_return)k;
    }
    return fk.read_ret;
}
static enum sp_return f_write(struct sp_port *p, const void *b, size_t n, unsigned t)
{
    (void)p;
    (void)b;
    fk.write_timeout = t;
    return fk.write_ret == (enum sp_return)1000 ? (enum sp_return)n : fk.write_ret;
}
static int f_errno(void) { return fk.last_errno; }
static int f_poll(struct pollfd *fds, nfds_t n, int t)
{
    (void)n;
    (void)t;
    fk.polls++;
    if (fk.poll_ret < 0)
        errno = fk.poll_errno;
    fds[0].revents = fk.poll_ret > 0 ? fk.revents : 0;
    return fk.poll_ret;
}

/* Port list for the scan test: two ports, one a roller. */
static int port_objs[2];
static struct sp_port *port_list[3] = { (struct sp_port *)&port_objs[0],
                                        (struct sp_port *)&port_objs[1], NULL };
static enum sp_return f_list(struct sp_port ***l) { *l = port_list; return SP_OK; }
static void f_free_list(struct sp_port **l) { (void)l; fk.frees++; }
static char *f_name(const struct sp_port *p)
{
    return p == port_list[0] ? "/dev/ttyS0" : "/dev/ttyACM0";
}
static enum sp_transport f_transport(const struct sp_port *p)
{
    return p == port_list[0] ? SP_TRANSPORT_NATIVE : SP_TRANSPORT_USB;
}
static enum sp_return f_vidpid(const struct sp_port *p, int *v, int *d)
{
    (void)p;
    *v = 0x1209;
    *d = 0x0001;
    return SP_OK;
}
static char *f_product(const struct sp_port *p) { (void)p; return "rollsense roller"; }
static char *f_manuf(const struct sp_port *p) { (void)p; return NULL; }
static char *f_serial(const struct sp_port *p) { (void)p; return "RS0042"; }

static const struct rs_sp_api fake_api = {
    .get_port_by_name = f_by_name, .free_port = f_free, .open = f_open, .close = f_close,
    .set_baudrate = f_baud, .set_bits = f_bits, .set_parity = f_parity,
    .set_stopbits = f_stop, .set_flowcontrol = f_flow, .set_dtr = f_dtr,
    .get_port_handle = f_handle, .input_waiting = f_waiting, .nonblocking_read = f_read,
    .blocking_write = f_write, .last_error_code = f_errno, .list_ports = f_list,
    .free_port_list = f_free_list, .get_port_name = f_name, .get_port_transport = f_transport,
    .get_port_usb_vid_pid = f_vidpid, .get_port_usb_product = f_product,
    .get_port_usb_manufacturer = f_manuf, .get_port_usb_serial = f_serial, .poll = f_poll,
};

static int reset(void **state)
{
    (void)state;
    memset(&fk, 0, sizeof fk);
    fk.fd = -1;
    fk.write_ret = (enum sp_return)1000; /* "all bytes" */
    return 0;
}

/* ---- opening ---------------------------------------------------------------- */

static void test_open_errors(void **state)
{
    (void)state;
    static const struct {
        enum sp_return by_name, open, config;
        int err;
        int want;
    } cases[] = {
        { SP_ERR_ARG, SP_OK, SP_OK, 0, RS_LINK_ERR_NOT_FOUND },   /* not in /sys/class/tty */
        { SP_ERR_MEM, SP_OK, SP_OK, 0, RS_LINK_ERR_NOMEM },
        { SP_OK, SP_ERR_FAIL, SP_OK, EACCES, RS_LINK_ERR_ACCESS },
        { SP_OK, SP_ERR_FAIL, SP_OK, EBUSY, RS_LINK_ERR_BUSY },
        { SP_OK, SP_ERR_FAIL, SP_OK, ENOENT, RS_LINK_ERR_NOT_FOUND }, /* unplugged meanwhile */
        { SP_OK, SP_ERR_FAIL, SP_OK, ENOTTY, RS_LINK_ERR_ARG },
        { SP_OK, SP_OK, SP_ERR_FAIL, EIO, RS_LINK_ERR_GONE },
        { SP_OK, SP_OK, SP_ERR_SUPP, 0, RS_LINK_ERR_UNSUPPORTED },
        { SP_OK, SP_OK, SP_OK, 0, RS_LINK_OK },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reset(NULL);
        fk.by_name = cases[i].by_name;
        fk.open = cases[i].open;
        fk.config = cases[i].config;
        fk.last_errno = cases[i].err;
        struct rs_link *l = (struct rs_link *)1;
        int rc = rs_link_open_serialport_api(&l, "/dev/ttyACM0", &fake_api);
        assert_int_equal(rc, cases[i].want);
        if (rc == RS_LINK_OK) {
            assert_non_null(l);
            assert_string_equal(rs_link_backend(l), "serialport");
            rs_link_close(l);
        } else {
            assert_null(l);
        }
        /* Whatever happened, a port that was found is freed exactly once. */
        assert_int_equal(fk.frees, cases[i].by_name == SP_OK ? 1 : 0);
        int opened = cases[i].by_name == SP_OK && cases[i].open == SP_OK;
        assert_int_equal(fk.closes, opened ? 1 : 0);
    }
}

/* ---- reading ---------------------------------------------------------------- */

static struct rs_link *open_ok(void)
{
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open_serialport_api(&l, fake_node, &fake_api), RS_LINK_OK);
    return l;
}

static void test_read_cases(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        int poll_ret, poll_errno;
        short revents;
        enum sp_return waiting, read_ret;
        int err;
        int want, reads;
    } cases[] = {
        { "timeout", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "signal", -1, EINTR, 0, 0, 0, 0, 0, 0 },
        { "data", 1, 0, POLLIN, 5, 5, 0, 5, 1 },
        { "data, more than asked", 1, 0, POLLIN, 500, 500, 0, 64, 1 },
        /* The node is still there: someone else took the bytes, not an unplug. */
        { "ready, read 0, device present", 1, 0, POLLIN, 0, 0, 0, 0, 1 },
        { "hang-up, read 0", 1, 0, POLLHUP, 0, 0, 0, RS_LINK_ERR_GONE, 1 },
        { "vanished: input_waiting < 0", 1, 0, POLLIN, SP_ERR_FAIL, 0, EIO, RS_LINK_ERR_GONE, 0 },
        { "EIO on read", 1, 0, POLLIN | POLLERR, 3, SP_ERR_FAIL, EIO, RS_LINK_ERR_GONE, 1 },
        { "ENXIO on read", 1, 0, POLLIN, 3, SP_ERR_FAIL, ENXIO, RS_LINK_ERR_GONE, 1 },
        { "other errno", 1, 0, POLLIN, 3, SP_ERR_FAIL, EOVERFLOW, RS_LINK_ERR_IO, 1 },
        { "closed fd", 1, 0, POLLNVAL, 0, 0, 0, RS_LINK_ERR_IO, 0 },
        { "poll fails", -1, EFAULT, 0, 0, 0, 0, RS_LINK_ERR_IO, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reset(NULL);
        struct rs_link *l = open_ok();
        fk.poll_ret = cases[i].poll_ret;
        fk.poll_errno = cases[i].poll_errno;
        fk.revents = cases[i].revents;
        fk.waiting = cases[i].waiting;
        fk.read_ret = cases[i].read_ret;
        fk.last_errno = cases[i].err;
        uint8_t buf[64];
        int rc = rs_link_read(l, buf, sizeof buf, 50);
        if (rc != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].what, rc, cases[i].want);
        /* One wait and at most one read per call: never a loop on a dead port. */
        assert_int_equal(fk.polls, 1);
        if (fk.reads != cases[i].reads)
            fail_msg("%s: %d reads", cases[i].what, fk.reads);
        rs_link_close(l);
    }
}

/* A zero-byte read is an unplug only when the device is gone: its node was
 * removed (or now names another device), or after too many empty reads. */
static void test_zero_read_gone(void **state)
{
    (void)state;
    struct rs_link *l = open_ok();
    fk.poll_ret = 1;
    fk.revents = POLLIN;
    uint8_t buf[64];
    for (int i = 0; i < 64; i++)
        assert_int_equal(rs_link_read(l, buf, sizeof buf, 50), 0);
    fk.read_ret = 3; /* data resets the count */
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 50), 3);
    fk.read_ret = 0;
    for (int i = 0; i < 64; i++)
        assert_int_equal(rs_link_read(l, buf, sizeof buf, 50), 0);
    /* the 65th empty read in a row: a port that is never empty-handed-ready */
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 50), RS_LINK_ERR_GONE);
    rs_link_close(l);

    l = open_ok();
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 50), 0);
    assert_int_equal(unlink(fake_node), 0); /* unplugged: the node is gone */
    assert_int_equal(rs_link_read(l, buf, sizeof buf, 50), RS_LINK_ERR_GONE);
    rs_link_close(l);
    int fd = open(fake_node, O_RDWR | O_CREAT | O_EXCL, 0600); /* a new node, another inode */
    assert_true(fd >= 0);
    close(fd);
}

/* A second open of an owned port is refused, the first link keeps working,
 * and the refused port is closed and freed exactly once. */
static void test_second_open_busy(void **state)
{
    (void)state;
    struct rs_link *first = open_ok();
    int first_fd = fk.fd;
    struct rs_link *second = (struct rs_link *)1;
    assert_int_equal(rs_link_open_serialport_api(&second, fake_node, &fake_api), RS_LINK_ERR_BUSY);
    assert_null(second);
    assert_int_equal(fk.closes, 1);
    assert_int_equal(fk.frees, 1);
    fk.fd = first_fd;
    fk.poll_ret = 1;
    fk.revents = POLLIN;
    fk.waiting = 4;
    fk.read_ret = 4;
    uint8_t buf[8];
    assert_int_equal(rs_link_read(first, buf, sizeof buf, 50), 4);
    rs_link_close(first);
    /* Closed: the port is free again. */
    second = open_ok();
    rs_link_close(second);
}

/* ---- writing ---------------------------------------------------------------- */

static void test_write_cases(void **state)
{
    (void)state;
    uint8_t msg[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    static const struct {
        enum sp_return ret;
        int err, timeout_ms;
        int want;
        unsigned passed_timeout;
    } cases[] = {
        { (enum sp_return)1000, 0, 200, 10, 200 },
        { (enum sp_return)4, 0, 200, RS_LINK_ERR_TIMEOUT, 200 },   /* partial: timed out */
        { SP_ERR_FAIL, EIO, 200, RS_LINK_ERR_GONE, 200 },
        { SP_ERR_FAIL, ENODEV, 200, RS_LINK_ERR_GONE, 200 },
        { (enum sp_return)1000, 0, 0, 10, 1 },  /* 0 would mean "forever" to libserialport */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reset(NULL);
        struct rs_link *l = open_ok();
        fk.write_ret = cases[i].ret;
        fk.last_errno = cases[i].err;
        assert_int_equal(rs_link_write(l, msg, sizeof msg, cases[i].timeout_ms), cases[i].want);
        assert_int_equal(fk.write_timeout, cases[i].passed_timeout);
        rs_link_close(l);
    }
}

/* ---- scanning --------------------------------------------------------------- */

static void test_scan_ports(void **state)
{
    (void)state;
    struct rs_port_desc d[4];
    size_t n = 0;
    assert_int_equal(rs_scan_ports(&fake_api, d, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(d[0].path, "/dev/ttyS0");
    assert_false(d[0].usb);
    assert_string_equal(d[1].path, "/dev/ttyACM0");
    assert_true(d[1].usb);
    assert_int_equal(d[1].vid, 0x1209);
    assert_string_equal(d[1].product, "rollsense roller");
    assert_string_equal(d[1].manufacturer, "");
    assert_string_equal(d[1].serial, "RS0042");
    assert_int_equal(rs_port_match(&d[0]), RS_MATCH_NO);
    assert_int_equal(rs_port_match(&d[1]), RS_MATCH_YES);
    /* Capacity is respected. */
    assert_int_equal(rs_scan_ports(&fake_api, d, 1, &n), 0);
    assert_int_equal(n, 1);
}

/* The real libraries: a path that does not exist is "not found" on both backends. */
static void test_real_open_missing(void **state)
{
    (void)state;
    struct rs_link *l = NULL;
    assert_int_equal(rs_link_open(&l, "/nonexistent/rollsense-tty"), RS_LINK_ERR_NOT_FOUND);
    assert_null(l);
    assert_int_equal(rs_link_open(&l, "/dev/null"), RS_LINK_ERR_ARG); /* not a tty */
    assert_int_equal(rs_link_open(&l, ""), RS_LINK_ERR_ARG);
    assert_string_equal(rs_link_strerror(RS_LINK_ERR_GONE), "device disconnected");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_open_errors, reset),
        cmocka_unit_test_setup(test_read_cases, reset),
        cmocka_unit_test_setup(test_zero_read_gone, reset),
        cmocka_unit_test_setup(test_second_open_busy, reset),
        cmocka_unit_test_setup(test_write_cases, reset),
        cmocka_unit_test_setup(test_scan_ports, reset),
        cmocka_unit_test(test_real_open_missing),
    };
    char dir[] = "/tmp/rs_splXXXXXX";
    if (!mkdtemp(dir))
        return 1;
    snprintf(fake_node, sizeof fake_node, "%s/ttyACM0", dir);
    int fd = open(fake_node, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return 1;
    close(fd);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(fake_node);
    rmdir(dir);
    return rc;
}
