/*
 * rollsense_sim.c - `rollsense-sim SCENARIO -o FILE`: write the frames the
 * simulated user produces as a raw byte stream, exactly as a serial capture of
 * a roller would look (COBS frames with CRC), for tests and demos.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rs_proto.h"
#include "rs_scenario_file.h"
#include "rs_sim.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: rollsense-sim [--seconds N] [--truth] SCENARIO -o FILE\n"
            "\n"
            "SCENARIO is a scenario file (docs/scenario-format.md) or builtin:NAME.\n"
            "Writes the raw frame stream to FILE ('-' for standard output).\n"
            "--seconds N  stop after N seconds (needed for looping scenarios; default:\n"
            "             the scenario's length)\n"
            "--truth      print the true holds as JSON lines on standard error\n");
}

int main(int argc, char **argv)
{
    const char *src = NULL, *outpath = NULL;
    double seconds = -1;
    int truth = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            outpath = argv[++i];
        } else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
            char *end;
            seconds = strtod(argv[++i], &end);
            if (*end || seconds < 0) {
                fprintf(stderr, "rollsense-sim: --seconds wants a number >= 0, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--truth")) {
            truth = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "rollsense-sim: unknown option '%s'\n", argv[i]);
            return 2;
        } else if (!src) {
            src = argv[i];
        } else {
            fprintf(stderr, "rollsense-sim: one SCENARIO only\n");
            return 2;
        }
    }
    if (!src || !outpath) {
        usage(stderr);
        return 2;
    }
    if (!strncmp(src, "builtin:", 8) && !rs_scenario_builtin(src + 8)) {
        fprintf(stderr, "rollsense-sim: no built-in scenario '%s'\n", src + 8);
        return 2;
    }
    static struct rs_scenario scn;
    char err[600];
    if (rs_scenario_load(&scn, src, err, sizeof err) < 0) {
        fprintf(stderr, "rollsense-sim: %s\n", err);
        return 1;
    }
    if (scn.loop && seconds < 0) {
        fprintf(stderr, "rollsense-sim: '%s' loops: give --seconds\n", src);
        return 2;
    }
    FILE *out = strcmp(outpath, "-") ? fopen(outpath, "wb") : stdout;
    if (!out) {
        fprintf(stderr, "rollsense-sim: cannot write '%s': %s\n", outpath, strerror(errno));
        return 1;
    }
    if (truth) {
        struct rs_truth_hold h[64];
        int n = rs_scenario_holds(&scn, h, 64);
        for (int i = 0; i < n && i < 64; i++)
            fprintf(stderr, "{\"type\":\"truth_hold\",\"start\":%.4f,\"end\":%.4f,\"leg\":%d}\n",
                    h[i].start, h[i].end, h[i].leg);
    }
    struct rs_sim sim;
    rs_sim_init(&sim, &scn);
    struct rs_frame f = { .type = RS_FT_SAMPLE };
    struct rs_sim_truth tr;
    uint8_t wire[RS_WIRE_MAX];
    while (rs_sim_next(&sim, &f.u.sample, &tr)) {
        if (seconds >= 0 && tr.t >= seconds)
            break;
        size_t n = rs_frame_encode(&f, wire);
        if (fwrite(wire, 1, n, out) != n) {
            fprintf(stderr, "rollsense-sim: write error on '%s'\n", outpath);
            return 1;
        }
    }
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "rollsense-sim: write error on '%s'\n", outpath);
        return 1;
    }
    return 0;
}
