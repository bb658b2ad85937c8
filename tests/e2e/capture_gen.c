/*
 * capture_gen.c - write captured byte streams for the end-to-end tests, with
 * the real encoder (rs_frame_encode), so the tests never hand-craft frames.
 *
 *   capture_gen samples OUT N     N sample frames, values from sample_values()
 *   capture_gen info OUT SERIAL   one info frame (fw 0.1.0, cal default)
 *   capture_gen bad OUT K         K each of: CRC-corrupted frame, oversize run,
 *                                 truncated frame; each followed by one good
 *                                 sample frame (seq 0..3K-1)
 *   capture_gen version OUT V     one info frame claiming protocol version V
 *
 * The value formula is mirrored in live_e2e.py (expected_sample).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_proto.h"

static void sample_values(uint32_t i, struct rs_sample *s)
{
    s->seq = i;
    s->t_us = 4294967295u - 5000000u + i * 12500u; /* wraps after 400 frames */
    s->left = (int32_t)((i * 7919u) % 16777216u) - 8388608;
    s->right = -(int32_t)((i * 104729u) % 8388608u);
    s->enc = (int32_t)(i * 37u) - 50000;
    s->status = (uint16_t)((i * 13u) & 0xffu);
}

static size_t encode_sample(uint32_t i, uint8_t *wire)
{
    struct rs_frame f = { .type = RS_FT_SAMPLE };
    sample_values(i, &f.u.sample);
    return rs_frame_encode(&f, wire);
}

static size_t encode_info(const char *serial, uint8_t *wire)
{
    struct rs_frame f = { .type = RS_FT_INFO };
    f.u.info.fw_major = 0;
    f.u.info.fw_minor = 1;
    f.u.info.fw_patch = 0;
    f.u.info.cal_state = RS_CAL_DEFAULT;
    f.u.info.sample_rate_hz = 80;
    f.u.info.enc_counts_per_rev = 16384;
    f.u.info.hw_rev = 1;
    f.u.info.streaming = 1;
    memcpy(f.u.info.serial, serial, strnlen(serial, RS_SERIAL_LEN));
    return rs_frame_encode(&f, wire);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: capture_gen samples|info|bad|version OUT ARG\n");
        return 2;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    uint8_t wire[RS_WIRE_MAX], raw[RS_WIRE_MAX];
    size_t n;
    if (strcmp(argv[1], "samples") == 0) {
        long count = strtol(argv[3], NULL, 10);
        for (long i = 0; i < count; i++) {
            n = encode_sample((uint32_t)i, wire);
            fwrite(wire, 1, n, out);
        }
    } else if (strcmp(argv[1], "info") == 0) {
        n = encode_info(argv[3], wire);
        fwrite(wire, 1, n, out);
    } else if (strcmp(argv[1], "version") == 0) {
        n = encode_info("OTHERVER", wire);
        /* Re-wrap the same frame with another version byte (and a valid CRC).
         * The COBS bytes lie between the leading and the trailing delimiter. */
        int k = rs_cobs_decode(wire + 1, n - 2, raw);
        raw[0] = (uint8_t)atoi(argv[3]);
        n = rs_wire_wrap(raw, (size_t)k - 4, wire);
        fwrite(wire, 1, n, out);
    } else if (strcmp(argv[1], "bad") == 0) {
        long k = strtol(argv[3], NULL, 10);
        uint32_t seq = 0;
        for (long r = 0; r < k; r++) {
            /* 1. CRC error: decode a good frame, flip a CRC bit, re-encode. */
            n = encode_sample(90000, wire);
            int len = rs_cobs_decode(wire + 1, n - 2, raw);
            raw[len - 1] ^= 0x01;
            wire[0] = 0;
            n = 1 + rs_cobs_encode(raw, (size_t)len, wire + 1);
            wire[n++] = 0;
            fwrite(wire, 1, n, out);
            n = encode_sample(seq++, wire);
            fwrite(wire, 1, n, out);
            /* 2. Oversize: 200 non-zero bytes before a delimiter. */
            for (int b = 0; b < 200; b++)
                fputc(0x55, out);
            fputc(0, out);
            n = encode_sample(seq++, wire);
            fwrite(wire, 1, n, out);
            /* 3. Truncated: the first half of a frame, then a resync delimiter. */
            n = encode_sample(90001, wire);
            fwrite(wire, 1, n / 2, out);
            fputc(0, out);
            n = encode_sample(seq++, wire);
            fwrite(wire, 1, n, out);
        }
    } else {
        fprintf(stderr, "capture_gen: unknown mode %s\n", argv[1]);
        fclose(out);
        return 2;
    }
    if (fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
