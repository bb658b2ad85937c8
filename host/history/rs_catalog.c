/* rs_catalog.c - catalog entries in memory, built from a session's events,
 * and the staleness plan (see rs_catalog.h). Pure: no files. */
#include "rs_catalog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_jsonq.h"
#include "rs_str.h"

void rs_catalog_init(struct rs_catalog *c)
{
    memset(c, 0, sizeof *c);
}

void rs_catalog_free(struct rs_catalog *c)
{
    free(c->e);
    rs_catalog_init(c);
}

int rs_catalog_push(struct rs_catalog *c, const struct rs_cat_entry *e)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;
        struct rs_cat_entry *ne = realloc(c->e, nc * sizeof *ne);
        if (!ne)
            return -1;
        c->e = ne;
        c->cap = nc;
    }
    c->e[c->n++] = *e;
    return 0;
}

void rs_cat_entry_init(struct rs_cat_entry *e, const char *name, const struct rs_cat_stamp *st)
{
    memset(e, 0, sizeof *e);
    rs_str_copy(e->name, sizeof e->name, name);
    if (st)
        e->stamp = *st;
    e->sum.peak_bw_pct = NAN;
    e->calf_time_s[0] = e->calf_time_s[1] = NAN;
    e->typical_bw_pct = NAN;
}

static void add_hold(struct rs_cat_entry *e, const char *json)
{
    char leg[16];
    double v;
    if (e->nholds >= RS_CAT_HOLDS_MAX || !rs_jsonq_str(json, "leg", leg, sizeof leg))
        return;
    struct rs_cat_hold h = { -1, NAN, 0, NAN };
    if (strcmp(leg, "left") == 0)
        h.leg = 0;
    else if (strcmp(leg, "right") == 0)
        h.leg = 1;
    else
        return;
    if (rs_jsonq_num(json, "pos_cm", &v) && v > -1000 && v < 1000)
        h.pos_cm = (float)v;
    if ((rs_jsonq_num(json, "duration", &v) || rs_jsonq_num(json, "duration_s", &v)) && v >= 0 &&
        v < 1e6)
        h.seconds = (float)v;
    if (rs_jsonq_num(json, "mean_bw_pct", &v) && v >= 0 && v < 10000)
        h.bw_pct = (float)v;
    e->hold[e->nholds++] = h;
}

void rs_cat_entry_event(struct rs_cat_entry *e, const char *type, const char *json)
{
    if (!type || !json)
        return;
    if (strcmp(type, "hold_end") == 0) {
        add_hold(e, json);
    } else if (strcmp(type, "routine_done") == 0) {
        bool done;
        if (rs_jsonq_bool(json, "completed", &done) && done)
            e->routines_done++;
    }
}

void rs_cat_entry_calf_time(struct rs_cat_entry *e, const char *json)
{
    double v;
    if (!json)
        return;
    if (rs_jsonq_num(json, "left_s", &v) && v >= 0 && v < 1e8)
        e->calf_time_s[0] = v;
    if (rs_jsonq_num(json, "right_s", &v) && v >= 0 && v < 1e8)
        e->calf_time_s[1] = v;
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

double rs_cat_median(float *v, size_t n)
{
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_float);
    return n % 2 ? v[n / 2] : ((double)v[n / 2 - 1] + v[n / 2]) / 2;
}

void rs_cat_entry_finish(struct rs_cat_entry *e)
{
    float v[RS_CAT_HOLDS_MAX];
    size_t n = 0;
    for (int i = 0; i < e->nholds; i++)
        if (isfinite(e->hold[i].bw_pct))
            v[n++] = e->hold[i].bw_pct;
    e->typical_bw_pct = e->sum.uncalibrated ? NAN : rs_cat_median(v, n);
}

static bool same_stamp(const struct rs_cat_stamp *a, const struct rs_cat_stamp *b)
{
    return a->size == b->size && a->mtime_ns == b->mtime_ns && a->wal_size == b->wal_size &&
           a->wal_mtime_ns == b->wal_mtime_ns;
}

size_t rs_cat_plan(const struct rs_catalog *old, const struct rs_cat_file *files, size_t n,
                   long *keep, size_t *dropped)
{
    size_t j = 0, kept = 0, toread = 0;
    for (size_t i = 0; i < n; i++) {
        keep[i] = -1;
        /* both sorted by name: walk the old entries alongside */
        while (j < old->n && strcmp(old->e[j].name, files[i].name) < 0)
            j++;
        if (j < old->n && strcmp(old->e[j].name, files[i].name) == 0 &&
            same_stamp(&old->e[j].stamp, &files[i].stamp)) {
            keep[i] = (long)j++;
            kept++;
        } else {
            toread++;
        }
    }
    *dropped = old->n - kept;
    return toread;
}
