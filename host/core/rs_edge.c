/*
 * rs_edge.c - hinge fit; see rs_edge.h for the model and why.
 */
#include "rs_edge.h"

#include <math.h>

/* Running sums over the ramp side: powers of (t - tr) and y·(t - tr)^k,
 * with tr a reference time so the powers stay small. */
struct sums {
    double n, y, yy, t1, t2, t3, t4, yt1, yt2;
};

static void sums_add(struct sums *s, double t, double y, double sign)
{
    double t2 = t * t;
    s->n += sign;
    s->y += sign * y;
    s->yy += sign * y * y;
    s->t1 += sign * t;
    s->t2 += sign * t2;
    s->t3 += sign * t2 * t;
    s->t4 += sign * t2 * t2;
    s->yt1 += sign * y * t;
    s->yt2 += sign * y * t2;
}

/*
 * Residual of the ramp side for a hinge at t0 with the flat level L:
 * sum (y - L - c g)^2 minimised over c, with g = (t - t0)^model. Writes c.
 */
static double ramp_residual(const struct sums *s, double t0, double L, int model, double *c)
{
    double zz = s->yy - 2 * L * s->y + s->n * L * L;
    double g, gg, yg;
    if (model == 1) {
        g = s->t1 - s->n * t0;
        gg = s->t2 - 2 * t0 * s->t1 + s->n * t0 * t0;
        yg = s->yt1 - t0 * s->y;
    } else {
        double a = t0, a2 = a * a;
        g = s->t2 - 2 * a * s->t1 + s->n * a2;
        gg = s->t4 - 4 * a * s->t3 + 6 * a2 * s->t2 - 4 * a2 * a * s->t1 + s->n * a2 * a2;
        yg = s->yt2 - 2 * a * s->yt1 + a2 * s->y;
    }
    double zg = yg - L * g;
    if (!(gg > 1e-15)) {
        *c = 0;
        return zz;
    }
    *c = zg / gg;
    double r = zz - zg * zg / gg;
    return r > 0 ? r : 0;
}

int rs_edge_fit(const double *t, const double *y, int n, enum rs_edge_side side, int min_flat,
                int min_ramp, struct rs_edge *out)
{
    if (n < min_flat + min_ramp || n < 2)
        return -1;
    if (min_ramp < 2)
        min_ramp = 2;
    if (min_flat < 1)
        min_flat = 1;
    double tr = t[n - 1], yr = y[n - 1];
    struct sums all = { 0 }, ramp = { 0 };
    for (int i = 0; i < n; i++)
        sums_add(&all, t[i] - tr, y[i] - yr, 1);
    /* Arrival: ramp = [0, m), flat = [m, n); candidate t0 = t[m].
     * Departure: flat = [0, m], ramp = (m, n); candidate t0 = t[m]. */
    bool arr = side == RS_EDGE_ARRIVAL;
    if (!arr)
        ramp = all;
    double best = INFINITY;
    for (int m = 0; m < n; m++) {
        double ti = t[m] - tr, yi = y[m] - yr;
        if (arr && m > 0)
            sums_add(&ramp, t[m - 1] - tr, y[m - 1] - yr, 1);
        if (!arr)
            sums_add(&ramp, ti, yi, -1);
        int nr = (int)lround(ramp.n), nf = n - nr;
        if (nr < min_ramp || nf < min_flat)
            continue;
        /* Flat side = all - ramp. */
        double fy = all.y - ramp.y, fyy = all.yy - ramp.yy;
        double L = fy / nf;
        double rf = fyy - fy * fy / nf;
        for (int model = 1; model <= 2; model++) {
            double c;
            double r = rf + ramp_residual(&ramp, ti, L, model, &c);
            if (r < best) {
                best = r;
                *out = (struct rs_edge){ .t0 = t[m], .level = L + yr, .slope = c,
                                         .model = model, .flat_n = nf, .res = r,
                                         .flat_sd = sqrt(fmax(rf, 0) / nf) };
            }
        }
    }
    if (!isfinite(best))
        return -1;
    out->res_flat = all.yy - all.y * all.y / n;
    return 0;
}

