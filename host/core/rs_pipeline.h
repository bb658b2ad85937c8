/*
 * rs_pipeline.h - the host core: raw sample frames in, live state and events
 * out. Calibration, auto-zero, kinematics and the detectors (speed and force
 * bands, trigger-point holds with cues, dose advice, knee zone, faults, gaps).
 *
 * Contract
 * - Pure and deterministic: no I/O, no clock, no allocation. struct
 *   rs_pipeline is caller-owned and fixed size; rs_pipeline_push() touches
 *   only it and the caller's event list. The same frames give the same
 *   events whatever batches the caller feeds them in.
 * - Time is device time: t_us of the samples, unwrapped across the 32-bit
 *   wrap, in seconds since the first sample pushed (events carry it as "t").
 * - A gap (a sequence jump or rs_pipeline_mark_gap()) is reported as a `gap`
 *   event and never silently creates or extends a hold: a gap longer than
 *   gap_bridge_ms ends a running hold at the last sample before the gap and
 *   restarts the stillness and speed estimators.
 * - Setters apply from the next sample on; nothing restarts.
 *
 * Sign conventions: lateral x in mm, 0 = roller centre, + = right. Position
 * along the calf in cm from the Achilles end (0) towards the knee; forward
 * roller rotation (after enc_dir) moves the contact towards the knee.
 */
#ifndef RS_PIPELINE_H
#define RS_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_config.h"
#include "rs_pass.h"
#include "rs_proto.h"
#include "rs_seq.h"

/* ---- inputs -------------------------------------------------------------- */

/* Calibration in use (from the device's cal frame or the calibrate command). */
struct rs_calib {
    int32_t offset_left, offset_right;   /* raw counts at zero load */
    double scale_left, scale_right;      /* raw counts per newton */
    uint32_t radius_um;                  /* effective roller radius */
    int enc_dir;                         /* +1 or -1: makes rolling towards the knee positive */
    bool calibrated;                     /* false: nominal defaults, values not calibrated */
};

/* Nominal values of firmware/include/rs_defaults.h, calibrated = false. */
void rs_calib_defaults(struct rs_calib *c);
/* From a device calibration block; calibrated says whether it is a saved one. */
void rs_calib_from_cal(struct rs_calib *c, const struct rs_cal *cal, bool calibrated);

struct rs_profile {
    double body_mass_kg;   /* 10..500, else the default is used */
    double calf_length_cm; /* Achilles insertion to the back of the knee, 5..64 */
    double force_limit_n;  /* 0 = none; above it force_band reports too_hard */
};

/* 70 kg, 40 cm, no limit. */
void rs_profile_defaults(struct rs_profile *p);

/* ---- events -------------------------------------------------------------- */

enum rs_event_type {
    RS_EV_HOLD_START,
    RS_EV_HOLD_CUE,
    RS_EV_HOLD_END,
    RS_EV_SPEED_BAND,
    RS_EV_FORCE_BAND,
    RS_EV_DOSE,
    RS_EV_KNEE_ZONE,
    RS_EV_FAULT,
    RS_EV_GAP,
    RS_EV_PASS,
};

enum rs_leg { RS_LEG_UNCERTAIN = 0, RS_LEG_LEFT = 1, RS_LEG_RIGHT = 2 };

enum rs_speed_band {
    RS_SPEED_NONE = 0, /* no contact */
    RS_SPEED_STILL,
    RS_SPEED_SLOW,
    RS_SPEED_BRISK,
    RS_SPEED_TOO_FAST,
};

enum rs_force_band {
    RS_FORCE_NONE = 0, /* no contact */
    RS_FORCE_LIGHT,
    RS_FORCE_MODERATE,
    RS_FORCE_TYPICAL,
    RS_FORCE_HIGH,
    RS_FORCE_NO_BENEFIT, /* warn: too hard */
    RS_FORCE_OVERLOAD,
};

enum rs_hold_end_reason { RS_END_MOVED, RS_END_RELEASED, RS_END_GAP, RS_END_FAULT, RS_END_DATA };

enum rs_dose_kind { RS_DOSE_HOLDS, RS_DOSE_SWITCH, RS_DOSE_STOP };

