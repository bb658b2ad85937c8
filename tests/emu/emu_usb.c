/*
 * emu_usb.c - rollsense-emu's USB transport over tests/usb's host model
 * (see emu_usb.h).
 */
#include "emu_usb.h"

#include <stdio.h>

#include "usb_bridge.h"

/* One emulated roller per process: the program's own state. */
static struct rs_usb_bridge bridge;

int rs_emu_usb_attach(struct rs_emu *e, rs_emu_bytes_fn on_rx, void *ctx, char *err, size_t errlen)
{
    int rc = rs_usb_bridge_attach(&bridge, e->avr, on_rx, ctx, 115200);
    if (rc < 0) {
        snprintf(err, errlen, "USB enumeration of the emulated roller failed: %s", rs_usbh_strerror(rc));
        return -1;
    }
    return 0;
}

size_t rs_emu_usb_write(const uint8_t *p, size_t n)
{
    return rs_usb_bridge_write(&bridge, p, n);
}

size_t rs_emu_usb_pending(void)
{
    return rs_usb_bridge_pending(&bridge);
}
