/*
 * test_record.c - the session library in-process: recorder -> file ->
 * reader round trip, batching, permissions, summary fallback, damaged files,
 * export round trip, and the small parsers. Fake clock throughout.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "rs_export.h"
#include "rs_jsonq.h"
#include "rs_record.h"
#include "rs_reader.h"
#include "rs_record_int.h"
#include "test_util.h"

#define T0_US 1763745656000000LL /* 2025-11-21T17:20:56Z */
#define DEV0_US 300000000u       /* device clock at the first sample of record_std */


/*
 * A standard session: n samples at 80 Hz with host time = T0 + device time
 * + 3 ms, a sequence gap of 5 after sample 100, one hold with start and end
 * events, a mark, an info frame and a fault frame.
 */
static void record_std(const char *path, uint32_t n, bool close_it)
{
    struct rs_rec *r;
    char err[256];
    assert_int_equal(rs_rec_open(&r, path, T0_US, 3600, err, sizeof err), 0);
    struct rs_cal cal = { .offset_left = 1000, .offset_right = -2000, .scale_left = 2189.8f,
                          .scale_right = 2200.5f, .radius_um = 68000, .enc_dir = 1 };
    memcpy(cal.serial, "RS0001", 6);
    assert_int_equal(rs_rec_meta_cal(r, &cal), 0);
    assert_int_equal(rs_rec_meta(r, "profile", "{\"body_mass_kg\":70}"), 0);
    struct rs_frame info = { .type = RS_FT_INFO };
    info.u.info.fw_major = 1;
    info.u.info.sample_rate_hz = 80;
    assert_int_equal(rs_rec_frame(r, T0_US, &info), 0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t seq = i >= 100 ? i + 5 : i;
        struct rs_frame f = rs_test_sample(seq);
        f.u.sample.t_us += DEV0_US; /* the device has been up for a while */
        int64_t host = T0_US + (int64_t)seq * 12500 + 3000;
        assert_int_equal(rs_rec_frame(r, host, &f), 0);
        if (i == 50)
            assert_int_equal(rs_rec_event(r, host, -1, "hold_start", "{\"leg\":\"left\"}"), 0);
        if (i == 150)
            assert_int_equal(rs_rec_event(r, host, -1, "hold_end",
                                          "{\"leg\":\"left\",\"duration_s\":18.5,"
                                          "\"peak_bw_pct\":41.2}"),
                             0);
        if (i == 160)
            assert_int_equal(rs_rec_mark(r, host, "tender, \"spot\""), 0);
        if (i == 170) {
            struct rs_frame fault = { .type = RS_FT_FAULT };
            fault.u.fault.code = RS_FAULT_MAGNET;
            fault.u.fault.active = 1;
            assert_int_equal(rs_rec_frame(r, host, &fault), 0);
        }
    }
    if (close_it)
        assert_int_equal(rs_rec_close(r, T0_US + (int64_t)n * 12500 + 100000, NULL), 0);
    else {
        assert_int_equal(rs_rec_flush(r), 0);
        /* leave without a summary: what a killed process leaves behind */
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        sqlite3_close(db);
        rs_rec_close(r, 0, "{}");
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "DELETE FROM meta WHERE key IN ('summary','ended')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
    }
}

static void test_round_trip(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_std(fx->path, 400, true);

    struct rs_reader *s;
    char msg[256];
    assert_int_equal(rs_reader_open(&s, fx->path, msg, sizeof msg), 0);
    assert_non_null(rs_reader_meta(s, "calibration"));
    assert_non_null(strstr(rs_reader_meta(s, "calibration"), "\"radius_um\":68000"));
    assert_non_null(strstr(rs_reader_meta(s, "software"), "\"format\":1"));
    struct rs_item it;
    uint32_t samples = 0, expect_seq = 0;
    int gaps = 0, events = 0, marks = 0, faults = 0, infos = 0;
    int64_t last_dev = -1;
    while (rs_reader_next(s, &it) > 0) {
        assert_true(it.dev_us >= last_dev);
        if (it.kind == RS_ITEM_FRAME) {
            /* the stored bytes are the frame: they parse to the same struct */
            struct rs_frame again;
            assert_int_equal(rs_frame_parse(it.raw, it.raw_len, &again), RS_DEC_OK);
            assert_int_equal(again.type, it.frame.type);
            if (again.type == RS_FT_SAMPLE) {
                assert_int_equal(again.u.sample.seq, it.frame.u.sample.seq);
                assert_int_equal(again.u.sample.left, it.frame.u.sample.left);
                assert_int_equal(again.u.sample.enc, it.frame.u.sample.enc);
            }
        }
        last_dev = it.dev_us;
        switch (it.kind) {
        case RS_ITEM_FRAME:
            if (it.frame.type == RS_FT_SAMPLE) {
                if (samples == 100) {
                    assert_int_equal(gaps, 1); /* the gap row comes before sample 105 */
                    expect_seq += 5;
                }
                struct rs_frame want = rs_test_sample(expect_seq);
                want.u.sample.t_us += DEV0_US;
                assert_memory_equal(&it.frame.u.sample, &want.u.sample, sizeof want.u.sample);
                assert_int_equal(it.dev_us, DEV0_US + (int64_t)expect_seq * 12500);
                assert_int_equal(it.host_us, T0_US + (int64_t)expect_seq * 12500 + 3000);
                samples++;
                expect_seq++;
            } else if (it.frame.type == RS_FT_FAULT) {
                assert_int_equal(samples, 171);
                faults++;
            } else if (it.frame.type == RS_FT_INFO) {
                assert_int_equal(samples, 0);
                infos++;
            }
            break;
        case RS_ITEM_GAP:
            assert_string_equal(it.type, "seq");
            assert_non_null(strstr(it.json, "\"lost\":5"));
            gaps++;
            break;
        case RS_ITEM_EVENT:
            assert_int_equal(samples, events == 0 ? 51 : 151);
            events++;
            break;
        case RS_ITEM_MARK:
            assert_non_null(strstr(it.json, "tender"));
            marks++;
            break;
        }
    }
    assert_int_equal(samples, 400);
    assert_int_equal(gaps, 1);
    assert_int_equal(events, 2);
    assert_int_equal(marks, 1);
    assert_int_equal(faults, 1);
    assert_int_equal(infos, 1);
    assert_null(rs_reader_damage_message(s));

    struct rs_reader_summary sum;
    rs_reader_summary(s, &sum);
    assert_true(sum.complete);
    assert_int_equal(sum.frames, 402);
    assert_int_equal(sum.holds[0], 1);
    assert_int_equal(sum.holds[1], 0);
    assert_true(fabs(sum.longest_hold_s - 18.5) < 1e-9);
    assert_true(fabs(sum.peak_bw_pct - 41.2) < 1e-9);
    assert_true(fabs(sum.duration_s - 404 * 0.0125) < 1e-9);
    assert_int_equal(sum.start_host_us, T0_US);
    assert_int_equal(sum.tz_offset_s, 3600);

    /* seek: the next frame is the first at or after the time */
    rs_reader_seek(s, DEV0_US + 200 * 12500 + 1);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.kind, RS_ITEM_FRAME);
    assert_int_equal(it.frame.u.sample.seq, 201);
    rs_reader_seek(s, 0);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.frame.type, RS_FT_INFO);
    rs_reader_close(s);
}

