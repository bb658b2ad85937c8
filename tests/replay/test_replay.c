/*
 * test_replay.c - the replay engine in-process: a simulated live session
 * recorded through the real session and recorder, replayed with --compare
 * semantics (no difference), then tampered with in every way the compare
 * must notice; the snapshot round trip; seeking; the pacing clock.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "../record/test_util.h"
#include "replay_harness.h"
#include "rs_replay.h"
#include "rs_report.h"


struct diffs {
    unsigned n[4];
    char first[1024];
};

static void on_diff(void *ctx, const struct rs_replay_diff *d)
{
    struct diffs *D = ctx;
    if (D->n[0] + D->n[1] + D->n[2] + D->n[3] == 0)
        snprintf(D->first, sizeof D->first, "%s: rec %s / rep %s", rs_replay_diff_kind_name(d->kind),
                 d->recorded ? d->recorded : "-", d->replayed ? d->replayed : "-");
    D->n[d->kind]++;
}

/* Replay path with compare on; the diffs by kind and the stats. */
static void compare(const char *path, struct diffs *D, struct rs_replay_stats *st)
{
    memset(D, 0, sizeof *D);
    struct rs_replay_opts o;
    rs_replay_opts_default(&o);
    o.compare = true;
    struct rs_replay *rp;
    char msg[512];
    assert_int_equal(rs_replay_open(&rp, path, &o, msg, sizeof msg), 0);
    rs_replay_on_diff(rp, on_diff, D);
    struct rs_events ev;
    rs_events_clear(&ev);
    while (rs_replay_next(rp, &ev) > 0)
        rs_events_clear(&ev);
    assert_int_equal(rs_replay_next(rp, &ev), 0); /* stays ended */
    rs_replay_get_stats(rp, st);
    rs_replay_close(rp);
}

/* Live and replay agree, for a plain session and for one with an unplug
 * in the middle of a hold (host gap row -> rs_pipeline_mark_gap). */
