/*
 * bench_live.c - the live window's cost on the real path: the simulated
 * roller streaming 80 frames/s in real time through the in-process byte
 * source, rs_conn, rs_session and rs_run's window loop, exactly as
 * `rollsense demo` runs it (without recording). Prints figures; asserts
 * nothing about speed.
 *
 *   bench_live [--seconds S] [--size WxH] [--renderer auto|software|gpu]
 *              [--record DIR [--slow-sync MS]] [--emulated]
 *
 * Video: whatever SDL_VIDEODRIVER / DISPLAY say; with neither set,
 * offscreen. Audio: SDL's dummy driver unless SDL_AUDIODRIVER is set.
 *
 * Printed, over S seconds after a 2 s warm-up (neither the warm-up nor the
 * end of the loop, its summary screen and closing, is counted):
 *   cpu      CPU time of the whole process (all threads) / wall time
 *   fps      frames presented per second
 *   rss      high-water mark of the resident set (getrusage)
 *   latency  per sample frame, from the return of the connection step that
 *            read its bytes to the return of SDL_RenderPresent of the
 *            first frame drawn after it; samples after which the frame
 *            showed nothing new are counted apart ("unchanged").
 *   loop     the longest pass of the window loop: the longest time between
 *            the ends of two connection steps (a step is at most a sample
 *            period apart while the loop keeps up: 12.5 ms)
 * With --record DIR the session is recorded into a new file in DIR as
 * `rollsense demo --record` does (the file is removed at the end), and
 * --slow-sync MS makes every durability sync of the recorder's syncer
 * thread take MS ms more, a slow disk: the loop's longest pass shows
 * whether recording ever holds up the window. The recorder's longest
 * commit and sync are printed too.
 *
 * --emulated: emulated time instead of real time (as `rollsense demo
 * --fast` runs, but one frame per 1/60 s of the stream, so each frame
 * shows what a 60 frames/s live window shows: one or two new samples).
 * Nothing sleeps; S seconds of the stream run as fast as they can and
 * "cpu" is the CPU time per second of the stream: the window's cost
 * without the waiting (no latency, which needs real time). Under load and
 * under callgrind this is the repeatable figure for comparing drawing code.
 *
 * Instructions per frame, repeatable under load: run it under
 * `valgrind --tool=callgrind --callgrind-out-file=cg.%p`; the measured
 * seconds are dumped apart (part 1: "bench_live measured"), to divide by
 * the frames drawn that it prints.
 */
#include <SDL.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rs_conn.h"
#include "rs_link.h"
#include "rs_pipeline.h"
#include "rs_recattach.h"
#include "rs_run.h"
#include "rs_scenario_file.h"
#include "rs_session.h"
#include "rs_simroller.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_ZERO_STATS
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(s)
#endif

#define WARMUP_S 2.0

struct bench {
    struct rs_simroller roller;
    struct rs_conn *conn;
    double t0, t_start;        /* process start; measurement start (after warm-up) */
    double cpu_start;
    double seconds;            /* how long to measure */
    double wall, cpu;          /* measured: wall and CPU time (set when it ends) */
    bool measuring, measured;
    uint64_t seen;             /* sample frames seen so far */
    double pending_at[64];     /* read times of samples not yet on screen */
    int npending;
    uint64_t pending_lost;     /* more pending than the ring holds */
    double *lat;               /* latencies, seconds */
    size_t nlat, caplat;
    uint64_t presents, unchanged, drawn;
    struct rs_recattach *rec;  /* --record: the recording, else NULL */
    int slow_sync_ms;
    double last_tick, max_pass; /* loop passes (measured only), seconds */
};

/* --emulated: the session's clock, advanced by sleeping (nothing waits). */
static struct {
    bool on;
    uint64_t now_us;
} emu;

static uint64_t emu_now(void *ctx)
{
    (void)ctx;
    return emu.now_us;
}

static void emu_sleep(void *ctx, uint64_t us)
{
    (void)ctx;
    emu.now_us += us;
}