static void test_summary_fallback(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_std(fx->path, 300, false);
    struct rs_reader *s;
    char msg[256];
    assert_int_equal(rs_reader_open(&s, fx->path, msg, sizeof msg), 0);
    struct rs_reader_summary sum;
    rs_reader_summary(s, &sum);
    assert_false(sum.complete);
    assert_int_equal(sum.frames, 302);
    assert_int_equal(sum.holds[0], 1);
    assert_true(fabs(sum.longest_hold_s - 18.5) < 1e-9);
    assert_true(fabs(sum.peak_bw_pct - 41.2) < 1e-9);
    assert_true(fabs(sum.duration_s - 304 * 0.0125) < 1e-9);
    rs_reader_close(s);
}

static void test_permissions(void **state)
{
    struct rs_test_fixture *fx = *state;
    mode_t old = umask(0);
    char sub[512], path[700];
    snprintf(sub, sizeof sub, "%s/a/b/sessions", fx->dir);
    assert_int_equal(rs_rec_mkdirs(sub), 0);
    assert_int_equal(rs_rec_new_path(sub, T0_US, path, sizeof path), 0);
    struct rs_rec *r;
    assert_int_equal(rs_rec_open(&r, path, T0_US, 0, NULL, 0), 0);
    struct rs_frame f = rs_test_sample(0);
    assert_int_equal(rs_rec_frame(r, T0_US, &f), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char wal[760];
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(wal, sizeof wal, "%s/a/b", fx->dir);
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* never overwrites: a second open of the same path fails */
    struct rs_rec *r2;
    char err[256];
    assert_int_equal(rs_rec_open(&r2, path, T0_US, 0, err, sizeof err), RS_REC_EOPEN);
    assert_non_null(strstr(err, "exists"));
    /* a second name for the same second */
    char path2[700];
    assert_int_equal(rs_rec_new_path(sub, T0_US, path2, sizeof path2), 0);
    assert_string_not_equal(path, path2);
    assert_non_null(strstr(path2, "-2.rsession"));
    assert_int_equal(rs_rec_close(r, T0_US + 1000, NULL), 0);
    umask(old);
}

struct log_count {
    int gaps, events, marks;
    int64_t last_id;
    int ordered;
};

static void count_log(void *ctx, const struct rs_item *it)
{
    struct log_count *c = ctx;
    c->gaps += it->kind == RS_ITEM_GAP;
    c->events += it->kind == RS_ITEM_EVENT;
    c->marks += it->kind == RS_ITEM_MARK;
    c->ordered &= it->id > c->last_id;
    c->last_id = it->id;
}

static void test_log_only(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_std(fx->path, 300, true);
    struct rs_reader *s;
    assert_int_equal(rs_reader_open(&s, fx->path, NULL, 0), 0);
    struct rs_item it;
    assert_int_equal(rs_reader_next(s, &it), 1); /* position is not disturbed */
    struct log_count c = { 0, 0, 0, 0, 1 };
    assert_int_equal(rs_reader_log(s, count_log, &c), 4);
    assert_int_equal(c.gaps, 1);
    assert_int_equal(c.events, 2);
    assert_int_equal(c.marks, 1);
    assert_true(c.ordered);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.kind, RS_ITEM_FRAME);
    assert_int_equal(it.frame.u.sample.seq, 0);
    rs_reader_close(s);
}

static void test_parse_opt(void **state)
{
    (void)state;
    static const struct {
        const char *argv[3];
        int argc, want, next_i, enabled;
        const char *path;
    } cases[] = {
        { { "--record", "/x/s.rsession", NULL }, 2, 1, 1, 1, "/x/s.rsession" },
        { { "--no-record", NULL, NULL }, 1, 1, 0, 0, NULL },
        { { "--record", NULL, NULL }, 1, -1, 0, 1, NULL },
        { { "--seconds", "3", NULL }, 2, 0, 0, 1, NULL },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct rs_rec_opts o = { true, NULL };
        int i = 0;
        int rc = rs_rec_parse_opt(cases[k].argc, (char **)cases[k].argv, &i, &o);
        assert_int_equal(rc, cases[k].want);
        assert_int_equal(i, cases[k].next_i);
        assert_int_equal(o.enabled, cases[k].enabled);
        if (cases[k].path)
            assert_string_equal(o.path, cases[k].path);
        else
            assert_null(o.path);
    }
}

