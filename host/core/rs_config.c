/*
 * rs_config.c - defaults, key table and the validating `key = value` parser.
 * One table drives parsing, range checks, formatting and docs/config.md.
 */
#include "rs_config.h"
#include "rs_file.h"
#include "rs_str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K(name, min, max, integer, unit, help) \
    { #name, offsetof(struct rs_config, name), min, max, integer, unit, help }

static const struct rs_config_key keys[] = {
    K(still_speed_cm_s, 0.05, 5, 0, "cm/s", "still: windowed speed below this"),
    K(still_net_cm, 0.1, 5, 0, "cm", "still: net movement below this since stillness began"),
    K(still_time_s, 0.5, 10, 0, "s", "still this long (with enough force) starts a hold"),
    K(still_drift_cm_s, 0.05, 2, 0, "cm/s", "still: drift of the 0.5 s mean position below this"),
    K(depart_cm, 0.05, 2, 0, "cm", "0.25 s mean position this far off the spot: leaving it"),
    K(cue_confirm_ms, 0, 2000, 1, "ms", "hold start and cues are decided this long after they are due"),
    K(speed_window_ms, 100, 250, 1, "ms", "speed estimator window"),
    K(speed_brisk_cm_s, 1, 50, 0, "cm/s", "slow below, brisk from this speed"),
    K(speed_too_fast_cm_s, 1, 100, 0, "cm/s", "too fast above this speed"),
    K(band_dwell_ms, 0, 2000, 1, "ms", "a new speed or force band must last this long to be reported"),
    K(force_light_pct, 0.5, 50, 0, "%BW", "contact (light) from here; below is no contact"),
    K(force_moderate_pct, 1, 100, 0, "%BW", "moderate from here"),
    K(force_typical_pct, 1, 100, 0, "%BW", "typical from here"),
    K(force_high_pct, 1, 150, 0, "%BW", "high from here"),
    K(force_warn_pct, 1, 200, 0, "%BW", "no extra benefit (too hard) from here"),
    K(force_overload_pct, 1, 300, 0, "%BW", "overload from here"),
    K(contact_off_ms, 0, 2000, 1, "ms", "contact ends after this long below force_light_pct"),
    K(hold_min_bw_pct, 0, 100, 0, "%BW", "a hold needs at least this force"),
    K(hold_min_rolling_frac, 0, 1, 0, "", "... and this fraction of the session's rolling mean force"),
    K(hold_move_end_cm, 0.5, 20, 0, "cm", "moving further than this from the hold spot ends a hold"),
    K(hold_dip_frac, 0.05, 0.95, 0, "", "force below this fraction of the hold mean is a dip"),
    K(hold_dip_max_s, 0.1, 10, 0, "s", "a dip longer than this ends the hold"),
    K(cue_min_s, 1, 600, 0, "s", "cue: minimum reached"),
    K(cue_target_s, 1, 600, 0, "s", "cue: target reached"),
    K(cue_long_s, 1, 600, 0, "s", "cue: long"),
    K(cue_release_s, 1, 600, 0, "s", "cue: release now"),
    K(dose_holds_per_leg, 1, 20, 1, "holds", "holds on one leg before the dose advice"),
    K(dose_switch_min, 0.5, 60, 0, "min", "time on one calf before suggesting a switch"),
    K(dose_stop_min, 0.5, 120, 0, "min", "time on one calf before suggesting to stop"),
    K(knee_zone_cm, 0, 20, 0, "cm", "knee zone: this close to the calf's upper end"),
    K(leg_threshold_mm, 0, 150, 0, "mm", "load further than this off centre decides the leg"),
    K(autozero_band_n, 0, 50, 0, "N", "auto-zero: unloaded when each side reads below this"),
    K(autozero_tau_s, 1, 3600, 0, "s", "auto-zero tracking time constant"),
    K(autozero_limit_n, 0, 200, 0, "N", "auto-zero: largest correction per side"),
    K(autozero_still_s, 0, 60, 0, "s", "auto-zero: unloaded and still this long first"),
    K(gap_bridge_ms, 0, 5000, 1, "ms", "frames lost for up to this long, on the same spot, do not end a hold"),
};
#undef K

#define NKEYS (sizeof keys / sizeof keys[0])

/* Keys older versions took (and --print-config wrote) that mean nothing now:
 * an error naming why and what to do, rather than a setting silently
 * ignored or an "unknown key" that sends the user looking for a typo. */
static const struct { const char *name, *why; } retired[] = {
    { "backdate_eps_cm",
      "hold start and end come from a least-squares fit, see docs/detection.md" },
};

static const char *retired_why(const char *name)
{
    for (size_t i = 0; i < sizeof retired / sizeof retired[0]; i++)
        if (strcmp(retired[i].name, name) == 0)
            return retired[i].why;
    return NULL;
}

/* Ordered groups: each must be strictly increasing. */
static const char *const order_groups[][7] = {
    { "still_speed_cm_s", "speed_brisk_cm_s", "speed_too_fast_cm_s", NULL },
    { "force_light_pct", "force_moderate_pct", "force_typical_pct", "force_high_pct",
      "force_warn_pct", "force_overload_pct", NULL },
    { "cue_min_s", "cue_target_s", "cue_long_s", "cue_release_s", NULL },
    { "dose_switch_min", "dose_stop_min", NULL },
};

void rs_config_defaults(struct rs_config *c)
{
    *c = (struct rs_config){
        .still_speed_cm_s = 0.5, .still_net_cm = 1.0, .still_time_s = 2.0,
        .still_drift_cm_s = 0.25, .depart_cm = 0.25, .cue_confirm_ms = 500,
        .speed_window_ms = 150, .speed_brisk_cm_s = 10, .speed_too_fast_cm_s = 15,
        .band_dwell_ms = 250,
        .force_light_pct = 5, .force_moderate_pct = 15, .force_typical_pct = 30,
        .force_high_pct = 45, .force_warn_pct = 60, .force_overload_pct = 80,
        .contact_off_ms = 200,
        .hold_min_bw_pct = 10, .hold_min_rolling_frac = 0.5, .hold_move_end_cm = 2.0,
        .hold_dip_frac = 0.5, .hold_dip_max_s = 1.0,
        .cue_min_s = 15, .cue_target_s = 30, .cue_long_s = 60, .cue_release_s = 90,
        .dose_holds_per_leg = 3, .dose_switch_min = 3, .dose_stop_min = 6,
        .knee_zone_cm = 5, .leg_threshold_mm = 20,
        .autozero_band_n = 15, .autozero_tau_s = 20, .autozero_limit_n = 30,
        .autozero_still_s = 1.0, .gap_bridge_ms = 1000,
    };
}

size_t rs_config_key_count(void) { return NKEYS; }

const struct rs_config_key *rs_config_key_at(size_t i)
{
    return i < NKEYS ? &keys[i] : NULL;
}

const struct rs_config_key *rs_config_key_find(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static double *field(struct rs_config *c, const struct rs_config_key *k)
{
    return (double *)((char *)c + k->offset);
}

static double cfield(const struct rs_config *c, const struct rs_config_key *k)
{
    return *(const double *)((const char *)c + k->offset);
}

static void range_text(const struct rs_config_key *k, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%g..%g%s%s", k->integer ? "whole numbers " : "", k->min, k->max,
             k->unit[0] ? " " : "", k->unit);
}

/* Checks one value against its key's range; 0 or -1 with err filled. */
static int check_value(const struct rs_config_key *k, double v, const char *file, int line,
                       const char *why_prefix, char *err, size_t cap)
{
    char range[96];
    range_text(k, range, sizeof range);
    if (!isfinite(v) || v < k->min || v > k->max) {
        rs_msgf(err, cap, "%s:%d: key '%s': %s%g is out of range, allowed %s", file, line, k->name,
             why_prefix, v, range);
        return -1;
    }
    if (k->integer && v != floor(v)) {
        rs_msgf(err, cap, "%s:%d: key '%s': %s%g is not a whole number, allowed %s", file, line,
             k->name, why_prefix, v, range);
        return -1;
    }
    return 0;
}

/* Range and ordering check; lines[i] (or 0) names where key i was set. */
static int validate(const struct rs_config *c, const char *file, const int *lines, char *err,
                    size_t cap)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (check_value(&keys[i], cfield(c, &keys[i]), file, lines ? lines[i] : 0, "", err, cap))
            return -1;
    for (size_t g = 0; g < sizeof order_groups / sizeof order_groups[0]; g++) {
        for (size_t j = 1; order_groups[g][j]; j++) {
            const struct rs_config_key *lo = rs_config_key_find(order_groups[g][j - 1]);
            const struct rs_config_key *hi = rs_config_key_find(order_groups[g][j]);
            double vlo = cfield(c, lo), vhi = cfield(c, hi);
            if (vhi > vlo)
                continue;
            /* Blame the key set later in the file (or the higher one). */
            size_t ilo = (size_t)(lo - keys), ihi = (size_t)(hi - keys);
            int llo = lines ? lines[ilo] : 0, lhi = lines ? lines[ihi] : 0;
            char range[96];
            if (llo > lhi) {
                snprintf(range, sizeof range, "below %s (%g)", hi->name, vhi);
                rs_msgf(err, cap, "%s:%d: key '%s': %g must be less than %s, allowed %s", file, llo,
                     lo->name, vlo, hi->name, range);
            } else {
                snprintf(range, sizeof range, "above %s (%g)", lo->name, vlo);
                rs_msgf(err, cap, "%s:%d: key '%s': %g must be greater than %s, allowed %s", file,
                     lhi, hi->name, vhi, lo->name, range);
            }
            return -1;
        }
    }
    return 0;
}

