/*
 * test_pipeline.c - the pipeline's parts in isolation, as tables of cases:
 * calibration and leg, time unwrap, sequence gaps, host gaps, duplicates,
 * speed and direction, auto-zero bounds, setters, faults, event JSON.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rs_defaults.h"
#include "rs_pipeline.h"

#define SCALE RS_DEFAULT_SCALE_COUNTS_PER_N
static struct rs_pipeline P;
static struct rs_events EV;

static struct rs_sample mk(uint32_t seq, uint32_t t_us, double left_n, double right_n,
                           int32_t enc)
{
    return (struct rs_sample){ .seq = seq, .t_us = t_us, .left = (int32_t)lround(left_n * SCALE),
                               .right = (int32_t)lround(right_n * SCALE), .enc = enc };
}

static int count(enum rs_event_type t)
{
    int n = 0;
    for (size_t i = 0; i < EV.n; i++)
        n += EV.ev[i].type == t;
    return n;
}

static const struct rs_event *find(enum rs_event_type t)
{
    for (size_t i = 0; i < EV.n; i++)
        if (EV.ev[i].type == t)
            return &EV.ev[i];
    return NULL;
}

struct cal_case {
    double left_n, right_n;   /* applied */
    int32_t off_l, off_r;     /* calibration offsets */
    double scale;             /* counts/N in the calibration (raw uses the same) */
    double want_x_mm;
    enum rs_leg want_leg;
};

static const struct cal_case cal_cases[] = {
    { 150, 150, 0, 0, SCALE, 0, RS_LEG_UNCERTAIN },
    { 100, 200, 0, 0, SCALE, 380.0 / 6, RS_LEG_RIGHT },
    { 200, 100, 0, 0, SCALE, -380.0 / 6, RS_LEG_LEFT },
    { 300 * (0.5 - 31.0 / 380), 300 * (0.5 + 31.0 / 380), 5000, -7000, SCALE, 31, RS_LEG_RIGHT },
    { 300 * (0.5 + 31.0 / 380), 300 * (0.5 - 31.0 / 380), 0, 0, 1000, -31, RS_LEG_LEFT },
    { 300 * (0.5 - 15.0 / 380), 300 * (0.5 + 15.0 / 380), 0, 0, SCALE, 15, RS_LEG_UNCERTAIN },
    { 10, 5, 0, 0, SCALE, 0, RS_LEG_UNCERTAIN }, /* below contact: no position */
};

static void test_calibration_and_leg(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cal_cases / sizeof cal_cases[0]; i++) {
        const struct cal_case *c = &cal_cases[i];
        struct rs_calib cal;
        rs_calib_defaults(&cal);
        cal.offset_left = c->off_l;
        cal.offset_right = c->off_r;
        cal.scale_left = cal.scale_right = c->scale;
        cal.calibrated = true;
        rs_pipeline_init(&P, NULL, &cal, NULL);
        struct rs_sample s = {
            .seq = 1, .t_us = 0,
            .left = c->off_l + (int32_t)lround(c->left_n * c->scale),
            .right = c->off_r + (int32_t)lround(c->right_n * c->scale),
        };
        rs_events_clear(&EV);
        rs_pipeline_push(&P, &s, &EV);
        const struct rs_live *L = rs_pipeline_live(&P);
        assert_true(fabs(L->left_n - c->left_n) < 0.01);
        assert_true(fabs(L->right_n - c->right_n) < 0.01);
        assert_true(fabs(L->force_n - (c->left_n + c->right_n)) < 0.02);
        assert_true(fabs(L->bw_pct - L->force_n / (70 * 9.80665) * 100) < 1e-6);
        if (fabs(L->x_mm - c->want_x_mm) > 0.05 || L->leg != c->want_leg)
            fail_msg("case %zu: x %.2f leg %d, want %.2f %d", i, L->x_mm, L->leg, c->want_x_mm,
                     c->want_leg);
        assert_true(L->calibrated);
    }
}

static void test_calib_from_cal(void **state)
{
    (void)state;
    struct rs_calib c;
    struct rs_cal ok = { .offset_left = 10, .offset_right = -10, .scale_left = 2000,
                         .scale_right = 2100, .radius_um = 68000, .enc_dir = -1 };
    rs_calib_from_cal(&c, &ok, true);
    assert_true(c.calibrated && c.enc_dir == -1 && c.radius_um == 68000 && c.scale_right == 2100);
    struct rs_cal bad = ok;
    bad.scale_left = 0;
    rs_calib_from_cal(&c, &bad, true);
    assert_false(c.calibrated);
    assert_true(c.scale_left == RS_DEFAULT_SCALE_COUNTS_PER_N);
    bad = ok;
    bad.radius_um = 0;
    rs_calib_from_cal(&c, &bad, true);
    assert_false(c.calibrated);
    assert_true(c.radius_um == RS_DEFAULT_RADIUS_UM);
    rs_calib_from_cal(&c, &ok, false);
    assert_false(c.calibrated);
    rs_calib_defaults(&c);
    assert_false(c.calibrated);
    assert_true(c.scale_left == 2189.8f && c.radius_um == 70000);
}

/* 32-bit device clock wrap: time keeps counting up. */
static void test_time_wrap(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    uint32_t t = 0xFFFFFFFFu - 30000u;
    for (uint32_t i = 0; i < 10; i++) {
        struct rs_sample s = mk(i, t + i * 12500u, 0, 0, 0);
        rs_events_clear(&EV);
        rs_pipeline_push(&P, &s, &EV);
        assert_true(fabs(rs_pipeline_live(&P)->t - i * 0.0125) < 1e-9);
        assert_int_equal(count(RS_EV_GAP), 0);
    }
}

struct gap_case {
    uint32_t dseq;        /* sequence step at frame 5 */
    uint32_t dt_us;       /* time step at frame 5 */
    int want_gap_events;
    uint32_t want_lost;
    bool want_bridged;
    int want_source;
};

static const struct gap_case gap_cases[] = {
    { 1, 12500, 0, 0, false, 0 },
    { 2, 25000, 1, 1, true, RS_GAP_SEQUENCE },
    { 4, 50000, 1, 3, true, RS_GAP_SEQUENCE },
    { 40, 500000, 1, 39, true, RS_GAP_SEQUENCE },
    /* The limit: gap_bridge_ms (1 s) of lost time = the step minus one
     * period, with 0.5 ms of slack for clock jitter. */
    { 81, 1012500, 1, 80, true, RS_GAP_SEQUENCE },
    { 81, 1013000, 1, 80, true, RS_GAP_SEQUENCE },
    { 81, 1013100, 1, 80, false, RS_GAP_SEQUENCE },
    { 200, 2500000, 1, 199, false, RS_GAP_SEQUENCE },
    { 0xFFFFFFF0u, 12500, 1, 0, false, RS_GAP_DEVICE_RESET }, /* sequence went back */
};

