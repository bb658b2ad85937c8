/*
 * emu_core.c - loads the firmware into simavr and wires the parts
 * (see rs_emu.h).
 */
#include "rs_emu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <avr_eeprom.h>
#include <avr_extint.h>
#include <avr_ioport.h>
#include <sim_avr.h>
#include <sim_elf.h>
#include <sim_io.h>
#include <sim_irq.h>
#include <sim_time.h>

#include "emu_pins.h"
#include "rs_defaults.h"
#include "rs_pins.h"
#include "rs_serial.h"
#include "usb_serial.h"

#ifndef RS_FIRMWARE_ELF
#define RS_FIRMWARE_ELF "rollsense-fw.elf"
#endif

const char *rs_emu_default_elf(void)
{
    return RS_FIRMWARE_ELF;
}

/* ---- pins ------------------------------------------------------------------- */

struct pin_row {
    const char *signal;
    const char *port;
    uint8_t bit;
};

#define RS_EMU_PIN_ROW(sig, port, bit, dir, label, net) { #sig, #port, bit },
static const struct pin_row pin_rows[] = { RS_PINMAP(RS_EMU_PIN_ROW) };

int rs_emu_pin_lookup(const char *signal, char *port, uint8_t *bit)
{
    for (size_t i = 0; i < sizeof pin_rows / sizeof pin_rows[0]; i++) {
        if (!strcmp(pin_rows[i].signal, signal)) {
            *port = pin_rows[i].port[0];
            *bit = pin_rows[i].bit;
            return 0;
        }
    }
    return -1;
}

struct avr_irq_t *rs_emu_pin_irq(struct rs_emu *e, const char *signal)
{
    char port;
    uint8_t bit;
    if (rs_emu_pin_lookup(signal, &port, &bit) < 0) {
        fprintf(stderr, "rollsense-emu: no pin named %s in rs_pins.h\n", signal);
        abort();
    }
    return avr_io_getirq(e->avr, AVR_IOCTL_IOPORT_GETIRQ(port), bit);
}

/* External drive state per port (B..F), so that several parts on one port
 * share simavr's single external pull setting. */
static uint8_t *ext_slot(struct rs_emu *e, char port, int value)
{
    static const char ports[] = "BCDEF";
    const char *p = strchr(ports, port);
    size_t i = p ? (size_t)(p - ports) : 0;
    return value ? &e->ext_value[i] : &e->ext_mask[i];
}

void rs_emu_drive_pin(struct rs_emu *e, const char *signal, uint8_t level)
{
    char port;
    uint8_t bit;
    if (rs_emu_pin_lookup(signal, &port, &bit) < 0)
        abort();
    uint8_t *mask = ext_slot(e, port, 0), *val = ext_slot(e, port, 1);
    *mask |= (uint8_t)(1u << bit);
    if (level)
        *val |= (uint8_t)(1u << bit);
    else
        *val &= (uint8_t) ~(1u << bit);
    avr_ioport_external_t ext = { .name = port, .mask = *mask, .value = *val };
    avr_ioctl(e->avr, AVR_IOCTL_IOPORT_SET_EXTERNAL(port), &ext);
    avr_raise_irq(avr_io_getirq(e->avr, AVR_IOCTL_IOPORT_GETIRQ(port), bit), level);
}

/* ---- model ------------------------------------------------------------------ */

void rs_emu_phys(struct rs_emu *e, struct rs_emu_phys *out)
{
    e->opts.model.eval(e->opts.model.ctx, rs_emu_time_s(e), out);
}

static double gauss(struct rs_emu *e)
{
    /* xorshift64* and Box-Muller: deterministic for a given seed. */
    double u[2];
    for (int i = 0; i < 2; i++) {
        e->rng ^= e->rng >> 12;
        e->rng ^= e->rng << 25;
        e->rng ^= e->rng >> 27;
        uint64_t r = e->rng * 2685821657736338717ull;
        u[i] = ((double)(r >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2.0 * log(u[0])) * cos(6.283185307179586 * u[1]);
}

int32_t rs_emu_hx_counts(struct rs_emu *e, uint8_t ch, const struct rs_emu_phys *p)
{
    double v = p->force_n[ch] * RS_DEFAULT_SCALE_COUNTS_PER_N + e->opts.offset_counts[ch];
    if (e->opts.noise_counts > 0)
        v += e->opts.noise_counts * gauss(e);
    v = round(v);
    if (v > 8388607.0)
        v = 8388607.0;
    if (v < -8388608.0)
        v = -8388608.0;
    return (int32_t)v;
}

/* ---- core ------------------------------------------------------------------- */

/* Replaces simavr's sleep (which would wait in wall-clock time): the cycles
 * are skipped at once and counted as idle. */
static void emu_sleep(struct avr_t *avr, avr_cycle_count_t how_long)
{
    struct rs_emu *e = avr->custom.data;
    e->sleep_cycles += how_long + 1;
}

/* simavr prints set-up chatter on stdout; send it to stderr so that the
 * emulator's stdout stays clean (its first line is the pty path). */
static int stdout_to_stderr(void)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO);
    return saved;
}

static void stdout_restore(int saved)
{
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, STDOUT_FILENO);
        close(saved);
    }
}

void rs_emu_default_serial(char out[RS_EMU_SERIAL_MAX + 1])
{
    snprintf(out, RS_EMU_SERIAL_MAX + 1, "EMU-%08lu", (unsigned long)getpid() % 100000000ul);
}

int rs_emu_serial_ok(const char *s)
{
    char id[RS_SERIAL_CHARS];
    size_t n = strlen(s);
    return n >= 1 && n <= RS_EMU_SERIAL_MAX &&
           rs_serial_from_text((const uint8_t *)s, (uint8_t)n, id) == n;
}

