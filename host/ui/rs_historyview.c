/* rs_historyview.c - the history window and picture (see rs_historyview.h). */
#include "rs_historyview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL_image.h>

#include "rs_file.h"
#include "rs_font.h"
#include "rs_palette.h"
#include "rs_render.h"

struct rs_historyview {
    SDL_Renderer *ren;
    struct rs_text text;
    struct rs_historyview_geom geom;
    int pad;
};

int rs_historyview_create(struct rs_historyview **out, SDL_Renderer *ren, const char *font_path,
                          char *err, size_t errcap)
{
    *out = NULL;
    struct rs_historyview *hv = calloc(1, sizeof *hv);
    if (!hv) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    hv->ren = ren;
    if (rs_text_init(&hv->text, ren, font_path, err, errcap) != 0) {
        free(hv);
        return -1;
    }
    *out = hv;
    return 0;
}

void rs_historyview_destroy(struct rs_historyview *hv)
{
    if (!hv)
        return;
    rs_text_free(&hv->text);
    free(hv);
}

const struct rs_historyview_geom *rs_historyview_geometry(const struct rs_historyview *hv)
{
    return &hv->geom;
}

static void fill(struct rs_historyview *hv, struct rs_rect x, struct rs_rgb c)
{
    if (x.w <= 0 || x.h <= 0)
        return;
    SDL_SetRenderDrawColor(hv->ren, c.r, c.g, c.b, 255);
    SDL_Rect s = { x.x, x.y, x.w, x.h };
    SDL_RenderFillRect(hv->ren, &s);
}


static int span_days(const struct rs_histview *v)
{
    int n = v->last_day - v->first_day + 1;
    return n > 0 ? n : 1;
}

int rs_historyview_day_x(struct rs_rect r, const struct rs_histview *v, int32_t day)
{
    int n = span_days(v);
    return r.x + (int)((2.0 * (day - v->first_day) + 1) * r.w / (2.0 * n));
}

int rs_historyview_pos_y(struct rs_rect r, const struct rs_histview *v, float pos_cm)
{
    float f = v->calf_cm > 0 ? pos_cm / v->calf_cm : 0;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return r.y + r.h - 1 - (int)lroundf(f * (float)(r.h - 1));
}

static struct rs_rgb leg_rgb(int k)
{
    return rs_leg_colour(k ? RS_VLEG_RIGHT : RS_VLEG_LEFT);
}

/* Width of one bar: the day column split between the legs, at least 1 px. */
static int bar_w(struct rs_rect r, const struct rs_histview *v, int bars)
{
    int w = r.w / span_days(v) / bars;
    w = w * 8 / 10;
    return w < 1 ? 1 : w;
}

/* The value a chart shows for a day: 0 time per calf (minutes), 1 holds,
 * 2 typical force (%BW, one bar). NAN: nothing to draw. */
static float day_value(const struct rs_hist_day *d, int chart, int k)
{
    if (chart == 0)
        return isfinite(d->time_s[k]) ? d->time_s[k] / 60.0f : NAN;
    if (chart == 1)
        return d->holds[k];
    return d->typical_bw_pct;
}

static float chart_max(const struct rs_histview *v, int chart)
{
    float m = 0;
    for (int i = 0; i < v->ndays; i++)
        for (int k = 0; k < (chart == 2 ? 1 : 2); k++) {
            float x = day_value(&v->day[i], chart, k);
            if (isfinite(x) && x > m)
                m = x;
        }
    return m > 0 ? m : 1;
}

static void draw_routines(struct rs_historyview *hv, const struct rs_histview *v, struct rs_rect p)
{
    int s = bar_w(p, v, 1);
    s = s < 4 ? 4 : s > p.h / 6 ? p.h / 6 : s;
    for (int i = 0; i < v->ndays; i++)
        for (int r = 0; r < v->day[i].routines && r < 3; r++) {
            int x = rs_historyview_day_x(p, v, v->day[i].day);
            fill(hv, (struct rs_rect){ x - s / 2, p.y + r * (s + 1), s, s }, rs_colour(RS_C_YELLOW));
        }
}

