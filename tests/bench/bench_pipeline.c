/*
 * bench_pipeline.c - pipeline throughput over a long synthetic session.
 *
 *   bench_pipeline [--hours H] [--reps N] [--scenario builtin:NAME]
 *
 * Generates H hours (default 10) of the looping built-in demo at 80 Hz with
 * the simulated user, in blocks, and times only rs_pipeline_push over them.
 * It does that N times (default 7), each time with a fresh pipeline and
 * simulator, after one untimed warm-up repetition of at most half an hour
 * (caches, page faults of the pipeline's state, the CPU's clock ramping up).
 * Each repetition runs with the stack 4096/N bytes deeper than the one
 * before: the pipeline's speed depends on where the caller's stack lies
 * relative to the pipeline's state modulo 4 KiB (docs/performance.md), so
 * one process would otherwise measure one placement only and two runs of
 * the program could differ by 1.6x. It prints the median, minimum and
 * maximum frames/s over the repetitions, both by wall time
 * (CLOCK_MONOTONIC) and by the thread's CPU time (CLOCK_THREAD_CPUTIME_ID):
 * on a loaded machine the wall figure includes time spent waiting for a
 * core, the CPU figure does not.
 *
 * It also counts heap allocations while the pipeline runs (malloc is wrapped
 * at link time) and exits 1 if there was any: the core promises no
 * allocation per sample. It exits 1 too if a repetition counts other frames
 * or events than the first (the pipeline is deterministic). A benchmark
 * prints figures; it asserts no speed.
 */
#include <alloca.h>
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
#define REPS_MAX 50

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* What one repetition measured. */
struct rep {
    unsigned long long frames, events;
    double wall, cpu, gen;           /* pipeline wall and CPU time, simulator wall time, s */
    unsigned long allocs;            /* heap allocations inside the pipeline */
    struct rs_summary sum;
};

/* Push `total` frames of the scenario through a fresh pipeline, timing only
 * the pipeline. */
static void run_rep(const struct rs_scenario *scn, unsigned long long total, struct rep *r)
{
    static struct rs_pipeline p;
    static struct rs_sample block[BLOCK];
    rs_pipeline_init(&p, NULL, NULL, NULL);
    struct rs_sim sim;
    rs_sim_init(&sim, scn);
    struct rs_events ev;
    rs_events_clear(&ev);
    memset(r, 0, sizeof *r);
    while (r->frames < total) {
        size_t n = 0;
        double g0 = clock_s(CLOCK_MONOTONIC);
        while (n < BLOCK && r->frames + n < total && rs_sim_next(&sim, &block[n], NULL))
            n++;
        unsigned long a0 = allocs;
        double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), t0 = clock_s(CLOCK_MONOTONIC);
        r->gen += t0 - g0;
        for (size_t i = 0; i < n; i++) {
            rs_pipeline_push(&p, &block[i], &ev);
            r->events += ev.n;
            rs_events_clear(&ev);
        }
        r->wall += clock_s(CLOCK_MONOTONIC) - t0;
        r->cpu += clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
        r->allocs += allocs - a0;
        r->frames += n;
        if (n == 0)
            break;
    }
    rs_pipeline_summary(&p, &r->sum);
}

/* run_rep() with the stack `shift` bytes deeper (alloca: the project builds
 * with -Wvla; the block is written so the compiler cannot drop it). */
static void run_rep_shifted(const struct rs_scenario *scn, unsigned long long total,
                            struct rep *r, size_t shift)
{
    volatile char *pad = alloca(shift + 16);
    pad[shift] = 1;
    run_rep(scn, total, r);
    (void)pad[shift];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median, minimum and maximum of frames / seconds over the repetitions. */
static void rate_figures(const struct rep *r, int n, bool cpu, double out[3])
{
    double v[REPS_MAX];
    for (int i = 0; i < n; i++) {
        double s = cpu ? r[i].cpu : r[i].wall;
        v[i] = s > 0 ? r[i].frames / s : 0;
    }
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    out[0] = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    out[1] = v[0];
    out[2] = v[n - 1];
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_pipeline [--hours H] [--reps N (1..%d)] "
                    "[--scenario builtin:NAME]\n", REPS_MAX);
    return 2;
}

