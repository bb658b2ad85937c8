/*
 * rs_pipeline.c - calibration, auto-zero, kinematics and detectors.
 * See rs_pipeline.h for the contract and docs/detection.md for the rules
 * and why they are built this way.
 */
#include "rs_pipeline.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_edge.h"

#define G_N_PER_KG RS_STANDARD_GRAVITY
#define PI 3.14159265358979323846

/* Status bits that make forces or positions untrustworthy: holds stop. */
#define FAULT_BLOCKING (RS_ST_HX_LEFT | RS_ST_HX_RIGHT | RS_ST_MAGNET | RS_ST_ENC_ERROR)
/* Status bits reported as faults. */
#define FAULT_REPORTED (FAULT_BLOCKING | RS_ST_ENC_PARITY | RS_ST_OVERFLOW | RS_ST_WDT_RESET)

static const char *const advice_text[] = {
    [RS_DOSE_HOLDS] = "two or three spots are enough today",
    [RS_DOSE_SWITCH] = "about 3 minutes on this calf: switch to the other calf",
    [RS_DOSE_STOP] = "about 6 minutes on this calf: enough for today, stop here",
};

void rs_calib_defaults(struct rs_calib *c)
{
    *c = (struct rs_calib){
        .offset_left = 0, .offset_right = 0,
        .scale_left = RS_DEFAULT_SCALE_COUNTS_PER_N, .scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N,
        .radius_um = RS_DEFAULT_RADIUS_UM, .enc_dir = 1, .calibrated = false,
    };
}

void rs_calib_from_cal(struct rs_calib *c, const struct rs_cal *cal, bool calibrated)
{
    rs_calib_defaults(c);
    c->offset_left = cal->offset_left;
    c->offset_right = cal->offset_right;
    /* A zero, negative or absurd scale or radius would divide by nothing:
     * keep the nominal value and leave the block flagged as not calibrated. */
    bool ok = true;
    if (isfinite(cal->scale_left) && cal->scale_left > 1.0f)
        c->scale_left = cal->scale_left;
    else
        ok = false;
    if (isfinite(cal->scale_right) && cal->scale_right > 1.0f)
        c->scale_right = cal->scale_right;
    else
        ok = false;
    if (cal->radius_um >= 10000 && cal->radius_um <= 200000)
        c->radius_um = cal->radius_um;
    else
        ok = false;
    c->enc_dir = cal->enc_dir < 0 ? -1 : 1;
    c->calibrated = calibrated && ok;
}

void rs_profile_defaults(struct rs_profile *p)
{
    *p = (struct rs_profile){ .body_mass_kg = 70, .calf_length_cm = 40, .force_limit_n = 0 };
}

/* ---- small helpers ---------------------------------------------------------- */

static void emit(struct rs_events *out, const struct rs_event *ev)
{
    if (!out)
        return;
    if (out->n < RS_EVENTS_MAX)
        out->ev[out->n++] = *ev;
    else
        out->dropped++;
}

static double bw_n(const struct rs_pipeline *p)
{
    double m = p->prof.body_mass_kg > 1 ? p->prof.body_mass_kg : 1;
    return m * G_N_PER_KG;
}

static double contact_level_n(const struct rs_pipeline *p)
{
    return p->cfg.force_light_pct / 100.0 * bw_n(p);
}


static const struct rs_hist_entry *hist_at(const struct rs_pipeline *p, uint64_t k)
{
    return &p->hist.e[k % RS_HIST];
}

/* Oldest usable history index: after the last reset and still in the ring. */
static uint64_t hist_oldest(const struct rs_pipeline *p)
{
    uint64_t lo = p->hist.count > RS_HIST ? p->hist.count - RS_HIST : 0;
    return p->hist.valid_from > lo ? p->hist.valid_from : lo;
}

static int calf_bins(const struct rs_pipeline *p)
{
    int n = (int)ceil(p->prof.calf_length_cm);
    if (n < 1)
        n = 1;
    return n > RS_CALF_BINS ? RS_CALF_BINS : n;
}

/* Per-sample constants from the config, calibration and profile in use:
 * recomputed by init and every setter, read by the stages. */
static void derive(struct rs_pipeline *p)
{
    p->calf_nb = calf_bins(p);
    p->level_n = contact_level_n(p);
    p->circ_cm = 2.0 * PI * (double)p->cal.radius_um / 1e4;
}

static enum rs_leg leg_of(const struct rs_pipeline *p, double x_mm)
{
    if (x_mm > p->cfg.leg_threshold_mm)
        return RS_LEG_RIGHT;
    if (x_mm < -p->cfg.leg_threshold_mm)
        return RS_LEG_LEFT;
    return RS_LEG_UNCERTAIN;
}

enum rs_speed_band rs_speed_band_of(const struct rs_config *c, double v)
{
    v = fabs(v);
    if (v < c->still_speed_cm_s)
        return RS_SPEED_STILL;
    if (v < c->speed_brisk_cm_s)
        return RS_SPEED_SLOW;
    if (v <= c->speed_too_fast_cm_s)
        return RS_SPEED_BRISK;
    return RS_SPEED_TOO_FAST;
}

enum rs_force_band rs_force_band_of(const struct rs_config *c, double bw)
{
    if (bw < c->force_light_pct)
        return RS_FORCE_NONE;
    if (bw < c->force_moderate_pct)
        return RS_FORCE_LIGHT;
    if (bw < c->force_typical_pct)
        return RS_FORCE_MODERATE;
    if (bw < c->force_high_pct)
        return RS_FORCE_TYPICAL;
    if (bw <= c->force_warn_pct)
        return RS_FORCE_HIGH;
    if (bw <= c->force_overload_pct)
        return RS_FORCE_NO_BENEFIT;
    return RS_FORCE_OVERLOAD;
}

/* ---- init and setters ------------------------------------------------------- */

/* Out-of-range profile values fall back to the defaults (callers validate
 * user input; this only keeps the arithmetic defined). */
static void sanitize_profile(struct rs_profile *p)
{
    struct rs_profile d;
    rs_profile_defaults(&d);
    if (!isfinite(p->body_mass_kg) || p->body_mass_kg < 10 || p->body_mass_kg > 500)
        p->body_mass_kg = d.body_mass_kg;
    if (!isfinite(p->calf_length_cm) || p->calf_length_cm < 5 || p->calf_length_cm > RS_CALF_BINS)
        p->calf_length_cm = d.calf_length_cm;
    if (!isfinite(p->force_limit_n) || p->force_limit_n < 0)
        p->force_limit_n = 0;
}

/* A calibration that would divide by zero or is absurd falls back to the
 * nominal value for that field and is reported as not calibrated. */
static void sanitize_calib(struct rs_calib *c)
{
    struct rs_calib d;
    rs_calib_defaults(&d);
    if (!isfinite(c->scale_left) || fabs(c->scale_left) < 1.0) {
        c->scale_left = d.scale_left;
        c->calibrated = false;
    }
    if (!isfinite(c->scale_right) || fabs(c->scale_right) < 1.0) {
        c->scale_right = d.scale_right;
        c->calibrated = false;
    }
    if (c->radius_um < 10000 || c->radius_um > 200000) {
        c->radius_um = d.radius_um;
        c->calibrated = false;
    }
    c->enc_dir = c->enc_dir < 0 ? -1 : 1;
}

