/*
 * rs_conn.h - the life of one live session's connection to a roller.
 *
 * open -> request info and start streaming (and, once the info frame names
 * the session's roller, its calibration: GET_CAL) -> deliver samples; on unplug or
 * I/O error: mark a gap, keep the session, reconnect when the same roller
 * (same serial number) returns, resume. Discovery and hotplug pick the port
 * when none is given. The caller drives it with rs_conn_step() in a loop;
 * every step waits (never spins) for at most its max_wait_ms.
 *
 * THE HOOK: struct rs_sink receives every decoded sample, every other device
 * frame and every connection event. The live pipeline (detectors, rs_core),
 * the recorder and the window attach there; nothing else sees the bytes.
 */
#ifndef RS_CONN_H
#define RS_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_link.h"
#include "rs_proto.h"

enum rs_conn_state {
    RS_CONN_SEARCHING,     /* no link: waiting for the port or a roller to appear */
    RS_CONN_CONNECTING,    /* link open, info and start requested, no sample yet */
    RS_CONN_STREAMING,     /* samples arriving */
    RS_CONN_DISCONNECTED,  /* link lost after streaming: a gap is open */
    RS_CONN_STALLED,       /* link open but no sample for stall_ms: start is resent */
};

const char *rs_conn_state_name(enum rs_conn_state s);

enum rs_conn_event_type {
    RS_CONN_EV_STATE,    /* state changed (state, port, reason) */
    RS_CONN_EV_INFO,     /* the roller's info frame arrived (info, version) */
    RS_CONN_EV_GAP,      /* a gap closed: frames resumed (or the session ended) */
    RS_CONN_EV_LOST,     /* sequence numbers skipped while streaming */
    RS_CONN_EV_NOTICE,   /* something the user should know (reason) */
};

struct rs_conn_event {
    enum rs_conn_event_type type;
    double t;                       /* session seconds (host monotonic clock) */
    enum rs_conn_state state;
    const char *port;               /* current or last port, never NULL */
    const char *reason;             /* short text, may be NULL */
    const struct rs_info *info;     /* RS_CONN_EV_INFO */
    uint8_t version;                /* RS_CONN_EV_INFO: protocol version */
    /* RS_CONN_EV_GAP */
    double gap_start, gap_end;      /* session seconds: last sample before, first after */
    int64_t missed;                 /* frames the device made meanwhile; -1 unknown */
    bool restarted;                 /* the device restarted meanwhile: missed is
                                     * estimated from the host time (rs_gap_missed) */
    bool resumed;                   /* false when the session ended inside the gap */
    double wait_cpu_s;              /* CPU time spent while the device was away */
    /* RS_CONN_EV_LOST */
    uint32_t seq;                   /* first sample after the loss */
    uint32_t count;
};

struct rs_sink {
    void *ctx;
    /* Every decoded sample; t = its time on the host clock (session seconds). */
    void (*sample)(void *ctx, const struct rs_sample *s, double t);
    /* Every other intact device frame (info, reply, fault, cal). May be NULL. */
    void (*frame)(void *ctx, const struct rs_frame *f, double t);
    /* Connection events. May be NULL. */
    void (*event)(void *ctx, const struct rs_conn_event *ev);
    /* Every chunk of bytes exactly as read from the port, before decoding
     * (raw captures, `rollsense decode` input). May be NULL. */
    void (*bytes)(void *ctx, const uint8_t *buf, size_t n);
};

struct rs_conn_config {
    const char *port;     /* explicit path (any backend); NULL: discover */
    const char *serial;   /* --device SERIAL; NULL: the only roller */
    /* In-process devices: when set, used instead of port and discovery. */
    int (*open_link)(void *ctx, struct rs_link **out);
    void *open_ctx;
    int retry_ms;         /* reopen interval while the port is absent; 0: 200 */
    int info_timeout_ms;  /* resend info/start after this silence; 0: 1000 */
    int stall_ms;         /* streaming but silent this long = stalled; 0: 2000 */
    /* Optional session clock, for emulated time (`rollsense demo --fast`,
     * tests): now_us returns monotonic µs, sleep_us waits or advances it.
     * Give the byte source of open_link the same clock. Both NULL: the real
     * monotonic clock and poll(). */
    void *clock_ctx;
    uint64_t (*now_us)(void *clock_ctx);
    void (*sleep_us)(void *clock_ctx, uint64_t us);
};

