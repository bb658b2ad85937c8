/*
 * rs_proto.c - rollsense wire protocol v1 (see rs_proto.h, docs/protocol.md).
 * Portable C11: no allocation, no I/O; builds for AVR and the host.
 */
#include "rs_proto.h"

#include <string.h>

#ifdef __AVR__
#include <avr/pgmspace.h>
#define RS_ROM PROGMEM
#define RS_ROM_U32(p) pgm_read_dword(p)
#else
#define RS_ROM
#define RS_ROM_U32(p) (*(p))
#endif

/* Body sizes of the known frame types (bytes after version and type). */
#define RS_BODY_SAMPLE 20
#define RS_BODY_INFO (10 + RS_SERIAL_LEN)
#define RS_BODY_CAL (21 + RS_SERIAL_LEN)
#define RS_BODY_REPLY 3
#define RS_BODY_FAULT 6

/* CRC-32 (IEEE, reflected, as zlib's crc32), nibble table: 64 bytes of flash,
 * about four times faster than bitwise on the AVR. */
#ifdef __AVR__
static const uint32_t crc_nibble[16] RS_ROM = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
    0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
    0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};
#endif

#ifndef __AVR__
/* The host reads millions of stored frames (replay, analyze, export):
 * slicing-by-8 there (8 KiB of tables, eight independent lookups per 8
 * bytes instead of a chain of one lookup per byte); the chip keeps the
 * 64-byte nibble table. */
#include "rs_crc32_tab.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The register after 4 bytes whose XOR with it is W. */
static uint32_t crc_word(uint32_t w, int k)
{
    const uint32_t(*t)[256] = rs_crc32_tab;
    return t[k + 3][w & 0xffu] ^ t[k + 2][(w >> 8) & 0xffu] ^ t[k + 1][(w >> 16) & 0xffu] ^
           t[k][w >> 24];
}
#endif

uint32_t rs_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
#ifndef __AVR__
    for (; n >= 8; p += 8, n -= 8)
        crc = crc_word(crc ^ le32(p), 4) ^ crc_word(le32(p + 4), 0);
    if (n >= 4) {
        crc = crc_word(crc ^ le32(p), 0);
        p += 4;
        n -= 4;
    }
    while (n--)
        crc = (crc >> 8) ^ rs_crc32_tab[0][(crc ^ *p++) & 0xffu];
#else
    while (n--) {
        crc ^= *p++;
        crc = (crc >> 4) ^ RS_ROM_U32(&crc_nibble[crc & 0x0fu]);
        crc = (crc >> 4) ^ RS_ROM_U32(&crc_nibble[crc & 0x0fu]);
    }
#endif
    return ~crc;
}

size_t rs_cobs_encode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t code_at = 0, o = 1;
    uint8_t code = 1;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == 0) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
            continue;
        }
        out[o++] = in[i];
        if (++code == 0xff) {
            out[code_at] = code;
            code_at = o++;
            code = 1;
        }
    }
    out[code_at] = code;
    return o;
}

/* Safe in place (out == in): the write position never passes the read one. */
int rs_cobs_decode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t code = in[i++];
        if (code == 0)
            return -1;
        for (uint8_t k = 1; k < code; k++) {
            if (i >= n || in[i] == 0)
                return -1;
            out[o++] = in[i++];
        }
        if (code != 0xff && i < n)
            out[o++] = 0;
    }
    return (int)o;
}

int rs_body_len(uint8_t type)
{
    switch (type) {
    case RS_FT_INFO: return RS_BODY_INFO;
    case RS_FT_SAMPLE: return RS_BODY_SAMPLE;
    case RS_FT_REPLY: return RS_BODY_REPLY;
    case RS_FT_FAULT: return RS_BODY_FAULT;
    case RS_FT_CAL: return RS_BODY_CAL;
    case RS_FT_CMD_START:
    case RS_FT_CMD_STOP:
    case RS_FT_CMD_GET_INFO:
    case RS_FT_CMD_GET_CAL:
    case RS_FT_CMD_SAVE_CAL: return 1;
    case RS_FT_CMD_SET_CAL: return 1 + RS_BODY_CAL;
    case RS_FT_CMD_IDENTIFY:
    case RS_FT_CMD_RESET: return 2;
    default: return -1;
    }
}

