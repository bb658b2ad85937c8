/*
 * rs_model.h - the physical model behind the emulated roller: what the
 * sensors would see, as functions of simulated time.
 *
 * A model is one callback: given t (seconds since the emulated power-up) it
 * fills struct rs_phys. The emulator's parts call it when they sample (each
 * HX711 at its conversions, the encoder at each SPI frame), so any source of
 * motion can drive the roller: the built-in default motion, a scenario file
 * (rs_scenario_*), a test's own function, or later the host's simulated user
 * (host/sim) through an adapter with the same signature.
 *
 * Units: newtons per side (left / right load-cell line), roller angle in
 * radians (cumulative, not wrapped: 2 pi per revolution, positive = the
 * encoder's counting direction). The parts convert: counts = N *
 * RS_DEFAULT_SCALE_COUNTS_PER_N (+ offset and noise), angle code =
 * floor(rad / 2 pi * 16384) mod 16384.
 */
#ifndef RS_MODEL_H
#define RS_MODEL_H

#include <stddef.h>
#include <stdint.h>

struct rs_phys {
    double force_n[2];   /* [0] left, [1] right */
    double angle_rad;
    uint8_t hx_ok[2];    /* 0: chip disconnected (DOUT floats high) */
    uint8_t hx_stuck[2]; /* 1: chip stuck with DOUT low */
    uint8_t magnet_ok;   /* 0: magnet missing (field too weak) */
};

struct rs_model {
    void (*eval)(void *ctx, double t_s, struct rs_phys *out);
    void *ctx;
};

/* Split a total force at lateral position x_mm (0 = centre, + = right) into
 * the two load-cell lines, using RS_CELL_SPAN_MM. */
void rs_phys_split(double total_n, double x_mm, double *left_n, double *right_n);

/* The built-in motion: a person rolling the left calf, 250 N at x = -90 mm
 * with a slow force wobble, rolling back and forth (about 0.6 turns each way
 * in 4 s), with a 10 s hold every 40 s. */
void rs_model_default(struct rs_model *m);

/*
 * Scenario files (text, one keyframe per line, '#' starts a comment):
 *
 *   t=0    total=0   x=0   angle=0
 *   t=1.5  total=300 x=-90 angle=6.28
 *   t=4    left=120 right=80 rev=3 hx_left=0 magnet=1
 *
 * Keys: t (s, strictly increasing), left/right (N) or total (N) with x (mm),
 * angle (rad) or rev (turns), hx_left / hx_right (1 connected, 0 absent),
 * magnet (1 present, 0 missing). Keys not given keep the previous line's
 * value. Forces and angle are interpolated linearly between keyframes;
 * connection flags switch at their keyframe. After the last keyframe its
 * values hold. This is the emulator's format until the host's simulated user
 * (host/sim) defines the shared one; see docs/firmware.md.
 */
struct rs_scenario;

/* Load a scenario. Returns NULL and writes a one-line reason to err
 * (errlen bytes) on failure. */
struct rs_scenario *rs_scenario_load(const char *path, char *err, size_t errlen);
/* Parse scenario text (same format) from memory. */
struct rs_scenario *rs_scenario_parse(const char *text, char *err, size_t errlen);
void rs_scenario_free(struct rs_scenario *s);
/* A model that plays the scenario (valid while s lives). */
void rs_scenario_model(struct rs_scenario *s, struct rs_model *m);
/* Time of the last keyframe. */
double rs_scenario_duration(const struct rs_scenario *s);

#endif
