/*
 * rs_hx711.c - HX711 read and fault monitor (see rs_hx711.h).
 */
#include "rs_hx711.h"

#include "rs_hal.h"

int32_t rs_hx_sign_extend(uint32_t raw24)
{
    raw24 &= 0xffffffu;
    if (raw24 & 0x800000u)
        raw24 |= 0xff000000u;
    return (int32_t)raw24;
}

void rs_hx_init(struct rs_hx *h, uint32_t now_us)
{
    h->last_ok_us = now_us;
    h->armed = 1; /* a conversion may already wait at start-up: read it */
    h->fault = 0;
    h->stamp_us = now_us;
}

/* 24 data clocks MSB first, then one more to select channel A / gain 128.
 * The HX711 shifts a bit out on the rising edge; we sample while SCK is high.
 * SCK stays high well under the 50 us power-down limit even with an ISR in
 * between (all ISRs are a few microseconds). */
static uint32_t hx_shift_in(uint8_t ch)
{
    uint8_t b[3];
    for (uint8_t k = 0; k < 3; k++) {
        uint8_t v = 0; /* byte-wide shifts: a 32-bit shift costs 4x on the AVR */
        for (uint8_t i = 0; i < 8; i++) {
            rs_hal_hx_sck(ch, 1);
            v = (uint8_t)((v << 1) | (rs_hal_hx_dout(ch) & 1u));
            rs_hal_hx_sck(ch, 0);
        }
        b[k] = v;
    }
    rs_hal_hx_sck(ch, 1);
    rs_hal_hx_sck(ch, 0);
    return ((uint32_t)b[0] << 16) | ((uint16_t)b[1] << 8) | b[2];
}

int8_t rs_hx_poll(struct rs_hx *h, uint8_t ch, uint32_t now_us, int32_t *value)
{
    if (rs_hal_hx_dout(ch)) {
        h->armed = 1;
        return 0;
    }
    if (!h->armed)
        return 0;
    /* Stamp before clocking: the data bits make edges of their own. */
    uint32_t stamp = rs_hal_hx_stamp(ch);
    uint32_t raw = hx_shift_in(ch);
    /* After the 25th clock a live chip raises DOUT until the next
     * conversion. Still low: the chip is stuck and what we shifted in is
     * not a conversion; drop it and wait to see DOUT high again. */
    if (!rs_hal_hx_dout(ch)) {
        h->armed = 0;
        return 0;
    }
    *value = rs_hx_sign_extend(raw);
    h->stamp_us = stamp;
    h->last_ok_us = now_us;
    h->fault = 0;
    return 1;
}

void rs_hx_check(struct rs_hx *h, uint8_t ch, uint32_t now_us)
{
    if ((uint32_t)(now_us - h->last_ok_us) > RS_HX_FAULT_US)
        h->fault = 1;
    /* A chip that was stuck and recovered holds DOUT low with a fresh
     * conversion and never raises it unless clocked: probe it with one
     * discarded read; if DOUT then goes high it is alive again. */
    if (h->fault && !h->armed && !rs_hal_hx_dout(ch)) {
        (void)hx_shift_in(ch);
        h->armed = rs_hal_hx_dout(ch);
    }
}
