/*
 * rs_replaywin.c - a session file as the input of the window loop
 * (rs_run_window): the pacing clock, pause, speed, seeking and frame steps
 * of the replay window. The session, its view and the loop are live's.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rs_defaults.h"
#include "rs_replay.h"
#include "rs_run.h"
#include "rs_rtreplay.h"

struct replay_input {
    struct rs_replay *rp;
    struct rs_replay_clock clk;
    bool emulated;          /* frames advance by dt, not by the wall clock */
    double last;            /* wall clock of the last frame */
    /* the timeline's marks (holds and user marks), read from the log */
    float marks_s[RS_VIEW_MARKS_MAX];
    int nmarks;
    int64_t first_dev_us;
    /* the guided routine's steps as recorded (routine_step rows) */
    struct rs_rtstep steps[RS_RTREPLAY_STEPS];
    int nsteps;
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void collect_mark(void *ctx, const struct rs_item *it)
{
    struct replay_input *ri = ctx;
    bool hold = it->kind == RS_ITEM_EVENT && it->type && strcmp(it->type, "hold_start") == 0;
    if ((hold || it->kind == RS_ITEM_MARK) && ri->nmarks < RS_VIEW_MARKS_MAX)
        ri->marks_s[ri->nmarks++] = (float)((double)(it->dev_us - ri->first_dev_us) / 1e6);
    if (it->kind == RS_ITEM_EVENT && it->type && strcmp(it->type, "routine_step") == 0 &&
        ri->nsteps < RS_RTREPLAY_STEPS && rs_rtstep_parse(it->json, &ri->steps[ri->nsteps]) == 0)
        ri->nsteps++;
}

/* Feed the session up to the clock's position; at the end, pause (the user
 * may seek back). Paused in real time: wait a little for keys instead of
 * drawing at full speed. */
static int advance(void *ctx, double dt_s)
{
    struct replay_input *ri = ctx;
    double now = mono_s();
    rs_replay_clock_advance(&ri->clk, ri->emulated ? dt_s : now - ri->last);
    ri->last = now;
    while (!rs_replay_ended(ri->rp) && rs_replay_pos(ri->rp) < ri->clk.pos_s)
        rs_replay_next(ri->rp, NULL);
    if (rs_replay_ended(ri->rp) && !ri->clk.paused && ri->clk.pos_s >= ri->clk.len_s)
        ri->clk.paused = true;
    if (ri->clk.paused && !ri->emulated) {
        struct timespec ts = { 0, 15 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return 0;
}

static double now_s(void *ctx)
{
    return rs_replay_pos(((struct replay_input *)ctx)->rp);
}

static void decorate(void *ctx, struct rs_view *v)
{
    struct replay_input *ri = ctx;
    memcpy(v->replay_marks_s, ri->marks_s, sizeof ri->marks_s);
    v->replay_nmarks = ri->nmarks;
    v->replay_paused = ri->clk.paused;
    v->replay_pos_s = (float)rs_replay_pos(ri->rp);
    v->replay_len_s = (float)ri->clk.len_s;
    v->replay_speed = (float)ri->clk.speed;
    if (ri->nsteps > 0) /* a routine session: its steps as recorded */
        rs_rtreplay_view(ri->steps, ri->nsteps, rs_replay_pos(ri->rp), &v->routine);
}

/* Frame by frame: pause, then exactly n sample frames on, or a seek target
 * n frames back (< 0: none). */
static double step_frames(struct replay_input *ri, int n)
{
    ri->clk.paused = true;
    if (n > 0) {
        for (int k = 0; k < n && rs_replay_next(ri->rp, NULL) > 0; k++)
            ;
        ri->clk.pos_s = rs_replay_pos(ri->rp);
        return -1;
    }
    double period = 1.0 / RS_SAMPLE_RATE_HZ;
    return rs_replay_pos(ri->rp) + n * period - period / 4;
}

static void keys(void *ctx, const struct rs_ui_actions *a)
{
    struct replay_input *ri = ctx;
    if (a->bits & RS_UI_PAUSE)
        ri->clk.paused = !ri->clk.paused;
    if (a->bits & RS_UI_SPEED)
        rs_replay_clock_speed(&ri->clk, a->speed_steps);
    double target = -1;
    if (a->bits & RS_UI_SEEK)
        target = rs_replay_pos(ri->rp) + a->seek_s;
    if (a->bits & RS_UI_SEEK_TO)
        target = a->seek_to_s;
    if ((a->bits & RS_UI_STEP) && a->step_frames != 0)
        target = step_frames(ri, a->step_frames);
    if (target >= 0 || (a->bits & (RS_UI_SEEK | RS_UI_SEEK_TO))) {
        /* the session is played again up to there: charts, calf map, hold
         * spots and counters are those of straight play */
        ri->clk.pos_s = 0;
        rs_replay_clock_seek(&ri->clk, target);
        rs_replay_seek(ri->rp, ri->clk.pos_s);
        ri->clk.pos_s = rs_replay_pos(ri->rp);
    }
}

/* Played to the end: the window shows the summary (rs_run.h). */
static bool ended(void *ctx)
{
    struct replay_input *ri = ctx;
    return rs_replay_ended(ri->rp) && ri->clk.pos_s >= ri->clk.len_s;
}

static void shot(void *ctx)
{
    struct replay_input *ri = ctx;
    printf("position: %.3f s of %.3f s, speed %gx\n", rs_replay_pos(ri->rp), ri->clk.len_s,
           ri->clk.speed);
}

int rs_replay_window(struct rs_replay *rp, const struct rs_run_opts *o, double speed, char *err,
                     size_t errcap)
{
    static struct replay_input ri; /* the marks are large: not on the stack */
    memset(&ri, 0, sizeof ri);
    ri.rp = rp;
    ri.emulated = o->frame_step_s > 0;
    ri.last = mono_s();
    rs_replay_clock_init(&ri.clk, rs_replay_length(rp), speed > 0 ? speed : 1);
    uint64_t frames;
    int64_t last_dev;
    rs_reader_span(rs_replay_reader(rp), &frames, &ri.first_dev_us, &last_dev);
    rs_reader_log(rs_replay_reader(rp), collect_mark, &ri);
    struct rs_run_input in = { .ctx = &ri, .advance = advance, .now = now_s,
                               .decorate = decorate, .keys = keys, .shot = shot,
                               .shot_without_note = true, .end_screen = true, .ended = ended };
    return rs_run_window(rs_replay_session(rp), &in, o, err, errcap);
}
