/*
 * rs_serial.h - the roller's identity: one 12-character ASCII string that is
 * both the USB iSerialNumber string and the INFO frame's serial field
 * (docs/usb.md, docs/protocol.md), calibrated or not. Pure code: the chip
 * side (firmware/src/usb_serial.c) reads the sources, this turns them into
 * the string, and the host unit tests check it.
 *
 * From the factory serial (every real ATmega32U4: ten signature-row bytes,
 * lot number, wafer and die position): 12 upper-case hex digits of a CRC-48
 * over the ten bytes (polynomial RS_SERIAL_CRC48_POLY, initial value 0, MSB
 * first, no final XOR). The protocol's field is 12 characters, too short for
 * all 80 bits as text, and the CRC keeps what matters: two chips whose
 * factory serials differ only within any 48 consecutive bits (for instance
 * two dies of one lot, which differ only in the last four bytes) never get
 * the same string, because a non-zero difference of degree < 48 is not a
 * multiple of a degree-48 generator with a constant term; other pairs
 * collide with a chance of about 2^-48.
 */
#ifndef RS_SERIAL_H
#define RS_SERIAL_H

#include <stdint.h>

#define RS_SERIAL_CHARS 12u        /* = RS_SERIAL_LEN of the protocol */
#define RS_SERIAL_FACTORY_LEN 10u  /* signature row bytes 0x0E..0x17 */
/* x^48 + this (the low 48 bits of the CRC-64/ECMA-182 generator). */
#define RS_SERIAL_CRC48_POLY 0xE1EBA9EA3693ull

/* The identity of a chip with factory serial fac: 12 hex digits in out
 * (no terminator); returns RS_SERIAL_CHARS. Returns 0 (out untouched) for a
 * blank serial (all bytes 0x00 or all 0xFF, as on a chip without one),
 * which would make every such chip the same roller. */
uint8_t rs_serial_from_factory(const uint8_t fac[RS_SERIAL_FACTORY_LEN], char out[RS_SERIAL_CHARS]);

/* A serial given as text (the emulator's, from EEPROM): up to
 * RS_SERIAL_CHARS characters of [0-9A-Za-z-_.] ended by 0x00, 0xFF or the
 * end of the n bytes. Copies it to out, NUL-padded, and returns its length;
 * returns 0 (out untouched) if it is empty or has another character. */
uint8_t rs_serial_from_text(const uint8_t *raw, uint8_t n, char out[RS_SERIAL_CHARS]);

#endif
