/*
 * rs_json.h - build one JSON object into a caller-owned buffer, no allocation.
 *
 *   char buf[256]; struct rs_json j;
 *   rs_json_begin(&j, buf, sizeof buf);
 *   rs_json_str(&j, "type", "gap");
 *   rs_json_num(&j, "t", 12.5, 3);
 *   const char *line = rs_json_end(&j);   // NULL if the buffer was too small
 *
 * Strings are escaped per RFC 8259; non-finite numbers are written as null.
 */
#ifndef RS_JSON_H
#define RS_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct rs_json {
    char *buf;
    size_t cap;
    size_t len;
    bool first;
    bool overflow;
};

void rs_json_begin(struct rs_json *j, char *buf, size_t cap);
void rs_json_str(struct rs_json *j, const char *key, const char *val);
/* A string of exactly n bytes (may hold NULs, written escaped). */
void rs_json_strn(struct rs_json *j, const char *key, const char *val, size_t n);
void rs_json_int(struct rs_json *j, const char *key, long long v);
void rs_json_num(struct rs_json *j, const char *key, double v, int decimals);
void rs_json_bool(struct rs_json *j, const char *key, bool v);
/* Insert already-valid JSON text as the value (an array or nested object). */
void rs_json_raw(struct rs_json *j, const char *key, const char *json);
/* Close the object; returns the NUL-terminated text, or NULL on overflow. */
const char *rs_json_end(struct rs_json *j);

#endif
