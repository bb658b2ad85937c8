/* rs_pace.c - frame pacing (see rs_pace.h). */
#include "rs_pace.h"

#include <math.h>

void rs_pace_init(struct rs_pace *p, double period_s, double refresh_s)
{
    p->period_s = period_s > 0 ? period_s : 0;
    p->refresh_s = refresh_s > 0 ? refresh_s : 1.0;
    p->next_s = 0;
    p->drawn_s = 0;
    p->dirty = true;
    p->started = false;
}

void rs_pace_mark(struct rs_pace *p)
{
    p->dirty = true;
}

/* Milliseconds until t, rounded up so that waking at the result is never
 * early (by more than rounding noise); at least 1 for any t after now. */
static int ms_until(double now_s, double t)
{
    double ms = ceil((t - now_s) * 1000.0 - 1e-6);
    return ms < 1 ? 1 : ms > 1e6 ? 1000000 : (int)ms;
}

int rs_pace_wait_ms(struct rs_pace *p, double now_s, int idle_ms)
{
    if (!p->started)
        return 0;
    if (now_s - p->drawn_s >= p->refresh_s)
        p->dirty = true;
    if (p->dirty)
        return now_s >= p->next_s ? 0 : ms_until(now_s, p->next_s);
    int w = ms_until(now_s, p->drawn_s + p->refresh_s);
    if (idle_ms < 1)
        idle_ms = 1;
    return w < idle_ms ? w : idle_ms;
}

void rs_pace_done(struct rs_pace *p, double now_s, bool presented)
{
    p->started = true;
    p->dirty = false;
    p->drawn_s = now_s;
    if (!presented)
        return;
    double tick = p->next_s + p->period_s;
    p->next_s = now_s >= p->next_s && now_s < tick ? tick : now_s + p->period_s;
}
