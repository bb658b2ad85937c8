/* rs_calwiz.c - see rs_calwiz.h. */
#include "rs_calwiz.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_defaults.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void set_prompt(struct rs_calwiz *w)
{
    static const char *const where[] = { "", "the LEFT END", "the CENTRE", "the RIGHT END" };
    enum rs_calwiz_step s = w->steps[w->step];
    switch (s) {
    case RS_CWS_TARE:
        snprintf(w->prompt, sizeof w->prompt,
                 "Take everything off the roller and keep your hands off it, then press Enter.");
        break;
    case RS_CWS_LEFT:
    case RS_CWS_CENTRE:
    case RS_CWS_RIGHT:
        snprintf(w->prompt, sizeof w->prompt,
                 "Rest the %.2f kg mass on %s of the roller, hands off, then press Enter.",
                 w->mass_kg, where[s]);
        break;
    case RS_CWS_CHECK:
        snprintf(w->prompt, sizeof w->prompt,
                 "Check: rest the mass anywhere else on the roller (e.g. halfway between the "
                 "centre and one end), hands off, then press Enter.");
        break;
    case RS_CWS_TURNS:
        if (w->phase == RS_CW_TRACK)
            snprintf(w->prompt, sizeof w->prompt,
                     "Turn the roller %g times forward by hand (towards the knee), stop at "
                     "the mark, then press Enter.", w->turns);
        else
            snprintf(w->prompt, sizeof w->prompt,
                     "Put a mark on the roller and hold it still, then press Enter to start "
                     "counting.");
        break;
    case RS_CWS_DISTANCE:
        if (w->phase == RS_CW_TRACK)
            snprintf(w->prompt, sizeof w->prompt,
                     "Roll the roller forward over exactly %g m on the floor, stop, then press "
                     "Enter.", w->distance_m);
        else
            snprintf(w->prompt, sizeof w->prompt,
                     "Set the roller on the floor at the start of a measured %g m, then press "
                     "Enter.", w->distance_m);
        break;
    case RS_CWS_CALF:
        if (w->phase == RS_CW_TRACK)
            snprintf(w->prompt, sizeof w->prompt,
                     "Roll slowly once up to just below the knee (never onto the back of the "
                     "knee), stop there, then press Enter.");
        else
            snprintf(w->prompt, sizeof w->prompt,
                     "Sit with one calf on the roller at the Achilles end (just above the "
                     "heel), then press Enter.");
        break;
    }
}

static void message(struct rs_calwiz *w, bool error, const char *text)
{
    snprintf(w->message, sizeof w->message, "%s", text);
    w->message_is_error = error;
}

/* What every wizard starts with: limits, windows, the block to build on. */
static void base_init(struct rs_calwiz *w, enum rs_calwiz_mode mode, double rate_hz,
                      double window_s, const struct rs_cal *current)
{
    memset(w, 0, sizeof *w);
    w->mode = mode;
    w->rate_hz = rate_hz > 0 ? rate_hz : 80;
    rs_calibrate_limits_default(&w->lim);
    w->settle_n = (size_t)lround(0.5 * w->rate_hz);
    double n = window_s * w->rate_hz;
    w->window_n = n < (double)w->lim.min_samples ? w->lim.min_samples
                  : n > RS_CALWIZ_WINDOW_MAX     ? RS_CALWIZ_WINDOW_MAX
                                                 : (size_t)lround(n);
    w->cal = *current;
    w->zero = *current;
    w->zero_known = true;
    if (rs_calibrate_validate(&w->cal, NULL, 0)) {
        struct rs_cal d;
        rs_calibrate_defaults(&d);
        w->cal.scale_left = d.scale_left;
        w->cal.scale_right = d.scale_right;
        if (w->cal.radius_um == 0)
            w->cal.radius_um = d.radius_um;
        if (w->cal.enc_dir != 1 && w->cal.enc_dir != -1)
            w->cal.enc_dir = 1;
    }
}

