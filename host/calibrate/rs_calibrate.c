/* rs_calibrate.c - see rs_calibrate.h. */
#include "rs_calibrate.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_err.h"

#define RS_ENC_CPR ((double)RS_ENC_COUNTS_PER_REV)

void rs_calibrate_limits_default(struct rs_calibrate_limits *lim)
{
    lim->max_sd_n = 1.0;
    lim->max_drift_n_per_s = 0.5;
    lim->min_mass_kg = 2.0;
    lim->min_load_n = 5.0;
    lim->turns_tolerance = 0.1;
    lim->min_samples = 40; /* half a second at 80 Hz */
    lim->max_touch_n = 20.0; /* a hand resting lightly: well under any leg (>= 100 N) */
}

void rs_calibrate_defaults(struct rs_cal *cal)
{
    memset(cal, 0, sizeof *cal);
    cal->scale_left = RS_DEFAULT_SCALE_COUNTS_PER_N;
    cal->scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N;
    cal->radius_um = RS_DEFAULT_RADIUS_UM;
    cal->enc_dir = 1;
}

int rs_calibrate_validate(const struct rs_cal *cal, char *why, size_t cap)
{
    if (!isfinite(cal->scale_left) || !isfinite(cal->scale_right) ||
        cal->scale_left <= 0 || cal->scale_right <= 0)
        return rs_fail(RS_CALIBRATE_BAD_ARG, why, cap,
                      "scales must be positive numbers (left %g, right %g counts/N)",
                      (double)cal->scale_left, (double)cal->scale_right);
    if (cal->radius_um == 0)
        return rs_fail(RS_CALIBRATE_BAD_ARG, why, cap, "the roller radius must not be 0");
    if (cal->enc_dir != 1 && cal->enc_dir != -1)
        return rs_fail(RS_CALIBRATE_BAD_ARG, why, cap, "encoder direction must be +1 or -1, not %d",
                      cal->enc_dir);
    return RS_CALIBRATE_OK;
}

void rs_calibrate_window_stats(const int32_t *left, const int32_t *right, size_t n,
                           double rate_hz, struct rs_calibrate_window *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    if (n == 0)
        return;
    /* Two passes around the mean: counts reach 2^23, so sums of squares of
     * raw values would lose precision in one pass. */
    double sl = 0, sr = 0;
    for (size_t i = 0; i < n; i++) {
        sl += left[i];
        sr += right[i];
    }
    out->mean_left = sl / (double)n;
    out->mean_right = sr / (double)n;
    double vl = 0, vr = 0, vt = 0, st = 0, stt = 0;
    double tmean = (double)(n - 1) / 2.0;
    for (size_t i = 0; i < n; i++) {
        double dl = left[i] - out->mean_left, dr = right[i] - out->mean_right;
        vl += dl * dl;
        vr += dr * dr;
        vt += (dl + dr) * (dl + dr);
        double dt = (double)i - tmean;
        st += dt * (dl + dr);
        stt += dt * dt;
    }
    out->sd_left = sqrt(vl / (double)n);
    out->sd_right = sqrt(vr / (double)n);
    out->sd_total = sqrt(vt / (double)n);
    double slope_per_sample = stt > 0 ? st / stt : 0;
    out->slope_total = slope_per_sample * rate_hz;
    double resid = vt - slope_per_sample * slope_per_sample * stt;
    out->sd_resid = resid > 0 ? sqrt(resid / (double)n) : 0;
}

static double mean_scale(const struct rs_cal *cal)
{
    return ((double)cal->scale_left + (double)cal->scale_right) / 2.0;
}

/* Shared stability test of tare and placements. */
static int check_steady(const struct rs_calibrate_window *w, const struct rs_cal *cal,
                        const struct rs_calibrate_limits *lim, const char *what,
                        char *why, size_t cap)
{
    if (w->n < lim->min_samples)
        return rs_fail(RS_CALIBRATE_TOO_FEW, why, cap,
                      "%s: only %zu readings, need at least %zu; hold still a little longer",
                      what, w->n, lim->min_samples);
    double s = mean_scale(cal);
    double sd_n = w->sd_resid / s, drift_n = fabs(w->slope_total) / s;
    /* Wobble is judged around the straight-line trend, so a slow drift and a
     * shaking load each get their own message. */
    if (sd_n > lim->max_sd_n)
        return rs_fail(RS_CALIBRATE_UNSTABLE, why, cap,
                      "%s refused: the load is changing (it varies by %.1f N, at most %.1f N "
                      "allowed); let nothing but the load touch the roller and keep it still, then try again",
                      what, sd_n, lim->max_sd_n);
    if (drift_n > lim->max_drift_n_per_s)
        return rs_fail(RS_CALIBRATE_UNSTABLE, why, cap,
                      "%s refused: the reading is drifting (%.2f N/s, at most %.2f N/s "
                      "allowed); wait for it to settle, then try again",
                      what, drift_n, lim->max_drift_n_per_s);
    return RS_CALIBRATE_OK;
}

