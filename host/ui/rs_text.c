/*
 * rs_text.c - glyph-cached text drawing (see rs_text.h).
 */
#include "rs_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* 8 px x 1.15^k, rounded, for the ladder (the text fitting asks for it
 * many times per frame; pow was a visible share of a frame's CPU). */
static const int ladder_px[RS_TEXT_SIZES] = {
    8, 9, 11, 12, 14, 16, 19, 21, 24, 28, 32, 37, 43, 49, 57, 65, 75, 86, 99, 114, 131, 151, 173, 199, 229, 263, 303, 348, 401, 461
};

int rs_text_px(int k)
{
    if (k >= 0 && k < RS_TEXT_SIZES)
        return ladder_px[k];
    return (int)lround(8.0 * pow(1.15, k));
}

static struct rs_text_size *get_size(struct rs_text *t, int k)
{
    if (k < 0 || k >= RS_TEXT_SIZES)
        return NULL;
    struct rs_text_size *z = &t->size[k];
    if (!z->tried) {
        z->tried = true;
        z->px = rs_text_px(k);
        z->font = TTF_OpenFont(t->path, z->px);
        if (z->font) {
            TTF_SetFontHinting(z->font, TTF_HINTING_LIGHT);
            z->height = TTF_FontHeight(z->font);
            z->ascent = TTF_FontAscent(z->font);
            for (int g = 0; g < RS_TEXT_GLYPHS; g++) {
                int minx = 0, maxx = 0, miny = 0, maxy = 0, adv = 0;
                if (TTF_GlyphMetrics32(z->font, (Uint32)(g + 32), &minx, &maxx, &miny, &maxy, &adv) != 0)
                    adv = maxx = z->px / 2;
                z->adv[g] = adv;
                z->extent[g] = maxx > adv ? maxx : adv;
            }
        }
    }
    return z->font ? z : NULL;
}

static int glyph_index(unsigned char ch)
{
    if (ch < 32 || ch > 126)
        ch = '?';
    return ch - 32;
}

int rs_text_init(struct rs_text *t, SDL_Renderer *ren, const char *font_path, char *err,
                 size_t errcap)
{
    memset(t, 0, sizeof *t);
    t->ren = ren;
    t->min_px = 11;
    t->panel = -1;
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(err, errcap, "cannot start SDL_ttf: %s", TTF_GetError());
        return -1;
    }
    size_t n = strlen(font_path);
    if (n + 1 > sizeof t->path) {
        snprintf(err, errcap, "cannot open font '%.200s...': path too long", font_path);
        return -1;
    }
    memcpy(t->path, font_path, n + 1);
    if (!get_size(t, 8)) {
        snprintf(err, errcap, "cannot open font '%s': %s", font_path, TTF_GetError());
        return -1;
    }
    return 0;
}

void rs_text_free(struct rs_text *t)
{
    for (int k = 0; k < RS_TEXT_SIZES; k++) {
        struct rs_text_size *z = &t->size[k];
        for (int l = 0; l < RS_TEXT_LAYERS; l++)
            for (int c = 0; c < RS_TEXT_COLOURS; c++)
                for (int g = 0; g < RS_TEXT_GLYPHS; g++)
                    if (z->tex[l][c][g])
                        SDL_DestroyTexture(z->tex[l][c][g]);
        if (z->font)
            TTF_CloseFont(z->font);
    }
    memset(t, 0, sizeof *t);
}

void rs_text_measure(struct rs_text *t, int k, const char *s, int *w, int *h)
{
    struct rs_text_size *z = get_size(t, k);
    *w = *h = 0;
    if (!z)
        return;
    int x = 0, right = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int g = glyph_index(*p);
        if (x + z->extent[g] > right)
            right = x + z->extent[g];
        x += z->adv[g];
    }
    *w = right > x ? right : x;
    *h = z->height;
}

/* Slot of colour c at this size; when all slots are taken the last one is
 * recycled (its textures destroyed), which only happens with more than
 * RS_TEXT_COLOURS text colours at one size. */
static int colour_slot(struct rs_text_size *z, struct rs_rgb c)
{
    for (int i = 0; i < z->ncol; i++)
        if (z->col[i].r == c.r && z->col[i].g == c.g && z->col[i].b == c.b)
            return i;
    int i = z->ncol < RS_TEXT_COLOURS ? z->ncol++ : RS_TEXT_COLOURS - 1;
    for (int l = 0; l < RS_TEXT_LAYERS; l++)
        for (int g = 0; g < RS_TEXT_GLYPHS; g++)
            if (z->tex[l][i][g]) {
                SDL_DestroyTexture(z->tex[l][i][g]);
                z->tex[l][i][g] = NULL;
            }
    z->col[i] = c;
    for (int l = 0; l < RS_TEXT_LAYERS; l++)
        z->numerals[l][i] = false;
    return i;
}

/* The bounding box of s's pixels with a non-zero alpha (32-bit ARGB, as
 * SDL_ttf's blended glyphs are); w 0 when there are none. */
