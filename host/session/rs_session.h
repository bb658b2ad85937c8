/*
 * rs_session.h - one live, demo or replayed session: the glue between the
 * connection (rs_conn's struct rs_sink; a replay calls the same sink), the
 * detector pipeline (rs_pipeline), the JSON lines of docs/live-json.md, the
 * window's plain-data view (struct rs_view) and the recorder.
 *
 *   rs_conn --sink--> rs_session --> rs_pipeline --> events
 *                        |                            |
 *                        +--> observers (recorder) <--+
 *                        +--> JSON lines (line callback)
 *                        +--> struct rs_view (rs_session_view) --> window
 *
 * Contract
 * - No clock is read and nothing is printed here: times come with the
 *   samples and events (session seconds of rs_conn), JSON lines go to the
 *   caller's line callback, the view is filled on request. So the same code
 *   runs in real time, in emulated time (demo --fast) and in unit tests.
 * - Event times: the pipeline counts device seconds since the first sample;
 *   in the JSON lines and for observers they are shifted onto the session
 *   clock (t, and a hold's start/end), so every line of one stream shares one
 *   time base (docs/live-json.md).
 * - The pipeline's own `gap` events are not written as JSON lines: the
 *   connection's `gap` and `lost` objects report the same losses with host
 *   times, and a script counting `gap` lines must see one per disconnection.
 *   Observers still receive them.
 * - No allocation after rs_session_new(); one sample costs one pipeline step
 *   plus at most a few JSON lines.
 */
#ifndef RS_SESSION_H
#define RS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_config.h"
#include "rs_conn.h"
#include "rs_pipeline.h"
#include "rs_routine.h"
#include "rs_view.h"

/* What a recorder needs to describe the session: written at attach time and
 * again whenever one of them changes (info frame, calibration). */
struct rs_session_snapshot {
    bool have_info;
    struct rs_info info;          /* valid when have_info */
    uint8_t protocol;             /* protocol version of the info frame */
    struct rs_calib cal;          /* calibration in use */
    struct rs_profile prof;
    struct rs_config cfg;
    const char *software;         /* e.g. "rollsense 0.1.0"; never NULL */
};

/*
 * THE ATTACH POINT for the recorder (host/record) and anything else that
 * wants the whole session: every member may be NULL. Callbacks run in the
 * session's thread, in arrival order; they must not call back into the
 * session. t is always session seconds.
 */
struct rs_session_observer {
    void *ctx;
    /* Every decoded sample, with its time on the host clock. */
    void (*sample)(void *ctx, const struct rs_sample *s, double t);
    /* Every other device frame (info, reply, fault, cal). */
    void (*frame)(void *ctx, const struct rs_frame *f, double t);
    /* Every raw chunk exactly as read from the port. rs_sink's bytes hook
     * carries no time, so t is the session time of the latest sample or
     * connection event (the chunk arrived at or after it). */
    void (*bytes)(void *ctx, const uint8_t *buf, size_t n, double t);
    /* Connection events (status, gaps, lost frames, notices). */
    void (*conn_event)(void *ctx, const struct rs_conn_event *ev);
    /* Pipeline events, times already on the session clock (gaps included). */
    void (*event)(void *ctx, const struct rs_event *ev);
    /* A user mark (space in the window). label may be "". */
    void (*mark)(void *ctx, double t, const char *label);
    /* Device info, calibration, profile and config (see above). */
    void (*snapshot)(void *ctx, const struct rs_session_snapshot *snap);
    /* The same events as `event`, as the pipeline produced them (device
     * seconds since the first sample, not shifted): what the recorder stores,
     * so a replay's rs_event_json can be compared with them exactly. */
    void (*pipeline_event)(void *ctx, const struct rs_event *ev);
    /* The session's own events (the guided routine's routine_step and
     * routine_done, rs_rtglue.h): type and the JSON object with its t in
     * device seconds, like pipeline_event (what the recorder stores). */
    void (*log_event)(void *ctx, const char *type, const char *json);
};

#define RS_SESSION_OBSERVERS_MAX 4

struct rs_session_config {
    struct rs_config cfg;         /* validated thresholds */
    struct rs_calib cal;          /* starting calibration (a cal frame may replace it) */
    struct rs_profile prof;
    enum rs_view_mode mode;       /* RS_MODE_LIVE, RS_MODE_DEMO or RS_MODE_REPLAY */
    bool frames;                  /* JSON: one line per sample and device frame */
    /* JSON lines (one object, no newline); NULL: no JSON. */
    void (*line)(void *ctx, const char *json);
    void *line_ctx;
    const char *software;         /* for the snapshot; NULL: "rollsense" */
    /* JSON: also the live state every state_every seconds of device time
     * (rs_session_state_json); <= 0: never. */
    double state_every;
    /* The guided routine (rollsense routine, demo --routine): on when
     * routine is set, with this plan (rs_routine_plan_check passed). */
    bool routine;
    struct rs_routine_plan plan;
};

struct rs_session;

/* NULL on out of memory. The config is copied. */
struct rs_session *rs_session_new(const struct rs_session_config *cfg);
void rs_session_free(struct rs_session *s);

/* Start over as if just made (replay's backward seek): the pipeline, the
 * connection state, charts, hold spots, counters and cues; the config and
 * the observers stay. Observers get no notice. */
void rs_session_reset(struct rs_session *s);

/* The sink to give rs_conn_new(); ctx is the session. */
struct rs_sink rs_session_sink(struct rs_session *s);

/* Attach an observer (copied); it gets a snapshot at once. 0, or -1 when
 * RS_SESSION_OBSERVERS_MAX are attached already. */
