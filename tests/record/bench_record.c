/*
 * bench_record.c - recorder figures on this machine's disk (a benchmark
 * program, not a test): records SECONDS of 80 Hz frames with a fake clock
 * (so one commit per 20 frames, as live) into DIR and prints throughput,
 * file size and the commit latency distribution, which is what can delay
 * the live loop (synchronous=FULL: one fsync per commit).
 *   bench_record [DIR] [SECONDS]     (defaults: $TMPDIR or /tmp, 600)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rs_record.h"
#include "test_util.h"

#define MAXC 2000000

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    char dir[256];
    const char *base = argc > 1 ? argv[1] : NULL;
    double secs = argc > 2 ? atof(argv[2]) : 600;
    if (base)
        setenv("TMPDIR", base, 1);
    if (!rs_test_tmpdir(dir, sizeof dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/bench.rsession", dir);
    struct rs_rec *r;
    char err[512];
    const int64_t t0 = 1763745656000000LL;
    if (rs_rec_open(&r, path, t0, 0, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    uint32_t n = (uint32_t)(secs * 80);
    int64_t *lat = malloc(sizeof *lat * MAXC);
    size_t nl = 0;
    int64_t start = mono_us();
    for (uint32_t i = 0; i < n; i++) {
        struct rs_frame f = rs_test_sample(i);
        struct rs_rec_stats a, b;
        rs_rec_get_stats(r, &a);
        int64_t c0 = mono_us();
        if (rs_rec_frame(r, t0 + (int64_t)i * 12500, &f) != 0) {
            fprintf(stderr, "%s\n", rs_rec_error(r));
            return 1;
        }
        int64_t c1 = mono_us();
        rs_rec_get_stats(r, &b);
        if (b.commits != a.commits && nl < MAXC)
            lat[nl++] = c1 - c0;
    }
    int64_t total = mono_us() - start;
    rs_rec_close(r, t0 + (int64_t)n * 12500, NULL);
    struct stat st;
    stat(path, &st);
    qsort(lat, nl, sizeof *lat, cmp64);
    printf("dir %s: %u frames (%.0f s of session) in %.2f s = %.0f frames/s, %.1f bytes/frame\n",
           dir, n, secs, total / 1e6, n / (total / 1e6), (double)st.st_size / n);
    if (nl)
        printf("commit (frame call that commits) latency over %zu commits: p50 %.2f ms, "
               "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
               nl, lat[nl / 2] / 1e3, lat[nl * 99 / 100] / 1e3, lat[nl * 999 / 1000] / 1e3,
               lat[nl - 1] / 1e3);
    free(lat);
    rs_test_rmtree(dir);
    return 0;
}