static SDL_Rect ink_of(const SDL_Surface *s)
{
    int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < s->w; x++)
            if (row[x] & s->format->Amask) {
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y;
            }
    }
    if (x1 < 0)
        return (SDL_Rect){ 0, 0, 0, 0 };
    return (SDL_Rect){ x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
}

static SDL_Texture *glyph(struct rs_text *t, struct rs_text_size *z, int slot, int g)
{
    SDL_Texture **tex = &z->tex[t->layer ? 1 : 0][slot][g];
    if (*tex || g == 0)
        return *tex;
    struct rs_rgb c = z->col[slot];
    SDL_Color fg = { c.r, c.g, c.b, 255 };
    SDL_Surface *s = TTF_RenderGlyph32_Blended(z->font, (Uint32)(g + 32), fg);
    if (!s)
        return NULL;
    *tex = SDL_CreateTextureFromSurface(t->ren, s);
    if (*tex) {
        SDL_SetTextureBlendMode(*tex, SDL_BLENDMODE_BLEND);
        z->tw[g] = s->w;
        z->th[g] = s->h;
        z->ink[g] = s->format->BytesPerPixel == 4 && s->format->Amask
                        ? ink_of(s)
                        : (SDL_Rect){ 0, 0, s->w, s->h };
    }
    SDL_FreeSurface(s);
    return *tex;
}

void rs_text_draw(struct rs_text *t, int k, int x, int y, struct rs_rgb c, const char *s)
{
    struct rs_text_size *z = get_size(t, k);
    if (!z)
        return;
    int slot = colour_slot(z, c);
    /* The first number in a colour here: other numbers will follow in it,
     * so all numerals are made now, not one by one on later frames. A
     * label makes only its own glyphs (the numerals of every label's size
     * and colour were 2 MiB of the window's memory). */
    bool *made = &z->numerals[t->layer ? 1 : 0][slot];
    if (!*made && strpbrk(s, "0123456789")) {
        *made = true;
        for (const char *d = "0123456789.-:%"; *d; d++)
            glyph(t, z, slot, glyph_index((unsigned char)*d));
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int g = glyph_index(*p);
        SDL_Texture *tex = glyph(t, z, slot, g);
        const SDL_Rect *ink = &z->ink[g];
        if (tex && ink->w > 0) {
            SDL_Rect d = { x + ink->x, y + ink->y, ink->w, ink->h };
            SDL_RenderCopy(t->ren, tex, ink, &d);
        }
        x += z->adv[g];
    }
}

bool rs_text_ink(struct rs_text *t, int k, int x, int y, const char *s, struct rs_rect *out)
{
    *out = (struct rs_rect){ 0, 0, 0, 0 };
    struct rs_text_size *z = get_size(t, k);
    if (!z)
        return false;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool any = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int g = glyph_index(*p);
        if (g != 0 && z->tw[g] == 0)
            return false; /* its texture was never made: ink unknown */
        const SDL_Rect *ink = &z->ink[g];
        if (g != 0 && ink->w > 0) {
            int a = x + ink->x, b = y + ink->y;
            x0 = !any || a < x0 ? a : x0;
            y0 = !any || b < y0 ? b : y0;
            x1 = !any || a + ink->w > x1 ? a + ink->w : x1;
            y1 = !any || b + ink->h > y1 ? b + ink->h : y1;
            any = true;
        }
        x += z->adv[g];
    }
    if (any)
        *out = (struct rs_rect){ x0, y0, x1 - x0, y1 - y0 };
    return true;
}

static void log_box(struct rs_text *t, struct rs_rect box, int px, const char *s)
{
    bool dropped = px == 0;
    if (t->nlog >= RS_TEXT_LOG_MAX)
        return;
    struct rs_text_box *b = &t->log[t->nlog++];
    b->box = box;
    b->panel = t->panel;
    b->dropped = dropped;
    b->px = px;
    size_t n = strlen(s);
    if (n >= sizeof b->text)
        n = sizeof b->text - 1;
    memcpy(b->text, s, n);
    b->text[n] = '\0';
}

/* The ladder step s fits box at (see rs_text_fit), its size in *w, *h;
 * -1 when none does. Measures from the largest allowed size down. */
static int fit_step(struct rs_text *t, int bw, int bh, int max_px, const char *s, int *w, int *h)
{
    int k = RS_TEXT_SIZES - 1;
    while (k > 0 && rs_text_px(k) > max_px)
        k--;
    for (; k >= 0; k--) {
        if (rs_text_px(k) < t->min_px)
            break;
        rs_text_measure(t, k, s, w, h);
        if (*h == 0 || *w > bw || *h > bh)
            continue;
        return k;
    }
    return -1;
}

/* fit_step through the memo: a frame fits the same strings into the same
 * boxes as the one before (twice: hashed, then drawn), so most fits are
 * a lookup. Strings too long for a slot are fitted every time. */
