/*
 * rs_replay.h - re-running the detectors on a recorded session.
 *
 * A replay opens a session file (host/record's reader), sets up the same
 * session live used (host/session's rs_session, with the thresholds,
 * calibration and profile of the file's snapshot; see rs_snapshot_write)
 * and feeds the stored raw frames through the session's sink in recording
 * order, exactly as the connection fed them live: a state change to
 * streaming first, then sample frames, the other device frames (faults,
 * info, the cal frame: the session applies live's rules), and for a gap the
 * host logged (unplug, stall) a change out of streaming and back, which
 * makes the session mark the gap in the pipeline. Sequence gaps and device
 * resets are not replayed from the log: the pipeline sees them in the
 * frames themselves, as it did live. So the replay window shows what the
 * live window showed (charts, calf map, hold spots, counters), from the
 * same code.
 *
 * Compare. Live stores the events the pipeline produced for frame k right
 * after frame k (log rows with after_frame = k, docs/session-format.md).
 * The replay groups its own events the same way, by the frame whose push
 * produced them, and compares each group with the recorded one (JSON text
 * of rs_event_json, exact). A difference is reported per event through a
 * callback: recorded but not recomputed, recomputed but not recorded, or
 * the same type with other values. Groups are bounded (RS_REPLAY_GROUP_MAX
 * events), so comparing a 10-hour session takes constant memory.
 *
 * Memory is constant for any session length; the pipeline is re-run from
 * the start for a backward seek (it is a state machine over all earlier
 * frames, so there is no other exact way), at pipeline speed.
 *
 * The pacing clock (struct rs_replay_clock) is pure: the caller passes the
 * wall time that elapsed, the clock turns it into session time scaled by
 * the speed. Tests drive it with made-up times.
 */
#ifndef RS_REPLAY_H
#define RS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_config.h"
#include "rs_pipeline.h"
#include "rs_reader.h"
#include "rs_snapshot.h"

/* ---- replay engine ----------------------------------------------------------- */

#define RS_REPLAY_GROUP_MAX 64   /* recorded events per frame kept for comparing */
#define RS_REPLAY_JSON_MAX 1024  /* longest event JSON compared */

struct rs_replay_opts {
    const struct rs_config *cfg;  /* NULL: the session's thresholds (or defaults) */
    double mass_kg;               /* < 0: from the session's profile (or default) */
    double calf_cm;               /* < 0: likewise */
    double force_limit_n;         /* < 0: likewise */
    bool compare;                 /* compare with the recorded events */
};

/* All overrides off (everything from the session), compare off. */
void rs_replay_opts_default(struct rs_replay_opts *o);

enum rs_replay_diff_kind {
    RS_DIFF_MISSING = 0,  /* recorded, but the replay did not produce it */
    RS_DIFF_EXTRA = 1,    /* produced by the replay, not recorded */
    RS_DIFF_CHANGED = 2,  /* same event type at that frame, other values */
    RS_DIFF_OVERFLOW = 3, /* more recorded events at one frame than can be compared */
};

struct rs_replay_diff {
    enum rs_replay_diff_kind kind;
    int64_t frame_id;     /* the frame the events follow (0: before the first frame) */
    double t;             /* session time of that frame, s from the first sample */
    const char *recorded; /* event JSON or NULL; valid during the callback */
    const char *replayed; /* event JSON or NULL */
};

typedef void (*rs_replay_diff_fn)(void *ctx, const struct rs_replay_diff *d);

/* Counters of everything read and produced since open (re-runs for seeks included). */
struct rs_replay_stats {
    uint64_t frames;          /* stored frames read (all types) */
    uint64_t samples;         /* sample frames pushed */
    uint64_t recorded_events; /* event rows read (compare) */
    uint64_t replayed_events; /* events the replay produced */
    uint64_t differences;     /* diffs reported */
    uint64_t host_gaps;       /* host gap rows replayed */
};

struct rs_replay;

/*
 * Open path and set up the pipeline. On failure returns the reader's
 * negative error with its one-line message in msg. notes (may be NULL)
 * gets one line about what the snapshot lacked (e.g. "no calibration
 * snapshot: nominal values"), or "" when it had everything.
 */
int rs_replay_open(struct rs_replay **out, const char *path, const struct rs_replay_opts *o,
                   char *msg, size_t msgcap);
