/*
 * rs_export.h - session to files for spreadsheets, pandas and physios:
 * samples.csv, events.csv and summary.json in one directory.
 *
 * samples.csv has one row per sample frame with the raw device values
 * (units in the header names) and any extra columns a caller adds through
 * struct rs_export_columns: the calibration/kinematics core plugs in
 * force in newtons, position and speed that way without this module
 * depending on it. Times are ISO 8601 with the UTC offset of the recording
 * host, plus device time in seconds from the first frame (exact to 1 us).
 * Files are written 0600 like the session itself.
 */
#ifndef RS_EXPORT_H
#define RS_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "rs_reader.h"

/* Extra samples.csv columns computed per sample frame. */
struct rs_export_columns {
    int n;                       /* number of extra columns (<= 16) */
    const char *const *headers;  /* n header names, units included, e.g. "left_N" */
    int decimals;                /* digits after the point */
    /* Fill values[0..n): return 0, or non-zero to leave this row's cells empty. */
    int (*fill)(void *ctx, const struct rs_item *frame, double *values);
    void *ctx;
};

/* Header of samples.csv without extra columns (for tests and docs). */
#define RS_EXPORT_SAMPLES_HEADER                                                        \
    "host_time_iso8601,device_time_s,seq,device_t_us,left_raw_counts,right_raw_counts," \
    "encoder_counts_16384_per_rev,status_bits"
#define RS_EXPORT_EVENTS_HEADER "host_time_iso8601,device_time_s,kind,type,data_json"

/* The fast formatting of samples.csv, exposed for tests. rs_export_fixed
 * writes what snprintf(out, .., "%.*f", decimals, v) writes (out: at least
 * 330 bytes); rs_export_iso what rs_iso8601(host_us, tz, ..) writes (out:
 * at least 48 bytes), reusing the date and time to the second from the
 * cache (zero it before first use). Both return the length. */
struct rs_export_iso_cache {
    int64_t sec;      /* local seconds of the cached text; valid when len */
    int tz;
    size_t len;
    char text[48];    /* rs_iso8601 output for sec */
};
size_t rs_export_fixed(double v, int decimals, char *out);
size_t rs_export_iso(struct rs_export_iso_cache *c, int64_t host_us, int tz, char *out);

struct rs_export_stats {
    unsigned long long samples;
    unsigned long long events;   /* rows of events.csv */
};

/*
 * Export the whole session s (reading from its start) into dir (created
 * 0700 if missing; existing files are replaced). extra may be NULL.
 * Returns 0, or -1 with a one-line message in msg.
 */
int rs_export_csv(struct rs_reader *s, const char *session_path, const char *dir,
                  const struct rs_export_columns *extra, struct rs_export_stats *st, char *msg,
                  size_t msgcap);

#endif
