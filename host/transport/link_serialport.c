/*
 * link_serialport.c - libserialport backend for real serial ports.
 *
 * libserialport 0.1.1 traps (docs/platform.md): sp_blocking_read() burns
 * 100 % CPU once the device is gone (it ignores read() returning EOF), and
 * with timeout 0 it would spin forever. So this backend never calls it: it
 * waits in poll() on the port's fd, then asks sp_input_waiting() and reads
 * with sp_nonblocking_read(). A vanished device shows as input_waiting < 0,
 * EIO, or "ready but read returns 0" with a hang-up or the device node
 * gone, all RS_LINK_ERR_GONE. The port is claimed exclusively after sp_open
 * (link_lock.c); libserialport 0.1.1 does not.
 */
#include <errno.h>
#include <stdlib.h>

#include "link_internal.h"
#include "rs_sp_api.h"

const struct rs_sp_api rs_sp_api_default = {
    .get_port_by_name = sp_get_port_by_name,
    .free_port = sp_free_port,
    .open = sp_open,
    .close = sp_close,
    .set_baudrate = sp_set_baudrate,
    .set_bits = sp_set_bits,
    .set_parity = sp_set_parity,
    .set_stopbits = sp_set_stopbits,
    .set_flowcontrol = sp_set_flowcontrol,
    .set_dtr = sp_set_dtr,
    .get_port_handle = sp_get_port_handle,
    .input_waiting = sp_input_waiting,
    .nonblocking_read = sp_nonblocking_read,
    .blocking_write = sp_blocking_write,
    .last_error_code = sp_last_error_code,
    .list_ports = sp_list_ports,
    .free_port_list = sp_free_port_list,
    .get_port_name = sp_get_port_name,
    .get_port_transport = sp_get_port_transport,
    .get_port_usb_vid_pid = sp_get_port_usb_vid_pid,
    .get_port_usb_product = sp_get_port_usb_product,
    .get_port_usb_manufacturer = sp_get_port_usb_manufacturer,
    .get_port_usb_serial = sp_get_port_usb_serial,
    .poll = poll,
};

int rs_sp_error(const struct rs_sp_api *api, enum sp_return r, int opening)
{
    if (r >= 0)
        return RS_LINK_OK;
    switch (r) {
    case SP_ERR_ARG:
        /* sp_get_port_by_name says SP_ERR_ARG for "no such device". */
        return opening ? RS_LINK_ERR_NOT_FOUND : RS_LINK_ERR_ARG;
    case SP_ERR_MEM: return RS_LINK_ERR_NOMEM;
    case SP_ERR_SUPP: return RS_LINK_ERR_UNSUPPORTED;
    case SP_ERR_FAIL: {
        int e = api->last_error_code();
        int c = rs_link_errno_class(e, opening);
        /* A failed read or write with no errno class is still a failure. */
        return c == RS_LINK_OK ? RS_LINK_ERR_IO : c;
    }
    default: return RS_LINK_ERR_IO;
    }
}

/* See link_termios.c: consecutive empty reads before giving up. */
#define RS_SPL_MAX_EMPTY 64

struct sp_impl {
    const struct rs_sp_api *api;
    struct sp_port *port;
    int fd;
    int empty_reads;
};

