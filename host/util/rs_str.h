/*
 * rs_str.h - small string helpers shared by the line-based file parsers
 * (config, calibration file, profiles) and the connection code: no I/O, no
 * state.
 */
#ifndef RS_STR_H
#define RS_STR_H

#include <stddef.h>

/*
 * The next line of a NUL-terminated text at *p, without its '\n', into line
 * (cap bytes, always terminated). Returns 1 with *p moved past the line, 0
 * at the end of the text, or -1 when the line does not fit in cap - 1 bytes
 * (then *p is not moved: the caller refuses the file).
 */
int rs_str_line(const char **p, char *line, size_t cap);

/* Copy at most cap - 1 bytes of src into dst (cap > 0) and terminate it. */
void rs_str_copy(char *dst, size_t cap, const char *src);

#endif
