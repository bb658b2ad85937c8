/*
 * replay_harness.h - a "live" session without a port: the simulated user's
 * frames go into the real rs_session through its sink, exactly as rs_conn
 * delivers them (a state change to streaming, the info and cal frames, the
 * samples, optionally an unplug and a replug), with the real recorder
 * attached through rs_recattach. What the session's pipeline produced is
 * what live produced; the file is what live recorded.
 */
#ifndef RS_REPLAY_HARNESS_H
#define RS_REPLAY_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_recattach.h"
#include "rs_record.h"
#include "rs_session.h"
#include "rs_sim.h"

struct harness_opts {
    const char *scenario;     /* built-in name */
    uint64_t max_frames;      /* stop after this many samples (0: one pass) */
    bool loop;                /* loop the scenario (long sessions) */
    double unplug_at_s;       /* > 0: a disconnection at this session time ... */
    double unplug_for_s;      /* ... of this length (the frames meanwhile are lost) */
    double drop_at_s;         /* > 0: three frames from this time never arrive (no unplug) */
    bool saved_cal;           /* info says the device's calibration is saved */
    /* called every 65536 samples (memory checks); may be NULL */
    void (*progress)(void *ctx, uint64_t samples);
    void *progress_ctx;
    /* the window's view just before the end, and the recorder's error line */
    struct rs_view *view_at_end;
    char *error_line;         /* 512 bytes, "" when recording never failed */
};

struct harness_result {
    uint64_t samples;
    uint64_t events;          /* pipeline events the session produced */
    struct rs_summary summary;
};

static void harness_count_event(void *ctx, const struct rs_event *ev)
{
    (void)ev;
    ((struct harness_result *)ctx)->events++;
}

/* Emulated host clock: a fixed start plus the session time of the latest data. */
struct harness_clock {
    int64_t start_us;  /* the wall clock when the file was opened */
    double t;
};

static int64_t harness_now(void *ctx)
{
    const struct harness_clock *c = ctx;
    return c->start_us + (int64_t)(c->t * 1e6);
}

static void harness_error(void *ctx, const char *line)
{
    if (ctx)
        snprintf((char *)ctx, 512, "%s", line ? line : "?");
}

static void harness_state(struct rs_sink *k, double t, enum rs_conn_state st, const char *reason)
{
    struct rs_conn_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = RS_CONN_EV_STATE;
    ev.t = t;
    ev.state = st;
    ev.port = "harness";
    ev.reason = reason;
    k->event(k->ctx, &ev);
}

/* Record one simulated live session into path. 0 or -1 (message on stderr). */
static int harness_record(const char *path, const struct harness_opts *o,
                          struct harness_result *res)
{
    memset(res, 0, sizeof *res);
    static struct rs_scenario scn;
    char err[512];
    const char *text = rs_scenario_builtin(o->scenario);
    if (!text || rs_scenario_parse(&scn, text, o->scenario, err, sizeof err) != 0) {
        fprintf(stderr, "harness: scenario %s: %s\n", o->scenario, text ? err : "unknown");
        return -1;
    }
    scn.loop = o->loop;
    static struct rs_sim sim;
    rs_sim_init(&sim, &scn);

    struct rs_session_config sc;
    memset(&sc, 0, sizeof sc);
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);  /* nominal until the device's cal frame, as live */
    rs_profile_defaults(&sc.prof);
    if (scn.mass_kg > 0)
        sc.prof.body_mass_kg = scn.mass_kg;
    if (scn.calf_cm > 0)
        sc.prof.calf_length_cm = scn.calf_cm;
    sc.mode = RS_MODE_LIVE;
    sc.software = "rollsense test";
    struct rs_session *s = rs_session_new(&sc);
    if (!s)
        return -1;
    struct rs_session_observer counter = { .ctx = res, .event = harness_count_event };
    rs_session_observe(s, &counter);
    struct rs_rec_opts ro = { .enabled = true, .path = path };
    struct rs_recattach *ra;
    if (o->error_line)
        o->error_line[0] = '\0';
    if (rs_recattach_start(&ra, s, &ro, NULL, 0, harness_error, o->error_line, err,
                           sizeof err) != 0) {
        fprintf(stderr, "harness: %s\n", err);
        rs_session_free(s);
        return -1;
    }
    static struct harness_clock clk;
    clk.t = 0;
    clk.start_us = rs_rec_now_us();
    rs_recattach_set_clock(ra, harness_now, &clk);
    struct rs_sink k = rs_session_sink(s);

    harness_state(&k, 0.0, RS_CONN_STREAMING, NULL);
    struct rs_frame f;
    memset(&f, 0, sizeof f);
    f.version = 1;
    f.type = RS_FT_INFO;
    f.u.info = (struct rs_info){ .fw_major = 1, .cal_state = o->saved_cal ? RS_CAL_OK : RS_CAL_DEFAULT,
                                 .sample_rate_hz = 80, .enc_counts_per_rev = 16384, .hw_rev = 1,
                                 .streaming = 1 };
    memcpy(f.u.info.serial, "HARNESS-1", 10);
    k.frame(k.ctx, &f, 0.01);
    f.type = RS_FT_CAL;
    memset(&f.u, 0, sizeof f.u);
    f.u.cal = (struct rs_cal){ .offset_left = scn.offset_left, .offset_right = scn.offset_right,
                               .scale_left = 2189.8f, .scale_right = 2189.8f, .radius_um = 70000,
                               .enc_dir = 1 };
    k.frame(k.ctx, &f, 0.02);

    struct rs_sample smp;
    struct rs_sim_truth tr;
    bool away = false;
    double t = 0;
    while (rs_sim_next(&sim, &smp, &tr)) {
        t = tr.t;
        clk.t = t;
        if (o->unplug_at_s > 0 && t >= o->unplug_at_s && t < o->unplug_at_s + o->unplug_for_s) {
            if (!away)
                harness_state(&k, t, RS_CONN_DISCONNECTED, "unplugged");
            away = true;
            continue; /* the frames while unplugged never arrive */
        }
        if (o->drop_at_s > 0 && t >= o->drop_at_s && t < o->drop_at_s + 3.0 / 80.0)
            continue; /* lost on the wire while streaming */
        if (away) {
            harness_state(&k, t, RS_CONN_STREAMING, NULL);
            away = false;
        }
        k.sample(k.ctx, &smp, t);
        rs_recattach_tick(ra); /* as rs_run does after every connection step */
        res->samples++;
        if ((res->samples & 0xffff) == 0) {
            if (o->progress)
                o->progress(o->progress_ctx, res->samples);
        }
        if (o->max_frames && res->samples >= o->max_frames)
            break;
    }
    struct rs_conn_stats st;
    memset(&st, 0, sizeof st);
    st.frames = res->samples;
    rs_session_finish(s, &st, t);
    rs_session_summary(s, &res->summary);
    if (o->view_at_end)
        rs_session_view(s, t, o->view_at_end);
    int rc = rs_recattach_close(ra);
    rs_session_free(s);
    if (rc != 0)
        fprintf(stderr, "harness: closing the recording failed (%d)\n", rc);
    return rc == 0 ? 0 : -1;
}

#endif
