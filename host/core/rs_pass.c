/*
 * rs_pass.c - rolling passes; see rs_pass.h.
 */
#include "rs_pass.h"

#include <math.h>

/*
 * The windowed speed of a stroke at speed v that starts at t0 crosses the
 * threshold m at t0 + W m / v, and after a stop at t1 falls below it at
 * t1 + W (1 - m / v): both crossings are moved back by those amounts, with
 * the stroke's peak speed as v.
 */
static bool pass_end(struct rs_pass_det *d, double t, double disp, double moving, double window_s,
                     double min_cm, struct rs_pass *out)
{
    d->on = false;
    double v = d->peak > moving ? d->peak : moving;
    double start = d->cross_t - window_s * moving / v;
    double end = t - window_s * (1 - moving / v);
    double dist = fabs(disp - d->start_disp);
    if (dist < min_cm || end <= start)
        return false;
    int leg = 0;
    for (int i = 1; i < 3; i++)
        if (d->leg_time[i] > d->leg_time[leg])
            leg = i;
    *out = (struct rs_pass){ .start_t = start, .end_t = end, .distance_cm = dist,
                             .mean_cm_s = dist / (end - start), .peak_cm_s = d->peak,
                             .dir = d->dir, .leg = leg };
    return true;
}

bool rs_pass_step(struct rs_pass_det *d, double t, double dt, double disp, double win_disp,
                  double vel, bool contact, int leg, double moving_cm_s, double window_s,
                  double min_cm, struct rs_pass *out)
{
    bool moving = contact && fabs(vel) >= moving_cm_s;
    int dir = vel >= 0 ? 1 : -1;
    bool ended = false;
    if (d->on && (!moving || dir != d->dir))
        ended = pass_end(d, t, dir != d->dir ? win_disp : disp, moving_cm_s, window_s, min_cm,
                         out);
    if (moving && !d->on) {
        /* The stroke began inside the speed window: its start position is
         * where the window begins. */
        *d = (struct rs_pass_det){ .on = true, .dir = dir, .cross_t = t, .start_disp = win_disp };
    }
    if (d->on) {
        if (fabs(vel) > d->peak)
            d->peak = fabs(vel);
        if (leg >= 0 && leg < 3)
            d->leg_time[leg] += dt;
    }
    return ended;
}