/* One bar chart over the span's days: a title, the scale, the bars. */
static void draw_chart(struct rs_historyview *hv, const struct rs_histview *v, int chart,
                       struct rs_rect box)
{
    static const char *const title[] = { "TIME PER CALF, MIN", "HOLDS PER LEG",
                                         "TYPICAL FORCE %BW, ROUTINES DONE" };
    static const char *const unit[] = { "min", "holds", "%BW" };
    struct rs_historyview_geom *g = &hv->geom;
    g->chart[chart] = box;
    struct rs_rect head = rs_rect_rows(box, 0.0f, 0.24f), p = rs_rect_rows(box, 0.27f, 1.0f);
    g->plot[chart] = p;
    float max = chart_max(v, chart);
    char b[48];
    snprintf(b, sizeof b, "up to %.*f %s", max < 10 && chart != 1 ? 1 : 0, max, unit[chart]);
    rs_text_fit(&hv->text, rs_rect_cols(head, 0.0f, 0.68f), head.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
                title[chart], NULL);
    rs_text_fit(&hv->text, rs_rect_cols(head, 0.70f, 1.0f), head.h, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM), b,
                NULL);
    fill(hv, p, rs_colour(RS_C_PANEL));
    fill(hv, (struct rs_rect){ p.x, p.y + p.h - 1, p.w, 1 }, rs_colour(RS_C_GRID));
    int bars = chart == 2 ? 1 : 2, bw = bar_w(p, v, bars);
    float top = chart == 2 ? max * 1.25f : max; /* room above for the routine marks */
    for (int i = 0; i < v->ndays; i++) {
        int x0 = rs_historyview_day_x(p, v, v->day[i].day) - bars * bw / 2;
        for (int k = 0; k < bars; k++) {
            float val = day_value(&v->day[i], chart, k);
            if (!isfinite(val) || val <= 0)
                continue;
            int bh = (int)lroundf(val / top * (float)(p.h - 1));
            fill(hv, (struct rs_rect){ x0 + k * bw, p.y + p.h - 1 - bh, bw, bh },
                 chart == 2 ? rs_colour(RS_C_TEXT) : leg_rgb(k));
        }
    }
    if (chart == 2)
        draw_routines(hv, v, p);
}

/* A hold's dot: larger for a longer hold, at most a day column wide. */
static int dot_size(const struct rs_historyview *hv, struct rs_rect plot, const struct rs_histview *v,
                    float seconds)
{
    int s = hv->pad / 2 + (int)(seconds / 6.0f), col = plot.w / span_days(v);
    if (s > hv->pad * 2)
        s = hv->pad * 2;
    if (s > col)
        s = col;
    return s < 3 ? 3 : s;
}

/* One calf over the days: bands where holds cluster, a dot per hold. */
static void draw_map(struct rs_historyview *hv, const struct rs_histview *v, int k, struct rs_rect box)
{
    struct rs_rect head = rs_rect_rows(box, 0.0f, 0.07f), m = rs_rect_rows(box, 0.08f, 1.0f);
    struct rs_rect axis = rs_rect_cols(m, 0.0f, 0.14f), plot = rs_rect_cols(m, 0.15f, 1.0f);
    hv->geom.map[k] = plot;
    rs_text_fit(&hv->text, head, head.h, RS_AL_CENTRE, leg_rgb(k),
                k ? "RIGHT CALF, CM" : "LEFT CALF, CM", NULL);
    char b[32];
    snprintf(b, sizeof b, "%.0f", v->calf_cm);
    rs_text_fit(&hv->text, rs_rect_rows(axis, 0.0f, 0.07f), axis.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), b,
                NULL);
    rs_text_fit(&hv->text, rs_rect_rows(axis, 0.93f, 1.0f), axis.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
                "0", NULL);
    fill(hv, plot, rs_colour(RS_C_PANEL));
    for (int i = 0; i < v->nbands; i++) {
        if (v->band[i].leg != k)
            continue;
        int y0 = rs_historyview_pos_y(plot, v, v->band[i].pos_cm + 2.0f);
        int y1 = rs_historyview_pos_y(plot, v, v->band[i].pos_cm - 2.0f);
        fill(hv, (struct rs_rect){ plot.x, y0, plot.w, y1 - y0 + 1 }, rs_colour(RS_C_TRACK));
    }
    for (int i = 0; i < v->ndots; i++) {
        const struct rs_hist_dot *d = &v->dot[i];
        if (d->leg != k || d->day < v->first_day)
            continue;
        int s = dot_size(hv, plot, v, d->seconds);
        int x = rs_historyview_day_x(plot, v, d->day), y = rs_historyview_pos_y(plot, v, d->pos_cm);
        fill(hv, (struct rs_rect){ x - s / 2, y - s / 2, s, s }, leg_rgb(k));
        hv->geom.ndots++;
    }
}

