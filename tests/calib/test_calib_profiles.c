/*
 * test_calib_profiles.c - user profiles (parse, format, edit, file modes),
 * the calf length measured from the encoder, the profile's calf length moving
 * the knee zone in the pipeline, and "not calibrated" reaching the pipeline
 * from the info frame's cal_state and the CAL_DEFAULT status bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rs_defaults.h"
#include "rs_pipeline.h"
#include "rs_calwiz.h"
#include "rs_profiles.h"

/* ---- parse: a table of texts and the expected outcome ------------------- */

struct parse_case {
    const char *text;
    int rc;                 /* expected return */
    const char *why;        /* substring of the message (errors) */
    size_t n;               /* profiles (success) */
    const char *active;     /* active name or NULL (success) */
};

static const struct parse_case parse_cases[] = {
    { "", 0, NULL, 0, NULL },
    { "# only a comment\nactive =\n", 0, NULL, 0, NULL },
    { "active = anna\n[anna]\nbody_mass_kg = 62\ncalf_length_cm = 38.5\nforce_limit_n = 0\n",
      0, NULL, 1, "anna" },
    { "[a]\nbody_mass_kg=80\ncalf_length_cm=40\nforce_limit_n=400\n"
      "[b]\r\nbody_mass_kg = 55 \r\ncalf_length_cm = 33\r\nforce_limit_n = 0\r\n",
      0, NULL, 2, NULL },
    { "active = bob\n[anna]\nbody_mass_kg = 62\ncalf_length_cm = 38\nforce_limit_n = 0\n",
      RS_PROFILES_CORRUPT, "active profile 'bob' does not exist", 0, NULL },
    { "[anna]\nbody_mass_kg = 62\ncalf_length_cm = 38\n", RS_PROFILES_CORRUPT,
      "lacks a field", 0, NULL },
    { "[anna]\nbody_mass_kg = heavy\n", RS_PROFILES_CORRUPT, "line 2: 'heavy' is not a number", 0,
      NULL },
    { "[anna]\nweight = 3\n", RS_PROFILES_CORRUPT, "unknown key 'weight'", 0, NULL },
    { "[anna]\nbody_mass_kg = 5\ncalf_length_cm = 38\nforce_limit_n = 0\n", RS_PROFILES_CORRUPT,
      "body mass must be", 0, NULL },
    { "[anna]\nbody_mass_kg = 60\ncalf_length_cm = 90\nforce_limit_n = 0\n", RS_PROFILES_CORRUPT,
      "calf length must be", 0, NULL },
    { "[a b]\n", RS_PROFILES_CORRUPT, "bad profile name", 0, NULL },
    { "[a]\nbody_mass_kg = 60\ncalf_length_cm = 30\nforce_limit_n = 0\n[a]\n",
      RS_PROFILES_CORRUPT, "appears twice", 0, NULL },
    { "colour = red\n", RS_PROFILES_CORRUPT, "unknown key 'colour'", 0, NULL },
    { "just words\n", RS_PROFILES_CORRUPT, "line 1 is not 'key = value'", 0, NULL },
};

static void test_calib_profiles_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *c = &parse_cases[i];
        struct rs_profiles ps;
        char why[256] = "";
        int rc = rs_profiles_parse(c->text, &ps, why, sizeof why);
        if (rc != c->rc)
            fail_msg("case %zu: rc %d, want %d (%s)", i, rc, c->rc, why);
        if (c->why && !strstr(why, c->why))
            fail_msg("case %zu: message '%s' lacks '%s'", i, why, c->why);
        if (rc == 0) {
            assert_int_equal(ps.n, c->n);
            struct rs_profile p;
            const char *name = rs_profiles_active(&ps, &p);
            if (c->active)
                assert_string_equal(name, c->active);
            else
                assert_null(name);
        }
    }
}

