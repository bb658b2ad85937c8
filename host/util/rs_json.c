/* rs_json.c - see rs_json.h. */
#include "rs_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 2, 3)))
static void emit(struct rs_json *j, const char *fmt, ...)
{
    if (j->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(j->buf + j->len, j->cap - j->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= j->cap - j->len) {
        j->overflow = true;
        return;
    }
    j->len += (size_t)n;
}

static void escaped(struct rs_json *j, const char *s, size_t n)
{
    emit(j, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': emit(j, "\\\""); break;
        case '\\': emit(j, "\\\\"); break;
        case '\n': emit(j, "\\n"); break;
        case '\r': emit(j, "\\r"); break;
        case '\t': emit(j, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                emit(j, "\\u%04x", c);
            else
                emit(j, "%c", c);
        }
    }
    emit(j, "\"");
}

static void key(struct rs_json *j, const char *k)
{
    if (!j->first)
        emit(j, ",");
    j->first = false;
    escaped(j, k, strlen(k));
    emit(j, ":");
}

void rs_json_begin(struct rs_json *j, char *buf, size_t cap)
{
    j->buf = buf;
    j->cap = cap;
    j->len = 0;
    j->first = true;
    j->overflow = cap == 0;
    emit(j, "{");
}

void rs_json_str(struct rs_json *j, const char *k, const char *val)
{
    rs_json_strn(j, k, val, strlen(val));
}

void rs_json_strn(struct rs_json *j, const char *k, const char *val, size_t n)
{
    key(j, k);
    escaped(j, val, n);
}

void rs_json_int(struct rs_json *j, const char *k, long long v)
{
    key(j, k);
    emit(j, "%lld", v);
}

void rs_json_num(struct rs_json *j, const char *k, double v, int decimals)
{
    key(j, k);
    if (!isfinite(v))
        emit(j, "null");
    else
        emit(j, "%.*f", decimals, v);
}

void rs_json_bool(struct rs_json *j, const char *k, bool v)
{
    key(j, k);
    emit(j, "%s", v ? "true" : "false");
}

void rs_json_raw(struct rs_json *j, const char *k, const char *json)
{
    key(j, k);
    emit(j, "%s", json);
}

const char *rs_json_end(struct rs_json *j)
{
    emit(j, "}");
    return j->overflow ? NULL : j->buf;
}
