/*
 * test_session.c - the session glue without a port or a window: event and
 * summary JSON, cue and link mapping, live -> view mapping, the session fed
 * through its sink (events, gaps, marks, observers, history, calf map), the
 * config loader and the simulated roller's side of the protocol.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rs_cfgfile.h"
#include "rs_cues.h"
#include "rs_session.h"
#include "rs_sim.h"
#include "rs_simroller.h"

/* ---- pure helpers ----------------------------------------------------------- */

static void test_event_json_shift(void **state)
{
    (void)state;
    struct rs_event ev = { .type = RS_EV_HOLD_END, .t = 20.0 };
    ev.u.hold.start_t = 2.0;
    ev.u.hold.end_t = 19.5;
    ev.u.hold.seconds = 17.5;
    ev.u.hold.leg = RS_LEG_LEFT;
    ev.u.hold.index = 1;
    char buf[512];
    const char *j = rs_session_event_json(&ev, 100.25, buf, sizeof buf);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"type\":\"hold_end\",\"t\":120.2500"));
    assert_non_null(strstr(j, "\"start\":102.2500"));
    assert_non_null(strstr(j, "\"end\":119.7500"));
    assert_non_null(strstr(j, "\"duration\":17.500")); /* a duration is not a time */
    /* Band events: only t moves. */
    struct rs_event b = { .type = RS_EV_SPEED_BAND, .t = 1.0 };
    b.u.band.band = RS_SPEED_TOO_FAST;
    b.u.band.value = 17.0;
    j = rs_session_event_json(&b, -0.5, buf, sizeof buf);
    assert_string_equal(j, "{\"type\":\"speed_band\",\"t\":0.5000,\"band\":\"too_fast\","
                           "\"prev\":\"none\",\"speed_cm_s\":17.00}");
    assert_null(rs_session_event_json(&b, 0, buf, 10));
}

static void test_summary_json(void **state)
{
    (void)state;
    struct rs_conn_stats st;
    memset(&st, 0, sizeof st);
    st.frames = 9936;
    st.lost = 7; /* the connection's count is not the one reported ... */
    st.dec.crc_errors = 3;
    st.gaps = 1;
    st.rate_hz = 80.0;
    strcpy(st.serial, "SIM-000001");
    struct rs_summary sum;
    memset(&sum, 0, sizeof sum);
    sum.frames = 9000; /* the pipeline's own count is not the one reported */
    sum.lost = 2;      /* ... the pipeline's is: the one count the view shows */
    sum.holds[RS_LEG_RIGHT] = 3;
    sum.longest_hold_s = 34.99;
    sum.calibrated = true;
    char buf[2048];
    const char *j = rs_session_summary_json(&st, 124.2, &sum, buf, sizeof buf);
    assert_non_null(j);
    /* docs/live-json.md: these first, in this order. */
    const char *head = "{\"type\":\"summary\",\"frames\":9936,\"lost\":2,\"crc_errors\":3,"
                       "\"gaps\":1,\"rate_hz\":80.000,\"duration_s\":124.200,";
    assert_true(strncmp(j, head, strlen(head)) == 0);
    assert_non_null(strstr(j, "\"serial\":\"SIM-000001\""));
    assert_non_null(strstr(j, "\"holds_left\":0,\"holds_right\":3,\"holds_uncertain\":0"));
    assert_non_null(strstr(j, "\"longest_hold\":34.990"));
    assert_non_null(strstr(j, "\"calibrated\":true}"));
    assert_null(strstr(j, "9000"));
    assert_null(rs_session_summary_json(&st, 1, &sum, buf, 100));
}

