/*
 * rs_profiles.h - user profiles: body mass, calf length, optional force limit.
 *
 * Several named profiles, at most one active; the active one is what a live
 * session snapshots (rs_profiles_active). The profiles live on the host, in
 * one small text file:
 *   $XDG_CONFIG_HOME/rollsense/profiles.conf   (file 0600, directories 0700)
 * The pure part (parse, format, edit, validate) does no I/O; load and save
 * are the thin file shell. Saving is atomic (temporary file, fsync, rename).
 *
 * File format (docs/calibration.md):
 *   # comment
 *   active = NAME
 *   [NAME]
 *   body_mass_kg = 70
 *   calf_length_cm = 40
 *   force_limit_n = 0        (0 = no limit)
 * Every error returns a negative RS_PROFILES_* code and one sentence in why.
 */
#ifndef RS_PROFILES_H
#define RS_PROFILES_H

#include <stddef.h>
#include <stdint.h>

#include "rs_pipeline.h"

#define RS_PROFILES_MAX 16
#define RS_PROFILE_NAME_MAX 32   /* including the NUL */

enum {
    RS_PROFILES_IO = -1,        /* cannot read or write the file */
    RS_PROFILES_CORRUPT = -2,   /* the file does not parse (line number in why) */
    RS_PROFILES_BAD = -3,       /* a value or name is out of range */
    RS_PROFILES_NOT_FOUND = -4, /* no profile of that name */
    RS_PROFILES_FULL = -5,      /* RS_PROFILES_MAX profiles already */
};

/* Accepted ranges (the pipeline falls back to defaults outside them). */
#define RS_PROFILE_MASS_MIN 10.0
#define RS_PROFILE_MASS_MAX 500.0
#define RS_PROFILE_CALF_MIN 5.0
#define RS_PROFILE_CALF_MAX 64.0
#define RS_PROFILE_LIMIT_MAX 5000.0

struct rs_profile_entry {
    char name[RS_PROFILE_NAME_MAX];
    struct rs_profile p;
};

struct rs_profiles {
    size_t n;
    int active;                 /* index into e, or -1 */
    struct rs_profile_entry e[RS_PROFILES_MAX];
};

void rs_profiles_init(struct rs_profiles *ps);

/* A name is 1..31 characters of letters, digits, '-', '_' and '.'. */
int rs_profile_name_ok(const char *name);

/* 0 when every field is in range, else RS_PROFILES_BAD naming the field. */
int rs_profile_check(const struct rs_profile *p, char *why, size_t cap);

/* Index of the profile called name, or RS_PROFILES_NOT_FOUND. */
int rs_profiles_find(const struct rs_profiles *ps, const char *name);

/* Create or replace the profile called name (checked); returns its index. */
int rs_profiles_put(struct rs_profiles *ps, const char *name, const struct rs_profile *p,
                    char *why, size_t cap);

/* Make name the active profile. */
int rs_profiles_activate(struct rs_profiles *ps, const char *name, char *why, size_t cap);

/* Remove name; if it was active, no profile is active afterwards. */
int rs_profiles_remove(struct rs_profiles *ps, const char *name, char *why, size_t cap);

/* The active profile, or rs_profile_defaults() when none is active.
 * Returns the active name, or NULL for the defaults. */
const char *rs_profiles_active(const struct rs_profiles *ps, struct rs_profile *out);

/* Text form. format returns the length, or -1 when cap is too small. */
int rs_profiles_parse(const char *text, struct rs_profiles *ps, char *why, size_t cap);
int rs_profiles_format(const struct rs_profiles *ps, char *buf, size_t cap);

/*
 * Calf length from one roll from the Achilles to just below the knee: the
 * surface travel |enc_end - enc_start| / 16384 * 2 pi r, in cm. Handles the
 * 32-bit wrap of the cumulative count.
 */
double rs_profile_calf_from_travel(int32_t enc_start, int32_t enc_end, uint32_t radius_um);

/*
 * The profile as one JSON object for a session's snapshot (the recorder's
 * "profile" item): {"name":"anna","body_mass_kg":62,"calf_length_cm":38.5,
 * "force_limit_n":0}; name NULL or "" gives "name":null (the defaults).
 * Returns buf, or NULL when cap is too small (256 is always enough).
 */
const char *rs_profile_json(const struct rs_profile *p, const char *name, char *buf, size_t cap);

/* ---- file shell -------------------------------------------------------- */

/* $XDG_CONFIG_HOME/rollsense/profiles.conf (or ~/.config/...). 0 or -1 if it does not fit. */
int rs_profiles_path(char *buf, size_t cap);

/* Load; a missing file is an empty set (returns 0). */
int rs_profiles_load(const char *path, struct rs_profiles *ps, char *why, size_t cap);

/*
 * What a session snapshots at its start: the active profile from the default
 * path, or the defaults when there is no file or no active profile (name
 * gets "" then). A damaged file also gives the defaults, and returns
 * RS_PROFILES_CORRUPT with the reason so the caller can say so.
 */
int rs_profiles_load_active(struct rs_profile *out, char *name, size_t name_cap, char *why,
                            size_t cap);

/* Save atomically, creating missing directories with mode 0700, the file 0600. */
int rs_profiles_save(const char *path, const struct rs_profiles *ps, char *why, size_t cap);

#endif
