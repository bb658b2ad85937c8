/*
 * rs_report_draw.c - drawing the report with SDL2 software surfaces and
 * SDL2_ttf. Everything is drawn with FillRect and single pixels, so it needs
 * no renderer, no window and no video driver.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "rs_report.h"
#include "rs_file.h"

const struct rs_report_rect rs_report_force_rect = { 90, 70, 1070, 280 };
const struct rs_report_rect rs_report_speed_rect = { 90, 400, 1070, 180 };
const struct rs_report_rect rs_report_map_rect[2] = { { 150, 660, 1010, 60 },
                                                       { 150, 740, 1010, 60 } };

int rs_report_x(const struct rs_report_data *d, double t_s)
{
    const struct rs_report_rect *r = &rs_report_force_rect;
    double span = d->duration_s > 0 ? d->duration_s : 1;
    double f = t_s / span;
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    return r->x + (int)lround(f * (r->w - 1));
}

struct canvas {
    SDL_Surface *s;
    TTF_Font *big, *small;
};

static void fill(struct canvas *c, int x, int y, int w, int h, uint32_t rgb)
{
    SDL_Rect r = { x, y, w, h };
    SDL_FillRect(c->s, &r, SDL_MapRGB(c->s->format, rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff));
}

static void dot(struct canvas *c, int x, int y, uint32_t rgb, const struct rs_report_rect *clip)
{
    if (x < clip->x || y < clip->y || x >= clip->x + clip->w || y >= clip->y + clip->h)
        return;
    fill(c, x, y, 2, 2, rgb);
}

/* Bresenham line, 2 px wide, clipped to a plot. */
static void line(struct canvas *c, int x0, int y0, int x1, int y1, uint32_t rgb,
                 const struct rs_report_rect *clip)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (int guard = 0; guard < 10000; guard++) {
        dot(c, x0, y0, rgb, clip);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) { e += dy; x0 += sx; }
        if (e2 <= dx) { e += dx; y0 += sy; }
    }
}

static void text(struct canvas *c, TTF_Font *f, int x, int y, const char *s, uint32_t rgb,
                 int align_right)
{
    if (!f || !s || !*s)
        return;
    SDL_Color col = { rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff, 255 };
    SDL_Surface *t = TTF_RenderUTF8_Blended(f, s, col);
    if (!t)
        return;
    SDL_Rect r = { align_right ? x - t->w : x, y, t->w, t->h };
    SDL_BlitSurface(t, NULL, c->s, &r);
    SDL_FreeSurface(t);
}

/* A "nice" axis maximum and step for values up to v. */
static double nice_max(double v, double *step)
{
    if (!(v > 0) || !isfinite(v))
        v = 1;
    double mag = pow(10, floor(log10(v)));
    double m = v / mag;
    double top = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
    *step = top * mag / (top == 1 || top == 10 ? 5 : top == 2 ? 4 : 5);
    return top * mag;
}

