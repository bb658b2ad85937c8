/*
 * emu_usb.h - the USB transport of rollsense-emu (`--transport usb`): the
 * firmware's CDC-ACM port driven by the USB host model of tests/usb
 * (rs_usb_host, usb_bridge.h). Same two calls as the UART bridge: device
 * bytes through a callback, host bytes into a queue. Built only when
 * rs_usb_host is part of the build (RS_EMU_HAVE_USB).
 */
#ifndef RS_EMU_USB_H
#define RS_EMU_USB_H

#include <stddef.h>
#include <stdint.h>

#include "rs_emu.h"

/* Enumerate the emulated roller and open its port (runs the core). 0, or -1
 * with a one-line reason in err. */
int rs_emu_usb_attach(struct rs_emu *e, rs_emu_bytes_fn on_rx, void *ctx, char *err, size_t errlen);
size_t rs_emu_usb_write(const uint8_t *p, size_t n);
size_t rs_emu_usb_pending(void);

#endif
