/* rs_link.c - backend dispatch, error texts and backend choice (see rs_link.h). */
#include "link_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *rs_link_strerror(int err)
{
    switch (err) {
    case RS_LINK_OK: return "success";
    case RS_LINK_ERR_ARG: return "invalid argument or not a serial port";
    case RS_LINK_ERR_NOT_FOUND: return "no such port";
    case RS_LINK_ERR_ACCESS: return "permission denied";
    case RS_LINK_ERR_BUSY: return "port in use by another program";
    case RS_LINK_ERR_GONE: return "device disconnected";
    case RS_LINK_ERR_IO: return "input/output error";
    case RS_LINK_ERR_NOMEM: return "out of memory";
    case RS_LINK_ERR_UNSUPPORTED: return "not supported";
    case RS_LINK_ERR_TIMEOUT: return "timed out";
    default: return "unknown error";
    }
}

int rs_link_errno_class(int err, int opening)
{
    switch (err) {
    case 0: return RS_LINK_OK;
    case ENOENT:
    case ENXIO:
    case ENODEV:
        return opening ? RS_LINK_ERR_NOT_FOUND : RS_LINK_ERR_GONE;
    case EIO:
    case EPIPE:
    case ESHUTDOWN:
        return RS_LINK_ERR_GONE;
    case EACCES:
    case EPERM:
        return RS_LINK_ERR_ACCESS;
    case EBUSY:
        return RS_LINK_ERR_BUSY;
    case ENOTTY:
    case EISDIR:
    case EINVAL:
        return RS_LINK_ERR_ARG;
    case ENOMEM:
        return RS_LINK_ERR_NOMEM;
    default:
        return RS_LINK_ERR_IO;
    }
}

int64_t rs_link_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct rs_link *rs_link_alloc(const struct rs_link_ops *ops, const char *name, void *impl)
{
    struct rs_link *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->ops = ops;
    l->impl = impl;
    if (name) {
        strncpy(l->name, name, sizeof l->name - 1);
    }
    return l;
}

/*
 * libserialport finds a port only under /sys/class/tty (real devices), and
 * cannot open pseudo-terminals at all (docs/platform.md); everything else
 * goes to the termios backend. A "not found" from libserialport is therefore
 * not final: the termios backend gets the last word.
 */
int rs_link_open(struct rs_link **out, const char *path)
{
    if (!out || !path || !*path)
        return RS_LINK_ERR_ARG;
    *out = NULL;
    int rc = rs_link_open_serialport(out, path);
    if (rc == RS_LINK_OK || rc == RS_LINK_ERR_ACCESS || rc == RS_LINK_ERR_BUSY)
        return rc;
    return rs_link_open_termios(out, path);
}

int rs_link_read(struct rs_link *l, uint8_t *buf, size_t cap, int timeout_ms)
{
    if (!l || !buf || cap == 0 || timeout_ms < 0)
        return RS_LINK_ERR_ARG;
    return l->ops->read(l, buf, cap, timeout_ms);
}

int rs_link_write(struct rs_link *l, const uint8_t *buf, size_t n, int timeout_ms)
{
    if (!l || (!buf && n) || timeout_ms < 0)
        return RS_LINK_ERR_ARG;
    if (n == 0)
        return 0;
    return l->ops->write(l, buf, n, timeout_ms);
}

const char *rs_link_backend(const struct rs_link *l)
{
    return l ? l->ops->name : "none";
}

const char *rs_link_name(const struct rs_link *l)
{
    return l ? l->name : "";
}

void rs_link_close(struct rs_link *l)
{
    if (!l)
        return;
    l->ops->close(l);
    free(l);
}
