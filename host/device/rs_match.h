/*
 * rs_match.h - which serial ports are rollers, and which roller to use.
 *
 * Pure decisions over port descriptions; the thin scans that fill them from
 * libserialport and libusb are in rs_scan.h. A roller is a USB port with
 * VID:PID 1209:0001 (the pid.codes test pair, shared with other hobby
 * devices) whose product string is "rollsense roller". When the product string
 * is unknown (no sysfs metadata, no libusb access) the port is a candidate
 * only; the info frame from the probe decides.
 */
#ifndef RS_MATCH_H
#define RS_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RS_DESC_STR 64

struct rs_port_desc {
    char path[256];
    bool usb;                       /* VID/PID below are valid */
    uint16_t vid, pid;
    char product[RS_DESC_STR];      /* "" = unknown */
    char manufacturer[RS_DESC_STR];
    char serial[RS_DESC_STR];       /* USB serial number string, "" = unknown */
};

/* One device as libusb sees it (bus order, not tied to a port). */
struct rs_usb_desc {
    uint16_t vid, pid;
    char product[RS_DESC_STR];
    char manufacturer[RS_DESC_STR];
    char serial[RS_DESC_STR];
};

enum rs_match {
    RS_MATCH_NO = 0,       /* not a roller */
    RS_MATCH_MAYBE = 1,    /* right VID:PID, product unknown: probe it */
    RS_MATCH_YES = 2,      /* right VID:PID and product string */
};

enum rs_match rs_port_match(const struct rs_port_desc *d);

/*
 * Fill in product and manufacturer strings a port lacks from the libusb list:
 * a USB device with the same VID:PID and the same serial number, or, when
 * the port has no serial, the only device with that VID:PID.
 */
void rs_port_merge_usb(struct rs_port_desc *ports, size_t n,
                       const struct rs_usb_desc *usb, size_t m);

/* A roller found and identified (serial from its info frame or USB). */
struct rs_roller {
    char path[256];
    char serial[RS_DESC_STR];
};

enum rs_pick_err {
    RS_PICK_OK = 0,
    RS_PICK_NONE = -1,        /* no roller at all */
    RS_PICK_NO_SERIAL = -2,   /* --device SERIAL given, no roller has it */
    RS_PICK_AMBIGUOUS = -3,   /* several rollers and no --device */
};

/*
 * Choose a roller: the one whose serial equals want (case-insensitive) when
 * want is set, else the only one. Returns RS_PICK_OK and *idx, or an error.
 */
int rs_pick_roller(const struct rs_roller *list, size_t n, const char *want, size_t *idx);

/*
 * The one-line message for a failed pick, e.g. "several rollers found:
 * A1B2 on /dev/ttyACM0, C3D4 on /dev/ttyACM1; choose one with --device
 * SERIAL". Returns buf (always NUL-terminated, truncated with "..." if needed).
 */
const char *rs_pick_message(int err, const struct rs_roller *list, size_t n, const char *want,
                            char *buf, size_t cap);

#endif
