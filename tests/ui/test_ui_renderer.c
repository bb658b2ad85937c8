/*
 * test_ui_renderer.c - which renderer the window picks (label ui): the
 * software-rasteriser names, the choice table for AUTO / software / gpu,
 * and that an opened window never keeps an accelerated renderer that is a
 * software rasteriser unless told to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_window.h"
#include "ui_harness.h"

static void test_gl_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool soft;
    } cases[] = {
        { "llvmpipe (LLVM 15.0.6, 256 bits)", true },
        { "LLVMPIPE", true },
        { "softpipe", true },
        { "Mesa DRI swrast", true },
        { "Software Rasterizer", true },
        { "lavapipe", true },
        { "Mesa Intel(R) UHD Graphics 620 (KBL GT2)", false },
        { "AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15.0.6, DRM 3.49, 6.1.0)", false },
        { "NVIDIA GeForce GTX 1060/PCIe/SSE2", false },
        { "", false },
        { NULL, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (rs_window_gl_is_software(cases[i].name) != cases[i].soft)
            fail_msg("'%s': expected %s", cases[i].name ? cases[i].name : "(null)",
                     cases[i].soft ? "software" : "a GPU");
    }
}

static void test_pick_table(void **state)
{
    (void)state;
    static const struct {
        enum rs_renderer_choice choice;
        const char *accel, *gl;
        bool software;
    } cases[] = {
        { RS_RENDERER_AUTO, "opengl", "llvmpipe (LLVM 15.0.6, 256 bits)", true },
        { RS_RENDERER_AUTO, "opengles2", "softpipe", true },
        { RS_RENDERER_AUTO, "opengl", "Mesa Intel(R) UHD Graphics 620", false },
        { RS_RENDERER_AUTO, "opengl", NULL, false },   /* unknown GL: trust it */
        { RS_RENDERER_AUTO, "software", NULL, true },  /* SDL_RENDER_DRIVER=software */
        { RS_RENDERER_AUTO, NULL, NULL, true },        /* nothing accelerated */
        { RS_RENDERER_GPU, "opengl", "llvmpipe", false },
        { RS_RENDERER_GPU, NULL, NULL, true },         /* asked, but there is none */
        { RS_RENDERER_SOFTWARE, "opengl", "Mesa Intel(R) UHD Graphics 620", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (rs_window_pick_software(cases[i].choice, cases[i].accel, cases[i].gl) != cases[i].software)
            fail_msg("case %zu (%s / %s): expected %s", i, cases[i].accel ? cases[i].accel : "-",
                     cases[i].gl ? cases[i].gl : "-", cases[i].software ? "software" : "accelerated");
    }
}

static struct rs_window *open_with(enum rs_renderer_choice choice)
{
    struct rs_window_config cfg = {
        .width = 640, .height = 400, .hidden = true, .no_audio = true, .renderer = choice,
        .config_dir = "/nonexistent/rollsense-test",
    };
    struct rs_window *w;
    char err[512];
    if (rs_window_open(&w, &cfg, err, sizeof err) != 0)
        fail_msg("rs_window_open: %s", err);
    return w;
}

/* Whatever this machine has: AUTO never ends on a software rasteriser
 * behind OpenGL, and the description names what is in use. */
static void test_auto_window(void **state)
{
    (void)state;
    unsetenv("SDL_RENDER_DRIVER");
    struct rs_window *w = open_with(RS_RENDERER_AUTO);
    const char *d = rs_window_renderer(w);
    SDL_RendererInfo info;
    assert_int_equal(SDL_GetRendererInfo(SDL_GetRenderer(rs_window_sdl(w)), &info), 0);
    printf("auto: %s (SDL driver %s)\n", d, info.name);
    assert_true(strstr(d, "renderer") != NULL);
    if (strcmp(info.name, "software") == 0) {
        assert_true(strncmp(d, "software renderer (", 19) == 0);
        assert_false(rs_window_has_vsync(w));
    } else {
        assert_false(rs_window_gl_is_software(d));
    }
    rs_window_close(w);
}

static void test_forced_software(void **state)
{
    (void)state;
    struct rs_window *w = open_with(RS_RENDERER_SOFTWARE);
    SDL_RendererInfo info;
    assert_int_equal(SDL_GetRendererInfo(SDL_GetRenderer(rs_window_sdl(w)), &info), 0);
    assert_string_equal(info.name, "software");
    assert_string_equal(rs_window_renderer(w), "software renderer (--renderer software)");
    rs_window_close(w);
}

int main(void)
{
    if (ui_harness_sdl_init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gl_names),
        cmocka_unit_test(test_pick_table),
        cmocka_unit_test(test_auto_window),
        cmocka_unit_test(test_forced_software),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    SDL_Quit();
    return rc;
}
