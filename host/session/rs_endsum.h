/*
 * rs_endsum.h - the end of a session as data: holds per leg with spot and
 * duration, time per calf, the calf map, advice for tomorrow and the
 * session file (struct rs_endview, host/ui/rs_endview.h), and the same as a
 * few lines for the terminal.
 *
 * Pure: the hold list comes from the session's hold_end events (collected
 * by an observer, struct rs_endsum_log), the rest from the session's
 * summary, live state and last view. No clock, no window, no printing;
 * tests/ui/test_ui_endscreen.c checks it without a window.
 */
#ifndef RS_ENDSUM_H
#define RS_ENDSUM_H

#include <stddef.h>

#include "rs_endview.h"
#include "rs_pipeline.h"
#include "rs_spots.h"

/* A spot keeps coming back when held in at least this many of the last
 * RS_ENDSUM_SPOT_WINDOW sessions (today's included) within +-2 cm. */
#define RS_ENDSUM_SPOT_WINDOW 5
#define RS_ENDSUM_SPOT_MIN 3
#define RS_ENDSUM_SPOT_RADIUS_CM 2.0

/* Holds remembered for the list (a session rarely has more than ten). */
#define RS_ENDSUM_LOG_MAX 128

/* The session's completed holds by their 1-based index (hold_end events).
 * Keyed by index, so a replay that seeks back and plays a hold again
 * overwrites it instead of listing it twice. */
struct rs_endsum_log {
    int top; /* highest index stored */
    struct {
        int8_t leg;     /* enum rs_leg; -1: slot empty */
        float pos_cm, seconds;
    } hold[RS_ENDSUM_LOG_MAX];
};

void rs_endsum_log_init(struct rs_endsum_log *l);
/* Take one pipeline event (only hold_end is kept). */
void rs_endsum_log_event(struct rs_endsum_log *l, const struct rs_event *ev);

struct rs_endsum_in {
    const struct rs_endsum_log *log;  /* NULL: counts only, no list */
    const struct rs_summary *sum;     /* holds per leg */
    const struct rs_live *live;       /* a hold still running is listed; NULL: none */
    const struct rs_view *view;       /* the last frame: calf maps, time per calf, config */
    double duration_s;
    const char *file;                 /* the session file; NULL or "": not recorded */
    /* Holds of the sessions before this one (from the catalog,
     * rs_history_past_holds), numbered 0 .. past_sessions-1 in time order;
     * NULL: no recurring spot is looked for. */
    const struct rs_spot_hold *past;
    size_t npast;
    int past_sessions;
};

/* Fill out from in (advice and recurring spot included). */
void rs_endsum_make(const struct rs_endsum_in *in, struct rs_endview *out);

/*
 * Advice for tomorrow from what was done, at most max lines, the most
 * useful first. The thresholds are the session's (view.bands): the hold
 * cues (cue_min_s, cue_long_s), dose_holds_per_leg and dose_switch_min.
 * Returns the number of lines.
 */
int rs_endsum_advice(const struct rs_endview *e, char out[][RS_END_TEXT_MAX], int max);

/*
 * The spot of this session's listed holds that keeps coming back (see
 * RS_ENDSUM_SPOT_*), written into out (cap bytes) as rs_spot_text's
 * sentence; "" when none. Returns 1 when there is one.
 */
int rs_endsum_spot(const struct rs_endsum_in *in, const struct rs_endview *e, char *out, size_t cap);

/*
 * The summary as a few lines for the terminal (each ends in '\n'), prefixed
 * "who: ". Returns buf, truncated to cap.
 */
const char *rs_endsum_text(const struct rs_endview *e, const char *who, char *buf, size_t cap);

#endif
