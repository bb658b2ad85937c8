/*
 * rs_scan.h - thin scans that describe the ports and USB devices present,
 * and libusb hotplug. All decisions are in rs_match.h; these only copy
 * metadata out of libserialport and libusb and translate their errors.
 */
#ifndef RS_SCAN_H
#define RS_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "rs_match.h"

struct rs_sp_api;

/*
 * List serial ports with their USB metadata (libserialport). Fills up to cap
 * entries; *n gets the count. Returns 0 or a negative rs_link_err.
 */
int rs_scan_ports(const struct rs_sp_api *api, struct rs_port_desc *out, size_t cap, size_t *n);

/*
 * List USB devices with VID:PID vid:pid and their string descriptors
 * (libusb). Devices that cannot be opened for strings are listed with empty
 * strings. Returns 0 or a negative rs_link_err.
 */
int rs_scan_usb(uint16_t vid, uint16_t pid, struct rs_usb_desc *out, size_t cap, size_t *n);

/*
 * Both scans, merged, keeping only ports that match or may match a roller.
 */
int rs_scan_rollers(struct rs_port_desc *out, size_t cap, size_t *n);

/*
 * Hotplug watcher. Uses libusb hotplug callbacks when libusb reports the
 * capability (tested for non-zero, docs/platform.md); the callback only sets
 * a flag, as libusb forbids synchronous calls inside it. Where no events ever
 * arrive (containers without /dev/bus/usb), callers still scan at least every
 * RS_HOTPLUG_POLL_MS: rs_hotplug_due() says when.
 */
#define RS_HOTPLUG_POLL_MS 500

struct rs_hotplug;

/* Never fails hard: without libusb it degrades to polling. NULL only on OOM. */
struct rs_hotplug *rs_hotplug_new(void);
/*
 * Handle pending libusb events without blocking, then return 1 when a scan
 * is due (an event arrived, or RS_HOTPLUG_POLL_MS passed since the last
 * rs_hotplug_scanned()), else 0. now_ms: a monotonic clock in ms.
 */
int rs_hotplug_due(struct rs_hotplug *h, int64_t now_ms);
void rs_hotplug_scanned(struct rs_hotplug *h, int64_t now_ms);
/* Milliseconds until the next scan is due (0 if due now). */
int rs_hotplug_wait_ms(const struct rs_hotplug *h, int64_t now_ms);
/* 1 when callbacks are registered (events may arrive), 0 when polling only. */
int rs_hotplug_has_events(const struct rs_hotplug *h);
void rs_hotplug_free(struct rs_hotplug *h);

#endif
