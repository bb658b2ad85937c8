/*
 * test_calib_screen.c - the calibration wizard's screen (rs_calscreen),
 * headless: offscreen video, software renderer. For each wizard state and
 * output size: no text dropped, every string inside the window and no two
 * overlapping, the instruction and the refusal on screen, the progress bar
 * filled in sky blue while measuring. PNGs go to argv[1] when given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "rs_calscreen.h"
#include "rs_defaults.h"
#include "rs_font.h"
#include "rs_palette.h"

static const char *png_dir;

static void feed(struct rs_calwiz *w, double total_n, double noise_n, int n)
{
    static uint32_t x = 12345;
    for (int i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        double jitter = ((double)(x >> 8) / 16777216.0 - 0.5) * 3.4 * noise_n;
        struct rs_sample s = {
            .left = (int32_t)lround((total_n / 2 + jitter) * RS_DEFAULT_SCALE_COUNTS_PER_N),
            .right = (int32_t)lround((total_n / 2 + jitter / 2) * RS_DEFAULT_SCALE_COUNTS_PER_N),
        };
        rs_calwiz_push(w, &s);
    }
}

/* n + 1 samples, still load, while the encoder count moves by delta. */
static void roll(struct rs_calwiz *w, double delta, int n)
{
    for (int i = 0; i <= n; i++) {
        struct rs_sample s = { .enc = (int32_t)lround(delta * i / n) };
        rs_calwiz_push(w, &s);
    }
}

enum state {
    S_PROMPT, S_MEASURE, S_REFUSED, S_SPAN_PROMPT, S_DONE, S_FAILED,
    S_ENC_PROMPT, S_ENC_TRACK, S_ENC_REFUSED, S_ENC_DIST, S_CALF_WAIT, S_CALF_TRACK, S_CALF_DONE,
    S_COUNT
};
static const char *const state_name[] = { "prompt", "measure", "refused", "span", "done", "failed",
                                          "enc-prompt", "enc-track", "enc-refused", "enc-distance",
                                          "calf-wait", "calf-track", "calf-done" };
#define CPR ((double)RS_ENC_COUNTS_PER_REV)

/* Put a wizard into one of the states worth drawing. */
static void make(struct rs_calwiz *w, enum state st)
{
    struct rs_cal cur;
    rs_calibrate_defaults(&cur);
    if (st >= S_CALF_WAIT)
        rs_calwiz_init_calf(w, 80, &cur);
    else if (st >= S_ENC_PROMPT)
        rs_calwiz_init_encoder(w, 3, st == S_ENC_DIST ? 2.5 : 0, 80, &cur);
    else
        rs_calwiz_init(w, st == S_SPAN_PROMPT ? RS_CW_FULL : RS_CW_TARE, 10, 80, 1.0, &cur);
    switch (st) {
    case S_ENC_PROMPT:
        break;
    case S_ENC_TRACK:
        rs_calwiz_confirm(w);
        roll(w, 1.5 * CPR, 100);
        break;
    case S_ENC_REFUSED:
        rs_calwiz_confirm(w);
        roll(w, 2 * CPR, 100);
        rs_calwiz_confirm(w);
        break;
    case S_ENC_DIST:
        rs_calwiz_confirm(w);
        roll(w, 3 * CPR, 100);
        rs_calwiz_confirm(w);
        break;
    case S_CALF_WAIT:
        rs_calwiz_confirm(w); /* no sample since Enter yet */
        break;
    case S_CALF_TRACK:
        rs_calwiz_confirm(w);
        roll(w, 0.2 / (2 * M_PI * 0.07) * CPR, 100); /* 20 cm so far */
        break;
    case S_CALF_DONE:
        rs_calwiz_confirm(w);
        roll(w, 0.385 / (2 * M_PI * 0.07) * CPR, 100);
        rs_calwiz_confirm(w);
        rs_calwiz_saved(w, true, NULL);
        break;
    case S_PROMPT:
        break;
    case S_MEASURE:
        rs_calwiz_confirm(w);
        feed(w, 0, 0.05, 70);
        break;
    case S_REFUSED:
        rs_calwiz_confirm(w);
        feed(w, 40, 6, 200);
        break;
    case S_SPAN_PROMPT:
        rs_calwiz_confirm(w);
        feed(w, 0, 0.05, 200);
        break;
    case S_DONE:
        rs_calwiz_confirm(w);
        feed(w, 0, 0.05, 200);
        rs_calwiz_saved(w, true, NULL);
        break;
    case S_FAILED:
        rs_calwiz_cancel(w);
        break;
    case S_COUNT:
        break;
    }
}

