/*
 * usb_serial.c - where the roller's identity comes from (see usb_serial.h).
 */
#include "usb_serial.h"

#include <avr/boot.h>
#include <avr/eeprom.h>
#include <avr/pgmspace.h>

static char serial[USB_SERIAL_MAX];
static uint8_t serial_len;

static uint8_t from_signature_row(void)
{
    if (boot_signature_byte_get(0x00) != 0x1E || boot_signature_byte_get(0x02) != 0x95 ||
        boot_signature_byte_get(0x04) != 0x87)
        return 0;
    uint8_t fac[RS_SERIAL_FACTORY_LEN];
    for (uint8_t i = 0; i < RS_SERIAL_FACTORY_LEN; i++)
        fac[i] = boot_signature_byte_get((uint8_t)(0x0E + i));
    return rs_serial_from_factory(fac, serial);
}

void usb_serial_init(void)
{
    serial_len = from_signature_row();
    if (!serial_len) {
        uint8_t raw[USB_SERIAL_EE_LEN];
        eeprom_read_block(raw, (const void *)USB_SERIAL_EE_ADDR, sizeof raw);
        serial_len = rs_serial_from_text(raw, sizeof raw, serial);
    }
    if (!serial_len) {
        static const char fallback[] PROGMEM = USB_SERIAL_FALLBACK;
        for (; serial_len < sizeof fallback - 1; serial_len++)
            serial[serial_len] = (char)pgm_read_byte(&fallback[serial_len]);
    }
}

const char *usb_serial(uint8_t *len)
{
    *len = serial_len;
    return serial;
}
