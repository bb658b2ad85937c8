/*
 * fuzz_decoder.c - libFuzzer target for the streaming frame decoder.
 *
 * Any byte stream must decode without a crash, leak or undefined behaviour,
 * and every frame it delivers must survive re-encoding unchanged (so the
 * decoder never hands out a half-filled or inconsistent frame). The stream
 * is fed twice, whole and split at a point taken from the input, and both
 * feeds must give the same frames and counters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rs_proto.h"

static void check_frame(const struct rs_frame *f)
{
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(f, wire);
    if (n == 0)
        abort(); /* delivered a type the encoder does not know */
    struct rs_decoder d;
    rs_decoder_init(&d);
    struct rs_frame again;
    int got = 0;
    for (size_t i = 0; i < n; i++)
        got += rs_decoder_push(&d, wire[i], &again);
    if (got != 1)
        abort();
    uint8_t wire2[RS_WIRE_MAX];
    if (rs_frame_encode(&again, wire2) != n || memcmp(wire, wire2, n) != 0)
        abort();
}

static uint32_t feed(const uint8_t *data, size_t size, size_t split,
                     struct rs_decoder_stats *st)
{
    struct rs_decoder d;
    rs_decoder_init(&d);
    struct rs_frame f;
    uint32_t hash = 0;
    for (size_t i = 0; i < split; i++)
        if (rs_decoder_push(&d, data[i], &f)) {
            check_frame(&f);
            hash = hash * 31u + f.type;
        }
    for (size_t i = split; i < size; i++)
        if (rs_decoder_push(&d, data[i], &f)) {
            check_frame(&f);
            hash = hash * 31u + f.type;
        }
    *st = d.stats;
    return hash;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rs_decoder_stats a, b;
    size_t split = size ? data[0] % (size + 1) : 0;
    uint32_t ha = feed(data, size, size, &a);
    uint32_t hb = feed(data, size, split, &b);
    if (ha != hb || memcmp(&a, &b, sizeof a) != 0)
        abort();
    return 0;
}
