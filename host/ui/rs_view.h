/*
 * rs_view.h - everything the live/replay window shows, as plain data.
 *
 * struct rs_view is the one input of the renderer. It holds no pipeline
 * types and no pointers, so the pipeline (or a replay, or a test script)
 * fills it by value once per frame, and the window never reaches back into
 * the pipeline. Units are SI-like and named in the field: _n newtons,
 * _pct percent of body weight, _cms cm/s, _cm centimetres, _s seconds.
 *
 * Fixed sizes: the strip-chart history and the calf maps are fixed arrays,
 * so a view can be copied, compared and rendered without allocation.
 */
#ifndef RS_VIEW_H
#define RS_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "rs_config.h"

/* Strip charts: 30 s at 10 Hz. */
#define RS_VIEW_HISTORY_N 300
#define RS_VIEW_HISTORY_HZ 10
/* Calf map: 1 cm bins; 48 cm covers any adult calf with room to spare. */
#define RS_VIEW_CALF_BINS 48
/* Marks (holds, user marks) shown on the replay timeline. */
#define RS_VIEW_MARKS_MAX 32
/* Dose advice and free status text, bytes including the NUL. */
#define RS_VIEW_TEXT_MAX 80

/* Force bands by %BW, the defaults of docs/config.md. */
enum rs_view_force_band {
    RS_FB_NONE,       /* < 5 %BW: no contact */
    RS_FB_LIGHT,      /* 5-15 */
    RS_FB_MODERATE,   /* 15-30 */
    RS_FB_TYPICAL,    /* 30-45 */
    RS_FB_HIGH,       /* 45-60 */
    RS_FB_NO_BENEFIT, /* 60-80: warn, more pressure brings no extra benefit */
    RS_FB_OVERLOAD,   /* > 80 */
    RS_FB_COUNT
};

/* Speed bands, the defaults of docs/config.md. */
enum rs_view_speed_band {
    RS_SB_STILL,    /* < 0.5 cm/s */
    RS_SB_SLOW,     /* 0.5-10: the goal */
    RS_SB_BRISK,    /* 10-15 */
    RS_SB_TOO_FAST, /* > 15 */
    RS_SB_COUNT
};

enum rs_view_leg { RS_VLEG_NONE, RS_VLEG_LEFT, RS_VLEG_RIGHT };

enum rs_view_link { RS_VLINK_DISCONNECTED, RS_VLINK_CONNECTING, RS_VLINK_CONNECTED };

enum rs_view_mode { RS_MODE_LIVE, RS_MODE_DEMO, RS_MODE_REPLAY };

/* Strip-chart ring buffer: newest sample at index (head + count - 1) % N. */
struct rs_view_history {
    float force_pct[RS_VIEW_HISTORY_N]; /* %BW, or raw counts / 1000 if uncalibrated */
    float speed_cms[RS_VIEW_HISTORY_N];
    uint16_t head;
    uint16_t count;
};

/* One leg's calf map, bin 0 at the Achilles end. */
struct rs_view_calf {
    float time_s[RS_VIEW_CALF_BINS];     /* time spent over the bin */
    float pressure_pct[RS_VIEW_CALF_BINS]; /* mean force while over it, %BW */
    uint8_t holds[RS_VIEW_CALF_BINS];    /* holds centred on the bin */
};

/* What the step asks for (the routine's step kinds, plus the end). */
enum rs_rv_kind { RS_RV_WARMUP, RS_RV_SPOTS, RS_RV_STRAIGHT, RS_RV_BENT, RS_RV_DONE };
/* Where in the step: on the roller, waiting for a stretch, counting down,
 * stretching, resting between repetitions, done. */
enum rs_rv_phase { RS_RVP_ROLL, RS_RVP_WAIT, RS_RVP_COUNTDOWN, RS_RVP_STRETCH, RS_RVP_REST,
                   RS_RVP_DONE };

/* The guided routine, drawn by rs_routineview.h (routine, demo --routine). */
struct rs_view_routine {
    bool active;          /* the window shows the routine panel */
    bool started;         /* the routine's clock runs (first load) */
    int step, nsteps;     /* 0-based step; nsteps when done */
    int kind;             /* enum rs_rv_kind */
    int phase;            /* enum rs_rv_phase */
    int leg;              /* enum rs_view_leg: the calf of this step */
    float remaining_s;    /* of the timed thing in progress; < 0 nothing timed */
    int spots, spots_min, spots_max;
    int rep, reps;        /* rep: 1-based repetition in progress or next */
    char title[48];
    char instruction[160];
};

