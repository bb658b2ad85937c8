/*
 * rs_calibrate.h - the sensor calibration procedures, as pure functions.
 *
 * The guided steps (CLI or window) collect windows of raw samples from the
 * roller and hand them here; these functions decide whether the readings are
 * good enough and compute the calibration block (struct rs_cal, the same
 * block the device stores in EEPROM). Nothing here touches a port or a file.
 *
 * Every refusal returns a negative enum rs_calibrate_err and writes one sentence
 * for the user into `why` (what is wrong and what to do).
 */
#ifndef RS_CALIBRATE_H
#define RS_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_defaults.h" /* RS_STANDARD_GRAVITY */
#include "rs_proto.h"

enum rs_calibrate_err {
    RS_CALIBRATE_OK = 0,
    RS_CALIBRATE_UNSTABLE = -1,     /* readings change too much */
    RS_CALIBRATE_MASS_SMALL = -2,   /* reference mass below the minimum */
    RS_CALIBRATE_NO_LOAD = -3,      /* the mass does not show on the sensor */
    RS_CALIBRATE_ILL_POSED = -4,    /* placements do not determine both sides */
    RS_CALIBRATE_BAD_ARG = -5,      /* an argument is out of range */
    RS_CALIBRATE_COUNT = -6,        /* encoder count does not match the turns */
    RS_CALIBRATE_TOO_FEW = -7,      /* not enough samples in the window */
    RS_CALIBRATE_LOADED = -8,       /* tare: something is on the roller */
    RS_CALIBRATE_UNCONFIRMED = -9,  /* tare: the zero is unknown, the user must confirm */
};

/* Statistics of a window of raw samples (counts). */
struct rs_calibrate_window {
    size_t n;
    double mean_left, mean_right;
    double sd_left, sd_right, sd_total;
    double slope_total;  /* least-squares drift of left+right, counts per second */
    double sd_resid;     /* spread of left+right around that straight line */
};

/* Acceptance limits; rs_calibrate_limits_default() gives values that work with
 * the HX711 at 80 SPS (noise about 0.1 N). */
struct rs_calibrate_limits {
    double max_sd_n;          /* standard deviation of the total, newtons */
    double max_drift_n_per_s; /* drift of the total, newtons per second */
    double min_mass_kg;       /* smallest reference mass for the span */
    double min_load_n;        /* a placement must show at least this much */
    double turns_tolerance;   /* encoder check: allowed error in revolutions */
    size_t min_samples;       /* shortest usable window */
    double max_touch_n;       /* tare: the most a side may read off its known zero and
                                 still count as empty (a light touch of a hand) */
};

void rs_calibrate_limits_default(struct rs_calibrate_limits *lim);

/* Mean, spread and drift of n samples taken at rate_hz. */
void rs_calibrate_window_stats(const int32_t *left, const int32_t *right, size_t n,
                           double rate_hz, struct rs_calibrate_window *out);

/*
 * Tare: zero both bridges with the roller empty. `cal` supplies the scales
 * used to judge stability in newtons and receives the new offsets.
 */
int rs_calibrate_tare(const struct rs_calibrate_window *w, const struct rs_calibrate_limits *lim,
                  struct rs_cal *cal, char *why, size_t cap);

/*
 * The tare guard: is the roller empty? A tare taken with a leg or a mass on
 * the roller would make every later reading that much too low, so it is
 * refused by physics, not by stability alone.
 *
 * known = the block holding the roller's known zero: the saved calibration
 * (zero_known true) or nothing saved yet (zero_known false: the nominal zero,
 * offsets 0 at the nominal scale of rs_defaults.h, is the reference). Each
 * side of the window's mean is turned into newtons with known's scales (the
 * nominal ones when they are not valid) and compared with that zero:
 *  - within lim->max_touch_n on both sides: RS_CALIBRATE_OK;
 *  - beyond it with a known zero: RS_CALIBRATE_LOADED, "something is on the
 *    roller: 260 N; take everything off and try again";
 *  - beyond it with no known zero: a bridge's own zero may lie anywhere near
 *    the nominal one, so this cannot tell a load from an offset:
 *    RS_CALIBRATE_UNCONFIRMED with the load in N at the nominal scale, and the
 *    question to confirm an empty roller (confirmed true: RS_CALIBRATE_OK).
 * A side reading far below its zero (a pulled or unloaded cell) counts the
 * same as a load. Nothing is changed; why gets one sentence.
 */
int rs_calibrate_tare_guard(const struct rs_calibrate_window *w,
                            const struct rs_calibrate_limits *lim, const struct rs_cal *known,
                            bool zero_known, bool confirmed, char *why, size_t cap);

/* v for printing with `decimals` digits: 0 when it would print as "-0". */
double rs_calibrate_nz(double v, int decimals);

/* One span placement: a known mass resting on the roller. */
struct rs_calibrate_placement {
    double mass_kg;
    double d_left, d_right;   /* mean raw counts minus the tare offsets */
};

/* Check a window taken with mass_kg on the roller and turn it into a placement. */
int rs_calibrate_placement(const struct rs_calibrate_window *w, double mass_kg,
                       const struct rs_cal *cal, const struct rs_calibrate_limits *lim,
                       struct rs_calibrate_placement *out, char *why, size_t cap);

/*
 * Span: solve both scales (counts per newton) by least squares over n
 * placements, m_i g = d_left_i / s_left + d_right_i / s_right. Needs
 * placements that load the two sides differently (left end, centre, right
 * end); refuses when they do not determine both scales.
 */
int rs_calibrate_span_solve(const struct rs_calibrate_placement *p, size_t n,
                        struct rs_cal *cal, char *why, size_t cap);

/* Error of a check placement under cal: measured minus true, N and percent. */
void rs_calibrate_span_error(const struct rs_cal *cal, const struct rs_calibrate_placement *check,
                         double *err_n, double *err_pct);

/* Forces in newtons per side and the lateral position (mm, 0 = centre,
 * + = right) of a raw reading under cal. Position is 0 without load. */
void rs_calibrate_apply(const struct rs_cal *cal, int32_t left, int32_t right,
                    double *f_left, double *f_right, double *x_mm);

/*
 * Encoder check: the user turned the roller `turns` times forward by hand.
 * Verifies the count (within lim->turns_tolerance revolutions) and sets
 * enc_dir so that this direction counts positive.
 */
int rs_calibrate_encoder_turns(int32_t enc_start, int32_t enc_end, double turns,
                           const struct rs_calibrate_limits *lim, struct rs_cal *cal,
                           char *why, size_t cap);

/* Effective radius from rolling a measured distance (metres) forward. */
int rs_calibrate_radius_from_distance(int32_t enc_start, int32_t enc_end, double distance_m,
                                  struct rs_cal *cal, char *why, size_t cap);

/* The block a roller has before any calibration (rs_defaults.h). */
void rs_calibrate_defaults(struct rs_cal *cal);

/* 0 if cal is usable (finite positive scales, radius > 0, enc_dir +-1). */
int rs_calibrate_validate(const struct rs_cal *cal, char *why, size_t cap);

#endif