void rs_pipeline_init(struct rs_pipeline *p, const struct rs_config *cfg,
                      const struct rs_calib *cal, const struct rs_profile *prof)
{
    memset(p, 0, sizeof *p);
    if (cfg)
        p->cfg = *cfg;
    else
        rs_config_defaults(&p->cfg);
    if (cal)
        p->cal = *cal;
    else
        rs_calib_defaults(&p->cal);
    sanitize_calib(&p->cal);
    if (prof)
        p->prof = *prof;
    else
        rs_profile_defaults(&p->prof);
    sanitize_profile(&p->prof);
    derive(p);
    p->zero.unloaded_since = -1;
    p->ct.below_since = -1;
    p->hd.dip_since = -1;
    p->live.calibrated = p->cal.calibrated;
    p->live.leg = RS_LEG_UNCERTAIN;
}

void rs_pipeline_set_config(struct rs_pipeline *p, const struct rs_config *cfg)
{
    p->cfg = *cfg;
    derive(p);
}

void rs_pipeline_set_calib(struct rs_pipeline *p, const struct rs_calib *cal)
{
    p->cal = *cal;
    sanitize_calib(&p->cal);
    derive(p);
    /* A new zero makes the auto-zero correction meaningless: start over. */
    p->zero.l = p->zero.r = 0;
    p->zero.unloaded_since = -1;
    p->live.calibrated = p->cal.calibrated;
}

void rs_pipeline_set_profile(struct rs_pipeline *p, const struct rs_profile *prof)
{
    p->prof = *prof;
    sanitize_profile(&p->prof);
    derive(p);
}

const struct rs_live *rs_pipeline_live(const struct rs_pipeline *p)
{
    return &p->live;
}

const struct rs_config *rs_pipeline_config(const struct rs_pipeline *p) { return &p->cfg; }
const struct rs_calib *rs_pipeline_calib(const struct rs_pipeline *p) { return &p->cal; }
const struct rs_profile *rs_pipeline_profile(const struct rs_pipeline *p) { return &p->prof; }

/* ---- holds -------------------------------------------------------------------- */

static double calf_pos(const struct rs_pipeline *p, double disp)
{
    return p->ct.pos_anchor + disp;
}

static void dose_event(struct rs_pipeline *p, struct rs_events *out, int kind, enum rs_leg leg)
{
    struct rs_event ev = { .type = RS_EV_DOSE, .t = p->live.t };
    ev.u.dose.kind = kind;
    ev.u.dose.leg = leg;
    ev.u.dose.holds = p->live.holds[leg];
    ev.u.dose.minutes = p->live.calf_time_s[leg] / 60.0;
    ev.u.dose.advice = advice_text[kind];
    snprintf(p->live.advice, sizeof p->live.advice, "%s", advice_text[kind]);
    emit(out, &ev);
}

static double cue_seconds(const struct rs_pipeline *p, int i)
{
    const double cues[4] = { p->cfg.cue_min_s, p->cfg.cue_target_s, p->cfg.cue_long_s,
                             p->cfg.cue_release_s };
    return cues[i];
}

/* Report the next cue. Its t is the moment it fell due (start + N), not the
 * later sample that confirmed it: the hold reached N s then. */
static void cue_emit(struct rs_pipeline *p, struct rs_events *out)
{
    double n = cue_seconds(p, p->hd.next_cue);
    struct rs_event ev = { .type = RS_EV_HOLD_CUE, .t = p->hd.h.start_t + n };
    ev.u.hold = p->hd.h;
    ev.u.hold.seconds = n;
    p->live.hold.cue = (int)n;
    p->hd.next_cue++;
    emit(out, &ev);
}

/* End the running hold at end_t (backdated) and report it. Cues that fell
 * due before the end and were still waiting for confirmation come first. */
static void hold_finish(struct rs_pipeline *p, struct rs_events *out, double end_t, int reason)
{
    struct rs_hold_info *h = &p->hd.h;
    if (p->hd.dip_since >= 0 && reason != RS_END_RELEASED) {
        /* A dip that did not end the hold is part of it. */
        p->hd.sum_f += p->hd.dip_sum_f;
        p->hd.sum_x += p->hd.dip_sum_x;
        p->hd.n += p->hd.dip_n;
    }
    if (end_t < h->start_t)
        end_t = h->start_t;
    if (reason == RS_END_MOVED) {
        /* The samples of the departure are not part of the hold. The newest
         * one (that showed the departure, hold_step) was never added. */
        for (uint64_t k = p->hist.count - 1; k-- > hist_oldest(p) && p->hd.n > 1;) {
            const struct rs_hist_entry *e = hist_at(p, k);
            if (e->t <= end_t)
                break;
            p->hd.sum_f -= e->force;
            p->hd.sum_x -= e->x;
            p->hd.n -= 1;
        }
    }
    while (p->hd.next_cue < 4 && h->start_t + cue_seconds(p, p->hd.next_cue) <= end_t)
        cue_emit(p, out);
    h->end_t = end_t;
    h->seconds = end_t - h->start_t;
    h->mean_n = p->hd.n > 0 ? p->hd.sum_f / p->hd.n : 0;
    h->mean_bw = h->mean_n / bw_n(p) * 100.0;
    h->peak_bw = h->peak_n / bw_n(p) * 100.0;
    h->x_mm = p->hd.n > 0 ? p->hd.sum_x / p->hd.n : 0;
    h->reason = reason;
    struct rs_event ev = { .type = RS_EV_HOLD_END, .t = p->live.t };
    ev.u.hold = *h;
    emit(out, &ev);

    p->hd.on = false;
    p->hd.dip_since = -1;
    p->st.run = false;
    p->hd.scan_floor_t = p->live.t;
    p->live.hold.active = false;
    p->live.holds[h->leg]++;
    if (h->seconds > p->hd.longest)
        p->hd.longest = h->seconds;
    if (h->leg != RS_LEG_UNCERTAIN && !p->dose.holds_done[h->leg] &&
        p->live.holds[h->leg] >= (int)p->cfg.dose_holds_per_leg) {
        p->dose.holds_done[h->leg] = true;
        dose_event(p, out, RS_DOSE_HOLDS, h->leg);
    }
}

/* Start a hold at the backdated start of the current stillness run, on the
 * rest position the fit found. */
