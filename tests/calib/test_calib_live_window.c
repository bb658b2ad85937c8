/*
 * test_calib_live_window.c - the calibration wizard over the demo window,
 * driven by scripted key events (offscreen SDL, emulated time): the same
 * rs_run loop as `rollsense demo`. c opens the wizard, Enter measures the
 * tare and the four span placements of a 10 kg mass, Enter closes it; the
 * session then reads the check load in true newtons (it read 1/1.05 of it
 * before), the simulated roller holds and saved the new block, and the live
 * view is back. And the guard: a leg on the roller is not tared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <SDL.h>

#include "rs_caldev.h"
#include "rs_defaults.h"
#include "rs_run.h"
#include "rs_simroller.h"

static const char *SCN =
    "name calwin\n"
    "seed 7\n"
    "offset 1200 -800\n"
    "rest 5 force=0\n"
    "rest 6 force=98.0665 x=-150\n"
    "rest 6 force=98.0665 x=0\n"
    "rest 6 force=98.0665 x=150\n"
    "rest 20 force=98.0665 x=60\n";

struct emu {
    uint64_t now;
    struct rs_simroller *roller;
    struct rs_conn *conn;
    /* the key script: key k at session time t[k] */
    const double *t;
    const SDL_Keycode *keys;
    int nkeys, next;
    double force_before;          /* live force just before the wizard opened */
    struct rs_session *s;
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

/* After every connection step: press the keys that are due. */
static void tick(void *ctx)
{
    struct emu *e = ctx;
    if (!e->conn || e->next >= e->nkeys || rs_conn_now(e->conn) < e->t[e->next])
        return;
    if (e->next == 0)
        e->force_before = rs_session_live(e->s)->force_n;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = e->keys[e->next++];
    SDL_PushEvent(&ev);
}

/* A private data folder with the safety note already read (the note would
 * swallow the first key); XDG_DATA_HOME points there. */
static void data_dir(char *dir)
{
    assert_non_null(mkdtemp(dir));
    char marker[600];
    assert_int_equal(rs_window_safety_marker(dir, marker, sizeof marker), 0);
    FILE *f = fopen(marker, "w");
    if (!f) { /* the marker may live in a subfolder */
        char sub[700];
        snprintf(sub, sizeof sub, "mkdir -p \"$(dirname '%s')\"", marker);
        assert_int_equal(system(sub), 0);
        f = fopen(marker, "w");
    }
    assert_non_null(f);
    fclose(f);
    assert_int_equal(setenv("XDG_DATA_HOME", dir, 1), 0);
}

/* A leg resting on the roller (300 N, steady) when c and Enter tare it:
 * refused in one line on stderr, nothing sent to the roller, the session
 * keeps its calibration and reads the leg. */
static const char *SCN_LEG =
    "name leg\n"
    "seed 7\n"
    "offset 1200 -800\n"
    "rest 12 force=300 x=-60\n";

