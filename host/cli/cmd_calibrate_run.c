/*
 * cmd_calibrate_run.c - the one driver of the calibration wizard
 * (rs_calwiz.h) for `rollsense calibrate` in the terminal and in its window.
 *
 * The steps, their order, the solver and every refusal are the wizard's: the
 * terminal, `--gui` and the live window (host/session/rs_livecal.c) run the
 * same sequence. This file only moves things between the roller, the user
 * and the wizard: the roller's samples in, the user's answers in (lines on
 * stdin, and a window's keys through rs_calcli_front), the wizard's new
 * instructions, results and refusals out (refusals verbatim on stderr), and
 * a solved block onto the roller (rs_cal_save).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_calibrate.h"
#include "rs_defaults.h"

#define FRAME_MS 33     /* wait for samples at most this long per turn */
#define DRAIN_MAX 4096  /* samples per turn: an emulated roller may send faster */

struct drive {
    struct rs_calcli_ui *u;
    struct rs_calcli_roller *ss;
    struct rs_calwiz *wz;
    const struct rs_calcli_front *f;
    char last_prompt[256], last_msg[320];
    enum rs_calwiz_phase last_phase;
    bool end_track;     /* Enter ended a movement: confirm at the next sample */
    unsigned meter_k;   /* samples since the live line was printed */
};

static bool waiting(enum rs_calwiz_phase p)
{
    return p == RS_CW_PROMPT || p == RS_CW_REFUSED || p == RS_CW_TRACK || p == RS_CW_CONFIRM;
}

static bool ended(enum rs_calwiz_phase p)
{
    return p == RS_CW_DONE || p == RS_CW_FAILED;
}

/* Print what changed in the wizard since the last call. */
static void report(struct drive *dv)
{
    const struct rs_calwiz *wz = dv->wz;
    if (strcmp(wz->message, dv->last_msg) != 0) {
        snprintf(dv->last_msg, sizeof dv->last_msg, "%s", wz->message);
        if (wz->message[0]) {
            if (wz->message_is_error)
                rs_cli_error("%s", wz->message);
            else
                rs_cal_say(dv->u, "%s", wz->message);
        }
    }
    bool prompt_phase = wz->phase == RS_CW_PROMPT || wz->phase == RS_CW_DONE ||
                        wz->phase == RS_CW_TRACK || wz->phase == RS_CW_CONFIRM;
    if (prompt_phase && (strcmp(wz->prompt, dv->last_prompt) != 0 || dv->last_phase != wz->phase)) {
        snprintf(dv->last_prompt, sizeof dv->last_prompt, "%s", wz->prompt);
        rs_cal_say(dv->u, "Step %d of %d: %s", wz->step + 1, wz->nsteps, wz->prompt);
    }
    const char *stop = dv->f->keys ? "Esc" : "type q and Enter";
    if (wz->phase == RS_CW_REFUSED && dv->last_phase != RS_CW_REFUSED)
        rs_cal_say(dv->u, "Press Enter to %s again, or %s to stop.",
                   wz->mode == RS_CW_ENCODER || wz->mode == RS_CW_CALF ? "start" : "measure",
                   stop);
    if (wz->phase == RS_CW_CONFIRM && dv->last_phase != RS_CW_CONFIRM)
        rs_cal_say(dv->u, "Type y and Enter%s if the roller is empty; Enter measures again, %s "
                          "stops.", dv->f->keys ? " (or press Y)" : "", stop);
    dv->last_phase = wz->phase;
}

/* The answer --yes gives in this phase: Enter, the --empty confirmation, or
 * stop after a refusal (a refusal is final). */
static enum rs_calcli_act auto_answer(const struct drive *dv)
{
    enum rs_calwiz_phase p = dv->wz->phase;
    if (p == RS_CW_REFUSED)
        return RS_CALCLI_STOP;
    if (p == RS_CW_CONFIRM)
        return dv->u->o->empty ? RS_CALCLI_EMPTY : RS_CALCLI_STOP;
    return waiting(p) || ended(p) ? RS_CALCLI_ENTER : RS_CALCLI_NONE;
}

/* The user's answer this turn: a key, a line on stdin, --yes; end of input
 * stops. */
static enum rs_calcli_act answer(struct drive *dv, bool *closed)
{
    enum rs_calcli_act a = dv->f->keys ? dv->f->keys(dv->f->ctx, closed) : RS_CALCLI_NONE;
    if (a != RS_CALCLI_NONE)
        return a;
    if (dv->u->o->yes)
        return auto_answer(dv);
    char line[64];
    rs_cal_fill(dv->u, 0);
    int got = rs_cal_take_line(dv->u, line, sizeof line);
    if (got < 0)
        return waiting(dv->wz->phase) || ended(dv->wz->phase) ? RS_CALCLI_STOP : RS_CALCLI_NONE;
    if (got == 0)
        return RS_CALCLI_NONE;
    if (line[0] == 'q' || line[0] == 'Q')
        return RS_CALCLI_STOP;
    if (line[0] == 'y' || line[0] == 'Y')
        return RS_CALCLI_EMPTY;
    return RS_CALCLI_ENTER;
}

/*
 * Hand the answer to the wizard. Returns 1 when the driver is done: the
 * end was acknowledged, or the user stopped after a refusal (which was the
 * last word: nothing more is printed), -1 on a lost roller, else 0.
 */