static void hold_begin(struct rs_pipeline *p, struct rs_events *out)
{
    struct rs_hold_info *h = &p->hd.h;
    memset(h, 0, sizeof *h);
    p->hd.sum_f = p->hd.sum_x = p->hd.n = 0;
    /* Figures from the backdated start: the history covers it. */
    for (uint64_t k = hist_oldest(p); k < p->hist.count; k++) {
        const struct rs_hist_entry *e = hist_at(p, k);
        if (e->t < p->st.start)
            continue;
        p->hd.sum_f += e->force;
        p->hd.sum_x += e->x;
        p->hd.n += 1;
        if (e->force > h->peak_n)
            h->peak_n = e->force;
    }
    h->start_t = p->st.start;
    p->hd.spot_disp = p->st.rest;
    h->pos_cm = calf_pos(p, p->st.rest);
    h->x_mm = p->hd.n > 0 ? p->hd.sum_x / p->hd.n : 0;
    h->leg = leg_of(p, h->x_mm);
    h->index = ++p->hd.count;
    h->mean_n = p->hd.n > 0 ? p->hd.sum_f / p->hd.n : 0;
    h->mean_bw = h->mean_n / bw_n(p) * 100.0;
    h->peak_bw = h->peak_n / bw_n(p) * 100.0;
    h->seconds = p->live.t - h->start_t;
    p->hd.on = true;
    p->hd.dip_since = -1;
    p->hd.next_cue = 0;
    p->live.hold.cue = 0;
    struct rs_event ev = { .type = RS_EV_HOLD_START, .t = p->live.t };
    ev.u.hold = *h;
    emit(out, &ev);
}

/* ---- edges: coming to rest, leaving, easing off ------------------------------ */

#define NEAR_N (RS_SAMPLE_RATE_HZ / 4)  /* 0.25 s: "where the leg is now" */
#define MEAN_N (RS_SAMPLE_RATE_HZ / 2)  /* 0.5 s: averages 3-10 Hz tremor out */
#define DRIFT_LAG (RS_SAMPLE_RATE_HZ)   /* drift = change of the 0.5 s mean over 1 s */
#define ARRIVAL_REACH_CM 2.0            /* the approach is fitted from this far off rest */
#define ARRIVAL_SPAN_S 4.0              /* ... or over at most this long */
#define DEPART_FLAT_S 1.0               /* rest kept before leaving for the departure fit */
#define RELEASE_SPAN_S 2.5              /* a release is fitted over this long before the dip */
#define EDGE_REACH_CM 0.4               /* the edge is placed from the ramp's first 4 mm */
#define EDGE_QUIET_CM 0.04              /* rest noise above this (sd) is tremor: 8 mm reach */
#define EASE_DOUBT_FRAC 0.8             /* near force below this of the hold mean: easing off */

_Static_assert(MEAN_N + DRIFT_LAG < RS_HIST, "the drift's samples fit in the history ring");
_Static_assert(DRIFT_LAG < RS_MEAN_RING && (RS_MEAN_RING & (RS_MEAN_RING - 1)) == 0,
               "the mean ring keeps the drift lag and is a power of 2");

/*
 * The n newest history entries are all usable: after the last gap (n is far
 * below RS_HIST, so they are still in the ring).
 */
static bool hist_tail_ok(const struct rs_pipeline *p, uint32_t n)
{
    return p->hist.count >= n && p->hist.count - n >= p->hist.valid_from;
}

/* The entry before the n newest ones, whose running sums are subtracted
 * from the newest entry's to sum those n (a zero entry before the first). */
static const struct rs_hist_entry *hist_before_tail(const struct rs_pipeline *p, uint32_t n)
{
    static const struct rs_hist_entry zero;
    uint64_t first = p->hist.count - n;
    return first > 0 ? hist_at(p, first - 1) : &zero;
}

/* Copy history [a, b] into t[] and y[] (travel or force). Returns the count. */
static int hist_copy(const struct rs_pipeline *p, uint64_t a, uint64_t b, bool force, double *t,
                     double *y)
{
    int n = 0;
    for (uint64_t k = a; k <= b && n < RS_HIST; k++, n++) {
        const struct rs_hist_entry *e = hist_at(p, k);
        t[n] = e->t;
        y[n] = force ? e->force : e->disp;
    }
    return n;
}

/* The oldest usable history index from k back whose time is at or after from. */
static uint64_t hist_back_to(const struct rs_pipeline *p, uint64_t k, double from)
{
    uint64_t lo = hist_oldest(p);
    while (k > lo && hist_at(p, k - 1)->t >= from)
        k--;
    return k;
}

/*
 * Where the leg came to rest, looking back from the newest sample: the
 * approach (up to ARRIVAL_REACH_CM off the 0.5 s mean position, at most
 * ARRIVAL_SPAN_S, never before the contact, the previous hold's end or a
 * gap) and the rest are fitted with a hinge (rs_edge.h). When the window
 * holds no real approach (the load arrived on the spot, tremor and all), the
 * fit must explain clearly more than a flat line; else the rest began with
 * the window. Writes the start and the rest position.
 */
static void arrival_place(const struct rs_pipeline *p, double level, double near_disp,
                          double *start, double *rest)
{
    double t[RS_HIST], y[RS_HIST];
    uint64_t b = p->hist.count - 1, a = b, lo = hist_oldest(p);
    double tb = hist_at(p, b)->t;
    while (a > lo) {
        const struct rs_hist_entry *e = hist_at(p, a - 1);
        if (e->t < p->hd.scan_floor_t || e->force < level || tb - e->t > ARRIVAL_SPAN_S ||
            fabs(e->disp - near_disp) > ARRIVAL_REACH_CM)
            break;
        a--;
    }
    *start = hist_at(p, a)->t;
    *rest = near_disp;
    int n = hist_copy(p, a, b, false, t, y);
    struct rs_edge fit;
    if (rs_edge_fit_near(t, y, n, RS_EDGE_ARRIVAL, MEAN_N / 4, 3, EDGE_REACH_CM, EDGE_QUIET_CM,
                         &fit) != 0)
        return;
    *rest = fit.level;
    if (fit.res < 0.8 * fit.res_flat)
        *start = fit.t0;
}

/*
 * Where the leg began to leave the spot, seen when it is hold_move_end_cm
 * away: the fit runs from DEPART_FLAT_S before the last sample near the spot
 * (within 2 × depart_cm) to now, never before the hold's start.
 */
static double departure_time(const struct rs_pipeline *p)
{
    double t[RS_HIST], y[RS_HIST];
    uint64_t b = p->hist.count - 1, lo = hist_oldest(p), k = b;
    while (k > lo && fabs(hist_at(p, k)->disp - p->hd.spot_disp) > 2 * p->cfg.depart_cm)
        k--;
    uint64_t a = hist_back_to(p, k, fmax(hist_at(p, k)->t - DEPART_FLAT_S, p->hd.h.start_t));
    int n = hist_copy(p, a, b, false, t, y);
    struct rs_edge fit;
    if (rs_edge_fit_near(t, y, n, RS_EDGE_DEPARTURE, 4, 3, EDGE_REACH_CM, EDGE_QUIET_CM,
                         &fit) != 0)
        return hist_at(p, k)->t;
    return fit.t0 < p->hd.h.start_t ? p->hd.h.start_t : fit.t0;
}

/*
 * Where the release began: the force over RELEASE_SPAN_S up to the first
 * sample of the dip is fitted with a hinge, so a quick release and a slow
 * ease-off over 2 s both give their onset.
 */
