/*
 * sim_harness.h - drive the emulated roller from a test: boot the real
 * firmware image with a test's model, send frames, collect every frame the
 * device sends with the simulated time it arrived, and record every HX711
 * conversion. All timing is simulated (CPU cycles at 16 MHz).
 */
#ifndef RS_SIM_HARNESS_H
#define RS_SIM_HARNESS_H

#include <stdint.h>
#include <stdio.h>

#include "rs_emu.h"
#include "rs_proto.h"

struct sim_frame {
    struct rs_frame f;
    uint64_t cycle; /* when its delimiter arrived */
};

struct sim_conv {
    uint64_t cycle;
    int32_t value;
};

struct sim {
    struct rs_emu emu;
    struct rs_decoder dec;
    struct sim_frame *frames;
    size_t nframes, cap;
    struct sim_conv *conv[2];
    size_t nconv[2], convcap[2];
    uint64_t bytes_in;
};

#define SIM_US(us) ((uint64_t)(us) * 16u)

/* Boot a fresh emulated roller. eeprom may be NULL. Exits the test on error. */
void sim_boot(struct sim *s, struct rs_emu_model model, const uint8_t *eeprom, size_t eeprom_len);
/* Same, with the right HX711 running at its own period (real chips have
 * independent oscillators). */
void sim_boot_period(struct sim *s, struct rs_emu_model model, uint32_t right_period_us);
void sim_free(struct sim *s);
void sim_run_us(struct sim *s, uint64_t us);
/* Run until a frame of `type` (and, for replies, the token) arrives after
 * index `from`, or timeout_us passes. Returns its index or -1. */
long sim_wait(struct sim *s, size_t from, uint8_t type, int token, uint64_t timeout_us);
/* Encode and send a frame; runs until the transport has delivered it. */
void sim_send(struct sim *s, const struct rs_frame *f);
void sim_send_bytes(struct sim *s, const uint8_t *p, size_t n);
double sim_t(const struct sim *s);

/* Test bookkeeping: failures are counted and printed; sim_done() returns
 * the process exit code. */
extern int sim_failures;
#define SIM_CHECK(cond, ...)                                                      \
    do {                                                                          \
        if (!(cond)) {                                                            \
            sim_failures++;                                                       \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                         \
            fputc('\n', stderr);                                                  \
        }                                                                         \
    } while (0)

#endif