/* The identity into the firmware's EEPROM serial cell, NUL-padded. */
static int set_serial(struct avr_t *avr, const char *serial)
{
    char def[RS_EMU_SERIAL_MAX + 1];
    if (!serial) {
        rs_emu_default_serial(def);
        serial = def;
    }
    if (!rs_emu_serial_ok(serial)) {
        fprintf(stderr, "rollsense-emu: serial '%s' is not 1 to 12 characters of "
                        "0-9 A-Z a-z - _ .\n", serial);
        return -1;
    }
    uint8_t cell[USB_SERIAL_EE_LEN] = { 0 };
    memcpy(cell, serial, strlen(serial));
    avr_eeprom_desc_t d = { .ee = cell, .offset = USB_SERIAL_EE_ADDR, .size = sizeof cell };
    avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &d); /* returns -1 even on success (simavr 1.6) */
    return 0;
}

int rs_emu_init(struct rs_emu *e, const struct rs_emu_opts *o)
{
    memset(e, 0, sizeof *e);
    e->opts = *o;
    e->rng = o->seed ? o->seed : 0x2545f4914f6cdd1dull;
    if (access(o->elf_path, R_OK) != 0) {
        fprintf(stderr, "rollsense-emu: cannot read firmware %s\n", o->elf_path);
        return -1;
    }
    int saved = stdout_to_stderr();
    /* Room to spare: the struct's tail depends on simavr's build options. */
    elf_firmware_t *fw = calloc(1, sizeof *fw + 4096);
    if (!fw || elf_read_firmware(o->elf_path, fw) != 0) {
        stdout_restore(saved);
        fprintf(stderr, "rollsense-emu: cannot load firmware %s\n", o->elf_path);
        free(fw);
        return -1;
    }
    e->fw = fw;
    e->flash_bytes = fw->flashsize;
    e->data_bytes = fw->datasize;
    e->bss_bytes = fw->bsssize;
    e->avr = avr_make_mcu_by_name("atmega32u4");
    if (!e->avr || avr_init(e->avr) != 0) {
        stdout_restore(saved);
        fprintf(stderr, "rollsense-emu: simavr has no atmega32u4 core\n");
        return -1;
    }
    e->avr->log = LOG_ERROR;
    avr_load_firmware(e->avr, fw);
    e->avr->frequency = RS_EMU_FREQ_HZ;
    e->avr->vcc = e->avr->avcc = e->avr->aref = 5000;
    e->avr->custom.data = e;
    e->avr->sleep = emu_sleep;
    if (o->eeprom && o->eeprom_len) {
        avr_eeprom_desc_t d = { .ee = (uint8_t *)o->eeprom, .offset = 0,
                                .size = (uint32_t)(o->eeprom_len > RS_EMU_EEPROM_SIZE ? RS_EMU_EEPROM_SIZE
                                                                                     : o->eeprom_len) };
        avr_ioctl(e->avr, AVR_IOCTL_EEPROM_SET, &d);
    }
    if (set_serial(e->avr, o->serial) < 0) {
        stdout_restore(saved);
        return -1;
    }
    stdout_restore(saved);

    /* simavr polls every cycle while an INTn pin sits low ("strict" level
     * triggering), even with the interrupt disabled; the firmware uses no
     * external interrupts, and that polling would make the emulation ~50x
     * slower. */
    for (uint8_t i = 0; i < 8; i++)
        avr_extint_set_strict_lvl_trig(e->avr, i, 0);

    rs_emu_uart_attach(&e->uart, e->avr, o->on_tx, o->ctx);
    rs_emu_hx_attach(&e->hx[0], e, 0);
    rs_emu_hx_attach(&e->hx[1], e, 1);
    rs_emu_enc_attach(&e->enc, e);
    return 0;
}

void rs_emu_free(struct rs_emu *e)
{
    if (e->avr) {
        /* avr_terminate releases the modules and memories; the core struct
         * itself is small and simavr offers no call to free it. */
        avr_terminate(e->avr);
    }
    if (e->fw) {
        /* The image was copied into the core by avr_load_firmware. */
        elf_firmware_t *fw = e->fw;
        free(fw->flash);
        free(fw->eeprom);
    }
    free(e->fw);
    e->avr = NULL;
    e->fw = NULL;
}

int rs_emu_run_until(struct rs_emu *e, uint64_t cycle)
{
    while (e->avr->cycle < cycle) {
        int st = avr_run(e->avr);
        if (st == cpu_Done || st == cpu_Crashed)
            return -1;
    }
    return 0;
}

int rs_emu_run_us(struct rs_emu *e, uint64_t us)
{
    return rs_emu_run_until(e, e->avr->cycle + us * (RS_EMU_FREQ_HZ / 1000000u));
}

uint64_t rs_emu_cycle(const struct rs_emu *e)
{
    return e->avr->cycle;
}

double rs_emu_time_s(const struct rs_emu *e)
{
    return (double)e->avr->cycle / RS_EMU_FREQ_HZ;
}

size_t rs_emu_send(struct rs_emu *e, const uint8_t *p, size_t n)
{
    return rs_emu_uart_write(&e->uart, p, n);
}

int rs_emu_eeprom_get(struct rs_emu *e, uint8_t *buf, size_t len)
{
    if (len > RS_EMU_EEPROM_SIZE)
        return -1;
    avr_eeprom_desc_t d = { .ee = buf, .offset = 0, .size = (uint32_t)len };
    return avr_ioctl(e->avr, AVR_IOCTL_EEPROM_GET, &d) < 0 ? -1 : 0;
}
