/*
 * rs_clock.h - map device timestamps to host time.
 *
 * Pure: no clock is read here; the caller passes the host time at which each
 * sample arrived. Device time is a 32-bit µs counter that wraps every
 * 71.6 minutes; it is unwrapped against the elapsed host time, so a wrap is
 * recognised even across a long unplug. The mapping is
 *     host = anchor_host + x + a + b * x,   x = unwrapped device µs since anchor
 * where a (offset) and b (drift) come from an incremental least-squares fit
 * of (host - device) against device time. USB latency only adds a constant
 * to a; jitter averages out.
 *
 * A jump is a device time that does not fit the elapsed host time (device
 * reset, a clock fault, a different roller): then the fit restarts at a new
 * anchor, the previous drift estimate is kept as the starting value, and
 * `jumps` counts it.
 */
#ifndef RS_CLOCK_H
#define RS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "rs_seq.h" /* the connection counts its LOST events with it */

/* A device time within this much (plus RS_CLOCK_JUMP_PPM of the elapsed host
 * time) of what the host clock predicts is not a jump. Covers USB buffering
 * and a host that was briefly descheduled. */
#define RS_CLOCK_JUMP_TOL_US 1000000u
#define RS_CLOCK_JUMP_PPM 20000u
/* Drift estimates beyond this are clamped (crystal: ~50 ppm; resonator: 0.5 %). */
#define RS_CLOCK_MAX_DRIFT_PPM 20000.0

struct rs_clock {
    bool anchored;
    uint32_t last_dev;      /* last raw device time */
    uint64_t last_host;     /* host µs of the last sample */
    uint64_t anchor_host;   /* host µs of the anchor sample */
    int64_t x;              /* unwrapped device µs since the anchor */
    /* Running fit of y = host - anchor_host - x against x (Welford). */
    double n, mean_x, mean_y, m2_x, c_xy;
    double drift;           /* b, dimensionless (1e-6 = 1 ppm) */
    uint32_t wraps;         /* times the 32-bit device clock wrapped */
    uint32_t jumps;         /* re-anchors because device time jumped */
};

void rs_clock_init(struct rs_clock *c);

/*
 * Feed one sample: its device time and the host time (µs, monotonic) it
 * arrived. Returns the sample's time on the host clock (µs), from the fit.
 */
uint64_t rs_clock_map(struct rs_clock *c, uint32_t dev_us, uint64_t host_us);

/* Current drift estimate in ppm (device clock slow = positive). */
double rs_clock_drift_ppm(const struct rs_clock *c);

/*
 * The frames a device made during a gap, from its last sample before the gap
 * (seq0, dev0: sequence number and device time) and its first after (seq1,
 * dev1), host_us apart on the host clock. While the device kept running,
 * its sequence step says it exactly (seq1 - seq0 - 1). When it restarted
 * meanwhile (replugged, reset, power lost: the sequence went backwards or
 * repeated, or its clock moved by an amount the host time cannot explain,
 * with the tolerance of a clock jump above), the step means nothing and the
 * count is estimated from the host time: round(host_us / period_us) - 1,
 * never negative. *restarted (may be NULL) says which case it was.
 */
int64_t rs_gap_missed(uint32_t seq0, uint32_t dev0, uint32_t seq1, uint32_t dev1,
                      uint64_t host_us, uint32_t period_us, bool *restarted);

#endif
