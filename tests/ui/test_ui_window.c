/*
 * test_ui_window.c - the window shell (label ui): keys to actions, the
 * first-run safety note and its marker file, PNG screenshots, the help
 * overlay, the missing-font message, and no heap allocation per frame.
 * Events are injected with SDL_PushEvent; nothing waits on time.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc_count.h"
#include "rs_font.h"
#include "rs_render.h"
#include "rs_viewscript.h"
#include "rs_window.h"
#include "ui_harness.h"

static char tmp[256], cfgdir[300], shotdir[300];
static struct rs_view view;

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "%s/rs-ui-window-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(tmp))
        return -1;
    snprintf(cfgdir, sizeof cfgdir, "%s/config/rollsense", tmp);
    snprintf(shotdir, sizeof shotdir, "%s/shots", tmp);
    if (mkdir(shotdir, 0700) != 0)
        return -1;
    return ui_harness_sdl_init();
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int rm_rf(const char *dir)
{
    return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int teardown(void **state)
{
    (void)state;
    SDL_Quit();
    return rm_rf(tmp) == 0 ? 0 : -1;
}

static struct rs_window *open_window(void)
{
    struct rs_window_config cfg = {
        .width = 1280, .height = 800, .hidden = true, .software = true, .derive_cues = true,
        .volume = 0.5f, .screenshot_dir = shotdir, .config_dir = cfgdir,
    };
    struct rs_window *w;
    char err[512];
    if (rs_window_open(&w, &cfg, err, sizeof err) != 0)
        fail_msg("rs_window_open: %s", err);
    return w;
}

static void push_key(SDL_Keycode sym, Uint16 mod)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = sym;
    e.key.keysym.mod = mod;
    assert_int_equal(SDL_PushEvent(&e), 1);
}

/* Run the first-run test before the others: it owns the marker file. */
static void test_safety_note_first_run(void **state)
{
    (void)state;
    char marker[700];
    assert_int_equal(rs_window_safety_marker(cfgdir, marker, sizeof marker), 0);
    assert_int_not_equal(access(marker, F_OK), 0);

    struct rs_window *w = open_window();
    struct rs_ui_actions act;
    rs_viewscript_state(&view, RS_VS_ROLLING);
    assert_true(rs_window_safety_note_shown(w));
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    assert_true(rs_window_geometry(w)->overlay_box.w > 0);
    /* q while the note is up dismisses the note, it does not quit. */
    push_key(SDLK_q, 0);
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    assert_false(act.bits & RS_UI_QUIT);
    assert_false(rs_window_safety_note_shown(w));
    assert_int_equal(rs_window_geometry(w)->overlay_box.w, 0);
    struct stat st;
    assert_int_equal(stat(marker, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    rs_window_close(w);

    w = open_window();
    assert_false(rs_window_safety_note_shown(w));
    rs_window_close(w);
}

static void test_keys(void **state)
{
    (void)state;
    static const struct {
        SDL_Keycode sym;
        Uint16 mod;
        bool replay;
        unsigned bits;
        float seek;
        int speed;
    } cases[] = {
        { SDLK_SPACE, 0, false, RS_UI_MARK, 0, 0 },
        { SDLK_SPACE, 0, true, RS_UI_PAUSE, 0, 0 },
        { SDLK_m, 0, false, RS_UI_MUTE, 0, 0 },
        { SDLK_f, 0, false, RS_UI_FULLSCREEN, 0, 0 },
        { SDLK_f, 0, false, RS_UI_FULLSCREEN, 0, 0 },
        { SDLK_RIGHT, 0, true, RS_UI_SEEK, 5, 0 },
        { SDLK_LEFT, 0, true, RS_UI_SEEK, -5, 0 },
        { SDLK_LEFT, KMOD_LSHIFT, true, RS_UI_SEEK, -30, 0 },
        { SDLK_RIGHT, 0, false, 0, 0, 0 }, /* no seeking live */
        { SDLK_PLUS, 0, true, RS_UI_SPEED, 0, 1 },
        { SDLK_EQUALS, 0, true, RS_UI_SPEED, 0, 1 },
        { SDLK_MINUS, 0, true, RS_UI_SPEED, 0, -1 },
        { SDLK_KP_MINUS, 0, true, RS_UI_SPEED, 0, -1 },
        { SDLK_PLUS, 0, false, 0, 0, 0 },
        { SDLK_h, 0, false, RS_UI_HELP, 0, 0 },
        { SDLK_h, 0, false, RS_UI_HELP, 0, 0 }, /* toggles off */
        { SDLK_QUESTION, 0, false, RS_UI_HELP, 0, 0 },
        { SDLK_ESCAPE, 0, false, RS_UI_HELP, 0, 0 }, /* Esc closes help first */
        { SDLK_q, 0, false, RS_UI_QUIT, 0, 0 },
        { SDLK_ESCAPE, 0, true, RS_UI_QUIT, 0, 0 },
    };
    struct rs_window *w = open_window();
    assert_false(rs_window_safety_note_shown(w));
    struct rs_ui_actions act;
    bool muted = false;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rs_viewscript_state(&view, cases[i].replay ? RS_VS_REPLAY : RS_VS_ROLLING);
        push_key(cases[i].sym, cases[i].mod);
        assert_int_equal(rs_window_frame(w, &view, &act), 0);
        if (act.bits != cases[i].bits)
            fail_msg("case %zu (key %d): bits 0x%x, want 0x%x", i, (int)cases[i].sym, act.bits, cases[i].bits);
        assert_true(act.seek_s == cases[i].seek);
        assert_int_equal(act.speed_steps, cases[i].speed);
        if (cases[i].bits & RS_UI_MUTE)
            muted = !muted;
        assert_int_equal(act.muted, muted);
        if (cases[i].bits & RS_UI_HELP)
            assert_int_equal(rs_window_geometry(w)->overlay_box.w > 0, i != 15 && i != 17);
    }
    /* A window-close request quits too. */
    SDL_Event e = { .type = SDL_QUIT };
    SDL_PushEvent(&e);
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    assert_true(act.bits & RS_UI_QUIT);
    rs_window_close(w);
}

static void test_screenshot(void **state)
{
    (void)state;
    struct rs_window *w = open_window();
    struct rs_ui_actions act;
    rs_viewscript_state(&view, RS_VS_HOLD_DONE);
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    mode_t old_mask = umask(022);
    push_key(SDLK_s, 0);
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    umask(old_mask);
    assert_true(act.bits & RS_UI_SCREENSHOT);
    assert_int_equal(strncmp(act.screenshot, shotdir, strlen(shotdir)), 0);
    struct stat shot_st;
    assert_int_equal(stat(act.screenshot, &shot_st), 0);
    assert_int_equal(shot_st.st_mode & 0777, 0600); /* health data: private under umask 022 */
    SDL_Surface *s = IMG_Load(act.screenshot);
    assert_non_null(s);
    assert_int_equal(s->w, 1280);
    assert_int_equal(s->h, 800);
    SDL_FreeSurface(s);
    /* A visible sign: the next frame names the file in the toast. */
    assert_true(rs_window_needs_frame(w));
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    assert_false(rs_window_needs_frame(w));
    const struct rs_render_geom *g = rs_window_geometry(w);
    char joined[256] = "";
    for (int i = 0; i < g->ntext; i++)
        if (g->text[i].panel == RS_P_ALERT && g->text[i].box.x >= g->layout.panel[RS_P_ALERT].x +
                                                                  g->layout.panel[RS_P_ALERT].w * 3 / 4) {
            assert_false(g->text[i].dropped);
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                     joined[0] ? " " : "", g->text[i].text);
        }
    assert_non_null(strstr(joined, "SAVED"));
    assert_non_null(strstr(joined, "rollsense-"));
    assert_non_null(strstr(joined, ".png"));
    /* A second one in the same second gets its own name. */
    char first[512];
    snprintf(first, sizeof first, "%s", act.screenshot);
    push_key(SDLK_s, 0);
    assert_int_equal(rs_window_frame(w, &view, &act), 0);
    assert_true(act.bits & RS_UI_SCREENSHOT);
    assert_string_not_equal(first, act.screenshot);
    rs_window_close(w);
}

