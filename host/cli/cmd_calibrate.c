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
#define METER_N RS_CAL_METER_N

void rs_cal_say(struct ui *u, const char *fmt, ...)
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
int rs_cal_take_line(struct ui *u, char *line, size_t cap)
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
void rs_cal_fill(struct ui *u, int timeout_ms)
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

/* Live readings (terminal only): force per side under cal and stability. */
static void meter(struct ui *u, const struct rs_cal *cal, const struct rs_sample *s)
{
    double fl, fr, x;
    rs_calibrate_apply(cal, s->left, s->right, &fl, &fr, &x);
    u->tot[u->tot_i] = fl + fr;
    u->tot_i = (u->tot_i + 1) % METER_N;
    if (u->tot_n < METER_N)
        u->tot_n++;
    if (!u->tty || ++u->since_print < 16)
        return;
    u->since_print = 0;
    double m = 0, v = 0;
    for (unsigned i = 0; i < u->tot_n; i++)
        m += u->tot[i];
    m /= u->tot_n;
    for (unsigned i = 0; i < u->tot_n; i++)
        v += (u->tot[i] - m) * (u->tot[i] - m);
    double sd = sqrt(v / u->tot_n);
    printf("\r  left %7.1f N   right %7.1f N   total %7.1f N   %-8s (+-%.1f N)   ", fl, fr,
           fl + fr, sd <= 1.0 ? "steady" : "changing", sd);
    fflush(stdout);
    u->meter_shown = true;
}

/*
 * Show prompt and wait for a line (Enter). Meanwhile, when d is given, keep
 * reading the roller (so nothing stale piles up) and show live readings.
 * Returns 0 with the answer in line, -1 on end of input or a lost roller.
 */
static int ask(struct ui *u, struct rs_caldev *d, const struct rs_cal *cal, const char *prompt,
               char *line, size_t cap)
{
    rs_cal_say(u, "%s", prompt);
    if (u->o->yes) {
        line[0] = '\0';
        return 0;
    }
    for (;;) {
        int r = rs_cal_take_line(u, line, cap);
        if (r != 0)
            return r > 0 ? 0 : -1;
        if (!d) {
            rs_cal_fill(u, -1);
            continue;
        }
        struct rs_sample s;
        char why[256];
        int got = 0;
        /* Drain what the roller sent (bounded: an emulated roller may send
         * faster than this reads), then look at stdin for up to 50 ms. */
        int k = 0;
        while (k++ < 4096 && (got = rs_caldev_sample(d, &s, 0, why, sizeof why)) > 0)
            meter(u, cal, &s);
        if (got < 0) {
            rs_cli_error("calibrate: %s", why);
            return -1;
        }
        rs_cal_fill(u, 50);
    }
}