void rs_calwiz_init(struct rs_calwiz *w, enum rs_calwiz_mode mode, double mass_kg,
                    double rate_hz, double window_s, const struct rs_cal *current)
{
    base_init(w, mode, rate_hz, window_s, current);
    w->mass_kg = mass_kg;
    if (mode != RS_CW_SPAN)
        w->steps[w->nsteps++] = RS_CWS_TARE;
    if (mode != RS_CW_TARE) {
        w->steps[w->nsteps++] = RS_CWS_LEFT;
        w->steps[w->nsteps++] = RS_CWS_CENTRE;
        w->steps[w->nsteps++] = RS_CWS_RIGHT;
        w->steps[w->nsteps++] = RS_CWS_CHECK;
    }
    snprintf(w->title, sizeof w->title, "%s",
             mode == RS_CW_TARE ? "CALIBRATION - TARE"
             : mode == RS_CW_SPAN ? "CALIBRATION - SPAN"
                                  : "CALIBRATION - TARE AND SPAN");
    w->phase = RS_CW_PROMPT;
    set_prompt(w);
    if (mode != RS_CW_TARE) {
        /* The solver's own refusal of a light mass, before anything is measured. */
        struct rs_calibrate_window none = { 0 };
        struct rs_calibrate_placement p;
        char why[256];
        if (rs_calibrate_placement(&none, mass_kg, &w->cal, &w->lim, &p, why, sizeof why) ==
            RS_CALIBRATE_MASS_SMALL) {
            message(w, true, why);
            w->phase = RS_CW_FAILED;
        }
    }
}

void rs_calwiz_init_encoder(struct rs_calwiz *w, double turns, double distance_m,
                            double rate_hz, const struct rs_cal *current)
{
    base_init(w, RS_CW_ENCODER, rate_hz, 2.0, current);
    w->turns = turns > 0 ? turns : 3;
    w->distance_m = distance_m;
    w->steps[w->nsteps++] = RS_CWS_TURNS;
    if (distance_m > 0)
        w->steps[w->nsteps++] = RS_CWS_DISTANCE;
    snprintf(w->title, sizeof w->title, "CALIBRATION - ENCODER");
    w->phase = RS_CW_PROMPT;
    set_prompt(w);
    /* The solver's own refusals of the arguments, before anything moves. */
    char why[256];
    struct rs_cal scratch = w->cal;
    if (rs_calibrate_encoder_turns(0, 0, w->turns, &w->lim, &scratch, why, sizeof why) ==
            RS_CALIBRATE_BAD_ARG ||
        (distance_m != 0 && rs_calibrate_radius_from_distance(0, 0, distance_m, &scratch, why,
                                                             sizeof why) ==
                                RS_CALIBRATE_BAD_ARG)) {
        message(w, true, why);
        w->phase = RS_CW_FAILED;
    }
}

void rs_calwiz_init_calf(struct rs_calwiz *w, double rate_hz, const struct rs_cal *current)
{
    base_init(w, RS_CW_CALF, rate_hz, 2.0, current);
    /* The CLI's rule: an implausible radius gives way to the nominal one. */
    if (w->cal.radius_um < 20000 || w->cal.radius_um > 150000) {
        struct rs_cal d;
        rs_calibrate_defaults(&d);
        w->cal.radius_um = d.radius_um;
    }
    w->steps[w->nsteps++] = RS_CWS_CALF;
    snprintf(w->title, sizeof w->title, "PROFILE - CALF LENGTH");
    w->phase = RS_CW_PROMPT;
    set_prompt(w);
}

