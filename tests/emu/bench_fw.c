/*
 * bench_fw.c - rollsense-fw-bench: the firmware's CPU load at full stream
 * and its flash / static RAM use, measured on the real image in simavr.
 *
 *   rollsense-fw-bench [--seconds N] [--firmware ELF]
 *
 * CPU load = 1 - (cycles the firmware spent in idle sleep / all cycles) over
 * N simulated seconds (default 60) of streaming with the built-in motion.
 * Prints the figures; exits 1 if a budget (CPU 15 %, flash 16 KiB, static
 * RAM 1.25 KiB) is exceeded or the stream is broken, so CTest can run it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sim_avr.h>

#include "rs_emu.h"
#include "rs_proto.h"

struct bench {
    struct rs_decoder dec;
    uint64_t samples;
};

static void on_tx(void *ctx, const uint8_t *p, size_t n)
{
    struct bench *b = ctx;
    struct rs_frame f;
    for (size_t i = 0; i < n; i++)
        if (rs_decoder_push(&b->dec, p[i], &f) && f.type == RS_FT_SAMPLE)
            b->samples++;
}

int main(int argc, char **argv)
{
    double seconds = 60;
    const char *elf = rs_emu_default_elf();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--firmware") && i + 1 < argc) {
            elf = argv[++i];
        } else if (!strcmp(argv[i], "--help")) {
            printf("usage: rollsense-fw-bench [--seconds N] [--firmware ELF]\n"
                   "Prints the firmware's CPU load at full stream (emulated) and its\n"
                   "flash and static RAM use; exits 1 when over budget.\n");
            return 0;
        } else {
            fprintf(stderr, "rollsense-fw-bench: bad argument '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (seconds < 1)
        seconds = 1;

    static struct bench b;
    rs_decoder_init(&b.dec);
    struct rs_emu_opts o = { 0 };
    o.elf_path = elf;
    rs_emu_model_default(&o.model);
    o.on_tx = on_tx;
    o.ctx = &b;
    static struct rs_emu e;
    if (rs_emu_init(&e, &o) < 0)
        return 1;

    /* Skip the first second (start-up), then measure. */
    if (rs_emu_run_us(&e, 1000000) < 0)
        return 1;
    uint64_t c0 = rs_emu_cycle(&e), s0 = e.sleep_cycles, n0 = b.samples;
    clock_t w0 = clock();
    if (rs_emu_run_us(&e, (uint64_t)(seconds * 1e6)) < 0) {
        fprintf(stderr, "rollsense-fw-bench: firmware stopped\n");
        return 1;
    }
    double wall = (double)(clock() - w0) / CLOCKS_PER_SEC;
    uint64_t cycles = rs_emu_cycle(&e) - c0, idle = e.sleep_cycles - s0;
    uint64_t samples = b.samples - n0;

    /* Longest main-loop pass: awake time between two WDR instructions (the
     * loop feeds the watchdog once per pass), over 2 more simulated seconds,
     * one instruction at a time. */
    uint64_t pass_max = 0, awake = 0, end = rs_emu_cycle(&e) + 2u * RS_EMU_FREQ_HZ;
    while (rs_emu_cycle(&e) < end) {
        uint32_t pc = e.avr->pc;
        int running = e.avr->state == cpu_Running;
        if (running && e.avr->flash[pc] == 0xa8 && e.avr->flash[pc + 1] == 0x95) { /* WDR */
            if (awake > pass_max)
                pass_max = awake;
            awake = 0;
        }
        uint64_t cyc = rs_emu_cycle(&e), slept = e.sleep_cycles;
        avr_run(e.avr);
        awake += (rs_emu_cycle(&e) - cyc) - (e.sleep_cycles - slept);
    }
    double cpu = 100.0 * (1.0 - (double)idle / (double)cycles);
    double rate = (double)samples / seconds;
    uint32_t ram = e.data_bytes + e.bss_bytes;

    printf("firmware: %s\n", elf);
    printf("flash: %u bytes of 16384 (%.1f %%)\n", e.flash_bytes, 100.0 * e.flash_bytes / 16384);
    printf("static RAM: %u bytes of 1280 (%.1f %%) (data %u + bss %u)\n", ram, 100.0 * ram / 1280,
           e.data_bytes, e.bss_bytes);
    printf("CPU load at full stream: %.2f %% of 16 MHz (budget 15 %%) over %.0f simulated s\n", cpu,
           seconds);
    printf("sample rate: %.3f frames/s; decoder: %u CRC errors, %u framing errors\n", rate,
           (unsigned)b.dec.stats.crc_errors, (unsigned)b.dec.stats.framing_errors);
    printf("longest main-loop pass: %.0f us of CPU (WDR to WDR, sleep excluded)\n",
           (double)pass_max / (RS_EMU_FREQ_HZ / 1e6));
    printf("emulation speed: %.1f x real time (%.2f s CPU)\n", wall > 0 ? seconds / wall : 0.0, wall);

    int over = cpu > 15.0 || e.flash_bytes > 16384 || ram > 1280 || rate < 79.0 ||
               b.dec.stats.crc_errors || b.dec.stats.framing_errors;
    if (over)
        printf("OVER BUDGET or broken stream\n");
    rs_emu_free(&e);
    return over ? 1 : 0;
}