static struct rs_rgb pixel(SDL_Renderer *ren, int x, int y)
{
    Uint32 p = 0;
    SDL_Rect r = { x, y, 1, 1 };
    SDL_RenderReadPixels(ren, &r, SDL_PIXELFORMAT_ARGB8888, &p, 4);
    return (struct rs_rgb){ (uint8_t)(p >> 16), (uint8_t)(p >> 8), (uint8_t)p };
}

static void save_png(SDL_Renderer *ren, int w, int h, const char *name)
{
    if (!png_dir)
        return;
    mkdir(png_dir, 0755);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    char path[600];
    snprintf(path, sizeof path, "%s/%s.png", png_dir, name);
    IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
}

/* True when s is on screen: in one string, or across the wrapped lines of
 * one panel (joined with spaces). Log entries keep at most 47 characters. */
static bool logged(const struct rs_text_box *t, int n, const char *s)
{
    for (int p = RS_CS_TITLE; p <= RS_CS_KEYS; p++) {
        char joined[1024] = "";
        size_t len = 0;
        for (int i = 0; i < n; i++) {
            if (t[i].panel != p || t[i].dropped)
                continue;
            if (strstr(t[i].text, s))
                return true;
            int k = snprintf(joined + len, sizeof joined - len, "%s%s", len ? " " : "", t[i].text);
            if (k > 0 && (size_t)k < sizeof joined - len)
                len += (size_t)k;
        }
        if (strstr(joined, s))
            return true;
    }
    return false;
}

