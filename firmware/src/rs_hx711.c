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
    h->armed = 0;
    h->fault = 0;
}

/* 24 data clocks MSB first, then one more to select channel A / gain 128.
 * The HX711 shifts a bit out on the rising edge; we sample while SCK is high.
 * SCK stays high well under the 50 us power-down limit even with an ISR in
 * between (all ISRs are a few microseconds). */
static uint32_t hx_shift_in(uint8_t ch)
{
    uint32_t v = 0;
    for (uint8_t i = 0; i < 24; i++) {
        rs_hal_hx_sck(ch, 1);
        v = (v << 1) | (rs_hal_hx_dout(ch) & 1u);
        rs_hal_hx_sck(ch, 0);
    }
    rs_hal_hx_sck(ch, 1);
    rs_hal_hx_sck(ch, 0);
    return v;
}

int8_t rs_hx_poll(struct rs_hx *h, uint8_t ch, uint32_t now_us, int32_t *value)
{
    int8_t got = 0;
    if (rs_hal_hx_dout(ch)) {
        h->armed = 1;
    } else if (h->armed) {
        *value = rs_hx_sign_extend(hx_shift_in(ch));
        /* After the 25th clock a live chip raises DOUT until the next
         * conversion; low here means stuck, and it stays unarmed. */
        h->armed = rs_hal_hx_dout(ch) ? 1 : 0;
        h->last_ok_us = now_us;
        h->fault = 0;
        got = 1;
    }
    if (!got && (uint32_t)(now_us - h->last_ok_us) > RS_HX_FAULT_US)
        h->fault = 1;
    return got;
}
