/* rs_profiles.c - see rs_profiles.h. */
#include "rs_profiles.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_defaults.h"
#include "rs_json.h"
#include "rs_err.h"
#include "rs_file.h"
#include "rs_str.h"

void rs_profiles_init(struct rs_profiles *ps)
{
    memset(ps, 0, sizeof *ps);
    ps->active = -1;
}

int rs_profile_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= RS_PROFILE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

int rs_profile_check(const struct rs_profile *p, char *why, size_t cap)
{
    if (!isfinite(p->body_mass_kg) || p->body_mass_kg < RS_PROFILE_MASS_MIN ||
        p->body_mass_kg > RS_PROFILE_MASS_MAX)
        return rs_fail(RS_PROFILES_BAD, why, cap, "body mass must be %g-%g kg, not %g",
                       RS_PROFILE_MASS_MIN, RS_PROFILE_MASS_MAX, p->body_mass_kg);
    if (!isfinite(p->calf_length_cm) || p->calf_length_cm < RS_PROFILE_CALF_MIN ||
        p->calf_length_cm > RS_PROFILE_CALF_MAX)
        return rs_fail(RS_PROFILES_BAD, why, cap, "calf length must be %g-%g cm, not %g",
                       RS_PROFILE_CALF_MIN, RS_PROFILE_CALF_MAX, p->calf_length_cm);
    if (!isfinite(p->force_limit_n) || p->force_limit_n < 0 ||
        p->force_limit_n > RS_PROFILE_LIMIT_MAX)
        return rs_fail(RS_PROFILES_BAD, why, cap, "force limit must be 0 (none) to %g N, not %g",
                       RS_PROFILE_LIMIT_MAX, p->force_limit_n);
    return 0;
}

int rs_profiles_find(const struct rs_profiles *ps, const char *name)
{
    for (size_t i = 0; i < ps->n; i++)
        if (strcmp(ps->e[i].name, name) == 0)
            return (int)i;
    return RS_PROFILES_NOT_FOUND;
}

int rs_profiles_put(struct rs_profiles *ps, const char *name, const struct rs_profile *p,
                    char *why, size_t cap)
{
    if (!rs_profile_name_ok(name))
        return rs_fail(RS_PROFILES_BAD, why, cap,
                       "profile name '%.40s' is not allowed: use 1-%d letters, digits, '-', '_' or '.'",
                       name, RS_PROFILE_NAME_MAX - 1);
    int rc = rs_profile_check(p, why, cap);
    if (rc)
        return rc;
    int i = rs_profiles_find(ps, name);
    if (i < 0) {
        if (ps->n >= RS_PROFILES_MAX)
            return rs_fail(RS_PROFILES_FULL, why, cap,
                           "there are already %d profiles; remove one first", RS_PROFILES_MAX);
        i = (int)ps->n++;
        snprintf(ps->e[i].name, sizeof ps->e[i].name, "%s", name);
    }
    ps->e[i].p = *p;
    return i;
}

int rs_profiles_activate(struct rs_profiles *ps, const char *name, char *why, size_t cap)
{
    int i = rs_profiles_find(ps, name);
    if (i < 0)
        return rs_fail(RS_PROFILES_NOT_FOUND, why, cap, "no profile called '%.40s' (see --list)", name);
    ps->active = i;
    return 0;
}

int rs_profiles_remove(struct rs_profiles *ps, const char *name, char *why, size_t cap)
{
    int i = rs_profiles_find(ps, name);
    if (i < 0)
        return rs_fail(RS_PROFILES_NOT_FOUND, why, cap, "no profile called '%.40s' (see --list)", name);
    memmove(&ps->e[i], &ps->e[i + 1], (ps->n - (size_t)i - 1) * sizeof ps->e[0]);
    ps->n--;
    if (ps->active == i)
        ps->active = -1;
    else if (ps->active > i)
        ps->active--;
    return 0;
}

const char *rs_profiles_active(const struct rs_profiles *ps, struct rs_profile *out)
{
    if (ps->active >= 0 && (size_t)ps->active < ps->n) {
        *out = ps->e[ps->active].p;
        return ps->e[ps->active].name;
    }
    rs_profile_defaults(out);
    return NULL;
}