static void test_calib_profiles_edit_roundtrip(void **state)
{
    (void)state;
    struct rs_profiles ps, back;
    rs_profiles_init(&ps);
    char why[256];
    struct rs_profile a = { 62, 38.5, 0 }, b = { 91.25, 44, 650 };
    assert_int_equal(rs_profiles_put(&ps, "anna", &a, why, sizeof why), 0);
    assert_int_equal(rs_profiles_put(&ps, "bob", &b, why, sizeof why), 1);
    assert_int_equal(rs_profiles_activate(&ps, "bob", why, sizeof why), 0);
    a.calf_length_cm = 39;
    assert_int_equal(rs_profiles_put(&ps, "anna", &a, why, sizeof why), 0); /* update in place */
    assert_int_equal(rs_profiles_activate(&ps, "carl", why, sizeof why), RS_PROFILES_NOT_FOUND);
    assert_non_null(strstr(why, "no profile called 'carl'"));
    struct rs_profile bad = { 62, 38, -1 };
    assert_int_equal(rs_profiles_put(&ps, "x", &bad, why, sizeof why), RS_PROFILES_BAD);
    assert_non_null(strstr(why, "force limit"));
    assert_int_equal(rs_profiles_put(&ps, "no/slash", &a, why, sizeof why), RS_PROFILES_BAD);

    char text[2048];
    assert_true(rs_profiles_format(&ps, text, sizeof text) > 0);
    assert_int_equal(rs_profiles_parse(text, &back, why, sizeof why), 0);
    assert_int_equal(back.n, 2);
    struct rs_profile got;
    assert_string_equal(rs_profiles_active(&back, &got), "bob");
    assert_true(got.body_mass_kg == 91.25 && got.calf_length_cm == 44 && got.force_limit_n == 650);
    assert_true(back.e[0].p.calf_length_cm == 39);

    /* Removing the active one leaves none active: the defaults apply. */
    assert_int_equal(rs_profiles_remove(&back, "bob", why, sizeof why), 0);
    assert_null(rs_profiles_active(&back, &got));
    assert_true(got.body_mass_kg == 70 && got.calf_length_cm == 40);
    /* Removing before the active one keeps the right one active. */
    assert_int_equal(rs_profiles_activate(&ps, "bob", why, sizeof why), 0);
    assert_int_equal(rs_profiles_remove(&ps, "anna", why, sizeof why), 0);
    assert_string_equal(rs_profiles_active(&ps, &got), "bob");

    /* The session snapshot as JSON. */
    char js[256];
    struct rs_profile jp = { 62, 38.5, 0 };
    assert_string_equal(rs_profile_json(&jp, "anna", js, sizeof js),
                        "{\"name\":\"anna\",\"body_mass_kg\":62.000,\"calf_length_cm\":38.500,"
                        "\"force_limit_n\":0.000}");
    assert_non_null(strstr(rs_profile_json(&jp, NULL, js, sizeof js), "\"name\":null"));
    assert_null(rs_profile_json(&jp, "anna", js, 20));

    /* Full. */
    rs_profiles_init(&ps);
    for (int i = 0; i < RS_PROFILES_MAX; i++) {
        char name[8];
        snprintf(name, sizeof name, "p%d", i);
        assert_int_equal(rs_profiles_put(&ps, name, &a, why, sizeof why), i);
    }
    assert_int_equal(rs_profiles_put(&ps, "one-more", &a, why, sizeof why), RS_PROFILES_FULL);
}

