/* rs_calscreen.c - see rs_calscreen.h. */
#include "rs_calscreen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_palette.h"

struct rs_calscreen {
    SDL_Renderer *ren;
    struct rs_text text;
    struct rs_rect progress;
};

static void fill(struct rs_calscreen *cs, struct rs_rect x, struct rs_rgb c)
{
    SDL_SetRenderDrawColor(cs->ren, c.r, c.g, c.b, 255);
    SDL_Rect s = { x.x, x.y, x.w, x.h };
    SDL_RenderFillRect(cs->ren, &s);
}

int rs_calscreen_create(struct rs_calscreen **out, SDL_Renderer *ren, const char *font_path,
                        char *err, size_t errcap)
{
    *out = NULL;
    struct rs_calscreen *cs = calloc(1, sizeof *cs);
    if (!cs) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    cs->ren = ren;
    if (rs_text_init(&cs->text, ren, font_path, err, errcap) != 0) {
        free(cs);
        return -1;
    }
    *out = cs;
    return 0;
}

void rs_calscreen_destroy(struct rs_calscreen *cs)
{
    if (!cs)
        return;
    rs_text_free(&cs->text);
    free(cs);
}

static bool motion_step(const struct rs_calwiz *wz)
{
    enum rs_calwiz_step s = wz->steps[wz->step];
    return s == RS_CWS_TURNS || s == RS_CWS_DISTANCE || s == RS_CWS_CALF;
}

static const char *keys_for(const struct rs_calwiz *wz)
{
    enum rs_calwiz_phase p = wz->phase;
    switch (p) {
    case RS_CW_PROMPT:
        return motion_step(wz) ? "ENTER  start        ESC  cancel"
                               : "ENTER  measure        ESC  cancel";
    case RS_CW_TRACK: return "ENTER  done        ESC  cancel";
    case RS_CW_SETTLE:
    case RS_CW_MEASURE: return "measuring - keep still        ESC  cancel";
    case RS_CW_REFUSED:
        return motion_step(wz) ? "ENTER  start again        ESC  stop"
                               : "ENTER  measure again        ESC  stop";
    case RS_CW_CONFIRM: return "Y  it is empty: tare        ENTER  measure again        ESC  stop";
    case RS_CW_READY: return wz->mode == RS_CW_CALF ? "saving the profile..."
                                                    : "saving on the roller...";
    case RS_CW_DONE:
    case RS_CW_FAILED: return "ENTER or ESC  close";
    }
    return "";
}

/*
 * The live panel of an encoder or calf step: what has moved since Enter
 * (turns, or centimetres of surface travel), large, and whether the wizard
 * is following the roller now, in words and colour.
 */
static void draw_motion(struct rs_calscreen *cs, const struct rs_calwiz *wz, struct rs_rect li,
                        int lab_h, int num_h)
{
    struct rs_text *t = &cs->text;
    enum rs_calwiz_step s = wz->steps[wz->step];
    bool live = wz->phase == RS_CW_TRACK && wz->tracking;
    const char *lab = s == RS_CWS_TURNS ? "TURNS SINCE ENTER"
                      : s == RS_CWS_DISTANCE ? "ROLLED SINCE ENTER"
                      : live                 ? "CALF LENGTH SO FAR"
                                             : "CALF LENGTH";
    char num[48];
    if (!live && s == RS_CWS_CALF && wz->calf_cm > 0)
        snprintf(num, sizeof num, "%.1f cm", wz->calf_cm);
    else if (!live)
        snprintf(num, sizeof num, "--");
    else if (s == RS_CWS_TURNS)
        snprintf(num, sizeof num, "%+.2f", wz->moved_turns);
    else
        snprintf(num, sizeof num, "%.1f cm", wz->moved_cm);
    struct rs_rect lb = { li.x, li.y, li.w, lab_h };
    struct rs_rect nb = { li.x, li.y + lab_h, li.w, num_h };
    struct rs_rect sb = { li.x, li.y + lab_h + num_h, li.w, li.h - lab_h - num_h };
    rs_text_fit(t, lb, lab_h, RS_AL_CENTRE, rs_colour(RS_C_TEXT_DIM), lab, NULL);
    rs_text_fit(t, nb, num_h, RS_AL_CENTRE, rs_colour(RS_C_TEXT), num, NULL);
    bool measured = s == RS_CWS_CALF && wz->calf_cm > 0;
    const char *st = live ? "FOLLOWING THE ROLLER"
                     : wz->phase == RS_CW_TRACK ? "WAITING FOR THE ROLLER"
                     : measured ? "MEASURED"
                     : wz->have_enc ? "READY" : "NO READINGS YET";
    rs_text_fit(t, sb, sb.h, RS_AL_CENTRE,
                live ? rs_colour(RS_C_SKY) : rs_colour(RS_C_TEXT_DIM), st, NULL);
}