static void test_compare_equal(void **state)
{
    struct rs_test_fixture *fx = *state;
    static const struct harness_opts cases[] = {
        { .scenario = "demo", .saved_cal = true },
        { .scenario = "demo", .saved_cal = false },
        { .scenario = "demo", .saved_cal = true, .unplug_at_s = 30.0, .unplug_for_s = 3.0 },
        { .scenario = "quick", .saved_cal = true, .unplug_at_s = 5.0, .unplug_for_s = 0.5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unlink(fx->path);
        struct harness_result res;
        assert_int_equal(harness_record(fx->path, &cases[i], &res), 0);
        assert_true(res.samples > 1000);
        assert_true(res.events > 5);
        struct diffs D;
        struct rs_replay_stats st;
        compare(fx->path, &D, &st);
        if (st.differences)
            print_error("case %zu: %s\n", i, D.first);
        assert_int_equal(st.differences, 0);
        assert_int_equal(st.samples, res.samples);
        assert_int_equal(st.recorded_events, res.events);
        assert_int_equal(st.replayed_events, res.events);
        if (cases[i].unplug_at_s > 0)
            assert_int_equal(st.host_gaps, 1);
    }
}

/* The summary of a replay is the live summary (analyze's "frames"). */
static void test_summary_equal(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct harness_opts ho = { .scenario = "demo", .saved_cal = true };
    struct harness_result res;
    assert_int_equal(harness_record(fx->path, &ho, &res), 0);
    struct rs_replay *rp;
    char msg[512];
    assert_int_equal(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg), 0);
    assert_string_equal(rs_replay_notes(rp), "");
    while (rs_replay_next(rp, NULL) > 0) {
    }
    struct rs_summary sum;
    rs_session_summary(rs_replay_session(rp), &sum);
    assert_int_equal(sum.frames, res.summary.frames);
    assert_int_equal(sum.lost, res.summary.lost);
    assert_int_equal(sum.holds[RS_LEG_LEFT], res.summary.holds[RS_LEG_LEFT]);
    assert_int_equal(sum.holds[RS_LEG_RIGHT], res.summary.holds[RS_LEG_RIGHT]);
    assert_true(sum.longest_hold_s == res.summary.longest_hold_s);
    assert_true(sum.peak_bw_pct == res.summary.peak_bw_pct);
    assert_true(sum.calibrated);
    rs_replay_close(rp);
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        print_error("%s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    assert_int_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_changes(db) > 0, 1);
    sqlite3_close(db);
}

/* Every kind of difference is found, once, and nothing else. */
static void test_compare_tampered(void **state)
{
    struct rs_test_fixture *fx = *state;
    static const struct {
        const char *sql;
        enum rs_replay_diff_kind kind;
    } cases[] = {
        /* a recorded hold lasted longer than the detectors say now */
        { "UPDATE log SET data = replace(data, '\"duration\":', '\"duration\":1') WHERE id = "
          "(SELECT min(id) FROM log WHERE type = 'hold_end')",
          RS_DIFF_CHANGED },
        /* live missed an event (a detector improved since) */
        { "DELETE FROM log WHERE id = (SELECT min(id) FROM log WHERE type = 'hold_cue')",
          RS_DIFF_EXTRA },
        /* live reported one the detectors no longer produce */
        { "INSERT INTO log(after_frame, kind, host_us, dev_us, type, data) SELECT after_frame, 2, "
          "host_us, dev_us, 'knee_zone', '{\"type\":\"knee_zone\",\"t\":1.0000,\"active\":true}' "
          "FROM log WHERE type = 'hold_start' LIMIT 1",
          RS_DIFF_MISSING },
        /* an event stored after another frame: missing there, extra here */
        { "UPDATE log SET after_frame = after_frame + 1 WHERE id = "
          "(SELECT min(id) FROM log WHERE type = 'hold_start')",
          RS_DIFF_MISSING },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unlink(fx->path);
        struct harness_opts ho = { .scenario = "demo", .saved_cal = true };
        struct harness_result res;
        assert_int_equal(harness_record(fx->path, &ho, &res), 0);
        exec_sql(fx->path, cases[i].sql);
        struct diffs D;
        struct rs_replay_stats st;
        compare(fx->path, &D, &st);
        for (int k = 0; k < 4; k++) {
            unsigned want = k == (int)cases[i].kind ? 1 : 0;
            if (i == 3 && k == RS_DIFF_EXTRA)
                want = 1; /* moved: the replay's event has no partner at its frame */
            if (D.n[k] != want)
                print_error("case %zu kind %d: %u (first: %s)\n", i, k, D.n[k], D.first);
            assert_int_equal(D.n[k], want);
        }
    }
}

/* The snapshot survives the file exactly; the recorder's device-block form
 * reads with calibrated from device_info. */
static void test_snapshot_round_trip(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct rs_config cfg;
    rs_config_defaults(&cfg);
    cfg.still_time_s = 2.345678901234567;
    cfg.cue_target_s = 31;
    struct rs_calib cal = { .offset_left = -12345, .offset_right = 678, .scale_left = 2201.123456789,
                            .scale_right = 1.0 / 3.0, .radius_um = 69123, .enc_dir = -1,
                            .calibrated = true };
    struct rs_profile prof = { .body_mass_kg = 81.7, .calf_length_cm = 37.25, .force_limit_n = 400 };
    struct rs_rec *r;
    char err[256];
    assert_int_equal(rs_rec_open(&r, fx->path, 1763745656000000LL, 0, err, sizeof err), 0);
    assert_int_equal(rs_snapshot_write(r, &cfg, &cal, &prof, true), 0);
    struct rs_calib later = cal;
    later.offset_left = 1;
    assert_int_equal(rs_snapshot_write(r, NULL, &later, NULL, false), 0);
    assert_int_equal(rs_rec_close(r, 1763745657000000LL, NULL), 0);

    struct rs_reader *s;
    assert_int_equal(rs_reader_open(&s, fx->path, err, sizeof err), 0);
    struct rs_config c2;
    struct rs_calib k2;
    struct rs_profile p2;
    assert_int_equal(rs_snapshot_read(s, &c2, &k2, &p2),
                     RS_SNAP_THRESHOLDS | RS_SNAP_CALIBRATION | RS_SNAP_PROFILE);
    assert_memory_equal(&c2, &cfg, sizeof cfg);
    /* the replay starts with the calibration of the start */
    assert_int_equal(k2.offset_left, cal.offset_left);
    assert_int_equal(k2.offset_right, cal.offset_right);
    assert_true(k2.scale_left == cal.scale_left && k2.scale_right == cal.scale_right);
    assert_int_equal(k2.radius_um, cal.radius_um);
    assert_int_equal(k2.enc_dir, -1);
    assert_true(k2.calibrated);
    assert_true(p2.body_mass_kg == prof.body_mass_kg && p2.calf_length_cm == prof.calf_length_cm &&
                p2.force_limit_n == prof.force_limit_n);
    rs_reader_close(s);

    /* rs_rec_meta_cal's form: floats with 6 decimals, state from device_info */
    static const struct {
        uint8_t cal_state;
        bool calibrated;
    } forms[] = { { RS_CAL_OK, true }, { RS_CAL_DEFAULT, false } };
    for (size_t i = 0; i < 2; i++) {
        unlink(fx->path);
        assert_int_equal(rs_rec_open(&r, fx->path, 1763745656000000LL, 0, err, sizeof err), 0);
        struct rs_cal dc = { .offset_left = 5, .offset_right = -7, .scale_left = 2189.8f,
                             .scale_right = 2190.125f, .radius_um = 70000, .enc_dir = 1 };
        struct rs_info in = { .fw_major = 1, .cal_state = forms[i].cal_state, .sample_rate_hz = 80 };
        assert_int_equal(rs_rec_meta_cal(r, &dc), 0);
        assert_int_equal(rs_rec_meta_info(r, &in), 0);
        assert_int_equal(rs_rec_close(r, 1763745657000000LL, NULL), 0);
        assert_int_equal(rs_reader_open(&s, fx->path, err, sizeof err), 0);
        assert_int_equal(rs_snapshot_read(s, NULL, &k2, NULL), RS_SNAP_CALIBRATION);
        assert_true(k2.scale_left == (double)2189.8f);
        assert_true(k2.scale_right == (double)2190.125f);
        assert_int_equal(k2.calibrated, forms[i].calibrated);
        rs_reader_close(s);
    }
}

/* Seeking forward and back lands at the asked time and leaves the pipeline
 * exactly where a straight run is (it is re-run, not approximated). */
static void test_seek(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct harness_opts ho = { .scenario = "demo", .saved_cal = true };
    struct harness_result res;
    assert_int_equal(harness_record(fx->path, &ho, &res), 0);
    struct rs_replay *a, *b;
    char msg[512];
    assert_int_equal(rs_replay_open(&a, fx->path, NULL, msg, sizeof msg), 0);
    assert_int_equal(rs_replay_open(&b, fx->path, NULL, msg, sizeof msg), 0);
    double len = rs_replay_length(a);
    assert_true(len > 100 && len < 200);
    static const double targets[] = { 60.0, 20.0, 90.5, 0.0, 45.25 };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        rs_replay_seek(a, targets[i]);
        assert_true(rs_replay_pos(a) >= targets[i] - 1e-9);
        assert_true(rs_replay_pos(a) < targets[i] + 0.0126);
        /* a straight run to the same frame */
        rs_replay_close(b);
        assert_int_equal(rs_replay_open(&b, fx->path, NULL, msg, sizeof msg), 0);
        uint32_t want = rs_pipeline_live(rs_replay_pipeline(a))->frames;
        while (rs_pipeline_live(rs_replay_pipeline(b))->frames < want &&
               rs_replay_next(b, NULL) > 0) {
        }
        assert_true(rs_replay_pos(b) == rs_replay_pos(a));
        const struct rs_live *la = rs_pipeline_live(rs_replay_pipeline(a));
        const struct rs_live *lb = rs_pipeline_live(rs_replay_pipeline(b));
        assert_true(la->force_n == lb->force_n);
        assert_true(la->pos_cm == lb->pos_cm);
        assert_int_equal(la->hold.active, lb->hold.active);
        assert_int_equal(la->frames, lb->frames);
    }
    rs_replay_close(a);
    rs_replay_close(b);
}

