/*
 * hist_entry.h - the catalog entry of a planned synthetic day
 * (hist_synth.h), built in memory as rs_cat_entry_read would build it from
 * the session file: for the history model and view tests without files.
 */
#ifndef HIST_ENTRY_H
#define HIST_ENTRY_H

#include "hist_synth.h"
#include "rs_catalog.h"

static inline struct rs_cat_entry hs_entry(int d)
{
    struct hs_session s;
    struct rs_cat_entry e;
    char name[96], j[320];
    hs_plan_day(d, 1, &s);
    rs_cat_entry_init(&e, hs_name(&s, name, sizeof name), NULL);
    e.readable = true;
    e.sum.start_host_us = s.start_us;
    e.sum.tz_offset_s = s.tz_offset_s;
    for (int i = 0; i < s.nholds; i++) {
        snprintf(j, sizeof j, "{\"leg\":\"%s\",\"pos_cm\":%.1f,\"duration\":%.3f,\"mean_bw_pct\":%.1f}",
                 s.hold[i].leg ? "right" : "left", s.hold[i].pos_cm, s.hold[i].seconds, s.hold[i].bw_pct);
        rs_cat_entry_event(&e, "hold_end", j);
        e.sum.holds[s.hold[i].leg]++;
    }
    e.calf_time_s[0] = s.calf_s[0];
    e.calf_time_s[1] = s.calf_s[1];
    e.routines_done = s.routines_done;
    rs_cat_entry_finish(&e);
    return e;
}

#endif
