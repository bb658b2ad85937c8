/*
 * rs_replay.c - the replay engine (see rs_replay.h): stored frames through
 * the same pipeline as live, events grouped by frame and compared with the
 * recorded ones.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_jsonq.h"
#include "rs_replay.h"
#include "rs_session.h"

struct rs_replay {
    struct rs_reader *r;
    struct rs_replay_opts opts;
    struct rs_config cfg;
    struct rs_calib cal0;        /* the calibration at the start (snapshot) */
    struct rs_profile prof;
    /* The session the frames go into, exactly as rs_conn feeds live's
     * (its sink), and the pipeline events of the current item (its
     * pipeline_event observer). */
    struct rs_session *s;
    struct rs_sink sink;
    struct rs_events pend;
    int64_t first_dev_us, last_dev_us;
    bool have_span, ended;
    double pos_s;
    char notes[256];
    struct rs_replay_stats st;
    rs_replay_diff_fn diff_fn;
    void *diff_ctx;
    rs_replay_log_fn on_log;      /* the routine's rows */
    void *log_ctx;
    /* the current comparison group: events after frame group_id */
    int64_t group_id;
    double group_t;
    struct rs_events mine;       /* produced by the replay for this group */
    unsigned nrec;
    bool rec_overflow;
    char rec[RS_REPLAY_GROUP_MAX][RS_REPLAY_JSON_MAX];
};

void rs_replay_opts_default(struct rs_replay_opts *o)
{
    memset(o, 0, sizeof *o);
    o->mass_kg = o->calf_cm = o->force_limit_n = -1;
}

const char *rs_replay_diff_kind_name(enum rs_replay_diff_kind k)
{
    switch (k) {
    case RS_DIFF_MISSING: return "missing";
    case RS_DIFF_EXTRA: return "extra";
    case RS_DIFF_CHANGED: return "changed";
    case RS_DIFF_OVERFLOW: return "overflow";
    }
    return "unknown";
}

/* A connection's state change, as rs_conn reports it to its sink. */
static void conn_state(struct rs_replay *rp, enum rs_conn_state st, const char *reason)
{
    struct rs_conn_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = RS_CONN_EV_STATE;
    ev.t = rp->pos_s;
    ev.state = st;
    ev.port = "replay";
    ev.reason = reason;
    rp->sink.event(rp->sink.ctx, &ev);
}

static void on_pipeline_event(void *ctx, const struct rs_event *ev)
{
    struct rs_replay *rp = ctx;
    if (rp->pend.n < RS_EVENTS_MAX)
        rp->pend.ev[rp->pend.n++] = *ev;
    else
        rp->pend.dropped++;
}

/* The session from its start: streaming, as live was once it recorded. */
static void pipeline_start(struct rs_replay *rp)
{
    rs_session_reset(rp->s);
    rs_events_clear(&rp->pend);
    rp->pos_s = 0;
    rp->ended = false;
    rs_events_clear(&rp->mine);
    rp->nrec = 0;
    rp->rec_overflow = false;
    rp->group_id = 0;
    rp->group_t = 0;
    conn_state(rp, RS_CONN_STREAMING, NULL);
}

int rs_replay_open(struct rs_replay **out, const char *path, const struct rs_replay_opts *o,
                   char *msg, size_t msgcap)
{
    *out = NULL;
    struct rs_reader *r;
    int rc = rs_reader_open(&r, path, msg, msgcap);
    if (rc < 0)
        return rc;
    return rs_replay_open_reader(out, r, o, msg, msgcap);
}

