/*
 * rs_record_int.h - internals shared by the recorder, the reader, the
 * listing and the export (not part of the public API).
 */
#ifndef RS_RECORD_INT_H
#define RS_RECORD_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_session.h"

/*
 * Fill the hold fields of s (holds per leg, longest hold, peak %BW) from the
 * hold_end events stored in db's log table. Returns 0 or a SQLite error code;
 * unreadable rows are skipped.
 */
int rs_summary_from_events(sqlite3 *db, struct rs_session_summary *s);

/* The summary as the JSON object stored under meta "summary". NULL if cap is too small. */
const char *rs_summary_json(const struct rs_session_summary *s, char *buf, size_t cap);

/* Parse a stored summary object (fields that are missing stay as they were). */
void rs_summary_parse(const char *json, struct rs_session_summary *s);

#endif
