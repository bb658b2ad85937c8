/*
 * sim_firmware.c - emulated-time acceptance tests of the real firmware image
 * (issue 3), label `sim`. One program, one CTest entry per case:
 *
 *   sim_firmware stream    10 simulated minutes: no CRC error, 80 Hz +- 0.5 %,
 *                          strictly increasing timestamps with spacing jitter
 *                          <= 100 us, each stamped at its conversion, no gaps
 *   sim_firmware values    bridge values equal the injected ones exactly
 *   sim_firmware encoder   cumulative count = model over 1000 revolutions
 *                          forward then back at 5 rev/s, and fast
 *   sim_firmware faults    HX711 unplugged / stuck, magnet removed, encoder
 *                          parity errors and encoder absent: status bit
 *                          within 50 ms, cleared after, stream never stops
 *   sim_firmware eeprom    reset at 50 instants of a calibration save: the
 *                          old or the new block every time
 *   sim_firmware commands  10,000 random and malformed command frames
 *   sim_firmware reset     RESET restarts through the watchdog
 *
 * Everything is measured in simulated time (16 MHz cycles).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_defaults.h"
#include "sim_harness.h"

#define TWO_PI 6.283185307179586

/* ---- shared checks ------------------------------------------------------------ */

struct stream_stats {
    size_t samples;
    uint32_t seq_gaps;
    uint32_t non_increasing;
    uint32_t max_jitter_us;
    double max_gap_ms;
};

/* Sample frames from index `from`: sequence, timestamps, gaps. */
static struct stream_stats check_stream(const struct sim *s, size_t from, int check_jitter)
{
    struct stream_stats st = { 0 };
    const struct rs_sample *prev = NULL;
    uint64_t prev_cycle = 0;
    for (size_t i = from; i < s->nframes; i++) {
        if (s->frames[i].f.type != RS_FT_SAMPLE)
            continue;
        const struct rs_sample *x = &s->frames[i].f.u.sample;
        if (prev) {
            if (x->seq != prev->seq + 1)
                st.seq_gaps++;
            int32_t dt = (int32_t)(x->t_us - prev->t_us);
            if (dt <= 0)
                st.non_increasing++;
            if (check_jitter) {
                uint32_t j = (uint32_t)abs(dt - (int32_t)12500);
                if (j > st.max_jitter_us)
                    st.max_jitter_us = j;
            }
            double gap = (double)(s->frames[i].cycle - prev_cycle) / 16000.0;
            if (gap > st.max_gap_ms)
                st.max_gap_ms = gap;
        }
        prev = x;
        prev_cycle = s->frames[i].cycle;
        st.samples++;
    }
    return st;
}

/* ---- models -------------------------------------------------------------------- */

/* Calf rolling without faults, forces changing every conversion. */
static void model_rolling(void *ctx, double t, struct rs_emu_phys *p)
{
    (void)ctx;
    memset(p, 0, sizeof *p);
    double total = 250 + 60 * sin(TWO_PI * t / 3.7) + 0.37 * t;
    rs_emu_phys_split(total, -90 + 40 * sin(TWO_PI * t / 11), &p->force_n[0], &p->force_n[1]);
    p->angle_rad = TWO_PI * 0.6 * sin(TWO_PI * t / 8);
    p->hx_ok[0] = p->hx_ok[1] = 1;
    p->magnet_ok = 1;
}

/* ---- stream: 10 simulated minutes ------------------------------------------------ */

static int test_stream(void)
{
    struct sim *s = calloc(1, sizeof *s);
    /* The right chip's clock 0.1 % fast: its conversions slide through
     * the left ones' period over the run, as two real chips' would. */
    sim_boot_period(s, (struct rs_emu_model){ model_rolling, NULL }, 12488);
    sim_run_us(s, 1000000); /* start-up */
    size_t from = s->nframes;
    uint64_t c0 = rs_emu_cycle(&s->emu);
    size_t conv0 = s->nconv[0];
    const double minutes = 10;
    for (int i = 0; i < (int)(minutes * 60); i++) {
        sim_run_us(s, 1000000);
    }
    double secs = (double)(rs_emu_cycle(&s->emu) - c0) / 16e6;
    struct stream_stats st = check_stream(s, from, 1);
    double rate = st.samples / secs;
    printf("stream: %zu samples in %.1f s = %.4f Hz, max jitter %u us, max gap %.2f ms, %u CRC errors\n",
           st.samples, secs, rate, st.max_jitter_us, st.max_gap_ms, (unsigned)s->dec.stats.crc_errors);
    SIM_CHECK(s->dec.stats.crc_errors == 0 && s->dec.stats.framing_errors == 0, "%u CRC, %u framing errors",
              (unsigned)s->dec.stats.crc_errors, (unsigned)s->dec.stats.framing_errors);
    SIM_CHECK(fabs(rate - 80.0) <= 0.4, "rate %.4f Hz", rate);
    SIM_CHECK(st.seq_gaps == 0, "%u sequence gaps", st.seq_gaps);
    SIM_CHECK(st.non_increasing == 0, "%u non-increasing timestamps", st.non_increasing);
    SIM_CHECK(st.max_jitter_us <= 100, "spacing jitter %u us", st.max_jitter_us);

    /* Each frame carries the time of its own conversion: device clock minus
     * simulated time of the left conversion is constant (within 2 us). */
    int64_t off_min = INT64_MAX, off_max = INT64_MIN;
    size_t k = conv0;
    for (size_t i = from; i < s->nframes; i++) {
        if (s->frames[i].f.type != RS_FT_SAMPLE)
            continue;
        while (k + 1 < s->nconv[0] && s->conv[0][k + 1].cycle <= s->frames[i].cycle)
            k++;
        int64_t off = (int64_t)s->frames[i].f.u.sample.t_us - (int64_t)(s->conv[0][k].cycle / 16);
        if (off < off_min)
            off_min = off;
        if (off > off_max)
            off_max = off;
    }
    printf("stream: timestamp vs conversion offset spread %lld us\n", (long long)(off_max - off_min));
    SIM_CHECK(off_max - off_min <= 2, "timestamps drift from the conversions by %lld us",
              (long long)(off_max - off_min));
    /* Every right conversion was read: each frame's right value is one of
     * the right chip's conversions, and no conversion was overwritten. */
    printf("stream: right chip %llu conversions, %llu overwritten unread\n",
           (unsigned long long)s->emu.hx[1].conversions, (unsigned long long)s->emu.hx[1].missed);
    SIM_CHECK(s->emu.hx[1].missed == 0 && s->emu.hx[0].missed == 0, "conversions missed: left %llu right %llu",
              (unsigned long long)s->emu.hx[0].missed, (unsigned long long)s->emu.hx[1].missed);
    sim_free(s);
    free(s);
    return 0;
}

