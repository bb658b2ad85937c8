/*
 * rs_audio.h - the SDL audio device that plays the cue synthesizer.
 *
 * A thin shell: the device callback calls rs_synth_render under SDL's audio
 * lock, and every call here takes the same lock. When no audio device can
 * be opened the window still runs; rs_audio_open says why and the caller
 * may carry on silent (rs_audio_cue then does nothing).
 */
#ifndef RS_AUDIO_H
#define RS_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_cues.h"
#include "rs_voice.h"

struct rs_audio;

/* Start SDL audio (if needed) and open the default device, 48 kHz mono.
 * Returns 0, or -1 with a one-line reason in err (*out is then NULL). */
int rs_audio_open(struct rs_audio **out, float volume, char *err, size_t errcap);
void rs_audio_close(struct rs_audio *a);

/* Queue the cues in mask (1u << enum rs_cue) at now_ms; returns how many
 * were accepted. NULL a is allowed (silent). */
int rs_audio_cues(struct rs_audio *a, unsigned mask, uint64_t now_ms);
void rs_audio_set_muted(struct rs_audio *a, bool muted);
void rs_audio_set_volume(struct rs_audio *a, float volume);

/* Spoken cues on: every phrase synthesized now (rs_voice.h); from then on
 * each cue's phrase follows its tones. 0, or -1 with a one-line reason
 * ("voice off: ...") and tones only. */
int rs_audio_voice(struct rs_audio *a, char *err, size_t errcap);
/* Say a phrase (routine steps, advice naming a leg). 1 queued, else 0. */
int rs_audio_say(struct rs_audio *a, enum rs_phrase p);
/* The speech track, for tests (NULL without a voice). Read it only while
 * the device is paused or closed, or under SDL_LockAudioDevice. */
const struct rs_speech *rs_audio_speech(const struct rs_audio *a);

#endif