static double release_time(const struct rs_pipeline *p)
{
    double t[RS_HIST], y[RS_HIST];
    uint64_t b = p->hd.dip_k, lo = hist_oldest(p);
    if (b < lo || b >= p->hist.count)
        return p->hd.dip_prev_t;
    uint64_t a = hist_back_to(p, b, fmax(hist_at(p, b)->t - RELEASE_SPAN_S, p->hd.h.start_t));
    int n = hist_copy(p, a, b, true, t, y);
    struct rs_edge fit;
    if (rs_edge_fit(t, y, n, RS_EDGE_DEPARTURE, 4, 2, &fit) != 0)
        return p->hd.dip_prev_t;
    return fit.t0 < p->hd.h.start_t ? p->hd.h.start_t : fit.t0;
}

/* ---- gaps ------------------------------------------------------------------- */

/* Forget everything that spans the gap: estimators restart after it. A
 * running hold ends at last_t, the last sample before the gap. */
static void break_continuity(struct rs_pipeline *p, struct rs_events *out, double last_t)
{
    if (p->hd.on)
        hold_finish(p, out, last_t, RS_END_GAP);
    p->st.run = false;
    p->hist.valid_from = p->hist.count;
    p->hd.scan_floor_t = p->live.t;
    p->zero.unloaded_since = -1;
    /* Contact and the position along the calf carry on: the encoder count is
     * cumulative, so the travel across the gap is known. (A lift that begins
     * and ends inside the gap cannot be seen; the clamp at the calf's ends
     * corrects the position if the person moved on.) */
}

static void gap_event(struct rs_pipeline *p, struct rs_events *out, uint32_t lost,
                      double seconds, int source, bool bridged)
{
    struct rs_event ev = { .type = RS_EV_GAP, .t = p->live.t };
    ev.u.gap.lost = lost;
    ev.u.gap.seconds = seconds;
    ev.u.gap.source = source;
    ev.u.gap.bridged = bridged;
    p->live.gaps++; /* the frames lost are tm->seq's */
    emit(out, &ev);
}

void rs_pipeline_mark_gap(struct rs_pipeline *p, const char *reason, struct rs_events *out)
{
    (void)reason;
    gap_event(p, out, 0, 0, RS_GAP_HOST, false);
    break_continuity(p, out, p->live.t);
    /* The next sample restarts time and sequence bookkeeping from itself. */
    p->tm.resync = true;
}

void rs_pipeline_unplugged(struct rs_pipeline *p)
{
    rs_seq_gap(&p->tm.seq);
}

void rs_pipeline_push_fault(struct rs_pipeline *p, const struct rs_fault *f,
                            struct rs_events *out)
{
    static const uint16_t bit_of[] = {
        [RS_FAULT_HX_LEFT] = RS_ST_HX_LEFT, [RS_FAULT_HX_RIGHT] = RS_ST_HX_RIGHT,
        [RS_FAULT_MAGNET] = RS_ST_MAGNET, [RS_FAULT_ENC_PARITY] = RS_ST_ENC_PARITY,
        [RS_FAULT_ENC_ERROR] = RS_ST_ENC_ERROR, [RS_FAULT_CAL_CORRUPT] = RS_ST_CAL_DEFAULT,
        [RS_FAULT_OVERFLOW] = RS_ST_OVERFLOW, [RS_FAULT_WATCHDOG] = RS_ST_WDT_RESET,
    };
    struct rs_event ev = { .type = RS_EV_FAULT, .t = p->live.t };
    uint16_t bit = f->code < sizeof bit_of / sizeof bit_of[0] ? bit_of[f->code] : 0;
    ev.u.fault.set = f->active ? bit : 0;
    ev.u.fault.cleared = f->active ? 0 : bit;
    ev.u.fault.bits = p->flt.bits;
    p->flt.events++;
    emit(out, &ev);
}

/* ---- bands ------------------------------------------------------------------ */

/* Report a band once it has lasted band_dwell_ms (debounce). */
static void band_step(struct rs_pipeline *p, struct rs_events *out, enum rs_event_type type,
                      int now_band, double value, bool too_hard, int *reported, int *cand,
                      double *cand_t)
{
    int key = now_band * 2 + (too_hard ? 1 : 0);
    if (key == *reported) {
        *cand = key;
        return;
    }
    if (key != *cand) {
        *cand = key;
        *cand_t = p->live.t;
    }
    if (p->live.t - *cand_t + 1e-9 < p->cfg.band_dwell_ms / 1000.0)
        return;
    struct rs_event ev = { .type = type, .t = p->live.t };
    ev.u.band.band = now_band;
    ev.u.band.prev = *reported / 2;
    ev.u.band.value = value;
    ev.u.band.too_hard = too_hard;
    *reported = key;
    emit(out, &ev);
}

/* ---- the per-sample step ----------------------------------------------------- */

/*
 * What one sample carries from stage to stage. Each stage reads what the
 * stages before it wrote here and writes only its own fields and its own
 * sub-struct of struct rs_pipeline.
 */
struct step {
    double t, dt;          /* device time of this sample; time since the previous one */
    bool enc_restart;      /* encoder continuity broken: no travel from this sample */
    bool blocked;          /* a fault makes forces or positions untrustworthy */
    double disp;           /* cumulative surface travel, cm */
    double l, r, f, x;     /* forces (N) and lateral position (mm) */
    double level;          /* contact level, N */
    bool speed_ok;         /* the speed window is filled enough */
    double speed;          /* windowed speed magnitude, cm/s */
    double win_disp;       /* travel at the start of the speed window */
    bool drift_ok;         /* drift and the means below are known */
    double drift;          /* change of the 0.5 s mean position over 1 s, cm/s */
    double mean_disp;      /* 0.5 s mean position, cm */
    bool near_ok;
    double near_disp, near_force;  /* 0.25 s means */
    uint32_t gap_lost;     /* frames lost just before this sample (sequence jump) */
    double pos;            /* position along the calf, cm */
    enum rs_leg leg;
};

/*
 * Calibration status. The roller says it runs on default calibration (never
 * saved, or both EEPROM slots corrupt): whatever block the host holds is not
 * a saved calibration of this roller, so nothing may pretend to be newtons.
 * Only a new rs_pipeline_set_calib() makes the session calibrated again.
 */
static void stage_cal_status(struct rs_pipeline *p, const struct rs_sample *s)
{
    if ((s->status & RS_ST_CAL_DEFAULT) && p->cal.calibrated) {
        p->cal.calibrated = false;
        p->live.calibrated = false;
    }
}

/*
 * Time and sequence (p->tm). Unwraps the device clock, drops a duplicate
 * frame (returns false: nothing else may run), reports a backwards jump as a
 * device reset and leaves a forward sequence jump to stage_gap
 * (st->gap_lost), which needs this sample's position and load. Sets st->t,
 * st->dt and st->enc_restart.
 */