/* ---- values: injected bridge values come out exactly -------------------------------- */

/* Forces that differ at every conversion and sweep the whole 24-bit range,
 * both signs, including saturation at both ends. */
static void model_values(void *ctx, double t, struct rs_emu_phys *p)
{
    (void)ctx;
    memset(p, 0, sizeof *p);
    double full = 8388607.0 / RS_DEFAULT_SCALE_COUNTS_PER_N; /* N at full scale */
    p->force_n[0] = 1.05 * full * sin(TWO_PI * t / 7.3) + 0.013 * t;
    p->force_n[1] = -1.05 * full * cos(TWO_PI * t / 5.1) + 3.7 * sin(TWO_PI * t * 13);
    p->hx_ok[0] = p->hx_ok[1] = 1;
    p->magnet_ok = 1;
}

static int test_values(void)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_values, NULL }, NULL, 0);
    sim_run_us(s, 500000);
    size_t from = s->nframes;
    sim_run_us(s, 30000000);
    size_t n = 0, bad_l = 0, bad_r = 0, kl = 0, kr = 0;
    int32_t lo = 0, hi = 0;
    for (size_t i = from; i < s->nframes; i++) {
        if (s->frames[i].f.type != RS_FT_SAMPLE)
            continue;
        const struct rs_sample *x = &s->frames[i].f.u.sample;
        /* The left conversion that made this frame: the last one before it. */
        while (kl + 1 < s->nconv[0] && s->conv[0][kl + 1].cycle <= s->frames[i].cycle)
            kl++;
        /* The right value: the last right conversion before that one. */
        while (kr + 1 < s->nconv[1] && s->conv[1][kr + 1].cycle <= s->conv[0][kl].cycle)
            kr++;
        if (x->left != s->conv[0][kl].value) {
            if (bad_l++ < 5)
                fprintf(stderr, "frame seq %u: left %d, injected %d\n", x->seq, x->left, s->conv[0][kl].value);
        }
        if (x->right != s->conv[1][kr].value) {
            if (bad_r++ < 5)
                fprintf(stderr, "frame seq %u: right %d, injected %d\n", x->seq, x->right, s->conv[1][kr].value);
        }
        if (x->left < lo)
            lo = x->left;
        if (x->left > hi)
            hi = x->left;
        n++;
    }
    printf("values: %zu frames compared, left range %d..%d\n", n, lo, hi);
    SIM_CHECK(n >= 2390, "only %zu frames", n);
    SIM_CHECK(bad_l == 0, "%zu left values differ", bad_l);
    SIM_CHECK(bad_r == 0, "%zu right values differ", bad_r);
    SIM_CHECK(lo == -8388608 && hi == 8388607, "range %d..%d does not reach both ends", lo, hi);
    sim_free(s);
    free(s);
    return 0;
}

/* ---- encoder: cumulative count against the model ------------------------------------------ */

struct enc_leg {
    double dur_s;   /* duration */
    double rev_s;   /* speed, revolutions per second (sign = direction) */
};

/* Legs: rest, 1000 revolutions forward and back at 5 rev/s, then fast legs
 * (20 rev/s) both ways; rests between them for exact comparisons. */
static const struct enc_leg enc_legs[] = {
    { 0.5, 0 }, { 200, 5 }, { 0.5, 0 }, { 200, -5 }, { 0.5, 0 },
    { 10, 20 }, { 0.5, 0 }, { 12, -20 }, { 0.5, 0 }, { 3, 5 }, { 0.5, 0 },
};
#define ENC_LEGS (sizeof enc_legs / sizeof enc_legs[0])

