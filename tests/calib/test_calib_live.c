/*
 * test_calib_live.c - calibration applied at once, from a running session
 * (issue 9): the window's wizard (rs_livecal) in a demo session, headless
 * and in emulated time. Simulated roller -> source link -> rs_conn ->
 * rs_session, the wizard driven through its API with the loads of a
 * scenario (empty, then a 10 kg mass at the left end, the centre, the right
 * end and a check spot).
 *
 * The roller starts with a saved block whose scales are 5 % too high, so
 * the session shows 1/1.05 of the true force; after the wizard the block on
 * the roller is replaced (SET_CAL, SAVE_CAL, read-back) and the very next
 * samples of the same load read 1.05 times as much, without a restart.
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

#include "rs_calstore.h"
#include "rs_caldev.h"
#include "rs_defaults.h"
#include "rs_livecal.h"
#include "rs_profiles.h"
#include "rs_simroller.h"

/* 10 kg: empty 0-5 s, then 6 s at each spot (x: mm from the centre). */
static const char *SCN =
    "name calwin\n"
    "seed 7\n"
    "offset 1200 -800\n"
    "rest 5 force=0\n"
    "rest 6 force=98.0665 x=-150\n"
    "rest 6 force=98.0665 x=0\n"
    "rest 6 force=98.0665 x=150\n"
    "rest 12 force=98.0665 x=60\n"
    "rest 5 force=0\n";

/* Turning and rolling along a 60 cm "calf" (the simulated roller cannot
 * leave it): one turn of the 70 mm roller by hand (43.98 cm of surface),
 * 30 cm back over the floor, back to the start, then one 38.5 cm roll up
 * the calf. */
static const char *SCN_ROLL =
    "name calwin_roll\n"
    "seed 7\n"
    "calf 60\n"
    "offset 1200 -800\n"
    "rest 3 force=0\n"
    "roll 4.3982297 10 force=0\n"      /* 0 -> 43.98 cm: one turn */
    "rest 4 force=0\n"
    "roll 3 -10 force=0\n"             /* 30 cm back */
    "rest 4 force=0\n"
    "roll 1.3982297 -10 force=0\n"     /* to the Achilles end */
    "rest 2 force=0\n"
    "roll 7.7 5 force=0\n"             /* 38.5 cm up the calf */
    "rest 6 force=0\n";

struct emu {
    uint64_t now;
    struct rs_simroller *roller;
    bool deaf;                    /* the roller hears nothing (a hung roller) */
};
static uint64_t emu_now(void *ctx) { return ((struct emu *)ctx)->now; }
static void emu_sleep(void *ctx, uint64_t us) { ((struct emu *)ctx)->now += us; }

static int emu_produce(void *ctx, uint64_t now_us, uint8_t *buf, size_t cap, uint64_t *next_us)
{
    return rs_simroller_produce(((struct emu *)ctx)->roller, now_us, buf, cap, next_us);
}

static int emu_consume(void *ctx, const uint8_t *buf, size_t n, uint64_t now_us)
{
    struct emu *e = ctx;
    return e->deaf ? 0 : rs_simroller_consume(e->roller, buf, n, now_us);
}

static int emu_open(void *ctx, struct rs_link **out)
{
    struct emu *e = ctx;
    struct rs_byte_source src = { .ctx = e, .produce = emu_produce,
                                  .consume = emu_consume, .clock_ctx = e,
                                  .now_us = emu_now, .sleep_us = emu_sleep };
    return rs_link_open_source(out, &src, "simulated");
}

/* What a recorder sees: the snapshots (calibration changes). */
struct snaps {
    int n;
    struct rs_calib last;
    struct rs_profile prof;
};
static void on_snap(void *ctx, const struct rs_session_snapshot *snap)
{
    struct snaps *sn = ctx;
    sn->n++;
    sn->last = snap->cal;
    sn->prof = snap->prof;
}

struct rig {
    struct snaps snaps;
    struct rs_scenario scn;
    struct rs_simroller r;
    struct emu e;
    struct rs_session *s;
    struct rs_conn *c;
    struct rs_livecal lc;
    char dir[64];
};

