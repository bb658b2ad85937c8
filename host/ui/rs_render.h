/*
 * rs_render.h - draw one frame of the live/replay window from a view.
 *
 * The frame is a function of (struct rs_view, struct rs_overlay, output
 * size, HiDPI scale) drawn onto a caller-owned SDL_Renderer; it keeps only
 * caches (glyph textures, fonts) and the last frame's geometry between
 * calls. After the first frames have warmed the glyph cache, drawing a
 * frame allocates nothing: strings are formatted into stack buffers and
 * geometry goes into fixed arrays inside struct rs_render.
 *
 * The last frame's geometry (panels, ring, gauge, alert slots, text boxes)
 * is exposed for tests, which check pixels at semantic places instead of
 * comparing whole images.
 */
#ifndef RS_RENDER_H
#define RS_RENDER_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs_layout.h"
#include "rs_text.h"
#include "rs_view.h"

/* Window-side state drawn on top of the view. */
struct rs_overlay {
    bool help;         /* key help */
    bool safety_note;  /* first-run safety note */
    bool muted;
    int volume_pct;    /* 0..100, shown in the status bar */
    const char *sound_off; /* NULL: cues can be heard; else why not ("no audio device: ..."):
                              the status bar says SOUND OFF instead of the volume */
    const char *toast; /* short message ("screenshot saved"), or NULL */
};

/* Alerts shown in the banner row, most important first. */
enum rs_alert {
    RS_AL_NONE,
    RS_AL_SLOW_DOWN,    /* speed band too fast */
    RS_AL_KNEE,         /* in the knee zone */
    RS_AL_OVERLOAD,     /* force band overload */
    RS_AL_TOO_HARD,     /* force band "no extra benefit" */
    RS_AL_RELEASE,      /* hold >= 90 s */
    RS_AL_SENSOR,       /* sensor fault */
    RS_AL_DISCONNECTED, /* no roller */
    RS_AL_UNCALIBRATED, /* raw units shown */
    RS_AL_ADVICE,       /* the dose advice text (least urgent) */
    RS_AL_COUNT
};

#define RS_RENDER_ALERT_SLOTS 2

struct rs_render_geom {
    struct rs_layout layout;
    int ring_cx, ring_cy, ring_outer, ring_inner; /* hold ring, pixels */
    struct rs_rect force_band_bar;  /* strip filled with the force band colour */
    struct rs_rect speed_gauge;     /* gauge, 0..RS_RENDER_GAUGE_MAX cm/s left to right */
    struct rs_rect leg_badge;       /* filled with the leg colour */
    struct rs_rect pos_bar;         /* calf: ankle at the bottom, knee at the top */
    struct rs_rect knee_zone;       /* part of pos_bar that is the knee zone */
    struct rs_rect map_legend;      /* the calf maps' legend (rs_calfmap_legend) */
    struct rs_rect calf_map[2];     /* the calf maps' cells area, [0] left */
    int nalerts;
    enum rs_alert alert[RS_RENDER_ALERT_SLOTS];
    struct rs_rect alert_rect[RS_RENDER_ALERT_SLOTS];
    struct rs_rect overlay_box;     /* help or safety box, 0x0 if none */
    struct rs_rect timeline_bar;    /* replay: 0 .. replay_len_s left to right */
    struct rs_rect transport_icon;  /* replay: pause bars or play triangle */
    int ntext;
    const struct rs_text_box *text;
    long copied_px; /* pixels the last rs_render_update copied back from the base layers */
};

#define RS_RENDER_GAUGE_MAX 20.0f

struct rs_render;

/* Create a renderer drawing with the font file at font_path. Returns 0, or
 * -1 with a one-line reason in err. */
int rs_render_create(struct rs_render **out, SDL_Renderer *ren, const char *font_path,
                     char *err, size_t errcap);
void rs_render_destroy(struct rs_render *r);

/* Draw the frame (does not present). w, h: output size in pixels. */
void rs_render_frame(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                     int w, int h, float scale);

/*
 * Bring the picture on the renderer's target from the last rs_render_update
 * to this frame, drawing only the panels whose drawing changed (the target
 * must still hold the previous picture: a software renderer's window
 * surface does, a GPU back buffer does not). Static parts of a panel are
 * redrawn with it: a panel is the unit of damage. full (or a new size,
 * mode or overlay, or a change under the help or safety box) redraws
 * everything. The damaged rectangles go to damage (at least RS_P_COUNT);
 * returns their number, 0 when the frame would look exactly like the last
 * (nothing drawn, nothing to present). Pixels equal those of
 * rs_render_frame for the same view.
 *
 * How a change is found: every drawing operation of a panel goes through
 * a few helpers in rs_render.c, which in a first pass only hash their
 * arguments per panel (text is measured, not drawn). A new drawing
 * operation must go through those helpers.
 */
int rs_render_update(struct rs_render *r, const struct rs_view *v, const struct rs_overlay *ov,
                     int w, int h, float scale, bool full, SDL_Rect *damage);

const struct rs_render_geom *rs_render_geometry(const struct rs_render *r);

/* Colour of the leg indicator badge. */
struct rs_rgb rs_leg_colour(enum rs_view_leg leg);
/* Banner colour of an alert. */
struct rs_rgb rs_alert_colour(enum rs_alert a);

/* The safety note's lines (NULL-terminated), also used by docs and tests. */
extern const char *const rs_safety_note[];

#endif