static double enc_angle(double t)
{
    double a = 0.3; /* start off zero, not on a code boundary */
    for (size_t i = 0; i < ENC_LEGS; i++) {
        double d = t < enc_legs[i].dur_s ? t : enc_legs[i].dur_s;
        a += TWO_PI * enc_legs[i].rev_s * d;
        t -= d;
        if (t <= 0)
            break;
    }
    return a;
}

static void model_encoder(void *ctx, double t, struct rs_emu_phys *p)
{
    (void)ctx;
    memset(p, 0, sizeof *p);
    p->force_n[0] = p->force_n[1] = 100;
    p->angle_rad = enc_angle(t);
    p->hx_ok[0] = p->hx_ok[1] = 1;
    p->magnet_ok = 1;
}

static int test_encoder(void)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_encoder, NULL }, NULL, 0);
    int64_t ref = rs_emu_angle_count(enc_angle(0));
    double t_end = 0;
    for (size_t i = 0; i < ENC_LEGS; i++)
        t_end += enc_legs[i].dur_s;
    sim_run_us(s, (uint64_t)(t_end * 1e6) + 200000);

    /* Each frame's count is the encoder's latest reading at the frame's
     * conversion: the angle at most 3.1 ms before it (1 ms encoder period,
     * one frame of reply latency, one more when the slot went to the
     * diagnostics read, and the 0.1 ms the frame takes). So the count must
     * lie between the model's counts at t_conv - 3.1 ms and t_conv; at rest
     * that is an exact comparison. */
    size_t n = 0, bad = 0, exact = 0, kl = 0;
    double worst_ms = 0;
    for (size_t i = 0; i < s->nframes; i++) {
        if (s->frames[i].f.type != RS_FT_SAMPLE)
            continue;
        while (kl + 1 < s->nconv[0] && s->conv[0][kl + 1].cycle <= s->frames[i].cycle)
            kl++;
        double t = (double)s->conv[0][kl].cycle / 16e6;
        if (t < 0.3)
            continue;
        int64_t a = rs_emu_angle_count(enc_angle(t - 0.0031)) - ref;
        int64_t b = rs_emu_angle_count(enc_angle(t)) - ref;
        int64_t lo = a < b ? a : b, hi = a < b ? b : a;
        int64_t got = s->frames[i].f.u.sample.enc;
        if (got < lo || got > hi) {
            if (bad++ < 5)
                fprintf(stderr, "t=%.4f enc %lld, model %lld..%lld\n", t, (long long)got, (long long)lo,
                        (long long)hi);
        }
        if (a == b)
            exact++;
        else if (got != b) {
            /* age of the reading, from the model's speed */
            double age = fabs((double)(b - got)) / fabs((double)(b - a)) * 3.1;
            if (age > worst_ms)
                worst_ms = age;
        }
        n++;
    }
    double enc_hz = (double)s->emu.enc.angle_reads / sim_t(s);
    printf("encoder: %zu frames, %zu at rest (exact), oldest reading while moving %.2f ms, %.0f angle reads/s\n", n,
           exact, worst_ms, enc_hz);
    SIM_CHECK(enc_hz >= 500, "encoder sampled at %.0f Hz", enc_hz);
    /* The encoder is switched on at start-up (ENC_PWR) and gets its
     * power-up time before the first frame. */
    SIM_CHECK(s->emu.enc.powered, "encoder supply off while streaming");
    SIM_CHECK(s->emu.enc.early_frames == 0, "%llu encoder frames before its power-up time",
              (unsigned long long)s->emu.enc.early_frames);
    SIM_CHECK(bad == 0, "%zu frames off the model", bad);
    SIM_CHECK(exact > 200, "only %zu frames at rest", exact);
    /* Peak count: 1000 revolutions forward. */
    int32_t peak = INT32_MIN;
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].f.type == RS_FT_SAMPLE && s->frames[i].f.u.sample.enc > peak)
            peak = s->frames[i].f.u.sample.enc;
    SIM_CHECK(peak == 1000 * 16384, "peak %d, want %d", peak, 1000 * 16384);
    uint16_t st_or = 0;
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].f.type == RS_FT_SAMPLE)
            st_or |= s->frames[i].f.u.sample.status;
    SIM_CHECK((st_or & (RS_ST_MAGNET | RS_ST_ENC_PARITY | RS_ST_ENC_ERROR)) == 0, "encoder status 0x%x", st_or);
    sim_free(s);
    free(s);
    return 0;
}

/* ---- faults: unplugged / stuck HX711, magnet removed ------------------------------------ */

