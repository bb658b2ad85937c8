/*
 * rs_render.c - the live/replay frame (see rs_render.h).
 *
 * Reading from two metres decides the proportions: the force and speed
 * numerals take most of their panel's height, labels stay small, and every
 * colour-coded state is also written in words. Geometry that tests probe
 * is recorded in r->geom as it is drawn.
 */
#include "rs_render.h"

#include "rs_calfmap.h"
#include "rs_routineview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING_SEGMENTS 120
#define RING_STEPS (2 * RING_SEGMENTS)

/*
 * Drawing passes. DRAW issues every operation. HASH issues none: each
 * operation's arguments go into a hash of the panel it belongs to, so two
 * frames whose panel hashes are equal draw that panel identically. MASK
 * issues only the operations of the panels in `mask` (clipped to them).
 * Every operation goes through fill/arc/text/fill_rects/triangle below,
 * which is what makes the hash complete.
 *
 * Layers: a panel whose drawing calls top_layer() has a base layer (the
 * operations before it, or after base_layer(): background, labels,
 * scales, tracks) and a top layer (the values). The base layers are drawn
 * once into a texture (BASE pass, the panels in `mask`) and again only
 * when their own hash (bhash) changes, e.g. on a resize; a MASK pass then
 * copies a layered panel's base from the texture and issues only its top
 * operations. No top operation may overlap a later base operation of its
 * panel, so the pixels are those of drawing everything in order.
 */
enum pass { PASS_DRAW, PASS_HASH, PASS_MASK, PASS_BASE };
#define FRAME_SLOT RS_P_COUNT /* hash slot for what is not one panel */

/* The boxes a panel's top layer drew into, one per operation; past
 * TOP_BOXES the last box grows to hold the rest. */
#define TOP_BOXES 12
struct top_boxes {
    struct rs_rect b[TOP_BOXES];
    int n;
};

struct rs_render {
    SDL_Renderer *ren;
    struct rs_text text;
    struct rs_render_geom geom;
    enum pass pass;
    int cur;                               /* panel of the operations being issued */
    unsigned mask;                         /* PASS_MASK: panels drawn */
    uint64_t hash[RS_P_COUNT + 1], prev[RS_P_COUNT + 1];
    bool have_prev;
    /* Layers (see enum pass): whether operations now are the top layer,
     * the panels that have one (found by the HASH pass), the base layers'
     * hashes, and the texture with the base layers it holds. */
    bool top;
    unsigned layered;
    uint64_t bhash[RS_P_COUNT + 1];
    SDL_Texture *base;
    int base_w, base_h;
    unsigned base_ok;
    uint64_t base_hash[RS_P_COUNT];
    /* Per panel, the boxes of its top layer's operations this frame and
     * the last: only the last frame's are copied back from the base. */
    struct top_boxes top_box[RS_P_COUNT + 1], top_was[RS_P_COUNT + 1];
    uint64_t shown_bhash[RS_P_COUNT]; /* base layer hash of what is on screen */
    /* Fixed scratch for geometry: no allocation per frame. */
    SDL_Vertex vert[2 * (RING_SEGMENTS + 1)];
    int index[6 * RING_SEGMENTS];
    SDL_Rect rects[2 * RS_VIEW_HISTORY_N];
    struct rs_calfmap_cell cells[RS_CALFMAP_CELLS];
};

const char *const rs_safety_note[] = {
    "BEFORE YOU ROLL",
    "Stop and see a doctor or physio if your calf is swollen, warm or red,",
    "or hurts at rest: these can be signs of a blood clot (deep-vein thrombosis).",
    "Pressure should feel comfortably uncomfortable, never sharp.",
    "Stop at once on sharp pain, numbness or tingling.",
    "Never press on the back of the knee.",
    "The session is already running (clock and REC at the top).",
    "Press any key to continue",
    NULL,
};

/* Key and meaning separated by a tab: drawn as two aligned columns. */
static const char *const help_lines[] = {
    "KEYS",
    "SPACE\tmark a spot (live) / pause (replay) / go on (routine)",
    "N\tskip this step of the routine",
    "C\tcalibrate: tare and span wizard (live, demo)",
    "M\tmute or unmute the cues",
    "S\tsave a PNG screenshot",
    "F\tfullscreen on or off",
    "H or ?\tthis help",
    "Q or ESC\tquit",
    "LEFT, RIGHT\tseek 5 s, with SHIFT 30 s (replay)",
    "+ or -\treplay speed",
    ". or ,\tone frame forward or back (replay)",
    "H or ESC closes this help",
    NULL,
};

/* ---- small drawing helpers ---------------------------------------------- */

static void set(SDL_Renderer *ren, struct rs_rgb c, Uint8 a)
{
    SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, a);
}

/* FNV-1a over an operation's arguments, into the current panel's hash
 * (and its base layer's, for a base operation). */
static void mix(struct rs_render *r, const void *p, size_t n)
{
    if (r->pass != PASS_HASH)
        return; /* an operation another pass skips: the hashes are this frame's */
    uint64_t h = r->hash[r->cur], bh = r->bhash[r->cur];
    for (const unsigned char *b = p; n--; b++) {
        h = (h ^ *b) * 1099511628211u;
        bh = (bh ^ *b) * 1099511628211u;
    }
    r->hash[r->cur] = h;
    if (!r->top)
        r->bhash[r->cur] = bh;
}

static bool in_mask(const struct rs_render *r)
{
    return r->cur < 32 && ((r->mask >> r->cur) & 1u);
}

/* True when this operation is to be drawn; otherwise it is hashed (HASH)
 * or skipped (MASK, BASE: another panel or layer). `tag` names the
 * operation kind. */
static bool issue(struct rs_render *r, char tag)
{
    if (r->pass == PASS_DRAW)
        return true;
    if (r->pass == PASS_HASH) {
        mix(r, &tag, 1);
        return false;
    }
    if (!in_mask(r))
        return false;
    if (!((r->layered >> r->cur) & 1u))
        return r->pass == PASS_MASK;
    return r->pass == PASS_MASK ? r->top : !r->top;
}

/* Operations from here on are the panel's top layer / its base layer. */
static void top_layer(struct rs_render *r)
{
    r->top = true;
    if (r->pass == PASS_HASH && r->cur < 32)
        r->layered |= 1u << r->cur;
}

static void base_layer(struct rs_render *r)
{
    r->top = false;
}

/* The smallest rectangle holding a and b (an empty one holds nothing). */
static struct rs_rect rect_union(struct rs_rect a, struct rs_rect b)
{
    if (a.w <= 0 || a.h <= 0)
        return b;
    if (b.w <= 0 || b.h <= 0)
        return a;
    int x0 = a.x < b.x ? a.x : b.x, y0 = a.y < b.y ? a.y : b.y;
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    return (struct rs_rect){ x0, y0, x1 - x0, y1 - y0 };
}

/* The part of a inside b (w 0 when none). */
static struct rs_rect rect_clip(struct rs_rect a, struct rs_rect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    if (x1 <= x0 || y1 <= y0)
        return (struct rs_rect){ 0, 0, 0, 0 };
    return (struct rs_rect){ x0, y0, x1 - x0, y1 - y0 };
}

/* A top-layer operation of the HASH pass draws within x (with a margin). */
static void on_top(struct rs_render *r, int x, int y, int w, int h, int margin)
{
    if (r->pass != PASS_HASH || !r->top || w <= 0 || h <= 0)
        return;
    struct top_boxes *t = &r->top_box[r->cur];
    struct rs_rect box = { x - margin, y - margin, w + 2 * margin, h + 2 * margin };
    if (t->n < TOP_BOXES)
        t->b[t->n++] = box;
    else
        t->b[TOP_BOXES - 1] = rect_union(t->b[TOP_BOXES - 1], box);
}

static void fill(struct rs_render *r, struct rs_rect x, struct rs_rgb c)
{
    if (x.w <= 0 || x.h <= 0)
        return;
    if (!issue(r, 'F')) {
        mix(r, &x, sizeof x);
        mix(r, &c, sizeof c);
        on_top(r, x.x, x.y, x.w, x.h, 0);
        return;
    }
    set(r->ren, c, 255);
    SDL_Rect s = { x.x, x.y, x.w, x.h };
    SDL_RenderFillRect(r->ren, &s);
}

static void outline(struct rs_render *r, struct rs_rect x, int t, struct rs_rgb c)
{
    fill(r, (struct rs_rect){ x.x, x.y, x.w, t }, c);
    fill(r, (struct rs_rect){ x.x, x.y + x.h - t, x.w, t }, c);
    fill(r, (struct rs_rect){ x.x, x.y, t, x.h }, c);
    fill(r, (struct rs_rect){ x.x + x.w - t, x.y, t, x.h }, c);
}

