/*
 * test_calib_wizard.c - the window wizard's state machine (rs_calwiz):
 * scripted sequences of loads and user actions against a simulated roller
 * whose true calibration differs from the nominal one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "rs_calwiz.h"
#include "rs_defaults.h"

static const double true_off_l = 84211, true_off_r = -53120;
static const double true_scale_l = 2151.0, true_scale_r = 2236.5;
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t seq;

static double gauss(void)
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        u[i] = ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

/* n samples of total_n newtons at x_mm with noise_n rms per side. */
static void feed(struct rs_calwiz *w, double total_n, double x_mm, double noise_n, int n)
{
    for (int i = 0; i < n; i++) {
        double fr = total_n * (0.5 + x_mm / RS_CELL_SPAN_MM), fl = total_n - fr;
        struct rs_sample s = {
            .seq = seq, .t_us = seq * 12500u,
            .left = (int32_t)lround(true_off_l + (fl + noise_n * gauss()) * true_scale_l),
            .right = (int32_t)lround(true_off_r + (fr + noise_n * gauss()) * true_scale_r),
        };
        seq++;
        rs_calwiz_push(w, &s);
    }
}

/* One scripted action and what must hold afterwards. */
enum act { CONFIRM, LOAD, CANCEL, SAVED_OK, SAVED_FAIL, EMPTY };
struct op {
    enum act act;
    double total_n, x_mm, noise_n; /* LOAD: feed 300 samples of this */
    enum rs_calwiz_phase phase;    /* expected phase after the action */
    int step;                      /* expected step index, -1 = any */
    const char *msg;               /* substring of the message, NULL = any */
};

#define M10 (10 * RS_STANDARD_GRAVITY)
/* The roller's block at the start: a saved calibration holding the true
 * zero; none saved (nominal offsets 0, about 38 N left and -24 N right off
 * the true zero); a saved block whose zero is 15 N (left) off the truth. */
enum { ZERO_SAVED, ZERO_NONE, ZERO_OFF };
#define END { CANCEL, 0, 0, 0, -1, -1, NULL }

struct script {
    const char *name;
    enum rs_calwiz_mode mode;
    double mass_kg;
    int zero;                      /* the roller's block: ZERO_SAVED, ZERO_NONE, ZERO_OFF */
    enum rs_calwiz_phase initial;
    const char *initial_msg;
    struct op ops[24];
};

