/* rs_endsum.c - the end of a session as data (see rs_endsum.h). */
#include "rs_endsum.h"

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rs_endsum_log_init(struct rs_endsum_log *l)
{
    l->top = 0;
    for (int i = 0; i < RS_ENDSUM_LOG_MAX; i++)
        l->hold[i].leg = -1;
}

void rs_endsum_log_event(struct rs_endsum_log *l, const struct rs_event *ev)
{
    if (ev->type != RS_EV_HOLD_END)
        return;
    int i = ev->u.hold.index;
    if (i < 1 || i > RS_ENDSUM_LOG_MAX)
        return;
    l->hold[i - 1].leg = (int8_t)ev->u.hold.leg;
    l->hold[i - 1].pos_cm = (float)ev->u.hold.pos_cm;
    l->hold[i - 1].seconds = (float)ev->u.hold.seconds;
    if (i > l->top)
        l->top = i;
}

/* Append a hold to its leg's list (the unknown leg is only counted). */
static void list_hold(struct rs_endview *e, int leg, float pos_cm, float seconds, bool running)
{
    if (leg != RS_LEG_LEFT && leg != RS_LEG_RIGHT)
        return;
    int k = leg - RS_LEG_LEFT;
    if (e->nlisted[k] >= RS_END_HOLDS_MAX)
        return;
    e->hold[k][e->nlisted[k]++] = (struct rs_end_hold){ pos_cm, seconds, running };
}

/* The listed holds: those of the log the session still counts (a replay
 * seeked back has not reached the later ones again), then a running one. */
static void list_holds(const struct rs_endsum_in *in, struct rs_endview *e)
{
    int counted = in->sum->holds[0] + in->sum->holds[1] + in->sum->holds[2];
    for (int i = 0; in->log && i < in->log->top && i < counted; i++)
        if (in->log->hold[i].leg >= 0)
            list_hold(e, in->log->hold[i].leg, in->log->hold[i].pos_cm, in->log->hold[i].seconds,
                      false);
    if (in->live && in->live->hold.active)
        list_hold(e, in->live->hold.leg, (float)in->live->hold.pos_cm,
                  (float)in->live->hold.seconds, true);
}

void rs_endsum_make(const struct rs_endsum_in *in, struct rs_endview *out)
{
    memset(out, 0, sizeof *out);
    out->view = *in->view;
    out->mode = in->view->mode;
    out->duration_s = in->duration_s > 0 ? (float)in->duration_s : 0;
    out->holds[0] = (uint16_t)in->sum->holds[RS_LEG_LEFT];
    out->holds[1] = (uint16_t)in->sum->holds[RS_LEG_RIGHT];
    out->holds_unknown_leg = (uint16_t)in->sum->holds[RS_LEG_UNCERTAIN];
    out->calf_time_s[0] = in->view->calf_time_s[0];
    out->calf_time_s[1] = in->view->calf_time_s[1];
    list_holds(in, out);
    if (in->file)
        snprintf(out->file, sizeof out->file, "%s", in->file);
    out->nadvice = (uint8_t)rs_endsum_advice(out, out->advice, RS_END_ADVICE_MAX);
    rs_endsum_spot(in, out, out->spot, sizeof out->spot);
}

/* ---- a spot that keeps coming back ---------------------------------------------- */

/* Whether one of today's listed holds lies in spot s. */
static bool held_today(const struct rs_endview *e, const struct rs_spot *s)
{
    int k = s->leg == RS_LEG_RIGHT;
    for (int i = 0; i < e->nlisted[k]; i++)
        if (fabs(e->hold[k][i].pos_cm - s->pos_cm) <= RS_ENDSUM_SPOT_RADIUS_CM)
            return true;
    return false;
}

int rs_endsum_spot(const struct rs_endsum_in *in, const struct rs_endview *e, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if (!in->past || in->past_sessions <= 0)
        return 0;
    static struct rs_spot_hold h[RS_SPOTS_HOLDS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < in->npast && n < RS_SPOTS_HOLDS_MAX - 2 * RS_END_HOLDS_MAX; i++)
        h[n++] = in->past[i];
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < e->nlisted[k]; i++)
            if (!e->hold[k][i].running)
                h[n++] = (struct rs_spot_hold){ in->past_sessions, k ? RS_LEG_RIGHT : RS_LEG_LEFT,
                                                e->hold[k][i].pos_cm, e->hold[k][i].seconds };
    struct rs_spot s[16];
    size_t ns = rs_spots_find(h, n, in->past_sessions + 1, RS_ENDSUM_SPOT_WINDOW,
                              RS_ENDSUM_SPOT_RADIUS_CM, s, 16);
    for (size_t i = 0; i < ns; i++)
        if (s[i].sessions >= RS_ENDSUM_SPOT_MIN && held_today(e, &s[i])) {
            rs_spot_text(&s[i], out, cap);
            return 1;
        }
    return 0;
}

/* ---- advice ----------------------------------------------------------------- */

struct advice_out {
    char (*line)[RS_END_TEXT_MAX];
    int n, max;
};

static void say(struct advice_out *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct advice_out *a, const char *fmt, ...)
{
    if (a->n >= a->max)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->line[a->n++], RS_END_TEXT_MAX, fmt, ap);
    va_end(ap);
}

