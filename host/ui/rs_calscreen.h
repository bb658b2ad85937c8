/*
 * rs_calscreen.h - the calibration wizard's screen (tare and span in the
 * window): draws one frame of a struct rs_calwiz onto a caller-owned
 * SDL_Renderer, with the window's font, palette and text machinery.
 *
 * Read from the floor like the live window: a large instruction, the live
 * force per side and in total, STEADY / CHANGING in words and colour, a
 * progress bar while measuring, the result or the refusal (verbatim from the
 * solver) and the keys that apply now. The frame is a function of the wizard
 * state and the output size; the text log (rs_text) is exposed for tests.
 */
#ifndef RS_CALSCREEN_H
#define RS_CALSCREEN_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "rs_calwiz.h"
#include "rs_text.h"

/* Text log panels of this screen. */
enum rs_calscreen_panel { RS_CS_TITLE, RS_CS_PROMPT, RS_CS_LIVE, RS_CS_MESSAGE, RS_CS_KEYS };

struct rs_calscreen;

/* 0, or -1 with a one-line reason in err. */
int rs_calscreen_create(struct rs_calscreen **out, SDL_Renderer *ren, const char *font_path,
                        char *err, size_t errcap);
void rs_calscreen_destroy(struct rs_calscreen *cs);

/* Draw (does not present). w, h: output size in pixels. */
void rs_calscreen_draw(struct rs_calscreen *cs, const struct rs_calwiz *wz, int w, int h);

/* What the keys ask of the wizard, as bits: Enter, keypad Enter or Space
 * measure / confirm; y confirms an empty roller (a first tare); Esc or q
 * stop (cancel, or close when done). The one key mapping of the wizard in
 * its own window (calibrate --gui) and over the live window (key c). */
enum rs_calscreen_key { RS_CSK_ENTER = 1u << 0, RS_CSK_EMPTY = 1u << 1, RS_CSK_STOP = 1u << 2 };

/* Drain SDL's event queue: the keys pressed (enum rs_calscreen_key bits);
 * *closed set when the window was closed (left alone otherwise). */
unsigned rs_calscreen_poll_keys(bool *closed);

/* The last frame's text boxes; *n gets their count. The progress bar's rect
 * (0x0 when none) for pixel checks. */
const struct rs_text_box *rs_calscreen_text(const struct rs_calscreen *cs, int *n);
struct rs_rect rs_calscreen_progress_rect(const struct rs_calscreen *cs);

#endif