int rs_replay_open_reader(struct rs_replay **out, struct rs_reader *r,
                          const struct rs_replay_opts *o, char *msg, size_t msgcap)
{
    *out = NULL;
    struct rs_replay *rp = calloc(1, sizeof *rp);
    if (!rp) {
        rs_reader_close(r);
        if (msg && msgcap)
            snprintf(msg, msgcap, "out of memory");
        return RS_READER_ECORRUPT;
    }
    rp->r = r;
    if (o)
        rp->opts = *o;
    else
        rs_replay_opts_default(&rp->opts);
    unsigned got = rs_snapshot_read(r, &rp->cfg, &rp->cal0, &rp->prof);
    bool cfg_given = rp->opts.cfg != NULL;
    if (cfg_given)
        rp->cfg = *rp->opts.cfg;
    if (rp->opts.mass_kg >= 0)
        rp->prof.body_mass_kg = rp->opts.mass_kg;
    if (rp->opts.calf_cm >= 0)
        rp->prof.calf_length_cm = rp->opts.calf_cm;
    if (rp->opts.force_limit_n >= 0)
        rp->prof.force_limit_n = rp->opts.force_limit_n;
    rp->opts.cfg = NULL; /* not kept: the caller's struct may go away */
    size_t n = 0;
    const char *what[3] = { NULL, NULL, NULL };
    if (!(got & RS_SNAP_THRESHOLDS) && !cfg_given)
        what[n++] = "thresholds (defaults used)";
    if (!(got & RS_SNAP_CALIBRATION))
        what[n++] = "calibration (nominal values until the device's cal frame)";
    if (!(got & RS_SNAP_PROFILE))
        what[n++] = "profile (defaults used)";
    if (n)
        snprintf(rp->notes, sizeof rp->notes, "the session's snapshot has no %s%s%s%s%s", what[0],
                 n > 1 ? ", no " : "", n > 1 ? what[1] : "", n > 2 ? ", no " : "",
                 n > 2 ? what[2] : "");
    uint64_t frames;
    if (rs_reader_span(r, &frames, &rp->first_dev_us, &rp->last_dev_us) == 0 && frames > 0 &&
        rp->last_dev_us >= rp->first_dev_us)
        rp->have_span = true;
    struct rs_session_config sc = { .cfg = rp->cfg, .cal = rp->cal0, .prof = rp->prof,
                                    .mode = RS_MODE_REPLAY };
    struct rs_session_observer ob = { .ctx = rp, .pipeline_event = on_pipeline_event };
    rp->s = rs_session_new(&sc);
    if (!rp->s || rs_session_observe(rp->s, &ob) != 0) {
        rs_replay_close(rp);
        if (msg && msgcap)
            snprintf(msg, msgcap, "out of memory");
        return RS_READER_ECORRUPT;
    }
    rp->sink = rs_session_sink(rp->s);
    pipeline_start(rp);
    *out = rp;
    return 0;
}

void rs_replay_close(struct rs_replay *rp)
{
    if (!rp)
        return;
    rs_reader_close(rp->r);
    rs_session_free(rp->s);
    free(rp);
}

void rs_replay_on_diff(struct rs_replay *rp, rs_replay_diff_fn fn, void *ctx)
{
    rp->diff_fn = fn;
    rp->diff_ctx = ctx;
}

void rs_replay_on_log(struct rs_replay *rp, rs_replay_log_fn fn, void *ctx)
{
    rp->on_log = fn;
    rp->log_ctx = ctx;
}

static void report(struct rs_replay *rp, enum rs_replay_diff_kind kind, const char *recorded,
                   const char *replayed)
{
    rp->st.differences++;
    if (!rp->diff_fn)
        return;
    struct rs_replay_diff d = { kind, rp->group_id, rp->group_t, recorded, replayed };
    rp->diff_fn(rp->diff_ctx, &d);
}

/* The value of "type" in an event's JSON, for pairing changed events. */
static void type_of(const char *json, char *out, size_t cap)
{
    if (!rs_jsonq_str(json, "type", out, cap))
        out[0] = '\0';
}

/*
 * Compare the group's recorded and replayed events: equal texts pair up
 * first (in order), then leftovers of the same type pair as "changed", the
 * rest are missing or extra. Then start an empty group after frame id.
 */
