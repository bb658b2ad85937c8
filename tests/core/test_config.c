/*
 * test_config.c - the config file: defaults are valid, every key is range
 * checked, every error is one line "FILE:LINE: key 'x': <why>, allowed <range>",
 * and a failed parse changes nothing.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "rs_config.h"

static void test_defaults_valid(void **state)
{
    (void)state;
    struct rs_config c;
    rs_config_defaults(&c);
    char err[256] = "";
    assert_int_equal(rs_config_validate(&c, err, sizeof err), 0);
    /* the defaults of docs/config.md */
    assert_true(c.still_speed_cm_s == 0.5 && c.still_net_cm == 1.0 && c.still_time_s == 2.0);
    assert_true(c.speed_brisk_cm_s == 10 && c.speed_too_fast_cm_s == 15);
    assert_true(c.hold_min_bw_pct == 10 && c.hold_min_rolling_frac == 0.5);
    assert_true(c.hold_move_end_cm == 2 && c.hold_dip_frac == 0.5 && c.hold_dip_max_s == 1);
    assert_true(c.cue_min_s == 15 && c.cue_target_s == 30 && c.cue_long_s == 60 &&
                c.cue_release_s == 90);
    assert_true(c.dose_holds_per_leg == 3 && c.dose_switch_min == 3 && c.dose_stop_min == 6);
    assert_true(c.force_light_pct == 5 && c.force_moderate_pct == 15 &&
                c.force_typical_pct == 30 && c.force_high_pct == 45 && c.force_warn_pct == 60 &&
                c.force_overload_pct == 80);
    assert_true(c.knee_zone_cm == 5);
    assert_true(c.speed_window_ms >= 100 && c.speed_window_ms <= 250);
}

struct bad_case {
    const char *text;
    const char *expect; /* substring of the error line */
};

static const struct bad_case bad_cases[] = {
    { "still_time_s = 0.1\n", "cfg.txt:1: key 'still_time_s': 0.1 is out of range, allowed 0.5..10 s" },
    { "foo = 1\n", "cfg.txt:1: key 'foo': unknown key, allowed keys still_speed_cm_s, " },
    { "speed_window_ms = 150.5\n", "cfg.txt:1: key 'speed_window_ms': 150.5 is not a whole number, allowed whole numbers 100..250 ms" },
    { "still_speed_cm_s = abc\n", "cfg.txt:1: key 'still_speed_cm_s': 'abc' is not a number, allowed 0.05..5 cm/s" },
    { "still_speed_cm_s = 1 2\n", "cfg.txt:1: key 'still_speed_cm_s': '1 2' is not a number" },
    { "still_speed_cm_s = nan\n", "cfg.txt:1: key 'still_speed_cm_s': 'nan' is not a number" },
    { "still_speed_cm_s = inf\n", "cfg.txt:1: key 'still_speed_cm_s': 'inf' is not a number" },
    /* decimal only, as docs/config.md says (strtod would take these) */
    { "still_speed_cm_s = 0x1\n", "cfg.txt:1: key 'still_speed_cm_s': '0x1' is not a number" },
    { "still_speed_cm_s = 0x1p-1\n", "cfg.txt:1: key 'still_speed_cm_s': '0x1p-1' is not a number" },
    { "still_speed_cm_s = 1e999\n", "cfg.txt:1: key 'still_speed_cm_s': '1e999' is not a number" },
    /* bad bytes are echoed escaped, on one line */
    { "still_speed_cm_s = \x1b[2J\n", "'\\x1b[2J' is not a number" },
    { "k\x1b]0;x\x07 = 1\n", "key 'k\\x1b]0;x\\x07': unknown key" },
    { "still_speed_cm_s\n", "cfg.txt:1: key 'still_speed_cm_s': missing '=', allowed 'key = value'" },
    { "still_speed_cm_s =   # nothing\n", "cfg.txt:1: key 'still_speed_cm_s': missing value, allowed 0.05..5 cm/s" },
    { "\n\n# comment\n  knee_zone_cm = 30\n", "cfg.txt:4: key 'knee_zone_cm': 30 is out of range, allowed 0..20 cm" },
    { "cue_min_s = 15\ncue_min_s = 16\n", "cfg.txt:2: key 'cue_min_s': set twice (first on line 1), allowed once" },
    { "speed_brisk_cm_s = 20\n", "cfg.txt:1: key 'speed_brisk_cm_s': 20 must be less than speed_too_fast_cm_s, allowed below speed_too_fast_cm_s (15)" },
    { "speed_too_fast_cm_s = 12\nspeed_brisk_cm_s = 13\n", "cfg.txt:2: key 'speed_brisk_cm_s': 13 must be less than speed_too_fast_cm_s" },
    { "speed_brisk_cm_s = 13\nspeed_too_fast_cm_s = 12\n", "cfg.txt:2: key 'speed_too_fast_cm_s': 12 must be greater than speed_brisk_cm_s, allowed above speed_brisk_cm_s (13)" },
    { "cue_target_s = 100\n", "cfg.txt:1: key 'cue_target_s': 100 must be less than cue_long_s" },
    { "force_warn_pct = 90\n", "cfg.txt:1: key 'force_warn_pct': 90 must be less than force_overload_pct" },
    { "dose_stop_min = 2\n", "cfg.txt:1: key 'dose_stop_min': 2 must be greater than dose_switch_min" },
    { "= 3\n", "cfg.txt:1: key '': unknown key" },
    /* a key of older versions: refused with why, not as a typo */
    { "# old\nbackdate_eps_cm = 0.02\n", "cfg.txt:2: key 'backdate_eps_cm': no longer used (hold "
      "start and end come from a least-squares fit, see docs/detection.md), delete this line" },
};

