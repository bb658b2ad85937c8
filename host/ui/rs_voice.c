/*
 * rs_voice.c - the speech track (pure) and the espeak-ng synthesizer
 * (see rs_voice.h).
 */
#include "rs_voice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef RS_HAVE_ESPEAK
#include <espeak-ng/speak_lib.h>
#endif

const char *rs_phrase_text(enum rs_phrase p)
{
    static const char *const text[RS_PHRASE_COUNT] = {
        [RS_PHRASE_15] = "fifteen seconds",
        [RS_PHRASE_30] = "thirty, move on",
        [RS_PHRASE_60] = "one minute",
        [RS_PHRASE_90] = "ninety, release now",
        [RS_PHRASE_TOO_FAST] = "slower",
        [RS_PHRASE_TOO_HARD] = "too hard, ease off",
        [RS_PHRASE_KNEE] = "avoid the back of the knee",
        [RS_PHRASE_DOSE] = "that is enough for this calf",
        [RS_PHRASE_SWITCH_LEFT] = "switch to the left calf",
        [RS_PHRASE_SWITCH_RIGHT] = "switch to the right calf",
        [RS_PHRASE_WARMUP] = "warm up, roll slowly",
        [RS_PHRASE_SPOTS] = "find a tender spot and hold it",
        [RS_PHRASE_STRETCH_STRAIGHT] = "stretch: knee straight",
        [RS_PHRASE_STRETCH_BENT] = "stretch: knee bent",
        [RS_PHRASE_DONE] = "routine done, well done",
    };
    return (unsigned)p < RS_PHRASE_COUNT ? text[p] : "";
}

enum rs_phrase rs_phrase_for_cue(enum rs_cue c)
{
    switch (c) {
    case RS_CUE_HOLD_15:
        return RS_PHRASE_15;
    case RS_CUE_HOLD_30:
        return RS_PHRASE_30;
    case RS_CUE_HOLD_60:
        return RS_PHRASE_60;
    case RS_CUE_HOLD_90:
        return RS_PHRASE_90;
    case RS_CUE_TOO_FAST:
        return RS_PHRASE_TOO_FAST;
    case RS_CUE_TOO_HARD:
        return RS_PHRASE_TOO_HARD;
    case RS_CUE_KNEE:
        return RS_PHRASE_KNEE;
    case RS_CUE_DOSE:
        return RS_PHRASE_DOSE;
    default:
        return RS_PHRASE_NONE;
    }
}

void rs_speech_init(struct rs_speech *s, int src_rate, int dst_rate)
{
    memset(s, 0, sizeof *s);
    s->src_rate = src_rate;
    s->dst_rate = dst_rate;
    s->volume = 1.0f;
    s->playing = -1;
}

int rs_speech_say(struct rs_speech *s, enum rs_phrase p)
{
    if (s->muted || (unsigned)p >= RS_PHRASE_COUNT || !s->pcm[p] || !s->len[p] ||
        s->qlen >= RS_SPEECH_QUEUE)
        return 0;
    s->queue[(s->qhead + s->qlen++) % RS_SPEECH_QUEUE] = (int8_t)p;
    if (s->nlog < sizeof s->log)
        s->log[s->nlog++] = (int8_t)p;
    return 1;
}

bool rs_speech_busy(const struct rs_speech *s)
{
    return s->playing >= 0 || s->qlen > 0;
}

void rs_speech_set_muted(struct rs_speech *s, bool muted)
{
    s->muted = muted;
    if (muted) {
        s->qlen = 0;
        s->playing = -1;
    }
}