/* Where a gap was seen: a sequence jump, the host (disconnect), a device restart. */
enum rs_gap_source { RS_GAP_SEQUENCE, RS_GAP_HOST, RS_GAP_DEVICE_RESET };

/* Why a hold stopped counting, and the hold's figures (hold_end). */
struct rs_hold_info {
    double start_t;      /* backdated start of stillness, s */
    double end_t;        /* backdated end (hold_end), s */
    double seconds;      /* hold time: cue seconds, or duration at the end */
    double mean_n, peak_n, mean_bw, peak_bw;
    double pos_cm;       /* spot along the calf */
    double x_mm;         /* mean lateral position */
    enum rs_leg leg;
    double lost_s;       /* frames lost inside the hold (bridged gaps), s */
    int index;           /* 1-based number of the hold in the session */
    int reason;          /* enum rs_hold_end_reason (hold_end) */
};

struct rs_event {
    enum rs_event_type type;
    double t;            /* device time of the sample that produced it, s */
    union {
        struct rs_hold_info hold;              /* HOLD_START / HOLD_CUE / HOLD_END */
        struct { int band; int prev; double value; bool too_hard; } band; /* SPEED/FORCE_BAND */
        struct { int kind; enum rs_leg leg; int holds; double minutes; const char *advice; } dose;
        struct { bool active; enum rs_leg leg; double pos_cm; } knee;
        struct { uint16_t set; uint16_t cleared; uint16_t bits; } fault;
        struct { uint32_t lost; double seconds; int source; bool bridged; } gap; /* enum rs_gap_source */
        struct rs_pass pass;                   /* PASS: one stroke along the calf */
    } u;
};

#define RS_EVENTS_MAX 32

/* Fixed-capacity list the pipeline appends to; the caller clears it. */
struct rs_events {
    size_t n;
    uint32_t dropped;    /* appends that did not fit (never expected with 32) */
    struct rs_event ev[RS_EVENTS_MAX];
};

static inline void rs_events_clear(struct rs_events *e) { e->n = 0; e->dropped = 0; }

/*
 * The one band classifier, from the config's edges: still < still_speed ≤ slow
 * < speed_brisk ≤ brisk ≤ speed_too_fast < too_fast (speed magnitude, sign
 * ignored); none < force_light ≤ light < moderate ≤ moderate < typical ≤
 * typical < high ≤ high ≤ warn < no_benefit ≤ overload < overload (%BW). The
 * pipeline, the view (live band and calf map) and the report use it, so a
 * config change moves every edge at once. Speed never returns RS_SPEED_NONE
 * (no contact is the caller's to know).
 */
enum rs_speed_band rs_speed_band_of(const struct rs_config *c, double speed_cm_s);
enum rs_force_band rs_force_band_of(const struct rs_config *c, double bw_pct);

const char *rs_event_type_name(enum rs_event_type t);
const char *rs_leg_name(enum rs_leg leg);
const char *rs_speed_band_name(int band);
const char *rs_force_band_name(int band);

/*
 * One event as a JSON object with a "type" field (see docs/detection.md).
 * Returns buf, or NULL if cap is too small (512 is always enough).
 */
const char *rs_event_json(const struct rs_event *ev, char *buf, size_t cap);

/* ---- live state ---------------------------------------------------------- */

#define RS_CALF_BINS 64   /* 1 cm bins; calf lengths up to 64 cm */

struct rs_calf_map {
    double time_s[RS_CALF_BINS];
    double force_ns[RS_CALF_BINS];   /* integral of force over time; mean = force_ns/time_s */
};

