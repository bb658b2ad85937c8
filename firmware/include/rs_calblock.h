/*
 * rs_calblock.h - the calibration block in EEPROM: two slots, CRC-32 and a
 * generation counter, written without blocking.
 *
 * Slot layout (RS_CALBLOCK_BLOCK bytes at RS_CALBLOCK_SLOT0 / _SLOT1):
 *   [0] magic 0xC5, [1..2] generation (LE), [3..35] calibration
 *   (offset_left, offset_right, scale_left, scale_right, radius_um: 4 bytes
 *   LE each; enc_dir: 1; serial: 12), [36..39] CRC-32 of bytes 0..35.
 *
 * Power-loss rule: a save writes only the slot that does NOT hold the block
 * in use, with generation + 1, one byte per rs_calblock_step() call. Until
 * its last byte lands the half-written slot fails its CRC and the old block
 * still wins; afterwards the new one wins. So a reset at any instant leaves
 * the old or the new block, never garbage. Loading picks the valid slot with
 * the newer generation (serial-number arithmetic, so it survives wrap).
 */
#ifndef RS_CALBLOCK_H
#define RS_CALBLOCK_H

#include <stdint.h>

#include "rs_proto.h"

#define RS_CALBLOCK_MAGIC 0xc5u
#define RS_CALBLOCK_BLOCK 40u
#define RS_CALBLOCK_SLOT0 0x000u
#define RS_CALBLOCK_SLOT1 0x040u

/* Result of rs_calblock_step(). */
enum rs_calblock_result {
    RS_CALBLOCK_IDLE = 0,   /* no save running */
    RS_CALBLOCK_BUSY = 1,   /* save in progress */
    RS_CALBLOCK_DONE = 2,   /* save finished and verified (reported once) */
    RS_CALBLOCK_FAILED = -1 /* verify failed (reported once) */
};

struct rs_calblock {
    uint8_t img[RS_CALBLOCK_BLOCK]; /* block being written */
    uint16_t gen;      /* generation of the block in use */
    uint8_t slot;      /* slot holding the block in use (0/1) */
    uint8_t pos;       /* next byte to write; RS_CALBLOCK_BLOCK = verify */
    uint8_t busy;
};

/* Defaults used without a valid block. */
void rs_cal_defaults(struct rs_cal *c);

/* Pack / unpack one slot image (exposed for tests). */
void rs_calblock_pack(const struct rs_cal *c, uint16_t gen, uint8_t *img);
/* Returns 0 and fills *c, *gen if img is a valid block, else -1. */
int8_t rs_calblock_unpack(const uint8_t *img, struct rs_cal *c, uint16_t *gen);

/* Read both slots; fill *c (defaults if none is valid). Returns enum
 * rs_cal_state: OK, DEFAULT (both slots blank) or CORRUPT. */
uint8_t rs_calblock_load(struct rs_calblock *s, struct rs_cal *c);

/* Start saving c. Returns 0, or -1 if a save is already running. */
int8_t rs_calblock_save(struct rs_calblock *s, const struct rs_cal *c);

/* Advance a running save by at most one byte write; never waits. */
int8_t rs_calblock_step(struct rs_calblock *s);

#endif
