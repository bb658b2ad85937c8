/*
 * cmd_calibrate.h - shared by the calibrate command's files: the roller
 * conversation and the steps (cmd_calibrate.c), the one driver of the
 * wizard for the terminal and the window (cmd_calibrate_run.c), the window
 * (cmd_calibrate_gui.c) and the profiles (cmd_profile.c). Internal to the
 * CLI; every name carries the rs_calcli_ prefix.
 */
#ifndef RS_CMD_CALIBRATE_H
#define RS_CMD_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "rs_caldev.h"
#include "rs_calwiz.h"


struct rs_calcli_opts {
    const char *port, *device;
    bool yes, json, reset, measure, no_check, list, measure_calf, gui;
    bool empty;               /* tare: the user confirms an empty roller (first tare) */
    bool forget_zero;         /* tare: the saved zero is wrong; judge as a first tare */
    double window_s;
    double mass_kg, turns, distance_m;
    bool have_mass, have_turns, have_distance;
    const char *name, *use, *del;
    double p_mass, p_calf, p_limit;
    bool have_p_mass, have_p_calf, have_p_limit;
    const char *screenshot;   /* --gui: PNG of the last frame */
    const char *file;         /* restore FILE */
};

/* The terminal side: line input without stdio buffering (poll + read), so
 * waiting for Enter and reading the roller can share one loop. */
struct rs_calcli_ui {
    const struct rs_calcli_opts *o;
    bool tty;
    char in[512];
    size_t in_len;
    bool eof;
    bool meter_shown;         /* a live line is on screen (ended by rs_cal_say) */
};

/* The roller and its host mirror. */
struct rs_calcli_roller {
    struct rs_caldev *d;
    struct rs_cal cal;        /* the block in use on the roller */
    char mirror[1024];        /* the host mirror's path */
};

/* One line on stdout (ends a live meter line first). */
void rs_cal_say(struct rs_calcli_ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One complete stdin line: 1, none yet: 0, end of input: -1. */
int rs_cal_take_line(struct rs_calcli_ui *u, char *line, size_t cap);
/* Read what stdin has within timeout_ms (-1: wait). */
void rs_cal_fill(struct rs_calcli_ui *u, int timeout_ms);
/* Open the roller, read its block, optionally start streaming. 0 or -1 (reported). */
int rs_cal_connect(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, struct rs_calcli_roller *ss, bool stream);
/* Save blk on the roller, verify, mirror with the previous version. 0 or -1 (reported). */
int rs_cal_save(struct rs_calcli_ui *u, struct rs_calcli_roller *ss, struct rs_cal *blk);

/*
 * What a front end does for the wizard's driver: the terminal has no keys
 * and no screen (NULL callbacks: lines on stdin and printed text only); the
 * window adds its keys and draws a frame.
 */
enum rs_calcli_act { RS_CALCLI_NONE, RS_CALCLI_ENTER, RS_CALCLI_EMPTY, RS_CALCLI_STOP };

struct rs_calcli_front {
    void *ctx;
    /* The user's key since the last call (RS_CALCLI_NONE: none); *closed on a
     * window close. */
    enum rs_calcli_act (*keys)(void *ctx, bool *closed);
    /* Draw the wizard (last: the final frame). */
    void (*draw)(void *ctx, const struct rs_calwiz *wz, bool last);
    /* Wait for Enter or Esc after the end (a window stays until closed). */
    bool hold_at_end;
};

/*
 * Run the wizard wz (initialised by the caller for the roller ss) to its
 * end: feed it the roller's samples and the user's answers (stdin lines:
 * empty = Enter, y = the roller is empty, q = stop; --yes answers itself),
 * print every new instruction, result and refusal, save a solved block with
 * rs_cal_save. A calf wizard ends at READY (the caller keeps calf_cm).
 * Returns 0 when the wizard finished (DONE, or READY for the calf), else -1.
 */
int rs_calcli_drive(struct rs_calcli_ui *u, struct rs_calcli_roller *ss, struct rs_calwiz *wz,
                    const struct rs_calcli_front *f);

/* Start a wizard for the roller ss: the roller's block, sample rate and
 * whether it holds a saved calibration (the tare's known zero). */
void rs_calcli_wizard(struct rs_calwiz *wz, const struct rs_calcli_opts *o,
                      struct rs_calcli_roller *ss, enum rs_calwiz_mode mode);

/* The arguments of a wizard checked before the roller is opened (light
 * mass, turns, distance): 0, or -1 with the refusal printed. */
int rs_calcli_precheck(const struct rs_calcli_opts *o, enum rs_calwiz_mode mode);

/* The window wizard for tare, span or encoder (cmd_calibrate_gui.c). Returns an exit code. */
int rs_cal_gui(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, enum rs_calwiz_mode mode);

/* `rollsense calibrate profile` (cmd_profile.c). Returns an exit code. */
int rs_calcli_profile(struct rs_calcli_ui *u, const struct rs_calcli_opts *o);

#endif
