/*
 * test_usb_stream.c - data over the CDC bulk endpoints of the real firmware
 * image in simavr: 10 emulated minutes of 80 Hz sample frames with nothing
 * lost or corrupted while DTR is set; commands over bulk OUT answered; a bus
 * reset mid-stream followed by re-enumeration streams again; DTR dropped stops
 * the stream and DTR raised resumes it.
 *
 * The image is the placeholder main.c (synthetic samples at 80 Hz from a timer,
 * commands START/STOP/GET_INFO); the sensor firmware replaces it.
 *
 * Usage: test_usb_stream FIRMWARE.elf
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rs_proto.h"
#include "usb_bridge.h"
#include "usb_host.h"
#include "rs_emu.h"
#include "usb_sim.h"

static const char *elf_path;

#define MS(n) ((uint64_t)(n) * 16000u)

struct stream {
    avr_t *avr;
    struct rs_usbh h;
    struct rs_usbh_device dev;
    char info_serial[RS_SERIAL_LEN + 1]; /* from the last INFO frame */
    struct rs_decoder dec;
    int check_seq;         /* fail on a sequence gap */
    int have_seq;
    uint32_t next_seq;
    uint32_t first_seq;    /* first sample since counters were cleared */
    uint16_t first_status;
    uint64_t samples, replies, infos, gaps;
    struct rs_reply last_reply;
};

static struct rs_emu emu;

/* wired = 1: the emulator's whole roller (two HX711 parts, the encoder and
 * the default physical model) around the image, so the firmware samples and
 * sleeps as on the bench; 0: the bare chip (no load cells: both bridges
 * reported missing), enough for the short tests. */
static struct stream *open_stream_on(int wired)
{
    static struct stream s;
    memset(&s, 0, sizeof s);
    if (wired) {
        struct rs_emu_opts o = { .elf_path = elf_path, .serial = "RS-USB-0007" };
        rs_emu_model_default(&o.model);
        assert_int_equal(rs_emu_init(&emu, &o), 0);
        s.avr = emu.avr;
    } else {
        s.avr = rs_sim_open(elf_path);
    }
    assert_non_null(s.avr);
    assert_int_equal(rs_usbh_init(&s.h, s.avr), 0);
    assert_int_equal(rs_usbh_run(&s.h, MS(5)), 0);
    int r = rs_usbh_enumerate(&s.h, &s.dev, 115200);
    if (r)
        fail_msg("enumeration: %s", rs_usbh_strerror(r));
    rs_decoder_init(&s.dec);
    return &s;
}

static struct stream *open_stream(void)
{
    return open_stream_on(0);
}

static void clear_counts(struct stream *s)
{
    s->samples = s->replies = s->infos = s->gaps = 0;
    s->have_seq = 0;
}

static void on_frame(struct stream *s, const struct rs_frame *f)
{
    switch (f->type) {
    case RS_FT_SAMPLE:
        if (!s->samples) {
            s->first_seq = f->u.sample.seq;
            s->first_status = f->u.sample.status;
        }
        if (s->have_seq && f->u.sample.seq != s->next_seq) {
            s->gaps++;
            if (s->check_seq)
                fail_msg("sample %u after %u: frame lost", f->u.sample.seq, s->next_seq - 1);
        }
        if (s->check_seq && s->have_seq && (f->u.sample.status & RS_ST_OVERFLOW))
            fail_msg("sample %u flags an overflow", f->u.sample.seq);
        s->have_seq = 1;
        s->next_seq = f->u.sample.seq + 1;
        s->samples++;
        break;
    case RS_FT_REPLY:
        s->replies++;
        s->last_reply = f->u.reply;
        break;
    case RS_FT_INFO:
        s->infos++;
        memcpy(s->info_serial, f->u.info.serial, RS_SERIAL_LEN);
        break;
    default:
        break;
    }
}

/* Read bulk IN like cdc-acm does (512-byte transfers) for `cycles` of emulated time. */
static void pump(struct stream *s, uint64_t cycles)
{
    uint64_t end = s->avr->cycle + cycles;
    uint8_t buf[512];
    struct rs_frame f;
    while (s->avr->cycle < end) {
        size_t got = 0;
        int r = rs_usbh_bulk_in(&s->h, buf, sizeof buf, MS(20), &got);
        if (r != 0 && r != RS_USBH_ETIMEOUT)
            fail_msg("bulk IN: %s", rs_usbh_strerror(r));
        for (size_t i = 0; i < got; i++)
            if (rs_decoder_push(&s->dec, buf[i], &f))
                on_frame(s, &f);
    }
}

