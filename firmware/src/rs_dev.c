/*
 * rs_dev.c - device logic: frames, status, commands (see rs_dev.h).
 */
#include "rs_dev.h"

#include <string.h>

#include "rs_defaults.h"

static int8_t send_frame(struct rs_dev *d, const struct rs_frame *f)
{
    uint8_t wire[RS_WIRE_MAX];
    uint8_t n = (uint8_t)rs_frame_encode(f, wire);
    (void)d;
    return rs_hal_send(wire, n);
}

/* Answers go out in order or wait in d->pend (see rs_dev_flush). */
static void send_answer(struct rs_dev *d, const struct rs_frame *f)
{
    if (d->npend == 0 && send_frame(d, f) != RS_SEND_FULL)
        return;
    if (d->npend < 2)
        d->pend[d->npend++] = *f;
}

void rs_dev_flush(struct rs_dev *d)
{
    while (d->npend && send_frame(d, &d->pend[0]) != RS_SEND_FULL) {
        d->pend[0] = d->pend[1];
        d->npend--;
    }
}

static void send_reply(struct rs_dev *d, uint8_t token, uint8_t cmd, uint8_t code)
{
    struct rs_frame f;
    f.type = RS_FT_REPLY;
    f.u.reply.token = token;
    f.u.reply.cmd = cmd;
    f.u.reply.code = code;
    send_answer(d, &f);
}

static void send_info(struct rs_dev *d)
{
    struct rs_frame f;
    f.type = RS_FT_INFO;
    f.u.info.fw_major = RS_FW_MAJOR;
    f.u.info.fw_minor = RS_FW_MINOR;
    f.u.info.fw_patch = RS_FW_PATCH;
    f.u.info.cal_state = d->cal_state;
    f.u.info.sample_rate_hz = RS_SAMPLE_RATE_HZ;
    f.u.info.enc_counts_per_rev = (uint16_t)RS_ENC_COUNTS_PER_REV;
    f.u.info.hw_rev = RS_HW_REV;
    f.u.info.streaming = d->streaming;
    /* The roller's own identity, calibrated or not (the block's serial
     * field only says whom the block was written for). */
    _Static_assert(RS_SERIAL_LEN == 12u, "rs_hal_serial() fills 12 bytes");
    rs_hal_serial(f.u.info.serial);
    send_answer(d, &f);
}

static void send_fault(struct rs_dev *d, uint8_t code, uint8_t active, uint32_t t_us)
{
    struct rs_frame f;
    f.type = RS_FT_FAULT;
    f.u.fault.code = code;
    f.u.fault.active = active;
    f.u.fault.t_us = t_us;
    send_frame(d, &f);
}

static void send_cal(struct rs_dev *d)
{
    struct rs_frame f;
    f.type = RS_FT_CAL;
    f.u.cal = d->cal;
    send_answer(d, &f);
}

/* Fault bits that produce fault frames, and their codes. */
static uint8_t current_faults(struct rs_dev *d)
{
    uint8_t b = 0;
    if (d->hx[RS_HX_LEFT].fault)
        b |= RS_ST_HX_LEFT;
    if (d->hx[RS_HX_RIGHT].fault)
        b |= RS_ST_HX_RIGHT;
    if (d->enc.magnet_bad)
        b |= RS_ST_MAGNET;
    return b;
}

uint16_t rs_dev_status(struct rs_dev *d)
{
    uint16_t st = (uint16_t)(current_faults(d) | d->boot_status);
    uint8_t e = rs_enc_take_status(&d->enc);
    if (e & RS_ENC_ST_PARITY)
        st |= RS_ST_ENC_PARITY;
    if (e & RS_ENC_ST_ERROR)
        st |= RS_ST_ENC_ERROR;
    if (d->cal_state != RS_CAL_OK)
        st |= RS_ST_CAL_DEFAULT;
    if (d->overflow)
        st |= RS_ST_OVERFLOW;
    return st;
}

