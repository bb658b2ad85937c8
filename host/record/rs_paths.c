/*
 * rs_paths.c - where session files live, their names, and time formatting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rs_record.h"
#include "rs_record_int.h"
#include "rs_reader.h"

int rs_rec_session_dir(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    int n;
    /* The XDG spec: a relative path in the variable is invalid and ignored. */
    if (xdg && xdg[0] == '/') {
        n = snprintf(buf, cap, "%s/rollsense/sessions", xdg);
    } else {
        const char *home = getenv("HOME");
        if (!home || !home[0])
            return -1;
        n = snprintf(buf, cap, "%s/.local/share/rollsense/sessions", home);
    }
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int rs_rec_mkdirs(const char *dir)
{
    char p[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof p)
        return -ENAMETOOLONG;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            return -errno;
        p[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static void local_tm(int64_t host_us, struct tm *tm)
{
    time_t t = (time_t)(host_us / 1000000);
    localtime_r(&t, tm);
}

int rs_rec_tz_offset(int64_t host_us)
{
    struct tm tm;
    local_tm(host_us, &tm);
    return (int)tm.tm_gmtoff;
}

int rs_rec_new_path(const char *dir, int64_t host_us, char *buf, size_t cap)
{
    struct tm tm;
    local_tm(host_us, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    for (int k = 1; k < 1000; k++) {
        int n = k == 1 ? snprintf(buf, cap, "%s/%s.rsession", dir, stamp)
                       : snprintf(buf, cap, "%s/%s-%d.rsession", dir, stamp, k);
        if (n < 0 || (size_t)n >= cap)
            return -1;
        if (access(buf, F_OK) != 0 && errno == ENOENT)
            return 0;
    }
    return -1;
}

/* 0000-01-01T00:00:00 and 9999-12-31T23:59:59 in seconds since 1970. */
#define RS_ISO_MIN_S (-62167219200LL)
#define RS_ISO_MAX_S 253402300799LL

/* Floor division, so times before 1970 and negative offsets format correctly. */
static int64_t fdiv(int64_t a, int64_t b) { return a / b - (a % b < 0); }

const char *rs_iso8601(int64_t host_us, int tz_offset_s, char *buf, size_t cap)
{
    if (tz_offset_s < -18 * 3600 || tz_offset_s > 18 * 3600)
        tz_offset_s = 0;
    int64_t local_us = rs_add_sat(host_us, (int64_t)tz_offset_s * 1000000);
    int64_t secs = fdiv(local_us, 1000000);
    /* No multiplication back (secs * 10^6 overflows near INT64_MIN). */
    long us = (long)(local_us % 1000000);
    if (us < 0)
        us += 1000000;
    /* Years 0000..9999 only: a time from a damaged file outside them has no
     * ISO 8601 form with four year digits (and gmtime's year can overflow). */
    if (secs < RS_ISO_MIN_S || secs > RS_ISO_MAX_S) {
        snprintf(buf, cap, "invalid");
        return buf;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, cap, "invalid");
        return buf;
    }
    int off = tz_offset_s < 0 ? -tz_offset_s : tz_offset_s;
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld%c%02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us,
             tz_offset_s < 0 ? '-' : '+', off / 3600, off % 3600 / 60);
    return buf;
}

int rs_rec_start(struct rs_rec **out, const char *path, char *path_out, size_t path_cap,
                 char *err, size_t errcap)
{
    char dir[768], chosen[1024];
    int64_t now = rs_rec_now_us();
    *out = NULL;
    if (!path) {
        if (rs_rec_session_dir(dir, sizeof dir) != 0) {
            snprintf(err, errcap, "no session directory: set XDG_DATA_HOME or HOME");
            return RS_REC_EOPEN;
        }
        int rc = rs_rec_mkdirs(dir);
        if (rc) {
            snprintf(err, errcap, "cannot create session directory '%s': %s", dir, strerror(-rc));
            return RS_REC_EOPEN;
        }
        if (rs_rec_new_path(dir, now, chosen, sizeof chosen) != 0) {
            snprintf(err, errcap, "no free session file name in '%s'", dir);
            return RS_REC_EOPEN;
        }
        path = chosen;
    }
    if (path_out)
        snprintf(path_out, path_cap, "%s", path);
    return rs_rec_open(out, path, now, rs_rec_tz_offset(now), err, errcap);
}

int rs_rec_parse_opt(int argc, char **argv, int *i, struct rs_rec_opts *o)
{
    if (strcmp(argv[*i], "--no-record") == 0) {
        o->enabled = false;
        return 1;
    }
    if (strcmp(argv[*i], "--record") == 0) {
        if (*i + 1 >= argc)
            return -1;
        o->enabled = true;
        o->path = argv[++*i];
        return 1;
    }
    return 0;
}
