/*
 * rs_enc.h - AS5048A-class 14-bit magnetic angle encoder over SPI: command
 * words with parity, reply checks, diagnostics and the unwrap of the angle
 * into a signed 32-bit cumulative count.
 *
 * The encoder answers each 16-bit command in the NEXT frame, so the state
 * machine remembers what it asked last. Per rs_enc_step() call one frame is
 * exchanged; 1 in RS_ENC_DIAG_EVERY frames reads the diagnostics register
 * (magnet too weak / too strong), and an error flag in any reply is cleared
 * with the next frame.
 *
 * Unwrap: consecutive angles are assumed less than half a turn apart, which
 * holds up to 8192 counts per step (about 250 rev/s at 2 ms). While the
 * magnet is reported missing the count is held; when it returns the next
 * angle becomes the new reference (no jump). The count wraps modulo 2^32.
 */
#ifndef RS_ENC_H
#define RS_ENC_H

#include <stdint.h>

#define RS_ENC_REG_NOP 0x0000u
#define RS_ENC_REG_CLEAR_ERROR 0x0001u
#define RS_ENC_REG_DIAG 0x3ffdu
#define RS_ENC_REG_ANGLE 0x3fffu

/* Read commands with the read bit and even parity (rs_enc_read_cmd(reg)). */
#define RS_ENC_CMD_ANGLE 0xffffu
#define RS_ENC_CMD_DIAG 0x7ffdu
#define RS_ENC_CMD_CLEAR_ERROR 0x4001u

/* Frame bits. */
#define RS_ENC_PARITY 0x8000u
#define RS_ENC_EF 0x4000u   /* reply: error flag; command: read (1) / write (0) */
#define RS_ENC_DATA 0x3fffu

/* Diagnostics register bits. */
#define RS_ENC_DIAG_OCF 0x0100u   /* offset compensation finished */
#define RS_ENC_DIAG_COF 0x0200u   /* CORDIC overflow */
#define RS_ENC_DIAG_COMP_L 0x0400u /* field too strong */
#define RS_ENC_DIAG_COMP_H 0x0800u /* field too weak (magnet missing) */

#ifndef RS_ENC_DIAG_EVERY
#define RS_ENC_DIAG_EVERY 8u
#endif

/* Wait after switching the encoder's supply on before the first frame: the
 * AS5048A datasheet's power-up time (10 ms until the first valid angle)
 * doubled, for the supply switch, the board's decoupling capacitor and the
 * datasheet figure not having been checked on a real board yet. */
#define RS_ENC_POWERUP_US 20000u

/* Status flags kept by the encoder state (subset of enum rs_status_bit). */
#define RS_ENC_ST_MAGNET 0x01u
#define RS_ENC_ST_PARITY 0x02u
#define RS_ENC_ST_ERROR 0x04u

struct rs_enc {
    int32_t count;     /* cumulative count, unwrapped */
    uint16_t last;     /* last accepted angle */
    uint8_t have_ref;  /* last is valid */
    uint8_t prev;      /* what the reply in the coming frame answers */
    uint8_t cur;       /* what the coming frame asks */
    uint8_t phase;     /* frame counter for the diagnostics schedule */
    uint8_t clear_err; /* send CLEAR_ERROR next */
    uint8_t magnet_bad;/* current magnet state from the last diagnostics */
    uint8_t sticky;    /* RS_ENC_ST_PARITY / _ERROR since the last take */
    uint8_t stalls;    /* consecutive steps with the previous frame unfinished */
    uint8_t in_flight; /* a frame was started and its reply not yet taken */
};

/* Even parity of all 16 bits: 1 if the word is valid. */
uint8_t rs_enc_parity_ok(uint16_t frame);
/* Command word reading register reg (read bit and parity set). */
uint16_t rs_enc_read_cmd(uint16_t reg);
/* Signed difference a - b of two 14-bit angles, in -8192..8191. */
int16_t rs_enc_delta(uint16_t a, uint16_t b);

void rs_enc_init(struct rs_enc *e);
/* The encoder lost its supply (or is about to): forget the frame in flight
 * and what was asked (the chip's answer pipeline starts empty again), and
 * take the next angle as the new reference, since the magnet may have
 * turned meanwhile (the count goes on from where it was, without a jump).
 * The count, the sticky flags and the magnet state are kept; the
 * diagnostics are read with the first frames. */
void rs_enc_restart(struct rs_enc *e);

/* Choose the next command word (call, then exchange it, then rs_enc_reply). */
uint16_t rs_enc_next_cmd(struct rs_enc *e);
/* Process the reply received while sending the command from rs_enc_next_cmd. */
void rs_enc_reply(struct rs_enc *e, uint16_t reply);

/* Once per tick: take the reply of the frame started last time (if it has
 * not been taken yet) and start the next one. A frame unfinished for
 * RS_ENC_STALL_MAX steps is aborted and reported as an encoder error. */
#define RS_ENC_STALL_MAX 8u
void rs_enc_step(struct rs_enc *e);
/* Take the reply as soon as the frame has finished (call when the SPI
 * interrupt says so): keeps the angle's age down to one frame. */
void rs_enc_collect(struct rs_enc *e);

/* Current status flags (magnet state plus the sticky ones) and reset of the
 * sticky ones: call once per sample frame. */
uint8_t rs_enc_take_status(struct rs_enc *e);

#endif
