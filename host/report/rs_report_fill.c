/*
 * rs_report_fill.c - a report's data from a session file, without the
 * detector core: raw counts scaled by the calibration snapshot, encoder
 * distance for position and speed, holds from the stored hold events.
 * Memory is constant: the series are averaged into RS_REPORT_POINTS buckets
 * while streaming, so a 10-hour session costs the same as a minute.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_jsonq.h"
#include "rs_report.h"
#include "rs_reader.h"
#include "rs_rtreplay.h"

/* Force above which the leg counts as on the roller (N, about 3 % of 70 kg). */
#define LOADED_N 20.0

struct cal {
    double off[2], scale[2], cm_per_count;
    bool have;
};

static void load_cal(struct rs_reader *s, struct cal *c)
{
    const char *j = rs_reader_meta(s, "calibration");
    double v[6];
    c->have = j && rs_jsonq_num(j, "offset_left", &v[0]) && rs_jsonq_num(j, "offset_right", &v[1]) &&
              rs_jsonq_num(j, "scale_left", &v[2]) && rs_jsonq_num(j, "scale_right", &v[3]) &&
              fabs(v[2]) > 1e-6 && fabs(v[3]) > 1e-6;
    if (c->have) {
        c->off[0] = v[0];
        c->off[1] = v[1];
        c->scale[0] = v[2];
        c->scale[1] = v[3];
    } else {
        c->scale[0] = c->scale[1] = RS_DEFAULT_SCALE_COUNTS_PER_N;
    }
    double radius_um = RS_DEFAULT_RADIUS_UM, dir = 1;
    if (j && rs_jsonq_num(j, "radius_um", &v[4]) && v[4] > 1000 && v[4] < 1e6)
        radius_um = v[4];
    if (j && rs_jsonq_num(j, "enc_dir", &v[5]) && v[5] < 0)
        dir = -1;
    c->cm_per_count = dir * 2 * M_PI * radius_um / 1e4 / RS_ENC_COUNTS_PER_REV;
}

/* Newtons on each side; the first frame is the zero when uncalibrated. */
static void forces(struct cal *c, const struct rs_sample *x, double f[2])
{
    if (!c->have) {
        c->off[0] = x->left;
        c->off[1] = x->right;
        c->have = true;
    }
    f[0] = (x->left - c->off[0]) / c->scale[0];
    f[1] = (x->right - c->off[1]) / c->scale[1];
}

void rs_report_title(struct rs_report_data *d, const struct rs_reader_summary *sum,
                     unsigned holds_left, unsigned holds_right)
{
    char iso[48] = "";
    if (sum->start_host_us)
        rs_iso8601(sum->start_host_us, sum->tz_offset_s, iso, sizeof iso);
    long sec = d->duration_s < 1e9 ? lround(d->duration_s) : 999999999L;
    char dur[32];
    if (sec >= 3600)
        snprintf(dur, sizeof dur, "%ld:%02ld:%02ld", sec / 3600, sec / 60 % 60, sec % 60);
    else
        snprintf(dur, sizeof dur, "%ld:%02ld", sec / 60, sec % 60);
    snprintf(d->title, sizeof d->title, "rollsense session %.10s %.5s   %s   %u+%u holds", iso,
             iso[0] ? iso + 11 : "", dur, holds_left, holds_right);
}

/* What the first pass over a session finds (the file may be damaged, so
 * no counts are trusted): the frames' span, the range of positions where a
 * leg was loaded, the holds in device time. */
struct scan {
    double pmin, pmax;
    int64_t first, t_end;
    uint64_t frames;
    int64_t hold_dev[64][2];
};

void rs_report_routine_row(void *ctx, const char *type, const char *json)
{
    struct rs_report_data *d = ctx;
    struct rs_rtstep st;
    bool done;
    double k;
    if (strcmp(type, "routine_step") == 0 && d->nsteps < 16 && rs_rtstep_parse(json, &st) == 0) {
        d->steps[d->nsteps++] = (struct rs_report_step){
            st.t, st.actual_s, st.kind, st.leg == RS_VLEG_RIGHT ? RS_REPORT_RIGHT : RS_REPORT_LEFT,
            st.count, st.skipped };
    } else if (strcmp(type, "routine_done") == 0 && rs_jsonq_bool(json, "completed", &done)) {
        d->routine_done = done;
        if (rs_jsonq_num(json, "steps_done", &k) && k >= 0 && k < 100)
            d->routine_steps_done = (int)k;
    }
}

