/*
 * fake_hal.h - rs_hal.h on the host for the firmware unit tests: a settable
 * clock, two scriptable HX711 chips (bit-level, like the real ones), a
 * scripted encoder, a 1 KiB EEPROM that can lose power after N writes, and
 * a frame sink that decodes everything the device sends.
 */
#ifndef RS_FAKE_HAL_H
#define RS_FAKE_HAL_H

#include <stdint.h>

#include "rs_hal.h"
#include "rs_proto.h"

enum fake_hx_mode { FAKE_HX_OK, FAKE_HX_ABSENT, FAKE_HX_STUCK };

struct fake_hx {
    int mode;
    uint32_t value;   /* 24-bit word to shift out */
    int ready;        /* conversion waiting */
    int clocks;       /* rising edges since the conversion */
    int sck;
    int reads;
    uint32_t stamp;   /* rs_hal_hx_stamp answer (0: the current time) */
};

#define FAKE_FRAMES_MAX 4096

struct fake_hal {
    uint32_t now_us;
    struct fake_hx hx[2];
    /* encoder */
    uint16_t enc_reply;     /* returned by the next finished frame */
    uint16_t enc_sent[64];  /* last commands sent (ring) */
    unsigned enc_sent_n;
    int enc_state;          /* enum rs_enc_xfer */
    int enc_hang;           /* frames never finish */
    int enc_aborts;
    int enc_powered;        /* rs_hal_enc_power(1) in force (off at reset, as on the chip) */
    uint32_t enc_on_us;     /* fake time it was switched on */
    int enc_power_calls;
    int enc_early;          /* frames started unpowered or within RS_ENC_POWERUP_US of power-on */
    /* EEPROM */
    uint8_t ee[1024];
    int ee_busy_polls;      /* ee_busy() answers 1 this many times after a write */
    int ee_busy_left;
    long ee_writes;
    long ee_power_after;    /* writes after this count are lost (-1 = never) */
    int ee_fail;            /* writes are silently dropped (verify must fail) */
    /* frames sent */
    struct rs_frame frames[FAKE_FRAMES_MAX];
    unsigned nframes;
    struct rs_decoder dec;
    int send_fail;          /* rs_hal_send drops everything */
    int led;
    int hx_power_off;       /* rs_hal_hx_power(0) in force */
    int hx_power_calls;
    char serial[12];        /* rs_hal_serial answer */
};

extern struct fake_hal fake;

void fake_reset(void);
/* Make chip ch present a new conversion. */
void fake_hx_convert(int ch, int32_t value);
/* Count frames of a type from index `from`. */
unsigned fake_count(uint8_t type, unsigned from);
/* Index of the first frame of a type from `from`, or -1. */
int fake_find(uint8_t type, unsigned from);

#endif