static void test_calib_screen_states(void **state)
{
    (void)state;
    static const struct { int w, h; } sizes[] = { { 1024, 640 }, { 800, 480 }, { 1920, 1080 } };
    char font[512], err[256];
    assert_int_equal(rs_font_find(font, sizeof font, NULL), 0);
    static struct rs_calwiz w;
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        SDL_Window *win = SDL_CreateWindow("calib test", 0, 0, sizes[z].w, sizes[z].h,
                                           SDL_WINDOW_HIDDEN);
        assert_non_null(win);
        SDL_Renderer *ren = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
        assert_non_null(ren);
        struct rs_calscreen *cs;
        assert_int_equal(rs_calscreen_create(&cs, ren, font, err, sizeof err), 0);
        int ow, oh;
        SDL_GetRendererOutputSize(ren, &ow, &oh);
        for (int st = 0; st < S_COUNT; st++) {
            make(&w, (enum state)st);
            rs_calscreen_draw(cs, &w, ow, oh);
            int n;
            const struct rs_text_box *t = rs_calscreen_text(cs, &n);
            struct rs_rect screen = { 0, 0, ow, oh };
            for (int i = 0; i < n; i++) {
                if (t[i].dropped)
                    fail_msg("%dx%d %s: text '%s' dropped", ow, oh, state_name[st], t[i].text);
                if (!rs_rect_contains(screen, t[i].box))
                    fail_msg("%dx%d %s: '%s' leaves the window", ow, oh, state_name[st],
                             t[i].text);
                for (int k = i + 1; k < n; k++)
                    if (rs_rect_overlaps(t[i].box, t[k].box))
                        fail_msg("%dx%d %s: '%s' overlaps '%s'", ow, oh, state_name[st],
                                 t[i].text, t[k].text);
            }
            assert_true(logged(t, n, st >= S_CALF_WAIT ? "PROFILE" : "CALIBRATION"));
            switch (st) {
            case S_ENC_PROMPT:
                assert_true(logged(t, n, "Put a mark on the roller"));
                assert_true(logged(t, n, "TURNS SINCE ENTER"));
                assert_true(logged(t, n, "ENTER  start"));
                break;
            case S_ENC_TRACK:
                assert_true(logged(t, n, "Turn the roller 3 times forward"));
                assert_true(logged(t, n, "+1.50"));
                assert_true(logged(t, n, "FOLLOWING THE ROLLER"));
                assert_true(logged(t, n, "ENTER  done"));
                assert_int_equal(rs_calscreen_progress_rect(cs).w, 0);
                break;
            case S_ENC_REFUSED:
                assert_true(logged(t, n, "encoder check failed"));
                assert_true(logged(t, n, "start again"));
                break;
            case S_ENC_DIST:
                assert_true(logged(t, n, "STEP 2 OF 2"));
                assert_true(logged(t, n, "measured 2.5 m"));
                assert_true(logged(t, n, "Encoder: 3.00 turns"));
                break;
            case S_CALF_WAIT:
                assert_true(logged(t, n, "Roll slowly once"));
                assert_true(logged(t, n, "WAITING FOR THE ROLLER"));
                break;
            case S_CALF_TRACK:
                assert_true(logged(t, n, "CALF LENGTH SO FAR"));
                assert_true(logged(t, n, "20.0 cm"));
                break;
            case S_CALF_DONE:
                assert_true(logged(t, n, "Saved in the profile"));
                assert_true(logged(t, n, "MEASURED"));
                assert_true(logged(t, n, "38.5 cm"));
                break;
            case S_PROMPT:
                assert_true(logged(t, n, "Take everything off"));
                assert_true(logged(t, n, "NO READINGS YET"));
                assert_true(logged(t, n, "ENTER  measure"));
                break;
            case S_MEASURE: {
                struct rs_rect pr = rs_calscreen_progress_rect(cs);
                assert_true(pr.w > 0);
                /* 70 of 120 samples: the left part is filled, the right is not. */
                struct rs_rgb in = pixel(ren, pr.x + pr.w / 4, pr.y + pr.h / 2);
                struct rs_rgb out = pixel(ren, pr.x + pr.w * 9 / 10, pr.y + pr.h / 2);
                struct rs_rgb sky = rs_colour(RS_C_SKY), track = rs_colour(RS_C_TRACK);
                assert_true(in.r == sky.r && in.g == sky.g && in.b == sky.b);
                assert_true(out.r == track.r && out.g == track.g && out.b == track.b);
                assert_true(logged(t, n, "STEADY"));
                break;
            }
            case S_REFUSED:
                assert_true(logged(t, n, "refused"));
                assert_true(logged(t, n, "CHANGING"));
                assert_true(logged(t, n, "measure again"));
                break;
            case S_SPAN_PROMPT:
                assert_true(logged(t, n, "LEFT END"));
                assert_true(logged(t, n, "STEP 2 OF 5"));
                assert_true(logged(t, n, "Tare: zero at"));
                break;
            case S_DONE:
                assert_true(logged(t, n, "Saved on the roller"));
                break;
            case S_FAILED:
                assert_true(logged(t, n, "nothing was saved"));
                break;
            }
            char name[64];
            snprintf(name, sizeof name, "calib-%dx%d-%s", ow, oh, state_name[st]);
            save_png(ren, ow, oh, name);
        }
        rs_calscreen_destroy(cs);
        SDL_DestroyRenderer(ren);
        SDL_DestroyWindow(win);
    }
}

static void push_key(SDL_Keycode k)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    SDL_PushEvent(&e);
}

/* The wizard's one key mapping (calibrate --gui and key c in the window). */
static void test_calib_screen_keys(void **state)
{
    (void)state;
    static const struct {
        SDL_Keycode k;
        unsigned want;
    } table[] = {
        { SDLK_RETURN, RS_CSK_ENTER }, { SDLK_KP_ENTER, RS_CSK_ENTER }, { SDLK_SPACE, RS_CSK_ENTER },
        { SDLK_y, RS_CSK_EMPTY },      { SDLK_ESCAPE, RS_CSK_STOP },    { SDLK_q, RS_CSK_STOP },
        { SDLK_a, 0 },                 { SDLK_n, 0 },
    };
    bool closed = false;
    rs_calscreen_poll_keys(&closed); /* drain what SDL queued at start */
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        push_key(table[i].k);
        closed = false;
        assert_int_equal(rs_calscreen_poll_keys(&closed), table[i].want);
        assert_false(closed);
    }
    push_key(SDLK_y);
    push_key(SDLK_RETURN);
    SDL_Event q;
    memset(&q, 0, sizeof q);
    q.type = SDL_QUIT;
    SDL_PushEvent(&q);
    assert_int_equal(rs_calscreen_poll_keys(&closed), RS_CSK_EMPTY | RS_CSK_ENTER);
    assert_true(closed);
}

int main(int argc, char **argv)
{
    png_dir = argc > 1 ? argv[1] : NULL;
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calib_screen_states),
        cmocka_unit_test(test_calib_screen_keys),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
