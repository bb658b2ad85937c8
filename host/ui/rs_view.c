/*
 * rs_view.c - helpers for the plain-data view model (see rs_view.h).
 */
#include "rs_view.h"

#include <string.h>

void rs_view_init(struct rs_view *v)
{
    memset(v, 0, sizeof *v);
    v->mode = RS_MODE_LIVE;
    v->calibrated = true;
    v->bw_known = true;
    v->knee_zone_cm = 5.0f;
    v->link = RS_VLINK_DISCONNECTED;
    v->replay_speed = 1.0f;
}

void rs_view_history_push(struct rs_view_history *h, float force_pct, float speed_cms)
{
    unsigned at;
    if (h->count < RS_VIEW_HISTORY_N) {
        at = (h->head + h->count) % RS_VIEW_HISTORY_N;
        h->count++;
    } else {
        at = h->head;
        h->head = (uint16_t)((h->head + 1) % RS_VIEW_HISTORY_N);
    }
    h->force_pct[at] = force_pct;
    h->speed_cms[at] = speed_cms;
}

float rs_view_history_force(const struct rs_view_history *h, unsigned i)
{
    return h->force_pct[(h->head + i) % RS_VIEW_HISTORY_N];
}

float rs_view_history_speed(const struct rs_view_history *h, unsigned i)
{
    return h->speed_cms[(h->head + i) % RS_VIEW_HISTORY_N];
}

enum rs_view_force_band rs_view_force_band(float pct)
{
    static const float upper[] = { 5, 15, 30, 45, 60, 80 };
    for (unsigned i = 0; i < sizeof upper / sizeof upper[0]; i++)
        if (pct < upper[i])
            return (enum rs_view_force_band)i;
    return RS_FB_OVERLOAD;
}

enum rs_view_speed_band rs_view_speed_band(float cms)
{
    if (cms < 0)
        cms = -cms;
    if (cms < 0.5f)
        return RS_SB_STILL;
    if (cms <= 10.0f)
        return RS_SB_SLOW;
    if (cms <= 15.0f)
        return RS_SB_BRISK;
    return RS_SB_TOO_FAST;
}

const char *rs_view_force_band_name(enum rs_view_force_band b)
{
    static const char *const names[RS_FB_COUNT] = {
        "NO CONTACT", "LIGHT", "MODERATE", "TYPICAL", "HIGH", "NO EXTRA BENEFIT", "OVERLOAD",
    };
    return (unsigned)b < RS_FB_COUNT ? names[b] : "?";
}

const char *rs_view_speed_band_name(enum rs_view_speed_band b)
{
    static const char *const names[RS_SB_COUNT] = { "STILL", "SLOW", "BRISK", "TOO FAST" };
    return (unsigned)b < RS_SB_COUNT ? names[b] : "?";
}

float rs_view_calf_length(const struct rs_view *v)
{
    float l = v->calf_length_cm;
    if (!(l > 5.0f))
        return 35.0f;
    return l > RS_VIEW_CALF_BINS ? (float)RS_VIEW_CALF_BINS : l;
}

double rs_view_nz(double x, int decimals)
{
    double half = 0.5;
    for (int i = 0; i < decimals; i++)
        half /= 10.0;
    return x >= -half && x <= half ? 0.0 : x; /* printf rounds -0.5 to "-0" */
}