static void test_event_cues(void **state)
{
    (void)state;
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    struct {
        enum rs_event_type type;
        double seconds;
        int band, prev;
        bool too_hard;
        unsigned want;
    } cases[] = {
        { RS_EV_HOLD_START, 2, 0, 0, false, 1u << RS_CUE_HOLD_START },
        { RS_EV_HOLD_CUE, 15, 0, 0, false, 1u << RS_CUE_HOLD_15 },
        { RS_EV_HOLD_CUE, 30, 0, 0, false, 1u << RS_CUE_HOLD_30 },
        { RS_EV_HOLD_CUE, 60, 0, 0, false, 1u << RS_CUE_HOLD_60 },
        { RS_EV_HOLD_CUE, 90, 0, 0, false, 1u << RS_CUE_HOLD_90 },
        { RS_EV_HOLD_CUE, 45, 0, 0, false, 0 },
        { RS_EV_HOLD_END, 20, 0, 0, false, 0 },
        { RS_EV_SPEED_BAND, 0, RS_SPEED_TOO_FAST, RS_SPEED_SLOW, false, 1u << RS_CUE_TOO_FAST },
        { RS_EV_SPEED_BAND, 0, RS_SPEED_BRISK, RS_SPEED_SLOW, false, 0 },
        { RS_EV_FORCE_BAND, 0, RS_FORCE_NO_BENEFIT, RS_FORCE_HIGH, false, 1u << RS_CUE_TOO_HARD },
        { RS_EV_FORCE_BAND, 0, RS_FORCE_OVERLOAD, RS_FORCE_NO_BENEFIT, false, 0 }, /* already warned */
        { RS_EV_FORCE_BAND, 0, RS_FORCE_TYPICAL, RS_FORCE_MODERATE, true, 1u << RS_CUE_TOO_HARD },
        { RS_EV_FORCE_BAND, 0, RS_FORCE_TYPICAL, RS_FORCE_MODERATE, false, 0 },
        { RS_EV_DOSE, 0, 0, 0, false, 1u << RS_CUE_DOSE },
        { RS_EV_GAP, 0, 0, 0, false, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_event ev = { .type = cases[i].type };
        if (ev.type == RS_EV_SPEED_BAND || ev.type == RS_EV_FORCE_BAND) {
            ev.u.band.band = cases[i].band;
            ev.u.band.prev = cases[i].prev;
            ev.u.band.too_hard = cases[i].too_hard;
        } else {
            ev.u.hold.seconds = cases[i].seconds;
        }
        if (rs_session_event_cues(&ev, &cfg) != cases[i].want)
            fail_msg("case %zu: got 0x%x want 0x%x", i, rs_session_event_cues(&ev, &cfg), cases[i].want);
    }
    /* Configured cue times are followed. */
    cfg.cue_min_s = 20;
    struct rs_event ev = { .type = RS_EV_HOLD_CUE };
    ev.u.hold.seconds = 20;
    assert_int_equal(rs_session_event_cues(&ev, &cfg), 1u << RS_CUE_HOLD_15);
}

static void test_link_mapping(void **state)
{
    (void)state;
    struct { enum rs_conn_state st; enum rs_view_link want; } cases[] = {
        { RS_CONN_SEARCHING, RS_VLINK_DISCONNECTED },
        { RS_CONN_CONNECTING, RS_VLINK_CONNECTING },
        { RS_CONN_STREAMING, RS_VLINK_CONNECTED },
        { RS_CONN_DISCONNECTED, RS_VLINK_DISCONNECTED },
        { RS_CONN_STALLED, RS_VLINK_CONNECTING },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(rs_session_link(cases[i].st, true), cases[i].want);
}

/* ---- live -> view ------------------------------------------------------------ */

static void test_map_live(void **state)
{
    (void)state;
    static struct rs_live L;
    memset(&L, 0, sizeof L);
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    struct rs_profile prof;
    rs_profile_defaults(&prof);
    static uint8_t bins[2][RS_VIEW_CALF_BINS];
    memset(bins, 0, sizeof bins);
    bins[1][15] = 2;

    struct {
        int force_band, speed_band;
        enum rs_view_force_band vfb;
        enum rs_view_speed_band vsb;
        enum rs_leg leg;
        enum rs_view_leg vleg;
    } cases[] = {
        { RS_FORCE_NONE, RS_SPEED_NONE, RS_FB_NONE, RS_SB_STILL, RS_LEG_UNCERTAIN, RS_VLEG_NONE },
        { RS_FORCE_LIGHT, RS_SPEED_STILL, RS_FB_LIGHT, RS_SB_STILL, RS_LEG_LEFT, RS_VLEG_LEFT },
        { RS_FORCE_MODERATE, RS_SPEED_SLOW, RS_FB_MODERATE, RS_SB_SLOW, RS_LEG_RIGHT, RS_VLEG_RIGHT },
        { RS_FORCE_TYPICAL, RS_SPEED_BRISK, RS_FB_TYPICAL, RS_SB_BRISK, RS_LEG_LEFT, RS_VLEG_LEFT },
        { RS_FORCE_HIGH, RS_SPEED_TOO_FAST, RS_FB_HIGH, RS_SB_TOO_FAST, RS_LEG_RIGHT, RS_VLEG_RIGHT },
        { RS_FORCE_NO_BENEFIT, RS_SPEED_SLOW, RS_FB_NO_BENEFIT, RS_SB_SLOW, RS_LEG_LEFT, RS_VLEG_LEFT },
        { RS_FORCE_OVERLOAD, RS_SPEED_SLOW, RS_FB_OVERLOAD, RS_SB_SLOW, RS_LEG_LEFT, RS_VLEG_LEFT },
    };
    static struct rs_view v;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        L.contact = true;
        L.force_band = cases[i].force_band;
        L.speed_band = cases[i].speed_band;
        L.leg = cases[i].leg;
        rs_view_init(&v);
        rs_session_map_live(&L, &prof, &cfg, bins, 0, &v);
        assert_int_equal(v.force_band, cases[i].vfb);
        assert_int_equal(v.speed_band, cases[i].vsb);
        assert_int_equal(v.leg, cases[i].vleg);
    }

    /* A calibrated hold on the right calf, in the knee zone, with advice. */
    L.calibrated = true;
    L.contact = true;
    L.force_n = 300;
    L.left_n = 20;
    L.right_n = 280;
    L.bw_pct = 43.7;
    L.speed_cm_s = 0.1;
    L.leg = RS_LEG_RIGHT;
    L.pos_cm = 36.5;
    L.knee_zone = true;
    L.hold.active = true;
    L.hold.seconds = 22.5;
    L.holds[RS_LEG_RIGHT] = 2;
    L.calf_time_s[RS_LEG_RIGHT] = 95;
    L.calf[RS_LEG_RIGHT].time_s[15] = 10;
    L.calf[RS_LEG_RIGHT].force_ns[15] = 10 * 0.4 * 70 * 9.80665; /* 40 %BW mean */
    strcpy(L.advice, "two or three spots are enough today");
    L.fault_bits = RS_ST_HX_LEFT;
    rs_view_init(&v);
    rs_session_map_live(&L, &prof, &cfg, bins, 123456, &v);
    assert_true(v.calibrated);
    assert_float_equal(v.force_n, 300, 1e-3);
    assert_float_equal(v.force_pct, 43.7, 1e-3);
    assert_float_equal(v.right_n, 280, 1e-3);
    assert_true(v.hold_active);
    assert_float_equal(v.hold_s, 22.5, 1e-3);
    assert_true(v.on_calf);
    assert_float_equal(v.position_cm, 36.5, 1e-3);
    assert_true(v.in_knee_zone);
    assert_float_equal(v.calf_length_cm, 40, 1e-3);
    assert_float_equal(v.knee_zone_cm, (float)cfg.knee_zone_cm, 1e-3);
    assert_int_equal(v.holds[1], 2);
    assert_int_equal(v.holds[0], 0);
    assert_float_equal(v.calf_time_s[1], 95, 1e-3);
    assert_float_equal(v.calf[1].time_s[15], 10, 1e-3);
    assert_float_equal(v.calf[1].pressure_pct[15], 40, 1e-3);
    assert_float_equal(v.calf[1].pressure_pct[14], 0, 1e-6);
    assert_int_equal(v.calf[1].holds[15], 2);
    assert_string_equal(v.advice, "two or three spots are enough today");
    assert_true(v.sensor_fault);
    assert_string_equal(v.sensor_text, "left load cell");

    /* Not calibrated: the nominal N and cm/s, never raw counts (the window
     * marks them as approximate). */
    L.calibrated = false;
    L.speed_cm_s = 1.0;
    L.fault_bits = 0;
    rs_view_init(&v);
    rs_session_map_live(&L, &prof, &cfg, bins, 123456, &v);
    assert_false(v.calibrated);
    assert_float_equal(v.force_n, L.force_n, 1e-3);
    assert_float_equal(v.speed_cms, 1.0, 1e-6);
    assert_false(v.sensor_fault);
    assert_string_equal(v.sensor_text, "");
}

/* ---- the session through its sink --------------------------------------------- */

#define MAX_LINES 4096

struct collect {
    char *lines[MAX_LINES];
    int n;
    /* observer */
    int samples, frames, conn_events, events, gap_events, marks, snapshots, bytes;
    bool snap_has_info;
    char snap_serial[16];
};

static void collect_line(void *ctx, const char *line)
{
    struct collect *c = ctx;
    if (c->n < MAX_LINES)
        c->lines[c->n++] = strdup(line);
}

static int count_type(const struct collect *c, const char *type)
{
    char pat[64];
    snprintf(pat, sizeof pat, "{\"type\":\"%s\"", type);
    int k = 0;
    for (int i = 0; i < c->n; i++)
        k += strncmp(c->lines[i], pat, strlen(pat)) == 0;
    return k;
}

static const char *find_type(const struct collect *c, const char *type)
{
    char pat[64];
    snprintf(pat, sizeof pat, "{\"type\":\"%s\"", type);
    for (int i = 0; i < c->n; i++)
        if (strncmp(c->lines[i], pat, strlen(pat)) == 0)
            return c->lines[i];
    return NULL;
}

static void collect_free(struct collect *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->lines[i]);
    c->n = 0;
}