/*
 * Period of the disturbance on the flat side, from its crossings of the
 * level with a hysteresis of half its standard deviation (noise alone does
 * not cross). Returns samples per period, or 0 if fewer than 4 crossings.
 */
static int flat_period(const double *y, int n, const struct rs_edge *e, enum rs_edge_side side)
{
    int a = side == RS_EDGE_ARRIVAL ? n - e->flat_n : 0;
    int b = a + e->flat_n;
    double h = e->flat_sd / 2;
    int sign = 0, cross = 0, first = -1, last = -1;
    for (int i = a; i < b; i++) {
        double d = y[i] - e->level;
        int s = d > h ? 1 : d < -h ? -1 : 0;
        if (s && sign && s != sign) {
            cross++;
            if (first < 0)
                first = i;
            last = i;
        }
        if (s)
            sign = s;
    }
    if (cross < 4)
        return 0;
    return (int)lround(2.0 * (last - first) / (cross - 1));
}

/* Centred moving average over w samples (shrinking at the ends). */
static void smooth(const double *y, int n, int w, double *out)
{
    int h = w / 2;
    for (int i = 0; i < n; i++) {
        int a = i - h < 0 ? 0 : i - h, b = i + (w - 1 - h) >= n ? n - 1 : i + (w - 1 - h);
        double s = 0;
        for (int k = a; k <= b; k++)
            s += y[k];
        out[i] = s / (b - a + 1);
    }
}

static void refine(const double *t, const double *y, int n, enum rs_edge_side side,
                   int min_flat, int min_ramp, double reach, double tau_min, struct rs_edge *out)
{
    for (int pass = 0; pass < 2 && reach > 0; pass++) {
        double c = fabs(out->slope);
        if (!(c > 0))
            break;
        double tau = out->model == 1 ? reach / c : sqrt(reach / c);
        tau = tau < tau_min ? tau_min : tau > 2.0 ? 2.0 : tau;
        /* Keep the flat side whole and the ramp within tau of the edge. */
        int a = 0, b = n;
        if (side == RS_EDGE_ARRIVAL)
            while (a < n && t[a] < out->t0 - tau)
                a++;
        else
            while (b > 0 && t[b - 1] > out->t0 + tau)
                b--;
        struct rs_edge near;
        if (rs_edge_fit(t + a, y + a, b - a, side, min_flat, min_ramp, &near) != 0)
            break;
        *out = near;
    }
}

int rs_edge_fit_near(const double *t, const double *y, int n, enum rs_edge_side side,
                     int min_flat, int min_ramp, double reach, double quiet_sd,
                     struct rs_edge *out)
{
    if (n > RS_EDGE_MAX || rs_edge_fit(t, y, n, side, min_flat, min_ramp, out) != 0)
        return -1;
    int w = out->flat_sd > quiet_sd ? flat_period(y, n, out, side) : 0;
    if (w < 2) {
        refine(t, y, n, side, min_flat, min_ramp, reach, 0.15, out);
        return 0;
    }
    /* Tremor: a centred mean over one period removes it and leaves straight
     * ramps straight, so the edge stays where it was. */
    double ys[RS_EDGE_MAX];
    smooth(y, n, w, ys);
    struct rs_edge e;
    if (rs_edge_fit(t, ys, n, side, min_flat, min_ramp, &e) != 0)
        return 0;
    /* The mean rounds the corner over one period: keep the ramp longer. */
    double period_s = (t[n - 1] - t[0]) / (n - 1) * w;
    refine(t, ys, n, side, min_flat, min_ramp, reach, fmax(0.15, 2 * period_s), &e);
    *out = e;
    return 0;
}