static void rig_start_scn(struct rig *g, float scale_factor, const char *text, bool persist)
{
    char err[256];
    if (rs_scenario_parse(&g->scn, text, "calwin", err, sizeof err) != 0)
        fail_msg("%s", err);
    g->scn.loop = false;
    rs_simroller_init(&g->r, &g->scn);
    g->r.cal.scale_left *= scale_factor;
    g->r.cal.scale_right *= scale_factor;
    g->r.saved = g->r.cal;
    g->e = (struct emu){ .now = 1000000, .roller = &g->r };
    struct rs_session_config sc = { .mode = RS_MODE_DEMO };
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);
    rs_profile_defaults(&sc.prof);
    g->s = rs_session_new(&sc);
    assert_non_null(g->s);
    struct rs_sink sink = rs_session_sink(g->s);
    struct rs_conn_config cc = { .open_link = emu_open, .open_ctx = &g->e, .clock_ctx = &g->e,
                                 .now_us = emu_now, .sleep_us = emu_sleep };
    g->c = rs_conn_new(&cc, &sink);
    assert_non_null(g->c);
    /* The mirror goes to a fresh folder, never the user's. */
    snprintf(g->dir, sizeof g->dir, "/tmp/calwinXXXXXX");
    assert_non_null(mkdtemp(g->dir));
    assert_int_equal(setenv("XDG_DATA_HOME", g->dir, 1), 0);
    assert_int_equal(setenv("XDG_CONFIG_HOME", g->dir, 1), 0);
    rs_livecal_init(&g->lc, persist);
    assert_int_equal(rs_livecal_attach(&g->lc, g->s), 0);
    struct rs_session_observer o = { .ctx = &g->snaps, .snapshot = on_snap };
    assert_int_equal(rs_session_observe(g->s, &o), 0);
}

static void rig_start(struct rig *g, float scale_factor)
{
    rig_start_scn(g, scale_factor, SCN, true);
}

static void rig_stop(struct rig *g)
{
    rs_conn_finish(g->c);
    rs_conn_free(g->c);
    rs_session_free(g->s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g->dir);
    assert_int_equal(system(cmd), 0);
}

/* Step the session (and the wizard's saving) until session time t. */
static void run_until(struct rig *g, double t)
{
    while (rs_conn_now(g->c) < t) {
        assert_int_equal(rs_conn_step(g->c, 5), 0);
        rs_livecal_step(&g->lc, g->c, g->s);
    }
}

/* Confirm at time t (an encoder or calf step: start or end the movement). */
static void confirm_at(struct rig *g, double t)
{
    run_until(g, t);
    rs_calwiz_confirm(&g->lc.wz);
    run_until(g, t + 0.1);   /* the next sample starts the count */
}

/* Confirm at time t and wait for the measurement to end. */
static void measure_at(struct rig *g, double t)
{
    run_until(g, t);
    assert_true(g->lc.wz.phase == RS_CW_PROMPT || g->lc.wz.phase == RS_CW_REFUSED);
    rs_calwiz_confirm(&g->lc.wz);
    double limit = t + 5;
    while ((g->lc.wz.phase == RS_CW_SETTLE || g->lc.wz.phase == RS_CW_MEASURE) &&
           rs_conn_now(g->c) < limit) {
        assert_int_equal(rs_conn_step(g->c, 5), 0);
        /* No rs_livecal_step here: the test looks at READY before the save. */
    }
}

