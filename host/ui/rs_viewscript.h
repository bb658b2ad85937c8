/*
 * rs_viewscript.h - scripted views for `rollsense view-test`, the UI tests
 * and the frame-time benchmark, until the pipeline fills struct rs_view.
 *
 * rs_viewscript_at() is a pure function of time over a 150 s loop: slow
 * rolling on the left calf, a 25 s hold, a 35 s hold, a too-fast pass into
 * the knee zone, a third (20 s) hold and the dose advice, then a switch to
 * the right leg. It is a picture of what the pipeline will report, not a
 * model of the detectors.
 */
#ifndef RS_VIEWSCRIPT_H
#define RS_VIEWSCRIPT_H

#include "rs_view.h"

#define RS_VIEWSCRIPT_LOOP_S 150.0f

/* The key states the screenshots show. */
enum rs_viewscript_state {
    RS_VS_ROLLING,   /* slow rolling, typical force, left leg */
    RS_VS_HOLD_TO30, /* a hold at 22 s: second lap of the ring */
    RS_VS_HOLD_DONE, /* a hold at 35 s, three holds, dose advice */
    RS_VS_TOO_FAST,  /* too fast into the knee zone, high force */
    RS_VS_REPLAY,    /* replay, paused, right leg */
    RS_VS_UNCAL,     /* not calibrated, disconnected: raw units */
    RS_VS_COUNT
};

/* Fill v with the scripted session at t seconds (t wraps at the loop). */
void rs_viewscript_at(struct rs_view *v, float t);

/* Fill v with one key state. */
void rs_viewscript_state(struct rs_view *v, enum rs_viewscript_state s);

/* Short file-name-safe name of a key state ("hold-done"). */
const char *rs_viewscript_name(enum rs_viewscript_state s);

#endif