static void test_sequence_gaps(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof gap_cases / sizeof gap_cases[0]; c++) {
        const struct gap_case *g = &gap_cases[c];
        rs_pipeline_init(&P, NULL, NULL, NULL);
        uint32_t seq = 100, t = 1000;
        int gaps = 0;
        const struct rs_event *ge = NULL;
        for (int i = 0; i < 8; i++) {
            if (i == 5) {
                seq += g->dseq;
                t += g->dt_us;
            } else if (i > 0) {
                seq += 1;
                t += 12500;
            }
            struct rs_sample s = mk(seq, t, 0, 0, 0);
            rs_events_clear(&EV);
            rs_pipeline_push(&P, &s, &EV);
            gaps += count(RS_EV_GAP);
            if (find(RS_EV_GAP))
                ge = find(RS_EV_GAP);
            if (ge && ge->u.gap.source == RS_GAP_SEQUENCE) {
                /* Stamped at the sample that revealed the gap. */
                assert_true(fabs(ge->t - rs_pipeline_live(&P)->t) < 1e-9);
                assert_true(fabs(ge->t - (4 * 12500 + g->dt_us) / 1e6) < 1e-9);
            }
            if (ge) {
                assert_int_equal(ge->u.gap.lost, g->want_lost);
                assert_int_equal(ge->u.gap.bridged, g->want_bridged);
                assert_int_equal(ge->u.gap.source, g->want_source);
                ge = NULL;
            }
        }
        assert_int_equal(gaps, g->want_gap_events);
        assert_int_equal(rs_pipeline_live(&P)->lost, g->want_lost);
        /* The time without frames: the step minus one period. */
        struct rs_summary sum;
        rs_pipeline_summary(&P, &sum);
        double want_s = g->want_source == RS_GAP_SEQUENCE && g->dseq > 1
                            ? (g->dt_us - 12500) / 1e6 : 0;
        assert_true(fabs(sum.lost_s - want_s) < 1e-9);
        assert_int_equal(rs_pipeline_live(&P)->gaps, (uint32_t)g->want_gap_events);
        assert_int_equal(rs_pipeline_live(&P)->frames, 8);
    }
    /* A duplicate frame is ignored. */
    rs_pipeline_init(&P, NULL, NULL, NULL);
    struct rs_sample s = mk(1, 0, 0, 0, 0);
    rs_pipeline_push(&P, &s, &EV);
    rs_pipeline_push(&P, &s, &EV);
    assert_int_equal(rs_pipeline_live(&P)->frames, 1);
}

/* Push a still, loaded spot for `seconds` starting at frame *k. */
static void push_still(double seconds, uint32_t *k, double left, double right, int32_t enc)
{
    for (int i = 0; i < (int)(seconds * 80); i++, (*k)++) {
        struct rs_sample s = mk(*k, *k * 12500u, left, right, enc);
        rs_pipeline_push(&P, &s, &EV);
    }
}

/* A fresh pipeline, 1 s off the roller, then 6 s still at 300 N (right
 * leg): a running hold. Returns its hold_start event (in EV). */
static const struct rs_event *hold_at_300(uint32_t *k)
{
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    *k = 0;
    push_still(1, k, 0, 0, 1000);
    push_still(6, k, 50, 250, 1000);
    const struct rs_event *hs = find(RS_EV_HOLD_START);
    assert_non_null(hs);
    assert_true(rs_pipeline_live(&P)->hold.active);
    return hs;
}

struct bridge_case {
    uint32_t lost;        /* frames lost in the hold */
    int32_t enc_after;    /* encoder after the gap (1000 = same spot) */
    double force_after;   /* right side N after the gap */
    bool want_kept;
};

/* 1 cm of surface travel in encoder counts at the nominal 70 mm radius. */
#define ENC_PER_CM (16384.0 / (2 * 3.14159265358979323846 * 7.0))

static const struct bridge_case bridge_cases[] = {
    { 40, 1000, 250, true },                                   /* 0.5 s, same spot */
    { 80, 1000, 250, true },                                   /* 1 s: the limit */
    { 81, 1000, 250, false },                                  /* 1.0125 s */
    { 40, 1000 + (int32_t)(0.9 * ENC_PER_CM), 250, true },     /* moved 0.9 cm: same spot */
    { 40, 1000 + (int32_t)(1.1 * ENC_PER_CM), 250, false },    /* moved 1.1 cm: still_net_cm */
    { 40, 1000, 10, false },                                   /* lifted: 60 N < 5 %BW */
};

/* Frames lost inside a hold: bridged up to gap_bridge_ms on the same spot
 * under load (the hold goes on, lost_s counts it), else the hold ends at the
 * last sample before the gap. */
static void test_gap_bridges_hold(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof bridge_cases / sizeof bridge_cases[0]; c++) {
        const struct bridge_case *b = &bridge_cases[c];
        rs_pipeline_init(&P, NULL, NULL, NULL);
        rs_events_clear(&EV);
        uint32_t k = 0;
        push_still(6, &k, 50, 250, 1000);
        assert_true(rs_pipeline_live(&P)->hold.active);
        double last_t = (k - 1) * 0.0125;
        k += b->lost;
        rs_events_clear(&EV);
        push_still(1.0 / 80, &k, b->force_after > 100 ? 50 : 0, b->force_after, b->enc_after);
        const struct rs_event *g = find(RS_EV_GAP);
        assert_non_null(g);
        assert_int_equal(g->u.gap.bridged, b->want_kept);
        const struct rs_event *e = find(RS_EV_HOLD_END);
        if (b->want_kept) {
            assert_null(e);
            rs_pipeline_finish(&P, &EV);
            e = find(RS_EV_HOLD_END);
            assert_non_null(e);
            assert_true(fabs(e->u.hold.lost_s - b->lost * 0.0125) < 1e-9);
            struct rs_summary sum;
            rs_pipeline_summary(&P, &sum);
            assert_true(fabs(sum.hold_lost_s - b->lost * 0.0125) < 1e-9);
        } else {
            assert_non_null(e);
            assert_int_equal(e->u.hold.reason, RS_END_GAP);
            assert_true(fabs(e->u.hold.end_t - last_t) < 1e-9);
        }
    }
}

/* A hold reached by rolling in: the live state carries the hold's spot
 * (not only its start and leg), away from where contact began. */