static void test_bad_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        struct rs_config c, before;
        rs_config_defaults(&c);
        before = c;
        char err[2048] = "";
        int rc = rs_config_parse(&c, bad_cases[i].text, "cfg.txt", err, sizeof err);
        if (rc >= 0 || !strstr(err, bad_cases[i].expect) || strchr(err, '\n'))
            fail_msg("case %zu '%s': rc %d, got \"%s\", want \"%s\"", i, bad_cases[i].text, rc,
                     err, bad_cases[i].expect);
        assert_memory_equal(&c, &before, sizeof c); /* nothing applied */
    }
}

/* Every key rejects below-range, above-range and non-numeric values, naming itself. */
static void test_every_key_validated(void **state)
{
    (void)state;
    size_t n = rs_config_key_count();
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        const struct rs_config_key *k = rs_config_key_at(i);
        const double bad[] = { k->min - 1 - fabs(k->min), k->max + 1 + fabs(k->max) };
        for (int j = 0; j < 3; j++) {
            char text[128], err[2048] = "", want[160];
            if (j < 2)
                snprintf(text, sizeof text, "# line 1\n%s = %.17g\n", k->name, bad[j]);
            else
                snprintf(text, sizeof text, "# line 1\n%s = twelve\n", k->name);
            struct rs_config c;
            rs_config_defaults(&c);
            assert_true(rs_config_parse(&c, text, "my.conf", err, sizeof err) < 0);
            snprintf(want, sizeof want, "my.conf:2: key '%s': ", k->name);
            if (strncmp(err, want, strlen(want)) || !strstr(err, ", allowed "))
                fail_msg("key %s case %d: \"%s\"", k->name, j, err);
        }
    }
}

/* A formatted config parses back to the same values; keys are all documented. */
static void test_format_roundtrip(void **state)
{
    (void)state;
    struct rs_config a, b;
    rs_config_defaults(&a);
    a.still_time_s = 2.5;
    a.speed_window_ms = 200;
    a.leg_threshold_mm = 25;
    char text[8192];
    size_t n = rs_config_format(&a, text, sizeof text);
    assert_true(n < sizeof text);
    rs_config_defaults(&b);
    char err[512] = "";
    if (rs_config_parse(&b, text, "fmt", err, sizeof err))
        fail_msg("%s", err);
    assert_memory_equal(&a, &b, sizeof a);
    for (size_t i = 0; i < rs_config_key_count(); i++) {
        const struct rs_config_key *k = rs_config_key_at(i);
        assert_non_null(strstr(text, k->name));
        assert_true(k->help && k->help[0]);
        assert_ptr_equal(rs_config_key_find(k->name), k);
    }
    assert_null(rs_config_key_find("nope"));
}

/* rs_config_format measures as snprintf does: the whole length without a
 * buffer or with a short one, which then holds the text's start, ended. */
static void test_format_measures(void **state)
{
    (void)state;
    struct rs_config a;
    rs_config_defaults(&a);
    char full[8192], part[100];
    size_t n = rs_config_format(&a, full, sizeof full);
    assert_true(n > sizeof part && n < sizeof full);
    assert_int_equal(strlen(full), n);
    assert_int_equal(rs_config_format(&a, NULL, 0), n);
    memset(part, 'x', sizeof part);
    assert_int_equal(rs_config_format(&a, part, sizeof part), n);
    assert_int_equal(strlen(part), sizeof part - 1);
    assert_memory_equal(part, full, sizeof part - 1);
    /* a buffer that ends inside a later line: that line's start, ended */
    size_t cut = strchr(full, '\n') - full + 10;
    assert_int_equal(rs_config_format(&a, part, cut + 1), n);
    assert_int_equal(strlen(part), cut);
    assert_memory_equal(part, full, cut);
}

static void test_good_text(void **state)
{
    (void)state;
    struct rs_config c;
    rs_config_defaults(&c);
    char err[256] = "";
    const char *text = "# rollsense thresholds\n"
                       "\n"
                       "still_time_s=3   # longer settle\r\n"
                       "   cue_min_s = 20\n"
                       "cue_target_s = 40\n"
                       "\tspeed_window_ms\t=\t120\n"
                       "hold_min_bw_pct = 1.5e1";
    assert_int_equal(rs_config_parse(&c, text, "x", err, sizeof err), 0);
    assert_true(c.still_time_s == 3 && c.cue_min_s == 20 && c.cue_target_s == 40);
    assert_true(c.speed_window_ms == 120 && c.hold_min_bw_pct == 15);
    assert_int_equal(rs_config_parse(&c, "", "x", err, sizeof err), 0);
    assert_int_equal(rs_config_parse(&c, NULL, "x", err, sizeof err), 0);
    /* No err buffer: still fails cleanly. */
    assert_true(rs_config_parse(&c, "bad = 1", "x", NULL, 0) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_valid),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_every_key_validated),
        cmocka_unit_test(test_format_roundtrip),
        cmocka_unit_test(test_format_measures),
        cmocka_unit_test(test_good_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
