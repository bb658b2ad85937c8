/*
 * emu_main.c - rollsense-emu: the emulated roller on a pseudo-terminal.
 *
 *   rollsense-emu [--firmware ELF] [--scenario FILE] [--realtime]
 *                 [--noise COUNTS] [--seed N] [--transport uart|usb]
 *                 [--serial S] --pty
 *
 * Prints the pty path as the first line of stdout, then serves the device's
 * serial stream there in both directions until killed (SIGTERM / SIGINT end
 * it cleanly). Single-threaded: one loop runs a slice of simulated time,
 * moves bytes between the pty and the transport, and repeats. By default it
 * runs as fast as the reader takes the data (the pty's buffer throttles it);
 * --realtime paces simulated time to the wall clock.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rs_emu.h"
#ifdef RS_EMU_HAVE_SIMUSER
#include "emu_simuser.h"
#endif
#ifdef RS_EMU_HAVE_USB
#include "emu_usb.h"
#endif

#define OUT_MAX 65536u /* device bytes held while the pty is full */

struct emu_main {
    uint8_t out[OUT_MAX];
    size_t out_len;
    uint64_t dropped;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void on_tx(void *ctx, const uint8_t *p, size_t n)
{
    struct emu_main *m = ctx;
    if (m->out_len + n > OUT_MAX) {
        m->dropped += n;
        return;
    }
    memcpy(m->out + m->out_len, p, n);
    m->out_len += n;
}

static void usage(FILE *f)
{
    char def_serial[RS_EMU_SERIAL_MAX + 1];
    rs_emu_default_serial(def_serial);
    fprintf(f,
            "usage: rollsense-emu [--firmware ELF] [--scenario FILE] [--realtime]\n"
            "                     [--noise COUNTS] [--seed N] [--transport uart|usb]\n"
            "                     [--serial S] --pty\n"
            "Runs the roller firmware in simavr with virtual sensors and serves its\n"
            "serial stream on a new pseudo-terminal, whose path is the first line of\n"
            "standard output. Runs until killed.\n"
            "  --firmware ELF   firmware image (default: this build's %s)\n"
            "  --scenario FILE  what happens on the roller: a simulated-user scenario\n"
            "                   (docs/scenario-format.md; builtin:NAME for a built-in)\n"
            "                   or a keyframe file (first line t=..., docs/firmware.md);\n"
            "                   default: built-in calf rolling\n"
            "  --realtime       pace simulated time to the wall clock (default: as fast\n"
            "                   as the reader takes the data)\n"
            "  --noise COUNTS   HX711 noise, standard deviation in counts (default 0)\n"
            "  --seed N         noise seed\n"
            "  --transport T    device transport: uart (USART1, 1 Mbaud; default) or usb\n"
            "                   (CDC-ACM through the USB host model, when built with tests/usb)\n"
            "  --serial S       the roller's serial number (its USB serial and INFO\n"
            "                   serial): 1 to 12 of 0-9 A-Z a-z - _ . (default EMU- and\n"
            "                   this process's ID, here %s, so two emulators differ)\n"
            "  --pty            serve on a pseudo-terminal (required)\n",
            rs_emu_default_elf(), def_serial);
}

static int open_pty(char *path, size_t len)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 || grantpt(fd) < 0 || unlockpt(fd) < 0 || ptsname_r(fd, path, len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Raw 8-bit line on the pty: no echo, no CR/LF translation, no signals. */
static int make_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) < 0)
        return -1;
    cfmakeraw(&t);
    return tcsetattr(fd, TCSANOW, &t);
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *elf = NULL, *scenario_path = NULL, *transport = "uart", *serial = NULL;
    int realtime = 0, pty = 0;
    double noise = 0;
    unsigned long seed = 1;
    int noise_set = 0, seed_set = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--pty")) {
            pty = 1;
        } else if (!strcmp(a, "--realtime")) {
            realtime = 1;
        } else if ((!strcmp(a, "--firmware") || !strcmp(a, "--scenario") || !strcmp(a, "--noise") ||
                    !strcmp(a, "--seed") || !strcmp(a, "--transport") ||
                    !strcmp(a, "--serial")) && val) {
            char *end = NULL;
            if (!strcmp(a, "--firmware"))
                elf = val;
            else if (!strcmp(a, "--scenario"))
                scenario_path = val;
            else if (!strcmp(a, "--transport"))
                transport = val;
            else if (!strcmp(a, "--serial")) {
                serial = val;
                if (!rs_emu_serial_ok(val)) {
                    fprintf(stderr, "rollsense-emu: --serial needs 1 to 12 of 0-9 A-Z a-z - _ .\n");
                    return 2;
                }
            }
            else if (!strcmp(a, "--noise")) {
                noise = strtod(val, &end);
                noise_set = 1;
                if (noise < 0 || *end || end == val) {
                    fprintf(stderr, "rollsense-emu: --noise needs a number >= 0\n");
                    return 2;
                }
            } else if (!strcmp(a, "--seed")) {
                seed = strtoul(val, &end, 0);
                seed_set = 1;
                if (*end || end == val) {
                    fprintf(stderr, "rollsense-emu: --seed needs a number\n");
                    return 2;
                }
            }
            i++;
        } else {
            fprintf(stderr, "rollsense-emu: unknown or incomplete option '%s' (see --help)\n", a);
            return 2;
        }
    }
    if (!pty) {
        fprintf(stderr, "rollsense-emu: --pty is required (the only way to serve the stream)\n");
        return 2;
    }
    int use_usb = 0;