static void test_live_hold_spot(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    uint32_t k = 0;
    push_still(1, &k, 0, 0, 1000);
    int32_t to = 1000 + (int32_t)lround(10 * ENC_PER_CM);
    for (int i = 0; i < 160; i++, k++) { /* 10 cm in 2 s under load */
        struct rs_sample s = mk(k, k * 12500u, 50, 250, 1000 + (to - 1000) * i / 160);
        rs_pipeline_push(&P, &s, &EV);
    }
    push_still(6, &k, 50, 250, to);
    const struct rs_event *hs = find(RS_EV_HOLD_START);
    assert_non_null(hs);
    assert_true(fabs(hs->u.hold.pos_cm) > 1.0);
    assert_true(rs_pipeline_live(&P)->hold.active);
    assert_true(fabs(rs_pipeline_live(&P)->hold.pos_cm - hs->u.hold.pos_cm) < 1e-9);
}

/* A press that rises after the roller stopped: the hold starts where the
 * rise began, found by walking back through a slow ramp (1 N a sample, just
 * above the walk's 1 %-of-need step) to the start of the still contact run
 * (contact from force_light_pct, 5 %BW = 34.3 N at the default 70 kg: the
 * 35th ramp sample), not when the force became enough for a hold (about
 * 69 N, half a second later). */
static void test_press_after_stop(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    uint32_t k = 0;
    push_still(3, &k, 0, 0, 1000); /* the roller at rest, nobody on it */
    double contact = (k + 34) * 0.0125;
    for (int i = 1; i <= 300; i++, k++) { /* 0 -> 300 N at 80 N/s */
        struct rs_sample s = mk(k, k * 12500u, i / 6.0, i * 5 / 6.0, 1000);
        rs_pipeline_push(&P, &s, &EV);
    }
    push_still(4, &k, 50, 250, 1000);
    const struct rs_event *hs = find(RS_EV_HOLD_START);
    assert_non_null(hs);
    assert_true(fabs(hs->u.hold.start_t - contact) < 1e-6);
}

/* The live state follows the hold: its last cue, and no running hold once it
 * ended. A dip still under way when the data ends ends the hold as a release
 * at the dip's start, and is not part of its mean force. */
static void test_live_cue_and_open_dip(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    uint32_t k = 0;
    push_still(1, &k, 0, 0, 1000);
    push_still(20, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->hold.cue, 15);
    const struct rs_event *hs = find(RS_EV_HOLD_START);
    assert_non_null(hs);
    double dip_t = k * 0.0125;
    push_still(0.5, &k, 20, 100, 1000); /* a 0.5 s dip to 120 N */
    rs_pipeline_finish(&P, &EV);
    const struct rs_event *e = find(RS_EV_HOLD_END);
    assert_non_null(e);
    assert_false(rs_pipeline_live(&P)->hold.active);
    assert_int_equal(e->u.hold.reason, RS_END_RELEASED);
    assert_true(e->u.hold.end_t <= dip_t + 1e-9 && e->u.hold.end_t > dip_t - 0.15);
    assert_true(fabs(e->u.hold.mean_n - 300) < 0.5);
}

struct hold_end_case {
    double dip_frac;      /* force during the dip, of the hold's mean (300 N) */
    int dip_frames;       /* samples of the dip (80 Hz) */
    double move_cm;       /* encoder travel at the dip's first sample */
    int want_reason;      /* -1: the hold goes on */
};

/* A running hold ends on a dip below hold_dip_frac (0.5) of its mean force
 * lasting more than hold_dip_max_s (1 s: the 82nd dip sample is 1.0125 s
 * after the first), or on moving more than hold_move_end_cm (2 cm) off the
 * spot; a shorter or shallower dip and a smaller shift do not end it. */
static const struct hold_end_case hold_end_cases[] = {
    { 0.49, 80, 0, -1 },                  /* 0.9875 s dip: kept */
    { 0.49, 82, 0, RS_END_RELEASED },     /* 1.0125 s dip: released */
    { 0.51, 200, 0, -1 },                 /* not a dip (above half the mean) */
    { 1.0, 10, 1.9, -1 },                 /* 1.9 cm off the spot: kept */
    { 1.0, 10, 2.1, RS_END_MOVED },       /* 2.1 cm: moved */
};

static void test_hold_end_edges(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof hold_end_cases / sizeof hold_end_cases[0]; c++) {
        const struct hold_end_case *h = &hold_end_cases[c];
        rs_pipeline_init(&P, NULL, NULL, NULL);
        rs_events_clear(&EV);
        uint32_t k = 0;
        push_still(1, &k, 0, 0, 1000); /* off the roller first: the hold starts later */
        push_still(6, &k, 50, 250, 1000);
        assert_true(rs_pipeline_live(&P)->hold.active);
        const struct rs_event *hs = find(RS_EV_HOLD_START);
        assert_non_null(hs);
        assert_true(hs->u.hold.start_t > 0.9);
        /* The live state mirrors the running hold. */
        assert_true(fabs(rs_pipeline_live(&P)->hold.start_t - hs->u.hold.start_t) < 1e-9);
        assert_true(fabs(rs_pipeline_live(&P)->hold.pos_cm - hs->u.hold.pos_cm) < 1e-9);
        assert_int_equal(rs_pipeline_live(&P)->hold.leg, hs->u.hold.leg);
        double dip_t = k * 0.0125;
        rs_events_clear(&EV);
        int32_t enc = 1000 + (int32_t)lround(h->move_cm * ENC_PER_CM);
        for (int i = 0; i < h->dip_frames; i++, k++) {
            struct rs_sample s = mk(k, k * 12500u, 50 * h->dip_frac, 250 * h->dip_frac, enc);
            rs_pipeline_push(&P, &s, &EV);
        }
        const struct rs_event *e = find(RS_EV_HOLD_END);
        if (h->want_reason < 0) {
            assert_null(e);
            assert_true(rs_pipeline_live(&P)->hold.active);
            /* A dip that recovered counts in the hold's figures: the same
             * lateral place (both sides scaled), a lower mean force. */
            push_still(1, &k, 50, 250, enc);
            double x = rs_pipeline_live(&P)->x_mm;
            rs_pipeline_finish(&P, &EV);
            e = find(RS_EV_HOLD_END);
            assert_non_null(e);
            assert_true(fabs(e->u.hold.x_mm - x) < 0.01);
            if (h->dip_frac < 0.5) {
                assert_true(e->u.hold.mean_n < 299);
                assert_true(e->u.hold.mean_n > 250);
            }
        } else {
            assert_non_null(e);
            assert_int_equal(e->u.hold.reason, h->want_reason);
            assert_true(e->u.hold.end_t <= dip_t + 1e-9);
            assert_true(e->u.hold.end_t > dip_t - 0.15);
        }
    }
}

