/*
 * link_internal.h - the backend vtable behind struct rs_link (libusb's
 * usbi_os_backend pattern). Only the transport library includes this.
 */
#ifndef RS_LINK_INTERNAL_H
#define RS_LINK_INTERNAL_H

#include "rs_link.h"

struct rs_link_ops {
    const char *name;
    int (*read)(struct rs_link *l, uint8_t *buf, size_t cap, int timeout_ms);
    int (*write)(struct rs_link *l, const uint8_t *buf, size_t n, int timeout_ms);
    void (*close)(struct rs_link *l);   /* releases the backend's resources, not l */
};

#define RS_LINK_NAME_MAX 256

struct rs_link {
    const struct rs_link_ops *ops;
    char name[RS_LINK_NAME_MAX];
    void *impl;   /* backend state */
};

/* Allocate a link; returns NULL when out of memory. */
struct rs_link *rs_link_alloc(const struct rs_link_ops *ops, const char *name, void *impl);

/*
 * Claim an open port for this link alone (link_lock.c): a non-blocking
 * exclusive flock plus TIOCEXCL. Returns 0 or RS_LINK_ERR_BUSY.
 */
int rs_link_claim_fd(int fd);

/*
 * After poll() said "readable" and read() returned 0 bytes: is the device
 * really gone? Yes when poll reported a hang-up or error (revents), when fd
 * no longer stats, or when path no longer names the same device. A tty in
 * raw mode (VMIN = VTIME = 0) also returns 0 when another reader took the
 * bytes, which is not an unplug.
 */
int rs_link_zero_read_gone(int fd, const char *path, short revents);

/* Nanoseconds on CLOCK_MONOTONIC. */
int64_t rs_link_mono_ns(void);

#endif