static void close_group(struct rs_replay *rp, int64_t next_id, double next_t)
{
    if (rp->opts.compare) {
        char mine[RS_EVENTS_MAX][RS_REPLAY_JSON_MAX];
        bool mine_used[RS_EVENTS_MAX] = { false }, rec_used[RS_REPLAY_GROUP_MAX] = { false };
        size_t nm = rp->mine.n;
        for (size_t i = 0; i < nm; i++)
            if (!rs_event_json(&rp->mine.ev[i], mine[i], sizeof mine[i]))
                mine[i][0] = '\0';
        for (size_t i = 0; i < nm; i++)
            for (unsigned k = 0; k < rp->nrec; k++)
                if (!rec_used[k] && strcmp(mine[i], rp->rec[k]) == 0) {
                    mine_used[i] = rec_used[k] = true;
                    break;
                }
        for (size_t i = 0; i < nm; i++) {
            if (mine_used[i])
                continue;
            char ta[32], tb[32];
            type_of(mine[i], ta, sizeof ta);
            for (unsigned k = 0; k < rp->nrec; k++) {
                if (rec_used[k])
                    continue;
                type_of(rp->rec[k], tb, sizeof tb);
                if (strcmp(ta, tb) == 0) {
                    mine_used[i] = rec_used[k] = true;
                    report(rp, RS_DIFF_CHANGED, rp->rec[k], mine[i]);
                    break;
                }
            }
        }
        for (unsigned k = 0; k < rp->nrec; k++)
            if (!rec_used[k])
                report(rp, RS_DIFF_MISSING, rp->rec[k], NULL);
        for (size_t i = 0; i < nm; i++)
            if (!mine_used[i])
                report(rp, RS_DIFF_EXTRA, NULL, mine[i]);
        if (rp->rec_overflow)
            report(rp, RS_DIFF_OVERFLOW, NULL, NULL);
    }
    rs_events_clear(&rp->mine);
    rp->nrec = 0;
    rp->rec_overflow = false;
    rp->group_id = next_id;
    rp->group_t = next_t;
}

/* Move the events the pipeline just produced into the group and to out. */
static void take(struct rs_replay *rp, struct rs_events *ev, struct rs_events *out)
{
    for (size_t i = 0; i < ev->n; i++) {
        rp->st.replayed_events++;
        if (rp->mine.n < RS_EVENTS_MAX)
            rp->mine.ev[rp->mine.n++] = ev->ev[i];
        else
            rp->mine.dropped++;
        if (out) {
            if (out->n < RS_EVENTS_MAX)
                out->ev[out->n++] = ev->ev[i];
            else
                out->dropped++;
        }
    }
    rs_events_clear(ev);
}

static double session_t(const struct rs_replay *rp, int64_t dev_us)
{
    return rp->have_span ? (double)(dev_us - rp->first_dev_us) / 1e6 : 0.0;
}

/*
 * One stored item. Returns 1 if it was a sample frame (pushed), else 0.
 * quiet: seeking, events are dropped and nothing is compared.
 */
static int feed(struct rs_replay *rp, const struct rs_item *it, struct rs_events *out, bool quiet)
{
    int sample = 0;
    switch (it->kind) {
    case RS_ITEM_FRAME: {
        rp->st.frames++;
        if (!quiet)
            close_group(rp, it->id, session_t(rp, it->dev_us));
        const struct rs_frame *f = &it->frame;
        double t = session_t(rp, it->dev_us);
        if (f->type == RS_FT_SAMPLE) {
            rp->st.samples++;
            rp->pos_s = t;
            sample = 1;
            rp->sink.sample(rp->sink.ctx, &f->u.sample, t);
        } else {
            /* faults, info (the cal state), the device's cal frame: the
             * session applies live's rules (rs_session.c) */
            rp->sink.frame(rp->sink.ctx, f, rp->pos_s);
        }
        break;
    }
    case RS_ITEM_GAP:
        /* seq and reset gaps the pipeline sees in the frames; a host gap
         * (unplug, stall) the session knows from the connection's state:
         * out of streaming (the pipeline marks the gap) and back */
        if (it->type && strcmp(it->type, "gap") == 0) {
            char reason[64];
            if (!rs_jsonq_str(it->json, "reason", reason, sizeof reason))
                snprintf(reason, sizeof reason, "gap");
            conn_state(rp, RS_CONN_DISCONNECTED, reason);
            conn_state(rp, RS_CONN_STREAMING, NULL);
            rp->st.host_gaps++;
        }
        break;
    case RS_ITEM_EVENT:
        if (it->type && strncmp(it->type, "routine_", 8) == 0) {
            if (!quiet && rp->on_log)
                rp->on_log(rp->log_ctx, it->type, it->json ? it->json : "{}");
            break;
        }
        if (!quiet && rp->opts.compare) {
            rp->st.recorded_events++;
            size_t len = it->json ? strlen(it->json) : 0;
            if (rp->nrec < RS_REPLAY_GROUP_MAX && len < RS_REPLAY_JSON_MAX) {
                memcpy(rp->rec[rp->nrec], it->json ? it->json : "", len + 1);
                rp->nrec++;
            } else {
                rp->rec_overflow = true;
            }
        }
        break;
    case RS_ITEM_MARK:
        break;
    }
    if (quiet)
        rs_events_clear(&rp->pend);
    else
        take(rp, &rp->pend, out);
    return sample;
}

