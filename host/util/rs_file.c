/* rs_file.c - see rs_file.h. */
#include "rs_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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

int rs_file_create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    /* An existing file keeps its mode through O_TRUNC: set it. */
    if (fchmod(fd, 0600) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

FILE *rs_file_fopen_private(const char *path)
{
    int fd = rs_file_create_private(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

int rs_file_make_private(const char *path)
{
    int fd = rs_file_create_private(path);
    if (fd < 0)
        return -1;
    return close(fd);
}
