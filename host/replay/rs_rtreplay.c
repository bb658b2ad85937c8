/* rs_rtreplay.c - the recorded routine steps (see rs_rtreplay.h). */
#include "rs_rtreplay.h"

#include <stdio.h>
#include <string.h>

#include "rs_jsonq.h"

static const char *const kinds[] = { "warmup", "spots", "stretch_gastroc", "stretch_soleus" };

int rs_rtstep_kind(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, kinds[i]) == 0)
            return i;
    return -1;
}

const char *rs_rtstep_title(int kind)
{
    static const char *const titles[] = { "Warm up", "Tender spots", "Knee straight", "Knee bent", "Routine done" };
    return kind >= 0 && kind <= RS_RV_DONE ? titles[kind] : "";
}

int rs_rtstep_parse(const char *json, struct rs_rtstep *out)
{
    char kind[32], leg[16];
    double step, count;
    memset(out, 0, sizeof *out);
    if (!json || !rs_jsonq_num(json, "t", &out->t) ||
        !rs_jsonq_num(json, "planned_s", &out->planned_s) ||
        !rs_jsonq_num(json, "actual_s", &out->actual_s) || !rs_jsonq_num(json, "step", &step) ||
        !rs_jsonq_num(json, "count", &count) || !rs_jsonq_bool(json, "skipped", &out->skipped) ||
        !rs_jsonq_str(json, "kind", kind, sizeof kind) || !rs_jsonq_str(json, "leg", leg, sizeof leg))
        return -1;
    out->kind = rs_rtstep_kind(kind);
    out->leg = strcmp(leg, "left") == 0 ? RS_VLEG_LEFT : strcmp(leg, "right") == 0 ? RS_VLEG_RIGHT : -1;
    if (out->kind < 0 || out->leg < 0 || !(step >= 0 && step < 100) || !(count >= 0 && count < 1000) ||
        !(out->actual_s >= 0))
        return -1;
    out->step = (int)step;
    out->count = (int)count;
    return 0;
}

void rs_rtreplay_view(const struct rs_rtstep *steps, int n, double pos, struct rs_view_routine *o)
{
    memset(o, 0, sizeof *o);
    o->active = n > 0;
    o->started = true;
    o->nsteps = n;
    int i = 0;
    while (i < n && pos >= steps[i].t)
        i++;
    if (i >= n) {
        o->kind = RS_RV_DONE;
        o->phase = RS_RVP_DONE;
        o->step = n;
        o->remaining_s = -1;
        snprintf(o->title, sizeof o->title, "%s", rs_rtstep_title(RS_RV_DONE));
        snprintf(o->instruction, sizeof o->instruction, "Recorded: %d steps.", n);
        return;
    }
    const struct rs_rtstep *s = &steps[i];
    o->step = s->step;
    o->kind = s->kind;
    o->leg = s->leg;
    o->phase = s->kind <= RS_RV_SPOTS ? RS_RVP_ROLL : RS_RVP_STRETCH;
    o->remaining_s = (float)(s->t - pos);
    o->spots = o->spots_max = s->kind == RS_RV_SPOTS ? s->count : 0;
    o->rep = o->reps = s->kind >= RS_RV_STRAIGHT ? s->count : 0;
    snprintf(o->title, sizeof o->title, "%s", rs_rtstep_title(s->kind));
    char what[48] = "";
    if (s->kind == RS_RV_SPOTS)
        snprintf(what, sizeof what, ", %d spot%s held", s->count, s->count == 1 ? "" : "s");
    else if (s->kind >= RS_RV_STRAIGHT)
        snprintf(what, sizeof what, ", %d repetition%s", s->count, s->count == 1 ? "" : "s");
    snprintf(o->instruction, sizeof o->instruction, "Recorded: %.0f s of %.0f s planned%s.%s",
             s->actual_s, s->planned_s, what, s->skipped ? " Skipped." : "");
}
