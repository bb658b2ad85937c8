/* rs_livecal.c - the calibration wizard in a running session (see rs_livecal.h). */
#include "rs_livecal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_caldev.h"
#include "rs_calstore.h"
#include "rs_profiles.h"

void rs_livecal_init(struct rs_livecal *lc, bool persist)
{
    memset(lc, 0, sizeof *lc);
    lc->persist = persist;
}

static void on_sample(void *ctx, const struct rs_sample *smp, double t)
{
    (void)t;
    struct rs_livecal *lc = ctx;
    if (lc->open)
        rs_calwiz_push(&lc->wz, smp);
}

/* Replies and the read-back only: sending happens in rs_livecal_step, never
 * from inside the connection's read. */
static void on_frame(void *ctx, const struct rs_frame *f, double t)
{
    (void)t;
    struct rs_livecal *lc = ctx;
    if (lc->save == RS_LCS_NONE)
        return;
    if (f->type == RS_FT_CAL && lc->save == RS_LCS_GET) {
        lc->got_cal = true;
        lc->readback = f->u.cal;
    } else if (f->type == RS_FT_REPLY && f->u.reply.token == lc->token &&
               f->u.reply.cmd == lc->cmd) {
        if (f->u.reply.code == RS_NAK_BUSY)
            lc->resend = true;   /* a save still running: ask again */
        else {
            lc->replied = true;
            lc->nak = f->u.reply.code;
        }
    }
}

int rs_livecal_attach(struct rs_livecal *lc, struct rs_session *s)
{
    struct rs_session_observer o = { .ctx = lc, .sample = on_sample, .frame = on_frame };
    return rs_session_observe(s, &o);
}

/* The block the wizard starts from: the roller's, else the nominal one.
 * True when it is a saved calibration (the tare's known zero). */
static bool start(struct rs_livecal *lc, struct rs_session *s, struct rs_cal *cur)
{
    bool have = rs_session_cal_block(s, cur);
    if (!have)
        rs_calibrate_defaults(cur);
    lc->before = *cur;
    lc->save = RS_LCS_NONE;
    lc->note[0] = '\0';
    lc->open = true;
    return have && rs_session_live(s)->calibrated;
}

void rs_livecal_open(struct rs_livecal *lc, struct rs_session *s, enum rs_calwiz_mode mode,
                     double mass_kg, double rate_hz, double window_s)
{
    struct rs_cal cur;
    bool saved = start(lc, s, &cur);
    rs_calwiz_init(&lc->wz, mode, mass_kg, rate_hz, window_s, &cur);
    rs_calwiz_set_zero_known(&lc->wz, saved);
}

void rs_livecal_open_encoder(struct rs_livecal *lc, struct rs_session *s, double turns,
                             double distance_m, double rate_hz)
{
    struct rs_cal cur;
    start(lc, s, &cur);
    rs_calwiz_init_encoder(&lc->wz, turns, distance_m, rate_hz, &cur);
}

void rs_livecal_open_calf(struct rs_livecal *lc, struct rs_session *s, double rate_hz)
{
    struct rs_cal cur;
    start(lc, s, &cur);
    rs_calwiz_init_calf(&lc->wz, rate_hz, &cur);
}

/*
 * The measured calf length into the profile: the session's at once, and
 * with persist the active profile's in profiles.conf (as `calibrate
 * profile --measure-calf` does: the active one, else "default"). A file
 * that cannot be read or written fails the step; the session keeps its
 * profile then.
 */
static void save_calf(struct rs_livecal *lc, struct rs_session *s)
{
    struct rs_profile p;
    rs_session_profile(s, &p);
    char why[200];
    if (lc->persist) {
        char path[1024];
        struct rs_profiles *ps = malloc(sizeof *ps);
        if (!ps || rs_profiles_path(path, sizeof path) != 0) {
            free(ps);
            rs_calwiz_saved(&lc->wz, false, ps ? "the profiles file path is too long"
                                               : "out of memory");
            return;
        }
        int rc = rs_profiles_load(path, ps, why, sizeof why);
        if (rc == 0) {
            char name[RS_PROFILE_NAME_MAX];
            snprintf(name, sizeof name, "%s", ps->active >= 0 ? ps->e[ps->active].name : "default");
            int idx = rs_profiles_find(ps, name);
            if (idx >= 0)
                p = ps->e[idx].p;
            p.calf_length_cm = lc->wz.calf_cm;
            if (rs_profiles_put(ps, name, &p, why, sizeof why) < 0 ||
                rs_profiles_activate(ps, name, why, sizeof why) != 0 ||
                rs_profiles_save(path, ps, why, sizeof why) != 0)
                rc = -1;
        }
        free(ps);
        if (rc != 0) {
            rs_calwiz_saved(&lc->wz, false, why);
            return;
        }
    } else {
        p.calf_length_cm = lc->wz.calf_cm;
    }
    rs_session_apply_profile(s, &p);
    lc->saved++;
    rs_calwiz_saved(&lc->wz, true, NULL);
}

void rs_livecal_close(struct rs_livecal *lc)
{
    lc->open = false;
    lc->save = RS_LCS_NONE;
}

