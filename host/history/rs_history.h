/*
 * rs_history.h - the history of sessions as data (struct rs_histview,
 * host/ui/rs_histview.h) from the session catalog. Pure: takes the catalog
 * and options, returns the view; no files, no clock (the span ends on the
 * newest session's day), no window. Sessions are taken in the order of
 * their start times (the catalog is in file-name order, which a file named
 * by hand or a clock set back would not follow).
 *
 * Per calendar day of the span: sessions, contact time per calf (sum of
 * what the sessions recorded), holds per leg, typical force (median of the
 * mean %BW of the day's holds, calibrated sessions only) and routines
 * completed (routine_done events with completed:true). The calf map over
 * days gets every hold of the span with a position. Recurring spots are
 * rs_spots (host/routine/rs_spots.h) over the last `window` sessions:
 * clustered by leg and position (+-radius_cm), listed when held in at least
 * min_sessions of them; the map's bands are the same clustering over the
 * sessions of the span (at most the last 64).
 */
#ifndef RS_HISTORY_H
#define RS_HISTORY_H

#include <stdint.h>

#include "rs_catalog.h"
#include "rs_histview.h"

struct rs_history_opts {
    int days;          /* calendar days shown, 1..RS_HIST_DAYS_MAX */
    int window;        /* sessions the recurring spots look at, 1..64 */
    double radius_cm;  /* clustering radius */
    int min_sessions;  /* a spot is listed when held in at least this many sessions */
};

/* days 28, window 5, radius 2 cm, min_sessions 2 */
struct rs_history_opts rs_history_defaults(void);

/* The local calendar day (days since 1970-01-01) of a start time. */
int32_t rs_history_day(int64_t host_us, int tz_offset_s);

void rs_history_make(const struct rs_catalog *c, const struct rs_history_opts *o,
                     struct rs_histview *out);

/*
 * The holds of the last max_sessions readable sessions of c (leaving out
 * the file named skip, e.g. the one being recorded; NULL: none), numbered
 * 0.. in time order, for rs_spots / the session summary. At most cap
 * holds (the newest kept). Returns the number written; *nsessions gets the
 * number of sessions.
 */
struct rs_spot_hold;
size_t rs_history_past_holds(const struct rs_catalog *c, const char *skip, int max_sessions,
                             struct rs_spot_hold *out, size_t cap, int *nsessions);

#endif
