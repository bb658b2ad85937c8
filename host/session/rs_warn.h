/*
 * rs_warn.h - the warnings a person on the floor must not miss, kept from
 * the pipeline's events for the window: the knee-zone banner and the dose
 * advice. Pure: events in, the view's fields out; no clock of its own (the
 * pipeline's time is passed in).
 *
 * Knee zone: the banner shows while the roller is in the zone and for
 * RS_WARN_KNEE_HOLD_S seconds after it left, so a brief pass is still seen
 * (the tone comes from rs_session_event_cues).
 *
 * Dose advice belongs to one leg: it is kept per leg, names the leg ("RIGHT
 * CALF: two or three spots are enough today"), is shown while that leg is
 * on the roller (or, with no contact, when that leg's advice was the last
 * given), and not while the other leg is rolled. A new session starts with
 * none.
 */
#ifndef RS_WARN_H
#define RS_WARN_H

#include <stdbool.h>

#include "rs_pipeline.h"
#include "rs_view.h"

#define RS_WARN_KNEE_HOLD_S 3.0

struct rs_warn {
    bool knee_in;            /* in the zone now */
    bool knee_seen;          /* left it at least once (knee_left_t valid) */
    double knee_left_t;      /* pipeline time it was left */
    struct {
        bool set;
        int kind;            /* enum rs_dose_kind, the latest for the leg */
        double minutes;
    } dose[2];               /* [0] left, [1] right */
    int last_leg;            /* leg of the latest dose advice, -1 none */
};

void rs_warn_init(struct rs_warn *w);

/* One pipeline event (pipeline time). */
void rs_warn_event(struct rs_warn *w, const struct rs_event *e);

/* The view at pipeline time t: knee_banner, and advice (replacing the
 * pipeline's text) for the leg on the roller. v->leg and v->on_calf must be
 * filled. */
void rs_warn_apply(const struct rs_warn *w, double t, struct rs_view *v);

/* The advice text of one dose event for leg (0 left, 1 right). */
void rs_warn_advice_text(int kind, int leg, double minutes, char *buf, size_t cap);

#endif
