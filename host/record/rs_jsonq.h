/*
 * rs_jsonq.h - read one top-level field of a JSON object without a parser
 * tree or allocation. Enough for the few fields the session code needs from
 * stored summaries, events and calibration snapshots.
 *
 * Contract: the input is untrusted text (session files can be damaged), so
 * every function is total: it never reads past the terminating NUL, never
 * recurses without bound, and answers "not found" for anything it cannot
 * make sense of. Only keys of the outermost object are matched; nested
 * objects and arrays are skipped over.
 */
#ifndef RS_JSONQ_H
#define RS_JSONQ_H

#include <stdbool.h>
#include <stddef.h>

/* 1 and *out if key holds a number, else 0. */
int rs_jsonq_num(const char *json, const char *key, double *out);

/* 1 and the unescaped string (truncated to cap-1) if key holds a string, else 0. */
int rs_jsonq_str(const char *json, const char *key, char *out, size_t cap);

/* 1 and *out if key holds true or false, else 0. */
int rs_jsonq_bool(const char *json, const char *key, bool *out);

/* True if text is one JSON object or array with balanced brackets and
 * terminated strings and nothing but blanks after it (a structural check,
 * used before embedding stored JSON text into output). */
bool rs_jsonq_valid(const char *json);

#endif
