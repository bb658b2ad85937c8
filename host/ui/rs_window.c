/*
 * rs_window.c - the window shell around rs_render and rs_audio.
 */
#include "rs_window.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rs_audio.h"
#include "rs_font.h"
#include "rs_render.h"
#include "rs_file.h"

struct rs_window {
    SDL_Window *win;
    SDL_Renderer *ren;
    struct rs_render *rr;
    struct rs_audio *audio;
    char audio_err[256];
    struct rs_window_config cfg;
    char screenshot_dir[400];
    char marker[600];
    bool safety, help, muted, fullscreen, want_shot, have_prev;
    int volume_pct;
    char toast[96];
    Uint64 toast_until;
    struct rs_view prev;
};

static int config_dir(const char *given, char *out, size_t cap)
{
    int n;
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (given)
        n = snprintf(out, cap, "%s", given);
    else if (xdg && xdg[0] == '/')
        n = snprintf(out, cap, "%s/rollsense", xdg);
    else if (home && *home)
        n = snprintf(out, cap, "%s/.config/rollsense", home);
    else
        return -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int rs_window_safety_marker(const char *given, char *path, size_t cap)
{
    char dir[512];
    if (config_dir(given, dir, sizeof dir) != 0)
        return -1;
    int n = snprintf(path, cap, "%s/safety-note-seen", dir);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* mkdir -p for the config directory, private to the user. */
static void make_dirs(const char *file)
{
    char p[600];
    snprintf(p, sizeof p, "%s", file);
    char *slash = strrchr(p, '/');
    if (!slash)
        return;
    *slash = '\0';
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0700);
            *s = '/';
        }
    }
    mkdir(p, 0700);
}

static void mark_safety_read(struct rs_window *w)
{
    w->safety = false;
    if (!w->marker[0])
        return;
    make_dirs(w->marker);
    int fd = open(w->marker, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        static const char msg[] = "The rollsense safety note was shown and dismissed.\n";
        ssize_t wr = write(fd, msg, sizeof msg - 1);
        (void)wr;
        close(fd);
    }
}

static void set_toast(struct rs_window *w, const char *msg);

