/* rs_rtcfg.c - the routine's config keys (see rs_rtcfg.h). */
#include "rs_rtcfg.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_file.h" /* rs_escape, rs_msgf */

enum vt { VT_NUM, VT_INT, VT_LEG, VT_VOICE };

static const struct key {
    const char *name;
    enum vt type;
    size_t off; /* in struct rs_routine_plan (numbers) */
    double min, max;
    const char *unit;
} keys[] = {
    { "routine_warmup_s", VT_NUM, offsetof(struct rs_routine_plan, warmup_s), 10, 600, "s" },
    { "routine_spots_min", VT_INT, offsetof(struct rs_routine_plan, spots_min), 1, 5, "" },
    { "routine_spots_max", VT_INT, offsetof(struct rs_routine_plan, spots_max), 1, 5, "" },
    { "routine_spot_min_s", VT_NUM, offsetof(struct rs_routine_plan, spot_min_s), 5, 90, "s" },
    { "routine_spots_max_s", VT_NUM, offsetof(struct rs_routine_plan, spots_max_s), 30, 900, "s" },
    { "routine_stretch_s", VT_NUM, offsetof(struct rs_routine_plan, stretch_s), 10, 120, "s" },
    { "routine_stretch_reps", VT_INT, offsetof(struct rs_routine_plan, stretch_reps), 1, 5, "" },
    { "routine_rest_s", VT_NUM, offsetof(struct rs_routine_plan, rest_s), 0, 120, "s" },
    { "routine_countdown_s", VT_NUM, offsetof(struct rs_routine_plan, countdown_s), 0, 10, "s" },
    { "routine_unload_start_s", VT_NUM, offsetof(struct rs_routine_plan, unload_start_s), 0.5, 10,
      "s" },
    { "routine_first_leg", VT_LEG, 0, 0, 0, "" },
    { "voice", VT_VOICE, 0, 0, 0, "" },
};
#define NKEYS (sizeof keys / sizeof keys[0])

void rs_rtcfg_defaults(struct rs_rtcfg *c)
{
    rs_routine_plan_default(&c->plan);
    c->voice = -1;
}

size_t rs_rtcfg_key_count(void)
{
    return NKEYS;
}

const char *rs_rtcfg_key_name(size_t i)
{
    return i < NKEYS ? keys[i].name : NULL;
}

/* One value into c; 0, or -1 with the reason and the allowed values in why. */
static int set_value(struct rs_rtcfg *c, const struct key *k, const char *v, char *why, size_t cap)
{
    if (k->type == VT_LEG || k->type == VT_VOICE) {
        const char *a = k->type == VT_LEG ? "left" : "on", *b = k->type == VT_LEG ? "right" : "off";
        if (strcmp(v, a) != 0 && strcmp(v, b) != 0) {
            char shown[160];
            rs_msgf(why, cap, "'%s' is not %s or %s, allowed %s|%s",
                 rs_escape(v, strlen(v), shown, sizeof shown), a, b, a, b);
            return -1;
        }
        if (k->type == VT_LEG)
            c->plan.first_leg = strcmp(v, a) == 0 ? RS_LEG_LEFT : RS_LEG_RIGHT;
        else
            c->voice = strcmp(v, a) == 0;
        return 0;
    }
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    bool bad = end == v || *end || errno || !isfinite(x) || strpbrk(v, "xXnNiI");
    char range[64];
    snprintf(range, sizeof range, "allowed %g..%g%s%s%s", k->min, k->max, k->unit[0] ? " " : "",
             k->unit, k->type == VT_INT ? " (whole)" : "");
    if (bad) {
        char shown[160];
        rs_msgf(why, cap, "'%s' is not a number, %s", rs_escape(v, strlen(v), shown, sizeof shown), range);
        return -1;
    }
    if (k->type == VT_INT && x != floor(x)) {
        rs_msgf(why, cap, "%g must be a whole number, %s", x, range);
        return -1;
    }
    if (x < k->min || x > k->max) {
        rs_msgf(why, cap, "%g is out of range, %s", x, range);
        return -1;
    }
    char *field = (char *)&c->plan + k->off;
    if (k->type == VT_INT)
        *(int *)field = (int)x;
    else
        *(double *)field = x;
    return 0;
}

/* The key of a line (trimmed) into name, the value into val; false for a
 * line that is blank, a comment, or not one of ours. */
static bool split(const char *line, size_t len, char *name, size_t ncap, char *val, size_t vcap)
{
    char buf[256];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = '\0';
    char *eq = strchr(buf, '=');
    if (!eq)
        return false;
    *eq = '\0';
    char *k = buf, *v = eq + 1;
    while (*k == ' ' || *k == '\t')
        k++;
    for (char *e = k + strlen(k); e > k && strchr(" \t\r", e[-1]); e--)
        e[-1] = '\0';
    while (*v == ' ' || *v == '\t')
        v++;
    for (char *e = v + strlen(v); e > v && strchr(" \t\r", e[-1]); e--)
        e[-1] = '\0';
    if (strncmp(k, "routine_", 8) != 0 && strcmp(k, "voice") != 0)
        return false;
    snprintf(name, ncap, "%s", k);
    snprintf(val, vcap, "%s", v);
    return true;
}

static const struct key *find(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

int rs_rtcfg_take(struct rs_rtcfg *c, char *text, const char *filename, char *err, size_t errcap)
{
    struct rs_rtcfg t = *c;
    bool seen[NKEYS] = { false };
    const char *file = filename ? filename : "config";
    int lineno = 0;
    for (char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        char name[128], val[128], why[400], shown[160];
        lineno++;
        if (split(p, len, name, sizeof name, val, sizeof val)) {
            const struct key *k = find(name);
            rs_escape(name, strlen(name), shown, sizeof shown); /* bad bytes on one harmless line */
            if (!k) {
                rs_msgf(err, errcap, "%s:%d: key '%s': unknown routine key, allowed keys "
                     "routine_warmup_s, routine_spots_min, ... (docs/config.md)", file, lineno, shown);
                return -1;
            }
            if (seen[k - keys]) {
                rs_msgf(err, errcap, "%s:%d: key '%s': set twice", file, lineno, shown);
                return -1;
            }
            seen[k - keys] = true;
            if (set_value(&t, k, val, why, sizeof why) != 0) {
                rs_msgf(err, errcap, "%s:%d: key '%s': %s", file, lineno, shown, why);
                return -1;
            }
            memset(p, ' ', len); /* the thresholds' parser sees a blank line */
        }
        p += len + (p[len] == '\n');
    }
    char why[200];
    if (rs_routine_plan_check(&t.plan, why, sizeof why) != 0) {
        rs_msgf(err, errcap, "%s: %s", file, why);
        return -1;
    }
    *c = t;
    return 0;
}
