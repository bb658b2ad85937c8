/* rs_session.c - one live or demo session (see rs_session.h). */
#include "rs_session.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_frame_json.h"
#include "rs_clock.h"
#include "rs_cues.h"
#include "rs_defaults.h"
#include "rs_json.h"
#include "rs_rtglue.h"
#include "rs_warn.h"

/* Loss over the last few seconds: one entry per strip-chart tick. */
#define LOSS_TICKS 50

struct rs_session {
    struct rs_session_config cfg;
    struct rs_pipeline pipe;
    struct rs_events ev;
    struct rs_session_observer obs[RS_SESSION_OBSERVERS_MAX];
    int nobs;
    struct rs_session_snapshot snap;

    /* connection */
    enum rs_conn_state state;
    bool ever_connected;
    int cal_state;                /* of the last info frame, -1 unknown */
    bool have_block;              /* a cal frame arrived (or a block was applied) */
    struct rs_cal block;          /* the roller's block as last reported */
    double last_t;                /* session time of the last sample or event */
    double offset;                /* session seconds - pipeline seconds */
    int32_t raw_sum;              /* left + right of the last sample */

    /* view state the pipeline does not keep */
    struct rs_view_history hist;
    double next_hist_t;           /* pipeline time of the next strip-chart tick */
    uint8_t hold_bins[2][RS_VIEW_CALF_BINS];
    uint64_t loss_frames[LOSS_TICKS], loss_lost[LOSS_TICKS];
    unsigned loss_head, loss_n;
    bool recording;
    bool recording_failed;
    unsigned cues;
    struct rs_state_clock state_clk; /* --state-every */
    struct rs_warn warn;          /* knee banner and per-leg dose advice */
    struct rs_rtglue rt;          /* the guided routine, when cfg.routine */
};

/* ---- pure helpers ------------------------------------------------------------ */

/* An event's times moved from pipeline (device) seconds to session seconds. */
static struct rs_event shift_event(const struct rs_event *ev, double offset_s)
{
    struct rs_event e = *ev;
    e.t += offset_s;
    if (e.type == RS_EV_HOLD_START || e.type == RS_EV_HOLD_CUE || e.type == RS_EV_HOLD_END) {
        e.u.hold.start_t += offset_s;
        if (e.type == RS_EV_HOLD_END)
            e.u.hold.end_t += offset_s;
    }
    return e;
}

bool rs_state_clock_due(struct rs_state_clock *c, double t)
{
    if (!(c->every > 0) || t + 1e-9 < c->next)
        return false;
    while (c->next <= t + 1e-9)
        c->next += c->every;
    return true;
}

const char *rs_session_state_json(const struct rs_live *L, double offset_s, char *buf, size_t cap)
{
    int n = snprintf(buf, cap,
                     "{\"type\":\"state\",\"t\":%.4f,\"speed_cm_s\":%.3f,\"velocity_cm_s\":%.3f,"
                     "\"force_n\":%.1f,\"bw_pct\":%.1f,\"contact\":%s,\"leg\":\"%s\",\"pos_cm\":%.2f,"
                     "\"x_mm\":%.1f,\"speed_band\":\"%s\",\"force_band\":\"%s\",\"hold\":%s,"
                     "\"hold_seconds\":%.3f}",
                     L->t + offset_s, L->speed_cm_s, L->velocity_cm_s, L->force_n, L->bw_pct,
                     L->contact ? "true" : "false", rs_leg_name(L->leg), L->pos_cm, L->x_mm,
                     rs_speed_band_name(L->speed_band), rs_force_band_name(L->force_band),
                     L->hold.active ? "true" : "false", L->hold.seconds);
    return n >= 0 && (size_t)n < cap ? buf : NULL;
}

const char *rs_session_event_json(const struct rs_event *ev, double offset_s, char *buf, size_t cap)
{
    struct rs_event e = shift_event(ev, offset_s);
    return rs_event_json(&e, buf, cap);
}