static void ob_sample(void *ctx, const struct rs_sample *s, double t)
{
    (void)s;
    (void)t;
    ((struct collect *)ctx)->samples++;
}
static void ob_frame(void *ctx, const struct rs_frame *f, double t)
{
    (void)f;
    (void)t;
    ((struct collect *)ctx)->frames++;
}
static void ob_bytes(void *ctx, const uint8_t *b, size_t n, double t)
{
    (void)b;
    (void)t;
    ((struct collect *)ctx)->bytes += (int)n;
}
static void ob_conn(void *ctx, const struct rs_conn_event *ev)
{
    (void)ev;
    ((struct collect *)ctx)->conn_events++;
}
static void ob_event(void *ctx, const struct rs_event *ev)
{
    struct collect *c = ctx;
    c->events++;
    c->gap_events += ev->type == RS_EV_GAP;
}
static void ob_mark(void *ctx, double t, const char *label)
{
    (void)t;
    (void)label;
    ((struct collect *)ctx)->marks++;
}
static void ob_snapshot(void *ctx, const struct rs_session_snapshot *snap)
{
    struct collect *c = ctx;
    c->snapshots++;
    c->snap_has_info = snap->have_info;
    if (snap->have_info) {
        memcpy(c->snap_serial, snap->info.serial, RS_SERIAL_LEN);
        c->snap_serial[RS_SERIAL_LEN] = '\0';
    }
    assert_non_null(snap->software);
}

