/*
 * rs_view.c - helpers for the plain-data view model (see rs_view.h).
 */
#include "rs_view.h"

#include "rs_pipeline.h"

#include <stdio.h>
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
    rs_config_defaults(&v->bands);
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

/* The view's bands are the core's (same order; the view has no "none" speed). */
static enum rs_view_force_band force_band_with(const struct rs_config *c, float pct)
{
    return (enum rs_view_force_band)rs_force_band_of(c, pct);
}

enum rs_view_force_band rs_view_force_band(float pct)
{
    struct rs_config c;
    rs_config_defaults(&c);
    return force_band_with(&c, pct);
}

enum rs_view_force_band rs_view_force_band_in(const struct rs_view *v, float pct)
{
    return force_band_with(&v->bands, pct);
}

enum rs_view_speed_band rs_view_speed_band(float cms)
{
    struct rs_config c;
    rs_config_defaults(&c);
    return (enum rs_view_speed_band)(rs_speed_band_of(&c, cms) - RS_SPEED_STILL);
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

void rs_view_mmss(char *b, size_t n, float s)
{
    if (!(s >= 0))
        s = 0;
    unsigned t = (unsigned)s;
    snprintf(b, n, "%u:%02u", t / 60, t % 60);
}
