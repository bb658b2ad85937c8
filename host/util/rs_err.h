/*
 * rs_err.h - the one-line error of a function that reports failure as a
 * negative code and a message in a caller's buffer.
 */
#ifndef RS_ERR_H
#define RS_ERR_H

#include <stddef.h>

/* Format the message into why (when why is not NULL and cap > 0; cut to
 * fit, always terminated) and return code, so that a failure reads
 * `return rs_fail(-1, why, cap, "...", ...);`. */
__attribute__((format(printf, 4, 5)))
int rs_fail(int code, char *why, size_t cap, const char *fmt, ...);

#endif
