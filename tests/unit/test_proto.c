/*
 * test_proto.c - wire protocol v1: CRC and COBS, round trip of every frame
 * type, and every corruption class of the acceptance list. The invariant
 * checked under corruption: no crash, no frame delivered that was not sent,
 * every frame not touched by the corruption delivered, the right counter up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rs_crc32_tab.h"
#include "rs_proto.h"

/* ---- helpers ------------------------------------------------------------- */

static struct rs_frame sample(uint32_t seq)
{
    struct rs_frame f = { .type = RS_FT_SAMPLE };
    f.u.sample.seq = seq;
    f.u.sample.t_us = 1000000u + seq * 12500u;
    f.u.sample.left = (int32_t)(seq * 7919u % 16000000u) - 8000000;
    f.u.sample.right = -(int32_t)(seq * 104729u % 8000000u);
    f.u.sample.enc = (int32_t)(seq * 2654435761u);
    f.u.sample.status = (uint16_t)(seq & 0xffu);
    return f;
}

/* Field-by-field equality (the union is compared on the member in use). */
static int frame_eq(const struct rs_frame *a, const struct rs_frame *b)
{
    if (a->type != b->type)
        return 0;
    uint8_t wa[RS_WIRE_MAX], wb[RS_WIRE_MAX];
    size_t na = rs_frame_encode(a, wa), nb = rs_frame_encode(b, wb);
    return na == nb && na > 0 && memcmp(wa, wb, na) == 0;
}

struct stream {
    uint8_t bytes[16384];
    size_t len;
    size_t start[64]; /* where frame i begins */
    size_t end[64];   /* one past its last byte */
    int count;
};

static void stream_build(struct stream *s, int frames)
{
    s->len = 0;
    s->count = frames;
    for (int i = 0; i < frames; i++) {
        struct rs_frame f = sample((uint32_t)i);
        s->start[i] = s->len;
        s->len += rs_frame_encode(&f, s->bytes + s->len);
        s->end[i] = s->len;
    }
}

struct result {
    uint32_t seqs[256];
    int count;
    int bogus; /* delivered frames that were never sent */
    struct rs_decoder_stats stats;
};

static void decode_all(const uint8_t *p, size_t n, struct result *r)
{
    struct rs_decoder d;
    rs_decoder_init(&d);
    memset(r, 0, sizeof *r);
    struct rs_frame f;
    for (size_t i = 0; i < n; i++) {
        if (!rs_decoder_push(&d, p[i], &f))
            continue;
        struct rs_frame want = sample(f.u.sample.seq);
        if (f.type != RS_FT_SAMPLE || !frame_eq(&f, &want))
            r->bogus++;
        else if (r->count < 256)
            r->seqs[r->count++] = f.u.sample.seq;
    }
    r->stats = d.stats;
}

static int delivered(const struct result *r, uint32_t seq)
{
    for (int i = 0; i < r->count; i++)
        if (r->seqs[i] == seq)
            return 1;
    return 0;
}

static uint32_t errors(const struct rs_decoder_stats *st)
{
    return st->crc_errors + st->framing_errors + st->oversize + st->unknown_type +
           st->bad_length + st->bad_version;
}

/* ---- building blocks ------------------------------------------------------ */

static void test_crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(rs_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
    /* Incremental use gives the same result. */
    uint32_t c = rs_crc32(0, (const uint8_t *)"1234", 4);
    assert_int_equal(rs_crc32(c, (const uint8_t *)"56789", 5), 0xcbf43926u);
}

/* The CRC register after shifting n bytes through it one bit at a time
 * (no initial or final inversion): the definition, for checking the tables. */
static uint32_t crc_bits(uint32_t reg, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        reg ^= p[i];
        for (int b = 0; b < 8; b++)
            reg = (reg & 1u) ? (reg >> 1) ^ 0xedb88320u : reg >> 1;
    }
    return reg;
}

