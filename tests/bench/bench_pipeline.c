/*
 * bench_pipeline.c - pipeline throughput over a long synthetic session.
 *
 *   bench_pipeline [--hours H] [--scenario builtin:NAME]
 *
 * Generates H hours (default 10) of the looping built-in demo at 80 Hz with
 * the simulated user, in blocks, and times only rs_pipeline_push over them
 * (CLOCK_MONOTONIC). Prints frames, seconds, frames/s and the real-time
 * factor. It also counts heap allocations while the pipeline runs (malloc is
 * wrapped at link time) and exits 1 if there was any: the core promises no
 * allocation per sample. A benchmark prints figures; it asserts no speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rs_pipeline.h"
#include "rs_sim.h"

static unsigned long allocs;
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n) { allocs++; return __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { allocs++; return __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { allocs++; return __real_realloc(p, n); }

#define BLOCK 8000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double hours = 10;
    const char *name = "demo";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hours") && i + 1 < argc) {
            hours = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--scenario") && i + 1 < argc &&
                   !strncmp(argv[i + 1], "builtin:", 8)) {
            name = argv[++i] + 8;
        } else {
            fprintf(stderr, "usage: bench_pipeline [--hours H] [--scenario builtin:NAME]\n");
            return 2;
        }
    }
    const char *text = rs_scenario_builtin(name);
    static struct rs_scenario scn;
    char err[256];
    if (!text || rs_scenario_parse(&scn, text, name, err, sizeof err)) {
        fprintf(stderr, "bench_pipeline: scenario '%s': %s\n", name, text ? err : "unknown");
        return 2;
    }
    if (!scn.loop) {
        fprintf(stderr, "bench_pipeline: scenario '%s' does not loop\n", name);
        return 2;
    }
    static struct rs_pipeline p;
    rs_pipeline_init(&p, NULL, NULL, NULL);
    struct rs_sim sim;
    rs_sim_init(&sim, &scn);
    static struct rs_sample block[BLOCK];
    struct rs_events ev;
    rs_events_clear(&ev);
    unsigned long long frames = 0, events = 0, total = (unsigned long long)(hours * 3600 * 80);
    double busy = 0, gen = 0;
    unsigned long allocs_in_pipeline = 0;
    while (frames < total) {
        size_t n = 0;
        double g0 = now_s();
        while (n < BLOCK && frames + n < total && rs_sim_next(&sim, &block[n], NULL))
            n++;
        double t0 = now_s();
        gen += t0 - g0;
        unsigned long a0 = allocs;
        for (size_t i = 0; i < n; i++) {
            rs_pipeline_push(&p, &block[i], &ev);
            events += ev.n;
            rs_events_clear(&ev);
        }
        busy += now_s() - t0;
        allocs_in_pipeline += allocs - a0;
        frames += n;
    }
    struct rs_summary s;
    rs_pipeline_summary(&p, &s);
    printf("bench_pipeline: %.2f h synthetic session (builtin:%s looped)\n", s.duration_s / 3600,
           name);
    printf("  frames            %llu\n", frames);
    printf("  events            %llu (holds %d left, %d right)\n", events,
           s.holds[RS_LEG_LEFT], s.holds[RS_LEG_RIGHT]);
    printf("  pipeline time     %.3f s\n", busy);
    printf("  pipeline frames/s %.0f\n", busy > 0 ? frames / busy : 0.0);
    printf("  ns per frame      %.1f\n", busy * 1e9 / (double)frames);
    printf("  real-time factor  %.0fx (80 frames/s live)\n", busy > 0 ? frames / busy / 80 : 0.0);
    printf("  simulator time    %.3f s\n", gen);
    printf("  sizeof pipeline   %zu bytes (caller-owned, fixed)\n", sizeof(struct rs_pipeline));
    printf("  heap allocations during the pipeline: %lu\n", allocs_in_pipeline);
    if (allocs_in_pipeline) {
        fprintf(stderr, "bench_pipeline: the pipeline allocated %lu times\n", allocs_in_pipeline);
        return 1;
    }
    if (frames != total || s.frames != frames) {
        fprintf(stderr, "bench_pipeline: %llu frames pushed, pipeline counted %u\n", frames,
                s.frames);
        return 1;
    }
    return 0;
}
