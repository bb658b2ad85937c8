/* rs_clock.c - device-to-host time mapping and sequence accounting (see rs_clock.h). */
#include "rs_clock.h"

#include <math.h>
#include <string.h>

#define TWO32 4294967296.0

void rs_clock_init(struct rs_clock *c)
{
    memset(c, 0, sizeof *c);
}

static void anchor(struct rs_clock *c, uint32_t dev_us, uint64_t host_us)
{
    c->anchored = true;
    c->anchor_host = host_us;
    c->x = 0;
    c->n = c->mean_x = c->mean_y = c->m2_x = c->c_xy = 0;
    c->last_dev = dev_us;
    c->last_host = host_us;
}

static double predict_y(const struct rs_clock *c, double x)
{
    /* With one point the slope is unknown: keep the previous drift. */
    return c->mean_y + c->drift * (x - c->mean_x);
}

/* The device time step d32 (mod 2^32) unwrapped against h µs of host time. */
static double unwrap(uint32_t d32, double h)
{
    double k = floor((h - d32) / TWO32 + 0.5);
    if (k < 0)
        k = 0;
    return d32 + k * TWO32;
}

/* Does a device time step d fit h µs of host time (not a jump)? */
static bool fits_host(double d, double h)
{
    double tol = RS_CLOCK_JUMP_TOL_US + h * (RS_CLOCK_JUMP_PPM * 1e-6);
    return fabs(d - h) <= tol;
}

uint64_t rs_clock_map(struct rs_clock *c, uint32_t dev_us, uint64_t host_us)
{
    if (!c->anchored) {
        anchor(c, dev_us, host_us);
    } else {
        /*
         * Unwrap: the device moved d = dev - last (mod 2^32) plus some whole
         * number k of 2^32 periods; pick the k that best fits the elapsed host
         * time (k > 0 only after an unplug longer than 71 minutes).
         */
        double h = host_us >= c->last_host ? (double)(host_us - c->last_host) : 0.0;
        double d = unwrap(dev_us - c->last_dev, h);
        if (!fits_host(d, h)) {
            c->jumps++;
            anchor(c, dev_us, host_us);
        } else {
            /* Count wraps of the raw counter (the old value + d crossed 2^32). */
            c->wraps += (uint32_t)((c->last_dev + d) / TWO32);
            c->x += (int64_t)d;
            c->last_dev = dev_us;
            c->last_host = host_us;
        }
    }
    double x = (double)c->x;
    double y = (double)(int64_t)(host_us - c->anchor_host) - x;
    /* Welford update of means, variance of x and covariance of x and y. */
    c->n += 1;
    double dx = x - c->mean_x;
    c->mean_x += dx / c->n;
    c->mean_y += (y - c->mean_y) / c->n;
    c->m2_x += dx * (x - c->mean_x);
    c->c_xy += dx * (y - c->mean_y);
    /* Only trust the slope once the fit spans a second of device time. */
    if (c->n >= 2 && c->m2_x / c->n > 0.25e12) {
        double b = c->c_xy / c->m2_x;
        double lim = RS_CLOCK_MAX_DRIFT_PPM * 1e-6;
        c->drift = b > lim ? lim : b < -lim ? -lim : b;
    }
    double mapped = (double)c->anchor_host + x + predict_y(c, x);
    return mapped < 0 ? 0 : (uint64_t)llround(mapped);
}

double rs_clock_drift_ppm(const struct rs_clock *c)
{
    return c->drift * 1e6;
}

int64_t rs_gap_missed(uint32_t seq0, uint32_t dev0, uint32_t seq1, uint32_t dev1,
                      uint64_t host_us, uint32_t period_us, bool *restarted)
{
    uint32_t dseq = seq1 - seq0;   /* mod 2^32: a forward step is < 2^31 */
    double h = (double)host_us;
    bool reset = dseq == 0 || dseq >= 0x80000000u || !fits_host(unwrap(dev1 - dev0, h), h);
    if (restarted)
        *restarted = reset;
    if (!reset)
        return (int64_t)dseq - 1;
    if (period_us == 0)
        return 0;
    int64_t periods = (int64_t)llround(h / period_us);
    return periods > 1 ? periods - 1 : 0;
}
