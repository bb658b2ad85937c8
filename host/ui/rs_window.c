/*
 * rs_window.c - the window shell around rs_render and rs_audio.
 */
#include "rs_window.h"

#include <SDL.h>
#include <ctype.h>
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
    char voice_err[256];    /* "" while spoken cues are on */
    struct rs_window_config cfg;
    char screenshot_dir[400];
    char marker[600];
    bool safety, help, muted, fullscreen, want_shot, have_prev;
    int volume_pct;
    char toast[96];
    Uint64 toast_until;
    bool toast_drawn;  /* the last frame drawn showed the toast */
    struct rs_view prev;
    bool vsync;
    bool software;     /* the window surface keeps the last picture: draw changes only */
    bool need_full;    /* next frame redraws everything (first, exposed, resized) */
    Uint64 paced_at;   /* rs_window_pace: when the last frame was allowed */
    Uint64 pumped_at;  /* next_event: when the system's events were last read */
    char renderer[240];
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

bool rs_window_gl_is_software(const char *gl_renderer)
{
    static const char *const soft[] = { "llvmpipe", "softpipe", "swrast", "software rasterizer",
                                        "lavapipe" };
    if (!gl_renderer)
        return false;
    char low[160];
    size_t n = 0;
    for (; gl_renderer[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)gl_renderer[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
        if (strstr(low, soft[i]))
            return true;
    return false;
}

bool rs_window_pick_software(enum rs_renderer_choice choice, const char *accel_name,
                             const char *gl_renderer)
{
    if (choice == RS_RENDERER_SOFTWARE || !accel_name)
        return true;
    if (choice == RS_RENDERER_GPU)
        return false;
    return strcmp(accel_name, "software") == 0 || rs_window_gl_is_software(gl_renderer);
}

static int create_window(struct rs_window *w, const struct rs_window_config *cfg, char *err, size_t errcap)
{
    int ww = cfg->width > 0 ? cfg->width : 1280, wh = cfg->height > 0 ? cfg->height : 800;
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    flags |= cfg->hidden ? SDL_WINDOW_HIDDEN : SDL_WINDOW_SHOWN;
    if (cfg->fullscreen)
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    w->win = SDL_CreateWindow(cfg->title ? cfg->title : "rollsense", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, ww, wh, flags);
    if (!w->win) {
        snprintf(err, errcap, "cannot open a window: %s", SDL_GetError());
        return -1;
    }
    SDL_SetWindowMinimumSize(w->win, 320, 200);
    return 0;
}

/* A GPU the video driver could use shows up as a DRM node (Mesa, and
 * NVIDIA's driver with nvidia-drm) or as NVIDIA's own device node. Without
 * one, any accelerated renderer is a software rasteriser, and merely
 * trying one loads it (llvmpipe: tens of MiB that stay resident). */
static bool gpu_device_present(void)
{
    return access("/dev/dri", F_OK) == 0 || access("/dev/nvidia0", F_OK) == 0;
}

/* GL_RENDERER of the context an OpenGL renderer just made current, copied
 * into out ("" when not OpenGL or not known). */
static void gl_renderer_string(const char *driver, char *out, size_t cap)
{
    out[0] = '\0';
    if (strncmp(driver, "opengl", 6) != 0 || !SDL_GL_GetCurrentContext())
        return;
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    void *sym = SDL_GL_GetProcAddress("glGetString");
    get_string_fn get_string;
    if (!sym)
        return;
    memcpy(&get_string, &sym, sizeof get_string);
    const unsigned char *name = get_string(0x1F01 /* GL_RENDERER */);
    if (name)
        snprintf(out, cap, "%s", (const char *)name);
}

/*
 * Open the window and the renderer the choice asks for (see enum
 * rs_renderer_choice). For AUTO the accelerated renderer is made first to
 * learn what it is; when it is a software rasteriser, window and renderer
 * are made again, because SDL reads the framebuffer-acceleration hint when
 * it first gives the window a surface: with it on, the software renderer
 * would still present through an OpenGL texture on the same rasteriser.
 */
static int choose_renderer(struct rs_window *w, const struct rs_window_config *cfg, char *err, size_t errcap)
{
    enum rs_renderer_choice choice = cfg->software ? RS_RENDERER_SOFTWARE : cfg->renderer;
    char accel[32] = "", gl[128] = "", why[200] = "";
    if (create_window(w, cfg, err, errcap) != 0)
        return -1;
    if (choice == RS_RENDERER_AUTO && !gpu_device_present()) {
        choice = RS_RENDERER_SOFTWARE;
        snprintf(why, sizeof why, "no GPU device: no /dev/dri");
    }
    if (choice != RS_RENDERER_SOFTWARE) {
        w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
        SDL_RendererInfo info;
        if (w->ren && SDL_GetRendererInfo(w->ren, &info) == 0) {
            snprintf(accel, sizeof accel, "%s", info.name);
            gl_renderer_string(accel, gl, sizeof gl);
        } else if (!w->ren) {
            snprintf(why, sizeof why, "no accelerated renderer: %s", SDL_GetError());
        }
    }
    bool sw = rs_window_pick_software(choice, accel[0] ? accel : NULL, gl[0] ? gl : NULL);
    if (!sw) {
        SDL_RendererInfo info;
        w->vsync = SDL_GetRendererInfo(w->ren, &info) == 0 && (info.flags & SDL_RENDERER_PRESENTVSYNC);
        snprintf(w->renderer, sizeof w->renderer, "%s renderer%s%s%s%s", accel, gl[0] ? " on " : "", gl,
                 w->vsync ? ", vsync" : "", choice == RS_RENDERER_GPU ? " (--renderer gpu)" : "");
        return 0;
    }
    if (choice == RS_RENDERER_SOFTWARE && !why[0])
        snprintf(why, sizeof why, "%s", cfg->software ? "asked for" : "--renderer software");
    else if (accel[0])
        snprintf(why, sizeof why, "%s is %s, a software rasteriser", accel, gl[0] ? gl : accel);
    if (w->ren) {
        SDL_DestroyRenderer(w->ren);
        SDL_DestroyWindow(w->win);
        w->ren = NULL;
        w->win = NULL;
    }
    /* Present through the video driver's own framebuffer; SDL would
     * otherwise upload every frame through a hidden OpenGL texture. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (!w->win && create_window(w, cfg, err, errcap) != 0)
        return -1;
    w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (!w->ren) {
        snprintf(err, errcap, "cannot create a renderer: %s", SDL_GetError());
        return -1;
    }
    snprintf(w->renderer, sizeof w->renderer, "software renderer (%s)", why);
    w->software = true;
    return 0;
}

const char *rs_window_renderer(const struct rs_window *w)
{
    return w->renderer;
}

bool rs_window_has_vsync(const struct rs_window *w)
{
    return w->vsync;
}

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
    w->fullscreen = cfg->fullscreen;
    if (choose_renderer(w, cfg, err, errcap) != 0)
        goto fail;
    if (rs_render_create(&w->rr, w->ren, font, err, errcap) != 0)
        goto fail;
    if (!cfg->no_audio) {
        if (rs_audio_open(&w->audio, cfg->volume, w->audio_err, sizeof w->audio_err) == 0)
            rs_audio_set_muted(w->audio, w->muted);
    } else {
        snprintf(w->audio_err, sizeof w->audio_err, "audio disabled");
    }
    if (w->audio && cfg->no_voice)
        snprintf(w->voice_err, sizeof w->voice_err, "voice off: --voice off");
    else if (w->audio)
        rs_audio_voice(w->audio, w->voice_err, sizeof w->voice_err);
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

const char *rs_window_voice_error(const struct rs_window *w)
{
    return !w->audio ? w->audio_err : w->voice_err[0] ? w->voice_err : NULL;
}

void rs_window_say(struct rs_window *w, enum rs_phrase p)
{
    if (!w->muted)
        rs_audio_say(w->audio, p);
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
        if (!replay && !v->routine.active)
            set_toast(w, "MARKED");
        break;
    case SDLK_n:
        if (!replay && v->routine.active)
            act->bits |= RS_UI_SKIP;
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
            /* the name, so it can be found: "SAVED rollsense-...png" */
            char t[sizeof w->toast];
            const char *base = strrchr(act->screenshot, '/');
            snprintf(t, sizeof t, "SAVED %.80s", base ? base + 1 : act->screenshot);
            set_toast(w, t);
        } else {
            act->screenshot[0] = '\0';
            set_toast(w, "SCREENSHOT FAILED");
        }
    }
    SDL_FreeSurface(s);
}

