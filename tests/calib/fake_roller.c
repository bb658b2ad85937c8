/*
 * fake_roller.c - a roller on a pseudo-terminal for the calibration e2e tests.
 *
 * usage: rs_fake_roller [--speed K] [--serial S]
 *
 * Prints the pty path as its first stdout line, then answers the wire
 * protocol (rs_proto) like the firmware: GET_INFO, START/STOP, GET_CAL,
 * SET_CAL (RAM), SAVE_CAL (to a pretend EEPROM), RESET (RAM reloaded from the
 * EEPROM, counters restart), IDENTIFY. While streaming it sends samples of the
 * injected load at K times the nominal 80 Hz (device time stays 12.5 ms per
 * sample), so tests run faster than real time without changing what the host
 * sees per sample.
 *
 * The "true" roller differs from the nominal constants the simulated user
 * uses (rs_defaults.h: 2189.8 counts/N, 380 mm between cell lines), so a
 * calibration has something to find: offsets 84211 / -53120 counts, scales
 * 1.8 % low on the left and 2.1 % high on the right.
 *
 * Control lines on stdin (each answered "ok" on stdout once in effect):
 *   load TOTAL_N X_MM     a load at lateral x (0 = centre, + = right)
 *   noise N               rms noise per side in newtons (default 0.07)
 *   drift N_PER_S         the total changes by this much per second
 *   enc COUNTS            turn the roller by COUNTS (16384 per revolution)
 *   failsave 0|1          SAVE_CAL fails with NAK 5 (EEPROM write failure)
 *   badreadback 0|1       GET_CAL reads back a block one count off
 *   quit
 * The pty slave is kept open here too, so host programs may come and go.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "rs_defaults.h"
#include "rs_proto.h"

#define TRUE_OFF_L 84211.0
#define TRUE_OFF_R (-53120.0)
#define TRUE_SCALE_L (RS_DEFAULT_SCALE_COUNTS_PER_N * 0.982)
#define TRUE_SCALE_R (RS_DEFAULT_SCALE_COUNTS_PER_N * 1.021)

struct fake {
    int master;
    struct rs_decoder dec;
    bool streaming;
    uint32_t seq;
    int32_t enc;
    double load_n, x_mm, noise_n, drift, drift_t0;
    struct rs_cal ram, eeprom;
    bool saved;
    char serial[RS_SERIAL_LEN];
    uint64_t rng;
    uint32_t dropped_writes;
    bool fail_save;      /* SAVE_CAL answers NAK 5 (EEPROM failure) */
    bool bad_readback;   /* GET_CAL answers a block one count off */
};

