/*
 * rs_window.h - the live/replay window: events, keys, fullscreen,
 * screenshots, help overlay, the first-run safety note and audio cues.
 *
 * The caller owns the clock and the data. Once per frame it passes the
 * current struct rs_view to rs_window_frame(), which handles pending
 * events, derives the due audio cues from the change since the last view,
 * draws, presents, and reports what the user asked for in struct
 * rs_ui_actions. Wiring a pipeline is therefore:
 *
 *   while (!(act.bits & RS_UI_QUIT)) {
 *       step the pipeline to now, fill `view`;
 *       rs_window_frame(win, &view, &act);
 *       act on act.bits (pause, mark, seek, speed);
 *   }
 *
 * Keys: space mark (live) / pause (replay) / go on (routine), n skip a
 * routine step, c calibrate (live), m mute, s screenshot,
 * f fullscreen, h or ? help, q or Esc quit, Left/Right seek 5 s (Shift 30 s)
 * and +/- (or Up/Down) speed, . and , one frame forward/back, a click on
 * the timeline to go there, in replay.
 */
#ifndef RS_WINDOW_H
#define RS_WINDOW_H

#include <stdbool.h>
#include <stddef.h>

#include "rs_view.h"
#include "rs_voice.h"

/* Which renderer draws the window (--renderer). AUTO: the accelerated one
 * on a real GPU, SDL's software renderer (presenting through the video
 * driver's framebuffer) when the accelerated one is itself a software
 * rasteriser such as Mesa's llvmpipe, which costs several times the CPU
 * and memory of the software renderer for the same pixels. */
enum rs_renderer_choice { RS_RENDERER_AUTO, RS_RENDERER_SOFTWARE, RS_RENDERER_GPU };

struct rs_window_config {
    const char *title;          /* NULL: "rollsense" */
    int width, height;          /* logical size; 0: 1280 x 800 */
    bool fullscreen;
    bool hidden;                /* tests: do not show the window */
    bool software;              /* force the software renderer (as RS_RENDERER_SOFTWARE) */
    enum rs_renderer_choice renderer;
    bool no_audio;              /* do not open an audio device */
    bool no_voice;              /* tones only, no spoken cues (--voice off) */
    bool derive_cues;           /* sound cues from view changes (default on in demo/live) */
    float volume;               /* 0..1 */
    bool muted;
    const char *screenshot_dir; /* NULL: the current directory */
    const char *config_dir;     /* NULL: $XDG_CONFIG_HOME/rollsense or ~/.config/rollsense */
};

enum rs_ui_action {
    RS_UI_QUIT = 1u << 0,
    RS_UI_PAUSE = 1u << 1,      /* replay: toggle pause */
    RS_UI_MARK = 1u << 2,       /* live: mark this moment/spot */
    RS_UI_MUTE = 1u << 3,       /* mute toggled; see muted */
    RS_UI_SEEK = 1u << 4,       /* replay: seek by seek_s */
    RS_UI_SPEED = 1u << 5,      /* replay: change speed by speed_steps */
    RS_UI_SCREENSHOT = 1u << 6, /* a screenshot was written to screenshot */
    RS_UI_FULLSCREEN = 1u << 7, /* fullscreen toggled */
    RS_UI_HELP = 1u << 8,       /* help overlay toggled */
    RS_UI_STEP = 1u << 9,       /* replay: step by step_frames sample frames (. and ,) */
    RS_UI_SEEK_TO = 1u << 10,   /* replay: a click on the timeline: go to seek_to_s */
    RS_UI_CALIBRATE = 1u << 11, /* live/demo: open the calibration wizard (c) */
    RS_UI_SKIP = 1u << 12,      /* routine: skip this step (n) */
};

struct rs_ui_actions {
    unsigned bits;      /* enum rs_ui_action, for this frame only */
    float seek_s;       /* relative, summed over the frame's key presses */
    int speed_steps;    /* +1 faster, -1 slower, summed */
    int step_frames;    /* +1 per '.', -1 per ',', summed */
    float seek_to_s;    /* RS_UI_SEEK_TO: session time clicked on the timeline */
    bool muted;         /* current mute state */
    unsigned cues;      /* cues sounded this frame (1u << enum rs_cue) */
    bool shown;         /* the frame was presented (false: it looked exactly like the last) */
    char screenshot[512];
};

struct rs_window;

/* Open the window, renderer, font and (unless no_audio) audio. Returns 0,
 * or -1 with a one-line reason in err. No audio device is not an error:
 * the window runs silent and rs_window_audio_error() says why. */
int rs_window_open(struct rs_window **out, const struct rs_window_config *cfg, char *err, size_t errcap);
void rs_window_close(struct rs_window *w);

/* One frame: events, cues, draw, present. With the software renderer only
 * what changed is drawn and presented, and nothing when nothing changed
 * (act->shown false). Returns 0, or -1 if drawing failed (reason in err of
 * the last open, via SDL_GetError()). */
int rs_window_frame(struct rs_window *w, const struct rs_view *v, struct rs_ui_actions *act);

/* For loops that draw on their own clock (replay): without vsync, wait
 * until 1/60 s has passed since the last call. The live loop paces by its
 * data instead (rs_pace.h). */
void rs_window_pace(struct rs_window *w);

/* True when the picture would change without a new view: a toast (MARKED,
 * SAVED file.png) appeared or expired since the last frame. A loop that
 * skips unchanged frames must still draw then. */
bool rs_window_needs_frame(const struct rs_window *w);

/* Sound cues explicitly (1u << enum rs_cue), e.g. from pipeline events. */
void rs_window_cues(struct rs_window *w, unsigned mask);

/* NULL when audio works, else why it does not. */
const char *rs_window_audio_error(const struct rs_window *w);
/* True while the first-run safety note is on screen. */
bool rs_window_safety_note_shown(const struct rs_window *w);

/* The SDL window (tests, embedding). */
struct SDL_Window;
struct SDL_Window *rs_window_sdl(struct rs_window *w);

/* Geometry of the last frame drawn (tests). */
struct rs_render_geom;
const struct rs_render_geom *rs_window_geometry(const struct rs_window *w);

/* The renderer in use and why, one line for the user, e.g. "software
 * renderer (OpenGL here is llvmpipe ..., a software rasteriser)". */
const char *rs_window_renderer(const struct rs_window *w);

/* Why there are no spoken cues ("voice off: ..."), or NULL when there are. */
const char *rs_window_voice_error(const struct rs_window *w);

/* Say a phrase after any cue tones (rs_voice.h); nothing without a voice. */
void rs_window_say(struct rs_window *w, enum rs_phrase p);
/* True when the renderer waits for the display's vertical sync on present. */
bool rs_window_has_vsync(const struct rs_window *w);

/* Pure parts of the renderer choice (tests). True when the GL_RENDERER
 * string names a software rasteriser (llvmpipe, softpipe, swrast, ...). */
bool rs_window_gl_is_software(const char *gl_renderer);
/* True when the software renderer should be used: the choice, the name of
 * the accelerated renderer SDL made (NULL: none could be made) and its
 * GL_RENDERER string (NULL when not OpenGL or unknown). */
bool rs_window_pick_software(enum rs_renderer_choice choice, const char *accel_name,
                             const char *gl_renderer);

/* Path of the marker file that records that the safety note was read. */
int rs_window_safety_marker(const char *config_dir, char *path, size_t cap);

#endif
