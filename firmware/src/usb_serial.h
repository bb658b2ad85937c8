/*
 * usb_serial.h - the per-device serial number string (USB iSerialNumber).
 *
 * Source, in order of preference:
 *  1. the ATmega32U4 signature row: if the row reads back with the Atmel
 *     signature 1E 95 87, its ten serial bytes (lot, wafer, x/y, at row
 *     addresses 0x0E..0x17) become 20 upper-case hex digits. Every real chip
 *     takes this path.
 *  2. otherwise (simavr 1.6 does not implement SIGRD: LPM returns flash bytes),
 *     an ASCII serial stored in EEPROM at USB_SERIAL_EE_ADDR: up to
 *     USB_SERIAL_EE_LEN characters from [0-9A-Za-z-_.], ended by 0x00 or 0xFF;
 *  3. if that is blank or invalid: the fixed USB_SERIAL_FALLBACK.
 * The EEPROM cell sits in the last 16 bytes of EEPROM, away from the
 * calibration slots at the bottom.
 */
#ifndef RS_USB_SERIAL_H
#define RS_USB_SERIAL_H

#include <stdint.h>

#define USB_SERIAL_MAX 20u
#define USB_SERIAL_EE_ADDR 0x3F0u
#define USB_SERIAL_EE_LEN 12u
#define USB_SERIAL_FALLBACK "000000000000"

/* Fill buf with the serial (USB_SERIAL_MAX bytes, no terminator); returns its length (>= 1). */
uint8_t usb_serial_read(char *buf);

#endif
