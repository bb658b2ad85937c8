/*
 * emu_simuser.h - the host's simulated user (host/sim, library rs_sim,
 * docs/scenario-format.md) as the emulated roller's physical model: a
 * scenario of rolls, holds and lifts drives the virtual sensors through
 * rs_sim_physics(), so the emulator and `rollsense demo` share one format.
 *
 * Built only when the rs_sim library is part of the build (RS_EMU_HAVE_SIMUSER).
 * Mapping: forces and roller angle from rs_sim_physics(); `fault hx_left`,
 * `fault hx_right` unplug that HX711 and `fault magnet` removes the magnet
 * for the fault's time span (physically, so the firmware must detect them);
 * `noise N` becomes HX711 noise of N x 2189.8 counts; `offset L R` and
 * `seed` carry over. Frame-level settings (drop, gap, t0, phase, enc_noise,
 * the enc_parity/enc_error faults) describe a recorded stream, not physics,
 * and are ignored here.
 */
#ifndef RS_EMU_SIMUSER_H
#define RS_EMU_SIMUSER_H

#include <stddef.h>

#include "rs_emu.h"

struct rs_emu_simuser;

/* Load scenario text from a file, or a built-in with "builtin:NAME".
 * Returns NULL with a one-line message in err on failure. */
struct rs_emu_simuser *rs_emu_simuser_load(const char *path, char *err, size_t errlen);
/* Parse scenario text; filename is used in messages only. */
struct rs_emu_simuser *rs_emu_simuser_parse(const char *text, const char *filename, char *err, size_t errlen);
void rs_emu_simuser_free(struct rs_emu_simuser *u);
/* Set opts->model and the noise / offset / seed options from the scenario. */
void rs_emu_simuser_apply(struct rs_emu_simuser *u, struct rs_emu_opts *opts);

#endif
