/* Recurring tender spots from the holds of the last sessions (rs_spots.h). */
#include "rs_spots.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct cand {
    const struct rs_spot_hold *h;
    uint64_t bit; /* the hold's session as a bit of the window */
    bool used;
};

static int popcount64(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* The neighbourhood of c[i]: sessions (as a mask) and holds within radius. */
static uint64_t around(const struct cand *c, size_t n, size_t i, double radius, int *holds)
{
    uint64_t mask = 0;
    *holds = 0;
    for (size_t j = 0; j < n; j++)
        if (!c[j].used && c[j].h->leg == c[i].h->leg &&
            fabs(c[j].h->pos_cm - c[i].h->pos_cm) <= radius) {
            mask |= c[j].bit;
            ++*holds;
        }
    return mask;
}

/* The best unused centre, or n when every hold is taken. */
static size_t best_centre(const struct cand *c, size_t n, double radius)
{
    size_t best = n;
    int best_s = 0, best_h = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].used)
            continue;
        int holds;
        int s = popcount64(around(c, n, i, radius, &holds));
        if (best == n || s > best_s || (s == best_s && holds > best_h) ||
            (s == best_s && holds == best_h && c[i].h->pos_cm < c[best].h->pos_cm)) {
            best = i;
            best_s = s;
            best_h = holds;
        }
    }
    return best;
}

/* Take the holds around c[k] into one spot. */
static struct rs_spot take(struct cand *c, size_t n, size_t k, double radius, int window)
{
    struct rs_spot s = { .leg = c[k].h->leg, .window = window };
    double centre = c[k].h->pos_cm, pos = 0, secs = 0;
    uint64_t mask = 0;
    for (size_t j = 0; j < n; j++)
        if (!c[j].used && c[j].h->leg == s.leg && fabs(c[j].h->pos_cm - centre) <= radius) {
            c[j].used = true;
            mask |= c[j].bit;
            pos += c[j].h->pos_cm;
            secs += c[j].h->seconds;
            s.holds++;
        }
    s.sessions = popcount64(mask);
    s.pos_cm = pos / s.holds;
    s.mean_s = secs / s.holds;
    return s;
}

size_t rs_spots_find(const struct rs_spot_hold *h, size_t n, int nsessions, int window,
                     double radius_cm, struct rs_spot *out, size_t cap)
{
    if (window < 1)
        window = 1;
    if (window > RS_SPOTS_WINDOW_MAX)
        window = RS_SPOTS_WINDOW_MAX;
    if (window > nsessions)
        window = nsessions > 0 ? nsessions : 1;
    int first = nsessions - window;
    struct cand c[RS_SPOTS_HOLDS_MAX]; /* 24 KiB of stack, no allocation */
    size_t m = 0;
    for (size_t i = n; i-- > 0 && m < RS_SPOTS_HOLDS_MAX;) { /* newest first */
        if (h[i].session < first || h[i].session >= nsessions ||
            (h[i].leg != RS_LEG_LEFT && h[i].leg != RS_LEG_RIGHT) || !isfinite(h[i].pos_cm))
            continue;
        c[m++] = (struct cand){ &h[i], (uint64_t)1 << (h[i].session - first), false };
    }
    size_t k = 0;
    for (size_t i; k < cap && (i = best_centre(c, m, radius_cm)) < m;)
        out[k++] = take(c, m, i, radius_cm, window);
    return k;
}

int rs_spot_text(const struct rs_spot *s, char *buf, size_t cap)
{
    const char *leg = s->leg == RS_LEG_LEFT ? "left" : "right";
    if (s->window <= 1)
        return snprintf(buf, cap, "%s calf, %.0f cm above the Achilles: held %d time%s, %.0f s on average",
                        leg, s->pos_cm, s->holds, s->holds == 1 ? "" : "s", s->mean_s);
    return snprintf(buf, cap,
                    "%s calf, %.0f cm above the Achilles: held in %d of the last %d sessions, "
                    "%.0f s on average",
                    leg, s->pos_cm, s->sessions, s->window, s->mean_s);
}