static int spl_read(struct rs_link *l, uint8_t *buf, size_t cap, int timeout_ms)
{
    struct sp_impl *s = l->impl;
    struct pollfd p = { .fd = s->fd, .events = POLLIN };
    int r = s->api->poll(&p, 1, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : rs_link_errno_class(errno, 0);
    if (r == 0)
        return 0;
    if (p.revents & POLLNVAL)
        return RS_LINK_ERR_IO;
    enum sp_return waiting = s->api->input_waiting(s->port);
    if (waiting < 0)
        return rs_sp_error(s->api, waiting, 0) == RS_LINK_ERR_NOMEM ? RS_LINK_ERR_NOMEM
                                                                    : RS_LINK_ERR_GONE;
    size_t want = cap;
    if (waiting > 0 && (size_t)waiting < want)
        want = (size_t)waiting;
    enum sp_return n = s->api->nonblocking_read(s->port, buf, want);
    if (n > 0) {
        s->empty_reads = 0;
        return (int)n;
    }
    if (n == 0) {
        /* Ready but nothing: EOF only when the device is really gone. */
        if (rs_link_zero_read_gone(s->fd, l->name, p.revents) || ++s->empty_reads > RS_SPL_MAX_EMPTY)
            return RS_LINK_ERR_GONE;
        return 0;
    }
    return rs_sp_error(s->api, n, 0);
}

static int spl_write(struct rs_link *l, const uint8_t *buf, size_t n, int timeout_ms)
{
    struct sp_impl *s = l->impl;
    /* timeout 0 means "forever" to libserialport: never pass it. */
    unsigned int t = timeout_ms > 0 ? (unsigned int)timeout_ms : 1u;
    enum sp_return w = s->api->blocking_write(s->port, buf, n, t);
    if (w < 0)
        return rs_sp_error(s->api, w, 0);
    if ((size_t)w < n)
        return RS_LINK_ERR_TIMEOUT;
    return (int)w;
}

static void spl_close(struct rs_link *l)
{
    struct sp_impl *s = l->impl;
    if (!s)
        return;
    s->api->close(s->port);
    s->api->free_port(s->port);
    free(s);
}

static const struct rs_link_ops serialport_ops = {
    .name = "serialport",
    .read = spl_read,
    .write = spl_write,
    .close = spl_close,
};

static int configure(const struct rs_sp_api *api, struct sp_port *port)
{
    enum sp_return r = api->set_baudrate(port, 115200);
    if (r == SP_OK)
        r = api->set_bits(port, 8);
    if (r == SP_OK)
        r = api->set_parity(port, SP_PARITY_NONE);
    if (r == SP_OK)
        r = api->set_stopbits(port, 1);
    if (r == SP_OK)
        r = api->set_flowcontrol(port, SP_FLOWCONTROL_NONE);
    if (r == SP_OK)
        r = api->set_dtr(port, SP_DTR_ON);
    return rs_sp_error(api, r, 1);
}

int rs_link_open_serialport_api(struct rs_link **out, const char *port_name,
                                const struct rs_sp_api *api)
{
    if (!out || !port_name || !*port_name || !api)
        return RS_LINK_ERR_ARG;
    *out = NULL;
    struct sp_port *port = NULL;
    enum sp_return r = api->get_port_by_name(port_name, &port);
    if (r != SP_OK)
        return rs_sp_error(api, r, 1);
    r = api->open(port, SP_MODE_READ_WRITE);
    if (r != SP_OK) {
        int rc = rs_sp_error(api, r, 1);
        api->free_port(port);
        return rc;
    }
    /* One owner per port (link_lock.c), before touching its settings. */
    int fd = -1;
    r = api->get_port_handle(port, &fd);
    int rc = r != SP_OK ? rs_sp_error(api, r, 1) : fd < 0 ? RS_LINK_ERR_IO : rs_link_claim_fd(fd);
    /* 8N1 without flow control; DTR on, as CDC-ACM firmware often waits for it. */
    if (rc == RS_LINK_OK)
        rc = configure(api, port);
    if (rc != RS_LINK_OK) {
        api->close(port);
        api->free_port(port);
        return rc;
    }
    struct sp_impl *s = malloc(sizeof *s);
    struct rs_link *l = s ? rs_link_alloc(&serialport_ops, port_name, s) : NULL;
    if (!l) {
        free(s);
        api->close(port);
        api->free_port(port);
        return RS_LINK_ERR_NOMEM;
    }
    s->api = api;
    s->port = port;
    s->fd = fd;
    s->empty_reads = 0;
    *out = l;
    return RS_LINK_OK;
}

int rs_link_open_serialport(struct rs_link **out, const char *port_name)
{
    return rs_link_open_serialport_api(out, port_name, &rs_sp_api_default);
}