int rs_replay_next(struct rs_replay *rp, struct rs_events *out)
{
    if (rp->ended)
        return 0;
    struct rs_item it;
    while (rs_reader_next(rp->r, &it) > 0)
        if (feed(rp, &it, out, false))
            return 1;
    /* the end of the recording ends the session (a running hold ends) */
    struct rs_conn_stats none;
    memset(&none, 0, sizeof none);
    rs_session_finish(rp->s, &none, rp->pos_s);
    take(rp, &rp->pend, out);
    close_group(rp, -1, rp->pos_s);
    rp->ended = true;
    return 0;
}

int rs_replay_seek(struct rs_replay *rp, double pos_s)
{
    rp->opts.compare = false;
    if (!rp->have_span)
        return 0;
    if (pos_s < 0)
        pos_s = 0;
    int64_t target = rp->first_dev_us + (int64_t)llround(pos_s * 1e6);
    if (pos_s < rp->pos_s || rp->ended || rp->st.samples == 0) {
        /* the pipeline's state depends on every earlier frame: start over */
        rs_reader_seek(rp->r, INT64_MIN);
        pipeline_start(rp);
    }
    struct rs_item it;
    while (rs_reader_next(rp->r, &it) > 0)
        if (feed(rp, &it, NULL, true) && it.dev_us >= target)
            break;
    rs_events_clear(&rp->mine);
    rp->nrec = 0;
    rs_session_take_cues(rp->s); /* the cues of the skipped part are not sounded */
    return 0;
}

double rs_replay_pos(const struct rs_replay *rp) { return rp->pos_s; }

double rs_replay_length(const struct rs_replay *rp)
{
    return rp->have_span ? (double)(rp->last_dev_us - rp->first_dev_us) / 1e6 : 0.0;
}

bool rs_replay_ended(const struct rs_replay *rp) { return rp->ended; }
const struct rs_pipeline *rs_replay_pipeline(const struct rs_replay *rp)
{
    return rs_session_pipeline(rp->s);
}

struct rs_session *rs_replay_session(struct rs_replay *rp) { return rp->s; }
struct rs_reader *rs_replay_reader(struct rs_replay *rp) { return rp->r; }
void rs_replay_get_stats(const struct rs_replay *rp, struct rs_replay_stats *st) { *st = rp->st; }
const char *rs_replay_notes(const struct rs_replay *rp) { return rp->notes; }

/* ---- pacing ----------------------------------------------------------------- */

int rs_replay_speed_valid(double speed)
{
    for (double s = RS_REPLAY_SPEED_MIN; s <= RS_REPLAY_SPEED_MAX; s *= 2)
        if (speed == s)
            return 0;
    return -1;
}

void rs_replay_clock_init(struct rs_replay_clock *c, double len_s, double speed)
{
    c->pos_s = 0;
    c->len_s = len_s > 0 ? len_s : 0;
    c->speed = rs_replay_speed_valid(speed) == 0 ? speed : 1.0;
    c->paused = false;
}

void rs_replay_clock_advance(struct rs_replay_clock *c, double wall_dt_s)
{
    if (c->paused || !(wall_dt_s > 0))
        return;
    c->pos_s += wall_dt_s * c->speed;
    if (c->pos_s > c->len_s)
        c->pos_s = c->len_s;
}

double rs_replay_clock_speed(struct rs_replay_clock *c, int steps)
{
    for (; steps > 0 && c->speed < RS_REPLAY_SPEED_MAX; steps--)
        c->speed *= 2;
    for (; steps < 0 && c->speed > RS_REPLAY_SPEED_MIN; steps++)
        c->speed /= 2;
    return c->speed;
}

void rs_replay_clock_seek(struct rs_replay_clock *c, double delta_s)
{
    c->pos_s += delta_s;
    if (!(c->pos_s >= 0))
        c->pos_s = 0;
    if (c->pos_s > c->len_s)
        c->pos_s = c->len_s;
}