enum fault_kind { F_HXL, F_HXR, F_HXL_STUCK, F_MAGNET, F_BOTH };
struct fault_event {
    double on_s, off_s;
    int kind;
    uint16_t bit;   /* status bit expected */
    const char *what;
};
static const struct fault_event fault_events[] = {
    { 2.0, 3.0, F_HXL, RS_ST_HX_LEFT, "left HX711 unplugged" },
    { 4.003, 5.0, F_HXR, RS_ST_HX_RIGHT, "right HX711 unplugged" },
    { 6.0071, 7.0, F_MAGNET, RS_ST_MAGNET, "magnet removed" },
    { 8.0, 9.0, F_HXL_STUCK, RS_ST_HX_LEFT, "left HX711 stuck low" },
    { 10.0, 11.0, F_BOTH, RS_ST_HX_LEFT | RS_ST_HX_RIGHT, "both HX711 unplugged" },
    { 12.011, 12.6, F_MAGNET, RS_ST_MAGNET, "magnet removed again" },
};
#define FAULT_EVENTS (sizeof fault_events / sizeof fault_events[0])

static void model_faults(void *ctx, double t, struct rs_emu_phys *p)
{
    model_rolling(ctx, t, p);
    for (size_t i = 0; i < FAULT_EVENTS; i++) {
        const struct fault_event *e = &fault_events[i];
        if (t < e->on_s || t >= e->off_s)
            continue;
        switch (e->kind) {
        case F_HXL: p->hx_ok[0] = 0; break;
        case F_HXR: p->hx_ok[1] = 0; break;
        case F_HXL_STUCK: p->hx_stuck[0] = 1; break;
        case F_MAGNET: p->magnet_ok = 0; break;
        case F_BOTH: p->hx_ok[0] = p->hx_ok[1] = 0; break;
        }
    }
}

static int test_faults(void)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_faults, NULL }, NULL, 0);
    sim_run_us(s, 13000000);
    /* Encoder faults from the emulator's knobs: five replies with bad
     * parity, then 300 ms without an encoder on the bus (MISO high). */
    size_t enc_from = s->nframes;
    s->emu.enc.corrupt = 5;
    sim_run_us(s, 500000);
    size_t absent_from = s->nframes;
    s->emu.enc.absent = 1;
    sim_run_us(s, 300000);
    size_t back_from = s->nframes;
    s->emu.enc.absent = 0;
    sim_run_us(s, 500000);
    uint16_t or_parity = 0, or_absent = 0, last_st = 0;
    int32_t enc_before = 0, enc_during_min = INT32_MAX, enc_during_max = INT32_MIN;
    for (size_t i = enc_from; i < s->nframes; i++) {
        if (s->frames[i].f.type != RS_FT_SAMPLE)
            continue;
        const struct rs_sample *x = &s->frames[i].f.u.sample;
        if (i < absent_from) {
            or_parity |= x->status;
            enc_before = x->enc;
        } else if (i < back_from) {
            or_absent |= x->status;
            if (x->enc < enc_during_min)
                enc_during_min = x->enc;
            if (x->enc > enc_during_max)
                enc_during_max = x->enc;
        }
        last_st = x->status;
    }
    printf("faults: encoder parity errors -> status 0x%x; encoder absent -> status 0x%x, count %d..%d (held at %d)\n",
           or_parity, or_absent, enc_during_min, enc_during_max, enc_before);
    SIM_CHECK(or_parity & RS_ST_ENC_PARITY, "parity errors not reported");
    SIM_CHECK(or_absent & RS_ST_ENC_ERROR, "absent encoder not reported");
    SIM_CHECK(!(last_st & (RS_ST_ENC_ERROR | RS_ST_ENC_PARITY | RS_ST_MAGNET)), "encoder status stuck: 0x%x", last_st);
    for (size_t e = 0; e < FAULT_EVENTS; e++) {
        const struct fault_event *ev = &fault_events[e];
        double set_at = -1, clear_at = -1;
        for (size_t i = 0; i < s->nframes; i++) {
            if (s->frames[i].f.type != RS_FT_SAMPLE)
                continue;
            double t = (double)s->frames[i].cycle / 16e6;
            uint16_t st = s->frames[i].f.u.sample.status;
            if (set_at < 0 && t >= ev->on_s && t < ev->off_s && (st & ev->bit) == ev->bit)
                set_at = t;
            if (clear_at < 0 && t >= ev->off_s && !(st & ev->bit))
                clear_at = t;
        }
        double set_ms = (set_at - ev->on_s) * 1000, clear_ms = (clear_at - ev->off_s) * 1000;
        printf("faults: %-24s set after %6.2f ms, cleared %6.2f ms after reconnection\n", ev->what, set_ms,
               clear_ms);
        SIM_CHECK(set_at >= 0 && set_ms <= 50.0, "%s: status bit after %.2f ms", ev->what, set_ms);
        SIM_CHECK(clear_at >= 0 && clear_ms <= 100.0, "%s: cleared after %.2f ms", ev->what, clear_ms);
    }
    /* The stream never stopped: no sequence gap, no CRC error, no silence
     * longer than the detection time plus one period. */
    struct stream_stats st = check_stream(s, 1, 0);
    printf("faults: %zu samples, longest silence %.2f ms\n", st.samples, st.max_gap_ms);
    SIM_CHECK(st.seq_gaps == 0, "%u sequence gaps", st.seq_gaps);
    SIM_CHECK(st.non_increasing == 0, "%u non-increasing timestamps", st.non_increasing);
    SIM_CHECK(st.max_gap_ms <= 55.0, "stream silent for %.2f ms", st.max_gap_ms);
    SIM_CHECK(s->dec.stats.crc_errors == 0, "%u CRC errors", (unsigned)s->dec.stats.crc_errors);
    /* Fault frames announce each change. */
    unsigned on = 0, off = 0;
    for (size_t i = 0; i < s->nframes; i++)
        if (s->frames[i].f.type == RS_FT_FAULT)
            *(s->frames[i].f.u.fault.active ? &on : &off) += 1;
    SIM_CHECK(on >= FAULT_EVENTS && off >= FAULT_EVENTS, "fault frames: %u on, %u off", on, off);
    sim_free(s);
    free(s);
    return 0;
}

