/*
 * sim_emu_cli.c - the command-line contract of rollsense-emu (label `sim`):
 * `--pty` prints a pseudo-terminal path as the first stdout line and serves
 * the device stream there both ways; --scenario drives the sensors; SIGTERM
 * ends it with status 0; bad command lines exit 2.
 *
 *   sim_emu_cli PATH-TO-rollsense-emu            the contract, with keyframe files
 *   sim_emu_cli PATH-TO-rollsense-emu SCENARIO [TRANSPORT]   a scenario
 *       that loads the roller and rolls within its first 5 s drives the
 *       sensors, over the given transport (used with the simulated user's
 *       builtin:quick, and with usb, when host/sim and tests/usb are built)
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "rs_proto.h"

static int failures;
#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            fprintf(stderr, "FAIL line %d: %s: ", __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

static const char *emu;

/* Start emu with args; its stdout is a pipe (*out). */
static pid_t spawn(char *const argv[], int *out)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        close(p[0]);
        close(p[1]);
        execv(emu, argv);
        _exit(127);
    }
    close(p[1]);
    *out = p[0];
    return pid;
}

static int wait_exit(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Read one line from fd within timeout_ms (a safety limit, not a delay). */
static int read_line(int fd, char *buf, size_t len, int timeout_ms)
{
    size_t n = 0;
    while (n + 1 < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, timeout_ms) <= 0)
            return -1;
        ssize_t r = read(fd, buf + n, 1);
        if (r <= 0)
            return -1;
        if (buf[n] == '\n') {
            buf[n] = 0;
            return 0;
        }
        n++;
    }
    return -1;
}

static int run_status(char *const argv[])
{
    int out;
    pid_t pid = spawn(argv, &out);
    char buf[4096];
    while (read(out, buf, sizeof buf) > 0) {
    }
    close(out);
    return wait_exit(pid);
}

/* Run emu with a scenario and check that the sensors see load and motion
 * in the first 400 samples (5 s). */
static void check_motion(const char *scenario, const char *transport)
{
    int out;
    pid_t pid = spawn((char *[]){ "rollsense-emu", "--scenario", (char *)scenario, "--transport", (char *)transport,
                                  "--pty", NULL },
                      &out);
    char path[256];
    CHECK(read_line(out, path, sizeof path, 20000) == 0, "%s: no first line", scenario);
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    CHECK(fd >= 0, "cannot open %s", path);
    int samples = 0;
    double max_n = 0;
    int32_t enc_min = INT32_MAX, enc_max = INT32_MIN;
    struct rs_decoder dec;
    rs_decoder_init(&dec);
    while (fd >= 0 && samples < 400) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, 10000) <= 0)
            break;
        uint8_t buf[512];
        ssize_t n = read(fd, buf, sizeof buf);
        for (ssize_t i = 0; i < n; i++) {
            struct rs_frame fr;
            if (!rs_decoder_push(&dec, buf[i], &fr) || fr.type != RS_FT_SAMPLE)
                continue;
            samples++;
            double total = (fr.u.sample.left + fr.u.sample.right) / 2189.8;
            if (total > max_n)
                max_n = total;
            if (fr.u.sample.enc < enc_min)
                enc_min = fr.u.sample.enc;
            if (fr.u.sample.enc > enc_max)
                enc_max = fr.u.sample.enc;
        }
    }
    printf("emu cli: %s over %s: %d samples, peak load %.1f N, encoder range %d counts\n", scenario, transport,
           samples, max_n, enc_max - enc_min);
    CHECK(samples >= 400, "%s: %d samples", scenario, samples);
    CHECK(max_n > 100, "%s: peak load %.1f N", scenario, max_n);
    CHECK(enc_max - enc_min > 1000, "%s: the roller did not turn", scenario);
    CHECK(dec.stats.crc_errors == 0, "%s: CRC errors", scenario);
    if (fd >= 0)
        close(fd);
    kill(pid, SIGTERM);
    CHECK(wait_exit(pid) == 0, "%s: exit status", scenario);
    close(out);
}

/* Start emu with argv, ask the roller on its pty for INFO and return the
 * serial it reports in out (NUL-terminated; "" if none came); *pid_out is
 * the emulator's PID. The emulator is ended. */
