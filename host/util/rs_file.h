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
 * NULL), or NULL with err filled. */
char *rs_read_text_file(const char *path, size_t max, size_t *len, char *err, size_t errcap);

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

#endif