struct rs_live {
    double t;                    /* device time of the last sample, s */
    double force_n, left_n, right_n;
    double bw_pct;
    int force_band;              /* enum rs_force_band, current (undebounced) */
    bool too_hard;
    double speed_cm_s;           /* magnitude */
    double velocity_cm_s;        /* signed, + towards the knee */
    int speed_band;              /* enum rs_speed_band */
    bool contact;
    enum rs_leg leg;
    double x_mm;                 /* lateral load position */
    double pos_cm;               /* along the calf from the Achilles end */
    double displacement_cm;      /* cumulative surface travel since the start */
    bool knee_zone;
    struct {
        bool active;
        double seconds;          /* since the backdated start */
        double start_t;
        int cue;                 /* highest cue reached: 0, 15, 30, 60, 90 (config seconds) */
        enum rs_leg leg;
        double pos_cm;
    } hold;
    struct rs_calf_map calf[3];  /* indexed by enum rs_leg; [0] unused */
    int holds[3];                /* completed holds per leg */
    double calf_time_s[3];       /* contact time per leg */
    char advice[96];             /* current dose advice text, "" if none */
    uint16_t fault_bits;         /* status bits of the last sample that mean a fault */
    uint32_t gaps, lost, frames;
    double lost_s;               /* time without frames in sequence gaps, s */
    bool calibrated;
    double zero_left_n, zero_right_n;  /* auto-zero correction in use, N */
};

struct rs_summary {
    uint32_t frames, lost, gaps;
    double lost_s;               /* time without frames in sequence gaps, s */
    double hold_lost_s;          /* ... of which inside holds (bridged) */
    int holds[3];                /* per leg, [0] = uncertain */
    double longest_hold_s;
    double peak_bw_pct;
    double duration_s;
    double calf_time_s[3];
    uint32_t fault_events;
    double zero_left_n, zero_right_n;
    bool calibrated;
};

/* {"type":"summary","frames":N,"lost":N,"gaps":N,...}; NULL if cap too small (512 suffices). */
const char *rs_summary_json(const struct rs_summary *s, char *buf, size_t cap);

/* ---- the pipeline -------------------------------------------------------- */

#define RS_HIST 512   /* samples of history (6.4 s at 80 Hz) for backdating */

struct rs_hist_entry {
    double t;      /* s */
    double disp;   /* cumulative surface displacement, cm */
    double force;  /* total, N */
    double x;      /* lateral, mm */
    double sum_t, sum_disp, sum_force;  /* running sums up to and including this entry */
};

/*
 * The pipeline's state: one sub-struct per stage of rs_pipeline_push() (see
 * rs_pipeline.c for each stage's contract). Callers allocate it and use the
 * functions below; nothing outside host/core reads these fields.
 */
struct rs_pl_time {              /* stage_time: time, sequence, gaps */
    bool started;
    bool resync;                 /* after a host gap: restart time bookkeeping */
    struct rs_seq seq;           /* the one lost-frame count (live.lost mirrors it) */
    uint32_t last_t_us, last_seq;
    int64_t t_us;                /* unwrapped device time since the first sample */
};

#define RS_MEAN_RING 128 /* past 0.5 s means kept for the drift (a power of 2) */

struct rs_pl_hist {              /* history ring for speed and backdating */
    struct rs_hist_entry e[RS_HIST];
    uint64_t count;              /* total entries ever pushed */
    uint64_t valid_from;         /* entries older than this index are before a gap */
    uint64_t win_k;              /* first entry of the speed window at the last sample */
    struct { double t, disp; } mean[RS_MEAN_RING]; /* 0.5 s means ending at entry k % size */
};

struct rs_pl_kin {               /* stage_kinematics: encoder, travel, speed */
    int32_t last_enc;
};

struct rs_pl_zero {              /* stage_forces: auto-zero */
    double l, r;                 /* N subtracted per side */
    double unloaded_since;       /* -1 when not unloaded and still */
};

struct rs_pl_contact {           /* stage_contact: contact, position, rolling mean */
    bool on;
    double below_since;          /* -1, or when force went below the contact level */
    double pos_anchor;           /* pos_cm = pos_anchor + displacement */
    double roll_force_sum, roll_time;  /* rolling mean force (moving, in contact) */
};

struct rs_pl_still {             /* stage_stillness: the current stillness run */
    bool run;
    bool placed;                 /* start placed again at the confirmation (final) */
    double start, disp;          /* backdated start; 0.5 s mean position when it began */
    double rest;                 /* rest position from the fit (the spot) */
    double strong_since;         /* force >= the hold minimum since, or -1 */
    uint64_t strong_k;           /* its history index */
};

