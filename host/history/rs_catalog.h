/*
 * rs_catalog.h - the session catalog: a small file of per-session summaries
 * kept beside the session files (docs/catalog.md), so listing and drawing
 * years of sessions reads one file instead of thousands of databases.
 *
 * The catalog is never the only copy of anything: every figure in it comes
 * from a session file and is read again when that file changes. An entry is
 * kept while its file's size and modification time (and those of its -wal
 * side file) are unchanged; a new, changed or removed file updates the
 * catalog; a missing, unreadable or damaged catalog is rebuilt from the
 * files. It is written to a temporary file (0600) and renamed into place.
 *
 * The pure parts (entry building from events, staleness plan, text format
 * and its parser) take and return data and are unit tested
 * (tests/history/test_catalog.c); rs_catalog_load is the I/O shell.
 */
#ifndef RS_CATALOG_H
#define RS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_reader.h"

#define RS_CAT_FILE "catalog.rscat" /* in the session directory */
#define RS_CAT_VERSION 1
#define RS_CAT_NAME_MAX 128   /* a session file's name (longer names are not catalogued) */
#define RS_CAT_MSG_MAX 400    /* an error or damage line */
#define RS_CAT_HOLDS_MAX 32   /* holds kept per session (the first; more are counted) */

/* What identifies a version of a session file on disk. */
struct rs_cat_stamp {
    int64_t size, mtime_ns;         /* the .rsession file */
    int64_t wal_size, wal_mtime_ns; /* its -wal side file; 0, 0 when absent */
};

struct rs_cat_hold {
    int leg;         /* 0 left, 1 right */
    float pos_cm;    /* above the Achilles tendon; NAN when the event had none */
    float seconds;   /* hold duration */
    float bw_pct;    /* mean force of the hold, %BW; NAN when unknown */
};

struct rs_cat_entry {
    char name[RS_CAT_NAME_MAX];
    struct rs_cat_stamp stamp;
    bool readable;                  /* false: message says why */
    char message[RS_CAT_MSG_MAX];   /* the reader's error or damage line, "" none */
    struct rs_reader_summary sum;   /* start, duration, frames, holds, peak, ... */
    double calf_time_s[2];          /* contact time per calf; NAN unknown */
    double typical_bw_pct;          /* median of the holds' mean %BW; NAN unknown */
    int routines_done;              /* routine_done events with completed:true */
    int nholds;                     /* in hold[] (<= RS_CAT_HOLDS_MAX) */
    struct rs_cat_hold hold[RS_CAT_HOLDS_MAX];
};

struct rs_catalog {
    size_t n, cap;
    struct rs_cat_entry *e;         /* by file name: oldest first */
};

void rs_catalog_init(struct rs_catalog *c);
void rs_catalog_free(struct rs_catalog *c);
/* Append a copy of e. 0, or -1 when out of memory. */
int rs_catalog_push(struct rs_catalog *c, const struct rs_cat_entry *e);

/* ---- building an entry (pure) ---------------------------------------------- */

/* A fresh entry: unknowns NAN, no holds. */
void rs_cat_entry_init(struct rs_cat_entry *e, const char *name, const struct rs_cat_stamp *st);
/* Take one logged event: hold_end (leg, pos_cm, duration|duration_s,
 * mean_bw_pct) and routine_done (completed:true). Others are ignored. */
void rs_cat_entry_event(struct rs_cat_entry *e, const char *type, const char *json);
/* The "calf_time" meta ({"left_s":..,"right_s":..}), NULL: unknown. */
void rs_cat_entry_calf_time(struct rs_cat_entry *e, const char *json);
/* After the events: the typical force (median of the holds' mean %BW;
 * unknown for an uncalibrated roller, whose forces are nominal). */
void rs_cat_entry_finish(struct rs_cat_entry *e);
/* The median of v[0..n) (sorts v); NAN when n is 0. */
double rs_cat_median(float *v, size_t n);

/* ---- staleness (pure) ------------------------------------------------------ */

/* A session file as the directory shows it now. */
struct rs_cat_file {
    const char *name;
    struct rs_cat_stamp stamp;
};

/*
 * For each of the n files (sorted by name), the index of the old entry that
 * is still valid for it (same name and stamp), or -1 when it must be read.
 * Returns the number of files to read; *dropped gets the number of old
 * entries no file matches any more (removed or changed files).
 */
size_t rs_cat_plan(const struct rs_catalog *old, const struct rs_cat_file *files, size_t n,
                   long *keep, size_t *dropped);

/* ---- the file format (pure) ------------------------------------------------ */

/* The catalog as text (docs/catalog.md); malloc'd, *len its length. NULL
 * when out of memory. */
char *rs_cat_format(const struct rs_catalog *c, size_t *len);
/* Parse text into c (emptied first). 0, or -1 with the reason in err ("line
 * 12: bad hold", "checksum mismatch", ...); c is then empty. */
int rs_cat_parse(const char *text, size_t len, struct rs_catalog *c, char *err, size_t errcap);

/* ---- I/O ------------------------------------------------------------------- */

enum rs_cat_state {
    RS_CAT_FRESH,     /* the catalog file matched every session file */
    RS_CAT_UPDATED,   /* some sessions were new, changed or removed */
    RS_CAT_REBUILT,   /* there was no usable catalog: every file was read */
};

struct rs_cat_status {
    enum rs_cat_state state;
    size_t read;                  /* session files read */
    size_t dropped;               /* entries dropped */
    bool saved;                   /* the catalog file was written */
    int save_errno;               /* why it was not (0: it was, or nothing changed) */
    char note[RS_CAT_MSG_MAX + 160]; /* why it was rebuilt (damaged, unreadable), "" none */
};

/* Read the session file dir/e->name into e (whose name and stamp are set). */
void rs_cat_entry_read(const char *dir, struct rs_cat_entry *e);

/*
 * The catalog of dir, brought up to date: the catalog file is read, the
 * entries of new or changed session files are read from them, and the file
 * is written again when anything changed (unless save is false). A damaged
 * catalog is rebuilt (st->note says so). Returns 0, or -errno when dir
 * cannot be listed (c empty).
 */
int rs_catalog_load(const char *dir, bool save, struct rs_catalog *c, struct rs_cat_status *st);

/* Write c as dir/catalog.rscat: a 0600 temporary file renamed into place.
 * 0, or -errno. */
int rs_catalog_save(const char *dir, const struct rs_catalog *c);

#endif
