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

/* Returns a malloc'd buffer (free() it) and its length in *len (may be
 * NULL), or NULL with err filled. */
char *rs_read_text_file(const char *path, size_t max, size_t *len, char *err, size_t errcap);

#endif
