/*
 * rs_caldev.h - the calibration conversation with one roller.
 *
 * A thin I/O shell over rs_link for the calibrate command (and a window
 * wizard): open the roller (a given port, or discovery by USB identity and
 * serial number), identify it, read its calibration block (GET_CAL), apply a
 * new one (SET_CAL, then SAVE_CAL, then read it back and compare), restart it
 * (RESET), and deliver its sample stream one sample at a time.
 *
 * Commands carry a token; the answer is the REPLY with that token and
 * command (and for GET_CAL/GET_INFO the data frame before it). A command that
 * gets no reply is resent every 300 ms until the timeout: all of them are
 * idempotent. Samples that arrive while a command waits are dropped (nothing
 * measures during a command) except the newest, kept in `last`.
 *
 * Not thread-safe; every call waits at most its timeout, never spins.
 */
#ifndef RS_CALDEV_H
#define RS_CALDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rs_link.h"
#include "rs_proto.h"

enum rs_caldev_err {
    RS_CALDEV_NO_ROLLER = -40,  /* nothing to open (discovery found none / no such serial) */
    RS_CALDEV_AMBIGUOUS = -41,  /* several rollers and no serial chosen */
    RS_CALDEV_TIMEOUT = -42,    /* the roller did not answer in time */
    RS_CALDEV_NAK = -43,        /* the roller refused the command (nak code kept) */
    RS_CALDEV_VERIFY = -44,     /* read-back differs from what was written */
    RS_CALDEV_LINK = -45,       /* the port failed or vanished */
    RS_CALDEV_VERSION = -46,    /* another protocol version */
};

struct rs_caldev;

/*
 * Open the roller on port, or (port NULL) the one discovery finds, with the
 * given serial if not NULL; ask for its info. timeout_ms bounds the whole
 * open. Returns 0 and *out, or a negative rs_caldev_err with one line in why.
 */
int rs_caldev_open(struct rs_caldev **out, const char *port, const char *serial, int timeout_ms,
                   char *why, size_t cap);
/* The same over a link already open (an in-process roller, tests); the
 * caldev owns it from now on, also on failure. name is for messages. */
int rs_caldev_open_link(struct rs_caldev **out, struct rs_link *link, const char *name,
                        int timeout_ms, char *why, size_t cap);
void rs_caldev_close(struct rs_caldev *d);   /* sends STOP when streaming; NULL is fine */

const struct rs_info *rs_caldev_info(const struct rs_caldev *d);
/* The serial number from the info frame as a C string. */
const char *rs_caldev_serial(const struct rs_caldev *d);
const char *rs_caldev_port(const struct rs_caldev *d);

/* GET_CAL: the block in use. */
int rs_caldev_get_cal(struct rs_caldev *d, struct rs_cal *out, char *why, size_t cap);

/*
 * SET_CAL, SAVE_CAL, GET_CAL and compare, then GET_INFO (cal_state is then
 * RS_CAL_OK). The block's serial field is set to the roller's. When saving or
 * the read-back fails, the block the roller used before is set back in its
 * RAM (not saved), so the roller keeps using what its EEPROM holds.
 */
int rs_caldev_apply(struct rs_caldev *d, const struct rs_cal *cal, char *why, size_t cap);

/* RESET (mode 0) and wait until the roller answers again (reopening the port
 * if it vanished, as a USB roller does); info is read afresh. */
int rs_caldev_reset(struct rs_caldev *d, int timeout_ms, char *why, size_t cap);

/* START or STOP the sample stream. */
int rs_caldev_stream(struct rs_caldev *d, bool on, char *why, size_t cap);

/*
 * Wait up to timeout_ms for the next sample. Returns 1 with *s, 0 when none
 * came in time, or a negative rs_caldev_err.
 */
int rs_caldev_sample(struct rs_caldev *d, struct rs_sample *s, int timeout_ms, char *why,
                     size_t cap);

/* Drop every sample received or waiting in the port so far: the next
 * rs_caldev_sample() returns one sent after this call (give or take the
 * samples in flight). */
int rs_caldev_flush(struct rs_caldev *d, char *why, size_t cap);

/* Two blocks are the same calibration (every field, serial compared as on the wire). */
bool rs_cal_equal(const struct rs_cal *a, const struct rs_cal *b);

#endif
