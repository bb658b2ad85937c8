/*
 * rs_spots: tender spots that keep coming back, found in the holds of the
 * last few sessions. Pure: takes holds, returns spots; no files, no clock.
 *
 * A hold is a place on one calf (its distance above the Achilles tendon)
 * where the user stopped and held. Holds on the same leg within
 * +-radius_cm of one another are one spot. Spots are found greedily: the
 * position whose +-radius_cm neighbourhood holds the most distinct sessions
 * (ties: more holds, then the lower position) becomes a spot and takes those
 * holds; then the next, until every hold belongs to a spot. So a spot held
 * once in each of four sessions ranks above one held four times in one.
 *
 * Data shown as data: a spot says where and how often, never why.
 */
#ifndef RS_SPOTS_H
#define RS_SPOTS_H

#include <stddef.h>

#include "rs_pipeline.h" /* enum rs_leg */

#define RS_SPOTS_WINDOW_MAX 64  /* sessions considered at most */
#define RS_SPOTS_HOLDS_MAX 1024 /* holds considered at most (the newest) */

struct rs_spot_hold {
    int session;     /* 0 = oldest; sessions are numbered in time order */
    enum rs_leg leg; /* holds of an uncertain leg are ignored */
    double pos_cm;   /* along the calf, above the Achilles tendon */
    double seconds;  /* how long it was held */
};

struct rs_spot {
    enum rs_leg leg;
    double pos_cm;  /* mean of its holds */
    int sessions;   /* distinct sessions with a hold here */
    int window;     /* of how many sessions considered */
    int holds;
    double mean_s;  /* mean hold length */
};

/*
 * The spots of the last `window` sessions (the holds with session >=
 * nsessions - window; window is clamped to 1..RS_SPOTS_WINDOW_MAX), most
 * recurring first, at most cap of them. Holds must be in session order.
 * Returns the number written.
 */
size_t rs_spots_find(const struct rs_spot_hold *h, size_t n, int nsessions, int window,
                     double radius_cm, struct rs_spot *out, size_t cap);

/* "left calf, 14 cm above the Achilles: held in 4 of the last 5 sessions,
 * 26 s on average". Returns snprintf's count. */
int rs_spot_text(const struct rs_spot *s, char *buf, size_t cap);

#endif
