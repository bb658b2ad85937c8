/*
 * rs_audio.c - SDL audio shell around struct rs_synth (see rs_audio.h).
 */
#include "rs_audio.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

struct rs_audio {
    SDL_AudioDeviceID dev;
    int rate;
    struct rs_synth synth;
    struct rs_voice *voice; /* NULL: tones only */
};

/* Tones first; a phrase starts once its cue's notes are over. */
static void callback(void *user, Uint8 *stream, int len)
{
    struct rs_audio *a = user;
    size_t n = (size_t)len / sizeof(int16_t);
    rs_synth_render(&a->synth, (int16_t *)stream, n);
    struct rs_speech *sp = rs_voice_speech(a->voice);
    if (sp && (sp->playing >= 0 || !rs_synth_busy(&a->synth)))
        rs_speech_mix(sp, (int16_t *)stream, n);
}

int rs_audio_open(struct rs_audio **out, float volume, char *err, size_t errcap)
{
    *out = NULL;
    if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        snprintf(err, errcap, "no audio: %s", SDL_GetError());
        return -1;
    }
    struct rs_audio *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errcap, "no audio: out of memory");
        return -1;
    }
    SDL_AudioSpec want = { 0 }, have;
    want.freq = 48000;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    /* 2048 samples, 43 ms a buffer: the audio thread wakes 23 times a
     * second instead of 47 (half its CPU, most of it waking), and a cue
     * starts at most 43 ms after it is due, which no one on the floor
     * notices for a chime or a word. */
    want.samples = 2048;
    want.callback = callback;
    want.userdata = a;
    rs_synth_init(&a->synth, want.freq);
    a->rate = want.freq;
    rs_synth_set_volume(&a->synth, volume);
    a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!a->dev) {
        snprintf(err, errcap, "no audio device: %s", SDL_GetError());
        free(a);
        return -1;
    }
    SDL_PauseAudioDevice(a->dev, 0);
    *out = a;
    return 0;
}

void rs_audio_close(struct rs_audio *a)
{
    if (!a)
        return;
    SDL_CloseAudioDevice(a->dev);
    rs_voice_close(a->voice);
    free(a);
}

int rs_audio_voice(struct rs_audio *a, char *err, size_t errcap)
{
    if (!a) {
        snprintf(err, errcap, "voice off: no audio device");
        return -1;
    }
    struct rs_voice *v;
    if (rs_voice_open(&v, a->rate, err, errcap) != 0)
        return -1;
    SDL_LockAudioDevice(a->dev);
    a->voice = v;
    rs_speech_set_muted(rs_voice_speech(v), a->synth.muted);
    SDL_UnlockAudioDevice(a->dev);
    return 0;
}

int rs_audio_say(struct rs_audio *a, enum rs_phrase p)
{
    if (!a || !a->voice)
        return 0;
    SDL_LockAudioDevice(a->dev);
    int n = rs_speech_say(rs_voice_speech(a->voice), p);
    SDL_UnlockAudioDevice(a->dev);
    return n;
}

const struct rs_speech *rs_audio_speech(const struct rs_audio *a)
{
    return a && a->voice ? rs_voice_speech(a->voice) : NULL;
}

int rs_audio_cues(struct rs_audio *a, unsigned mask, uint64_t now_ms)
{
    if (!a || !mask)
        return 0;
    int n = 0;
    SDL_LockAudioDevice(a->dev);
    for (int c = 0; c < RS_CUE_COUNT; c++)
        if ((mask & (1u << c)) && rs_synth_trigger(&a->synth, (enum rs_cue)c, now_ms)) {
            n++;
            if (a->voice && rs_phrase_for_cue((enum rs_cue)c) != RS_PHRASE_NONE)
                rs_speech_say(rs_voice_speech(a->voice), rs_phrase_for_cue((enum rs_cue)c));
        }
    SDL_UnlockAudioDevice(a->dev);
    return n;
}

void rs_audio_set_muted(struct rs_audio *a, bool muted)
{
    if (!a)
        return;
    SDL_LockAudioDevice(a->dev);
    rs_synth_set_muted(&a->synth, muted);
    if (a->voice)
        rs_speech_set_muted(rs_voice_speech(a->voice), muted);
    SDL_UnlockAudioDevice(a->dev);
}

void rs_audio_set_volume(struct rs_audio *a, float volume)
{
    if (!a)
        return;
    SDL_LockAudioDevice(a->dev);
    rs_synth_set_volume(&a->synth, volume);
    SDL_UnlockAudioDevice(a->dev);
}
