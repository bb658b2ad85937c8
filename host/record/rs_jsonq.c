/*
 * rs_jsonq.c - top-level field lookup in JSON text (see rs_jsonq.h).
 * A small scanner with an explicit depth counter instead of recursion.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rs_jsonq.h"

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/*
 * p at '"': scan the string, optionally unescaping into out (cap bytes, may
 * be 0). Returns the char after the closing quote, or NULL if unterminated.
 * \uXXXX escapes are kept only for ASCII; others become '?'.
 */
static const char *scan_str(const char *p, char *out, size_t cap)
{
    size_t n = 0;
    p++;
    for (;;) {
        char c = *p;
        if (c == '\0')
            return NULL;
        p++;
        if (c == '"')
            break;
        if (c == '\\') {
            char e = *p;
            if (e == '\0')
                return NULL;
            p++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    char h = *p;
                    if (!h)
                        return NULL;
                    p++;
                    v <<= 4;
                    if (h >= '0' && h <= '9') v |= (unsigned)(h - '0');
                    else if (h >= 'a' && h <= 'f') v |= (unsigned)(h - 'a' + 10);
                    else if (h >= 'A' && h <= 'F') v |= (unsigned)(h - 'A' + 10);
                }
                c = v > 0 && v < 0x80 ? (char)v : '?';
                break;
            }
            default: c = e; break;
            }
        }
        if (out && n + 1 < cap)
            out[n++] = c;
    }
    if (out && cap)
        out[n] = '\0';
    return p;
}

/* Skip one value of any kind; returns the char after it or NULL. */
static const char *skip_value(const char *p)
{
    p = ws(p);
    if (*p == '"')
        return scan_str(p, NULL, 0);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (*p) {
            if (*p == '"') {
                p = scan_str(p, NULL, 0);
                if (!p)
                    return NULL;
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if (*p == '}' || *p == ']') {
                if (--depth == 0)
                    return p + 1;
            }
            p++;
        }
        return NULL;
    }
    /* number, true, false, null: up to a delimiter */
    const char *s = p;
    while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
           *p != '\t' && *p != '\r')
        p++;
    return p == s ? NULL : p;
}

/* Find key in the outermost object; returns a pointer to its value or NULL. */
static const char *find(const char *json, const char *key)
{
    if (!json || !key)
        return NULL;
    const char *p = ws(json);
    if (*p != '{')
        return NULL;
    p = ws(p + 1);
    char name[64];
    while (*p == '"') {
        p = scan_str(p, name, sizeof name);
        if (!p)
            return NULL;
        p = ws(p);
        if (*p != ':')
            return NULL;
        p = ws(p + 1);
        if (strcmp(name, key) == 0)
            return p;
        p = skip_value(p);
        if (!p)
            return NULL;
        p = ws(p);
        if (*p != ',')
            return NULL;
        p = ws(p + 1);
    }
    return NULL;
}

int rs_jsonq_num(const char *json, const char *key, double *out)
{
    const char *v = find(json, key);
    if (!v || !(*v == '-' || (*v >= '0' && *v <= '9')))
        return 0;
    char *end;
    double d = strtod(v, &end);
    if (end == v || !isfinite(d))
        return 0;
    *out = d;
    return 1;
}

int rs_jsonq_str(const char *json, const char *key, char *out, size_t cap)
{
    const char *v = find(json, key);
    if (!v || *v != '"' || cap == 0)
        return 0;
    return scan_str(v, out, cap) ? 1 : 0;
}

int rs_jsonq_bool(const char *json, const char *key, bool *out)
{
    const char *v = find(json, key);
    if (!v)
        return 0;
    const char *end = skip_value(v);
    if (!end)
        return 0;
    if (end - v == 4 && strncmp(v, "true", 4) == 0)
        *out = true;
    else if (end - v == 5 && strncmp(v, "false", 5) == 0)
        *out = false;
    else
        return 0;
    return 1;
}

bool rs_jsonq_valid(const char *json)
{
    if (!json)
        return false;
    const char *p = ws(json);
    if (*p != '{' && *p != '[')
        return false;
    p = skip_value(p);
    return p && *ws(p) == '\0';
}