static void fail(struct rs_livecal *lc, const char *why)
{
    lc->save = RS_LCS_NONE;
    rs_calwiz_saved(&lc->wz, false, why);
}

static int send(struct rs_livecal *lc, struct rs_conn *c, double now)
{
    struct rs_frame f = { .type = lc->cmd };
    if (lc->cmd == RS_FT_CMD_SET_CAL)
        f.u.cmd.arg.cal = lc->blk;
    lc->replied = lc->resend = false;
    lc->sent_t = now;
    return rs_conn_send(c, &f, &lc->token);
}

static void begin(struct rs_livecal *lc, enum rs_livecal_save step, uint8_t cmd)
{
    lc->save = step;
    lc->cmd = cmd;
    lc->got_cal = lc->replied = lc->resend = false;
    lc->sent_t = -1e9;   /* send at once */
}

/* The host mirror: the roller's previous block first when the mirror has
 * none, so undo returns to it. Trouble here does not undo the save. */
static void mirror(struct rs_livecal *lc)
{
    char serial[RS_SERIAL_LEN + 1], path[1024], why[200];
    memcpy(serial, lc->readback.serial, RS_SERIAL_LEN);
    serial[RS_SERIAL_LEN] = '\0';
    if (!serial[0] || rs_calstore_path(serial, path, sizeof path) != 0) {
        snprintf(lc->note, sizeof lc->note, "not mirrored on this computer: no serial number");
        return;
    }
    struct rs_calstore st;
    int rc = rs_calstore_load(path, &st, why, sizeof why);
    if (rc == 0 && !st.has_current) {
        struct rs_cal old = lc->before;
        memcpy(old.serial, lc->readback.serial, RS_SERIAL_LEN);
        rc = rs_calstore_commit(path, &old, why, sizeof why);
    }
    if (rc == 0)
        rc = rs_calstore_commit(path, &lc->readback, why, sizeof why);
    if (rc != 0)
        snprintf(lc->note, sizeof lc->note, "saved on the roller, but not mirrored: %s", why);
}

void rs_livecal_step(struct rs_livecal *lc, struct rs_conn *c, struct rs_session *s)
{
    if (!lc->open)
        return;
    double now = rs_conn_now(c);
    if (lc->save == RS_LCS_NONE) {
        if (lc->wz.phase != RS_CW_READY)
            return;
        if (lc->wz.mode == RS_CW_CALF) {
            save_calf(lc, s);
            return;
        }
        lc->blk = lc->wz.cal;
        /* The block belongs to this roller: its serial, as the CLI does. */
        memcpy(lc->blk.serial, lc->before.serial, RS_SERIAL_LEN);
        lc->start_t = now;
        begin(lc, RS_LCS_SET, RS_FT_CMD_SET_CAL);
    }
    if (lc->replied && lc->nak != RS_REPLY_ACK) {
        char why[128];
        snprintf(why, sizeof why, "the roller refused %s (code %u)",
                 lc->save == RS_LCS_SET ? "the block" : "to save", lc->nak);
        fail(lc, why);
        return;
    }
    if (lc->replied) {
        switch (lc->save) {
        case RS_LCS_SET:
            begin(lc, RS_LCS_SAVE, RS_FT_CMD_SAVE_CAL);
            break;
        case RS_LCS_SAVE:
            begin(lc, RS_LCS_INFO, RS_FT_CMD_GET_INFO);
            break;
        case RS_LCS_INFO:
            begin(lc, RS_LCS_GET, RS_FT_CMD_GET_CAL);
            break;
        case RS_LCS_GET:
            if (!lc->got_cal)
                break;   /* the data frame may follow its reply */
            lc->save = RS_LCS_NONE;
            struct rs_cal want = lc->blk;
            memcpy(want.serial, lc->readback.serial, RS_SERIAL_LEN);
            if (!rs_cal_equal(&want, &lc->readback)) {
                /* Keep the roller on what it used before (RAM only). */
                lc->blk = lc->before;
                lc->cmd = RS_FT_CMD_SET_CAL;
                send(lc, c, now);
                rs_calwiz_saved(&lc->wz, false, "the roller read back a different block; "
                                                "its previous calibration stays in use");
                return;
            }
            rs_session_apply_cal(s, &lc->readback);
            if (lc->persist)
                mirror(lc);
            lc->saved++;
            rs_calwiz_saved(&lc->wz, true, NULL);
            return;
        case RS_LCS_NONE:
            break;
        }
    }
    if (lc->save == RS_LCS_NONE)
        return;
    if (now - lc->start_t > RS_LIVECAL_TIMEOUT_S) {
        fail(lc, "the roller did not answer; its calibration is unchanged");
        return;
    }
    bool due = now - lc->sent_t >= RS_LIVECAL_RESEND_S;
    if (!lc->replied && (lc->resend || due) && rs_conn_state(c) != RS_CONN_SEARCHING &&
        rs_conn_state(c) != RS_CONN_DISCONNECTED)
        send(lc, c, now);
    else if (lc->replied && lc->save == RS_LCS_GET && !lc->got_cal && due)
        send(lc, c, now);
}
