/*
 * test_fw_calblock.c - the two-slot calibration block in EEPROM
 * (firmware/src/rs_calblock.c): round trip, blank and corrupt states,
 * alternation, generation wrap, failed verify, and power loss after every
 * single byte write of a save.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_hal.h"
#include "rs_calblock.h"

static struct rs_cal cal_n(int n)
{
    struct rs_cal c;
    memset(&c, 0, sizeof c);
    c.offset_left = 1000 * n - 7;
    c.offset_right = -2000 * n;
    c.scale_left = 2189.8f + (float)n;
    c.scale_right = 2100.5f - (float)n;
    c.radius_um = 65000u + (uint32_t)n;
    c.enc_dir = (n & 1) ? -1 : 1;
    memcpy(c.serial, "RS-TEST-0000", RS_SERIAL_LEN);
    c.serial[11] = (char)('0' + n % 10);
    return c;
}

static void assert_cal_eq(const struct rs_cal *a, const struct rs_cal *b)
{
    assert_int_equal(a->offset_left, b->offset_left);
    assert_int_equal(a->offset_right, b->offset_right);
    assert_memory_equal(&a->scale_left, &b->scale_left, sizeof(float));
    assert_memory_equal(&a->scale_right, &b->scale_right, sizeof(float));
    assert_int_equal(a->radius_um, b->radius_um);
    assert_int_equal(a->enc_dir, b->enc_dir);
    assert_memory_equal(a->serial, b->serial, RS_SERIAL_LEN);
}

static int run_save(struct rs_calblock *s, const struct rs_cal *c)
{
    assert_int_equal(rs_calblock_save(s, c), 0);
    for (int i = 0; i < 10000; i++) {
        int r = rs_calblock_step(s);
        if (r != RS_CALBLOCK_BUSY)
            return r;
    }
    fail_msg("save never finished");
    return 0;
}

static void test_pack_roundtrip(void **state)
{
    (void)state;
    for (int n = 0; n < 5; n++) {
        uint8_t img[RS_CALBLOCK_BLOCK];
        struct rs_cal c = cal_n(n), back;
        uint16_t gen = 0;
        rs_calblock_pack(&c, (uint16_t)(n * 1000), img);
        assert_int_equal(rs_calblock_unpack(img, &back, &gen), 0);
        assert_int_equal(gen, n * 1000);
        assert_cal_eq(&c, &back);
        /* Any single flipped bit is caught. */
        for (unsigned bit = 0; bit < RS_CALBLOCK_BLOCK * 8; bit++) {
            img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            assert_int_equal(rs_calblock_unpack(img, &back, &gen), -1);
            img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
}

static void test_states(void **state)
{
    (void)state;
    struct rs_calblock s;
    struct rs_cal c, def;
    rs_cal_defaults(&def);

    fake_reset(); /* erased EEPROM */
    assert_int_equal(rs_calblock_load(&s, &c), RS_CAL_DEFAULT);
    assert_cal_eq(&c, &def);

    fake_reset();
    fake.ee[5] = 0x12; /* garbage in slot 0 */
    assert_int_equal(rs_calblock_load(&s, &c), RS_CAL_CORRUPT);
    assert_cal_eq(&c, &def);

    /* Saves alternate between the slots; the newest wins. */
    fake_reset();
    rs_calblock_load(&s, &c);
    for (int n = 1; n <= 5; n++) {
        struct rs_cal want = cal_n(n);
        assert_int_equal(run_save(&s, &want), RS_CALBLOCK_DONE);
        struct rs_calblock s2;
        assert_int_equal(rs_calblock_load(&s2, &c), RS_CAL_OK);
        assert_cal_eq(&c, &want);
        assert_int_equal(s2.slot, (n - 1) & 1);
        assert_int_equal(s2.gen, n);
    }
    /* Corrupt the newest: the previous one is used, still "OK". */
    fake.ee[RS_CALBLOCK_SLOT0 + 10] ^= 0x40; /* gen 5 is in slot 0 */
    assert_int_equal(rs_calblock_load(&s, &c), RS_CAL_OK);
    struct rs_cal want4 = cal_n(4);
    assert_cal_eq(&c, &want4);
    /* Both corrupt: defaults, reported corrupt. */
    fake.ee[RS_CALBLOCK_SLOT1 + 3] ^= 0x01;
    assert_int_equal(rs_calblock_load(&s, &c), RS_CAL_CORRUPT);
    assert_cal_eq(&c, &def);
}

