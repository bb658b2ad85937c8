/*
 * cmd_demo.c - `rollsense demo`: the built-in simulated roller.
 *
 * Placeholder until the simulated user and the window exist: it generates a
 * slow rolling motion at 80 Hz, sends it through the real frame encoder and
 * decoder, and prints each decoded frame as a JSON line in real time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "frame_json.h"
#include "rs_proto.h"

static void help(void)
{
    printf("usage: rollsense demo [--seconds N]\n"
           "\n"
           "Run the built-in simulated roller and print its decoded frames as JSON\n"
           "lines in real time (80 per second). --seconds stops after N seconds;\n"
           "by default it runs until interrupted (Ctrl-C).\n");
}

int rs_cmd_demo(int argc, char **argv)
{
    double seconds = -1;
    for (int i = 1; i < argc; i++) {
        if (rs_cli_is_help(argv[i])) {
            help();
            return RS_EXIT_OK;
        }
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end || seconds < 0) {
                rs_cli_error("demo: --seconds wants a number >= 0, got '%s'", argv[i]);
                return RS_EXIT_USAGE;
            }
            continue;
        }
        rs_cli_error("demo: unknown argument '%s' (try 'rollsense demo --help')", argv[i]);
        return RS_EXIT_USAGE;
    }

    struct rs_decoder dec;
    rs_decoder_init(&dec);
    uint8_t wire[RS_WIRE_MAX];
    char line[512];
    const uint32_t period_us = 12500;
    for (uint32_t seq = 0; seconds < 0 || seq * (period_us / 1e6) < seconds; seq++) {
        double t = seq * (period_us / 1e6);
        struct rs_frame f = { .type = RS_FT_SAMPLE };
        f.u.sample.seq = seq;
        f.u.sample.t_us = seq * period_us;
        f.u.sample.left = (int32_t)(80000 + 30000 * sin(t * 0.5));
        f.u.sample.right = (int32_t)(20000 + 5000 * sin(t * 0.5));
        f.u.sample.enc = (int32_t)(16384 * 0.4 * sin(t * 0.6));
        size_t n = rs_frame_encode(&f, wire);
        struct rs_frame out;
        for (size_t i = 0; i < n; i++)
            if (rs_decoder_push(&dec, wire[i], &out))
                puts(rs_frame_json(&out, line, sizeof line));
        fflush(stdout);
        struct timespec ts = { 0, (long)period_us * 1000 };
        nanosleep(&ts, NULL);
    }
    return RS_EXIT_OK;
}
