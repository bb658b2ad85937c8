/*
 * usb_host.c - the USB host model (see usb_host.h).
 *
 * simavr 1.6 quirks handled here (measured; see docs/usb.md):
 *  - ioctl results: 0 OK, -2 NAK, -3 STALL, -1 endpoint not enabled.
 *  - A NAKed bulk IN returns OK with size 0, exactly like a zero-length
 *    packet. The model tells them apart by reading the endpoint's UEINTX just
 *    before the transaction: the controller only hands a bank to the host
 *    when TXINI and (for non-control endpoints) FIFOCON are both clear.
 *  - The model accepts a control OUT data packet while the SETUP is still in
 *    the bank and overwrites it (real hardware NAKs it). The host therefore
 *    sends the data stage only once RXSTPI is clear.
 * UEINTX is read through simavr's own register read handler with UENUM
 * temporarily set to the wanted endpoint and restored at once; nothing runs
 * in between, so the firmware cannot observe it.
 */
#include "usb_host.h"

#include <string.h>

#include <simavr/avr_usb.h>

#define REG_UDCON 0xE0u
#define UDCON_DETACH 0x01u
#define REG_UEINTX 0xE8u
#define REG_UENUM 0xE9u
#define REG_UECONX 0xEBu
#define UECONX_EPEN 0x01u
#define UEINTX_TXINI 0x01u
#define UEINTX_RXOUTI 0x04u
#define UEINTX_RXSTPI 0x08u
#define UEINTX_FIFOCON 0x80u

#define NAKED 1 /* internal: transaction NAKed, retry */

#define CYCLES_PER_MS 16000u

/* Read an endpoint register (UEINTX, UECONX) of endpoint ep as the core would. */
static uint8_t peek_ep_reg(struct rs_usbh *h, uint8_t ep, uint16_t reg)
{
    avr_t *avr = h->avr;
    int io = AVR_DATA_TO_IO(reg);
    uint8_t saved = avr->data[REG_UENUM];
    uint8_t v;
    avr->data[REG_UENUM] = ep;
    if (avr->io[io].r.c)
        v = avr->io[io].r.c(avr, reg, avr->io[io].r.param);
    else
        v = avr->data[reg];
    avr->data[REG_UENUM] = saved;
    return v;
}

static uint8_t peek_ueintx(struct rs_usbh *h, uint8_t ep)
{
    return peek_ep_reg(h, ep, REG_UEINTX);
}

static int map_ioctl(int r)
{
    switch (r) {
    case 0: return RS_USBH_OK;
    case -2: return NAKED;
    case -3: return RS_USBH_ESTALL;
    default: return RS_USBH_ENODEV;
    }
}

int rs_usbh_init(struct rs_usbh *h, avr_t *avr)
{
    if (!h || !avr)
        return RS_USBH_EARG;
    memset(h, 0, sizeof *h);
    h->avr = avr;
    h->timeout_cycles = 500u * CYCLES_PER_MS;
    h->poll_cycles = CYCLES_PER_MS;
    h->ep0_size = 8;
    return 0;
}

int rs_usbh_run(struct rs_usbh *h, uint64_t cycles)
{
    avr_t *avr = h->avr;
    avr_cycle_count_t end = avr->cycle + cycles;
    while (avr->cycle < end) {
        int st = avr_run(avr);
        if (st == cpu_Done || st == cpu_Crashed)
            return RS_USBH_ECORE;
    }
    return 0;
}

/* Wait one poll interval, or report the timeout. */
static int backoff(struct rs_usbh *h, avr_cycle_count_t deadline)
{
    if (h->avr->cycle >= deadline)
        return RS_USBH_ETIMEOUT;
    h->stats.naks++;
    return rs_usbh_run(h, h->poll_cycles);
}

int rs_usbh_bus_reset(struct rs_usbh *h)
{
    struct avr_io_usb u = { .pipe = 0, .sz = 0, .buf = NULL };
    avr_cycle_count_t deadline = h->avr->cycle + h->timeout_cycles;
    int r;
    /* A host only sees (and resets) a device that has attached: UDCON.DETACH clear. */
    while (h->avr->data[REG_UDCON] & UDCON_DETACH)
        if ((r = backoff(h, deadline)) < 0)
            return r == RS_USBH_ETIMEOUT ? RS_USBH_ENODEV : r;
    if (avr_ioctl(h->avr, AVR_IOCTL_USB_RESET, &u) != 0)
        return RS_USBH_ENODEV;
    h->address = 0;
    h->ep0_size = 8;
    /* Reset recovery (USB 2.0 9.2.6.2): 10 ms before the first SETUP. */
    return rs_usbh_run(h, 10u * CYCLES_PER_MS);
}