/* rs_rec_start: default place under XDG_DATA_HOME, directories 0700, file 0600. */
static void test_start_default(void **state)
{
    struct rs_test_fixture *fx = *state;
    char *oxdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char data[400], path[1024], err[512], dir[600];
    snprintf(data, sizeof data, "%s/data", fx->dir);
    setenv("XDG_DATA_HOME", data, 1);
    mode_t old = umask(022);
    struct rs_rec *r;
    assert_int_equal(rs_rec_start(&r, NULL, path, sizeof path, err, sizeof err), 0);
    snprintf(dir, sizeof dir, "%s/rollsense/sessions/", data);
    assert_memory_equal(path, dir, strlen(dir));
    assert_non_null(strstr(path, ".rsession"));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(dir, sizeof dir, "%s/rollsense", data);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* invalid event JSON is refused, valid accepted */
    assert_int_equal(rs_rec_event(r, T0_US, -1, "x", "not json"), RS_REC_EARG);
    assert_int_equal(rs_rec_event(r, T0_US, -1, "x", "{\"a\":1"), RS_REC_EARG);
    assert_int_equal(rs_rec_event(r, T0_US, -1, "x", "{\"a\":1}"), 0);
    assert_int_equal(rs_rec_close(r, T0_US, NULL), 0);
    /* --record PATH: that path, never overwritten */
    assert_int_equal(rs_rec_start(&r, path, NULL, 0, err, sizeof err), RS_REC_EOPEN);
    umask(old);
    if (oxdg) setenv("XDG_DATA_HOME", oxdg, 1); else unsetenv("XDG_DATA_HOME");
    free(oxdg);
}

static void test_session_dir(void **state)
{
    (void)state;
    static const struct {
        const char *xdg, *home, *want;
    } cases[] = {
        { "/x/data", "/home/u", "/x/data/rollsense/sessions" },
        { NULL, "/home/u", "/home/u/.local/share/rollsense/sessions" },
        { "relative/dir", "/home/u", "/home/u/.local/share/rollsense/sessions" },
        { "", "/home/u", "/home/u/.local/share/rollsense/sessions" },
    };
    char *oxdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *ohome = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].xdg)
            setenv("XDG_DATA_HOME", cases[i].xdg, 1);
        else
            unsetenv("XDG_DATA_HOME");
        setenv("HOME", cases[i].home, 1);
        char buf[256];
        assert_int_equal(rs_rec_session_dir(buf, sizeof buf), 0);
        assert_string_equal(buf, cases[i].want);
    }
    if (oxdg) setenv("XDG_DATA_HOME", oxdg, 1); else unsetenv("XDG_DATA_HOME");
    if (ohome) setenv("HOME", ohome, 1);
    free(oxdg);
    free(ohome);
}