static const struct script scripts[] = {
    { "full, happy", RS_CW_FULL, 10, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { LOAD, 0, 0, 0.07, RS_CW_PROMPT, 0, NULL },       /* nothing happens before Enter */
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 0, 0, 0.07, RS_CW_PROMPT, 1, "Tare: zero at" },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 1, NULL },
        { LOAD, M10, -150, 0.07, RS_CW_PROMPT, 2, "Placement 1:" },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 2, NULL },
        { LOAD, M10, 0, 0.07, RS_CW_PROMPT, 3, "Placement 2:" },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 3, NULL },
        { LOAD, M10, 150, 0.07, RS_CW_PROMPT, 4, "Span:" },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 4, NULL },
        { LOAD, M10, 80, 0.07, RS_CW_READY, 4, "Check: error" },
        { CONFIRM, 0, 0, 0, RS_CW_READY, 4, NULL },         /* Enter does nothing while saving */
        { SAVED_OK, 0, 0, 0, RS_CW_DONE, 4, NULL },
        END } },
    { "tare refused under a changing load, then measured again", RS_CW_TARE, 0, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 30, 0, 5, RS_CW_REFUSED, 0, "tare refused: the load is changing" },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 0, 0, 0.07, RS_CW_READY, 0, "Tare: zero at" },
        { SAVED_FAIL, 0, 0, 0, RS_CW_FAILED, 0, "EEPROM" },
        END } },
    { "span with a light mass", RS_CW_SPAN, 1.5, ZERO_SAVED, RS_CW_FAILED, "span refused: a reference mass of 1.50 kg is too light", {
        { CONFIRM, 0, 0, 0, RS_CW_FAILED, 0, "too light" },
        END } },
    { "unstable placement, cancel", RS_CW_SPAN, 10, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, M10, -150, 6, RS_CW_REFUSED, 0, "span placement refused: the load is changing" },
        { CANCEL, 0, 0, 0, RS_CW_FAILED, 0, "cancelled" },
        END } },
    { "check with a different mass fails", RS_CW_FULL, 10, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 0, 0, 0.07, RS_CW_PROMPT, 1, NULL },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 1, NULL },
        { LOAD, M10, -150, 0.07, RS_CW_PROMPT, 2, NULL },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 2, NULL },
        { LOAD, M10, 0, 0.07, RS_CW_PROMPT, 3, NULL },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 3, NULL },
        { LOAD, M10, 150, 0.07, RS_CW_PROMPT, 4, NULL },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 4, NULL },
        { LOAD, M10 * 1.2, 40, 0.07, RS_CW_FAILED, 4, "span check failed" },
        END } },
    { "a leg on the roller: tare refused, the block untouched", RS_CW_TARE, 0, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 260, -60, 0.07, RS_CW_REFUSED, 0, "something is on the roller: 260 N" },
        { EMPTY, 0, 0, 0, RS_CW_REFUSED, 0, "take everything off" }, /* no override */
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 0, 0, 0.07, RS_CW_READY, 0, "Tare: zero at" },
        END } },
    { "a light touch within 20 N of the saved zero is tared", RS_CW_TARE, 0, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 36, 0, 0.07, RS_CW_READY, 0, "Tare: zero at" },  /* 18 N a side */
        END } },
    { "one side 22 N off the saved zero is refused", RS_CW_TARE, 0, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 22, -190, 0.07, RS_CW_REFUSED, 0, "something is on the roller: 22 N (left 22 N" },
        END } },
    { "a drifted zero 15 N off plus a 10 N touch is refused", RS_CW_TARE, 0, ZERO_OFF, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 20, -190, 0.07, RS_CW_REFUSED, 0, "left 35 N" },
        END } },
    { "first tare: no known zero, the user confirms an empty roller", RS_CW_TARE, 0, ZERO_NONE, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 0, 0, 0.07, RS_CW_CONFIRM, 0, "first tare of this roller: it reads 14 N (left 38 N, right -24 N, nominal scale)" },
        { EMPTY, 0, 0, 0, RS_CW_READY, 0, "Tare: zero at" },
        END } },
    { "first tare: a load shows in N, Enter measures again", RS_CW_TARE, 0, ZERO_NONE, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 300, 0, 0.07, RS_CW_CONFIRM, 0, "it reads 315 N" },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, 300, 0, 0.07, RS_CW_CONFIRM, 0, "it reads 315 N" },
        { CANCEL, 0, 0, 0, RS_CW_FAILED, 0, "cancelled" },
        END } },
    { "all placements in one spot", RS_CW_SPAN, 10, ZERO_SAVED, RS_CW_PROMPT, NULL, {
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 0, NULL },
        { LOAD, M10, 0, 0.07, RS_CW_PROMPT, 1, NULL },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 1, NULL },
        { LOAD, M10, 0, 0.07, RS_CW_PROMPT, 2, NULL },
        { CONFIRM, 0, 0, 0, RS_CW_SETTLE, 2, NULL },
        { LOAD, M10, 0, 0.07, RS_CW_FAILED, 2, "load both sides the same way" },
        END } },
};

