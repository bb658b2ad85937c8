/*
 * rs_config.h - every detection threshold of rollsense in one struct, its
 * defaults (docs/config.md, with their sources) and a validating parser for the
 * `key = value` config file documented in docs/config.md.
 *
 * Pure: the caller reads the file and hands in its text. The parser never
 * allocates and never half-applies: on any error *cfg is left unchanged.
 */
#ifndef RS_CONFIG_H
#define RS_CONFIG_H

#include <stddef.h>

struct rs_config {
    /* stillness and speed */
    double still_speed_cm_s;     /* still below this windowed speed */
    double still_net_cm;         /* ... and less net movement than this */
    double still_time_s;         /* ... for this long before a hold starts */
    double still_drift_cm_s;     /* still: drift of the 0.5 s mean position below this */
    double depart_cm;            /* 0.25 s mean position this far off the spot: leaving */
    double cue_confirm_ms;       /* hold start and cues are decided this long after due */
    double speed_window_ms;      /* speed estimator window */
    double speed_brisk_cm_s;     /* slow below, brisk from here */
    double speed_too_fast_cm_s;  /* too fast above */
    double band_dwell_ms;        /* a band must persist this long before it is reported */
    /* force bands, %BW lower edges */
    double force_light_pct;      /* below: no contact */
    double force_moderate_pct;
    double force_typical_pct;
    double force_high_pct;
    double force_warn_pct;       /* no extra benefit (too hard) */
    double force_overload_pct;
    double contact_off_ms;       /* contact ends after this long below force_light_pct */
    /* holds */
    double hold_min_bw_pct;      /* hold needs force >= this %BW ... */
    double hold_min_rolling_frac;/* ... and >= this fraction of the rolling mean */
    double hold_move_end_cm;     /* moved further than this from the spot: end */
    double hold_dip_frac;        /* force below this fraction of the hold mean is a dip */
    double hold_dip_max_s;       /* a dip longer than this ends the hold */
    double cue_min_s, cue_target_s, cue_long_s, cue_release_s;
    /* dose */
    double dose_holds_per_leg;
    double dose_switch_min;
    double dose_stop_min;
    /* geometry */
    double knee_zone_cm;
    double leg_threshold_mm;
    /* sensor */
    double autozero_band_n;      /* |force| below this per side and still = unloaded */
    double autozero_tau_s;       /* tracking time constant */
    double autozero_limit_n;     /* max correction per side */
    double autozero_still_s;     /* unloaded and still this long before tracking */
    double gap_bridge_ms;        /* gaps up to this do not end a hold */
};

/* Fill *cfg with the documented defaults. */
void rs_config_defaults(struct rs_config *cfg);

/*
 * Parse config text ("key = value", '#' comments, blank lines) on top of
 * *cfg. Unknown keys, duplicate keys, values that are not numbers or outside
 * their range, and bands out of order are errors. On error returns a
 * negative value, leaves *cfg unchanged and writes one line
 * "FILE:LINE: key 'x': <why>, allowed <range>" into err (if errcap > 0).
 * Returns 0 on success.
 */
int rs_config_parse(struct rs_config *cfg, const char *text, const char *filename,
                    char *err, size_t errcap);

/* Check a whole struct (ranges and ordering), e.g. after setters. 0 or negative. */
int rs_config_validate(const struct rs_config *cfg, char *err, size_t errcap);

/* Table access, for docs, tests and `--print-config`. */
struct rs_config_key {
    const char *name;
    size_t offset;       /* of the double in struct rs_config */
    double min, max;     /* inclusive */
    int integer;         /* 1: must be a whole number */
    const char *unit;
    const char *help;
};
size_t rs_config_key_count(void);
const struct rs_config_key *rs_config_key_at(size_t i);
const struct rs_config_key *rs_config_key_find(const char *name);

/* Write the config as a parseable file text. Returns bytes needed (like snprintf). */
size_t rs_config_format(const struct rs_config *cfg, char *buf, size_t cap);

#endif