/* Annulus sector from fraction f0 to f1 of a turn, clockwise from 12 o'clock. */
static void arc(struct rs_render *r, int cx, int cy, int ro, int ri, float f0, float f1, struct rs_rgb c)
{
    if (f1 <= f0)
        return;
    if (!issue(r, 'A')) {
        const int ip[] = { cx, cy, ro, ri };
        const float fp[] = { f0, f1 };
        mix(r, ip, sizeof ip);
        mix(r, fp, sizeof fp);
        mix(r, &c, sizeof c);
        on_top(r, cx - ro, cy - ro, 2 * ro, 2 * ro, 2);
        return;
    }
    int n = (int)ceilf((f1 - f0) * RING_SEGMENTS);
    if (n < 1)
        n = 1;
    SDL_Color col = { c.r, c.g, c.b, 255 };
    for (int i = 0; i <= n; i++) {
        float a = (float)(2.0 * M_PI) * (f0 + (f1 - f0) * (float)i / (float)n);
        float s = sinf(a), co = cosf(a);
        r->vert[2 * i] = (SDL_Vertex){ { cx + ro * s, cy - ro * co }, col, { 0, 0 } };
        r->vert[2 * i + 1] = (SDL_Vertex){ { cx + ri * s, cy - ri * co }, col, { 0, 0 } };
    }
    for (int i = 0; i < n; i++) {
        int *ix = &r->index[6 * i];
        ix[0] = 2 * i;
        ix[1] = 2 * i + 1;
        ix[2] = 2 * i + 2;
        ix[3] = 2 * i + 1;
        ix[4] = 2 * i + 3;
        ix[5] = 2 * i + 2;
    }
    SDL_RenderGeometry(r->ren, NULL, r->vert, 2 * (n + 1), r->index, 6 * n);
}

static void disc(struct rs_render *r, int cx, int cy, int rad, struct rs_rgb c)
{
    arc(r, cx, cy, rad, 0, 0.0f, 1.0f, c);
}


/* s fitted into box at most max_px (rs_text_fit), through the passes. */
static int text_px(struct rs_render *r, struct rs_rect box, int max_px, enum rs_align al,
                   struct rs_rgb c, const char *s, struct rs_rect *out)
{
    if (issue(r, 'T')) {
        r->text.no_log = r->pass == PASS_BASE; /* logged when the panel is */
        int k = rs_text_fit(&r->text, box, max_px, al, c, s, out);
        r->text.no_log = false;
        return k;
    }
    /* not drawn: measured all the same, callers place things by it */
    if (r->pass == PASS_HASH) {
        const int ip[] = { box.x, box.y, box.w, box.h, max_px, (int)al };
        mix(r, ip, sizeof ip);
        mix(r, &c, sizeof c);
        mix(r, s, strlen(s) + 1);
    }
    /* a base layer's text in a drawn panel: on screen from the texture */
    bool logged = r->pass == PASS_MASK && in_mask(r);
    r->text.dry = !logged;
    r->text.no_draw = logged;
    struct rs_rect at;
    int k = rs_text_fit(&r->text, box, max_px, al, c, s, &at);
    r->text.dry = r->text.no_draw = false;
    struct rs_rect ink;
    if (k >= 0 && r->pass == PASS_HASH && r->top) {
        if (rs_text_ink(&r->text, k, at.x, at.y, s, &ink))
            on_top(r, ink.x, ink.y, ink.w, ink.h, 0); /* exactly its pixels */
        else /* not drawn yet: glyphs may ink a little beyond their metrics */
            on_top(r, at.x, at.y, at.w, at.h, at.h / 4 + 2);
    }
    if (out)
        *out = at;
    return k;
}

static int text(struct rs_render *r, struct rs_rect box, float size_of_h, enum rs_align al,
                struct rs_rgb c, const char *s, struct rs_rect *out)
{
    return text_px(r, box, (int)(box.h * size_of_h), al, c, s, out);
}

/* s word-wrapped into box (rs_text_wrap) at most max_px, through the passes. */
static void text_wrap(struct rs_render *r, struct rs_rect box, int max_px, struct rs_rgb c,
                      const char *s)
{
    if (issue(r, 'W')) {
        rs_text_wrap(&r->text, box, max_px, RS_AL_CENTRE, c, s);
        return;
    }
    if (r->pass == PASS_HASH) {
        const int ip[] = { box.x, box.y, box.w, box.h, max_px };
        mix(r, ip, sizeof ip);
        mix(r, &c, sizeof c);
        mix(r, s, strlen(s) + 1);
        on_top(r, box.x, box.y, box.w, box.h, max_px / 4 + 2);
    }
}

/* n rectangles in one colour (chart lines). */
static void fill_rects(struct rs_render *r, const SDL_Rect *x, int n, struct rs_rgb c)
{
    if (!issue(r, 'R')) {
        mix(r, x, (size_t)n * sizeof *x);
        mix(r, &c, sizeof c);
        for (int i = 0; i < n; i++)
            on_top(r, x[i].x, x[i].y, x[i].w, x[i].h, 0);
        return;
    }
    /* One call per rectangle: SDL_RenderFillRects allocates a converted
     * copy of the array on every call. */
    set(r->ren, c, 255);
    for (int i = 0; i < n; i++)
        SDL_RenderFillRect(r->ren, &x[i]);
}

/* A filled triangle a, b, c. */
static void triangle(struct rs_render *r, const float xy[6], struct rs_rgb c)
{
    if (!issue(r, 'V')) {
        mix(r, xy, 6 * sizeof *xy);
        mix(r, &c, sizeof c);
        for (int i = 0; i < 3; i++)
            on_top(r, (int)xy[2 * i], (int)xy[2 * i + 1], 1, 1, 2);
        return;
    }
    SDL_Color col = { c.r, c.g, c.b, 255 };
    for (int i = 0; i < 3; i++)
        r->vert[i] = (SDL_Vertex){ { xy[2 * i], xy[2 * i + 1] }, col, { 0, 0 } };
    SDL_RenderGeometry(r->ren, NULL, r->vert, 3, NULL, 0);
}

static void ops_for(struct rs_render *r, int p, struct rs_rect clip);

static void panel_begin(struct rs_render *r, enum rs_panel p)
{
    struct rs_rect x = r->geom.layout.panel[p];
    ops_for(r, p, x);
    rs_text_set_panel(&r->text, p, x);
    fill(r, x, rs_colour(RS_C_PANEL));
}

struct rs_rgb rs_leg_colour(enum rs_view_leg leg)
{
    return rs_colour(leg == RS_VLEG_LEFT ? RS_C_BLUE : leg == RS_VLEG_RIGHT ? RS_C_PURPLE : RS_C_TRACK);
}

struct rs_rgb rs_alert_colour(enum rs_alert a)
{
    switch (a) {
    case RS_AL_SLOW_DOWN:
    case RS_AL_OVERLOAD:
    case RS_AL_RELEASE:
    case RS_AL_SENSOR:
        return rs_colour(RS_C_VERMILLION);
    case RS_AL_KNEE:
        return rs_colour(RS_C_KNEE);
    case RS_AL_TOO_HARD:
        return rs_colour(RS_C_ORANGE);
    case RS_AL_UNCALIBRATED:
        return rs_colour(RS_C_YELLOW);
    case RS_AL_DISCONNECTED:
        return rs_colour(RS_C_GREY);
    case RS_AL_ADVICE:
        return rs_colour(RS_C_PANEL);
    default:
        return rs_colour(RS_C_PANEL);
    }
}

static const char *alert_text(enum rs_alert a)
{
    switch (a) {
    case RS_AL_SLOW_DOWN: return "SLOW DOWN";
    case RS_AL_KNEE: return "AVOID THE BACK OF THE KNEE";
    case RS_AL_OVERLOAD: return "TOO HARD - EASE OFF";
    case RS_AL_TOO_HARD: return "EASE OFF - NO EXTRA BENEFIT";
    case RS_AL_RELEASE: return "RELEASE NOW";
    case RS_AL_SENSOR: return "SENSOR FAULT";
    case RS_AL_DISCONNECTED: return "NO ROLLER CONNECTED";
    case RS_AL_UNCALIBRATED: return "~ NOT CALIBRATED: VALUES APPROXIMATE";
    case RS_AL_ADVICE: return "dose advice";
    default: return "";
    }
}

/* ---- panels ------------------------------------------------------------- */

static void draw_status_end(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                            struct rs_rect p, int d);

