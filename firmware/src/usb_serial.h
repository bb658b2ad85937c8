/*
 * usb_serial.h - where the roller's identity (rs_serial.h) comes from on the
 * chip: the one string used as USB iSerialNumber and as the INFO serial.
 *
 * Source, in order of preference:
 *  1. the ATmega32U4 signature row: if the row reads back with the Atmel
 *     signature 1E 95 87, its ten factory serial bytes (row addresses
 *     0x0E..0x17) give 12 hex digits (rs_serial_from_factory). Every real
 *     chip takes this path, unless its serial is blank (all 0x00 or 0xFF).
 *  2. otherwise (simavr 1.6 does not implement SIGRD: LPM returns flash
 *     bytes), an ASCII serial stored in EEPROM at USB_SERIAL_EE_ADDR: up to
 *     USB_SERIAL_EE_LEN characters from [0-9A-Za-z-_.], ended by 0x00 or
 *     0xFF. The emulator writes its --serial there; a real chip never looks.
 *  3. if that is blank or invalid: the fixed USB_SERIAL_FALLBACK.
 * The EEPROM cell sits in the last 16 bytes of EEPROM, away from the
 * calibration slots at the bottom.
 */
#ifndef RS_USB_SERIAL_H
#define RS_USB_SERIAL_H

#include <stdint.h>

#include "rs_serial.h"

#define USB_SERIAL_MAX RS_SERIAL_CHARS
#define USB_SERIAL_EE_ADDR 0x3F0u
#define USB_SERIAL_EE_LEN 12u
#define USB_SERIAL_FALLBACK "000000000000"

/* Read the sources once (start-up, before any EEPROM write is started). */
void usb_serial_init(void);
/* The identity: USB_SERIAL_MAX bytes, NUL-padded, no terminator; *len its
 * length (>= 1). */
const char *usb_serial(uint8_t *len);

#endif
