/*
 * bench_ui.c - frame-time benchmark of the live view (a program that
 * prints figures, not a timed test).
 *
 *   bench_ui [--frames N] [--size WxH ...]
 *
 * For each size (default 1280x800, 800x480, 1920x1080): the software
 * renderer on the offscreen driver draws the scripted session, one warm-up
 * loop, then N timed frames (rs_render_frame + SDL_RenderPresent). Prints
 * mean, median, 95th percentile and worst frame time in ms and heap
 * allocations per timed frame. Target at 1280x800: <= 4 ms, 0 allocations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc_count.h"
#include "rs_viewscript.h"
#include "ui_harness.h"

/* Thread CPU time: on a shared machine wall time mostly measures the
 * neighbours; both are printed. */
static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int bench(int w, int h, int frames)
{
    struct ui_harness u;
    if (ui_harness_open(&u, w, h) != 0)
        return -1;
    static struct rs_view v;
    const struct rs_overlay ov = { .volume_pct = 80 };
    const int loop = 600; /* views per loop of the session */
    for (int f = 0; f < loop; f++) {
        rs_viewscript_at(&v, f * RS_VIEWSCRIPT_LOOP_S / loop);
        rs_render_frame(u.rr, &v, &ov, w, h, 1.0f);
        SDL_RenderPresent(u.ren);
    }
    double *t = calloc((size_t)frames, sizeof *t), *c = calloc((size_t)frames, sizeof *c);
    if (!t || !c)
        return -1;
    long allocs = 0;
    for (int f = 0; f < frames; f++) {
        rs_viewscript_at(&v, (f % loop) * RS_VIEWSCRIPT_LOOP_S / loop);
        alloc_count_start();
        double t0 = now_ms(), c0 = cpu_ms();
        rs_render_frame(u.rr, &v, &ov, w, h, 1.0f);
        SDL_RenderPresent(u.ren);
        t[f] = now_ms() - t0;
        c[f] = cpu_ms() - c0;
        allocs += alloc_count_stop();
    }
    double sum = 0, csum = 0;
    for (int f = 0; f < frames; f++) {
        sum += t[f];
        csum += c[f];
    }
    qsort(t, (size_t)frames, sizeof *t, cmp);
    qsort(c, (size_t)frames, sizeof *c, cmp);
    printf("%4dx%-4d software renderer, %d frames, %.2f allocations/frame\n"
           "  wall ms: mean %.2f  median %.2f  p95 %.2f  max %.2f\n"
           "  cpu  ms: mean %.2f  median %.2f  p95 %.2f  max %.2f\n",
           w, h, frames, (double)allocs / frames,
           sum / frames, t[frames / 2], t[(int)(frames * 0.95)], t[frames - 1],
           csum / frames, c[frames / 2], c[(int)(frames * 0.95)], c[frames - 1]);
    free(t);
    free(c);
    ui_harness_close(&u);
    return 0;
}

int main(int argc, char **argv)
{
    int frames = 1000, nsizes = 0;
    int sizes[8][2];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
            frames = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc && nsizes < 8) {
            if (sscanf(argv[++i], "%dx%d", &sizes[nsizes][0], &sizes[nsizes][1]) == 2)
                nsizes++;
        } else {
            fprintf(stderr, "usage: bench_ui [--frames N] [--size WxH ...]\n");
            return 2;
        }
    }
    if (frames < 1)
        frames = 1;
    if (!nsizes) {
        static const int def[3][2] = { { 1280, 800 }, { 800, 480 }, { 1920, 1080 } };
        memcpy(sizes, def, sizeof def);
        nsizes = 3;
    }
    if (ui_harness_sdl_init() != 0)
        return 1;
    for (int i = 0; i < nsizes; i++)
        if (bench(sizes[i][0], sizes[i][1], frames) != 0)
            return 1;
    SDL_Quit();
    return 0;
}
