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

static inline void sums_add(struct sums *s, double t, double y)
{
    double t2 = t * t;
    s->n += 1;
    s->y += y;
    s->yy += y * y;
    s->t1 += t;
    s->t2 += t2;
    s->t3 += t2 * t;
    s->t4 += t2 * t2;
    s->yt1 += y * t;
    s->yt2 += y * t2;
}

static inline void sums_sub(struct sums *s, double t, double y)
{
    double t2 = t * t;
    s->n -= 1;
    s->y -= y;
    s->yy -= y * y;
    s->t1 -= t;
    s->t2 -= t2;
    s->t3 -= t2 * t;
    s->t4 -= t2 * t2;
    s->yt1 -= y * t;
    s->yt2 -= y * t2;
}

/*
 * Residual of the ramp side for a hinge at t0 with the flat level L, both
 * models: sum (y - L - c g)^2 minimised over c, with g = (t - t0) (r[0],
 * c[0]) and g = (t - t0)^2 (r[1], c[1]).
 */
static inline void ramp_residuals(const struct sums *s, double t0, double L, double r[2],
                                  double c[2])
{
    double zz = s->yy - 2 * L * s->y + s->n * L * L;
    double a = t0, a2 = a * a;
    double g[2] = { s->t1 - s->n * t0,
                    s->t2 - 2 * a * s->t1 + s->n * a2 };
    double gg[2] = { s->t2 - 2 * t0 * s->t1 + s->n * t0 * t0,
                     s->t4 - 4 * a * s->t3 + 6 * a2 * s->t2 - 4 * a2 * a * s->t1 +
                         s->n * a2 * a2 };
    double yg[2] = { s->yt1 - t0 * s->y,
                     s->yt2 - 2 * a * s->yt1 + a2 * s->y };
    for (int i = 0; i < 2; i++) {
        double zg = yg[i] - L * g[i];
        if (!(gg[i] > 1e-15)) {
            c[i] = 0;
            r[i] = zz;
            continue;
        }
        c[i] = zg / gg[i];
        double ri = zz - zg * zg / gg[i];
        r[i] = ri > 0 ? ri : 0;
    }
}

/*
 * Every candidate edge in one pass: the ramp side's sums grow (arrival) or
 * shrink (departure) by one sample per candidate, the flat side's are the
 * whole window's minus them. O(n), no division by the model in the loop.
 */
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
        sums_add(&all, t[i] - tr, y[i] - yr);
    /* Arrival: ramp = [0, m), flat = [m, n); candidate t0 = t[m].
     * Departure: flat = [0, m], ramp = (m, n); candidate t0 = t[m]. */
    bool arr = side == RS_EDGE_ARRIVAL;
    int nr = 0;
    if (!arr) {
        ramp = all;
        nr = n;
    }
    double best = INFINITY, best_rf = 0;
    for (int m = 0; m < n; m++) {
        double ti = t[m] - tr, yi = y[m] - yr;
        if (arr && m > 0) {
            sums_add(&ramp, t[m - 1] - tr, y[m - 1] - yr);
            nr++;
        }
        if (!arr) {
            sums_sub(&ramp, ti, yi);
            nr--;
        }
        int nf = n - nr;
        if (nr < min_ramp || nf < min_flat)
            continue;
        /* Flat side = all - ramp. */
        double fy = all.y - ramp.y, fyy = all.yy - ramp.yy;
        double L = fy / nf;
        double rf = fyy - fy * fy / nf;
        double rr[2], c[2];
        ramp_residuals(&ramp, ti, L, rr, c);
        for (int model = 1; model <= 2; model++) {
            double r = rf + rr[model - 1];
            if (r < best) {
                best = r;
                best_rf = rf;
                *out = (struct rs_edge){ .t0 = t[m], .level = L + yr, .slope = c[model - 1],
                                         .model = model, .flat_n = nf, .res = r };
            }
        }
    }
    if (!isfinite(best))
        return -1;
    out->flat_sd = sqrt(fmax(best_rf, 0) / out->flat_n);
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
