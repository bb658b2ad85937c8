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
    uint32_t raw = rs_hal_hx_read(ch);
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
        (void)rs_hal_hx_read(ch);
        h->armed = rs_hal_hx_dout(ch);
    }
}