static int ioctl_out(struct rs_usbh *h, unsigned long ctl, uint8_t pipe, const uint8_t *p, size_t n)
{
    uint8_t pkt[64] = { 0 };
    if (n > sizeof pkt)
        return RS_USBH_EARG;
    if (n)
        memcpy(pkt, p, n);
    struct avr_io_usb u = { .pipe = pipe, .sz = (uint32_t)n, .buf = pkt };
    return map_ioctl(avr_ioctl(h->avr, ctl, &u));
}

int rs_usbh_in_packet(struct rs_usbh *h, uint8_t ep, uint8_t buf[64], size_t *got)
{
    ep &= 0x0F;
    *got = 0;
    /* simavr answers a disabled bulk endpoint like a NAK; a real one is silent. */
    if (ep > 4 || !(peek_ep_reg(h, ep, REG_UECONX) & UECONX_EPEN))
        return RS_USBH_ENODEV;
    uint8_t st = peek_ueintx(h, ep);
    struct avr_io_usb u = { .pipe = (uint8_t)(0x80u | ep), .sz = 64, .buf = buf };
    int r = map_ioctl(avr_ioctl(h->avr, AVR_IOCTL_USB_READ, &u));
    *got = 0;
    if (r != RS_USBH_OK)
        return r;
    if (u.sz == 0 && ((st & UEINTX_TXINI) || (ep && (st & UEINTX_FIFOCON))))
        return NAKED; /* bulk NAK dressed up as an empty OK */
    if (u.sz > 64)
        return RS_USBH_EOVERFLOW;
    *got = u.sz;
    return RS_USBH_OK;
}

int rs_usbh_out_packet(struct rs_usbh *h, uint8_t ep, const uint8_t *p, size_t n)
{
    if (n > 64 || (n && !p))
        return RS_USBH_EARG;
    return ioctl_out(h, AVR_IOCTL_USB_WRITE, ep & 0x0F, p, n);
}

/* One OUT transaction with NAK retries until the deadline. */
static int out_packet(struct rs_usbh *h, uint8_t ep, const uint8_t *p, size_t n,
                      avr_cycle_count_t deadline)
{
    for (;;) {
        int r = ioctl_out(h, AVR_IOCTL_USB_WRITE, ep, p, n);
        if (r != NAKED)
            return r;
        if ((r = backoff(h, deadline)) < 0)
            return r;
    }
}

/* One IN transaction with NAK retries until the deadline. */
static int in_packet_wait(struct rs_usbh *h, uint8_t ep, uint8_t buf[64], size_t *got,
                          avr_cycle_count_t deadline)
{
    for (;;) {
        int r = rs_usbh_in_packet(h, ep, buf, got);
        if (r != NAKED)
            return r;
        if ((r = backoff(h, deadline)) < 0)
            return r;
    }
}

int rs_usbh_control(struct rs_usbh *h, const struct rs_usb_setup *s, uint8_t *data)
{
    uint8_t setup[8] = {
        s->bmRequestType, s->bRequest,
        (uint8_t)s->wValue, (uint8_t)(s->wValue >> 8),
        (uint8_t)s->wIndex, (uint8_t)(s->wIndex >> 8),
        (uint8_t)s->wLength, (uint8_t)(s->wLength >> 8),
    };
    avr_cycle_count_t deadline = h->avr->cycle + h->timeout_cycles;
    uint8_t pkt[64];
    size_t done = 0, got;
    int r;

    if (s->wLength && !data)
        return RS_USBH_EARG;
    /* SETUP is never NAKed; "not enabled" means the firmware has not set up EP0 yet. */
    while ((r = ioctl_out(h, AVR_IOCTL_USB_SETUP, 0, setup, sizeof setup)) != RS_USBH_OK) {
        if (r != RS_USBH_ENODEV)
            return r;
        if ((r = backoff(h, deadline)) < 0)
            return r == RS_USBH_ETIMEOUT ? RS_USBH_ENODEV : r;
    }

    if (s->wLength && (s->bmRequestType & 0x80)) {
        for (;;) {
            if ((r = in_packet_wait(h, 0, pkt, &got, deadline)) < 0)
                return r;
            if (done + got > s->wLength)
                return RS_USBH_EOVERFLOW;
            memcpy(data + done, pkt, got);
            done += got;
            if (got < h->ep0_size || done == s->wLength)
                break;
        }
        if ((r = out_packet(h, 0, NULL, 0, deadline)) < 0) /* status stage */
            return r;
        return (int)done;
    }

    if (s->wLength) {
        while (peek_ueintx(h, 0) & UEINTX_RXSTPI)
            if ((r = backoff(h, deadline)) < 0)
                return r;
        while (done < s->wLength) {
            size_t n = s->wLength - done;
            if (n > h->ep0_size)
                n = h->ep0_size;
            if ((r = out_packet(h, 0, data + done, n, deadline)) < 0)
                return r;
            done += n;
        }
    }
    if ((r = in_packet_wait(h, 0, pkt, &got, deadline)) < 0) /* status stage */
        return r;
    return got ? RS_USBH_EPROTO : (int)done;
}