/* Play rp until its position reaches t; count the hold ends per leg. */
static void play_to(struct rs_replay *rp, double t, unsigned hold_ends[2])
{
    struct rs_events ev;
    rs_events_clear(&ev);
    while (rs_replay_pos(rp) < t && rs_replay_next(rp, &ev) > 0) {
        for (size_t i = 0; i < ev.n; i++)
            if (ev.ev[i].type == RS_EV_HOLD_END &&
                (ev.ev[i].u.hold.leg == RS_LEG_LEFT || ev.ev[i].u.hold.leg == RS_LEG_RIGHT))
                hold_ends[ev.ev[i].u.hold.leg - 1]++;
        rs_events_clear(&ev);
    }
}

static unsigned view_hold_spots(const struct rs_view *v, int leg)
{
    unsigned n = 0;
    for (int b = 0; b < RS_VIEW_CALF_BINS; b++)
        n += v->calf[leg].holds[b];
    return n;
}

/*
 * The replay window shows the session's view. After a seek (back from the
 * end, or forward from the start) it is the view straight play shows at
 * the same time: calf map, hold spots, charts, counters, bands. And the
 * hold spots are there: one per hold that ended on a leg.
 */
static void test_seek_view(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct harness_opts ho = { .scenario = "demo", .saved_cal = true };
    struct harness_result res;
    assert_int_equal(harness_record(fx->path, &ho, &res), 0);
    static struct rs_view va, vb;
    static const double targets[] = { 75.0, 130.0 };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        struct rs_replay *a, *b, *c;
        char msg[512];
        assert_int_equal(rs_replay_open(&a, fx->path, NULL, msg, sizeof msg), 0);
        assert_int_equal(rs_replay_open(&b, fx->path, NULL, msg, sizeof msg), 0);
        assert_int_equal(rs_replay_open(&c, fx->path, NULL, msg, sizeof msg), 0);
        unsigned ends[2] = { 0, 0 }, ignored[2] = { 0, 0 };
        play_to(a, targets[i], ends);
        play_to(b, 1e9, ignored); /* to the end ... */
        assert_true(rs_replay_ended(b));
        rs_replay_seek(b, targets[i]); /* ... and back */
        rs_replay_seek(c, targets[i]); /* forward from the start */
        assert_true(rs_replay_pos(b) == rs_replay_pos(a));
        assert_true(rs_replay_pos(c) == rs_replay_pos(a));
        rs_session_view(rs_replay_session(a), rs_replay_pos(a), &va);
        assert_true(ends[0] + ends[1] > 0);
        assert_int_equal(view_hold_spots(&va, 0), ends[0]);
        assert_int_equal(view_hold_spots(&va, 1), ends[1]);
        assert_true(va.history.count > 0);
        assert_int_equal(va.mode, RS_MODE_REPLAY);
        struct rs_replay *seeked[2] = { b, c };
        for (int k = 0; k < 2; k++) {
            rs_session_view(rs_replay_session(seeked[k]), rs_replay_pos(seeked[k]), &vb);
            assert_int_equal(view_hold_spots(&vb, 0), ends[0]);
            assert_int_equal(view_hold_spots(&vb, 1), ends[1]);
            assert_int_equal(vb.history.count, va.history.count);
            assert_int_equal(vb.holds[0], va.holds[0]);
            assert_int_equal(vb.holds[1], va.holds[1]);
            assert_memory_equal(&vb.calf, &va.calf, sizeof va.calf);
            assert_memory_equal(&vb.history, &va.history, sizeof va.history);
            assert_memory_equal(&vb, &va, sizeof va);
        }
        /* and play goes on from there as straight play does (also after
         * the seek back from the end) */
        assert_false(rs_replay_ended(b));
        unsigned more_a[2] = { 0, 0 }, more_b[2] = { 0, 0 };
        play_to(a, targets[i] + 20, more_a);
        play_to(b, targets[i] + 20, more_b);
        assert_true(rs_replay_pos(b) == rs_replay_pos(a));
        assert_int_equal(more_b[0] + more_b[1], more_a[0] + more_a[1]);
        rs_session_view(rs_replay_session(a), rs_replay_pos(a), &va);
        rs_session_view(rs_replay_session(b), rs_replay_pos(b), &vb);
        assert_memory_equal(&vb, &va, sizeof va);
        rs_replay_close(a);
        rs_replay_close(b);
        rs_replay_close(c);
    }
}

