/*
 * rs_histview.h - what the history window shows, as plain data: per day
 * time per calf, holds per leg, typical force and routines completed; the
 * holds of those days as dots on a calf map over days; and the recurring
 * spots (holds clustered by leg and position, +-2 cm) with the sentence the
 * user reads. host/history's rs_history fills it from the session catalog;
 * the window, the PNG (rs_historyview.h) and `rollsense history --json`
 * all show this one struct. Data shown as data: where and how often, never
 * why.
 */
#ifndef RS_HISTVIEW_H
#define RS_HISTVIEW_H

#include <stdbool.h>
#include <stdint.h>

#define RS_HIST_DAYS_MAX 3660   /* calendar days shown at most (ten years) */
#define RS_HIST_DOTS_MAX 8192   /* holds drawn on the calf map (the newest) */
#define RS_HIST_SPOTS_MAX 6     /* recurring spots listed */
#define RS_HIST_BANDS_MAX 16    /* clusters marked on the map */
#define RS_HIST_TEXT_MAX 120

struct rs_hist_day {
    int32_t day;             /* local calendar day, days since 1970-01-01 */
    char date[11];           /* "2026-11-21" */
    uint16_t sessions;
    float time_s[2];         /* contact time per calf; NAN when no session knew it */
    uint16_t holds[2];       /* per leg */
    float typical_bw_pct;    /* median of the day's holds' mean %BW; NAN unknown */
    uint16_t routines;       /* routines completed */
};

struct rs_hist_dot {
    int32_t day;
    uint8_t leg;             /* 0 left, 1 right */
    float pos_cm, seconds;
};

struct rs_hist_spot {
    uint8_t leg;
    float pos_cm;            /* mean of its holds */
    int16_t sessions, window, holds;
    float mean_s;
    char text[RS_HIST_TEXT_MAX]; /* "left calf, 14 cm above the Achilles: held in 4 of ..." */
};

struct rs_histview {
    int32_t first_day, last_day;     /* the calendar span shown (last = newest session's day) */
    int ndays;                       /* days with sessions in the span, oldest first */
    struct rs_hist_day day[RS_HIST_DAYS_MAX];
    int ndots;
    struct rs_hist_dot dot[RS_HIST_DOTS_MAX];
    int nspots;                      /* recurring spots of the last `window` sessions */
    struct rs_hist_spot spot[RS_HIST_SPOTS_MAX];
    int nbands;                      /* clusters of every hold in the span (map bands) */
    struct rs_hist_spot band[RS_HIST_BANDS_MAX];
    int window;                      /* sessions the recurring spots look at */
    float calf_cm;                   /* height of the calf map, cm */
    int sessions;                    /* readable sessions in the span */
    int sessions_total;              /* in the catalog, readable or not */
    int unreadable;                  /* session files that could not be read (any day) */
    bool uncalibrated;               /* some session in the span had nominal forces */
};

#endif