/* Seconds on the benchmark's clock: monotonic, or the emulated one. */
static double mono(void)
{
    if (emu.on)
        return (double)emu.now_us / 1e6;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench_open(void *ctx, struct rs_link **out)
{
    struct bench *b = ctx;
    struct rs_byte_source src = { .ctx = &b->roller, .produce = rs_simroller_produce,
                                  .consume = rs_simroller_consume };
    if (emu.on) {
        src.now_us = emu_now;
        src.sleep_us = emu_sleep;
    }
    return rs_link_open_source(out, &src, "simulated");
}

/* Set when the measurement ends: the loop stops as on a signal, so the
 * summary screen does not wait for a key (it does with a real display). */
static volatile sig_atomic_t bench_done;

/* The measurement ends after b->seconds, before the loop's end (the end
 * screen, closing the window) so those are not counted. */
static bool measure_end(struct bench *b, double now)
{
    if (b->measuring && now - b->t_start >= b->seconds) {
        bench_done = 1;
        b->measuring = false;
        b->measured = true;
        b->wall = now - b->t_start;
        b->cpu = cpu_s() - b->cpu_start;
        CALLGRIND_DUMP_STATS_AT("bench_live measured");
    }
    return b->measuring;
}

/* After every connection step: the samples it delivered were read now. */
static void on_tick(void *ctx)
{
    struct bench *b = ctx;
    double now = mono();
    rs_recattach_tick(b->rec); /* as `rollsense demo --record` does */
    if (b->measuring && b->last_tick > 0 && now - b->last_tick > b->max_pass)
        b->max_pass = now - b->last_tick;
    b->last_tick = now;
    if (!b->measuring && !b->measured && now - b->t0 >= WARMUP_S) {
        b->measuring = true;
        b->t_start = now;
        b->cpu_start = cpu_s();
        b->presents = b->unchanged = 0;
        CALLGRIND_ZERO_STATS;
        b->npending = 0;
    }
    measure_end(b, now);
    struct rs_conn_stats st;
    rs_conn_get_stats(b->conn, &st);
    for (; b->seen < st.frames; b->seen++) {
        if (!b->measuring)
            continue;
        if (b->npending < (int)(sizeof b->pending_at / sizeof b->pending_at[0]))
            b->pending_at[b->npending++] = now;
        else
            b->pending_lost++;
    }
}

static void on_frame(void *ctx, bool shown)
{
    struct bench *b = ctx;
    double now = mono();
    if (!measure_end(b, now))
        return;
    b->drawn++;
    if (!shown) {
        b->unchanged += (uint64_t)b->npending;
        b->npending = 0;
        return;
    }
    b->presents++;
    for (int i = 0; i < b->npending && b->nlat < b->caplat; i++)
        b->lat[b->nlat++] = now - b->pending_at[i];
    b->npending = 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    size_t i = (size_t)ceil(p * (double)n) - 1;
    return v[i < n ? i : n - 1];
}

/* A private config dir in which the first-run safety note was already
 * read: the bench measures the live view, not the note over it. */
static const char *config_dir(char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(dir, cap, "%s/bench_live-XXXXXX", tmp);
    if (!mkdtemp(dir))
        return NULL;
    char marker[600];
    if (rs_window_safety_marker(dir, marker, sizeof marker) == 0) {
        FILE *f = fopen(marker, "w");
        if (f)
            fclose(f);
    }
    return dir;
}

static void remove_config_dir(const char *dir)
{
    char marker[600];
    if (dir && rs_window_safety_marker(dir, marker, sizeof marker) == 0) {
        unlink(marker);
        rmdir(dir);
    }
}

struct args {
    double seconds;
    int w, h;
    enum rs_renderer_choice renderer;
    const char *record; /* directory, or NULL */
    int slow_sync_ms;
    bool emulated;
};

static int parse_args(int argc, char **argv, struct args *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--seconds") == 0 && v) {
            o->seconds = atof(v);
        } else if (strcmp(a, "--size") == 0 && v) {
            if (sscanf(v, "%dx%d", &o->w, &o->h) != 2)
                return -1;
        } else if (strcmp(a, "--renderer") == 0 && v) {
            o->renderer = strcmp(v, "software") == 0 ? RS_RENDERER_SOFTWARE
                          : strcmp(v, "gpu") == 0    ? RS_RENDERER_GPU
                                                     : RS_RENDERER_AUTO;
        } else if (strcmp(a, "--record") == 0 && v) {
            o->record = v;
        } else if (strcmp(a, "--slow-sync") == 0 && v) {
            o->slow_sync_ms = atoi(v);
        } else if (strcmp(a, "--emulated") == 0) {
            o->emulated = true;
            continue;
        } else {
            return -1;
        }
        i++;
    }
    return o->seconds > 0 && o->w >= 320 && o->h >= 200 && o->slow_sync_ms >= 0 ? 0 : -1;
}

