/*
 * usb_bridge.h - the CDC-ACM byte stream of an emulated roller, for a program
 * that runs the simavr core in its own loop (rollsense-emu --transport usb).
 *
 * Same shape as the emulator's UART bridge: bytes from the device come out
 * through a callback, bytes for the device go into a queue. Attaching
 * enumerates the device and opens the port (DTR set) with the host model,
 * running the core as needed; after that, a simavr cycle timer acts as the
 * host controller's 1 ms frame: each frame it polls bulk IN until a NAK or a
 * short packet (at most 4 packets) and sends at most one queued OUT packet.
 * The timer never runs the core itself, so the caller's avr_run() loop drives
 * everything. Not thread-safe, like simavr.
 */
#ifndef RS_USB_BRIDGE_H
#define RS_USB_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "usb_host.h"

typedef void (*rs_usb_bytes_fn)(void *ctx, const uint8_t *p, size_t n);

#define RS_USB_BRIDGE_QUEUE 8192u

struct rs_usb_bridge {
    struct rs_usbh h;
    struct rs_usbh_device dev;
    rs_usb_bytes_fn on_rx; /* device -> host bytes */
    void *ctx;
    uint8_t q[RS_USB_BRIDGE_QUEUE]; /* host -> device, ring */
    size_t head, tail;
    uint64_t rx_bytes, tx_bytes;
    int last_error;        /* last negative USB result in a frame (0: none) */
};

/* Enumerate (at `baud`), set DTR and RTS, start the frame timer. 0 or a
 * negative rs_usbh_err (rs_usbh_strerror). */
int rs_usb_bridge_attach(struct rs_usb_bridge *b, avr_t *avr, rs_usb_bytes_fn on_rx, void *ctx,
                         uint32_t baud);

/* Queue bytes for the device. Returns the count queued (less if full). */
size_t rs_usb_bridge_write(struct rs_usb_bridge *b, const uint8_t *p, size_t n);

/* Bytes still queued for the device. */
size_t rs_usb_bridge_pending(const struct rs_usb_bridge *b);

/* Open (1) or close (0) the port: SET_CONTROL_LINE_STATE. Runs the core; call
 * it from the main loop, never from a simavr callback. */
int rs_usb_bridge_set_dtr(struct rs_usb_bridge *b, int open);

#endif
