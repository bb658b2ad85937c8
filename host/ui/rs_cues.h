/*
 * rs_cues.h - audio cues: which cue is due, and the tones, as pure code.
 *
 * Someone on the floor often cannot see the screen, so the cues that matter
 * are heard: hold start, 15 s, 30 s, 60 s, 90 s, too fast, too hard, the knee
 * zone and dose advice (docs/ui.md lists the sounds). Each
 * has its own pattern of notes (pitch, count, length), so they are told
 * apart without looking. The synthesizer writes 16-bit mono samples into a
 * caller buffer; the SDL audio callback (rs_audio.c) is a thin shell
 * around it, and tests run it on generated samples with emulated time.
 *
 * Rate limit: a cue is accepted at most once per its min_gap_ms (the
 * "too fast" cue does not nag every frame of a fast pass). Muting drops
 * queued and playing cues at once and ignores new ones.
 */
#ifndef RS_CUES_H
#define RS_CUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_view.h"

enum rs_cue {
    RS_CUE_HOLD_START,
    RS_CUE_HOLD_15,
    RS_CUE_HOLD_30,
    RS_CUE_HOLD_60,
    RS_CUE_HOLD_90,
    RS_CUE_TOO_FAST,
    RS_CUE_TOO_HARD,
    RS_CUE_KNEE,       /* entering the knee zone */
    RS_CUE_DOSE,       /* new dose advice */
    RS_CUE_STEP,       /* guided routine: a new step, a stretch repetition starts */
    RS_CUE_COUNT
};

#define RS_CUE_NOTES_MAX 4

struct rs_cue_tone {
    uint8_t n;                       /* notes */
    uint16_t hz[RS_CUE_NOTES_MAX];
    uint16_t ms[RS_CUE_NOTES_MAX];
    uint16_t min_gap_ms;             /* rate limit */
};

/* Gap of silence between notes of a cue, and between queued cues. */
#define RS_CUE_NOTE_GAP_MS 40
#define RS_CUE_CUE_GAP_MS 150

extern const struct rs_cue_tone rs_cue_tones[RS_CUE_COUNT];

const char *rs_cue_name(enum rs_cue c);

/* The cues due between two consecutive views, as a bit mask (1u << cue):
 * hold start and the 15/30/60/90 s marks when a hold crosses them, too fast
 * and too hard on entering those bands. Pure; the pipeline may emit its own
 * events instead and call rs_synth_trigger directly. */
unsigned rs_cues_between(const struct rs_view *prev, const struct rs_view *cur);

#define RS_SYNTH_QUEUE 8

struct rs_synth {
    int rate;            /* samples per second */
    float volume;        /* 0..1 */
    bool muted;
    bool accepted_once[RS_CUE_COUNT];
    uint64_t last_ms[RS_CUE_COUNT];
    uint8_t queue[RS_SYNTH_QUEUE];
    unsigned qhead, qlen;
    int playing;         /* cue being played, -1 none */
    unsigned note;       /* note index within it */
    uint32_t pos;        /* sample within the note (or gap) */
    uint32_t silence;    /* samples of gap still to emit before the next note */
    double phase;
};

void rs_synth_init(struct rs_synth *s, int rate);
/* 0..1, clamped. */
void rs_synth_set_volume(struct rs_synth *s, float v);
void rs_synth_set_muted(struct rs_synth *s, bool muted);

/* Queue a cue at now_ms (any monotonic clock). Returns 1 when queued, 0
 * when muted, rate-limited or the queue is full. */
int rs_synth_trigger(struct rs_synth *s, enum rs_cue c, uint64_t now_ms);

/* Write n mono samples (silence when idle). */
void rs_synth_render(struct rs_synth *s, int16_t *out, size_t n);

/* True while a cue is playing or queued. */
bool rs_synth_busy(const struct rs_synth *s);

#endif
