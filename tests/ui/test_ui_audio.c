/*
 * test_ui_audio.c - audio cues, checked on the generated samples (label ui).
 *
 * A decoder recovers the notes (count, pitch by zero crossings, length)
 * from the sample stream and names the cue by the tone table; the tests
 * check that each cue event yields its tone exactly once, that cues are
 * distinct, rate-limited, mutable and follow the volume. Time is emulated
 * (milliseconds passed to the synthesizer), so nothing waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_audio.h"
#include "rs_cues.h"
#include "rs_session.h"
#include "rs_viewscript.h"
#include "rs_warn.h"

#define RATE 48000
#define STREAM_MAX (RATE * 200)

static int16_t *stream;

struct note {
    size_t start, len;
    double hz;
};

/* Split a stream into notes: runs of sound separated by >= 10 ms of
 * silence. Returns the number of notes (at most max). */
static int find_notes(const int16_t *x, size_t n, struct note *out, int max)
{
    const size_t quiet = RATE / 100;
    int k = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && x[i] == 0)
            i++;
        if (i >= n)
            break;
        /* Pitch from rising zero crossings (zeros skipped): cycles
         * between the first and the last one over the time between. */
        size_t start = i, last = i, rises = 0, first_rise = 0, last_rise = 0;
        int sign = 0;
        while (i < n && i - last < quiet) {
            if (x[i] != 0) {
                last = i;
                int sg = x[i] > 0 ? 1 : -1;
                if (sign < 0 && sg > 0) {
                    if (!rises++)
                        first_rise = i;
                    last_rise = i;
                }
                sign = sg;
            }
            i++;
        }
        if (k < max) {
            size_t len = last - start + 1;
            out[k] = (struct note){ start, len, rises > 1 ? (rises - 1) / ((double)(last_rise - first_rise) / RATE) : 0 };
            if (getenv("UI_AUDIO_DEBUG"))
                print_message("note at %zu: %zu samples, %.1f Hz\n", start, len, out[k].hz);
        }
        k++;
    }
    return k;
}

/* Group notes into cues (a gap longer than the note gap starts a new cue)
 * and name each by the tone table; -1 for an unknown pattern. */
static int decode_cues(const int16_t *x, size_t n, int *cues, int max)
{
    static struct note notes[4096];
    int nn = find_notes(x, n, notes, 4096);
    assert_true(nn <= 4096);
    int nc = 0;
    for (int i = 0; i < nn;) {
        int j = i + 1;
        while (j < nn && notes[j].start - (notes[j - 1].start + notes[j - 1].len) < (size_t)(RATE * (RS_CUE_NOTE_GAP_MS + 30) / 1000))
            j++;
        int id = -1;
        for (int c = 0; c < RS_CUE_COUNT && id < 0; c++) {
            const struct rs_cue_tone *t = &rs_cue_tones[c];
            if (t->n != j - i)
                continue;
            bool ok = true;
            for (int q = 0; q < t->n && ok; q++) {
                double ms = notes[i + q].len * 1000.0 / RATE;
                ok = fabs(notes[i + q].hz - t->hz[q]) <= t->hz[q] * 0.03 && fabs(ms - t->ms[q]) <= 3.0;
            }
            if (ok)
                id = c;
        }
        if (nc < max)
            cues[nc] = id;
        nc++;
        i = j;
    }
    return nc;
}

static void test_each_cue_alone(void **state)
{
    (void)state;
    for (int c = 0; c < RS_CUE_COUNT; c++) {
        struct rs_synth s;
        rs_synth_init(&s, RATE);
        assert_int_equal(rs_synth_trigger(&s, (enum rs_cue)c, 0), 1);
        size_t n = RATE * 3;
        rs_synth_render(&s, stream, n);
        assert_false(rs_synth_busy(&s));
        int cues[8];
        int nc = decode_cues(stream, n, cues, 8);
        print_message("%s: %d cue(s) decoded, first %d\n", rs_cue_name((enum rs_cue)c), nc, cues[0]);
        assert_int_equal(nc, 1);
        assert_int_equal(cues[0], c);
    }
}

static void test_cues_distinct(void **state)
{
    (void)state;
    for (int a = 0; a < RS_CUE_COUNT; a++)
        for (int b = a + 1; b < RS_CUE_COUNT; b++) {
            const struct rs_cue_tone *x = &rs_cue_tones[a], *y = &rs_cue_tones[b];
            bool same = x->n == y->n;
            for (int q = 0; same && q < x->n; q++)
                same = x->hz[q] == y->hz[q] && x->ms[q] == y->ms[q];
            assert_false(same);
        }
}