/* The recurring spots, one sentence a line, in the leg's colour. */
static void draw_spots(struct rs_historyview *hv, const struct rs_histview *v, struct rs_rect box)
{
    struct rs_historyview_geom *g = &hv->geom;
    g->spots = box;
    struct rs_rect lab = rs_rect_cols(box, 0.0f, 0.13f), body = rs_rect_cols(box, 0.14f, 1.0f);
    rs_text_fit(&hv->text, rs_rect_rows(lab, 0.0f, 0.34f), box.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
                "RECURRING", NULL);
    int n = v->nspots < 3 ? v->nspots : 3, lines = n > 0 ? n : 1;
    char none[96];
    for (int i = 0; i < lines; i++) {
        struct rs_rect lb = rs_rect_rows(body, (float)i / 3.0f, (float)(i + 1) / 3.0f);
        const char *s = n ? v->spot[i].text : none;
        if (!n)
            snprintf(none, sizeof none, "no spot held in 2 or more of the last %d sessions",
                     v->window > 0 ? v->window : 5);
        if (n) /* the leg's mark before the sentence */
            fill(hv, (struct rs_rect){ lb.x, lb.y + lb.h / 4, hv->pad / 2, lb.h / 2 },
                 leg_rgb(v->spot[i].leg));
        int step = rs_text_fit(&hv->text, (struct rs_rect){ lb.x + hv->pad, lb.y, lb.w - hv->pad, lb.h },
                               lb.h, RS_AL_LEFT, rs_colour(n ? RS_C_TEXT : RS_C_TEXT_DIM), s, NULL);
        if (n && step >= 0 && rs_text_px(step) > g->spot_px)
            g->spot_px = rs_text_px(step);
    }
}

static void date_of(int32_t day, char *buf, size_t cap)
{
    time_t t = (time_t)day * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, cap, "%Y-%m-%d", &tm);
}

/* The first and last day of the span under the charts. */
static void draw_axis(struct rs_historyview *hv, const struct rs_histview *v, struct rs_rect box)
{
    char a[16], b[16];
    date_of(v->first_day, a, sizeof a);
    date_of(v->last_day, b, sizeof b);
    rs_text_fit(&hv->text, rs_rect_cols(box, 0.0f, 0.49f), box.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), a,
                NULL);
    rs_text_fit(&hv->text, rs_rect_cols(box, 0.51f, 1.0f), box.h, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM), b,
                NULL);
}

static void draw_title(struct rs_historyview *hv, const struct rs_histview *v, struct rs_rect box)
{
    char b[160];
    hv->geom.title = box;
    int n = span_days(v);
    if (v->sessions == 0)
        snprintf(b, sizeof b, "HISTORY  no sessions recorded yet");
    else
        snprintf(b, sizeof b, "HISTORY  last %d day%s: %d session%s on %d day%s%s", n, n == 1 ? "" : "s",
                 v->sessions, v->sessions == 1 ? "" : "s", v->ndays, v->ndays == 1 ? "" : "s",
                 v->uncalibrated ? "  (some not calibrated)" : "");
    rs_text_fit(&hv->text, box, box.h, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);
}

void rs_historyview_draw(struct rs_historyview *hv, const struct rs_histview *v, int w, int h,
                         float scale)
{
    struct rs_historyview_geom *g = &hv->geom;
    memset(g, 0, sizeof *g);
    rs_text_log_reset(&hv->text);
    float sc = scale > 0 ? scale : 1.0f;
    hv->text.min_px = (int)lroundf(10.0f * sc);
    hv->pad = (int)lroundf(8.0f * sc);
    if (hv->pad < h / 80)
        hv->pad = h / 80;
    SDL_SetRenderDrawBlendMode(hv->ren, SDL_BLENDMODE_NONE);
    struct rs_rgb bg = rs_colour(RS_C_BG);
    SDL_SetRenderDrawColor(hv->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(hv->ren);
    struct rs_rect all = rs_rect_inset((struct rs_rect){ 0, 0, w, h }, hv->pad);
    rs_text_set_panel(&hv->text, -1, all);
    draw_title(hv, v, rs_rect_rows(all, 0.0f, 0.07f));
    struct rs_rect left = rs_rect_cols(rs_rect_rows(all, 0.09f, 0.80f), 0.0f, 0.56f);
    struct rs_rect right = rs_rect_cols(rs_rect_rows(all, 0.09f, 0.80f), 0.59f, 1.0f);
    for (int c = 0; c < 3; c++)
        draw_chart(hv, v, c, rs_rect_inset(rs_rect_rows(left, c * 0.31f, c * 0.31f + 0.29f), hv->pad / 4));
    draw_axis(hv, v, rs_rect_rows(left, 0.93f, 1.0f));
    SDL_Rect clip = { right.x, right.y, right.w, right.h };
    SDL_RenderSetClipRect(hv->ren, &clip);
    draw_map(hv, v, 0, rs_rect_cols(right, 0.0f, 0.48f));
    draw_map(hv, v, 1, rs_rect_cols(right, 0.52f, 1.0f));
    SDL_RenderSetClipRect(hv->ren, NULL);
    fill(hv, rs_rect_rows(all, 0.815f, 0.82f), rs_colour(RS_C_GRID));
    draw_spots(hv, v, rs_rect_rows(all, 0.83f, 0.96f));
    g->footer = rs_rect_rows(all, 0.965f, 1.0f);
    rs_text_fit(&hv->text, g->footer, g->footer.h, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM),
                "DOTS: HOLDS BY DAY, CM ABOVE THE ACHILLES   BANDS: CLUSTERS   YELLOW: ROUTINE DONE",
                NULL);
    g->ntext = hv->text.nlog;
    g->text = hv->text.log;
}

