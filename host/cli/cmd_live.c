/*
 * cmd_live.c - `rollsense live`: connect to a roller and run a session.
 *
 * The connection (rs_conn) feeds the session (rs_session: detector pipeline,
 * JSON lines of docs/live-json.md, the window's view, the recorder's attach
 * point); rs_run drives both, headless or with the feedback window.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_cfgfile.h"
#include "rs_conn.h"
#include "rs_profiles.h"
#include "rs_record.h"
#include "rs_run.h"
#include "rs_session.h"
#include "rs_window.h"
#include "rs_file.h"

/* Raw bytes for --capture (input for `rollsense decode` and replay tests):
 * an observer of the session, like the recorder will be. */
struct capture {
    FILE *f;
    bool failed;
};

static void capture_bytes(void *ctx, const uint8_t *buf, size_t n, double t)
{
    struct capture *cap = ctx;
    (void)t;
    if (!cap->failed && fwrite(buf, 1, n, cap->f) != n)
        cap->failed = true;
}

static void help(void)
{
    printf("usage: rollsense live [--port PATH] [--device SERIAL] [--headless] [--json]\n"
           "                      [--duration S] [--frames] [--capture FILE] [--config FILE]\n"
           "                      [--mute] [--volume 0-100] [--fullscreen] [--size WxH]\n"
           "                      [--cal-step STEP] [--cal-mass KG] [--cal-window S]\n"
           "                      [--cal-turns N] [--cal-distance M] [--state-every S]\n"
           "\n"
           "Connect to a roller and roll with live feedback. Without --port the roller\n"
           "is found by its USB identity (1209:0001, \"rollsense roller\"); with several,\n"
           "pick one with --device SERIAL. Unplugging is survived: the gap is marked and\n"
           "the session resumes when the same roller returns.\n"
           "\n"
           "  --port PATH      serial port or pseudo-terminal to use\n"
           "  --device SERIAL  the roller with this serial number\n"
           "  --headless       no window (needs --json)\n"
           "  --json           one JSON object per line on stdout (docs/live-json.md):\n"
           "                   status, gaps, every detector event, a final summary\n"
           "  --duration S     stop after S seconds (default: until q, SIGINT, SIGTERM or SIGHUP)\n"
           "  --frames         also one object per sample frame\n"
           "  --state-every S  also the live state (speed, force, position, leg, hold)\n"
           "                   every S seconds of device time\n"
           "  --capture FILE   also write every byte read from the port to FILE\n"
           "  --config FILE    thresholds (docs/config.md); default\n"
           "                   $XDG_CONFIG_HOME/rollsense/config if it exists\n"
           "  --record PATH    record the session to PATH (a new file); by default every\n"
           "                   session is recorded to $XDG_DATA_HOME/rollsense/sessions/\n"
           "  --no-record      do not record\n"
           "  --mute, --volume N, --fullscreen, --size WxH   window and cues\n"
           "  --renderer software|gpu  how the window draws (default: the GPU unless it\n"
           "                   is a software rasteriser such as llvmpipe)\n"
           "  --voice on|off   spoken cues after the tones (default on when espeak-ng\n"
           "                   is there; the window says when it is not)\n"
           "  --cal-mass KG    key c in the window: tare, then span with this known mass\n"
           "                   (>= 2 kg; without it c does the tare only); the block is\n"
           "                   saved on the roller and used at once (docs/calibration.md)\n"
           "  --cal-step tare|span|encoder|calf   what key c opens instead (calf: the\n"
           "                   active profile's calf length, measured by rolling once)\n"
           "  --cal-window S   seconds per load measurement (default 2)\n"
           "  --cal-turns N, --cal-distance M   the encoder check's turns (default 3)\n"
           "                   and a measured distance for the radius\n"
           "\n"
           "Window keys: space mark, c calibrate, m mute, s screenshot, f fullscreen,\n"
           "h help, q quit.\n"
           "On exit --json prints {\"type\":\"summary\",\"frames\":N,\"lost\":N,\"crc_errors\":N,\n"
           "\"gaps\":N,\"rate_hz\":X,...} and exits 0; 1 if the session could not go on\n"
           "(protocol version mismatch, several rollers, permission denied, no display);\n"
           "2 on a bad command line or a bad config file.\n");
}

