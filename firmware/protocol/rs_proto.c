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
/* The host reads millions of stored frames (replay, analyze, export): one
 * lookup per byte there; the chip keeps the 64-byte nibble table. */
static const uint32_t crc_byte[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u, 0x706af48fu,
    0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u, 0xe0d5e91eu, 0x97d2d988u,
    0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u, 0x90bf1d91u, 0x1db71064u, 0x6ab020f2u,
    0xf3b97148u, 0x84be41deu, 0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u,
    0x136c9856u, 0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u, 0xa2677172u,
    0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu, 0x35b5a8fau, 0x42b2986cu,
    0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u, 0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u,
    0x26d930acu, 0x51de003au, 0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u,
    0xcfba9599u, 0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u, 0x01db7106u,
    0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu, 0x9fbfe4a5u, 0xe8b8d433u,
    0x7807c9a2u, 0x0f00f934u, 0x9609a88eu, 0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du,
    0x91646c97u, 0xe6635c01u, 0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu,
    0x6c0695edu, 0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u, 0xfbd44c65u,
    0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u, 0x4adfa541u, 0x3dd895d7u,
    0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au, 0x346ed9fcu, 0xad678846u, 0xda60b8d0u,
    0x44042d73u, 0x33031de5u, 0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau,
    0xbe0b1010u, 0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u, 0x2eb40d81u,
    0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u, 0x03b6e20cu, 0x74b1d29au,
    0xead54739u, 0x9dd277afu, 0x04db2615u, 0x73dc1683u, 0xe3630b12u, 0x94643b84u,
    0x0d6d6a3eu, 0x7a6a5aa8u, 0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u,
    0xf00f9344u, 0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au, 0x67dd4accu,
    0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u, 0xd6d6a3e8u, 0xa1d1937eu,
    0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u, 0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu,
    0xd80d2bdau, 0xaf0a1b4cu, 0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u,
    0x316e8eefu, 0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu, 0xb2bd0b28u,
    0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u, 0x2cd99e8bu, 0x5bdeae1du,
    0x9b64c2b0u, 0xec63f226u, 0x756aa39cu, 0x026d930au, 0x9c0906a9u, 0xeb0e363fu,
    0x72076785u, 0x05005713u, 0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u,
    0x92d28e9bu, 0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u, 0x18b74777u,
    0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu, 0x8f659effu, 0xf862ae69u,
    0x616bffd3u, 0x166ccf45u, 0xa00ae278u, 0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u,
    0xa7672661u, 0xd06016f7u, 0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu,
    0x40df0b66u, 0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u, 0xcdd70693u,
    0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u, 0x5d681b02u, 0x2a6f2b94u,
    0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu, 0x2d02ef8du,
};
#endif

uint32_t rs_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
#ifndef __AVR__
    while (n--)
        crc = (crc >> 8) ^ crc_byte[(crc ^ *p++) & 0xffu];
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

int rs_frame_parse(const uint8_t *raw, size_t n, struct rs_frame *out)
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

    /* Longer bodies are accepted: v1 may append fields (docs/protocol.md). */
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
    return RS_DEC_OK;
}

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