static struct rs_session *new_session(struct collect *c, const struct rs_scenario *scn)
{
    struct rs_session_config sc = { .mode = RS_MODE_DEMO, .line = collect_line, .line_ctx = c };
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);
    sc.cal.calibrated = true;
    rs_profile_defaults(&sc.prof);
    if (scn && scn->mass_kg > 0)
        sc.prof.body_mass_kg = scn->mass_kg;
    struct rs_session *s = rs_session_new(&sc);
    assert_non_null(s);
    return s;
}

static void conn_state(struct rs_sink *k, enum rs_conn_state st, double t)
{
    struct rs_conn_event ev = { .type = RS_CONN_EV_STATE, .state = st, .t = t, .port = "test" };
    k->event(k->ctx, &ev);
}

/* Feed a builtin scenario through the sink, samples at host time = device
 * time + 5 s; stop after `until` s of scenario time (or its end). */
static void feed(struct rs_sink *k, struct rs_sim *sim, double until)
{
    struct rs_sample smp;
    struct rs_sim_truth tr;
    while (rs_sim_next(sim, &smp, &tr)) {
        k->sample(k->ctx, &smp, tr.t + 5.0);
        if (tr.t >= until)
            break;
    }
}

static void test_session_quick(void **state)
{
    (void)state;
    static struct rs_scenario scn;
    char err[256];
    assert_int_equal(rs_scenario_parse(&scn, rs_scenario_builtin("quick"), "quick", err, sizeof err), 0);
    static struct collect c;
    memset(&c, 0, sizeof c);
    struct rs_session *s = new_session(&c, &scn);
    struct rs_session_observer ob = { .ctx = &c, .sample = ob_sample, .frame = ob_frame,
                                      .bytes = ob_bytes, .conn_event = ob_conn, .event = ob_event,
                                      .mark = ob_mark, .snapshot = ob_snapshot };
    assert_int_equal(rs_session_observe(s, &ob), 0);
    assert_int_equal(c.snapshots, 1); /* at once */
    assert_false(c.snap_has_info);
    struct rs_sink k = rs_session_sink(s);

    conn_state(&k, RS_CONN_CONNECTING, 4.9);
    struct rs_frame info = { .type = RS_FT_INFO, .version = 1 };
    memcpy(info.u.info.serial, "SIM-000001", 10);
    k.frame(k.ctx, &info, 4.95);
    assert_int_equal(c.snapshots, 2);
    assert_string_equal(c.snap_serial, "SIM-000001");
    uint8_t raw[7] = { 0 };
    k.bytes(k.ctx, raw, sizeof raw);
    conn_state(&k, RS_CONN_STREAMING, 5.0);

    static struct rs_sim sim;
    rs_sim_init(&sim, &scn);
    feed(&k, &sim, 1e9);
    rs_session_mark(s, 30.0, "sore spot");
    struct rs_conn_stats st;
    memset(&st, 0, sizeof st);
    st.frames = (uint64_t)c.samples;
    rs_session_finish(s, &st, 31.0);

    /* JSON lines: status, the hold and its 15 s cue on session time, summary last. */
    assert_int_equal(count_type(&c, "status"), 2);
    assert_int_equal(count_type(&c, "hold_start"), 1);
    assert_int_equal(count_type(&c, "hold_cue"), 1);
    assert_int_equal(count_type(&c, "hold_end"), 1);
    assert_true(count_type(&c, "speed_band") >= 2);
    assert_int_equal(count_type(&c, "mark"), 1);
    assert_non_null(strstr(find_type(&c, "mark"), "\"label\":\"sore spot\""));
    assert_non_null(strstr(find_type(&c, "hold_cue"), "\"seconds\":15"));
    assert_non_null(strstr(find_type(&c, "hold_cue"), "\"leg\":\"left\""));
    /* The hold starts after 1 s lift + 4 s roll = 5 s of scenario time: t > 10 on the session clock. */
    double t_start = atof(strstr(find_type(&c, "hold_start"), "\"start\":") + 8);
    assert_true(t_start > 9.9 && t_start < 10.3);
    assert_true(strncmp(c.lines[c.n - 1], "{\"type\":\"summary\"", 17) == 0);
    assert_non_null(strstr(c.lines[c.n - 1], "\"holds_left\":1"));

    /* Observers saw everything. */
    assert_int_equal(c.samples, (int)st.frames);
    assert_int_equal(c.frames, 1);
    assert_int_equal(c.bytes, 7);
    assert_int_equal(c.conn_events, 2);
    assert_int_equal(c.marks, 1);
    assert_true(c.events >= 5);

    /* Cues from the events: hold start and 15 s at least. */
    unsigned cues = rs_session_take_cues(s);
    assert_true(cues & (1u << RS_CUE_HOLD_START));
    assert_true(cues & (1u << RS_CUE_HOLD_15));
    assert_int_equal(rs_session_take_cues(s), 0);

    /* The view: streaming, left calf map with the hold spot, full history. */
    static struct rs_view v;
    rs_session_set_recording(s, true);
    rs_session_view(s, 31.0, &v);
    assert_int_equal(v.mode, RS_MODE_DEMO);
    assert_int_equal(v.link, RS_VLINK_CONNECTED);
    assert_true(v.recording);
    assert_float_equal(v.session_s, 31.0, 1e-3);
    assert_int_equal(v.holds[0], 1);
    int spots = 0, bins_used = 0;
    for (int b = 0; b < RS_VIEW_CALF_BINS; b++) {
        spots += v.calf[0].holds[b];
        bins_used += v.calf[0].time_s[b] > 0;
        assert_int_equal(v.calf[1].holds[b], 0);
    }
    assert_int_equal(spots, 1);
    assert_true(bins_used >= 10);
    /* ~25 s at 10 Hz into a 30 s chart. */
    assert_true(v.history.count >= 240 && v.history.count <= 260);
    assert_float_equal(v.loss_pct, 0, 1e-6);
    rs_session_free(s);
    collect_free(&c);
}

