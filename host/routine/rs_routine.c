/* The guided calf routine: a pure state machine (see rs_routine.h). */
#include "rs_routine.h"

#include <stdio.h>
#include <string.h>

void rs_routine_plan_default(struct rs_routine_plan *p)
{
    *p = (struct rs_routine_plan){
        .warmup_s = 75,
        .spots_min = 2,
        .spots_max = 3,
        .spot_min_s = 15,
        .spots_max_s = 120,
        .stretch_s = 30,
        .stretch_reps = 2,
        .rest_s = 10,
        .countdown_s = 3,
        .unload_start_s = 2,
        .first_leg = RS_LEG_LEFT,
    };
}

static int range(char *err, size_t cap, const char *what, double v, double lo, double hi)
{
    if (v >= lo && v <= hi)
        return 0;
    if (err && cap)
        snprintf(err, cap, "routine: %s %g is out of range, allowed %g..%g", what, v, lo, hi);
    return -1;
}

int rs_routine_plan_check(const struct rs_routine_plan *p, char *err, size_t errcap)
{
    if (range(err, errcap, "warm-up", p->warmup_s, 10, 600) ||
        range(err, errcap, "spots_min", p->spots_min, 1, 5) ||
        range(err, errcap, "spots_max", p->spots_max, p->spots_min, 5) ||
        range(err, errcap, "spot_min_s", p->spot_min_s, 5, 90) ||
        range(err, errcap, "spots_max_s", p->spots_max_s, 30, 900) ||
        range(err, errcap, "stretch_s", p->stretch_s, 10, 120) ||
        range(err, errcap, "stretch_reps", p->stretch_reps, 1, 5) ||
        range(err, errcap, "rest_s", p->rest_s, 0, 120) ||
        range(err, errcap, "countdown_s", p->countdown_s, 0, 10) ||
        range(err, errcap, "unload_start_s", p->unload_start_s, 0.5, 10))
        return -1;
    if (p->first_leg != RS_LEG_LEFT && p->first_leg != RS_LEG_RIGHT) {
        if (err && errcap)
            snprintf(err, errcap, "routine: the first leg must be left or right");
        return -1;
    }
    return 0;
}

static void emit(struct rs_routine_out *out, const struct rs_routine *r, enum rs_rt_ev_kind kind,
                 double t, double actual_s, int count, bool skipped)
{
    if (!out || out->n >= RS_ROUTINE_OUT_MAX)
        return;
    const struct rs_routine_step *s = &r->steps[r->cur < r->nsteps ? r->cur : r->nsteps - 1];
    out->ev[out->n++] = (struct rs_routine_event){
        .kind = kind, .t = t, .step = r->cur, .step_kind = s->kind, .leg = s->leg,
        .planned_s = s->planned_s, .actual_s = actual_s, .count = count, .skipped = skipped,
    };
}

static bool is_stretch(enum rs_rt_kind k)
{
    return k == RS_RT_STRETCH_GASTROC || k == RS_RT_STRETCH_SOLEUS;
}

static void enter_phase(struct rs_routine *r, enum rs_rt_phase ph, double t)
{
    r->phase = ph;
    r->phase_t0 = t;
}

/* The current step begins at t. */
static void begin_step(struct rs_routine *r, double t, struct rs_routine_out *out)
{
    r->step_t0 = t;
    r->spots = 0;
    r->rep = 0;
    enter_phase(r, is_stretch(r->steps[r->cur].kind) ? RS_RTP_WAIT : RS_RTP_ROLL, t);
    emit(out, r, RS_RTE_STEP_START, t, 0, 0, false);
}

/* The current step ends at t; the next begins, or the routine is done. */
static void end_step(struct rs_routine *r, double t, bool skipped, struct rs_routine_out *out)
{
    const struct rs_routine_step *s = &r->steps[r->cur];
    int count = s->kind == RS_RT_SPOTS ? r->spots : is_stretch(s->kind) ? r->rep : 0;
    emit(out, r, RS_RTE_STEP_END, t, t - r->step_t0, count, skipped);
    if (++r->cur < r->nsteps) {
        begin_step(r, t, out);
        return;
    }
    enter_phase(r, RS_RTP_DONE, t);
    emit(out, r, RS_RTE_DONE, t, t - r->t0, 0, false);
}

static enum rs_leg other_leg(enum rs_leg l)
{
    return l == RS_LEG_LEFT ? RS_LEG_RIGHT : RS_LEG_LEFT;
}