static int get_descriptor(struct rs_usbh *h, uint8_t type, uint8_t idx, uint16_t lang,
                          uint8_t *buf, uint16_t len)
{
    struct rs_usb_setup s = { 0x80, 0x06, (uint16_t)(type << 8 | idx), lang, len };
    return rs_usbh_control(h, &s, buf);
}

/* UTF-16LE string descriptor to ASCII ('?' for anything else). */
static int string_to_ascii(const uint8_t *d, int n, char *out)
{
    if (n < 2 || d[0] != n || d[1] != 0x03 || (n & 1))
        return RS_USBH_EPROTO;
    int k = 0;
    for (int i = 2; i + 1 < n && k < (int)RS_USBH_MAX_STRING; i += 2)
        out[k++] = d[i + 1] == 0 && d[i] >= 0x20 && d[i] < 0x7F ? (char)d[i] : '?';
    out[k] = '\0';
    return 0;
}

/* Find the CDC endpoints: the interrupt IN of the communication interface and
 * the bulk pair of the data interface. */
static int parse_config(struct rs_usbh_device *dev)
{
    uint8_t if_class = 0;
    for (uint16_t off = 0; off + 2 <= dev->config_len;) {
        const uint8_t *d = dev->config_desc + off;
        if (d[0] < 2 || off + d[0] > dev->config_len)
            return RS_USBH_EPROTO;
        if (d[1] == 0x04 && d[0] >= 9)
            if_class = d[5];
        if (d[1] == 0x05 && d[0] >= 7) {
            uint16_t mps = (uint16_t)(d[4] | d[5] << 8);
            if (if_class == 0x02 && (d[3] & 3) == 3)
                dev->ep_notify = d[2];
            if (if_class == 0x0A && (d[3] & 3) == 2) {
                if (d[2] & 0x80) {
                    dev->ep_in = d[2];
                    dev->in_size = mps;
                } else {
                    dev->ep_out = d[2];
                    dev->out_size = mps;
                }
            }
        }
        off += d[0];
    }
    return dev->ep_in && dev->ep_out ? 0 : RS_USBH_EPROTO;
}

int rs_usbh_enumerate(struct rs_usbh *h, struct rs_usbh_device *dev, uint32_t baud)
{
    struct rs_usbh_device local;
    uint8_t buf[256];
    int r;

    if (!dev)
        dev = &local;
    memset(dev, 0, sizeof *dev);
    if ((r = rs_usbh_bus_reset(h)) < 0)
        return r;

    if ((r = get_descriptor(h, 0x01, 0, 0, buf, 8)) < 0)
        return r;
    if (r != 8 || buf[0] != 18 || buf[1] != 0x01)
        return RS_USBH_EPROTO;
    if (buf[7] != 8 && buf[7] != 16 && buf[7] != 32 && buf[7] != 64)
        return RS_USBH_EPROTO;
    h->ep0_size = buf[7];

    struct rs_usb_setup set_address = { 0x00, 0x05, 1, 0, 0 };
    if ((r = rs_usbh_control(h, &set_address, NULL)) < 0)
        return r;
    h->address = 1;
    if ((r = rs_usbh_run(h, 2u * CYCLES_PER_MS)) < 0) /* SET_ADDRESS recovery */
        return r;

    if ((r = get_descriptor(h, 0x01, 0, 0, dev->device_desc, 18)) < 0)
        return r;
    if (r != 18)
        return RS_USBH_EPROTO;

    if ((r = get_descriptor(h, 0x02, 0, 0, buf, 9)) < 0)
        return r;
    if (r != 9 || buf[1] != 0x02)
        return RS_USBH_EPROTO;
    uint16_t total = (uint16_t)(buf[2] | buf[3] << 8);
    if (total < 9 || total > RS_USBH_MAX_CONFIG)
        return RS_USBH_EPROTO;
    if ((r = get_descriptor(h, 0x02, 0, 0, dev->config_desc, total)) < 0)
        return r;
    if (r != total)
        return RS_USBH_EPROTO;
    dev->config_len = total;

    if ((r = get_descriptor(h, 0x03, 0, 0, buf, 255)) < 0)
        return r;
    if (r < 4 || r > 4)
        return RS_USBH_EPROTO;
    memcpy(dev->langid_desc, buf, 4);
    uint16_t lang = (uint16_t)(buf[2] | buf[3] << 8);

    char *texts[3] = { dev->manufacturer, dev->product, dev->serial };
    for (int i = 0; i < 3; i++) {
        uint8_t idx = dev->device_desc[14 + i];
        if (!idx)
            continue;
        if ((r = get_descriptor(h, 0x03, idx, lang, buf, 255)) < 0)
            return r;
        if ((r = string_to_ascii(buf, r, texts[i])) < 0)
            return r;
    }

    if ((r = parse_config(dev)) < 0)
        return r;
    struct rs_usb_setup set_config = { 0x00, 0x09, dev->config_desc[5], 0, 0 };
    if ((r = rs_usbh_control(h, &set_config, NULL)) < 0)
        return r;
    h->ep_in = dev->ep_in;
    h->ep_out = dev->ep_out;
    h->in_size = dev->in_size;
    h->out_size = dev->out_size;

    if ((r = rs_usbh_set_line_coding(h, baud, 0, 0, 8)) < 0)
        return r;
    if ((r = rs_usbh_get_line_coding(h, dev->line_coding)) < 0)
        return r;
    if ((r = rs_usbh_set_control_lines(h, 1, 1)) < 0)
        return r;
    return 0;
}

