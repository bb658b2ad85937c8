/*
 * rs_endview.h - what the end-of-session screen shows, as plain data.
 *
 * Like struct rs_view for the live frame, struct rs_endview is the one
 * input of the end screen (rs_endscreen.h): no pipeline types, no
 * pointers, fixed sizes. host/session's rs_endsum fills it from the
 * session's hold events, its last view and the session file's name; the
 * same struct gives the few lines printed on the terminal.
 */
#ifndef RS_ENDVIEW_H
#define RS_ENDVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "rs_view.h"

/* Holds listed per leg (more are counted, not listed). */
#define RS_END_HOLDS_MAX 10
/* Lines of advice for tomorrow. */
#define RS_END_ADVICE_MAX 2
#define RS_END_TEXT_MAX 120
#define RS_END_FILE_MAX 512

/* One hold as listed: where on the calf and how long. */
struct rs_end_hold {
    float pos_cm;        /* spot, cm from the Achilles end */
    float seconds;       /* hold time */
    bool running;        /* still running when the session ended (seconds so far) */
};

struct rs_endview {
    enum rs_view_mode mode;
    float duration_s;    /* session length */
    /* holds per leg, [0] left, [1] right: counted, and the first listed */
    uint16_t holds[2];
    uint16_t holds_unknown_leg;
    uint8_t nlisted[2];
    struct rs_end_hold hold[2][RS_END_HOLDS_MAX];
    float calf_time_s[2];
    /* The last live frame: calf maps, bands, calf length, calibrated. */
    struct rs_view view;
    uint8_t nadvice;
    char advice[RS_END_ADVICE_MAX][RS_END_TEXT_MAX];
    /* A spot held today that keeps coming back (held in at least 3 of the
     * last 5 sessions, today's included), as the sentence the user reads;
     * "" when there is none or no past sessions were given. */
    char spot[RS_END_TEXT_MAX];
    char file[RS_END_FILE_MAX]; /* the session file, "" when not recorded */
};

#endif