/* Follow the encoder: turns and surface travel since the start. */
static void track(struct rs_calwiz *w, const struct rs_sample *s)
{
    w->enc_now = s->enc;
    w->have_enc = true;
    if (w->phase != RS_CW_TRACK)
        return;
    if (!w->tracking) {
        w->tracking = true;
        w->enc_start = s->enc;
    }
    /* Wrap-safe difference of the cumulative 32-bit count. */
    int32_t d = (int32_t)((uint32_t)w->enc_now - (uint32_t)w->enc_start);
    w->moved_turns = d / (double)RS_ENC_COUNTS_PER_REV;
    w->moved_cm = fabs(w->moved_turns) * 2.0 * M_PI * w->cal.radius_um / 1e4;
}

static void meter(struct rs_calwiz *w, const struct rs_sample *s)
{
    double x;
    rs_calibrate_apply(&w->cal, s->left, s->right, &w->left_n, &w->right_n, &x);
    w->total_n = w->left_n + w->right_n;
    w->meter[w->meter_i] = w->total_n;
    w->meter_i = (w->meter_i + 1) % RS_CALWIZ_METER;
    if (w->meter_n < RS_CALWIZ_METER)
        w->meter_n++;
    double m = 0, v = 0;
    for (unsigned i = 0; i < w->meter_n; i++)
        m += w->meter[i];
    m /= w->meter_n;
    for (unsigned i = 0; i < w->meter_n; i++)
        v += (w->meter[i] - m) * (w->meter[i] - m);
    w->sd_n = sqrt(v / w->meter_n);
    w->have_live = true;
}

static void refuse(struct rs_calwiz *w, const char *why, bool final)
{
    message(w, true, why);
    w->phase = final ? RS_CW_FAILED : RS_CW_REFUSED;
}

static void next_step(struct rs_calwiz *w)
{
    if (w->step + 1 < w->nsteps) {
        w->step++;
        w->phase = RS_CW_PROMPT;
        set_prompt(w);
    } else {
        w->phase = RS_CW_READY;
        snprintf(w->prompt, sizeof w->prompt, "%s",
                 w->mode == RS_CW_CALF ? "Saving the profile..." : "Saving on the roller...");
    }
}

/* A full window: ask the solver about it. */
static void evaluate(struct rs_calwiz *w)
{
    struct rs_calibrate_window win;
    rs_calibrate_window_stats(w->l, w->r, w->got, w->rate_hz, &win);
    char why[320], text[320];
    enum rs_calwiz_step s = w->steps[w->step];
    if (s == RS_CWS_TARE) {
        /* Steady first (a shaking load says so), then physics: a steady leg
         * is still a leg. The block changes only when both agree. */
        struct rs_cal next = w->cal;
        int rc = rs_calibrate_tare(&win, &w->lim, &next, why, sizeof why);
        if (rc == RS_CALIBRATE_OK)
            rc = rs_calibrate_tare_guard(&win, &w->lim, &w->zero, w->zero_known,
                                         w->empty_confirmed, why, sizeof why);
        if (rc == RS_CALIBRATE_UNCONFIRMED) {
            message(w, true, why);
            w->phase = RS_CW_CONFIRM;
            snprintf(w->prompt, sizeof w->prompt,
                     "Is the roller empty? Press Y if it is. Otherwise take everything off and "
                     "press Enter to measure again.");
            return;
        }
        if (rc) {
            refuse(w, why, false);
            return;
        }
        w->cal = next;
        snprintf(text, sizeof text, "Tare: zero at %ld counts left, %ld counts right.",
                 (long)w->cal.offset_left, (long)w->cal.offset_right);
        message(w, false, text);
        next_step(w);
        return;
    }
    struct rs_calibrate_placement *p = s == RS_CWS_CHECK ? &w->check : &w->pl[s - RS_CWS_LEFT];
    if (rs_calibrate_placement(&win, w->mass_kg, &w->cal, &w->lim, p, why, sizeof why)) {
        refuse(w, why, false);
        return;
    }
    if (s == RS_CWS_RIGHT) {
        if (rs_calibrate_span_solve(w->pl, 3, &w->cal, why, sizeof why)) {
            refuse(w, why, true); /* the placements themselves are wrong: start again */
            return;
        }
        snprintf(text, sizeof text, "Span: %.2f counts/N left, %.2f counts/N right.",
                 (double)w->cal.scale_left, (double)w->cal.scale_right);
        message(w, false, text);
    } else if (s == RS_CWS_CHECK) {
        double fl, fr;
        rs_calibrate_span_error(&w->cal, p, &w->check_err_n, &w->check_err_pct);
        rs_calibrate_apply(&w->cal, (int32_t)lround(p->d_left + w->cal.offset_left),
                           (int32_t)lround(p->d_right + w->cal.offset_right), &fl, &fr,
                           &w->check_x_mm);
        if (fabs(w->check_err_pct) > 2.0 && fabs(w->check_err_n) > 2.0) {
            snprintf(text, sizeof text,
                     "span check failed: the check placement is off by %+.1f N (%+.1f %%); "
                     "nothing was saved; repeat the span with the mass resting still",
                     w->check_err_n, w->check_err_pct);
            refuse(w, text, true);
            return;
        }
        snprintf(text, sizeof text, "Check: error %+.2f N (%+.2f %%) at %+.1f cm from the centre.",
                 rs_calibrate_nz(w->check_err_n, 2), rs_calibrate_nz(w->check_err_pct, 2),
                 rs_calibrate_nz(w->check_x_mm / 10.0, 1));
        message(w, false, text);
    } else {
        snprintf(text, sizeof text, "Placement %d: %+.0f counts left, %+.0f counts right.",
                 (int)(s - RS_CWS_LEFT) + 1, p->d_left, p->d_right);
        message(w, false, text);
    }
    next_step(w);
}