/* The syncer's sync on a slow disk: MS ms more (a benchmark may sleep). */
static int slow_sync(void *ctx, int fd)
{
    const struct bench *b = ctx;
    struct timespec ts = { b->slow_sync_ms / 1000, (long)(b->slow_sync_ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
    return fdatasync(fd);
}

static void rec_error(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "bench_live: %s\n", line);
}

/* --record DIR: a new session file in DIR, attached to s. */
static int record_start(struct bench *b, struct rs_session *s, const struct args *o, char *path,
                        size_t cap)
{
    snprintf(path, cap, "%s/bench_live-%ld.rsession", o->record, (long)getpid());
    struct rs_rec_opts ropts = { .enabled = true, .path = path };
    char err[600];
    if (rs_recattach_start(&b->rec, s, &ropts, path, cap, rec_error, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "bench_live: cannot record: %s\n", err);
        return -1;
    }
    b->slow_sync_ms = o->slow_sync_ms;
    if (o->slow_sync_ms > 0)
        rs_rec_set_sync_hook(rs_recattach_rec(b->rec), slow_sync, b);
    return 0;
}

/* The recording's figures; then it is closed and its file removed. */
static void record_end(struct bench *b, const char *path)
{
    if (!b->rec)
        return;
    struct rs_rec_stats st;
    rs_rec_get_stats(rs_recattach_rec(b->rec), &st);
    printf("record: %llu frames in %llu commits, longest commit %.1f ms (in the loop); "
           "%llu syncs, longest %.1f ms (syncer thread, %d ms added)\n",
           (unsigned long long)st.frames, (unsigned long long)st.commits,
           st.max_commit_us / 1e3, (unsigned long long)st.syncs, st.max_sync_us / 1e3,
           b->slow_sync_ms);
    rs_recattach_close(b->rec);
    b->rec = NULL;
    unlink(path);
}

static void report(struct bench *b, double seconds, int w, int h, const char *video)
{
    measure_end(b, b->t_start + seconds);
    double wall = b->wall, cpu = b->cpu;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    qsort(b->lat, b->nlat, sizeof *b->lat, cmp_double);
    printf("bench_live: %dx%d, video %s, %.0f s%s measured of %.0f s\n", w, h, video, wall,
           emu.on ? " of emulated time" : "", seconds);
    printf("cpu: %.2f %% of a core (%.3f s CPU in %.1f s%s, all threads)\n", 100.0 * cpu / wall,
           cpu, wall, emu.on ? " of the stream" : "");
    if (emu.on) {
        printf("frames: %llu drawn, %.1f us CPU each\n", (unsigned long long)b->drawn,
               b->drawn ? 1e6 * cpu / (double)b->drawn : 0.0);
        return; /* latency and loop passes need real time */
    }
    printf("fps: %.1f frames presented per second (%llu frames, %llu drawn)\n", b->presents / wall,
           (unsigned long long)b->presents, (unsigned long long)b->drawn);
    printf("rss: %.1f MiB high-water\n", ru.ru_maxrss / 1024.0);
    printf("latency: sample read -> present p50 %.1f ms, p99 %.1f ms, max %.1f ms "
           "(%zu samples shown, %llu unchanged on screen)\n",
           1e3 * pct(b->lat, b->nlat, 0.50), 1e3 * pct(b->lat, b->nlat, 0.99),
           1e3 * pct(b->lat, b->nlat, 1.0), b->nlat, (unsigned long long)b->unchanged);
    printf("loop: longest pass %.1f ms (between the ends of two connection steps)\n",
           1e3 * b->max_pass);
}

int main(int argc, char **argv)
{
    struct args o = { .seconds = 20, .w = 1280, .h = 800, .renderer = RS_RENDERER_AUTO };
    if (parse_args(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench_live [--seconds S] [--size WxH] [--renderer auto|software|gpu]\n"
                        "                  [--record DIR [--slow-sync MS]] [--emulated]\n");
        return 2;
    }
    double seconds = o.seconds;
    int w = o.w, h = o.h;
    emu.on = o.emulated;
    if (!getenv("SDL_VIDEODRIVER") && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_AUDIODRIVER", getenv("SDL_AUDIODRIVER") ? getenv("SDL_AUDIODRIVER") : "dummy", 1);
    static struct bench b;
    char cfgdir[400];
    const char *cfgdir_made = config_dir(cfgdir, sizeof cfgdir);
    static struct rs_scenario scn;
    char err[600];
    if (rs_scenario_load(&scn, "demo", err, sizeof err) < 0) {
        fprintf(stderr, "bench_live: %s\n", err);
        return 1;
    }
    scn.loop = true;
    rs_simroller_init(&b.roller, &scn);
    b.t0 = mono();
    b.caplat = (size_t)(seconds * 100) + 100;
    b.lat = malloc(b.caplat * sizeof *b.lat);

    struct rs_session_config scfg = { .mode = RS_MODE_DEMO, .software = "bench_live" };
    struct rs_cal cal;
    rs_simroller_cal(&b.roller, &cal);
    rs_calib_from_cal(&scfg.cal, &cal, true);
    rs_profile_defaults(&scfg.prof);
    rs_config_defaults(&scfg.cfg);
    struct rs_run_opts ro = { .window = true, .duration_s = seconds + WARMUP_S + 0.5, .who = "bench_live",
                              .tick = on_tick, .tick_ctx = &b, .presented = on_frame,
                              .presented_ctx = &b, .stop = &bench_done };
    ro.wcfg = (struct rs_window_config){ .title = "rollsense bench_live", .width = w, .height = h,
                                         .renderer = o.renderer, .volume = 0.8f,
                                         .config_dir = cfgdir_made };
    struct rs_conn_config cfg = { .open_link = bench_open, .open_ctx = &b };
    if (emu.on) {
        ro.frame_step_s = 1.0 / 60.0; /* a frame per 1/60 s of the stream */
        cfg.now_us = emu_now;
        cfg.sleep_us = emu_sleep;
    }
    struct rs_session *s = rs_session_new(&scfg);
    struct rs_sink sink = rs_session_sink(s);
    b.conn = rs_conn_new(&cfg, &sink);
    if (!b.lat || !s || !b.conn) {
        fprintf(stderr, "bench_live: out of memory\n");
        return 1;
    }
    b.seconds = seconds;
    char rec_path[1024];
    if (o.record && record_start(&b, s, &o, rec_path, sizeof rec_path) != 0)
        return 1;
    int rc = rs_run(b.conn, s, &ro, err, sizeof err);
    remove_config_dir(cfgdir_made);
    if (rc != 0) {
        fprintf(stderr, "bench_live: %s\n", err);
        return 1;
    }
    const char *video = getenv("SDL_VIDEODRIVER") ? getenv("SDL_VIDEODRIVER") : "x11";
    report(&b, seconds, w, h, video);
    record_end(&b, rec_path);
    rs_conn_free(b.conn);
    rs_session_free(s);
    free(b.lat);
    return 0;
}
