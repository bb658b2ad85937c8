/*
 * rs_recattach.h - recording a live or demo session: the recorder
 * (host/record) attached to the session's observer point (host/session).
 *
 * What is stored: every device frame as received (samples and the info,
 * cal, reply and fault frames), a gap row when the stream stops (unplug,
 * stall: the same moment the session ends a running hold), the pipeline's
 * events as the pipeline produced them (rs_event_json, device time), user
 * marks, and the snapshot: device info, the thresholds, calibration and
 * profile in use (rs_snapshot_write), software version (by the recorder).
 *
 * A failed write (disk full, file size limit) stops the recording only:
 * the error is reported once through the caller's callback (one line), the
 * window's recording indicator goes off, and the session goes on.
 */
#ifndef RS_RECATTACH_H
#define RS_RECATTACH_H

#include <stddef.h>

#include "rs_record.h"
#include "rs_session.h"

struct rs_recattach;

/* Called once when recording stops on an error, with the recorder's line. */
typedef void (*rs_recattach_error_fn)(void *ctx, const char *line);

/*
 * Open a new session file (opts: --record PATH / default place; must be
 * enabled) and attach it to s. path_out gets the file's path. Returns 0, or
 * a negative rs_rec_err with one line in err.
 */
int rs_recattach_start(struct rs_recattach **out, struct rs_session *s,
                       const struct rs_rec_opts *opts, char *path_out, size_t path_cap,
                       rs_recattach_error_fn on_error, void *err_ctx, char *err, size_t errcap);

/* Tests: host times (us since 1970) from now(ctx) instead of the wall
 * clock, e.g. emulated time, so commits happen every 250 ms of it. */
void rs_recattach_set_clock(struct rs_recattach *ra, int64_t (*now)(void *ctx), void *ctx);

/* The recorder itself (benchmarks: its statistics, a slow sync hook). */
struct rs_rec *rs_recattach_rec(struct rs_recattach *ra);

/* The commit clock: call after every connection step (rs_run_opts.tick). */
void rs_recattach_tick(void *ra);

/* Close the file (summary from the stored events). Returns the recorder's
 * first error, 0 if all went well. Frees ra. The session must still exist.
 * An automatically named file that never got a sample is removed. */
int rs_recattach_close(struct rs_recattach *ra);

#endif