const char *rs_session_summary_json(const struct rs_conn_stats *st, double duration_s,
                                    const struct rs_summary *sum, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    rs_json_str(&j, "type", "summary");
    rs_json_int(&j, "frames", (long long)st->frames);
    rs_json_int(&j, "lost", (long long)sum->lost); /* the pipeline's: the one count */
    rs_json_int(&j, "crc_errors", st->dec.crc_errors);
    rs_json_int(&j, "gaps", st->gaps);
    rs_json_num(&j, "rate_hz", st->rate_hz, 3);
    rs_json_num(&j, "duration_s", duration_s, 3);
    rs_json_int(&j, "framing_errors", st->dec.framing_errors);
    rs_json_int(&j, "oversize", st->dec.oversize);
    rs_json_int(&j, "unknown_type", st->dec.unknown_type);
    rs_json_int(&j, "bad_length", st->dec.bad_length);
    rs_json_int(&j, "bad_version", st->dec.bad_version);
    rs_json_int(&j, "bytes", (long long)st->bytes);
    rs_json_int(&j, "gap_missed", (long long)st->gap_missed);
    rs_json_int(&j, "connects", st->connects);
    rs_json_int(&j, "stalls", st->stalls);
    rs_json_num(&j, "wait_s", st->wait_s, 3);
    rs_json_num(&j, "wait_cpu_s", st->wait_cpu_s, 4);
    rs_json_num(&j, "drift_ppm", st->drift_ppm, 1);
    rs_json_int(&j, "clock_jumps", st->clock_jumps);
    rs_json_int(&j, "seq_resets", st->seq_resets);
    rs_json_str(&j, "serial", st->serial);
    /* The pipeline's view of the same session (docs/detection.md). */
    rs_json_int(&j, "holds_left", sum->holds[RS_LEG_LEFT]);
    rs_json_int(&j, "holds_right", sum->holds[RS_LEG_RIGHT]);
    rs_json_int(&j, "holds_uncertain", sum->holds[RS_LEG_UNCERTAIN]);
    rs_json_num(&j, "longest_hold", sum->longest_hold_s, 3);
    rs_json_num(&j, "peak_bw_pct", sum->peak_bw_pct, 1);
    rs_json_num(&j, "time_left_s", sum->calf_time_s[RS_LEG_LEFT], 1);
    rs_json_num(&j, "time_right_s", sum->calf_time_s[RS_LEG_RIGHT], 1);
    rs_json_int(&j, "fault_events", sum->fault_events);
    rs_json_num(&j, "autozero_left_n", sum->zero_left_n, 2);
    rs_json_num(&j, "autozero_right_n", sum->zero_right_n, 2);
    rs_json_bool(&j, "calibrated", sum->calibrated);
    return rs_json_end(&j);
}

unsigned rs_session_event_cues(const struct rs_event *ev, const struct rs_config *cfg)
{
    switch (ev->type) {
    case RS_EV_HOLD_START:
        return 1u << RS_CUE_HOLD_START;
    case RS_EV_HOLD_CUE: {
        double s = ev->u.hold.seconds;
        if (fabs(s - cfg->cue_min_s) < 1e-6)
            return 1u << RS_CUE_HOLD_15;
        if (fabs(s - cfg->cue_target_s) < 1e-6)
            return 1u << RS_CUE_HOLD_30;
        if (fabs(s - cfg->cue_long_s) < 1e-6)
            return 1u << RS_CUE_HOLD_60;
        if (fabs(s - cfg->cue_release_s) < 1e-6)
            return 1u << RS_CUE_HOLD_90;
        return 0;
    }
    case RS_EV_SPEED_BAND:
        return ev->u.band.band == RS_SPEED_TOO_FAST ? 1u << RS_CUE_TOO_FAST : 0;
    case RS_EV_KNEE_ZONE:
        return ev->u.knee.active ? 1u << RS_CUE_KNEE : 0;
    case RS_EV_DOSE:
        return 1u << RS_CUE_DOSE;
    case RS_EV_FORCE_BAND:
        /* Entering "no extra benefit", overload, or the profile's force limit. */
        if (ev->u.band.too_hard || (ev->u.band.band >= RS_FORCE_NO_BENEFIT &&
                                    ev->u.band.prev < RS_FORCE_NO_BENEFIT))
            return 1u << RS_CUE_TOO_HARD;
        return 0;
    default:
        return 0;
    }
}

enum rs_view_link rs_session_link(enum rs_conn_state st, bool ever_connected)
{
    switch (st) {
    case RS_CONN_STREAMING:
        return RS_VLINK_CONNECTED;
    case RS_CONN_CONNECTING:
    case RS_CONN_STALLED:
        return RS_VLINK_CONNECTING;
    case RS_CONN_SEARCHING:
    case RS_CONN_DISCONNECTED:
        break;
    }
    (void)ever_connected;
    return RS_VLINK_DISCONNECTED;
}

