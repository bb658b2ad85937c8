/*
 * scenario_run.h - test helper: run a scenario through the wire (encode,
 * decode) and the pipeline, collecting events as JSON lines and accuracy
 * figures against the simulator's ground truth.
 */
#ifndef SCENARIO_RUN_H
#define SCENARIO_RUN_H

#include <stddef.h>

#include "rs_pipeline.h"
#include "rs_sim.h"

struct run_result {
    struct rs_event *ev;       /* every event, in order (malloc'd) */
    size_t nev, capev;
    char *json;                /* all event JSON lines + summary, '\n'-separated (malloc'd) */
    size_t json_len, json_cap;
    struct rs_summary sum;
    double t_offset;           /* scenario time of pipeline time 0 (the first frame) */
    /* accuracy */
    size_t speed_checked, speed_bad, leg_checked, leg_bad;
    double speed_worst;        /* worst error beyond the limit, cm/s */
    double speed_worst_t, leg_bad_t;
};

/*
 * Run scn with cfg through the pipeline. chunk > 0 feeds the wire bytes in
 * chunks of pseudo-random size up to chunk (determinism test); 0 = byte by byte.
 */
void run_scenario(const struct rs_scenario *scn, const struct rs_config *cfg, size_t chunk,
                  unsigned split_seed, struct run_result *r);
void run_free(struct run_result *r);

/* Read a whole file into a malloc'd NUL-terminated string, or NULL. */
char *read_text(const char *path);

#endif
