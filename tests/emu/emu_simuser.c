/*
 * emu_simuser.c - the simulated user as the physical model (see
 * emu_simuser.h).
 */
#include "emu_simuser.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_defaults.h"
#include "rs_scenario_file.h"
#include "rs_sim.h"

struct rs_emu_simuser {
    struct rs_scenario scn;
};

struct rs_emu_simuser *rs_emu_simuser_parse(const char *text, const char *filename, char *err, size_t errlen)
{
    struct rs_emu_simuser *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (rs_scenario_parse(&u->scn, text, filename, err, errlen) < 0) {
        free(u);
        return NULL;
    }
    return u;
}

struct rs_emu_simuser *rs_emu_simuser_load(const char *path, char *err, size_t errlen)
{
    struct rs_emu_simuser *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (rs_scenario_load(&u->scn, path, err, errlen) < 0) {
        free(u);
        return NULL;
    }
    return u;
}

void rs_emu_simuser_free(struct rs_emu_simuser *u)
{
    free(u);
}

/* Is a fault with this status bit active at t? (Absolute scenario time,
 * as rs_sim applies it to its frames.) */
static int fault_at(const struct rs_scenario *scn, uint16_t bit, double t)
{
    for (int i = 0; i < scn->nfaults; i++)
        if ((scn->faults[i].bit & bit) && t >= scn->faults[i].t && t < scn->faults[i].t + scn->faults[i].dur)
            return 1;
    return 0;
}

static void eval(void *ctx, double t, struct rs_emu_phys *out)
{
    const struct rs_emu_simuser *u = ctx;
    struct rs_phys p;
    rs_sim_physics(&u->scn, t, &p);
    memset(out, 0, sizeof *out);
    out->force_n[0] = p.left_n;
    out->force_n[1] = p.right_n;
    out->angle_rad = p.angle_rad;
    out->hx_ok[0] = !fault_at(&u->scn, RS_ST_HX_LEFT, t);
    out->hx_ok[1] = !fault_at(&u->scn, RS_ST_HX_RIGHT, t);
    out->magnet_ok = !fault_at(&u->scn, RS_ST_MAGNET, t);
}

void rs_emu_simuser_apply(struct rs_emu_simuser *u, struct rs_emu_opts *opts)
{
    opts->model.eval = eval;
    opts->model.ctx = u;
    opts->noise_counts = u->scn.noise_n * RS_DEFAULT_SCALE_COUNTS_PER_N;
    opts->offset_counts[0] = u->scn.offset_left;
    opts->offset_counts[1] = u->scn.offset_right;
    opts->seed = (uint32_t)(u->scn.seed ^ (u->scn.seed >> 32));
}