static void assert_clean_decoder(const struct stream *s)
{
    const struct rs_decoder_stats *st = &s->dec.stats;
    if (st->crc_errors || st->framing_errors || st->oversize || st->unknown_type ||
        st->bad_length || st->bad_version)
        fail_msg("decoder: crc %u framing %u oversize %u unknown %u length %u version %u",
                 st->crc_errors, st->framing_errors, st->oversize, st->unknown_type,
                 st->bad_length, st->bad_version);
}

static void send_command(struct stream *s, uint8_t type, uint8_t token)
{
    struct rs_frame f = { .type = type };
    uint8_t wire[RS_WIRE_MAX];
    f.u.cmd.token = token;
    size_t n = rs_frame_encode(&f, wire);
    assert_true(n > 0);
    int r = rs_usbh_bulk_out(&s->h, wire, n, 1);
    if (r)
        fail_msg("bulk OUT: %s", rs_usbh_strerror(r));
}

static void test_ten_minutes_at_80hz(void **state)
{
    (void)state;
    struct stream *s = open_stream_on(1);
    s->check_seq = 1;
    pump(s, MS(600000));
    assert_clean_decoder(s);
    /* 80 Hz for 600 s, give or take the frames in flight at either end. */
    if (s->samples < 48000 - 3 || s->samples > 48000 + 3)
        fail_msg("%llu samples in 10 minutes", (unsigned long long)s->samples);
    assert_int_equal(s->gaps, 0);
    print_message("10 min: %llu samples, %llu IN packets, %llu ZLPs, %llu NAKs\n",
                  (unsigned long long)s->samples, (unsigned long long)s->h.stats.in_packets,
                  (unsigned long long)s->h.stats.in_zlps, (unsigned long long)s->h.stats.naks);
    /* One identity: the emulator's serial is the USB serial string and the
     * INFO serial (uncalibrated roller). */
    assert_string_equal(s->dev.serial, "RS-USB-0007");
    send_command(s, RS_FT_CMD_GET_INFO, 0x44);
    pump(s, MS(100));
    assert_int_equal(s->last_reply.token, 0x44);
    assert_string_equal(s->info_serial, "RS-USB-0007");
    rs_emu_free(&emu);
}

static void test_commands_answered(void **state)
{
    (void)state;
    struct stream *s = open_stream();
    s->check_seq = 1;
    pump(s, MS(200));

    send_command(s, RS_FT_CMD_GET_INFO, 0x42);
    pump(s, MS(100));
    assert_int_equal(s->replies, 1);
    assert_int_equal(s->last_reply.token, 0x42);
    assert_int_equal(s->last_reply.cmd, RS_FT_CMD_GET_INFO);
    assert_int_equal(s->last_reply.code, RS_REPLY_ACK);
    assert_int_equal(s->infos, 1);

    /* STOP: acknowledged, then silence; START: samples again. */
    send_command(s, RS_FT_CMD_STOP, 0x43);
    pump(s, MS(100));
    assert_int_equal(s->last_reply.token, 0x43);
    clear_counts(s);
    pump(s, MS(1000));
    assert_int_equal(s->samples, 0);
    send_command(s, RS_FT_CMD_START, 0x44);
    pump(s, MS(1000));
    assert_int_equal(s->last_reply.token, 0x44);
    assert_in_range(s->samples, 75, 81);

    /* Several commands in one OUT packet, and one split over two packets. */
    uint8_t wire[3 * RS_WIRE_MAX];
    size_t n = 0;
    for (uint8_t t = 0x50; t < 0x53; t++) {
        struct rs_frame f = { .type = RS_FT_CMD_GET_INFO };
        f.u.cmd.token = t;
        n += rs_frame_encode(&f, wire + n);
    }
    clear_counts(s);
    assert_int_equal(rs_usbh_bulk_out(&s->h, wire, n, 1), 0);
    assert_int_equal(rs_usbh_bulk_out(&s->h, wire, 3, 0), 0);
    assert_int_equal(rs_usbh_bulk_out(&s->h, wire + 3, n / 3 - 3, 0), 0);
    pump(s, MS(200));
    assert_int_equal(s->replies, 4);
    assert_int_equal(s->last_reply.token, 0x50);
    assert_clean_decoder(s);
    rs_sim_close(s->avr);
}