static void plot(struct canvas *c, const struct rs_report_data *d, const struct rs_report_rect *r,
                 const double *v, uint32_t rgb, const char *label)
{
    fill(c, r->x, r->y, r->w, r->h, RS_REPORT_PLOT_BG);
    for (size_t i = 0; i < d->nholds; i++) {
        int x0 = rs_report_x(d, d->holds[i].start_s), x1 = rs_report_x(d, d->holds[i].end_s);
        fill(c, x0, r->y, x1 - x0 + 1, r->h,
             d->holds[i].leg == RS_REPORT_RIGHT ? RS_REPORT_HOLD_RIGHT : RS_REPORT_HOLD_LEFT);
    }
    double vmax = 0;
    for (size_t i = 0; i < d->n; i++)
        if (isfinite(v[i]) && v[i] > vmax)
            vmax = v[i];
    double step, top = nice_max(vmax * 1.05, &step);
    char buf[32];
    for (double g = 0; g <= top + step / 2; g += step) {
        int y = r->y + r->h - 1 - (int)lround(g / top * (r->h - 1));
        fill(c, r->x, y, r->w, 1, 0xDDDDDD);
        snprintf(buf, sizeof buf, "%g", g);
        text(c, c->small, r->x - 6, y - 8, buf, 0x444444, 1);
    }
    text(c, c->small, r->x, r->y - 22, label, 0x222222, 0);
    int px = -1, py = -1;
    for (size_t i = 0; i < d->n; i++) {
        if (!isfinite(v[i])) {
            px = -1; /* a gap stays a gap */
            continue;
        }
        double f = v[i] < 0 ? 0 : v[i] / top;
        int x = rs_report_x(d, d->t_s[i]);
        int y = r->y + r->h - 2 - (int)lround(f * (r->h - 2));
        if (px >= 0)
            line(c, px, py, x, y, rgb, r);
        else
            dot(c, x, y, rgb, r);
        px = x;
        py = y;
    }
    /* time axis: a round step from a fixed list, labels s, m:ss or h:mm:ss */
    static const double steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
                                     3600, 7200, 10800, 21600, 43200, 86400 };
    double tstep = steps[sizeof steps / sizeof steps[0] - 1];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (d->duration_s / steps[i] <= 10) {
            tstep = steps[i];
            break;
        }
    for (int k = 0; k <= 20 && k * tstep <= d->duration_s + 1e-9; k++) {
        double t = k * tstep;
        int x = rs_report_x(d, t);
        long ts = (long)t;
        fill(c, x, r->y + r->h, 1, 5, 0x444444);
        if (d->duration_s >= 3600)
            snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", ts / 3600, ts / 60 % 60, ts % 60);
        else if (d->duration_s >= 120)
            snprintf(buf, sizeof buf, "%ld:%02ld", ts / 60, ts % 60);
        else
            snprintf(buf, sizeof buf, "%ld s", ts);
        text(c, c->small, x - 10, r->y + r->h + 6, buf, 0x444444, 0);
    }
}

