/*
 * rs_simroller.h - the simulated roller of `rollsense demo`: the simulated
 * user (rs_sim) behind the device side of the wire protocol, as an
 * in-process byte source (rs_link_open_source), so the host talks to it
 * exactly as to hardware: rs_conn sends GET_INFO and START, gets ACK
 * replies, an info frame (serial "SIM-000001"), a cal frame on GET_CAL, and
 * sample frames at 80 Hz once started. Like the firmware it keeps a
 * calibration block: SET_CAL replaces the one in use (RAM) at once,
 * SAVE_CAL copies it to the pretend EEPROM (`saved`), GET_CAL reports the one
 * in use; RESET goes back to the saved one. Its raw counts never change:
 * the block only says how the host should read them.
 *
 * Pure: no clock and no I/O. Bytes become due by the elapsed time the link
 * passes in (real or emulated), so the same roller runs in real time and
 * as fast as possible (`demo --fast`).
 */
#ifndef RS_SIMROLLER_H
#define RS_SIMROLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_link.h"
#include "rs_pipeline.h"
#include "rs_proto.h"
#include "rs_sim.h"

#define RS_SIMROLLER_SERIAL "SIM-000001"
#define RS_SIMROLLER_QUEUE 512   /* bytes of replies waiting to be read */

struct rs_simroller {
    struct rs_scenario scn;       /* owned copy */
    struct rs_sim sim;
    struct rs_decoder cmd;        /* host -> device commands */
    bool streaming;
    bool have_next;               /* next is generated, waiting until due */
    struct rs_sample next;
    uint64_t anchor_us;           /* elapsed time at which anchor_dev was due */
    uint32_t anchor_dev;          /* device t_us at anchor_us */
    bool anchored;
    bool done;                    /* a non-looping scenario has ended */
    uint8_t queue[RS_SIMROLLER_QUEUE];
    size_t qlen;
    uint32_t commands;            /* commands received (tests) */
    struct rs_cal cal;            /* in use (RAM); starts as rs_simroller_cal() */
    struct rs_cal saved;          /* the pretend EEPROM */
    uint32_t cal_sets, cal_saves; /* SET_CAL / SAVE_CAL received (tests) */
};

/* Copy scn (set scn->loop beforehand: false = one pass, then done). */
void rs_simroller_init(struct rs_simroller *r, const struct rs_scenario *scn);

/* The calibration the simulated roller starts with (its raw counts use the
 * nominal constants plus the scenario's offsets); r->cal and r->saved
 * start as this, and a test may change them before the session starts. */
void rs_simroller_cal(const struct rs_simroller *r, struct rs_cal *out);

/* Byte source callbacks (ctx = the roller); see struct rs_byte_source. */
int rs_simroller_produce(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us);
int rs_simroller_consume(void *ctx, const uint8_t *buf, size_t n, uint64_t now_us);

/* True once one pass of a non-looping scenario has been sent. */
bool rs_simroller_done(const struct rs_simroller *r);

#endif