static void draw_status(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov)
{
    panel_begin(r, RS_P_STATUS);
    struct rs_rect p = rs_rect_inset(r->geom.layout.panel[RS_P_STATUS], r->geom.layout.pad / 2);
    char b[RS_VIEW_TEXT_MAX + 16];
    struct rs_rect c;

    /* Link: a dot and a word. */
    c = rs_rect_cols(p, 0.0f, 0.24f);
    int d = c.h * 6 / 10;
    struct rs_rgb lc = rs_colour(v->link == RS_VLINK_CONNECTED ? RS_C_GREEN :
                                 v->link == RS_VLINK_CONNECTING ? RS_C_YELLOW : RS_C_VERMILLION);
    disc(r, c.x + d / 2, c.y + c.h / 2, d / 2, lc);
    c.x += d + d / 2;
    c.w -= d + d / 2;
    text(r, c, 0.8f, RS_AL_LEFT, rs_colour(RS_C_TEXT),
         v->link == RS_VLINK_CONNECTED ? "CONNECTED" : v->link == RS_VLINK_CONNECTING ? "CONNECTING" : "NO ROLLER", NULL);

    if (v->link != RS_VLINK_CONNECTED && v->link_detail[0]) {
        /* no roller: why, and what to do, instead of stale sensor figures */
        text(r, rs_rect_cols(p, 0.25f, 0.80f), 0.8f, RS_AL_LEFT, rs_colour(RS_C_ORANGE), v->link_detail, NULL);
        draw_status_end(r, v, ov, p, d);
        return;
    }
    c = rs_rect_cols(p, 0.25f, 0.49f);
    if (v->sensor_fault)
        snprintf(b, sizeof b, "SENSOR: %s", v->sensor_text[0] ? v->sensor_text : "FAULT");
    else
        snprintf(b, sizeof b, "SENSOR OK");
    text(r, c, 0.8f, RS_AL_LEFT, rs_colour(v->sensor_fault ? RS_C_VERMILLION : RS_C_TEXT_DIM), b, NULL);

    c = rs_rect_cols(p, 0.50f, 0.66f);
    if (v->frames_lost)
        snprintf(b, sizeof b, "LOSS %.1f%% (%u)", v->loss_pct, (unsigned)v->frames_lost);
    else
        snprintf(b, sizeof b, "LOSS %.1f%%", v->loss_pct);
    text(r, c, 0.8f, RS_AL_LEFT, rs_colour(v->loss_pct >= 1.0f ? RS_C_ORANGE : RS_C_TEXT_DIM), b, NULL);

    c = rs_rect_cols(p, 0.67f, 0.80f);
    char t[16];
    rs_view_mmss(t, sizeof t, v->session_s);
    snprintf(b, sizeof b, "%s %s", v->mode == RS_MODE_REPLAY ? "REPLAY" : v->mode == RS_MODE_DEMO ? "DEMO" : "LIVE", t);
    text(r, c, 0.8f, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);
    draw_status_end(r, v, ov, p, d);
}

/* The status bar's right end: recording, sound. */
static void draw_status_end(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                            struct rs_rect p, int d)
{
    char b[RS_VIEW_TEXT_MAX + 16];
    struct rs_rect c = rs_rect_cols(p, 0.81f, 0.90f);
    if (v->recording) {
        disc(r, c.x + d / 2, c.y + c.h / 2, d / 2, rs_colour(RS_C_VERMILLION));
        c.x += d + d / 2;
        c.w -= d + d / 2;
        text(r, c, 0.8f, RS_AL_LEFT, rs_colour(RS_C_TEXT), "REC", NULL);
    } else if (v->recording_failed) {
        /* the session goes on, but the user must see that it is not kept */
        text(r, c, 0.8f, RS_AL_LEFT, rs_colour(RS_C_VERMILLION), "REC OFF", NULL);
    }

    c = rs_rect_cols(p, 0.91f, 1.0f);
    if (ov->sound_off)
        snprintf(b, sizeof b, "SOUND OFF");
    else if (ov->muted)
        snprintf(b, sizeof b, "MUTED");
    else
        snprintf(b, sizeof b, "VOL %d", ov->volume_pct);
    bool quiet = ov->muted || ov->sound_off;
    text(r, c, 0.8f, RS_AL_RIGHT, rs_colour(quiet ? RS_C_ORANGE : RS_C_TEXT_DIM), b, NULL);
}

/* The toast's box: the right quarter of the alert row. */
static struct rs_rect toast_box(const struct rs_render_geom *g)
{
    struct rs_rect a = g->layout.panel[RS_P_ALERT];
    return (struct rs_rect){ a.x + a.w * 3 / 4, a.y, a.w - a.w * 3 / 4, a.h };
}

static void draw_alerts(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov)
{
    panel_begin(r, RS_P_ALERT);
    struct rs_render_geom *g = &r->geom;
    enum rs_alert cand[RS_AL_COUNT];
    int n = 0;
    if (v->speed_band == RS_SB_TOO_FAST)
        cand[n++] = RS_AL_SLOW_DOWN;
    if (v->in_knee_zone || v->knee_banner)
        cand[n++] = RS_AL_KNEE;
    if (v->force_band == RS_FB_OVERLOAD)
        cand[n++] = RS_AL_OVERLOAD;
    else if (v->force_band == RS_FB_NO_BENEFIT)
        cand[n++] = RS_AL_TOO_HARD;
    if (v->hold_active && v->hold_s >= 90.0f)
        cand[n++] = RS_AL_RELEASE;
    if (v->sensor_fault)
        cand[n++] = RS_AL_SENSOR;
    if (v->link == RS_VLINK_DISCONNECTED && v->mode != RS_MODE_REPLAY)
        cand[n++] = RS_AL_DISCONNECTED;
    if (!v->calibrated)
        cand[n++] = RS_AL_UNCALIBRATED;
    /* The dose advice takes a free slot; urgent alerts push it out until
     * they clear. */
    if (v->advice[0])
        cand[n++] = RS_AL_ADVICE;
    if (n > RS_RENDER_ALERT_SLOTS)
        n = RS_RENDER_ALERT_SLOTS;
    g->nalerts = n;

    struct rs_rect p = g->layout.panel[RS_P_ALERT];
    int gap = g->layout.pad;
    if (ov->toast && ov->toast[0]) /* the toast's box on the right stays clear */
        p.w = toast_box(g).x - gap - p.x;
    for (int i = 0; i < n; i++) {
        struct rs_rect s = p;
        s.w = (p.w - gap * (n - 1)) / n;
        s.x = p.x + i * (s.w + gap);
        g->alert[i] = cand[i];
        g->alert_rect[i] = s;
        struct rs_rgb bg = rs_alert_colour(cand[i]);
        fill(r, s, bg);
        /* up to two lines, as large as they fit: read from 3 m */
        struct rs_rect tb = rs_rect_inset(s, g->layout.pad / 2);
        if (cand[i] == RS_AL_ADVICE)
            text_wrap(r, tb, tb.h * 6 / 10, rs_colour(RS_C_YELLOW), v->advice);
        else if (cand[i] == RS_AL_DISCONNECTED && v->link_title[0])
            text_wrap(r, tb, tb.h * 8 / 10, rs_on_colour(bg), v->link_title);
        else
            text_wrap(r, tb, tb.h * 8 / 10, rs_on_colour(bg), alert_text(cand[i]));
    }
}

/* The hold ring in its panel: centre and outer radius, pixels. */
static void ring_of(const struct rs_render_geom *g, int *cx, int *cy, int *ro)
{
    struct rs_rect p = rs_rect_inset(g->layout.panel[RS_P_HOLD], g->layout.pad);
    struct rs_rect area = rs_rect_rows(p, 0.12f, 0.82f);
    *ro = (area.w < area.h ? area.w : area.h) / 2;
    *cx = area.x + area.w / 2;
    *cy = area.y + area.h / 2;
}

/* The hold seconds' box: inside the ring's inner circle at its heaviest
 * (from 30 s), two digits wide, so the size never jumps between phases. */
static struct rs_rect hold_numeral_box(const struct rs_render_geom *g)
{
    int cx, cy, ro;
    ring_of(g, &cx, &cy, &ro);
    int ri = ro - ro / 4, w = ri * 17 / 10, h = ri * 134 / 100;
    return (struct rs_rect){ cx - w / 2, cy - h / 2, w, h };
}

/* Largest size of the force and speed numerals: the size two digits of
 * hold seconds get, so from 3 m the hold time is never the smaller number. */
static int numeral_cap(struct rs_render *r, int want_px)
{
    struct rs_rect nb = hold_numeral_box(&r->geom);
    bool dry = r->text.dry;
    r->text.dry = true;
    int k = rs_text_fit(&r->text, nb, nb.h, RS_AL_CENTRE, rs_colour(RS_C_TEXT), "88", NULL);
    r->text.dry = dry;
    int cap = k >= 0 ? rs_text_px(k) : want_px;
    return want_px < cap ? want_px : cap;
}

/* Uncalibrated values are nominal (the design's calibration): marked "~"
 * (the window draws ASCII only; the docs write it as "≈"). */