static int parse_num(const char *val, double *out)
{
    const char *end;
    double v;
    if (rs_parse_decimal(val, &v, &end) != 0) /* decimal only: no 0x96, inf, nan */
        return -1;
    while (*end == ' ' || *end == '\t' || *end == '\r')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

/* Strip leading and trailing blanks in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

enum { F_MASS = 1, F_CALF = 2, F_LIMIT = 4 };

int rs_profiles_parse(const char *text, struct rs_profiles *ps, char *why, size_t cap)
{
    rs_profiles_init(ps);
    char active[RS_PROFILE_NAME_MAX] = "";
    int cur = -1, lineno = 0, active_line = 0;
    unsigned seen = 0;
    const char *p = text;
    char buf[160];
    for (int got; (got = rs_str_line(&p, buf, sizeof buf)) != 0;) {
        lineno++;
        if (got < 0)
            return rs_fail(RS_PROFILES_CORRUPT, why, cap, "profiles line %d is too long", lineno);
        char *line = trim(buf);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (line[0] == '[') {
            if (cur >= 0 && seen != (F_MASS | F_CALF | F_LIMIT))
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: profile '%s' lacks a field", lineno, ps->e[cur].name);
            char *close = strchr(line, ']');
            if (!close || close[1])
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: a section is '[NAME]'", lineno);
            *close = '\0';
            const char *name = line + 1;
            if (!rs_profile_name_ok(name))
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: bad profile name '%.40s'", lineno, name);
            if (rs_profiles_find(ps, name) >= 0)
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: profile '%s' appears twice", lineno, name);
            if (ps->n >= RS_PROFILES_MAX)
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: more than %d profiles", lineno, RS_PROFILES_MAX);
            cur = (int)ps->n++;
            snprintf(ps->e[cur].name, sizeof ps->e[cur].name, "%s", name);
            seen = 0;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq)
            return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                           "profiles line %d is not 'key = value'", lineno);
        *eq = '\0';
        char *key = trim(line), *val = trim(eq + 1);
        if (cur < 0) {
            if (strcmp(key, "active") != 0)
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: unknown key '%.40s' before the first [profile]",
                               lineno, key);
            if (val[0] && !rs_profile_name_ok(val))
                return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                               "profiles line %d: bad active profile name", lineno);
            snprintf(active, sizeof active, "%s", val);
            active_line = lineno;
            continue;
        }
        double v;
        if (parse_num(val, &v) < 0)
            return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                           "profiles line %d: '%.40s' is not a number", lineno, val);
        struct rs_profile *pr = &ps->e[cur].p;
        if (strcmp(key, "body_mass_kg") == 0) {
            pr->body_mass_kg = v;
            seen |= F_MASS;
        } else if (strcmp(key, "calf_length_cm") == 0) {
            pr->calf_length_cm = v;
            seen |= F_CALF;
        } else if (strcmp(key, "force_limit_n") == 0) {
            pr->force_limit_n = v;
            seen |= F_LIMIT;
        } else {
            return rs_fail(RS_PROFILES_CORRUPT, why, cap, "profiles line %d: unknown key '%.40s'",
                           lineno, key);
        }
        char sub[96];
        if (rs_profile_check(pr, sub, sizeof sub) && seen == (F_MASS | F_CALF | F_LIMIT))
            return rs_fail(RS_PROFILES_CORRUPT, why, cap, "profiles line %d (profile '%s'): %s",
                           lineno, ps->e[cur].name, sub);
    }
    if (cur >= 0 && seen != (F_MASS | F_CALF | F_LIMIT))
        return rs_fail(RS_PROFILES_CORRUPT, why, cap, "profile '%s' lacks a field", ps->e[cur].name);
    if (active[0]) {
        ps->active = rs_profiles_find(ps, active);
        if (ps->active < 0)
            return rs_fail(RS_PROFILES_CORRUPT, why, cap,
                           "profiles line %d: the active profile '%s' does not exist", active_line,
                           active);
    }
    return 0;
}

int rs_profiles_format(const struct rs_profiles *ps, char *buf, size_t cap)
{
    size_t len = 0;
    int n = snprintf(buf, cap, "# rollsense user profiles (rollsense calibrate profile)\n"
                               "active = %s\n",
                     ps->active >= 0 ? ps->e[ps->active].name : "");
    if (n < 0 || (size_t)n >= cap)
        return -1;
    len = (size_t)n;
    for (size_t i = 0; i < ps->n; i++) {
        const struct rs_profile *p = &ps->e[i].p;
        n = snprintf(buf + len, cap - len,
                     "\n[%s]\nbody_mass_kg = %.10g\ncalf_length_cm = %.10g\nforce_limit_n = %.10g\n",
                     ps->e[i].name, p->body_mass_kg, p->calf_length_cm, p->force_limit_n);
        if (n < 0 || (size_t)n >= cap - len)
            return -1;
        len += (size_t)n;
    }
    return (int)len;
}

double rs_profile_calf_from_travel(int32_t enc_start, int32_t enc_end, uint32_t radius_um)
{
    int32_t delta = (int32_t)((uint32_t)enc_end - (uint32_t)enc_start);
    double revs = fabs((double)delta) / (double)RS_ENC_COUNTS_PER_REV;
    return revs * 2.0 * M_PI * (double)radius_um / 1e4;
}

const char *rs_profile_json(const struct rs_profile *p, const char *name, char *buf, size_t cap)
{
    struct rs_json j;
    rs_json_begin(&j, buf, cap);
    if (name && name[0])
        rs_json_str(&j, "name", name);
    else
        rs_json_raw(&j, "name", "null");
    rs_json_num(&j, "body_mass_kg", p->body_mass_kg, 3);
    rs_json_num(&j, "calf_length_cm", p->calf_length_cm, 3);
    rs_json_num(&j, "force_limit_n", p->force_limit_n, 3);
    return rs_json_end(&j);
}

/* ---- file shell -------------------------------------------------------- */

int rs_profiles_path(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/rollsense/profiles.conf", xdg);
    else
        n = snprintf(buf, cap, "%s/.config/rollsense/profiles.conf", home ? home : ".");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

#define RS_PROFILES_TEXT_MAX 16384

int rs_profiles_load(const char *path, struct rs_profiles *ps, char *why, size_t cap)
{
    rs_profiles_init(ps);
    char ferr[300];
    FILE *f = rs_file_open_regular(path, ferr, sizeof ferr); /* a FIFO must not hang us */
    if (!f) {
        if (errno == ENOENT)
            return 0;
        return rs_fail(RS_PROFILES_IO, why, cap, "%s", ferr);
    }
    static char text[RS_PROFILES_TEXT_MAX + 1];
    size_t n = fread(text, 1, RS_PROFILES_TEXT_MAX + 1, f);
    int err = ferror(f);
    fclose(f);
    if (err)
        return rs_fail(RS_PROFILES_IO, why, cap, "cannot read %s", path);
    if (n > RS_PROFILES_TEXT_MAX)
        return rs_fail(RS_PROFILES_CORRUPT, why, cap, "%s is too large to be a profiles file", path);
    if (memchr(text, '\0', n))
        return rs_fail(RS_PROFILES_CORRUPT, why, cap, "%s: a NUL byte (not a text file)", path);
    text[n] = '\0';
    char sub[192];
    int rc = rs_profiles_parse(text, ps, sub, sizeof sub);
    if (rc)
        return rs_fail(rc, why, cap, "%s: %s", path, sub);
    return 0;
}

int rs_profiles_save(const char *path, const struct rs_profiles *ps, char *why, size_t cap)
{
    static char text[RS_PROFILES_TEXT_MAX];
    int len = rs_profiles_format(ps, text, sizeof text);
    if (len < 0)
        return rs_fail(RS_PROFILES_IO, why, cap, "profiles do not fit in %d bytes", RS_PROFILES_TEXT_MAX);
    if (rs_file_make_parents(path) < 0)
        return rs_fail(RS_PROFILES_IO, why, cap, "cannot create the directory of %s: %s", path,
                       strerror(errno));
    char tmp[600];
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return rs_fail(RS_PROFILES_IO, why, cap, "path too long: %s", path);
    int fd = rs_file_create_private(tmp);
    if (fd < 0)
        return rs_fail(RS_PROFILES_IO, why, cap, "cannot write %s: %s", tmp, strerror(errno));
    ssize_t w = write(fd, text, (size_t)len);
    int e = errno;
    if (w != len || fsync(fd) < 0) {
        if (w == len)
            e = errno;
        close(fd);
        unlink(tmp);
        return rs_fail(RS_PROFILES_IO, why, cap, "cannot write %s: %s", tmp, strerror(e));
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        e = errno;
        unlink(tmp);
        return rs_fail(RS_PROFILES_IO, why, cap, "cannot replace %s: %s", path, strerror(e));
    }
    return 0;
}

int rs_profiles_load_active(struct rs_profile *out, char *name, size_t name_cap, char *why,
                            size_t cap)
{
    rs_profile_defaults(out);
    if (name && name_cap)
        name[0] = '\0';
    char path[1024];
    if (rs_profiles_path(path, sizeof path) < 0)
        return rs_fail(RS_PROFILES_IO, why, cap, "the profile file path is too long");
    static struct rs_profiles ps;
    int rc = rs_profiles_load(path, &ps, why, cap);
    if (rc)
        return rc;
    const char *active = rs_profiles_active(&ps, out);
    if (active && name && name_cap)
        snprintf(name, name_cap, "%s", active);
    return 0;
}