void rs_routine_start(struct rs_routine *r, const struct rs_routine_plan *p, double t,
                      struct rs_routine_out *out)
{
    memset(r, 0, sizeof *r);
    r->plan = *p;
    const enum rs_rt_kind order[] = { RS_RT_WARMUP, RS_RT_SPOTS, RS_RT_STRETCH_GASTROC,
                                      RS_RT_STRETCH_SOLEUS };
    enum rs_leg legs[2] = { p->first_leg, other_leg(p->first_leg) };
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < 4; k++) {
            /* A stretch: its repetitions with their countdowns and rests
             * (the wait for the first one is the user's). */
            double planned = order[k] == RS_RT_WARMUP  ? p->warmup_s
                             : order[k] == RS_RT_SPOTS ? p->spots_max_s
                                                       : p->stretch_reps * (p->countdown_s + p->stretch_s) +
                                                             (p->stretch_reps - 1) * p->rest_s;
            r->steps[r->nsteps++] = (struct rs_routine_step){ order[k], legs[l], planned };
        }
    r->t0 = t;
    r->unloaded_since = -1;
    begin_step(r, t, out);
}

bool rs_routine_done(const struct rs_routine *r)
{
    return r->phase == RS_RTP_DONE;
}

/* A stretch repetition's phases, driven by time and unloading. */
static void tick_stretch(struct rs_routine *r, double t, struct rs_routine_out *out)
{
    const struct rs_routine_plan *p = &r->plan;
    if (r->phase == RS_RTP_WAIT && r->unloaded_since >= 0 &&
        t - r->unloaded_since >= p->unload_start_s)
        enter_phase(r, RS_RTP_COUNTDOWN, t);
    if (r->phase == RS_RTP_REST && t - r->phase_t0 >= p->rest_s)
        enter_phase(r, RS_RTP_COUNTDOWN, r->phase_t0 + p->rest_s);
    if (r->phase == RS_RTP_COUNTDOWN && t - r->phase_t0 >= p->countdown_s) {
        double at = r->phase_t0 + p->countdown_s;
        enter_phase(r, RS_RTP_STRETCH, at);
        emit(out, r, RS_RTE_REP_START, at, 0, r->rep + 1, false);
    }
    if (r->phase == RS_RTP_STRETCH && t - r->phase_t0 >= p->stretch_s) {
        double at = r->phase_t0 + p->stretch_s;
        emit(out, r, RS_RTE_REP_END, at, p->stretch_s, ++r->rep, false);
        if (r->rep >= p->stretch_reps)
            end_step(r, at, false, out);
        else
            enter_phase(r, RS_RTP_REST, at);
    }
}

/* One transition that is due at t, if any. */
static void tick_once(struct rs_routine *r, double t, struct rs_routine_out *out)
{
    const struct rs_routine_step *s = &r->steps[r->cur];
    if (s->kind == RS_RT_WARMUP && t - r->step_t0 >= s->planned_s)
        end_step(r, r->step_t0 + s->planned_s, false, out);
    else if (s->kind == RS_RT_SPOTS && t - r->step_t0 >= s->planned_s)
        end_step(r, r->step_t0 + s->planned_s, r->spots < r->plan.spots_min, out);
    else if (is_stretch(s->kind))
        tick_stretch(r, t, out);
}

void rs_routine_tick(struct rs_routine *r, double t, bool loaded, struct rs_routine_out *out)
{
    if (loaded)
        r->unloaded_since = -1;
    else if (r->unloaded_since < 0)
        r->unloaded_since = t;
    /* A late tick catches up with every transition that fell due since, each
     * at its own time; the bound only guards the loop (a step has <= 4*reps). */
    for (int guard = 0; guard < 64 && r->phase != RS_RTP_DONE; guard++) {
        int cur = r->cur;
        enum rs_rt_phase ph = r->phase;
        tick_once(r, t, out);
        if (cur == r->cur && ph == r->phase)
            break;
    }
}

void rs_routine_hold(struct rs_routine *r, double t, enum rs_leg leg, double seconds,
                     struct rs_routine_out *out)
{
    if (r->phase != RS_RTP_ROLL || r->steps[r->cur].kind != RS_RT_SPOTS ||
        r->steps[r->cur].leg != leg)
        return;
    if (seconds < r->plan.spot_min_s) {
        emit(out, r, RS_RTE_SPOT_SHORT, t, seconds, r->spots, false);
        return;
    }
    emit(out, r, RS_RTE_SPOT, t, seconds, ++r->spots, false);
    if (r->spots >= r->plan.spots_max)
        end_step(r, t, false, out);
}