#define UNCAL_WORD "~ NOT CALIBRATED"
static const char *approx(const struct rs_view *v)
{
    return v->calibrated ? "" : "~";
}

/* The force band's word in the panel: the band names, but "no extra
 * benefit" says what to do (its banner gives the reason). */
static const char *force_word(enum rs_view_force_band b)
{
    return b == RS_FB_NO_BENEFIT ? "EASE OFF" : rs_view_force_band_name(b);
}

static void draw_force(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_FORCE);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect p = rs_rect_inset(g->layout.panel[RS_P_FORCE], g->layout.pad);
    /* Uncalibrated: nominal newtons, marked "~", in a neutral colour (the
     * bands would claim a precision there is not). */
    struct rs_rgb bc = v->calibrated ? rs_force_band_colour(v->force_band) : rs_colour(RS_C_GREY);
    char b[48];

    /* The band strip carries the panel's name; the band's name below it is
     * a state word, as wide as the panel and tall enough for 3 m. */
    struct rs_rect strip = rs_rect_rows(p, 0.0f, 0.07f), lab = rs_rect_rows(p, 0.075f, 0.25f);
    int least = r->text.min_px * 13 / 10 + 2; /* the smallest text's height, and a margin */
    if (strip.h < least) {
        lab.y += least - strip.h;
        lab.h -= least - strip.h;
        strip.h = least;
    }
    g->force_band_bar = strip;
    fill(r, strip, bc);
    text(r, rs_rect_cols(strip, 0.01f, 0.40f), 0.9f, RS_AL_LEFT, rs_on_colour(bc), "FORCE", NULL);
    text(r, lab, 0.95f, RS_AL_RIGHT, v->calibrated ? bc : rs_colour(RS_C_YELLOW),
         v->calibrated ? force_word(v->force_band) : UNCAL_WORD, NULL);

    /* Numerals and unit share a row; the unit goes right of the number. */
    struct rs_rect num = rs_rect_rows(p, 0.26f, 0.66f);
    struct rs_rect ub = rs_rect_cols(num, 0.78f, 1.0f);
    ub = rs_rect_rows(ub, 0.35f, 0.95f);
    text(r, ub, 0.8f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), "N", NULL);
    /* Left/right split as one bar (its track here, the shares on top). */
    struct rs_rect sb = rs_rect_rows(p, 0.86f, 1.0f);
    struct rs_rect lt = rs_rect_cols(sb, 0.0f, 0.22f), bar = rs_rect_cols(sb, 0.24f, 0.76f), rt = rs_rect_cols(sb, 0.78f, 1.0f);
    bar = rs_rect_rows(bar, 0.25f, 0.75f);
    fill(r, bar, rs_colour(RS_C_TRACK));

    top_layer(r); /* the values: nothing above overlaps them */
    snprintf(b, sizeof b, "%s%.0f", approx(v), rs_view_nz(v->force_n, 0));
    struct rs_rect nb = rs_rect_cols(num, 0.0f, 0.76f);
    text_px(r, nb, numeral_cap(r, nb.h), RS_AL_RIGHT, bc, b, NULL);

    struct rs_rect pct = rs_rect_rows(p, 0.67f, 0.83f);
    if (v->bw_known)
        snprintf(b, sizeof b, "%s%.0f %%BW", approx(v), rs_view_nz(v->force_pct, 0));
    else
        snprintf(b, sizeof b, "-- %%BW (no profile)");
    text(r, pct, 0.95f, RS_AL_CENTRE, rs_colour(RS_C_TEXT), b, NULL);

    /* The left share from the left. */
    snprintf(b, sizeof b, "L %.0f", rs_view_nz(v->left_n, 0));
    text(r, lt, 0.9f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), b, NULL);
    snprintf(b, sizeof b, "R %.0f", rs_view_nz(v->right_n, 0));
    text(r, rt, 0.9f, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM), b, NULL);
    float tot = v->left_n + v->right_n;
    if (tot > 0) {
        float share = v->left_n / tot;
        struct rs_rect lb = bar;
        lb.w = (int)lroundf(bar.w * share);
        fill(r, lb, rs_leg_colour(RS_VLEG_LEFT));
        struct rs_rect rb = bar;
        rb.x = lb.x + lb.w;
        rb.w = bar.w - lb.w;
        fill(r, rb, rs_leg_colour(RS_VLEG_RIGHT));
    }
}

/* The lap drawn: the fraction down to a whole RING_STEPS-th of a turn
 * (1.5 degrees, 62.5 ms of a 15 s lap; about 3 px on a 1280x800 window's
 * ring), so the ring is drawn again 16 times a second while it grows
 * rather than on every frame for a fraction of a pixel. */
static float ring_lap(float f)
{
    return floorf(f * RING_STEPS) / RING_STEPS;
}

static void draw_hold(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_HOLD);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect p = rs_rect_inset(g->layout.panel[RS_P_HOLD], g->layout.pad);
    struct rs_rect lab = rs_rect_rows(p, 0.0f, 0.11f);
    text(r, lab, 0.9f, RS_AL_CENTRE, rs_colour(RS_C_TEXT_DIM), "HOLD", NULL);

    int cx, cy, ro;
    ring_of(g, &cx, &cy, &ro);
    int thick = ro / 5;
    enum rs_hold_phase ph = rs_hold_phase(v->hold_active, v->hold_s);
    float f = ring_lap(rs_hold_lap_fraction(v->hold_s));
    struct rs_rgb pc = rs_hold_phase_colour(ph);
    if (ph >= RS_HP_DONE)
        thick = ro / 4; /* target reached: a heavier ring, filled disc */
    int ri = ro - thick;
    g->ring_cx = cx;
    g->ring_cy = cy;
    g->ring_outer = ro;
    g->ring_inner = ri;

    /* The whole ring (base layer), then the lap so far or the disc. */
    struct rs_rgb numc = rs_colour(RS_C_TEXT);
    arc(r, cx, cy, ro, ri, 0, 1,
        ph <= RS_HP_TO15 ? rs_colour(RS_C_TRACK)
        : ph == RS_HP_TO30 ? rs_hold_phase_colour(RS_HP_TO15) : pc);
    top_layer(r);
    if (ph == RS_HP_TO15 || ph == RS_HP_TO30) {
        arc(r, cx, cy, ro, ri, 0, f, pc);
    } else if (ph != RS_HP_NONE) {
        disc(r, cx, cy, ri - g->layout.line * 2, pc);
        numc = rs_on_colour(pc);
    }

    char b[16];
    if (v->hold_active)
        snprintf(b, sizeof b, "%d", (int)v->hold_s);
    else
        snprintf(b, sizeof b, "-");
    struct rs_rect nb = hold_numeral_box(g);
    text_px(r, nb, nb.h, RS_AL_CENTRE, ph == RS_HP_NONE ? rs_colour(RS_C_TEXT_DIM) : numc, b, NULL);

    static const char *const caption[] = {
        [RS_HP_NONE] = "ROLL SLOWLY", [RS_HP_TO15] = "HOLDING",     [RS_HP_TO30] = "15 s REACHED",
        [RS_HP_DONE] = "30 s - DONE", [RS_HP_LONG] = "LONG HOLD", [RS_HP_RELEASE] = "RELEASE NOW",
    };
    struct rs_rect cap = rs_rect_rows(p, 0.83f, 1.0f); /* a state word: tall enough for 3 m */
    text(r, cap, 0.95f, RS_AL_CENTRE, ph == RS_HP_NONE ? rs_colour(RS_C_TEXT_DIM) : pc, caption[ph], NULL);
}