/* A dip (below hold_dip_frac of the mean) under way when something else
 * ends the hold: a fault, a gap too long to bridge. The dip did not end the
 * hold, so its samples are part of the hold's figures: the mean force is
 * that of every sample from the start to the end, the lateral place that
 * of the dip too (both sides scaled: the same place). */
struct dip_end_case {
    int how;              /* 0: fault frame, 1: a 2 s gap */
    int want_reason;
};

static const struct dip_end_case dip_end_cases[] = {
    { 0, RS_END_FAULT },
    { 1, RS_END_GAP },
};

static void test_dip_under_way_at_other_end(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof dip_end_cases / sizeof dip_end_cases[0]; c++) {
        uint32_t k;
        const struct rs_event *hs = hold_at_300(&k);
        double x = rs_pipeline_live(&P)->x_mm;
        /* samples of the hold so far: from its start to now */
        double n_hold = k - lround(hs->u.hold.start_t / 0.0125);
        push_still(0.5, &k, 20, 100, 1000); /* 40 samples at 120 N: a dip */
        rs_events_clear(&EV);
        struct rs_sample s = mk(k, k * 12500u, 50, 250, 1000);
        if (dip_end_cases[c].how == 0)
            s.status = RS_ST_HX_LEFT;
        else
            s = mk(k + 160, (k + 160) * 12500u, 50, 250, 1000);
        rs_pipeline_push(&P, &s, &EV);
        const struct rs_event *e = find(RS_EV_HOLD_END);
        assert_non_null(e);
        assert_int_equal(e->u.hold.reason, dip_end_cases[c].want_reason);
        double want = (300 * n_hold + 120 * 40) / (n_hold + 40);
        if (fabs(e->u.hold.mean_n - want) > 0.05 || fabs(e->u.hold.x_mm - x) > 0.01)
            fail_msg("case %zu: mean %.3f N x %.3f mm, want %.3f N %.3f mm", c,
                     e->u.hold.mean_n, e->u.hold.x_mm, want, x);
    }
}

/* Leaving the spot ends the hold (moved) where the departure began; the
 * samples of the departure (here at 200 N instead of 300 N) are not part of
 * the hold's mean force and lateral place, the last still sample (at the
 * end itself, 360 N 95 mm off centre here) is. */
static void test_departure_not_in_hold(void **state)
{
    (void)state;
    uint32_t k;
    const struct rs_event *hs = hold_at_300(&k);
    double x_hold = rs_pipeline_live(&P)->x_mm;
    push_still(1.0 / 80, &k, 90, 270, 1000); /* 360 N, 95 mm off centre */
    double n_hold = k - lround(hs->u.hold.start_t / 0.0125);
    double want = (300 * (n_hold - 1) + 360) / n_hold;
    double want_x = (x_hold * (n_hold - 1) + 95) / n_hold;
    double leave_t = (k - 1) * 0.0125;
    const struct rs_event *e = NULL;
    for (int i = 1; i <= 160 && !e; i++, k++) { /* 3 cm/s for up to 2 s */
        struct rs_sample s = mk(k, k * 12500u, 100.0 / 3, 500.0 / 3,
                                1000 + (int32_t)lround(i * 3.0 / 80 * ENC_PER_CM));
        rs_events_clear(&EV);
        rs_pipeline_push(&P, &s, &EV);
        e = find(RS_EV_HOLD_END);
    }
    assert_non_null(e);
    assert_int_equal(e->u.hold.reason, RS_END_MOVED);
    if (fabs(e->u.hold.end_t - leave_t) > 1e-9 || fabs(e->u.hold.mean_n - want) > 0.01)
        fail_msg("end %.4f s (left at %.4f s), mean %.3f N (want %.3f)", e->u.hold.end_t,
                 leave_t, e->u.hold.mean_n, want);
    /* The figures in %BW follow the hold to its end (the peak came last). */
    double bw = 70 * 9.80665;
    assert_true(fabs(e->u.hold.peak_n - 360) < 0.01);
    assert_true(fabs(e->u.hold.peak_bw - 360 / bw * 100) < 1e-3);
    assert_true(fabs(e->u.hold.mean_bw - want / bw * 100) < 1e-3);
    assert_true(fabs(e->u.hold.x_mm - want_x) < 1e-3);
}

/* Easing off to a light rest that is still a load (120 N, 0.4 of the hold)
 * ends the hold as a release after hold_dip_max_s; a hold on the rest that
 * follows is a new one, starting at or after that end (not the old hold's
 * stillness carried on). */
static void test_release_to_light_rest(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    uint32_t k = 0;
    int starts = 0, ends = 0;
    double end_t = -1, second_start = -1;
    for (int i = 0; i < 80 * 12; i++, k++) { /* 1 s off, 6 s at 300 N, 5 s at 120 N */
        double f = i < 80 ? 0 : i < 560 ? 1 : 0.4;
        struct rs_sample s = mk(k, k * 12500u, 50 * f, 250 * f, 1000);
        rs_events_clear(&EV);
        rs_pipeline_push(&P, &s, &EV);
        for (size_t j = 0; j < EV.n; j++) {
            if (EV.ev[j].type == RS_EV_HOLD_START && ++starts == 2)
                second_start = EV.ev[j].u.hold.start_t;
            if (EV.ev[j].type == RS_EV_HOLD_END && ++ends == 1) {
                assert_int_equal(EV.ev[j].u.hold.reason, RS_END_RELEASED);
                end_t = EV.ev[j].u.hold.end_t;
            }
        }
    }
    assert_int_equal(ends, 1);
    assert_true(end_t > 6.9 && end_t < 7.05);
    if (starts > 1 && second_start < end_t - 1e-9)
        fail_msg("second hold starts at %.3f s, before the first ended (%.3f s)", second_start,
                 end_t);
}

/* A dip (release) that began before a cue fell due cancels the cue, even
 * though the cue is decided cue_confirm_ms after it fell due while the dip
 * is still short of hold_dip_max_s; a dip that began after the due time
 * leaves the cue, stamped at the due time. */
struct dip_cue_case {
    double dip_at;        /* s after the hold's start */
    double confirm_ms;    /* cue_confirm_ms */
    int want_cues;
};

static const struct dip_cue_case dip_cue_cases[] = {
    { 14.8, 500, 0 },
    { 15.2, 500, 1 },
    /* decided at the due time: one dip sample does not move the 0.25 s mean
     * force below 0.8 of the hold's, the dip itself is the doubt */
    { 15 - 0.0125, 0, 0 },
};