static enum rs_view_force_band view_force_band(int b)
{
    switch (b) {
    case RS_FORCE_LIGHT: return RS_FB_LIGHT;
    case RS_FORCE_MODERATE: return RS_FB_MODERATE;
    case RS_FORCE_TYPICAL: return RS_FB_TYPICAL;
    case RS_FORCE_HIGH: return RS_FB_HIGH;
    case RS_FORCE_NO_BENEFIT: return RS_FB_NO_BENEFIT;
    case RS_FORCE_OVERLOAD: return RS_FB_OVERLOAD;
    default: return RS_FB_NONE;
    }
}

static enum rs_view_speed_band view_speed_band(int b)
{
    switch (b) {
    case RS_SPEED_SLOW: return RS_SB_SLOW;
    case RS_SPEED_BRISK: return RS_SB_BRISK;
    case RS_SPEED_TOO_FAST: return RS_SB_TOO_FAST;
    default: return RS_SB_STILL;
    }
}

static enum rs_view_leg view_leg(enum rs_leg l)
{
    return l == RS_LEG_LEFT ? RS_VLEG_LEFT : l == RS_LEG_RIGHT ? RS_VLEG_RIGHT : RS_VLEG_NONE;
}

static void sensor_text(uint16_t bits, char *out, size_t cap)
{
    const char *what = bits & RS_ST_HX_LEFT   ? "left load cell"
                       : bits & RS_ST_HX_RIGHT ? "right load cell"
                       : bits & RS_ST_MAGNET   ? "encoder magnet"
                       : bits & (RS_ST_ENC_ERROR | RS_ST_ENC_PARITY) ? "encoder"
                       : bits & RS_ST_OVERFLOW ? "samples dropped"
                       : bits & RS_ST_WDT_RESET ? "watchdog reset"
                       : "";
    snprintf(out, cap, "%s", what);
}

void rs_session_map_live(const struct rs_live *L, const struct rs_profile *prof,
                         const struct rs_config *cfg, const uint8_t hold_bins[2][RS_VIEW_CALF_BINS],
                         int32_t raw_sum, struct rs_view *v)
{
    /* Not calibrated: the same units through the nominal calibration,
     * which the window marks as approximate (docs/ui.md); never raw counts. */
    (void)raw_sum;
    v->calibrated = L->calibrated;
    v->bw_known = prof->body_mass_kg > 0;
    v->force_n = (float)L->force_n;
    v->left_n = (float)L->left_n;
    v->right_n = (float)L->right_n;
    v->speed_cms = (float)L->speed_cm_s;
    v->force_pct = (float)L->bw_pct;
    v->force_band = view_force_band(L->force_band);
    v->speed_band = L->contact ? view_speed_band(L->speed_band) : RS_SB_STILL;
    v->hold_active = L->hold.active;
    v->hold_s = L->hold.active ? (float)L->hold.seconds : 0.0f;
    v->leg = L->contact ? view_leg(L->leg) : RS_VLEG_NONE;
    v->on_calf = L->contact;
    v->position_cm = (float)L->pos_cm;
    v->calf_length_cm = (float)prof->calf_length_cm;
    v->knee_zone_cm = (float)cfg->knee_zone_cm;
    v->bands = *cfg;
    v->in_knee_zone = L->knee_zone;
    for (int leg = 0; leg < 2; leg++) {
        const struct rs_calf_map *m = &L->calf[leg + 1];
        struct rs_view_calf *c = &v->calf[leg];
        double bw_n = prof->body_mass_kg * RS_STANDARD_GRAVITY;
        for (int b = 0; b < RS_VIEW_CALF_BINS; b++) {
            double ts = b < RS_CALF_BINS ? m->time_s[b] : 0;
            double fs = b < RS_CALF_BINS ? m->force_ns[b] : 0;
            c->time_s[b] = (float)ts;
            c->pressure_pct[b] = ts > 0 && bw_n > 0 ? (float)(fs / ts / bw_n * 100.0) : 0.0f;
            c->holds[b] = hold_bins[leg][b];
        }
        v->holds[leg] = (uint16_t)L->holds[leg + 1];
        v->calf_time_s[leg] = (float)L->calf_time_s[leg + 1];
    }
    /* Advice longer than the view's slot is cut (the detector's texts fit). */
    size_t k = strnlen(L->advice, sizeof v->advice - 1);
    memcpy(v->advice, L->advice, k);
    v->advice[k] = '\0';
    v->sensor_fault = L->fault_bits != 0;
    sensor_text(L->fault_bits, v->sensor_text, sizeof v->sensor_text);
}

