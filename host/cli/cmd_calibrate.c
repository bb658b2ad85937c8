/*
 * cmd_calibrate.c - `rollsense calibrate tare|span|encoder|profile|show|undo`.
 *
 * Each subcommand guides the user step by step in the terminal: a prompt per
 * step, live readings while it waits (force per side and stability, on a
 * terminal only), Enter to measure. The decisions are the pure solver's
 * (rs_calibrate.h) and its refusals are printed verbatim; the roller is
 * spoken to through rs_caldev (GET_CAL, SET_CAL + SAVE_CAL + read-back,
 * RESET); every saved block is mirrored on the host with the previous version
 * kept (rs_calstore.h). Profiles are host-only (rs_profiles.h).
 *
 * Scriptable: prompts go to stdout, each answer is one line on stdin (Enter
 * = an empty line; "q" gives up after a refusal); --yes measures at once
 * without waiting for Enter and makes a refusal final. docs/calibration.md.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_calibrate.h"
#include "rs_caldev.h"
#include "rs_calibrate.h"
#include "rs_calstore.h"
#include "rs_defaults.h"
#include "rs_json.h"
#include "rs_profiles.h"

#define OPEN_TIMEOUT_MS 3000
#define RESET_TIMEOUT_MS 8000
#define SAMPLE_TIMEOUT_MS 2000
#define WINDOW_MAX 4000

void rs_cal_say(struct rs_calcli_ui *u, const char *fmt, ...)
{
    if (u->meter_shown) {
        fputc('\n', stdout);
        u->meter_shown = false;
    }
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

/* One complete line from the buffer into line: 1, none yet: 0, EOF: -1. */
int rs_cal_take_line(struct rs_calcli_ui *u, char *line, size_t cap)
{
    char *nl = memchr(u->in, '\n', u->in_len);
    if (!nl) {
        if (u->eof && u->in_len == 0)
            return -1;
        if (!u->eof && u->in_len < sizeof u->in - 1)
            return 0;
        nl = u->in + u->in_len; /* last line without a newline, or an overlong one */
    }
    size_t n = (size_t)(nl - u->in);
    size_t k = n < cap - 1 ? n : cap - 1;
    memcpy(line, u->in, k);
    line[k] = '\0';
    while (k && (line[k - 1] == '\r' || line[k - 1] == ' '))
        line[--k] = '\0';
    size_t used = n < u->in_len ? n + 1 : n;
    memmove(u->in, u->in + used, u->in_len - used);
    u->in_len -= used;
    return 1;
}

/* Read what stdin has within timeout_ms (-1: wait). */
void rs_cal_fill(struct rs_calcli_ui *u, int timeout_ms)
{
    if (u->eof)
        return;
    struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
    int r = poll(&p, 1, timeout_ms);
    if (r <= 0)
        return;
    ssize_t n = read(STDIN_FILENO, u->in + u->in_len, sizeof u->in - 1 - u->in_len);
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN))
            u->eof = true;
        return;
    }
    u->in_len += (size_t)n;
}

static int rate_hz(struct rs_caldev *d)
{
    int r = rs_caldev_info(d)->sample_rate_hz;
    return r > 0 && r <= 2000 ? r : (int)RS_SAMPLE_RATE_HZ;
}

/*
 * Skip settle_s of samples (the hand that placed the load moves away), then
 * take window_s of them: statistics into *w, the last sample into *last.
 */