static void draw_speed(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_SPEED);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect full = g->layout.panel[RS_P_SPEED];
    struct rs_rect p = rs_rect_inset(full, g->layout.pad);
    struct rs_rgb bc = v->calibrated ? rs_speed_band_colour(v->speed_band) : rs_colour(RS_C_GREY);
    char b[32];
    if (v->speed_band == RS_SB_TOO_FAST)
        outline(r, full, g->layout.pad / 2 > 2 ? g->layout.pad / 2 : 2, bc);

    struct rs_rect lab = rs_rect_rows(p, 0.07f, 0.24f);
    text(r, rs_rect_rows(rs_rect_cols(lab, 0.0f, 0.28f), 0.2f, 1.0f), 0.9f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
         "SPEED", NULL);
    text(r, rs_rect_cols(lab, 0.30f, 1.0f), 0.95f, RS_AL_RIGHT, bc,
         v->calibrated ? rs_view_speed_band_name(v->speed_band) : UNCAL_WORD, NULL);

    struct rs_rect num = rs_rect_rows(p, 0.25f, 0.66f);
    text(r, rs_rect_rows(rs_rect_cols(num, 0.72f, 1.0f), 0.35f, 0.95f), 0.8f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM),
         "cm/s", NULL);

    /* Gauge: the three moving bands on a 0..20 cm/s scale, marker on top. */
    struct rs_rect ga = rs_rect_rows(p, 0.70f, 0.86f);
    g->speed_gauge = ga;
    static const struct { float lo, hi; enum rs_view_speed_band b; } seg[] = {
        { 0.0f, 10.0f, RS_SB_SLOW }, { 10.0f, 15.0f, RS_SB_BRISK }, { 15.0f, RS_RENDER_GAUGE_MAX, RS_SB_TOO_FAST },
    };
    for (size_t i = 0; i < sizeof seg / sizeof seg[0]; i++) {
        int x0 = ga.x + (int)lroundf(ga.w * seg[i].lo / RS_RENDER_GAUGE_MAX);
        int x1 = ga.x + (int)lroundf(ga.w * seg[i].hi / RS_RENDER_GAUGE_MAX);
        struct rs_rgb sc = rs_speed_band_colour(seg[i].b);
        if (seg[i].b != v->speed_band) /* dim the bands we are not in */
            sc = (struct rs_rgb){ (uint8_t)(sc.r / 3), (uint8_t)(sc.g / 3), (uint8_t)(sc.b / 3) };
        fill(r, (struct rs_rect){ x0, ga.y, x1 - x0, ga.h }, sc);
    }

    top_layer(r); /* the value, the marker and (over it) the ticks */
    float sp = fabsf(v->speed_cms);
    snprintf(b, sizeof b, "%s%.1f", approx(v), (double)sp);
    struct rs_rect nb = rs_rect_cols(num, 0.0f, 0.70f);
    text_px(r, nb, numeral_cap(r, nb.h), RS_AL_RIGHT, bc, b, NULL);
    {
        float s = sp > RS_RENDER_GAUGE_MAX ? RS_RENDER_GAUGE_MAX : sp;
        int mx = ga.x + (int)lroundf(ga.w * s / RS_RENDER_GAUGE_MAX);
        int mw = g->layout.line * 2;
        fill(r, (struct rs_rect){ mx - mw / 2 - g->layout.line, ga.y - ga.h / 4, mw + 2 * g->layout.line, ga.h + ga.h / 2 }, rs_colour(RS_C_BG));
        fill(r, (struct rs_rect){ mx - mw / 2, ga.y - ga.h / 4, mw, ga.h + ga.h / 2 }, rs_colour(RS_C_TEXT));
    }
    struct rs_rect ticks = rs_rect_rows(p, 0.88f, 1.0f);
    static const char *const tick_text[] = { "0", "10", "15", "20" };
    static const float tick_at[] = { 0, 10, 15, 20 };
    for (int i = 0; i < 4; i++) {
        int tw = ticks.w / 8;
        int x = ticks.x + (int)lroundf(ticks.w * tick_at[i] / RS_RENDER_GAUGE_MAX);
        struct rs_rect tb = { i == 0 ? x : i == 3 ? x - tw : x - tw / 2, ticks.y, tw, ticks.h };
        text(r, tb, 0.9f, i == 0 ? RS_AL_LEFT : i == 3 ? RS_AL_RIGHT : RS_AL_CENTRE,
             rs_colour(RS_C_TEXT_DIM), tick_text[i], NULL);
    }
}

static void draw_leg(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_LEG);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect p = rs_rect_inset(g->layout.panel[RS_P_LEG], g->layout.pad);
    char b[32];

    struct rs_rect badge = rs_rect_rows(p, 0.0f, 0.27f); /* a state word: tall enough for 3 m */
    g->leg_badge = badge;
    struct rs_rgb lc = rs_leg_colour(v->leg);
    fill(r, badge, lc);
    text(r, rs_rect_inset(badge, g->layout.pad / 2), 1.0f, RS_AL_CENTRE, rs_on_colour(lc),
         v->leg == RS_VLEG_LEFT ? "LEFT" : v->leg == RS_VLEG_RIGHT ? "RIGHT" : "NO LEG", NULL);

    /* Position bar: ankle at the bottom, knee at the top, like the calf on
     * the roller seen from the side. */
    struct rs_rect body = rs_rect_rows(p, 0.31f, 1.0f);
    struct rs_rect labels = rs_rect_cols(body, 0.0f, 0.58f);
    struct rs_rect bar = rs_rect_cols(body, 0.66f, 0.94f);
    struct rs_rect knee_l = rs_rect_rows(labels, 0.0f, 0.16f), ankle_l = rs_rect_rows(labels, 0.84f, 1.0f);
    text(r, knee_l, 0.9f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), "KNEE", NULL);
    text(r, ankle_l, 0.9f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), "ANKLE", NULL);
    g->pos_bar = bar;
    fill(r, bar, rs_colour(RS_C_TRACK));
    float len = rs_view_calf_length(v);
    float kz = v->knee_zone_cm > 0 ? v->knee_zone_cm : 5.0f;
    int kh = (int)lroundf(bar.h * (kz / len));
    g->knee_zone = (struct rs_rect){ bar.x, bar.y, bar.w, kh };
    struct rs_rgb kc = rs_colour(RS_C_KNEE);
    if (!v->in_knee_zone)
        kc = (struct rs_rgb){ (uint8_t)(kc.r / 2), (uint8_t)(kc.g / 2), (uint8_t)(kc.b / 2) };
    fill(r, g->knee_zone, kc);
    top_layer(r);
    if (v->on_calf) {
        float pos = v->position_cm < 0 ? 0 : v->position_cm > len ? len : v->position_cm;
        int my = bar.y + bar.h - (int)lroundf(bar.h * pos / len);
        int mh = g->layout.line * 3;
        struct rs_rect m = { bar.x - bar.w / 3, my - mh / 2, bar.w + 2 * (bar.w / 3), mh };
        fill(r, m, rs_colour(RS_C_TEXT));
        snprintf(b, sizeof b, "%s%.0f cm", approx(v), rs_view_nz(v->position_cm, 0));
        struct rs_rect pl = rs_rect_rows(labels, 0.40f, 0.60f);
        text(r, pl, 0.95f, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);
    }
}

/* The reference lines' values in the gutter left of the plot, highest
 * first, each centred on its line; one that would touch the one above is
 * left out (small charts keep the outer values). */
static void chart_values(struct rs_render *r, struct rs_rect gut, struct rs_rect plot, float ymax,
                         const float *refs, int nrefs)
{
    int lh = r->text.min_px * 13 / 10 + 1;
    if (lh < plot.h / 5)
        lh = plot.h / 5;
    int above = gut.y - lh;
    for (int i = nrefs - 1; i >= 0; i--) {
        int y = plot.y + plot.h - (int)lroundf(plot.h * refs[i] / ymax);
        struct rs_rect b = { gut.x, y - lh / 2, gut.w, lh };
        if (b.y < above + lh || b.y < gut.y || b.y + b.h > gut.y + gut.h)
            continue;
        char s[16];
        snprintf(s, sizeof s, "%.0f", (double)refs[i]);
        text_px(r, b, lh, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM), s, NULL);
        above = b.y;
    }
}

/* The HASH pass's stand-in for a chart's series: the series is made of
 * the stored values (a word each, mixed by multiplication, much cheaper
 * than making its rectangles every frame to hash them), the ring's place
 * and the plot's geometry; its pixels stay within the plot and a line
 * width. */
static void series_hash(struct rs_render *r, const struct rs_view_history *h, bool force,
                        struct rs_rect plot, float ymax, struct rs_rgb lc)
{
    const float *vals = force ? h->force_pct : h->speed_cms;
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < RS_VIEW_HISTORY_N; i++) {
        uint32_t u;
        memcpy(&u, &vals[i], sizeof u);
        x = (x ^ u) * 0xff51afd7ed558ccdu;
        x ^= x >> 29;
    }
    int lw = r->geom.layout.line;
    const int ip[] = { plot.x, plot.y, plot.w, plot.h, lw, h->head, h->count, force };
    issue(r, 'S');
    mix(r, ip, sizeof ip);
    mix(r, &ymax, sizeof ymax);
    mix(r, &lc, sizeof lc);
    mix(r, &x, sizeof x);
    on_top(r, plot.x, plot.y, plot.w, plot.h, lw + 1);
}

