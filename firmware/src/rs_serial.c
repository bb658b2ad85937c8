/*
 * rs_serial.c - the roller's identity string (see rs_serial.h).
 */
#include "rs_serial.h"

static char hex_digit(uint8_t v)
{
    v &= 0x0Fu;
    return (char)(v < 10u ? (unsigned)'0' + v : (unsigned)'A' + v - 10u);
}

/* Bit-serial CRC-48: runs once at start-up, so size matters, not speed. */
uint8_t rs_serial_from_factory(const uint8_t fac[RS_SERIAL_FACTORY_LEN], char out[RS_SERIAL_CHARS])
{
    const uint64_t top = 1ull << 47, mask = (1ull << 48) - 1u;
    uint8_t blank = 1;
    for (uint8_t i = 1; i < RS_SERIAL_FACTORY_LEN; i++)
        blank &= fac[i] == fac[0];
    if (blank && (fac[0] == 0x00 || fac[0] == 0xFF))
        return 0;
    uint64_t crc = 0;
    for (uint8_t i = 0; i < RS_SERIAL_FACTORY_LEN; i++) {
        crc ^= (uint64_t)fac[i] << 40;
        for (uint8_t b = 0; b < 8u; b++)
            crc = (crc & top) ? ((crc << 1) ^ RS_SERIAL_CRC48_POLY) & mask : (crc << 1) & mask;
    }
    for (uint8_t i = 0; i < RS_SERIAL_CHARS; i++)
        out[i] = hex_digit((uint8_t)(crc >> (44u - 4u * i)));
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