/* ---- eeprom: reset during a calibration save ------------------------------------------------- */

static void model_rest(void *ctx, double t, struct rs_emu_phys *p)
{
    (void)ctx;
    (void)t;
    memset(p, 0, sizeof *p);
    p->force_n[0] = p->force_n[1] = 10;
    p->hx_ok[0] = p->hx_ok[1] = 1;
    p->magnet_ok = 1;
}

static struct rs_cal cal_variant(int n)
{
    struct rs_cal c;
    memset(&c, 0, sizeof c);
    c.offset_left = 12345 * n;
    c.offset_right = -54321 * n;
    c.scale_left = 2000.25f + (float)n;
    c.scale_right = 2300.75f - (float)n;
    c.radius_um = 60000u + 1000u * (uint32_t)n;
    c.enc_dir = n & 1 ? -1 : 1;
    snprintf(c.serial, RS_SERIAL_LEN, "RS-%08d", n);
    return c;
}

static int cal_equal(const struct rs_cal *a, const struct rs_cal *b)
{
    return a->offset_left == b->offset_left && a->offset_right == b->offset_right &&
           !memcmp(&a->scale_left, &b->scale_left, 4) && !memcmp(&a->scale_right, &b->scale_right, 4) &&
           a->radius_um == b->radius_um && a->enc_dir == b->enc_dir && !memcmp(a->serial, b->serial, RS_SERIAL_LEN);
}

/* Boot from `ee`, set and save cal (token 9). Stops at `cut_cycle` (0 = run
 * until the ACK) and returns the EEPROM then; ack_cycle and start_cycle get
 * the save's reply time and the time the command was delivered. */
static void save_run(const uint8_t *ee, const struct rs_cal *cal, uint64_t cut_cycle, uint8_t *out,
                     uint64_t *start_cycle, uint64_t *ack_cycle)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_rest, NULL }, ee, RS_EMU_EEPROM_SIZE);
    sim_run_us(s, 200000);
    struct rs_frame f = { .type = RS_FT_CMD_SET_CAL };
    f.u.cmd.token = 8;
    f.u.cmd.arg.cal = *cal;
    sim_send(s, &f);
    memset(&f, 0, sizeof f);
    f.type = RS_FT_CMD_SAVE_CAL;
    f.u.cmd.token = 9;
    sim_send(s, &f);
    if (start_cycle)
        *start_cycle = rs_emu_cycle(&s->emu);
    if (cut_cycle) {
        if (rs_emu_run_until(&s->emu, cut_cycle) < 0)
            SIM_CHECK(0, "firmware stopped");
    } else {
        long at = sim_wait(s, 0, RS_FT_REPLY, 9, 2000000);
        SIM_CHECK(at >= 0 && s->frames[at].f.u.reply.code == RS_REPLY_ACK, "save not acknowledged");
        if (ack_cycle && at >= 0)
            *ack_cycle = s->frames[at].cycle;
    }
    rs_emu_eeprom_get(&s->emu, out, RS_EMU_EEPROM_SIZE);
    sim_free(s);
    free(s);
}

/* Boot from ee and read the calibration state and block. */
static void read_back(const uint8_t *ee, uint8_t *state, struct rs_cal *cal)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_rest, NULL }, ee, RS_EMU_EEPROM_SIZE);
    sim_run_us(s, 100000);
    struct rs_frame f = { .type = RS_FT_CMD_GET_INFO };
    f.u.cmd.token = 1;
    size_t from = s->nframes;
    sim_send(s, &f);
    long i = sim_wait(s, from, RS_FT_INFO, -1, 100000);
    *state = i >= 0 ? s->frames[i].f.u.info.cal_state : 0xff;
    f.type = RS_FT_CMD_GET_CAL;
    f.u.cmd.token = 2;
    from = s->nframes;
    sim_send(s, &f);
    i = sim_wait(s, from, RS_FT_CAL, -1, 100000);
    if (i >= 0)
        *cal = s->frames[i].f.u.cal;
    else
        memset(cal, 0, sizeof *cal);
    sim_free(s);
    free(s);
}