/* Seconds of the longest and the shortest listed hold (completed ones). */
static void hold_extremes(const struct rs_endview *e, float *shortest, float *longest)
{
    *shortest = INFINITY;
    *longest = 0;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < e->nlisted[k]; i++) {
            float s = e->hold[k][i].seconds;
            if (s > *longest)
                *longest = s;
            if (!e->hold[k][i].running && s < *shortest)
                *shortest = s;
        }
}

/* A calf that had under half the other's time, when the other had at
 * least a minute: which (0 left, 1 right), or -1. */
static int neglected_calf(const struct rs_endview *e)
{
    for (int k = 0; k < 2; k++) {
        float me = e->calf_time_s[k], other = e->calf_time_s[1 - k];
        if (other >= 60.0f && me < other * 0.5f)
            return k;
    }
    return -1;
}

int rs_endsum_advice(const struct rs_endview *e, char out[][RS_END_TEXT_MAX], int max)
{
    const struct rs_config *c = &e->view.bands;
    struct advice_out a = { out, 0, max };
    int per_leg = (int)c->dose_holds_per_leg;
    int holds = e->holds[0] + e->holds[1] + e->holds_unknown_leg;
    float shortest, longest;
    hold_extremes(e, &shortest, &longest);
    if (holds == 0 && e->calf_time_s[0] + e->calf_time_s[1] < 30.0f) {
        say(&a, "Roll each calf slowly for about %.0f minutes and hold a tender spot %.0f-%.0f s",
            c->dose_switch_min, c->cue_min_s, c->cue_target_s);
        return a.n;
    }
    int weak = neglected_calf(e);
    if (weak >= 0)
        say(&a, "Start with the %s calf: it had less time today", weak == 0 ? "LEFT" : "RIGHT");
    if (holds == 0)
        say(&a, "Hold up to %d tender spots per calf, %.0f-%.0f s each", per_leg, c->cue_min_s,
            c->cue_target_s);
    if (longest >= c->cue_long_s)
        say(&a, "Release each hold at about %.0f s: longer brings no extra benefit", c->cue_target_s);
    if (shortest < c->cue_min_s)
        say(&a, "Keep each hold at least %.0f s", c->cue_min_s);
    if (e->holds[0] > per_leg || e->holds[1] > per_leg)
        say(&a, "%d spots per calf are enough", per_leg);
    if (e->calf_time_s[0] > c->dose_stop_min * 60.0 || e->calf_time_s[1] > c->dose_stop_min * 60.0)
        say(&a, "About %.0f minutes per calf is enough", c->dose_switch_min);
    if (a.n == 0)
        say(&a, "The same again: up to %d spots per calf, %.0f-%.0f s each", per_leg, c->cue_min_s,
            c->cue_target_s);
    return a.n;
}

/* ---- terminal lines -------------------------------------------------------- */

struct text_out {
    char *buf;
    size_t cap, len;
};

static void put(struct text_out *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text_out *t, const char *fmt, ...)
{
    if (t->len >= t->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len = t->len + (size_t)n < t->cap ? t->len + (size_t)n : t->cap - 1;
}

static void leg_line(struct text_out *t, const struct rs_endview *e, int k, const char *who)
{
    char tm[16];
    rs_view_mmss(tm, sizeof tm, e->calf_time_s[k]);
    put(t, "%s: %s calf %s, %u hold%s", who, k == 0 ? "LEFT" : "RIGHT", tm, e->holds[k],
        e->holds[k] == 1 ? "" : "s");
    for (int i = 0; i < e->nlisted[k]; i++)
        put(t, "%s %.0f s at %.0f cm%s", i ? "," : ":", rs_view_nz(e->hold[k][i].seconds, 0),
            rs_view_nz(e->hold[k][i].pos_cm, 0), e->hold[k][i].running ? " (running)" : "");
    int done = e->nlisted[k];
    if (done && e->hold[k][done - 1].running)
        done--;
    if (e->holds[k] > done) /* more holds than the list keeps */
        put(t, ", ...");
    put(t, "\n");
}

const char *rs_endsum_text(const struct rs_endview *e, const char *who, char *buf, size_t cap)
{
    struct text_out t = { buf, cap, 0 };
    if (cap)
        buf[0] = '\0';
    char tm[16];
    rs_view_mmss(tm, sizeof tm, e->duration_s);
    put(&t, "%s: session %s%s\n", who, tm,
        e->view.calibrated ? "" : " (roller not calibrated: forces approximate)");
    leg_line(&t, e, 0, who);
    leg_line(&t, e, 1, who);
    if (e->holds_unknown_leg)
        put(&t, "%s: %u hold%s on no clear leg\n", who, e->holds_unknown_leg,
            e->holds_unknown_leg == 1 ? "" : "s");
    if (e->spot[0])
        put(&t, "%s: keeps coming back: %s\n", who, e->spot);
    for (int i = 0; i < e->nadvice; i++)
        put(&t, "%s: tomorrow: %s\n", who, e->advice[i]);
    if (e->file[0])
        put(&t, "%s: session file %s\n", who, e->file);
    else
        put(&t, "%s: not recorded\n", who);
    return buf;
}
