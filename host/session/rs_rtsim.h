/*
 * rs_rtsim.h - the simulated user who does the guided routine of a plan,
 * as a scenario: what `rollsense demo --routine` plays and what its tests
 * take their truth from (the holds the user made). host/sim's
 * rs_simroutine writes the scenario from its own copy of the plan (host/sim
 * does not depend on host/routine); this is the one place that copies it.
 */
#ifndef RS_RTSIM_H
#define RS_RTSIM_H

#include "rs_routine.h"
#include "rs_sim.h"

/* 0, or -1 when the plan does not fit a scenario. */
int rs_rtsim_scenario(const struct rs_routine_plan *p, struct rs_scenario *scn);

#endif
