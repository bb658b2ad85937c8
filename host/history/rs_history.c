/* rs_history.c - the history of sessions as data (see rs_history.h). */
#include "rs_history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_spots.h"
#include "rs_str.h"

struct rs_history_opts rs_history_defaults(void)
{
    return (struct rs_history_opts){ .days = 28, .window = 5, .radius_cm = 2.0, .min_sessions = 2 };
}

int32_t rs_history_day(int64_t host_us, int tz_offset_s)
{
    int64_t s = host_us / 1000000 - (host_us % 1000000 < 0) + tz_offset_s;
    return (int32_t)(s / 86400 - (s % 86400 < 0));
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int32_t entry_day(const struct rs_cat_entry *e)
{
    return rs_history_day(e->sum.start_host_us, e->sum.tz_offset_s);
}

static bool usable(const struct rs_cat_entry *e)
{
    return e->readable && e->sum.start_host_us != 0;
}

/* The day row of e (appended when e starts a new day). */
static struct rs_hist_day *day_row(struct rs_histview *v, int32_t d)
{
    if (v->ndays && v->day[v->ndays - 1].day == d)
        return &v->day[v->ndays - 1];
    if (v->ndays >= RS_HIST_DAYS_MAX)
        return NULL;
    struct rs_hist_day *r = &v->day[v->ndays++];
    memset(r, 0, sizeof *r);
    r->day = d;
    char iso[48];
    rs_iso8601((int64_t)d * 86400 * 1000000, 0, iso, sizeof iso);
    rs_str_copy(r->date, sizeof r->date, iso);
    r->time_s[0] = r->time_s[1] = NAN;
    r->typical_bw_pct = NAN;
    return r;
}

/* Add one session to its day; its forces go to bw[] for the median. */
static void add_session(struct rs_histview *v, struct rs_hist_day *r, const struct rs_cat_entry *e,
                        bool dots, float *bw, size_t *nbw, size_t bwcap)
{
    r->sessions++;
    v->sessions++;
    for (int k = 0; k < 2; k++) {
        r->holds[k] = (uint16_t)(r->holds[k] + e->sum.holds[k]);
        if (isfinite(e->calf_time_s[k]))
            r->time_s[k] = (float)((isfinite(r->time_s[k]) ? r->time_s[k] : 0) + e->calf_time_s[k]);
    }
    r->routines = (uint16_t)(r->routines + e->routines_done);
    if (e->sum.uncalibrated)
        v->uncalibrated = true;
    for (int i = 0; i < e->nholds; i++) {
        const struct rs_cat_hold *h = &e->hold[i];
        if (!e->sum.uncalibrated && isfinite(h->bw_pct) && *nbw < bwcap)
            bw[(*nbw)++] = h->bw_pct;
        if (dots && isfinite(h->pos_cm) && v->ndots < RS_HIST_DOTS_MAX)
            v->dot[v->ndots++] = (struct rs_hist_dot){ r->day, (uint8_t)h->leg, h->pos_cm, h->seconds };
        if (isfinite(h->pos_cm) && h->pos_cm + 1 > v->calf_cm)
            v->calf_cm = ceilf(h->pos_cm + 1);
    }
}

/* The first entry of the span: the days ending at the newest session's day. */
static size_t span_start(const struct rs_catalog *c, int days, struct rs_histview *v)
{
    size_t i = c->n;
    while (i > 0 && !usable(&c->e[i - 1]))
        i--;
    if (i == 0)
        return c->n;
    v->last_day = entry_day(&c->e[i - 1]);
    v->first_day = v->last_day - days + 1;
    size_t first = c->n;
    for (size_t k = 0; k < c->n; k++) /* in time order; local days need not be */
        if (usable(&c->e[k]) && entry_day(&c->e[k]) >= v->first_day && first == c->n)
            first = k;
    return first;
}

/* Holds with a position in e (dots on the map). */
static size_t placed_holds(const struct rs_cat_entry *e)
{
    size_t n = 0;
    for (int i = 0; usable(e) && i < e->nholds; i++)
        n += isfinite(e->hold[i].pos_cm) != 0;
    return n;
}

static void fill_days(const struct rs_catalog *c, size_t first, struct rs_histview *v)
{
    float bw[2048];
    size_t nbw = 0, dots_from = c->n, room = RS_HIST_DOTS_MAX;
    /* the newest sessions whose holds all fit get their dots */
    for (size_t m; dots_from > first && (m = placed_holds(&c->e[dots_from - 1])) <= room; dots_from--)
        room -= m;
    struct rs_hist_day *r = NULL;
    for (size_t k = first; k < c->n; k++) {
        const struct rs_cat_entry *e = &c->e[k];
        if (!usable(e) || entry_day(e) < v->first_day)
            continue;
        int32_t d = entry_day(e);
        if (r && r->day != d) {
            r->typical_bw_pct = (float)rs_cat_median(bw, nbw);
            nbw = 0;
        }
        if (!(r = day_row(v, d)))
            break;
        add_session(v, r, e, k >= dots_from, bw, &nbw, sizeof bw / sizeof bw[0]);
    }
    if (r)
        r->typical_bw_pct = (float)rs_cat_median(bw, nbw);
}

static void copy_spot(const struct rs_spot *s, struct rs_hist_spot *o)
{
    memset(o, 0, sizeof *o);
    o->leg = s->leg == RS_LEG_RIGHT;
    o->pos_cm = (float)s->pos_cm;
    o->sessions = (int16_t)s->sessions;
    o->window = (int16_t)s->window;
    o->holds = (int16_t)s->holds;
    o->mean_s = (float)s->mean_s;
    rs_spot_text(s, o->text, sizeof o->text);
}

/* The holds of the last RS_SPOTS_WINDOW_MAX usable sessions, numbered in
 * time order; *in_span gets how many of those sessions are in the span. */
static size_t last_holds(const struct rs_catalog *c, const struct rs_histview *v,
                         struct rs_spot_hold *h, int *nsessions, int *in_span)
{
    size_t k = c->n;
    int m = 0;
    while (k > 0 && m < RS_SPOTS_WINDOW_MAX)
        if (usable(&c->e[--k]))
            m++;
    size_t n = 0;
    int s = 0;
    *in_span = 0;
    for (; k < c->n; k++) {
        const struct rs_cat_entry *e = &c->e[k];
        if (!usable(e))
            continue;
        for (int i = 0; i < e->nholds && n < RS_SPOTS_HOLDS_MAX; i++)
            h[n++] = (struct rs_spot_hold){ s, e->hold[i].leg ? RS_LEG_RIGHT : RS_LEG_LEFT,
                                            e->hold[i].pos_cm, e->hold[i].seconds };
        *in_span += entry_day(e) >= v->first_day;
        s++;
    }
    *nsessions = s;
    return n;
}

static void fill_spots(const struct rs_catalog *c, const struct rs_history_opts *o,
                       struct rs_histview *v)
{
    struct rs_spot_hold *h = malloc(RS_SPOTS_HOLDS_MAX * sizeof *h);
    struct rs_spot s[RS_HIST_BANDS_MAX];
    int m, in_span;
    size_t n = h ? last_holds(c, v, h, &m, &in_span) : 0;
    if (!h || m == 0) {
        free(h);
        return;
    }
    int w = clampi(o->window, 1, RS_SPOTS_WINDOW_MAX);
    v->window = w < m ? w : m;
    size_t k = rs_spots_find(h, n, m, v->window, o->radius_cm, s, RS_HIST_BANDS_MAX);
    for (size_t i = 0; i < k && v->nspots < RS_HIST_SPOTS_MAX; i++)
        if (s[i].sessions >= o->min_sessions)
            copy_spot(&s[i], &v->spot[v->nspots++]);
    k = in_span ? rs_spots_find(h, n, m, in_span, o->radius_cm, s, RS_HIST_BANDS_MAX) : 0;
    for (size_t i = 0; i < k; i++)
        if (s[i].sessions >= o->min_sessions)
            copy_spot(&s[i], &v->band[v->nbands++]);
    free(h);
}

static void make(const struct rs_catalog *c, const struct rs_history_opts *o, struct rs_histview *v);

static int cmp_start(const void *a, const void *b)
{
    const struct rs_cat_entry *x = a, *y = b;
    if (x->sum.start_host_us != y->sum.start_host_us)
        return x->sum.start_host_us < y->sum.start_host_us ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* c in time order: c itself when its names sort by start time (the
 * recorder's names do, unless the clock or the time zone went back, or a
 * file was named by hand), else a sorted copy in tmp (NULL: out of memory,
 * c as it is). */
static const struct rs_catalog *in_time_order(const struct rs_catalog *c, struct rs_catalog *tmp)
{
    rs_catalog_init(tmp);
    size_t k = 1;
    while (k < c->n && cmp_start(&c->e[k - 1], &c->e[k]) <= 0)
        k++;
    if (k >= c->n || !(tmp->e = malloc(c->n * sizeof *tmp->e)))
        return c;
    memcpy(tmp->e, c->e, c->n * sizeof *tmp->e);
    tmp->n = tmp->cap = c->n;
    qsort(tmp->e, tmp->n, sizeof *tmp->e, cmp_start);
    return tmp;
}

void rs_history_make(const struct rs_catalog *cat, const struct rs_history_opts *o,
                     struct rs_histview *v)
{
    struct rs_catalog tmp;
    const struct rs_catalog *c = in_time_order(cat, &tmp);
    make(c, o, v);
    rs_catalog_free(&tmp);
}

static void make(const struct rs_catalog *c, const struct rs_history_opts *o, struct rs_histview *v)
{
    memset(v, 0, sizeof *v);
    v->calf_cm = 32;
    v->sessions_total = (int)c->n;
    for (size_t k = 0; k < c->n; k++)
        v->unreadable += !c->e[k].readable;
    size_t first = span_start(c, clampi(o->days, 1, RS_HIST_DAYS_MAX), v);
    if (first >= c->n)
        return;
    fill_days(c, first, v);
    fill_spots(c, o, v);
}

static size_t past_holds(const struct rs_catalog *c, const char *skip, int max_sessions,
                         struct rs_spot_hold *out, size_t cap, int *nsessions);

size_t rs_history_past_holds(const struct rs_catalog *cat, const char *skip, int max_sessions,
                             struct rs_spot_hold *out, size_t cap, int *nsessions)
{
    struct rs_catalog tmp;
    size_t n = past_holds(in_time_order(cat, &tmp), skip, max_sessions, out, cap, nsessions);
    rs_catalog_free(&tmp);
    return n;
}

static size_t past_holds(const struct rs_catalog *c, const char *skip, int max_sessions,
                         struct rs_spot_hold *out, size_t cap, int *nsessions)
{
    size_t k = c->n, n = 0;
    int m = 0;
    *nsessions = 0;
    if (cap == 0)
        return 0;
    for (; k > 0 && m < max_sessions; k--) /* back to the first session wanted */
        if (usable(&c->e[k - 1]) && !(skip && strcmp(c->e[k - 1].name, skip) == 0))
            m++;
    int s = 0;
    for (; k < c->n; k++) {
        const struct rs_cat_entry *e = &c->e[k];
        if (!usable(e) || (skip && strcmp(e->name, skip) == 0))
            continue;
        for (int i = 0; i < e->nholds; i++) {
            if (n == cap) { /* keep the newest: drop the oldest */
                memmove(out, out + 1, (cap - 1) * sizeof *out);
                n--;
            }
            out[n++] = (struct rs_spot_hold){ s, e->hold[i].leg ? RS_LEG_RIGHT : RS_LEG_LEFT,
                                              e->hold[i].pos_cm, e->hold[i].seconds };
        }
        s++;
    }
    *nsessions = s;
    return n;
}