/* Table k, entry i: byte i followed by k zero bytes, from the polynomial. */
static void test_crc_tables_from_polynomial(void **state)
{
    (void)state;
    for (int k = 0; k < 8; k++)
        for (unsigned i = 0; i < 256; i++) {
            uint8_t bytes[8] = { (uint8_t)i };
            assert_int_equal(rs_crc32_tab[k][i], crc_bits(0, bytes, (size_t)k + 1));
        }
}

/* Every length 0..64 from every start 0..7 (unaligned words), and every
 * split into two calls, against the bitwise definition. */
static void test_crc_every_length_and_alignment(void **state)
{
    (void)state;
    uint8_t buf[80];
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 24);
    }
    for (size_t start = 0; start < 8; start++)
        for (size_t n = 0; n <= 64; n++) {
            uint32_t want = ~crc_bits(0xffffffffu, buf + start, n);
            assert_int_equal(rs_crc32(0, buf + start, n), want);
            for (size_t cut = 0; cut <= n; cut++) {
                uint32_t c = rs_crc32(0, buf + start, cut);
                assert_int_equal(rs_crc32(c, buf + start + cut, n - cut), want);
            }
        }
    /* a known vector through the word and byte paths: 9 = 8 + 1 */
    assert_int_equal(rs_crc32(0, (const uint8_t *)"12345678", 8), 0x9ae0daafu);
    assert_int_equal(rs_crc32(0, (const uint8_t *)"", 0), 0);
}

