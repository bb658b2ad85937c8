/*
 * rs_serial.c - the roller's identity string (see rs_serial.h).
 */
#include "rs_serial.h"

static char hex_digit(uint8_t v)
{
    v &= 0x0Fu;
    return (char)(v < 10u ? (unsigned)'0' + v : (unsigned)'A' + v - 10u);
}

/* Bit-serial CRC-48 on six bytes (most significant first): it runs once at
 * start-up, so size matters, not speed (64-bit shifts cost the AVR 300
 * bytes of flash more). */
uint8_t rs_serial_from_factory(const uint8_t fac[RS_SERIAL_FACTORY_LEN], char out[RS_SERIAL_CHARS])
{
    uint8_t blank = 1;
    for (uint8_t i = 1; i < RS_SERIAL_FACTORY_LEN; i++)
        blank &= fac[i] == fac[0];
    if (blank && (fac[0] == 0x00 || fac[0] == 0xFF))
        return 0;
    const uint8_t poly[6] = {
        (uint8_t)(RS_SERIAL_CRC48_POLY >> 40), (uint8_t)(RS_SERIAL_CRC48_POLY >> 32),
        (uint8_t)(RS_SERIAL_CRC48_POLY >> 24), (uint8_t)(RS_SERIAL_CRC48_POLY >> 16),
        (uint8_t)(RS_SERIAL_CRC48_POLY >> 8),  (uint8_t)RS_SERIAL_CRC48_POLY,
    };
    uint8_t crc[6] = { 0 };
    for (uint8_t i = 0; i < RS_SERIAL_FACTORY_LEN; i++) {
        crc[0] ^= fac[i];
        for (uint8_t b = 0; b < 8u; b++) {
            uint8_t top = crc[0] & 0x80u;
            for (uint8_t k = 0; k < 6u; k++)
                crc[k] = (uint8_t)((crc[k] << 1) | (k < 5u ? crc[k + 1] >> 7 : 0));
            if (top) {
                for (uint8_t k = 0; k < 6u; k++)
                    crc[k] ^= poly[k];
            }
        }
    }
    for (uint8_t i = 0; i < RS_SERIAL_CHARS; i++)
        out[i] = hex_digit((uint8_t)(crc[i / 2u] >> ((i & 1u) ? 0 : 4)));
    return RS_SERIAL_CHARS;
}

static uint8_t serial_char_ok(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c == '-' || c == '_' || c == '.';
}

uint8_t rs_serial_from_text(const uint8_t *raw, uint8_t n, char out[RS_SERIAL_CHARS])
{
    uint8_t len = 0;
    while (len < n && len < RS_SERIAL_CHARS && raw[len] != 0x00 && raw[len] != 0xFF) {
        if (!serial_char_ok(raw[len]))
            return 0;
        len++;
    }
    if (!len)
        return 0;
    for (uint8_t i = 0; i < RS_SERIAL_CHARS; i++)
        out[i] = i < len ? (char)raw[i] : '\0';
    return len;
}
