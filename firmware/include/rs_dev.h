/*
 * rs_dev.h - the device logic: sampling schedule, status bits, sample / info
 * / fault frames and command handling. Hardware goes through rs_hal.h only,
 * so all of this runs in the host unit tests too. main.c owns one struct
 * rs_dev and calls the rs_dev_* functions from its main loop; no ISR touches
 * it.
 *
 * Frame rule: one sample frame per left HX711 conversion, stamped with the
 * time of that conversion (input capture on the chip) and carrying the most
 * recent right value. While the left chip is in fault, right conversions
 * drive the frames (stamped when read); with both in fault a frame is still
 * sent every 12.5 ms so the stream never stops. The seq number counts every
 * frame produced, sent or dropped.
 *
 * Commands: docs/firmware.md lists what each does and answers. In short:
 * every intact command frame gets a reply (ACK or NAK with a reason);
 * an intact frame of an unknown command type or with a short body gets a
 * NAK (token 0 if the body had none); frames that fail COBS, CRC, length
 * limits or version are dropped, because nothing in them can be trusted;
 * device-to-host frame types sent to the device are ignored.
 */
#ifndef RS_DEV_H
#define RS_DEV_H

#include <stdint.h>

#include "rs_calblock.h"
#include "rs_enc.h"
#include "rs_hal.h"
#include "rs_hx711.h"
#include "rs_proto.h"

/* Firmware version: set by the build (RS_VERSION). */
#ifndef RS_FW_MAJOR
#define RS_FW_MAJOR 0
#define RS_FW_MINOR 0
#define RS_FW_PATCH 0
#endif
#define RS_HW_REV 1u

/* Reset requests raised by the RESET command for main.c. */
enum rs_dev_reset { RS_DEV_RESET_NONE = 0, RS_DEV_RESET_RESTART = 1, RS_DEV_RESET_BOOTLOADER = 2 };

/* One command input (USART or USB): its own decoder. */
struct rs_cmd_link {
    struct rs_decoder dec;
};

struct rs_dev {
    struct rs_hx hx[RS_HX_COUNT];
    struct rs_enc enc;
    struct rs_calblock store;
    struct rs_cal cal;
    int32_t value[RS_HX_COUNT]; /* last raw conversion per side */
    uint32_t seq;
    uint32_t last_frame_us;
    uint16_t boot_status;       /* RS_ST_WDT_RESET if reset by the watchdog */
    uint8_t cal_state;          /* enum rs_cal_state */
    uint8_t streaming;
    uint8_t overflow;           /* a frame was dropped since the last sent one */
    uint8_t faults;             /* fault bits as last reported (enum rs_status_bit) */
    uint8_t save_token;         /* token of the SAVE_CAL awaiting its reply */
    uint8_t led_ticks;          /* identify: remaining half-second blinks */
    uint8_t led_phase;          /* housekeeping calls within the blink period */
    uint8_t reset_req;          /* enum rs_dev_reset */
    uint8_t suspended;          /* USB suspended or VBUS gone: nothing sampled */
    uint8_t settling;           /* HX711s woken, conversions dropped until settle_end_us */
    uint32_t settle_end_us;
    uint8_t enc_wait_ticks;     /* encoder supply just switched on: ticks left without frames */
    uint8_t npend;              /* answers waiting for room on the transports */
    struct rs_frame pend[2];    /* a reply and its data frame */
};

/* Start-up: load calibration, arm the monitors. wdt_reset is 1 if the last
 * reset came from the watchdog. Streaming starts at once (with an info frame). */
void rs_dev_init(struct rs_dev *d, uint32_t now_us, uint8_t wdt_reset);

/* Poll both HX711 without waiting; sends the sample frame when due, stamped
 * with the left conversion's time (rs_hal_hx_stamp). Returns 1 if the left
 * chip was read (the caller forgets the captures its data bits made), else 0. */
int8_t rs_dev_poll_hx(struct rs_dev *d, uint32_t now_us);

/* One encoder exchange: call on every 1 ms tick. After the encoder's
 * supply was switched on (start-up, resume) the first RS_ENC_POWERUP_TICKS
 * calls exchange nothing: at least RS_ENC_POWERUP_US pass before the first
 * frame even if the first tick follows at once. Counted in ticks, so the
 * 1 kHz path reads no clock. */
#define RS_ENC_POWERUP_TICKS (RS_ENC_POWERUP_US / 1000u + 1u)
void rs_dev_poll_enc(struct rs_dev *d);
/* An encoder frame has finished: use its reply now. */
void rs_dev_enc_done(struct rs_dev *d);

/* Housekeeping: HX711 fault timing, fault frames, EEPROM save progress (one
 * byte per call), LED, the fallback frame clock. Call every
 * RS_DEV_HOUSEKEEPING_MS milliseconds. */
#define RS_DEV_HOUSEKEEPING_MS 4u
void rs_dev_housekeeping(struct rs_dev *d, uint32_t now_us);

/* USB suspend or VBUS loss (usb_task's SENSORS_OFF): the HX711s are
 * powered down, the encoder's supply is switched off and the LED goes off; the caller stops calling the poll and
 * housekeeping functions until rs_dev_resume(). Streaming, calibration and
 * the sequence number are kept. */
void rs_dev_suspend(struct rs_dev *d);
/* Bus running again: the HX711s are woken and the encoder's supply is
 * switched on (its first frame waits RS_ENC_POWERUP_US; the angle it reads
 * is the new reference, see rs_enc_restart); conversions in their settling
 * time (RS_HX_SETTLE_US) are read and dropped, and fault timing starts
 * afresh after it, so a wake-up makes neither a stale sample nor a false
 * fault. */
void rs_dev_resume(struct rs_dev *d, uint32_t now_us);

/* Answers (reply, info, cal) are never dropped: when the transports have
 * no room they wait here. rs_dev_flush() retries them (call every pass);
 * while rs_dev_busy() the caller must not feed command bytes, so the host's
 * next commands wait in the receive ring (back-pressure) instead. */
void rs_dev_flush(struct rs_dev *d);
static inline uint8_t rs_dev_busy(const struct rs_dev *d)
{
    return d->npend != 0;
}

/* Feed received command bytes from link l. Stops early when a command
 * left answers waiting (rs_dev_busy); returns the count consumed, the rest
 * stays with the caller. */
uint8_t rs_dev_rx_bytes(struct rs_dev *d, struct rs_cmd_link *l, const uint8_t *p, uint8_t n);
/* One byte (ignored while busy; for tests and byte-wise transports that
 * check rs_dev_busy first). */
void rs_dev_rx(struct rs_dev *d, struct rs_cmd_link *l, uint8_t byte);

void rs_cmd_link_init(struct rs_cmd_link *l);

/* Handle one decoded command frame (exposed for tests). */
void rs_dev_command(struct rs_dev *d, const struct rs_frame *f);

/* Status bits for the next sample frame (exposed for tests). */
uint16_t rs_dev_status(struct rs_dev *d);

#endif