static void emit_sample(struct rs_dev *d, uint32_t t_us)
{
    /* Timestamps never go backwards, whatever mix of captured and read
     * times the fault paths produce (the host relies on it). */
    if ((int32_t)(t_us - d->last_frame_us) <= 0 && d->seq)
        t_us = d->last_frame_us + 1u;
    d->last_frame_us = t_us;
    if (!d->streaming)
        return;
    struct rs_frame f;
    f.type = RS_FT_SAMPLE;
    f.u.sample.seq = d->seq++;
    f.u.sample.t_us = t_us;
    f.u.sample.left = d->value[RS_HX_LEFT];
    f.u.sample.right = d->value[RS_HX_RIGHT];
    f.u.sample.enc = d->enc.count;
    f.u.sample.status = rs_dev_status(d);
    /* Not delivered to the primary transport (full, or its port closed):
     * the next sample that is delivered carries OVERFLOW. */
    d->overflow = send_frame(d, &f) != RS_SEND_OK ? 1 : 0;
}

/* The encoder's supply on; frames wait for its power-up time. */
static void enc_power_on(struct rs_dev *d)
{
    _Static_assert(RS_ENC_POWERUP_TICKS <= 255u, "the wait is counted in a byte");
    rs_hal_enc_power(1);
    d->enc_wait_ticks = RS_ENC_POWERUP_TICKS;
}

void rs_dev_init(struct rs_dev *d, uint32_t now_us, uint8_t wdt_reset)
{
    memset(d, 0, sizeof *d);
    d->cal_state = rs_calblock_load(&d->store, &d->cal);
    rs_hx_init(&d->hx[RS_HX_LEFT], now_us);
    rs_hx_init(&d->hx[RS_HX_RIGHT], now_us);
    rs_enc_init(&d->enc);
    /* Off during reset and in the bootloader (gate pull-up): on now. */
    enc_power_on(d);
    d->boot_status = wdt_reset ? RS_ST_WDT_RESET : 0;
    d->last_frame_us = now_us;
    d->streaming = 1;
    send_info(d);
    /* One-off conditions found at start-up, announced once. */
    if (d->cal_state == RS_CAL_CORRUPT)
        send_fault(d, RS_FAULT_CAL_CORRUPT, 1, now_us);
    if (wdt_reset)
        send_fault(d, RS_FAULT_WATCHDOG, 1, now_us);
}

void rs_dev_suspend(struct rs_dev *d)
{
    d->suspended = 1;
    rs_hal_hx_power(0);
    rs_hal_enc_power(0);
    rs_enc_restart(&d->enc);
    rs_hal_led(0);
}

void rs_dev_resume(struct rs_dev *d, uint32_t now_us)
{
    if (!d->suspended)
        return;
    d->suspended = 0;
    rs_hal_hx_power(1);
    enc_power_on(d);
    d->settling = 1;
    d->settle_end_us = now_us + RS_HX_SETTLE_US;
}

/* 1 while the HX711s settle after a wake-up; at its end the monitors start
 * afresh (no fault for the time they were down). */
static uint8_t settling(struct rs_dev *d, uint32_t now_us)
{
    if (!d->settling)
        return 0;
    if ((int32_t)(now_us - d->settle_end_us) < 0)
        return 1;
    d->settling = 0;
    rs_hx_init(&d->hx[RS_HX_LEFT], now_us);
    rs_hx_init(&d->hx[RS_HX_RIGHT], now_us);
    return 0;
}

int8_t rs_dev_poll_hx(struct rs_dev *d, uint32_t now_us)
{
    int32_t v;
    if (settling(d, now_us)) {
        /* Read what is ready, so DOUT rises again, and drop it. */
        (void)rs_hx_poll(&d->hx[RS_HX_RIGHT], RS_HX_RIGHT, now_us, &v);
        return rs_hx_poll(&d->hx[RS_HX_LEFT], RS_HX_LEFT, now_us, &v);
    }
    /* Right first, so a right conversion ready together with the left one
     * goes into the left one's frame; both before any frame is sent, so a
     * left chip coming back does not follow a right-driven frame with an
     * older timestamp. */
    uint8_t left_was_out = d->hx[RS_HX_LEFT].fault;
    int8_t got_r = rs_hx_poll(&d->hx[RS_HX_RIGHT], RS_HX_RIGHT, now_us, &v);
    if (got_r)
        d->value[RS_HX_RIGHT] = v;
    if (rs_hx_poll(&d->hx[RS_HX_LEFT], RS_HX_LEFT, now_us, &v)) {
        d->value[RS_HX_LEFT] = v;
        emit_sample(d, d->hx[RS_HX_LEFT].stamp_us);
        return 1;
    }
    if (got_r && left_was_out)
        emit_sample(d, now_us);
    return 0;
}