int rs_calibrate_tare(const struct rs_calibrate_window *w, const struct rs_calibrate_limits *lim,
                  struct rs_cal *cal, char *why, size_t cap)
{
    int rc = check_steady(w, cal, lim, "tare", why, cap);
    if (rc)
        return rc;
    cal->offset_left = (int32_t)lround(w->mean_left);
    cal->offset_right = (int32_t)lround(w->mean_right);
    return RS_CALIBRATE_OK;
}

int rs_calibrate_tare_guard(const struct rs_calibrate_window *w,
                            const struct rs_calibrate_limits *lim, const struct rs_cal *known,
                            bool zero_known, bool confirmed, char *why, size_t cap)
{
    struct rs_cal zero;
    rs_calibrate_defaults(&zero);
    if (zero_known) {
        zero.offset_left = known->offset_left;
        zero.offset_right = known->offset_right;
        if (rs_calibrate_validate(known, NULL, 0) == RS_CALIBRATE_OK) {
            zero.scale_left = known->scale_left;
            zero.scale_right = known->scale_right;
        }
    }
    double fl, fr, x;
    rs_calibrate_apply(&zero, (int32_t)lround(w->mean_left), (int32_t)lround(w->mean_right), &fl,
                       &fr, &x);
    if (fabs(fl) <= lim->max_touch_n && fabs(fr) <= lim->max_touch_n)
        return RS_CALIBRATE_OK;
    double total = fl + fr;
    if (zero_known)
        return rs_fail(RS_CALIBRATE_LOADED, why, cap,
                      "tare refused: something is on the roller: %.0f N (left %.0f N, right "
                      "%.0f N); take everything off and try again",
                      rs_calibrate_nz(total, 0), rs_calibrate_nz(fl, 0), rs_calibrate_nz(fr, 0));
    if (confirmed)
        return RS_CALIBRATE_OK;
    return rs_fail(RS_CALIBRATE_UNCONFIRMED, why, cap,
                  "first tare of this roller: it reads %.0f N (left %.0f N, right %.0f N, "
                  "nominal scale) and has no known zero to compare with; if the roller is "
                  "empty, confirm it (Y), otherwise take everything off and measure again",
                  rs_calibrate_nz(total, 0), rs_calibrate_nz(fl, 0), rs_calibrate_nz(fr, 0));
}

double rs_calibrate_nz(double v, int decimals)
{
    double half = 0.5 * pow(10.0, -decimals);
    return fabs(v) <= half ? 0.0 : v; /* printf rounds -0.5 to "-0" */
}

int rs_calibrate_placement(const struct rs_calibrate_window *w, double mass_kg,
                       const struct rs_cal *cal, const struct rs_calibrate_limits *lim,
                       struct rs_calibrate_placement *out, char *why, size_t cap)
{
    if (!isfinite(mass_kg) || mass_kg < lim->min_mass_kg)
        return rs_fail(RS_CALIBRATE_MASS_SMALL, why, cap,
                      "span refused: a reference mass of %.2f kg is too light; use at least "
                      "%.0f kg (a bag of known weight, a kettlebell or dumbbell)",
                      mass_kg, lim->min_mass_kg);
    int rc = check_steady(w, cal, lim, "span placement", why, cap);
    if (rc)
        return rc;
    out->mass_kg = mass_kg;
    out->d_left = w->mean_left - cal->offset_left;
    out->d_right = w->mean_right - cal->offset_right;
    double shown = out->d_left / cal->scale_left + out->d_right / cal->scale_right;
    if (shown < lim->min_load_n || shown < 0.5 * mass_kg * RS_STANDARD_GRAVITY)
        return rs_fail(RS_CALIBRATE_NO_LOAD, why, cap,
                      "span placement refused: the roller shows %.1f N but %.2f kg should "
                      "give about %.0f N; is the mass resting on the roller?",
                      shown, mass_kg, mass_kg * RS_STANDARD_GRAVITY);
    return RS_CALIBRATE_OK;
}