/* A hold event of the log into d->holds and sc->hold_dev. */
static void scan_event(const struct rs_item *it, struct rs_report_data *d, struct scan *sc,
                       int *open_leg, int64_t *open_start)
{
    if (strncmp(it->type, "routine_", 8) == 0) {
        rs_report_routine_row(d, it->type, it->json ? it->json : "{}");
        return;
    }
    char leg[16] = "";
    rs_jsonq_str(it->json, "leg", leg, sizeof leg);
    int l = strcmp(leg, "right") == 0 ? RS_REPORT_RIGHT : RS_REPORT_LEFT;
    double dur;
    if (strcmp(it->type, "hold_start") == 0) {
        *open_leg = l;
        *open_start = it->dev_us;
    } else if (strcmp(it->type, "hold_end") == 0 && d->nholds < 64) {
        int64_t start = *open_leg >= 0 ? *open_start : it->dev_us;
        if (rs_jsonq_num(it->json, "duration_s", &dur) && dur >= 0 && dur < 1e5)
            start = it->dev_us - (int64_t)(dur * 1e6);
        sc->hold_dev[d->nholds][0] = start;
        sc->hold_dev[d->nholds][1] = it->dev_us;
        d->holds[d->nholds++].leg = l;
        *open_leg = -1;
    }
}

/* Pass 1: the scan, the holds (a hold still running at the end ends
 * there) and the duration into d. 0, or -1 when no frame is readable. */
static int scan_pass(struct rs_reader *s, const struct cal *cal0, struct rs_report_data *d,
                     struct scan *sc)
{
    struct cal cal = *cal0;
    sc->pmin = INFINITY;
    sc->pmax = -INFINITY;
    struct rs_item it;
    rs_reader_seek(s, INT64_MIN);
    int open_leg = -1;
    int64_t open_start = 0;
    while (rs_reader_next(s, &it) > 0) {
        if (it.kind == RS_ITEM_FRAME && it.frame.type == RS_FT_SAMPLE) {
            if (sc->frames++ == 0)
                sc->first = sc->t_end = it.dev_us;
            double f[2];
            forces(&cal, &it.frame.u.sample, f);
            if (f[0] + f[1] > LOADED_N) {
                double p = it.frame.u.sample.enc * cal.cm_per_count;
                sc->pmin = fmin(sc->pmin, p);
                sc->pmax = fmax(sc->pmax, p);
            }
            if (it.dev_us > sc->t_end)
                sc->t_end = it.dev_us;
        } else if (it.kind == RS_ITEM_EVENT) {
            scan_event(&it, d, sc, &open_leg, &open_start);
        }
    }
    if (sc->frames == 0)
        return -1;
    if (open_leg >= 0 && d->nholds < 64) {
        sc->hold_dev[d->nholds][0] = open_start;
        sc->hold_dev[d->nholds][1] = sc->t_end;
        d->holds[d->nholds++].leg = open_leg;
    }
    for (size_t i = 0; i < d->nholds; i++) {
        d->holds[i].start_s = ((double)sc->hold_dev[i][0] - (double)sc->first) / 1e6;
        d->holds[i].end_s = ((double)sc->hold_dev[i][1] - (double)sc->first) / 1e6;
    }
    d->duration_s = ((double)sc->t_end - (double)sc->first) / 1e6;
    if (!(d->duration_s > 0))
        d->duration_s = 1e-3;
    return 0;
}

/* Sums per time bucket: speed = distance rolled / time covered, both summed
 * from successive samples (not net displacement: rolling goes back and
 * forth); and the calf map's force per position bin and leg. */
struct buckets {
    double fsum[RS_REPORT_POINTS], tsum[RS_REPORT_POINTS];
    double dist[RS_REPORT_POINTS], dtime[RS_REPORT_POINTS];
    unsigned cnt[RS_REPORT_POINTS];
    double map_sum[2][RS_REPORT_BINS];
};