static bool stage_time(struct rs_pipeline *p, const struct rs_sample *s, struct step *st,
                       struct rs_events *out)
{
    struct rs_pl_time *tm = &p->tm;
    struct rs_live *L = &p->live;
    st->dt = 0;
    st->enc_restart = false;
    st->gap_lost = 0;
    rs_seq_push(&tm->seq, s->seq, NULL);
    L->lost = (uint32_t)tm->seq.lost;
    if (!tm->started) {
        tm->started = true;
        tm->t_us = 0;
        st->enc_restart = true;
    } else {
        uint32_t dseq = s->seq - tm->last_seq;
        uint32_t dtu = s->t_us - tm->last_t_us;
        bool reset = dseq >= 0x80000000u || dtu >= 0x80000000u;
        if (dseq == 0 && !tm->resync)
            return false; /* duplicate frame: already counted */
        if (tm->resync) {
            /* After a host-side gap (already reported; tm->seq counted what
             * was lost, or gave it to the gap after an unplug). */
            tm->resync = false;
            if (reset)
                dtu = 0;
            st->enc_restart = true;
        } else if (reset) {
            /* The device restarted: its clock and counters began again. */
            gap_event(p, out, 0, 0, RS_GAP_DEVICE_RESET, false);
            break_continuity(p, out, L->t);
            st->enc_restart = true;
            dtu = 0;
        } else {
            st->dt = dtu / 1e6;
            st->gap_lost = dseq > 1 ? dseq - 1 : 0;
        }
        tm->t_us += dtu;
    }
    tm->last_seq = s->seq;
    tm->last_t_us = s->t_us;
    L->frames++;
    L->t = (double)tm->t_us / 1e6;
    st->t = L->t;
    return true;
}

/*
 * Faults (p->flt). Reports a change of the set of fault status bits as a
 * fault event and tells the later stages whether forces or positions are
 * blocked (st->blocked).
 */
static void stage_faults(struct rs_pipeline *p, const struct rs_sample *s, struct step *st,
                         struct rs_events *out)
{
    uint16_t fb = s->status & FAULT_REPORTED;
    if (fb != p->flt.bits) {
        struct rs_event ev = { .type = RS_EV_FAULT, .t = st->t };
        ev.u.fault.set = fb & (uint16_t)~p->flt.bits;
        ev.u.fault.cleared = p->flt.bits & (uint16_t)~fb;
        ev.u.fault.bits = fb;
        p->flt.bits = fb;
        p->flt.events++;
        emit(out, &ev);
    }
    p->live.fault_bits = fb;
    st->blocked = (fb & FAULT_BLOCKING) != 0;
}

/*
 * Encoder (p->kin). Unwraps the cumulative count (int32 differences) and
 * converts it to surface travel with the radius and direction in use; no
 * travel while the angle is untrustworthy or continuity was broken. Sets
 * st->disp.
 */
static void stage_encoder(struct rs_pipeline *p, const struct rs_sample *s, struct step *st)
{
    if (st->enc_restart)
        p->kin.last_enc = s->enc;
    int32_t denc = (int32_t)((uint32_t)s->enc - (uint32_t)p->kin.last_enc);
    p->kin.last_enc = s->enc;
    if (s->status & (RS_ST_MAGNET | RS_ST_ENC_ERROR))
        denc = 0; /* no trustworthy angle: no travel */
    p->live.displacement_cm += p->cal.enc_dir * (double)denc * p->circ_cm / RS_ENC_COUNTS_PER_REV;
    st->disp = p->live.displacement_cm;
}

/*
 * Forces: calibration, then the auto-zero correction in use (p->zero, which
 * stage_autozero updates). A faulty side reads 0 N. Sets the forces, the
 * lateral position and the leg in st and the live state.
 */
static void stage_forces(struct rs_pipeline *p, const struct rs_sample *s, struct step *st)
{
    struct rs_live *L = &p->live;
    double l = ((double)s->left - p->cal.offset_left) / p->cal.scale_left - p->zero.l;
    double r = ((double)s->right - p->cal.offset_right) / p->cal.scale_right - p->zero.r;
    if (s->status & RS_ST_HX_LEFT)
        l = 0;
    if (s->status & RS_ST_HX_RIGHT)
        r = 0;
    double f = l + r;
    st->level = p->level_n;
    L->left_n = st->l = l;
    L->right_n = st->r = r;
    L->force_n = st->f = f;
    L->bw_pct = f / bw_n(p) * 100.0;
    if (L->bw_pct > p->peak_bw)
        p->peak_bw = L->bw_pct;
    st->x = f >= st->level ? ((r / f) - 0.5) * RS_CELL_SPAN_MM : 0;
    L->x_mm = st->x;
    L->leg = f >= st->level ? leg_of(p, st->x) : RS_LEG_UNCERTAIN;
    st->leg = L->leg;
}

/*
 * Frame loss (a sequence jump seen by stage_time). The gap event carries the
 * time of this sample, which revealed it. Frames lost for up to gap_bridge_ms
 * are bridged: a running hold goes on if the leg is still on the spot (within
 * still_net_cm) and under load, and the lost time is added to the hold's
 * lost_s. A longer gap, or a leg that moved or lifted meanwhile, ends the
 * hold at the last sample before the gap and restarts the estimators.
 */
static void stage_gap(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    if (!st->gap_lost)
        return;
    double lost_s = st->dt - 1.0 / RS_SAMPLE_RATE_HZ;
    if (lost_s < 0)
        lost_s = 0;
    /* 0.5 ms of slack: the device clock jitters around its 12.5 ms period. */
    bool bridged = lost_s <= p->cfg.gap_bridge_ms / 1000.0 + 0.0005;
    if (bridged && p->hd.on &&
        (fabs(st->disp - p->hd.spot_disp) > p->cfg.still_net_cm || st->f < st->level))
        bridged = false;
    gap_event(p, out, st->gap_lost, st->dt, RS_GAP_SEQUENCE, bridged);
    p->live.lost_s += lost_s;
    if (!bridged) {
        break_continuity(p, out, st->t - st->dt);
    } else if (p->hd.on) {
        p->hd.h.lost_s += lost_s;
        p->hd.lost_s += lost_s;
    }
}

/*
 * The speed window's first entry: the newest one at least W less half a
 * sample period older than t, or the oldest usable one if none is. Times
 * never decrease, so that entry only moves forward as samples come: it is
 * kept (p->hist.win_k) and moved a step or two per sample instead of
 * searched from the newest one (a new window length moves it back).
 */
static uint64_t speed_window_start(struct rs_pipeline *p, double t, double W)
{
    double reach = W - 0.5 / RS_SAMPLE_RATE_HZ;
    uint64_t lo = hist_oldest(p), top = p->hist.count - 1, k = p->hist.win_k;
    k = k < lo ? lo : k > top ? top : k;
    while (k > lo && t - hist_at(p, k)->t < reach)
        k--;
    while (k < top && !(t - hist_at(p, k + 1)->t < reach))
        k++;
    p->hist.win_k = k;
    return k;
}

/*
 * History and speed (p->hist). Appends the sample to the ring, then the speed
 * is the travel between now and the sample nearest speed_window_ms ago over
 * the time between them (dropped frames do not bias it); it is valid once the
 * window is at least half filled since the last gap.
 */