static void test_dip_before_cue(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof dip_cue_cases / sizeof dip_cue_cases[0]; c++) {
        uint32_t k;
        double start = hold_at_300(&k)->u.hold.start_t;
        struct rs_config cfg;
        rs_config_defaults(&cfg);
        cfg.cue_confirm_ms = dip_cue_cases[c].confirm_ms;
        rs_pipeline_set_config(&P, &cfg);
        int cues = 0, ends = 0;
        double cue_t = -1;
        for (int i = 0; i < 80 * 14; i++, k++) {
            bool dip = k * 0.0125 >= start + dip_cue_cases[c].dip_at - 1e-9;
            struct rs_sample s = mk(k, k * 12500u, dip ? 20 : 50, dip ? 100 : 250, 1000);
            rs_events_clear(&EV);
            rs_pipeline_push(&P, &s, &EV);
            cues += count(RS_EV_HOLD_CUE);
            ends += count(RS_EV_HOLD_END);
            if (find(RS_EV_HOLD_CUE))
                cue_t = find(RS_EV_HOLD_CUE)->t;
        }
        assert_int_equal(ends, 1);
        if (cues != dip_cue_cases[c].want_cues)
            fail_msg("case %zu: %d cues, want %d", c, cues, dip_cue_cases[c].want_cues);
        if (cues)
            assert_true(fabs(cue_t - (start + 15)) < 1e-9);
    }
}

/* The last cue (cue_release_s, 90 s) is confirmed during the hold like the
 * others, not only when the hold ends; the summary's longest hold is the
 * hold's duration. */
static void test_last_cue_live(void **state)
{
    (void)state;
    uint32_t k;
    double start = hold_at_300(&k)->u.hold.start_t;
    /* The 15 s cue is decided on the sample at start + 15 + 0.5 s, not one
     * before (samples fall on the 12.5 ms grid, so does the start). */
    push_still(start + 15.5 - k * 0.0125, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->hold.cue, 0);
    push_still(0.0125, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->hold.cue, 15);
    push_still(start + 90.6 - k * 0.0125, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->hold.cue, 90);
    assert_true(rs_pipeline_live(&P)->hold.active);
    rs_events_clear(&EV);
    rs_pipeline_finish(&P, &EV);
    const struct rs_event *e = find(RS_EV_HOLD_END);
    assert_non_null(e);
    assert_int_equal(count(RS_EV_HOLD_CUE), 0);
    struct rs_summary sum;
    rs_pipeline_summary(&P, &sum);
    assert_true(sum.longest_hold_s > 90 && fabs(sum.longest_hold_s - e->u.hold.seconds) < 1e-9);
}

/* The dose advice "enough holds" fires once per leg, at the
 * dose_holds_per_leg-th hold (3), not again at the 4th or 5th. */
static void test_dose_holds_once(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    uint32_t k = 0;
    int doses = 0, holds = 0, at_hold = 0;
    for (int h = 0; h < 5; h++) {
        for (int i = 0; i < 80 * 6; i++, k++) { /* 1.5 s off, 4.5 s on the spot */
            bool on = i >= 120;
            struct rs_sample s = mk(k, k * 12500u, on ? 50 : 0, on ? 250 : 0, 1000);
            rs_events_clear(&EV);
            rs_pipeline_push(&P, &s, &EV);
            holds += count(RS_EV_HOLD_END);
            for (size_t j = 0; j < EV.n; j++)
                if (EV.ev[j].type == RS_EV_DOSE && EV.ev[j].u.dose.kind == RS_DOSE_HOLDS) {
                    doses++;
                    at_hold = holds;
                    assert_int_equal(EV.ev[j].u.dose.leg, RS_LEG_RIGHT);
                }
        }
    }
    assert_int_equal(holds, 4); /* the 5th is still running */
    assert_int_equal(doses, 1);
    assert_int_equal(at_hold, 3);
}

struct knee_case {
    double pos_cm;        /* where the roller goes after entering the zone */
    bool want_active;
};

/* Knee zone: entered at calf - knee_zone_cm (35 cm of a 40 cm calf), left
 * only 0.5 cm below that edge (hysteresis). */
static const struct knee_case knee_cases[] = {
    { 35.2, true }, { 34.8, true }, { 34.55, true }, { 34.45, false }, { 30, false },
};

static void test_knee_hysteresis(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof knee_cases / sizeof knee_cases[0]; c++) {
        rs_pipeline_init(&P, NULL, NULL, NULL);
        rs_events_clear(&EV);
        uint32_t k = 0;
        /* Contact at the Achilles end, roll to 35.5 cm, then to the case. */
        push_still(0.5, &k, 50, 250, 0);
        int32_t enc = 0;
        for (int i = 0; i < 200; i++, k++) {
            enc = (int32_t)lround(35.5 * ENC_PER_CM * (i + 1) / 200.0);
            struct rs_sample s = mk(k, k * 12500u, 50, 250, enc);
            rs_pipeline_push(&P, &s, &EV);
        }
        assert_true(rs_pipeline_live(&P)->knee_zone);
        int32_t to = (int32_t)lround(knee_cases[c].pos_cm * ENC_PER_CM);
        for (int i = 0; i < 40; i++, k++) {
            int32_t e = enc + (int32_t)lround((to - enc) * (i + 1) / 40.0);
            struct rs_sample s = mk(k, k * 12500u, 50, 250, e);
            rs_pipeline_push(&P, &s, &EV);
        }
        assert_true(fabs(rs_pipeline_live(&P)->pos_cm - knee_cases[c].pos_cm) < 0.01);
        assert_int_equal(rs_pipeline_live(&P)->knee_zone, knee_cases[c].want_active);
    }
}

/* The one classifier sits on the configured edges: each edge belongs to
 * the band the docs say, and moving an edge in the config moves it. */
static void test_band_edges(void **state)
{
    (void)state;
    struct rs_config c;
    rs_config_defaults(&c);
    c.still_speed_cm_s = 0.7;
    c.speed_brisk_cm_s = 8;
    c.speed_too_fast_cm_s = 12;
    c.force_light_pct = 4;
    c.force_moderate_pct = 12;
    c.force_typical_pct = 25;
    c.force_high_pct = 40;
    c.force_warn_pct = 55;
    c.force_overload_pct = 75;
    static const struct { double v; enum rs_speed_band b; } sp[] = {
        { 0, RS_SPEED_STILL }, { 0.69, RS_SPEED_STILL }, { 0.7, RS_SPEED_SLOW },
        { -0.7, RS_SPEED_SLOW }, { 7.99, RS_SPEED_SLOW }, { 8, RS_SPEED_BRISK },
        { 12, RS_SPEED_BRISK }, { 12.01, RS_SPEED_TOO_FAST }, { -30, RS_SPEED_TOO_FAST },
    };
    for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i++)
        assert_int_equal(rs_speed_band_of(&c, sp[i].v), sp[i].b);
    static const struct { double bw; enum rs_force_band b; } fo[] = {
        { 3.99, RS_FORCE_NONE }, { 4, RS_FORCE_LIGHT }, { 11.99, RS_FORCE_LIGHT },
        { 12, RS_FORCE_MODERATE }, { 24.99, RS_FORCE_MODERATE }, { 25, RS_FORCE_TYPICAL },
        { 39.99, RS_FORCE_TYPICAL }, { 40, RS_FORCE_HIGH }, { 55, RS_FORCE_HIGH },
        { 55.01, RS_FORCE_NO_BENEFIT }, { 75, RS_FORCE_NO_BENEFIT }, { 75.01, RS_FORCE_OVERLOAD },
    };
    for (size_t i = 0; i < sizeof fo / sizeof fo[0]; i++)
        assert_int_equal(rs_force_band_of(&c, fo[i].bw), fo[i].b);
}