static void test_generation_wrap(void **state)
{
    (void)state;
    fake_reset();
    uint8_t img[RS_CALBLOCK_BLOCK];
    struct rs_cal a = cal_n(1), b = cal_n(2), c;
    rs_calblock_pack(&a, 0xffffu, img);
    memcpy(&fake.ee[RS_CALBLOCK_SLOT0], img, sizeof img);
    rs_calblock_pack(&b, 0x0000u, img); /* one newer than 0xffff */
    memcpy(&fake.ee[RS_CALBLOCK_SLOT1], img, sizeof img);
    struct rs_calblock s;
    assert_int_equal(rs_calblock_load(&s, &c), RS_CAL_OK);
    assert_cal_eq(&c, &b);
}

static void test_busy_and_verify(void **state)
{
    (void)state;
    fake_reset();
    struct rs_calblock s;
    struct rs_cal c = cal_n(3);
    rs_calblock_load(&s, &c);
    fake.ee_busy_polls = 3; /* each write keeps the EEPROM busy for 3 polls */
    assert_int_equal(rs_calblock_save(&s, &c), 0);
    assert_int_equal(rs_calblock_save(&s, &c), -1); /* one at a time */
    int r, steps = 0;
    while ((r = rs_calblock_step(&s)) == RS_CALBLOCK_BUSY)
        steps++;
    assert_int_equal(r, RS_CALBLOCK_DONE);
    assert_true(steps >= (int)RS_CALBLOCK_BLOCK * 4 - 4);
    assert_int_equal(rs_calblock_step(&s), RS_CALBLOCK_IDLE);

    fake.ee_busy_polls = 0;
    fake.ee_fail = 1; /* writes do not stick */
    struct rs_cal d = cal_n(4);
    assert_int_equal(run_save(&s, &d), RS_CALBLOCK_FAILED);
    struct rs_cal back;
    assert_int_equal(rs_calblock_load(&s, &back), RS_CAL_OK);
    assert_cal_eq(&back, &c);
}

/* Power lost after k byte writes, for every k: the block loaded afterwards
 * is exactly the old one or exactly the new one. */
static void test_power_loss_every_byte(void **state)
{
    (void)state;
    for (int history = 0; history < 3; history++) {
        for (long k = 0; k <= (long)RS_CALBLOCK_BLOCK + 1; k++) {
            fake_reset();
            struct rs_calblock s;
            struct rs_cal c;
            rs_calblock_load(&s, &c);
            struct rs_cal old = cal_n(10), neu = cal_n(11);
            /* history: 0 = one old block; 1-2 = older generations in both slots */
            for (int h = 0; h < history; h++) {
                struct rs_cal older = cal_n(20 + h);
                assert_int_equal(run_save(&s, &older), RS_CALBLOCK_DONE);
            }
            assert_int_equal(run_save(&s, &old), RS_CALBLOCK_DONE);
            fake.ee_power_after = fake.ee_writes + k;
            run_save(&s, &neu);
            struct rs_calblock s2;
            struct rs_cal got;
            assert_int_equal(rs_calblock_load(&s2, &got), RS_CAL_OK);
            int is_old = !memcmp(&got.offset_left, &old.offset_left, 4) && got.radius_um == old.radius_um;
            int is_new = !memcmp(&got.offset_left, &neu.offset_left, 4) && got.radius_um == neu.radius_um;
            assert_true(is_old || is_new);
            assert_cal_eq(&got, is_old ? &old : &neu);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_roundtrip),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_generation_wrap),
        cmocka_unit_test(test_busy_and_verify),
        cmocka_unit_test(test_power_loss_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
