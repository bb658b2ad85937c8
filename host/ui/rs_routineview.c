/* rs_routineview.c - the guided routine's panel (see rs_routineview.h). */
#include "rs_routineview.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* In a routine the main row keeps this share of the main and lower rows'
 * height (0.54 without a routine): the instruction needs the room. */
#define MAIN_SHARE 0.44f

void rs_routineview_merge(struct rs_layout *l)
{
    struct rs_rect leg = l->panel[RS_P_LEG], map = l->panel[RS_P_MAP];
    int top = l->panel[RS_P_FORCE].y, bottom = leg.y + leg.h;
    int main_h = (int)lroundf((float)(bottom - top - l->pad) * MAIN_SHARE);
    for (int p = RS_P_FORCE; p <= RS_P_SPEED; p++)
        l->panel[p].h = main_h;
    int y = top + main_h + l->pad;
    l->panel[RS_P_CHARTS] = (struct rs_rect){ leg.x, y, map.x + map.w - leg.x, bottom - y };
    l->panel[RS_P_LEG] = l->panel[RS_P_MAP] = (struct rs_rect){ 0, 0, 0, 0 };
}

void rs_routineview_layout(struct rs_rect p, int pad, struct rs_routineview_layout *o)
{
    struct rs_rect in = rs_rect_inset(p, pad);
    int fw = (int)fminf((float)in.h * 1.1f, (float)in.w * 0.24f);
    int cw = (int)lroundf((float)in.w * 0.2f);
    int mx = in.x + fw + pad, mw = in.w - fw - cw - 2 * pad;
    int hh = in.h * 20 / 100, th = in.h * 30 / 100;
    int ch = in.h * 62 / 100;
    o->figure = (struct rs_rect){ in.x, in.y, fw, in.h };
    o->header = (struct rs_rect){ mx, in.y, mw, hh };
    o->title = (struct rs_rect){ mx, in.y + hh, mw, th };
    o->instruction = (struct rs_rect){ mx, in.y + hh + th, mw, in.h - hh - th };
    o->clock = (struct rs_rect){ in.x + in.w - cw, in.y, cw, ch };
    o->marks = (struct rs_rect){ in.x + in.w - cw, in.y + ch, cw, in.h - ch };
    o->header_px = hh * 8 / 10;
    o->title_px = th * 85 / 100;
    o->instruction_px = o->instruction.h * 34 / 100; /* three lines */
    o->clock_px = ch * 9 / 10;
}

void rs_routineview_clock(float remaining_s, char *buf, int cap)
{
    if (!(remaining_s >= 0)) {
        snprintf(buf, (size_t)cap, "%s", "");
        return;
    }
    int s = (int)ceilf(remaining_s - 1e-3f);
    snprintf(buf, (size_t)cap, "%d:%02d", s / 60, s % 60);
}

/* Points of a figure in a unit square, by kind: lines (a, b, ink, width)
 * and discs (centre, ink, radius). */
struct unit_shape {
    bool disc;
    float x0, y0, x1, y1, w;
    int ink;
};

static const struct unit_shape seated[] = { /* calf on the roller, seen from the side */
    { false, 0.02f, 0.92f, 0.98f, 0.92f, 0.02f, RS_RVI_PROP },  /* floor */
    { true, 0.60f, 0.83f, 0, 0, 0.09f, RS_RVI_PROP },           /* roller */
    { false, 0.22f, 0.74f, 0.16f, 0.40f, 0.05f, RS_RVI_BODY },  /* torso */
    { true, 0.14f, 0.29f, 0, 0, 0.07f, RS_RVI_BODY },           /* head */
    { false, 0.16f, 0.42f, 0.06f, 0.90f, 0.035f, RS_RVI_BODY }, /* arm, hand on the floor */
    { false, 0.22f, 0.74f, 0.42f, 0.71f, 0.06f, RS_RVI_LEG },   /* thigh */
    { false, 0.42f, 0.71f, 0.86f, 0.71f, 0.06f, RS_RVI_LEG },   /* calf over the roller */
    { false, 0.86f, 0.71f, 0.90f, 0.60f, 0.045f, RS_RVI_LEG },  /* foot */
};