static int draw(struct rs_window *w, const struct rs_view *v, const struct rs_overlay *ov, int pw,
                int ph, float scale, struct rs_ui_actions *act);

/* The next queued event, reading the system's into the queue at most
 * every RS_WINDOW_PUMP_MS (a key waits at most that long; under X11 every
 * read is two or three syscalls, and at 60 frames a second that was a
 * visible share of the window's CPU). Events pushed by the program (tests,
 * the loop's own) are in the queue at once. */
#define RS_WINDOW_PUMP_MS 30
static bool next_event(struct rs_window *w, SDL_Event *e)
{
    Uint64 now = SDL_GetTicks64();
    if (w->pumped_at == 0 || now - w->pumped_at >= RS_WINDOW_PUMP_MS) {
        SDL_PumpEvents();
        w->pumped_at = now;
    }
    return SDL_PeepEvents(e, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0;
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
    act->shown = false;
    SDL_Event e;
    while (next_event(w, &e)) {
        if (e.type == SDL_QUIT)
            act->bits |= RS_UI_QUIT;
        else if (e.type == SDL_KEYDOWN && !e.key.repeat)
            key(w, &e.key, v, act);
        else if (e.type == SDL_MOUSEBUTTONDOWN && w->safety)
            mark_safety_read(w);
        else if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT)
            click(w, &e.button, v, act);
        else if (e.type == SDL_WINDOWEVENT) /* exposed, resized, restored: all of it again */
            w->need_full = true;
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
    w->toast_drawn = ov.toast != NULL;
    return draw(w, v, &ov, pw, ph, scale, act);
}

/*
 * Draw and present. The software renderer draws into the window surface,
 * which keeps the last picture, so only the panels that changed are drawn
 * and only they are sent to the display; nothing at all when nothing
 * changed. A GPU back buffer is undefined after a present: everything,
 * every frame.
 */
static int draw(struct rs_window *w, const struct rs_view *v, const struct rs_overlay *ov, int pw,
                int ph, float scale, struct rs_ui_actions *act)
{
    if (!w->software) {
        rs_render_frame(w->rr, v, ov, pw, ph, scale);
    } else {
        SDL_Rect damage[RS_P_COUNT];
        int n = rs_render_update(w->rr, v, ov, pw, ph, scale, w->need_full || w->want_shot, damage);
        w->need_full = false;
        if (n == 0)
            return 0;
        if (!w->want_shot) {
            SDL_RenderFlush(w->ren);
            act->shown = true;
            return SDL_UpdateWindowSurfaceRects(w->win, damage, n) == 0 ? 0 : -1;
        }
    }
    if (w->want_shot) {
        w->want_shot = false;
        screenshot(w, act);
    }
    SDL_RenderPresent(w->ren);
    act->shown = true;
    return 0;
}

bool rs_window_needs_frame(const struct rs_window *w)
{
    bool shown = w->toast[0] && SDL_GetTicks64() < w->toast_until;
    return shown != w->toast_drawn || w->want_shot;
}

void rs_window_pace(struct rs_window *w)
{
    if (w->vsync)
        return;
    Uint64 now = SDL_GetTicks64(), period = 1000 / 60;
    if (w->paced_at && now < w->paced_at + period)
        SDL_Delay((Uint32)(w->paced_at + period - now));
    w->paced_at = SDL_GetTicks64();
}