static void stage_speed(struct rs_pipeline *p, struct step *st)
{
    double sum_t = 0, sum_disp = 0, sum_force = 0;
    if (p->hist.count > 0) {
        const struct rs_hist_entry *prev = hist_at(p, p->hist.count - 1);
        sum_t = prev->sum_t;
        sum_disp = prev->sum_disp;
        sum_force = prev->sum_force;
    }
    struct rs_hist_entry *e = &p->hist.e[p->hist.count % RS_HIST];
    *e = (struct rs_hist_entry){ .t = st->t, .disp = st->disp, .force = st->f, .x = st->x,
                                 .sum_t = sum_t + st->t, .sum_disp = sum_disp + st->disp,
                                 .sum_force = sum_force + st->f };
    p->hist.count++;
    double W = p->cfg.speed_window_ms / 1000.0;
    double vel = 0;
    st->speed_ok = false;
    const struct rs_hist_entry *w = hist_at(p, speed_window_start(p, st->t, W));
    double span = st->t - w->t;
    st->win_disp = w->disp;
    if (span >= W * 0.5) {
        vel = (st->disp - w->disp) / span;
        st->speed_ok = true;
    }
    p->live.velocity_cm_s = vel;
    p->live.speed_cm_s = fabs(vel);
    st->speed = p->live.speed_cm_s;
}

/*
 * Drift: the change of the 0.5 s mean position over 1 s. Tremor of ±3 mm at
 * 3 Hz moves a 0.5 s mean by at most 0.64 mm, so it reads below 0.13 cm/s
 * (less at higher frequencies), while travel of v cm/s reads v. Also the
 * 0.25 s means of position and force: where the leg is now, without the
 * tremor's instantaneous excursions.
 */
static void stage_drift(struct rs_pipeline *p, struct step *st)
{
    uint64_t k = p->hist.count - 1;
    const struct rs_hist_entry *e = hist_at(p, k), *b;
    st->near_ok = hist_tail_ok(p, NEAR_N);
    st->near_disp = st->near_force = 0;
    if (st->near_ok) {
        b = hist_before_tail(p, NEAR_N);
        st->near_disp = (e->sum_disp - b->sum_disp) / NEAR_N;
        st->near_force = (e->sum_force - b->sum_force) / NEAR_N;
    }
    /* The 0.5 s mean now, kept for DRIFT_LAG samples: the drift's older
     * mean is the one computed then (usable now if its samples still are). */
    double t1 = 0, d1 = 0;
    bool mean_ok = hist_tail_ok(p, MEAN_N);
    if (mean_ok) {
        b = hist_before_tail(p, MEAN_N);
        t1 = (e->sum_t - b->sum_t) / MEAN_N;
        d1 = (e->sum_disp - b->sum_disp) / MEAN_N;
        p->hist.mean[k % RS_MEAN_RING].t = t1;
        p->hist.mean[k % RS_MEAN_RING].disp = d1;
    }
    st->drift_ok = false;
    st->drift = 0;
    st->mean_disp = st->disp;
    if (mean_ok && hist_tail_ok(p, MEAN_N + DRIFT_LAG)) {
        double t0 = p->hist.mean[(k - DRIFT_LAG) % RS_MEAN_RING].t;
        double d0 = p->hist.mean[(k - DRIFT_LAG) % RS_MEAN_RING].disp;
        if (t1 > t0) {
            st->drift_ok = true;
            st->mean_disp = d1;
            st->drift = (d1 - d0) / (t1 - t0);
        }
    }
}

/*
 * Auto-zero (p->zero): only while both sides are unloaded (|N| below
 * autozero_band_n) and the roller is still, after autozero_still_s of that;
 * first-order tracking with autozero_tau_s, bounded by autozero_limit_n.
 */
static void stage_autozero(struct rs_pipeline *p, struct step *st)
{
    const struct rs_config *c = &p->cfg;
    struct rs_pl_zero *z = &p->zero;
    if (!st->blocked && st->speed_ok && st->speed < c->still_speed_cm_s &&
        fabs(st->l) < c->autozero_band_n && fabs(st->r) < c->autozero_band_n) {
        if (z->unloaded_since < 0)
            z->unloaded_since = st->t;
        if (st->t - z->unloaded_since >= c->autozero_still_s && st->dt > 0) {
            double a = st->dt / c->autozero_tau_s;
            if (a > 1)
                a = 1;
            z->l += a * st->l;
            z->r += a * st->r;
            double lim = c->autozero_limit_n;
            z->l = z->l > lim ? lim : z->l < -lim ? -lim : z->l;
            z->r = z->r > lim ? lim : z->r < -lim ? -lim : z->r;
        }
    } else {
        z->unloaded_since = -1;
    }
    p->live.zero_left_n = z->l;
    p->live.zero_right_n = z->r;
}

/*
 * Contact and position (p->ct). Contact begins when the total reaches the
 * contact level and ends contact_off_ms after it fell below. A new contact
 * starts at the Achilles end; travel moves the position, clamped (re-anchored)
 * at both ends of the calf. The rolling mean force (in contact and moving)
 * feeds the hold minimum. Sets st->pos.
 */
static void stage_contact(struct rs_pipeline *p, struct step *st)
{
    const struct rs_config *c = &p->cfg;
    struct rs_pl_contact *ct = &p->ct;
    if (st->f >= st->level) {
        ct->below_since = -1;
        if (!ct->on) {
            ct->on = true;
            ct->pos_anchor = -st->disp; /* a new contact starts at the Achilles end */
        }
    } else if (ct->on) {
        if (ct->below_since < 0)
            ct->below_since = st->t;
        if (st->t - ct->below_since >= c->contact_off_ms / 1000.0)
            ct->on = false;
    }
    p->live.contact = ct->on;
    double calf_len = p->prof.calf_length_cm;
    double pos = calf_pos(p, st->disp);
    /* The contact cannot be beyond either end of the calf: re-anchor there. */
    if (pos < 0) {
        ct->pos_anchor = -st->disp;
        pos = 0;
    } else if (pos > calf_len) {
        ct->pos_anchor = calf_len - st->disp;
        pos = calf_len;
    }
    p->live.pos_cm = st->pos = pos;
    if (ct->on && st->speed_ok && st->speed >= c->still_speed_cm_s) {
        ct->roll_force_sum += st->f;
        ct->roll_time += 1;
    }
}

/*
 * Calf map, time per calf and dose by time (p->live.calf, p->dose): a sample
 * in contact with a known leg adds its interval (at most 0.1 s) to the bin of
 * its position; the switch and stop advice fire once per leg.
 */