/* Count committed frames through a second, independent connection. */
static int64_t committed_frames(const char *path)
{
    sqlite3 *db;
    int64_t n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM frames", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

static void test_commit_interval(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct rs_rec *r;
    assert_int_equal(rs_rec_open(&r, fx->path, T0_US, 0, NULL, 0), 0);
    /* 80 Hz frames while the host clock stands still (demo --fast, a busy
     * loop): commits as soon as the uncommitted samples span 100 ms of
     * device time, i.e. every 9 frames (0, 12.5, ..., 100 ms). */
    for (uint32_t i = 0; i < 100; i++) {
        struct rs_frame f = rs_test_sample(i);
        assert_int_equal(rs_rec_frame(r, T0_US, &f), 0);
        int64_t c = committed_frames(fx->path);
        assert_int_equal(c, 9 * ((i + 1) / 9));
        int64_t pending = (int64_t)(i + 1) - c;
        assert_true(pending >= 0 && (pending - 1) * 12500 < RS_REC_COMMIT_DEV_US);
    }
    struct rs_rec_stats st;
    rs_rec_get_stats(r, &st);
    assert_int_equal(st.commits, 1 + 11); /* setup + one per 9 frames */
    assert_int_equal(rs_rec_close(r, T0_US, NULL), 0);
}

/* The device-time trigger on its boundary: a span of COMMIT_DEV_US - 1 us
 * does not commit, COMMIT_DEV_US does. */
static void test_commit_dev_boundary(void **state)
{
    struct rs_test_fixture *fx = *state;
    static const struct {
        int64_t span_us;
        int64_t want_committed;
    } cases[] = {
        { RS_REC_COMMIT_DEV_US - 1, 0 },
        { RS_REC_COMMIT_DEV_US, 2 },
        { RS_REC_COMMIT_DEV_US + 1, 2 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char p[640];
        snprintf(p, sizeof p, "%s/b%zu.rsession", fx->dir, k);
        struct rs_rec *r;
        assert_int_equal(rs_rec_open(&r, p, T0_US, 0, NULL, 0), 0);
        struct rs_frame f = rs_test_sample(0);
        assert_int_equal(rs_rec_frame(r, T0_US, &f), 0);
        struct rs_frame g = rs_test_sample(1);
        g.u.sample.t_us = f.u.sample.t_us + (uint32_t)cases[k].span_us;
        assert_int_equal(rs_rec_frame(r, T0_US, &g), 0);
        assert_int_equal(committed_frames(p), cases[k].want_committed);
        assert_int_equal(rs_rec_close(r, T0_US, NULL), 0);
    }
}

/* Without new samples the live loop's tick commits by host time. */
static void test_commit_tick(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct rs_rec *r;
    assert_int_equal(rs_rec_open(&r, fx->path, T0_US, 0, NULL, 0), 0);
    struct rs_frame f = rs_test_sample(0);
    assert_int_equal(rs_rec_frame(r, T0_US + 12500, &f), 0);
    assert_int_equal(committed_frames(fx->path), 0);
    assert_int_equal(rs_rec_tick(r, T0_US + RS_REC_COMMIT_US - 1), 0);
    assert_int_equal(committed_frames(fx->path), 0);
    assert_int_equal(rs_rec_tick(r, T0_US + RS_REC_COMMIT_US), 0);
    assert_int_equal(committed_frames(fx->path), 1);
    struct rs_rec_stats st;
    rs_rec_get_stats(r, &st);
    assert_int_equal(st.committed_frames, 1);
    assert_int_equal(st.last_committed_dev_us, rs_test_sample(0).u.sample.t_us);
    assert_int_equal(rs_rec_close(r, T0_US + RS_REC_COMMIT_US, NULL), 0);
}

/* The syncer: a sync that never returns (a disk that hangs) does not hold
 * up a single commit; the commits are made durable once it returns. */
struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool open;
    int entered;
};

static int blocking_sync(void *ctx, int fd)
{
    (void)fd;
    struct gate *g = ctx;
    pthread_mutex_lock(&g->mu);
    g->entered++;
    while (!g->open)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
    return 0;
}

static void test_sync_never_blocks_commits(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct rs_rec *r;
    assert_int_equal(rs_rec_open(&r, fx->path, T0_US, 0, NULL, 0), 0);
    struct gate g = { .open = false };
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    rs_rec_set_sync_hook(r, blocking_sync, &g);
    struct rs_rec_stats st0, st;
    rs_rec_get_stats(r, &st0);
    /* 25 s of frames; the sync blocks from its first call on. */
    for (uint32_t i = 0; i < 2000; i++) {
        struct rs_frame f = rs_test_sample(i);
        assert_int_equal(rs_rec_frame(r, T0_US + (int64_t)i * 12500, &f), 0);
    }
    rs_rec_get_stats(r, &st);
    assert_int_equal(st.commits - st0.commits, 2000 / 9);
    assert_int_equal(st.committed_frames, 9 * (2000 / 9));
    assert_true(st.synced_commits <= st0.commits + 1); /* the syncer is stuck... */
    assert_int_equal(committed_frames(fx->path), 9 * (2000 / 9)); /* ...yet all is committed */
    pthread_mutex_lock(&g.mu);
    g.open = true;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    assert_int_equal(rs_rec_close(r, T0_US + 2000 * 12500, NULL), 0); /* waits for the syncs */
    assert_true(g.entered >= 1);
    pthread_cond_destroy(&g.cv);
    pthread_mutex_destroy(&g.mu);
}

static void test_clock_wrap_and_reset(void **state)
{
    struct rs_test_fixture *fx = *state;
    struct rs_rec *r;
    assert_int_equal(rs_rec_open(&r, fx->path, T0_US, 0, NULL, 0), 0);
    /* t_us wraps at 2^32: unwrapped time keeps increasing */
    uint32_t t = 0xFFFFFFFFu - 20000u;
    for (uint32_t i = 0; i < 4; i++) {
        struct rs_frame f = rs_test_sample(i);
        f.u.sample.t_us = t + i * 12500u;
        assert_int_equal(rs_rec_frame(r, T0_US + i * 12500, &f), 0);
    }
    /* device restart: seq and clock back to zero, 2 s of host time after
     * the last sample (T0 + 3 periods); then a restart at the same host
     * instant (the wall clock may even step back): one period. */
    struct rs_frame f = rs_test_sample(0);
    assert_int_equal(rs_rec_frame(r, T0_US + 3 * 12500 + 2000000, &f), 0);
    f = rs_test_sample(0);
    assert_int_equal(rs_rec_frame(r, T0_US + 3 * 12500 + 2000000 - 5000, &f), 0);
    /* a seq gap: 4 frames lost, 62.5 ms of device time */
    f = rs_test_sample(5);
    f.u.sample.t_us = 5 * 12500;
    assert_int_equal(rs_rec_frame(r, T0_US + 3 * 12500 + 2000000 + 62500, &f), 0);
    /* a restart 3.5 periods after it: rounds to 4 periods, 3 missed */
    f = rs_test_sample(0);
    assert_int_equal(rs_rec_frame(r, T0_US + 3 * 12500 + 2000000 + 62500 + 43750, &f), 0);
    struct rs_rec_stats rst;
    rs_rec_get_stats(r, &rst);
    assert_int_equal(rst.gaps, 4);
    assert_int_equal(rst.lost, 4);   /* the seq gap's; a reset's estimate is not counted */
    assert_int_equal(rs_rec_close(r, T0_US + 3 * 12500 + 2100000, NULL), 0);

    struct rs_reader *s;
    assert_int_equal(rs_reader_open(&s, fx->path, NULL, 0), 0);
    struct rs_item it;
    int64_t want[] = { (int64_t)t, (int64_t)t + 12500, (int64_t)t + 25000, (int64_t)t + 37500 };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(rs_reader_next(s, &it), 1);
        assert_int_equal(it.kind, RS_ITEM_FRAME);
        assert_int_equal(it.dev_us, want[i]);
    }
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.kind, RS_ITEM_GAP);
    assert_string_equal(it.type, "reset");
    /* the outage keeps its host-time length: 2 s = 160 periods, 159 missed */
    assert_string_equal(it.json, "{\"reason\":\"reset\",\"lost\":159,\"seconds\":2.000,\"seq\":0}");
    assert_int_equal(it.dev_us, want[3] + 2000000);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.kind, RS_ITEM_FRAME);
    assert_int_equal(it.dev_us, want[3] + 2000000);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_string_equal(it.type, "reset");
    assert_string_equal(it.json, "{\"reason\":\"reset\",\"lost\":0,\"seconds\":0.013,\"seq\":0}");
    assert_int_equal(it.dev_us, want[3] + 2000000 + 12500);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.kind, RS_ITEM_FRAME);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_string_equal(it.type, "seq");
    assert_string_equal(it.json, "{\"reason\":\"seq\",\"lost\":4,\"seconds\":0.062,"
                                 "\"from_seq\":1,\"to_seq\":4}");
    assert_int_equal(it.dev_us, want[3] + 2000000 + 12500 + 62500);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_int_equal(it.kind, RS_ITEM_FRAME);
    assert_int_equal(rs_reader_next(s, &it), 1);
    assert_string_equal(it.json, "{\"reason\":\"reset\",\"lost\":3,\"seconds\":0.044,\"seq\":0}");
    assert_int_equal(it.dev_us, want[3] + 2000000 + 12500 + 62500 + 43750);
    rs_reader_close(s);
}

/* ---- damaged files --------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *e = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &e);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, e);
    sqlite3_close(db);
}

/* Read everything; return the number of sample frames. */
static int drain(struct rs_reader *s)
{
    struct rs_item it;
    int n = 0;
    while (rs_reader_next(s, &it) > 0)
        n += it.kind == RS_ITEM_FRAME && it.frame.type == RS_FT_SAMPLE;
    return n;
}

