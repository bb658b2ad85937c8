/* rs_file.c - see rs_file.h. */
#include "rs_file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

FILE *rs_file_open_regular(const char *path, char *err, size_t errcap)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errcap, "cannot read '%s': %s", path, strerror(e));
        errno = e;
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(err, errcap, "'%s': not a regular file", path);
        errno = EINVAL;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        close(fd);
        snprintf(err, errcap, "cannot read '%s': %s", path, strerror(e));
        errno = e;
    }
    return f;
}

char *rs_read_text_file(const char *path, size_t max, size_t *len, char *err, size_t errcap)
{
    FILE *f = rs_file_open_regular(path, err, errcap);
    if (!f)
        return NULL;
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
            const char *nul = memchr(buf, '\0', n);
            if (nul) {
                snprintf(err, errcap, "'%s': NUL byte at offset %zu (not a text file)", path,
                         (size_t)(nul - buf));
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
    errno = EINVAL;
    return NULL;
}

static const char *digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

int rs_parse_decimal(const char *s, double *out, const char **end)
{
    if (!s)
        return -1;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    const char *q = digits(p);
    int have = q > p;
    if (*q == '.') {
        const char *r = digits(q + 1);
        have |= r > q + 1;
        q = r;
    }
    if (!have)
        return -1;
    if (*q == 'e' || *q == 'E') {
        const char *r = q + 1;
        if (*r == '+' || *r == '-')
            r++;
        const char *t = digits(r);
        if (t == r)
            return -1;
        q = t;
    }
    /* The span is plain decimal: strtod reads exactly it, in the C locale's
     * format (the program never calls setlocale for numbers). */
    char tmp[64];
    size_t n = (size_t)(q - s);
    if (n >= sizeof tmp)
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    double v = strtod(tmp, NULL);
    if (!isfinite(v))
        return -1;
    *out = v;
    if (end)
        *end = q;
    return 0;
}

const char *rs_escape(const char *s, size_t n, char *buf, size_t cap)
{
    if (!cap)
        return buf;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char piece[5];
        int k = (c >= 0x20 && c < 0x7f && c != '\\')
                    ? snprintf(piece, sizeof piece, "%c", c)
                    : snprintf(piece, sizeof piece, "\\x%02x", c);
        if (o + (size_t)k + 4 > cap) {
            snprintf(buf + o, cap - o, "...");
            return buf;
        }
        memcpy(buf + o, piece, (size_t)k);
        o += (size_t)k;
    }
    buf[o] = '\0';
    return buf;
}

void rs_msg_sanitize(char *msg, size_t cap)
{
    if (!msg || !cap)
        return;
    size_t n = strnlen(msg, cap);
    int clean = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c < 0x20 || c == 0x7f)
            clean = 0;
    }
    if (clean)
        return;
    char tmp[2048];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < sizeof tmp; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c < 0x20 || c == 0x7f)
            k += (size_t)snprintf(tmp + k, sizeof tmp - k, "\\x%02x", c);
        else
            tmp[k++] = (char)c;
    }
    tmp[k] = '\0';
    snprintf(msg, cap, "%s", tmp);
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

int rs_file_make_parents(const char *path)
{
    char dir[1024];
    size_t len = strlen(path);
    if (len >= sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(dir, path, len + 1);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

void rs_msgf(char *msg, size_t cap, const char *fmt, ...)
{
    if (!msg || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    rs_msg_sanitize(msg, cap);
}
