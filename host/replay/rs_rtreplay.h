/*
 * rs_rtreplay.h - the guided routine of a recorded session, read back from
 * its routine_step rows (docs/session-format.md) for the replay window and
 * the report. The routine itself is not run again: its keys (space, n) are
 * not in the file, so the recorded steps are what happened.
 *
 * Pure: JSON text in, structs out.
 */
#ifndef RS_RTREPLAY_H
#define RS_RTREPLAY_H

#include <stdbool.h>

#include "rs_view.h"

#define RS_RTREPLAY_STEPS 16

struct rs_rtstep {
    double t;          /* end, device seconds since the first sample */
    double planned_s, actual_s;
    int step, count;
    int kind;          /* enum rs_rv_kind (RS_RV_WARMUP .. RS_RV_BENT) */
    int leg;           /* enum rs_view_leg */
    bool skipped;
};

/* A routine_step object into *out: 0, or -1 when a field is missing or wrong. */
int rs_rtstep_parse(const char *json, struct rs_rtstep *out);

/* "warmup" -> RS_RV_WARMUP ... ; -1 when unknown. */
int rs_rtstep_kind(const char *name);

/* Words for a step: "Warm up", "Tender spots", "Knee straight", "Knee bent", "Routine done". */
const char *rs_rtstep_title(int kind);

/* The routine panel at replay position pos (seconds) from the recorded
 * steps (in order): the step that was running then, its time left and a
 * line of what was recorded; after the last step, done. */
void rs_rtreplay_view(const struct rs_rtstep *steps, int n, double pos, struct rs_view_routine *o);

#endif