/* Pass 2: every sample into its bucket and calf-map bin. */
static void bucket_pass(struct rs_reader *s, const struct cal *cal0, const struct scan *sc,
                        size_t n, double width, struct buckets *bk)
{
    struct cal cal = *cal0;
    double prange = sc->pmax > sc->pmin ? sc->pmax - sc->pmin : 1;
    double p_prev = 0, t_prev = 0;
    bool have_prev = false;
    struct rs_item it;
    rs_reader_seek(s, INT64_MIN);
    while (rs_reader_next(s, &it) > 0) {
        if (it.kind == RS_ITEM_GAP) {
            have_prev = false; /* never measure speed across a gap */
            continue;
        }
        if (it.kind != RS_ITEM_FRAME || it.frame.type != RS_FT_SAMPLE)
            continue;
        double t = ((double)it.dev_us - (double)sc->first) / 1e6;
        double bd = t / width;
        size_t b = !(bd > 0) ? 0 : bd >= (double)n ? n - 1 : (size_t)bd;
        double f[2];
        forces(&cal, &it.frame.u.sample, f);
        double p = it.frame.u.sample.enc * cal.cm_per_count;
        bk->fsum[b] += f[0] + f[1];
        bk->tsum[b] += t;
        bk->cnt[b]++;
        if (have_prev && t > t_prev && t - t_prev < 0.5) {
            bk->dist[b] += fabs(p - p_prev);
            bk->dtime[b] += t - t_prev;
        }
        p_prev = p;
        t_prev = t;
        have_prev = true;
        double total = f[0] + f[1];
        if (total > LOADED_N && isfinite(sc->pmin)) {
            /* which leg: where along the roller the load sits */
            int leg = f[1] / total >= 0.5 ? RS_REPORT_RIGHT : RS_REPORT_LEFT;
            double bf = (p - sc->pmin) / prange * RS_REPORT_BINS;
            int bin = !(bf > 0) ? 0 : bf >= RS_REPORT_BINS ? RS_REPORT_BINS - 1 : (int)bf;
            bk->map_sum[leg][bin] += total;
        }
    }
}

/* The series and the calf map of d from the two passes. A bucket is at
 * least 200 ms wide: the encoder's 0.03 mm steps need a 100-250 ms window
 * to give a speed (docs/config.md, speed_window_ms). */
static void series(struct rs_reader *s, const struct cal *cal0, const struct scan *sc,
                   struct rs_report_data *d)
{
    double nmax = fmin(fmin((double)RS_REPORT_POINTS, (double)sc->frames), ceil(d->duration_s / 0.2));
    size_t n = nmax < 2 ? 2 : (size_t)nmax;
    double width = d->duration_s / (double)n;
    static const double nanv = NAN;
    struct buckets bk;
    memset(&bk, 0, sizeof bk);
    bucket_pass(s, cal0, sc, n, width, &bk);
    d->n = n;
    for (size_t b = 0; b < n; b++) {
        if (!bk.cnt[b]) {
            d->t_s[b] = (b + 0.5) * width;
            d->force_n[b] = d->speed_cm_s[b] = nanv;
            continue;
        }
        d->t_s[b] = bk.tsum[b] / bk.cnt[b];
        d->force_n[b] = bk.fsum[b] / bk.cnt[b];
        d->speed_cm_s[b] = bk.dtime[b] > 0 ? bk.dist[b] / bk.dtime[b] : nanv;
    }
    for (int l = 0; l < 2; l++)
        for (int b = 0; b < RS_REPORT_BINS; b++)
            d->calf_map[l][b] = bk.map_sum[l][b] / RS_SAMPLE_RATE_HZ; /* N * s */
}

int rs_report_from_session(struct rs_reader *s, struct rs_report_data *d, char *err,
                           size_t errcap)
{
    memset(d, 0, sizeof *d);
    d->routine_done = -1;
    struct rs_reader_summary sum;
    rs_reader_summary(s, &sum);
    struct cal cal0;
    memset(&cal0, 0, sizeof cal0);
    load_cal(s, &cal0);
    bool calibrated = cal0.have;
    struct scan sc;
    memset(&sc, 0, sizeof sc);
    if (scan_pass(s, &cal0, d, &sc) != 0) {
        snprintf(err, errcap, "the session has no readable frames to draw");
        return -1;
    }
    series(s, &cal0, &sc, d);
    rs_report_title(d, &sum, (unsigned)sum.holds[0], (unsigned)sum.holds[1]);
    snprintf(d->note, sizeof d->note,
             "Force: raw counts scaled by %s; position and speed from the encoder; holds from "
             "the recorded events.",
             calibrated ? "the session's calibration snapshot"
                        : "the nominal scale, zeroed at the first frame (no calibration stored)");
    return 0;
}