void rs_calscreen_draw(struct rs_calscreen *cs, const struct rs_calwiz *wz, int w, int h)
{
    struct rs_text *t = &cs->text;
    rs_text_log_reset(t);
    t->min_px = 11;
    SDL_SetRenderDrawBlendMode(cs->ren, SDL_BLENDMODE_NONE);
    struct rs_rgb bg = rs_colour(RS_C_BG);
    SDL_SetRenderDrawColor(cs->ren, bg.r, bg.g, bg.b, 255);
    SDL_RenderClear(cs->ren);
    cs->progress = (struct rs_rect){ 0, 0, 0, 0 };

    int pad = h / 40 > 4 ? h / 40 : 4;
    int iw = w - 2 * pad;
    /* Rows: title 10 %, prompt 30 %, live 28 %, progress/message 22 %, keys 10 %. */
    int y = pad, ih = h - 2 * pad;
    struct rs_rect title = { pad, y, iw, ih * 10 / 100 };
    struct rs_rect prompt = { pad, title.y + title.h, iw, ih * 30 / 100 };
    struct rs_rect live = { pad, prompt.y + prompt.h, iw, ih * 28 / 100 };
    struct rs_rect msg = { pad, live.y + live.h, iw, ih * 22 / 100 };
    struct rs_rect keys = { pad, msg.y + msg.h, iw, ih - (msg.y + msg.h - y) };

    /* Title and step. */
    rs_text_set_panel(t, RS_CS_TITLE, title);
    fill(cs, title, rs_colour(RS_C_PANEL));
    struct rs_rect tl = rs_rect_inset(title, pad / 2);
    struct rs_rect tl_left = { tl.x, tl.y, tl.w * 62 / 100, tl.h };
    struct rs_rect tl_right = { tl.x + tl.w * 64 / 100, tl.y, tl.w * 36 / 100, tl.h };
    rs_text_fit(t, tl_left, tl.h, RS_AL_LEFT, rs_colour(RS_C_TEXT), wz->title, NULL);
    char step[48];
    snprintf(step, sizeof step, "STEP %d OF %d", wz->step + 1, wz->nsteps);
    rs_text_fit(t, tl_right, tl.h, RS_AL_RIGHT, rs_colour(RS_C_TEXT_DIM), step, NULL);

    /* The instruction, large. */
    rs_text_set_panel(t, RS_CS_PROMPT, prompt);
    struct rs_rgb pc = wz->phase == RS_CW_DONE ? rs_colour(RS_C_GREEN)
                       : wz->phase == RS_CW_FAILED ? rs_colour(RS_C_VERMILLION)
                                                   : rs_colour(RS_C_TEXT);
    const char *ptext = wz->phase == RS_CW_FAILED ? "Calibration stopped: nothing was saved."
                                                  : wz->prompt;
    rs_text_wrap(&cs->text, rs_rect_inset(prompt, pad / 2), prompt.h / 3, RS_AL_CENTRE, pc, ptext);

    /* Live readings: LEFT | TOTAL | RIGHT, and steadiness in words and colour. */
    rs_text_set_panel(t, RS_CS_LIVE, live);
    fill(cs, live, rs_colour(RS_C_PANEL));
    struct rs_rect li = rs_rect_inset(live, pad / 2);
    int cw = li.w / 3, lab_h = li.h / 5, num_h = li.h * 2 / 5;
    if (motion_step(wz)) {
        draw_motion(cs, wz, li, lab_h, num_h);
    } else {
        static const char *const lab[] = { "LEFT", "TOTAL", "RIGHT" };
        double val[] = { wz->left_n, wz->total_n, wz->right_n };
        for (int i = 0; i < 3; i++) {
            struct rs_rect lb = { li.x + i * cw, li.y, cw, lab_h };
            struct rs_rect nb = { li.x + i * cw, li.y + lab_h, cw, num_h };
            rs_text_fit(t, lb, lab_h, RS_AL_CENTRE, rs_colour(RS_C_TEXT_DIM), lab[i], NULL);
            char num[32];
            if (wz->have_live)
                snprintf(num, sizeof num, "%.1f N", val[i]);
            else
                snprintf(num, sizeof num, "--");
            rs_text_fit(t, nb, num_h, RS_AL_CENTRE, rs_colour(RS_C_TEXT), num, NULL);
        }
        struct rs_rect sb = { li.x, li.y + lab_h + num_h, li.w, li.h - lab_h - num_h };
        if (wz->have_live) {
            bool steady = wz->sd_n <= wz->lim.max_sd_n;
            char st[64];
            snprintf(st, sizeof st, "%s  +-%.1f N", steady ? "STEADY" : "CHANGING", wz->sd_n);
            rs_text_fit(t, sb, sb.h, RS_AL_CENTRE,
                        steady ? rs_colour(RS_C_GREEN) : rs_colour(RS_C_ORANGE), st, NULL);
        } else {
            rs_text_fit(t, sb, sb.h, RS_AL_CENTRE, rs_colour(RS_C_TEXT_DIM), "NO READINGS YET", NULL);
        }
    }

    /* Progress while measuring; otherwise the last result or refusal. */
    rs_text_set_panel(t, RS_CS_MESSAGE, msg);
    if (wz->phase == RS_CW_SETTLE || wz->phase == RS_CW_MEASURE) {
        struct rs_rect track = { msg.x, msg.y + msg.h / 3, msg.w, msg.h / 3 };
        fill(cs, track, rs_colour(RS_C_TRACK));
        double f = rs_calwiz_progress(wz);
        struct rs_rect bar = { track.x, track.y, (int)lround(track.w * (f < 0 ? 0 : f > 1 ? 1 : f)),
                               track.h };
        fill(cs, bar, rs_colour(RS_C_SKY));
        cs->progress = track;
    } else if (wz->message[0]) {
        rs_text_wrap(&cs->text, rs_rect_inset(msg, pad / 2), msg.h / 3, RS_AL_CENTRE,
                wz->message_is_error ? rs_colour(RS_C_VERMILLION) : rs_colour(RS_C_GREEN),
                wz->message);
    }

    /* Keys that apply now. */
    rs_text_set_panel(t, RS_CS_KEYS, keys);
    rs_text_fit(t, rs_rect_inset(keys, pad / 2), keys.h / 2, RS_AL_CENTRE,
                rs_colour(RS_C_TEXT_DIM), keys_for(wz), NULL);
}

const struct rs_text_box *rs_calscreen_text(const struct rs_calscreen *cs, int *n)
{
    *n = cs->text.nlog;
    return cs->text.log;
}

struct rs_rect rs_calscreen_progress_rect(const struct rs_calscreen *cs)
{
    return cs->progress;
}

unsigned rs_calscreen_poll_keys(bool *closed)
{
    unsigned keys = 0;
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_QUIT) {
            *closed = true;
        } else if (ev.type == SDL_KEYDOWN) {
            SDL_Keycode k = ev.key.keysym.sym;
            if (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_SPACE)
                keys |= RS_CSK_ENTER;
            else if (k == SDLK_y)
                keys |= RS_CSK_EMPTY;
            else if (k == SDLK_ESCAPE || k == SDLK_q)
                keys |= RS_CSK_STOP;
        }
    }
    return keys;
}