static void test_session_gap_ends_hold(void **state)
{
    (void)state;
    static struct rs_scenario scn;
    char err[256];
    assert_int_equal(rs_scenario_parse(&scn, rs_scenario_builtin("quick"), "quick", err, sizeof err), 0);
    static struct collect c;
    memset(&c, 0, sizeof c);
    struct rs_session *s = new_session(&c, &scn);
    struct rs_session_observer ob = { .ctx = &c, .event = ob_event };
    rs_session_observe(s, &ob);
    struct rs_sink k = rs_session_sink(s);
    conn_state(&k, RS_CONN_STREAMING, 5.0);
    static struct rs_sim sim;
    rs_sim_init(&sim, &scn);
    feed(&k, &sim, 12.0);  /* 7 s into the 16 s hold */
    assert_int_equal(count_type(&c, "hold_start"), 1);
    /* Unplugged: the hold ends at the gap, no pipeline gap line is written
     * (the connection writes its own), the view no longer shows a hold. */
    conn_state(&k, RS_CONN_DISCONNECTED, 17.1);
    assert_int_equal(count_type(&c, "hold_end"), 1);
    assert_non_null(strstr(find_type(&c, "hold_end"), "\"reason\":\"gap\""));
    assert_int_equal(count_type(&c, "gap"), 0);
    assert_int_equal(c.gap_events, 1);
    static struct rs_view v;
    rs_session_view(s, 17.5, &v);
    assert_int_equal(v.link, RS_VLINK_DISCONNECTED);
    assert_false(v.hold_active);
    assert_float_equal(v.force_n, 0, 1e-6);
    /* Failed reconnects inside the same gap are not new gaps. */
    conn_state(&k, RS_CONN_DISCONNECTED, 17.6);
    conn_state(&k, RS_CONN_CONNECTING, 17.7);
    conn_state(&k, RS_CONN_DISCONNECTED, 17.8);
    assert_int_equal(c.gap_events, 1);
    /* Back, then a stall (port open, no samples): that is a gap too. */
    conn_state(&k, RS_CONN_STREAMING, 18.5);
    feed(&k, &sim, 13.0);
    conn_state(&k, RS_CONN_STALLED, 20.0);
    assert_int_equal(c.gap_events, 2);
    conn_state(&k, RS_CONN_STREAMING, 21.0);
    assert_int_equal(c.gap_events, 2);
    /* Frames missing while streaming show as loss in the view: counted from
     * the samples' sequence numbers by the connection's rule (so a replay
     * counts the same); the connection's "lost" object is passed on. */
    struct rs_sample smp;
    struct rs_sim_truth tr;
    for (int i = 0; i < 5; i++)
        assert_true(rs_sim_next(&sim, &smp, &tr));
    k.sample(k.ctx, &smp, 21.1); /* 4 frames never arrived */
    struct rs_conn_event lost = { .type = RS_CONN_EV_LOST, .t = 21.1, .port = "test", .seq = smp.seq, .count = 4 };
    k.event(k.ctx, &lost);
    assert_int_equal(count_type(&c, "lost"), 1);
    rs_session_view(s, 21.2, &v);
    assert_int_equal(v.frames_lost, 4);
    /* Frames made while unplugged are the gap's, not lost. */
    conn_state(&k, RS_CONN_DISCONNECTED, 22.0);
    for (int i = 0; i < 50; i++)
        assert_true(rs_sim_next(&sim, &smp, &tr));
    conn_state(&k, RS_CONN_STREAMING, 23.0);
    k.sample(k.ctx, &smp, 23.1);
    rs_session_view(s, 23.2, &v);
    assert_int_equal(v.frames_lost, 4);
    struct rs_summary sum;
    rs_session_summary(s, &sum);
    assert_int_equal(sum.lost, 4);
    rs_session_free(s);
    collect_free(&c);
}