/* ---- the session ------------------------------------------------------------- */

static void put(struct rs_session *s, const char *line)
{
    if (s->cfg.line && line)
        s->cfg.line(s->cfg.line_ctx, line);
}

static void snapshot(struct rs_session *s)
{
    s->snap.cal = *rs_pipeline_calib(&s->pipe);
    s->snap.prof = *rs_pipeline_profile(&s->pipe);
    s->snap.cfg = *rs_pipeline_config(&s->pipe);
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].snapshot)
            s->obs[i].snapshot(s->obs[i].ctx, &s->snap);
}

/* The routine's events: their contract lines to JSON and observers, the
 * step tone to the cues (the phrases wait for rs_session_take_phrases). */
static void routine_out(struct rs_session *s, const struct rs_routine_out *out)
{
    char buf[384];
    for (int i = 0; i < out->n; i++) {
        const char *type;
        const char *json = rs_rtglue_json(&s->rt, &out->ev[i], s->offset, &type, buf, sizeof buf);
        if (!json)
            continue;
        put(s, json);
        json = rs_rtglue_json(&s->rt, &out->ev[i], 0, &type, buf, sizeof buf);
        for (int k = 0; k < s->nobs; k++)
            if (s->obs[k].log_event)
                s->obs[k].log_event(s->obs[k].ctx, type, json);
    }
    if (s->rt.tone)
        s->cues |= 1u << RS_CUE_STEP;
    s->rt.tone = false;
}

/* A hold that ended ticks off a tender spot in the routine's spots step. */
static void routine_hold(struct rs_session *s, const struct rs_event *ev)
{
    if (!s->cfg.routine || ev->type != RS_EV_HOLD_END)
        return;
    struct rs_routine_out out = { .n = 0 };
    rs_rtglue_hold(&s->rt, ev->t, ev->u.hold.leg, ev->u.hold.seconds, &out);
    routine_out(s, &out);
}

/* Events of the last pipeline call: JSON, observers, cues, hold spots. */
static void flush_events(struct rs_session *s)
{
    char buf[512];
    for (size_t i = 0; i < s->ev.n; i++) {
        struct rs_event e = shift_event(&s->ev.ev[i], s->offset);
        if (e.type != RS_EV_GAP && s->cfg.line) /* no JSON for nobody (analyze, replay) */
            put(s, rs_event_json(&e, buf, sizeof buf));
        for (int k = 0; k < s->nobs; k++)
            if (s->obs[k].event)
                s->obs[k].event(s->obs[k].ctx, &e);
        for (int k = 0; k < s->nobs; k++)
            if (s->obs[k].pipeline_event)
                s->obs[k].pipeline_event(s->obs[k].ctx, &s->ev.ev[i]);
        s->cues |= rs_session_event_cues(&e, &s->cfg.cfg);
        rs_warn_event(&s->warn, &s->ev.ev[i]);
        routine_hold(s, &s->ev.ev[i]);
        if (e.type == RS_EV_HOLD_END && (e.u.hold.leg == RS_LEG_LEFT || e.u.hold.leg == RS_LEG_RIGHT)) {
            int bin = (int)floor(e.u.hold.pos_cm);
            if (bin >= 0 && bin < RS_VIEW_CALF_BINS && s->hold_bins[e.u.hold.leg - 1][bin] < 255)
                s->hold_bins[e.u.hold.leg - 1][bin]++;
        }
    }
    rs_events_clear(&s->ev);
}

/* One strip-chart and loss tick every 1/RS_VIEW_HISTORY_HZ s of device time. */
static void history_ticks(struct rs_session *s)
{
    const struct rs_live *L = rs_pipeline_live(&s->pipe);
    if (L->t + 1.0 < s->next_hist_t)
        s->next_hist_t = L->t; /* time restarted (device reset): follow it */
    while (L->t >= s->next_hist_t) {
        float f = (float)L->bw_pct, v = (float)L->speed_cm_s; /* nominal when uncalibrated */
        rs_view_history_push(&s->hist, f, v);
        unsigned at = (s->loss_head + s->loss_n) % LOSS_TICKS;
        if (s->loss_n == LOSS_TICKS)
            s->loss_head = (s->loss_head + 1) % LOSS_TICKS;
        else
            s->loss_n++;
        s->loss_frames[at] = L->frames;
        s->loss_lost[at] = rs_pipeline_live(&s->pipe)->lost;
        s->next_hist_t += 1.0 / RS_VIEW_HISTORY_HZ;
        if (L->t - s->next_hist_t > 2.0)
            s->next_hist_t = L->t; /* long jump: do not fill the chart with copies */
    }
}

