/*
 * rs_hx711.h - HX711 24-bit bridge ADC: bit-banged read and the
 * missing/stuck-chip monitor.
 *
 * A conversion counts as "data ready" only when DOUT is low and, if DOUT was
 * still low right after the previous read (a live chip raises it after the
 * 25th clock), it was seen high since: a chip that is absent (DOUT pulled
 * high) or stuck (DOUT low for ever) produces no data-ready, and after
 * RS_HX_FAULT_US without one the channel is in fault. The first good read
 * clears the fault.
 */
#ifndef RS_HX711_H
#define RS_HX711_H

#include <stdint.h>

/* 80 SPS nominal period, and the fault threshold of three periods. */
#define RS_HX_PERIOD_US 12500u
#define RS_HX_FAULT_US (3u * RS_HX_PERIOD_US)
/* Output settling time after a wake-up from power-down at 80 SPS (the
 * datasheet's 50 ms; 400 ms at 10 SPS). */
#define RS_HX_SETTLE_US 50000u

struct rs_hx {
    uint32_t last_ok_us; /* time of the last good read (or of start-up) */
    uint8_t armed;       /* DOUT seen high since the last read */
    uint8_t fault;       /* 1 while missing or stuck */
    uint32_t stamp_us;   /* time of the conversion last read (rs_hal_hx_stamp) */
};

/* Sign-extend a 24-bit two's complement HX711 word. */
int32_t rs_hx_sign_extend(uint32_t raw24);

void rs_hx_init(struct rs_hx *h, uint32_t now_us);

/*
 * Poll one channel without waiting: if a fresh conversion is ready, read it
 * (25 clocks: channel A, gain 128 next), store it in *value and its time in
 * h->stamp_us, clear the fault and return 1; otherwise return 0. One call takes one read at most (about
 * 100 us on the chip).
 */
int8_t rs_hx_poll(struct rs_hx *h, uint8_t ch, uint32_t now_us, int32_t *value);

/* Fault timing: sets the fault after RS_HX_FAULT_US without a good read,
 * and while in fault probes a chip whose DOUT stays low (see the source).
 * Called every few milliseconds (the caller's period adds to the latency). */
void rs_hx_check(struct rs_hx *h, uint8_t ch, uint32_t now_us);

#endif