static int test_eeprom(void)
{
    static uint8_t blank[RS_EMU_EEPROM_SIZE], ee_old[RS_EMU_EEPROM_SIZE], ee_cut[RS_EMU_EEPROM_SIZE],
        ee_new[RS_EMU_EEPROM_SIZE];
    memset(blank, 0xff, sizeof blank);
    struct rs_cal a = cal_variant(1), b = cal_variant(2), got;
    uint8_t state;

    /* Old block A in place (and verify it reads back). */
    save_run(blank, &a, 0, ee_old, NULL, NULL);
    read_back(ee_old, &state, &got);
    SIM_CHECK(state == RS_CAL_OK && cal_equal(&got, &a), "block A not stored (state %u)", state);

    /* The save of B without interruption: its window. */
    uint64_t start = 0, ack = 0;
    save_run(ee_old, &b, 0, ee_new, &start, &ack);
    read_back(ee_new, &state, &got);
    SIM_CHECK(state == RS_CAL_OK && cal_equal(&got, &b), "block B not stored (state %u)", state);
    printf("eeprom: save window %.2f ms\n", (double)(ack - start) / 16000.0);
    if (ack <= start) {
        SIM_CHECK(0, "no save window to cut into");
        return 0;
    }

    /* 50 reset instants spread over the window (the emulation is
     * deterministic, so each run repeats the same save up to its cut). */
    int olds = 0, news = 0, bad = 0;
    for (int k = 0; k < 50; k++) {
        uint64_t cut = start + (ack - start) * (uint64_t)k / 49u + (uint64_t)(k % 7) * 3u;
        save_run(ee_old, &b, cut, ee_cut, NULL, NULL);
        read_back(ee_cut, &state, &got);
        int is_a = cal_equal(&got, &a), is_b = cal_equal(&got, &b);
        if (state != RS_CAL_OK || !(is_a || is_b)) {
            bad++;
            fprintf(stderr, "reset at +%.3f ms: state %u, block is %s\n", (double)(cut - start) / 16000.0, state,
                    is_a ? "old" : is_b ? "new" : "garbage");
        }
        olds += is_a;
        news += is_b;
    }
    printf("eeprom: 50 resets during the save: %d old block, %d new block, %d bad\n", olds, news, bad);
    SIM_CHECK(bad == 0, "%d resets left no valid block", bad);
    SIM_CHECK(olds > 0 && news > 0, "the cuts did not span the save (%d old, %d new)", olds, news);

    /* Both slots corrupted: reported in the info frame, defaults used. */
    memcpy(ee_cut, ee_new, sizeof ee_cut);
    ee_cut[5] ^= 0xff;
    ee_cut[64 + 5] ^= 0xff;
    read_back(ee_cut, &state, &got);
    SIM_CHECK(state == RS_CAL_CORRUPT, "corrupt EEPROM reported as state %u", state);
    SIM_CHECK(got.radius_um == RS_DEFAULT_RADIUS_UM && got.enc_dir == 1, "defaults not in use");
    return 0;
}

/* ---- commands: 10,000 random and malformed frames ---------------------------------------- */

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

enum cmd_case {
    C_GET_INFO, C_GET_CAL, C_START, C_SET_CAL_OK, C_SET_CAL_BAD, C_IDENTIFY, C_RESET_BAD, C_SAVE,
    C_UNKNOWN, C_SHORT, C_BAD_CRC, C_BAD_VERSION, C_GARBAGE, C_TRUNCATED, C_OVERSIZE, C_DEVICE_TYPE,
    C_COUNT
};

static const char *const case_names[C_COUNT] = {
    "get_info", "get_cal", "start", "set_cal", "set_cal(bad arg)", "identify", "reset(bad mode)", "save_cal",
    "unknown type", "short body", "bad crc", "bad version", "garbage", "truncated", "oversize", "device type",
};

/* Build case `c` into wire bytes. Returns the byte count; *expect_code is
 * the reply code expected (-1: no reply), *cmd the frame type. */
