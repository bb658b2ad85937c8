/*
 * bench_history.c - how long `rollsense sessions` (list) and `rollsense
 * history -o PNG` (draw) take for 100, 1,000 and 3,650 daily sessions, cold
 * (no catalog: every session file is opened and the catalog rebuilt) and
 * warm (the catalog is there and fresh). Prints figures; asserts no speed.
 *
 *   bench_history [--counts N,N,...] [--seconds S] [--runs R] [--keep]
 *
 * The sessions are synthetic (tests/history/hist_synth.h) and written
 * through the real recorder: S seconds of 80 Hz sample frames each (default
 * 2 s, about 28 KiB a file), 1-3 hold_end events, the calf_time meta,
 * routine_done events on two days in three. They go to a new directory in
 * $TMPDIR, else /dev/shm, else /tmp (the recorder fsyncs every file: on a
 * disk 3,650 of them take minutes to write), removed at the end unless
 * --keep. The rollsense binary is the one next to this program. Each figure
 * is the median of R runs (default 3) of the whole command, process start
 * included; "cold" deletes catalog.rscat before each run.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hist_synth.h"

extern char **environ;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Seconds argv took (stdout and stderr to /dev/null), or -1 if it failed. */
static double timed(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double t0 = now_s();
    pid_t pid;
    int st = -1;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return now_s() - t0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of runs of argv; cold: the catalog is removed before each. */
static double median_run(char *const argv[], const char *catalog, int cold, int runs)
{
    double t[16];
    if (runs > 16)
        runs = 16;
    for (int i = 0; i < runs; i++) {
        if (cold)
            unlink(catalog);
        if ((t[i] = timed(argv)) < 0)
            return -1;
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_d);
    return t[runs / 2];
}

/* Days [from, to) written into dir. Returns 0, or -1 after a message. */
static int generate(const char *dir, int from, int to, double seconds)
{
    for (int d = from; d < to; d++) {
        struct hs_session s;
        char name[96], path[1024];
        hs_plan_day(d, seconds, &s);
        snprintf(path, sizeof path, "%s/%s", dir, hs_name(&s, name, sizeof name));
        if (hs_write(path, &s) != 0) {
            fprintf(stderr, "bench_history: cannot write %s\n", path);
            return -1;
        }
    }
    return 0;
}

static long long dir_bytes;

static int add_size(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)p;
    (void)f;
    if (flag == FTW_F)
        dir_bytes += sb->st_size;
    return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

static void machine(void)
{
    struct utsname u;
    char line[256], cpu[256] = "?";
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            const char *c = strchr(line, ':');
            memcpy(cpu, c ? c + 2 : line, strlen(c ? c + 2 : line) + 1);
            cpu[strcspn(cpu, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    double load[3] = { 0, 0, 0 };
    getloadavg(load, 3);
    time_t t = time(NULL);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&t));
    uname(&u);
    printf("machine: %s, %ld cores, %s %s; %s; load average %.2f %.2f %.2f\n", cpu,
           sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, when, load[0], load[1], load[2]);
}

static void bench_count(const char *rs, const char *dir, int n, int runs)
{
    char catalog[700], png[700];
    snprintf(catalog, sizeof catalog, "%s/catalog.rscat", dir);
    snprintf(png, sizeof png, "%s/../bench_history.png", dir);
    char *list[] = { (char *)rs, "sessions", "--dir", (char *)dir, NULL };
    char *draw[] = { (char *)rs, "history", "--dir", (char *)dir, "-o", png, NULL };
    char *all[] = { (char *)rs, "history", "--dir", (char *)dir, "--days", "3660", "-o", png, NULL };
    double lc = median_run(list, catalog, 1, runs), lw = median_run(list, catalog, 0, runs);
    double dc = median_run(draw, catalog, 1, runs), dw = median_run(draw, catalog, 0, runs);
    double ac = median_run(all, catalog, 1, runs), aw = median_run(all, catalog, 0, runs);
    struct stat sb;
    long long cat = stat(catalog, &sb) == 0 ? (long long)sb.st_size : -1;
    printf("%5d sessions: list cold %.3f s, warm %.3f s | draw 28 days cold %.3f s, warm %.3f s | "
           "draw all days cold %.3f s, warm %.3f s | catalog %lld KiB\n",
           n, lc, lw, dc, dw, ac, aw, cat / 1024);
    if (lc < 0 || lw < 0 || dc < 0 || dw < 0 || ac < 0 || aw < 0)
        printf("FAILED: a command did not succeed\n");
    unlink(png);
}

/* "100,1000,3650" into counts (ascending). Returns how many, 0 if bad. */
static int parse_counts(const char *s, int *c, int cap)
{
    int n = 0;
    for (char *end; *s && n < cap; s = *end ? end + 1 : end) {
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 20000 || (n && v <= c[n - 1]) || (*end && *end != ','))
            return 0;
        c[n++] = (int)v;
    }
    return n;
}

int main(int argc, char **argv)
{
    int counts[8] = { 100, 1000, 3650 }, nc = 3, runs = 3, keep = 0;
    double seconds = 2.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--counts") == 0 && i + 1 < argc)
            nc = parse_counts(argv[++i], counts, 8);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else
            nc = 0;
    }
    if (nc == 0 || runs < 1 || !(seconds > 0 && seconds <= 600)) {
        fprintf(stderr, "usage: bench_history [--counts N,N,...] [--seconds S] [--runs R] [--keep]\n");
        return 2;
    }
    char self[1024], rs[1100], top[512], dir[600];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return 1;
    self[len] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(rs, sizeof rs, "%s/rollsense", self);
    const char *td = getenv("TMPDIR");
    if (!td || !*td)
        td = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(top, sizeof top, "%s/bench_history-XXXXXX", td);
    if (!mkdtemp(top)) {
        perror("bench_history: mkdtemp");
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/sessions", top);
    mkdir(dir, 0700);
    machine();
    int rc = 0;
    for (int i = 0, have = 0; i < nc && rc == 0; have = counts[i++]) {
        double t0 = now_s();
        rc = generate(dir, have, counts[i], seconds);
        dir_bytes = 0;
        nftw(dir, add_size, 16, FTW_PHYS);
        printf("generated %d sessions of %.1f s (%.1f MiB in %s) in %.1f s\n", counts[i] - have,
               seconds, (double)dir_bytes / (1 << 20), dir, now_s() - t0);
        fflush(stdout);
        if (rc == 0)
            bench_count(rs, dir, counts[i], runs);
        fflush(stdout);
    }
    if (!keep)
        nftw(top, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc ? 1 : 0;
}