/*
 * The replay window shows what the live window showed at the end of the
 * session: the same charts (in raw units when the roller was not
 * calibrated, as live, not %BW), calf maps, hold spots and counters.
 */
static void test_view_is_live(void **state)
{
    struct rs_test_fixture *fx = *state;
    static struct rs_view live_view, v;
    for (int saved = 0; saved < 2; saved++) {
        struct harness_opts ho = { .scenario = "demo", .saved_cal = saved != 0,
                                   .view_at_end = &live_view };
        struct harness_result res;
        unlink(fx->path);
        assert_int_equal(harness_record(fx->path, &ho, &res), 0);
        struct rs_replay *rp;
        char msg[512];
        assert_int_equal(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg), 0);
        while (rs_replay_next(rp, NULL) > 0) {
        }
        rs_session_view(rs_replay_session(rp), live_view.session_s, &v);
        assert_int_equal(v.calibrated, saved != 0);
        assert_int_equal(v.calibrated, live_view.calibrated);
        assert_true(v.history.count > 0);
        assert_memory_equal(&v.history, &live_view.history, sizeof v.history);
        assert_memory_equal(&v.calf, &live_view.calf, sizeof v.calf);
        assert_int_equal(v.holds[0], live_view.holds[0]);
        assert_int_equal(v.holds[1], live_view.holds[1]);
        assert_int_equal(v.frames_lost, live_view.frames_lost);
        assert_true(v.force_n == live_view.force_n);
        rs_replay_close(rp);
    }
}