void rs_routine_go(struct rs_routine *r, double t, struct rs_routine_out *out)
{
    if (r->phase == RS_RTP_DONE)
        return;
    enum rs_rt_kind k = r->steps[r->cur].kind;
    if (k == RS_RT_WARMUP)
        end_step(r, t, false, out);
    else if (k == RS_RT_SPOTS && r->spots >= r->plan.spots_min)
        end_step(r, t, false, out);
    else if (r->phase == RS_RTP_WAIT || r->phase == RS_RTP_REST)
        enter_phase(r, RS_RTP_COUNTDOWN, t);
}

void rs_routine_skip(struct rs_routine *r, double t, struct rs_routine_out *out)
{
    if (r->phase != RS_RTP_DONE)
        end_step(r, t, true, out);
}

static const char *instruction(const struct rs_routine *r, enum rs_rt_kind k)
{
    switch (k) {
    case RS_RT_WARMUP:
        return "Roll slowly from the Achilles tendon to just below the knee. "
               "Never on the back of the knee.";
    case RS_RT_SPOTS:
        return r->spots >= r->plan.spots_min
                   ? "Enough spots for today: press space to stretch, or hold one more."
                   : "Stop on a tender spot and hold it 15-30 s, until it eases.";
    case RS_RT_STRETCH_GASTROC:
        return r->phase == RS_RTP_WAIT
                   ? "Wall stretch: this leg back, straight, heel down. Step off the roller "
                     "or press space."
                   : "Back leg straight, heel down, lean into the wall.";
    case RS_RT_STRETCH_SOLEUS:
        return r->phase == RS_RTP_WAIT
                   ? "Wall stretch: this leg back, knee slightly bent, heel down. Step off "
                     "or press space."
                   : "Back knee slightly bent, heel down, lean in.";
    }
    return "";
}

static const char *title(enum rs_rt_kind k)
{
    switch (k) {
    case RS_RT_WARMUP:
        return "Warm up";
    case RS_RT_SPOTS:
        return "Tender spots";
    case RS_RT_STRETCH_GASTROC:
        return "Knee straight";
    case RS_RT_STRETCH_SOLEUS:
        return "Knee bent";
    }
    return "";
}

/* Seconds left of what is being timed now, or -1. */
static double remaining(const struct rs_routine *r, double t)
{
    const struct rs_routine_plan *p = &r->plan;
    double since = t - r->phase_t0;
    switch (r->phase) {
    case RS_RTP_ROLL:
        return r->steps[r->cur].planned_s - (t - r->step_t0);
    case RS_RTP_COUNTDOWN:
        return p->countdown_s - since;
    case RS_RTP_STRETCH:
        return p->stretch_s - since;
    case RS_RTP_REST:
        return p->rest_s - since;
    case RS_RTP_WAIT:
    case RS_RTP_DONE:
        break;
    }
    return -1;
}

void rs_routine_view(const struct rs_routine *r, double t, struct rs_routine_view *v)
{
    memset(v, 0, sizeof *v);
    v->nsteps = r->nsteps;
    v->phase = r->phase;
    v->spots_min = r->plan.spots_min;
    v->spots_max = r->plan.spots_max;
    v->reps = r->plan.stretch_reps;
    if (r->phase == RS_RTP_DONE) {
        v->step = r->nsteps;
        v->remaining_s = -1;
        v->title = "Routine done";
        v->instruction = "Both calves done. Leave the rest for tomorrow.";
        return;
    }
    const struct rs_routine_step *s = &r->steps[r->cur];
    v->step = r->cur;
    v->kind = s->kind;
    v->leg = s->leg;
    v->spots = r->spots;
    v->rep = r->rep + 1;
    double left = remaining(r, t);
    v->remaining_s = left < 0 && r->phase != RS_RTP_WAIT ? 0 : left;
    v->title = title(s->kind);
    v->instruction = instruction(r, s->kind);
}

const char *rs_routine_kind_name(enum rs_rt_kind k)
{
    static const char *const names[] = { "warmup", "spots", "stretch_gastroc",
                                         "stretch_soleus" };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}

const char *rs_routine_ev_name(enum rs_rt_ev_kind k)
{
    static const char *const names[] = { "step_start", "step_end", "spot", "spot_short",
                                         "rep_start", "rep_end", "done" };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "unknown";
}
