/*
 * rs_snapshot.h - what a session file keeps so that a replay can set up the
 * same pipeline live used: thresholds, calibration and profile, as meta
 * rows of the file (docs/session-format.md). Written by the recorder
 * attach (host/session/rs_recattach.h), read by the replay and the export.
 */
#ifndef RS_SNAPSHOT_H
#define RS_SNAPSHOT_H

#include <stdbool.h>

#include "rs_config.h"
#include "rs_pipeline.h"
#include "rs_reader.h"

struct rs_rec;

/*
 * Store what a replay needs to set up the same pipeline: meta "thresholds"
 * (every rs_config key, exact), "calibration" (the rs_calib in use, exact,
 * with "calibrated") and "profile"; each may be NULL. Live and demo call it
 * at the start (first = true: the calibration is also kept as
 * "calibration_start", the one the replay starts with, since later device
 * cal frames are in the frames and are applied where they came) and again
 * when something changes. Returns 0 or the recorder's negative error.
 */
int rs_snapshot_write(struct rs_rec *r, const struct rs_config *cfg, const struct rs_calib *cal,
                      const struct rs_profile *prof, bool first);

/* What rs_snapshot_read found (bits). */
enum {
    RS_SNAP_THRESHOLDS = 1u << 0,
    RS_SNAP_CALIBRATION = 1u << 1,
    RS_SNAP_PROFILE = 1u << 2,
};

/*
 * Read the snapshot of session s (calibration: "calibration_start" if
 * present, else "calibration") into cfg, cal and prof (each may be NULL).
 * Start values: defaults. A missing or unusable item keeps the defaults
 * (an invalid thresholds set is dropped as a whole, since a half-applied
 * config would silently change detection). A calibration snapshot without
 * "calibrated" is calibrated when device_info says cal_state 0 (saved).
 * Returns the RS_SNAP_* bits of what was used.
 */
unsigned rs_snapshot_read(struct rs_reader *s, struct rs_config *cfg, struct rs_calib *cal,
                          struct rs_profile *prof);

#endif