/*
 * One lost counter: frames missing while streaming count, frames made while
 * unplugged are the gap's. Live's view and summary and the replay's view
 * and summary show the same number.
 */
static void test_lost_one_counter(void **state)
{
    struct rs_test_fixture *fx = *state;
    static struct rs_view live_view, v;
    struct harness_opts ho = { .scenario = "demo", .saved_cal = true, .unplug_at_s = 40,
                               .unplug_for_s = 3, .drop_at_s = 60, .view_at_end = &live_view };
    struct harness_result res;
    assert_int_equal(harness_record(fx->path, &ho, &res), 0);
    assert_int_equal(res.summary.lost, 3);
    assert_int_equal(live_view.frames_lost, 3);
    struct rs_replay *rp;
    char msg[512];
    assert_int_equal(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg), 0);
    while (rs_replay_next(rp, NULL) > 0) {
    }
    struct rs_summary sum;
    rs_session_summary(rs_replay_session(rp), &sum);
    assert_int_equal(sum.lost, 3);
    rs_session_view(rs_replay_session(rp), rs_replay_pos(rp), &v);
    assert_int_equal(v.frames_lost, 3);
    rs_replay_close(rp);
}

/* The report's figures come from the detectors: the same holds as live,
 * calibrated force, the pipeline's calf map; no "approximate" note. */
static void test_report_from_replay(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct harness_opts ho = { .scenario = "demo", .saved_cal = true };
    struct harness_result res;
    assert_int_equal(harness_record(fx->path, &ho, &res), 0);
    struct rs_replay *rp;
    char msg[512];
    assert_int_equal(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg), 0);
    static struct rs_report_data d;
    assert_int_equal(rs_report_from_replay(rp, &d, msg, sizeof msg), 0);
    int holds = res.summary.holds[RS_LEG_LEFT] + res.summary.holds[RS_LEG_RIGHT];
    assert_true(holds >= 3);
    assert_int_equal(d.nholds, holds);
    double longest = 0;
    for (size_t i = 0; i < d.nholds; i++) {
        assert_true(d.holds[i].end_s > d.holds[i].start_s);
        assert_true(d.holds[i].start_s >= 0 && d.holds[i].end_s <= d.duration_s + 1e-9);
        if (d.holds[i].end_s - d.holds[i].start_s > longest)
            longest = d.holds[i].end_s - d.holds[i].start_s;
    }
    assert_true(fabs(longest - res.summary.longest_hold_s) < 0.02);
    /* force in newtons: the highest bucket is near the live peak (%BW of 70 kg) */
    double fmax = 0;
    for (size_t b = 0; b < d.n; b++)
        if (isfinite(d.force_n[b]) && d.force_n[b] > fmax)
            fmax = d.force_n[b];
    double peak_n = res.summary.peak_bw_pct / 100 * 70 * 9.80665;
    assert_true(fmax > 0.9 * peak_n && fmax <= peak_n * 1.001);
    /* the calf map: the demo rolls the right calf most */
    double left = 0, right = 0;
    for (int b = 0; b < RS_REPORT_BINS; b++) {
        left += d.calf_map[RS_REPORT_LEFT][b];
        right += d.calf_map[RS_REPORT_RIGHT][b];
    }
    assert_true(right > 3 * left && right > 0);
    assert_non_null(strstr(d.note, "detectors"));
    assert_null(strstr(d.note, "raw counts"));
    assert_null(strstr(d.note, "approximat"));
    rs_replay_close(rp);
}

/* A file size limit in the middle of a session: the recorder stops with its
 * line, the status bar says REC OFF, the session (its pipeline) goes on to
 * the end, and what was committed replays. In a child: RLIMIT_FSIZE. */
