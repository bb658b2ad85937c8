/*
 * cmd_live.c - `rollsense live`: connect to a roller and stream.
 *
 * Headless JSON mode (the machine interface, docs/live-json.md): one JSON
 * object per line on stdout for status changes, gaps, lost frames, device
 * faults and (with --frames) every sample; a final summary object on exit.
 * The window mode will attach to the same hook (live_sample) once it exists.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "frame_json.h"
#include "rs_conn.h"
#include "rs_json.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

struct live {
    bool frames;        /* --frames: one object per sample */
    FILE *out;
    FILE *capture;      /* --capture FILE: raw bytes as read, or NULL */
    bool capture_failed;
};

/* Raw bytes for --capture (input for `rollsense decode` and replay tests). */
static void live_bytes(void *ctx, const uint8_t *buf, size_t n)
{
    struct live *lv = ctx;
    if (lv->capture && !lv->capture_failed && fwrite(buf, 1, n, lv->capture) != n)
        lv->capture_failed = true;
}

static void put_line(struct live *lv, const char *line)
{
    if (!line)
        return; /* cannot happen with these buffer sizes; never print half an object */
    fputs(line, lv->out);
    fputc('\n', lv->out);
    fflush(lv->out);
}

/*
 * THE per-sample hook of live mode. Every decoded sample passes here, in
 * order, with its time on the host clock. The detector pipeline (rs_core),
 * the recorder and the window attach here; today it only prints --frames.
 */
static void live_sample(void *ctx, const struct rs_sample *s, double t)
{
    struct live *lv = ctx;
    if (!lv->frames)
        return;
    char buf[320];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "type", "sample");
    rs_json_num(&j, "t", t, 6);
    rs_json_int(&j, "seq", s->seq);
    rs_json_int(&j, "t_us", s->t_us);
    rs_json_int(&j, "left", s->left);
    rs_json_int(&j, "right", s->right);
    rs_json_int(&j, "enc", s->enc);
    rs_json_int(&j, "status", s->status);
    put_line(lv, rs_json_end(&j));
}

/* Other device frames: faults always (they are status changes), the rest with --frames. */
static void live_frame(void *ctx, const struct rs_frame *f, double t)
{
    struct live *lv = ctx;
    (void)t;
    if (f->type != RS_FT_FAULT && !lv->frames)
        return;
    char buf[512];
    put_line(lv, rs_frame_json(f, buf, sizeof buf));
}

static const char *cal_state_name(uint8_t s)
{
    switch (s) {
    case RS_CAL_OK: return "ok";
    case RS_CAL_DEFAULT: return "default";
    case RS_CAL_CORRUPT: return "corrupt";
    default: return "unknown";
    }
}

static void live_event(void *ctx, const struct rs_conn_event *ev)
{
    struct live *lv = ctx;
    char buf[1024];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    switch (ev->type) {
    case RS_CONN_EV_STATE:
        rs_json_str(&j, "type", "status");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_str(&j, "state", rs_conn_state_name(ev->state));
        rs_json_str(&j, "port", ev->port);
        if (ev->reason)
            rs_json_str(&j, "reason", ev->reason);
        break;
    case RS_CONN_EV_INFO: {
        const struct rs_info *in = ev->info;
        char fw[16];
        snprintf(fw, sizeof fw, "%u.%u.%u", in->fw_major, in->fw_minor, in->fw_patch);
        rs_json_str(&j, "type", "status");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_str(&j, "state", "identified");
        rs_json_str(&j, "port", ev->port);
        rs_json_strn(&j, "serial", in->serial, strnlen(in->serial, RS_SERIAL_LEN));
        rs_json_str(&j, "firmware", fw);
        rs_json_int(&j, "protocol", ev->version);
        rs_json_str(&j, "calibration", cal_state_name(in->cal_state));
        rs_json_int(&j, "sample_rate_hz", in->sample_rate_hz);
        break;
    }
    case RS_CONN_EV_GAP:
        rs_json_str(&j, "type", "gap");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_num(&j, "start", ev->gap_start, 3);
        rs_json_num(&j, "end", ev->gap_end, 3);
        rs_json_num(&j, "duration_s", ev->gap_end - ev->gap_start, 3);
        if (ev->missed >= 0)
            rs_json_int(&j, "missed", ev->missed);
        else
            rs_json_raw(&j, "missed", "null");
        rs_json_bool(&j, "resumed", ev->resumed);
        rs_json_num(&j, "wait_cpu_s", ev->wait_cpu_s, 4);
        rs_json_str(&j, "port", ev->port);
        break;
    case RS_CONN_EV_LOST:
        rs_json_str(&j, "type", "lost");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_int(&j, "seq", ev->seq);
        rs_json_int(&j, "count", ev->count);
        break;
    case RS_CONN_EV_NOTICE:
        rs_json_str(&j, "type", "notice");
        rs_json_num(&j, "t", ev->t, 3);
        rs_json_str(&j, "message", ev->reason ? ev->reason : "");
        rs_json_str(&j, "port", ev->port);
        break;
    }
    put_line(lv, rs_json_end(&j));
}

