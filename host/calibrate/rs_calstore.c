/* rs_calstore.c - see rs_calstore.h. */
#include "rs_calstore.h"
#include "rs_err.h"
#include "rs_file.h"
#include "rs_str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rs_calstore_path(const char *serial, char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/rollsense/calibration/", xdg);
    else
        n = snprintf(buf, cap, "%s/.local/share/rollsense/calibration/", home ? home : ".");
    if (n < 0 || (size_t)n >= cap)
        return -1;
    size_t len = (size_t)n;
    if (!serial[0])
        serial = "unknown";
    for (size_t i = 0; i < RS_SERIAL_LEN && serial[i]; i++) {
        char c = serial[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        if (len + 1 >= cap)
            return -1;
        buf[len++] = ok ? c : '_';
    }
    if (len + 5 > cap)
        return -1;
    memcpy(buf + len, ".cal", 5);
    return 0;
}

static int format_one(char *buf, size_t cap, const char *name, const struct rs_cal *c)
{
    return snprintf(buf, cap,
                    "%s.offset_left = %ld\n%s.offset_right = %ld\n"
                    "%s.scale_left = %.9g\n%s.scale_right = %.9g\n"
                    "%s.radius_um = %lu\n%s.enc_dir = %d\n%s.serial = %.*s\n",
                    name, (long)c->offset_left, name, (long)c->offset_right, name,
                    (double)c->scale_left, name, (double)c->scale_right, name,
                    (unsigned long)c->radius_um, name, c->enc_dir, name,
                    (int)strnlen(c->serial, RS_SERIAL_LEN), c->serial);
}

int rs_calstore_format(const struct rs_calstore *st, char *buf, size_t cap)
{
    int n = snprintf(buf, cap, "# rollsense calibration mirror (the roller's EEPROM holds "
                               "the current block); previous = the version before, for undo\n");
    if (n < 0 || (size_t)n >= cap)
        return -1;
    size_t len = (size_t)n;
    const struct { bool has; const char *name; const struct rs_cal *c; } parts[] = {
        { st->has_current, "current", &st->current },
        { st->has_previous, "previous", &st->previous },
    };
    for (size_t i = 0; i < 2; i++) {
        if (!parts[i].has)
            continue;
        n = format_one(buf + len, cap - len, parts[i].name, parts[i].c);
        if (n < 0 || (size_t)n >= cap - len)
            return -1;
        len += (size_t)n;
    }
    return (int)len;
}

/* Field bits, so a block missing any field is refused. */
enum { F_OL = 1, F_OR = 2, F_SL = 4, F_SR = 8, F_RAD = 16, F_DIR = 32, F_SER = 64, F_ALL = 127 };

int rs_calstore_parse(const char *text, struct rs_calstore *st, char *why, size_t cap)
{
    memset(st, 0, sizeof *st);
    unsigned seen[2] = { 0, 0 };
    int lineno = 0;
    const char *p = text;
    char line[160];
    for (int got; (got = rs_str_line(&p, line, sizeof line)) != 0;) {
        lineno++;
        if (got < 0)
            return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "line %d is too long", lineno);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char which[16], key[24], val[64];
        if (sscanf(line, "%15[a-z].%23[a-z_] = %63[^\n]", which, key, val) != 3)
            return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "line %d is not 'block.key = value'",
                           lineno);
        int b = strcmp(which, "current") == 0 ? 0 : strcmp(which, "previous") == 0 ? 1 : -1;
        if (b < 0)
            return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "line %d: unknown block '%s'", lineno,
                           which);
        struct rs_cal *c = b == 0 ? &st->current : &st->previous;
        char shown[120]; /* a bad value, escaped for one line */
        errno = 0;
        if (strcmp(key, "serial") == 0) {
            /* NUL-padded, not necessarily terminated, as on the wire. */
            size_t sl = strnlen(val, RS_SERIAL_LEN);
            memset(c->serial, 0, RS_SERIAL_LEN);
            memcpy(c->serial, val, sl);
            seen[b] |= F_SER;
            continue;
        }
        double v = 0;
        const char *dend = val;
        if (rs_parse_decimal(val, &v, &dend) != 0 || *dend || errno)
            return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "line %d: '%s' is not a decimal number",
                        lineno, rs_escape(val, strlen(val), shown, sizeof shown));
        if (strcmp(key, "offset_left") == 0) c->offset_left = (int32_t)v, seen[b] |= F_OL;
        else if (strcmp(key, "offset_right") == 0) c->offset_right = (int32_t)v, seen[b] |= F_OR;
        else if (strcmp(key, "scale_left") == 0) c->scale_left = (float)v, seen[b] |= F_SL;
        else if (strcmp(key, "scale_right") == 0) c->scale_right = (float)v, seen[b] |= F_SR;
        else if (strcmp(key, "radius_um") == 0) c->radius_um = (uint32_t)v, seen[b] |= F_RAD;
        else if (strcmp(key, "enc_dir") == 0) c->enc_dir = (int8_t)v, seen[b] |= F_DIR;
        else
            return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "line %d: unknown key '%s'", lineno, key);
    }
    for (int b = 0; b < 2; b++)
        if (seen[b] && seen[b] != F_ALL)
            return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "the %s block is incomplete",
                           b == 0 ? "current" : "previous");
    st->has_current = seen[0] == F_ALL;
    st->has_previous = seen[1] == F_ALL;
    return 0;
}