static void on_sample(void *ctx, const struct rs_sample *smp, double t)
{
    struct rs_session *s = ctx;
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].sample)
            s->obs[i].sample(s->obs[i].ctx, smp, t);
    if (s->cfg.frames) {
        char buf[320];
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "sample");
        rs_json_num(&j, "t", t, 6);
        rs_json_int(&j, "seq", smp->seq);
        rs_json_int(&j, "t_us", smp->t_us);
        rs_json_int(&j, "left", smp->left);
        rs_json_int(&j, "right", smp->right);
        rs_json_int(&j, "enc", smp->enc);
        rs_json_int(&j, "status", smp->status);
        put(s, rs_json_end(&j));
    }
    s->raw_sum = smp->left + smp->right;
    rs_pipeline_push(&s->pipe, smp, &s->ev);
    /* Map this sample's pipeline time onto the session clock. */
    s->offset = t - rs_pipeline_live(&s->pipe)->t;
    s->last_t = t;
    flush_events(s);
    if (s->cfg.routine) {
        struct rs_routine_out out = { .n = 0 };
        const struct rs_live *L = rs_pipeline_live(&s->pipe);
        rs_rtglue_sample(&s->rt, L->t, L->contact, &out);
        routine_out(s, &out);
    }
    if (rs_state_clock_due(&s->state_clk, rs_pipeline_live(&s->pipe)->t)) {
        char buf[512];
        put(s, rs_session_state_json(rs_pipeline_live(&s->pipe), s->offset, buf, sizeof buf));
    }
    history_ticks(s);
}

static const char *cal_state_name(uint8_t st)
{
    switch (st) {
    case RS_CAL_OK: return "ok";
    case RS_CAL_DEFAULT: return "default";
    case RS_CAL_CORRUPT: return "corrupt";
    default: return "unknown";
    }
}

static void on_frame(void *ctx, const struct rs_frame *f, double t)
{
    struct rs_session *s = ctx;
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].frame)
            s->obs[i].frame(s->obs[i].ctx, f, t);
    /* The roller's fault frames always (status changes), as "device_fault"
     * so that "fault" means one thing in this stream: the detector's event,
     * which follows; the other frames only with --frames. */
    char buf[512];
    if (f->type == RS_FT_FAULT) {
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "device_fault");
        rs_json_num(&j, "t", t, 3);
        rs_json_int(&j, "code", f->u.fault.code);
        rs_json_str(&j, "fault", rs_fault_name(f->u.fault.code));
        rs_json_bool(&j, "active", f->u.fault.active);
        rs_json_int(&j, "t_us", f->u.fault.t_us);
        put(s, rs_json_end(&j));
    } else if (s->cfg.frames) {
        put(s, rs_frame_json(f, buf, sizeof buf));
    }
    switch (f->type) {
    case RS_FT_FAULT:
        rs_pipeline_push_fault(&s->pipe, &f->u.fault, &s->ev);
        flush_events(s);
        break;
    case RS_FT_INFO:
        s->cal_state = f->u.info.cal_state;
        s->snap.have_info = true;
        s->snap.info = f->u.info;
        s->snap.protocol = f->version;
        snapshot(s);
        break;
    case RS_FT_CAL: {
        /* The device's calibration; a saved one replaces the nominal values. */
        struct rs_calib cal;
        s->have_block = true;
        s->block = f->u.cal;
        rs_calib_from_cal(&cal, &f->u.cal, s->cal_state == RS_CAL_OK);
        if (cal.calibrated || !rs_pipeline_calib(&s->pipe)->calibrated) {
            rs_pipeline_set_calib(&s->pipe, &cal);
            snapshot(s);
        }
        break;
    }
    default:
        break;
    }
}

static void on_bytes(void *ctx, const uint8_t *buf, size_t n)
{
    struct rs_session *s = ctx;
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].bytes)
            s->obs[i].bytes(s->obs[i].ctx, buf, n, s->last_t);
}