static int font_or_default(const char *font_path, char *buf, size_t cap, char *err, size_t errcap)
{
    if (font_path) {
        snprintf(buf, cap, "%s", font_path);
        return 0;
    }
    if (rs_font_find(buf, cap, NULL) != 0) {
        snprintf(err, errcap, "%s", RS_FONT_HELP);
        return -1;
    }
    return 0;
}

int rs_historyview_png(const struct rs_histview *v, int w, int h, const char *font_path,
                       const char *path, char *err, size_t errcap)
{
    char font[1024];
    if (font_or_default(font_path, font, sizeof font, err, errcap) != 0)
        return -1;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *ren = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    struct rs_historyview *hv = NULL;
    int rc = -1;
    if (!ren)
        snprintf(err, errcap, "cannot draw offscreen: %s", SDL_GetError());
    else if (rs_historyview_create(&hv, ren, font, err, errcap) == 0) {
        rs_historyview_draw(hv, v, w, h, 1.0f);
        SDL_RenderPresent(ren);
        rc = rs_file_make_private(path) == 0 ? IMG_SavePNG(s, path) : -1;
        if (rc != 0)
            snprintf(err, errcap, "cannot write '%s': %s", path, SDL_GetError());
    }
    rs_historyview_destroy(hv);
    if (ren)
        SDL_DestroyRenderer(ren);
    SDL_FreeSurface(s);
    if (TTF_WasInit())
        TTF_Quit();
    return rc;
}

/* Whether anybody can see the window and close it: not with SDL's
 * offscreen or dummy video drivers (tests, headless machines), where it is
 * drawn once and not waited for, as the end screen does. */
static bool someone_looks(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return !d || (strcmp(d, "offscreen") != 0 && strcmp(d, "dummy") != 0);
}

/* Redraw on every event that may need it; until q, Esc or close. */
static void window_loop(SDL_Window *win, SDL_Renderer *ren, struct rs_historyview *hv,
                        const struct rs_histview *v)
{
    for (bool dirty = true, first = true;; first = false) {
        if (!first && !someone_looks())
            return;
        if (dirty) {
            int pw, ph, ww, wh;
            SDL_GetRendererOutputSize(ren, &pw, &ph);
            SDL_GetWindowSize(win, &ww, &wh);
            rs_historyview_draw(hv, v, pw, ph, ww > 0 ? (float)pw / (float)ww : 1.0f);
            SDL_RenderPresent(ren);
            dirty = false;
        }
        SDL_Event e;
        if (!SDL_WaitEvent(&e))
            return;
        if (e.type == SDL_QUIT ||
            (e.type == SDL_KEYDOWN && (e.key.keysym.sym == SDLK_q || e.key.keysym.sym == SDLK_ESCAPE)))
            return;
        if (e.type == SDL_WINDOWEVENT)
            dirty = true;
    }
}

int rs_historyview_window(const struct rs_histview *v, int w, int h, const char *font_path,
                          char *err, size_t errcap)
{
    char font[1024];
    if (font_or_default(font_path, font, sizeof font, err, errcap) != 0)
        return -1;
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errcap, "cannot open a window: %s (use -o PNG or --json without a display)",
                 SDL_GetError());
        return -1;
    }
    SDL_Window *win = SDL_CreateWindow("rollsense history", SDL_WINDOWPOS_CENTERED,
                                       SDL_WINDOWPOS_CENTERED, w, h,
                                       SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    /* A static picture: the software renderer draws it at once and never
     * loads a GL rasteriser where there is no GPU. */
    SDL_Renderer *ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    struct rs_historyview *hv = NULL;
    int rc = -1;
    if (!ren)
        snprintf(err, errcap, "cannot open a window: %s", SDL_GetError());
    else if (rs_historyview_create(&hv, ren, font, err, errcap) == 0) {
        window_loop(win, ren, hv, v);
        rc = 0;
    }
    rs_historyview_destroy(hv);
    if (ren)
        SDL_DestroyRenderer(ren);
    if (win)
        SDL_DestroyWindow(win);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    return rc;
}