static size_t build_case(int c, uint8_t token, uint8_t *wire, int *expect_code, uint8_t *cmd)
{
    struct rs_frame f;
    memset(&f, 0, sizeof f);
    f.u.cmd.token = token;
    *expect_code = RS_REPLY_ACK;
    uint8_t raw[RS_FRAME_MAX];
    size_t n;
    switch (c) {
    case C_GET_INFO: f.type = RS_FT_CMD_GET_INFO; break;
    case C_GET_CAL: f.type = RS_FT_CMD_GET_CAL; break;
    case C_START: f.type = RS_FT_CMD_START; break;
    case C_SAVE: f.type = RS_FT_CMD_SAVE_CAL; break;
    case C_SET_CAL_OK:
    case C_SET_CAL_BAD:
        f.type = RS_FT_CMD_SET_CAL;
        f.u.cmd.arg.cal = cal_variant((int)(rnd() % 100));
        if (c == C_SET_CAL_BAD) {
            switch (rnd() % 3) {
            case 0: f.u.cmd.arg.cal.enc_dir = 0; break;
            case 1: f.u.cmd.arg.cal.radius_um = 0; break;
            default: f.u.cmd.arg.cal.scale_left = (rnd() & 1) ? 0.0f : -1.5f; break;
            }
            *expect_code = RS_NAK_ARG;
        }
        break;
    case C_IDENTIFY:
        f.type = RS_FT_CMD_IDENTIFY;
        f.u.cmd.arg.identify_s = (uint8_t)(rnd() % 4);
        break;
    case C_RESET_BAD:
        f.type = RS_FT_CMD_RESET;
        f.u.cmd.arg.reset_mode = (uint8_t)(2 + rnd() % 250);
        *expect_code = RS_NAK_ARG;
        break;
    case C_UNKNOWN:
        raw[0] = 1;
        raw[1] = (uint8_t)(0x88 + rnd() % 0x78);
        raw[2] = token;
        n = 3 + rnd() % 20;
        for (size_t i = 3; i < n; i++)
            raw[i] = (uint8_t)rnd();
        *cmd = raw[1];
        *expect_code = RS_NAK_UNKNOWN;
        return rs_wire_wrap(raw, n, wire);
    case C_SHORT: {
        static const uint8_t types[] = { RS_FT_CMD_SET_CAL, RS_FT_CMD_IDENTIFY, RS_FT_CMD_RESET };
        raw[0] = 1;
        raw[1] = types[rnd() % 3];
        raw[2] = token;
        n = raw[1] == RS_FT_CMD_SET_CAL ? 3 + rnd() % 30 : 3;
        for (size_t i = 3; i < n; i++)
            raw[i] = (uint8_t)rnd();
        *cmd = raw[1];
        *expect_code = RS_NAK_LENGTH;
        return rs_wire_wrap(raw, n, wire);
    }
    case C_DEVICE_TYPE:
        raw[0] = 1;
        raw[1] = (uint8_t)(1 + rnd() % 5);
        for (size_t i = 2; i < 40; i++)
            raw[i] = (uint8_t)rnd();
        *expect_code = -1;
        return rs_wire_wrap(raw, 40, wire);
    case C_BAD_CRC:
    case C_BAD_VERSION:
    case C_TRUNCATED: {
        f.type = RS_FT_CMD_GET_INFO;
        if (c == C_BAD_VERSION) {
            raw[0] = (uint8_t)(2 + rnd() % 200);
            raw[1] = RS_FT_CMD_GET_INFO;
            raw[2] = token;
            n = rs_wire_wrap(raw, 3, wire);
        } else {
            n = rs_frame_encode(&f, wire);
        }
        if (c == C_BAD_CRC) {
            size_t at = 1 + rnd() % (n - 2); /* a payload or CRC byte */
            uint8_t x = (uint8_t)(1u << (rnd() % 8));
            if (wire[at] == x)
                x = (uint8_t)(x ^ 0x81u);
            wire[at] ^= x;
        }
        if (c == C_TRUNCATED) {
            n = 1 + rnd() % (n - 2);
            wire[n++] = 0;
        }
        *expect_code = -1;
        return n;
    }
    case C_GARBAGE:
        n = 1 + rnd() % 60;
        for (size_t i = 0; i < n; i++)
            wire[i] = (uint8_t)(rnd() | 1u);
        wire[n++] = 0;
        *expect_code = -1;
        return n;
    case C_OVERSIZE:
        n = RS_WIRE_MAX + rnd() % 100;
        for (size_t i = 0; i < n; i++)
            wire[i] = (uint8_t)(rnd() | 1u);
        wire[n++] = 0;
        *expect_code = -1;
        return n;
    }
    *cmd = f.type;
    return rs_frame_encode(&f, wire);
}