static void on_conn_event(void *ctx, const struct rs_conn_event *ev)
{
    struct rs_session *s = ctx;
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].conn_event)
            s->obs[i].conn_event(s->obs[i].ctx, ev);
    if (ev->t > s->last_t)
        s->last_t = ev->t;
    char buf[1024];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    switch (ev->type) {
    case RS_CONN_EV_STATE:
        if (ev->state == RS_CONN_STREAMING)
            s->ever_connected = true;
        else if (ev->state == RS_CONN_DISCONNECTED && s->ever_connected)
            rs_pipeline_unplugged(&s->pipe); /* the frames until the return are the gap's */
        /* Samples stopped (unplugged, or stalled for seconds with the port
         * open): the pipeline must not bridge the silence, so a running hold
         * ends here. Only the step out of streaming is a gap; failed
         * reconnects inside the same gap are not new ones. */
        if ((ev->state == RS_CONN_DISCONNECTED || ev->state == RS_CONN_STALLED) &&
            s->state == RS_CONN_STREAMING && rs_pipeline_live(&s->pipe)->frames > 0) {
            rs_pipeline_mark_gap(&s->pipe, ev->reason ? ev->reason : "disconnected", &s->ev);
            flush_events(s);
        }
        s->state = ev->state;
        rs_json_str(&j, "type", "status");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_str(&j, "state", rs_conn_state_name(ev->state));
        rs_json_str(&j, "port", ev->port);
        if (ev->reason)
            rs_json_str(&j, "reason", ev->reason);
        break;
    case RS_CONN_EV_INFO: {
        const struct rs_info *in = ev->info;
        char fw[16];
        snprintf(fw, sizeof fw, "%u.%u.%u", in->fw_major, in->fw_minor, in->fw_patch);
        rs_json_str(&j, "type", "status");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_str(&j, "state", "identified");
        rs_json_str(&j, "port", ev->port);
        rs_json_strn(&j, "serial", in->serial, strnlen(in->serial, RS_SERIAL_LEN));
        rs_json_str(&j, "firmware", fw);
        rs_json_int(&j, "protocol", ev->version);
        rs_json_str(&j, "calibration", cal_state_name(in->cal_state));
        rs_json_int(&j, "sample_rate_hz", in->sample_rate_hz);
        break;
    }
    case RS_CONN_EV_GAP:
        rs_json_str(&j, "type", "gap");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_num(&j, "start", ev->gap_start, 3);
        rs_json_num(&j, "end", ev->gap_end, 3);
        rs_json_num(&j, "duration_s", ev->gap_end - ev->gap_start, 3);
        if (ev->missed >= 0)
            rs_json_int(&j, "missed", ev->missed);
        else
            rs_json_raw(&j, "missed", "null");
        rs_json_bool(&j, "resumed", ev->resumed);
        rs_json_num(&j, "wait_cpu_s", ev->wait_cpu_s, 4);
        rs_json_str(&j, "port", ev->port);
        break;
    case RS_CONN_EV_LOST:
        rs_json_str(&j, "type", "lost");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_int(&j, "seq", ev->seq);
        rs_json_int(&j, "count", ev->count);
        break;
    case RS_CONN_EV_NOTICE:
        rs_json_str(&j, "type", "notice");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_str(&j, "message", ev->reason ? ev->reason : "");
        rs_json_str(&j, "port", ev->port);
        break;
    }
    put(s, rs_json_end(&j));
}

/* The state of a new session from s->cfg: everything but the config and
 * the observers starts over. */
static void start(struct rs_session *s)
{
    struct rs_session_config cfg = s->cfg;
    struct rs_session_observer obs[RS_SESSION_OBSERVERS_MAX];
    int nobs = s->nobs;
    memcpy(obs, s->obs, sizeof obs);
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    memcpy(s->obs, obs, sizeof obs);
    s->nobs = nobs;
    rs_pipeline_init(&s->pipe, &cfg.cfg, &cfg.cal, &cfg.prof);
    rs_warn_init(&s->warn);
    rs_events_clear(&s->ev);
    s->state = RS_CONN_SEARCHING;
    s->cal_state = -1;
    s->snap.software = cfg.software ? cfg.software : "rollsense";
    s->state_clk.every = cfg.state_every;
    if (cfg.routine)
        rs_rtglue_init(&s->rt, &cfg.plan);
}

struct rs_session *rs_session_new(const struct rs_session_config *cfg)
{
    struct rs_session *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->cfg = *cfg;
    start(s);
    return s;
}

void rs_session_reset(struct rs_session *s)
{
    start(s);
}

void rs_session_free(struct rs_session *s)
{
    free(s);
}