struct rs_pl_hold {              /* stage_holds: the running hold and its cues */
    bool on;
    struct rs_hold_info h;
    double spot_disp;            /* displacement at the hold spot */
    double dip_prev_t;           /* last sample time before the dip */
    uint64_t dip_k;              /* history index of the first dip sample */
    double dip_sum_f, dip_sum_x, dip_n;
    double scan_floor_t;         /* stillness cannot be backdated before this */
    double sum_f, sum_x, n;      /* figures of the hold so far (samples) */
    double dip_since;            /* -1 when not in a dip */
    int next_cue;                /* index into the cue list */
    int count;                   /* holds started in the session */
    double longest;
    double lost_s;               /* bridged frame loss inside holds, s */
};

struct rs_pl_bands {             /* stage_bands: debounced speed and force bands */
    int speed_band, speed_cand;  double speed_cand_t;
    int force_band, force_cand;  double force_cand_t;
};

struct rs_pl_dose {              /* stage_calf_map: advice fired per leg */
    bool holds_done[3], switch_done[3], stop_done[3];
};

struct rs_pl_faults {            /* stage_faults */
    uint16_t bits;
    uint32_t events;
};

struct rs_pipeline {
    struct rs_config cfg;
    struct rs_calib cal;
    struct rs_profile prof;
    struct rs_live live;

    struct rs_pl_time tm;
    struct rs_pl_kin kin;
    struct rs_pl_zero zero;
    struct rs_pl_contact ct;
    struct rs_pl_still st;
    struct rs_pl_hold hd;
    struct rs_pl_bands bands;
    struct rs_pl_dose dose;
    struct rs_pl_faults flt;
    int calf_nb;                 /* calf map bins in use (from the profile) */
    double level_n;              /* contact level, N (config and profile) */
    double circ_cm;              /* roller circumference (calibration) */
    bool knee;                   /* stage_knee */
    struct rs_pass_det pass;     /* stage_passes */
    double peak_bw;              /* summary */
    struct rs_pl_hist hist;      /* large: after the small per-sample state */
};

void rs_pipeline_init(struct rs_pipeline *p, const struct rs_config *cfg,
                      const struct rs_calib *cal, const struct rs_profile *prof);

/* Feed one decoded sample frame; appends 0..N events to out (not cleared). */
void rs_pipeline_push(struct rs_pipeline *p, const struct rs_sample *s, struct rs_events *out);

/* Feed a fault frame from the device: reported as a fault event. */
void rs_pipeline_push_fault(struct rs_pipeline *p, const struct rs_fault *f,
                            struct rs_events *out);

/* The host lost the device (disconnect, read error). reason is informational. */
void rs_pipeline_mark_gap(struct rs_pipeline *p, const char *reason, struct rs_events *out);
/*
 * The roller was unplugged (not merely silent): the frames it makes until it
 * is back belong to the gap, not to live.lost (rs_seq_gap). Call it along
 * with rs_pipeline_mark_gap when the link itself went away.
 */
void rs_pipeline_unplugged(struct rs_pipeline *p);

/*
 * End of input (end of a file, session stopped): a running hold is ended and
 * reported (reason "released" if a dip was under way, else "end_of_data").
 */
void rs_pipeline_finish(struct rs_pipeline *p, struct rs_events *out);

/* cfg must be valid (rs_config_parse / rs_config_validate). An absurd
 * calibration field falls back to the nominal value and clears calibrated. */
void rs_pipeline_set_config(struct rs_pipeline *p, const struct rs_config *cfg);
void rs_pipeline_set_calib(struct rs_pipeline *p, const struct rs_calib *cal);
void rs_pipeline_set_profile(struct rs_pipeline *p, const struct rs_profile *prof);

const struct rs_live *rs_pipeline_live(const struct rs_pipeline *p);
/* What the pipeline uses now (after sanitising and the device's status). */
const struct rs_config *rs_pipeline_config(const struct rs_pipeline *p);
const struct rs_calib *rs_pipeline_calib(const struct rs_pipeline *p);
const struct rs_profile *rs_pipeline_profile(const struct rs_pipeline *p);
void rs_pipeline_summary(const struct rs_pipeline *p, struct rs_summary *out);

#endif
