/*
 * rs_emu.h - the emulated roller: the real firmware image in simavr 1.6
 * (atmega32u4, 16 MHz) with two virtual HX711, a virtual AS5048A-class
 * encoder and a physical model, and a device transport (UART1 for now).
 *
 * Single-threaded: everything runs inside rs_emu_run*(). Time is simulated
 * (CPU cycles); the firmware's idle sleep is skipped instantly, so a
 * sleeping firmware runs far faster than real time. rs_emu counts the
 * skipped cycles, which gives the firmware's CPU load.
 */
#ifndef RS_EMU_H
#define RS_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "emu_parts.h"
#include "emu_uart.h"
#include "emu_model.h"

struct avr_t;

/* Called at each HX711 conversion with the latched raw value. */
typedef void (*rs_emu_conv_fn)(void *ctx, uint8_t ch, uint64_t cycle, int32_t value);

struct rs_emu_opts {
    const char *elf_path;        /* firmware image (required) */
    struct rs_emu_model model;       /* physical model (required) */
    double noise_counts;         /* HX711 noise, standard deviation in counts (0 = off) */
    int32_t offset_counts[2];    /* bridge zero offsets in counts */
    uint32_t seed;               /* noise seed */
    uint32_t hx_period_us[2];    /* 0 = 12500 (80 SPS) */
    uint32_t hx_phase_us[2];     /* 0 = defaults: right 1000 us before left */
    const char *serial;          /* roller identity, 1..12 of [0-9A-Za-z-_.] (docs/usb.md);
                                    NULL = rs_emu_default_serial() */
    const uint8_t *eeprom;       /* initial EEPROM contents (NULL = erased); the
                                    serial cell at 0x3F0 is then written over */
    size_t eeprom_len;           /* at most RS_EMU_EEPROM_SIZE */
    rs_emu_bytes_fn on_tx;       /* device -> host bytes on the transport */
    rs_emu_conv_fn on_conv;      /* optional */
    void *ctx;                   /* for the callbacks */
};

#define RS_EMU_FREQ_HZ 16000000u
#define RS_EMU_EEPROM_SIZE 1023u /* simavr refuses a full 1024-byte set */

struct rs_emu {
    struct avr_t *avr;
    void *fw;                    /* elf_firmware_t, kept for the size report */
    struct rs_emu_opts opts;
    struct rs_emu_hx hx[2];
    struct rs_emu_enc enc;
    struct rs_emu_uart uart;
    uint64_t sleep_cycles;       /* cycles the firmware spent asleep */
    uint64_t rng;
    uint8_t ext_mask[5], ext_value[5]; /* external pin drive per port B..F */
    uint32_t flash_bytes, data_bytes, bss_bytes;
};

/* Load the image and wire the parts. Returns 0, or -1 with a message on
 * stderr. simavr's own chatter during set-up goes to stderr too. */
int rs_emu_init(struct rs_emu *e, const struct rs_emu_opts *o);
void rs_emu_free(struct rs_emu *e);

/* Run until the cycle counter reaches `cycle`. Returns 0, or -1 if the
 * firmware crashed or stopped. */
int rs_emu_run_until(struct rs_emu *e, uint64_t cycle);
/* Run for us microseconds of simulated time. */
int rs_emu_run_us(struct rs_emu *e, uint64_t us);

uint64_t rs_emu_cycle(const struct rs_emu *e);
double rs_emu_time_s(const struct rs_emu *e);

/* Evaluate the model now (used by the parts). */
void rs_emu_phys(struct rs_emu *e, struct rs_emu_phys *out);
/* One HX711 reading for side ch under the model state p (scale, offset, noise). */
int32_t rs_emu_hx_counts(struct rs_emu *e, uint8_t ch, const struct rs_emu_phys *p);

/* Host -> device bytes on the transport. */
size_t rs_emu_send(struct rs_emu *e, const uint8_t *p, size_t n);

/* Copy the EEPROM out (len <= RS_EMU_EEPROM_SIZE). */
int rs_emu_eeprom_get(struct rs_emu *e, uint8_t *buf, size_t len);

/* simavr cannot read the signature row (no SIGRD), so the emulator hands
 * the firmware its identity in the EEPROM cell the firmware falls back to
 * (USB_SERIAL_EE_ADDR); the firmware then reports it unchanged as its USB
 * serial and INFO serial. The default is "EMU-" and the last 8 decimal
 * digits of the process ID, so two emulated rollers differ. */
#define RS_EMU_SERIAL_MAX 12u
void rs_emu_default_serial(char out[RS_EMU_SERIAL_MAX + 1]);
/* 1 if s is a usable serial (1..12 characters of [0-9A-Za-z-_.]). */
int rs_emu_serial_ok(const char *s);

/* The firmware's default image from this build. */
const char *rs_emu_default_elf(void);

#endif
