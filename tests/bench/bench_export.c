/*
 * bench_export.c - `rollsense export` and `rollsense analyze` on a 10-hour
 * session, run as the real commands (child processes). Prints figures;
 * asserts nothing about speed.
 *
 *   bench_export [--hours H] [--keep] [--runs N] [--against ROLLSENSE] [SESSION]
 *
 * Without SESSION it first records one the way live does (the simulated
 * user looping the demo scenario through rs_session and the recorder,
 * 80 frames/s, H hours of device time, default 10) into $TMPDIR (tmpfs
 * /dev/shm when TMPDIR is unset and it exists). The rollsense binary is the
 * one next to this program. Each command runs N times (default 2); wall
 * time, the child's CPU time (user + sys) and its peak resident set are
 * printed for each run, and their medians from three runs on. With
 * --against, another build's rollsense runs the same command right after
 * each run of this one, so the two are compared at the same moments (this
 * machine's speed can change by half from one minute to the next). Last, `rollsense replay
 * --screenshot-after 1` (offscreen unless SDL_VIDEODRIVER says otherwise):
 * the time to the replay window's first frame, plus its PNG.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../replay/replay_harness.h"

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run argv with stdout to /dev/null; wall and CPU seconds, peak resident
 * set in MiB; exit status. */
static int run(char *const argv[], double *wall, double *cpu, double *rss)
{
    double t0 = mono();
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *wall = mono() - t0;
    *cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
    *rss = ru.ru_maxrss / 1024.0; /* KiB on Linux */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

#define RUNS_MAX 50

static int runs = 2;
static char *against; /* another build's rollsense, or NULL */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs of argv (and of argv with the other build's rollsense), printed. */
static void measure(const char *what, char *argv[])
{
    char *self = argv[0];
    const char *label[2] = { against ? " (this build)" : "", " (against)" };
    double wall[2][RUNS_MAX], cpu[2][RUNS_MAX], rss[2][RUNS_MAX];
    for (int k = 0; k < runs; k++) {
        for (int b = 0; b < (against ? 2 : 1); b++) {
            argv[0] = b ? against : self;
            int rc = run(argv, &wall[b][k], &cpu[b][k], &rss[b][k]);
            printf("%s%s: run %d: %.2f s wall, %.2f s CPU, %.1f MiB peak RSS%s\n", what,
                   label[b], k + 1, wall[b][k], cpu[b][k], rss[b][k], rc == 0 ? "" : " (FAILED)");
            fflush(stdout);
        }
    }
    argv[0] = self;
    for (int b = 0; runs >= 3 && b < (against ? 2 : 1); b++)
        printf("%s%s: median of %d: %.2f s wall, %.2f s CPU, %.1f MiB peak RSS\n", what,
               label[b], runs, median(wall[b], runs), median(cpu[b], runs),
               median(rss[b], runs));
}

/* The options into the globals and *hours, *keep, *session; false if wrong. */
static bool parse_args(int argc, char **argv, double *hours, bool *keep, const char **session)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--hours") == 0 && i + 1 < argc)
            *hours = atof(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0)
            *keep = true;
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--against") == 0 && i + 1 < argc)
            against = argv[++i];
        else if (argv[i][0] != '-' && !*session)
            *session = argv[i];
        else
            return false;
    }
    return runs >= 1 && runs <= RUNS_MAX && (!against || access(against, X_OK) == 0);
}

int main(int argc, char **argv)
{
    double hours = 10;
    const char *session = NULL;
    bool keep = false;
    if (!parse_args(argc, argv, &hours, &keep, &session)) {
        fprintf(stderr, "usage: bench_export [--hours H] [--keep] [--runs N (1-%d)] "
                        "[--against ROLLSENSE] [SESSION]\n", RUNS_MAX);
        return 2;
    }
    char self[1024], rollsense[1100], tmp[512], path[600], csv[600];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return 1;
    self[n] = '\0';
    snprintf(rollsense, sizeof rollsense, "%s/rollsense", dirname(self));
    const char *td = getenv("TMPDIR");
    if (!td || !*td)
        td = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(tmp, sizeof tmp, "%s/bench_export-XXXXXX", td);
    if (!mkdtemp(tmp)) {
        perror("bench_export: mkdtemp");
        return 1;
    }
    if (!session) {
        snprintf(path, sizeof path, "%s/long.rsession", tmp);
        struct harness_opts o = { .scenario = "demo", .loop = true, .saved_cal = true,
                                  .max_frames = (uint64_t)(hours * 3600 * 80) };
        struct harness_result res;
        double t0 = mono();
        if (harness_record(path, &o, &res) != 0)
            return 1;
        struct stat st;
        stat(path, &st);
        printf("recorded: %.1f h, %llu samples, %.1f MiB in %.1f s (%s)\n", hours,
               (unsigned long long)res.samples, st.st_size / 1048576.0, mono() - t0, td);
        session = path;
    }
    snprintf(csv, sizeof csv, "%s/csv", tmp);
    char *exp[] = { rollsense, "export", (char *)session, "--csv", csv, NULL };
    measure("export", exp);
    char *ana[] = { rollsense, "analyze", (char *)session, NULL };
    measure("analyze", ana);
    char *anj[] = { rollsense, "analyze", "--json", (char *)session, NULL };
    measure("analyze --json", anj);
    /* the replay window's first frame: open, draw it, save it, quit */
    char shots[600];
    snprintf(shots, sizeof shots, "%s/shots", tmp);
    mkdir(shots, 0700);
    setenv("SDL_VIDEODRIVER", getenv("SDL_VIDEODRIVER") ? getenv("SDL_VIDEODRIVER") : "offscreen", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    setenv("XDG_CONFIG_HOME", tmp, 1);
    char *rep[] = { rollsense, "replay", (char *)session, "--mute", "--screenshot-after", "1",
                    "--screenshot-dir", shots, NULL };
    measure("replay to its first window frame (and a PNG of it)", rep);
    if (keep)
        printf("kept: %s\n", tmp);
    else
        nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
