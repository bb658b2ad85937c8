/*
 * rs_rtglue.h - the guided routine (host/routine) inside a session: what
 * drives it and what becomes of its events.
 *
 * In: the session's samples (device time, the roller loaded or not from the
 * live state), the detector's hold_end events (leg, duration) and the two
 * keys (go on, skip). The routine starts at the first loaded sample, so the
 * warm-up clock runs from the first roll, not from plugging in.
 *
 * Out, per routine event: the JSON object of the routine contract
 * (docs/live-json.md, docs/session-format.md) for the two events that are
 * written (`routine_step` at each step end, `routine_done` once), the cue
 * tone and the spoken phrases due (rs_voice.h) for the window.
 *
 *   {"type":"routine_step","t":..,"step":i,"kind":"warmup|spots|stretch_gastroc|
 *    stretch_soleus","leg":"left|right","planned_s":x,"actual_s":y,"count":n,
 *    "skipped":bool}
 *   {"type":"routine_done","t":..,"steps":n,"steps_done":k,"completed":bool,"total_s":t}
 *
 * completed: the routine ran through all its steps (a skipped step still
 * ends it; steps_done counts the steps not skipped); false when the session
 * ended first (rs_rtglue_finish). Pure: no clock, no I/O, no allocation.
 */
#ifndef RS_RTGLUE_H
#define RS_RTGLUE_H

#include <stdbool.h>
#include <stddef.h>

#include "rs_routine.h"

#define RS_RTGLUE_PHRASES 8

struct rs_rtglue {
    struct rs_routine rt;
    struct rs_routine_plan plan;
    bool started;        /* the first loaded sample has come */
    bool finished;       /* routine_done was produced */
    int steps_done;      /* steps ended without a skip */
    double t;            /* device time of the last sample */
    /* Due for the window: the step tone and the phrases, in order. */
    bool tone;
    int phrases[RS_RTGLUE_PHRASES];
    int nphrases;
};

/* Before the first sample; the plan must pass rs_routine_plan_check. */
void rs_rtglue_init(struct rs_rtglue *g, const struct rs_routine_plan *plan);

/* One sample at device time t. Starts the routine at the first loaded one. */
void rs_rtglue_sample(struct rs_rtglue *g, double t, bool loaded, struct rs_routine_out *out);

/* A hold ended (the detector's hold_end: its leg and duration). */
void rs_rtglue_hold(struct rs_rtglue *g, double t, enum rs_leg leg, double seconds,
                    struct rs_routine_out *out);

/* The keys: go on (space) and skip (n), at the last sample's time. */
void rs_rtglue_go(struct rs_rtglue *g, struct rs_routine_out *out);
void rs_rtglue_skip(struct rs_rtglue *g, struct rs_routine_out *out);

/* End of the session: a routine that has not ended gets its routine_done
 * (completed false) at the last sample's time. Nothing before the start. */
void rs_rtglue_finish(struct rs_rtglue *g, struct rs_routine_out *out);

/* The contract object of ev with its time shifted by offset_s (device ->
 * session seconds), and its type in *type; NULL for the events that are not
 * written (step starts, spots, repetitions) or when cap is too small (384
 * is enough). */
const char *rs_rtglue_json(const struct rs_rtglue *g, const struct rs_routine_event *ev,
                           double offset_s, const char **type, char *buf, size_t cap);

/* The routine's view at device time t; false before the start (then v holds
 * the first step, waiting). */
bool rs_rtglue_view(const struct rs_rtglue *g, struct rs_routine_view *v);

/* The phrases and whether the tone is due since the last call (cleared):
 * returns how many phrases went into out (at most max). */
int rs_rtglue_take(struct rs_rtglue *g, int *out, int max, bool *tone);

#endif