static int fit_memo(struct rs_text *t, int bw, int bh, int max_px, const char *s, int *w, int *h)
{
    size_t n = strlen(s);
    if (n >= sizeof t->memo[0].s)
        return fit_step(t, bw, bh, max_px, s, w, h);
    uint32_t x = 2166136261u;
    for (size_t i = 0; i < n; i++)
        x = (x ^ (unsigned char)s[i]) * 16777619u;
    const int key[] = { bw, bh, max_px, t->min_px };
    for (size_t i = 0; i < sizeof key / sizeof key[0]; i++)
        x = (x ^ (uint32_t)key[i]) * 16777619u;
    struct rs_text_memo *m = &t->memo[x % RS_TEXT_MEMO];
    if (!m->used || m->bw != bw || m->bh != bh || m->max_px != max_px ||
        m->min_px != t->min_px || strcmp(m->s, s) != 0) {
        m->k = fit_step(t, bw, bh, max_px, s, &m->w, &m->h);
        m->bw = bw;
        m->bh = bh;
        m->max_px = max_px;
        m->min_px = t->min_px;
        memcpy(m->s, s, n + 1);
        m->used = true;
    }
    *w = m->w;
    *h = m->h;
    return m->k;
}

int rs_text_fit(struct rs_text *t, struct rs_rect box, int max_px, enum rs_align al,
                struct rs_rgb c, const char *s, struct rs_rect *out)
{
    int w, h;
    int k = fit_memo(t, box.w, box.h, max_px, s, &w, &h);
    if (k >= 0) {
        struct rs_rect r = { box.x, box.y + (box.h - h) / 2, w, h };
        if (al == RS_AL_CENTRE)
            r.x = box.x + (box.w - w) / 2;
        else if (al == RS_AL_RIGHT)
            r.x = box.x + box.w - w;
        if (!t->dry && !t->no_draw)
            rs_text_draw(t, k, r.x, r.y, c, s);
        if (!t->dry && !t->no_log)
            log_box(t, r, rs_text_px(k), s);
        if (out)
            *out = r;
        return k;
    }
    if (!t->dry && !t->no_log)
        log_box(t, box, 0, s);
    if (out)
        *out = (struct rs_rect){ box.x, box.y, 0, 0 };
    return -1;
}

void rs_text_log_drop(struct rs_text *t, unsigned panels)
{
    int n = 0;
    for (int i = 0; i < t->nlog; i++) {
        int p = t->log[i].panel;
        if (p >= 0 && p < 32 && (panels >> p) & 1u)
            continue;
        t->log[n++] = t->log[i];
    }
    t->nlog = n;
}

void rs_text_log_reset(struct rs_text *t)
{
    t->nlog = 0;
    t->panel = -1;
}

void rs_text_set_panel(struct rs_text *t, int panel, struct rs_rect r)
{
    t->panel = panel;
    t->clip = r;
}

/* See rs_text.h. Greedy: each line takes words while it fits. */
int rs_text_wrap(struct rs_text *t, struct rs_rect box, int max_px, enum rs_align al,
                 struct rs_rgb c, const char *s)
{
    char lines[RS_TEXT_WRAP_LINES][160];
    for (int k = RS_TEXT_SIZES - 1; k >= 0; k--) {
        int px = rs_text_px(k);
        if (px > max_px || px < t->min_px)
            continue;
        int n = 0, lh = 0, lw;
        const char *p = s;
        bool ok = true;
        while (*p && ok) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            if (n == RS_TEXT_WRAP_LINES) {
                ok = false;
                break;
            }
            /* Greedy: take words while the line fits. */
            char cur[160] = "";
            size_t len = 0;
            const char *q = p;
            while (*q) {
                const char *e = strchr(q, ' ');
                size_t wl = e ? (size_t)(e - q) : strlen(q);
                char trial[160];
                int tl = snprintf(trial, sizeof trial, "%s%s%.*s", cur, len ? " " : "", (int)wl, q);
                if (tl < 0 || (size_t)tl >= sizeof trial)
                    break;
                rs_text_measure(t, k, trial, &lw, &lh);
                if (lw > box.w && len)
                    break;
                if (lw > box.w) { /* one word wider than the box: smaller size */
                    ok = false;
                    break;
                }
                memcpy(cur, trial, (size_t)tl + 1);
                len = (size_t)tl;
                q += wl;
                while (*q == ' ')
                    q++;
            }
            if (!ok || !len) {
                ok = false;
                break;
            }
            memcpy(lines[n++], cur, len + 1);
            p = q;
        }
        if (!ok || lh * n > box.h)
            continue;
        int y = box.y + (box.h - lh * n) / 2;
        for (int i = 0; i < n; i++) {
            struct rs_rect lb = { box.x, y + i * lh, box.w, lh };
            rs_text_fit(t, lb, px, al, c, lines[i], NULL);
        }
        return k;
    }
    rs_text_fit(t, box, max_px, al, c, s, NULL); /* logged as dropped */
    return -1;
}
