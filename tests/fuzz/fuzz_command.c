/*
 * fuzz_command.c - libFuzzer target for the firmware's command handling:
 * the real firmware/src logic (rs_dev, rs_serial, rs_calblock, ...) on the
 * fake HAL of tests/fwunit, fed host bytes.
 *
 * The input drives one device from boot: its first byte picks the form of
 * the rest, raw wire bytes (through the command link's COBS decoder, in
 * chunks, with time advancing and answers flushed between them) or
 * structured command frames handed straight to rs_dev_command (the fuzzer
 * then reaches every command and argument without having to learn CRCs).
 * Checked: no crash, no undefined behaviour (ASan + UBSan), every call
 * returns (the loop is bounded), and the device keeps its answers bounded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake_hal.h"
#include "rs_dev.h"

static struct rs_dev dev;
static struct rs_cmd_link link;

static void run_raw(const uint8_t *p, size_t n)
{
    uint32_t now = 1000;
    size_t i = 0;
    int stuck = 0;
    while (i < n && stuck < 4) {
        uint8_t chunk = (uint8_t)(n - i > 48 ? 48 : n - i);
        uint8_t used = rs_dev_rx_bytes(&dev, &link, p + i, chunk);
        i += used;
        stuck = used ? 0 : stuck + 1;
        now += 12500;
        fake.now_us = now;
        rs_dev_housekeeping(&dev, now);
        rs_dev_flush(&dev);
        fake.nframes = 0; /* keep the capture ring from filling */
    }
}

static void run_frames(const uint8_t *p, size_t n)
{
    uint32_t now = 1000;
    /* Each frame: type, then the command union's bytes. */
    while (n >= 2) {
        struct rs_frame f;
        memset(&f, 0, sizeof f);
        f.type = (uint8_t)(RS_FT_CMD_START + p[0] % 12);
        size_t take = n - 1 < sizeof f.u.cmd ? n - 1 : sizeof f.u.cmd;
        memcpy(&f.u.cmd, p + 1, take);
        p += 1 + take;
        n -= 1 + take;
        rs_dev_command(&dev, &f);
        now += 12500;
        fake.now_us = now;
        rs_dev_housekeeping(&dev, now);
        rs_dev_flush(&dev);
        fake.nframes = 0; /* keep the capture ring from filling */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    fake_reset();
    rs_dev_init(&dev, 0, data[0] & 1);
    rs_cmd_link_init(&link);
    if (data[0] & 2)
        run_frames(data + 1, size - 1);
    else
        run_raw(data + 1, size - 1);
    return 0;
}