int rs_config_validate(const struct rs_config *cfg, char *err, size_t errcap)
{
    return validate(cfg, "config", NULL, err, errcap);
}

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* The error for a key that is not one: it names every key there is. -1. */
static int unknown_key(const char *shown, const char *filename, int lineno, char *err,
                       size_t errcap)
{
    char list[1400];
    size_t n = 0;
    list[0] = '\0';
    for (size_t i = 0; i < NKEYS && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", keys[i].name);
    rs_msgf(err, errcap, "%s:%d: key '%s': unknown key, allowed keys %s", filename, lineno, shown,
         list);
    return -1;
}

int rs_config_parse(struct rs_config *cfg, const char *text, const char *filename, char *err,
                    size_t errcap)
{
    if (!filename)
        filename = "config";
    if (err && errcap)
        err[0] = '\0';
    struct rs_config tmp = *cfg;
    int lines[NKEYS] = { 0 };
    int lineno = 0;
    const char *p = text ? text : "";
    char buf[256];
    for (int got; (got = rs_str_line(&p, buf, sizeof buf)) != 0;) {
        lineno++;
        if (got < 0) {
            rs_msgf(err, errcap, "%s:%d: line longer than %zu characters, allowed 'key = value'",
                 filename, lineno, sizeof buf - 1);
            return -1;
        }

        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = buf;
        while (is_space(*s))
            s++;
        char *end = s + strlen(s);
        while (end > s && is_space(end[-1]))
            *--end = '\0';
        if (*s == '\0')
            continue;

        char *eq = strchr(s, '=');
        char *kend = eq ? eq : s + strcspn(s, " \t");
        char key[64];
        size_t klen = (size_t)(kend - s);
        while (klen > 0 && is_space(s[klen - 1]))
            klen--;
        if (klen >= sizeof key)
            klen = sizeof key - 1;
        memcpy(key, s, klen);
        key[klen] = '\0';
        char shown[200]; /* bad bytes echoed escaped, on one line */
        rs_escape(key, klen, shown, sizeof shown);
        if (!eq) {
            rs_msgf(err, errcap, "%s:%d: key '%s': missing '=', allowed 'key = value'", filename,
                 lineno, shown);
            return -1;
        }
        const struct rs_config_key *k = rs_config_key_find(key);
        const char *why = retired_why(key);
        if (why) {
            rs_msgf(err, errcap, "%s:%d: key '%s': no longer used (%s), delete this line", filename,
                 lineno, key, why);
            return -1;
        }
        if (!k)
            return unknown_key(shown, filename, lineno, err, errcap);
        size_t ki = (size_t)(k - keys);
        char range[96];
        range_text(k, range, sizeof range);
        if (lines[ki]) {
            rs_msgf(err, errcap, "%s:%d: key '%s': set twice (first on line %d), allowed once",
                 filename, lineno, key, lines[ki]);
            return -1;
        }
        char *v = eq + 1;
        while (is_space(*v))
            v++;
        if (*v == '\0') {
            rs_msgf(err, errcap, "%s:%d: key '%s': missing value, allowed %s", filename, lineno, key,
                 range);
            return -1;
        }
        const char *vend;
        double val;
        if (rs_parse_decimal(v, &val, &vend) != 0 || *vend != '\0') {
            char vshown[200];
            rs_msgf(err, errcap, "%s:%d: key '%s': '%s' is not a number, allowed %s",
                 filename, lineno, key, rs_escape(v, strlen(v), vshown, sizeof vshown), range);
            return -1;
        }
        if (check_value(k, val, filename, lineno, "", err, errcap))
            return -1;
        *field(&tmp, k) = val;
        lines[ki] = lineno;
    }
    if (validate(&tmp, filename, lines, err, errcap))
        return -1;
    *cfg = tmp;
    return 0;
}

size_t rs_config_format(const struct rs_config *cfg, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < NKEYS; i++) {
        char range[96];
        range_text(&keys[i], range, sizeof range);
        /* past the end (or no buffer): only measured, as snprintf(NULL, 0) */
        char *dst = buf && n < cap ? buf + n : NULL;
        int w = snprintf(dst, dst ? cap - n : 0, "%s = %g   # %s (%s)\n", keys[i].name,
                         cfield(cfg, &keys[i]), keys[i].help, range);
        if (w > 0)
            n += (size_t)w;
    }
    return n;
}