/* Travel over the calf from encoder counts at the nominal 70 mm radius. */
static void test_calib_profile_calf_from_travel(void **state)
{
    (void)state;
    static const struct { int32_t a, b; uint32_t r_um; double cm; } cases[] = {
        { 0, 16384, 70000, 2 * M_PI * 7.0 },
        { 1000, 1000 - 16384, 70000, 2 * M_PI * 7.0 },        /* backwards counts the same */
        { INT32_MAX - 100, (int32_t)((uint32_t)INT32_MAX + 16284u), 70000, 2 * M_PI * 7.0 }, /* wrap */
        { 0, 14898, 70000, 40.0 },
        { 0, 0, 70000, 0.0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double got = rs_profile_calf_from_travel(cases[i].a, cases[i].b, cases[i].r_um);
        if (fabs(got - cases[i].cm) > 0.01)
            fail_msg("case %zu: %.3f cm, want %.3f", i, got, cases[i].cm);
    }
}

/* Files: created under XDG_CONFIG_HOME with 0700 directories and a 0600 file. */
static void test_calib_profiles_file_modes(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/rs-calib-prof-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    setenv("XDG_CONFIG_HOME", dir, 1);
    char path[512], why[256];
    assert_int_equal(rs_profiles_path(path, sizeof path), 0);
    char want[600];
    snprintf(want, sizeof want, "%s/rollsense/profiles.conf", dir);
    assert_string_equal(path, want);

    struct rs_profiles ps, back;
    assert_int_equal(rs_profiles_load(path, &ps, why, sizeof why), 0); /* missing = empty */
    assert_int_equal(ps.n, 0);
    struct rs_profile a = { 62, 38.5, 0 };
    assert_int_equal(rs_profiles_put(&ps, "anna", &a, why, sizeof why), 0);
    assert_int_equal(rs_profiles_activate(&ps, "anna", why, sizeof why), 0);
    assert_int_equal(rs_profiles_save(path, &ps, why, sizeof why), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/rollsense", dir);
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(rs_profiles_load(path, &back, why, sizeof why), 0);
    assert_int_equal(back.n, 1);
    assert_int_equal(back.active, 0);

    /* A corrupted file is refused with the path and the line. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[anna]\nbody_mass_kg = ?\n", f);
    fclose(f);
    assert_int_equal(rs_profiles_load(path, &back, why, sizeof why), RS_PROFILES_CORRUPT);
    assert_non_null(strstr(why, "line 2"));
    assert_non_null(strstr(why, path));

    /* The session snapshot: damaged file -> defaults and the reason. */
    struct rs_profile snap;
    char name[RS_PROFILE_NAME_MAX];
    assert_int_equal(rs_profiles_load_active(&snap, name, sizeof name, why, sizeof why),
                     RS_PROFILES_CORRUPT);
    assert_true(snap.calf_length_cm == 40 && name[0] == '\0');
    assert_int_equal(rs_profiles_save(path, &ps, why, sizeof why), 0);
    assert_int_equal(rs_profiles_load_active(&snap, name, sizeof name, why, sizeof why), 0);
    assert_string_equal(name, "anna");
    assert_true(snap.calf_length_cm == 38.5 && snap.body_mass_kg == 62);

    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

/* ---- pipeline ------------------------------------------------------------ */

/*
 * Roll the left calf from the Achilles towards the knee at 4 cm/s with 300 N,
 * nominal calibration; return the calf position where the knee zone began
 * (or -1). Frames are built here with the device's nominal constants.
 */
static double knee_zone_start(double calf_cm, bool *calibrated_out, uint16_t status)
{
    struct rs_cal blk = { 0 };
    blk.scale_left = blk.scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N;
    blk.radius_um = RS_DEFAULT_RADIUS_UM;
    blk.enc_dir = 1;
    struct rs_calib cal;
    rs_calib_from_cal(&cal, &blk, true);
    struct rs_profile prof = { 70, calf_cm, 0 };
    static struct rs_pipeline p;
    rs_pipeline_init(&p, NULL, &cal, &prof);
    double found = -1;
    for (uint32_t i = 0; i < 80 * 20; i++) {
        double t = i / 80.0;
        double f = 300, x = -120; /* left leg */
        double fr = f * (0.5 + x / RS_CELL_SPAN_MM), fl = f - fr;
        double disp_cm = t < 1 ? 0 : (t - 1) * 4.0;
        struct rs_sample s = {
            .seq = i, .t_us = i * 12500u,
            .left = (int32_t)lround(fl * RS_DEFAULT_SCALE_COUNTS_PER_N),
            .right = (int32_t)lround(fr * RS_DEFAULT_SCALE_COUNTS_PER_N),
            .enc = (int32_t)lround(disp_cm / (2 * M_PI * 7.0) * RS_ENC_COUNTS_PER_REV),
            .status = status,
        };
        struct rs_events ev;
        rs_events_clear(&ev);
        rs_pipeline_push(&p, &s, &ev);
        for (size_t k = 0; k < ev.n; k++)
            if (ev.ev[k].type == RS_EV_KNEE_ZONE && ev.ev[k].u.knee.active && found < 0)
                found = ev.ev[k].u.knee.pos_cm;
    }
    if (calibrated_out)
        *calibrated_out = rs_pipeline_live(&p)->calibrated;
    return found;
}

static void test_calib_profile_calf_moves_knee_zone(void **state)
{
    (void)state;
    static const double calves[] = { 30, 40, 48 };
    for (size_t i = 0; i < 3; i++) {
        double at = knee_zone_start(calves[i], NULL, 0);
        /* The zone is the last 5 cm (design default) of the profile's calf. */
        if (fabs(at - (calves[i] - 5)) > 0.3)
            fail_msg("calf %.0f cm: knee zone began at %.2f cm, want %.1f", calves[i], at,
                     calves[i] - 5);
    }
    /* And on the fly: a new profile moves the zone without a restart. */
    struct rs_profile prof = { 70, 30, 0 };
    static struct rs_pipeline p;
    rs_pipeline_init(&p, NULL, NULL, &prof);
    prof.calf_length_cm = 50;
    rs_pipeline_set_profile(&p, &prof);
    assert_true(rs_pipeline_profile(&p)->calf_length_cm == 50);
}

/* cal_state of the info frame and the CAL_DEFAULT status bit -> not calibrated. */
static void test_calib_not_calibrated_reaches_pipeline(void **state)
{
    (void)state;
    struct rs_cal blk = { .offset_left = 10, .offset_right = -5, .scale_left = 2100,
                          .scale_right = 2200, .radius_um = 69000, .enc_dir = 1 };
    static const struct { int cal_state; bool want; } cases[] = {
        { RS_CAL_OK, true }, { RS_CAL_DEFAULT, false }, { RS_CAL_CORRUPT, false },
    };
    for (size_t i = 0; i < 3; i++) {
        struct rs_calib c;
        rs_calib_from_cal(&c, &blk, cases[i].cal_state == RS_CAL_OK);
        assert_int_equal(c.calibrated, cases[i].want);
        static struct rs_pipeline p;
        rs_pipeline_init(&p, NULL, &c, NULL);
        assert_int_equal(rs_pipeline_live(&p)->calibrated, cases[i].want);
    }
    /* A calibrated session whose roller reports CAL_DEFAULT in its samples. */
    bool calibrated = true;
    knee_zone_start(40, &calibrated, 0);
    assert_true(calibrated);
    knee_zone_start(40, &calibrated, RS_ST_CAL_DEFAULT);
    assert_false(calibrated);
    /* A corrupted (absurd) block is not calibrated either. */
    struct rs_cal junk = blk;
    junk.scale_left = NAN;
    struct rs_calib c;
    rs_calib_from_cal(&c, &junk, true);
    assert_false(c.calibrated);
}

/* One source for the calf range: the wizard's measured calf is accepted
 * exactly where the profile accepts it. */
_Static_assert(RS_CALWIZ_CALF_MIN_CM == RS_PROFILE_CALF_MIN, "calf minimum differs");
_Static_assert(RS_CALWIZ_CALF_MAX_CM == RS_PROFILE_CALF_MAX, "calf maximum differs");

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_profiles_parse_table),
        cmocka_unit_test(test_calib_profiles_edit_roundtrip),
        cmocka_unit_test(test_calib_profile_calf_from_travel),
        cmocka_unit_test(test_calib_profiles_file_modes),
        cmocka_unit_test(test_calib_profile_calf_moves_knee_zone),
        cmocka_unit_test(test_calib_not_calibrated_reaches_pipeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
