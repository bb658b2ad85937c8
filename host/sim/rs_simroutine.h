/*
 * rs_simroutine.h - a simulated user who does the guided calf routine
 * (host/routine), for `rollsense demo --routine` and its tests.
 *
 * From the routine's plan it writes a scenario (docs/scenario-format.md)
 * that follows the steps as a person reading the screen would: on the
 * first calf, warm-up rolling at a slow, coached 2.5 cm/s for the warm-up
 * time; then tender spots: spots_max holds that count (spot_min_s + 3 to
 * + 9 s) with one too-short hold among them (half the minimum), so the step
 * ends on the last hold; then off the roller for both stretches, all their
 * repetitions; then the other calf the same way, except that it holds only
 * spots_min spots and rolls on until the spots step's time is up. Times
 * carry a few seconds of margin for the detector's decisions, so the
 * routine runs through every step on the detector's holds.
 *
 * The truth for tests is the scenario itself (rs_scenario_holds: every
 * hold the user made, its leg and length). Pure: text out.
 */
#ifndef RS_SIMROUTINE_H
#define RS_SIMROUTINE_H

#include <stddef.h>

/* The plan as the simulated user knows it (the routine's plan, copied by
 * the caller: host/sim does not depend on host/routine). */
struct rs_simroutine {
    double warmup_s, spot_min_s, spots_max_s;
    int spots_min, spots_max;
    double stretch_s, rest_s, countdown_s, unload_start_s;
    int stretch_reps;
    int first_leg; /* 1 left, 2 right (enum rs_leg) */
};

/* The scenario text into buf. Its length, or -1 when cap is too small
 * (16 KiB is enough for any valid plan). */
int rs_simroutine_text(const struct rs_simroutine *p, char *buf, size_t cap);

#endif
