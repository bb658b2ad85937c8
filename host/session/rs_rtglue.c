/* rs_rtglue.c - the guided routine inside a session (see rs_rtglue.h). */
#include "rs_rtglue.h"

#include <string.h>

#include "rs_json.h"
#include "rs_voice.h"

void rs_rtglue_init(struct rs_rtglue *g, const struct rs_routine_plan *plan)
{
    memset(g, 0, sizeof *g);
    g->plan = *plan;
}

static void say(struct rs_rtglue *g, enum rs_phrase p)
{
    if (g->nphrases < RS_RTGLUE_PHRASES)
        g->phrases[g->nphrases++] = p;
}

static enum rs_phrase kind_phrase(enum rs_rt_kind k)
{
    switch (k) {
    case RS_RT_WARMUP:
        return RS_PHRASE_WARMUP;
    case RS_RT_SPOTS:
        return RS_PHRASE_SPOTS;
    case RS_RT_STRETCH_GASTROC:
        return RS_PHRASE_STRETCH_STRAIGHT;
    case RS_RT_STRETCH_SOLEUS:
        return RS_PHRASE_STRETCH_BENT;
    }
    return RS_PHRASE_NONE;
}

/* What the events from index `from` on mean for the counters and the ear. */
static void account(struct rs_rtglue *g, const struct rs_routine_out *out, int from)
{
    for (int i = from; out && i < out->n; i++) {
        const struct rs_routine_event *e = &out->ev[i];
        switch (e->kind) {
        case RS_RTE_STEP_START:
            g->tone = true;
            if (e->step > 0 && g->rt.steps[e->step - 1].leg != e->leg)
                say(g, e->leg == RS_LEG_LEFT ? RS_PHRASE_SWITCH_LEFT : RS_PHRASE_SWITCH_RIGHT);
            say(g, kind_phrase(e->step_kind));
            break;
        case RS_RTE_STEP_END:
            g->steps_done += !e->skipped;
            break;
        case RS_RTE_REP_START:
            g->tone = true;
            say(g, kind_phrase(e->step_kind));
            break;
        case RS_RTE_DONE:
            g->finished = true;
            g->tone = true;
            say(g, RS_PHRASE_DONE);
            break;
        default:
            break;
        }
    }
}

void rs_rtglue_sample(struct rs_rtglue *g, double t, bool loaded, struct rs_routine_out *out)
{
    g->t = t;
    int from = out ? out->n : 0;
    if (!g->started) {
        if (!loaded)
            return;
        g->started = true;
        rs_routine_start(&g->rt, &g->plan, t, out);
    }
    rs_routine_tick(&g->rt, t, loaded, out);
    account(g, out, from);
}

void rs_rtglue_hold(struct rs_rtglue *g, double t, enum rs_leg leg, double seconds,
                    struct rs_routine_out *out)
{
    if (!g->started)
        return;
    int from = out ? out->n : 0;
    rs_routine_hold(&g->rt, t, leg, seconds, out);
    account(g, out, from);
}

void rs_rtglue_go(struct rs_rtglue *g, struct rs_routine_out *out)
{
    if (!g->started)
        return;
    int from = out ? out->n : 0;
    rs_routine_go(&g->rt, g->t, out);
    account(g, out, from);
}

void rs_rtglue_skip(struct rs_rtglue *g, struct rs_routine_out *out)
{
    if (!g->started)
        return;
    int from = out ? out->n : 0;
    rs_routine_skip(&g->rt, g->t, out);
    account(g, out, from);
}

void rs_rtglue_finish(struct rs_rtglue *g, struct rs_routine_out *out)
{
    if (!g->started || g->finished || !out || out->n >= RS_ROUTINE_OUT_MAX)
        return;
    g->finished = true;
    out->ev[out->n++] = (struct rs_routine_event){
        .kind = RS_RTE_DONE, .t = g->t, .step = g->rt.cur, .actual_s = g->t - g->rt.t0,
        .skipped = true, /* ended by the session, not by the routine */
    };
}

const char *rs_rtglue_json(const struct rs_rtglue *g, const struct rs_routine_event *ev,
                           double offset_s, const char **type, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    if (ev->kind == RS_RTE_STEP_END) {
        *type = "routine_step";
        rs_json_str(&j, "type", *type);
        rs_json_num(&j, "t", ev->t + offset_s, 3);
        rs_json_int(&j, "step", ev->step);
        rs_json_str(&j, "kind", rs_routine_kind_name(ev->step_kind));
        rs_json_str(&j, "leg", rs_leg_name(ev->leg));
        rs_json_num(&j, "planned_s", ev->planned_s, 3);
        rs_json_num(&j, "actual_s", ev->actual_s, 3);
        rs_json_int(&j, "count", ev->count);
        rs_json_bool(&j, "skipped", ev->skipped);
    } else if (ev->kind == RS_RTE_DONE) {
        *type = "routine_done";
        rs_json_str(&j, "type", *type);
        rs_json_num(&j, "t", ev->t + offset_s, 3);
        rs_json_int(&j, "steps", g->rt.nsteps);
        rs_json_int(&j, "steps_done", g->steps_done);
        rs_json_bool(&j, "completed", !ev->skipped);
        rs_json_num(&j, "total_s", ev->actual_s, 3);
    } else {
        return NULL;
    }
    return rs_json_end(&j);
}

bool rs_rtglue_view(const struct rs_rtglue *g, struct rs_routine_view *v)
{
    if (g->started) {
        rs_routine_view(&g->rt, g->t, v);
        return true;
    }
    /* Not started: the first step as it will begin, its clock still. */
    struct rs_routine r;
    rs_routine_start(&r, &g->plan, 0, NULL);
    rs_routine_view(&r, 0, v);
    return false;
}

int rs_rtglue_take(struct rs_rtglue *g, int *out, int max, bool *tone)
{
    int n = g->nphrases < max ? g->nphrases : max;
    memcpy(out, g->phrases, (size_t)n * sizeof *out);
    g->nphrases = 0;
    *tone = g->tone;
    g->tone = false;
    return n;
}