/* After a refusal: measure again (true) or give up (false). */
static bool again(struct ui *u, struct rs_caldev *d, const struct rs_cal *cal)
{
    if (u->o->yes)
        return false;
    char line[64];
    if (ask(u, d, cal, "Press Enter to measure again, or type q and Enter to stop.", line,
            sizeof line) < 0)
        return false;
    return !(line[0] == 'q' || line[0] == 'Q');
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
static int measure(struct ui *u, struct rs_caldev *d, double settle_s, double window_s,
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

int rs_cal_connect(struct ui *u, const struct opts *o, struct session *ss, bool stream)
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
int rs_cal_save(struct ui *u, struct session *ss, struct rs_cal *blk)
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

static void print_block(struct ui *u, const struct rs_cal *c)
{
    rs_cal_say(u, "  offsets  left %ld, right %ld counts", (long)c->offset_left, (long)c->offset_right);
    rs_cal_say(u, "  scales   left %.2f, right %.2f counts/N", (double)c->scale_left,
               (double)c->scale_right);
    rs_cal_say(u, "  radius   %.2f mm, encoder direction %+d", c->radius_um / 1000.0, c->enc_dir);
}

/* ---- tare ----------------------------------------------------------------- */

static int do_tare(struct ui *u, const struct opts *o)
{
    struct session ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return RS_EXIT_FAIL;
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    struct rs_cal blk = ss.cal;
    if (rs_calibrate_validate(&blk, NULL, 0)) {
        struct rs_cal d;
        rs_calibrate_defaults(&d);
        blk.scale_left = d.scale_left;
        blk.scale_right = d.scale_right;
    }
    int rc = RS_EXIT_FAIL;
    char line[64], why[512];
    rs_cal_say(u, "Tare: zero both load-cell bridges of roller %s.", rs_caldev_serial(ss.d));
    const char *prompt = "Take everything off the roller and keep your hands off it, "
                         "then press Enter.";
    /* After a refusal, the Enter that answers "measure again" starts the next try. */
    if (ask(u, ss.d, &blk, prompt, line, sizeof line) < 0)
        goto out;
    for (;;) {
        struct rs_calibrate_window w;
        struct rs_sample last;
        if (measure(u, ss.d, 0.5, o->window_s, &w, &last))
            goto out;
        if (rs_calibrate_tare(&w, &lim, &blk, why, sizeof why) == 0)
            break;
        rs_cli_error("%s", why);
        if (!again(u, ss.d, &blk))
            goto out;
    }
    rs_cal_say(u, "tare: zero at %ld counts left, %ld counts right", (long)blk.offset_left,
               (long)blk.offset_right);
    if (rs_cal_save(u, &ss, &blk) == 0)
        rc = RS_EXIT_OK;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* ---- span ----------------------------------------------------------------- */

static int do_span(struct ui *u, const struct opts *o)
{
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    char line[64], why[512];
    /* The mass is checked before anything else: the solver's own refusal. */
    {
        struct rs_calibrate_window none = { 0 };
        struct rs_calibrate_placement p;
        struct rs_cal d;
        rs_calibrate_defaults(&d);
        if (rs_calibrate_placement(&none, o->mass_kg, &d, &lim, &p, why, sizeof why) ==
            RS_CALIBRATE_MASS_SMALL) {
            rs_cli_error("%s", why);
            return RS_EXIT_FAIL;
        }
    }
    struct session ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return RS_EXIT_FAIL;
    int rc = RS_EXIT_FAIL;
    struct rs_cal blk = ss.cal;
    if (rs_caldev_info(ss.d)->cal_state != RS_CAL_OK)
        rs_cal_say(u, "note: this roller was never tared; run 'rollsense calibrate tare' first for "
                      "the best result");
    if (rs_calibrate_validate(&blk, NULL, 0)) {
        struct rs_cal d;
        rs_calibrate_defaults(&d);
        blk.scale_left = d.scale_left;
        blk.scale_right = d.scale_right;
    }
    rs_cal_say(u, "Span with a known mass of %.2f kg on roller %s: three placements, then a check.",
               o->mass_kg, rs_caldev_serial(ss.d));
    static const char *const where[] = { "the LEFT END", "the CENTRE", "the RIGHT END" };
    struct rs_calibrate_placement pl[3];
    for (int i = 0; i < 3; i++) {
        char prompt[256];
        snprintf(prompt, sizeof prompt,
                 "Placement %d of 3: rest the %.2f kg mass on %s of the roller, hands off, "
                 "then press Enter.", i + 1, o->mass_kg, where[i]);
        if (ask(u, ss.d, &blk, prompt, line, sizeof line) < 0)
            goto out;
        for (;;) {
            struct rs_calibrate_window w;
            struct rs_sample last;
            if (measure(u, ss.d, 0.5, o->window_s, &w, &last))
                goto out;
            if (rs_calibrate_placement(&w, o->mass_kg, &blk, &lim, &pl[i], why, sizeof why) == 0)
                break;
            rs_cli_error("%s", why);
            if (!again(u, ss.d, &blk))
                goto out;
        }
        rs_cal_say(u, "placement %d: %+.0f counts left, %+.0f counts right", i + 1, pl[i].d_left,
                   pl[i].d_right);
    }
    if (rs_calibrate_span_solve(pl, 3, &blk, why, sizeof why)) {
        rs_cli_error("%s", why);
        goto out;
    }
    rs_cal_say(u, "span: %.2f counts/N left, %.2f counts/N right", (double)blk.scale_left,
               (double)blk.scale_right);
    if (!o->no_check) {
        struct rs_calibrate_placement chk;
        if (ask(u, ss.d, &blk,
                "Check: rest the mass anywhere else on the roller (e.g. halfway between "
                "the centre and one end), hands off, then press Enter.",
                line, sizeof line) < 0)
            goto out;
        for (;;) {
            struct rs_calibrate_window w;
            struct rs_sample last;
            if (measure(u, ss.d, 0.5, o->window_s, &w, &last))
                goto out;
            if (rs_calibrate_placement(&w, o->mass_kg, &blk, &lim, &chk, why, sizeof why) == 0)
                break;
            rs_cli_error("%s", why);
            if (!again(u, ss.d, &blk))
                goto out;
        }
        double err_n, err_pct, fl, fr, x;
        rs_calibrate_span_error(&blk, &chk, &err_n, &err_pct);
        rs_calibrate_apply(&blk, (int32_t)lround(chk.d_left + blk.offset_left),
                           (int32_t)lround(chk.d_right + blk.offset_right), &fl, &fr, &x);
        rs_cal_say(u, "check: %.1f N measured for %.1f N true: error %+.2f N (%+.2f %%), at %+.1f cm "
                      "from the centre", fl + fr, o->mass_kg * RS_STANDARD_GRAVITY, err_n, err_pct,
                   x / 10.0);
        /* 1 % or 1 N is the goal; beyond twice that the placements were not trustworthy. */
        if (fabs(err_pct) > 2.0 && fabs(err_n) > 2.0) {
            rs_cli_error("span check failed: the check placement is off by %+.1f N (%+.1f %%); "
                         "nothing was saved; repeat the span with the mass resting still",
                         err_n, err_pct);
            goto out;
        }
    }
    if (rs_cal_save(u, &ss, &blk) == 0)
        rc = RS_EXIT_OK;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* ---- encoder -------------------------------------------------------------- */

/* The encoder count right after Enter (a few fresh samples in). */
static int enc_now(struct ui *u, struct rs_caldev *d, int32_t *enc)
{
    struct rs_calibrate_window w;
    struct rs_sample last;
    if (measure(u, d, 0.1, 0, &w, &last))
        return -1;
    *enc = last.enc;
    return 0;
}

static int do_encoder(struct ui *u, const struct opts *o)
{
    struct session ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return RS_EXIT_FAIL;
    int rc = RS_EXIT_FAIL;
    struct rs_calibrate_limits lim;
    rs_calibrate_limits_default(&lim);
    struct rs_cal blk = ss.cal;
    if (blk.radius_um < 20000 || blk.radius_um > 150000)
        blk.radius_um = RS_DEFAULT_RADIUS_UM;
    double turns = o->have_turns ? o->turns : 3;
    char line[64], why[512], prompt[300];
    int32_t e0, e1;
    rs_cal_say(u, "Encoder check on roller %s: turn the roller %g times by hand.",
               rs_caldev_serial(ss.d), turns);
    for (;;) {
        if (ask(u, ss.d, &blk,
                "Put a mark on the roller (a piece of tape facing you), then press Enter.", line,
                sizeof line) < 0 ||
            enc_now(u, ss.d, &e0))
            goto out;
        snprintf(prompt, sizeof prompt,
                 "Turn the roller %g times FORWARD (the way it turns when you roll from the "
                 "Achilles towards the knee), stop at the mark, then press Enter.", turns);
        if (ask(u, ss.d, &blk, prompt, line, sizeof line) < 0 || enc_now(u, ss.d, &e1))
            goto out;
        if (rs_calibrate_encoder_turns(e0, e1, turns, &lim, &blk, why, sizeof why) == 0)
            break;
        rs_cli_error("%s", why);
        if (!again(u, ss.d, &blk))
            goto out;
    }
    double counted = fabs((double)(int32_t)((uint32_t)e1 - (uint32_t)e0)) / RS_ENC_COUNTS_PER_REV;
    rs_cal_say(u, "encoder: %.2f turns counted, forward counts %s", counted,
               blk.enc_dir > 0 ? "up" : "down (direction flag -1)");
    if (o->have_distance) {
        for (;;) {
            snprintf(prompt, sizeof prompt,
                     "Radius: set the roller's surface at the start of a measured %.2f m "
                     "(e.g. a tape measure pulled under it), then press Enter.", o->distance_m);
            if (ask(u, ss.d, &blk, prompt, line, sizeof line) < 0 || enc_now(u, ss.d, &e0))
                goto out;
            snprintf(prompt, sizeof prompt,
                     "Roll it forward over exactly %.2f m, stop, then press Enter.",
                     o->distance_m);
            if (ask(u, ss.d, &blk, prompt, line, sizeof line) < 0 || enc_now(u, ss.d, &e1))
                goto out;
            if (rs_calibrate_radius_from_distance(e0, e1, o->distance_m, &blk, why,
                                                  sizeof why) == 0)
                break;
            rs_cli_error("%s", why);
            if (!again(u, ss.d, &blk))
                goto out;
        }
        rs_cal_say(u, "radius: %.2f mm effective (from %.2f m rolled)", blk.radius_um / 1000.0,
                   o->distance_m);
    } else {
        rs_cal_say(u, "radius: %.2f mm (nominal %d mm diameter; refine with --distance M)",
                   blk.radius_um / 1000.0, RS_ROLLER_DIAMETER_MM);
    }
    if (rs_cal_save(u, &ss, &blk) == 0)
        rc = RS_EXIT_OK;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* ---- show ----------------------------------------------------------------- */

static int do_show(struct ui *u, const struct opts *o)
{
    struct session ss = { 0 };
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
static int do_restore(struct ui *u, const struct opts *o)
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
    struct session ss = { 0 };
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

static int do_undo(struct ui *u, const struct opts *o)
{
    struct session ss = { 0 };
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

/* ---- profile -------------------------------------------------------------- */

/* Guided calf length: one roll from the Achilles to just below the knee. */
static int measure_calf(struct ui *u, const struct opts *o, double *cm)
{
    struct session ss = { 0 };
    if (rs_cal_connect(u, o, &ss, true))
        return -1;
    int rc = -1;
    char line[64];
    uint32_t radius = ss.cal.radius_um;
    if (radius < 20000 || radius > 150000)
        radius = RS_DEFAULT_RADIUS_UM;
    if (rs_caldev_info(ss.d)->cal_state != RS_CAL_OK)
        rs_cal_say(u, "note: roller not calibrated; using the nominal %.1f mm radius", radius / 1000.0);
    for (;;) {
        int32_t e0, e1;
        if (ask(u, ss.d, &ss.cal,
                "Calf length: sit with one calf on the roller at the Achilles end (just above "
                "the heel), then press Enter.", line, sizeof line) < 0 ||
            enc_now(u, ss.d, &e0))
            goto out;
        if (ask(u, ss.d, &ss.cal,
                "Roll slowly once up to just below the knee (never onto the back of the knee), "
                "stop there, then press Enter.", line, sizeof line) < 0 ||
            enc_now(u, ss.d, &e1))
            goto out;
        *cm = rs_profile_calf_from_travel(e0, e1, radius);
        if (*cm >= RS_PROFILE_CALF_MIN && *cm <= RS_PROFILE_CALF_MAX)
            break;
        rs_cli_error("calf length refused: the roll measured %.1f cm, expected %g-%g cm; roll "
                     "once from the Achilles to just below the knee and try again",
                     *cm, RS_PROFILE_CALF_MIN, RS_PROFILE_CALF_MAX);
        if (!again(u, ss.d, &ss.cal))
            goto out;
    }
    rs_cal_say(u, "calf length: %.1f cm measured", *cm);
    rc = 0;
out:
    rs_caldev_close(ss.d);
    return rc;
}

/* Ask for a number; an empty answer keeps *v. -1 on end of input. */
static int ask_number(struct ui *u, const char *prompt, double *v)
{
    char line[64];
    for (;;) {
        if (ask(u, NULL, NULL, prompt, line, sizeof line) < 0)
            return -1;
        if (!line[0])
            return 0;
        char *end;
        double x = strtod(line, &end);
        if (end != line && !*end && isfinite(x)) {
            *v = x;
            return 0;
        }
        rs_cal_say(u, "'%s' is not a number", line);
    }
}

static void print_profile(struct ui *u, const struct rs_profile_entry *e, bool active)
{
    char lim[32];
    if (e->p.force_limit_n > 0)
        snprintf(lim, sizeof lim, "%.0f N", e->p.force_limit_n);
    else
        snprintf(lim, sizeof lim, "none");
    rs_cal_say(u, "%c %-20s body mass %6.1f kg   calf %5.1f cm   force limit %s", active ? '*' : ' ',
               e->name, e->p.body_mass_kg, e->p.calf_length_cm, lim);
}

static int do_profile(struct ui *u, const struct opts *o)
{
    char path[1024], why[512];
    struct rs_profiles ps;
    if (rs_profiles_path(path, sizeof path) < 0) {
        rs_cli_error("calibrate: the profile file path is too long");
        return RS_EXIT_FAIL;
    }
    if (rs_profiles_load(path, &ps, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return RS_EXIT_FAIL;
    }
    if (o->list) {
        if (o->json) {
            for (size_t i = 0; i < ps.n; i++) {
                char buf[256];
                struct rs_json j;
                rs_json_begin(&j, buf, sizeof buf);
                rs_json_str(&j, "type", "profile");
                rs_json_str(&j, "name", ps.e[i].name);
                rs_json_bool(&j, "active", (int)i == ps.active);
                rs_json_num(&j, "body_mass_kg", ps.e[i].p.body_mass_kg, 2);
                rs_json_num(&j, "calf_length_cm", ps.e[i].p.calf_length_cm, 2);
                rs_json_num(&j, "force_limit_n", ps.e[i].p.force_limit_n, 1);
                rs_cal_say(u, "%s", rs_json_end(&j));
            }
        } else if (ps.n == 0) {
            rs_cal_say(u, "no profiles yet; create one with 'rollsense calibrate profile --name NAME'");
        } else {
            for (size_t i = 0; i < ps.n; i++)
                print_profile(u, &ps.e[i], (int)i == ps.active);
        }
        return RS_EXIT_OK;
    }
    if (o->del) {
        if (rs_profiles_remove(&ps, o->del, why, sizeof why) ||
            rs_profiles_save(path, &ps, why, sizeof why)) {
            rs_cli_error("calibrate: %s", why);
            return RS_EXIT_FAIL;
        }
        rs_cal_say(u, "profile %s removed", o->del);
        return RS_EXIT_OK;
    }
    if (o->use && (o->name || o->del)) {
        rs_cli_error("calibrate: --use NAME switches profiles; give it alone");
        return RS_EXIT_USAGE;
    }
    if (o->use) {
        if (rs_profiles_activate(&ps, o->use, why, sizeof why) ||
            rs_profiles_save(path, &ps, why, sizeof why)) {
            rs_cli_error("calibrate: %s", why);
            return RS_EXIT_FAIL;
        }
        rs_cal_say(u, "profile %s is now active", o->use);
        return RS_EXIT_OK;
    }
    /* Create or update: the named profile, else the active one, else "default". */
    const char *name = o->name ? o->name
                       : ps.active >= 0 ? ps.e[ps.active].name : "default";
    char name_copy[RS_PROFILE_NAME_MAX];
    snprintf(name_copy, sizeof name_copy, "%s", name);
    if (!rs_profile_name_ok(name_copy) || strcmp(name_copy, name) != 0) {
        rs_cli_error("calibrate: profile name '%s' is not allowed: use 1-%d letters, digits, "
                     "'-', '_' or '.'", name, RS_PROFILE_NAME_MAX - 1);
        return RS_EXIT_USAGE;
    }
    struct rs_profile p;
    int idx = rs_profiles_find(&ps, name_copy);
    bool is_new = idx < 0;
    if (is_new)
        rs_profile_defaults(&p);
    else
        p = ps.e[idx].p;
    bool any = o->have_p_mass || o->have_p_calf || o->have_p_limit || o->measure_calf;
    if (o->have_p_mass)
        p.body_mass_kg = o->p_mass;
    if (o->have_p_calf)
        p.calf_length_cm = o->p_calf;
    if (o->have_p_limit)
        p.force_limit_n = o->p_limit;
    if (!any) {
        /* Guided: one question per field; Enter keeps the value shown. */
        char prompt[160];
        rs_cal_say(u, "Profile %s: answer each question, or press Enter to keep the value shown.",
                   name_copy);
        snprintf(prompt, sizeof prompt, "Body mass in kg [%.1f]:", p.body_mass_kg);
        if (ask_number(u, prompt, &p.body_mass_kg) < 0)
            goto eof;
        snprintf(prompt, sizeof prompt,
                 "Calf length in cm, Achilles to just below the knee [%.1f] (type m to measure "
                 "it by rolling once):", p.calf_length_cm);
        char line[64];
        for (;;) {
            if (ask(u, NULL, NULL, prompt, line, sizeof line) < 0)
                goto eof;
            if (!line[0])
                break;
            if (!strcmp(line, "m") || !strcmp(line, "M")) {
                if (measure_calf(u, o, &p.calf_length_cm))
                    return RS_EXIT_FAIL;
                break;
            }
            char *end;
            double x = strtod(line, &end);
            if (end != line && !*end && isfinite(x)) {
                p.calf_length_cm = x;
                break;
            }
            rs_cal_say(u, "'%s' is not a number", line);
        }
        snprintf(prompt, sizeof prompt, "Force limit in N, 0 for none [%.0f]:", p.force_limit_n);
        if (ask_number(u, prompt, &p.force_limit_n) < 0)
            goto eof;
    } else if (o->measure_calf) {
        if (measure_calf(u, o, &p.calf_length_cm))
            return RS_EXIT_FAIL;
    }
    if (rs_profile_check(&p, why, sizeof why)) {
        rs_cli_error("calibrate: profile %s: %s", name_copy, why);
        return RS_EXIT_FAIL;
    }
    if (rs_profiles_put(&ps, name_copy, &p, why, sizeof why) < 0 ||
        rs_profiles_activate(&ps, name_copy, why, sizeof why) ||
        rs_profiles_save(path, &ps, why, sizeof why)) {
        rs_cli_error("calibrate: %s", why);
        return RS_EXIT_FAIL;
    }
    rs_cal_say(u, "profile %s %s and active; saved in %s", name_copy, is_new ? "created" : "updated",
               path);
    print_profile(u, &ps.e[rs_profiles_find(&ps, name_copy)], true);
    rs_cal_say(u, "the next session uses it (every session snapshots the active profile)");
    return RS_EXIT_OK;
eof:
    rs_cli_error("calibrate: end of input before the profile was complete; nothing was saved");
    return RS_EXIT_FAIL;
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
    struct opts o = { .window_s = 2.0 };
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (rs_cli_is_help(a)) {
            help();
            return RS_EXIT_OK;
        }
        static const char *const flags[] = { "--yes", "--json", "--reset", "--measure",
                                             "--no-check", "--list", "--measure-calf", "--gui" };
        bool *const flag_vars[] = { &o.yes, &o.json, &o.reset, &o.measure, &o.no_check, &o.list,
                                    &o.measure_calf, &o.gui };
        bool done = false;
        for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
            if (strcmp(a, flags[k]) == 0) {
                *flag_vars[k] = true;
                done = true;
            }
        if (done)
            continue;
        static const char *const valued[] = { "--port", "--device", "--window", "--mass",
                                              "--turns", "--distance", "--name", "--use",
                                              "--delete", "--calf", "--force-limit",
                                              "--screenshot" };
        bool is_valued = false;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            is_valued |= strcmp(a, valued[k]) == 0;
        if (!is_valued && !strcmp(step, "restore") && !o.file && a[0] != '-') {
            o.file = a;
            continue;
        }
        if (!is_valued) {
            rs_cli_error("calibrate: unknown argument '%s' (try 'rollsense calibrate --help')", a);
            return RS_EXIT_USAGE;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0') {
            rs_cli_error("calibrate: %s needs a value", a);
            return RS_EXIT_USAGE;
        }
        const char *v = argv[++i];
        int bad = 0;
        if (!strcmp(a, "--port"))
            o.port = v;
        else if (!strcmp(a, "--device"))
            o.device = v;
        else if (!strcmp(a, "--name"))
            o.name = v;
        else if (!strcmp(a, "--use"))
            o.use = v;
        else if (!strcmp(a, "--delete"))
            o.del = v;
        else if (!strcmp(a, "--screenshot"))
            o.screenshot = v;
        else if (!strcmp(a, "--window")) {
            bad = parse_num(a, v, &o.window_s);
            if (!bad && !(o.window_s >= 0.5 && o.window_s <= 30)) {
                rs_cli_error("calibrate: --window wants 0.5 to 30 seconds, got '%s'", v);
                bad = 1;
            }
        } else if (!strcmp(a, "--mass")) {
            /* Same option, two meanings: the reference mass (span) or body mass (profile). */
            bad = parse_num(a, v, strcmp(step, "profile") ? &o.mass_kg : &o.p_mass);
            o.have_mass = o.have_p_mass = true;
        } else if (!strcmp(a, "--turns")) {
            bad = parse_num(a, v, &o.turns);
            o.have_turns = true;
        } else if (!strcmp(a, "--distance")) {
            bad = parse_num(a, v, &o.distance_m);
            o.have_distance = true;
        } else if (!strcmp(a, "--calf")) {
            bad = parse_num(a, v, &o.p_calf);
            o.have_p_calf = true;
        } else if (!strcmp(a, "--force-limit")) {
            bad = parse_num(a, v, &o.p_limit);
            o.have_p_limit = true;
        }
        if (bad)
            return RS_EXIT_USAGE;
    }
    if (!strcmp(step, "span") && !o.have_mass) {
        rs_cli_error("calibrate: span needs --mass KG, the known reference mass");
        return RS_EXIT_USAGE;
    }
    if (strcmp(step, "profile") != 0)
        o.have_p_mass = false;
    if (!strcmp(step, "restore") && !o.file) {
        rs_cli_error("calibrate: restore needs FILE (saved with 'rollsense calibrate show --json')");
        return RS_EXIT_USAGE;
    }
    if (o.have_p_calf && o.measure_calf) {
        rs_cli_error("calibrate: give --calf CM or --measure-calf, not both");
        return RS_EXIT_USAGE;
    }

    struct ui u = { .o = &o, .tty = isatty(STDOUT_FILENO) == 1 };
    signal(SIGPIPE, SIG_IGN);
    if (o.gui && strcmp(step, "tare") != 0 && strcmp(step, "span") != 0 &&
        strcmp(step, "encoder") != 0) {
        rs_cli_error("calibrate: --gui is for tare, span and encoder; the other steps run in "
                     "the terminal");
        return RS_EXIT_USAGE;
    }
    if (o.gui)
        return rs_cal_gui(&u, &o, !strcmp(step, "tare")      ? RS_CW_TARE
                                  : !strcmp(step, "encoder") ? RS_CW_ENCODER
                                                             : RS_CW_SPAN);
    if (!strcmp(step, "tare"))
        return do_tare(&u, &o);
    if (!strcmp(step, "span"))
        return do_span(&u, &o);
    if (!strcmp(step, "encoder"))
        return do_encoder(&u, &o);
    if (!strcmp(step, "show"))
        return do_show(&u, &o);
    if (!strcmp(step, "undo"))
        return do_undo(&u, &o);
    if (!strcmp(step, "restore"))
        return do_restore(&u, &o);
    return do_profile(&u, &o);
}