/* Fatal conditions: the session cannot go on (message: rs_conn_message()). */
enum rs_conn_err {
    RS_CONN_ERR_VERSION = -20,   /* the roller speaks another protocol version */
    RS_CONN_ERR_PICK = -21,      /* several rollers and no --device */
    RS_CONN_ERR_ACCESS = -22,    /* the port exists but may not be opened */
    RS_CONN_ERR_NOMEM = -23,
    RS_CONN_ERR_BUSY = -24,      /* another program owns the port (before the first sample) */
};

struct rs_conn_stats {
    uint64_t frames;          /* sample frames delivered */
    uint64_t lost;            /* skipped sequence numbers while streaming */
    uint32_t gaps;            /* disconnections after streaming had begun */
    uint64_t gap_missed;      /* frames the device made during gaps (when known) */
    uint32_t gap_restarts;    /* gaps across which the device restarted */
    struct rs_decoder_stats dec; /* decoder counters summed over all connections */
    uint64_t bytes;
    double rate_hz;           /* sample frames per second while streaming */
    double wait_s;            /* time without a link (searching or in a gap) */
    double wait_cpu_s;        /* CPU time used during wait_s */
    double drift_ppm;
    uint32_t clock_jumps;
    uint32_t seq_resets;
    uint32_t connects;
    uint64_t steps;           /* rs_conn_step() calls: a waiting loop that spun would show here */
    uint64_t scans;           /* port scans made by discovery */
    uint32_t stalls;          /* times samples stopped without the link failing */
    char serial[RS_SERIAL_LEN + 1]; /* the session's roller, "" until known */
    /* Another roller refused on the session's port ("(no serial)" when it
     * sent none); "" when none is attached instead of the session's. */
    char refused[RS_SERIAL_LEN + 1];
};

struct rs_conn;

/* Copies cfg (strings must outlive the connection) and sink. NULL on OOM. */
struct rs_conn *rs_conn_new(const struct rs_conn_config *cfg, const struct rs_sink *sink);

/* One bounded step: wait up to max_wait_ms for data or for the device.
 * Returns 0, or a negative rs_conn_err when the session cannot continue. */
int rs_conn_step(struct rs_conn *c, int max_wait_ms);

enum rs_conn_state rs_conn_state(const struct rs_conn *c);
void rs_conn_get_stats(const struct rs_conn *c, struct rs_conn_stats *st);
/* The message for the last fatal error (one line, no trailing newline). */
const char *rs_conn_message(const struct rs_conn *c);
/* Session seconds now. */
double rs_conn_now(const struct rs_conn *c);

/*
 * Send one command frame (type RS_FT_CMD_*, with its argument in cmd->u.cmd)
 * on the session's link, for a program that holds the connection and needs
 * to talk to the roller meanwhile (the window's calibration wizard). The
 * token is chosen here and returned in *token (may be NULL); the roller's
 * reply and data frames reach the sink's frame callback like any other
 * frame, so the caller matches them by token and command. Nothing is
 * resent: the caller resends after its own timeout (commands are
 * idempotent). Returns 0, RS_LINK_ERR_NOT_FOUND while there is no link, or
 * the link's error (the link is then dropped as on a read error: a gap opens
 * and the connection reconnects).
 */
int rs_conn_send(struct rs_conn *c, const struct rs_frame *cmd, uint8_t *token);

/* End the session: stop streaming, close a gap still open, close the link.
 * Stats stay readable until rs_conn_free(). */
void rs_conn_finish(struct rs_conn *c);
/* With RS_LOOP_STATS set in the environment, prints one line on stderr
 * first: steps, scans and opens, and the session time they cover (counts,
 * not times: tests judge idleness by them on any machine, docs/testing.md). */
void rs_conn_free(struct rs_conn *c);

/*
 * Ask an open link for its info frame (for `rollsense devices`): sends
 * GET_INFO, resends every 300 ms, waits up to timeout_ms. Returns 0 with
 * *info and *version, RS_CONN_ERR_VERSION (with *version = the roller's),
 * RS_LINK_ERR_TIMEOUT, or another rs_link_err.
 */
int rs_probe_info(struct rs_link *l, int timeout_ms, struct rs_info *info, uint8_t *version);

#endif
