/*
 * emu_parts.c - virtual HX711 and AS5048A parts (see emu_parts.h).
 */
#include <math.h>
#include <string.h>

#include <avr_ioport.h>
#include <avr_spi.h>
#include <sim_avr.h>
#include <sim_cycle_timers.h>
#include <sim_io.h>
#include <sim_irq.h>
#include <sim_time.h>

#include "emu_pins.h"
#include "rs_emu.h"

/* ---- HX711 ------------------------------------------------------------------ */

static void hx_set_dout(struct rs_emu_hx *h, uint8_t level)
{
    h->dout_level = level;
    rs_emu_drive_pin(h->emu, h->ch == 0 ? "HX_L_DOUT" : "HX_R_DOUT", level);
}

static avr_cycle_count_t hx_convert(struct avr_t *avr, avr_cycle_count_t when, void *param)
{
    struct rs_emu_hx *h = param;
    struct rs_emu_phys p;
    rs_emu_phys(h->emu, &p);
    uint8_t mode = !p.hx_ok[h->ch] ? RS_HX_ABSENT : p.hx_stuck[h->ch] ? RS_HX_STUCK : RS_HX_OK;
    h->mode = mode;
    if (mode == RS_HX_ABSENT) {
        hx_set_dout(h, 1);
    } else if (mode == RS_HX_STUCK) {
        hx_set_dout(h, 0);
    } else if (h->clocks == 0 || h->clocks >= 25) {
        if (h->clocks == 0 && h->dout_level == 0 && h->conversions)
            h->missed++; /* previous result never read: overwritten */
        h->latched = rs_emu_hx_counts(h->emu, h->ch, &p);
        h->clocks = 0;
        h->conversions++;
        if (h->emu->opts.on_conv)
            h->emu->opts.on_conv(h->emu->opts.ctx, h->ch, avr->cycle, h->latched);
        hx_set_dout(h, 0);
    } else {
        h->missed++; /* a read is in progress: this conversion is lost */
    }
    return when + avr_usec_to_cycles(avr, h->period_us);
}

static void hx_sck(struct avr_irq_t *irq, uint32_t value, void *param)
{
    struct rs_emu_hx *h = param;
    if (!value || irq->value) /* rising edges only; irq->value is the old level */
        return;
    if (h->mode != RS_HX_OK)
        return;
    if (h->clocks < 24) {
        hx_set_dout(h, (uint8_t)(((uint32_t)h->latched >> (23 - h->clocks)) & 1u));
        h->clocks++;
    } else if (h->clocks == 24) {
        h->clocks = 25;
        h->reads++;
        hx_set_dout(h, 1);
    }
}

void rs_emu_hx_attach(struct rs_emu_hx *h, struct rs_emu *e, uint8_t ch)
{
    memset(h, 0, sizeof *h);
    h->emu = e;
    h->ch = ch;
    h->period_us = e->opts.hx_period_us[ch] ? e->opts.hx_period_us[ch] : 12500u;
    h->phase_us = e->opts.hx_phase_us[ch] ? e->opts.hx_phase_us[ch] : (ch == 0 ? 3000u : 2000u);
    h->clocks = 25;
    hx_set_dout(h, 1);
    avr_irq_register_notify(rs_emu_pin_irq(e, ch == 0 ? "HX_L_SCK" : "HX_R_SCK"), hx_sck, h);
    avr_cycle_timer_register_usec(e->avr, h->phase_us, hx_convert, h);
}

/* ---- AS5048A ------------------------------------------------------------------ */

int64_t rs_emu_angle_count(double angle_rad)
{
    return (int64_t)floor(angle_rad / 6.283185307179586 * 16384.0);
}

uint16_t rs_emu_angle_code(double angle_rad)
{
    return (uint16_t)((uint64_t)rs_emu_angle_count(angle_rad) & 0x3fffu);
}

static uint16_t with_parity(uint16_t w)
{
    uint16_t x = w & 0x7fffu, p = 0;
    for (; x; x >>= 1)
        p ^= x & 1u;
    return (uint16_t)((w & 0x7fffu) | (p << 15));
}