int rs_calstore_load(const char *path, struct rs_calstore *st, char *why, size_t cap)
{
    memset(st, 0, sizeof *st);
    char ferr[300];
    FILE *f = rs_file_open_regular(path, ferr, sizeof ferr); /* a FIFO must not hang us */
    if (!f) {
        if (errno == ENOENT)
            return 0;
        return rs_fail(RS_CALSTORE_IO, why, cap, "%s", ferr);
    }
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    int err = ferror(f);
    fclose(f);
    if (err)
        return rs_fail(RS_CALSTORE_IO, why, cap, "cannot read %s", path);
    if (memchr(text, '\0', n))
        return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "%s is damaged (a NUL byte); recalibrate to replace it",
                    path);
    text[n] = '\0';
    char inner[200];
    if (rs_calstore_parse(text, st, inner, sizeof inner) < 0)
        return rs_fail(RS_CALSTORE_CORRUPT, why, cap, "%s is damaged (%s); recalibrate to replace it",
                       path, inner);
    return 0;
}

static int write_atomic(const char *path, const struct rs_calstore *st, char *why, size_t cap)
{
    char text[4096];
    int n = rs_calstore_format(st, text, sizeof text);
    if (n < 0)
        return rs_fail(RS_CALSTORE_IO, why, cap, "calibration text too long");
    if (rs_file_make_parents(path) < 0)
        return rs_fail(RS_CALSTORE_IO, why, cap, "cannot create the folder of %s: %s", path,
                       strerror(errno));
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = rs_file_create_private(tmp);
    if (fd < 0)
        return rs_fail(RS_CALSTORE_IO, why, cap, "cannot write %s: %s", tmp, strerror(errno));
    ssize_t w = write(fd, text, (size_t)n);
    int ok = w == n && fsync(fd) == 0;
    int saved = errno;
    close(fd);
    if (!ok || rename(tmp, path) < 0) {
        if (ok)
            saved = errno;
        unlink(tmp);
        return rs_fail(RS_CALSTORE_IO, why, cap, "cannot write %s: %s", path, strerror(saved));
    }
    return 0;
}

int rs_calstore_commit(const char *path, const struct rs_cal *cal, char *why, size_t cap)
{
    struct rs_calstore st;
    char inner[300];
    if (rs_calstore_load(path, &st, inner, sizeof inner) == RS_CALSTORE_IO)
        return rs_fail(RS_CALSTORE_IO, why, cap, "%s", inner);
    /* A damaged mirror is replaced: the new block is what matters. */
    st.previous = st.current;
    st.has_previous = st.has_current;
    st.current = *cal;
    st.has_current = true;
    return write_atomic(path, &st, why, cap);
}

int rs_calstore_undo(const char *path, struct rs_cal *restored, char *why, size_t cap)
{
    struct rs_calstore st;
    int rc = rs_calstore_load(path, &st, why, cap);
    if (rc < 0)
        return rc;
    if (!st.has_previous)
        return rs_fail(RS_CALSTORE_NOTHING, why, cap,
                       "nothing to undo: this roller has no earlier calibration on this computer");
    struct rs_cal t = st.current;
    st.current = st.previous;
    st.previous = t;
    rc = write_atomic(path, &st, why, cap);
    if (rc == 0)
        *restored = st.current;
    return rc;
}