struct rs_view {
    enum rs_view_mode mode;

    /* Force. When !calibrated the numbers are raw counts (left + right). */
    bool calibrated;
    bool bw_known;        /* false: no profile, %BW not shown */
    float force_n;        /* total; raw counts when !calibrated */
    float force_pct;      /* %BW */
    float left_n, right_n;
    enum rs_view_force_band force_band;
    struct rs_config bands;      /* thresholds of the bands and the calf map colours */

    /* Speed; raw encoder counts/s when !calibrated. */
    float speed_cms;
    enum rs_view_speed_band speed_band;

    /* Hold: the clock starts at the start of stillness (docs/detection.md). */
    bool hold_active;
    float hold_s;

    /* Where the leg is. position_cm from the Achilles end of the calf. */
    enum rs_view_leg leg;
    bool on_calf;         /* false: position unknown / not in contact */
    float position_cm;
    float calf_length_cm; /* calibrated calf length, 0 = unknown (use 35) */
    float knee_zone_cm;   /* knee zone depth below the upper end (5) */
    bool in_knee_zone;
    bool knee_banner;     /* the knee warning: in the zone, and 3 s after leaving it */

    struct rs_view_history history;
    struct rs_view_calf calf[2]; /* [0] left, [1] right */

    /* Counters and advice. */
    uint16_t holds[2];    /* per leg */
    float calf_time_s[2]; /* per leg */
    char advice[RS_VIEW_TEXT_MAX]; /* dose advice, "" for none */

    /* Connection and sensor. */
    enum rs_view_link link;
    /* Why there is no roller, when known (rs_run_link_why): a few words for
     * the banner ("PORT NOT FOUND") and the detail with what to do for the
     * status bar; "" when unknown or connected. */
    char link_title[32];
    char link_detail[RS_VIEW_TEXT_MAX];
    bool sensor_fault;
    char sensor_text[RS_VIEW_TEXT_MAX]; /* e.g. "left load cell", "" when ok */
    uint32_t frames_lost;
    float loss_pct;       /* over the last few seconds */

    bool recording;
    bool recording_failed; /* recording stopped on an error (disk full): "REC OFF" in red */
    float session_s;      /* elapsed session time */

    /* Replay transport, meaningful when mode == RS_MODE_REPLAY. */
    bool replay_paused;
    float replay_pos_s;
    float replay_len_s;
    float replay_speed;   /* 1 = real time */
    uint8_t replay_nmarks;
    float replay_marks_s[RS_VIEW_MARKS_MAX]; /* session times of holds and marks */

    struct rs_view_routine routine; /* .active: the routine panel replaces the lower row */
};

/* Reset a view to "nothing known yet" (live mode, disconnected). */
void rs_view_init(struct rs_view *v);

/* Append one strip-chart sample (call at RS_VIEW_HISTORY_HZ). */
void rs_view_history_push(struct rs_view_history *h, float force_pct, float speed_cms);

/* Sample i of the history, 0 = oldest; i < count. */
float rs_view_history_force(const struct rs_view_history *h, unsigned i);
float rs_view_history_speed(const struct rs_view_history *h, unsigned i);

/* Band classification by the defaults of docs/config.md; the pipeline may classify
 * with configured thresholds instead and write the band directly. */
/* Bands with the default thresholds (the core's classifier, rs_pipeline.h). */
enum rs_view_force_band rs_view_force_band(float pct);
enum rs_view_speed_band rs_view_speed_band(float cms);
/* ... with the view's thresholds (v->bands: the session's config). */
enum rs_view_force_band rs_view_force_band_in(const struct rs_view *v, float pct);

/* Short upper-case names ("TYPICAL", "TOO FAST") for labels and logs. */
const char *rs_view_force_band_name(enum rs_view_force_band b);
const char *rs_view_speed_band_name(enum rs_view_speed_band b);

/* x for printing with `decimals` digits: 0 when it would print as "-0"
 * (a reading a hair below zero is zero to the person looking at it). */
double rs_view_nz(double x, int decimals);

/* Seconds as "m:ss" (negative and NaN as 0:00). */
void rs_view_mmss(char *b, size_t n, float s);

/* Calf length to draw with: the calibrated one, or 35 cm when unknown. */
float rs_view_calf_length(const struct rs_view *v);

#endif