int rs_session_observe(struct rs_session *s, const struct rs_session_observer *o);

/* Detach every observer whose ctx is ctx (before freeing it). */
void rs_session_unobserve(struct rs_session *s, void *ctx);

/* A user mark at session time t: a {"type":"mark"} line and the observers. */
void rs_session_mark(struct rs_session *s, double t, const char *label);

/* The roller's calibration block as its last cal frame (or
 * rs_session_apply_cal) gave it; false while none is known. */
bool rs_session_cal_block(const struct rs_session *s, struct rs_cal *out);

/*
 * A block the roller has just saved (SET_CAL, SAVE_CAL and a matching
 * read-back, done by the caller): use it from the next sample on
 * (rs_pipeline_set_calib, calibrated), and tell the observers with a new
 * snapshot, so a recording notes the calibration change.
 */
void rs_session_apply_cal(struct rs_session *s, const struct rs_cal *blk);

/* The profile in use. */
void rs_session_profile(const struct rs_session *s, struct rs_profile *out);

/* A new profile (e.g. a measured calf length) from the next sample on
 * (rs_pipeline_set_profile: %BW, knee zone), and a new snapshot. */
void rs_session_apply_profile(struct rs_session *s, const struct rs_profile *p);

/* Shown in the status bar; the recorder's owner sets it. */
void rs_session_set_recording(struct rs_session *s, bool on);
/* Recording stopped on an error (disk full): the status bar says REC OFF. */
void rs_session_set_recording_failed(struct rs_session *s, bool failed);

/* The routine's keys (space: go on, n: skip); nothing without a routine.
 * rs_session_routine_go: false when the session has no routine. */
bool rs_session_routine_go(struct rs_session *s);
void rs_session_routine_skip(struct rs_session *s);

/* The routine's state for the window; false when the session has no routine
 * (v untouched). */
bool rs_session_routine_view(const struct rs_session *s, struct rs_routine_view *v);

/* The routine's spoken phrases due since the last call (enum rs_phrase),
 * cleared: how many went into out (at most max). Its tone comes with the
 * cues (RS_CUE_STEP). */
int rs_session_take_phrases(struct rs_session *s, int *out, int max);

/* Cues due from the events since the last call (1u << enum rs_cue), cleared. */
unsigned rs_session_take_cues(struct rs_session *s);

/*
 * End of the session, after rs_conn_finish(): ends a running hold (its
 * events are written), then writes the summary line that merges the
 * connection's stats with the pipeline's summary. duration_s: session length.
 */
void rs_session_finish(struct rs_session *s, const struct rs_conn_stats *st, double duration_s);

/* Fill the window's view for session time now (status bar clock). */
void rs_session_view(const struct rs_session *s, double now, struct rs_view *v);

const struct rs_live *rs_session_live(const struct rs_session *s);
/* The session's pipeline, read-only (its summary, config, calibration). */
const struct rs_pipeline *rs_session_pipeline(const struct rs_session *s);
void rs_session_summary(const struct rs_session *s, struct rs_summary *out);

/* ---- pure helpers (unit-tested without a connection or a window) ---------- */

/* rs_event_json with the event's times shifted by offset_s (device seconds
 * -> session seconds). NULL if cap is too small (512 is enough). */
const char *rs_session_event_json(const struct rs_event *ev, double offset_s, char *buf, size_t cap);

/* The summary line: the connection's counters of docs/live-json.md first
 * (frames, lost, crc_errors, gaps, rate_hz, duration_s, ...), then the
 * pipeline's (holds_left, ..., calibrated). NULL if cap is too small
 * (2048 is enough). */
const char *rs_session_summary_json(const struct rs_conn_stats *st, double duration_s,
                                    const struct rs_summary *sum, char *buf, size_t cap);

/* Periodic state lines (--state-every S): a grid of device time from 0. */
struct rs_state_clock {
    double every;                 /* seconds; <= 0: never due */
    double next;                  /* device time of the next line */
};

/* True when a line is due at device time t (the clock then moves past t:
 * one line per sample at most, whatever the step). */
bool rs_state_clock_due(struct rs_state_clock *c, double t);

/* The live state as one line {"type":"state","t":...} (docs/live-json.md),
 * t shifted by offset_s (device -> session seconds; analyze: 0). NULL if cap
 * is too small (512 is enough). */
const char *rs_session_state_json(const struct rs_live *L, double offset_s, char *buf, size_t cap);

/* The routine's state (rs_routine_view) as the window's routine panel
 * shows it (rs_routineview.h); started: the routine's clock runs. */
void rs_session_routine_map(const struct rs_routine_view *rv, bool started,
                            struct rs_view_routine *o);

/* The cue an event should sound (1u << enum rs_cue), or 0. */
unsigned rs_session_event_cues(const struct rs_event *ev, const struct rs_config *cfg);

/* Connection state as the status bar shows it. */
enum rs_view_link rs_session_link(enum rs_conn_state st, bool ever_connected);

/*
 * The live state onto the view: force, bands, speed, hold, leg, position,
 * knee zone, counters, advice, calf maps (time, mean pressure; hold spots
 * come from hold_bins), sensor status. Leaves history, link, recording,
 * session time and loss to the caller. prof gives %BW for the maps; cfg the
 * knee zone depth. raw_sum: left + right raw counts of the last sample,
 * shown instead of newtons when the calibration is not a real one.
 */
void rs_session_map_live(const struct rs_live *L, const struct rs_profile *prof,
                         const struct rs_config *cfg, const uint8_t hold_bins[2][RS_VIEW_CALF_BINS],
                         int32_t raw_sum, struct rs_view *v);

#endif