static void test_calib_wizard_scripts(void **state)
{
    (void)state;
    static struct rs_calwiz w;
    for (size_t k = 0; k < sizeof scripts / sizeof scripts[0]; k++) {
        const struct script *sc = &scripts[k];
        struct rs_cal cur;
        rs_calibrate_defaults(&cur);
        if (sc->zero != ZERO_NONE) { /* the saved block holds the zero */
            cur.offset_left = (int32_t)true_off_l + (sc->zero == ZERO_OFF ? -15 * 2189.8 : 0);
            cur.offset_right = (int32_t)true_off_r;
            cur.scale_left = (float)true_scale_l;
            cur.scale_right = (float)true_scale_r;
        }
        rs_calwiz_init(&w, sc->mode, sc->mass_kg, 80, 1.0, &cur);
        rs_calwiz_set_zero_known(&w, sc->zero != ZERO_NONE);
        struct rs_cal before = w.cal;
        if (w.phase != sc->initial)
            fail_msg("%s: initial phase %s", sc->name, rs_calwiz_phase_name(w.phase));
        if (sc->initial_msg && !strstr(w.message, sc->initial_msg))
            fail_msg("%s: initial message '%s'", sc->name, w.message);
        for (int i = 0; i < 24 && sc->ops[i].phase != (enum rs_calwiz_phase)-1; i++) {
            const struct op *o = &sc->ops[i];
            switch (o->act) {
            case CONFIRM: rs_calwiz_confirm(&w); break;
            case LOAD: feed(&w, o->total_n, o->x_mm, o->noise_n, 300); break;
            case CANCEL: rs_calwiz_cancel(&w); break;
            case SAVED_OK: rs_calwiz_saved(&w, true, NULL); break;
            case SAVED_FAIL: rs_calwiz_saved(&w, false, "the EEPROM write failed"); break;
            case EMPTY: rs_calwiz_confirm_empty(&w); break;
            }
            /* A refusal or a question leaves the block as it was. */
            if ((w.phase == RS_CW_REFUSED || w.phase == RS_CW_CONFIRM) && w.step == 0 &&
                memcmp(&w.cal, &before, sizeof before) != 0)
                fail_msg("%s, op %d: the block changed on a refusal", sc->name, i);
            if (w.phase != o->phase)
                fail_msg("%s, op %d: phase %s, want %s (message '%s')", sc->name, i,
                         rs_calwiz_phase_name(w.phase), rs_calwiz_phase_name(o->phase), w.message);
            if (o->step >= 0 && w.step != o->step)
                fail_msg("%s, op %d: step %d, want %d", sc->name, i, w.step, o->step);
            if (o->msg && !strstr(w.message, o->msg))
                fail_msg("%s, op %d: message '%s' lacks '%s'", sc->name, i, w.message, o->msg);
        }
    }
}

/* The block the happy path produces measures within 1 % / 1 N and 1 cm. */
static void test_calib_wizard_result_accuracy(void **state)
{
    (void)state;
    static struct rs_calwiz w;
    struct rs_cal cur;
    rs_calibrate_defaults(&cur);
    rs_calwiz_init(&w, RS_CW_FULL, 10, 80, 1.0, &cur);
    rs_calwiz_set_zero_known(&w, false); /* a first calibration: the empty roller confirmed */
    static const double at[] = { 0, -150, 0, 150, 80 };
    for (int i = 0; i < 5; i++) {
        rs_calwiz_confirm(&w);
        feed(&w, i ? M10 : 0, at[i], 0.07, 300);
        if (i == 0) {
            assert_int_equal(w.phase, RS_CW_CONFIRM);
            rs_calwiz_confirm_empty(&w);
        }
    }
    assert_int_equal(w.phase, RS_CW_READY);
    assert_true(fabs(w.check_err_pct) < 1.0);
    for (int side = -1; side <= 1; side += 2)
        for (double f = 50; f <= 600; f += 137.5) {
            double x = side * 95.0, fr = f * (0.5 + x / RS_CELL_SPAN_MM);
            int32_t l = (int32_t)lround(true_off_l + (f - fr) * true_scale_l);
            int32_t r = (int32_t)lround(true_off_r + fr * true_scale_r);
            double gl, gr, gx;
            rs_calibrate_apply(&w.cal, l, r, &gl, &gr, &gx);
            assert_true(fabs(gl + gr - f) <= fmax(0.01 * f, 1.0));
            assert_true(fabs(gx - x) <= 10.0);
        }
    /* Live readings follow the block being built, and the progress runs 0..1. */
    rs_calwiz_init(&w, RS_CW_TARE, 0, 80, 1.0, &cur);
    assert_true(rs_calwiz_progress(&w) == 0);
    rs_calwiz_confirm(&w);
    feed(&w, 0, 0, 0.07, 60);
    double p = rs_calwiz_progress(&w);
    assert_true(p > 0.4 && p < 0.6);
    assert_true(w.have_live);
}

/* ---- the encoder and calf wizards: scripted movements of the roller ------- */

static int32_t enc;   /* the simulated roller's cumulative count */

/* n + 1 samples while the count moves by delta counts (linearly, the
 * first one still: the user starts moving after Enter), still load. */
static void roll(struct rs_calwiz *w, double delta, int n)
{
    int32_t start = enc;
    for (int i = 0; i <= n; i++) {
        enc = (int32_t)((uint32_t)start + (uint32_t)(int32_t)lround(delta * i / n));
        struct rs_sample s = { .seq = seq, .t_us = seq * 12500u,
                               .left = (int32_t)true_off_l, .right = (int32_t)true_off_r,
                               .enc = enc };
        seq++;
        rs_calwiz_push(w, &s);
    }
}

