/*
 * usb_host.h - a single-threaded USB host model for simavr's USB controller.
 *
 * It plays the role of an operating system's USB stack towards a firmware
 * running in simavr: bus reset, control transfers (SETUP / data / status
 * stages), enumeration the way Linux does it, the CDC-ACM class requests,
 * and bulk transfers with URB semantics (a transfer ends on a short packet,
 * a zero-length packet, or a full buffer).
 *
 * Contract:
 *  - Everything runs in the caller's thread: each call pumps avr_run() itself
 *    between retries (simavr's USB ioctls are not thread-safe), so the caller
 *    must not run the core concurrently. Time is emulated: every wait has a
 *    timeout in CPU cycles, never in wall-clock time.
 *  - NAKed transactions are retried every poll_cycles cycles until the stage's
 *    timeout (timeout_cycles, or the explicit argument for bulk IN).
 *  - Errors are negative enum rs_usbh_err values; rs_usbh_strerror() names them.
 *
 * Where simavr 1.6's model differs from real hardware, the model compensates
 * by reading the controller's endpoint state as a bus analyser would (see
 * usb_host.c): it holds a control OUT data stage until the firmware has taken
 * the SETUP, and tells a zero-length IN packet from a NAK.
 *
 * Reusable by rollsense-emu (--transport usb): init on an avr_t*, enumerate,
 * set line coding / DTR, then alternate rs_usbh_bulk_in() and rs_usbh_bulk_out().
 */
#ifndef RS_USB_HOST_H
#define RS_USB_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <simavr/sim_avr.h>

enum rs_usbh_err {
    RS_USBH_OK = 0,
    RS_USBH_ETIMEOUT = -1, /* the device kept NAKing until the timeout */
    RS_USBH_ESTALL = -2,   /* the device answered STALL */
    RS_USBH_ENODEV = -3,   /* endpoint not enabled (no bus reset / not configured) */
    RS_USBH_EOVERFLOW = -4,/* the device sent more than asked for */
    RS_USBH_EPROTO = -5,   /* a descriptor or answer makes no sense */
    RS_USBH_ECORE = -6,    /* the simulated core stopped or crashed */
    RS_USBH_EARG = -7,     /* bad argument (caller bug) */
};

struct rs_usb_setup {
    uint8_t bmRequestType;
    uint8_t bRequest;
    uint16_t wValue;
    uint16_t wIndex;
    uint16_t wLength;
};

#define RS_USBH_MAX_CONFIG 255u
#define RS_USBH_MAX_STRING 127u /* ASCII characters kept per string */

/* What enumeration found. Raw descriptors are kept for field-by-field checks. */
struct rs_usbh_device {
    uint8_t device_desc[18];
    uint8_t config_desc[RS_USBH_MAX_CONFIG];
    uint16_t config_len;
    uint8_t langid_desc[4];
    char manufacturer[RS_USBH_MAX_STRING + 1];
    char product[RS_USBH_MAX_STRING + 1];
    char serial[RS_USBH_MAX_STRING + 1];
    uint8_t line_coding[7];     /* as read back by GET_LINE_CODING */
    uint8_t ep_notify, ep_in, ep_out; /* endpoint addresses from the descriptors */
    uint16_t in_size, out_size;
};

struct rs_usbh_stats {
    uint64_t naks;      /* NAKed transactions retried */
    uint64_t in_packets;
    uint64_t in_zlps;   /* zero-length bulk IN packets received */
    uint64_t out_packets;
};

struct rs_usbh {
    avr_t *avr;
    uint64_t timeout_cycles; /* per control stage / bulk OUT packet; default 0.5 s */
    uint32_t poll_cycles;    /* between retries of a NAKed transaction; default 1 ms */
    uint8_t ep0_size;        /* from the first 8 bytes of the device descriptor */
    uint8_t address;
    uint8_t ep_in, ep_out;   /* CDC data endpoints, set by enumeration */
    uint16_t in_size, out_size;
    struct rs_usbh_stats stats;
};

/* Attach the model to a core. No bus traffic yet. */
int rs_usbh_init(struct rs_usbh *h, avr_t *avr);

/* Run the core for at least n cycles. 0, or RS_USBH_ECORE. */
int rs_usbh_run(struct rs_usbh *h, uint64_t cycles);

/* Bus reset: the device returns to its default state (EP0 only, address 0).
 * Waits (up to timeout_cycles) for the device to attach first, as a real hub
 * only resets a port with a device on it; RS_USBH_ENODEV if it never does. */
int rs_usbh_bus_reset(struct rs_usbh *h);

/*
 * One control transfer on EP0. data holds wLength bytes (IN: filled; OUT: sent).
 * Returns the number of data-stage bytes transferred (IN may be short), or a
 * negative error (RS_USBH_ESTALL when the device refused the request).
 */
int rs_usbh_control(struct rs_usbh *h, const struct rs_usb_setup *s, uint8_t *data);

/*
 * Enumerate as Linux does: bus reset, GET_DESCRIPTOR(device, 8), SET_ADDRESS,
 * device descriptor, configuration descriptor (9 bytes, then wTotalLength),
 * string 0 and every string the device descriptor names, SET_CONFIGURATION(1),
 * then for CDC-ACM SET_LINE_CODING(baud 8N1), GET_LINE_CODING and
 * SET_CONTROL_LINE_STATE(DTR|RTS). Fills dev (may be NULL).
 */
int rs_usbh_enumerate(struct rs_usbh *h, struct rs_usbh_device *dev, uint32_t baud);

int rs_usbh_set_line_coding(struct rs_usbh *h, uint32_t baud, uint8_t stop_bits,
                            uint8_t parity, uint8_t data_bits);
int rs_usbh_get_line_coding(struct rs_usbh *h, uint8_t out[7]);
int rs_usbh_set_control_lines(struct rs_usbh *h, int dtr, int rts);

/*
 * One bulk IN transfer of up to cap bytes from the CDC data IN endpoint.
 * Returns 0 when it completed (short packet, ZLP or cap reached) or
 * RS_USBH_ETIMEOUT when timeout_cycles passed first; *got holds the bytes
 * received in both cases. Other negative values are errors.
 */
int rs_usbh_bulk_in(struct rs_usbh *h, uint8_t *buf, size_t cap, uint64_t timeout_cycles,
                    size_t *got);

/* Send n bytes on the CDC data OUT endpoint (split into packets; a ZLP ends a
 * transfer of a whole number of packets when zlp is set). 0 or negative. */
int rs_usbh_bulk_out(struct rs_usbh *h, const uint8_t *p, size_t n, int zlp);

/* Low level: one IN transaction on endpoint ep (0..4), without running the
 * core. Returns 0 with *got bytes (0 = a zero-length packet), 1 when the
 * device NAKed, or a negative error. */
int rs_usbh_in_packet(struct rs_usbh *h, uint8_t ep, uint8_t buf[64], size_t *got);

/* Low level: one OUT transaction of n <= 64 bytes on endpoint ep, without
 * running the core (safe inside a simavr cycle timer). 0, 1 when NAKed, or a
 * negative error. */
int rs_usbh_out_packet(struct rs_usbh *h, uint8_t ep, const uint8_t *p, size_t n);

const char *rs_usbh_strerror(int err);

#endif