void rs_dev_poll_enc(struct rs_dev *d)
{
    if (d->enc_wait_ticks) {
        d->enc_wait_ticks--;
        return;
    }
    rs_enc_step(&d->enc);
}

void rs_dev_enc_done(struct rs_dev *d)
{
    rs_enc_collect(&d->enc);
}

static const uint8_t fault_code[3] = { RS_FAULT_HX_LEFT, RS_FAULT_HX_RIGHT, RS_FAULT_MAGNET };

/* HX711 fault timing and what it sends. */
static void hx_housekeeping(struct rs_dev *d, uint32_t now_us)
{
    rs_hx_check(&d->hx[RS_HX_LEFT], RS_HX_LEFT, now_us);
    rs_hx_check(&d->hx[RS_HX_RIGHT], RS_HX_RIGHT, now_us);

    /* Fault frames on every change of a fault condition. */
    uint8_t now_f = current_faults(d);
    uint8_t changed = (uint8_t)(now_f ^ d->faults);
    for (uint8_t i = 0; i < 3; i++) {
        if (changed & (1u << i))
            send_fault(d, fault_code[i], (now_f >> i) & 1u, now_us);
    }
    d->faults = now_f;
    /* A bridge just failed: say so at once in a sample frame rather than
     * with the next conversion of the other side (up to 12.5 ms later), so
     * the status bit is out within 50 ms of the chip's last conversion. */
    if (changed & now_f & (RS_ST_HX_LEFT | RS_ST_HX_RIGHT))
        emit_sample(d, now_us);

    /* Both bridges silent: keep the stream alive on the nominal period
     * (stamped when sent; the schedule advances by whole periods so the
     * average rate stays 80 Hz despite this function's 4 ms steps). */
    if (d->hx[RS_HX_LEFT].fault && d->hx[RS_HX_RIGHT].fault &&
        (uint32_t)(now_us - d->last_frame_us) >= RS_HX_PERIOD_US) {
        uint32_t next = d->last_frame_us + RS_HX_PERIOD_US;
        emit_sample(d, now_us);
        if ((uint32_t)(now_us - next) < RS_HX_PERIOD_US)
            d->last_frame_us = next;
    }
}

/* EEPROM save progress, one byte per call, and its reply at the end. */
static void cal_housekeeping(struct rs_dev *d)
{
    switch (rs_calblock_step(&d->store)) {
    case RS_CALBLOCK_DONE:
        d->cal_state = RS_CAL_OK;
        send_reply(d, d->save_token, RS_FT_CMD_SAVE_CAL, RS_REPLY_ACK);
        break;
    case RS_CALBLOCK_FAILED:
        send_reply(d, d->save_token, RS_FT_CMD_SAVE_CAL, RS_NAK_STORAGE);
        break;
    default:
        break;
    }
}

static void led_housekeeping(struct rs_dev *d)
{
    /* LED, in steps of RS_DEV_HOUSEKEEPING_MS: identify blinks at 2 Hz;
     * otherwise on while streaming without a fault, blinking at 4 Hz with a
     * fault, off when stopped. */
    enum { HALF_S = 500u / RS_DEV_HOUSEKEEPING_MS, QUARTER_S = 250u / RS_DEV_HOUSEKEEPING_MS };
    uint8_t on;
    d->led_phase++;
    if (d->led_ticks) {
        on = d->led_phase < HALF_S / 2u;
        if (d->led_phase >= HALF_S) {
            d->led_phase = 0;
            d->led_ticks--;
        }
    } else {
        if (d->led_phase >= QUARTER_S)
            d->led_phase = 0;
        on = d->streaming ? (d->faults ? d->led_phase < QUARTER_S / 2u : 1u) : 0u;
    }
    rs_hal_led(on);
}

void rs_dev_housekeeping(struct rs_dev *d, uint32_t now_us)
{
    if (!settling(d, now_us))
        hx_housekeeping(d, now_us);
    cal_housekeeping(d);
    led_housekeeping(d);
}

/* IEEE single: finite and positive (sign clear, exponent not all ones, not
 * zero), checked on the bits: no float code on the chip. */
static uint8_t scale_ok(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return !(u & 0x80000000u) && ((u >> 23) & 0xffu) != 0xffu && u != 0;
}

/* docs/protocol.md: NAK 3 if a scale is not finite and positive, the radius
 * is 0 or enc_dir is not +-1. */