static void stage_calf_map(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    const struct rs_config *c = &p->cfg;
    struct rs_live *L = &p->live;
    enum rs_leg leg = st->leg;
    if (!p->ct.on || leg == RS_LEG_UNCERTAIN || !(st->dt > 0))
        return;
    double dtc = st->dt > 0.1 ? 0.1 : st->dt;
    /* st->pos is within [0, calf length] (stage_contact): truncation floors. */
    int bin = (int)st->pos;
    int nb = p->calf_nb;
    bin = bin < 0 ? 0 : bin >= nb ? nb - 1 : bin;
    L->calf[leg].time_s[bin] += dtc;
    L->calf[leg].force_ns[bin] += st->f * dtc;
    L->calf_time_s[leg] += dtc;
    if (!p->dose.switch_done[leg] && L->calf_time_s[leg] >= c->dose_switch_min * 60) {
        p->dose.switch_done[leg] = true;
        dose_event(p, out, RS_DOSE_SWITCH, leg);
    }
    if (!p->dose.stop_done[leg] && L->calf_time_s[leg] >= c->dose_stop_min * 60) {
        p->dose.stop_done[leg] = true;
        dose_event(p, out, RS_DOSE_STOP, leg);
    }
}

/*
 * Knee zone (p->knee): in contact with a known leg and within knee_zone_cm of
 * the calf's upper end; it is left only 0.5 cm below the zone's edge
 * (hysteresis), or by lifting.
 */
static void stage_knee(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    double edge = p->prof.calf_length_cm - p->cfg.knee_zone_cm;
    bool in = p->ct.on && st->leg != RS_LEG_UNCERTAIN &&
              (p->knee ? st->pos >= edge - 0.5 : st->pos >= edge);
    if (in != p->knee) {
        p->knee = in;
        struct rs_event ev = { .type = RS_EV_KNEE_ZONE, .t = st->t };
        ev.u.knee.active = in;
        ev.u.knee.leg = st->leg;
        ev.u.knee.pos_cm = st->pos;
        emit(out, &ev);
    }
    p->live.knee_zone = p->knee;
}

/* The force a hold needs: hold_min_bw_pct, or a fraction of the rolling mean. */
static double hold_need_n(const struct rs_pipeline *p)
{
    double need = p->cfg.hold_min_bw_pct / 100.0 * bw_n(p);
    if (p->ct.roll_time > 0) {
        double rm = p->cfg.hold_min_rolling_frac * p->ct.roll_force_sum / p->ct.roll_time;
        if (rm > need)
            need = rm;
    }
    return need;
}

/*
 * Stillness run (p->st), and how long the force has been enough for a hold:
 * both must hold for still_time_s (a light rest is not a hold, and a later
 * press starts the hold when it starts, not with the rest). A run begins
 * when the drift is below still_drift_cm_s with the load on (tremor is not
 * travel, a creep of 0.4 cm/s is), and breaks when the drift rises again or
 * the 0.5 s mean position moved still_net_cm from where the run began. Its
 * start and rest position come from arrival_place().
 */
static void stage_stillness(struct rs_pipeline *p, struct step *st)
{
    const struct rs_config *c = &p->cfg;
    struct rs_pl_still *sr = &p->st;
    bool still_now = !st->blocked && st->drift_ok && fabs(st->drift) < c->still_drift_cm_s &&
                     st->f >= st->level;
    if (sr->run) {
        if (!still_now || fabs(st->mean_disp - sr->disp) >= c->still_net_cm)
            sr->run = false;
        else if (st->f < hold_need_n(p))
            sr->strong_since = -1;
        else if (sr->strong_since < 0) {
            sr->strong_since = st->t;
            sr->strong_k = p->hist.count - 1;
        }
    } else if (still_now) {
        sr->run = true;
        sr->placed = false;
        arrival_place(p, st->level, st->mean_disp, &sr->start, &sr->rest);
        sr->disp = st->mean_disp;
        /* The force has been enough since the first of the run's samples
         * from which on it stayed at or above the need. */
        double need = hold_need_n(p);
        sr->strong_since = -1;
        for (uint64_t k = p->hist.count; k-- > hist_oldest(p);) {
            const struct rs_hist_entry *he = hist_at(p, k);
            if (he->t < sr->start || he->force < need)
                break;
            sr->strong_since = he->t;
            sr->strong_k = k;
        }
    }
}

/*
 * Is the hold in doubt now: a force dip running, the leg's 0.25 s mean
 * position more than depart_cm off the spot (leaving, at any speed, shows
 * there within cue_confirm_ms at 1 cm/s and faster), or its 0.25 s mean force
 * below EASE_DOUBT_FRAC of the hold's mean (easing off)?
 */
static bool hold_in_doubt(const struct rs_pipeline *p, const struct step *st)
{
    const struct rs_pl_hold *hd = &p->hd;
    if (hd->dip_since >= 0 || !st->near_ok)
        return true;
    double mean = hd->n > 0 ? hd->sum_f / hd->n : 0;
    return fabs(st->near_disp - hd->spot_disp) > p->cfg.depart_cm ||
           st->near_force < EASE_DOUBT_FRAC * mean;
}

/*
 * Cues fall due at the backdated start plus their seconds and are decided
 * cue_confirm_ms later: if the hold is not in doubt then, it reached the cue
 * (a departure or ease-off that began before the cue would show by then).
 * While in doubt the cue waits; hold_finish() reports it only if the hold's
 * end is at or after the due time. Either way its t is the due time.
 */
static void hold_cues(struct rs_pipeline *p, const struct step *st, struct rs_events *out)
{
    double confirm = p->cfg.cue_confirm_ms / 1000.0;
    while (p->hd.next_cue < 4 &&
           st->t - p->hd.h.start_t >= cue_seconds(p, p->hd.next_cue) + confirm - 1e-9) {
        if (hold_in_doubt(p, st))
            return;
        cue_emit(p, out);
    }
}

/*
 * A running hold takes one sample: a fault ends it at the previous sample,
 * leaving the spot by more than hold_move_end_cm ends it (moved), a force dip
 * below hold_dip_frac of its mean longer than hold_dip_max_s ends it
 * (released); otherwise the sample joins the hold's figures.
 */
static void hold_step(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    const struct rs_config *c = &p->cfg;
    struct rs_pl_hold *hd = &p->hd;
    if (st->blocked) {
        /* The last trustworthy sample was the previous one. */
        hold_finish(p, out, st->t - st->dt, RS_END_FAULT);
        return;
    }
    if (fabs(st->disp - hd->spot_disp) > c->hold_move_end_cm) {
        hold_finish(p, out, departure_time(p), RS_END_MOVED);
        return;
    }
    double ref = hd->n > 0 ? hd->sum_f / hd->n : 0;
    if (st->f < c->hold_dip_frac * ref) {
        if (hd->dip_since < 0) {
            hd->dip_since = st->t;
            hd->dip_prev_t = st->t - st->dt;
            hd->dip_k = p->hist.count - 1;
            hd->dip_sum_f = hd->dip_sum_x = hd->dip_n = 0;
        }
        hd->dip_sum_f += st->f;
        hd->dip_sum_x += st->x;
        hd->dip_n += 1;
        if (st->t - hd->dip_since > c->hold_dip_max_s)
            hold_finish(p, out, release_time(p), RS_END_RELEASED);
        return;
    }
    if (hd->dip_since >= 0) {
        hd->sum_f += hd->dip_sum_f;
        hd->sum_x += hd->dip_sum_x;
        hd->n += hd->dip_n;
        hd->dip_since = -1;
    }
    hd->sum_f += st->f;
    hd->sum_x += st->x;
    hd->n += 1;
    if (st->f > hd->h.peak_n)
        hd->h.peak_n = st->f;
}

