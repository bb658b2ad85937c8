/*
 * rs_voice.h - spoken cues: short phrases synthesized offline with
 * espeak-ng and mixed into the cue audio after each cue's tones.
 *
 * Someone on the floor hears a tone but may not know what it meant; a word
 * says it ("fifteen seconds", "avoid the back of the knee"). The tones
 * stay: the phrase follows its cue's notes.
 *
 * Two parts. The speech track (struct rs_speech) is pure: phrase PCM in,
 * a queue of phrase ids, and a mixer that adds the queued phrases, one
 * after another, into a caller's sample buffer at the device rate; tests
 * drive it with made-up PCM. The synthesizer (rs_voice_open) is the shell:
 * espeak-ng in synchronous mode renders every phrase once at start-up into
 * memory; no files are written, nothing goes over a network. Without
 * libespeak-ng at build time, or without its voice data at run time,
 * rs_voice_open fails with a one-line reason and the program runs with
 * tones only.
 */
#ifndef RS_VOICE_H
#define RS_VOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_cues.h"

enum rs_phrase {
    RS_PHRASE_NONE = -1,
    RS_PHRASE_15,           /* "fifteen seconds" */
    RS_PHRASE_30,           /* "thirty, move on" */
    RS_PHRASE_60,           /* "one minute" */
    RS_PHRASE_90,           /* "ninety, release now" */
    RS_PHRASE_TOO_FAST,     /* "slower" */
    RS_PHRASE_TOO_HARD,     /* "too hard, ease off" */
    RS_PHRASE_KNEE,         /* "avoid the back of the knee" */
    RS_PHRASE_DOSE,         /* "that is enough for this calf" */
    RS_PHRASE_SWITCH_LEFT,  /* "switch to the left calf" */
    RS_PHRASE_SWITCH_RIGHT, /* "switch to the right calf" */
    RS_PHRASE_WARMUP,       /* "warm up, roll slowly" */
    RS_PHRASE_SPOTS,        /* "find a tender spot and hold it" */
    RS_PHRASE_STRETCH_STRAIGHT, /* "stretch: knee straight" */
    RS_PHRASE_STRETCH_BENT, /* "stretch: knee bent" */
    RS_PHRASE_DONE,         /* "routine done, well done" */
    RS_PHRASE_COUNT
};

/* The words of a phrase ("" for an unknown id). */
const char *rs_phrase_text(enum rs_phrase p);

/* The phrase that follows a cue's tones, or RS_PHRASE_NONE (hold start is
 * a tone only: it comes often and the ring says it). */
enum rs_phrase rs_phrase_for_cue(enum rs_cue c);

#define RS_SPEECH_QUEUE 8

struct rs_speech {
    const int16_t *pcm[RS_PHRASE_COUNT]; /* at src_rate; NULL: not available */
    size_t len[RS_PHRASE_COUNT];
    int src_rate, dst_rate;
    float volume;          /* 0..1 */
    bool muted;
    int8_t queue[RS_SPEECH_QUEUE];
    unsigned qhead, qlen;
    int playing;           /* phrase being played, -1 none */
    double pos;            /* position in the playing phrase, source samples */
    /* What was queued, in order, for tests and the event log. */
    int8_t log[32];
    unsigned nlog;
};

/* An empty track: no phrase available until pcm/len are filled in. */
void rs_speech_init(struct rs_speech *s, int src_rate, int dst_rate);

/* Queue a phrase; 1 when queued, 0 when muted, unavailable or full. */
int rs_speech_say(struct rs_speech *s, enum rs_phrase p);

/* Add the queued speech into out (n samples at dst_rate), saturating. */
void rs_speech_mix(struct rs_speech *s, int16_t *out, size_t n);

bool rs_speech_busy(const struct rs_speech *s);
void rs_speech_set_muted(struct rs_speech *s, bool muted);

/* The synthesizer: owns the phrase PCM of a struct rs_speech. */
struct rs_voice;

/* Render every phrase with espeak-ng for a device at dst_rate. 0, or -1
 * with a one-line reason in err ("voice off: ..."). */
int rs_voice_open(struct rs_voice **out, int dst_rate, char *err, size_t errcap);
void rs_voice_close(struct rs_voice *v);
struct rs_speech *rs_voice_speech(struct rs_voice *v);

#endif
