/* usb_bridge.c - see usb_bridge.h. */
#include "usb_bridge.h"

#include <string.h>

#include <simavr/sim_cycle_timers.h>

#define FRAME_CYCLES 16000u /* 1 ms at 16 MHz */
#define IN_PER_FRAME 4

static avr_cycle_count_t frame(avr_t *avr, avr_cycle_count_t when, void *param)
{
    struct rs_usb_bridge *b = param;
    uint8_t pkt[64];
    size_t got;
    (void)avr;

    for (int i = 0; i < IN_PER_FRAME; i++) {
        int r = rs_usbh_in_packet(&b->h, b->h.ep_in, pkt, &got);
        if (r < 0)
            b->last_error = r;
        if (r != 0)
            break;
        if (got) {
            b->rx_bytes += got;
            b->on_rx(b->ctx, pkt, got);
        }
        if (got < b->h.in_size)
            break;
    }

    if (b->head != b->tail) {
        size_t n = 0;
        while (n < b->h.out_size && b->tail + n != b->head) {
            pkt[n] = b->q[(b->tail + n) % RS_USB_BRIDGE_QUEUE];
            n++;
        }
        int r = rs_usbh_out_packet(&b->h, b->h.ep_out, pkt, n);
        if (r == 0) {
            b->tail += n;
            b->tx_bytes += n;
        } else if (r < 0) {
            b->last_error = r;
        }
    }
    return when + FRAME_CYCLES;
}

int rs_usb_bridge_attach(struct rs_usb_bridge *b, avr_t *avr, rs_usb_bytes_fn on_rx, void *ctx,
                         uint32_t baud)
{
    if (!b || !avr || !on_rx)
        return RS_USBH_EARG;
    memset(b, 0, sizeof *b);
    b->on_rx = on_rx;
    b->ctx = ctx;
    int r = rs_usbh_init(&b->h, avr);
    if (r == 0)
        r = rs_usbh_enumerate(&b->h, &b->dev, baud);
    if (r == 0)
        avr_cycle_timer_register(avr, FRAME_CYCLES, frame, b);
    return r;
}

size_t rs_usb_bridge_write(struct rs_usb_bridge *b, const uint8_t *p, size_t n)
{
    size_t k = 0;
    while (k < n && b->head - b->tail < RS_USB_BRIDGE_QUEUE) {
        b->q[b->head % RS_USB_BRIDGE_QUEUE] = p[k++];
        b->head++;
    }
    return k;
}

size_t rs_usb_bridge_pending(const struct rs_usb_bridge *b)
{
    return b->head - b->tail;
}

int rs_usb_bridge_set_dtr(struct rs_usb_bridge *b, int open)
{
    return rs_usbh_set_control_lines(&b->h, open, open);
}