int rs_usbh_set_line_coding(struct rs_usbh *h, uint32_t baud, uint8_t stop_bits,
                            uint8_t parity, uint8_t data_bits)
{
    uint8_t lc[7] = { (uint8_t)baud, (uint8_t)(baud >> 8), (uint8_t)(baud >> 16),
                      (uint8_t)(baud >> 24), stop_bits, parity, data_bits };
    struct rs_usb_setup s = { 0x21, 0x20, 0, 0, 7 };
    int r = rs_usbh_control(h, &s, lc);
    return r < 0 ? r : 0;
}

int rs_usbh_get_line_coding(struct rs_usbh *h, uint8_t out[7])
{
    struct rs_usb_setup s = { 0xA1, 0x21, 0, 0, 7 };
    int r = rs_usbh_control(h, &s, out);
    if (r < 0)
        return r;
    return r == 7 ? 0 : RS_USBH_EPROTO;
}

int rs_usbh_set_control_lines(struct rs_usbh *h, int dtr, int rts)
{
    struct rs_usb_setup s = { 0x21, 0x22, (uint16_t)((dtr ? 1 : 0) | (rts ? 2 : 0)), 0, 0 };
    int r = rs_usbh_control(h, &s, NULL);
    return r < 0 ? r : 0;
}

int rs_usbh_bulk_in(struct rs_usbh *h, uint8_t *buf, size_t cap, uint64_t timeout_cycles,
                    size_t *got)
{
    avr_cycle_count_t deadline = h->avr->cycle + timeout_cycles;
    uint8_t pkt[64];
    size_t n;

    *got = 0;
    if (!h->ep_in || !h->in_size || !buf)
        return RS_USBH_EARG;
    for (;;) {
        int r = rs_usbh_in_packet(h, h->ep_in, pkt, &n);
        if (r == NAKED) {
            if ((r = backoff(h, deadline)) < 0)
                return r;
            continue;
        }
        if (r < 0)
            return r;
        if (*got + n > cap)
            return RS_USBH_EOVERFLOW;
        h->stats.in_packets++;
        if (n == 0)
            h->stats.in_zlps++;
        memcpy(buf + *got, pkt, n);
        *got += n;
        if (n < h->in_size || *got == cap)
            return 0;
    }
}

int rs_usbh_bulk_out(struct rs_usbh *h, const uint8_t *p, size_t n, int zlp)
{
    size_t off = 0;
    if (!h->ep_out || !h->out_size || (n && !p))
        return RS_USBH_EARG;
    for (;;) {
        size_t k = n - off > h->out_size ? h->out_size : n - off;
        int r = out_packet(h, h->ep_out, p ? p + off : NULL, k,
                           h->avr->cycle + h->timeout_cycles);
        if (r < 0)
            return r;
        h->stats.out_packets++;
        off += k;
        if (off == n && !(zlp && k == h->out_size))
            return 0;
        if (off == n)
            zlp = 0; /* next round sends the ZLP */
    }
}

const char *rs_usbh_strerror(int err)
{
    switch (err) {
    case RS_USBH_OK: return "ok";
    case RS_USBH_ETIMEOUT: return "timeout (device kept NAKing)";
    case RS_USBH_ESTALL: return "stall";
    case RS_USBH_ENODEV: return "endpoint not enabled";
    case RS_USBH_EOVERFLOW: return "device sent more than asked for";
    case RS_USBH_EPROTO: return "protocol error";
    case RS_USBH_ECORE: return "simulated core stopped";
    case RS_USBH_EARG: return "bad argument";
    default: return "unknown error";
    }
}
