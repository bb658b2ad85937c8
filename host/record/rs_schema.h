/*
 * rs_schema.h - the session file format, shared by the recorder and the
 * reader. docs/session-format.md is the specification; this is its SQL.
 *
 * Migration rule: PRAGMA user_version is the format version. A reader opens
 * every version <= RS_READER_FORMAT it knows; a file of a newer version is
 * refused with a message naming both versions. A format change that old
 * readers could misread bumps the version; purely additive changes (a new
 * meta key, a new event type, a new nullable column ignored by old readers)
 * do not.
 */
#ifndef RS_SCHEMA_H
#define RS_SCHEMA_H

/* Format version written by this build (PRAGMA user_version). */
#define RS_READER_FORMAT 1

/* PRAGMA application_id: ASCII "RLSN", marks a file as a rollsense session. */
#define RS_READER_APP_ID 0x524C534E

/* Kinds of rows in the log table (everything that is not a frame). */
enum rs_log_kind {
    RS_LOG_GAP = 1,    /* frames lost or the device absent; data: JSON */
    RS_LOG_EVENT = 2,  /* a detector event; type + data: JSON */
    RS_LOG_MARK = 3,   /* a user mark; type = label, data: JSON */
};

/*
 * frames: every frame received from the device, in arrival order.
 *   id       insertion order (rowid)
 *   host_us  host wall clock (CLOCK_REALTIME) at receipt, microseconds since 1970
 *   dev_us   device clock, unwrapped to 64 bits (t_us wraps every 71.6 min)
 *   type     protocol frame type (2 = sample)
 *   raw      the frame as decoded from COBS: version, type, body, CRC-32;
 *            parse with rs_frame_parse(), the CRC catches damaged rows
 * log: gaps, events and marks; after_frame is the id of the last frame
 *   stored before the row, which orders the two tables into one stream.
 * meta: key -> JSON text (snapshot, start time, summary, ...).
 */
#define RS_SCHEMA_SQL                                                        \
    "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);" \
    "CREATE TABLE frames(id INTEGER PRIMARY KEY, host_us INTEGER NOT NULL,"  \
    " dev_us INTEGER NOT NULL, type INTEGER NOT NULL, raw BLOB NOT NULL);"   \
    "CREATE TABLE log(id INTEGER PRIMARY KEY, after_frame INTEGER NOT NULL," \
    " kind INTEGER NOT NULL, host_us INTEGER NOT NULL, dev_us INTEGER NOT NULL," \
    " type TEXT NOT NULL, data TEXT NOT NULL);"

#endif