/* A host-marked gap ends a running hold at the last sample and is reported. */
static void test_host_gap_ends_hold(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    uint32_t k = 0;
    push_still(5, &k, 50, 250, 1000);
    assert_int_equal(count(RS_EV_HOLD_START), 1);
    assert_true(rs_pipeline_live(&P)->hold.active);
    rs_events_clear(&EV);
    rs_pipeline_mark_gap(&P, "unplugged", &EV);
    assert_int_equal(count(RS_EV_GAP), 1);
    assert_int_equal(find(RS_EV_GAP)->u.gap.source, RS_GAP_HOST);
    const struct rs_event *e = find(RS_EV_HOLD_END);
    assert_non_null(e);
    assert_int_equal(e->u.hold.reason, RS_END_GAP);
    assert_true(fabs(e->u.hold.end_t - (k - 1) * 0.0125) < 1e-9);
    assert_false(rs_pipeline_live(&P)->hold.active);
    /* Frames after reconnect (seq jumped by 200): no second gap event; lost counted. */
    rs_events_clear(&EV);
    k += 200;
    push_still(1, &k, 50, 250, 1000);
    assert_int_equal(count(RS_EV_GAP), 0);
    assert_int_equal(count(RS_EV_HOLD_START), 0); /* a new hold needs new stillness */
    assert_int_equal(rs_pipeline_live(&P)->lost, 200);
}

/* After a gap the speed window starts again from the first sample after
 * it: no speed until it is half filled, never a speed against samples from
 * before the gap (here 6 s of rolling at 5 cm/s, then a host gap and a
 * sequence gap of 2 s, each followed by samples at rest). */
static void test_speed_restarts_after_gap(void **state)
{
    (void)state;
    for (int how = 0; how < 2; how++) {
        rs_pipeline_init(&P, NULL, NULL, NULL);
        rs_events_clear(&EV);
        uint32_t k = 0;
        int32_t enc = 0;
        for (int i = 0; i < 480; i++, k++) {
            enc = (int32_t)lround(i * 5.0 / 80 * ENC_PER_CM);
            struct rs_sample s = mk(k, k * 12500u, 50, 250, enc);
            rs_pipeline_push(&P, &s, &EV);
            rs_events_clear(&EV);
        }
        assert_true(fabs(rs_pipeline_live(&P)->speed_cm_s - 5) < 0.1);
        if (how == 0) {
            rs_pipeline_mark_gap(&P, "unplugged", &EV);
        } else {
            k += 160;
            enc += (int32_t)lround(2 * ENC_PER_CM); /* rolled 2 cm meanwhile */
        }
        for (int i = 0; i < 4; i++, k++) { /* fewer than half the 150 ms window */
            struct rs_sample s = mk(k, k * 12500u, 50, 250, enc);
            rs_events_clear(&EV);
            rs_pipeline_push(&P, &s, &EV);
            if (rs_pipeline_live(&P)->speed_cm_s != 0)
                fail_msg("gap %d, sample %d after it: speed %.3f cm/s", how, i,
                         rs_pipeline_live(&P)->speed_cm_s);
        }
        /* Rolling from rest at 5 cm/s: the 150 ms window (12 intervals)
         * reads the full speed on the 12th moving sample, not before. */
        push_still(0.5, &k, 50, 250, enc);
        for (int i = 1; i <= 12; i++, k++) {
            struct rs_sample s = mk(k, k * 12500u, 50, 250,
                                    enc + (int32_t)lround(i * 5.0 / 80 * ENC_PER_CM));
            rs_events_clear(&EV);
            rs_pipeline_push(&P, &s, &EV);
            double v = rs_pipeline_live(&P)->speed_cm_s;
            if (i == 11 ? v > 4.8 : i == 12 ? fabs(v - 5) > 0.05 : false)
                fail_msg("gap %d, moving sample %d: speed %.3f cm/s", how, i, v);
        }
    }
}

/*
 * The one lost-frame count (live.lost, rs_seq): frames skipped by sequence
 * number while streaming are lost; after an unplug the frames the roller
 * made until it came back are the gap's, not lost; a restart (sequence
 * going back) loses nothing.
 */
static void test_lost_count_rule(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    uint32_t k = 0;
    push_still(1, &k, 50, 250, 1000);
    k += 3; /* three frames missing on the wire */
    push_still(1, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->lost, 3);
    rs_pipeline_mark_gap(&P, "unplugged", &EV);
    rs_pipeline_unplugged(&P);
    k += 500; /* made while unplugged */
    push_still(1, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->lost, 3);
    k += 1; /* one more missing, streaming again */
    push_still(1, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->lost, 4);
    k = 0; /* the roller restarted its count */
    push_still(1, &k, 50, 250, 1000);
    assert_int_equal(rs_pipeline_live(&P)->lost, 4);
    struct rs_summary sum;
    rs_pipeline_summary(&P, &sum);
    assert_int_equal(sum.lost, 4);
}

struct speed_case {
    double counts_per_frame;
    int enc_dir;
    uint32_t radius_um;
    double want_velocity; /* cm/s */
};

static const struct speed_case speed_cases[] = {
    { 0, 1, 70000, 0 },
    { 10, 1, 70000, 10 * 80 * 2 * M_PI * 7.0 / 16384 },
    { -10, 1, 70000, -10 * 80 * 2 * M_PI * 7.0 / 16384 },
    { 10, -1, 70000, -10 * 80 * 2 * M_PI * 7.0 / 16384 },
    { 100, 1, 65000, 100 * 80 * 2 * M_PI * 6.5 / 16384 },
};

