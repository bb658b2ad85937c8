/*
 * hist_synth.h - synthetic daily sessions with known recurring spots, written
 * through the real recorder (rs_record.h) for the history tests and
 * bench_history. Each session holds a few seconds of sample frames (the
 * history reads summaries and events, not frames), the hold_end events a
 * pipeline would log (leg, pos_cm, duration, mean_bw_pct), the calf_time
 * meta and, on some days, routine_done events.
 *
 * Ground truth of hs_plan_day(d): left calf, 14 cm above the Achilles, held
 * on every day except d % 5 == 2 (within +-0.6 cm, 24-28 s); right calf,
 * 9 cm, held on even days (20 s); one more left hold at 28 cm on days
 * d % 7 == 0 only; a completed routine on days d % 3 == 0, an abandoned one
 * on d % 3 == 1. Deterministic.
 */
#ifndef HIST_SYNTH_H
#define HIST_SYNTH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rs_reader.h"
#include "rs_record.h"

#define HS_DAY0_US 1767261600000000LL /* 2026-01-01T10:00:00Z */
#define HS_HOLDS_MAX 8

struct hs_hold {
    int leg; /* 0 left, 1 right */
    double pos_cm, seconds, bw_pct;
};

struct hs_session {
    int64_t start_us;
    int tz_offset_s;
    double seconds;         /* of sample frames */
    double calf_s[2];
    int nholds;
    struct hs_hold hold[HS_HOLDS_MAX];
    int routines_done, routines_abandoned;
    bool uncalibrated;
};

static inline void hs_plan_day(int d, double seconds, struct hs_session *s)
{
    memset(s, 0, sizeof *s);
    s->start_us = HS_DAY0_US + (int64_t)d * 86400000000LL + (int64_t)(d % 4) * 600000000LL;
    s->tz_offset_s = 3600;
    s->seconds = seconds;
    s->calf_s[0] = 170 + d % 20;
    s->calf_s[1] = 150 + d % 30;
    if (d % 5 != 2)
        s->hold[s->nholds++] = (struct hs_hold){ 0, 14.0 + 0.3 * (d % 5 - 2), 24 + d % 5, 30 + d % 4 };
    if (d % 2 == 0)
        s->hold[s->nholds++] = (struct hs_hold){ 1, 9.0, 20, 28 };
    if (d % 7 == 0)
        s->hold[s->nholds++] = (struct hs_hold){ 0, 28.0, 16, 35 };
    s->routines_done = d % 3 == 0;
    s->routines_abandoned = d % 3 == 1;
}

static inline int hs_event(struct rs_rec *r, int64_t host, const char *type, const char *json)
{
    return rs_rec_event(r, host, -1, type, json);
}

static inline int hs_holds(struct rs_rec *r, const struct hs_session *s, int64_t host)
{
    int rc = 0;
    for (int i = 0; i < s->nholds && !rc; i++) {
        const struct hs_hold *h = &s->hold[i];
        char j[320];
        snprintf(j, sizeof j,
                 "{\"type\":\"hold_end\",\"t\":%.4f,\"index\":%d,\"start\":%.4f,\"leg\":\"%s\","
                 "\"pos_cm\":%.1f,\"x_mm\":0.0,\"end\":%.4f,\"duration\":%.3f,\"mean_n\":200.0,"
                 "\"peak_n\":230.0,\"mean_bw_pct\":%.1f,\"peak_bw_pct\":%.1f,\"lost_s\":0.000,"
                 "\"reason\":\"moved\"}",
                 1.0 + i, i + 1, 1.0, h->leg ? "right" : "left", h->pos_cm, 1.0 + h->seconds,
                 h->seconds, h->bw_pct, h->bw_pct + 5);
        rc = hs_event(r, host, "hold_end", j);
    }
    for (int i = 0; i < s->routines_done && !rc; i++)
        rc = hs_event(r, host, "routine_done",
                      "{\"steps\":8,\"steps_done\":8,\"completed\":true,\"total_s\":480.0}");
    for (int i = 0; i < s->routines_abandoned && !rc; i++)
        rc = hs_event(r, host, "routine_done",
                      "{\"steps\":8,\"steps_done\":3,\"completed\":false,\"total_s\":150.0}");
    return rc;
}

/* Write s at path (which must not exist). 0 or the recorder's error. */
static inline int hs_write(const char *path, const struct hs_session *s)
{
    struct rs_rec *r;
    char err[512], j[128];
    int rc = rs_rec_open(&r, path, s->start_us, s->tz_offset_s, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return rc;
    }
    snprintf(j, sizeof j, "{\"calibrated\":%s}", s->uncalibrated ? "false" : "true");
    rc = rs_rec_meta(r, "calibration", j);
    uint32_t n = (uint32_t)(s->seconds * 80);
    int64_t host = s->start_us;
    for (uint32_t i = 0; i < n && !rc; i++) {
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample.seq = i;
        f.u.sample.t_us = i * 12500u;
        f.u.sample.left = 1000 + (int32_t)(i % 50);
        f.u.sample.right = 900;
        host = s->start_us + (int64_t)i * 12500;
        rc = rs_rec_frame(r, host, &f);
    }
    if (!rc)
        rc = hs_holds(r, s, host);
    snprintf(j, sizeof j, "{\"left_s\":%.1f,\"right_s\":%.1f}", s->calf_s[0], s->calf_s[1]);
    if (!rc)
        rc = rs_rec_meta(r, "calf_time", j);
    int rc2 = rs_rec_close(r, host + 50000, NULL);
    return rc ? rc : rc2;
}

/* The file name the recorder would give (local start time), in buf. */
static inline const char *hs_name(const struct hs_session *s, char *buf, size_t cap)
{
    char iso[48];
    rs_iso8601(s->start_us, s->tz_offset_s, iso, sizeof iso); /* 2026-01-01T11:00:00.000000+01:00 */
    snprintf(buf, cap, "%.10sT%.2s-%.2s-%.2s.rsession", iso, iso + 11, iso + 14, iso + 17);
    return buf;
}

#endif
