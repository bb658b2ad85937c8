/*
 * rs_record.h - the session recorder: one SQLite file per live session.
 *
 * The recorder is the I/O shell's end of the pipeline. It stores every frame
 * exactly as received (raw decoded bytes with their CRC, plus host receive
 * time and unwrapped device time), gaps, detector events, user marks and a
 * snapshot (device info, calibration, profile, thresholds, software version)
 * as meta rows of JSON text. It needs nothing from the detectors.
 *
 * Durability contract (docs/session-format.md):
 *   - rows are written inside one open transaction that is committed as soon
 *     as the uncommitted samples span RS_REC_COMMIT_DEV_US of device time
 *     (the kill -9 bound, independent of the host clock and the loop's pace),
 *     or at the first call (frame, event, tick) at which RS_REC_COMMIT_US of
 *     host time have passed since the last commit, so the live loop must
 *     call rs_rec_tick() at least every 250 ms when no frames arrive;
 *   - journal_mode=WAL, synchronous=NORMAL: a COMMIT is a write() into the
 *     page cache, so a killed process loses nothing committed and the live
 *     loop never waits for the disk. A syncer thread makes each commit
 *     durable (fdatasync of the -wal file) and checkpoints the WAL; a power
 *     cut loses at most what was not yet synced (the last commit interval
 *     plus one sync);
 *   - any write error (disk full, file size limit, I/O error) stops the
 *     recorder: the open batch is rolled back, rs_rec_error() gives one line
 *     for the user, every later call is a cheap no-op returning the same
 *     error, and everything committed before stays readable. The caller's
 *     live loop goes on.
 * Memory is constant: prepared statements, SQLite's page cache and a fixed
 * message buffer; nothing grows with the session length.
 *
 * All times come from the caller (host_us), so tests drive it with a fake
 * clock. Not thread-safe: one recorder belongs to one thread (the syncer is
 * internal and touches only the -wal file and its own connection).
 */
#ifndef RS_RECORD_H
#define RS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_proto.h"

/* Longest time between commits, microseconds of host time. */
#define RS_REC_COMMIT_US 250000
/* Longest span of device time of uncommitted samples: 100 ms leaves 150 ms
 * of the 250 ms kill -9 budget for bytes in flight and the loop's pass. */
#define RS_REC_COMMIT_DEV_US 100000

/* Error classes (0 is success). */
enum rs_rec_err {
    RS_REC_OK = 0,
    RS_REC_EOPEN = -1,   /* cannot create or open the file */
    RS_REC_EFULL = -2,   /* disk full or file size limit reached */
    RS_REC_EIO = -3,     /* another write error */
    RS_REC_EARG = -4,    /* bad argument (e.g. JSON text too long or not an object) */
};

struct rs_rec;

struct rs_rec_stats {
    uint64_t frames;          /* frames stored (committed or pending) */
    uint64_t committed_frames;/* frames in committed transactions */
    int64_t last_committed_dev_us; /* dev_us of the last committed frame, -1 if none */
    uint64_t commits;
    uint64_t gaps;            /* gap rows (automatic sequence gaps included) */
    uint64_t lost;            /* frames missing by sequence number */
    int64_t max_commit_us;    /* longest commit, wall time measured with CLOCK_MONOTONIC */
    uint64_t syncs;           /* fdatasync rounds of the syncer thread */
    uint64_t synced_commits;  /* commits made durable against power loss */
    int64_t max_sync_us;      /* longest sync round (CLOCK_MONOTONIC) */
};

/*
 * Create a new session file at path (mode 0600, must not exist yet) and
 * write the schema and the start time. host_us is the host wall clock now.
 * tz_offset_s is the local UTC offset in seconds, kept for ISO 8601 times.
 * Returns 0 and *out, or a negative enum rs_rec_err with a message in
 * err (may be NULL).
 */
int rs_rec_open(struct rs_rec **out, const char *path, int64_t host_us,
                int tz_offset_s, char *err, size_t errcap);

/*
 * Store one snapshot item: key (e.g. "device_info", "calibration",
 * "profile", "thresholds", "software") -> JSON text. Replaces an earlier value
 * of the same key. Helpers for protocol structs are below.
 */
int rs_rec_meta(struct rs_rec *r, const char *key, const char *json);
int rs_rec_meta_info(struct rs_rec *r, const struct rs_info *info);
int rs_rec_meta_cal(struct rs_rec *r, const struct rs_cal *cal);