static int measure(struct rs_calcli_ui *u, struct rs_caldev *d, double settle_s, double window_s,
                   struct rs_calibrate_window *w, struct rs_sample *last)
{
    static int32_t l[WINDOW_MAX], r[WINDOW_MAX];
    int rate = rate_hz(d);
    size_t skip = (size_t)lround(settle_s * rate), n = (size_t)lround(window_s * rate);
    if (n > WINDOW_MAX)
        n = WINDOW_MAX;
    if (u->tty && n > 0)
        rs_cal_say(u, "measuring for %.1f s, keep still...", (double)(skip + n) / rate);
    char why[256];
    /* Only what the roller measures from now on counts. */
    if (rs_caldev_flush(d, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return -1;
    }
    for (size_t i = 0; i < skip + n; i++) {
        struct rs_sample s;
        int got = rs_caldev_sample(d, &s, SAMPLE_TIMEOUT_MS, why, sizeof why);
        if (got <= 0) {
            rs_cli_error("calibrate: %s", got < 0 ? why : "the roller stopped sending readings");
            return -1;
        }
        if (i >= skip) {
            l[i - skip] = s.left;
            r[i - skip] = s.right;
        }
        *last = s;
    }
    rs_calibrate_window_stats(l, r, n, rate, w);
    return 0;
}

/* ---- the roller and its host mirror ---------------------------------------- */

int rs_cal_connect(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, struct rs_calcli_roller *ss, bool stream)
{
    char why[512];
    int rc = rs_caldev_open(&ss->d, o->port, o->device, OPEN_TIMEOUT_MS, why, sizeof why);
    if (rc) {
        rs_cli_error("calibrate: %s", why);
        return -1;
    }
    if (rs_caldev_get_cal(ss->d, &ss->cal, why, sizeof why) ||
        (stream && rs_caldev_stream(ss->d, true, why, sizeof why))) {
        rs_cli_error("calibrate: %s", why);
        rs_caldev_close(ss->d);
        ss->d = NULL;
        return -1;
    }
    if (stream && u->tty && rs_caldev_info(ss->d)->cal_state != RS_CAL_OK)
        rs_cal_say(u, "(live readings use nominal values: this roller is not calibrated yet)");
    if (rs_calstore_path(rs_caldev_serial(ss->d), ss->mirror, sizeof ss->mirror) < 0) {
        rs_cli_error("calibrate: the calibration folder path is too long");
        rs_caldev_close(ss->d);
        ss->d = NULL;
        return -1;
    }
    return 0;
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

/*
 * Save blk on the roller (SET_CAL, SAVE_CAL, read back) and mirror it. The
 * mirror first records the block the roller had, when it does not hold it
 * already, so that undo always returns to what the roller had before.
 */
int rs_cal_save(struct rs_calcli_ui *u, struct rs_calcli_roller *ss, struct rs_cal *blk)
{
    char why[512];
    memcpy(blk->serial, rs_caldev_info(ss->d)->serial, RS_SERIAL_LEN);
    if (rs_calibrate_validate(blk, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return -1;
    }
    struct rs_calstore st;
    if (rs_calstore_load(ss->mirror, &st, why, sizeof why) < 0)
        st.has_current = false; /* a damaged mirror is rewritten below */
    if (!st.has_current || !rs_cal_equal(&st.current, &ss->cal)) {
        if (rs_calstore_commit(ss->mirror, &ss->cal, why, sizeof why)) {
            rs_cli_error("calibrate: %s", why);
            return -1;
        }
    }
    if (rs_caldev_apply(ss->d, blk, why, sizeof why)) {
        rs_cli_error("calibrate: %s; the roller keeps its previous calibration", why);
        return -1;
    }
    ss->cal = *blk;
    if (rs_calstore_commit(ss->mirror, blk, why, sizeof why)) {
        rs_cli_error("calibrate: saved on the roller, but the host copy failed: %s", why);
        return -1;
    }
    rs_cal_say(u, "saved on roller %s (EEPROM), read back and verified; host copy %s",
               rs_caldev_serial(ss->d), ss->mirror);
    rs_cal_say(u, "the previous calibration is kept: 'rollsense calibrate undo' restores it");
    return 0;
}

static void print_block(struct rs_calcli_ui *u, const struct rs_cal *c)
{
    rs_cal_say(u, "  offsets  left %ld, right %ld counts", (long)c->offset_left, (long)c->offset_right);
    rs_cal_say(u, "  scales   left %.2f, right %.2f counts/N", (double)c->scale_left,
               (double)c->scale_right);
    rs_cal_say(u, "  radius   %.2f mm, encoder direction %+d", c->radius_um / 1000.0, c->enc_dir);
}

/* ---- tare, span, encoder: the wizard -------------------------------------- */

static void intro(struct rs_calcli_ui *u, const struct rs_calcli_opts *o,
                  struct rs_calcli_roller *ss, enum rs_calwiz_mode mode)
{
    const char *serial = rs_caldev_serial(ss->d);
    if (mode == RS_CW_TARE) {
        rs_cal_say(u, "Tare: zero both load-cell bridges of roller %s.", serial);
        return;
    }
    if (mode == RS_CW_ENCODER) {
        rs_cal_say(u, "Encoder check on roller %s: turn the roller %g times by hand.", serial,
                   o->have_turns ? o->turns : 3);
        return;
    }
    if (rs_caldev_info(ss->d)->cal_state != RS_CAL_OK)
        rs_cal_say(u, "note: this roller was never tared; run 'rollsense calibrate tare' first for "
                      "the best result");
    rs_cal_say(u, "Span with a known mass of %.2f kg on roller %s: three placements%s.", o->mass_kg,
               serial, o->no_check ? "" : ", then a check");
}

/* tare, span or encoder in the terminal: the wizard every path runs. */
static int do_wizard(struct rs_calcli_ui *u, const struct rs_calcli_opts *o,
                     enum rs_calwiz_mode mode)
{
    if (rs_calcli_precheck(o, mode))
        return RS_EXIT_FAIL;
    struct rs_calcli_roller ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return RS_EXIT_FAIL;
    intro(u, o, &ss, mode);
    static struct rs_calwiz wz;
    rs_calcli_wizard(&wz, o, &ss, mode);
    static const struct rs_calcli_front terminal = { 0 };
    int rc = rs_calcli_drive(u, &ss, &wz, &terminal);
    if (rc == 0 && mode == RS_CW_ENCODER && !o->have_distance)
        rs_cal_say(u, "radius: %.2f mm (nominal %d mm diameter; refine with --distance M)",
                   ss.cal.radius_um / 1000.0, RS_ROLLER_DIAMETER_MM);
    rs_caldev_close(ss.d);
    return rc == 0 ? RS_EXIT_OK : RS_EXIT_FAIL;
}

/* ---- show ----------------------------------------------------------------- */

static int do_show(struct rs_calcli_ui *u, const struct rs_calcli_opts *o)
{
    struct rs_calcli_roller ss = { 0 };
    if (rs_cal_connect(u, o, &ss, false))
        return RS_EXIT_FAIL;
    int rc = RS_EXIT_FAIL;
    char why[512];
    if (o->reset) {
        if (rs_caldev_reset(ss.d, RESET_TIMEOUT_MS, why, sizeof why) ||
            rs_caldev_get_cal(ss.d, &ss.cal, why, sizeof why)) {
            rs_cli_error("calibrate: %s", why);
            goto out;
        }
    }
    const struct rs_info *in = rs_caldev_info(ss.d);
    struct rs_calstore st;
    int mrc = rs_calstore_load(ss.mirror, &st, why, sizeof why);
    const char *mirror = mrc < 0 ? "unreadable"
                         : !st.has_current ? "none"
                         : rs_cal_equal(&st.current, &ss.cal) ? "same" : "different";
    struct rs_profiles ps;
    struct rs_profile prof;
    char ppath[1024];
    const char *pname = NULL;
    if (rs_profiles_path(ppath, sizeof ppath) == 0 &&
        rs_profiles_load(ppath, &ps, why, sizeof why) == 0)
        pname = rs_profiles_active(&ps, &prof);
    else
        rs_profile_defaults(&prof);

    bool have_read = false;
    double fl = 0, fr = 0, x = 0, sd = 0;
    if (o->measure) {
        struct rs_calibrate_window w;
        struct rs_sample last;
        if (rs_caldev_stream(ss.d, true, why, sizeof why)) {
            rs_cli_error("calibrate: %s", why);
            goto out;
        }
        if (measure(u, ss.d, 0.25, o->window_s, &w, &last))
            goto out;
        rs_calibrate_apply(&ss.cal, (int32_t)lround(w.mean_left), (int32_t)lround(w.mean_right),
                           &fl, &fr, &x);
        sd = w.sd_total / (((double)ss.cal.scale_left + (double)ss.cal.scale_right) / 2);
        have_read = true;
    }

    if (o->json) {
        char buf[2048];
        struct rs_json j;
        rs_json_begin(&j, buf, sizeof buf);
        rs_json_str(&j, "type", "calibration");
        rs_json_str(&j, "port", rs_caldev_port(ss.d));
        rs_json_str(&j, "serial", rs_caldev_serial(ss.d));
        rs_json_str(&j, "cal_state", cal_state_name(in->cal_state));
        rs_json_bool(&j, "calibrated", in->cal_state == RS_CAL_OK);
        rs_json_int(&j, "offset_left", ss.cal.offset_left);
        rs_json_int(&j, "offset_right", ss.cal.offset_right);
        rs_json_num(&j, "scale_left", ss.cal.scale_left, 4);
        rs_json_num(&j, "scale_right", ss.cal.scale_right, 4);
        rs_json_int(&j, "radius_um", ss.cal.radius_um);
        rs_json_int(&j, "enc_dir", ss.cal.enc_dir);
        rs_json_str(&j, "mirror", mirror);
        rs_json_str(&j, "mirror_path", ss.mirror);
        rs_json_bool(&j, "undo_available", mrc == 0 && st.has_previous);
        if (pname)
            rs_json_str(&j, "profile", pname);
        else
            rs_json_raw(&j, "profile", "null");
        rs_json_num(&j, "body_mass_kg", prof.body_mass_kg, 2);
        rs_json_num(&j, "calf_length_cm", prof.calf_length_cm, 2);
        rs_json_num(&j, "force_limit_n", prof.force_limit_n, 1);
        if (have_read) {
            rs_json_num(&j, "left_n", fl, 3);
            rs_json_num(&j, "right_n", fr, 3);
            rs_json_num(&j, "total_n", fl + fr, 3);
            rs_json_num(&j, "x_mm", x, 2);
            rs_json_num(&j, "sd_n", sd, 3);
        }
        const char *line = rs_json_end(&j);
        if (!line) {
            rs_cli_error("calibrate: internal error: JSON line too long");
            goto out;
        }
        rs_cal_say(u, "%s", line);
    } else {
        rs_cal_say(u, "roller %s on %s, firmware %u.%u.%u", rs_caldev_serial(ss.d), rs_caldev_port(ss.d),
                   in->fw_major, in->fw_minor, in->fw_patch);
        rs_cal_say(u, "calibration: %s", in->cal_state == RS_CAL_OK ? "saved (in use)"
                                         : in->cal_state == RS_CAL_CORRUPT
                                             ? "CORRUPT: defaults in use, NOT CALIBRATED (raw units)"
                                             : "never saved: defaults in use, NOT CALIBRATED (raw units)");
        print_block(u, &ss.cal);
        rs_cal_say(u, "host copy: %s (%s%s)", ss.mirror,
                   !strcmp(mirror, "same") ? "same as the roller"
                   : !strcmp(mirror, "none") ? "none yet"
                   : !strcmp(mirror, "different") ? "DIFFERS from the roller" : "unreadable",
                   mrc == 0 && st.has_previous ? "; undo available" : "");
        if (pname)
            rs_cal_say(u, "profile: %s (%.1f kg, calf %.1f cm, force limit %s)", pname,
                       prof.body_mass_kg, prof.calf_length_cm,
                       prof.force_limit_n > 0 ? "set" : "none");
        else
            rs_cal_say(u, "profile: none active (defaults: 70 kg, calf 40 cm)");
        if (have_read)
            rs_cal_say(u, "reading: left %.1f N, right %.1f N, total %.1f N at %+.1f cm from the centre",
                       fl, fr, fl + fr, x / 10.0);
    }
    rc = RS_EXIT_OK;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* ---- restore ---------------------------------------------------------- */

/* The number after "key": in a JSON object text, or -1 when absent or not a number. */
static int json_number(const char *text, const char *key, double *out)
{
    char pat[48];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(text, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p++ != ':')
        return -1;
    char *end;
    double v = strtod(p, &end);
    if (end == p || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/*
 * Put a calibration block from a file back on the roller: the JSON object
 * `show --json` prints (a backup, e.g. before flashing firmware that may
 * erase the EEPROM). Saved like any other step: read back, mirrored, the
 * previous version kept for undo.
 */
static int do_restore(struct rs_calcli_ui *u, const struct rs_calcli_opts *o)
{
    char text[4096], why[512];
    FILE *f = fopen(o->file, "r");
    if (!f) {
        rs_cli_error("calibrate: cannot read %s: %s", o->file, strerror(errno));
        return RS_EXIT_FAIL;
    }
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    static const char *const keys[] = { "offset_left", "offset_right", "scale_left",
                                        "scale_right", "radius_um", "enc_dir" };
    double v[6];
    for (int i = 0; i < 6; i++)
        if (json_number(text, keys[i], &v[i]) < 0) {
            rs_cli_error("calibrate: %s has no number for \"%s\" (expected the output of "
                         "'rollsense calibrate show --json')", o->file, keys[i]);
            return RS_EXIT_FAIL;
        }
    struct rs_cal blk = { 0 };
    if (fabs(v[0]) > 8388608 || fabs(v[1]) > 8388608 || v[4] < 0 || v[4] > 4e9) {
        rs_cli_error("calibrate: %s holds values out of range", o->file);
        return RS_EXIT_FAIL;
    }
    blk.offset_left = (int32_t)lround(v[0]);
    blk.offset_right = (int32_t)lround(v[1]);
    blk.scale_left = (float)v[2];
    blk.scale_right = (float)v[3];
    blk.radius_um = (uint32_t)lround(v[4]);
    blk.enc_dir = (int8_t)lround(v[5]);
    if (rs_calibrate_validate(&blk, why, sizeof why)) {
        rs_cli_error("calibrate: %s: %s", o->file, why);
        return RS_EXIT_FAIL;
    }
    struct rs_calcli_roller ss = { 0 };
    if (rs_cal_connect(u, o, &ss, false))
        return RS_EXIT_FAIL;
    int rc = RS_EXIT_FAIL;
    /* A block belongs to the load cells it was measured on. */
    const char *ser = strstr(text, "\"serial\"");
    char fser[RS_SERIAL_LEN + 1] = "";
    if (ser)
        sscanf(ser, "\"serial\" : \"%12[^\"]\"", fser); /* blanks match none or more */
    if (fser[0] && strcmp(fser, rs_caldev_serial(ss.d)) != 0) {
        rs_cli_error("calibrate: %s holds the calibration of roller %s, but this is roller %s; "
                     "nothing was changed", o->file, fser, rs_caldev_serial(ss.d));
        goto out;
    }
    rs_cal_say(u, "restoring the calibration from %s on roller %s:", o->file,
               rs_caldev_serial(ss.d));
    print_block(u, &blk);
    if (rs_cal_save(u, &ss, &blk) == 0)
        rc = RS_EXIT_OK;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* ---- undo ----------------------------------------------------------------- */

static int do_undo(struct rs_calcli_ui *u, const struct rs_calcli_opts *o)
{
    struct rs_calcli_roller ss = { 0 };
    if (rs_cal_connect(u, o, &ss, false))
        return RS_EXIT_FAIL;
    int rc = RS_EXIT_FAIL;
    char why[512];
    struct rs_calstore st;
    if (rs_calstore_load(ss.mirror, &st, why, sizeof why) < 0) {
        rs_cli_error("calibrate: %s", why);
        goto out;
    }
    if (!st.has_previous) {
        rs_cli_error("nothing to undo: this computer keeps no earlier calibration of roller %s",
                     rs_caldev_serial(ss.d));
        goto out;
    }
    struct rs_cal blk = st.previous;
    if (rs_caldev_apply(ss.d, &blk, why, sizeof why)) {
        rs_cli_error("calibrate: %s; nothing was changed", why);
        goto out;
    }
    struct rs_cal restored;
    if (rs_calstore_undo(ss.mirror, &restored, why, sizeof why)) {
        rs_cli_error("calibrate: restored on the roller, but the host copy failed: %s", why);
        goto out;
    }
    rs_cal_say(u, "undo: roller %s has its previous calibration again (saved and verified):",
               rs_caldev_serial(ss.d));
    print_block(u, &blk);
    rs_cal_say(u, "'rollsense calibrate undo' again redoes the calibration just undone");
    rc = RS_EXIT_OK;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* ---- command line ---------------------------------------------------------- */

static void help(void)
{
    printf(
        "usage: rollsense calibrate STEP [OPTIONS]\n"
        "\n"
        "Guided calibration, step by step in the terminal: each step says what to do,\n"
        "shows live readings (force per side, steady/changing) and measures when you\n"
        "press Enter. Sensor calibration is saved in the roller (EEPROM), read back,\n"
        "and mirrored on this computer with the previous version kept for undo.\n"
        "\n"
        "Steps:\n"
        "  tare                       zero both sides with the roller empty\n"
        "  span --mass KG             known mass (>= 2 kg) at the left end, centre and\n"
        "                             right end, then a check placement (error in %% and N)\n"
        "  encoder [--turns N] [--distance M]\n"
        "                             turn the roller N times by hand (default 3): count\n"
        "                             and direction; --distance: effective radius from\n"
        "                             rolling M metres\n"
        "  profile [--name NAME] [--mass KG] [--calf CM | --measure-calf] [--force-limit N]\n"
        "  profile --list [--json] | --use NAME | --delete NAME\n"
        "                             user profiles (body mass, calf length, force limit);\n"
        "                             several, one active; without values it asks\n"
        "  show [--json] [--measure] [--reset]\n"
        "                             the roller's calibration, the host copy, the profile;\n"
        "                             --measure adds a reading in N, --reset restarts the\n"
        "                             roller first (the saved calibration must survive)\n"
        "  undo                       put the previous calibration back (roller and host)\n"
        "  restore FILE               put a calibration saved with 'show --json > FILE'\n"
        "                             back on the roller (same roller only)\n"
        "\n"
        "Options:\n"
        "  --port PATH       serial port or pseudo-terminal of the roller\n"
        "  --device SERIAL   the roller with this serial number (several connected)\n"
        "  --yes             do not wait for Enter: measure at once; a refusal is final\n"
        "  --window S        seconds of readings per measurement (default 2)\n"
        "  --no-check        span: skip the check placement\n"
        "  --empty           tare: confirm that the roller is empty (needed with --yes for\n"
        "                    the first tare of a roller that has no calibration yet)\n"
        "  --forget-zero     tare: the roller's saved zero is known to be wrong (a load\n"
        "                    cell replaced): judge the tare as a first one (confirm empty)\n"
        "  --gui             tare, span, encoder: the same steps as a wizard in a window\n"
        "                    (Enter, or a line on stdin, measures; Esc cancels)\n"
        "  --screenshot FILE with --gui: save the last frame as a PNG\n"
        "\n"
        "Answers are lines on stdin (Enter = empty line; q gives up after a refusal),\n"
        "so the steps can be scripted. Exit: 0 done, 1 refused or failed, 2 bad usage.\n"
        "Files: $XDG_DATA_HOME/rollsense/calibration/SERIAL.cal (host copy),\n"
        "$XDG_CONFIG_HOME/rollsense/profiles.conf (profiles). See docs/calibration.md.\n");
}

static int parse_num(const char *opt, const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(x)) {
        rs_cli_error("calibrate: %s wants a number, got '%s'", opt, v);
        return -1;
    }
    *out = x;
    return 0;
}

/* A value option into o (v NULL or empty: missing); 0, or an exit code (reported). */
static int set_valued(struct rs_calcli_opts *o, const char *step, const char *a, const char *v)
{
    static const char *const all[] = { "--port", "--device", "--name", "--use", "--delete",
                                       "--screenshot", "--window", "--mass", "--turns",
                                       "--distance", "--calf", "--force-limit" };
    bool known = false;
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        known |= strcmp(a, all[k]) == 0;
    if (!known) {
        rs_cli_error("calibrate: unknown argument '%s' (try 'rollsense calibrate --help')", a);
        return RS_EXIT_USAGE;
    }
    if (!v || !v[0]) {
        rs_cli_error("calibrate: %s needs a value", a);
        return RS_EXIT_USAGE;
    }
    const char **texts[] = { &o->port, &o->device, &o->name, &o->use, &o->del, &o->screenshot };
    static const char *const text_names[] = { "--port", "--device", "--name", "--use",
                                              "--delete", "--screenshot" };
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
        if (!strcmp(a, text_names[k])) {
            *texts[k] = v;
            return 0;
        }
    /* --mass has two meanings: the reference mass (span) or body mass (profile). */
    double *nums[] = { &o->window_s, strcmp(step, "profile") ? &o->mass_kg : &o->p_mass,
                       &o->turns, &o->distance_m, &o->p_calf, &o->p_limit };
    bool *haves[] = { NULL, &o->have_mass, &o->have_turns, &o->have_distance, &o->have_p_calf,
                      &o->have_p_limit };
    static const char *const num_names[] = { "--window", "--mass", "--turns", "--distance",
                                             "--calf", "--force-limit" };
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        if (strcmp(a, num_names[k]) != 0)
            continue;
        if (parse_num(a, v, nums[k]))
            return RS_EXIT_USAGE;
        if (haves[k])
            *haves[k] = true;
        if (k == 1)
            o->have_p_mass = true;
        if (k == 0 && !(o->window_s >= 0.5 && o->window_s <= 30)) {
            rs_cli_error("calibrate: --window wants 0.5 to 30 seconds, got '%s'", v);
            return RS_EXIT_USAGE;
        }
        return 0;
    }
    return RS_EXIT_USAGE; /* not reached: every known name is handled above */
}

/* A flag into o: true if a is one. */
static bool set_flag(struct rs_calcli_opts *o, const char *a)
{
    static const char *const flags[] = { "--yes", "--json", "--reset", "--measure", "--no-check",
                                         "--list", "--measure-calf", "--gui", "--empty",
                                         "--forget-zero" };
    bool *const vars[] = { &o->yes, &o->json, &o->reset, &o->measure, &o->no_check, &o->list,
                           &o->measure_calf, &o->gui, &o->empty, &o->forget_zero };
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (strcmp(a, flags[k]) == 0) {
            *vars[k] = true;
            return true;
        }
    return false;
}

/* The options after the step; 0, 1 after --help, or an exit code. */
static int parse_opts(struct rs_calcli_opts *o, const char *step, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (rs_cli_is_help(a)) {
            help();
            return -1;
        }
        if (set_flag(o, a))
            continue;
        if (!strcmp(step, "restore") && !o->file && a[0] != '-') {
            o->file = a;
            continue;
        }
        const char *v = a[0] == '-' && i + 1 < argc ? argv[++i] : NULL;
        int rc = set_valued(o, step, a, v);
        if (rc)
            return rc;
    }
    return 0;
}

/* The combinations the steps refuse; 0 or RS_EXIT_USAGE (reported). */
static int check_opts(struct rs_calcli_opts *o, const char *step)
{
    if (!strcmp(step, "span") && !o->have_mass) {
        rs_cli_error("calibrate: span needs --mass KG, the known reference mass");
        return RS_EXIT_USAGE;
    }
    if (strcmp(step, "profile") != 0)
        o->have_p_mass = false;
    if (!strcmp(step, "restore") && !o->file) {
        rs_cli_error("calibrate: restore needs FILE (saved with 'rollsense calibrate show --json')");
        return RS_EXIT_USAGE;
    }
    if (o->have_p_calf && o->measure_calf) {
        rs_cli_error("calibrate: give --calf CM or --measure-calf, not both");
        return RS_EXIT_USAGE;
    }
    if (o->gui && strcmp(step, "tare") != 0 && strcmp(step, "span") != 0 &&
        strcmp(step, "encoder") != 0) {
        rs_cli_error("calibrate: --gui is for tare, span and encoder; the other steps run in "
                     "the terminal");
        return RS_EXIT_USAGE;
    }
    return 0;
}

static int run_step(struct rs_calcli_ui *u, const struct rs_calcli_opts *o, const char *step)
{
    static const char *const wizards[] = { "tare", "span", "encoder" };
    static const enum rs_calwiz_mode modes[] = { RS_CW_TARE, RS_CW_SPAN, RS_CW_ENCODER };
    for (int k = 0; k < 3; k++)
        if (!strcmp(step, wizards[k]))
            return o->gui ? rs_cal_gui(u, o, modes[k]) : do_wizard(u, o, modes[k]);
    if (!strcmp(step, "show"))
        return do_show(u, o);
    if (!strcmp(step, "undo"))
        return do_undo(u, o);
    if (!strcmp(step, "restore"))
        return do_restore(u, o);
    return rs_calcli_profile(u, o);
}

int rs_cmd_calibrate(int argc, char **argv)
{
    if (argc < 2) {
        rs_cli_error("calibrate: which step? tare, span, encoder, profile, show or undo "
                     "(try 'rollsense calibrate --help')");
        return RS_EXIT_USAGE;
    }
    if (rs_cli_is_help(argv[1])) {
        help();
        return RS_EXIT_OK;
    }
    const char *step = argv[1];
    static const char *const steps[] = { "tare",  "span", "encoder", "profile",
                                         "show",  "undo", "restore" };
    bool known = false;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        known |= strcmp(step, steps[i]) == 0;
    if (!known) {
        rs_cli_error("calibrate: unknown step '%s' (tare, span, encoder, profile, show, undo, "
                     "restore)", step);
        return RS_EXIT_USAGE;
    }
    struct rs_calcli_opts o = { .window_s = 2.0 };
    int rc = parse_opts(&o, step, argc, argv);
    if (rc < 0)
        return RS_EXIT_OK; /* --help */
    if (rc || (rc = check_opts(&o, step)))
        return rc;
    struct rs_calcli_ui u = { .o = &o, .tty = isatty(STDOUT_FILENO) == 1 };
    signal(SIGPIPE, SIG_IGN);
    return run_step(&u, &o, step);
}
