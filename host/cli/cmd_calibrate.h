/*
 * cmd_calibrate.h - shared between the calibrate command's terminal steps
 * (cmd_calibrate.c) and its window wizard (cmd_calibrate_gui.c). Internal
 * to the CLI.
 */
#ifndef RS_CMD_CALIBRATE_H
#define RS_CMD_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "rs_caldev.h"
#include "rs_calwiz.h"

#define RS_CAL_METER_N 40     /* samples behind the live stability figure */

struct opts {
    const char *port, *device;
    bool yes, json, reset, measure, no_check, list, measure_calf, gui;
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
struct ui {
    const struct opts *o;
    bool tty;
    char in[512];
    size_t in_len;
    bool eof;
    /* live meter */
    double tot[RS_CAL_METER_N];
    unsigned tot_n, tot_i, since_print;
    bool meter_shown;
};

/* The roller and its host mirror. */
struct session {
    struct rs_caldev *d;
    struct rs_cal cal;        /* the block in use on the roller */
    char mirror[1024];        /* the host mirror's path */
};

/* One line on stdout (ends a live meter line first). */
void rs_cal_say(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One complete stdin line: 1, none yet: 0, end of input: -1. */
int rs_cal_take_line(struct ui *u, char *line, size_t cap);
/* Read what stdin has within timeout_ms (-1: wait). */
void rs_cal_fill(struct ui *u, int timeout_ms);
/* Open the roller, read its block, optionally start streaming. 0 or -1 (reported). */
int rs_cal_connect(struct ui *u, const struct opts *o, struct session *ss, bool stream);
/* Save blk on the roller, verify, mirror with the previous version. 0 or -1 (reported). */
int rs_cal_save(struct ui *u, struct session *ss, struct rs_cal *blk);

/* The window wizard for tare, span or encoder (cmd_calibrate_gui.c). Returns an exit code. */
int rs_cal_gui(struct ui *u, const struct opts *o, enum rs_calwiz_mode mode);

#endif
