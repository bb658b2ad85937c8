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
 *
 * Two more wizards follow the roller's encoder instead of its load
 * (rs_calwiz_init_encoder, rs_calwiz_init_calf): Enter starts following,
 * the user turns or rolls, Enter again ends it (phase RS_CW_TRACK):
 * - encoder (`calibrate encoder`): turn N times forward by hand (count within
 *   0.1 turn, direction -> enc_dir), optionally roll a measured distance
 *   (-> effective radius); READY then holds the block to save as for a span.
 * - calf (`calibrate profile --measure-calf`): roll once from the Achilles
 *   to just below the knee; READY then holds calf_cm (5-64 cm) for the shell
 *   to put into the profile (the roller's block is not changed).
 */
#ifndef RS_CALWIZ_H
#define RS_CALWIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_calibrate.h"

enum rs_calwiz_mode {
    RS_CW_TARE, RS_CW_SPAN, RS_CW_FULL /* tare, then span */,
    RS_CW_ENCODER,  /* turns (and a measured distance) */
    RS_CW_CALF,     /* the profile's calf length by rolling once */
};

enum rs_calwiz_phase {
    RS_CW_PROMPT,   /* showing an instruction, waiting for confirm */
    RS_CW_SETTLE,   /* confirmed: skipping the settling samples */
    RS_CW_MEASURE,  /* collecting the window */
    RS_CW_REFUSED,  /* the solver refused; confirm measures again */
    RS_CW_READY,    /* solved: the shell saves result, then calls rs_calwiz_saved */
    RS_CW_DONE,     /* saved */
    RS_CW_FAILED,   /* cancelled, or a refusal that cannot be retried */
    RS_CW_TRACK,    /* following the encoder; confirm ends the movement */
    RS_CW_CONFIRM,  /* tare with no known zero: rs_calwiz_confirm_empty tares the window
                       just measured, confirm measures again */
};

enum rs_calwiz_step {
    RS_CWS_TARE, RS_CWS_LEFT, RS_CWS_CENTRE, RS_CWS_RIGHT, RS_CWS_CHECK,
    RS_CWS_TURNS,     /* encoder: N turns forward by hand */
    RS_CWS_DISTANCE,  /* encoder: roll a measured distance forward */
    RS_CWS_CALF,      /* profile: one roll from the Achilles to below the knee */
};

/* Accepted calf lengths: the profile's (RS_PROFILE_CALF_MIN/MAX in
 * host/profile/rs_profiles.h, which this library does not link);
 * test_calib_profiles checks that they are equal. */
#define RS_CALWIZ_CALF_MIN_CM 5.0
#define RS_CALWIZ_CALF_MAX_CM 64.0

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
    struct rs_cal zero;                   /* the roller's zero (its block at the start) */
    bool zero_known;                      /* zero holds a saved calibration */
    bool empty_confirmed;                 /* the user confirmed an empty roller */
    struct rs_calibrate_placement pl[3], check;
    double check_err_n, check_err_pct, check_x_mm;
    /* encoder steps */
    double turns, distance_m;             /* what the user is asked to do */
    bool tracking;                        /* RS_CW_TRACK: enc_start is set */
    int32_t enc_start, enc_now;
    bool have_enc;
    double moved_turns;                   /* signed turns since enc_start */
    double moved_cm;                      /* surface travel since enc_start */
    double calf_cm;                       /* RS_CW_CALF result (READY, DONE) */
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

/*
 * The encoder check: turns forward by hand (<= 0: 3), then, when
 * distance_m > 0, a roll over that many metres for the radius. current as
 * for rs_calwiz_init. Turns or a distance the solver refuses (1-100 turns,
 * 0.2-20 m) fail at once with its message.
 */
void rs_calwiz_init_encoder(struct rs_calwiz *w, double turns, double distance_m,
                            double rate_hz, const struct rs_cal *current);

/* The calf length for the profile: one roll, measured with current's
 * radius (the nominal one when it is implausible). */
void rs_calwiz_init_calf(struct rs_calwiz *w, double rate_hz, const struct rs_cal *current);

/*
 * Whether the block given to rs_calwiz_init is the roller's saved
 * calibration (default: yes; never for the nominal block itself). The tare is guarded by it
 * (rs_calibrate_tare_guard): with a known zero a loaded roller is refused;
 * without one (never calibrated, or a corrupt block) a reading off the
 * nominal zero asks for a confirmation of an empty roller (RS_CW_CONFIRM).
 */
void rs_calwiz_set_zero_known(struct rs_calwiz *w, bool known);

/* The user confirms that the roller is empty (Y) in RS_CW_CONFIRM: the
 * window just measured is tared. Ignored in any other phase. */
void rs_calwiz_confirm_empty(struct rs_calwiz *w);

/* A span without its check placement (`calibrate span --no-check`); call
 * right after rs_calwiz_init. */
void rs_calwiz_skip_check(struct rs_calwiz *w);

/* One sample from the roller (any phase). */
void rs_calwiz_push(struct rs_calwiz *w, const struct rs_sample *s);

/* The user confirms (Enter): start measuring, or measure again after a
 * refusal (or instead of confirming an empty roller); in RS_CW_TRACK: the movement is over (ignored until a sample
 * has given the starting count). */
void rs_calwiz_confirm(struct rs_calwiz *w);

/* The user gives up. */
void rs_calwiz_cancel(struct rs_calwiz *w);

/* The shell tried to save the result (READY): ok, or a one-line reason. */
void rs_calwiz_saved(struct rs_calwiz *w, bool ok, const char *why);

/* Fraction of the current measurement done, 0..1 (0 outside SETTLE/MEASURE). */
double rs_calwiz_progress(const struct rs_calwiz *w);

const char *rs_calwiz_phase_name(enum rs_calwiz_phase p);

#endif
