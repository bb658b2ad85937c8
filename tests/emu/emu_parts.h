/*
 * emu_parts.h - virtual sensor parts wired to the firmware's pins
 * (rs_pins.h): two HX711 bridge ADCs and an AS5048A-class SPI encoder.
 * They take their physical inputs from the emulator's model (emu_model.h).
 *
 * HX711 (bit level): a cycle timer makes one conversion per period (80 SPS:
 * 12.5 ms). At a conversion the part samples the model, latches the 24-bit
 * value and pulls DOUT low. Each rising PD_SCK edge shifts out the next bit
 * MSB first; the 25th rising edge raises DOUT until the next conversion
 * (channel A, gain 128 kept). Absent: DOUT high (the MCU's pull-up), no
 * conversions. Stuck: DOUT low for ever, clocks ignored.
 *
 * Encoder (SPI mode 1 frames of 16 bits, answered in the next frame): reads
 * of ANGLE (0x3FFF), DIAG (0x3FFD) and CLEAR ERROR (0x0001) are modelled with
 * even parity (bit 15) and the error flag (bit 14), which is set after a
 * command with bad parity and cleared by CLEAR ERROR. Without a magnet DIAG
 * reports COMP_H (field too weak) and the angle is noise. Test knobs:
 * `corrupt` flips the parity of the next N replies, `absent` leaves MISO
 * high (every reply reads 0xFFFF: error flag set, parity even).
 * Supply: the encoder is powered while the ENC_PWR pin is low (the board's
 * P-MOSFET switch); unpowered it drives MISO low and ignores frames, and on
 * power-up it starts with an empty answer pipeline. A frame started while
 * unpowered or within RS_EMU_ENC_POWERUP_US of power-up (the AS5048A's
 * power-up time) counts in `early_frames`: the firmware must make none.
 */
#ifndef RS_EMU_PARTS_H
#define RS_EMU_PARTS_H

#include <stdint.h>

struct rs_emu;
struct avr_irq_t;

enum rs_hx_mode { RS_HX_OK = 0, RS_HX_ABSENT = 1, RS_HX_STUCK = 2 };

struct rs_emu_hx {
    struct rs_emu *emu;
    uint8_t ch;               /* 0 left, 1 right */
    struct avr_irq_t *dout;   /* pin IRQ we drive */
    uint32_t period_us;
    uint32_t phase_us;        /* first conversion after power-up */
    int32_t latched;          /* value being shifted out */
    uint8_t clocks;           /* rising edges since the conversion */
    uint8_t dout_level;
    uint8_t mode;             /* enum rs_hx_mode, from the model */
    uint64_t conversions;     /* conversions made */
    uint64_t missed;          /* conversions overwritten before being read */
    uint64_t reads;           /* complete 25-clock reads */
};

struct rs_emu_enc {
    struct rs_emu *emu;
    struct avr_irq_t *miso;
    uint16_t reply;       /* answer to the previous command */
    uint16_t shift_out;   /* frame being shifted out */
    uint16_t shift_in;
    uint8_t byte_idx;
    uint8_t cs_low;
    uint8_t error;        /* error flag pending */
    uint32_t corrupt;     /* corrupt the parity of this many replies */
    uint8_t absent;       /* no encoder on the bus: MISO stays high */
    uint64_t frames;      /* complete frames */
    uint64_t angle_reads;
    uint32_t rng;
    uint8_t powered;          /* ENC_PWR low */
    uint64_t on_cycle;        /* cycle it was powered */
    uint64_t early_frames;    /* frames started unpowered or before the power-up time */
};

#define RS_EMU_ENC_POWERUP_US 10000u

void rs_emu_hx_attach(struct rs_emu_hx *h, struct rs_emu *e, uint8_t ch);
void rs_emu_enc_attach(struct rs_emu_enc *c, struct rs_emu *e);

/* 14-bit angle code of a cumulative angle (exposed for tests). */
uint16_t rs_emu_angle_code(double angle_rad);
/* Cumulative count of an angle: floor(rad / 2 pi * 16384). */
int64_t rs_emu_angle_count(double angle_rad);

#endif