#ifdef RS_EMU_HAVE_USB
    use_usb = !strcmp(transport, "usb");
#endif
    if (strcmp(transport, "uart") != 0 && !use_usb) {
        fprintf(stderr, "rollsense-emu: transport '%s' is not available (uart%s)\n", transport,
#ifdef RS_EMU_HAVE_USB
                " or usb"
#else
                " only"
#endif
        );
        return 2;
    }

    struct rs_emu_keyframes *sc = NULL;
#ifdef RS_EMU_HAVE_SIMUSER
    struct rs_emu_simuser *user = NULL;
#endif
    struct rs_emu_opts o = { 0 };
    static struct emu_main m;
    o.elf_path = elf ? elf : rs_emu_default_elf();
    o.serial = serial;
    o.on_tx = use_usb ? NULL : on_tx; /* with USB, USART1 output is ignored */
    o.ctx = &m;
    rs_emu_model_default(&o.model);
    if (scenario_path) {
        char err[300];
        static char text[4096];
        size_t n = 0;
        FILE *f = strncmp(scenario_path, "builtin:", 8) ? fopen(scenario_path, "r") : NULL;
        if (f) {
            n = fread(text, 1, sizeof text - 1, f);
            fclose(f);
        }
        text[n] = 0;
        if (f && rs_emu_is_keyframes(text)) {
            sc = rs_emu_keyframes_load(scenario_path, err, sizeof err);
            if (!sc) {
                fprintf(stderr, "rollsense-emu: %s\n", err);
                return 2;
            }
            rs_emu_keyframes_model(sc, &o.model);
        } else {
#ifdef RS_EMU_HAVE_SIMUSER
            user = rs_emu_simuser_load(scenario_path, err, sizeof err);
            if (!user) {
                fprintf(stderr, "rollsense-emu: %s\n", err);
                return 2;
            }
            rs_emu_simuser_apply(user, &o);
#else
            fprintf(stderr, "rollsense-emu: %s: not a keyframe file (t=...), and this build has no "
                            "simulated user (host/sim) for scenario files\n", scenario_path);
            return 2;
#endif
        }
    }
    /* Command-line noise and seed override the scenario's. */
    if (noise_set)
        o.noise_counts = noise;
    if (seed_set)
        o.seed = (uint32_t)seed;

    char path[128];
    int master = open_pty(path, sizeof path);
    if (master < 0) {
        fprintf(stderr, "rollsense-emu: cannot create a pseudo-terminal: %s\n", strerror(errno));
        return 1;
    }
    /* Hold the slave open ourselves: settings stay raw and the master never
     * sees a hang-up while no client is connected. */
    int slave = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (slave < 0 || make_raw(slave) < 0) {
        fprintf(stderr, "rollsense-emu: cannot set up %s: %s\n", path, strerror(errno));
        return 1;
    }

    static struct rs_emu emu;
    if (rs_emu_init(&emu, &o) < 0)
        return 1;
#ifdef RS_EMU_HAVE_USB
    if (use_usb) {
        char err[200];
        if (rs_emu_usb_attach(&emu, on_tx, &m, err, sizeof err) < 0) {
            fprintf(stderr, "rollsense-emu: %s\n", err);
            return 1;
        }
    }
#endif

    struct sigaction sa = { 0 };
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    printf("%s\n", path);
    fflush(stdout);

    const uint64_t slice_us = 1000;
    double t0 = wall_s();
    int rc = 0;
    while (!stop_flag) {
        /* Host -> device. */
        uint8_t in[256];
        ssize_t r = read(master, in, sizeof in);
        if (r > 0) {
#ifdef RS_EMU_HAVE_USB
            if (use_usb)
                rs_emu_usb_write(in, (size_t)r);
            else
#endif
                rs_emu_send(&emu, in, (size_t)r);
        }

        /* Device -> host. */
        if (m.out_len) {
            ssize_t w = write(master, m.out, m.out_len);
            if (w > 0) {
                memmove(m.out, m.out + w, m.out_len - (size_t)w);
                m.out_len -= (size_t)w;
            }
        }
        if (m.out_len > OUT_MAX / 2) {
            /* Nobody reads: stop simulated time until the pty drains. */
            struct pollfd pfd = { .fd = master, .events = POLLOUT | POLLIN };
            poll(&pfd, 1, 50);
            continue;
        }

        if (rs_emu_run_us(&emu, slice_us) < 0) {
            fprintf(stderr, "rollsense-emu: the firmware stopped (crash) at %.3f s\n",
                    rs_emu_time_s(&emu));
            rc = 1;
            break;
        }
        if (realtime) {
            double ahead = rs_emu_time_s(&emu) - (wall_s() - t0);
            if (ahead > 0.002) {
                struct pollfd pfd = { .fd = master, .events = POLLIN };
                poll(&pfd, 1, (int)(ahead * 1000));
            }
        }
    }
    close(slave);
    close(master);
    rs_emu_free(&emu);
    rs_emu_keyframes_free(sc);
#ifdef RS_EMU_HAVE_SIMUSER
    rs_emu_simuser_free(user);
#endif
    return rc;
}
