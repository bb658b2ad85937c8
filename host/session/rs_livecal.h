/*
 * rs_livecal.h - the calibration wizard inside a running live or demo
 * session: calibration applied at once, without a restart (issue 9).
 *
 * `rollsense calibrate` is a separate program and the port is held by
 * `live`, so a calibration made there reaches a session only at its next
 * start. This controller runs the same wizard (rs_calwiz.h) on the session's
 * own samples and, when the wizard has solved a block, saves it through the
 * session's connection with the same conversation as rs_caldev_apply():
 *
 *   SET_CAL (ACK) -> SAVE_CAL (ACK; NAK busy: ask again) -> GET_INFO (ACK)
 *   -> GET_CAL (a cal frame equal to the block, and its ACK)
 *
 * GET_INFO comes before the read-back so that the info frame saying
 * cal_state "ok" reaches the session (and a recording) before the new
 * block's cal frame: live and a replay of the recording then switch to the
 * new block at the same sample.
 *
 * Each command is resent every 300 ms without a reply, the whole save gives
 * up after 6 s (an EEPROM save may take a while). On success the block goes
 * to the session (rs_session_apply_cal: the pipeline uses it from the next
 * sample, observers and so the recording get a new snapshot) and, when
 * asked, to the host mirror with undo (rs_calstore; the roller's previous
 * block is recorded first when the mirror is empty, as the CLI does). When
 * the read-back differs, the previous block is set back in the roller's RAM.
 *
 * The encoder check saves its block the same way; the calf measurement
 * changes the profile instead (rs_livecal_open_calf).
 *
 * No clock and no SDL: times are the connection's session seconds, samples
 * and frames come through a session observer (rs_livecal_attach), and the
 * window (rs_run) or a test drives it with rs_livecal_step() and the
 * wizard's confirm/cancel. Not thread-safe.
 */
#ifndef RS_LIVECAL_H
#define RS_LIVECAL_H

#include <stdbool.h>
#include <stdint.h>

#include "rs_calwiz.h"
#include "rs_conn.h"
#include "rs_session.h"

#define RS_LIVECAL_RESEND_S 0.3
#define RS_LIVECAL_TIMEOUT_S 6.0

enum rs_livecal_save { RS_LCS_NONE, RS_LCS_SET, RS_LCS_SAVE, RS_LCS_INFO, RS_LCS_GET };

struct rs_livecal {
    bool open;                    /* the wizard is showing */
    bool persist;                 /* write the host's files: calibration mirror, profiles */
    struct rs_calwiz wz;
    /* the save in progress */
    enum rs_livecal_save save;
    struct rs_cal blk, before;    /* being saved; what the roller had */
    uint8_t token, cmd;           /* the command waiting for its reply */
    bool replied, resend, got_cal;
    uint8_t nak;
    struct rs_cal readback;
    double sent_t, start_t;
    /* results */
    uint32_t saved;               /* blocks saved and applied (tests) */
    char note[256];               /* mirror trouble after a good save, else "" */
};

/* Not open. persist: whether results also go to the host's files (saved
 * blocks to the calibration mirror, a measured calf length to the active
 * profile in profiles.conf); demo passes false, its roller and person are
 * pretend. */
void rs_livecal_init(struct rs_livecal *lc, bool persist);

/* Feed the session's samples and frames to lc (uses one observer slot).
 * 0, or -1 when the session has no free slot. */
int rs_livecal_attach(struct rs_livecal *lc, struct rs_session *s);

/*
 * Open the wizard (see rs_calwiz_init) starting from the block the session
 * knows (the nominal one when none). mass_kg is for span steps.
 */
void rs_livecal_open(struct rs_livecal *lc, struct rs_session *s, enum rs_calwiz_mode mode,
                     double mass_kg, double rate_hz, double window_s);

/* Open the encoder check (rs_calwiz_init_encoder): the block it makes
 * (enc_dir, radius) is saved on the roller like a span's. */
void rs_livecal_open_encoder(struct rs_livecal *lc, struct rs_session *s, double turns,
                             double distance_m, double rate_hz);

/*
 * Open the calf measurement (rs_calwiz_init_calf) with the radius of the
 * block in use. Its result goes into the session's profile at once
 * (rs_session_apply_profile: the knee zone moves) and, with persist, into
 * the active profile of profiles.conf ("default" when none is active, made
 * active), keeping that profile's other values.
 */
void rs_livecal_open_calf(struct rs_livecal *lc, struct rs_session *s, double rate_hz);

/* Close the wizard (after DONE or FAILED, or to give up; a save in progress
 * is abandoned, the roller keeps what it has). */
void rs_livecal_close(struct rs_livecal *lc);

/*
 * Call after every connection step: starts saving a solved block, resends,
 * times out, and on the matching read-back applies the block to the session
 * and the mirror, then tells the wizard (DONE or FAILED with the reason).
 */
void rs_livecal_step(struct rs_livecal *lc, struct rs_conn *c, struct rs_session *s);

#endif
