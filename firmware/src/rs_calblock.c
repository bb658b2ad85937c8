/*
 * rs_calblock.c - two-slot calibration block in EEPROM (see rs_calblock.h).
 */
#include "rs_calblock.h"

#include <string.h>

#include "rs_defaults.h"
#include "rs_hal.h"

static const char default_serial[RS_SERIAL_LEN] = "unset";

void rs_cal_defaults(struct rs_cal *c)
{
    c->offset_left = 0;
    c->offset_right = 0;
    c->scale_left = RS_DEFAULT_SCALE_COUNTS_PER_N;
    c->scale_right = RS_DEFAULT_SCALE_COUNTS_PER_N;
    c->radius_um = RS_DEFAULT_RADIUS_UM;
    c->enc_dir = 1;
    memcpy(c->serial, default_serial, RS_SERIAL_LEN);
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    for (uint8_t i = 0; i < 4; i++, v >>= 8)
        *p++ = (uint8_t)v;
    return p;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint32_t f2u(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float u2f(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

void rs_calblock_pack(const struct rs_cal *c, uint16_t gen, uint8_t *img)
{
    uint8_t *p = img;
    *p++ = RS_CALBLOCK_MAGIC;
    *p++ = (uint8_t)gen;
    *p++ = (uint8_t)(gen >> 8);
    p = put32(p, (uint32_t)c->offset_left);
    p = put32(p, (uint32_t)c->offset_right);
    p = put32(p, f2u(c->scale_left));
    p = put32(p, f2u(c->scale_right));
    p = put32(p, c->radius_um);
    *p++ = (uint8_t)c->enc_dir;
    memcpy(p, c->serial, RS_SERIAL_LEN);
    p += RS_SERIAL_LEN;
    put32(p, rs_crc32(0, img, (size_t)(p - img)));
}

int8_t rs_calblock_unpack(const uint8_t *img, struct rs_cal *c, uint16_t *gen)
{
    if (img[0] != RS_CALBLOCK_MAGIC)
        return -1;
    if (rs_crc32(0, img, RS_CALBLOCK_BLOCK - 4) != get32(img + RS_CALBLOCK_BLOCK - 4))
        return -1;
    *gen = (uint16_t)(img[1] | (img[2] << 8));
    const uint8_t *p = img + 3;
    c->offset_left = (int32_t)get32(p);
    c->offset_right = (int32_t)get32(p + 4);
    c->scale_left = u2f(get32(p + 8));
    c->scale_right = u2f(get32(p + 12));
    c->radius_um = get32(p + 16);
    c->enc_dir = (int8_t)p[20];
    memcpy(c->serial, p + 21, RS_SERIAL_LEN);
    return 0;
}

static uint16_t slot_addr(uint8_t slot)
{
    return slot ? RS_CALBLOCK_SLOT1 : RS_CALBLOCK_SLOT0;
}

/* Read one slot into img; returns 1 if every byte is erased (0xFF). */
static uint8_t read_slot(uint8_t slot, uint8_t *img)
{
    uint8_t blank = 1;
    for (uint8_t i = 0; i < RS_CALBLOCK_BLOCK; i++) {
        img[i] = rs_hal_ee_read((uint16_t)(slot_addr(slot) + i));
        if (img[i] != 0xffu)
            blank = 0;
    }
    return blank;
}

uint8_t rs_calblock_load(struct rs_calblock *s, struct rs_cal *c)
{
    struct rs_cal tmp;
    uint16_t gen;
    uint8_t found = 0, blank = 1;
    s->busy = 0;
    s->gen = 0;
    s->slot = 1; /* so that the first save goes to slot 0 */
    rs_cal_defaults(c);
    for (uint8_t slot = 0; slot < 2; slot++) {
        /* s->img doubles as the read buffer: no save is running. */
        blank &= read_slot(slot, s->img);
        if (rs_calblock_unpack(s->img, &tmp, &gen) != 0)
            continue;
        if (!found || (int16_t)(gen - s->gen) > 0) {
            *c = tmp;
            s->gen = gen;
            s->slot = slot;
            found = 1;
        }
    }
    if (found)
        return RS_CAL_OK;
    return blank ? RS_CAL_DEFAULT : RS_CAL_CORRUPT;
}

int8_t rs_calblock_save(struct rs_calblock *s, const struct rs_cal *c)
{
    if (s->busy)
        return -1;
    rs_calblock_pack(c, (uint16_t)(s->gen + 1u), s->img);
    s->pos = 0;
    s->busy = 1;
    return 0;
}

int8_t rs_calblock_step(struct rs_calblock *s)
{
    if (!s->busy)
        return RS_CALBLOCK_IDLE;
    if (rs_hal_ee_busy())
        return RS_CALBLOCK_BUSY;
    uint16_t base = slot_addr(s->slot ^ 1u);
    if (s->pos < RS_CALBLOCK_BLOCK) {
        uint16_t a = (uint16_t)(base + s->pos);
        /* Skip bytes that already hold the value: less wear, faster save. */
        if (rs_hal_ee_read(a) != s->img[s->pos])
            rs_hal_ee_write(a, s->img[s->pos]);
        s->pos++;
        return RS_CALBLOCK_BUSY;
    }
    s->busy = 0;
    for (uint8_t i = 0; i < RS_CALBLOCK_BLOCK; i++)
        if (rs_hal_ee_read((uint16_t)(base + i)) != s->img[i])
            return RS_CALBLOCK_FAILED;
    s->slot ^= 1u;
    s->gen = (uint16_t)(s->gen + 1u);
    return RS_CALBLOCK_DONE;
}
