/*
 * rs_record_int.h - internals shared by the recorder, the reader, the
 * listing and the export (not part of the public API).
 */
#ifndef RS_RECORD_INT_H
#define RS_RECORD_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_reader.h"

/* Saturating arithmetic for ids and times read from files (never overflow). */
static inline int64_t rs_add_sat(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN + 1;
    return r == INT64_MIN ? INT64_MIN + 1 : r;
}

static inline int64_t rs_sub_sat(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return b < 0 ? INT64_MAX : INT64_MIN + 1;
    return r == INT64_MIN ? INT64_MIN + 1 : r;
}

/* A double from a file as an integer type, clamped (a plain cast is UB out of range). */
static inline int64_t rs_d2i64(double v)
{
    if (!(v == v))
        return 0;
    if (v >= 9.2e18)
        return INT64_MAX;
    if (v <= -9.2e18)
        return INT64_MIN + 1;
    return (int64_t)v;
}

/*
 * Fill the hold fields of s (holds per leg, longest hold, peak %BW) from the
 * hold_end events stored in db's log table. Returns 0 or a SQLite error code;
 * unreadable rows are skipped.
 */
int rs_summary_from_events(sqlite3 *db, struct rs_reader_summary *s);

/* The summary as the JSON object stored under meta "summary". NULL if cap is too small. */
const char *rs_reader_summary_json(const struct rs_reader_summary *s, char *buf, size_t cap);

/* Parse a stored summary object (fields that are missing stay as they were). */
void rs_summary_parse(const char *json, struct rs_reader_summary *s);

#endif