static void info_serial(char *const argv[], char out[RS_SERIAL_LEN + 1], pid_t *pid_out)
{
    int pipe_fd;
    pid_t pid = spawn(argv, &pipe_fd);
    *pid_out = pid;
    out[0] = 0;
    char path[256];
    int fd = read_line(pipe_fd, path, sizeof path, 20000) == 0
                 ? open(path, O_RDWR | O_NOCTTY | O_NONBLOCK) : -1;
    CHECK(fd >= 0, "%s: no pty", argv[1]);
    struct rs_frame cmd = { .type = RS_FT_CMD_GET_INFO };
    uint8_t wire[RS_WIRE_MAX];
    size_t w = rs_frame_encode(&cmd, wire);
    if (fd >= 0)
        CHECK(write(fd, wire, w) == (ssize_t)w, "write to pty");
    struct rs_decoder dec;
    rs_decoder_init(&dec);
    for (int rounds = 0; fd >= 0 && rounds < 2000 && !out[0]; rounds++) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        if (poll(&pfd, 1, 10000) <= 0)
            break;
        uint8_t buf[512];
        ssize_t n = read(fd, buf, sizeof buf);
        for (ssize_t i = 0; i < n && !out[0]; i++) {
            struct rs_frame fr;
            if (rs_decoder_push(&dec, buf[i], &fr) && fr.type == RS_FT_INFO) {
                memcpy(out, fr.u.info.serial, RS_SERIAL_LEN);
                out[RS_SERIAL_LEN] = 0;
            }
        }
    }
    if (fd >= 0)
        close(fd);
    kill(pid, SIGTERM);
    CHECK(wait_exit(pid) == 0, "exit status");
    close(pipe_fd);
}

/* --serial is the roller's INFO serial; without it each emulator reports
 * EMU- and its own PID, so two emulated rollers differ. */