int rs_calibrate_span_solve(const struct rs_calibrate_placement *p, size_t n,
                        struct rs_cal *cal, char *why, size_t cap)
{
    if (n < 2)
        return rs_fail(RS_CALIBRATE_ILL_POSED, why, cap,
                      "span needs at least two placements (left end and right end)");
    /* Normal equations for a = 1/s_left, b = 1/s_right. */
    double sll = 0, srr = 0, slr = 0, sly = 0, sry = 0;
    for (size_t i = 0; i < n; i++) {
        double y = p[i].mass_kg * RS_STANDARD_GRAVITY;
        sll += p[i].d_left * p[i].d_left;
        srr += p[i].d_right * p[i].d_right;
        slr += p[i].d_left * p[i].d_right;
        sly += p[i].d_left * y;
        sry += p[i].d_right * y;
    }
    double det = sll * srr - slr * slr;
    /* det / (sll * srr) = 1 - correlation^2 of the two sides' loads: near 0
     * when every placement loaded the sides in the same proportion. */
    if (!(sll > 0 && srr > 0) || det / (sll * srr) < 0.05)
        return rs_fail(RS_CALIBRATE_ILL_POSED, why, cap,
                      "span refused: the placements load both sides the same way; put the "
                      "mass at the left end, the centre and the right end");
    double a = (sly * srr - sry * slr) / det;
    double b = (sry * sll - sly * slr) / det;
    if (!(a > 0 && b > 0) || !isfinite(a) || !isfinite(b))
        return rs_fail(RS_CALIBRATE_ILL_POSED, why, cap,
                      "span refused: the readings give a negative or infinite scale; check "
                      "the load-cell wiring (a reversed bridge reads negative)");
    cal->scale_left = (float)(1.0 / a);
    cal->scale_right = (float)(1.0 / b);
    return RS_CALIBRATE_OK;
}

void rs_calibrate_span_error(const struct rs_cal *cal, const struct rs_calibrate_placement *check,
                         double *err_n, double *err_pct)
{
    double truth = check->mass_kg * RS_STANDARD_GRAVITY;
    double got = check->d_left / cal->scale_left + check->d_right / cal->scale_right;
    *err_n = got - truth;
    *err_pct = truth > 0 ? 100.0 * (got - truth) / truth : 0;
}

void rs_calibrate_apply(const struct rs_cal *cal, int32_t left, int32_t right,
                    double *f_left, double *f_right, double *x_mm)
{
    double fl = (left - (double)cal->offset_left) / cal->scale_left;
    double fr = (right - (double)cal->offset_right) / cal->scale_right;
    *f_left = fl;
    *f_right = fr;
    double total = fl + fr;
    *x_mm = total > 1.0 ? RS_CELL_SPAN_MM * (fr / total - 0.5) : 0.0;
}

int rs_calibrate_encoder_turns(int32_t enc_start, int32_t enc_end, double turns,
                           const struct rs_calibrate_limits *lim, struct rs_cal *cal,
                           char *why, size_t cap)
{
    if (!(turns >= 1 && turns <= 100))
        return rs_fail(RS_CALIBRATE_BAD_ARG, why, cap,
                      "encoder check: turn the roller between 1 and 100 times, not %g", turns);
    /* Unsigned difference: correct across the 32-bit wrap of the count. */
    int32_t delta = (int32_t)((uint32_t)enc_end - (uint32_t)enc_start);
    double revs = fabs((double)delta) / RS_ENC_CPR;
    if (fabs(revs - turns) > lim->turns_tolerance)
        return rs_fail(RS_CALIBRATE_COUNT, why, cap,
                      "encoder check failed: counted %.2f turns, expected %g; check the "
                      "magnet is centred on the axle and 0.5-3 mm from the sensor, then "
                      "count the turns again",
                      revs, turns);
    cal->enc_dir = delta >= 0 ? 1 : -1;
    return RS_CALIBRATE_OK;
}

int rs_calibrate_radius_from_distance(int32_t enc_start, int32_t enc_end, double distance_m,
                                  struct rs_cal *cal, char *why, size_t cap)
{
    if (!(distance_m >= 0.2 && distance_m <= 20))
        return rs_fail(RS_CALIBRATE_BAD_ARG, why, cap,
                      "roll a measured distance between 0.2 and 20 m, not %g m", distance_m);
    int32_t delta = (int32_t)((uint32_t)enc_end - (uint32_t)enc_start);
    double revs = fabs((double)delta) / RS_ENC_CPR;
    if (revs < 0.25)
        return rs_fail(RS_CALIBRATE_COUNT, why, cap,
                      "the roller turned only %.2f times; did it roll over the distance?", revs);
    double radius_m = distance_m / (2.0 * M_PI * revs);
    /* A 140 mm foam roller compresses a little; anything far off is a mistake. */
    if (radius_m < 0.02 || radius_m > 0.15)
        return rs_fail(RS_CALIBRATE_COUNT, why, cap,
                      "that gives a radius of %.1f mm, which is not plausible for this "
                      "roller; measure the distance again",
                      radius_m * 1000);
    cal->radius_um = (uint32_t)lround(radius_m * 1e6);
    return RS_CALIBRATE_OK;
}