#define CPR ((double)RS_ENC_COUNTS_PER_REV)
#define R_NOM (RS_DEFAULT_RADIUS_UM / 1e6)        /* m */
#define CM_COUNTS(cm) ((cm) / 100.0 / (2 * M_PI * R_NOM) * CPR)

enum mact { M_CONFIRM, M_ROLL, M_IDLE, M_CANCEL, M_SAVED };
struct mop {
    enum mact act;
    double counts;                  /* M_ROLL: movement over 100 samples */
    enum rs_calwiz_phase phase;     /* after the action */
    int step;                       /* -1: any */
    const char *msg;                /* substring of message, NULL: any */
};
#define MEND { M_CANCEL, 0, -1, -1, NULL }

struct mscript {
    const char *name;
    enum rs_calwiz_mode mode;       /* RS_CW_ENCODER or RS_CW_CALF */
    double turns, distance_m;
    int32_t enc0;                   /* the count at the start (wrap tests) */
    enum rs_calwiz_phase initial;
    const char *initial_msg;
    struct mop ops[16];
    /* checked at the end, when READY or DONE: */
    int enc_dir;                    /* 0: not checked */
    double radius_mm;               /* 0: not checked */
    double calf_cm;                 /* 0: not checked */
};

static const struct mscript mscripts[] = {
    { "encoder forward", RS_CW_ENCODER, 3, 0, 1000, RS_CW_PROMPT, NULL, {
        { M_ROLL, 5 * CPR, RS_CW_PROMPT, 0, NULL },     /* turning before Enter: ignored */
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },        /* no sample yet: no start, ignored */
        { M_ROLL, 3 * CPR, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 0, "Encoder: 3.00 turns counted; forward is counting up" },
        { M_SAVED, 0, RS_CW_DONE, 0, NULL },
        MEND }, 1, 70, 0 },
    { "encoder backward, across the 32-bit wrap", RS_CW_ENCODER, 3, 0, INT32_MIN + 20000,
      RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, -3.05 * CPR, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 0, "counting down" },
        MEND }, -1, 0, 0 },
    { "encoder miscount, then again", RS_CW_ENCODER, 3, 0, 0, RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, 2.5 * CPR, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_REFUSED, 0, "counted 2.50 turns, expected 3" },
        { M_ROLL, 1 * CPR, RS_CW_REFUSED, 0, NULL },
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },        /* counting again from here */
        { M_ROLL, 3 * CPR, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 0, "3.00 turns" },
        MEND }, 1, 0, 0 },
    { "encoder with a measured distance", RS_CW_ENCODER, 2, 2.0, 0, RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, 2 * CPR, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_PROMPT, 1, "2.00 turns" },
        { M_CONFIRM, 0, RS_CW_TRACK, 1, NULL },
        { M_ROLL, 2.0 / (2 * M_PI * 0.0685) * CPR, RS_CW_TRACK, 1, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 1, "Radius: 68.50 mm" },
        MEND }, 1, 68.5, 0 },
    { "encoder distance not rolled", RS_CW_ENCODER, 2, 2.0, 0, RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, 2 * CPR, RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_PROMPT, 1, NULL },
        { M_CONFIRM, 0, RS_CW_TRACK, 1, NULL },
        { M_ROLL, 0.1 * CPR, RS_CW_TRACK, 1, NULL },
        { M_CONFIRM, 0, RS_CW_REFUSED, 1, "turned only 0.10 times" },
        { M_CANCEL, 0, RS_CW_FAILED, 1, "cancelled" },
        MEND }, 0, 0, 0 },
    { "encoder: too many turns asked", RS_CW_ENCODER, 500, 0, 0, RS_CW_FAILED,
      "between 1 and 100 times", { MEND }, 0, 0, 0 },
    { "encoder: too short a distance", RS_CW_ENCODER, 3, 0.05, 0, RS_CW_FAILED,
      "between 0.2 and 20 m", { MEND }, 0, 0, 0 },
    { "calf measured", RS_CW_CALF, 0, 0, 5000, RS_CW_PROMPT, NULL, {
        { M_IDLE, 0, RS_CW_PROMPT, 0, NULL },
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, CM_COUNTS(38.5), RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 0, "Calf length: 38.5 cm" },
        { M_SAVED, 0, RS_CW_DONE, 0, NULL },
        MEND }, 0, 0, 38.5 },
    { "calf rolled backwards counts the same", RS_CW_CALF, 0, 0, 0, RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, -CM_COUNTS(41.0), RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 0, "41.0 cm" },
        MEND }, 0, 0, 41.0 },
    { "calf too short, then right", RS_CW_CALF, 0, 0, 0, RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, CM_COUNTS(3.0), RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_REFUSED, 0, "the roll measured 3.0 cm, expected 5-64 cm" },
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, CM_COUNTS(36.0), RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_READY, 0, "36.0 cm" },
        MEND }, 0, 0, 36.0 },
    { "calf too long, cancelled", RS_CW_CALF, 0, 0, 0, RS_CW_PROMPT, NULL, {
        { M_CONFIRM, 0, RS_CW_TRACK, 0, NULL },
        { M_ROLL, CM_COUNTS(80.0), RS_CW_TRACK, 0, NULL },
        { M_CONFIRM, 0, RS_CW_REFUSED, 0, "80.0 cm" },
        { M_CANCEL, 0, RS_CW_FAILED, 0, "cancelled" },
        MEND }, 0, 0, 0 },
};