static void test_session_frames_and_faults(void **state)
{
    (void)state;
    static struct collect c;
    memset(&c, 0, sizeof c);
    struct rs_session_config sc = { .mode = RS_MODE_LIVE, .frames = true, .line = collect_line,
                                    .line_ctx = &c };
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);
    rs_profile_defaults(&sc.prof);
    struct rs_session *s = rs_session_new(&sc);
    struct rs_sink k = rs_session_sink(s);
    struct rs_sample smp = { .seq = 7, .t_us = 1000, .left = 10, .right = 20, .enc = 3 };
    k.sample(k.ctx, &smp, 1.5);
    assert_string_equal(c.lines[0], "{\"type\":\"sample\",\"t\":1.500000,\"seq\":7,\"t_us\":1000,"
                                    "\"left\":10,\"right\":20,\"enc\":3,\"status\":0}");
    struct rs_frame f = { .type = RS_FT_FAULT, .version = 1 };
    f.u.fault.code = RS_FAULT_MAGNET;
    f.u.fault.active = 1;
    k.frame(k.ctx, &f, 1.6);
    /* The frame as device_fault, the detector's reading of it as fault. */
    assert_int_equal(count_type(&c, "device_fault"), 1);
    assert_true(count_type(&c, "fault") >= 1);
    /* A saved calibration from the device replaces the nominal one. */
    assert_false(rs_session_live(s)->calibrated);
    struct rs_frame in = { .type = RS_FT_INFO, .version = 1 };
    in.u.info.cal_state = RS_CAL_OK;
    k.frame(k.ctx, &in, 1.7);
    struct rs_frame cal = { .type = RS_FT_CAL, .version = 1 };
    cal.u.cal.scale_left = cal.u.cal.scale_right = 2000;
    cal.u.cal.radius_um = 70000;
    cal.u.cal.enc_dir = 1;
    k.frame(k.ctx, &cal, 1.8);
    smp.seq = 8;
    smp.t_us += 12500;
    k.sample(k.ctx, &smp, 1.51);
    assert_true(rs_session_live(s)->calibrated);
    rs_session_free(s);
    collect_free(&c);
}