/*
 * A stillness run with enough force for still_time_s + cue_confirm_ms, and
 * no doubt (the leg near its rest position), becomes a hold. Its start is
 * placed once more with all the rest seen so far; when the force came up
 * after the roller stopped, the hold starts at the onset of the press. So
 * hold_start's seconds is at least still_time_s + cue_confirm_ms.
 */
static void hold_try_start(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    struct rs_pl_still *sr = &p->st;
    double wait = p->cfg.still_time_s + p->cfg.cue_confirm_ms / 1000.0 - 1e-9;
    if (!sr->run || sr->strong_since < 0 || st->t - fmax(sr->start, sr->strong_since) < wait)
        return;
    if (!sr->placed) {
        sr->placed = true;
        arrival_place(p, st->level, st->mean_disp, &sr->start, &sr->rest);
        double need = hold_need_n(p);
        if (sr->start < sr->strong_since) {
            /* The force came up after the roller stopped: the hold starts
             * with the press, at the onset of its rise. */
            uint64_t k = sr->strong_k, lo = hist_oldest(p);
            while (k > lo && hist_at(p, k - 1)->t >= sr->start &&
                   hist_at(p, k - 1)->force < hist_at(p, k)->force - 0.01 * need)
                k--;
            sr->start = k >= lo ? hist_at(p, k)->t : sr->strong_since;
        }
        if (st->t - sr->start < wait)
            return;
    }
    if (!st->near_ok || fabs(st->near_disp - sr->rest) > p->cfg.depart_cm) {
        /* Not resting where the fit says (a slow reversal looked still for
         * a moment, or the leg is leaving): this run is no hold. */
        sr->run = false;
        return;
    }
    hold_begin(p, out);
    hold_cues(p, st, out);
}

/*
 * Holds and cues (p->hd): a running hold takes the sample and its due cues
 * fire; otherwise a confirmed stillness run starts one. Mirrors the hold into
 * the live state.
 */
static void stage_holds(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    struct rs_live *L = &p->live;
    if (p->hd.on) {
        hold_step(p, st, out);
        if (p->hd.on)
            hold_cues(p, st, out);
    } else {
        hold_try_start(p, st, out);
    }
    L->hold.active = p->hd.on;
    if (p->hd.on) {
        L->hold.seconds = st->t - p->hd.h.start_t;
        L->hold.start_t = p->hd.h.start_t;
        L->hold.leg = p->hd.h.leg;
        L->hold.pos_cm = p->hd.h.pos_cm;
    } else {
        L->hold.seconds = 0;
        L->hold.cue = 0;
    }
}

/* Passes shorter than this are not strokes (tremor, wobble, a nudge). */
#define PASS_MIN_CM 2.0

/*
 * Rolling passes (p->pass): one stroke in one direction, reported when it
 * stops, turns or lifts, with distance, mean and peak speed (rs_pass.h).
 */
static void stage_passes(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    struct rs_pass pass;
    if (rs_pass_step(&p->pass, st->t, st->dt, st->disp, st->win_disp, p->live.velocity_cm_s,
                     p->ct.on && st->speed_ok, st->leg, p->cfg.still_speed_cm_s,
                     p->cfg.speed_window_ms / 1000.0, PASS_MIN_CM, &pass)) {
        struct rs_event ev = { .type = RS_EV_PASS, .t = st->t, .u.pass = pass };
        emit(out, &ev);
    }
}

/*
 * Bands (p->bands): the current speed and force bands into the live state,
 * and their debounced changes as events.
 */
static void stage_bands(struct rs_pipeline *p, struct step *st, struct rs_events *out)
{
    struct rs_live *L = &p->live;
    struct rs_pl_bands *b = &p->bands;
    int sb = p->live.contact ? (int)rs_speed_band_of(&p->cfg, st->speed) : RS_SPEED_NONE;
    L->speed_band = sb;
    band_step(p, out, RS_EV_SPEED_BAND, sb, st->speed, false, &b->speed_band, &b->speed_cand,
              &b->speed_cand_t);
    int fbnd = p->ct.on ? (int)rs_force_band_of(&p->cfg, L->bw_pct) : RS_FORCE_NONE;
    bool hard = fbnd >= RS_FORCE_NO_BENEFIT ||
                (p->prof.force_limit_n > 0 && st->f > p->prof.force_limit_n);
    L->force_band = fbnd;
    L->too_hard = hard;
    band_step(p, out, RS_EV_FORCE_BAND, fbnd, L->bw_pct, hard, &b->force_band, &b->force_cand,
              &b->force_cand_t);
}

/* One sample through the stages, in order; each stage's contract is above it. */
void rs_pipeline_push(struct rs_pipeline *p, const struct rs_sample *s, struct rs_events *out)
{
    /* Not zeroed as a whole (it is on the hot path): each stage writes all
     * of its fields before a later stage reads them. */
    struct step st;
    stage_cal_status(p, s);
    if (!stage_time(p, s, &st, out))
        return;
    stage_faults(p, s, &st, out);
    stage_encoder(p, s, &st);
    stage_forces(p, s, &st);
    stage_gap(p, &st, out);
    stage_speed(p, &st);
    stage_drift(p, &st);
    stage_autozero(p, &st);
    stage_contact(p, &st);
    stage_calf_map(p, &st, out);
    stage_knee(p, &st, out);
    stage_stillness(p, &st);
    stage_holds(p, &st, out);
    stage_passes(p, &st, out);
    stage_bands(p, &st, out);
}

void rs_pipeline_finish(struct rs_pipeline *p, struct rs_events *out)
{
    if (!p->hd.on)
        return;
    if (p->hd.dip_since >= 0)
        hold_finish(p, out, release_time(p), RS_END_RELEASED);
    else
        hold_finish(p, out, p->live.t, RS_END_DATA);
    p->live.hold.active = false;
    p->live.hold.seconds = 0;
}

void rs_pipeline_summary(const struct rs_pipeline *p, struct rs_summary *s)
{
    memset(s, 0, sizeof *s);
    s->frames = p->live.frames;
    s->lost = p->live.lost;
    s->gaps = p->live.gaps;
    s->lost_s = p->live.lost_s;
    s->hold_lost_s = p->hd.lost_s;
    for (int i = 0; i < 3; i++) {
        s->holds[i] = p->live.holds[i];
        s->calf_time_s[i] = p->live.calf_time_s[i];
    }
    s->longest_hold_s = p->hd.longest;
    s->peak_bw_pct = p->peak_bw;
    s->duration_s = p->live.t;
    s->fault_events = p->flt.events;
    s->zero_left_n = p->zero.l;
    s->zero_right_n = p->zero.r;
    s->calibrated = p->cal.calibrated;
}
