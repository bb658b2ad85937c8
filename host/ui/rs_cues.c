/*
 * rs_cues.c - cue detection and tone synthesis (see rs_cues.h).
 */
#include "rs_cues.h"

#include <math.h>
#include <string.h>

/* Rising patterns mean progress (15 s, 30 s); a falling run means "let go"
 * (90 s); rapid high beeps mean "too fast"; a low double tone "too hard";
 * a high-low siren "away from the knee"; a soft falling pair "that is
 * enough" (dose advice); a slow rising chord "next step" (guided routine). */
const struct rs_cue_tone rs_cue_tones[RS_CUE_COUNT] = {
    [RS_CUE_HOLD_START] = { 1, { 660 }, { 150 }, 1000 },
    [RS_CUE_HOLD_15] = { 2, { 660, 880 }, { 120, 120 }, 1000 },
    [RS_CUE_HOLD_30] = { 3, { 660, 880, 1320 }, { 120, 120, 220 }, 1000 },
    [RS_CUE_HOLD_60] = { 2, { 880, 880 }, { 260, 260 }, 1000 },
    [RS_CUE_HOLD_90] = { 4, { 1320, 990, 660, 440 }, { 150, 150, 150, 300 }, 1000 },
    [RS_CUE_TOO_FAST] = { 3, { 1760, 1760, 1760 }, { 60, 60, 60 }, 4000 },
    [RS_CUE_TOO_HARD] = { 2, { 220, 220 }, { 300, 300 }, 5000 },
    [RS_CUE_KNEE] = { 4, { 1175, 587, 1175, 587 }, { 110, 110, 110, 110 }, 3000 },
    [RS_CUE_DOSE] = { 2, { 784, 523 }, { 250, 400 }, 1000 },
    [RS_CUE_STEP] = { 3, { 523, 659, 784 }, { 160, 160, 320 }, 500 },
};

const char *rs_cue_name(enum rs_cue c)
{
    static const char *const n[RS_CUE_COUNT] = {
        "hold_start", "hold_15s", "hold_30s", "hold_60s", "hold_90s", "too_fast", "too_hard",
        "knee_zone", "dose", "routine_step",
    };
    return (unsigned)c < RS_CUE_COUNT ? n[c] : "?";
}

unsigned rs_cues_between(const struct rs_view *prev, const struct rs_view *cur)
{
    unsigned m = 0;
    bool was = prev->hold_active;
    float ps = was ? prev->hold_s : -1.0f;
    if (cur->hold_active) {
        if (!was || cur->hold_s < ps) { /* a new hold */
            m |= 1u << RS_CUE_HOLD_START;
            ps = -1.0f;
        }
        static const struct { float at; enum rs_cue c; } marks[] = {
            { 15, RS_CUE_HOLD_15 }, { 30, RS_CUE_HOLD_30 }, { 60, RS_CUE_HOLD_60 }, { 90, RS_CUE_HOLD_90 },
        };
        for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
            if (ps < marks[i].at && cur->hold_s >= marks[i].at)
                m |= 1u << marks[i].c;
    }
    if (cur->speed_band == RS_SB_TOO_FAST && prev->speed_band != RS_SB_TOO_FAST)
        m |= 1u << RS_CUE_TOO_FAST;
    if (cur->force_band >= RS_FB_NO_BENEFIT && prev->force_band < RS_FB_NO_BENEFIT)
        m |= 1u << RS_CUE_TOO_HARD;
    return m;
}

void rs_synth_init(struct rs_synth *s, int rate)
{
    memset(s, 0, sizeof *s);
    s->rate = rate > 0 ? rate : 48000;
    s->volume = 0.8f;
    s->playing = -1;
}

void rs_synth_set_volume(struct rs_synth *s, float v)
{
    s->volume = v < 0 ? 0 : v > 1 ? 1 : v;
}

void rs_synth_set_muted(struct rs_synth *s, bool muted)
{
    s->muted = muted;
    if (muted) {
        s->qlen = 0;
        s->playing = -1;
        s->silence = 0;
    }
}

int rs_synth_trigger(struct rs_synth *s, enum rs_cue c, uint64_t now_ms)
{
    if ((unsigned)c >= RS_CUE_COUNT || s->muted)
        return 0;
    if (s->accepted_once[c] && now_ms - s->last_ms[c] < rs_cue_tones[c].min_gap_ms)
        return 0;
    if (s->qlen >= RS_SYNTH_QUEUE)
        return 0;
    s->accepted_once[c] = true;
    s->last_ms[c] = now_ms;
    s->queue[(s->qhead + s->qlen++) % RS_SYNTH_QUEUE] = (uint8_t)c;
    return 1;
}

bool rs_synth_busy(const struct rs_synth *s)
{
    return s->playing >= 0 || s->qlen > 0;
}

static uint32_t ms_to_samples(const struct rs_synth *s, unsigned ms)
{
    return (uint32_t)((uint64_t)ms * (uint64_t)s->rate / 1000u);
}

void rs_synth_render(struct rs_synth *s, int16_t *out, size_t n)
{
    const uint32_t ramp = ms_to_samples(s, 5); /* click-free 5 ms edges */
    for (size_t i = 0; i < n; i++) {
        if (s->silence) {
            s->silence--;
            out[i] = 0;
            continue;
        }
        if (s->playing < 0) {
            if (s->qlen == 0) {
                out[i] = 0;
                continue;
            }
            s->playing = s->queue[s->qhead];
            s->qhead = (s->qhead + 1) % RS_SYNTH_QUEUE;
            s->qlen--;
            s->note = 0;
            s->pos = 0;
            s->phase = 0;
        }
        const struct rs_cue_tone *t = &rs_cue_tones[s->playing];
        uint32_t len = ms_to_samples(s, t->ms[s->note]);
        float env = 1.0f;
        if (s->pos < ramp)
            env = (float)s->pos / (float)ramp;
        else if (len - s->pos < ramp)
            env = (float)(len - s->pos) / (float)ramp;
        double a = 0.6 * s->volume * env * sin(s->phase);
        out[i] = (int16_t)lrint(a * 32767.0);
        s->phase += 2.0 * M_PI * t->hz[s->note] / s->rate;
        if (s->phase > 2.0 * M_PI)
            s->phase -= 2.0 * M_PI;
        if (++s->pos >= len) {
            s->pos = 0;
            s->phase = 0;
            if (++s->note >= t->n) {
                s->playing = -1;
                s->silence = ms_to_samples(s, RS_CUE_CUE_GAP_MS);
            } else {
                s->silence = ms_to_samples(s, RS_CUE_NOTE_GAP_MS);
            }
        }
    }
}
