/* rs_warn.c - see rs_warn.h. */
#include "rs_warn.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void rs_warn_init(struct rs_warn *w)
{
    memset(w, 0, sizeof *w);
    w->last_leg = -1;
}

void rs_warn_event(struct rs_warn *w, const struct rs_event *e)
{
    if (e->type == RS_EV_KNEE_ZONE) {
        if (w->knee_in && !e->u.knee.active) {
            w->knee_seen = true;
            w->knee_left_t = e->t;
        }
        w->knee_in = e->u.knee.active;
        return;
    }
    if (e->type != RS_EV_DOSE)
        return;
    if (e->u.dose.leg != RS_LEG_LEFT && e->u.dose.leg != RS_LEG_RIGHT)
        return;
    int leg = e->u.dose.leg == RS_LEG_LEFT ? 0 : 1;
    w->dose[leg].set = true;
    w->dose[leg].kind = e->u.dose.kind;
    w->dose[leg].minutes = e->u.dose.minutes;
    w->last_leg = leg;
}

void rs_warn_advice_text(int kind, int leg, double minutes, char *buf, size_t cap)
{
    const char *name = leg == 0 ? "LEFT" : "RIGHT", *other = leg == 0 ? "RIGHT" : "LEFT";
    long min = lround(minutes);
    switch (kind) {
    /* Short: two lines of half the banner row at the 3 m size (docs/ui.md). */
    case RS_DOSE_HOLDS:
        snprintf(buf, cap, "%s CALF: enough spots for today", name);
        break;
    case RS_DOSE_SWITCH:
        snprintf(buf, cap, "%s CALF: %ld min - switch to %s", name, min, other);
        break;
    default:
        snprintf(buf, cap, "%s CALF: %ld min - enough for today", name, min);
        break;
    }
}

void rs_warn_apply(const struct rs_warn *w, double t, struct rs_view *v)
{
    v->knee_banner = w->knee_in || (w->knee_seen && t - w->knee_left_t < RS_WARN_KNEE_HOLD_S);
    int leg = v->on_calf && v->leg == RS_VLEG_LEFT    ? 0
              : v->on_calf && v->leg == RS_VLEG_RIGHT ? 1
                                                      : w->last_leg;
    v->advice[0] = '\0';
    if (leg >= 0 && w->dose[leg].set)
        rs_warn_advice_text(w->dose[leg].kind, leg, w->dose[leg].minutes, v->advice,
                            sizeof v->advice);
}