static void test_bus_reset_mid_stream(void **state)
{
    (void)state;
    struct stream *s = open_stream();
    s->check_seq = 1;
    pump(s, MS(2000));
    assert_in_range(s->samples, 155, 161);

    /* The host resets the bus and enumerates again: a new connection. */
    int r = rs_usbh_enumerate(&s->h, NULL, 115200);
    if (r)
        fail_msg("re-enumeration: %s", rs_usbh_strerror(r));
    rs_decoder_init(&s->dec);
    clear_counts(s);
    pump(s, MS(2000));
    assert_in_range(s->samples, 155, 161);
    assert_clean_decoder(s);
    rs_sim_close(s->avr);
}

static void test_dtr_stops_and_resumes(void **state)
{
    (void)state;
    struct stream *s = open_stream();
    s->check_seq = 1;
    pump(s, MS(1000));
    uint32_t last = s->next_seq;

    assert_int_equal(rs_usbh_set_control_lines(&s->h, 0, 1), 0);
    pump(s, MS(100)); /* what was already queued may still arrive, whole */
    assert_clean_decoder(s);
    clear_counts(s);
    pump(s, MS(2000));
    assert_int_equal(s->samples, 0);

    s->check_seq = 0; /* one gap expected: the samples made while closed */
    assert_int_equal(rs_usbh_set_control_lines(&s->h, 1, 1), 0);
    clear_counts(s);
    pump(s, MS(1000));
    assert_in_range(s->samples, 75, 81);
    assert_int_equal(s->gaps, 0); /* consecutive after resuming */
    /* About 2.1 s of samples were dropped and counted in the sequence. */
    assert_in_range(s->first_seq - last, 150, 190);
    assert_true(s->first_status & RS_ST_OVERFLOW);
    assert_clean_decoder(s);
    rs_sim_close(s->avr);
}

static void bridge_rx(void *ctx, const uint8_t *p, size_t n)
{
    struct stream *s = ctx;
    struct rs_frame f;
    for (size_t i = 0; i < n; i++)
        if (rs_decoder_push(&s->dec, p[i], &f))
            on_frame(s, &f);
}

static void run_core(avr_t *avr, uint64_t cycles)
{
    uint64_t end = avr->cycle + cycles;
    while (avr->cycle < end) {
        int st = avr_run(avr);
        assert_true(st != cpu_Done && st != cpu_Crashed);
    }
}

/* The bridge rollsense-emu uses: the caller runs the core, a frame timer moves bytes. */
static void test_bridge_for_emulator(void **state)
{
    (void)state;
    static struct stream s;
    static struct rs_usb_bridge b;
    memset(&s, 0, sizeof s);
    s.avr = rs_sim_open(elf_path);
    assert_non_null(s.avr);
    rs_decoder_init(&s.dec);
    s.check_seq = 1;
    int r = rs_usb_bridge_attach(&b, s.avr, bridge_rx, &s, 115200);
    if (r)
        fail_msg("bridge: %s", rs_usbh_strerror(r));
    assert_string_equal(b.dev.product, "rollsense roller");

    run_core(s.avr, MS(2000));
    assert_in_range(s.samples, 155, 161);

    struct rs_frame f = { .type = RS_FT_CMD_GET_INFO };
    uint8_t wire[RS_WIRE_MAX];
    f.u.cmd.token = 0x77;
    size_t n = rs_frame_encode(&f, wire);
    assert_int_equal(rs_usb_bridge_write(&b, wire, n), n);
    run_core(s.avr, MS(100));
    assert_int_equal(rs_usb_bridge_pending(&b), 0);
    assert_int_equal(s.replies, 1);
    assert_int_equal(s.last_reply.token, 0x77);
    assert_int_equal(s.infos, 1);

    assert_int_equal(rs_usb_bridge_set_dtr(&b, 0), 0);
    run_core(s.avr, MS(100));
    clear_counts(&s);
    run_core(s.avr, MS(1000));
    assert_int_equal(s.samples, 0);
    s.check_seq = 0;
    assert_int_equal(rs_usb_bridge_set_dtr(&b, 1), 0);
    run_core(s.avr, MS(1000));
    assert_in_range(s.samples, 75, 81);
    assert_int_equal(b.last_error, 0);
    assert_clean_decoder(&s);
    rs_sim_close(s.avr);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FIRMWARE.elf [ECHO.elf]\n", argv[0]);
        return 2;
    }
    elf_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands_answered),
        cmocka_unit_test(test_bus_reset_mid_stream),
        cmocka_unit_test(test_dtr_stops_and_resumes),
        cmocka_unit_test(test_bridge_for_emulator),
        cmocka_unit_test(test_ten_minutes_at_80hz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