static int16_t saturate(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* Linear interpolation between source samples, resampled to dst_rate. */
void rs_speech_mix(struct rs_speech *s, int16_t *out, size_t n)
{
    double step = s->dst_rate > 0 ? (double)s->src_rate / s->dst_rate : 1.0;
    for (size_t i = 0; i < n; i++) {
        if (s->playing < 0) {
            if (s->qlen == 0)
                return;
            s->playing = s->queue[s->qhead];
            s->qhead = (s->qhead + 1) % RS_SPEECH_QUEUE;
            s->qlen--;
            s->pos = 0;
        }
        const int16_t *pcm = s->pcm[s->playing];
        size_t len = s->len[s->playing];
        size_t k = (size_t)s->pos;
        double f = s->pos - (double)k;
        double a = pcm[k], b = k + 1 < len ? pcm[k + 1] : 0;
        out[i] = saturate(out[i] + (int32_t)((a + (b - a) * f) * s->volume));
        s->pos += step;
        if ((size_t)s->pos >= len)
            s->playing = -1;
    }
}

struct rs_voice {
    struct rs_speech speech;
    int16_t *buf[RS_PHRASE_COUNT];
};


struct rs_speech *rs_voice_speech(struct rs_voice *v)
{
    return v ? &v->speech : NULL;
}

void rs_voice_close(struct rs_voice *v)
{
    if (!v)
        return;
    for (int i = 0; i < RS_PHRASE_COUNT; i++)
        free(v->buf[i]);
    free(v);
}

#ifdef RS_HAVE_ESPEAK
/* The phrase being rendered: espeak-ng hands its samples to a callback. */
struct render {
    int16_t *buf;
    size_t len, cap;
    bool oom;
};

static int collect(short *wav, int n, espeak_EVENT *ev)
{
    struct render *r = ev ? ev->user_data : NULL;
    if (!r || !wav || n <= 0)
        return 0;
    if (r->len + (size_t)n > r->cap) {
        size_t cap = (r->len + (size_t)n) * 2;
        int16_t *nb = realloc(r->buf, cap * sizeof *nb);
        if (!nb) {
            r->oom = true;
            return 1; /* stop this phrase */
        }
        r->buf = nb;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, wav, (size_t)n * sizeof *wav);
    r->len += (size_t)n;
    return 0;
}

int rs_voice_open(struct rs_voice **out, int dst_rate, char *err, size_t errcap)
{
    *out = NULL;
    /* espeak-ng keeps global state: one synthesizer per process, made once. */
    static int rate = 0;
    if (rate == 0)
        rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, espeakINITIALIZE_DONT_EXIT);
    if (rate <= 0) {
        snprintf(err, errcap, "voice off: espeak-ng has no voice data (install espeak-ng-data)");
        rate = -1;
        return -1;
    }
    if (espeak_SetVoiceByName("en") != EE_OK) {
        snprintf(err, errcap, "voice off: espeak-ng has no English voice");
        return -1;
    }
    espeak_SetParameter(espeakRATE, 150, 0); /* a little slower than its default 175 wpm */
    espeak_SetSynthCallback(collect);
    struct rs_voice *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errcap, "voice off: out of memory");
        return -1;
    }
    rs_speech_init(&v->speech, rate, dst_rate);
    for (int p = 0; p < RS_PHRASE_COUNT; p++) {
        struct render r = { 0 };
        const char *t = rs_phrase_text((enum rs_phrase)p);
        if (espeak_Synth(t, strlen(t) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, &r) !=
                EE_OK ||
            r.oom || r.len == 0) {
            free(r.buf);
            rs_voice_close(v);
            snprintf(err, errcap, "voice off: espeak-ng could not say \"%s\"", t);
            return -1;
        }
        v->buf[p] = r.buf;
        v->speech.pcm[p] = r.buf;
        v->speech.len[p] = r.len;
    }
    *out = v;
    return 0;
}
#else
int rs_voice_open(struct rs_voice **out, int dst_rate, char *err, size_t errcap)
{
    (void)dst_rate;
    *out = NULL;
    snprintf(err, errcap, "voice off: built without espeak-ng (install libespeak-ng-dev and rebuild)");
    return -1;
}
#endif