static void test_rate_limit(void **state)
{
    (void)state;
    static const struct { enum rs_cue c; uint64_t t; int accepted; } steps[] = {
        { RS_CUE_TOO_FAST, 1000, 1 }, { RS_CUE_TOO_FAST, 2000, 0 }, { RS_CUE_TOO_FAST, 4999, 0 },
        { RS_CUE_TOO_HARD, 5000, 1 }, { RS_CUE_TOO_FAST, 5000, 1 }, { RS_CUE_TOO_HARD, 9999, 0 },
        { RS_CUE_TOO_HARD, 10000, 1 }, { RS_CUE_HOLD_15, 10000, 1 }, { RS_CUE_HOLD_15, 10500, 0 },
        { RS_CUE_HOLD_15, 11000, 1 },
    };
    struct rs_synth s;
    rs_synth_init(&s, RATE);
    int want[RS_CUE_COUNT] = { 0 };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(rs_synth_trigger(&s, steps[i].c, steps[i].t), steps[i].accepted);
        want[steps[i].c] += steps[i].accepted;
    }
    size_t n = RATE * 8;
    rs_synth_render(&s, stream, n);
    int cues[16], got[RS_CUE_COUNT] = { 0 };
    int nc = decode_cues(stream, n, cues, 16);
    assert_int_equal(nc, 6);
    for (int i = 0; i < nc; i++) {
        assert_true(cues[i] >= 0);
        got[cues[i]]++;
    }
    assert_memory_equal(got, want, sizeof got);
}

static void test_mute_and_volume(void **state)
{
    (void)state;
    struct rs_synth s;
    rs_synth_init(&s, RATE);
    rs_synth_set_muted(&s, true);
    assert_int_equal(rs_synth_trigger(&s, RS_CUE_HOLD_30, 0), 0);
    rs_synth_render(&s, stream, RATE);
    for (size_t i = 0; i < RATE; i++)
        assert_int_equal(stream[i], 0);

    /* Muting mid-cue silences at once and drops the queue. */
    rs_synth_set_muted(&s, false);
    assert_int_equal(rs_synth_trigger(&s, RS_CUE_HOLD_90, 0), 1);
    assert_int_equal(rs_synth_trigger(&s, RS_CUE_TOO_HARD, 0), 1);
    rs_synth_render(&s, stream, RATE / 20);
    rs_synth_set_muted(&s, true);
    rs_synth_render(&s, stream, RATE);
    for (size_t i = 0; i < RATE; i++)
        assert_int_equal(stream[i], 0);
    assert_false(rs_synth_busy(&s));

    /* Peak amplitude follows the volume. */
    static const float vols[] = { 1.0f, 0.5f, 0.25f, 0.0f };
    for (size_t v = 0; v < 4; v++) {
        rs_synth_init(&s, RATE);
        rs_synth_set_volume(&s, vols[v]);
        rs_synth_trigger(&s, RS_CUE_HOLD_START, 0);
        rs_synth_render(&s, stream, RATE / 2);
        int peak = 0;
        for (size_t i = 0; i < RATE / 2; i++)
            peak = abs(stream[i]) > peak ? abs(stream[i]) : peak;
        double want = 0.6 * vols[v] * 32767;
        assert_true(fabs(peak - want) <= 0.01 * 32767);
    }
}