static void check_serials(void)
{
    char a[RS_SERIAL_LEN + 1], b[RS_SERIAL_LEN + 1], want[32];
    pid_t pa, pb;
    info_serial((char *[]){ "rollsense-emu", "--serial", "RS-CLI-0042", "--pty", NULL }, a, &pa);
    CHECK(!strcmp(a, "RS-CLI-0042"), "--serial RS-CLI-0042: INFO says '%s'", a);
    info_serial((char *[]){ "rollsense-emu", "--pty", NULL }, a, &pa);
    info_serial((char *[]){ "rollsense-emu", "--pty", NULL }, b, &pb);
    snprintf(want, sizeof want, "EMU-%08ld", (long)pa % 100000000L);
    CHECK(!strcmp(a, want), "default serial '%s', expected '%s'", a, want);
    CHECK(pa == pb || strcmp(a, b) != 0, "two emulators both say '%s'", a);
    printf("emu cli: serials '%s' and '%s' by default\n", a, b);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: sim_emu_cli PATH-TO-rollsense-emu [SCENARIO [TRANSPORT]]\n");
        return 2;
    }
    emu = argv[1];
    signal(SIGPIPE, SIG_IGN);
    if (argc >= 3) {
        check_motion(argv[2], argc == 4 ? argv[3] : "uart");
        return failures ? 1 : 0;
    }

    /* Command-line errors and --help. */
    CHECK(run_status((char *[]){ "rollsense-emu", "--help", NULL }) == 0, "--help");
    CHECK(run_status((char *[]){ "rollsense-emu", NULL }) == 2, "no --pty");
    CHECK(run_status((char *[]){ "rollsense-emu", "--pty", "--bogus", NULL }) == 2, "unknown option");
    CHECK(run_status((char *[]){ "rollsense-emu", "--pty", "--transport", "pigeon", NULL }) == 2,
          "unknown transport");
    CHECK(run_status((char *[]){ "rollsense-emu", "--pty", "--serial", "bad serial!", NULL }) == 2,
          "serial with a space");
    CHECK(run_status((char *[]){ "rollsense-emu", "--pty", "--serial", "1234567890123", NULL }) == 2,
          "13-character serial");
    CHECK(run_status((char *[]){ "rollsense-emu", "--pty", "--serial", "", NULL }) == 2,
          "empty serial");
    check_serials();

    const char *tmp = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/rs-emu-cli-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *d = mkdtemp(tmpl);
    if (!d) {
        perror("mkdtemp");
        return 1;
    }
    char scen[600], bad[600];
    snprintf(scen, sizeof scen, "%s/still.scn", d);
    snprintf(bad, sizeof bad, "%s/bad.scn", d);
    FILE *f = fopen(scen, "w");
    fprintf(f, "# constant load, roller still\nt=0 left=100 right=50 rev=0.25\nt=1000 left=100 right=50 rev=0.25\n");
    fclose(f);
    f = fopen(bad, "w");
    fprintf(f, "t=0 left=banana\n");
    fclose(f);
    CHECK(run_status((char *[]){ "rollsense-emu", "--pty", "--scenario", bad, NULL }) == 2, "bad scenario");
    char rolling[600];
    snprintf(rolling, sizeof rolling, "%s/rolling.kf", d);
    f = fopen(rolling, "w");
    fprintf(f, "t=0 total=0 x=-90 rev=0\nt=1 total=250 rev=0\nt=4 rev=0.5\nt=5 total=0\n");
    fclose(f);
    check_motion(rolling, "uart");
    unlink(rolling);

    /* The real thing. */
    int out;
    pid_t pid = spawn((char *[]){ "rollsense-emu", "--scenario", scen, "--pty", NULL }, &out);
    char path[256];
    CHECK(read_line(out, path, sizeof path, 20000) == 0, "no first line");
    CHECK(!strncmp(path, "/dev/pts/", 9), "first line '%s' is not a pty path", path);
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    CHECK(fd >= 0, "cannot open %s: %s", path, strerror(errno));
    if (fd >= 0) {
        struct termios t;
        tcgetattr(fd, &t);
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);

        struct rs_decoder dec;
        rs_decoder_init(&dec);
        int samples = 0, good_values = 0, replied = 0, info = 0, sent = 0;
        for (int rounds = 0; rounds < 2000 && !(samples >= 200 && replied && info); rounds++) {
            struct pollfd pfd = { .fd = fd, .events = POLLIN };
            if (poll(&pfd, 1, 10000) <= 0)
                break;
            uint8_t buf[512];
            ssize_t n = read(fd, buf, sizeof buf);
            for (ssize_t i = 0; i < n; i++) {
                struct rs_frame fr;
                if (!rs_decoder_push(&dec, buf[i], &fr))
                    continue;
                if (fr.type == RS_FT_SAMPLE) {
                    samples++;
                    good_values += fr.u.sample.left == 218980 && fr.u.sample.right == 109490 &&
                                   fr.u.sample.enc == 0;
                } else if (fr.type == RS_FT_REPLY && fr.u.reply.token == 0x5a &&
                           fr.u.reply.cmd == RS_FT_CMD_GET_INFO && fr.u.reply.code == RS_REPLY_ACK) {
                    replied = 1;
                } else if (fr.type == RS_FT_INFO && sent) {
                    info = 1; /* the answer's data frame (sent before the ACK) */
                }
            }
            if (samples >= 100 && !sent) {
                struct rs_frame cmd = { .type = RS_FT_CMD_GET_INFO };
                cmd.u.cmd.token = 0x5a;
                uint8_t wire[RS_WIRE_MAX];
                size_t w = rs_frame_encode(&cmd, wire);
                CHECK(write(fd, wire, w) == (ssize_t)w, "write to pty");
                sent = 1;
            }
        }
        printf("emu cli: %d samples (%d with the scenario's values), reply %d, info %d, %u CRC errors\n", samples,
               good_values, replied, info, (unsigned)dec.stats.crc_errors);
        CHECK(samples >= 200, "%d samples", samples);
        CHECK(good_values == samples, "%d of %d samples carry the scenario's values", good_values, samples);
        CHECK(replied && info, "GET_INFO over the pty: reply %d info %d", replied, info);
        CHECK(dec.stats.crc_errors == 0, "CRC errors");
        close(fd);
    }
    kill(pid, SIGTERM);
    int rc = wait_exit(pid);
    CHECK(rc == 0, "exit status %d after SIGTERM", rc);
    close(out);
    unlink(scen);
    unlink(bad);
    rmdir(d);
    return failures ? 1 : 0;
}
