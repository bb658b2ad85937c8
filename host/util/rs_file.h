/*
 * rs_file.h - read a small text file whole (scenarios, keyframe files).
 *
 * The one place that knows how: the result is NUL-terminated, a file longer
 * than max bytes is refused rather than cut, and every failure leaves one
 * line in err naming the file.
 */
#ifndef RS_FILE_H
#define RS_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Returns a malloc'd buffer (free() it) and its length in *len (may be
 * NULL), or NULL with err filled. Refused: a path that is not a regular file
 * (a FIFO would hang the reader: "not a regular file"), and text with a NUL
 * byte (everything after it would be silently ignored). errno is ENOENT
 * when the file does not exist (callers that treat "missing" as "empty"). */
char *rs_read_text_file(const char *path, size_t max, size_t *len, char *err, size_t errcap);

/*
 * Open path for reading only if it is a regular file; it is opened without
 * blocking (a FIFO or a tty cannot hang us) and checked with fstat. Returns
 * a FILE * or NULL with err filled ("cannot read 'P': ...", or "'P': not a
 * regular file") and errno set (ENOENT kept).
 */
FILE *rs_file_open_regular(const char *path, char *err, size_t errcap);

/*
 * A decimal number as the config documents promise: optional sign, digits
 * with an optional fraction, an optional exponent (1e3, 2.5E-2). No hex
 * (0x96, 0x1p1), no inf/nan, no leading spaces; the result is finite.
 * Returns 0 and *out with *end after the number (end may be NULL), or -1.
 */
int rs_parse_decimal(const char *s, double *out, const char **end);

/*
 * Bytes of a bad input for a one-line message: printable ASCII as is,
 * anything else (control bytes, terminal escapes, newlines, UTF-8) as \xNN,
 * cut with "..." to fit cap. Returns buf.
 */
const char *rs_escape(const char *s, size_t n, char *buf, size_t cap);

/* The same for a finished message, in place (cut to fit cap): whatever a
 * format string quoted from a bad file, the message stays one safe line. */
void rs_msg_sanitize(char *msg, size_t cap);
/* Format a one-line message into msg (nothing when msg is NULL or cap 0),
 * then rs_msg_sanitize it: the parsers' error messages. */
void rs_msgf(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Files with health data are private (0600) whatever the umask, and also when
 * they replace an existing file of another mode (an earlier export, a PNG the
 * user made world-readable): every writer of session data, captures, PNGs,
 * exports and calibration copies goes through one of these.
 *
 * rs_file_create_private: open path for writing (created, or truncated),
 * mode 0600 before the first byte. Returns the fd (close-on-exec) or -1 with
 * errno set.
 * rs_file_fopen_private: the same as a FILE * ("wb"), or NULL.
 * rs_file_make_private: for writers that open the path themselves
 * (IMG_SavePNG): create or truncate it as a private empty file first, so
 * their fopen(path, "wb") keeps the mode. 0 or -1 with errno set.
 */
int rs_file_create_private(const char *path);
FILE *rs_file_fopen_private(const char *path);
int rs_file_make_private(const char *path);

/* mkdir -p of the directories above PATH (not PATH itself), each new one
 * 0700 (session and calibration data stay private). 0, or -1 with errno set
 * (ENAMETOOLONG for a path of 1024 bytes or more). */
int rs_file_make_parents(const char *path);

#endif