/* A resized window is laid out for its new size on the next frame. */
static void test_resize(void **state)
{
    (void)state;
    static const struct { int w, h; } sizes[] = { { 800, 480 }, { 1920, 1080 }, { 1024, 600 } };
    struct rs_window *w = open_window();
    struct rs_ui_actions act;
    rs_viewscript_state(&view, RS_VS_HOLD_TO30);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        SDL_SetWindowSize(rs_window_sdl(w), sizes[i].w, sizes[i].h);
        assert_int_equal(rs_window_frame(w, &view, &act), 0);
        const struct rs_render_geom *g = rs_window_geometry(w);
        assert_int_equal(g->layout.w, sizes[i].w);
        assert_int_equal(g->layout.h, sizes[i].h);
        for (int t = 0; t < g->ntext; t++)
            assert_false(g->text[t].dropped);
    }
    rs_window_close(w);
}

static void test_missing_font(void **state)
{
    (void)state;
    setenv("ROLLSENSE_FONT", "/nonexistent/font.ttf", 1);
    char path[512];
    assert_int_equal(rs_font_find(path, sizeof path, NULL), RS_FONT_ENOTFOUND);
    struct rs_window_config cfg = { .hidden = true, .software = true, .no_audio = true, .config_dir = cfgdir };
    struct rs_window *w = (struct rs_window *)&cfg;
    char err[512];
    assert_int_equal(rs_window_open(&w, &cfg, err, sizeof err), -1);
    assert_null(w);
    assert_string_equal(err, RS_FONT_HELP);
    assert_null(strchr(err, '\n'));
    unsetenv("ROLLSENSE_FONT");
    const char *src = NULL;
    assert_int_equal(rs_font_find(path, sizeof path, &src), 0);
    print_message("font: %s (%s)\n", path, src);
}

/* Steady state allocates nothing: the animated session drawn twice, and
 * the second pass (every glyph, colour and size already drawn once) makes
 * no heap allocation at all, not in rs_ui, SDL, SDL_ttf or FreeType. New
 * content costs a bounded one-time allocation (a glyph texture, a blit
 * map); the first pass reports how much. */
static void test_no_allocation_per_frame(void **state)
{
    (void)state;
    struct rs_window *w = open_window();
    struct rs_ui_actions act;
    long first = 0, worst = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int f = 0; f < 400; f++) {
            rs_viewscript_at(&view, f * (RS_VIEWSCRIPT_LOOP_S / 400));
            alloc_count_start();
            assert_int_equal(rs_window_frame(w, &view, &act), 0);
            long n = alloc_count_stop();
            if (n < 0)
                skip(); /* no counting under AddressSanitizer */
            if (pass == 0)
                first += n;
            else
                worst = n > worst ? n : worst;
            if (n && pass && getenv("UI_ALLOC_DEBUG"))
                print_message("frame %d: %ld allocations\n", f, n);
        }
    }
    print_message("first pass: %ld allocations in 400 frames (warm-up); second pass: at most %ld per frame\n",
                  first, worst);
    assert_int_equal(worst, 0);
    rs_window_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safety_note_first_run),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_screenshot),
        cmocka_unit_test(test_resize),
        cmocka_unit_test(test_missing_font),
        cmocka_unit_test(test_no_allocation_per_frame),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
