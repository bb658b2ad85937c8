/* rs_calfmap.c - the calf maps as coloured cells (see rs_calfmap.h). */
#include "rs_calfmap.h"

#include <math.h>

static int bins_of(float len)
{
    int bins = (int)ceilf(len);
    return bins > RS_VIEW_CALF_BINS ? RS_VIEW_CALF_BINS : bins;
}

float rs_calfmap_scale(const struct rs_view *v)
{
    int bins = bins_of(rs_view_calf_length(v));
    float tmax = 1.0f;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < bins; i++)
            if (v->calf[k].time_s[i] > tmax)
                tmax = v->calf[k].time_s[i];
    return tmax;
}

struct rs_rgb rs_calfmap_time_colour(float t, float tmax)
{
    float f = tmax > 0 ? ceilf(t * RS_CALFMAP_SHADES / tmax) / RS_CALFMAP_SHADES : 1.0f;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    float k = 0.3f + 0.7f * sqrtf(f);
    struct rs_rgb s = rs_colour(RS_C_SKY);
    return (struct rs_rgb){ (uint8_t)(s.r * k), (uint8_t)(s.g * k), (uint8_t)(s.b * k) };
}

static struct rs_rect part(struct rs_rect m, float x0, float x1)
{
    int a = m.x + (int)lroundf(m.w * x0), b = m.x + (int)lroundf(m.w * x1);
    return (struct rs_rect){ a, m.y, b - a, m.h };
}

int rs_calfmap_cells(const struct rs_view *v, int leg, struct rs_rect m, float tmax,
                     struct rs_calfmap_cell *out)
{
    const struct rs_view_calf *c = &v->calf[leg ? 1 : 0];
    float len = rs_view_calf_length(v);
    int bins = bins_of(len), n = 0;
    struct rs_rect th = part(m, 0.0f, 0.48f), ph = part(m, 0.52f, 0.80f), hs = part(m, 0.84f, 1.0f);
    for (int i = 0; i < bins; i++) {
        int y1 = m.y + m.h - (int)lroundf(m.h * i / len);
        int y0 = m.y + m.h - (int)lroundf(m.h * (i + 1) / len);
        if (y0 < m.y)
            y0 = m.y;
        if (c->time_s[i] > 0) {
            out[n++] = (struct rs_calfmap_cell){ { th.x, y0, th.w, y1 - y0 },
                                                 rs_calfmap_time_colour(c->time_s[i], tmax) };
            out[n++] = (struct rs_calfmap_cell){
                { ph.x, y0, ph.w, y1 - y0 },
                rs_force_band_colour(rs_view_force_band_in(v, c->pressure_pct[i])) };
        }
        if (c->holds[i]) {
            int sz = hs.w < (y1 - y0) * 2 ? hs.w : (y1 - y0) * 2;
            out[n++] = (struct rs_calfmap_cell){ { hs.x, (y0 + y1) / 2 - sz / 2, sz, sz },
                                                 rs_colour(RS_C_TEXT) };
        }
    }
    return n;
}

static struct rs_rect band(struct rs_rect m, float y0, float y1)
{
    int a = m.y + (int)lroundf(m.h * y0), b = m.y + (int)lroundf(m.h * y1);
    return (struct rs_rect){ m.x, a, m.w, b - a };
}

int rs_calfmap_legend(struct rs_rect box, int pad, struct rs_calfmap_cell *cells,
                      struct rs_calfmap_label labels[3])
{
    int n = 0;
    struct rs_rect t = part(box, 0.0f, 0.30f), p = part(box, 0.32f, 0.70f), h = part(box, 0.72f, 1.0f);
    struct rs_rect sw = band(t, 0.0f, 0.4f);
    for (int i = 0; i < RS_CALFMAP_SHADES; i++)
        cells[n++] = (struct rs_calfmap_cell){
            part(sw, (float)i / RS_CALFMAP_SHADES, (float)(i + 1) / RS_CALFMAP_SHADES),
            rs_calfmap_time_colour((float)(i + 1), RS_CALFMAP_SHADES) };
    sw = band(p, 0.0f, 0.4f);
    for (int b = RS_FB_LIGHT; b < RS_FB_COUNT; b++)
        cells[n++] = (struct rs_calfmap_cell){ part(sw, (b - 1) / 6.0f, b / 6.0f),
                                               rs_force_band_colour((enum rs_view_force_band)b) };
    int sz = band(h, 0.0f, 0.4f).h;
    cells[n++] = (struct rs_calfmap_cell){ { h.x + pad / 2, h.y, sz, sz }, rs_colour(RS_C_TEXT) };
    labels[0] = (struct rs_calfmap_label){ band(t, 0.42f, 1.0f), "TIME" };
    labels[1] = (struct rs_calfmap_label){ band(p, 0.42f, 1.0f), "PRESSURE" };
    labels[2] = (struct rs_calfmap_label){ band(h, 0.42f, 1.0f), "HOLD" };
    return n;
}