/* Stack shift between repetitions: 4 KiB spread over them, 16-byte steps. */
static int stack_step(int reps)
{
    return 4096 / reps / 16 * 16;
}

static void print_figures(const struct rep *r, int reps, const char *name)
{
    double w[3], c[3], ns[REPS_MAX];
    rate_figures(r, reps, false, w);
    rate_figures(r, reps, true, c);
    for (int i = 0; i < reps; i++)
        ns[i] = r[i].wall * 1e9 / (double)r[i].frames;
    qsort(ns, (size_t)reps, sizeof ns[0], cmp_double);
    printf("bench_pipeline: %.2f h synthetic session (builtin:%s looped)\n",
           r[0].sum.duration_s / 3600, name);
    printf("  repetitions       %d timed (fresh pipeline each, stack shifted %d bytes each), "
           "after 1 untimed warm-up\n", reps, stack_step(reps));
    printf("  frames            %llu per repetition\n", r[0].frames);
    printf("  events            %llu (holds %d left, %d right)\n", r[0].events,
           r[0].sum.holds[RS_LEG_LEFT], r[0].sum.holds[RS_LEG_RIGHT]);
    printf("  pipeline frames/s median %.0f, min %.0f, max %.0f (wall time)\n", w[0], w[1], w[2]);
    printf("  pipeline frames/s median %.0f, min %.0f, max %.0f (thread CPU time)\n", c[0], c[1],
           c[2]);
    printf("  ns per frame      median %.1f (wall time)\n",
           reps % 2 ? ns[reps / 2] : (ns[reps / 2 - 1] + ns[reps / 2]) / 2);
    printf("  real-time factor  %.0fx (median, 80 frames/s live)\n", w[0] / 80);
    printf("  simulator time    %.3f s per repetition (first)\n", r[0].gen);
    printf("  sizeof pipeline   %zu bytes (caller-owned, fixed)\n", sizeof(struct rs_pipeline));
}

int main(int argc, char **argv)
{
    double hours = 10;
    int reps = 7;
    const char *name = "demo";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hours") && i + 1 < argc) {
            hours = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            reps = atoi(argv[++i]);
            if (reps < 1 || reps > REPS_MAX)
                return usage();
        } else if (!strcmp(argv[i], "--scenario") && i + 1 < argc &&
                   !strncmp(argv[i + 1], "builtin:", 8)) {
            name = argv[++i] + 8;
        } else {
            return usage();
        }
    }
    if (!(hours > 0))
        return usage();
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
    unsigned long long total = (unsigned long long)(hours * 3600 * 80);
    static struct rep r[REPS_MAX], warm;
    run_rep(&scn, total < 144000 ? total : 144000, &warm); /* 0.5 h */
    unsigned long allocs_in_pipeline = warm.allocs;
    int bad = 0;
    for (int i = 0; i < reps; i++) {
        run_rep_shifted(&scn, total, &r[i], (size_t)(i * stack_step(reps)));
        allocs_in_pipeline += r[i].allocs;
        if (r[i].frames != total || r[i].sum.frames != r[i].frames ||
            r[i].events != r[0].events) {
            fprintf(stderr, "bench_pipeline: repetition %d: %llu frames pushed of %llu, "
                    "pipeline counted %u, %llu events (first: %llu)\n", i + 1, r[i].frames,
                    total, r[i].sum.frames, r[i].events, r[0].events);
            bad = 1;
        }
    }
    print_figures(r, reps, name);
    printf("  heap allocations during the pipeline: %lu\n", allocs_in_pipeline);
    if (allocs_in_pipeline) {
        fprintf(stderr, "bench_pipeline: the pipeline allocated %lu times\n", allocs_in_pipeline);
        return 1;
    }
    return bad;
}