const char *rs_frame_type_name(uint8_t type)
{
    switch (type) {
    case RS_FT_INFO: return "info";
    case RS_FT_SAMPLE: return "sample";
    case RS_FT_REPLY: return "reply";
    case RS_FT_FAULT: return "fault";
    case RS_FT_CAL: return "cal";
    case RS_FT_CMD_START: return "cmd_start";
    case RS_FT_CMD_STOP: return "cmd_stop";
    case RS_FT_CMD_GET_INFO: return "cmd_get_info";
    case RS_FT_CMD_GET_CAL: return "cmd_get_cal";
    case RS_FT_CMD_SET_CAL: return "cmd_set_cal";
    case RS_FT_CMD_SAVE_CAL: return "cmd_save_cal";
    case RS_FT_CMD_IDENTIFY: return "cmd_identify";
    case RS_FT_CMD_RESET: return "cmd_reset";
    default: return "unknown";
    }
}

const char *rs_fault_name(uint8_t code)
{
    switch (code) {
    case RS_FAULT_HX_LEFT: return "hx_left";
    case RS_FAULT_HX_RIGHT: return "hx_right";
    case RS_FAULT_MAGNET: return "magnet";
    case RS_FAULT_ENC_PARITY: return "enc_parity";
    case RS_FAULT_ENC_ERROR: return "enc_error";
    case RS_FAULT_CAL_CORRUPT: return "cal_corrupt";
    case RS_FAULT_OVERFLOW: return "overflow";
    case RS_FAULT_WATCHDOG: return "watchdog";
    default: return "unknown";
    }
}

/* ---- little-endian field packing ---------------------------------------- */

static uint8_t *put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put24(uint8_t *p, int32_t v)
{
    /* Saturate to the signed 24-bit range the HX711 produces. */
    if (v > 0x7fffff)
        v = 0x7fffff;
    if (v < -0x800000)
        v = -0x800000;
    uint32_t u = (uint32_t)v;
    p[0] = (uint8_t)u;
    p[1] = (uint8_t)(u >> 8);
    p[2] = (uint8_t)(u >> 16);
    return p + 3;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p = put16(p, (uint16_t)v);
    return put16(p, (uint16_t)(v >> 16));
}

static uint8_t *putf(uint8_t *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return put32(p, u);
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | ((uint16_t)p[1] << 8));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) | ((uint32_t)get16(p + 2) << 16);
}

static int32_t get24(const uint8_t *p)
{
    uint32_t u = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    if (u & 0x800000u)
        u |= 0xff000000u;
    return (int32_t)u;
}

