/*
 * emu_model.c - default motion and scenario files (see emu_model.h).
 */
#include "emu_model.h"

#include "rs_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_defaults.h"

void rs_emu_phys_split(double total_n, double x_mm, double *left_n, double *right_n)
{
    double r = 0.5 + x_mm / RS_CELL_SPAN_MM;
    if (r < 0)
        r = 0;
    if (r > 1)
        r = 1;
    *right_n = total_n * r;
    *left_n = total_n - *right_n;
}

static void default_eval(void *ctx, double t, struct rs_emu_phys *out)
{
    (void)ctx;
    const double two_pi = 6.283185307179586;
    double cyc = fmod(t, 40.0);
    double total = 250.0 + 30.0 * sin(two_pi * t / 3.0);
    double turns;
    if (cyc < 30.0)
        turns = 0.6 * sin(two_pi * cyc / 8.0);
    else
        turns = 0.6 * sin(two_pi * 30.0 / 8.0); /* hold */
    memset(out, 0, sizeof *out);
    rs_emu_phys_split(total, -90.0, &out->force_n[0], &out->force_n[1]);
    out->angle_rad = two_pi * turns;
    out->hx_ok[0] = out->hx_ok[1] = 1;
    out->magnet_ok = 1;
}

void rs_emu_model_default(struct rs_emu_model *m)
{
    m->eval = default_eval;
    m->ctx = NULL;
}

/* ---- scenarios -------------------------------------------------------------- */

struct rs_key {
    double t;
    struct rs_emu_phys p;
};

struct rs_emu_keyframes {
    struct rs_key *keys;
    size_t n;
};

static int parse_line(char *line, struct rs_key *k, double *total, double *x, int *use_total,
                      char *err, size_t errlen, int lineno)
{
    int have_t = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            snprintf(err, errlen, "line %d: expected key=value, got '%s'", lineno, tok);
            return -1;
        }
        *eq = 0;
        char *end;
        errno = 0;
        double v = strtod(eq + 1, &end);
        if (errno || end == eq + 1 || *end || !isfinite(v)) {
            snprintf(err, errlen, "line %d: bad number for '%s'", lineno, tok);
            return -1;
        }
        if (!strcmp(tok, "t")) {
            k->t = v;
            have_t = 1;
        } else if (!strcmp(tok, "left")) {
            k->p.force_n[0] = v;
            *use_total = 0;
        } else if (!strcmp(tok, "right")) {
            k->p.force_n[1] = v;
            *use_total = 0;
        } else if (!strcmp(tok, "total")) {
            *total = v;
            *use_total = 1;
        } else if (!strcmp(tok, "x")) {
            *x = v;
            *use_total = 1;
        } else if (!strcmp(tok, "angle")) {
            k->p.angle_rad = v;
        } else if (!strcmp(tok, "rev")) {
            k->p.angle_rad = v * 6.283185307179586;
        } else if (!strcmp(tok, "hx_left")) {
            k->p.hx_ok[0] = v != 0;
        } else if (!strcmp(tok, "hx_right")) {
            k->p.hx_ok[1] = v != 0;
        } else if (!strcmp(tok, "magnet")) {
            k->p.magnet_ok = v != 0;
        } else {
            snprintf(err, errlen, "line %d: unknown key '%s'", lineno, tok);
            return -1;
        }
    }
    if (!have_t) {
        snprintf(err, errlen, "line %d: missing t=", lineno);
        return -1;
    }
    if (*use_total)
        rs_emu_phys_split(*total, *x, &k->p.force_n[0], &k->p.force_n[1]);
    return 0;
}

int rs_emu_is_keyframes(const char *text)
{
    /* Skip blank and comment lines; a keyframe file starts with "t=". */
    const char *p = text;
    for (;;) {
        p += strspn(p, " \t\r\n");
        if (*p != '#')
            break;
        p = strchr(p, '\n');
        if (!p)
            return 0;
    }
    return p[0] == 't' && p[1] == '=';
}

struct rs_emu_keyframes *rs_emu_keyframes_parse(const char *text, char *err, size_t errlen)
{
    struct rs_emu_keyframes *s = calloc(1, sizeof *s);
    char *copy = strdup(text);
    if (!s || !copy) {
        snprintf(err, errlen, "out of memory");
        free(s);
        free(copy);
        return NULL;
    }
    struct rs_key cur = { 0 };
    cur.p.hx_ok[0] = cur.p.hx_ok[1] = 1;
    cur.p.magnet_ok = 1;
    double total = 0, x = 0;
    int use_total = 0, lineno = 0;
    size_t cap = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        if (strspn(line, " \t\r") == strlen(line))
            continue;
        struct rs_key k = cur;
        if (parse_line(line, &k, &total, &x, &use_total, err, errlen, lineno) < 0)
            goto fail;
        if (s->n && k.t <= s->keys[s->n - 1].t) {
            snprintf(err, errlen, "line %d: t must increase", lineno);
            goto fail;
        }
        if (s->n == cap) {
            cap = cap ? cap * 2 : 16;
            struct rs_key *nk = realloc(s->keys, cap * sizeof *nk);
            if (!nk) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            s->keys = nk;
        }
        s->keys[s->n++] = k;
        cur = k;
    }
    free(copy);
    if (!s->n) {
        snprintf(err, errlen, "no keyframes");
        rs_emu_keyframes_free(s);
        return NULL;
    }
    return s;
fail:
    free(copy);
    rs_emu_keyframes_free(s);
    return NULL;
}

struct rs_emu_keyframes *rs_emu_keyframes_load(const char *path, char *err, size_t errlen)
{
    char *buf = rs_read_text_file(path, 1u << 20, NULL, err, errlen);
    if (!buf)
        return NULL;
    char inner[200];
    struct rs_emu_keyframes *s = rs_emu_keyframes_parse(buf, inner, sizeof inner);
    free(buf);
    if (!s)
        snprintf(err, errlen, "%s: %s", path, inner);
    return s;
}

void rs_emu_keyframes_free(struct rs_emu_keyframes *s)
{
    if (!s)
        return;
    free(s->keys);
    free(s);
}

double rs_emu_keyframes_duration(const struct rs_emu_keyframes *s)
{
    return s->keys[s->n - 1].t;
}

static void scenario_eval(void *ctx, double t, struct rs_emu_phys *out)
{
    const struct rs_emu_keyframes *s = ctx;
    if (t <= s->keys[0].t) {
        *out = s->keys[0].p;
        return;
    }
    if (t >= s->keys[s->n - 1].t) {
        *out = s->keys[s->n - 1].p;
        return;
    }
    size_t lo = 0, hi = s->n - 1; /* keys[lo].t <= t < keys[hi].t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->keys[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    const struct rs_key *a = &s->keys[lo], *b = &s->keys[hi];
    double f = (t - a->t) / (b->t - a->t);
    *out = a->p;
    for (int i = 0; i < 2; i++)
        out->force_n[i] = a->p.force_n[i] + f * (b->p.force_n[i] - a->p.force_n[i]);
    out->angle_rad = a->p.angle_rad + f * (b->p.angle_rad - a->p.angle_rad);
}

void rs_emu_keyframes_model(struct rs_emu_keyframes *s, struct rs_emu_model *m)
{
    m->eval = scenario_eval;
    m->ctx = s;
}
