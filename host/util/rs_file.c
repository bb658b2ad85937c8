/* rs_file.c - see rs_file.h. */
#include "rs_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rs_read_text_file(const char *path, size_t max, size_t *len, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n + 1 >= cap || !buf) {
            if (buf)
                cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                snprintf(err, errcap, "'%s': out of memory", path);
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max) {
            snprintf(err, errcap, "'%s' is longer than %zu bytes", path, max);
            break;
        }
        if (got == 0) {
            if (ferror(f)) {
                snprintf(err, errcap, "cannot read '%s': %s", path, strerror(errno));
                break;
            }
            fclose(f);
            buf[n] = '\0';
            if (len)
                *len = n;
            return buf;
        }
    }
    fclose(f);
    free(buf);
    return NULL;
}