struct rs_sink rs_session_sink(struct rs_session *s)
{
    struct rs_sink k = { .ctx = s, .sample = on_sample, .frame = on_frame,
                         .event = on_conn_event, .bytes = on_bytes };
    return k;
}

int rs_session_observe(struct rs_session *s, const struct rs_session_observer *o)
{
    if (s->nobs >= RS_SESSION_OBSERVERS_MAX)
        return -1;
    s->obs[s->nobs++] = *o;
    if (o->snapshot) {
        s->snap.cal = *rs_pipeline_calib(&s->pipe);
        s->snap.prof = *rs_pipeline_profile(&s->pipe);
        s->snap.cfg = *rs_pipeline_config(&s->pipe);
        o->snapshot(o->ctx, &s->snap);
    }
    return 0;
}

void rs_session_unobserve(struct rs_session *s, void *ctx)
{
    int k = 0;
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].ctx != ctx)
            s->obs[k++] = s->obs[i];
    s->nobs = k;
}

bool rs_session_cal_block(const struct rs_session *s, struct rs_cal *out)
{
    if (s->have_block)
        *out = s->block;
    return s->have_block;
}

void rs_session_apply_cal(struct rs_session *s, const struct rs_cal *blk)
{
    s->have_block = true;
    s->block = *blk;
    s->cal_state = RS_CAL_OK;
    if (s->snap.have_info)
        s->snap.info.cal_state = RS_CAL_OK;
    struct rs_calib cal;
    rs_calib_from_cal(&cal, blk, true);
    rs_pipeline_set_calib(&s->pipe, &cal);
    snapshot(s);
}

void rs_session_profile(const struct rs_session *s, struct rs_profile *out)
{
    *out = *rs_pipeline_profile(&s->pipe);
}

void rs_session_apply_profile(struct rs_session *s, const struct rs_profile *p)
{
    rs_pipeline_set_profile(&s->pipe, p);
    snapshot(s);
}

void rs_session_mark(struct rs_session *s, double t, const char *label)
{
    if (!label)
        label = "";
    char buf[256];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "type", "mark");
    rs_json_num(&j, "t", t, 3);
    rs_json_str(&j, "label", label);
    const struct rs_live *L = rs_pipeline_live(&s->pipe);
    if (L->contact) {
        rs_json_str(&j, "leg", rs_leg_name(L->leg));
        rs_json_num(&j, "pos_cm", L->pos_cm, 1);
    }
    put(s, rs_json_end(&j));
    for (int i = 0; i < s->nobs; i++)
        if (s->obs[i].mark)
            s->obs[i].mark(s->obs[i].ctx, t, label);
}

void rs_session_set_recording(struct rs_session *s, bool on)
{
    s->recording = on;
}

void rs_session_set_recording_failed(struct rs_session *s, bool failed)
{
    s->recording_failed = failed;
}

bool rs_session_routine_go(struct rs_session *s)
{
    struct rs_routine_out out = { .n = 0 };
    if (s->cfg.routine) {
        rs_rtglue_go(&s->rt, &out);
        routine_out(s, &out);
    }
    return s->cfg.routine;
}

void rs_session_routine_skip(struct rs_session *s)
{
    struct rs_routine_out out = { .n = 0 };
    if (s->cfg.routine) {
        rs_rtglue_skip(&s->rt, &out);
        routine_out(s, &out);
    }
}

bool rs_session_routine_view(const struct rs_session *s, struct rs_routine_view *v)
{
    if (!s->cfg.routine)
        return false;
    rs_rtglue_view(&s->rt, v);
    return true;
}

int rs_session_take_phrases(struct rs_session *s, int *out, int max)
{
    bool tone;
    return s->cfg.routine ? rs_rtglue_take(&s->rt, out, max, &tone) : 0;
}

unsigned rs_session_take_cues(struct rs_session *s)
{
    unsigned c = s->cues;
    s->cues = 0;
    return c;
}

void rs_session_finish(struct rs_session *s, const struct rs_conn_stats *st, double duration_s)
{
    rs_pipeline_finish(&s->pipe, &s->ev);
    flush_events(s);
    if (s->cfg.routine) {
        struct rs_routine_out out = { .n = 0 };
        rs_rtglue_finish(&s->rt, &out);
        routine_out(s, &out);
    }
    struct rs_summary sum;
    rs_pipeline_summary(&s->pipe, &sum);
    char buf[2048];
    put(s, rs_session_summary_json(st, duration_s, &sum, buf, sizeof buf));
}

