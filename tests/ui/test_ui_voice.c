/*
 * Spoken cues (host/ui/rs_voice.h): the pure speech track on made-up PCM
 * (order, resampling, mixing, saturation, mute, a full queue), the cue to
 * phrase table, and the real path: espeak-ng renders every phrase, and the
 * SDL audio device (dummy driver) queues each cue's phrase after its tones,
 * in order.
 */
#include <SDL.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rs_audio.h"
#include "rs_voice.h"

static int16_t ramp[100], loud[10];

static void track(struct rs_speech *s, int src, int dst)
{
    rs_speech_init(s, src, dst);
    for (int i = 0; i < 100; i++)
        ramp[i] = (int16_t)(i * 100);
    for (int i = 0; i < 10; i++)
        loud[i] = 30000;
    s->pcm[RS_PHRASE_15] = ramp;
    s->len[RS_PHRASE_15] = 100;
    s->pcm[RS_PHRASE_KNEE] = loud;
    s->len[RS_PHRASE_KNEE] = 10;
}

static void test_speech_order_and_length(void **state)
{
    (void)state;
    struct rs_speech s;
    track(&s, 1000, 2000); /* twice the rate: each phrase twice as long */
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_KNEE), 1);
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_15), 1);
    int16_t out[300] = { 0 };
    rs_speech_mix(&s, out, 300);
    assert_int_equal(out[0], 30000);
    assert_int_equal(out[19], 30000 / 2); /* interpolated toward the end's silence */
    assert_int_equal(out[20], 0);         /* the second phrase starts at its sample 0 */
    assert_int_equal(out[21], 50);        /* halfway between 0 and 100 */
    assert_int_equal(out[22], 100);
    assert_int_equal(out[20 + 198], 9900);
    assert_int_equal(out[20 + 200], 0); /* and it is over */
    assert_false(rs_speech_busy(&s));
    assert_int_equal(s.nlog, 2);
    assert_int_equal(s.log[0], RS_PHRASE_KNEE);
    assert_int_equal(s.log[1], RS_PHRASE_15);
}

static void test_speech_mixes_and_saturates(void **state)
{
    (void)state;
    struct rs_speech s;
    track(&s, 1000, 1000);
    rs_speech_say(&s, RS_PHRASE_KNEE);
    int16_t out[12];
    for (int i = 0; i < 12; i++)
        out[i] = 10000; /* a tone underneath */
    rs_speech_mix(&s, out, 12);
    assert_int_equal(out[0], 32767); /* 30000 + 10000 saturates */
    assert_int_equal(out[11], 10000);
    s.volume = 0.5f;
    rs_speech_say(&s, RS_PHRASE_15);
    int16_t q[4] = { -32768, 0, 0, 0 };
    rs_speech_mix(&s, q, 4);
    assert_int_equal(q[0], -32768);
    assert_int_equal(q[1], 50);
}

static void test_speech_refuses(void **state)
{
    (void)state;
    struct rs_speech s;
    track(&s, 1000, 1000);
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_30), 0); /* no PCM for it */
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_NONE), 0);
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_COUNT), 0);
    for (int i = 0; i < RS_SPEECH_QUEUE; i++)
        assert_int_equal(rs_speech_say(&s, RS_PHRASE_KNEE), 1);
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_KNEE), 0); /* full */
    rs_speech_set_muted(&s, true);
    assert_false(rs_speech_busy(&s));
    assert_int_equal(rs_speech_say(&s, RS_PHRASE_KNEE), 0);
    int16_t out[4] = { 0 };
    rs_speech_mix(&s, out, 4);
    assert_int_equal(out[0], 0);
}

static void test_cue_phrases(void **state)
{
    (void)state;
    assert_int_equal(rs_phrase_for_cue(RS_CUE_HOLD_START), RS_PHRASE_NONE);
    assert_string_equal(rs_phrase_text(rs_phrase_for_cue(RS_CUE_HOLD_15)), "fifteen seconds");
    assert_string_equal(rs_phrase_text(rs_phrase_for_cue(RS_CUE_HOLD_30)), "thirty, move on");
    assert_string_equal(rs_phrase_text(rs_phrase_for_cue(RS_CUE_KNEE)),
                        "avoid the back of the knee");
    assert_string_equal(rs_phrase_text(RS_PHRASE_SWITCH_RIGHT), "switch to the right calf");
    assert_string_equal(rs_phrase_text(RS_PHRASE_STRETCH_STRAIGHT), "stretch: knee straight");
    assert_string_equal(rs_phrase_text(RS_PHRASE_COUNT), "");
    for (int c = 0; c < RS_CUE_COUNT; c++) {
        enum rs_phrase p = rs_phrase_for_cue((enum rs_cue)c);
        assert_true(p == RS_PHRASE_NONE || rs_phrase_text(p)[0] != '\0');
    }
}

/* The real synthesizer behind SDL's dummy audio device. */
static void test_voice_on_dummy_audio(void **state)
{
    (void)state;
    struct rs_audio *a;
    char err[256];
    assert_int_equal(rs_audio_open(&a, 0.8f, err, sizeof err), 0);
    int rc = rs_audio_voice(a, err, sizeof err);
    if (rc != 0) {
        /* Built without espeak-ng: the reason must say so, one line. */
        assert_non_null(strstr(err, "voice off: "));
        assert_null(strchr(err, '\n'));
        rs_audio_close(a);
        skip();
    }
    const struct rs_speech *sp = rs_audio_speech(a);
    assert_non_null(sp);
    for (int p = 0; p < RS_PHRASE_COUNT; p++) {
        /* each phrase is real speech: 0.3 to 4 s long, not silence */
        double secs = (double)sp->len[p] / sp->src_rate;
        assert_true(secs > 0.3 && secs < 4.0);
        int peak = 0;
        for (size_t i = 0; i < sp->len[p]; i++)
            peak = sp->pcm[p][i] > peak ? sp->pcm[p][i] : peak;
        assert_true(peak > 2000);
    }
    unsigned mask = (1u << RS_CUE_HOLD_START) | (1u << RS_CUE_HOLD_15);
    assert_int_equal(rs_audio_cues(a, mask, 1000), 2);
    assert_int_equal(rs_audio_cues(a, 1u << RS_CUE_KNEE, 2000), 1);
    assert_int_equal(rs_audio_say(a, RS_PHRASE_SWITCH_LEFT), 1);
    assert_int_equal(sp->nlog, 3);
    assert_int_equal(sp->log[0], RS_PHRASE_15); /* hold start is a tone only */
    assert_int_equal(sp->log[1], RS_PHRASE_KNEE);
    assert_int_equal(sp->log[2], RS_PHRASE_SWITCH_LEFT);
    /* muted: nothing is said */
    rs_audio_set_muted(a, true);
    assert_int_equal(rs_audio_say(a, RS_PHRASE_DONE), 0);
    assert_int_equal(sp->nlog, 3);
    rs_audio_close(a);
}

int main(void)
{
    SDL_setenv("SDL_AUDIODRIVER", "dummy", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_speech_order_and_length),
        cmocka_unit_test(test_speech_mixes_and_saturates),
        cmocka_unit_test(test_speech_refuses),
        cmocka_unit_test(test_cue_phrases),
        cmocka_unit_test(test_voice_on_dummy_audio),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