static int test_commands(void)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_rolling, NULL }, NULL, 0);
    sim_run_us(s, 300000);
    size_t stream_from = s->nframes;
    unsigned counts[C_COUNT] = { 0 }, wrong = 0, missing = 0, unexpected = 0;
    int save_pending = -1; /* token of an unanswered SAVE_CAL */
    size_t save_from = 0;
    static uint8_t wire[400];
    int prev_c = 0;
    for (int i = 0; i < 10000; i++) {
        int c = (int)(rnd() % C_COUNT);
        if (c == C_SAVE && (save_pending >= 0 || rnd() % 20))
            c = C_GET_INFO; /* saves are slow (EEPROM): a few only */
        uint8_t token = (uint8_t)i, cmd = 0;
        int code;
        size_t n = build_case(c, token, wire, &code, &cmd);
        counts[c]++;
        int this_prev = prev_c;
        prev_c = c;
        (void)this_prev;
        size_t from = s->nframes;
        sim_send_bytes(s, wire, n);
        if (c == C_SAVE) {
            save_pending = token;
            save_from = from;
            continue;
        }
        if (code >= 0) {
            long at = sim_wait(s, from, RS_FT_REPLY, -1, 20000);
            if (at < 0) {
                if (missing++ < 5)
                    fprintf(stderr, "case %d (%s, after %s): no reply\n", i, case_names[c], case_names[this_prev]);
                continue;
            }
            const struct rs_reply *r = &s->frames[at].f.u.reply;
            if (save_pending >= 0 && r->token == (uint8_t)save_pending && r->cmd == RS_FT_CMD_SAVE_CAL) {
                save_pending = -1;
                at = sim_wait(s, (size_t)at + 1, RS_FT_REPLY, -1, 20000);
                if (at < 0) {
                    missing++;
                    continue;
                }
                r = &s->frames[at].f.u.reply;
            }
            if (r->token != token || r->cmd != cmd || r->code != (uint8_t)code) {
                if (wrong++ < 5)
                    fprintf(stderr, "case %d (%s): reply token %u cmd 0x%02x code %u, want %u 0x%02x %d\n", i,
                            case_names[c], r->token, r->cmd, r->code, token, cmd, code);
            }
        } else {
            sim_run_us(s, 3000);
            for (size_t k = from; k < s->nframes; k++) {
                const struct rs_frame *f = &s->frames[k].f;
                if (f->type != RS_FT_REPLY)
                    continue;
                if (save_pending >= 0 && f->u.reply.token == (uint8_t)save_pending &&
                    f->u.reply.cmd == RS_FT_CMD_SAVE_CAL) {
                    save_pending = -1;
                    continue;
                }
                if (unexpected++ < 5)
                    fprintf(stderr, "case %d (%s): unexpected reply token %u cmd 0x%02x code %u\n", i,
                            case_names[c], f->u.reply.token, f->u.reply.cmd, f->u.reply.code);
            }
        }
    }
    sim_run_us(s, 500000);
    if (save_pending >= 0) {
        long at = sim_wait(s, save_from, RS_FT_REPLY, save_pending, 0);
        if (at >= 0 && s->frames[at].f.u.reply.cmd == RS_FT_CMD_SAVE_CAL &&
            s->frames[at].f.u.reply.code == RS_REPLY_ACK)
            save_pending = -1;
    }
    struct stream_stats st = check_stream(s, stream_from, 0);
    printf("commands: 10000 frames in %.1f simulated s:", sim_t(s));
    for (int c = 0; c < C_COUNT; c++)
        printf(" %s %u,", case_names[c], counts[c]);
    printf("\ncommands: %u wrong, %u missing, %u unexpected replies; stream %zu samples, longest gap %.2f ms\n",
           wrong, missing, unexpected, st.samples, st.max_gap_ms);
    SIM_CHECK(wrong == 0 && missing == 0 && unexpected == 0, "replies: %u wrong, %u missing, %u unexpected", wrong,
              missing, unexpected);
    SIM_CHECK(save_pending < 0, "a save was never answered");
    SIM_CHECK(st.seq_gaps == 0, "%u sequence gaps", st.seq_gaps);
    /* 12.5 ms plus at most one full transmit ring (1.4 ms) of answers ahead. */
    SIM_CHECK(st.max_gap_ms <= 14.5, "stream interrupted for %.2f ms", st.max_gap_ms);
    SIM_CHECK(st.non_increasing == 0, "%u non-increasing timestamps", st.non_increasing);
    SIM_CHECK(s->dec.stats.crc_errors == 0 && s->dec.stats.framing_errors == 0, "device stream damaged");
    sim_free(s);
    free(s);
    return 0;
}

/* ---- reset: the RESET command restarts through the watchdog ------------------------------ */

static int test_reset(void)
{
    struct sim *s = calloc(1, sizeof *s);
    sim_boot(s, (struct rs_emu_model){ model_rolling, NULL }, NULL, 0);
    sim_run_us(s, 500000);
    struct rs_frame f = { .type = RS_FT_CMD_RESET };
    f.u.cmd.token = 0x31;
    f.u.cmd.arg.reset_mode = 0;
    size_t from = s->nframes;
    sim_send(s, &f);
    long ack = sim_wait(s, from, RS_FT_REPLY, 0x31, 20000);
    SIM_CHECK(ack >= 0 && s->frames[ack].f.u.reply.code == RS_REPLY_ACK, "RESET not acknowledged");
    long info = ack >= 0 ? sim_wait(s, (size_t)ack, RS_FT_INFO, -1, 300000) : -1;
    SIM_CHECK(info >= 0, "no start-up info frame after RESET");
    if (info >= 0) {
        double dt = (double)(s->frames[info].cycle - s->frames[ack].cycle) / 16000.0;
        printf("reset: restarted %.2f ms after the ACK\n", dt);
        SIM_CHECK(dt < 100, "restart took %.2f ms", dt);
        long smp = sim_wait(s, (size_t)info, RS_FT_SAMPLE, -1, 100000);
        SIM_CHECK(smp >= 0, "no samples after the restart");
        if (smp >= 0) {
            SIM_CHECK(s->frames[smp].f.u.sample.seq == 0, "seq %u after restart", s->frames[smp].f.u.sample.seq);
            SIM_CHECK(s->frames[smp].f.u.sample.status & RS_ST_WDT_RESET, "watchdog reset not flagged");
        }
    }
    sim_free(s);
    free(s);
    return 0;
}

/* ---- main ------------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } tests[] = {
        { "stream", test_stream }, { "values", test_values }, { "encoder", test_encoder },
        { "faults", test_faults }, { "eeprom", test_eeprom }, { "commands", test_commands },
        { "reset", test_reset },
    };
    if (argc != 2) {
        fprintf(stderr, "usage: sim_firmware stream|values|encoder|faults|eeprom|commands|reset\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        if (!strcmp(argv[1], tests[i].name)) {
            tests[i].fn();
            if (sim_failures)
                fprintf(stderr, "%s: %d check(s) failed\n", argv[1], sim_failures);
            return sim_failures ? 1 : 0;
        }
    }
    fprintf(stderr, "sim_firmware: unknown test '%s'\n", argv[1]);
    return 2;
}