static void chart(struct rs_render *r, struct rs_rect box, const char *label, const struct rs_view_history *h,
                  bool force, float ymax, const float *refs, int nrefs, struct rs_rgb lc)
{
    struct rs_render_geom *g = &r->geom;
    base_layer(r); /* the frame, labels and scale; the series on top */
    struct rs_rect lab = rs_rect_rows(box, 0.0f, 0.24f);
    text(r, lab, 0.85f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), label, NULL);
    struct rs_rect plot = rs_rect_rows(box, 0.26f, 1.0f);
    /* a gutter on the left for the values of the reference lines */
    struct rs_rect gut = rs_rect_cols(plot, 0.0f, 0.07f);
    plot = rs_rect_cols(plot, 0.08f, 1.0f);
    chart_values(r, gut, plot, ymax, refs, nrefs);
    fill(r, plot, rs_colour(RS_C_BG));
    if (force) /* the typical band, 30-45 %BW */ {
        int y0 = plot.y + plot.h - (int)lroundf(plot.h * 45.0f / ymax);
        int y1 = plot.y + plot.h - (int)lroundf(plot.h * 30.0f / ymax);
        struct rs_rgb gc = rs_colour(RS_C_GREEN);
        fill(r, (struct rs_rect){ plot.x, y0, plot.w, y1 - y0 }, (struct rs_rgb){ (uint8_t)(gc.r / 3), (uint8_t)(gc.g / 3), (uint8_t)(gc.b / 3) });
    }
    for (int i = 0; i < nrefs; i++) {
        int y = plot.y + plot.h - (int)lroundf(plot.h * refs[i] / ymax);
        fill(r, (struct rs_rect){ plot.x, y, plot.w, 1 > g->layout.line / 2 ? 1 : g->layout.line / 2 }, rs_colour(RS_C_GRID));
    }
    unsigned n = h->count;
    if (n < 2)
        return;
    if (r->pass == PASS_HASH) {
        top_layer(r);
        series_hash(r, h, force, plot, ymax, lc);
        return;
    }
    /* x: the full width is 30 s, newest at the right edge. Each sample is
     * a horizontal run of line-width height plus a vertical joint to the
     * next, as rectangles: crisp at any size, no per-frame allocation. */
    int lw = g->layout.line;
    int nr = 0, py = 0;
    for (unsigned i = 0; i < n; i++) {
        float val = force ? rs_view_history_force(h, i) : fabsf(rs_view_history_speed(h, i));
        val = val > ymax ? ymax : val < 0 ? 0 : val;
        int x0 = plot.x + plot.w - (int)lroundf((float)(n - i) * plot.w / RS_VIEW_HISTORY_N);
        int x1 = plot.x + plot.w - (int)lroundf((float)(n - 1 - i) * plot.w / RS_VIEW_HISTORY_N);
        int y = plot.y + plot.h - lw - (int)lroundf(val * (plot.h - lw) / ymax);
        if (i > 0 && y != py) {
            int a0 = y < py ? y : py, a1 = y < py ? py : y;
            r->rects[nr++] = (SDL_Rect){ x0, a0, lw, a1 - a0 + lw };
        }
        r->rects[nr++] = (SDL_Rect){ x0, y, x1 - x0 > 0 ? x1 - x0 : 1, lw };
        py = y;
    }
    top_layer(r);
    fill_rects(r, r->rects, nr, lc);
}

static void draw_charts(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_CHARTS);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect p = rs_rect_inset(g->layout.panel[RS_P_CHARTS], g->layout.pad);
    static const float frefs[] = { 30, 45, 60 };
    static const float srefs[] = { 10, 15 };
    chart(r, rs_rect_rows(p, 0.0f, 0.48f), v->calibrated ? "FORCE %BW, LAST 30 s" : "FORCE ~%BW, LAST 30 s",
          &v->history, true, 100.0f, frefs, 3, rs_colour(RS_C_SKY));
    chart(r, rs_rect_rows(p, 0.52f, 1.0f), v->calibrated ? "SPEED cm/s, LAST 30 s" : "SPEED ~cm/s, LAST 30 s",
          &v->history, false, 25.0f, srefs, 2, rs_colour(RS_C_YELLOW));
}

static void calf_map(struct rs_render *r, const struct rs_view *v, struct rs_rect box, int leg,
                     float tmax, const char *label, struct rs_rgb lc)
{
    base_layer(r); /* the label and the map's ground; the cells on top */
    struct rs_rect lab = rs_rect_rows(box, 0.0f, 0.14f);
    text(r, lab, 0.9f, RS_AL_CENTRE, lc, label, NULL);
    struct rs_rect m = rs_rect_rows(box, 0.16f, 1.0f);
    r->geom.calf_map[leg ? 1 : 0] = m;
    fill(r, m, rs_colour(RS_C_BG));
    top_layer(r);
    int n = rs_calfmap_cells(v, leg, m, tmax, r->cells);
    for (int i = 0; i < n; i++)
        fill(r, r->cells[i].r, r->cells[i].c);
}

static void draw_map(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_MAP);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect full = rs_rect_inset(g->layout.panel[RS_P_MAP], g->layout.pad);
    struct rs_rect p = rs_rect_rows(full, 0.0f, 0.79f), lg = rs_rect_rows(full, 0.82f, 1.0f);
    float tmax = rs_calfmap_scale(v); /* one brightness scale for both legs */
    calf_map(r, v, rs_rect_cols(p, 0.0f, 0.19f), 0, tmax, "L", rs_leg_colour(RS_VLEG_LEFT));
    calf_map(r, v, rs_rect_cols(p, 0.22f, 0.41f), 1, tmax, "R", rs_leg_colour(RS_VLEG_RIGHT));

    struct rs_rect c = rs_rect_cols(p, 0.45f, 1.0f);
    char b[48], t0[16], t1[16];
    /* Captions and legend are the base layer, the counts on top; nothing
     * of one overlaps the other. */
    base_layer(r);
    text(r, rs_rect_rows(c, 0.02f, 0.17f), 0.9f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), "HOLDS", NULL);
    text(r, rs_rect_rows(c, 0.52f, 0.67f), 0.9f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), "TIME PER CALF", NULL);
    top_layer(r);
    snprintf(b, sizeof b, "L %u   R %u", v->holds[0], v->holds[1]);
    text(r, rs_rect_rows(c, 0.18f, 0.44f), 0.95f, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);
    rs_view_mmss(t0, sizeof t0, v->calf_time_s[0]);
    rs_view_mmss(t1, sizeof t1, v->calf_time_s[1]);
    snprintf(b, sizeof b, "L %s  R %s", t0, t1);
    text(r, rs_rect_rows(c, 0.68f, 0.94f), 0.95f, RS_AL_LEFT, rs_colour(RS_C_TEXT), b, NULL);
    base_layer(r);
    /* what the maps' brightness, colours and squares mean, across the panel */
    struct rs_calfmap_label lab[3];
    g->map_legend = lg;
    int n = rs_calfmap_legend(lg, g->layout.pad, r->cells, lab);
    for (int i = 0; i < n; i++)
        fill(r, r->cells[i].r, r->cells[i].c);
    for (int i = 0; i < 3; i++)
        text(r, lab[i].r, 0.95f, RS_AL_LEFT, rs_colour(RS_C_TEXT_DIM), lab[i].text, NULL);

}

static void draw_timeline(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_TIMELINE);
    struct rs_render_geom *g = &r->geom;
    struct rs_rect p = rs_rect_inset(g->layout.panel[RS_P_TIMELINE], g->layout.pad / 2);
    char b[48], t0[16], t1[16];

    /* Transport state icon: two bars when paused, a triangle when playing. */
    struct rs_rect icon = rs_rect_rows(rs_rect_cols(p, 0.0f, 0.05f), 0.2f, 0.8f);
    if (icon.w > icon.h)
        icon.w = icon.h;
    struct rs_rgb ic = rs_colour(v->replay_paused ? RS_C_ORANGE : RS_C_GREEN);
    g->transport_icon = icon;
    if (v->replay_paused) {
        fill(r, (struct rs_rect){ icon.x, icon.y, icon.w * 2 / 5, icon.h }, ic);
        fill(r, (struct rs_rect){ icon.x + icon.w * 3 / 5, icon.y, icon.w * 2 / 5, icon.h }, ic);
    } else {
        const float xy[6] = { (float)icon.x, (float)icon.y, (float)(icon.x + icon.w),
                              icon.y + icon.h / 2.0f, (float)icon.x, (float)(icon.y + icon.h) };
        triangle(r, xy, ic);
    }
    snprintf(b, sizeof b, "%s %.2gx", v->replay_paused ? "PAUSED" : "PLAYING", (double)v->replay_speed);
    text(r, rs_rect_cols(p, 0.06f, 0.22f), 0.7f, RS_AL_LEFT, ic, b, NULL);
    rs_view_mmss(t0, sizeof t0, v->replay_pos_s);
    rs_view_mmss(t1, sizeof t1, v->replay_len_s);
    snprintf(b, sizeof b, "%s / %s", t0, t1);
    text(r, rs_rect_cols(p, 0.23f, 0.38f), 0.7f, RS_AL_CENTRE, rs_colour(RS_C_TEXT), b, NULL);
    struct rs_rect bar = rs_rect_rows(rs_rect_cols(p, 0.40f, 0.77f), 0.35f, 0.65f);
    g->timeline_bar = bar;
    fill(r, bar, rs_colour(RS_C_TRACK));
    float len = v->replay_len_s > 0 ? v->replay_len_s : 1;
    float f = v->replay_pos_s / len;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    fill(r, (struct rs_rect){ bar.x, bar.y, (int)lroundf(bar.w * f), bar.h }, rs_colour(RS_C_SKY));
    /* Marks: yellow ticks above the bar. */
    unsigned nm = v->replay_nmarks < RS_VIEW_MARKS_MAX ? v->replay_nmarks : RS_VIEW_MARKS_MAX;
    for (unsigned i = 0; i < nm; i++) {
        float mf = v->replay_marks_s[i] / len;
        if (mf < 0 || mf > 1)
            continue;
        int mx = bar.x + (int)lroundf(bar.w * mf);
        fill(r, (struct rs_rect){ mx - g->layout.line / 2, bar.y - bar.h / 2, g->layout.line > 1 ? g->layout.line : 2, bar.h / 2 },
             rs_colour(RS_C_YELLOW));
    }
    int hx = bar.x + (int)lroundf(bar.w * f);
    fill(r, (struct rs_rect){ hx - g->layout.line, bar.y - bar.h / 2, 2 * g->layout.line, bar.h * 2 }, rs_colour(RS_C_TEXT));
    text(r, rs_rect_cols(p, 0.79f, 1.0f), 0.5f, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM), "<- -> seek  +/- speed", NULL);
}