static void test_disk_full(void **state)
{
    struct rs_test_fixture *fx = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { 256 * 1024, 256 * 1024 };
        setrlimit(RLIMIT_FSIZE, &rl);
        static struct rs_view v;
        static char line[512];
        struct harness_opts ho = { .scenario = "demo", .saved_cal = true, .view_at_end = &v,
                                   .error_line = line };
        struct harness_result res;
        harness_record(fx->path, &ho, &res); /* the close reports the failure: rc -1 */
        int bad = 0;
        if (!strstr(line, "recording stopped") || !strstr(line, "file size limit")) {
            fprintf(stderr, "line: %s\n", line);
            bad |= 1;
        }
        if (v.recording || !v.recording_failed) {
            fprintf(stderr, "view: recording %d failed %d; line %s\n", v.recording,
                    v.recording_failed, line);
            bad |= 2;
        }
        if (res.samples != 9936 || res.summary.holds[RS_LEG_RIGHT] != 3)
            bad |= 4; /* live went on to the end */
        _exit(bad);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    /* earlier data intact: it opens and replays */
    struct rs_replay *rp;
    char msg[512];
    assert_int_equal(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg), 0);
    uint64_t n = 0;
    while (rs_replay_next(rp, NULL) > 0)
        n++;
    assert_true(n > 100 && n < 9936);
    assert_null(rs_reader_damage_message(rs_replay_reader(rp)));
    rs_replay_close(rp);
}

static void test_clock(void **state)
{
    (void)state;
    struct rs_replay_clock c;
    rs_replay_clock_init(&c, 100.0, 1.0);
    static const struct {
        int speed_steps;     /* applied first */
        bool pause;          /* toggled */
        double wall_dt;      /* then advanced */
        double seek;         /* then seeked */
        double want_speed, want_pos;
    } steps[] = {
        { 0, false, 1.0, 0, 1.0, 1.0 },
        { +1, false, 1.0, 0, 2.0, 3.0 },
        { +10, false, 0.5, 0, 16.0, 11.0 },  /* clamped at 16x */
        { -20, false, 4.0, 0, 0.25, 12.0 },  /* clamped at 0.25x */
        { 0, true, 10.0, 0, 0.25, 12.0 },    /* paused: time stands */
        { 0, true, 4.0, -30, 0.25, 0.0 },    /* playing again, seek clamps at 0 */
        { +6, false, 1000, 0, 16.0, 100.0 }, /* clamps at the end */
        { 0, false, 1.0, +5, 16.0, 100.0 },
        { -3, false, -1.0, -12.5, 2.0, 87.5 }, /* a backwards wall clock is ignored */
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        rs_replay_clock_speed(&c, steps[i].speed_steps);
        if (steps[i].pause)
            c.paused = !c.paused;
        rs_replay_clock_advance(&c, steps[i].wall_dt);
        rs_replay_clock_seek(&c, steps[i].seek);
        assert_true(fabs(c.speed - steps[i].want_speed) < 1e-12);
        assert_true(fabs(c.pos_s - steps[i].want_pos) < 1e-9);
    }
    static const struct {
        double v;
        int ok;
    } speeds[] = { { 0.25, 0 }, { 0.5, 0 }, { 1, 0 }, { 2, 0 }, { 16, 0 },
                   { 0.125, -1 }, { 3, -1 }, { 32, -1 }, { 0, -1 }, { NAN, -1 } };
    for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++)
        assert_int_equal(rs_replay_speed_valid(speeds[i].v), speeds[i].ok);
    rs_replay_clock_init(&c, 10, 3); /* invalid speed: 1x */
    assert_true(c.speed == 1.0);
}

/* Files the reader refuses fail to open with its message; nothing leaks. */
static void test_open_errors(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct rs_replay *rp;
    char msg[512];
    assert_true(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg) < 0); /* missing */
    assert_non_null(strstr(msg, "cannot open"));
    FILE *f = fopen(fx->path, "wb");
    assert_non_null(f);
    fputs("this is not a database, just text long enough to have a header.......", f);
    fclose(f);
    assert_true(rs_replay_open(&rp, fx->path, NULL, msg, sizeof msg) < 0);
    assert_non_null(strstr(msg, "not a session file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock),
        cmocka_unit_test_setup_teardown(test_snapshot_round_trip, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_compare_equal, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_summary_equal, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_compare_tampered, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_seek, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_seek_view, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_lost_one_counter, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_view_is_live, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_report_from_replay, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, rs_test_fixture_setup, rs_test_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
