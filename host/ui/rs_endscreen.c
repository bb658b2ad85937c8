/* rs_endscreen.c - the end-of-session screen (see rs_endscreen.h). */
#include "rs_endscreen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_calfmap.h"
#include "rs_palette.h"
#include "rs_render.h"

struct rs_endscreen {
    SDL_Renderer *ren;
    struct rs_text text;
    struct rs_endscreen_geom geom;
    struct rs_calfmap_cell cells[RS_CALFMAP_CELLS];
};

int rs_endscreen_create(struct rs_endscreen **out, SDL_Renderer *ren, const char *font_path,
                        char *err, size_t errcap)
{
    *out = NULL;
    struct rs_endscreen *es = calloc(1, sizeof *es);
    if (!es) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    es->ren = ren;
    if (rs_text_init(&es->text, ren, font_path, err, errcap) != 0) {
        free(es);
        return -1;
    }
    *out = es;
    return 0;
}

void rs_endscreen_destroy(struct rs_endscreen *es)
{
    if (!es)
        return;
    rs_text_free(&es->text);
    free(es);
}

const struct rs_endscreen_geom *rs_endscreen_geometry(const struct rs_endscreen *es)
{
    return &es->geom;
}

static void fill(struct rs_endscreen *es, struct rs_rect x, struct rs_rgb c)
{
    if (x.w <= 0 || x.h <= 0)
        return;
    SDL_SetRenderDrawColor(es->ren, c.r, c.g, c.b, 255);
    SDL_Rect s = { x.x, x.y, x.w, x.h };
    SDL_RenderFillRect(es->ren, &s);
}


static int px_of(int k)
{
    return k >= 0 ? rs_text_px(k) : 0;
}

/* One leg: a heading in the leg colour, the hold count, then one line per
 * listed hold ("25 s at 12 cm"), all lines at one size. */
static void draw_leg(struct rs_endscreen *es, const struct rs_endview *e, int k, struct rs_rect box,
                     int pad)
{
    struct rs_endscreen_geom *g = &es->geom;
    enum rs_view_leg leg = k == 0 ? RS_VLEG_LEFT : RS_VLEG_RIGHT;
    struct rs_rgb lc = rs_leg_colour(leg);
    char b[64], tm[16];
    g->leg[k] = box;
    struct rs_rect head = rs_rect_rows(box, 0.0f, 0.17f);
    g->leg_head[k] = head;
    fill(es, head, lc);
    rs_view_mmss(tm, sizeof tm, e->calf_time_s[k]);
    snprintf(b, sizeof b, "%s  %s", k == 0 ? "LEFT" : "RIGHT", tm);
    rs_text_fit(&es->text, rs_rect_inset(head, pad / 2), head.h, RS_AL_CENTRE, rs_on_colour(lc), b, NULL);
    snprintf(b, sizeof b, "%u HOLD%s", e->holds[k], e->holds[k] == 1 ? "" : "S");
    rs_text_fit(&es->text, rs_rect_rows(box, 0.19f, 0.30f), box.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), b,
                NULL);
    struct rs_rect list = rs_rect_rows(box, 0.31f, 1.0f);
    int n = e->nlisted[k], shown = n < 6 ? 6 : n;
    int lh = list.h / shown, maxpx = (int)(lh * 0.92f);
    for (int i = 0; i < n; i++) {
        const struct rs_end_hold *h = &e->hold[k][i];
        snprintf(b, sizeof b, "%.0f s at %.0f cm%s", rs_view_nz(h->seconds, 0),
                 rs_view_nz(h->pos_cm, 0), h->running ? " (running)" : "");
        struct rs_rect lb = { list.x, list.y + i * lh, list.w, lh };
        int step = rs_text_fit(&es->text, lb, maxpx, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);
        if (px_of(step) > g->hold_px)
            g->hold_px = px_of(step);
    }
    if (n == 0)
        rs_text_fit(&es->text, (struct rs_rect){ list.x, list.y, list.w, lh }, maxpx, RS_AL_LEFT,
                    rs_colour(RS_C_TEXT_DIM), "no holds", NULL);
}

/* Legend: the time scale (dim to bright), the pressure bands, the hold square. */
static void draw_legend(struct rs_endscreen *es, struct rs_rect box, int pad)
{
    es->geom.legend = box;
    struct rs_calfmap_label lab[3];
    int n = rs_calfmap_legend(box, pad, es->cells, lab);
    for (int i = 0; i < n; i++)
        fill(es, es->cells[i].r, es->cells[i].c);
    for (int i = 0; i < 3; i++)
        rs_text_fit(&es->text, lab[i].r, lab[i].r.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
                    lab[i].text, NULL);
}

/* The two calf maps on one brightness scale, labelled L and R. */
static void draw_maps(struct rs_endscreen *es, const struct rs_endview *e, struct rs_rect box)
{
    float tmax = rs_calfmap_scale(&e->view);
    for (int k = 0; k < 2; k++) {
        struct rs_rect c = rs_rect_cols(box, k ? 0.55f : 0.05f, k ? 0.95f : 0.45f);
        struct rs_rect lab = rs_rect_rows(c, 0.0f, 0.1f), m = rs_rect_rows(c, 0.12f, 1.0f);
        rs_text_fit(&es->text, lab, lab.h, RS_AL_CENTRE,
                    rs_leg_colour(k ? RS_VLEG_RIGHT : RS_VLEG_LEFT), k ? "R" : "L", NULL);
        es->geom.map[k] = m;
        fill(es, m, rs_colour(RS_C_BG));
        int n = rs_calfmap_cells(&e->view, k, m, tmax, es->cells);
        for (int i = 0; i < n; i++)
            fill(es, es->cells[i].r, es->cells[i].c);
    }
}

