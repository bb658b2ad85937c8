/*
 * bench_export.c - `rollsense export` and `rollsense analyze` on a 10-hour
 * session, run as the real commands (child processes). Prints figures;
 * asserts nothing about speed.
 *
 *   bench_export [--hours H] [--keep] [SESSION]
 *
 * Without SESSION it first records one the way live does (the simulated
 * user looping the demo scenario through rs_session and the recorder,
 * 80 frames/s, H hours of device time, default 10) into $TMPDIR (tmpfs
 * /dev/shm when TMPDIR is unset and it exists). The rollsense binary is the
 * one next to this program. Each command runs twice; wall time and the
 * child's CPU time (user + sys) are printed for both runs.
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

/* Run argv with stdout to /dev/null; wall and CPU seconds; exit status. */
static int run(char *const argv[], double *wall, double *cpu)
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
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void measure(const char *what, char *const argv[])
{
    for (int k = 1; k <= 2; k++) {
        double wall = 0, cpu = 0;
        int rc = run(argv, &wall, &cpu);
        printf("%s: run %d: %.2f s wall, %.2f s CPU%s\n", what, k, wall, cpu,
               rc == 0 ? "" : " (FAILED)");
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    double hours = 10;
    const char *session = NULL;
    bool keep = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--hours") == 0 && i + 1 < argc)
            hours = atof(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = true;
        else if (argv[i][0] != '-' && !session)
            session = argv[i];
        else {
            fprintf(stderr, "usage: bench_export [--hours H] [--keep] [SESSION]\n");
            return 2;
        }
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
    if (keep)
        printf("kept: %s\n", tmp);
    else
        nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
