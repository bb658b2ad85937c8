/*
 * rs_enc.c - AS5048A-class encoder protocol and unwrap (see rs_enc.h).
 */
#include "rs_enc.h"

#include "rs_hal.h"

enum { ASK_NONE = 0, ASK_ANGLE, ASK_DIAG, ASK_CLEAR };

uint8_t rs_enc_parity_ok(uint16_t frame)
{
    /* Fold to one bit with byte-wide constant shifts (cheap on the AVR). */
    uint8_t x = (uint8_t)(frame ^ (frame >> 8));
    x ^= (uint8_t)(x >> 4);
    x ^= (uint8_t)(x >> 2);
    x ^= (uint8_t)(x >> 1);
    return (x & 1u) == 0;
}

uint16_t rs_enc_read_cmd(uint16_t reg)
{
    uint16_t w = (uint16_t)((reg & RS_ENC_DATA) | RS_ENC_EF);
    if (!rs_enc_parity_ok(w))
        w |= RS_ENC_PARITY;
    return w;
}

int16_t rs_enc_delta(uint16_t a, uint16_t b)
{
    return (int16_t)(((uint16_t)(a - b + 8192u) & RS_ENC_DATA)) - 8192;
}

void rs_enc_restart(struct rs_enc *e)
{
    e->have_ref = 0;
    e->cur = ASK_NONE; /* the next frame's reply answers nothing */
    e->phase = 0;
    e->clear_err = 0;
    e->stalls = 0;
    e->in_flight = 0;
}

void rs_enc_init(struct rs_enc *e)
{
    e->count = 0;
    e->last = 0;
    e->prev = ASK_NONE;
    e->magnet_bad = 0;
    e->sticky = 0;
    rs_enc_restart(e);
}

uint16_t rs_enc_next_cmd(struct rs_enc *e)
{
    uint8_t kind;
    uint16_t cmd; /* the read commands with parity, checked by the unit tests */
    if (e->clear_err) {
        e->clear_err = 0;
        kind = ASK_CLEAR;
        cmd = RS_ENC_CMD_CLEAR_ERROR;
    } else if (e->phase == 0) {
        kind = ASK_DIAG;
        cmd = RS_ENC_CMD_DIAG;
    } else {
        kind = ASK_ANGLE;
        cmd = RS_ENC_CMD_ANGLE;
    }
    if (++e->phase >= RS_ENC_DIAG_EVERY)
        e->phase = 0;
    e->prev = e->cur;
    e->cur = kind;
    return cmd;
}

void rs_enc_reply(struct rs_enc *e, uint16_t reply)
{
    if (e->prev == ASK_NONE)
        return; /* first frame after start-up: nothing was asked */
    if (!rs_enc_parity_ok(reply)) {
        e->sticky |= RS_ENC_ST_PARITY;
        return; /* value unusable; the next angle re-syncs the unwrap */
    }
    if (reply & RS_ENC_EF) {
        /* The encoder saw a bad command (framing or parity); the data
         * field is not valid. Clear the flag with the next frame. */
        e->sticky |= RS_ENC_ST_ERROR;
        e->clear_err = 1;
        return;
    }
    uint16_t v = reply & RS_ENC_DATA;
    switch (e->prev) {
    case ASK_ANGLE:
        if (e->magnet_bad)
            break; /* angle meaningless without a field: hold the count */
        if (e->have_ref)
            e->count += rs_enc_delta(v, e->last);
        e->last = v;
        e->have_ref = 1;
        break;
    case ASK_DIAG: {
        uint8_t bad = (v & (RS_ENC_DIAG_COMP_H | RS_ENC_DIAG_COMP_L | RS_ENC_DIAG_COF)) ? 1 : 0;
        if (bad)
            e->have_ref = 0; /* re-reference when the magnet is back */
        e->magnet_bad = bad;
        break;
    }
    default:
        break;
    }
}

void rs_enc_collect(struct rs_enc *e)
{
    if (!e->in_flight)
        return;
    uint16_t reply;
    uint8_t st = rs_hal_enc_poll(&reply);
    if (st == RS_ENC_XFER_BUSY)
        return;
    e->in_flight = 0;
    e->stalls = 0;
    if (st == RS_ENC_XFER_DONE)
        rs_enc_reply(e, reply);
    else
        e->cur = ASK_NONE; /* frame lost: its answer cannot be attributed */
}

void rs_enc_step(struct rs_enc *e)
{
    rs_enc_collect(e);
    if (e->in_flight) {
        if (++e->stalls < RS_ENC_STALL_MAX)
            return;
        rs_hal_enc_abort();
        e->sticky |= RS_ENC_ST_ERROR;
        e->cur = ASK_NONE; /* the lost frame's answer is unknown */
        e->in_flight = 0;
        e->stalls = 0;
    }
    rs_hal_enc_start(rs_enc_next_cmd(e));
    e->in_flight = 1;
}

uint8_t rs_enc_take_status(struct rs_enc *e)
{
    uint8_t s = e->sticky | (e->magnet_bad ? RS_ENC_ST_MAGNET : 0);
    e->sticky = 0;
    return s;
}
