/*
 * synth.h - a synthetic but plausible rolling session for tests: the left
 * calf for the first half, the right calf for the second, rolling ankle to
 * knee at 3 cm/s with one 20 s hold per leg and the detector events a
 * pipeline would have recorded. Deterministic; fake clock.
 */
#ifndef RS_SYNTH_H
#define RS_SYNTH_H

#include <math.h>
#include <stdio.h>

#include "rs_defaults.h"
#include "rs_record.h"

#define SYNTH_T0_US 1763745656000000LL
#define SYNTH_MASS_KG 70.0
#define SYNTH_OFF_L 12000
#define SYNTH_OFF_R -8000

struct synth_state {
    double pos_cm, dir;
    int hold_phase; /* 0 before, 1 in, 2 done (per half) */
};

/* Position (cm), total force (N) and right share at time t of a T-second session. */
static inline void synth_at(double t, double T, struct synth_state *st, double *pos, double *force,
                            double *right_share, int *holding)
{
    double half = T / 2;
    int right = t >= half;
    double tl = right ? t - half : t;
    double hold_from = half * 0.3, hold_to = hold_from + 20.0;
    *holding = tl >= hold_from && tl < hold_to;
    if (!*holding) {
        st->pos_cm += st->dir * 3.0 / RS_SAMPLE_RATE_HZ;
        if (st->pos_cm > 30) { st->pos_cm = 30; st->dir = -1; }
        if (st->pos_cm < 0) { st->pos_cm = 0; st->dir = 1; }
    }
    *pos = st->pos_cm;
    *force = (*holding ? 300.0 : 220.0) + 15.0 * sin(t * 1.7);
    *right_share = right ? 0.72 : 0.28;
}

/*
 * Record a T-second session at path, with a calibration snapshot if
 * with_cal. Returns 0 or the recorder error.
 */
static inline int synth_session(const char *path, double T, int with_cal)
{
    struct rs_rec *r;
    char err[512];
    int rc = rs_rec_open(&r, path, SYNTH_T0_US, 3600, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return rc;
    }
    if (with_cal) {
        struct rs_cal cal = { .offset_left = SYNTH_OFF_L, .offset_right = SYNTH_OFF_R,
                              .scale_left = RS_DEFAULT_SCALE_COUNTS_PER_N,
                              .scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N,
                              .radius_um = RS_DEFAULT_RADIUS_UM, .enc_dir = 1 };
        rs_rec_meta_cal(r, &cal);
    }
    rs_rec_meta(r, "profile", "{\"body_mass_kg\":70,\"calf_length_cm\":32}");
    struct synth_state st = { 0, 1, 0 };
    double cm_per_count = 2 * M_PI * RS_DEFAULT_RADIUS_UM / 1e4 / RS_ENC_COUNTS_PER_REV;
    uint32_t n = (uint32_t)(T * RS_SAMPLE_RATE_HZ);
    int was_holding = 0, leg = 0;
    double hold_start = 0, peak = 0;
    uint32_t hold_i = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        double t = i / (double)RS_SAMPLE_RATE_HZ, pos, force, share;
        int holding;
        synth_at(t, T, &st, &pos, &force, &share, &holding);
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample.seq = i;
        f.u.sample.t_us = (uint32_t)(i * (1000000u / RS_SAMPLE_RATE_HZ));
        f.u.sample.left = SYNTH_OFF_L + (int32_t)lround(force * (1 - share) * RS_DEFAULT_SCALE_COUNTS_PER_N);
        f.u.sample.right = SYNTH_OFF_R + (int32_t)lround(force * share * RS_DEFAULT_SCALE_COUNTS_PER_N);
        f.u.sample.enc = (int32_t)lround(pos / cm_per_count);
        int64_t host = SYNTH_T0_US + (int64_t)i * 12500 + 2000;
        rc = rs_rec_frame(r, host, &f);
        double bw = force / (SYNTH_MASS_KG * 9.80665) * 100;
        if (holding && !was_holding) {
            hold_start = t;
            hold_i = i;
            peak = 0;
            leg = share > 0.5;
        }
        if (holding && bw > peak)
            peak = bw;
        /* the detector reports a hold after 2 s of stillness */
        if (holding && i == hold_i + 2 * RS_SAMPLE_RATE_HZ) {
            char j[96];
            snprintf(j, sizeof j, "{\"leg\":\"%s\",\"start_s\":%.3f}", leg ? "right" : "left",
                     hold_start);
            if (!rc)
                rc = rs_rec_event(r, host, -1, "hold_start", j);
        }
        if (!holding && was_holding && !rc) {
            char j[160];
            snprintf(j, sizeof j, "{\"leg\":\"%s\",\"duration_s\":%.3f,\"peak_bw_pct\":%.1f}",
                     leg ? "right" : "left", t - hold_start, peak);
            rc = rs_rec_event(r, host, -1, "hold_end", j);
        }
        was_holding = holding;
    }
    int rc2 = rs_rec_close(r, SYNTH_T0_US + (int64_t)n * 12500 + 50000, NULL);
    return rc ? rc : rc2;
}

#endif