static void test_calib_live_applied_at_once(void **state)
{
    (void)state;
    static struct rig g;
    memset(&g, 0, sizeof g);
    rig_start(&g, 1.05f);
    run_until(&g, 1.0);
    const struct rs_live *L = rs_session_live(g.s);
    assert_true(L->calibrated); /* the roller's (wrong) saved block is in use */
    struct rs_cal old = g.r.cal;

    rs_livecal_open(&g.lc, g.s, RS_CW_FULL, 10.0, RS_SAMPLE_RATE_HZ, 2.0);
    assert_true(g.lc.open);
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    measure_at(&g, 1.5);   /* tare, empty */
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    measure_at(&g, 6.5);   /* left end */
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    measure_at(&g, 12.5);  /* centre */
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    measure_at(&g, 18.5);  /* right end */
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    measure_at(&g, 24.5);  /* check */
    assert_int_equal(g.lc.wz.phase, RS_CW_READY);
    assert_int_equal(g.r.cal_sets, 0);

    /* Same load (10 kg at the check spot), read with the old block. */
    double before = L->force_n;
    assert_float_equal(before, 98.0665 / 1.05, 98.0665 * 0.01);
    uint32_t frames = L->frames;
    int snaps_before = g.snaps.n;
    /* Save through the session's connection, then one more sample. */
    double t0 = rs_conn_now(g.c);
    while (g.lc.wz.phase == RS_CW_READY && rs_conn_now(g.c) < t0 + 3) {
        assert_int_equal(rs_conn_step(g.c, 5), 0);
        rs_livecal_step(&g.lc, g.c, g.s);
    }
    assert_int_equal(g.lc.wz.phase, RS_CW_DONE);
    assert_int_equal(g.lc.saved, 1);
    assert_string_equal(g.lc.note, "");
    assert_true(rs_conn_now(g.c) < 27.5); /* still inside the check segment */
    uint32_t at_save = L->frames;
    while (L->frames == at_save)
        assert_int_equal(rs_conn_step(g.c, 5), 0);
    double after = L->force_n;
    assert_true(L->frames > frames);
    assert_true(L->calibrated);
    /* The next sample: 1.05 times the reading of the same load, and true. */
    assert_float_equal(after / before, 1.05, 0.01);
    assert_float_equal(after, 98.0665, 98.0665 * 0.01);

    /* The roller's block was replaced, in use and saved, by the wizard's. */
    assert_int_equal(g.r.cal_sets, 1);
    assert_int_equal(g.r.cal_saves, 1);
    assert_true(rs_cal_equal(&g.r.cal, &g.r.saved));
    struct rs_cal want = g.lc.wz.cal;
    memcpy(want.serial, g.r.cal.serial, RS_SERIAL_LEN);
    assert_true(rs_cal_equal(&g.r.cal, &want));
    assert_false(rs_cal_equal(&g.r.cal, &old));
    assert_float_equal(g.r.cal.scale_left, RS_DEFAULT_SCALE_COUNTS_PER_N,
                       RS_DEFAULT_SCALE_COUNTS_PER_N * 0.01);
    assert_float_equal(g.r.cal.scale_right, RS_DEFAULT_SCALE_COUNTS_PER_N,
                       RS_DEFAULT_SCALE_COUNTS_PER_N * 0.01);
    assert_true(abs(g.r.cal.offset_left - 1200) < 200);
    assert_true(abs(g.r.cal.offset_right + 800) < 200);
    /* Observers (the recorder) were told: a new snapshot with the new block. */
    assert_true(g.snaps.n > snaps_before);
    assert_true(g.snaps.last.calibrated);
    assert_int_equal(g.snaps.last.offset_left, g.r.cal.offset_left);
    assert_float_equal(g.snaps.last.scale_left, g.r.cal.scale_left, 1e-3);
    /* The session keeps the new block (a new wizard starts from it). */
    struct rs_cal in_session;
    assert_true(rs_session_cal_block(g.s, &in_session));
    assert_true(rs_cal_equal(&in_session, &g.r.cal));

    /* Mirrored on the host with the roller's previous block for undo. */
    char path[1024], why[256];
    assert_int_equal(rs_calstore_path(RS_SIMROLLER_SERIAL, path, sizeof path), 0);
    assert_non_null(strstr(path, g.dir));
    struct rs_calstore st;
    assert_int_equal(rs_calstore_load(path, &st, why, sizeof why), 0);
    assert_true(st.has_current && st.has_previous);
    assert_true(rs_cal_equal(&st.current, &g.r.cal));
    assert_true(rs_cal_equal(&st.previous, &old));

    /* Closing leaves the session running on the new block. */
    rs_livecal_close(&g.lc);
    run_until(&g, rs_conn_now(g.c) + 0.5);
    assert_float_equal(L->force_n, 98.0665, 98.0665 * 0.01);
    rig_stop(&g);
}

/* A roller that does not answer: the save fails after the timeout with a
 * message, and the session keeps the block it had. */
