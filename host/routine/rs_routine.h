/*
 * rs_routine: the guided calf routine as a pure state machine.
 *
 * The routine physiotherapists teach, for each calf in turn: warm up by
 * rolling slowly from the Achilles tendon to just below the knee; find two
 * or three tender spots and hold each 15-30 s (the detected holds tick them
 * off, a hold shorter than the minimum does not count); then two stretches,
 * the gastrocnemius with the knee straight and the soleus with the knee
 * slightly bent, each for a few timed repetitions. Then the other calf.
 *
 * The machine takes time, the roller's load and the detector's hold ends,
 * and the user's two keys (go on, skip), and returns step changes and
 * repetition events. It reads no clock, draws nothing and allocates
 * nothing: the window, the audio and the recorder turn its events into
 * pixels, sounds and rows. Times are seconds on any monotonic clock the
 * caller chooses (the session's device time).
 *
 * A stretch is done away from the roller: each repetition waits until the
 * user presses go-on or has been off the roller for unload_start_s, counts
 * down countdown_s, times stretch_s, then rests rest_s before the next one.
 */
#ifndef RS_ROUTINE_H
#define RS_ROUTINE_H

#include <stdbool.h>
#include <stddef.h>

#include "rs_pipeline.h" /* enum rs_leg */

enum rs_rt_kind {
    RS_RT_WARMUP,          /* roll slowly, timed */
    RS_RT_SPOTS,           /* find and hold tender spots, counted */
    RS_RT_STRETCH_GASTROC, /* knee straight, timed repetitions */
    RS_RT_STRETCH_SOLEUS,  /* knee slightly bent, timed repetitions */
};

/* Where the machine is inside the current step. */
enum rs_rt_phase {
    RS_RTP_ROLL,      /* warm-up or spots: on the roller */
    RS_RTP_WAIT,      /* stretch repetition: waiting for go-on or unloading */
    RS_RTP_COUNTDOWN, /* stretch repetition: counting down to the start */
    RS_RTP_STRETCH,   /* stretch repetition: timed */
    RS_RTP_REST,      /* between repetitions */
    RS_RTP_DONE,      /* the whole routine is over */
};

/* Durations, counts and order; every field has a range (rs_routine_plan_check). */
struct rs_routine_plan {
    double warmup_s;       /* warm-up rolling per calf */
    int spots_min;         /* holds that complete the spots step early on go-on */
    int spots_max;         /* holds that complete it at once */
    double spot_min_s;     /* a hold shorter than this does not count */
    double spots_max_s;    /* the spots step ends after this long regardless */
    double stretch_s;      /* one stretch repetition */
    int stretch_reps;      /* repetitions per stretch and leg */
    double rest_s;         /* between repetitions */
    double countdown_s;    /* before each repetition */
    double unload_start_s; /* off the roller this long starts a repetition */
    enum rs_leg first_leg; /* RS_LEG_LEFT or RS_LEG_RIGHT */
};

#define RS_ROUTINE_STEPS_MAX 8 /* four steps per leg */

struct rs_routine_step {
    enum rs_rt_kind kind;
    enum rs_leg leg;
    double planned_s; /* warm-up: its time; spots: spots_max_s; a stretch: its
                       * repetitions, countdowns and rests (not the wait for the first) */
};

enum rs_rt_ev_kind {
    RS_RTE_STEP_START, /* step, kind, leg, planned_s */
    RS_RTE_STEP_END,   /* ... actual_s, count (spots held / reps done), skipped */
    RS_RTE_SPOT,       /* a hold counted: count = spots so far, actual_s = its length */
    RS_RTE_SPOT_SHORT, /* a hold too short to count: actual_s = its length */
    RS_RTE_REP_START,  /* a stretch repetition's timed part began: count = rep (1-based) */
    RS_RTE_REP_END,    /* ... and ended: count = rep, actual_s */
    RS_RTE_DONE,       /* the routine is over: actual_s = total time */
};

struct rs_routine_event {
    enum rs_rt_ev_kind kind;
    double t;          /* when it happened */
    int step;          /* index into the plan's steps */
    enum rs_rt_kind step_kind;
    enum rs_leg leg;
    double planned_s;
    double actual_s;
    int count;
    bool skipped;      /* STEP_END: ended by skip or by the spots time cap short of spots_min */
};

#define RS_ROUTINE_OUT_MAX 8
struct rs_routine_out {
    struct rs_routine_event ev[RS_ROUTINE_OUT_MAX];
    int n;
};

struct rs_routine {
    struct rs_routine_plan plan;
    struct rs_routine_step steps[RS_ROUTINE_STEPS_MAX];
    int nsteps;
    int cur;               /* current step; nsteps when done */
    enum rs_rt_phase phase;
    double t0;             /* routine start */
    double step_t0;        /* current step's start */
    double phase_t0;       /* current phase's start */
    int spots;             /* counted holds in the current spots step */
    int rep;               /* stretch repetitions finished in the current step */
    double unloaded_since; /* < 0 while loaded */
};

/* What the screen shows, derived from the state at time t. */
struct rs_routine_view {
    int step, nsteps;
    enum rs_rt_kind kind;
    enum rs_leg leg;
    enum rs_rt_phase phase;
    double remaining_s;  /* of the timed thing in progress (< 0: nothing timed) */
    int spots, spots_min, spots_max;
    int rep, reps;       /* rep: 1-based repetition in progress or next */
    const char *title;   /* "Warm up", "Tender spots", "Knee straight", "Knee bent" */
    const char *instruction;
};

/* The defaults: 75 s warm-up, 2-3 spots of >= 15 s within 120 s, two 30 s
 * repetitions of each stretch with 10 s rest, 3 s countdown, 2 s off the
 * roller to start, left calf first. */
void rs_routine_plan_default(struct rs_routine_plan *p);

/* 0 when every field is in range, else negative with one line in err. */
int rs_routine_plan_check(const struct rs_routine_plan *p, char *err, size_t errcap);

/* Start at time t (the plan must have passed rs_routine_plan_check): the
 * first step's STEP_START goes into out. */
void rs_routine_start(struct rs_routine *r, const struct rs_routine_plan *p, double t,
                      struct rs_routine_out *out);

/* Advance to time t with the roller loaded or not (a leg on it). */
void rs_routine_tick(struct rs_routine *r, double t, bool loaded, struct rs_routine_out *out);

/* A hold ended on leg after seconds: counts in a spots step of that leg. */
void rs_routine_hold(struct rs_routine *r, double t, enum rs_leg leg, double seconds,
                     struct rs_routine_out *out);

/* The go-on key: ends the warm-up, ends the spots step once spots_min are
 * held, starts a waiting or resting stretch repetition. Otherwise nothing. */
void rs_routine_go(struct rs_routine *r, double t, struct rs_routine_out *out);

/* The skip key: ends the current step at once (skipped), the next begins. */
void rs_routine_skip(struct rs_routine *r, double t, struct rs_routine_out *out);

bool rs_routine_done(const struct rs_routine *r);

void rs_routine_view(const struct rs_routine *r, double t, struct rs_routine_view *v);

/* "warmup", "spots", "stretch_gastroc", "stretch_soleus" (JSON names, the routine contract). */
const char *rs_routine_kind_name(enum rs_rt_kind k);
/* "step_start", "step_end", "spot", "spot_short", "rep_start", "rep_end", "done". */
const char *rs_routine_ev_name(enum rs_rt_ev_kind k);

#endif