/* A box of lines over the panels below the top (from y top down): the
 * status bar and banners above it stay in view. */
static void draw_box_lines(struct rs_render *r, const char *const *lines, struct rs_rgb accent, int top)
{
    struct rs_render_geom *g = &r->geom;
    int w = g->layout.w, h = g->layout.h;
    SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r->ren, 0, 0, 0, 200);
    SDL_Rect dim = { 0, top, w, h - top };
    SDL_RenderFillRect(r->ren, &dim);
    SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_NONE);
    int y0 = top > h / 10 ? top : h / 10;
    struct rs_rect box = { w / 14, y0, w - w / 7, h - h / 10 - y0 };
    g->overlay_box = box;
    fill(r, box, rs_colour(RS_C_PANEL));
    outline(r, box, g->layout.line * 2, accent);
    rs_text_set_panel(&r->text, RS_P_COUNT, box);
    int n = 0;
    while (lines[n])
        n++;
    struct rs_rect in = rs_rect_inset(box, g->layout.pad * 2);
    int lh = in.h / n;
    /* One size for all body lines: the largest at which every line (or
     * both columns of a "key\tmeaning" line) fits. */
    int keyw = in.w * 3 / 10, gap = g->layout.pad;
    int k = RS_TEXT_SIZES - 1;
    for (; k > 0; k--) {
        if (rs_text_px(k) > lh * 0.6f)
            continue;
        bool fits = true;
        for (int i = 1; i < n && fits; i++) {
            char left[RS_TEXT_LOG_CHARS];
            const char *tab = strchr(lines[i], '\t');
            int tw, th, tw2 = 0, th2 = 0;
            if (tab) {
                snprintf(left, sizeof left, "%.*s", (int)(tab - lines[i]), lines[i]);
                rs_text_measure(&r->text, k, left, &tw, &th);
                rs_text_measure(&r->text, k, tab + 1, &tw2, &th2);
                fits = tw <= keyw && tw2 <= in.w - keyw - gap && th <= lh;
            } else {
                rs_text_measure(&r->text, k, lines[i], &tw, &th);
                fits = tw <= in.w && th <= lh;
            }
        }
        if (fits)
            break;
    }
    for (int i = 0; i < n; i++) {
        struct rs_rect lb = { in.x, in.y + i * lh, in.w, lh };
        bool head = i == 0, foot = i == n - 1;
        struct rs_rgb c = head ? accent : foot ? rs_colour(RS_C_TEXT_DIM) : rs_colour(RS_C_TEXT);
        const char *tab = strchr(lines[i], '\t');
        if (tab) {
            char left[RS_TEXT_LOG_CHARS];
            snprintf(left, sizeof left, "%.*s", (int)(tab - lines[i]), lines[i]);
            struct rs_rect kb = lb, mb = lb;
            kb.w = keyw;
            mb.x += keyw + gap;
            mb.w -= keyw + gap;
            rs_text_fit(&r->text, kb, rs_text_px(k), RS_AL_LEFT, rs_colour(RS_C_SKY), left, NULL);
            rs_text_fit(&r->text, mb, rs_text_px(k), RS_AL_LEFT, c, tab + 1, NULL);
        } else {
            rs_text_fit(&r->text, lb, head ? (int)(lh * 0.85f) : rs_text_px(k), head || foot ? RS_AL_CENTRE : RS_AL_LEFT,
                        c, lines[i], NULL);
        }
    }
}

/* ---- public ------------------------------------------------------------- */

