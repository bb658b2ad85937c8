/*
 * rs_sim.h - the simulated user: a scenario (docs/scenario-format.md) turned
 * into raw device sample frames plus ground truth.
 *
 * Serves the unit tests (frames with known truth), `rollsense demo` (the
 * built-in scenarios) and the physical model of the firmware emulator
 * (rs_sim_physics: forces and roller angle at any time).
 *
 * Pure and deterministic: no I/O, no clock, no allocation. A scenario is a
 * caller-owned fixed-size struct; the same scenario and seed always give the
 * same frames. Raw counts use the nominal device constants of
 * firmware/include/rs_defaults.h (2189.8 counts/N per side, 380 mm between the
 * cell lines, radius 70 mm, 16384 counts per revolution).
 */
#ifndef RS_SIM_H
#define RS_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_proto.h"

#define RS_SCN_MAX_SEGS 160
#define RS_SCN_MAX_EXPECT 16
#define RS_SCN_MAX_FAULTS 8
#define RS_SCN_MAX_GAPS 8

enum rs_seg_kind { RS_SEG_ROLL, RS_SEG_HOLD, RS_SEG_REST, RS_SEG_LIFT };

struct rs_seg {
    int kind;                /* enum rs_seg_kind */
    double dur;              /* s */
    double speed;            /* cm/s, + towards the knee (roll only) */
    double force;            /* N total while in contact */
    double x0, x1;           /* lateral mm at start and end (slides linearly) */
    double wobble_cm;        /* hold: peak-to-peak micro-movement */
    double wobble_period;    /* s */
    double dip_s;            /* hold: a pressure dip of this length mid-hold */
    double creep_pct;        /* hold: force changes by this % over the hold */
    double bounce_n;         /* force oscillation amplitude, N (bouncing on the roller) */
    double bounce_hz;        /* its frequency */
    double ramp_s;           /* force change at the segment start takes this long */
    int line;                /* source line */
    /* derived by the parser */
    double t0;               /* start time, s */
    double disp0;            /* cumulative surface travel at start, cm */
    double pos0;             /* position along the calf at start, cm */
    double f_prev;           /* force at the end of the previous segment */
    double v_start;          /* roll: speed at the start (the previous roll's, or 0) */
    double u_up, u_down;     /* roll: end of the speed-up, start of the slow-down (s) */
};

struct rs_scenario {
    char name[64];
    char label[64];
    uint64_t seed;
    double mass_kg, calf_cm;
    double noise_n;          /* rms per side */
    double enc_noise;        /* +- counts, uniform */
    double drift_n, drift_s; /* drift_n over drift_s, linear, both sides */
    double drop;             /* probability a frame is dropped */
    double accel;            /* cm/s^2 for speed changes; 0 = instant */
    double tremor_mm;        /* leg tremor while resting: amplitude, +- mm (0 = none) */
    double tremor_hz;        /* its frequency */
    double tremor_phase;     /* rad, from the seed */
    int32_t offset_left, offset_right;
    uint32_t t0_us;
    double phase_s;          /* scenario time of the first frame, 0..12.5 ms (from the seed) */
    bool loop;
    bool check_truth;        /* tests compare holds with truth (default on) */
    struct { uint16_t bit; double t, dur; } faults[RS_SCN_MAX_FAULTS];
    int nfaults;
    struct { double t, dur; } gaps[RS_SCN_MAX_GAPS];
    int ngaps;
    char expect[RS_SCN_MAX_EXPECT][96];  /* "expect ..." lines for tests, verbatim */
    int nexpect;
    struct rs_seg seg[RS_SCN_MAX_SEGS];
    int nseg;
    double duration;         /* s, one pass of the timeline */
    double cycle_disp;       /* cm of surface travel per pass */
};

/*
 * Parse scenario text. On error returns a negative value and writes one line
 * "FILE:LINE: <what>" into err. filename is only used in messages.
 */
int rs_scenario_parse(struct rs_scenario *scn, const char *text, const char *filename,
                      char *err, size_t errcap);

/* Change the seed of a parsed scenario: noise, drops, frame phase and tremor
 * phase follow it (the same physics, another draw). */
void rs_scenario_reseed(struct rs_scenario *scn, uint64_t seed);

/* Built-in scenario text by name ("demo", ...), or NULL. */
const char *rs_scenario_builtin(const char *name);
/* Names of the built-ins, NULL-terminated. */
const char *const *rs_scenario_builtin_names(void);

/* The clean physical state at time t (s since the start; loops if the scenario does). */
struct rs_sim_state {
    double left_n, right_n, total_n;
    double x_mm;
    double speed_cm_s;       /* signed, + towards the knee */
    double disp_cm;          /* cumulative surface travel */
    double pos_cm;           /* along the calf */
    bool contact;            /* total force above 1 N */
    bool steady;             /* speed constant for the last 0.3 s */
    int seg;                 /* segment index */
    int hold;                /* 1-based index of the true hold, 0 if none */
};
void rs_scenario_state(const struct rs_scenario *scn, double t, struct rs_sim_state *out);

/* For the firmware emulator's physical model. */
struct rs_phys {
    double left_n, right_n;  /* force on each cell line, N */
    double angle_rad;        /* roller angle, cumulative, + towards the knee */
};
void rs_sim_physics(const struct rs_scenario *scn, double t, struct rs_phys *out);

/* The true holds of one pass (hold segments), in order. */
struct rs_truth_hold {
    double start, end;
    int leg;                 /* 0 uncertain, 1 left, 2 right (enum rs_leg) */
    double x_mm;
};
int rs_scenario_holds(const struct rs_scenario *scn, struct rs_truth_hold *out, int max);

/* ---- frame generator ------------------------------------------------------- */

struct rs_sim {
    const struct rs_scenario *scn;
    uint64_t n;              /* frames produced or dropped so far */
    uint64_t rng, rng_drop;
    uint32_t dropped;
};

struct rs_sim_truth {
    double t;                /* scenario time, s (the first frame is at phase_s) */
    struct rs_sim_state st;
    uint32_t dropped_before; /* frames dropped just before this one */
    uint16_t status;
};

void rs_sim_init(struct rs_sim *sim, const struct rs_scenario *scn);

/*
 * Next delivered sample frame (dropped frames are skipped, their sequence
 * numbers consumed). Returns 1, or 0 when a non-looping scenario has ended.
 * truth may be NULL.
 */
int rs_sim_next(struct rs_sim *sim, struct rs_sample *out, struct rs_sim_truth *truth);

#endif