int rs_window_open(struct rs_window **out, const struct rs_window_config *cfg, char *err, size_t errcap)
{
    *out = NULL;
    char font[512];
    if (rs_font_find(font, sizeof font, NULL) != 0) {
        snprintf(err, errcap, "%s", RS_FONT_HELP);
        return -1;
    }
    struct rs_window *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    w->cfg = *cfg;
    snprintf(w->screenshot_dir, sizeof w->screenshot_dir, "%s", cfg->screenshot_dir ? cfg->screenshot_dir : ".");
    w->muted = cfg->muted;
    w->volume_pct = (int)(cfg->volume * 100 + 0.5f);
    if (rs_window_safety_marker(cfg->config_dir, w->marker, sizeof w->marker) != 0)
        w->marker[0] = '\0';
    w->safety = !w->marker[0] || access(w->marker, F_OK) != 0;

    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errcap, "cannot start video: %s", SDL_GetError());
        goto fail;
    }
    int ww = cfg->width > 0 ? cfg->width : 1280, wh = cfg->height > 0 ? cfg->height : 800;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    flags |= cfg->hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
    if (cfg->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    w->fullscreen = cfg->fullscreen;
    w->win = SDL_CreateWindow(cfg->title ? cfg->title : "rollsense", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, ww, wh, flags);
    if (!w->win) {
        snprintf(err, errcap, "cannot open a window: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetWindowMinimumSize(w->win, 320, 200);
    /* With the software renderer, present through the video driver's own
     * framebuffer; SDL would otherwise upload every frame through a hidden
     * OpenGL texture (under offscreen: Mesa's swrast, which allocates per
     * frame and costs milliseconds). */
    if (cfg->software)
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (!cfg->software)
        w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!w->ren)
        w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (!w->ren) {
        snprintf(err, errcap, "cannot create a renderer: %s", SDL_GetError());
        goto fail;
    }
    if (rs_render_create(&w->rr, w->ren, font, err, errcap) != 0)
        goto fail;
    if (!cfg->no_audio) {
        if (rs_audio_open(&w->audio, cfg->volume, w->audio_err, sizeof w->audio_err) == 0)
            rs_audio_set_muted(w->audio, w->muted);
    } else {
        snprintf(w->audio_err, sizeof w->audio_err, "audio disabled");
    }
    if (!w->audio) { /* said once, short; the status bar keeps SOUND OFF */
        char t[96];
        snprintf(t, sizeof t, "SOUND OFF: %.*s", (int)strcspn(w->audio_err, ":"), w->audio_err);
        set_toast(w, t);
    }
    *out = w;
    return 0;
fail:
    rs_window_close(w);
    return -1;
}

void rs_window_close(struct rs_window *w)
{
    if (!w)
        return;
    rs_audio_close(w->audio);
    rs_render_destroy(w->rr);
    if (w->ren)
        SDL_DestroyRenderer(w->ren);
    if (w->win)
        SDL_DestroyWindow(w->win);
    free(w);
}

const char *rs_window_audio_error(const struct rs_window *w)
{
    return w->audio ? NULL : w->audio_err;
}

SDL_Window *rs_window_sdl(struct rs_window *w)
{
    return w->win;
}

const struct rs_render_geom *rs_window_geometry(const struct rs_window *w)
{
    return rs_render_geometry(w->rr);
}

bool rs_window_safety_note_shown(const struct rs_window *w)
{
    return w->safety;
}

void rs_window_cues(struct rs_window *w, unsigned mask)
{
    rs_audio_cues(w->audio, mask, SDL_GetTicks64());
}

static void set_toast(struct rs_window *w, const char *msg)
{
    snprintf(w->toast, sizeof w->toast, "%s", msg);
    w->toast_until = SDL_GetTicks64() + 2500;
}

static void key(struct rs_window *w, const SDL_KeyboardEvent *k, const struct rs_view *v, struct rs_ui_actions *act)
{
    SDL_Keycode sym = k->keysym.sym;
    bool replay = v->mode == RS_MODE_REPLAY;
    if (w->safety) { /* any key dismisses the note; the key is consumed */
        mark_safety_read(w);
        return;
    }
    if (w->help && (sym == SDLK_h || sym == SDLK_QUESTION || sym == SDLK_ESCAPE)) {
        w->help = false;
        act->bits |= RS_UI_HELP;
        return;
    }
    w->help = false;
    switch (sym) {
    case SDLK_q:
    case SDLK_ESCAPE:
        act->bits |= RS_UI_QUIT;
        break;
    case SDLK_SPACE:
        act->bits |= replay ? RS_UI_PAUSE : RS_UI_MARK;
        if (!replay)
            set_toast(w, "MARKED");
        break;
    case SDLK_c:
        if (!replay)
            act->bits |= RS_UI_CALIBRATE;
        break;
    case SDLK_m:
        w->muted = !w->muted;
        rs_audio_set_muted(w->audio, w->muted);
        act->bits |= RS_UI_MUTE;
        break;
    case SDLK_s:
        w->want_shot = true;
        break;
    case SDLK_f:
        w->fullscreen = !w->fullscreen;
        SDL_SetWindowFullscreen(w->win, w->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        act->bits |= RS_UI_FULLSCREEN;
        break;
    case SDLK_h:
    case SDLK_QUESTION:
        w->help = true;
        act->bits |= RS_UI_HELP;
        break;
    case SDLK_SLASH: /* '?' on layouts where SDL reports the unshifted key */
        if (k->keysym.mod & KMOD_SHIFT) {
            w->help = true;
            act->bits |= RS_UI_HELP;
        }
        break;
    case SDLK_LEFT:
    case SDLK_RIGHT:
        if (replay) {
            float d = (k->keysym.mod & KMOD_SHIFT) ? 30.0f : 5.0f;
            act->seek_s += sym == SDLK_LEFT ? -d : d;
            act->bits |= RS_UI_SEEK;
        }
        break;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
    case SDLK_UP:
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
    case SDLK_DOWN:
        if (replay) {
            bool up = sym == SDLK_PLUS || sym == SDLK_EQUALS || sym == SDLK_KP_PLUS || sym == SDLK_UP;
            act->speed_steps += up ? 1 : -1;
            act->bits |= RS_UI_SPEED;
        }
        break;
    case SDLK_PERIOD:
    case SDLK_COMMA:
        if (replay) {
            act->step_frames += sym == SDLK_PERIOD ? 1 : -1;
            act->bits |= RS_UI_STEP;
        }
        break;
    default:
        break;
    }
}

/* A click on the replay timeline: the session time under the pointer. The
 * geometry is in renderer pixels; the event in window points (HiDPI). */
static void click(struct rs_window *w, const SDL_MouseButtonEvent *b, const struct rs_view *v,
                  struct rs_ui_actions *act)
{
    const struct rs_render_geom *g = rs_render_geometry(w->rr);
    if (v->mode != RS_MODE_REPLAY || !g || v->replay_len_s <= 0)
        return;
    int ww, wh, pw, ph;
    SDL_GetWindowSize(w->win, &ww, &wh);
    if (SDL_GetRendererOutputSize(w->ren, &pw, &ph) != 0 || ww <= 0 || wh <= 0)
        return;
    int x = b->x * pw / ww, y = b->y * ph / wh;
    struct rs_rect r = g->timeline_bar;
    /* a generous band around the thin bar: it is clicked from a distance */
    if (r.w <= 0 || x < r.x || x > r.x + r.w || y < r.y - r.h * 2 - 8 || y > r.y + r.h * 3 + 8)
        return;
    act->seek_to_s = v->replay_len_s * (float)(x - r.x) / (float)r.w;
    act->bits |= RS_UI_SEEK_TO;
}

/* Read the frame just drawn and write it as a timestamped PNG. */
static void screenshot(struct rs_window *w, struct rs_ui_actions *act)
{
    int pw, ph;
    if (SDL_GetRendererOutputSize(w->ren, &pw, &ph) != 0)
        return;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, pw, ph, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return;
    char name[64];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(name, sizeof name, "rollsense-%Y%m%d-%H%M%S", &tm);
    if (SDL_RenderReadPixels(w->ren, NULL, s->format->format, s->pixels, s->pitch) == 0) {
        /* Never overwrite: add -2, -3, ... within the same second. */
        for (int i = 1; i < 100; i++) {
            if (i == 1)
                snprintf(act->screenshot, sizeof act->screenshot, "%s/%s.png", w->screenshot_dir, name);
            else
                snprintf(act->screenshot, sizeof act->screenshot, "%s/%s-%d.png", w->screenshot_dir, name, i);
            if (access(act->screenshot, F_OK) != 0)
                break;
        }
        if (rs_file_make_private(act->screenshot) == 0 && IMG_SavePNG(s, act->screenshot) == 0) {
            act->bits |= RS_UI_SCREENSHOT;
            set_toast(w, "SCREENSHOT SAVED");
        } else {
            act->screenshot[0] = '\0';
            set_toast(w, "SCREENSHOT FAILED");
        }
    }
    SDL_FreeSurface(s);
}

int rs_window_frame(struct rs_window *w, const struct rs_view *v, struct rs_ui_actions *act)
{
    act->bits = 0;
    act->seek_s = 0;
    act->speed_steps = 0;
    act->step_frames = 0;
    act->seek_to_s = 0;
    act->cues = 0;
    act->screenshot[0] = '\0';
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT)
            act->bits |= RS_UI_QUIT;
        else if (e.type == SDL_KEYDOWN && !e.key.repeat)
            key(w, &e.key, v, act);
        else if (e.type == SDL_MOUSEBUTTONDOWN && w->safety)
            mark_safety_read(w);
        else if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT)
            click(w, &e.button, v, act);
    }
    act->muted = w->muted;

    if (w->cfg.derive_cues && w->have_prev) {
        act->cues = rs_cues_between(&w->prev, v);
        if (act->cues && !w->muted)
            rs_window_cues(w, act->cues);
    }
    memcpy(&w->prev, v, sizeof w->prev);
    w->have_prev = true;

    int pw, ph, lw, lh;
    if (SDL_GetRendererOutputSize(w->ren, &pw, &ph) != 0)
        return -1;
    SDL_GetWindowSize(w->win, &lw, &lh);
    float scale = lw > 0 ? (float)pw / (float)lw : 1.0f;
    struct rs_overlay ov = {
        .help = w->help,
        .safety_note = w->safety,
        .muted = w->muted,
        .volume_pct = w->volume_pct,
        .sound_off = w->audio ? NULL : w->audio_err,
        .toast = SDL_GetTicks64() < w->toast_until ? w->toast : NULL,
    };
    /* The screenshot shows the view, not the toast it would announce. */
    if (w->want_shot)
        ov.toast = NULL;
    rs_render_frame(w->rr, v, &ov, pw, ph, scale);
    if (w->want_shot) {
        w->want_shot = false;
        screenshot(w, act);
    }
    SDL_RenderPresent(w->ren);
    return 0;
}
