/* rs_scan.c - libserialport and libusb scans, libusb hotplug (see rs_scan.h). */
#include "rs_scan.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_link.h"
#include "rs_sp_api.h"

static void take_str(char *dst, const char *src)
{
    snprintf(dst, RS_DESC_STR, "%s", src ? src : "");
}

int rs_scan_ports(const struct rs_sp_api *api, struct rs_port_desc *out, size_t cap, size_t *n)
{
    *n = 0;
    struct sp_port **list = NULL;
    enum sp_return r = api->list_ports(&list);
    if (r != SP_OK)
        return rs_sp_error(api, r, 0);
    for (size_t i = 0; list[i] && *n < cap; i++) {
        struct rs_port_desc *d = &out[*n];
        memset(d, 0, sizeof *d);
        const char *name = api->get_port_name(list[i]);
        if (!name)
            continue;
        snprintf(d->path, sizeof d->path, "%s", name);
        if (api->get_port_transport(list[i]) == SP_TRANSPORT_USB) {
            int vid = 0, pid = 0;
            if (api->get_port_usb_vid_pid(list[i], &vid, &pid) == SP_OK) {
                d->usb = true;
                d->vid = (uint16_t)vid;
                d->pid = (uint16_t)pid;
            }
            /* libserialport returns pointers into the port struct: copy, never free. */
            take_str(d->product, api->get_port_usb_product(list[i]));
            take_str(d->manufacturer, api->get_port_usb_manufacturer(list[i]));
            take_str(d->serial, api->get_port_usb_serial(list[i]));
        }
        (*n)++;
    }
    api->free_port_list(list);
    return 0;
}

static void usb_string(libusb_device_handle *h, uint8_t index, char *dst)
{
    dst[0] = '\0';
    if (!h || index == 0)
        return;
    unsigned char tmp[RS_DESC_STR];
    int k = libusb_get_string_descriptor_ascii(h, index, tmp, sizeof tmp - 1);
    if (k > 0) {
        tmp[k] = '\0';
        snprintf(dst, RS_DESC_STR, "%s", (char *)tmp);
    }
}

int rs_scan_usb(uint16_t vid, uint16_t pid, struct rs_usb_desc *out, size_t cap, size_t *n)
{
    *n = 0;
    libusb_context *ctx = NULL;
    if (libusb_init(&ctx) != 0)
        return RS_LINK_ERR_UNSUPPORTED;
    libusb_device **devs = NULL;
    ssize_t count = libusb_get_device_list(ctx, &devs);
    if (count < 0) {
        libusb_exit(ctx);
        return count == LIBUSB_ERROR_NO_MEM ? RS_LINK_ERR_NOMEM : RS_LINK_ERR_IO;
    }
    for (ssize_t i = 0; i < count && *n < cap; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(devs[i], &dd) != 0)
            continue;
        if (dd.idVendor != vid || dd.idProduct != pid)
            continue;
        struct rs_usb_desc *u = &out[(*n)++];
        memset(u, 0, sizeof *u);
        u->vid = dd.idVendor;
        u->pid = dd.idProduct;
        libusb_device_handle *h = NULL;
        if (libusb_open(devs[i], &h) == 0) {
            usb_string(h, dd.iProduct, u->product);
            usb_string(h, dd.iManufacturer, u->manufacturer);
            usb_string(h, dd.iSerialNumber, u->serial);
            libusb_close(h);
        }
    }
    libusb_free_device_list(devs, 1);
    libusb_exit(ctx);
    return 0;
}

#define RS_SCAN_MAX 32

int rs_scan_rollers(struct rs_port_desc *out, size_t cap, size_t *n)
{
    *n = 0;
    struct rs_port_desc all[RS_SCAN_MAX];
    size_t na = 0;
    int rc = rs_scan_ports(&rs_sp_api_default, all, RS_SCAN_MAX, &na);
    if (rc < 0)
        return rc;
    bool need_usb = false;
    for (size_t i = 0; i < na; i++)
        if (rs_port_match(&all[i]) == RS_MATCH_MAYBE)
            need_usb = true;
    if (need_usb) {
        struct rs_usb_desc usb[RS_SCAN_MAX];
        size_t nu = 0;
        if (rs_scan_usb(RS_USB_VID, RS_USB_PID, usb, RS_SCAN_MAX, &nu) == 0)
            rs_port_merge_usb(all, na, usb, nu);
    }
    for (size_t i = 0; i < na && *n < cap; i++)
        if (rs_port_match(&all[i]) != RS_MATCH_NO)
            out[(*n)++] = all[i];
    return 0;
}

struct rs_hotplug {
    libusb_context *ctx;
    libusb_hotplug_callback_handle cb;
    int registered;
    volatile int pending;     /* set by the callback, cleared by a scan */
    int64_t last_scan_ms;
    int scanned_once;
};

/* libusb rule: no synchronous libusb calls in here (docs/platform.md). */
static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user)
{
    (void)ctx;
    (void)dev;
    (void)event;
    ((struct rs_hotplug *)user)->pending = 1;
    return 0; /* stay registered */
}

struct rs_hotplug *rs_hotplug_new(void)
{
    struct rs_hotplug *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (libusb_init(&h->ctx) != 0) {
        h->ctx = NULL;
        return h;
    }
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0) {
        int rc = libusb_hotplug_register_callback(
            h->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
            0, RS_USB_VID, RS_USB_PID, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, h, &h->cb);
        h->registered = rc == LIBUSB_SUCCESS;
    }
    return h;
}

int rs_hotplug_due(struct rs_hotplug *h, int64_t now_ms)
{
    if (h->ctx && h->registered) {
        struct timeval zero = { 0, 0 };
        libusb_handle_events_timeout_completed(h->ctx, &zero, NULL);
    }
    return h->pending || !h->scanned_once || now_ms - h->last_scan_ms >= RS_HOTPLUG_POLL_MS;
}

void rs_hotplug_scanned(struct rs_hotplug *h, int64_t now_ms)
{
    h->pending = 0;
    h->scanned_once = 1;
    h->last_scan_ms = now_ms;
}

int rs_hotplug_wait_ms(const struct rs_hotplug *h, int64_t now_ms)
{
    if (h->pending || !h->scanned_once)
        return 0;
    int64_t left = h->last_scan_ms + RS_HOTPLUG_POLL_MS - now_ms;
    return left < 0 ? 0 : (int)left;
}

int rs_hotplug_has_events(const struct rs_hotplug *h)
{
    return h->registered;
}

void rs_hotplug_free(struct rs_hotplug *h)
{
    if (!h)
        return;
    if (h->ctx) {
        if (h->registered)
            libusb_hotplug_deregister_callback(h->ctx, h->cb);
        libusb_exit(h->ctx);
    }
    free(h);
}