static void test_open_errors(void **state)
{
    struct rs_test_fixture *fx = *state;
    char p[600], msg[512];
    struct rs_reader *s;
    static const struct {
        const char *name;
        const char *content; /* NULL: make it with SQL below */
        const char *sql;
        int want;
        const char *words;
    } cases[] = {
        { "missing", NULL, NULL, RS_READER_ENOENT, "cannot open" },
        { "empty", "", NULL, RS_READER_EEMPTY, "before anything was committed" },
        { "text", "hello, this is not a database at all, just some text......", NULL,
          RS_READER_ENOTDB, "not an SQLite database" },
        { "otherapp", NULL, "CREATE TABLE t(x);", RS_READER_ENOTSESS, "another application" },
        { "newer", NULL, "PRAGMA user_version=7;", RS_READER_EVERSION, "v7 is newer" },
        { "zero", NULL, "PRAGMA user_version=0;", RS_READER_EVERSION, "v0 is invalid" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(p, sizeof p, "%s/%s.rsession", fx->dir, cases[i].name);
        if (cases[i].content) {
            write_file(p, cases[i].content, strlen(cases[i].content));
        } else if (cases[i].sql && strstr(cases[i].sql, "CREATE")) {
            exec_sql(p, cases[i].sql);
        } else if (cases[i].sql) {
            record_std(p, 10, true);
            exec_sql(p, cases[i].sql);
        }
        msg[0] = '\0';
        int rc = rs_reader_open(&s, p, msg, sizeof msg);
        if (rc != cases[i].want || !strstr(msg, cases[i].words))
            fail_msg("case %s: rc %d, message '%s'", cases[i].name, rc, msg);
        assert_null(strchr(msg, '\n'));
    }
}

static void test_bit_flip_in_frame(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_std(fx->path, 200, true);
    /* flip one bit in the stored bytes of three sample frames */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    static const int ids[] = { 10, 11, 50 };
    for (int k = 0; k < 3; k++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT raw FROM frames WHERE id = ?", -1, &st,
                                            NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, ids[k]);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        unsigned char raw[64];
        int n = sqlite3_column_bytes(st, 0);
        assert_true(n > 12 && n <= 64);
        memcpy(raw, sqlite3_column_blob(st, 0), (size_t)n);
        sqlite3_finalize(st);
        raw[4 + k] ^= (unsigned char)(1u << k);
        assert_int_equal(sqlite3_prepare_v2(db, "UPDATE frames SET raw = ? WHERE id = ?", -1,
                                            &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_blob(st, 1, raw, n, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 2, ids[k]);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    struct rs_reader *s;
    char msg[512];
    assert_int_equal(rs_reader_open(&s, fx->path, msg, sizeof msg), 0);
    assert_int_equal(drain(s), 197);
    const char *m = rs_reader_damage_message(s);
    assert_non_null(m);
    assert_non_null(strstr(m, "3 frames failed the checksum"));
    /* reading again (replay, report's two passes) does not count them twice */
    rs_reader_seek(s, INT64_MIN);
    assert_int_equal(drain(s), 197);
    assert_non_null(strstr(rs_reader_damage_message(s), "3 frames failed the checksum"));
    rs_reader_close(s);
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/*
 * Truncation and random page damage: whatever the damage, open either fails
 * with a one-line message or succeeds, every read returns, and what is read
 * is a prefix-consistent subset of what was written.
 */
static void test_truncated_and_scrambled(void **state)
{
    struct rs_test_fixture *fx = *state;
    char src[600];
    snprintf(src, sizeof src, "%s/src.rsession", fx->dir);
    record_std(src, 3000, true);
    exec_sql(src, "PRAGMA journal_mode=DELETE;"); /* one self-contained file */
    long size = file_size(src);
    assert_true(size > 8192);
    FILE *f = fopen(src, "rb");
    assert_non_null(f);
    unsigned char *img = malloc((size_t)size);
    assert_int_equal(fread(img, 1, (size_t)size, f), (size_t)size);
    fclose(f);

    unsigned seed = 12345;
    int opened = 0, partial = 0;
    for (int round = 0; round < 60; round++) {
        char p[640];
        snprintf(p, sizeof p, "%s/d%d.rsession", fx->dir, round);
        long n = size;
        unsigned char *copy = malloc((size_t)size);
        memcpy(copy, img, (size_t)size);
        if (round < 20) {
            n = size * (round + 1) / 21; /* truncated */
        } else {
            for (int k = 0; k < 1 + round % 8; k++) { /* bit flips anywhere but the header */
                seed = seed * 1103515245u + 12345u;
                long at = 100 + (long)(seed % (unsigned)(size - 100));
                copy[at] ^= (unsigned char)(1u << (seed >> 16) % 8);
            }
        }
        write_file(p, copy, (size_t)n);
        free(copy);
        struct rs_reader *s;
        char msg[512];
        if (rs_reader_open(&s, p, msg, sizeof msg) != 0) {
            if (getenv("RS_TEST_VERBOSE"))
                print_message("round %d: %s\n", round, msg);
            assert_null(strchr(msg, '\n'));
            assert_true(strlen(msg) > 10);
            continue;
        }
        opened++;
        int got = drain(s);
        if (getenv("RS_TEST_VERBOSE"))
            print_message("round %d: %d frames; %s\n", round, got,
                          rs_reader_damage_message(s) ? rs_reader_damage_message(s) : "-");
        assert_true(got >= 0 && got <= 3000);
        if (round < 20) {
            assert_non_null(rs_reader_damage_message(s));
            assert_non_null(strstr(rs_reader_damage_message(s), "truncated ("));
            assert_true(round < 2 || got > 0); /* the rest is shown */
        }
        /* Lost frames are not always reported: a flip in a page SQLite
         * does not checksum can hide rows without an error. */
        if (got < 3000)
            partial++;
        struct rs_reader_summary sum;
        rs_reader_summary(s, &sum);
        rs_reader_close(s);
        unlink(p);
    }
    free(img);
    print_message("damaged files: %d of 60 opened, %d with frames missing\n", opened, partial);
    assert_true(opened > 0);
}

/* Open PATH, or the image of N bytes from it with PATH as its name; read it
 * all. The result code, the samples read and the damage message ("" none). */
struct open_result {
    int rc, samples;
    char msg[512], damage[640];
};

static void open_both(const char *path, const unsigned char *img, size_t n, bool mem,
                      struct open_result *r)
{
    struct rs_reader *s;
    memset(r, 0, sizeof *r);
    r->rc = mem ? rs_reader_open_mem(&s, path, img, n, r->msg, sizeof r->msg)
                : rs_reader_open(&s, path, r->msg, sizeof r->msg);
    if (r->rc != 0)
        return;
    r->samples = drain(s);
    const char *d = rs_reader_damage_message(s);
    snprintf(r->damage, sizeof r->damage, "%s", d ? d : "");
    rs_reader_close(s);
}

/*
 * A session image read from memory reads as the same file read from disk:
 * whole, cut short at several places (the truncation is measured against
 * the image's size), empty and not a database, with the same messages.
 */
static void test_open_mem_same_as_file(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_std(fx->path, 3000, true);
    exec_sql(fx->path, "PRAGMA journal_mode=DELETE;"); /* one self-contained file */
    long size = file_size(fx->path);
    unsigned char *img = malloc((size_t)size);
    FILE *f = fopen(fx->path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(img, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    const long cuts[] = { size, size * 3 / 4, size / 2, size / 9, 60, 0 };
    char p[600];
    snprintf(p, sizeof p, "%s/cut.rsession", fx->dir);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_file(p, img, (size_t)cuts[i]);
        struct open_result disk, mem;
        open_both(p, img, (size_t)cuts[i], false, &disk);
        open_both(p, img, (size_t)cuts[i], true, &mem);
        if (disk.rc != mem.rc || disk.samples != mem.samples || strcmp(disk.msg, mem.msg) != 0 ||
            strcmp(disk.damage, mem.damage) != 0)
            fail_msg("%ld bytes: file rc %d, %d samples, '%s' '%s'; memory rc %d, %d samples, "
                     "'%s' '%s'",
                     cuts[i], disk.rc, disk.samples, disk.msg, disk.damage, mem.rc, mem.samples,
                     mem.msg, mem.damage);
        if (i == 0)
            assert_true(mem.rc == 0 && mem.samples == 3000 && mem.damage[0] == '\0');
        if (i == 2)
            assert_non_null(strstr(mem.damage, "truncated ("));
        if (cuts[i] == 0)
            assert_int_equal(mem.rc, RS_READER_EEMPTY);
        unlink(p);
    }
    free(img);
}

/* ---- export ------------------------------------------------------------ */

/* Parse "YYYY-MM-DDTHH:MM:SS.ffffff+hh:mm" back to microseconds since 1970. */
static int64_t parse_iso(const char *s)
{
    int Y, M, D, h, m, sec, oh, om;
    long us;
    char sign;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%6ld%c%2d:%2d", &Y, &M, &D, &h, &m, &sec, &us, &sign,
               &oh, &om) != 10)
        return INT64_MIN;
    struct tm tm = { .tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h,
                     .tm_min = m, .tm_sec = sec };
    int64_t t = (int64_t)timegm(&tm);
    int off = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    return (t - off) * 1000000 + us;
}

/* Split one CSV line (with RFC 4180 quotes) into fields, in place. */
static int csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line, *w;
    while (n < max) {
        fields[n++] = w = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else if (!*p) {
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else {
            while (*p && *p != ',' && *p != '\n')
                *w++ = *p++;
        }
        char c = *p;
        *w = '\0';
        if (c != ',')
            break;
        p++;
    }
    return n;
}

static int fake_newtons(void *ctx, const struct rs_item *it, double *v)
{
    (void)ctx;
    v[0] = it->frame.u.sample.left / 2189.8;
    v[1] = it->frame.u.sample.right / 2189.8;
    return it->frame.u.sample.seq == 7; /* one row with empty cells */
}

static void test_export_round_trip(void **state)
{
    struct rs_test_fixture *fx = *state;
    record_std(fx->path, 500, true);
    struct rs_reader *s;
    char msg[512], out[600];
    assert_int_equal(rs_reader_open(&s, fx->path, msg, sizeof msg), 0);
    snprintf(out, sizeof out, "%s/export", fx->dir);
    static const char *const hdr[] = { "left_N", "right_N" };
    struct rs_export_columns extra = { 2, hdr, 3, fake_newtons, NULL };
    struct rs_export_stats st;
    assert_int_equal(rs_export_csv(s, fx->path, out, &extra, &st, msg, sizeof msg), 0);
    assert_int_equal(st.samples, 500);
    assert_int_equal(st.events, 1 + 2 + 1 + 1 + 1); /* gap, 2 events, mark, info, fault */

    /* samples.csv reloads to the stored values */
    char p[700], line[1024];
    snprintf(p, sizeof p, "%s/samples.csv", out);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, RS_EXPORT_SAMPLES_HEADER ",left_N,right_N\n");
    rs_reader_seek(s, INT64_MIN);
    struct rs_item it;
    int rows = 0;
    int64_t t0 = -1;
    while (rs_reader_next(s, &it) > 0) {
        if (it.kind != RS_ITEM_FRAME)
            continue;
        if (it.frame.type != RS_FT_SAMPLE)
            continue;
        if (t0 < 0)
            t0 = it.dev_us;
        assert_non_null(fgets(line, sizeof line, f));
        char *fl[12];
        assert_int_equal(csv_split(line, fl, 12), 10);
        assert_int_equal(parse_iso(fl[0]), it.host_us);
        assert_non_null(strstr(fl[0], "+01:00"));
        assert_int_equal(llround(strtod(fl[1], NULL) * 1e6), it.dev_us - t0);
        const struct rs_sample *x = &it.frame.u.sample;
        assert_int_equal(strtoul(fl[2], NULL, 10), x->seq);
        assert_int_equal(strtoul(fl[3], NULL, 10), x->t_us);
        assert_int_equal(strtol(fl[4], NULL, 10), x->left);
        assert_int_equal(strtol(fl[5], NULL, 10), x->right);
        assert_int_equal(strtol(fl[6], NULL, 10), x->enc);
        assert_int_equal(strtoul(fl[7], NULL, 10), x->status);
        if (x->seq == 7) {
            assert_string_equal(fl[8], "");
        } else {
            assert_true(fabs(strtod(fl[8], NULL) - x->left / 2189.8) <= 0.0005);
        }
        rows++;
    }
    assert_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_int_equal(rows, 500);

    /* events.csv: quoted JSON survives the round trip */
    snprintf(p, sizeof p, "%s/events.csv", out);
    f = fopen(p, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, RS_EXPORT_EVENTS_HEADER "\n");
    int found_mark = 0, found_end = 0;
    while (fgets(line, sizeof line, f)) {
        char *fl[6];
        assert_int_equal(csv_split(line, fl, 6), 5);
        assert_true(parse_iso(fl[0]) > T0_US - 1);
        if (!strcmp(fl[2], "mark")) {
            assert_string_equal(fl[4], "{\"label\":\"tender, \\\"spot\\\"\"}");
            found_mark = 1;
        }
        if (!strcmp(fl[3], "hold_end")) {
            double d;
            assert_true(rs_jsonq_num(fl[4], "duration_s", &d));
            assert_true(fabs(d - 18.5) < 1e-9);
            found_end = 1;
        }
    }
    fclose(f);
    assert_true(found_mark && found_end);

    /* summary.json is one valid object with the snapshot */
    snprintf(p, sizeof p, "%s/summary.json", out);
    f = fopen(p, "r");
    assert_non_null(f);
    static char js[16384];
    size_t n = fread(js, 1, sizeof js - 1, f);
    js[n] = '\0';
    fclose(f);
    assert_true(rs_jsonq_valid(js));
    assert_non_null(strstr(js, "\"radius_um\":68000"));
    assert_non_null(strstr(js, "\"holds_left\":1"));
    rs_reader_close(s);
}

/* ---- small parsers ------------------------------------------------------ */

static void test_jsonq(void **state)
{
    (void)state;
    static const struct {
        const char *json, *key;
        int found;
        double num;
    } nums[] = {
        { "{\"a\":1.5}", "a", 1, 1.5 },
        { " { \"x\" : \"a}\" , \"a\" : -2e3 } ", "a", 1, -2000 },
        { "{\"n\":{\"a\":1},\"a\":2}", "a", 1, 2 },      /* nested key does not match */
        { "{\"n\":[1,{\"a\":3}],\"b\":2}", "a", 0, 0 },
        { "{\"a\":\"1\"}", "a", 0, 0 },                 /* a string is not a number */
        { "{\"a\":null}", "a", 0, 0 },
        { "{\"a\":1", "a", 1, 1 },                       /* truncated after the value */
        { "{\"a", "a", 0, 0 },
        { "[1,2]", "a", 0, 0 },
        { "", "a", 0, 0 },
        { "{\"a\":-nan}", "a", 0, 0 },
        { "{\"b\":\"\\\"\",\"a\":4}", "a", 1, 4 },
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        double v = 0;
        int got = rs_jsonq_num(nums[i].json, nums[i].key, &v);
        if (got != nums[i].found || (got && v != nums[i].num))
            fail_msg("case %zu '%s': got %d %g", i, nums[i].json, got, v);
    }
    char s[8];
    assert_int_equal(rs_jsonq_str("{\"leg\":\"left\"}", "leg", s, sizeof s), 1);
    assert_string_equal(s, "left");
    assert_int_equal(rs_jsonq_str("{\"leg\":\"a\\u0041\\n\"}", "leg", s, sizeof s), 1);
    assert_string_equal(s, "aA\n");
    assert_int_equal(rs_jsonq_str("{\"leg\":\"abcdefghijkl\"}", "leg", s, sizeof s), 1);
    assert_string_equal(s, "abcdefg");
    assert_int_equal(rs_jsonq_str("{\"leg\":\"abc", "leg", s, sizeof s), 0);
    assert_true(rs_jsonq_valid("{\"a\":[1,{\"b\":\"]\"}]} "));
    assert_false(rs_jsonq_valid("{\"a\":[1,2}"));
    assert_false(rs_jsonq_valid("{\"a\":1} x"));
    assert_false(rs_jsonq_valid("12"));
}

static void test_iso8601(void **state)
{
    (void)state;
    static const struct {
        int64_t us;
        int tz;
        const char *want;
    } cases[] = {
        { 0, 0, "1970-01-01T00:00:00.000000+00:00" },
        { T0_US + 250000, 3600, "2025-11-21T18:20:56.250000+01:00" },
        { T0_US, -(5 * 3600 + 30 * 60), "2025-11-21T11:50:56.000000-05:30" },
        { -1, 0, "1969-12-31T23:59:59.999999+00:00" },
        { T0_US, 99 * 3600, "2025-11-21T17:20:56.000000+00:00" }, /* absurd offset: UTC */
        /* Years 0000..9999 on their boundaries; beyond them, and at the
         * int64 extremes (no signed overflow under UBSan), "invalid". */
        { -62167219200LL * 1000000, 0, "0000-01-01T00:00:00.000000+00:00" },
        { -62167219200LL * 1000000 - 1, 0, "invalid" },
        { 253402300799LL * 1000000 + 999999, 0, "9999-12-31T23:59:59.999999+00:00" },
        { 253402300800LL * 1000000, 0, "invalid" },
        { INT64_MIN, 0, "invalid" },
        { INT64_MIN, -18 * 3600, "invalid" },
        { INT64_MAX, 18 * 3600, "invalid" },
        { INT64_MIN + 1, 0, "invalid" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        assert_string_equal(rs_iso8601(cases[i].us, cases[i].tz, buf, sizeof buf), cases[i].want);
    }
}

/* Numbers from a stored summary are clamped to what can be true. */
static void test_summary_clamped(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        double hold, peak, dur;
    } cases[] = {
        { "{\"longest_hold_s\":1e308,\"peak_bw_pct\":1e308,\"duration_s\":1e308}", 3.2e8, 10000, 3.2e8 },
        { "{\"longest_hold_s\":-5,\"peak_bw_pct\":-1,\"duration_s\":-1e308}", 0, 0, 0 },
        { "{\"longest_hold_s\":18.5,\"peak_bw_pct\":41.2,\"duration_s\":180}", 18.5, 41.2, 180 },
        { "{\"longest_hold_s\":320000000,\"peak_bw_pct\":10000,\"duration_s\":0}", 3.2e8, 10000, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rs_reader_summary s;
        memset(&s, 0, sizeof s);
        rs_summary_parse(cases[i].json, &s);
        assert_float_equal(s.longest_hold_s, cases[i].hold, 1e-9);
        assert_float_equal(s.peak_bw_pct, cases[i].peak, 1e-9);
        assert_float_equal(s.duration_s, cases[i].dur, 1e-9);
        char buf[1024];
        assert_non_null(rs_reader_summary_json(&s, buf, sizeof buf));
        assert_true(strlen(buf) < 400); /* never 309 digits */
    }
}

static void copy_file(const char *from, const char *to)
{
    FILE *f = fopen(from, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf, f);
    assert_true(n < sizeof buf);
    fclose(f);
    write_file(to, buf, n);
}

/* N samples, 12.5 ms apart from T0_US, into an open recorder. */
static void record_samples(struct rs_rec *r, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        struct rs_frame f = rs_test_sample(i);
        assert_int_equal(rs_rec_frame(r, T0_US + (int64_t)i * 12500, &f), 0);
    }
}

/* The SQLite header's database size in pages (offset 28, big-endian). */
static void set_header_pages(const char *path, uint32_t pages)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    unsigned char be[4] = { (unsigned char)(pages >> 24), (unsigned char)(pages >> 16),
                            (unsigned char)(pages >> 8), (unsigned char)pages };
    assert_int_equal(fseek(f, 28, SEEK_SET), 0);
    assert_int_equal(fwrite(be, 1, 4, f), 4);
    fclose(f);
}

/*
 * A recorder that ran until the disk filled: a checkpoint wrote the main
 * file's header (page count N) but not the pages after it; those pages are
 * still in the -wal file. The reader counts the WAL's committed pages as
 * present: every committed frame reads back and there is no damage message.
 * Without the -wal file the same main file is truncated, and says so.
 */
static void test_wal_pages_present(void **state)
{
    struct rs_test_fixture *fx = *state;
    char src[600], p[640], side[660], sside[660];
    snprintf(src, sizeof src, "%s/live.rsession", fx->dir);
    snprintf(p, sizeof p, "%s/full.rsession", fx->dir);
    struct rs_rec *r;
    char err[256];
    assert_int_equal(rs_rec_open(&r, src, T0_US, 0, err, sizeof err), 0);
    record_samples(r, 3000);
    assert_int_equal(rs_rec_flush(r), 0);
    /* The size SQLite sees (through the WAL) while the recorder still runs. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(src, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    uint32_t pages = (uint32_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* What the killed process leaves: the main file and its -wal. */
    copy_file(src, p);
    snprintf(sside, sizeof sside, "%s-wal", src);
    snprintf(side, sizeof side, "%s-wal", p);
    copy_file(sside, side);
    rs_rec_close(r, T0_US, NULL);
    long main_size = file_size(p);
    assert_true((long)pages * 4096 > main_size); /* the main file alone is short */
    set_header_pages(p, pages);

    struct rs_reader *s;
    char msg[512];
    assert_int_equal(rs_reader_open(&s, p, msg, sizeof msg), 0);
    assert_int_equal(drain(s), 3000);
    assert_null(rs_reader_damage_message(s));
    rs_reader_close(s);

    /* The WAL cut in its last frame: intact up to the commit before. */
    long wal_size = file_size(side);
    assert_int_equal(truncate(side, wal_size - 100), 0);
    snprintf(sside, sizeof sside, "%s-shm", p);
    unlink(sside);
    assert_int_equal(rs_reader_open(&s, p, msg, sizeof msg), 0);
    int got = drain(s);
    assert_true(got > 0 && got < 3000);
    assert_null(rs_reader_damage_message(s));
    rs_reader_close(s);

    /* The same main file without its WAL: the pages really are missing. */
    unlink(side);
    unlink(sside);
    int rc = rs_reader_open(&s, p, msg, sizeof msg);
    if (rc == 0) {
        assert_non_null(rs_reader_damage_message(s));
        assert_non_null(strstr(rs_reader_damage_message(s), "truncated ("));
        rs_reader_close(s);
    } else {
        assert_int_equal(rc, RS_READER_EEMPTY); /* nothing was ever checkpointed */
    }
}

/*
 * A header claiming the largest page count (2^32 - 1 pages of 4 KiB) over a
 * whole, small session: the reader counts the pages past the file at once
 * (a page-by-page count took seconds and hung the fuzzer) and reports exactly
 * what the header claims is missing; the frames that exist still read back.
 */
static void test_huge_page_count(void **state)
{
    struct rs_test_fixture *fx = *state;
    char p[600];
    snprintf(p, sizeof p, "%s/huge.rsession", fx->dir);
    struct rs_rec *r;
    char err[256];
    assert_int_equal(rs_rec_open(&r, p, T0_US, 0, err, sizeof err), 0);
    record_samples(r, 100);
    assert_int_equal(rs_rec_close(r, T0_US + 100 * 12500, NULL), 0);
    long size = file_size(p);
    set_header_pages(p, 0xffffffffu);
    struct rs_reader *s;
    char msg[512];
    assert_int_equal(rs_reader_open(&s, p, msg, sizeof msg), 0);
    assert_int_equal(drain(s), 100);
    char want[64];
    unsigned long long missing = 4096ULL * 0xffffffffULL - (unsigned long long)size;
    snprintf(want, sizeof want, "truncated (%llu KiB missing", (missing + 1023) / 1024);
    assert_non_null(strstr(rs_reader_damage_message(s), want));
    rs_reader_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_summary_fallback, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_permissions, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test(test_session_dir),
        cmocka_unit_test_setup_teardown(test_log_only, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test(test_parse_opt),
        cmocka_unit_test_setup_teardown(test_start_default, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_commit_interval, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_commit_dev_boundary, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_commit_tick, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sync_never_blocks_commits, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_clock_wrap_and_reset, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bit_flip_in_frame, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_and_scrambled, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_wal_pages_present, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_huge_page_count, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_open_mem_same_as_file, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_export_round_trip, rs_test_fixture_setup, rs_test_fixture_teardown),
        cmocka_unit_test(test_jsonq),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_summary_clamped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