static void test_speed(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof speed_cases / sizeof speed_cases[0]; c++) {
        const struct speed_case *sc = &speed_cases[c];
        struct rs_calib cal;
        rs_calib_defaults(&cal);
        cal.enc_dir = sc->enc_dir;
        cal.radius_um = sc->radius_um;
        rs_pipeline_init(&P, NULL, &cal, NULL);
        /* start near the int32 wrap of the cumulative count */
        int32_t enc0 = INT32_MAX - 500;
        for (uint32_t i = 0; i < 80; i++) {
            struct rs_sample s = mk(i, i * 12500u, 100, 100,
                                    (int32_t)(uint32_t)((int64_t)enc0 + lround(i * sc->counts_per_frame)));
            rs_pipeline_push(&P, &s, NULL);
        }
        const struct rs_live *L = rs_pipeline_live(&P);
        if (fabs(L->velocity_cm_s - sc->want_velocity) > 1e-6)
            fail_msg("case %zu: %.6f cm/s, want %.6f", c, L->velocity_cm_s, sc->want_velocity);
        assert_true(fabs(L->displacement_cm - 79 * sc->want_velocity / 80) < 1e-6);
    }
}

/* Changing the radius on the fly rescales from then on: no jump in position. */
static void test_set_calib_no_jump(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    uint32_t i;
    for (i = 0; i < 40; i++) {
        struct rs_sample s = mk(i, i * 12500u, 100, 100, (int32_t)(i * 10));
        rs_pipeline_push(&P, &s, NULL);
    }
    double d0 = rs_pipeline_live(&P)->displacement_cm;
    struct rs_calib cal;
    rs_calib_defaults(&cal);
    cal.radius_um = 60000;
    rs_pipeline_set_calib(&P, &cal);
    struct rs_sample s = mk(i, i * 12500u, 100, 100, (int32_t)(i * 10));
    rs_pipeline_push(&P, &s, NULL);
    double step = rs_pipeline_live(&P)->displacement_cm - d0;
    assert_true(fabs(step - 10 * 2 * M_PI * 6.0 / 16384) < 1e-9);
}

struct az_case {
    double offset_n;     /* per side, unloaded reading */
    double seconds;
    double want_zero;    /* auto-zero correction at the end, per side */
    double tol;
};

static const struct az_case az_cases[] = {
    { 2.0, 120, 2.0, 0.05 },   /* tracked */
    { -3.0, 120, -3.0, 0.05 },
    { 2.0, 0.9, 0.0, 1e-9 },   /* not before autozero_still_s */
    { 40.0, 120, 0.0, 1e-9 },  /* a load is not zeroed (40 N per side > band) */
};

static void test_autozero(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof az_cases / sizeof az_cases[0]; c++) {
        rs_pipeline_init(&P, NULL, NULL, NULL);
        uint32_t k = 0;
        push_still(az_cases[c].seconds, &k, az_cases[c].offset_n, az_cases[c].offset_n, 0);
        const struct rs_live *L = rs_pipeline_live(&P);
        if (fabs(L->zero_left_n - az_cases[c].want_zero) > az_cases[c].tol ||
            fabs(L->zero_right_n - az_cases[c].want_zero) > az_cases[c].tol)
            fail_msg("case %zu: zero %.3f/%.3f, want %.3f", c, L->zero_left_n, L->zero_right_n,
                     az_cases[c].want_zero);
    }
    /* Bounded: a 14 N offset with a 5 N limit stops at 5 N. */
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    cfg.autozero_limit_n = 5;
    rs_pipeline_init(&P, &cfg, NULL, NULL);
    uint32_t k = 0;
    push_still(200, &k, 14, -14, 0);
    assert_true(fabs(rs_pipeline_live(&P)->zero_left_n - 5) < 1e-9);
    assert_true(fabs(rs_pipeline_live(&P)->zero_right_n + 5) < 1e-9);
    /* Not while moving. */
    rs_pipeline_init(&P, NULL, NULL, NULL);
    for (uint32_t i = 0; i < 80 * 60; i++) {
        struct rs_sample s = mk(i, i * 12500u, 2, 2, (int32_t)(i * 20));
        rs_pipeline_push(&P, &s, NULL);
    }
    assert_true(rs_pipeline_live(&P)->zero_left_n == 0);
}

/* The profile's mass changes %BW from the next sample on. */
static void test_set_profile(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    uint32_t k = 0;
    push_still(0.1, &k, 100, 100, 0);
    double bw70 = rs_pipeline_live(&P)->bw_pct;
    struct rs_profile prof;
    rs_profile_defaults(&prof);
    prof.body_mass_kg = 35;
    rs_pipeline_set_profile(&P, &prof);
    push_still(0.0125, &k, 100, 100, 0);
    assert_true(fabs(rs_pipeline_live(&P)->bw_pct - 2 * bw70) < 1e-6);
}

/* A sensor fault is reported when it appears and clears, and ends a hold. */
static void test_fault(void **state)
{
    (void)state;
    rs_pipeline_init(&P, NULL, NULL, NULL);
    rs_events_clear(&EV);
    uint32_t k = 0;
    push_still(4, &k, 60, 240, 0);
    assert_true(rs_pipeline_live(&P)->hold.active);
    rs_events_clear(&EV);
    struct rs_sample s = mk(k, k * 12500u, 60, 240, 0);
    s.status = RS_ST_MAGNET;
    k++;
    rs_pipeline_push(&P, &s, &EV);
    const struct rs_event *f = find(RS_EV_FAULT);
    assert_non_null(f);
    assert_int_equal(f->u.fault.set, RS_ST_MAGNET);
    const struct rs_event *e = find(RS_EV_HOLD_END);
    assert_non_null(e);
    assert_int_equal(e->u.hold.reason, RS_END_FAULT);
    rs_events_clear(&EV);
    push_still(0.5, &k, 60, 240, 0);
    f = find(RS_EV_FAULT);
    assert_non_null(f);
    assert_int_equal(f->u.fault.cleared, RS_ST_MAGNET);
    assert_int_equal(rs_pipeline_live(&P)->fault_bits, 0);
}

/* Every event type has its JSON "type" and parses as one object. */
static void test_event_json(void **state)
{
    (void)state;
    const char *names[] = { "hold_start", "hold_cue", "hold_end", "speed_band", "force_band",
                            "dose", "knee_zone", "fault", "gap" };
    for (int t = RS_EV_HOLD_START; t <= RS_EV_GAP; t++) {
        struct rs_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = (enum rs_event_type)t;
        ev.t = 12.5;
        if (t == RS_EV_DOSE)
            ev.u.dose.advice = "two or three spots are enough today";
        if (t == RS_EV_FAULT)
            ev.u.fault.set = ev.u.fault.bits = 0xff;
        char buf[512], want[64];
        const char *j = rs_event_json(&ev, buf, sizeof buf);
        assert_non_null(j);
        snprintf(want, sizeof want, "{\"type\":\"%s\",\"t\":12.5000", names[t]);
        if (strncmp(j, want, strlen(want)))
            fail_msg("%s", j);
        assert_int_equal(j[strlen(j) - 1], '}');
        assert_null(rs_event_json(&ev, buf, 20)); /* too small: NULL, no overflow */
    }
    struct rs_summary s = { .frames = 42, .lost = 1, .gaps = 1 };
    char buf[512];
    const char *j = rs_summary_json(&s, buf, sizeof buf);
    assert_non_null(j);
    assert_non_null(strstr(j, "{\"type\":\"summary\",\"frames\":42,\"lost\":1,\"gaps\":1,"));
}

