/*
 * usb_boot.h - hand the chip to the Caterina bootloader (Arduino Leonardo /
 * Pro Micro). Used by the USB stack for the 1200-baud touch, and available to
 * a "reset into bootloader" command.
 */
#ifndef RS_USB_BOOT_H
#define RS_USB_BOOT_H

#include <stdint.h>

/* Caterina checks this key at this RAM address after a watchdog reset and, if
 * it matches, stays in the bootloader (about 8 s) instead of starting the
 * sketch. */
#define USB_BOOT_KEY_ADDR 0x0800u
#define USB_BOOT_KEY 0x7777u

/* Baud rate whose port-close (DTR 1 -> 0) means "reset into the bootloader". */
#define USB_BOOT_TOUCH_BAUD 1200ul

/* Detach from the bus, write the boot key, reset by watchdog. Never returns. */
void usb_reboot_bootloader(void) __attribute__((noreturn));

#endif
