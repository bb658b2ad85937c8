/*
 * emu_model.h - the physical model behind the emulated roller: what the
 * sensors would see, as functions of simulated time.
 *
 * A model is one callback: given t (seconds since the emulated power-up) it
 * fills struct rs_emu_phys. The emulator's parts call it when they sample (each
 * HX711 at its conversions, the encoder at each SPI frame), so any source of
 * motion can drive the roller: the built-in default motion, a keyframe file
 * (rs_emu_keyframes_*), a test's own function, or the host's simulated user
 * (host/sim, docs/scenario-format.md) through emu_simuser.h.
 *
 * Units: newtons per side (left / right load-cell line), roller angle in
 * radians (cumulative, not wrapped: 2 pi per revolution, positive = the
 * encoder's counting direction). The parts convert: counts = N *
 * RS_DEFAULT_SCALE_COUNTS_PER_N (+ offset and noise), angle code =
 * floor(rad / 2 pi * 16384) mod 16384.
 */
#ifndef RS_EMU_MODEL_H
#define RS_EMU_MODEL_H

#include <stddef.h>
#include <stdint.h>

struct rs_emu_phys {
    double force_n[2];   /* [0] left, [1] right */
    double angle_rad;
    uint8_t hx_ok[2];    /* 0: chip disconnected (DOUT floats high) */
    uint8_t hx_stuck[2]; /* 1: chip stuck with DOUT low */
    uint8_t magnet_ok;   /* 0: magnet missing (field too weak) */
};

struct rs_emu_model {
    void (*eval)(void *ctx, double t_s, struct rs_emu_phys *out);
    void *ctx;
};

/* Split a total force at lateral position x_mm (0 = centre, + = right) into
 * the two load-cell lines, using RS_CELL_SPAN_MM. */
void rs_emu_phys_split(double total_n, double x_mm, double *left_n, double *right_n);

/* The built-in motion: a person rolling the left calf, 250 N at x = -90 mm
 * with a slow force wobble, rolling back and forth (about 0.6 turns each way
 * in 4 s), with a 10 s hold every 40 s. */
void rs_emu_model_default(struct rs_emu_model *m);

/*
 * Keyframe files (text, one keyframe per line, '#' starts a comment):
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
 * values hold. A low-level format for sensor tests (exact values, plugging
 * and unplugging at given times); people rolling are described in the
 * simulated user's scenario format instead (emu_simuser.h). A keyframe
 * file is recognised by its first statement starting with "t=".
 */
struct rs_emu_keyframes;

/* Load a keyframe file. Returns NULL and writes a one-line reason to err
 * (errlen bytes) on failure. */
struct rs_emu_keyframes *rs_emu_keyframes_load(const char *path, char *err, size_t errlen);
/* Parse keyframe text from memory. */
int rs_emu_is_keyframes(const char *text);
struct rs_emu_keyframes *rs_emu_keyframes_parse(const char *text, char *err, size_t errlen);
void rs_emu_keyframes_free(struct rs_emu_keyframes *s);
/* A model that plays the scenario (valid while s lives). */
void rs_emu_keyframes_model(struct rs_emu_keyframes *s, struct rs_emu_model *m);
/* Time of the last keyframe. */
double rs_emu_keyframes_duration(const struct rs_emu_keyframes *s);

#endif