static const struct unit_shape straight[] = { /* wall stretch, back knee straight */
    { false, 0.02f, 0.92f, 0.98f, 0.92f, 0.02f, RS_RVI_PROP },  /* floor */
    { false, 0.92f, 0.04f, 0.92f, 0.92f, 0.03f, RS_RVI_PROP },  /* wall */
    { false, 0.50f, 0.52f, 0.70f, 0.24f, 0.05f, RS_RVI_BODY },  /* torso, leaning in */
    { true, 0.75f, 0.15f, 0, 0, 0.065f, RS_RVI_BODY },          /* head */
    { false, 0.70f, 0.26f, 0.92f, 0.28f, 0.035f, RS_RVI_BODY }, /* arms to the wall */
    { false, 0.50f, 0.52f, 0.72f, 0.68f, 0.05f, RS_RVI_BODY },  /* front thigh */
    { false, 0.72f, 0.68f, 0.66f, 0.92f, 0.05f, RS_RVI_BODY },  /* front shin */
    { false, 0.50f, 0.52f, 0.18f, 0.90f, 0.06f, RS_RVI_LEG },   /* back leg, straight */
    { false, 0.14f, 0.91f, 0.28f, 0.91f, 0.045f, RS_RVI_LEG },  /* back heel down */
};

static const struct unit_shape bent[] = { /* wall stretch, back knee slightly bent */
    { false, 0.02f, 0.92f, 0.98f, 0.92f, 0.02f, RS_RVI_PROP },
    { false, 0.92f, 0.04f, 0.92f, 0.92f, 0.03f, RS_RVI_PROP },
    { false, 0.50f, 0.58f, 0.68f, 0.30f, 0.05f, RS_RVI_BODY },
    { true, 0.73f, 0.21f, 0, 0, 0.065f, RS_RVI_BODY },
    { false, 0.68f, 0.32f, 0.92f, 0.34f, 0.035f, RS_RVI_BODY },
    { false, 0.50f, 0.58f, 0.72f, 0.72f, 0.05f, RS_RVI_BODY },
    { false, 0.72f, 0.72f, 0.66f, 0.92f, 0.05f, RS_RVI_BODY },
    { false, 0.50f, 0.58f, 0.34f, 0.74f, 0.06f, RS_RVI_LEG },   /* back thigh */
    { false, 0.34f, 0.74f, 0.26f, 0.90f, 0.06f, RS_RVI_LEG },   /* back shin: knee bent */
    { false, 0.20f, 0.91f, 0.34f, 0.91f, 0.045f, RS_RVI_LEG },
};

static const struct unit_shape tick[] = { /* the routine is done */
    { false, 0.18f, 0.55f, 0.42f, 0.78f, 0.09f, RS_RVI_LEG },
    { false, 0.42f, 0.78f, 0.84f, 0.26f, 0.09f, RS_RVI_LEG },
};

int rs_routineview_figure(int kind, int phase, struct rs_rect box, struct rs_rv_shape *out, int max)
{
    (void)phase;
    const struct unit_shape *u = kind == RS_RV_STRAIGHT ? straight
                                 : kind == RS_RV_BENT   ? bent
                                 : kind == RS_RV_DONE   ? tick
                                                        : seated;
    int n = kind == RS_RV_STRAIGHT ? (int)(sizeof straight / sizeof *straight)
            : kind == RS_RV_BENT   ? (int)(sizeof bent / sizeof *bent)
            : kind == RS_RV_DONE   ? (int)(sizeof tick / sizeof *tick)
                                   : (int)(sizeof seated / sizeof *seated);
    /* the unit square centred in box, a margin of its line widths around */
    float side = (float)(box.w < box.h ? box.w : box.h) * 0.92f;
    float ox = (float)box.x + ((float)box.w - side) / 2, oy = (float)box.y + ((float)box.h - side) / 2;
    int k = 0;
    for (int i = 0; i < n && k < max; i++, k++)
        out[k] = (struct rs_rv_shape){
            .disc = u[i].disc, .x0 = ox + u[i].x0 * side, .y0 = oy + u[i].y0 * side,
            .x1 = ox + u[i].x1 * side, .y1 = oy + u[i].y1 * side, .w = u[i].w * side, .ink = u[i].ink,
        };
    return k;
}

static struct rs_rgb leg_ink(int leg)
{
    return rs_colour(leg == RS_VLEG_LEFT ? RS_C_BLUE : leg == RS_VLEG_RIGHT ? RS_C_PURPLE : RS_C_GREEN);
}

/* A line of width w as two triangles. */
static void thick_line(const struct rs_rv_draw *d, const struct rs_rv_shape *s, struct rs_rgb c)
{
    float dx = s->x1 - s->x0, dy = s->y1 - s->y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.5f)
        return;
    float nx = -dy / len * s->w / 2, ny = dx / len * s->w / 2;
    const float a[6] = { s->x0 + nx, s->y0 + ny, s->x1 + nx, s->y1 + ny, s->x1 - nx, s->y1 - ny };
    const float b[6] = { s->x0 + nx, s->y0 + ny, s->x1 - nx, s->y1 - ny, s->x0 - nx, s->y0 - ny };
    d->triangle(d->ctx, a, c);
    d->triangle(d->ctx, b, c);
    /* round joints: the ends as discs */
    d->disc(d->ctx, (int)lroundf(s->x0), (int)lroundf(s->y0), (int)lroundf(s->w / 2), c);
    d->disc(d->ctx, (int)lroundf(s->x1), (int)lroundf(s->y1), (int)lroundf(s->w / 2), c);
}