/* The movement is over: ask the solver (or check the calf length). */
static void evaluate_track(struct rs_calwiz *w)
{
    char why[320], text[320];
    enum rs_calwiz_step s = w->steps[w->step];
    w->tracking = false;
    if (s == RS_CWS_TURNS) {
        if (rs_calibrate_encoder_turns(w->enc_start, w->enc_now, w->turns, &w->lim, &w->cal, why,
                                       sizeof why)) {
            refuse(w, why, false);
            return;
        }
        snprintf(text, sizeof text, "Encoder: %.2f turns counted; forward is %s.",
                 fabs(w->moved_turns), w->cal.enc_dir > 0 ? "counting up" : "counting down");
    } else if (s == RS_CWS_DISTANCE) {
        if (rs_calibrate_radius_from_distance(w->enc_start, w->enc_now, w->distance_m, &w->cal,
                                              why, sizeof why)) {
            refuse(w, why, false);
            return;
        }
        snprintf(text, sizeof text, "Radius: %.2f mm (%.2f turns over %g m).",
                 w->cal.radius_um / 1000.0, fabs(w->moved_turns), w->distance_m);
    } else {
        if (!(w->moved_cm >= RS_CALWIZ_CALF_MIN_CM && w->moved_cm <= RS_CALWIZ_CALF_MAX_CM)) {
            snprintf(why, sizeof why,
                     "calf length refused: the roll measured %.1f cm, expected %g-%g cm; roll "
                     "once from the Achilles to just below the knee and try again",
                     w->moved_cm, RS_CALWIZ_CALF_MIN_CM, RS_CALWIZ_CALF_MAX_CM);
            refuse(w, why, false);
            return;
        }
        w->calf_cm = w->moved_cm;
        snprintf(text, sizeof text, "Calf length: %.1f cm.", w->calf_cm);
    }
    message(w, false, text);
    next_step(w);
}

void rs_calwiz_push(struct rs_calwiz *w, const struct rs_sample *s)
{
    meter(w, s);
    track(w, s);
    if (w->phase == RS_CW_SETTLE) {
        if (++w->got >= w->settle_n) {
            w->phase = RS_CW_MEASURE;
            w->got = 0;
        }
        return;
    }
    if (w->phase != RS_CW_MEASURE)
        return;
    w->l[w->got] = s->left;
    w->r[w->got] = s->right;
    if (++w->got >= w->window_n)
        evaluate(w);
}

