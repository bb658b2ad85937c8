/*
 * fake_hal.c - host implementation of rs_hal.h for tests (see fake_hal.h).
 */
#include "fake_hal.h"

#include "rs_enc.h"

#include <string.h>

struct fake_hal fake;

void fake_reset(void)
{
    memset(&fake, 0, sizeof fake);
    memset(fake.ee, 0xff, sizeof fake.ee);
    fake.ee_power_after = -1;
    fake.hx[0].mode = fake.hx[1].mode = FAKE_HX_OK;
    rs_decoder_init(&fake.dec);
    memcpy(fake.serial, "FAKE-0000001", sizeof fake.serial);
}

void fake_hx_convert(int ch, int32_t value)
{
    fake.hx[ch].value = (uint32_t)value & 0xffffffu;
    fake.hx[ch].ready = 1;
    fake.hx[ch].clocks = 0;
}

uint32_t rs_hal_now_us(void)
{
    return fake.now_us;
}

uint8_t rs_hal_hx_dout(uint8_t ch)
{
    struct fake_hx *h = &fake.hx[ch];
    if (h->mode == FAKE_HX_ABSENT)
        return 1;
    if (h->mode == FAKE_HX_STUCK)
        return 0;
    if (h->clocks >= 1 && h->clocks <= 24)
        return (h->value >> (24 - h->clocks)) & 1u;
    return h->ready && h->clocks == 0 ? 0 : 1;
}

uint32_t rs_hal_hx_stamp(uint8_t ch)
{
    return fake.hx[ch].stamp ? fake.hx[ch].stamp : fake.now_us;
}

/* The chip side of the bit-level protocol, driven by fake_sck(). */
static void fake_sck(uint8_t ch, uint8_t level)
{
    struct fake_hx *h = &fake.hx[ch];
    if (level && !h->sck && h->mode == FAKE_HX_OK && h->ready) {
        h->clocks++;
        if (h->clocks == 25) {
            h->ready = 0;
            h->clocks = 0;
            h->reads++;
        }
    }
    h->sck = level;
}

/* The same clocking as the firmware's HAL, against the fake chip. */
uint32_t rs_hal_hx_read(uint8_t ch)
{
    uint32_t v = 0;
    for (int i = 0; i < 24; i++) {
        fake_sck(ch, 1);
        v = (v << 1) | rs_hal_hx_dout(ch);
        fake_sck(ch, 0);
    }
    fake_sck(ch, 1);
    fake_sck(ch, 0);
    return v;
}

void rs_hal_enc_start(uint16_t out)
{
    if (!fake.enc_powered || fake.now_us - fake.enc_on_us < RS_ENC_POWERUP_US)
        fake.enc_early++;
    fake.enc_sent[fake.enc_sent_n++ % 64] = out;
    fake.enc_state = fake.enc_hang ? RS_ENC_XFER_BUSY : RS_ENC_XFER_DONE;
}

uint8_t rs_hal_enc_poll(uint16_t *reply)
{
    if (fake.enc_state == RS_ENC_XFER_DONE) {
        *reply = fake.enc_reply;
        fake.enc_state = RS_ENC_XFER_IDLE;
        return RS_ENC_XFER_DONE;
    }
    return (uint8_t)fake.enc_state;
}

void rs_hal_enc_abort(void)
{
    fake.enc_aborts++;
    fake.enc_state = RS_ENC_XFER_IDLE;
}

uint8_t rs_hal_ee_read(uint16_t addr)
{
    return fake.ee[addr & 1023u];
}

uint8_t rs_hal_ee_busy(void)
{
    if (fake.ee_busy_left > 0) {
        fake.ee_busy_left--;
        return 1;
    }
    return 0;
}

void rs_hal_ee_write(uint16_t addr, uint8_t v)
{
    fake.ee_writes++;
    fake.ee_busy_left = fake.ee_busy_polls;
    if (fake.ee_fail)
        return;
    if (fake.ee_power_after >= 0 && fake.ee_writes > fake.ee_power_after)
        return;
    fake.ee[addr & 1023u] = v;
}

int8_t rs_hal_send(const uint8_t *wire, uint8_t n)
{
    if (fake.send_fail)
        return -1;
    for (uint8_t i = 0; i < n; i++) {
        struct rs_frame f;
        if (rs_decoder_push(&fake.dec, wire[i], &f) && fake.nframes < FAKE_FRAMES_MAX)
            fake.frames[fake.nframes++] = f;
    }
    return 0;
}

void rs_hal_led(uint8_t on)
{
    fake.led = on;
}

unsigned fake_count(uint8_t type, unsigned from)
{
    unsigned n = 0;
    for (unsigned i = from; i < fake.nframes; i++)
        n += fake.frames[i].type == type;
    return n;
}

int fake_find(uint8_t type, unsigned from)
{
    for (unsigned i = from; i < fake.nframes; i++)
        if (fake.frames[i].type == type)
            return (int)i;
    return -1;
}

/* The encoder's supply switch; switching it either way forgets a frame. */
void rs_hal_enc_power(uint8_t on)
{
    fake.enc_power_calls++;
    fake.enc_state = RS_ENC_XFER_IDLE;
    if (on && !fake.enc_powered)
        fake.enc_on_us = fake.now_us;
    fake.enc_powered = on ? 1 : 0;
}

/* PD_SCK held high powers the chips down; low wakes them. */
void rs_hal_hx_power(uint8_t on)
{
    fake.hx_power_calls++;
    fake.hx_power_off = !on;
    for (int ch = 0; ch < 2; ch++) {
        fake.hx[ch].sck = !on;
        fake.hx[ch].clocks = 0;
        if (!on)
            fake.hx[ch].ready = 0; /* a powered-down chip forgets its conversion */
    }
}

void rs_hal_serial(char out[12])
{
    memcpy(out, fake.serial, sizeof fake.serial);
}