static uint32_t enc_rand(struct rs_emu_enc *c)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 17;
    c->rng ^= c->rng << 5;
    return c->rng;
}

/* A command frame is complete: prepare the answer for the next frame. */
static void enc_command(struct rs_emu_enc *c, uint16_t cmd)
{
    struct rs_emu_phys p;
    rs_emu_phys(c->emu, &p);
    uint16_t data = 0;
    if (with_parity(cmd) != cmd) {
        c->error = 1; /* parity error in the command */
    } else if (cmd & 0x4000u) {
        switch (cmd & 0x3fffu) {
        case 0x3fffu:
            c->angle_reads++;
            data = p.magnet_ok ? rs_emu_angle_code(p.angle_rad) : (uint16_t)(enc_rand(c) & 0x3fffu);
            break;
        case 0x3ffdu:
            data = p.magnet_ok ? (uint16_t)(0x0100u | 0x80u) : (uint16_t)(0x0800u | 0x0100u | 0xffu);
            break;
        case 0x0001u:
            data = c->error ? 0x0002u : 0; /* parity error bit */
            c->error = 0;
            break;
        default:
            data = 0;
            break;
        }
    }
    uint16_t reply = (uint16_t)(data & 0x3fffu);
    if (c->error && (cmd & 0x3fffu) != 0x0001u)
        reply |= 0x4000u;
    reply = with_parity(reply);
    if (c->corrupt) {
        c->corrupt--;
        reply ^= 0x8000u;
    }
    c->reply = reply;
}

/* The supply switch: ENC_PWR low powers the encoder. */
static void enc_pwr(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    struct rs_emu_enc *c = param;
    if (!value && !c->powered) {
        c->powered = 1;
        c->on_cycle = c->emu->avr->cycle;
        c->reply = with_parity(0); /* a fresh chip was asked nothing */
        c->error = 0;
    } else if (value) {
        c->powered = 0;
    }
}

static void enc_cs(struct avr_irq_t *irq, uint32_t value, void *param)
{
    struct rs_emu_enc *c = param;
    if (!value && irq->value && (!c->powered || c->emu->avr->cycle - c->on_cycle <
                                 avr_usec_to_cycles(c->emu->avr, RS_EMU_ENC_POWERUP_US)))
        c->early_frames++;
    if (!c->powered) {
        c->cs_low = 0;
        return;
    }
    if (!value && irq->value) { /* falling: frame starts */
        c->cs_low = 1;
        c->byte_idx = 0;
        c->shift_out = c->reply;
        c->shift_in = 0;
    } else if (value && !irq->value) { /* rising: frame ends */
        if (c->cs_low && c->byte_idx == 2) {
            c->frames++;
            enc_command(c, c->shift_in);
        }
        c->cs_low = 0;
    }
}

static void enc_spi(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    struct rs_emu_enc *c = param;
    uint8_t out = 0xff; /* MISO idles high when the encoder is not selected */
    if (!c->powered) {
        out = 0; /* an unpowered chip pulls nothing up */
        c->byte_idx = 0;
    } else if (c->absent) {
        c->byte_idx = 0;
    } else if (c->cs_low && c->byte_idx < 2) {
        out = c->byte_idx == 0 ? (uint8_t)(c->shift_out >> 8) : (uint8_t)c->shift_out;
        c->shift_in = (uint16_t)((c->shift_in << 8) | (value & 0xffu));
        c->byte_idx++;
    }
    avr_raise_irq(c->miso, out);
}

void rs_emu_enc_attach(struct rs_emu_enc *c, struct rs_emu *e)
{
    memset(c, 0, sizeof *c);
    c->emu = e;
    c->rng = 0x9e3779b9u;
    c->reply = with_parity(0);
    c->miso = avr_io_getirq(e->avr, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_INPUT);
    avr_irq_register_notify(avr_io_getirq(e->avr, AVR_IOCTL_SPI_GETIRQ(0), SPI_IRQ_OUTPUT), enc_spi, c);
    avr_irq_register_notify(rs_emu_pin_irq(e, "ENC_CS"), enc_cs, c);
    avr_irq_register_notify(rs_emu_pin_irq(e, "ENC_PWR"), enc_pwr, c);
}
