/*
 * rs_columns.c - the pipeline as a source of export columns (rs_columns.h).
 */
#include <string.h>

#include "rs_columns.h"
#include "rs_snapshot.h"

const char *const rs_columns_headers[RS_COLUMNS_N] = {
    "left_N", "right_N", "total_N", "bw_pct", "position_cm", "velocity_cm_s",
};

static int fill(void *ctx, const struct rs_item *frame, double *v)
{
    struct rs_columns *c = ctx;
    if (frame->frame.type != RS_FT_SAMPLE)
        return -1;
    rs_pipeline_push(&c->p, &frame->frame.u.sample, &c->ev);
    rs_events_clear(&c->ev);
    const struct rs_live *L = rs_pipeline_live(&c->p);
    v[0] = L->left_n;
    v[1] = L->right_n;
    v[2] = L->force_n;
    v[3] = L->bw_pct;
    v[4] = L->pos_cm;
    v[5] = L->velocity_cm_s;
    return 0;
}

void rs_columns_init(struct rs_columns *c, struct rs_reader *s, struct rs_export_columns *cols)
{
    struct rs_config cfg;
    struct rs_calib cal;
    struct rs_profile prof;
    rs_snapshot_read(s, &cfg, &cal, &prof);
    rs_pipeline_init(&c->p, &cfg, &cal, &prof);
    rs_events_clear(&c->ev);
    c->calibrated = rs_pipeline_calib(&c->p)->calibrated;
    memset(cols, 0, sizeof *cols);
    cols->n = RS_COLUMNS_N;
    cols->headers = rs_columns_headers;
    cols->decimals = 3;
    cols->fill = fill;
    cols->ctx = c;
}