static void summary(struct live *lv, const struct rs_conn_stats *st, double elapsed)
{
    char buf[1024];
    struct rs_json j;
    rs_json_begin(&j, buf, sizeof buf);
    rs_json_str(&j, "type", "summary");
    rs_json_int(&j, "frames", (long long)st->frames);
    rs_json_int(&j, "lost", (long long)st->lost);
    rs_json_int(&j, "crc_errors", st->dec.crc_errors);
    rs_json_int(&j, "gaps", st->gaps);
    rs_json_num(&j, "rate_hz", st->rate_hz, 3);
    rs_json_num(&j, "duration_s", elapsed, 3);
    rs_json_int(&j, "framing_errors", st->dec.framing_errors);
    rs_json_int(&j, "oversize", st->dec.oversize);
    rs_json_int(&j, "unknown_type", st->dec.unknown_type);
    rs_json_int(&j, "bad_length", st->dec.bad_length);
    rs_json_int(&j, "bad_version", st->dec.bad_version);
    rs_json_int(&j, "bytes", (long long)st->bytes);
    rs_json_int(&j, "gap_missed", (long long)st->gap_missed);
    rs_json_int(&j, "connects", st->connects);
    rs_json_int(&j, "stalls", st->stalls);
    rs_json_num(&j, "wait_s", st->wait_s, 3);
    rs_json_num(&j, "wait_cpu_s", st->wait_cpu_s, 4);
    rs_json_num(&j, "drift_ppm", st->drift_ppm, 1);
    rs_json_int(&j, "clock_jumps", st->clock_jumps);
    rs_json_int(&j, "seq_resets", st->seq_resets);
    rs_json_str(&j, "serial", st->serial);
    put_line(lv, rs_json_end(&j));
}

static void help(void)
{
    printf("usage: rollsense live [--port PATH] [--device SERIAL] --headless --json\n"
           "                      [--duration S] [--frames] [--capture FILE]\n"
           "\n"
           "Connect to a roller and stream. Without --port the roller is found by\n"
           "its USB identity (1209:0001, \"rollsense roller\"); with several, pick one\n"
           "with --device SERIAL. Unplugging is survived: the gap is marked and the\n"
           "session resumes when the same roller returns.\n"
           "\n"
           "  --port PATH      serial port or pseudo-terminal to use\n"
           "  --device SERIAL  the roller with this serial number\n"
           "  --headless       no window (the only mode until the window exists)\n"
           "  --json           one JSON object per line on stdout (docs/live-json.md)\n"
           "  --duration S     stop after S seconds (default: until SIGINT/SIGTERM)\n"
           "  --frames         also one object per sample frame\n"
           "  --capture FILE   also write every byte read from the port to FILE\n"
           "\n"
           "On exit it prints {\"type\":\"summary\",\"frames\":N,\"lost\":N,\"crc_errors\":N,\n"
           "\"gaps\":N,\"rate_hz\":X,...} and exits 0; 1 if the session could not go on\n"
           "(protocol version mismatch, several rollers, permission denied).\n");
}

int rs_cmd_live(int argc, char **argv)
{
    struct rs_conn_config cfg = { 0 };
    struct live lv = { .out = stdout };
    bool headless = false, json = false;
    double duration = -1;
    const char *capture_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (rs_cli_is_help(a)) {
            help();
            return RS_EXIT_OK;
        } else if (strcmp(a, "--headless") == 0) {
            headless = true;
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--frames") == 0) {
            lv.frames = true;
        } else if ((strcmp(a, "--port") == 0 || strcmp(a, "--device") == 0 ||
                    strcmp(a, "--duration") == 0 || strcmp(a, "--capture") == 0)) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                rs_cli_error("live: %s needs a value", a);
                return RS_EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--port") == 0) {
                cfg.port = v;
            } else if (strcmp(a, "--capture") == 0) {
                capture_path = v;
            } else if (strcmp(a, "--device") == 0) {
                cfg.serial = v;
            } else {
                char *end;
                duration = strtod(v, &end);
                if (*end || !(duration >= 0) || duration > 1e7) {
                    rs_cli_error("live: --duration wants seconds >= 0, got '%s'", v);
                    return RS_EXIT_USAGE;
                }
            }
        } else {
            rs_cli_error("live: unknown argument '%s' (try 'rollsense live --help')", a);
            return RS_EXIT_USAGE;
        }
    }
    if (!headless || !json) {
        rs_cli_error("live: the window is not available yet; use --headless --json");
        return RS_EXIT_USAGE;
    }

    if (capture_path) {
        lv.capture = fopen(capture_path, "wb");
        if (!lv.capture) {
            rs_cli_error("live: cannot create capture file '%s': %s", capture_path, strerror(errno));
            return RS_EXIT_FAIL;
        }
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct rs_sink sink = { .ctx = &lv, .sample = live_sample, .frame = live_frame,
                            .event = live_event, .bytes = live_bytes };
    struct rs_conn *c = rs_conn_new(&cfg, &sink);
    if (!c) {
        rs_cli_error("live: out of memory");
        return RS_EXIT_FAIL;
    }
    int rc = 0;
    while (!stop_requested) {
        double now = rs_conn_now(c);
        if (duration >= 0 && now >= duration)
            break;
        int wait = 100;
        if (duration >= 0 && (duration - now) * 1000 < wait)
            wait = (int)((duration - now) * 1000) + 1;
        rc = rs_conn_step(c, wait);
        if (rc < 0)
            break;
    }
    rs_conn_finish(c);
    struct rs_conn_stats st;
    rs_conn_get_stats(c, &st);
    summary(&lv, &st, rs_conn_now(c));
    if (rc < 0)
        rs_cli_error("live: %s", rs_conn_message(c));
    rs_conn_free(c);
    if (lv.capture && (fclose(lv.capture) != 0 || lv.capture_failed)) {
        rs_cli_error("live: writing the capture file '%s' failed", capture_path);
        return RS_EXIT_FAIL;
    }
    return rc < 0 ? RS_EXIT_FAIL : RS_EXIT_OK;
}
