/*
 * usb_serial.c - where the serial number string comes from (see usb_serial.h).
 */
#include "usb_serial.h"

#include <avr/boot.h>
#include <avr/eeprom.h>
#include <avr/pgmspace.h>

static char hex_digit(uint8_t v)
{
    v &= 0x0F;
    return (char)(v < 10 ? '0' + v : 'A' + v - 10);
}

static uint8_t serial_char_ok(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c == '-' || c == '_' || c == '.';
}

uint8_t usb_serial_read(char *buf)
{
    uint8_t n = 0;

    if (boot_signature_byte_get(0x00) == 0x1E && boot_signature_byte_get(0x02) == 0x95 &&
        boot_signature_byte_get(0x04) == 0x87) {
        for (uint8_t a = 0x0E; a < 0x18; a++) {
            uint8_t b = boot_signature_byte_get(a);
            buf[n++] = hex_digit(b >> 4);
            buf[n++] = hex_digit(b);
        }
        return n;
    }

    for (; n < USB_SERIAL_EE_LEN; n++) {
        uint8_t c = eeprom_read_byte((const uint8_t *)(USB_SERIAL_EE_ADDR + n));
        if (c == 0x00 || c == 0xFF)
            break;
        if (!serial_char_ok(c)) {
            n = 0;
            break;
        }
        buf[n] = (char)c;
    }
    if (n)
        return n;

    static const char fallback[] PROGMEM = USB_SERIAL_FALLBACK;
    for (n = 0; n < sizeof fallback - 1; n++)
        buf[n] = (char)pgm_read_byte(&fallback[n]);
    return n;
}