static float getf(const uint8_t *p)
{
    uint32_t u = get32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint8_t *put_cal(uint8_t *p, const struct rs_cal *c)
{
    p = put32(p, (uint32_t)c->offset_left);
    p = put32(p, (uint32_t)c->offset_right);
    p = putf(p, c->scale_left);
    p = putf(p, c->scale_right);
    p = put32(p, c->radius_um);
    *p++ = (uint8_t)c->enc_dir;
    memcpy(p, c->serial, RS_SERIAL_LEN);
    return p + RS_SERIAL_LEN;
}

static void get_cal(const uint8_t *p, struct rs_cal *c)
{
    c->offset_left = (int32_t)get32(p);
    c->offset_right = (int32_t)get32(p + 4);
    c->scale_left = getf(p + 8);
    c->scale_right = getf(p + 12);
    c->radius_um = get32(p + 16);
    c->enc_dir = (int8_t)p[20];
    memcpy(c->serial, p + 21, RS_SERIAL_LEN);
}

/* ---- encoding ----------------------------------------------------------- */

/* COBS-encode n raw bytes (CRC included) between two delimiters. */
static size_t wrap(const uint8_t *raw, size_t n, uint8_t *out)
{
    out[0] = 0;
    size_t w = 1 + rs_cobs_encode(raw, n, out + 1);
    out[w++] = 0;
    return w;
}

size_t rs_wire_wrap(uint8_t *raw, size_t n, uint8_t *out)
{
    put32(raw + n, rs_crc32(0, raw, n));
    return wrap(raw, n + 4, out);
}

size_t rs_frame_pack(const struct rs_frame *f, uint8_t *raw)
{
    uint8_t *p = raw;
    *p++ = RS_PROTO_VERSION;
    *p++ = f->type;
    switch (f->type) {
    case RS_FT_SAMPLE: {
        const struct rs_sample *s = &f->u.sample;
        p = put32(p, s->seq);
        p = put32(p, s->t_us);
        p = put24(p, s->left);
        p = put24(p, s->right);
        p = put32(p, (uint32_t)s->enc);
        p = put16(p, s->status);
        break;
    }
    case RS_FT_INFO: {
        const struct rs_info *i = &f->u.info;
        *p++ = i->fw_major;
        *p++ = i->fw_minor;
        *p++ = i->fw_patch;
        *p++ = i->cal_state;
        p = put16(p, i->sample_rate_hz);
        p = put16(p, i->enc_counts_per_rev);
        *p++ = i->hw_rev;
        *p++ = i->streaming;
        memcpy(p, i->serial, RS_SERIAL_LEN);
        p += RS_SERIAL_LEN;
        break;
    }
    case RS_FT_CAL:
        p = put_cal(p, &f->u.cal);
        break;
    case RS_FT_REPLY:
        *p++ = f->u.reply.token;
        *p++ = f->u.reply.cmd;
        *p++ = f->u.reply.code;
        break;
    case RS_FT_FAULT:
        *p++ = f->u.fault.code;
        *p++ = f->u.fault.active;
        p = put32(p, f->u.fault.t_us);
        break;
    case RS_FT_CMD_START:
    case RS_FT_CMD_STOP:
    case RS_FT_CMD_GET_INFO:
    case RS_FT_CMD_GET_CAL:
    case RS_FT_CMD_SAVE_CAL:
        *p++ = f->u.cmd.token;
        break;
    case RS_FT_CMD_SET_CAL:
        *p++ = f->u.cmd.token;
        p = put_cal(p, &f->u.cmd.arg.cal);
        break;
    case RS_FT_CMD_IDENTIFY:
        *p++ = f->u.cmd.token;
        *p++ = f->u.cmd.arg.identify_s;
        break;
    case RS_FT_CMD_RESET:
        *p++ = f->u.cmd.token;
        *p++ = f->u.cmd.arg.reset_mode;
        break;
    default:
        return 0;
    }
    size_t n = (size_t)(p - raw);
    put32(raw + n, rs_crc32(0, raw, n));
    return n + 4;
}

size_t rs_frame_encode(const struct rs_frame *f, uint8_t *out)
{
    uint8_t raw[RS_FRAME_MAX];
    size_t n = rs_frame_pack(f, raw);
    return n ? wrap(raw, n, out) : 0;
}

/* ---- decoding ----------------------------------------------------------- */

/* What rs_frame_parse answers, without filling a struct. */
static int frame_check(const uint8_t *raw, size_t n)
{
    if (n < 6)
        return RS_DEC_FRAMING;
    if (rs_crc32(0, raw, n - 4) != get32(raw + n - 4))
        return RS_DEC_CRC;
    if (raw[0] != RS_PROTO_VERSION)
        return RS_DEC_VERSION;
    int need = rs_body_len(raw[1]);
    if (need < 0)
        return RS_DEC_UNKNOWN;
    if (n - 6 < (size_t)need)
        return RS_DEC_LENGTH;
    return RS_DEC_OK;
}

/* The fields of a frame frame_check accepted. Longer bodies are accepted:
 * v1 may append fields (docs/protocol.md). */
static void frame_decode(const uint8_t *raw, struct rs_frame *out)
{
    const uint8_t *b = raw + 2;
    memset(out, 0, sizeof *out);
    out->version = raw[0];
    out->type = raw[1];
    switch (out->type) {
    case RS_FT_SAMPLE: {
        struct rs_sample *s = &out->u.sample;
        s->seq = get32(b);
        s->t_us = get32(b + 4);
        s->left = get24(b + 8);
        s->right = get24(b + 11);
        s->enc = (int32_t)get32(b + 14);
        s->status = get16(b + 18);
        break;
    }
    case RS_FT_INFO: {
        struct rs_info *i = &out->u.info;
        i->fw_major = b[0];
        i->fw_minor = b[1];
        i->fw_patch = b[2];
        i->cal_state = b[3];
        i->sample_rate_hz = get16(b + 4);
        i->enc_counts_per_rev = get16(b + 6);
        i->hw_rev = b[8];
        i->streaming = b[9];
        memcpy(i->serial, b + 10, RS_SERIAL_LEN);
        break;
    }
    case RS_FT_CAL:
        get_cal(b, &out->u.cal);
        break;
    case RS_FT_REPLY:
        out->u.reply.token = b[0];
        out->u.reply.cmd = b[1];
        out->u.reply.code = b[2];
        break;
    case RS_FT_FAULT:
        out->u.fault.code = b[0];
        out->u.fault.active = b[1];
        out->u.fault.t_us = get32(b + 2);
        break;
    case RS_FT_CMD_SET_CAL:
        out->u.cmd.token = b[0];
        get_cal(b + 1, &out->u.cmd.arg.cal);
        break;
    case RS_FT_CMD_IDENTIFY:
        out->u.cmd.token = b[0];
        out->u.cmd.arg.identify_s = b[1];
        break;
    case RS_FT_CMD_RESET:
        out->u.cmd.token = b[0];
        out->u.cmd.arg.reset_mode = b[1];
        break;
    default: /* the one-byte commands */
        out->u.cmd.token = b[0];
        break;
    }
}

int rs_frame_parse(const uint8_t *raw, size_t n, struct rs_frame *out)
{
    int rc = frame_check(raw, n);
    if (rc == RS_DEC_OK)
        frame_decode(raw, out);
    return rc;
}

#ifndef __AVR__
int rs_frame_check(const uint8_t *raw, size_t n)
{
    return frame_check(raw, n);
}

void rs_frame_decode(const uint8_t *raw, struct rs_frame *out)
{
    frame_decode(raw, out);
}
#endif

void rs_decoder_init(struct rs_decoder *d)
{
    memset(d, 0, sizeof *d);
}

int rs_decoder_push(struct rs_decoder *d, uint8_t byte, struct rs_frame *out)
{
    if (byte != 0) {
        if (d->overflow)
            return 0;
        if (d->len >= sizeof d->buf) {
            /* Longer than any frame can encode to: drop up to the next 0x00. */
            d->overflow = 1;
            d->len = 0;
            d->stats.oversize++;
            return 0;
        }
        d->buf[d->len++] = byte;
        return 0;
    }

    uint8_t len = d->len;
    d->len = 0;
    if (d->overflow) {
        d->overflow = 0;
        return 0;
    }
    if (len == 0)
        return 0; /* idle delimiter */

    int n = rs_cobs_decode(d->buf, len, d->buf);
    if (n < 0) {
        d->stats.framing_errors++;
        return 0;
    }
    switch (rs_frame_parse(d->buf, (size_t)n, out)) {
    case RS_DEC_OK:
        d->stats.frames++;
        return 1;
    case RS_DEC_CRC: d->stats.crc_errors++; break;
    case RS_DEC_UNKNOWN: d->stats.unknown_type++; break;
    case RS_DEC_LENGTH: d->stats.bad_length++; break;
    case RS_DEC_VERSION:
        d->stats.bad_version++;
        d->stats.last_version = d->buf[0];
        break;
    default: d->stats.framing_errors++; break;
    }
    return 0;
}