static void test_calib_wizard_motion(void **state)
{
    (void)state;
    static struct rs_calwiz w;
    for (size_t k = 0; k < sizeof mscripts / sizeof mscripts[0]; k++) {
        const struct mscript *sc = &mscripts[k];
        struct rs_cal cur;
        rs_calibrate_defaults(&cur);
        enc = sc->enc0;
        if (sc->mode == RS_CW_ENCODER)
            rs_calwiz_init_encoder(&w, sc->turns, sc->distance_m, 80, &cur);
        else
            rs_calwiz_init_calf(&w, 80, &cur);
        if (w.phase != sc->initial)
            fail_msg("%s: initial phase %s", sc->name, rs_calwiz_phase_name(w.phase));
        if (sc->initial_msg && !strstr(w.message, sc->initial_msg))
            fail_msg("%s: initial message '%s'", sc->name, w.message);
        for (int i = 0; i < 16 && sc->ops[i].phase != (enum rs_calwiz_phase)-1; i++) {
            const struct mop *o = &sc->ops[i];
            switch (o->act) {
            case M_CONFIRM: rs_calwiz_confirm(&w); break;
            case M_ROLL: roll(&w, o->counts, 100); break;
            case M_IDLE: roll(&w, 0, 100); break;
            case M_CANCEL: rs_calwiz_cancel(&w); break;
            case M_SAVED: rs_calwiz_saved(&w, true, NULL); break;
            }
            if (w.phase != o->phase)
                fail_msg("%s, op %d: phase %s, want %s (message '%s')", sc->name, i,
                         rs_calwiz_phase_name(w.phase), rs_calwiz_phase_name(o->phase), w.message);
            if (o->step >= 0 && w.step != o->step)
                fail_msg("%s, op %d: step %d, want %d", sc->name, i, w.step, o->step);
            if (o->msg && !strstr(w.message, o->msg))
                fail_msg("%s, op %d: message '%s' lacks '%s'", sc->name, i, w.message, o->msg);
        }
        if (sc->enc_dir && w.cal.enc_dir != sc->enc_dir)
            fail_msg("%s: enc_dir %d, want %d", sc->name, w.cal.enc_dir, sc->enc_dir);
        if (sc->radius_mm && fabs(w.cal.radius_um / 1000.0 - sc->radius_mm) > 0.05)
            fail_msg("%s: radius %.3f mm, want %.2f", sc->name, w.cal.radius_um / 1000.0,
                     sc->radius_mm);
        if (sc->calf_cm && fabs(w.calf_cm - sc->calf_cm) > 0.05)
            fail_msg("%s: calf %.2f cm, want %.1f", sc->name, w.calf_cm, sc->calf_cm);
        /* The calf wizard never changes the roller's block. */
        if (sc->mode == RS_CW_CALF && (w.cal.enc_dir != cur.enc_dir || w.cal.radius_um != cur.radius_um))
            fail_msg("%s: the block changed", sc->name);
        if (w.phase == RS_CW_DONE && sc->mode == RS_CW_CALF && !strstr(w.prompt, "profile"))
            fail_msg("%s: done prompt '%s'", sc->name, w.prompt);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_wizard_scripts),
        cmocka_unit_test(test_calib_wizard_motion),
        cmocka_unit_test(test_calib_wizard_result_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
