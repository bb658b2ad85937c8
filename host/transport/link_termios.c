/*
 * link_termios.c - raw termios backend: pseudo-terminals (the emulated
 * roller, test fakes) and any tty libserialport will not open.
 *
 * The fd is non-blocking and every wait is a poll() with a timeout, so a
 * vanished peer can never make us spin: a pty slave whose master closed
 * reports POLLHUP and read() fails with EIO; both are RS_LINK_ERR_GONE.
 * A raw tty (VMIN = VTIME = 0) also reads 0 bytes when nothing is there,
 * so a zero-byte read is an unplug only when the device is really gone
 * (rs_link_zero_read_gone). The port is claimed exclusively (link_lock.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "link_internal.h"

/* Zero-byte reads in a row, with the device still there, before the link
 * gives up on it: bounds the spinning of a tty that polls ready forever. */
#define RS_TIO_MAX_EMPTY 64

struct termios_impl {
    int fd;
    int empty_reads; /* consecutive "ready but 0 bytes" reads */
};

static int tio_fd(struct rs_link *l)
{
    return ((struct termios_impl *)l->impl)->fd;
}

static int tio_read(struct rs_link *l, uint8_t *buf, size_t cap, int timeout_ms)
{
    int fd = tio_fd(l);
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int r = poll(&p, 1, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : rs_link_errno_class(errno, 0);
    if (r == 0)
        return 0;
    if (p.revents & POLLNVAL)
        return RS_LINK_ERR_IO;
    struct termios_impl *t = l->impl;
    ssize_t n = read(fd, buf, cap);
    if (n > 0) {
        t->empty_reads = 0;
        return (int)n;
    }
    if (n == 0) {
        /* Ready but nothing: end of file, or bytes someone else took. */
        if (rs_link_zero_read_gone(fd, l->name, p.revents) || ++t->empty_reads > RS_TIO_MAX_EMPTY)
            return RS_LINK_ERR_GONE;
        return 0;
    }
    if (errno == EAGAIN || errno == EINTR)
        return (p.revents & (POLLHUP | POLLERR)) ? RS_LINK_ERR_GONE : 0;
    return rs_link_errno_class(errno, 0);
}

static int tio_write(struct rs_link *l, const uint8_t *buf, size_t n, int timeout_ms)
{
    int fd = tio_fd(l);
    int64_t deadline = rs_link_mono_ns() + (int64_t)timeout_ms * 1000000;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return rs_link_errno_class(errno, 0);
        int64_t left = deadline - rs_link_mono_ns();
        if (left <= 0)
            return RS_LINK_ERR_TIMEOUT;
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        int r = poll(&p, 1, (int)((left + 999999) / 1000000));
        if (r < 0 && errno != EINTR)
            return rs_link_errno_class(errno, 0);
        if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)))
            return RS_LINK_ERR_GONE;
    }
    return (int)n;
}

static void tio_close(struct rs_link *l)
{
    struct termios_impl *t = l->impl;
    if (t) {
        close(t->fd);
        free(t);
    }
}

static const struct rs_link_ops termios_ops = {
    .name = "termios",
    .read = tio_read,
    .write = tio_write,
    .close = tio_close,
};

int rs_link_open_termios(struct rs_link **out, const char *path)
{
    if (!out || !path || !*path)
        return RS_LINK_ERR_ARG;
    *out = NULL;
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return rs_link_errno_class(errno, 1);
    struct termios tio;
    if (!isatty(fd) || tcgetattr(fd, &tio) != 0) {
        close(fd);
        return RS_LINK_ERR_ARG;
    }
    /* One owner per port: before touching its settings or flushing its bytes. */
    int claim = rs_link_claim_fd(fd);
    if (claim != RS_LINK_OK) {
        close(fd);
        return claim;
    }
    /* Raw 8N1, no echo, no line discipline; the speed is ignored by CDC-ACM. */
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    cfsetispeed(&tio, B115200);
    cfsetospeed(&tio, B115200);
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        int e = errno;
        close(fd);
        return rs_link_errno_class(e, 1);
    }
    /* Stale bytes from before we opened belong to nobody. */
    tcflush(fd, TCIOFLUSH);
    struct termios_impl *t = malloc(sizeof *t);
    if (!t) {
        close(fd);
        return RS_LINK_ERR_NOMEM;
    }
    t->fd = fd;
    t->empty_reads = 0;
    struct rs_link *l = rs_link_alloc(&termios_ops, path, t);
    if (!l) {
        close(fd);
        free(t);
        return RS_LINK_ERR_NOMEM;
    }
    *out = l;
    return RS_LINK_OK;
}
