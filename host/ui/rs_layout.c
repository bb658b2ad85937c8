/*
 * rs_layout.c - proportional panel layout (see rs_layout.h).
 */
#include "rs_layout.h"

#include <math.h>

static int max_i(int a, int b) { return a > b ? a : b; }

struct rs_rect rs_rect_rows(struct rs_rect p, float y0, float y1)
{
    int a = p.y + (int)lroundf(p.h * y0), b = p.y + (int)lroundf(p.h * y1);
    return (struct rs_rect){ p.x, a, p.w, b - a };
}

struct rs_rect rs_rect_cols(struct rs_rect p, float x0, float x1)
{
    int a = p.x + (int)lroundf(p.w * x0), b = p.x + (int)lroundf(p.w * x1);
    return (struct rs_rect){ a, p.y, b - a, p.h };
}

struct rs_rect rs_rect_inset(struct rs_rect r, int d)
{
    r.x += d;
    r.y += d;
    r.w = max_i(0, r.w - 2 * d);
    r.h = max_i(0, r.h - 2 * d);
    return r;
}

bool rs_rect_contains(struct rs_rect o, struct rs_rect i)
{
    return i.x >= o.x && i.y >= o.y && i.x + i.w <= o.x + o.w && i.y + i.h <= o.y + o.h;
}

bool rs_rect_overlaps(struct rs_rect a, struct rs_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Split [x, x+len) into n columns by weights, gap between them. */
static void split(int x, int len, int gap, const float *weights, int n, int *pos, int *size)
{
    float total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    int avail = max_i(0, len - gap * (n - 1));
    int at = x;
    for (int i = 0; i < n; i++) {
        int s = i == n - 1 ? x + len - at : (int)lroundf(avail * weights[i] / total);
        pos[i] = at;
        size[i] = max_i(0, s);
        at += s + gap;
    }
}

void rs_layout_compute(struct rs_layout *l, int w, int h, float scale, bool replay)
{
    if (!(scale > 0.25f))
        scale = 1.0f;
    l->w = max_i(w, 1);
    l->h = max_i(h, 1);
    l->scale = scale;
    int m = l->w < l->h ? l->w : l->h;
    l->pad = max_i((int)lroundf(4 * scale), (int)lroundf(m * 0.012f));
    l->line = max_i((int)lroundf(2 * scale), (int)lroundf(m * 0.004f));
    for (int i = 0; i < RS_P_COUNT; i++)
        l->panel[i] = (struct rs_rect){ 0, 0, 0, 0 };

    int pad = l->pad;
    /* Rows, top to bottom: status, alert, main, lower, [timeline]. */
    /* The alert row holds two banners of up to two lines each at the size
     * read from 3 m (docs/ui.md). */
    float row_w[5] = { 0.065f, 0.15f, 0.425f, 0.36f, 0.0f };
    int rows = 4;
    if (replay) {
        row_w[2] = 0.38f;
        row_w[3] = 0.31f;
        row_w[4] = 0.095f;
        rows = 5;
    }
    int ry[5], rh[5];
    split(pad, l->h - 2 * pad, pad, row_w, rows, ry, rh);
    int x0 = pad, xw = l->w - 2 * pad;

    l->panel[RS_P_STATUS] = (struct rs_rect){ x0, ry[0], xw, rh[0] };
    l->panel[RS_P_ALERT] = (struct rs_rect){ x0, ry[1], xw, rh[1] };

    /* the hold panel wide enough for its state words at the 3 m size */
    static const float main_w[3] = { 0.34f, 0.32f, 0.34f };
    int cx[3], cw[3];
    split(x0, xw, pad, main_w, 3, cx, cw);
    l->panel[RS_P_FORCE] = (struct rs_rect){ cx[0], ry[2], cw[0], rh[2] };
    l->panel[RS_P_HOLD] = (struct rs_rect){ cx[1], ry[2], cw[1], rh[2] };
    l->panel[RS_P_SPEED] = (struct rs_rect){ cx[2], ry[2], cw[2], rh[2] };

    static const float low_w[3] = { 0.19f, 0.43f, 0.38f };
    split(x0, xw, pad, low_w, 3, cx, cw);
    l->panel[RS_P_LEG] = (struct rs_rect){ cx[0], ry[3], cw[0], rh[3] };
    l->panel[RS_P_CHARTS] = (struct rs_rect){ cx[1], ry[3], cw[1], rh[3] };
    l->panel[RS_P_MAP] = (struct rs_rect){ cx[2], ry[3], cw[2], rh[3] };

    if (replay)
        l->panel[RS_P_TIMELINE] = (struct rs_rect){ x0, ry[4], xw, rh[4] };
}