/* The same on an open reader (e.g. rs_reader_open_mem), which the replay
 * owns from then on, even when it fails. */
int rs_replay_open_reader(struct rs_replay **out, struct rs_reader *r,
                          const struct rs_replay_opts *o, char *msg, size_t msgcap);
void rs_replay_close(struct rs_replay *rp);

/* Differences go to fn (compare mode). */
void rs_replay_on_diff(struct rs_replay *rp, rs_replay_diff_fn fn, void *ctx);

/* The guided routine's rows (routine_step, routine_done): the session
 * wrote them, the pipeline does not make them, so they are never compared;
 * fn gets each (type and the recorded JSON) as the replay passes it. */
typedef void (*rs_replay_log_fn)(void *ctx, const char *type, const char *json);
void rs_replay_on_log(struct rs_replay *rp, rs_replay_log_fn fn, void *ctx);

/*
 * Process stored items up to and including the next sample frame: its events
 * (and those of non-sample frames and gaps before it) are appended to out
 * (not cleared; may be NULL). Returns 1, or 0 at the end of the session:
 * then the pipeline is finished (a running hold ends) and the last events
 * are appended, and the last comparison done. Calls after the end return 0.
 */
int rs_replay_next(struct rs_replay *rp, struct rs_events *out);

/*
 * Jump to session time pos_s (seconds from the first sample): the pipeline
 * is re-run from the start (backwards) or forward to the first sample at or
 * after pos_s, without reporting events or comparing. Turns compare off (a
 * comparison needs the whole session in order). 0.
 */
int rs_replay_seek(struct rs_replay *rp, double pos_s);

/* Session time of the last sample pushed (s from the first sample; 0 before). */
double rs_replay_pos(const struct rs_replay *rp);
/* Session length, s from the first to the last sample (from the stored span). */
double rs_replay_length(const struct rs_replay *rp);
/* True once rs_replay_next returned 0. */
bool rs_replay_ended(const struct rs_replay *rp);

const struct rs_pipeline *rs_replay_pipeline(const struct rs_replay *rp);
/* The session the frames go into (host/session): its view is what the
 * replay window shows; a backward seek resets it and plays it again. */
struct rs_session *rs_replay_session(struct rs_replay *rp);
struct rs_reader *rs_replay_reader(struct rs_replay *rp);
void rs_replay_get_stats(const struct rs_replay *rp, struct rs_replay_stats *st);
/* What the snapshot lacked, one line ("" if nothing). */
const char *rs_replay_notes(const struct rs_replay *rp);

const char *rs_replay_diff_kind_name(enum rs_replay_diff_kind k);

/* ---- the window ------------------------------------------------------------- */

struct rs_run_opts;

/*
 * The replay window: the session file as the input of host/session's
 * window loop (rs_run_window), paced by the replay clock at speed (0: 1),
 * with pause, speed, seek (a backward seek plays the session again from
 * its start, so the view is the one straight play shows) and frame steps.
 * With o->frame_step_s > 0 time is emulated (1 frame = that much wall
 * time); o->screenshot_after prints the position after the screenshot.
 * 0, or -1 with one line in err.
 */
int rs_replay_window(struct rs_replay *rp, const struct rs_run_opts *o, double speed, char *err,
                     size_t errcap);

/* ---- pacing -------------------------------------------------------------------- */

#define RS_REPLAY_SPEED_MIN 0.25
#define RS_REPLAY_SPEED_MAX 16.0

struct rs_replay_clock {
    double pos_s;   /* session time the display should have reached */
    double len_s;   /* session length; pos stays in 0..len */
    double speed;   /* 0.25 .. 16, in powers of two */
    bool paused;
};

void rs_replay_clock_init(struct rs_replay_clock *c, double len_s, double speed);
/* wall_dt_s of real time passed: pos advances by wall_dt_s * speed unless paused. */
void rs_replay_clock_advance(struct rs_replay_clock *c, double wall_dt_s);
/* Speed up (+) or down (-) by steps of x2, clamped to 0.25 .. 16. Returns the new speed. */
double rs_replay_clock_speed(struct rs_replay_clock *c, int steps);
/* Move pos by delta_s, clamped to 0 .. len. */
void rs_replay_clock_seek(struct rs_replay_clock *c, double delta_s);
/* A speed given on the command line: a power of two in 0.25 .. 16? 0 or -1. */
int rs_replay_speed_valid(double speed);

#endif