static int apply(struct drive *dv, enum rs_calcli_act a)
{
    struct rs_calwiz *wz = dv->wz;
    if (ended(wz->phase))
        return !dv->f->hold_at_end || a != RS_CALCLI_NONE;
    if (a == RS_CALCLI_STOP) {
        if (wz->phase == RS_CW_REFUSED || wz->phase == RS_CW_CONFIRM)
            return 1;
        rs_calwiz_cancel(wz);
        return 0;
    }
    if (a == RS_CALCLI_EMPTY && wz->phase == RS_CW_CONFIRM) {
        rs_calwiz_confirm_empty(wz);
        return 0;
    }
    if (a == RS_CALCLI_NONE || !waiting(wz->phase))
        return 0;
    char why[256];
    /* Only what the roller measures from now on counts. */
    if (rs_caldev_flush(dv->ss->d, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return -1;
    }
    /* The end of a movement counts from a sample taken after Enter. */
    if (wz->phase == RS_CW_TRACK)
        dv->end_track = true;
    else
        rs_calwiz_confirm(wz);
    return 0;
}

/* The terminal's live line (force per side, steady/changing) while the
 * wizard waits for the user, every 16 samples. */
static void meter(struct drive *dv)
{
    const struct rs_calwiz *wz = dv->wz;
    if (!dv->u->tty || dv->f->draw || !waiting(wz->phase) || ++dv->meter_k < 16)
        return;
    dv->meter_k = 0;
    printf("\r  left %7.1f N   right %7.1f N   total %7.1f N   %-8s (+-%.1f N)   ",
           rs_calibrate_nz(wz->left_n, 1), rs_calibrate_nz(wz->right_n, 1),
           rs_calibrate_nz(wz->total_n, 1), wz->sd_n <= 1.0 ? "steady" : "changing", wz->sd_n);
    fflush(stdout);
    dv->u->meter_shown = true;
}

/* The roller's samples into the wizard; waiting for them paces the loop. */
static int pump(struct drive *dv)
{
    struct rs_sample s;
    char why[256];
    int n = rs_caldev_sample(dv->ss->d, &s, FRAME_MS, why, sizeof why);
    for (int k = 0; n > 0; k++) {
        rs_calwiz_push(dv->wz, &s);
        if (dv->end_track) {
            dv->end_track = false;
            rs_calwiz_confirm(dv->wz);
        }
        meter(dv);
        n = k < DRAIN_MAX ? rs_caldev_sample(dv->ss->d, &s, 0, why, sizeof why) : 0;
    }
    if (n < 0) {
        rs_cli_error("calibrate: %s", why);
        return -1;
    }
    return 0;
}

/* A solved block onto the roller (a calf length stays with the caller). */
static void save(struct drive *dv)
{
    report(dv);
    struct rs_cal blk = dv->wz->cal;
    bool ok = rs_cal_save(dv->u, dv->ss, &blk) == 0;
    rs_calwiz_saved(dv->wz, ok, ok ? NULL : "saving on the roller failed (see the terminal)");
}

int rs_calcli_drive(struct rs_calcli_ui *u, struct rs_calcli_roller *ss, struct rs_calwiz *wz,
                    const struct rs_calcli_front *f)
{
    struct drive dv = { .u = u, .ss = ss, .wz = wz, .f = f,
                        .last_phase = (enum rs_calwiz_phase)-1 };
    int done = 0;
    while (done == 0) {
        report(&dv);
        bool closed = false;
        done = apply(&dv, answer(&dv, &closed));
        if (closed && done == 0) {
            rs_calwiz_cancel(wz);
            done = 1;
        }
        if (done == 0)
            done = pump(&dv);
        if (wz->phase == RS_CW_READY && wz->mode == RS_CW_CALF)
            break;
        if (wz->phase == RS_CW_READY)
            save(&dv);
        if (f->draw)
            f->draw(f->ctx, wz, done != 0);
    }
    report(&dv);
    return wz->phase == RS_CW_DONE || (wz->phase == RS_CW_READY && wz->mode == RS_CW_CALF) ? 0
                                                                                         : -1;
}

int rs_calcli_precheck(const struct rs_calcli_opts *o, enum rs_calwiz_mode mode)
{
    static struct rs_calwiz wz;
    struct rs_cal nominal;
    rs_calibrate_defaults(&nominal);
    if (mode == RS_CW_ENCODER)
        rs_calwiz_init_encoder(&wz, o->have_turns ? o->turns : 3,
                               o->have_distance ? o->distance_m : 0, RS_SAMPLE_RATE_HZ, &nominal);
    else
        rs_calwiz_init(&wz, mode, o->mass_kg, RS_SAMPLE_RATE_HZ, o->window_s, &nominal);
    if (wz.phase != RS_CW_FAILED)
        return 0;
    rs_cli_error("%s", wz.message);
    return -1;
}

void rs_calcli_wizard(struct rs_calwiz *wz, const struct rs_calcli_opts *o,
                      struct rs_calcli_roller *ss, enum rs_calwiz_mode mode)
{
    const struct rs_info *info = rs_caldev_info(ss->d);
    double rate = info->sample_rate_hz > 0 && info->sample_rate_hz <= 2000
                      ? info->sample_rate_hz
                      : RS_SAMPLE_RATE_HZ;
    struct rs_cal cur = ss->cal;
    if (mode == RS_CW_ENCODER) {
        /* An implausible radius is the nominal one. */
        if (cur.radius_um < 20000 || cur.radius_um > 150000)
            cur.radius_um = RS_DEFAULT_RADIUS_UM;
        rs_calwiz_init_encoder(wz, o->have_turns ? o->turns : 3,
                               o->have_distance ? o->distance_m : 0, rate, &cur);
    } else if (mode == RS_CW_CALF) {
        rs_calwiz_init_calf(wz, rate, &cur);
    } else {
        rs_calwiz_init(wz, mode, o->mass_kg, rate, o->window_s, &cur);
        if (o->no_check)
            rs_calwiz_skip_check(wz);
    }
    rs_calwiz_set_zero_known(wz, info->cal_state == RS_CAL_OK && !o->forget_zero);
}