/* Advice for tomorrow: a label column, then each line wrapped, large. */
static void draw_advice(struct rs_endscreen *es, const struct rs_endview *e, struct rs_rect box, int h)
{
    struct rs_endscreen_geom *g = &es->geom;
    g->advice = box;
    struct rs_rect lab = rs_rect_cols(box, 0.0f, 0.17f), body = rs_rect_cols(box, 0.18f, 1.0f);
    rs_text_fit(&es->text, rs_rect_rows(lab, 0.0f, 0.3f), box.h, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
                "TOMORROW", NULL);
    int n = e->nadvice > 0 ? e->nadvice : 1;
    for (int i = 0; i < e->nadvice; i++) {
        struct rs_rect lb = rs_rect_rows(body, (float)i / (float)n, (float)(i + 1) / (float)n);
        int step = rs_text_wrap(&es->text, lb, (int)(h * 0.056f), RS_AL_LEFT,
                                rs_colour(RS_C_YELLOW), e->advice[i]);
        if (px_of(step) > g->advice_px)
            g->advice_px = px_of(step);
    }
}

/* A spot held today that keeps coming back: a label, a bar in the leg's
 * colour, the sentence (data, no advice). */
static void draw_spot(struct rs_endscreen *es, const struct rs_endview *e, struct rs_rect box, int h)
{
    struct rs_endscreen_geom *g = &es->geom;
    g->spot = box;
    struct rs_rect lab = rs_rect_cols(box, 0.0f, 0.17f), bar = rs_rect_cols(box, 0.18f, 0.19f);
    struct rs_rect body = rs_rect_cols(box, 0.20f, 1.0f);
    rs_text_wrap(&es->text, lab, box.h / 2, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), "KEEPS COMING BACK");
    bool right = strncmp(e->spot, "right", 5) == 0;
    fill(es, bar, rs_leg_colour(right ? RS_VLEG_RIGHT : RS_VLEG_LEFT));
    int step = rs_text_wrap(&es->text, body, (int)(h * 0.05f), RS_AL_LEFT, rs_colour(RS_C_TEXT),
                            e->spot);
    g->spot_px = px_of(step);
}

static void draw_footer(struct rs_endscreen *es, const struct rs_endview *e, struct rs_rect box)
{
    es->geom.footer = box;
    char b[RS_END_FILE_MAX + 16];
    const char *slash = strrchr(e->file, '/');
    if (e->file[0])
        snprintf(b, sizeof b, "SAVED: %s", slash ? slash + 1 : e->file);
    else
        snprintf(b, sizeof b, "NOT RECORDED");
    rs_text_fit(&es->text, rs_rect_cols(box, 0.0f, 0.64f), box.h * 6 / 10, RS_AL_LEFT,
                rs_colour(RS_C_TEXT_DIM), b, NULL);
    rs_text_fit(&es->text, rs_rect_cols(box, 0.66f, 1.0f), box.h * 6 / 10, RS_AL_RIGHT, rs_colour(RS_C_TEXT),
                "PRESS ANY KEY TO CLOSE", NULL);
}

void rs_endscreen_draw(struct rs_endscreen *es, const struct rs_endview *e, int w, int h, float scale)
{
    struct rs_endscreen_geom *g = &es->geom;
    memset(g, 0, sizeof *g);
    rs_text_log_reset(&es->text);
    es->text.min_px = (int)lroundf(10.0f * (scale > 0 ? scale : 1.0f));
    int pad = (int)lroundf(8.0f * (scale > 0 ? scale : 1.0f));
    if (pad < h / 80)
        pad = h / 80;
    SDL_SetRenderDrawBlendMode(es->ren, SDL_BLENDMODE_NONE);
    struct rs_rgb bg = rs_colour(RS_C_BG);
    SDL_SetRenderDrawColor(es->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(es->ren);
    struct rs_rect all = rs_rect_inset((struct rs_rect){ 0, 0, w, h }, pad);
    rs_text_set_panel(&es->text, -1, all);

    char b[64], tm[16];
    rs_view_mmss(tm, sizeof tm, e->duration_s);
    snprintf(b, sizeof b, "SESSION DONE  %s%s", tm, e->view.calibrated ? "" : "  (NOT CALIBRATED)");
    g->title = rs_rect_rows(all, 0.0f, 0.10f);
    rs_text_fit(&es->text, g->title, g->title.h, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);

    struct rs_rect body = rs_rect_rows(all, 0.12f, 0.60f);
    struct rs_rect legs = rs_rect_cols(body, 0.0f, 0.60f), right = rs_rect_cols(body, 0.63f, 1.0f);
    draw_leg(es, e, 0, rs_rect_inset(rs_rect_cols(legs, 0.0f, 0.5f), pad / 2), pad);
    draw_leg(es, e, 1, rs_rect_inset(rs_rect_cols(legs, 0.5f, 1.0f), pad / 2), pad);
    draw_maps(es, e, rs_rect_rows(right, 0.0f, 0.84f));
    draw_legend(es, rs_rect_rows(right, 0.87f, 1.0f), pad);
    fill(es, rs_rect_rows(all, 0.615f, 0.62f), rs_colour(RS_C_GRID));
    if (e->spot[0]) {
        draw_spot(es, e, rs_rect_rows(all, 0.635f, 0.72f), h);
        draw_advice(es, e, rs_rect_rows(all, 0.735f, 0.90f), h);
    } else {
        draw_advice(es, e, rs_rect_rows(all, 0.64f, 0.90f), h);
    }
    draw_footer(es, e, rs_rect_rows(all, 0.92f, 1.0f));
    g->ntext = es->text.nlog;
    g->text = es->text.log;
}