_Static_assert((int)RS_RTP_DONE == (int)RS_RVP_DONE && (int)RS_RTP_WAIT == (int)RS_RVP_WAIT &&
                   (int)RS_RTP_REST == (int)RS_RVP_REST,
               "the routine's phases and the view's agree");
_Static_assert((int)RS_RT_STRETCH_SOLEUS == (int)RS_RV_BENT && (int)RS_RT_SPOTS == (int)RS_RV_SPOTS,
               "the routine's step kinds and the view's agree");

/* The routine's state onto the window's panel (rs_routineview.h). */
static void routine_view(const struct rs_rtglue *g, struct rs_view_routine *o)
{
    struct rs_routine_view rv;
    bool started = rs_rtglue_view(g, &rv);
    rs_session_routine_map(&rv, started, o);
}

void rs_session_routine_map(const struct rs_routine_view *in, bool started, struct rs_view_routine *o)
{
    const struct rs_routine_view rv = *in;
    memset(o, 0, sizeof *o);
    o->active = true;
    o->started = started;
    o->step = rv.step;
    o->nsteps = rv.nsteps;
    o->phase = (int)rv.phase; /* enum rs_rt_phase and enum rs_rv_phase agree */
    o->kind = rv.phase == RS_RTP_DONE ? RS_RV_DONE : (int)rv.kind;
    o->leg = rv.leg == RS_LEG_LEFT ? RS_VLEG_LEFT : rv.leg == RS_LEG_RIGHT ? RS_VLEG_RIGHT : RS_VLEG_NONE;
    o->remaining_s = (float)rv.remaining_s;
    o->spots = rv.spots;
    o->spots_min = rv.spots_min;
    o->spots_max = rv.spots_max;
    o->rep = rv.rep;
    o->reps = rv.reps;
    snprintf(o->title, sizeof o->title, "%s", rv.title ? rv.title : "");
    snprintf(o->instruction, sizeof o->instruction, "%s",
             !started ? "Sit with this calf on the roller: the warm-up starts as you roll."
             : rv.instruction ? rv.instruction : "");
}

void rs_session_view(const struct rs_session *s, double now, struct rs_view *v)
{
    const struct rs_live *L = rs_pipeline_live(&s->pipe);
    rs_view_init(v);
    v->mode = s->cfg.mode;
    rs_session_map_live(L, rs_pipeline_profile(&s->pipe), rs_pipeline_config(&s->pipe),
                        s->hold_bins, s->raw_sum, v);
    rs_warn_apply(&s->warn, L->t, v);
    v->history = s->hist;
    v->link = rs_session_link(s->state, s->ever_connected);
    if (v->link != RS_VLINK_CONNECTED) {
        /* Nothing current to show: no stale force, speed or hold. */
        v->force_n = v->left_n = v->right_n = v->force_pct = v->speed_cms = 0;
        v->force_band = RS_FB_NONE;
        v->speed_band = RS_SB_STILL;
        v->hold_active = false;
        v->hold_s = 0;
        v->on_calf = false;
        v->in_knee_zone = v->knee_banner = false;
        v->leg = RS_VLEG_NONE;
    }
    v->frames_lost = rs_pipeline_live(&s->pipe)->lost;
    v->loss_pct = 0;
    if (s->loss_n > 1) {
        unsigned first = s->loss_head, last = (s->loss_head + s->loss_n - 1) % LOSS_TICKS;
        uint64_t df = s->loss_frames[last] - s->loss_frames[first];
        uint64_t dl = s->loss_lost[last] - s->loss_lost[first];
        if (df + dl > 0)
            v->loss_pct = (float)(100.0 * (double)dl / (double)(df + dl));
    }
    v->recording = s->recording;
    v->recording_failed = s->recording_failed;
    v->session_s = (float)now;
    if (s->cfg.routine) {
        routine_view(&s->rt, &v->routine);
        v->advice[0] = '\0'; /* the routine paces the calves, not the dose advice */
    }
}

const struct rs_pipeline *rs_session_pipeline(const struct rs_session *s)
{
    return &s->pipe;
}

const struct rs_live *rs_session_live(const struct rs_session *s)
{
    return rs_pipeline_live(&s->pipe);
}

void rs_session_summary(const struct rs_session *s, struct rs_summary *out)
{
    rs_pipeline_summary(&s->pipe, out);
}