static bool tracked_step(enum rs_calwiz_step s)
{
    return s == RS_CWS_TURNS || s == RS_CWS_DISTANCE || s == RS_CWS_CALF;
}

void rs_calwiz_confirm(struct rs_calwiz *w)
{
    if (w->phase == RS_CW_TRACK) {
        if (w->tracking)
            evaluate_track(w);
        return;
    }
    if (w->phase != RS_CW_PROMPT && w->phase != RS_CW_REFUSED && w->phase != RS_CW_CONFIRM)
        return;
    if (tracked_step(w->steps[w->step])) {
        /* The start is the first sample from now on: what the roller
         * reports after the user pressed Enter. */
        w->phase = RS_CW_TRACK;
        w->tracking = false;
        w->moved_turns = w->moved_cm = 0;
        set_prompt(w);
        return;
    }
    w->phase = w->settle_n ? RS_CW_SETTLE : RS_CW_MEASURE;
    w->got = 0;
    w->empty_confirmed = false; /* a confirmation is for the window it was given for */
    set_prompt(w);
}

void rs_calwiz_skip_check(struct rs_calwiz *w)
{
    if (w->nsteps > 0 && w->steps[w->nsteps - 1] == RS_CWS_CHECK)
        w->nsteps--;
}

void rs_calwiz_set_zero_known(struct rs_calwiz *w, bool known)
{
    /* The nominal block carries no measured zero, whatever the roller says
     * about it (a save that failed half way leaves it marked as saved). */
    struct rs_cal d;
    rs_calibrate_defaults(&d);
    bool nominal = w->zero.offset_left == d.offset_left && w->zero.offset_right == d.offset_right &&
                   w->zero.scale_left == d.scale_left && w->zero.scale_right == d.scale_right;
    w->zero_known = known && !nominal;
}

void rs_calwiz_confirm_empty(struct rs_calwiz *w)
{
    if (w->phase != RS_CW_CONFIRM)
        return;
    w->empty_confirmed = true;
    evaluate(w); /* the window just measured is still in l, r */
}

void rs_calwiz_cancel(struct rs_calwiz *w)
{
    if (w->phase == RS_CW_DONE || w->phase == RS_CW_FAILED)
        return;
    message(w, true, "calibration cancelled; nothing was saved");
    w->phase = RS_CW_FAILED;
}

void rs_calwiz_saved(struct rs_calwiz *w, bool ok, const char *why)
{
    if (w->phase != RS_CW_READY)
        return;
    if (ok) {
        w->phase = RS_CW_DONE;
        snprintf(w->prompt, sizeof w->prompt, "%s",
                 w->mode == RS_CW_CALF
                     ? "Saved in the profile. Press Enter or Esc to close."
                     : "Saved on the roller and read back. Press Enter or Esc to close.");
    } else {
        w->phase = RS_CW_FAILED;
        message(w, true, why ? why : "saving failed");
    }
}

double rs_calwiz_progress(const struct rs_calwiz *w)
{
    double total = (double)(w->settle_n + w->window_n);
    if (w->phase == RS_CW_SETTLE)
        return w->got / total;
    if (w->phase == RS_CW_MEASURE)
        return (w->settle_n + w->got) / total;
    return 0;
}

const char *rs_calwiz_phase_name(enum rs_calwiz_phase p)
{
    switch (p) {
    case RS_CW_PROMPT: return "prompt";
    case RS_CW_SETTLE: return "settle";
    case RS_CW_MEASURE: return "measure";
    case RS_CW_REFUSED: return "refused";
    case RS_CW_READY: return "ready";
    case RS_CW_DONE: return "done";
    case RS_CW_FAILED: return "failed";
    case RS_CW_TRACK: return "track";
    case RS_CW_CONFIRM: return "confirm";
    }
    return "unknown";
}
