/*
 * rs_pass.h - rolling passes: one stroke of the roller along the calf in one
 * direction, from the moment it starts moving to the moment it stops or
 * turns, reported with its distance and its mean and peak speed so that a
 * user (or a test) can check the speed anywhere, not only at band changes.
 *
 * Pure and allocation-free; fed by the pipeline once per sample.
 */
#ifndef RS_PASS_H
#define RS_PASS_H

#include <stdbool.h>

struct rs_pass {
    double start_t, end_t;   /* s, device time */
    double distance_cm;      /* surface travel, > 0 */
    double mean_cm_s;        /* distance / (end - start) */
    double peak_cm_s;        /* highest windowed speed seen */
    int dir;                 /* +1 towards the knee, -1 towards the ankle */
    int leg;                 /* enum rs_leg most seen during the pass */
};

struct rs_pass_det {
    bool on;
    int dir;
    double cross_t, start_disp, peak;
    double leg_time[3];
};

/*
 * One sample: t (s), dt since the previous sample, cumulative travel disp
 * (cm), the travel win_disp at the start of the speed window, the windowed
 * signed speed vel (cm/s), in contact, leg (enum rs_leg). A pass starts when
 * in contact with |vel| >= moving_cm_s; it ends when the speed falls below
 * that, turns, or the contact ends. Start and end are the threshold
 * crossings corrected for the window's lag (see rs_pass.c); the distance is
 * the travel from where the window began at the start to where the roller
 * is at the end (at a turn: where the window began). Returns true and fills
 * *out when a pass of at least min_cm ended.
 */
bool rs_pass_step(struct rs_pass_det *d, double t, double dt, double disp, double win_disp,
                  double vel, bool contact, int leg, double moving_cm_s, double window_s,
                  double min_cm, struct rs_pass *out);

#endif
