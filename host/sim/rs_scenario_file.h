/*
 * rs_scenario_file.h - scenarios by name or path, for the programs that take
 * one on their command line (rollsense demo, rollsense-sim, rollsense-emu).
 * The I/O side of rs_sim, which itself stays pure.
 */
#ifndef RS_SCENARIO_FILE_H
#define RS_SCENARIO_FILE_H

#include <stddef.h>

#include "rs_sim.h"

/* Largest scenario file accepted. */
#define RS_SCENARIO_FILE_MAX (1u << 20)

/*
 * src is "builtin:NAME", a bare built-in NAME (demo, quick), or a file path.
 * Returns 0, or -1 with one line in err (unknown name, unreadable file,
 * parse error with file and line).
 */
int rs_scenario_load(struct rs_scenario *scn, const char *src, char *err, size_t errcap);

#endif
