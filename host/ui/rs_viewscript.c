/*
 * rs_viewscript.c - the scripted session (see rs_viewscript.h).
 */
#include "rs_viewscript.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BW_N (75.0f * 9.81f)

struct moment {
    enum rs_view_leg leg;
    float pos_cm, speed_cms, force_pct;
    int hold;      /* 1-based hold number on the scripted timeline, 0 none */
    float hold_s;
};

/* Holds: start, length (the clock starts at the start of stillness). */
static const struct { float t0, len, pos; enum rs_view_leg leg; } holds[] = {
    { 15, 25, 18, RS_VLEG_LEFT },
    { 50, 35, 12, RS_VLEG_LEFT },
    { 105, 20, 22, RS_VLEG_LEFT },
};

/* Slow rolling: 2..30 cm and back at 5 cm/s (a triangle wave). */
static float roll_pos(float t, float *speed)
{
    const float lo = 2, hi = 30, v = 5;
    float period = 2 * (hi - lo) / v;
    float ph = fmodf(t, period);
    if (ph < period / 2) {
        *speed = v;
        return lo + v * ph;
    }
    *speed = -v;
    return hi - v * (ph - period / 2);
}

static struct moment at(float t)
{
    struct moment m = { .leg = t < 127 ? RS_VLEG_LEFT : RS_VLEG_RIGHT, .force_pct = 36 };
    for (int i = 0; i < 3; i++) {
        if (t >= holds[i].t0 && t < holds[i].t0 + holds[i].len) {
            m.pos_cm = holds[i].pos;
            m.hold = i + 1;
            m.hold_s = t - holds[i].t0;
            m.force_pct = 42 + 6 * sinf(t * 0.7f);
            return m;
        }
    }
    if (t >= 92 && t < 97) { /* too-fast pass up into the knee zone */
        m.speed_cms = 18;
        m.pos_cm = 5 + 6 * (t - 92);
        m.force_pct = 50;
        return m;
    }
    if (t >= 125 && t < 127) { /* lifting the leg off to switch */
        m.leg = RS_VLEG_NONE;
        m.force_pct = 2;
        m.pos_cm = 0;
        return m;
    }
    m.pos_cm = roll_pos(t, &m.speed_cms);
    m.force_pct = 34 + 5 * sinf(t * 0.9f);
    return m;
}

static void apply(struct rs_view *v, const struct moment *m)
{
    v->leg = m->leg;
    v->on_calf = m->leg != RS_VLEG_NONE;
    v->position_cm = m->pos_cm;
    v->speed_cms = m->speed_cms;
    v->speed_band = rs_view_speed_band(m->speed_cms);
    v->force_pct = m->force_pct;
    v->force_band = rs_view_force_band(m->force_pct);
    v->force_n = m->force_pct / 100.0f * BW_N;
    float right_share = m->leg == RS_VLEG_RIGHT ? 0.72f : 0.28f;
    v->right_n = v->force_n * right_share;
    v->left_n = v->force_n - v->right_n;
    v->hold_active = m->hold != 0;
    v->hold_s = m->hold_s;
    v->in_knee_zone = v->on_calf && m->pos_cm >= rs_view_calf_length(v) - v->knee_zone_cm;
}

void rs_viewscript_at(struct rs_view *v, float t)
{
    rs_view_init(v);
    t = fmodf(t < 0 ? 0 : t, RS_VIEWSCRIPT_LOOP_S);
    v->mode = RS_MODE_DEMO;
    v->link = RS_VLINK_CONNECTED;
    v->recording = true;
    v->calf_length_cm = 36;
    v->session_s = t;

    /* Integrate maps and counters at the history rate up to t. */
    const float dt = 1.0f / RS_VIEW_HISTORY_HZ;
    int steps = (int)(t * RS_VIEW_HISTORY_HZ);
    int last_hold = 0;
    for (int i = 0; i <= steps; i++) {
        float ti = i * dt;
        struct moment m = at(ti);
        if (m.leg != RS_VLEG_NONE) {
            int leg = m.leg == RS_VLEG_RIGHT;
            int bin = (int)m.pos_cm;
            if (bin >= 0 && bin < RS_VIEW_CALF_BINS) {
                struct rs_view_calf *c = &v->calf[leg];
                float n = c->time_s[bin] / dt;
                c->pressure_pct[bin] = (c->pressure_pct[bin] * n + m.force_pct) / (n + 1);
                c->time_s[bin] += dt;
            }
            v->calf_time_s[leg] += dt;
            /* A hold counts once it has lasted 2 s of stillness. */
            if (m.hold && m.hold != last_hold && m.hold_s >= 2.0f) {
                last_hold = m.hold;
                v->holds[leg]++;
                if (bin >= 0 && bin < RS_VIEW_CALF_BINS)
                    v->calf[leg].holds[bin]++;
            }
        }
        if (ti > t - 30.0f)
            rs_view_history_push(&v->history, m.force_pct, m.speed_cms);
    }
    struct moment now = at(t);
    apply(v, &now);
    if (v->holds[0] >= 3 || v->holds[1] >= 3)
        snprintf(v->advice, sizeof v->advice, "3 holds on this calf: two or three spots are enough today");
    else if (v->calf_time_s[0] >= 180 || v->calf_time_s[1] >= 180)
        snprintf(v->advice, sizeof v->advice, "3 min on this calf: switch legs");
}

void rs_viewscript_state(struct rs_view *v, enum rs_viewscript_state s)
{
    switch (s) {
    case RS_VS_ROLLING:
        rs_viewscript_at(v, 47.0f);
        break;
    case RS_VS_HOLD_TO30:
        rs_viewscript_at(v, 50.0f + 22.0f);
        break;
    case RS_VS_HOLD_DONE:
        rs_viewscript_at(v, 50.0f + 33.0f);
        v->hold_s = 35.0f; /* a 35 s hold, counted as the third */
        v->holds[0] = 3;
        snprintf(v->advice, sizeof v->advice, "3 holds on this calf: two or three spots are enough today");
        break;
    case RS_VS_TOO_FAST:
        rs_viewscript_at(v, 96.5f);
        v->force_pct = 66;
        v->force_band = rs_view_force_band(v->force_pct);
        v->force_n = v->force_pct / 100.0f * BW_N;
        break;
    case RS_VS_REPLAY:
        rs_viewscript_at(v, 140.0f);
        v->mode = RS_MODE_REPLAY;
        v->recording = false;
        v->replay_paused = true;
        v->replay_pos_s = 140.0f;
        v->replay_len_s = 312.0f;
        v->replay_speed = 2.0f;
        for (int i = 0; i < 3; i++) /* the three holds */
            v->replay_marks_s[v->replay_nmarks++] = holds[i].t0;
        v->frames_lost = 12;
        v->loss_pct = 1.5f;
        break;
    case RS_VS_UNCAL:
    default:
        rs_viewscript_at(v, 10.0f);
        v->calibrated = false;
        v->link = RS_VLINK_DISCONNECTED;
        v->recording = false;
        /* nominal units, as the session shows an uncalibrated roller */
        v->force_n = 287;
        v->speed_cms = 4.2f;
        v->sensor_fault = true;
        snprintf(v->sensor_text, sizeof v->sensor_text, "left load cell");
        break;
    }
}

const char *rs_viewscript_name(enum rs_viewscript_state s)
{
    static const char *const n[RS_VS_COUNT] = {
        "rolling", "hold-22s", "hold-35s-done", "too-fast-knee", "replay", "uncalibrated",
    };
    return (unsigned)s < RS_VS_COUNT ? n[s] : "unknown";
}