int rs_cmd_live(int argc, char **argv)
{
    return rs_cli_live_main(argc, argv, "live", 0, help);
}

int rs_cli_live_main(int argc, char **argv, const char *who, int routine, void (*help_fn)(void))
{
    struct rs_conn_config cfg = { 0 };
    struct rs_session_config scfg = { .mode = RS_MODE_LIVE };
    struct rs_run_opts ro = { .duration_s = -1, .who = who, .cal_persist = true };
    ro.wcfg.title = routine ? "rollsense routine" : "rollsense live";
    ro.wcfg.volume = 0.8f;
    const char *capture_path = NULL;
    struct rs_rec_opts rec = { .enabled = true, .path = NULL };
    struct rs_cli_session_args sa = { .rec = &rec, .routine = routine };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int so = rs_cli_session_option(argc, argv, &i, who, &ro, &scfg, &sa);
        if (so < 0)
            return RS_EXIT_USAGE;
        if (so > 0)
            continue;
        if (rs_cli_is_help(a)) {
            help_fn();
            return RS_EXIT_OK;
        } else if (strcmp(a, "--port") == 0 || strcmp(a, "--device") == 0 ||
                   strcmp(a, "--capture") == 0) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                rs_cli_error("%s: %s needs a value", who, a);
                return RS_EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (strcmp(a, "--port") == 0)
                cfg.port = v;
            else if (strcmp(a, "--capture") == 0)
                capture_path = v;
            else
                cfg.serial = v;
        } else {
            rs_cli_error("%s: unknown argument '%s' (try 'rollsense %s --help')", who, a, who);
            return RS_EXIT_USAGE;
        }
    }
    if (rs_cli_session_check(who, &ro, &scfg, &sa) != 0)
        return RS_EXIT_USAGE;
    const bool headless = sa.headless;
    if (!headless && !rs_run_have_display()) {
        rs_cli_error("%s: no display (DISPLAY and WAYLAND_DISPLAY unset); "
                     "use 'rollsense %s --headless --json'", who, who);
        return RS_EXIT_FAIL;
    }
    rs_calib_defaults(&scfg.cal);
    /* The active user profile (rollsense calibrate profile), snapshotted into
     * the session; the defaults when there is none. */
    char pname[RS_PROFILE_NAME_MAX], pwhy[512];
    if (rs_profiles_load_active(&scfg.prof, pname, sizeof pname, pwhy, sizeof pwhy) < 0)
        rs_cli_error("%s: %s; using the default profile", who, pwhy);
    rs_cli_session_outputs(&sa, &ro, &scfg);

    struct capture cap = { 0 };
    if (capture_path) {
        cap.f = rs_file_fopen_private(capture_path);
        if (!cap.f) {
            rs_cli_error("%s: cannot create capture file '%s': %s", who, capture_path,
                         strerror(errno));
            return RS_EXIT_FAIL;
        }
    }
    rs_cli_catch_signals(&ro.stop);

    struct rs_conn *c;
    struct rs_session *s = rs_cli_session_conn(who, &scfg, &cfg, &c);
    if (!s) {
        if (cap.f)
            fclose(cap.f);
        return RS_EXIT_FAIL;
    }
    if (cap.f) {
        struct rs_session_observer ob = { .ctx = &cap, .bytes = capture_bytes };
        rs_session_observe(s, &ob);
    }
    int rc = rs_cli_record_run(who, &rec, c, s, &ro);
    if (cap.f && (fclose(cap.f) != 0 || cap.failed)) {
        rs_cli_error("%s: writing the capture file '%s' failed", who, capture_path);
        return RS_EXIT_FAIL;
    }
    return rc;
}
