/*
 * sim_harness.c - see sim_harness.h.
 */
#include "sim_harness.h"

#include <stdlib.h>
#include <string.h>

int sim_failures;

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(p, c * elem);
    if (!q) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    *cap = c;
    return q;
}

static void on_tx(void *ctx, const uint8_t *p, size_t n)
{
    struct sim *s = ctx;
    for (size_t i = 0; i < n; i++) {
        struct rs_frame f;
        s->bytes_in++;
        if (rs_decoder_push(&s->dec, p[i], &f)) {
            s->frames = grow(s->frames, &s->cap, s->nframes + 1, sizeof *s->frames);
            s->frames[s->nframes].f = f;
            s->frames[s->nframes].cycle = rs_emu_cycle(&s->emu);
            s->nframes++;
        }
    }
}

static void on_conv(void *ctx, uint8_t ch, uint64_t cycle, int32_t value)
{
    struct sim *s = ctx;
    s->conv[ch] = grow(s->conv[ch], &s->convcap[ch], s->nconv[ch] + 1, sizeof *s->conv[ch]);
    s->conv[ch][s->nconv[ch]].cycle = cycle;
    s->conv[ch][s->nconv[ch]].value = value;
    s->nconv[ch]++;
}

static void boot(struct sim *s, struct rs_emu_model model, const uint8_t *eeprom, size_t eeprom_len,
                 uint32_t right_period_us)
{
    memset(s, 0, sizeof *s);
    rs_decoder_init(&s->dec);
    struct rs_emu_opts o = { 0 };
    const char *elf = getenv("RS_FIRMWARE_ELF");
    o.elf_path = elf && *elf ? elf : rs_emu_default_elf();
    o.model = model;
    o.eeprom = eeprom;
    o.eeprom_len = eeprom_len;
    o.on_tx = on_tx;
    o.on_conv = on_conv;
    o.ctx = s;
    o.hx_period_us[1] = right_period_us;
    if (rs_emu_init(&s->emu, &o) < 0) {
        fprintf(stderr, "cannot start the emulator\n");
        exit(1);
    }
}

void sim_boot(struct sim *s, struct rs_emu_model model, const uint8_t *eeprom, size_t eeprom_len)
{
    boot(s, model, eeprom, eeprom_len, 0);
}

void sim_boot_period(struct sim *s, struct rs_emu_model model, uint32_t right_period_us)
{
    boot(s, model, NULL, 0, right_period_us);
}

void sim_free(struct sim *s)
{
    rs_emu_free(&s->emu);
    free(s->frames);
    free(s->conv[0]);
    free(s->conv[1]);
    memset(s, 0, sizeof *s);
}

void sim_run_us(struct sim *s, uint64_t us)
{
    if (rs_emu_run_us(&s->emu, us) < 0) {
        fprintf(stderr, "FAIL: the firmware stopped at %.6f s\n", sim_t(s));
        exit(1);
    }
}

double sim_t(const struct sim *s)
{
    return rs_emu_time_s(&s->emu);
}

long sim_wait(struct sim *s, size_t from, uint8_t type, int token, uint64_t timeout_us)
{
    uint64_t end = rs_emu_cycle(&s->emu) + SIM_US(timeout_us);
    size_t i = from;
    for (;;) {
        for (; i < s->nframes; i++) {
            const struct rs_frame *f = &s->frames[i].f;
            if (f->type == type && (token < 0 || f->u.reply.token == (uint8_t)token))
                return (long)i;
        }
        if (rs_emu_cycle(&s->emu) >= end)
            return -1;
        sim_run_us(s, 50);
    }
}

void sim_send_bytes(struct sim *s, const uint8_t *p, size_t n)
{
    while (n) {
        size_t k = rs_emu_send(&s->emu, p, n);
        p += k;
        n -= k;
        if (n || rs_emu_uart_pending(&s->emu.uart))
            sim_run_us(s, 20);
    }
    while (rs_emu_uart_pending(&s->emu.uart))
        sim_run_us(s, 20);
}

void sim_send(struct sim *s, const struct rs_frame *f)
{
    uint8_t wire[RS_WIRE_MAX];
    size_t n = rs_frame_encode(f, wire);
    sim_send_bytes(s, wire, n);
}