static void test_calib_live_window_loaded_tare(void **state)
{
    (void)state;
    char dir[] = "/tmp/calwinlXXXXXX";
    data_dir(dir);
    static struct rs_scenario scn;
    char err[256];
    assert_int_equal(rs_scenario_parse(&scn, SCN_LEG, "leg", err, sizeof err), 0);
    scn.loop = false;
    static struct rs_simroller r;
    rs_simroller_init(&r, &scn);
    struct rs_cal old = r.cal;
    static const double t[] = { 1.0, 1.5, 6.0, 6.5 };
    static const SDL_Keycode keys[] = { SDLK_c, SDLK_RETURN, SDLK_y, SDLK_ESCAPE };
    struct emu e = { .now = 1000000, .roller = &r, .t = t, .keys = keys, .nkeys = 4 };
    struct rs_session_config sc = { .mode = RS_MODE_DEMO };
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);
    rs_profile_defaults(&sc.prof);
    struct rs_session *s = rs_session_new(&sc);
    assert_non_null(s);
    e.s = s;
    struct rs_sink sink = rs_session_sink(s);
    struct rs_conn_config cc = { .open_link = emu_open, .open_ctx = &e, .clock_ctx = &e,
                                 .now_us = emu_now, .sleep_us = emu_sleep };
    struct rs_conn *c = rs_conn_new(&cc, &sink);
    assert_non_null(c);
    e.conn = c;
    struct rs_run_opts o = {
        .window = true, .duration_s = 8, .frame_step_s = 0.05, .who = "demo",
        .tick = tick, .tick_ctx = &e, .cal_window_s = 2,
        .wcfg = { .width = 800, .height = 480, .hidden = true, .software = true,
                  .no_audio = true, .config_dir = dir },
    };
    /* The wizard's words go to stderr: catch them in a file. */
    char log[64];
    snprintf(log, sizeof log, "%s/stderr", dir);
    fflush(stderr);
    int saved_err = dup(2);
    FILE *lf = fopen(log, "w+");
    assert_non_null(lf);
    dup2(fileno(lf), 2);
    int rc = rs_run(c, s, &o, err, sizeof err);
    fflush(stderr);
    dup2(saved_err, 2);
    close(saved_err);
    assert_int_equal(rc, 0);
    assert_int_equal(e.next, 4);
    char text[4096] = "";
    rewind(lf);
    size_t n = fread(text, 1, sizeof text - 1, lf);
    text[n] = '\0';
    fclose(lf);
    if (!strstr(text, "demo: calibrate: tare refused: something is on the roller: 300 N"))
        fail_msg("stderr: %s", text);
    assert_int_equal(r.cal_sets, 0);   /* Y does not override a known zero */
    assert_int_equal(r.cal_saves, 0);
    assert_true(rs_cal_equal(&r.cal, &old));
    const struct rs_live *L = rs_session_live(s);
    assert_true(L->calibrated);
    assert_float_equal(L->force_n, 300, 3);
    rs_conn_free(c);
    rs_session_free(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_calib_live_window_keys(void **state)
{
    (void)state;
    char dir[] = "/tmp/calwinwXXXXXX";
    data_dir(dir);

    static struct rs_scenario scn;
    char err[256];
    assert_int_equal(rs_scenario_parse(&scn, SCN, "calwin", err, sizeof err), 0);
    scn.loop = false;
    static struct rs_simroller r;
    rs_simroller_init(&r, &scn);
    r.cal.scale_left *= 1.05f;
    r.cal.scale_right *= 1.05f;
    r.saved = r.cal;
    struct rs_cal old = r.cal;

    static const double t[] = { 1.0, 1.5, 6.5, 12.5, 18.5, 24.5, 30.0 };
    static const SDL_Keycode keys[] = { SDLK_c, SDLK_RETURN, SDLK_RETURN, SDLK_RETURN,
                                        SDLK_RETURN, SDLK_SPACE, SDLK_RETURN };
    struct emu e = { .now = 1000000, .roller = &r, .t = t, .keys = keys, .nkeys = 7 };
    struct rs_session_config sc = { .mode = RS_MODE_DEMO };
    rs_config_defaults(&sc.cfg);
    rs_calib_defaults(&sc.cal);
    rs_profile_defaults(&sc.prof);
    struct rs_session *s = rs_session_new(&sc);
    assert_non_null(s);
    e.s = s;
    struct rs_sink sink = rs_session_sink(s);
    struct rs_conn_config cc = { .open_link = emu_open, .open_ctx = &e, .clock_ctx = &e,
                                 .now_us = emu_now, .sleep_us = emu_sleep };
    struct rs_conn *c = rs_conn_new(&cc, &sink);
    assert_non_null(c);
    e.conn = c;
    struct rs_run_opts o = {
        .window = true, .duration_s = 32, .frame_step_s = 0.05, .who = "demo",
        .tick = tick, .tick_ctx = &e, .cal_mass_kg = 10, .cal_window_s = 2,
        .wcfg = { .width = 800, .height = 480, .hidden = true, .software = true,
                  .no_audio = true, .config_dir = dir },
    };
    int rc = rs_run(c, s, &o, err, sizeof err);
    if (rc != 0)
        print_error("rs_run: %s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(e.next, 7); /* every key was pressed */

    /* Before: the roller's block 5 % off; after: true newtons, same load. */
    const struct rs_live *L = rs_session_live(s);
    assert_float_equal(e.force_before, 0, 1.0); /* empty at t = 1 */
    assert_true(L->calibrated);
    assert_float_equal(L->force_n, 98.0665, 98.0665 * 0.01);
    assert_int_equal(r.cal_sets, 1);
    assert_int_equal(r.cal_saves, 1);
    assert_true(rs_cal_equal(&r.cal, &r.saved));
    assert_false(rs_cal_equal(&r.cal, &old));
    assert_float_equal(r.cal.scale_left, RS_DEFAULT_SCALE_COUNTS_PER_N,
                       RS_DEFAULT_SCALE_COUNTS_PER_N * 0.01);
    /* The demo does not mirror its pretend roller on the host. */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "test ! -e '%s/rollsense/calibration'", dir);
    assert_int_equal(system(cmd), 0);

    rs_conn_free(c);
    rs_session_free(s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_live_window_keys),
        cmocka_unit_test(test_calib_live_window_loaded_tare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