/* White (nothing) to deep red (the most force on that calf). */
static uint32_t heat(double f)
{
    if (!(f > 0))
        return 0xFFFFFF;
    if (f > 1)
        f = 1;
    int r = 255 - (int)(f * 75), g = 235 - (int)(f * 205), b = 225 - (int)(f * 195);
    return (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
}

static void calf_map(struct canvas *c, const struct rs_report_data *d)
{
    double vmax = 0;
    for (int l = 0; l < 2; l++)
        for (int b = 0; b < RS_REPORT_BINS; b++)
            if (isfinite(d->calf_map[l][b]) && d->calf_map[l][b] > vmax)
                vmax = d->calf_map[l][b];
    text(c, c->small, rs_report_map_rect[0].x, rs_report_map_rect[0].y - 40,
         "Calf map: force x time on each spot, ankle to knee", 0x222222, 0);
    for (int l = 0; l < 2; l++) {
        const struct rs_report_rect *r = &rs_report_map_rect[l];
        fill(c, r->x - 1, r->y - 1, r->w + 2, r->h + 2, 0x888888);
        for (int b = 0; b < RS_REPORT_BINS; b++) {
            int x0 = r->x + b * r->w / RS_REPORT_BINS, x1 = r->x + (b + 1) * r->w / RS_REPORT_BINS;
            double v = d->calf_map[l][b];
            fill(c, x0, r->y, x1 - x0, r->h, heat(vmax > 0 && isfinite(v) ? v / vmax : 0));
            fill(c, x0, r->y, 1, r->h, 0xE0E0E0);
        }
        text(c, c->big, r->x - 12, r->y + 14, l ? "right" : "left", 0x222222, 1);
    }
    const struct rs_report_rect *r = &rs_report_map_rect[1];
    text(c, c->small, r->x, r->y + r->h + 4, "ankle", 0x444444, 0);
    text(c, c->small, r->x + r->w, r->y + r->h + 4, "knee", 0x444444, 1);
    char buf[64];
    snprintf(buf, sizeof buf, "darkest = %.0f N s", vmax);
    text(c, c->small, r->x + r->w / 2 - 50, r->y + r->h + 4, buf, 0x444444, 0);
}

/* The guided routine's steps over the force plot: a line at each step's
 * end, its name, leg and count at the top of its span; the outcome by the
 * legend. */
static void routine_steps(struct canvas *c, const struct rs_report_data *d)
{
    static const char *const names[] = { "warm-up", "spots", "knee straight", "knee bent" };
    const struct rs_report_rect *r = &rs_report_force_rect;
    for (int i = 0; i < d->nsteps; i++) {
        const struct rs_report_step *s = &d->steps[i];
        int x0 = rs_report_x(d, s->end_s - s->actual_s), x1 = rs_report_x(d, s->end_s);
        line(c, x1, r->y, x1, r->y + r->h - 1, 0x999999, r);
        char lab[48], cnt[16] = "";
        if (s->kind == 1)
            snprintf(cnt, sizeof cnt, " %d", s->count);
        else if (s->kind >= 2)
            snprintf(cnt, sizeof cnt, " %dx", s->count);
        snprintf(lab, sizeof lab, "%s %s%s%s", s->kind >= 0 && s->kind < 4 ? names[s->kind] : "?",
                 s->leg == RS_REPORT_RIGHT ? "R" : "L", cnt, s->skipped ? " skipped" : "");
        text(c, c->small, x0 + 3, r->y + 2 + (i % 2) * 16, lab, 0x333333, 0);
    }
    if (d->routine_done >= 0) {
        char out[96];
        snprintf(out, sizeof out, "routine: %d of %d steps done, %s", d->routine_steps_done,
                 d->nsteps, d->routine_done ? "completed" : "ended early");
        text(c, c->small, RS_REPORT_WIDTH - 20, 40, out, 0x444444, 1);
    }
}

SDL_Surface *rs_report_draw(const struct rs_report_data *d, const char *font_path, char *err,
                            size_t errcap)
{
    struct canvas c = { 0 };
    c.s = SDL_CreateRGBSurfaceWithFormat(0, RS_REPORT_WIDTH, RS_REPORT_HEIGHT, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!c.s) {
        snprintf(err, errcap, "cannot create the picture: %s", SDL_GetError());
        return NULL;
    }
    char fbuf[512];
    if (!font_path)
        font_path = rs_report_find_font(fbuf, sizeof fbuf);
    bool ttf = font_path && (TTF_WasInit() || TTF_Init() == 0);
    if (ttf) {
        c.big = TTF_OpenFont(font_path, 22);
        c.small = TTF_OpenFont(font_path, 14);
    }
    fill(&c, 0, 0, RS_REPORT_WIDTH, RS_REPORT_HEIGHT, RS_REPORT_BG);
    text(&c, c.big, 20, 18, d->title, 0x111111, 0);
    plot(&c, d, &rs_report_force_rect, d->force_n, RS_REPORT_FORCE, "Force (N)");
    plot(&c, d, &rs_report_speed_rect, d->speed_cm_s, RS_REPORT_SPEED, "Rolling speed (cm/s)");
    char legend[96];
    snprintf(legend, sizeof legend, "%zu hold%s shaded: blue left leg, orange right leg",
             d->nholds, d->nholds == 1 ? "" : "s");
    text(&c, c.small, RS_REPORT_WIDTH - 20, 22, legend, 0x444444, 1);
    routine_steps(&c, d);
    calf_map(&c, d);
    text(&c, c.small, 20, RS_REPORT_HEIGHT - 22, d->note, 0x666666, 0);
    if (c.big)
        TTF_CloseFont(c.big);
    if (c.small)
        TTF_CloseFont(c.small);
    return c.s;
}

int rs_report_save_png(const struct rs_report_data *d, const char *font_path, const char *png,
                       char *err, size_t errcap)
{
    SDL_Surface *s = rs_report_draw(d, font_path, err, errcap);
    if (!s)
        return -1;
    int rc = rs_file_make_private(png) == 0 ? IMG_SavePNG(s, png) : -1;
    SDL_FreeSurface(s);
    if (rc != 0) {
        snprintf(err, errcap, "cannot write '%s': %s", png, IMG_GetError());
        return -1;
    }
    return 0;
}

const char *rs_report_find_font(char *buf, size_t cap)
{
    static const char fallback[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    struct stat st;
    FILE *p = popen("fc-match -f '%{file}' sans-serif 2>/dev/null", "r");
    if (p) {
        size_t n = fread(buf, 1, cap - 1, p);
        buf[n] = '\0';
        pclose(p);
        if (n > 0 && stat(buf, &st) == 0 && S_ISREG(st.st_mode))
            return buf;
    }
    if (stat(fallback, &st) == 0) {
        snprintf(buf, cap, "%s", fallback);
        return buf;
    }
    return NULL;
}