static void test_cues_between_table(void **state)
{
    (void)state;
    static const struct {
        bool pa; float ps; bool ca; float cs;
        enum rs_view_speed_band psb, csb; enum rs_view_force_band pfb, cfb;
        unsigned want;
    } cases[] = {
        { false, 0, false, 0, RS_SB_SLOW, RS_SB_SLOW, RS_FB_TYPICAL, RS_FB_TYPICAL, 0 },
        { false, 0, true, 2.0f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_HOLD_START },
        { true, 14.9f, true, 15.0f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_HOLD_15 },
        { true, 15.0f, true, 15.1f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 0 },
        { true, 29.99f, true, 30.0f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_HOLD_30 },
        { true, 59.9f, true, 60.1f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_HOLD_60 },
        { true, 89.9f, true, 90.0f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_HOLD_90 },
        /* a skipped frame across two marks sounds both */
        { true, 14.0f, true, 31.0f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, (1u << RS_CUE_HOLD_15) | (1u << RS_CUE_HOLD_30) },
        /* a new hold right after another (clock went back) */
        { true, 20.0f, true, 2.0f, RS_SB_STILL, RS_SB_STILL, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_HOLD_START },
        { true, 20.0f, false, 0, RS_SB_STILL, RS_SB_SLOW, RS_FB_TYPICAL, RS_FB_TYPICAL, 0 },
        { false, 0, false, 0, RS_SB_BRISK, RS_SB_TOO_FAST, RS_FB_TYPICAL, RS_FB_TYPICAL, 1u << RS_CUE_TOO_FAST },
        { false, 0, false, 0, RS_SB_TOO_FAST, RS_SB_TOO_FAST, RS_FB_TYPICAL, RS_FB_TYPICAL, 0 },
        { false, 0, false, 0, RS_SB_SLOW, RS_SB_SLOW, RS_FB_HIGH, RS_FB_NO_BENEFIT, 1u << RS_CUE_TOO_HARD },
        { false, 0, false, 0, RS_SB_SLOW, RS_SB_SLOW, RS_FB_HIGH, RS_FB_OVERLOAD, 1u << RS_CUE_TOO_HARD },
        { false, 0, false, 0, RS_SB_SLOW, RS_SB_SLOW, RS_FB_NO_BENEFIT, RS_FB_OVERLOAD, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_view a, b;
        rs_view_init(&a);
        rs_view_init(&b);
        a.hold_active = cases[i].pa;
        a.hold_s = cases[i].ps;
        b.hold_active = cases[i].ca;
        b.hold_s = cases[i].cs;
        a.speed_band = cases[i].psb;
        b.speed_band = cases[i].csb;
        a.force_band = cases[i].pfb;
        b.force_band = cases[i].cfb;
        assert_int_equal(rs_cues_between(&a, &b), cases[i].want);
    }
}

/* The scripted session at 30 frames/s: the cues derived from the views,
 * played through the synthesizer, come out of the stream once each and in
 * order: three holds with their 15 s cues, one 30 s cue, one too-fast. */
static void test_session_stream(void **state)
{
    (void)state;
    static struct rs_view prev, cur;
    struct rs_synth s;
    rs_synth_init(&s, RATE);
    const int fps = 30;
    size_t at = 0;
    int events[64], nev = 0;
    rs_viewscript_at(&prev, 0);
    for (int f = 1; f < (int)(RS_VIEWSCRIPT_LOOP_S * fps) - 1; f++) {
        rs_viewscript_at(&cur, (float)f / fps);
        unsigned m = rs_cues_between(&prev, &cur);
        for (int c = 0; c < RS_CUE_COUNT; c++)
            if (m & (1u << c)) {
                assert_int_equal(rs_synth_trigger(&s, (enum rs_cue)c, (uint64_t)f * 1000 / fps), 1);
                assert_true(nev < 64);
                events[nev++] = c;
            }
        size_t n = RATE / fps;
        assert_true(at + n <= STREAM_MAX);
        rs_synth_render(&s, stream + at, n);
        at += n;
        prev = cur;
    }
    static const int want[] = {
        RS_CUE_HOLD_START, RS_CUE_HOLD_15, RS_CUE_HOLD_START, RS_CUE_HOLD_15, RS_CUE_HOLD_30,
        RS_CUE_TOO_FAST, RS_CUE_HOLD_START, RS_CUE_HOLD_15,
    };
    assert_int_equal(nev, sizeof want / sizeof want[0]);
    assert_memory_equal(events, want, sizeof want);
    int cues[64];
    int nc = decode_cues(stream, at, cues, 64);
    assert_int_equal(nc, nev);
    assert_memory_equal(cues, events, sizeof want);
}

/*
 * The warnings of the demo's knee pass and dose advice, from the pipeline's
 * events to the speaker and the banner: the knee zone entered at 76.05 s
 * and left at 77.21 s (as in the demo) sounds the knee tone once and keeps
 * the banner 3 s after leaving; the right calf's dose advice sounds the dose
 * tone, names the leg, is not shown while the left calf rolls, and a new
 * session starts without it. The event log is the decoded sample stream.
 */
static void test_knee_and_dose_warnings(void **state)
{
    (void)state;
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    struct rs_event ev[] = {
        { .type = RS_EV_KNEE_ZONE, .t = 76.05, .u.knee = { true, RS_LEG_RIGHT, 36 } },
        { .type = RS_EV_KNEE_ZONE, .t = 77.21, .u.knee = { false, RS_LEG_RIGHT, 34 } },
        { .type = RS_EV_DOSE, .t = 80.0,
          .u.dose = { RS_DOSE_HOLDS, RS_LEG_RIGHT, 3, 1.7, "two or three spots are enough today" } },
    };
    struct rs_synth s;
    rs_synth_init(&s, RATE);
    struct rs_warn w;
    rs_warn_init(&w);
    size_t at = 0;
    int log[8], nlog = 0;
    for (size_t k = 0; k < sizeof ev / sizeof ev[0]; k++) {
        rs_warn_event(&w, &ev[k]);
        unsigned m = rs_session_event_cues(&ev[k], &cfg);
        for (int c = 0; c < RS_CUE_COUNT; c++)
            if (m & (1u << c) && rs_synth_trigger(&s, (enum rs_cue)c, (uint64_t)(ev[k].t * 1000)))
                log[nlog++] = c;
        rs_synth_render(&s, stream + at, RATE); /* a second between events */
        at += RATE;
    }
    static const int want[] = { RS_CUE_KNEE, RS_CUE_DOSE };
    assert_int_equal(nlog, 2);
    assert_memory_equal(log, want, sizeof want);
    int cues[8];
    assert_int_equal(decode_cues(stream, at, cues, 8), 2);
    assert_memory_equal(cues, want, sizeof want);

    /* The banner: in the zone, and until 3 s after it was left. */
    static const struct { double t; bool banner; } knee[] = {
        { 77.0, true }, { 77.21 + 2.99, true }, { 77.21 + 3.01, false },
    };
    struct rs_warn kw;
    rs_warn_init(&kw);
    rs_warn_event(&kw, &ev[0]);
    struct rs_view v;
    rs_view_init(&v);
    rs_warn_apply(&kw, 76.5, &v);
    assert_true(v.knee_banner);
    rs_warn_event(&kw, &ev[1]);
    for (size_t k = 0; k < sizeof knee / sizeof knee[0]; k++) {
        rs_warn_apply(&kw, knee[k].t, &v);
        assert_int_equal(v.knee_banner, knee[k].banner);
    }
    /* Exactly 3 s after leaving (exact binary times): the banner has gone. */
    struct rs_event in80 = { .type = RS_EV_KNEE_ZONE, .t = 79.0, .u.knee = { true, RS_LEG_LEFT, 33 } };
    struct rs_event out80 = { .type = RS_EV_KNEE_ZONE, .t = 80.0, .u.knee = { false, RS_LEG_LEFT, 30 } };
    rs_warn_event(&kw, &in80);
    rs_warn_event(&kw, &out80);
    rs_warn_apply(&kw, 82.5, &v);
    assert_true(v.knee_banner);
    rs_warn_apply(&kw, 83.0, &v);
    assert_false(v.knee_banner);

    /* The advice belongs to the right calf. */
    static const struct { bool on; enum rs_view_leg leg; const char *advice; } legs[] = {
        { true, RS_VLEG_RIGHT, "RIGHT CALF: enough spots for today" },
        { false, RS_VLEG_NONE, "RIGHT CALF: enough spots for today" },
        { true, RS_VLEG_LEFT, "" },
    };
    for (size_t k = 0; k < sizeof legs / sizeof legs[0]; k++) {
        v.on_calf = legs[k].on;
        v.leg = legs[k].leg;
        rs_warn_apply(&w, 81, &v);
        assert_string_equal(v.advice, legs[k].advice);
    }
    /* Three minutes on the left calf: its own advice while it rolls. */
    struct rs_event sw = { .type = RS_EV_DOSE, .t = 300,
                           .u.dose = { RS_DOSE_SWITCH, RS_LEG_LEFT, 1, 3.02, "" } };
    rs_warn_event(&w, &sw);
    assert_int_equal(rs_session_event_cues(&sw, &cfg), 1u << RS_CUE_DOSE);
    rs_warn_apply(&w, 301, &v);
    assert_string_equal(v.advice, "LEFT CALF: 3 min - switch to RIGHT");
    /* The next session starts with none. */
    rs_warn_init(&w);
    v.leg = RS_VLEG_RIGHT;
    rs_warn_apply(&w, 1, &v);
    assert_string_equal(v.advice, "");
    assert_false(v.knee_banner);
}

/* The SDL shell opens on the dummy driver and accepts cues. */
static void test_sdl_dummy_device(void **state)
{
    (void)state;
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    struct rs_audio *a;
    char err[256];
    assert_int_equal(rs_audio_open(&a, 0.5f, err, sizeof err), 0);
    assert_int_equal(rs_audio_cues(a, (1u << RS_CUE_HOLD_START) | (1u << RS_CUE_TOO_FAST), 1000), 2);
    assert_int_equal(rs_audio_cues(a, 1u << RS_CUE_TOO_FAST, 1500), 0);
    rs_audio_set_muted(a, true);
    assert_int_equal(rs_audio_cues(a, 1u << RS_CUE_HOLD_30, 2000), 0);
    rs_audio_close(a);
    assert_int_equal(rs_audio_cues(NULL, 1u << RS_CUE_HOLD_30, 2000), 0);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

int main(void)
{
    stream = calloc(STREAM_MAX, sizeof *stream);
    if (!stream)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_cue_alone),   cmocka_unit_test(test_cues_distinct),
        cmocka_unit_test(test_rate_limit),       cmocka_unit_test(test_mute_and_volume),
        cmocka_unit_test(test_cues_between_table), cmocka_unit_test(test_session_stream),
        cmocka_unit_test(test_knee_and_dose_warnings),
        cmocka_unit_test(test_sdl_dummy_device),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(stream);
    return rc;
}
