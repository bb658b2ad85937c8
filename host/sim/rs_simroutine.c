/* rs_simroutine.c - the simulated user of the guided routine (see rs_simroutine.h). */
#include "rs_simroutine.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#define SPEED 2.5    /* cm/s: slow, as the warm-up coaches */
#define TOP_CM 26.0  /* stays well below the knee zone */
#define BOTTOM_CM 3.0
#define MARGIN_S 3.0 /* for the detector's decisions (hold end, unloading) */

struct text {
    char *buf;
    size_t cap, len;
    int overflow;
    double pos; /* cm along the calf, as the scenario will have it */
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->len < t->cap ? t->cap - t->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0 || t->len + (size_t)n >= t->cap)
        t->overflow = 1;
    else
        t->len += (size_t)n;
}

/* Roll for s seconds, turning at the ends of the stretch of calf it uses. */
static void roll_for(struct text *t, double s)
{
    while (s > 1e-6) {
        bool up = t->pos < (TOP_CM + BOTTOM_CM) / 2;
        double room = up ? TOP_CM - t->pos : t->pos - BOTTOM_CM;
        double d = room / SPEED < s ? room / SPEED : s;
        if (d < 0.5)
            d = s < 0.5 ? s : 0.5;
        put(t, "roll %.3f %s%.1f\n", d, up ? "" : "-", SPEED);
        t->pos += (up ? SPEED : -SPEED) * d;
        s -= d;
    }
}

/* How long both stretches take once the user is off the roller. */
static double stretches_s(const struct rs_simroutine *p)
{
    double one = p->stretch_reps * (p->countdown_s + p->stretch_s) +
                 (p->stretch_reps - 1) * p->rest_s;
    return p->unload_start_s + 2 * one;
}

/* Tender spots: counted holds with one short hold second; returns the time. */
static double spots(struct text *t, const struct rs_simroutine *p, int counted)
{
    static const double extra[] = { 5, 9, 3, 7, 6 };
    double used = 0;
    for (int i = 0, c = 0; c < counted; i++) {
        roll_for(t, 2);
        double h = i == 1 ? p->spot_min_s * 0.5 + 0.5 : p->spot_min_s + extra[c++ % 5];
        put(t, "hold %.1f force=300  # %s\n", h, i == 1 ? "too short to count" : "a tender spot");
        used += 2 + h;
    }
    roll_for(t, 1.5);
    return used + 1.5;
}

static void leg(struct text *t, const struct rs_simroutine *p, int which, bool first)
{
    put(t, "leg %s\n", which == 1 ? "left" : "right");
    t->pos = 0;
    put(t, "# warm-up\n");
    roll_for(t, p->warmup_s + (first ? 1.0 : MARGIN_S));
    put(t, "# tender spots\n");
    if (first) {
        spots(t, p, p->spots_max);
    } else {
        double used = spots(t, p, p->spots_min);
        if (p->spots_min < p->spots_max && used < p->spots_max_s + MARGIN_S)
            roll_for(t, p->spots_max_s + MARGIN_S - used);
    }
    put(t, "# off the roller: both stretches\n");
    put(t, "lift %.1f\n", stretches_s(p) + MARGIN_S);
}

int rs_simroutine_text(const struct rs_simroutine *p, char *buf, size_t cap)
{
    struct text t = { .buf = buf, .cap = cap };
    if (cap)
        buf[0] = '\0';
    put(&t, "name routine\nlabel routine\nseed 7\nnoise 0.3\nenc_noise 1\nforce 250\n");
    put(&t, "lift 1\n");
    int first = p->first_leg == 2 ? 2 : 1;
    leg(&t, p, first, true);
    leg(&t, p, 3 - first, false);
    return t.overflow ? -1 : (int)t.len;
}