static double gauss(struct fake *f)
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        f->rng ^= f->rng << 13;
        f->rng ^= f->rng >> 7;
        f->rng ^= f->rng << 17;
        u[i] = ((double)(f->rng >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

static void send_frame(struct fake *f, const struct rs_frame *fr)
{
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(fr, wire);
    /* Non-blocking: with no host reading, frames are dropped, as a USB
     * device's would be. */
    if (write(f->master, wire, n) != (ssize_t)n)
        f->dropped_writes++;
}

static void defaults(struct fake *f, struct rs_cal *c)
{
    memset(c, 0, sizeof *c);
    c->scale_left = c->scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N;
    c->radius_um = RS_DEFAULT_RADIUS_UM;
    c->enc_dir = 1;
    memcpy(c->serial, f->serial, RS_SERIAL_LEN);
}

static void send_info(struct fake *f)
{
    struct rs_frame fr = { .type = RS_FT_INFO };
    fr.u.info.fw_major = 0;
    fr.u.info.fw_minor = 9;
    fr.u.info.cal_state = f->saved ? RS_CAL_OK : RS_CAL_DEFAULT;
    fr.u.info.sample_rate_hz = RS_SAMPLE_RATE_HZ;
    fr.u.info.enc_counts_per_rev = RS_ENC_COUNTS_PER_REV;
    fr.u.info.hw_rev = 1;
    fr.u.info.streaming = f->streaming;
    memcpy(fr.u.info.serial, f->serial, RS_SERIAL_LEN);
    send_frame(f, &fr);
}

static void reply(struct fake *f, const struct rs_frame *cmd, uint8_t code)
{
    struct rs_frame fr = { .type = RS_FT_REPLY };
    fr.u.reply.token = cmd->u.cmd.token;
    fr.u.reply.cmd = cmd->type;
    fr.u.reply.code = code;
    send_frame(f, &fr);
}

static void on_cmd(struct fake *f, const struct rs_frame *c)
{
    switch (c->type) {
    case RS_FT_CMD_START:
        f->streaming = true;
        send_info(f);
        reply(f, c, RS_REPLY_ACK);
        break;
    case RS_FT_CMD_STOP:
        f->streaming = false;
        reply(f, c, RS_REPLY_ACK);
        break;
    case RS_FT_CMD_GET_INFO:
        send_info(f);
        reply(f, c, RS_REPLY_ACK);
        break;
    case RS_FT_CMD_GET_CAL: {
        struct rs_frame fr = { .type = RS_FT_CAL };
        fr.u.cal = f->ram;
        if (f->bad_readback)
            fr.u.cal.offset_left += 1;
        send_frame(f, &fr);
        reply(f, c, RS_REPLY_ACK);
        break;
    }
    case RS_FT_CMD_SET_CAL: {
        const struct rs_cal *k = &c->u.cmd.arg.cal;
        if (!isfinite(k->scale_left) || !isfinite(k->scale_right) || k->scale_left <= 0 ||
            k->scale_right <= 0 || k->radius_um == 0 || (k->enc_dir != 1 && k->enc_dir != -1)) {
            reply(f, c, RS_NAK_ARG);
            break;
        }
        f->ram = *k;
        reply(f, c, RS_REPLY_ACK);
        break;
    }
    case RS_FT_CMD_SAVE_CAL:
        if (f->fail_save) {
            reply(f, c, RS_NAK_STORAGE);
            break;
        }
        f->eeprom = f->ram;
        f->saved = true;
        reply(f, c, RS_REPLY_ACK);
        break;
    case RS_FT_CMD_IDENTIFY:
        reply(f, c, RS_REPLY_ACK);
        break;
    case RS_FT_CMD_RESET:
        reply(f, c, RS_REPLY_ACK);
        /* A restart: RAM from the EEPROM (or defaults), counters from zero. */
        f->streaming = false;
        f->seq = 0;
        if (f->saved)
            f->ram = f->eeprom;
        else
            defaults(f, &f->ram);
        break;
    default:
        if (c->type >= 0x80)
            reply(f, c, RS_NAK_UNKNOWN);
        break;
    }
}

static void send_sample(struct fake *f)
{
    double t = f->seq * 0.0125;
    double total = f->load_n + f->drift * (t - f->drift_t0);
    double fr_n = total * (0.5 + f->x_mm / RS_CELL_SPAN_MM), fl_n = total - fr_n;
    double nl = f->noise_n * gauss(f), nr = f->noise_n * gauss(f);
    struct rs_frame fr = { .type = RS_FT_SAMPLE };
    fr.u.sample.seq = f->seq;
    fr.u.sample.t_us = f->seq * 12500u;
    fr.u.sample.left = (int32_t)lround(TRUE_OFF_L + (fl_n + nl) * TRUE_SCALE_L);
    fr.u.sample.right = (int32_t)lround(TRUE_OFF_R + (fr_n + nr) * TRUE_SCALE_R);
    fr.u.sample.enc = f->enc;
    fr.u.sample.status = f->saved ? 0 : RS_ST_CAL_DEFAULT;
    send_frame(f, &fr);
    f->seq++;
}

/* One control line; returns false on quit or a bad line. */
static bool control(struct fake *f, char *line)
{
    double a, b;
    if (sscanf(line, "load %lf %lf", &a, &b) == 2) {
        f->load_n = a;
        f->x_mm = b;
        f->drift_t0 = f->seq * 0.0125;
    } else if (sscanf(line, "noise %lf", &a) == 1) {
        f->noise_n = a;
    } else if (sscanf(line, "drift %lf", &a) == 1) {
        f->drift = a;
        f->drift_t0 = f->seq * 0.0125;
    } else if (sscanf(line, "enc %lf", &a) == 1) {
        f->enc = (int32_t)((uint32_t)f->enc + (uint32_t)(int32_t)a);
    } else if (sscanf(line, "failsave %lf", &a) == 1) {
        f->fail_save = a != 0;
    } else if (sscanf(line, "badreadback %lf", &a) == 1) {
        f->bad_readback = a != 0;
    } else if (strncmp(line, "quit", 4) == 0) {
        return false;
    } else {
        fprintf(stderr, "fake_roller: bad control line '%s'\n", line);
        return false;
    }
    printf("ok\n");
    fflush(stdout);
    return true;
}

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
    struct fake f = { .noise_n = 0.07, .rng = 0x9e3779b97f4a7c15ull };
    double speed = 4;
    const char *serial = "RS-FAKE0001";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--speed"))
            speed = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--serial"))
            serial = argv[i + 1];
    }
    if (!(speed > 0 && speed <= 100))
        speed = 4;
    strncpy(f.serial, serial, RS_SERIAL_LEN);
    defaults(&f, &f.ram);
    rs_decoder_init(&f.dec);

    f.master = posix_openpt(O_RDWR | O_NOCTTY);
    if (f.master < 0 || grantpt(f.master) < 0 || unlockpt(f.master) < 0) {
        perror("fake_roller: pty");
        return 1;
    }
    const char *name = ptsname(f.master);
    int slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
    if (slave < 0) {
        perror("fake_roller: slave");
        return 1;
    }
    struct termios tio;
    tcgetattr(slave, &tio);
    cfmakeraw(&tio);
    tcsetattr(slave, TCSANOW, &tio);
    fcntl(f.master, F_SETFL, fcntl(f.master, F_GETFL) | O_NONBLOCK);
    printf("%s\n", name);
    fflush(stdout);

    int64_t period = (int64_t)(12500 / speed), next = mono_us();
    char ctl[512];
    size_t ctl_len = 0;
    for (;;) {
        int64_t now = mono_us();
        if (f.streaming && now >= next) {
            send_sample(&f);
            next += period;
            if (now - next > 100000)
                next = now; /* never burst after a stall */
            continue;
        }
        if (!f.streaming)
            next = now + period;
        int wait = f.streaming ? (int)((next - now + 999) / 1000) : 100;
        struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
                               { .fd = f.master, .events = POLLIN } };
        if (poll(p, 2, wait) < 0 && errno != EINTR)
            return 1;
        if (p[1].revents & POLLIN) {
            uint8_t buf[512];
            ssize_t n = read(f.master, buf, sizeof buf);
            struct rs_frame fr;
            for (ssize_t i = 0; i < n; i++)
                if (rs_decoder_push(&f.dec, buf[i], &fr))
                    on_cmd(&f, &fr);
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(STDIN_FILENO, ctl + ctl_len, sizeof ctl - 1 - ctl_len);
            if (n <= 0)
                return 0; /* the test driver went away */
            ctl_len += (size_t)n;
            char *nl;
            while ((nl = memchr(ctl, '\n', ctl_len))) {
                *nl = '\0';
                if (!control(&f, ctl))
                    return 0;
                size_t used = (size_t)(nl - ctl) + 1;
                memmove(ctl, ctl + used, ctl_len - used);
                ctl_len -= used;
            }
            if (ctl_len == sizeof ctl - 1)
                ctl_len = 0;
        }
    }
}