static void test_calib_live_save_times_out(void **state)
{
    (void)state;
    static struct rig g;
    memset(&g, 0, sizeof g);
    rig_start(&g, 1.05f);
    run_until(&g, 1.0);
    rs_livecal_open(&g.lc, g.s, RS_CW_TARE, 0, RS_SAMPLE_RATE_HZ, 2.0);
    measure_at(&g, 1.5);
    assert_int_equal(g.lc.wz.phase, RS_CW_READY);
    struct rs_cal before;
    assert_true(rs_session_cal_block(g.s, &before));
    g.e.deaf = true;
    double t0 = rs_conn_now(g.c);
    while (g.lc.wz.phase == RS_CW_READY && rs_conn_now(g.c) < t0 + 10)
        run_until(&g, rs_conn_now(g.c) + 0.1);
    assert_int_equal(g.lc.wz.phase, RS_CW_FAILED);
    assert_true(rs_conn_now(g.c) >= t0 + RS_LIVECAL_TIMEOUT_S);
    assert_true(g.lc.wz.message_is_error);
    assert_non_null(strstr(g.lc.wz.message, "did not answer"));
    assert_int_equal(g.lc.saved, 0);
    assert_int_equal(g.r.cal_sets, 0);
    struct rs_cal now;
    assert_true(rs_session_cal_block(g.s, &now));
    assert_true(rs_cal_equal(&now, &before));
    /* Nothing mirrored. */
    char path[1024];
    struct stat sb;
    assert_int_equal(rs_calstore_path(RS_SIMROLLER_SERIAL, path, sizeof path), 0);
    assert_int_not_equal(stat(path, &sb), 0);
    rig_stop(&g);
}

/* A block the roller refuses (NAK): the wizard fails with the reason and
 * nothing changes. The block is forced into the wizard's READY state: a
 * solved one is always acceptable. */
static void test_calib_live_nak(void **state)
{
    (void)state;
    static struct rig g;
    memset(&g, 0, sizeof g);
    rig_start(&g, 1.05f);
    run_until(&g, 1.0);
    rs_livecal_open(&g.lc, g.s, RS_CW_TARE, 0, RS_SAMPLE_RATE_HZ, 2.0);
    struct rs_cal before = g.r.cal;
    g.lc.wz.cal.scale_left = 0.5f;   /* below 1 count/N: refused like the firmware */
    g.lc.wz.phase = RS_CW_READY;
    run_until(&g, 2.0);
    assert_int_equal(g.lc.wz.phase, RS_CW_FAILED);
    assert_non_null(strstr(g.lc.wz.message, "the roller refused the block"));
    assert_int_equal(g.r.cal_sets, 0);
    assert_int_equal(g.r.cal_saves, 0);
    assert_true(rs_cal_equal(&g.r.cal, &before));
    assert_int_equal(g.lc.saved, 0);
    rig_stop(&g);
}

/*
 * The encoder check and the calf length from the running session: the
 * roller's block had the direction reversed and a 65 mm radius; after 3
 * turns and 1 m over the floor it counts forward with 70 mm, saved on the
 * roller. Then the calf measured with that radius goes into the active
 * profile (file and session: the pipeline's profile changes at once).
 */
