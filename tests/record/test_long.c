/*
 * test_long.c - a 10-hour session: 2.88 million frames at 80 Hz recorded
 * with constant memory, then read back in full (every frame, in order),
 * listed and seeked. Fake clock, so it runs as fast as SQLite writes.
 *
 * Memory is checked as resident set growth between 10 % and 100 % of the
 * recording (SQLite's page cache fills early and then stays), and again
 * while reading. The figures are printed for the record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "rs_record.h"
#include "rs_reader.h"
#include "test_util.h"

#define FRAMES 2880000u
#define PERIOD_US 12500
#define RSS_GROWTH_MAX_KIB (4 * 1024)

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Free bytes where rs_test_tmpdir() will put the file. */
static double free_bytes(void)
{
    const char *t = getenv("TMPDIR");
    struct statvfs vs;
    if (statvfs(t && t[0] ? t : "/tmp", &vs) != 0)
        return 0;
    return (double)vs.f_bavail * vs.f_frsize;
}

int main(void)
{
    char dir[256], path[512];
    /* about 150 MB of session; a small tmpfs (Docker's /dev/shm is 64 MB)
     * would fail for the wrong reason: fall back to /tmp, or skip */
    if (free_bytes() < 400e6)
        unsetenv("TMPDIR");
    if (free_bytes() < 400e6) {
        printf("SKIP: less than 400 MB free in /tmp\n");
        return 77;
    }
    if (!rs_test_tmpdir(dir, sizeof dir))
        return 1;
    snprintf(path, sizeof path, "%s/long.rsession", dir);
    int fail = 0;
    const int64_t t0 = 1763745656000000LL;
    struct rs_rec *r;
    char err[512];
    double ts = now_s();
    if (rs_rec_open(&r, path, t0, 0, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    long rss10 = 0;
    for (uint32_t seq = 0; seq < FRAMES; seq++) {
        struct rs_frame f = rs_test_sample(seq);
        int64_t host = t0 + (int64_t)seq * PERIOD_US;
        if (rs_rec_frame(r, host, &f) != 0) {
            fprintf(stderr, "record failed at %u: %s\n", seq, rs_rec_error(r));
            return 1;
        }
        if (seq % 24000 == 0 && seq) /* a hold every 5 minutes */
            rs_rec_event(r, host, -1, "hold_end",
                         seq % 48000 ? "{\"leg\":\"left\",\"duration_s\":20,\"peak_bw_pct\":40}"
                                     : "{\"leg\":\"right\",\"duration_s\":25,\"peak_bw_pct\":44}");
        if (seq == FRAMES / 10)
            rss10 = rss_kib();
    }
    long rss_end = rss_kib();
    struct rs_rec_stats st;
    rs_rec_get_stats(r, &st);
    if (rs_rec_close(r, t0 + (int64_t)FRAMES * PERIOD_US, NULL) != 0) {
        fprintf(stderr, "close failed\n");
        return 1;
    }
    double tw = now_s() - ts;
    printf("recorded %u frames (%.1f h) in %.1f s, %llu commits, longest commit %.1f ms; "
           "RSS %ld KiB at 10 %%, %ld KiB at the end\n",
           FRAMES, FRAMES / 80.0 / 3600, tw, (unsigned long long)st.commits,
           st.max_commit_us / 1000.0, rss10, rss_end);
    if (rss_end - rss10 > RSS_GROWTH_MAX_KIB) {
        fprintf(stderr, "FAIL: memory grew by %ld KiB while recording\n", rss_end - rss10);
        fail = 1;
    }

    ts = now_s();
    struct rs_reader *s;
    if (rs_reader_open(&s, path, err, sizeof err) != 0) {
        fprintf(stderr, "FAIL: %s\n", err);
        return 1;
    }
    struct rs_item it;
    uint64_t n = 0, events = 0, bad = 0;
    long rss_read10 = 0;
    while (rs_reader_next(s, &it) > 0) {
        if (it.kind == RS_ITEM_EVENT) {
            events++;
            continue;
        }
        if (it.frame.u.sample.seq != n || it.dev_us != (int64_t)n * PERIOD_US)
            bad++;
        n++;
        if (n == FRAMES / 10)
            rss_read10 = rss_kib();
    }
    long rss_read_end = rss_kib();
    double tr = now_s() - ts;
    printf("read back %llu frames and %llu events in %.1f s; RSS %ld KiB at 10 %%, %ld KiB at the "
           "end\n",
           (unsigned long long)n, (unsigned long long)events, tr, rss_read10, rss_read_end);
    if (n != FRAMES || bad || events != FRAMES / 24000 - 1) {
        fprintf(stderr, "FAIL: %llu frames (%llu out of order), %llu events\n",
                (unsigned long long)n, (unsigned long long)bad, (unsigned long long)events);
        fail = 1;
    }
    if (rss_read_end - rss_read10 > RSS_GROWTH_MAX_KIB) {
        fprintf(stderr, "FAIL: memory grew by %ld KiB while reading\n", rss_read_end - rss_read10);
        fail = 1;
    }
    /* seek to 5 h: the next frame is the one at 5 h */
    rs_reader_seek(s, 5LL * 3600 * 1000000);
    if (rs_reader_next(s, &it) != 1 || it.kind != RS_ITEM_FRAME ||
        it.frame.u.sample.seq != 5u * 3600 * 80) {
        fprintf(stderr, "FAIL: seek to 5 h\n");
        fail = 1;
    }
    struct rs_reader_summary sum;
    rs_reader_summary(s, &sum);
    if (sum.frames != FRAMES || sum.holds[0] + sum.holds[1] != FRAMES / 24000 - 1 ||
        sum.longest_hold_s != 25) {
        fprintf(stderr, "FAIL: summary %llu frames, %u+%u holds, longest %.1f\n",
                (unsigned long long)sum.frames, sum.holds[0], sum.holds[1], sum.longest_hold_s);
        fail = 1;
    }
    rs_reader_close(s);
    rs_test_rmtree(dir);
    return fail;
}
