/*
 * rs_calstore.h - the host's mirror of each roller's calibration, with undo.
 *
 * The roller's EEPROM is the home of its calibration (it travels with the
 * roller); the host keeps a copy per serial number with the version before
 * it, so a bad calibration can be undone even after it was saved to the
 * device. One small text file per roller:
 *   $XDG_DATA_HOME/rollsense/calibration/<serial>.cal   (mode 0600)
 * Writes are atomic (temporary file, fsync, rename): a crash leaves the old
 * file or the new one.
 */
#ifndef RS_CALSTORE_H
#define RS_CALSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "rs_proto.h"

struct rs_calstore {
    bool has_current, has_previous;
    struct rs_cal current, previous;
};

/* Errors (negative): */
enum {
    RS_CALSTORE_IO = -1,       /* cannot read or write the file (errno kept) */
    RS_CALSTORE_CORRUPT = -2,  /* the file is not a valid mirror */
    RS_CALSTORE_NOTHING = -3,  /* undo without a previous version */
};

/* Path of the mirror for a serial number (characters other than letters,
 * digits, '-' and '_' become '_'). Returns 0, or -1 if it does not fit. */
int rs_calstore_path(const char *serial, char *buf, size_t cap);

/* Load; a missing file is an empty store (returns 0). */
int rs_calstore_load(const char *path, struct rs_calstore *st, char *why, size_t cap);

/* Make cal the current version; the old current becomes the previous one. */
int rs_calstore_commit(const char *path, const struct rs_cal *cal, char *why, size_t cap);

/* Swap current and previous (undo; a second undo redoes). *restored gets the
 * version now current. */
int rs_calstore_undo(const char *path, struct rs_cal *restored, char *why, size_t cap);

/* Pure text form, used by load and commit (and tests). */
int rs_calstore_format(const struct rs_calstore *st, char *buf, size_t cap);
int rs_calstore_parse(const char *text, struct rs_calstore *st, char *why, size_t cap);

#endif
