/*
 * rs_rtsim.c - the routine's simulated user as a scenario (see rs_rtsim.h).
 */
#include "rs_rtsim.h"

#include "rs_simroutine.h"

int rs_rtsim_scenario(const struct rs_routine_plan *p, struct rs_scenario *scn)
{
    struct rs_simroutine u = {
        .warmup_s = p->warmup_s, .spot_min_s = p->spot_min_s, .spots_max_s = p->spots_max_s,
        .spots_min = p->spots_min, .spots_max = p->spots_max, .stretch_s = p->stretch_s,
        .rest_s = p->rest_s, .countdown_s = p->countdown_s, .unload_start_s = p->unload_start_s,
        .stretch_reps = p->stretch_reps, .first_leg = p->first_leg,
    };
    static char text[32768]; /* rs_simroutine_text needs at most 16 KiB */
    char err[300];
    if (rs_simroutine_text(&u, text, sizeof text) < 0 ||
        rs_scenario_parse(scn, text, "routine", err, sizeof err) < 0)
        return -1;
    return 0;
}
