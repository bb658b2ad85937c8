/*
 * rs_columns.h - calibrated samples.csv columns for `rollsense export`:
 * the detector core's own values per sample (struct rs_export_columns of
 * host/record), so the CSV shows what live showed.
 *
 * Columns: left_N, right_N, total_N (calibrated, auto-zeroed force),
 * bw_pct (% body weight of the profile), position_cm (along the calf from
 * the Achilles end, as the pipeline places it), velocity_cm_s (signed, +
 * towards the knee, the pipeline's windowed speed). The pipeline is set up
 * from the session's snapshot (rs_snapshot_read) and fed every sample frame
 * in order; a device cal frame in the middle of a session is not applied
 * (export sees only sample rows), nor are host gaps.
 */
#ifndef RS_COLUMNS_H
#define RS_COLUMNS_H

#include "rs_export.h"
#include "rs_pipeline.h"
#include "rs_reader.h"

#define RS_COLUMNS_N 6

struct rs_columns {
    struct rs_pipeline p;
    struct rs_events ev;
    bool calibrated;
};

/* Header names, units included. */
extern const char *const rs_columns_headers[RS_COLUMNS_N];

/* Set up c from s's snapshot and fill *cols to pass to rs_export_csv. */
void rs_columns_init(struct rs_columns *c, struct rs_reader *s, struct rs_export_columns *cols);

#endif
