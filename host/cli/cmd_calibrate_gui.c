/*
 * cmd_calibrate_gui.c - `rollsense calibrate tare|span|encoder --gui`: the
 * same steps as a wizard in a window.
 *
 * The thin shell around the pure wizard (rs_calwiz.h) and its screen
 * (rs_calscreen.h): it feeds the roller's samples and the user's keys to the
 * wizard, draws a frame per loop, and saves the solved block exactly as the
 * terminal steps do (rs_cal_save: SET_CAL, SAVE_CAL, read-back, host mirror
 * with the previous version). Keys: Enter or Space measures (and closes at
 * the end), Esc or q cancels or closes. A line on stdin counts as Enter, so
 * tests drive it like the terminal steps; every new instruction, result and
 * refusal is also printed (refusals verbatim on stderr).
 */
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_calibrate.h"
#include "rs_calscreen.h"
#include "rs_defaults.h"
#include "rs_font.h"
#include "rs_file.h"

#define FRAME_MS 33   /* about 30 frames per second: the screen is mostly text */

/* Save the current frame as PNG; 0 or -1. */
static int screenshot(SDL_Renderer *ren, int w, int h, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return -1;
    int rc = SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (rc == 0)
        rc = rs_file_make_private(path) == 0 ? IMG_SavePNG(s, path) : -1;
    SDL_FreeSurface(s);
    return rc == 0 ? 0 : -1;
}

/* Print what changed in the wizard since the last call. */
static void report(struct ui *u, const struct rs_calwiz *wz, char *last_prompt, size_t pcap,
                   char *last_msg, size_t mcap, enum rs_calwiz_phase *last_phase)
{
    if (strcmp(wz->message, last_msg) != 0) {
        snprintf(last_msg, mcap, "%s", wz->message);
        if (wz->message[0]) {
            if (wz->message_is_error)
                rs_cli_error("%s", wz->message);
            else
                rs_cal_say(u, "%s", wz->message);
        }
    }
    bool prompt_phase = wz->phase == RS_CW_PROMPT || wz->phase == RS_CW_DONE ||
                        wz->phase == RS_CW_TRACK;
    if (prompt_phase && (strcmp(wz->prompt, last_prompt) != 0 || *last_phase != wz->phase)) {
        snprintf(last_prompt, pcap, "%s", wz->prompt);
        rs_cal_say(u, "Step %d of %d: %s", wz->step + 1, wz->nsteps, wz->prompt);
    }
    if (wz->phase == RS_CW_REFUSED && *last_phase != RS_CW_REFUSED)
        rs_cal_say(u, "Press Enter to %s again, or Esc to stop.",
                   wz->mode == RS_CW_ENCODER ? "start" : "measure");
    *last_phase = wz->phase;
}

