/*
 * rs_report_replay.c - a report's data from the detectors re-run on a
 * session (host/replay): force and speed as the pipeline computed them
 * (calibrated, auto-zeroed, windowed speed), the holds it found, and its
 * calf map (force x time per 1 cm of the calf, per leg). One streaming pass,
 * constant memory: the series are averaged into RS_REPORT_POINTS buckets.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rs_pipeline.h"
#include "rs_replay.h"
#include "rs_session.h"
#include "rs_report.h"

static int report_leg(enum rs_leg leg)
{
    return leg == RS_LEG_LEFT ? RS_REPORT_LEFT : leg == RS_LEG_RIGHT ? RS_REPORT_RIGHT : -1;
}

int rs_report_from_replay(struct rs_replay *rp, struct rs_report_data *d, char *err,
                          size_t errcap)
{
    memset(d, 0, sizeof *d);
    uint64_t frames = 0;
    int64_t first, last;
    if (rs_reader_span(rs_replay_reader(rp), &frames, &first, &last) != 0 || frames == 0) {
        snprintf(err, errcap, "the session has no readable frames to draw");
        return -1;
    }
    d->routine_done = -1;
    rs_replay_on_log(rp, rs_report_routine_row, d);
    d->duration_s = rs_replay_length(rp);
    if (!(d->duration_s > 0))
        d->duration_s = 1e-3;
    /* a bucket is at least 200 ms wide, as in rs_report_fill.c */
    double nmax = fmin(fmin((double)RS_REPORT_POINTS, (double)frames), ceil(d->duration_s / 0.2));
    size_t n = nmax < 2 ? 2 : (size_t)nmax;
    double width = d->duration_s / (double)n;
    double fsum[RS_REPORT_POINTS] = { 0 }, ssum[RS_REPORT_POINTS] = { 0 },
           tsum[RS_REPORT_POINTS] = { 0 };
    unsigned cnt[RS_REPORT_POINTS] = { 0 };
    size_t dropped_holds = 0;
    uint64_t samples = 0;
    struct rs_events ev;
    rs_events_clear(&ev);
    const struct rs_pipeline *p = rs_replay_pipeline(rp);
    for (;;) {
        int more = rs_replay_next(rp, &ev);
        if (more) {
            const struct rs_live *L = rs_pipeline_live(p);
            double t = rs_replay_pos(rp);
            double bd = t / width;
            size_t b = !(bd > 0) ? 0 : bd >= (double)n ? n - 1 : (size_t)bd;
            fsum[b] += L->force_n;
            ssum[b] += L->speed_cm_s;
            tsum[b] += t;
            cnt[b]++;
            samples++;
        }
        for (size_t i = 0; i < ev.n; i++) {
            const struct rs_event *e = &ev.ev[i];
            int leg = report_leg(e->u.hold.leg);
            if (e->type != RS_EV_HOLD_END || leg < 0)
                continue;
            if (d->nholds < sizeof d->holds / sizeof d->holds[0])
                d->holds[d->nholds++] = (struct rs_report_hold){ e->u.hold.start_t,
                                                                 e->u.hold.end_t, leg };
            else
                dropped_holds++;
        }
        rs_events_clear(&ev);
        if (!more)
            break;
    }
    if (samples == 0) {
        snprintf(err, errcap, "the session has no readable sample frames to draw");
        return -1;
    }
    d->n = n;
    for (size_t b = 0; b < n; b++) {
        if (!cnt[b]) { /* a gap: no line drawn there */
            d->t_s[b] = ((double)b + 0.5) * width;
            d->force_n[b] = d->speed_cm_s[b] = NAN;
            continue;
        }
        d->t_s[b] = tsum[b] / cnt[b];
        d->force_n[b] = fsum[b] / cnt[b];
        d->speed_cm_s[b] = ssum[b] / cnt[b];
    }
    /* the pipeline's 1 cm calf bins onto the report's bins over the calf length */
    const struct rs_live *L = rs_pipeline_live(p);
    double calf = rs_pipeline_profile(p)->calf_length_cm;
    double len = calf > 1 ? calf : 40;
    for (int leg = RS_LEG_LEFT; leg <= RS_LEG_RIGHT; leg++)
        for (int cm = 0; cm < RS_CALF_BINS; cm++) {
            double bf = (cm + 0.5) / len * RS_REPORT_BINS;
            int bin = !(bf > 0) ? 0 : bf >= RS_REPORT_BINS ? RS_REPORT_BINS - 1 : (int)bf;
            d->calf_map[report_leg((enum rs_leg)leg)][bin] += L->calf[leg].force_ns[cm];
        }

    struct rs_summary sum;
    rs_session_summary(rs_replay_session(rp), &sum);
    struct rs_reader_summary rsum;
    rs_reader_summary(rs_replay_reader(rp), &rsum);
    rs_report_title(d, &rsum, (unsigned)sum.holds[RS_LEG_LEFT], (unsigned)sum.holds[RS_LEG_RIGHT]);
    char more_holds[64] = "";
    if (dropped_holds)
        snprintf(more_holds, sizeof more_holds, " (first %zu holds shaded)", d->nholds);
    snprintf(d->note, sizeof d->note,
             "Force, speed, holds and calf map from the detectors re-run on the stored frames; "
             "%s%s.",
             sum.calibrated ? "calibrated" : "NOT calibrated: nominal scale", more_holds);
    return 0;
}
