/*
 * rs_sim.c - turn a scenario into raw sample frames: nominal calibration,
 * HX711-like noise, drift, encoder quantisation and jitter, dropped frames,
 * fault bits. Deterministic for a given scenario (its seed).
 */
#include <math.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_sim.h"

#define PI 3.14159265358979323846
#define PERIOD_US (1000000u / RS_SAMPLE_RATE_HZ)

/* xorshift64*: small, fast and good enough for test noise. */
static uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ull;
}

static double uniform(uint64_t *s)
{
    return ((double)(rnd(s) >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
}

static double gauss(uint64_t *s)
{
    double u1 = uniform(s), u2 = uniform(s);
    return sqrt(-2.0 * log(u1)) * cos(2 * PI * u2);
}

void rs_sim_init(struct rs_sim *sim, const struct rs_scenario *scn)
{
    memset(sim, 0, sizeof *sim);
    sim->scn = scn;
    sim->rng = scn->seed * 0x9E3779B97F4A7C15ull + 0x1234567ull;
    sim->rng_drop = scn->seed * 0xD1B54A32D192ED03ull + 0x89abcdefull;
    if (!sim->rng)
        sim->rng = 1;
    if (!sim->rng_drop)
        sim->rng_drop = 2;
}

static int32_t to_counts(double v)
{
    const double lim = 8388607.0; /* signed 24 bit */
    if (v > lim)
        v = lim;
    if (v < -lim - 1)
        v = -lim - 1;
    return (int32_t)lrint(v);
}

static bool in_gap(const struct rs_scenario *scn, double t)
{
    for (int i = 0; i < scn->ngaps; i++)
        if (t >= scn->gaps[i].t && t < scn->gaps[i].t + scn->gaps[i].dur)
            return true;
    return false;
}

int rs_sim_next(struct rs_sim *sim, struct rs_sample *out, struct rs_sim_truth *truth)
{
    const struct rs_scenario *scn = sim->scn;
    uint32_t dropped = 0;
    for (;;) {
        uint64_t k = sim->n;
        double t = (double)k * (PERIOD_US / 1e6) + scn->phase_s;
        if (!scn->loop && t >= scn->duration - 1e-9)
            return 0;
        sim->n++;
        /* Draw for every frame so the pattern does not depend on gaps. */
        bool drop = uniform(&sim->rng_drop) < scn->drop;
        if (k > 0 && (drop || in_gap(scn, t))) {
            dropped++;
            sim->dropped++;
            continue;
        }
        struct rs_sim_state st;
        rs_scenario_state(scn, t, &st);
        double scale = RS_DEFAULT_SCALE_COUNTS_PER_N;
        double drift = scn->drift_n * t / scn->drift_s / 2.0;
        double nl = scn->noise_n > 0 ? scn->noise_n * gauss(&sim->rng) : 0;
        double nr = scn->noise_n > 0 ? scn->noise_n * gauss(&sim->rng) : 0;
        double circ_cm = 2 * PI * RS_DEFAULT_RADIUS_UM / 1e4;
        double enc = st.disp_cm / circ_cm * RS_ENC_COUNTS_PER_REV;
        if (scn->enc_noise > 0)
            enc += floor(uniform(&sim->rng) * (2 * scn->enc_noise + 1)) - scn->enc_noise;
        uint16_t status = 0;
        for (int i = 0; i < scn->nfaults; i++)
            if (t >= scn->faults[i].t && t < scn->faults[i].t + scn->faults[i].dur)
                status |= scn->faults[i].bit;
        *out = (struct rs_sample){
            .seq = (uint32_t)k,
            .t_us = scn->t0_us + (uint32_t)(k * PERIOD_US),
            .left = to_counts(scn->offset_left + (st.left_n + drift + nl) * scale),
            .right = to_counts(scn->offset_right + (st.right_n + drift + nr) * scale),
            .enc = (int32_t)(uint32_t)(int64_t)llround(enc),
            .status = status,
        };
        if (status & RS_ST_HX_LEFT)
            out->left = 0;
        if (status & RS_ST_HX_RIGHT)
            out->right = 0;
        if (truth) {
            truth->t = t;
            truth->st = st;
            truth->dropped_before = dropped;
            truth->status = status;
        }
        return 1;
    }
}