int rs_cal_gui(struct ui *u, const struct opts *o, enum rs_calwiz_mode mode)
{
    char font[512], err[512];
    if (rs_font_find(font, sizeof font, NULL) != 0) {
        rs_cli_error("calibrate: %s", RS_FONT_HELP);
        return RS_EXIT_FAIL;
    }
    static struct rs_calwiz wz;
    struct rs_cal nominal;
    rs_calibrate_defaults(&nominal);
    double turns = o->have_turns ? o->turns : 3;
    double dist = o->have_distance ? o->distance_m : 0;
    /* A light mass (bad turns, distance) is refused before the roller or a
     * window is opened. */
    if (mode == RS_CW_ENCODER)
        rs_calwiz_init_encoder(&wz, turns, dist, 80, &nominal);
    else
        rs_calwiz_init(&wz, mode, o->mass_kg, 80, o->window_s, &nominal);
    if (wz.phase == RS_CW_FAILED) {
        rs_cli_error("%s", wz.message);
        return RS_EXIT_FAIL;
    }
    struct session ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return RS_EXIT_FAIL;
    int rate = rs_caldev_info(ss.d)->sample_rate_hz;
    if (mode == RS_CW_ENCODER) {
        /* The terminal step's rule: an implausible radius is the nominal one. */
        struct rs_cal cur = ss.cal;
        if (cur.radius_um < 20000 || cur.radius_um > 150000)
            cur.radius_um = RS_DEFAULT_RADIUS_UM;
        rs_calwiz_init_encoder(&wz, turns, dist, rate > 0 ? rate : 80, &cur);
    } else {
        rs_calwiz_init(&wz, mode, o->mass_kg, rate > 0 ? rate : 80, o->window_s, &ss.cal);
    }

    int rc = RS_EXIT_FAIL;
    SDL_Window *win = NULL;
    SDL_Renderer *ren = NULL;
    struct rs_calscreen *cs = NULL;
    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        rs_cli_error("calibrate: cannot start the window: %s", SDL_GetError());
        goto out;
    }
    win = SDL_CreateWindow("rollsense - calibration", SDL_WINDOWPOS_CENTERED,
                           SDL_WINDOWPOS_CENTERED, 1024, 640,
                           SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    /* A static screen: the software renderer is fast enough and identical
     * everywhere (platform-notes.md). */
    ren = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    if (!ren) {
        rs_cli_error("calibrate: cannot open the window: %s", SDL_GetError());
        goto out;
    }
    if (rs_calscreen_create(&cs, ren, font, err, sizeof err)) {
        rs_cli_error("calibrate: %s", err);
        goto out;
    }

    char last_prompt[256] = "", last_msg[320] = "", why[256];
    enum rs_calwiz_phase last_phase = (enum rs_calwiz_phase)-1;
    bool close = false, end_track = false;
    Uint32 next_draw = 0;
    enum rs_calwiz_phase drawn_phase = (enum rs_calwiz_phase)-1;
    while (!close) {
        report(u, &wz, last_prompt, sizeof last_prompt, last_msg, sizeof last_msg, &last_phase);
        bool enter = false, esc = false;
        SDL_Event ev;
        while (SDL_PollEvent(&ev)) {
            if (ev.type == SDL_QUIT)
                esc = close = true;
            else if (ev.type == SDL_KEYDOWN) {
                SDL_Keycode k = ev.key.keysym.sym;
                if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
                    enter = true;
                else if (k == SDLK_ESCAPE || k == SDLK_q)
                    esc = true;
            }
        }
        char line[64];
        int got_line = 0;
        if (!o->yes) { /* --yes answers everything itself */
            rs_cal_fill(u, 0);
            got_line = rs_cal_take_line(u, line, sizeof line);
        }
        if (got_line > 0)
            enter = !(line[0] == 'q' || line[0] == 'Q'), esc = !enter;
        bool waiting = wz.phase == RS_CW_PROMPT || wz.phase == RS_CW_REFUSED ||
                       wz.phase == RS_CW_TRACK;
        if (o->yes && (waiting || wz.phase == RS_CW_DONE || wz.phase == RS_CW_FAILED))
            enter = wz.phase != RS_CW_REFUSED, esc = wz.phase == RS_CW_REFUSED;
        if (got_line < 0 && (waiting || wz.phase == RS_CW_DONE || wz.phase == RS_CW_FAILED))
            esc = true; /* end of input: give up, or close at the end */

        if (wz.phase == RS_CW_DONE || wz.phase == RS_CW_FAILED) {
            if (enter || esc)
                close = true;
        } else if (esc) {
            rs_calwiz_cancel(&wz);
        } else if (enter && waiting) {
            /* Only what the roller measures from now on counts. */
            if (rs_caldev_flush(ss.d, why, sizeof why)) {
                rs_cli_error("calibrate: %s", why);
                goto out;
            }
            /* The end of a movement counts from a sample taken after
             * Enter (like the terminal step), so it waits for one. */
            if (wz.phase == RS_CW_TRACK)
                end_track = true;
            else
                rs_calwiz_confirm(&wz);
        }

        /* The roller's samples; waiting for them paces the loop. */
        struct rs_sample s;
        int n = rs_caldev_sample(ss.d, &s, FRAME_MS, why, sizeof why);
        for (int k = 0; n > 0; k++) {
            rs_calwiz_push(&wz, &s);
            if (end_track) {
                end_track = false;
                rs_calwiz_confirm(&wz);
            }
            /* Bounded: an emulated roller may send faster than this reads. */
            n = k < 4096 ? rs_caldev_sample(ss.d, &s, 0, why, sizeof why) : 0;
        }
        if (n < 0) {
            rs_cli_error("calibrate: %s", why);
            goto out;
        }
        if (wz.phase == RS_CW_READY) {
            report(u, &wz, last_prompt, sizeof last_prompt, last_msg, sizeof last_msg,
                   &last_phase);
            struct rs_cal blk = wz.cal;
            bool ok = rs_cal_save(u, &ss, &blk) == 0;
            rs_calwiz_saved(&wz, ok, ok ? NULL : "saving on the roller failed (see the terminal)");
        }
        /* At most one frame per FRAME_MS however fast samples arrive; a
         * change of phase is drawn at once. */
        Uint32 now = SDL_GetTicks();
        if (close || wz.phase != drawn_phase || (Sint32)(now - next_draw) >= 0) {
            int w = 0, h = 0;
            SDL_GetRendererOutputSize(ren, &w, &h);
            rs_calscreen_draw(cs, &wz, w, h);
            if (close && o->screenshot && screenshot(ren, w, h, o->screenshot))
                rs_cli_error("calibrate: cannot write the screenshot %s: %s", o->screenshot,
                             SDL_GetError());
            SDL_RenderPresent(ren);
            drawn_phase = wz.phase;
            next_draw = now + FRAME_MS;
        }
    }
    report(u, &wz, last_prompt, sizeof last_prompt, last_msg, sizeof last_msg, &last_phase);
    rc = wz.phase == RS_CW_DONE ? RS_EXIT_OK : RS_EXIT_FAIL;
out:
    rs_calscreen_destroy(cs);
    if (ren)
        SDL_DestroyRenderer(ren);
    if (win)
        SDL_DestroyWindow(win);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit(); /* the command ends here: release what SDL and its drivers hold */
    rs_caldev_close(ss.d);
    return rc;
}