static void test_calib_live_encoder_and_calf(void **state)
{
    (void)state;
    static struct rig g;
    memset(&g, 0, sizeof g);
    rig_start_scn(&g, 1.0f, SCN_ROLL, true);
    g.r.cal.enc_dir = -1;
    g.r.cal.radius_um = 65000;
    g.r.saved = g.r.cal;
    /* An active profile with a body mass of its own, to be kept. */
    char path[1024], why[256];
    assert_int_equal(rs_profiles_path(path, sizeof path), 0);
    assert_non_null(strstr(path, g.dir));
    static struct rs_profiles ps;
    rs_profiles_init(&ps);
    struct rs_profile anna = { .body_mass_kg = 62, .calf_length_cm = 30, .force_limit_n = 0 };
    assert_true(rs_profiles_put(&ps, "anna", &anna, why, sizeof why) >= 0);
    assert_int_equal(rs_profiles_activate(&ps, "anna", why, sizeof why), 0);
    assert_int_equal(rs_profiles_save(path, &ps, why, sizeof why), 0);
    run_until(&g, 1.0);

    rs_livecal_open_encoder(&g.lc, g.s, 1, 0.3, RS_SAMPLE_RATE_HZ);
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    confirm_at(&g, 2.0);                  /* still: the count starts */
    assert_int_equal(g.lc.wz.phase, RS_CW_TRACK);
    assert_true(g.lc.wz.tracking);
    confirm_at(&g, 9.0);                  /* after the turn */
    assert_int_equal(g.lc.wz.phase, RS_CW_PROMPT);
    assert_non_null(strstr(g.lc.wz.message, "1.00 turns"));
    confirm_at(&g, 10.0);
    confirm_at(&g, 16.0);                 /* after the 30 cm (backwards counts too) */
    /* Saving goes on in rs_livecal_step while the session runs. */
    run_until(&g, 17.0);
    assert_int_equal(g.lc.wz.phase, RS_CW_DONE);
    assert_int_equal(g.r.cal_saves, 1);
    assert_int_equal(g.r.saved.enc_dir, 1);
    assert_true(abs((int)g.r.saved.radius_um - 70000) < 700);
    assert_true(rs_cal_equal(&g.r.cal, &g.r.saved));
    /* The load calibration was left alone. */
    assert_int_equal(g.r.cal.offset_left, g.lc.before.offset_left);
    assert_float_equal(g.r.cal.scale_left, g.lc.before.scale_left, 1e-3);
    assert_int_equal(g.snaps.last.enc_dir, 1);
    rs_livecal_close(&g.lc);

    /* The calf: 38.5 cm with the radius now in use. */
    rs_livecal_open_calf(&g.lc, g.s, RS_SAMPLE_RATE_HZ);
    confirm_at(&g, 20.5);
    confirm_at(&g, 31.0);
    assert_int_equal(g.lc.wz.phase, RS_CW_DONE); /* saved at once: no roller involved */
    assert_int_equal(g.lc.wz.phase, RS_CW_DONE);
    assert_float_equal(g.lc.wz.calf_cm, 38.5, 0.6);
    assert_float_equal(g.snaps.prof.calf_length_cm, g.lc.wz.calf_cm, 1e-9);
    assert_float_equal(g.snaps.prof.body_mass_kg, 62, 1e-9);  /* anna's, kept */
    assert_int_equal(g.r.cal_saves, 1);   /* nothing sent to the roller */
    /* The file: anna, still active, with the measured calf. */
    assert_int_equal(rs_profiles_load(path, &ps, why, sizeof why), 0);
    assert_int_equal(ps.n, 1);
    assert_string_equal(ps.e[ps.active].name, "anna");
    assert_float_equal(ps.e[ps.active].p.calf_length_cm, g.lc.wz.calf_cm, 1e-6);
    assert_float_equal(ps.e[ps.active].p.body_mass_kg, 62, 1e-9);
    rig_stop(&g);
}

/* Without persist (demo) the calf only changes the session's profile. */
static void test_calib_live_calf_demo(void **state)
{
    (void)state;
    static struct rig g;
    memset(&g, 0, sizeof g);
    rig_start_scn(&g, 1.0f, SCN_ROLL, false);
    run_until(&g, 20.0);
    rs_livecal_open_calf(&g.lc, g.s, RS_SAMPLE_RATE_HZ);
    confirm_at(&g, 20.5);
    confirm_at(&g, 31.0);
    assert_int_equal(g.lc.wz.phase, RS_CW_DONE);
    assert_float_equal(g.snaps.prof.calf_length_cm, 38.5, 0.6);
    char path[1024];
    struct stat sb;
    assert_int_equal(rs_profiles_path(path, sizeof path), 0);
    assert_int_not_equal(stat(path, &sb), 0);
    rig_stop(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_live_applied_at_once),
        cmocka_unit_test(test_calib_live_save_times_out),
        cmocka_unit_test(test_calib_live_nak),
        cmocka_unit_test(test_calib_live_encoder_and_calf),
        cmocka_unit_test(test_calib_live_calf_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