int rs_render_create(struct rs_render **out, SDL_Renderer *ren, const char *font_path, char *err, size_t errcap)
{
    *out = NULL;
    struct rs_render *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    r->ren = ren;
    if (rs_text_init(&r->text, ren, font_path, err, errcap) != 0) {
        free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void rs_render_destroy(struct rs_render *r)
{
    if (!r)
        return;
    rs_text_free(&r->text);
    if (r->base)
        SDL_DestroyTexture(r->base);
    free(r);
}

/* Operations from here on belong to panel p (FRAME_SLOT: none); in a MASK
 * pass a drawn panel's operations are clipped to it. */
static void ops_for(struct rs_render *r, int p, struct rs_rect clip)
{
    r->cur = p;
    r->top = false;
    if ((r->pass == PASS_MASK || r->pass == PASS_BASE) && in_mask(r)) {
        SDL_Rect c = { clip.x, clip.y, clip.w, clip.h };
        SDL_RenderSetClipRect(r->ren, &c);
    }
}

static void begin_frame(struct rs_render *r, const struct rs_view *v, int w, int h, float scale)
{
    struct rs_render_geom *g = &r->geom;
    memset(g, 0, sizeof *g);
    rs_layout_compute(&g->layout, w, h, scale, v->mode == RS_MODE_REPLAY);
    if (v->routine.active)
        rs_routineview_merge(&g->layout);
    r->text.min_px = (int)lroundf(10.0f * g->layout.scale);
    r->cur = FRAME_SLOT;
}

/* Whether panel p's drawing function runs in this pass: always, but in a
 * MASK or BASE pass only for the panels drawn (the HASH pass just before
 * left every panel's geometry in r->geom, and a panel not drawn draws
 * nothing). */
static bool runs(const struct rs_render *r, enum rs_panel p)
{
    return (r->pass != PASS_MASK && r->pass != PASS_BASE) || ((r->mask >> p) & 1u);
}

/* The routine panel's primitives (rs_routineview.h): the ones above, so
 * the passes see every operation. */
static void rv_fill(void *ctx, struct rs_rect x, struct rs_rgb c) { fill(ctx, x, c); }
static void rv_triangle(void *ctx, const float xy[6], struct rs_rgb c) { triangle(ctx, xy, c); }
static void rv_disc(void *ctx, int cx, int cy, int rad, struct rs_rgb c) { disc(ctx, cx, cy, rad, c); }
static void rv_text(void *ctx, struct rs_rect box, int max_px, int al, struct rs_rgb c, const char *s)
{
    text_px(ctx, box, max_px, (enum rs_align)al, c, s, NULL);
}
static void rv_wrap(void *ctx, struct rs_rect box, int max_px, struct rs_rgb c, const char *s)
{
    text_wrap(ctx, box, max_px, c, s);
}

/* The guided routine in the merged lower row (rs_routineview_merge). */
static void draw_routine(struct rs_render *r, const struct rs_view *v)
{
    panel_begin(r, RS_P_CHARTS);
    const struct rs_rv_draw d = { r, rv_fill, rv_triangle, rv_disc, rv_text, rv_wrap };
    rs_routineview_draw(&d, r->geom.layout.panel[RS_P_CHARTS], r->geom.layout.pad, &v->routine);
}

/* Every panel, and the toast over the alert row. */
static void draw_panels(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov)
{
    struct rs_render_geom *g = &r->geom;
    if (runs(r, RS_P_STATUS))
        draw_status(r, v, ov);
    if (runs(r, RS_P_ALERT))
        draw_alerts(r, v, ov);
    if (runs(r, RS_P_FORCE))
        draw_force(r, v);
    if (runs(r, RS_P_HOLD))
        draw_hold(r, v);
    if (runs(r, RS_P_SPEED))
        draw_speed(r, v);
    if (v->routine.active) {
        if (runs(r, RS_P_CHARTS))
            draw_routine(r, v);
    } else {
        if (runs(r, RS_P_LEG))
            draw_leg(r, v);
        if (runs(r, RS_P_CHARTS))
            draw_charts(r, v);
        if (runs(r, RS_P_MAP))
            draw_map(r, v);
    }
    if (v->mode == RS_MODE_REPLAY && runs(r, RS_P_TIMELINE))
        draw_timeline(r, v);
    if (ov->toast && ov->toast[0] && runs(r, RS_P_ALERT)) {
        struct rs_rect a = g->layout.panel[RS_P_ALERT];
        ops_for(r, RS_P_ALERT, a);
        rs_text_set_panel(&r->text, RS_P_ALERT, a);
        struct rs_rect tb = toast_box(g);
        fill(r, tb, rs_colour(RS_C_BLUE));
        text_wrap(r, rs_rect_inset(tb, g->layout.pad / 2), tb.h * 6 / 10, rs_colour(RS_C_TEXT), ov->toast);
    }
    r->cur = FRAME_SLOT;
    r->top = false;
}

static const struct rs_overlay no_overlay = { .volume_pct = 100 };

void rs_render_frame(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                     int w, int h, float scale)
{
    if (!ov)
        ov = &no_overlay;
    struct rs_render_geom *g = &r->geom;
    r->pass = PASS_DRAW;
    r->have_prev = false;
    begin_frame(r, v, w, h, scale);
    rs_text_log_reset(&r->text);

    SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_NONE);
    set(r->ren, rs_colour(RS_C_BG), 255);
    SDL_RenderClear(r->ren);
    draw_panels(r, v, ov);
    /* The session runs while the note is up (its clock, REC and banners
     * stay in view above it); the note says so. */
    struct rs_rect al = g->layout.panel[RS_P_ALERT];
    if (ov->safety_note)
        draw_box_lines(r, rs_safety_note, rs_colour(RS_C_ORANGE), al.y + al.h + g->layout.pad / 2);
    else if (ov->help)
        draw_box_lines(r, help_lines, rs_colour(RS_C_SKY), 0);

    g->ntext = r->text.nlog;
    g->text = r->text.log;
}

/* Hash every panel's operations for this frame into r->hash (HASH pass),
 * with what concerns the whole frame (size, mode, overlays) in FRAME_SLOT. */
static void hash_frame(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                       int w, int h, float scale)
{
    for (int i = 0; i <= RS_P_COUNT; i++)
        r->hash[i] = r->bhash[i] = 14695981039346656037u;
    memset(r->top_box, 0, sizeof r->top_box);
    r->layered = 0;
    r->pass = PASS_HASH;
    begin_frame(r, v, w, h, scale);
    draw_panels(r, v, ov);
    const int fp[] = { w, h, (int)v->mode, ov->safety_note, ov->help, v->routine.active };
    mix(r, fp, sizeof fp);
    mix(r, &scale, sizeof scale);
    r->pass = PASS_DRAW;
}

/* The texture of the base layers, w x h, in the window's pixel format (so
 * drawing into it blends exactly as drawing on the window does); made
 * again (and emptied) on a new size. NULL when the renderer has none. */
static SDL_Texture *base_texture(struct rs_render *r, int w, int h)
{
    if (r->base && r->base_w == w && r->base_h == h)
        return r->base;
    if (r->base)
        SDL_DestroyTexture(r->base);
    r->base = NULL;
    r->base_ok = 0;
    SDL_Window *win = SDL_RenderGetWindow(r->ren);
    Uint32 fmt = win ? SDL_GetWindowPixelFormat(win) : SDL_PIXELFORMAT_UNKNOWN;
    if (fmt == SDL_PIXELFORMAT_UNKNOWN)
        fmt = SDL_PIXELFORMAT_ARGB8888;
    if (!SDL_RenderTargetSupported(r->ren))
        return NULL;
    r->base = SDL_CreateTexture(r->ren, fmt, SDL_TEXTUREACCESS_TARGET, w, h);
    if (r->base) {
        SDL_SetTextureBlendMode(r->base, SDL_BLENDMODE_NONE);
        r->base_w = w;
        r->base_h = h;
    }
    return r->base;
}

/* Panel P of the target back to its base layer from TEX: all of it when
 * ALL (the base under it changed), else only where its values were drawn
 * last frame (everything else there is this base already). */
static void copy_back(struct rs_render *r, SDL_Texture *tex, int p, bool all)
{
    struct rs_rect x = r->geom.layout.panel[p];
    const struct top_boxes *t = &r->top_was[p];
    int n = all ? 1 : t->n;
    for (int i = 0; i < n; i++) {
        struct rs_rect y = all ? x : rect_clip(t->b[i], x);
        SDL_Rect q = { y.x, y.y, y.w, y.h };
        if (y.w > 0 && y.h > 0 && SDL_RenderCopy(r->ren, tex, &q, &q) == 0)
            r->geom.copied_px += (long)y.w * y.h;
    }
}

/* The base layers of the layered panels in mask onto the target: drawn
 * into the texture first where it does not hold this frame's (BASE pass),
 * then copied. Without a texture no panel is layered this frame. */
static void draw_bases(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                       int w, int h, unsigned mask)
{
    unsigned use = mask & r->layered;
    SDL_Texture *tex = use ? base_texture(r, w, h) : NULL;
    if (!tex) {
        r->layered = 0;
        return;
    }
    unsigned stale = 0;
    for (int p = 0; p < RS_P_COUNT; p++)
        if (((use >> p) & 1u) && (!((r->base_ok >> p) & 1u) || r->base_hash[p] != r->bhash[p]))
            stale |= 1u << p;
    if (stale && SDL_SetRenderTarget(r->ren, tex) != 0) {
        r->base_ok &= ~stale;
    } else if (stale) {
        r->pass = PASS_BASE;
        r->mask = stale;
        r->cur = FRAME_SLOT;
        r->text.layer = 1;
        draw_panels(r, v, ov);
        r->text.layer = 0;
        SDL_RenderSetClipRect(r->ren, NULL);
        SDL_SetRenderTarget(r->ren, NULL);
        for (int p = 0; p < RS_P_COUNT; p++)
            if ((stale >> p) & 1u) {
                r->base_hash[p] = r->bhash[p];
                r->base_ok |= 1u << p;
            }
    }
    r->layered &= r->base_ok;
    for (int p = 0; p < RS_P_COUNT; p++) {
        if (!((use >> p) & 1u) || !((r->base_ok >> p) & 1u))
            continue;
        copy_back(r, tex, p, ((stale >> p) & 1u) || r->shown_bhash[p] != r->bhash[p]);
    }
}

int rs_render_update(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                     int w, int h, float scale, bool full, SDL_Rect *damage)
{
    if (!ov)
        ov = &no_overlay;
    struct rs_render_geom *g = &r->geom;
    hash_frame(r, v, ov, w, h, scale);
    unsigned mask = 0;
    for (int p = 0; p < RS_P_COUNT; p++)
        if (!r->have_prev || r->hash[p] != r->prev[p])
            mask |= 1u << p;
    bool whole = full || !r->have_prev || r->hash[FRAME_SLOT] != r->prev[FRAME_SLOT] ||
                 (mask && (ov->safety_note || ov->help)); /* the box covers the panels */
    uint64_t now[RS_P_COUNT + 1];
    memcpy(now, r->hash, sizeof now);
    g->copied_px = 0;
    int n = 0;
    if (whole) {
        rs_render_frame(r, v, ov, w, h, scale);
        damage[n++] = (SDL_Rect){ 0, 0, w, h };
    } else if (mask) {
        /* the layout is the HASH pass's (begin_frame) */
        rs_text_log_drop(&r->text, mask);
        SDL_SetRenderDrawBlendMode(r->ren, SDL_BLENDMODE_NONE);
        draw_bases(r, v, ov, w, h, mask);
        r->pass = PASS_MASK;
        r->mask = mask;
        r->cur = FRAME_SLOT;
        draw_panels(r, v, ov);
        SDL_RenderSetClipRect(r->ren, NULL);
        r->pass = PASS_DRAW;
        for (int p = 0; p < RS_P_COUNT; p++) {
            struct rs_rect x = g->layout.panel[p];
            if (((mask >> p) & 1u) && x.w > 0 && x.h > 0)
                damage[n++] = (SDL_Rect){ x.x, x.y, x.w, x.h };
        }
    }
    memcpy(r->prev, now, sizeof now);
    memcpy(r->top_was, r->top_box, sizeof r->top_box);
    for (int p = 0; p < RS_P_COUNT; p++)
        if (whole || ((mask >> p) & 1u))
            r->shown_bhash[p] = r->bhash[p];
    r->have_prev = true;
    g->ntext = r->text.nlog;
    g->text = r->text.log;
    return n;
}

const struct rs_render_geom *rs_render_geometry(const struct rs_render *r)
{
    return &r->geom;
}
