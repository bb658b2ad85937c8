/*
 * rs_calwiz.h - the tare and span steps as a pure state machine, for the
 * window's calibration wizard (and anything else that is event driven).
 *
 * The caller feeds every sample (rs_calwiz_push) and the user's actions
 * (confirm = Enter or a click, cancel = Esc); the wizard keeps the live
 * readings, collects the measurement windows, asks the solver
 * (rs_calibrate.h) and exposes what to show: a title, "step k of n", the
 * instruction, the last result or refusal (verbatim from the solver), and the
 * phase. When the block is solved it waits in RS_CW_READY for the shell to
 * save it on the roller (rs_calwiz_saved). No I/O, no clock, no allocation.
 *
 * The sequence is that of `rollsense calibrate tare` / `span`: tare; span
 * placements at the left end, the centre and the right end; a check
 * placement (not saved when it is off by more than 2 % and 2 N).
 */
#ifndef RS_CALWIZ_H
#define RS_CALWIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_calibrate.h"

enum rs_calwiz_mode { RS_CW_TARE, RS_CW_SPAN, RS_CW_FULL /* tare, then span */ };

enum rs_calwiz_phase {
    RS_CW_PROMPT,   /* showing an instruction, waiting for confirm */
    RS_CW_SETTLE,   /* confirmed: skipping the settling samples */
    RS_CW_MEASURE,  /* collecting the window */
    RS_CW_REFUSED,  /* the solver refused; confirm measures again */
    RS_CW_READY,    /* solved: the shell saves result, then calls rs_calwiz_saved */
    RS_CW_DONE,     /* saved */
    RS_CW_FAILED,   /* cancelled, or a refusal that cannot be retried */
};

enum rs_calwiz_step { RS_CWS_TARE, RS_CWS_LEFT, RS_CWS_CENTRE, RS_CWS_RIGHT, RS_CWS_CHECK };

#define RS_CALWIZ_WINDOW_MAX 2400   /* 30 s at 80 Hz */
#define RS_CALWIZ_METER 40          /* samples behind the live stability figure */

struct rs_calwiz {
    /* configuration */
    enum rs_calwiz_mode mode;
    double mass_kg;
    double rate_hz;
    size_t settle_n, window_n;
    struct rs_calibrate_limits lim;
    /* progress */
    enum rs_calwiz_step steps[5];
    int nsteps, step;
    enum rs_calwiz_phase phase;
    size_t got;
    int32_t l[RS_CALWIZ_WINDOW_MAX], r[RS_CALWIZ_WINDOW_MAX];
    struct rs_cal cal;                    /* the block being built */
    struct rs_calibrate_placement pl[3], check;
    double check_err_n, check_err_pct, check_x_mm;
    /* live readings under cal */
    double left_n, right_n, total_n, sd_n;
    double meter[RS_CALWIZ_METER];
    unsigned meter_n, meter_i;
    bool have_live;
    /* text to show */
    char title[64];
    char prompt[256];
    char message[320];
    bool message_is_error;
};

/*
 * Start. current = the block the roller uses now (its offsets and scales are
 * the starting point; invalid scales are replaced by the nominal ones).
 * rate_hz = the roller's sample rate; window_s = seconds per measurement.
 * A span with a mass under the minimum fails at once with the solver's
 * message (phase RS_CW_FAILED).
 */
void rs_calwiz_init(struct rs_calwiz *w, enum rs_calwiz_mode mode, double mass_kg,
                    double rate_hz, double window_s, const struct rs_cal *current);

/* One sample from the roller (any phase). */
void rs_calwiz_push(struct rs_calwiz *w, const struct rs_sample *s);

/* The user confirms (Enter): start measuring, or measure again after a refusal. */
void rs_calwiz_confirm(struct rs_calwiz *w);

/* The user gives up. */
void rs_calwiz_cancel(struct rs_calwiz *w);

/* The shell tried to save the result (READY): ok, or a one-line reason. */
void rs_calwiz_saved(struct rs_calwiz *w, bool ok, const char *why);

/* Fraction of the current measurement done, 0..1 (0 outside SETTLE/MEASURE). */
double rs_calwiz_progress(const struct rs_calwiz *w);

const char *rs_calwiz_phase_name(enum rs_calwiz_phase p);

#endif
