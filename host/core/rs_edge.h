/*
 * rs_edge.h - where a signal left or reached a level: the moment a leg came
 * to rest on a spot (or began to leave it), and the moment a press began to
 * ease off, placed by a least-squares "hinge" fit over a window of samples.
 *
 * Model: the signal is flat at a level L on one side of the edge t0 and
 * moves away from L on the other side either linearly (a constant speed up
 * to an instant stop, a slow creep, a linear ease-off) or quadratically
 * (constant braking or constant acceleration away). Every sample time is a
 * candidate t0; the flat level is the mean of the flat side; the ramp's
 * coefficient is the least-squares one; the candidate and model with the
 * smallest residual win. Zero-mean disturbances such as tremor (±3 mm at
 * 3-10 Hz) or force bouncing average out over the window instead of
 * stopping a walk-back, which is why this replaces threshold walks.
 *
 * Pure: no allocation; O(n) per model with running sums.
 */
#ifndef RS_EDGE_H
#define RS_EDGE_H

#include <stdbool.h>

enum rs_edge_side {
    RS_EDGE_ARRIVAL,   /* ramp before t0, flat from t0 on (came to rest) */
    RS_EDGE_DEPARTURE, /* flat up to t0, ramp after it (began to leave) */
};

struct rs_edge {
    double t0;         /* the edge, s (a sample time) */
    double level;      /* the flat side's mean */
    double slope;      /* ramp coefficient: per s (linear) or per s^2 (quadratic) */
    int model;         /* 1 linear, 2 quadratic */
    int flat_n;        /* samples on the flat side */
    double res;        /* residual sum of squares of the fit */
    double res_flat;   /* ... of one flat line through the whole window */
    double flat_sd;    /* standard deviation on the flat side */
};

/*
 * Fit over samples (t[i], y[i]), i = 0..n-1, times increasing. min_flat and
 * min_ramp are the fewest samples each side must keep. Returns 0 and fills
 * *out, or -1 if no candidate leaves enough samples on both sides.
 */
int rs_edge_fit(const double *t, const double *y, int n, enum rs_edge_side side, int min_flat,
                int min_ramp, struct rs_edge *out);

#define RS_EDGE_MAX 512   /* most samples rs_edge_fit_near() takes */

/*
 * The same, then refitted twice with the ramp cut to where the fitted ramp
 * is within reach of the level (0.15..2 s from the edge), so that what the
 * signal did far from the edge (a roll at constant speed before braking, a
 * speed reached after accelerating away) does not bend the edge. When the
 * flat side is disturbed (standard deviation above quiet_sd) by an
 * oscillation (tremor: at least 4 crossings of the level), the signal is
 * first smoothed by a centred mean over one period of it, which removes the
 * oscillation and keeps straight ramps straight. reach <= 0: no refit.
 */
int rs_edge_fit_near(const double *t, const double *y, int n, enum rs_edge_side side,
                     int min_flat, int min_ramp, double reach, double quiet_sd,
                     struct rs_edge *out);

#endif