static void test_cobs_table(void **state)
{
    (void)state;
    static const struct {
        uint8_t in[8];
        size_t n;
        uint8_t out[10];
        size_t m;
    } cases[] = {
        { { 0x00 }, 1, { 0x01, 0x01 }, 2 },
        { { 0x00, 0x00 }, 2, { 0x01, 0x01, 0x01 }, 3 },
        { { 0x11, 0x22, 0x00, 0x33 }, 4, { 0x03, 0x11, 0x22, 0x02, 0x33 }, 5 },
        { { 0x11, 0x22, 0x33, 0x44 }, 4, { 0x05, 0x11, 0x22, 0x33, 0x44 }, 5 },
        { { 0x11, 0x00, 0x00, 0x00 }, 4, { 0x02, 0x11, 0x01, 0x01, 0x01 }, 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t enc[16], dec[16];
        assert_int_equal(rs_cobs_encode(cases[i].in, cases[i].n, enc), cases[i].m);
        assert_memory_equal(enc, cases[i].out, cases[i].m);
        assert_int_equal(rs_cobs_decode(enc, cases[i].m, dec), (int)cases[i].n);
        assert_memory_equal(dec, cases[i].in, cases[i].n);
    }
    /* Malformed: a code byte pointing past the end, an embedded zero. */
    static const uint8_t bad1[] = { 0x05, 0x11, 0x22 };
    static const uint8_t bad2[] = { 0x03, 0x11, 0x00 };
    uint8_t out[8];
    assert_int_equal(rs_cobs_decode(bad1, sizeof bad1, out), -1);
    assert_int_equal(rs_cobs_decode(bad2, sizeof bad2, out), -1);
}

/* ---- round trips ---------------------------------------------------------- */

static void test_round_trip_every_type(void **state)
{
    (void)state;
    struct rs_cal cal = {
        .offset_left = -123456, .offset_right = 654321,
        .scale_left = 2189.8f, .scale_right = -0.5f,
        .radius_um = 70000, .enc_dir = -1, .serial = "RS-000042",
    };
    struct rs_frame frames[16];
    int n = 0;
    frames[n++] = sample(0);
    frames[n++] = sample(0xffffffffu);
    frames[n] = (struct rs_frame){ .type = RS_FT_SAMPLE };
    frames[n].u.sample = (struct rs_sample){ 1, 0xffffffffu, -8388608, 8388607, INT32_MIN, 0xffff };
    n++;
    frames[n] = (struct rs_frame){ .type = RS_FT_INFO };
    frames[n].u.info = (struct rs_info){ 1, 2, 3, RS_CAL_CORRUPT, 80, 16384, 1, 1, "RS-ABCDEFGHI" };
    n++;
    frames[n] = (struct rs_frame){ .type = RS_FT_CAL, .u.cal = cal };
    n++;
    frames[n] = (struct rs_frame){ .type = RS_FT_REPLY, .u.reply = { 9, RS_FT_CMD_SAVE_CAL, RS_NAK_STORAGE } };
    n++;
    frames[n] = (struct rs_frame){ .type = RS_FT_FAULT, .u.fault = { RS_FAULT_MAGNET, 1, 4000000000u } };
    n++;
    static const uint8_t simple[] = { RS_FT_CMD_START, RS_FT_CMD_STOP, RS_FT_CMD_GET_INFO,
                                      RS_FT_CMD_GET_CAL, RS_FT_CMD_SAVE_CAL };
    for (size_t i = 0; i < sizeof simple; i++) {
        frames[n] = (struct rs_frame){ .type = simple[i] };
        frames[n].u.cmd.token = (uint8_t)(0xf0 + i);
        n++;
    }
    frames[n] = (struct rs_frame){ .type = RS_FT_CMD_SET_CAL };
    frames[n].u.cmd.token = 0;
    frames[n].u.cmd.arg.cal = cal;
    n++;
    frames[n] = (struct rs_frame){ .type = RS_FT_CMD_IDENTIFY };
    frames[n].u.cmd.token = 7;
    frames[n].u.cmd.arg.identify_s = 5;
    n++;
    frames[n] = (struct rs_frame){ .type = RS_FT_CMD_RESET };
    frames[n].u.cmd.token = 8;
    frames[n].u.cmd.arg.reset_mode = 1;
    n++;

    for (int i = 0; i < n; i++) {
        uint8_t wire[RS_WIRE_MAX];
        size_t len = rs_frame_encode(&frames[i], wire);
        assert_true(len > 2 && len <= RS_WIRE_MAX);
        assert_int_equal(wire[0], 0);
        assert_int_equal(wire[len - 1], 0);
        for (size_t k = 1; k + 1 < len; k++)
            assert_int_not_equal(wire[k], 0);

        struct rs_decoder d;
        rs_decoder_init(&d);
        struct rs_frame out;
        int got = 0;
        for (size_t k = 0; k < len; k++)
            got += rs_decoder_push(&d, wire[k], &out);
        assert_int_equal(got, 1);
        assert_int_equal(out.version, RS_PROTO_VERSION);
        assert_true(frame_eq(&out, &frames[i]));
        assert_int_equal(errors(&d.stats), 0);

        /* The stored form (no COBS, no delimiters) parses back the same. */
        uint8_t raw[RS_FRAME_MAX];
        size_t rn = rs_frame_pack(&frames[i], raw);
        assert_int_equal(rn + 3, len); /* COBS adds one byte, plus two delimiters */
        struct rs_frame parsed;
        assert_int_equal(rs_frame_parse(raw, rn, &parsed), RS_DEC_OK);
        assert_true(frame_eq(&parsed, &frames[i]));
        /* The same in two steps (the session reader's threads), byte for byte. */
        struct rs_frame two;
        memset(&two, 0xa5, sizeof two);
        assert_int_equal(rs_frame_check(raw, rn), RS_DEC_OK);
        rs_frame_decode(raw, &two);
        assert_memory_equal(&two, &parsed, sizeof two);
    }
}

/* rs_frame_check answers what rs_frame_parse answers, for every bit flip of
 * a stored frame of every length (CRC, version, unknown type, short body). */
static void test_check_answers_as_parse(void **state)
{
    (void)state;
    struct rs_frame f = sample(77);
    uint8_t raw[RS_FRAME_MAX], bad[RS_FRAME_MAX];
    size_t rn = rs_frame_pack(&f, raw);
    int seen[8] = { 0 };
    for (size_t n = 0; n <= rn; n++)
        for (size_t bit = 0; bit <= 8 * n; bit++) {
            memcpy(bad, raw, n);
            if (bit < 8 * n)
                bad[bit / 8] ^= (uint8_t)(1u << bit % 8);
            if (n >= 6 && bit < 16) { /* a flip in version or type with a valid CRC */
                uint32_t c = rs_crc32(0, bad, n - 4);
                for (int k = 0; k < 4; k++)
                    bad[n - 4 + (size_t)k] = (uint8_t)(c >> 8 * k);
            }
            struct rs_frame out;
            int want = rs_frame_parse(bad, n, &out);
            assert_int_equal(rs_frame_check(bad, n), want);
            seen[-want]++;
        }
    /* every answer was met: ok, framing, crc, unknown type, length, version */
    for (int k = 0; k <= 5; k++)
        assert_true(seen[k] > 0);
}

static void test_sample_fields_exact(void **state)
{
    (void)state;
    /* 24-bit sign extension and saturation, 32-bit extremes. */
    static const struct { int32_t in, out; } cases[] = {
        { 0, 0 }, { -1, -1 }, { 8388607, 8388607 }, { -8388608, -8388608 },
        { 9000000, 8388607 }, { -9000000, -8388608 }, { 0x123456, 0x123456 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample.left = cases[i].in;
        f.u.sample.right = -cases[i].in;
        f.u.sample.enc = INT32_MAX;
        uint8_t wire[RS_WIRE_MAX];
        size_t len = rs_frame_encode(&f, wire);
        struct rs_decoder d;
        rs_decoder_init(&d);
        struct rs_frame out;
        int got = 0;
        for (size_t k = 0; k < len; k++)
            got += rs_decoder_push(&d, wire[k], &out);
        assert_int_equal(got, 1);
        assert_int_equal(out.u.sample.left, cases[i].out);
        assert_int_equal(out.u.sample.enc, INT32_MAX);
    }
}

/* Unknown types and foreign versions are skipped and counted, never fatal;
 * longer bodies of known types are accepted (v1 may append fields). */
static void test_unknown_version_and_extension(void **state)
{
    (void)state;
    static const struct {
        uint8_t version, type;
        size_t body;
        int delivered;
        size_t stat; /* offset of the counter that must go up, or SIZE_MAX */
    } cases[] = {
        { 1, 0x7e, 5, 0, offsetof(struct rs_decoder_stats, unknown_type) },
        { 1, 0xfe, 0, 0, offsetof(struct rs_decoder_stats, unknown_type) },
        { 2, RS_FT_SAMPLE, 20, 0, offsetof(struct rs_decoder_stats, bad_version) },
        { 0, RS_FT_INFO, 22, 0, offsetof(struct rs_decoder_stats, bad_version) },
        { 1, RS_FT_SAMPLE, 19, 0, offsetof(struct rs_decoder_stats, bad_length) },
        { 1, RS_FT_REPLY, 0, 0, offsetof(struct rs_decoder_stats, bad_length) },
        { 1, RS_FT_SAMPLE, 30, 1, SIZE_MAX },
        { 1, RS_FT_REPLY, 3, 1, SIZE_MAX },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t raw[RS_FRAME_MAX] = { cases[i].version, cases[i].type };
        for (size_t k = 0; k < cases[i].body; k++)
            raw[2 + k] = (uint8_t)(k + 1);
        uint8_t wire[RS_WIRE_MAX * 2];
        size_t len = rs_wire_wrap(raw, 2 + cases[i].body, wire);
        struct rs_frame good = sample(77);
        len += rs_frame_encode(&good, wire + len);

        struct rs_decoder d;
        rs_decoder_init(&d);
        struct rs_frame out;
        int got = 0;
        for (size_t k = 0; k < len; k++)
            got += rs_decoder_push(&d, wire[k], &out);
        /* The intact frame after it always arrives. */
        assert_int_equal(got, 1 + cases[i].delivered);
        assert_int_equal(out.u.sample.seq, 77);
        if (cases[i].stat != SIZE_MAX) {
            uint32_t v;
            memcpy(&v, (const uint8_t *)&d.stats + cases[i].stat, sizeof v);
            assert_int_equal(v, 1);
            assert_int_equal(errors(&d.stats), 1);
        } else {
            assert_int_equal(errors(&d.stats), 0);
        }
        if (cases[i].version != RS_PROTO_VERSION)
            assert_int_equal(d.stats.last_version, cases[i].version);
    }
}

/* ---- corruption classes --------------------------------------------------- */

/* Frames entirely outside [lo, hi) of the stream must all arrive. */
static void assert_untouched_delivered(const struct stream *s, const struct result *r,
                                       size_t lo, size_t hi)
{
    for (int i = 0; i < s->count; i++) {
        int touched = !(s->end[i] <= lo || s->start[i] >= hi);
        if (!touched && !delivered(r, (uint32_t)i))
            fail_msg("frame %d (bytes %zu..%zu) lost by a corruption at %zu..%zu", i,
                     s->start[i], s->end[i], lo, hi);
    }
    assert_int_equal(r->bogus, 0);
}

static void test_single_bit_flips_everywhere(void **state)
{
    (void)state;
    struct stream s;
    stream_build(&s, 3);
    uint8_t buf[sizeof s.bytes];
    for (size_t byte = 0; byte < s.len; byte++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(buf, s.bytes, s.len);
            buf[byte] ^= (uint8_t)(1u << bit);
            struct result r;
            decode_all(buf, s.len, &r);
            assert_untouched_delivered(&s, &r, byte, byte + 1);
            /* A flipped byte always costs a frame and is always counted, except
             * when it hits a delimiter that is doubled (between two frames),
             * where the neighbouring delimiter still separates them. */
            int frame_byte = 0;
            for (int i = 0; i < s.count; i++)
                if (byte > s.start[i] && byte + 1 < s.end[i])
                    frame_byte = 1;
            if (frame_byte) {
                assert_true(r.count < s.count);
                assert_true(r.stats.crc_errors + r.stats.framing_errors >= 1);
            }
        }
    }
}

static void test_dropped_duplicated_truncated(void **state)
{
    (void)state;
    struct stream s;
    stream_build(&s, 4);
    uint8_t buf[sizeof s.bytes + 8];
    /* Every byte position inside frame 1 (not its delimiters). */
    for (size_t at = s.start[1] + 1; at + 1 < s.end[1]; at++) {
        struct result r;
        /* dropped byte */
        memcpy(buf, s.bytes, at);
        memcpy(buf + at, s.bytes + at + 1, s.len - at - 1);
        decode_all(buf, s.len - 1, &r);
        assert_untouched_delivered(&s, &r, at, at + 1);
        assert_false(delivered(&r, 1));
        assert_int_equal(r.stats.crc_errors + r.stats.framing_errors, 1);

        /* duplicated byte */
        memcpy(buf, s.bytes, at + 1);
        memcpy(buf + at + 1, s.bytes + at, s.len - at);
        decode_all(buf, s.len + 1, &r);
        assert_untouched_delivered(&s, &r, at, at + 1);
        assert_false(delivered(&r, 1));
        assert_int_equal(r.stats.crc_errors + r.stats.framing_errors, 1);

        /* truncated: frame 1 cut off at `at` (at least one byte of it left;
         * a frame cut to nothing is an idle delimiter), then the stream goes on */
        if (at == s.start[1] + 1)
            continue;
        memcpy(buf, s.bytes, at);
        memcpy(buf + at, s.bytes + s.end[1] - 1, s.len - (s.end[1] - 1));
        size_t n = at + s.len - (s.end[1] - 1);
        decode_all(buf, n, &r);
        assert_int_equal(r.count, 3);
        assert_false(delivered(&r, 1));
        assert_int_equal(r.bogus, 0);
        assert_int_equal(r.stats.crc_errors + r.stats.framing_errors, 1);
    }
}

static void test_split_at_every_boundary(void **state)
{
    (void)state;
    struct stream s;
    stream_build(&s, 5);
    for (size_t cut = 0; cut <= s.len; cut++) {
        /* Two reads, split at `cut`, through one decoder. */
        struct rs_decoder d;
        rs_decoder_init(&d);
        struct rs_frame f;
        int got = 0;
        for (size_t i = 0; i < cut; i++)
            got += rs_decoder_push(&d, s.bytes[i], &f);
        for (size_t i = cut; i < s.len; i++)
            got += rs_decoder_push(&d, s.bytes[i], &f);
        assert_int_equal(got, 5);
        assert_int_equal(errors(&d.stats), 0);
    }
}

static void test_garbage_between_frames(void **state)
{
    (void)state;
    srand(12345);
    for (int round = 0; round < 2000; round++) {
        struct stream s;
        stream_build(&s, 6);
        uint8_t buf[sizeof s.bytes];
        size_t n = 0;
        int nonzero = 0;
        for (int i = 0; i < s.count; i++) {
            memcpy(buf + n, s.bytes + s.start[i], s.end[i] - s.start[i]);
            n += s.end[i] - s.start[i];
            size_t g = (size_t)(rand() % 90);
            for (size_t k = 0; k < g; k++) {
                /* Mostly random bytes, sometimes a burst of zeros. */
                uint8_t b = (rand() % 8) ? (uint8_t)rand() : 0;
                nonzero |= b != 0;
                buf[n++] = b;
            }
        }
        struct result r;
        decode_all(buf, n, &r);
        assert_int_equal(r.bogus, 0);
        assert_int_equal(r.count, 6);
        if (nonzero)
            assert_true(errors(&r.stats) >= 1);
    }
}

static void test_overlong_frame(void **state)
{
    (void)state;
    struct stream s;
    stream_build(&s, 2);
    uint8_t buf[sizeof s.bytes];
    static const size_t lengths[] = { RS_FRAME_MAX + 2, RS_FRAME_MAX + 3, 300, 5000 };
    for (size_t c = 0; c < sizeof lengths / sizeof lengths[0]; c++) {
        size_t n = 0;
        memcpy(buf + n, s.bytes + s.start[0], s.end[0] - s.start[0]);
        n += s.end[0] - s.start[0];
        for (size_t k = 0; k < lengths[c]; k++)
            buf[n++] = (uint8_t)(1 + k % 255);
        memcpy(buf + n, s.bytes + s.start[1], s.end[1] - s.start[1]);
        n += s.end[1] - s.start[1];
        struct result r;
        decode_all(buf, n, &r);
        assert_int_equal(r.count, 2);
        assert_int_equal(r.stats.oversize, 1);
        assert_int_equal(errors(&r.stats), 1);
    }
    /* Exactly the largest legal frame still decodes (64 decoded bytes). */
    uint8_t raw[RS_FRAME_MAX] = { RS_PROTO_VERSION, RS_FT_SAMPLE };
    for (size_t k = 2; k < RS_FRAME_MAX - 4; k++)
        raw[k] = (uint8_t)k;
    uint8_t wire[RS_WIRE_MAX];
    size_t len = rs_wire_wrap(raw, RS_FRAME_MAX - 4, wire);
    assert_int_equal(len, RS_WIRE_MAX);
    struct rs_decoder d;
    rs_decoder_init(&d);
    struct rs_frame f;
    int got = 0;
    for (size_t k = 0; k < len; k++)
        got += rs_decoder_push(&d, wire[k], &f);
    assert_int_equal(got, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_value),
        cmocka_unit_test(test_crc_tables_from_polynomial),
        cmocka_unit_test(test_crc_every_length_and_alignment),
        cmocka_unit_test(test_cobs_table),
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_check_answers_as_parse),
        cmocka_unit_test(test_sample_fields_exact),
        cmocka_unit_test(test_unknown_version_and_extension),
        cmocka_unit_test(test_single_bit_flips_everywhere),
        cmocka_unit_test(test_dropped_duplicated_truncated),
        cmocka_unit_test(test_split_at_every_boundary),
        cmocka_unit_test(test_garbage_between_frames),
        cmocka_unit_test(test_overlong_frame),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