/* Force bands by %BW, and too_hard from the band or the profile's limit. */
struct band_case {
    double total_n, limit_n;
    int want_band;
    bool want_hard;
};

static const struct band_case band_cases[] = {
    { 20, 0, RS_FORCE_NONE, false },          /* 2.9 %BW */
    { 70, 0, RS_FORCE_LIGHT, false },         /* 10.2 */
    { 150, 0, RS_FORCE_MODERATE, false },     /* 21.8 */
    { 250, 0, RS_FORCE_TYPICAL, false },      /* 36.4 */
    { 350, 0, RS_FORCE_HIGH, false },         /* 51.0 */
    { 480, 0, RS_FORCE_NO_BENEFIT, true },    /* 69.9 */
    { 600, 0, RS_FORCE_OVERLOAD, true },      /* 87.4 */
    { 250, 200, RS_FORCE_TYPICAL, true },     /* over the profile's limit */
    { 150, 200, RS_FORCE_MODERATE, false },
};

static void test_force_bands(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof band_cases / sizeof band_cases[0]; i++) {
        const struct band_case *b = &band_cases[i];
        struct rs_profile prof;
        rs_profile_defaults(&prof);
        prof.force_limit_n = b->limit_n;
        rs_pipeline_init(&P, NULL, NULL, &prof);
        rs_events_clear(&EV);
        uint32_t k = 0;
        push_still(0.5, &k, b->total_n / 2, b->total_n / 2, 0);
        const struct rs_live *L = rs_pipeline_live(&P);
        const struct rs_event *e = find(RS_EV_FORCE_BAND);
        if (L->force_band != b->want_band || L->too_hard != b->want_hard)
            fail_msg("case %zu: band %d hard %d", i, L->force_band, L->too_hard);
        if (b->want_band == RS_FORCE_NONE) {
            assert_null(e);
        } else {
            assert_non_null(e); /* after the 250 ms dwell */
            assert_int_equal(e->u.band.band, b->want_band);
            assert_int_equal(e->u.band.too_hard, b->want_hard);
            assert_true(e->t >= 0.25 - 1e-9);
        }
    }
}

/* Random frames (bad input is not a bug): nothing crashes, values stay finite. */
static void test_random_input(void **state)
{
    (void)state;
    struct rs_calib cal;
    rs_calib_defaults(&cal);
    cal.scale_left = 0;          /* absurd: falls back, not calibrated */
    cal.radius_um = 0;
    cal.calibrated = true;
    rs_pipeline_init(&P, NULL, &cal, NULL);
    assert_false(rs_pipeline_live(&P)->calibrated);
    uint64_t r = 12345;
    uint32_t seq = 0, t = 0;
    char buf[512];
    for (int i = 0; i < 300000; i++) {
        r ^= r << 13; r ^= r >> 7; r ^= r << 17;
        uint32_t x = (uint32_t)r;
        seq += (x & 0xff) == 0 ? (x >> 8) : 1;
        t += (x & 0x300) == 0 ? (x >> 3) : 12500;
        struct rs_sample s = {
            .seq = seq, .t_us = t,
            .left = (int32_t)((r >> 20) & 0xffffff) - 0x800000,
            .right = (int32_t)((r >> 40) & 0xffffff) - 0x800000,
            .enc = (x & 0x1000) ? (int32_t)(r >> 32) : (int32_t)(i * 7),
            .status = (x & 0xf0000) == 0 ? (uint16_t)(r >> 48) : 0,
        };
        if (i % 5 == 0) {
            /* a plausible stretch: loaded and still, so holds can start and end */
            s.left = 60000;
            s.right = 600000;
            s.enc = 1000;
        }
        rs_events_clear(&EV);
        rs_pipeline_push(&P, &s, &EV);
        if (i % 50000 == 0)
            rs_pipeline_mark_gap(&P, "test", &EV);
        for (size_t k = 0; k < EV.n; k++)
            assert_non_null(rs_event_json(&EV.ev[k], buf, sizeof buf));
        const struct rs_live *L = rs_pipeline_live(&P);
        assert_true(isfinite(L->force_n) && isfinite(L->speed_cm_s) && isfinite(L->pos_cm) &&
                    isfinite(L->x_mm) && isfinite(L->t));
    }
    rs_events_clear(&EV);
    rs_pipeline_finish(&P, &EV);
    struct rs_summary sum;
    rs_pipeline_summary(&P, &sum);
    assert_non_null(rs_summary_json(&sum, buf, sizeof buf));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calibration_and_leg),
        cmocka_unit_test(test_calib_from_cal),
        cmocka_unit_test(test_time_wrap),
        cmocka_unit_test(test_sequence_gaps),
        cmocka_unit_test(test_host_gap_ends_hold),
        cmocka_unit_test(test_lost_count_rule),
        cmocka_unit_test(test_gap_bridges_hold),
        cmocka_unit_test(test_hold_end_edges),
        cmocka_unit_test(test_live_hold_spot),
        cmocka_unit_test(test_press_after_stop),
        cmocka_unit_test(test_live_cue_and_open_dip),
        cmocka_unit_test(test_dip_under_way_at_other_end),
        cmocka_unit_test(test_dose_holds_once),
        cmocka_unit_test(test_departure_not_in_hold),
        cmocka_unit_test(test_release_to_light_rest),
        cmocka_unit_test(test_dip_before_cue),
        cmocka_unit_test(test_last_cue_live),
        cmocka_unit_test(test_knee_hysteresis),
        cmocka_unit_test(test_band_edges),
        cmocka_unit_test(test_speed),
        cmocka_unit_test(test_speed_restarts_after_gap),
        cmocka_unit_test(test_set_calib_no_jump),
        cmocka_unit_test(test_autozero),
        cmocka_unit_test(test_set_profile),
        cmocka_unit_test(test_fault),
        cmocka_unit_test(test_event_json),
        cmocka_unit_test(test_force_bands),
        cmocka_unit_test(test_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