/*
 * Store one frame as received at host time host_us. Sample frames extend
 * the device clock (t_us unwrapped to 64 bits) and a jump in seq adds a gap
 * row automatically (reason "seq"). May commit (see the contract above).
 */
int rs_rec_frame(struct rs_rec *r, int64_t host_us, const struct rs_frame *f);

/* A gap the caller knows of (device unplugged, reconnect): reason is free text. */
int rs_rec_gap(struct rs_rec *r, int64_t host_us, const char *reason);

/*
 * A detector event at device time dev_us (-1: the last frame's): type
 * ("hold_start", "hold_end", ...) and its JSON object (RS_REC_EARG if json is
 * not one object). hold_end events carry
 * duration_s, leg ("left"/"right") and peak_bw_pct; the session listing
 * falls back to them when a session has no summary.
 */
int rs_rec_event(struct rs_rec *r, int64_t host_us, int64_t dev_us,
                 const char *type, const char *json);

/* A user mark with a short label. */
int rs_rec_mark(struct rs_rec *r, int64_t host_us, const char *label);

/* Commit if the commit interval has passed; call from the live loop. */
int rs_rec_tick(struct rs_rec *r, int64_t host_us);

/* Commit now (e.g. before a long pause). */
int rs_rec_flush(struct rs_rec *r);

/*
 * Close the session: store the summary (JSON object from the pipeline, or
 * NULL to compute one from the stored hold_end events), the end time, commit
 * and close. Frees r even on error; returns the first error seen.
 */
int rs_rec_close(struct rs_rec *r, int64_t host_us, const char *summary_json);

/* 0 while recording, else the error that stopped it. */
int rs_rec_status(const struct rs_rec *r);

/* One line for the user once stopped ("recording stopped: disk full (...); live
 * feedback goes on; the session file keeps the first 12.3 s ..."), or NULL. */
const char *rs_rec_error(const struct rs_rec *r);

void rs_rec_get_stats(const struct rs_rec *r, struct rs_rec_stats *st);

/* Test hook: called after every successful commit (may be NULL). */
void rs_rec_on_commit(struct rs_rec *r, void (*fn)(void *ctx, const struct rs_rec_stats *st),
                      void *ctx);

/*
 * Test hook: replace the syncer's fdatasync(fd) (e.g. by one that blocks
 * until released, to show that commits never wait for it). NULL restores it.
 */
void rs_rec_set_sync_hook(struct rs_rec *r, int (*fn)(void *ctx, int fd), void *ctx);

/* ---- where sessions live --------------------------------------------- */

/*
 * The session directory: $XDG_DATA_HOME/rollsense/sessions, or
 * ~/.local/share/rollsense/sessions when XDG_DATA_HOME is unset or not
 * absolute (XDG Base Directory rule). Returns 0, or -1 if it does not fit or
 * HOME is unset.
 */
int rs_rec_session_dir(char *buf, size_t cap);

/* mkdir -p with mode 0700 for the directories it creates. 0 or -errno. */
int rs_rec_mkdirs(const char *dir);

/*
 * A new file name in dir for a session starting at host_us (local time):
 * dir/YYYY-MM-DDTHH-MM-SS.rsession, with -2, -3 ... if taken. 0 or -1.
 */
int rs_rec_new_path(const char *dir, int64_t host_us, char *buf, size_t cap);

/* Local UTC offset in seconds at host_us (wall clock). */
int rs_rec_tz_offset(int64_t host_us);

/* Host wall clock now, microseconds since 1970. */
int64_t rs_rec_now_us(void);

const char *rs_rec_strerror(int err);

/*
 * Command-line options of the commands that record (live, demo):
 *   --record PATH   record to PATH instead of the session directory
 *   --no-record     do not record
 * Call for argv[*i]; returns 1 if it consumed the option (and its value,
 * advancing *i), 0 if argv[*i] is not a recording option, -1 if --record
 * lacks its value.
 */
struct rs_rec_opts {
    bool enabled;      /* default true */
    const char *path;  /* NULL: a new name in rs_rec_session_dir() */
};
int rs_rec_parse_opt(int argc, char **argv, int *i, struct rs_rec_opts *o);

/*
 * What live and demo do for `--record PATH` / default recording: open a new
 * session at path, or (path NULL) at a new name in rs_rec_session_dir(),
 * creating the directories 0700. Host clock and local UTC offset from the
 * system. The chosen path is copied to path_out (may be NULL).
 */
int rs_rec_start(struct rs_rec **out, const char *path, char *path_out, size_t path_cap,
                 char *err, size_t errcap);

#endif
