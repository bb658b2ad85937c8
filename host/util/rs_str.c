/* rs_str.c - line splitting and bounded copies (see rs_str.h). */
#include "rs_str.h"

#include <string.h>

int rs_str_line(const char **p, char *line, size_t cap)
{
    const char *s = *p;
    if (!*s)
        return 0;
    const char *eol = strchr(s, '\n');
    size_t len = eol ? (size_t)(eol - s) : strlen(s);
    if (len >= cap)
        return -1;
    memcpy(line, s, len);
    line[len] = '\0';
    *p = s + len + (eol ? 1 : 0);
    return 1;
}

void rs_str_copy(char *dst, size_t cap, const char *src)
{
    size_t k = strnlen(src, cap - 1);
    memcpy(dst, src, k);
    dst[k] = '\0';
}