static uint8_t cal_valid(const struct rs_cal *c)
{
    return (c->enc_dir == 1 || c->enc_dir == -1) && scale_ok(c->scale_left) &&
           scale_ok(c->scale_right) && c->radius_um != 0;
}

void rs_dev_command(struct rs_dev *d, const struct rs_frame *f)
{
    uint8_t token = f->u.cmd.token;
    uint8_t code = RS_REPLY_ACK;
    switch (f->type) {
    /* Answers with data send the data frame first, then the ACK
     * (docs/protocol.md). */
    case RS_FT_CMD_START:
        d->streaming = 1;
        send_info(d);
        break;
    case RS_FT_CMD_STOP:
        d->streaming = 0;
        break;
    case RS_FT_CMD_GET_INFO:
        send_info(d);
        break;
    case RS_FT_CMD_GET_CAL:
        send_cal(d);
        break;
    case RS_FT_CMD_SET_CAL:
        if (cal_valid(&f->u.cmd.arg.cal))
            d->cal = f->u.cmd.arg.cal;
        else
            code = RS_NAK_ARG;
        break;
    case RS_FT_CMD_SAVE_CAL:
        if (rs_calblock_save(&d->store, &d->cal) != 0) {
            code = RS_NAK_BUSY;
            break;
        }
        d->save_token = token;
        return; /* answered when the write is verified (rs_dev_housekeeping) */
    case RS_FT_CMD_IDENTIFY:
        d->led_ticks = (uint8_t)(f->u.cmd.arg.identify_s * 2u > 255u ? 255u
                                                                      : f->u.cmd.arg.identify_s * 2u);
        d->led_phase = 0;
        break;
    case RS_FT_CMD_RESET:
        if (f->u.cmd.arg.reset_mode > 1) {
            code = RS_NAK_ARG;
            break;
        }
        d->reset_req = f->u.cmd.arg.reset_mode ? RS_DEV_RESET_BOOTLOADER : RS_DEV_RESET_RESTART;
        break;
    default:
        return; /* device-to-host types: not for us, ignored */
    }
    send_reply(d, token, f->type, code);
}

void rs_cmd_link_init(struct rs_cmd_link *l)
{
    rs_decoder_init(&l->dec);
}

/* The end of a frame on link l (a 0x00 delimiter). Not inlined: its frame
 * buffer would make every rs_dev_rx_bytes() call pay a big stack frame. */
static __attribute__((noinline)) void rx_delimiter(struct rs_dev *d, struct rs_cmd_link *l)
{
    struct rs_frame f;
    /* Encoded bytes before this delimiter (the decoder's count; it drops
     * to 0 after an oversize run, which yields no frame anyway). */
    uint8_t wl = l->dec.overflow ? 0 : l->dec.len;
    uint32_t unknown = l->dec.stats.unknown_type;
    uint32_t short_body = l->dec.stats.bad_length;
    if (rs_decoder_push(&l->dec, 0, &f)) {
        rs_dev_command(d, &f);
        return;
    }
    if (unknown == l->dec.stats.unknown_type && short_body == l->dec.stats.bad_length)
        return;
    /* An intact frame (CRC good) that the decoder refused: it left the
     * decoded bytes (version, type, body, crc) in its buffer. Frames under
     * 254 bytes carry one COBS overhead byte, so the decoded length is
     * wl - 1 and a token exists if the body is at least one byte. */
    uint8_t type = l->dec.buf[1];
    if (type < 0x80u)
        return;
    uint8_t token = (wl >= 8u) ? l->dec.buf[2] : 0;
    send_reply(d, token, type, unknown != l->dec.stats.unknown_type ? RS_NAK_UNKNOWN : RS_NAK_LENGTH);
}

uint8_t rs_dev_rx_bytes(struct rs_dev *d, struct rs_cmd_link *l, const uint8_t *p, uint8_t n)
{
    uint8_t i = 0;
    while (i < n && !d->npend) {
        uint8_t b = p[i++];
        if (b == 0) {
            rx_delimiter(d, l);
            continue;
        }
        /* The common case, kept short: at 1 Mbaud a byte comes every 176
         * CPU cycles. A non-zero byte never completes a frame, so the
         * decoder does not touch the output frame. */
        rs_decoder_push(&l->dec, b, NULL);
    }
    return i;
}

void rs_dev_rx(struct rs_dev *d, struct rs_cmd_link *l, uint8_t byte)
{
    rs_dev_rx_bytes(d, l, &byte, 1);
}