/* ---- config loader ------------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_cfgfile(void **state)
{
    (void)state;
    char dir[] = "/tmp/rs-session-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char xdg[300], sub[320], def[340], bad[340], good[340];
    snprintf(xdg, sizeof xdg, "%s/xdg", dir);
    snprintf(sub, sizeof sub, "%s/rollsense", xdg);
    snprintf(def, sizeof def, "%s/config", sub);
    snprintf(bad, sizeof bad, "%s/bad.conf", dir);
    snprintf(good, sizeof good, "%s/good.conf", dir);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    struct rs_config cfg, defaults;
    rs_config_defaults(&defaults);
    char used[400], err[512];

    /* No file anywhere: the defaults, nothing used. */
    assert_int_equal(rs_cfgfile_load(&cfg, NULL, used, sizeof used, err, sizeof err), 0);
    assert_string_equal(used, "");
    assert_memory_equal(&cfg, &defaults, sizeof cfg);
    char p[400];
    assert_int_equal(rs_cfgfile_default_path(p, sizeof p), 0);
    assert_string_equal(p, def);

    /* The XDG file applies when present. */
    assert_int_equal(mkdir(xdg, 0700), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_file(def, "# mine\ncue_min_s = 20\n");
    assert_int_equal(rs_cfgfile_load(&cfg, NULL, used, sizeof used, err, sizeof err), 0);
    assert_string_equal(used, def);
    assert_float_equal(cfg.cue_min_s, 20, 1e-9);

    /* An explicit file wins over it. */
    write_file(good, "cue_min_s = 14\n");
    assert_int_equal(rs_cfgfile_load(&cfg, good, used, sizeof used, err, sizeof err), 0);
    assert_string_equal(used, good);
    assert_float_equal(cfg.cue_min_s, 14, 1e-9);

    /* A bad value: one line naming file, line, key and range; defaults kept. */
    write_file(bad, "still_time_s = 2\nhold_dip_max_s = 99\n");
    assert_int_equal(rs_cfgfile_load(&cfg, bad, used, sizeof used, err, sizeof err), -1);
    assert_non_null(strstr(err, "bad.conf:2: key 'hold_dip_max_s'"));
    assert_non_null(strstr(err, "allowed 0.1..10"));
    assert_null(strchr(err, '\n'));
    assert_memory_equal(&cfg, &defaults, sizeof cfg);

    /* Unreadable: names the file. */
    char missing[400];
    snprintf(missing, sizeof missing, "%s/nope.conf", dir);
    assert_int_equal(rs_cfgfile_load(&cfg, missing, used, sizeof used, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read config"));
    assert_non_null(strstr(err, "nope.conf"));

    unlink(def);
    unlink(bad);
    unlink(good);
    rmdir(sub);
    rmdir(xdg);
    rmdir(dir);
}

/* ---- the simulated roller ------------------------------------------------------ */

static void command(struct rs_simroller *r, uint8_t type, uint8_t token)
{
    struct rs_frame f = { .type = type };
    f.u.cmd.token = token;
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(&f, wire);
    assert_int_equal(rs_simroller_consume(r, wire, n, 0), 0);
}

struct decoded {
    int samples, infos, acks, naks, cals;
    uint32_t first_seq, last_seq;
    char serial[16];
    uint8_t cal_state;
    struct rs_cal cal;
};

static int pump(struct rs_simroller *r, uint64_t now, struct rs_decoder *dec, struct decoded *d,
                uint64_t *next)
{
    uint8_t buf[4096];
    *next = 0;
    int n = rs_simroller_produce(r, now, buf, sizeof buf, next);
    assert_true(n >= 0);
    struct rs_frame f;
    for (int i = 0; i < n; i++)
        if (rs_decoder_push(dec, buf[i], &f)) {
            switch (f.type) {
            case RS_FT_SAMPLE:
                if (!d->samples)
                    d->first_seq = f.u.sample.seq;
                d->last_seq = f.u.sample.seq;
                d->samples++;
                break;
            case RS_FT_INFO:
                d->infos++;
                memcpy(d->serial, f.u.info.serial, RS_SERIAL_LEN);
                d->serial[RS_SERIAL_LEN] = '\0';
                d->cal_state = f.u.info.cal_state;
                break;
            case RS_FT_REPLY:
                if (f.u.reply.code == RS_REPLY_ACK)
                    d->acks++;
                else
                    d->naks++;
                break;
            case RS_FT_CAL:
                d->cals++;
                d->cal = f.u.cal;
                break;
            }
        }
    return n;
}

static void test_simroller(void **state)
{
    (void)state;
    static struct rs_scenario scn;
    char err[256];
    assert_int_equal(rs_scenario_parse(&scn, rs_scenario_builtin("quick"), "quick", err, sizeof err), 0);
    scn.loop = false;
    static struct rs_simroller r;
    rs_simroller_init(&r, &scn);
    struct rs_decoder dec;
    rs_decoder_init(&dec);
    struct decoded d;
    memset(&d, 0, sizeof d);
    uint64_t next;

    /* Not started: nothing but the answers to commands. */
    assert_int_equal(pump(&r, 0, &dec, &d, &next), 0);
    command(&r, RS_FT_CMD_GET_INFO, 1);
    pump(&r, 1000, &dec, &d, &next);
    assert_int_equal(d.infos, 1);
    assert_int_equal(d.acks, 1);
    assert_string_equal(d.serial, RS_SIMROLLER_SERIAL);
    assert_int_equal(d.cal_state, RS_CAL_OK);
    assert_int_equal(d.samples, 0);
    command(&r, RS_FT_CMD_GET_CAL, 2);
    command(&r, RS_FT_CMD_SAVE_CAL, 3);
    pump(&r, 2000, &dec, &d, &next);
    assert_int_equal(d.cals, 1);
    assert_float_equal(d.cal.scale_left, 2189.8, 0.01);
    assert_int_equal(d.cal.radius_um, 70000);
    assert_int_equal(d.naks, 0); /* SAVE_CAL is kept in the pretend EEPROM */

    /* START: the first sample at once, then one per 12.5 ms, paced by time. */
    command(&r, RS_FT_CMD_START, 4);
    pump(&r, 10000, &dec, &d, &next);
    assert_int_equal(d.samples, 1);
    assert_int_equal(d.infos, 2); /* info whenever streaming starts */
    assert_int_equal(next, 10000 + 12500);
    pump(&r, 10000 + 12499, &dec, &d, &next);
    assert_int_equal(d.samples, 1);
    pump(&r, 10000 + 1000000, &dec, &d, &next);
    assert_int_equal(d.samples, 81);
    /* STOP: silence, whatever the time. */
    command(&r, RS_FT_CMD_STOP, 5);
    pump(&r, 10000 + 2000000, &dec, &d, &next);
    assert_int_equal(d.samples, 81);
    /* START again, run to the end of the one pass: done. */
    command(&r, RS_FT_CMD_START, 6);
    for (uint64_t t = 3000000; !rs_simroller_done(&r) && t < 100000000; t += 500000)
        pump(&r, t, &dec, &d, &next);
    assert_true(rs_simroller_done(&r));
    assert_true(d.samples > 1900 && d.samples < 2100);
    assert_int_equal(d.last_seq - d.first_seq + 1, d.samples); /* nothing dropped in "quick" */
}

/* ---- the demo path: simulated roller -> source link -> rs_conn -> session --- */

struct emu {
    uint64_t now;
    struct rs_simroller *roller;
};
static uint64_t emu_now(void *ctx) { return ((struct emu *)ctx)->now; }
static void emu_sleep(void *ctx, uint64_t us) { ((struct emu *)ctx)->now += us; }

static int emu_open(void *ctx, struct rs_link **out)
{
    struct emu *e = ctx;
    struct rs_byte_source src = { .ctx = e->roller, .produce = rs_simroller_produce,
                                  .consume = rs_simroller_consume, .clock_ctx = e,
                                  .now_us = emu_now, .sleep_us = emu_sleep };
    return rs_link_open_source(out, &src, "simulated");
}

static void test_demo_path_loops(void **state)
{
    (void)state;
    static struct rs_scenario scn;
    char err[256];
    assert_int_equal(rs_scenario_parse(&scn, rs_scenario_builtin("quick"), "quick", err, sizeof err), 0);
    scn.loop = true; /* real-time demo: loops after a pass */
    static struct rs_simroller r;
    rs_simroller_init(&r, &scn);
    struct emu e = { .now = 1000000, .roller = &r };
    static struct collect c;
    memset(&c, 0, sizeof c);
    /* Start from nominal values: the calibration must come from the roller
     * (info says "ok", rs_conn asks GET_CAL, the cal frame is applied). */
    struct rs_session_config sc = { .mode = RS_MODE_DEMO, .line = collect_line, .line_ctx = &c };
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);
    rs_profile_defaults(&sc.prof);
    struct rs_session *s = rs_session_new(&sc);
    assert_false(rs_session_live(s)->calibrated);
    struct rs_sink sink = rs_session_sink(s);
    struct rs_conn_config cc = { .open_link = emu_open, .open_ctx = &e, .clock_ctx = &e,
                                 .now_us = emu_now, .sleep_us = emu_sleep };
    struct rs_conn *conn = rs_conn_new(&cc, &sink);
    assert_non_null(conn);
    /* 2.5 passes of the 25 s scenario, in emulated time (no real waiting). */
    while (rs_conn_now(conn) < 2.5 * scn.duration)
        assert_int_equal(rs_conn_step(conn, 100), 0);
    rs_conn_finish(conn);
    struct rs_conn_stats st;
    rs_conn_get_stats(conn, &st);
    rs_session_finish(s, &st, rs_conn_now(conn));
    /* One hold per pass, the loop is seamless: no loss, no gap, no reset. */
    assert_int_equal(count_type(&c, "hold_start"), 3);
    assert_int_equal(count_type(&c, "hold_cue"), 2); /* the third is cut short by the end */
    assert_int_equal(st.lost, 0);
    assert_int_equal(st.gaps, 0);
    assert_int_equal(st.seq_resets, 0);
    assert_int_equal(st.clock_jumps, 0);
    assert_float_equal(st.rate_hz, 80.0, 0.01);
    assert_string_equal(st.serial, RS_SIMROLLER_SERIAL);
    assert_true(st.frames > 2.5 * scn.duration * 80 - 100);
    assert_non_null(strstr(c.lines[c.n - 1], "\"holds_left\":3"));
    assert_non_null(strstr(c.lines[c.n - 1], "\"calibrated\":true"));
    assert_true(rs_session_live(s)->calibrated);
    rs_conn_free(conn);
    rs_session_free(s);
    collect_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_json_shift),
        cmocka_unit_test(test_summary_json),
        cmocka_unit_test(test_event_cues),
        cmocka_unit_test(test_link_mapping),
        cmocka_unit_test(test_map_live),
        cmocka_unit_test(test_session_quick),
        cmocka_unit_test(test_session_gap_ends_hold),
        cmocka_unit_test(test_session_frames_and_faults),
        cmocka_unit_test(test_cfgfile),
        cmocka_unit_test(test_simroller),
        cmocka_unit_test(test_demo_path_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
