/*
 * test_ui_seek.c - what the replay window shows after a seek equals
 * straight play: the dose advice (its leg and text), the knee banner (in
 * the zone and 3 s after), hold counts and time per calf, at the same frame,
 * for seeks backward from the end and forward from the start. argv[1]: a
 * demo session file (the ui_seek_file fixture records one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rs_replay.h"
#include "rs_session.h"

static const char *file;

/* Times around the demo's knee pass (76.05-77.21 s, banner until 80.2 s)
 * and its dose advice, and plain rolling. */
static const double when[] = { 20, 60, 76.5, 78, 80, 81, 100, 110, 118, 122 };
#define N (sizeof when / sizeof when[0])

struct seen {
    double pos;
    bool knee;
    char advice[RS_VIEW_TEXT_MAX];
    uint16_t holds[2];
    float calf_time[2];
};

static void look(struct rs_replay *rp, struct seen *s)
{
    static struct rs_view v;
    rs_view_init(&v);
    s->pos = rs_replay_pos(rp);
    rs_session_view(rs_replay_session(rp), s->pos, &v);
    s->knee = v.knee_banner;
    memcpy(s->advice, v.advice, sizeof s->advice);
    memcpy(s->holds, v.holds, sizeof s->holds);
    memcpy(s->calf_time, v.calf_time_s, sizeof s->calf_time);
}

static struct rs_replay *open_file(void)
{
    struct rs_replay_opts o;
    rs_replay_opts_default(&o);
    struct rs_replay *rp = NULL;
    char msg[256];
    if (rs_replay_open(&rp, file, &o, msg, sizeof msg) < 0)
        fail_msg("%s: %s", file, msg);
    return rp;
}

static void same(const struct seen *a, const struct seen *b, double t)
{
    if (a->pos != b->pos || a->knee != b->knee || strcmp(a->advice, b->advice) != 0 ||
        memcmp(a->holds, b->holds, sizeof a->holds) != 0 ||
        memcmp(a->calf_time, b->calf_time, sizeof a->calf_time) != 0)
        fail_msg("at %.2f s: straight (%.3f s, knee %d, '%s', holds %u/%u) != seek (%.3f s, "
                 "knee %d, '%s', holds %u/%u)",
                 t, a->pos, a->knee, a->advice, a->holds[0], a->holds[1], b->pos, b->knee,
                 b->advice, b->holds[0], b->holds[1]);
}

/* Straight play from the start to each frame the seeks landed on. */
static void play_straight(const struct seen *seeked, struct seen *straight)
{
    struct rs_replay *rp = open_file();
    for (size_t i = 0; i < N; i++) {
        while (!rs_replay_ended(rp) && rs_replay_pos(rp) < seeked[i].pos)
            rs_replay_next(rp, NULL);
        look(rp, &straight[i]);
    }
    rs_replay_close(rp);
}

static void test_seek_equals_straight_play(void **state)
{
    (void)state;
    static struct seen straight[N], straight_fwd[N], back[N], fwd[N];
    struct rs_replay *rp = open_file();
    assert_true(rs_replay_length(rp) > when[N - 1]);
    /* backward: from the end to each time, latest first */
    rs_replay_seek(rp, rs_replay_length(rp));
    for (size_t k = N; k-- > 0;) {
        rs_replay_seek(rp, when[k]);
        look(rp, &back[k]);
    }
    /* forward, in jumps */
    for (size_t k = 0; k < N; k++) {
        rs_replay_seek(rp, when[k]);
        look(rp, &fwd[k]);
    }
    rs_replay_close(rp);
    play_straight(back, straight);
    play_straight(fwd, straight_fwd);
    bool knee = false, advice = false;
    for (size_t k = 0; k < N; k++) {
        same(&straight[k], &back[k], when[k]);
        same(&straight_fwd[k], &fwd[k], when[k]);
        knee |= straight[k].knee;
        advice |= straight[k].advice[0] != '\0';
    }
    /* the file has what is compared: a knee banner and dose advice */
    assert_true(knee);
    assert_true(advice);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_ui_seek SESSION-FILE\n");
        return 2;
    }
    file = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seek_equals_straight_play),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