static void draw_figure(const struct rs_rv_draw *d, struct rs_rect box, const struct rs_view_routine *v)
{
    struct rs_rv_shape sh[RS_RV_SHAPES];
    int n = rs_routineview_figure(v->kind, v->phase, box, sh, RS_RV_SHAPES);
    for (int i = 0; i < n; i++) {
        struct rs_rgb c = sh[i].ink == RS_RVI_LEG    ? leg_ink(v->leg)
                          : sh[i].ink == RS_RVI_BODY ? rs_colour(RS_C_TEXT)
                                                     : rs_colour(RS_C_GREY);
        if (sh[i].disc)
            d->disc(d->ctx, (int)lroundf(sh[i].x0), (int)lroundf(sh[i].y0), (int)lroundf(sh[i].w), c);
        else
            thick_line(d, &sh[i], c);
    }
}

/* Spots ticked off, or repetitions done, as a row of discs and a caption. */
static void draw_marks(const struct rs_rv_draw *d, struct rs_rect m, int px, const struct rs_view_routine *v)
{
    int total = 0, done = 0;
    char cap[48] = "";
    if (v->kind == RS_RV_SPOTS) {
        total = v->spots_max;
        done = v->spots;
        snprintf(cap, sizeof cap, "SPOTS %d OF %d", v->spots, v->spots_max);
    } else if (v->kind == RS_RV_STRAIGHT || v->kind == RS_RV_BENT) {
        total = v->reps;
        done = v->phase == RS_RVP_STRETCH ? v->rep : v->rep - 1;
        snprintf(cap, sizeof cap, "REP %d OF %d", v->rep > v->reps ? v->reps : v->rep, v->reps);
    }
    if (total <= 0)
        return;
    int rad = m.h / 5 < m.w / (3 * total) ? m.h / 5 : m.w / (3 * total);
    int gap = (m.w - 2 * rad * total) / (total + 1);
    for (int i = 0; i < total; i++) {
        int cx = m.x + gap + rad + i * (2 * rad + gap), cy = m.y + m.h / 4;
        d->disc(d->ctx, cx, cy, rad, rs_colour(i < done ? RS_C_GREEN : RS_C_TRACK));
        if (i >= done)
            d->disc(d->ctx, cx, cy, rad * 6 / 10, rs_colour(RS_C_PANEL));
    }
    struct rs_rect cb = { m.x, m.y + m.h / 2, m.w, m.h / 2 };
    d->text(d->ctx, cb, px, 1, rs_colour(RS_C_TEXT), cap);
}

static struct rs_rgb clock_ink(int phase)
{
    return rs_colour(phase == RS_RVP_COUNTDOWN ? RS_C_YELLOW
                     : phase == RS_RVP_STRETCH ? RS_C_GREEN
                     : phase == RS_RVP_REST    ? RS_C_TEXT_DIM
                                               : RS_C_TEXT);
}

void rs_routineview_draw(const struct rs_rv_draw *d, struct rs_rect panel, int pad,
                         const struct rs_view_routine *v)
{
    struct rs_routineview_layout l;
    rs_routineview_layout(panel, pad, &l);
    draw_figure(d, l.figure, v);
    char head[64], title[48], clock[16];
    if (v->kind == RS_RV_DONE)
        snprintf(head, sizeof head, "%d STEPS", v->nsteps);
    else
        snprintf(head, sizeof head, "STEP %d OF %d - %s CALF", v->step + 1, v->nsteps,
                 v->leg == RS_VLEG_LEFT ? "LEFT" : "RIGHT");
    d->text(d->ctx, l.header, l.header_px, 0, v->kind == RS_RV_DONE ? rs_colour(RS_C_TEXT_DIM)
                                                                    : leg_ink(v->leg), head);
    size_t i = 0;
    for (; v->title[i] && i + 1 < sizeof title; i++)
        title[i] = (char)toupper((unsigned char)v->title[i]);
    title[i] = '\0';
    d->text(d->ctx, l.title, l.title_px, 0, rs_colour(RS_C_TEXT), title);
    d->wrap(d->ctx, l.instruction, l.instruction_px, rs_colour(RS_C_TEXT), v->instruction);
    rs_routineview_clock(v->remaining_s, clock, sizeof clock);
    if (v->phase == RS_RVP_WAIT)
        d->text(d->ctx, l.clock, l.header_px, 1, rs_colour(RS_C_YELLOW), "READY?");
    else if (clock[0])
        d->text(d->ctx, l.clock, l.clock_px, 1, clock_ink(v->phase), clock);
    draw_marks(d, l.marks, l.header_px, v);
}
