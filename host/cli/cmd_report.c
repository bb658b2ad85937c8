/*
 * cmd_report.c - `rollsense report FILE -o report.png`: one picture of a
 * session for the user or their physio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "cli.h"
#include "rs_replay.h"
#include "rs_report.h"
#include "rs_reader.h"

static void help(void)
{
    printf("usage: rollsense report FILE -o PNG [--font TTF]\n"
           "\n"
           "Draw the session FILE as a PNG picture: force and rolling speed over time\n"
           "with the holds shaded (blue left leg, orange right leg), and the calf map\n"
           "per leg (force x time on each spot, ankle to knee). Needs no display.\n"
           "The font is found with fontconfig (fc-match sans-serif), else DejaVu Sans;\n"
           "--font names a TTF file. A damaged session is drawn as far as it can be\n"
           "read, with a one-line note on stderr saying what was lost.\n");
}

int rs_cmd_report(int argc, char **argv)
{
    const char *file = NULL, *png = NULL, *font = NULL;
    for (int i = 1; i < argc; i++) {
        if (rs_cli_is_help(argv[i])) {
            help();
            return RS_EXIT_OK;
        }
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
            png = argv[++i];
        } else if (strcmp(argv[i], "--font") == 0 && i + 1 < argc) {
            font = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rs_cli_error("report: unknown option '%s' (try 'rollsense report --help')", argv[i]);
            return RS_EXIT_USAGE;
        } else if (!file) {
            file = argv[i];
        } else {
            rs_cli_error("report: takes one FILE, got '%s' and '%s'", file, argv[i]);
            return RS_EXIT_USAGE;
        }
    }
    if (!file || !png) {
        rs_cli_error("report: usage: rollsense report FILE -o PNG");
        return RS_EXIT_USAGE;
    }
    struct rs_replay *rp;
    char msg[640];
    if (rs_replay_open(&rp, file, NULL, msg, sizeof msg) != 0) {
        rs_cli_error("report: %s", msg);
        return RS_EXIT_FAIL;
    }
    struct rs_report_data *d = malloc(sizeof *d);
    int rc = d ? rs_report_from_replay(rp, d, msg, sizeof msg) : -1;
    if (!d)
        snprintf(msg, sizeof msg, "out of memory");
    const char *dmg = rs_reader_damage_message(rs_replay_reader(rp));
    if (dmg)
        rs_cli_error("report: %s: %s", file, dmg);
    rs_replay_close(rp);
    if (rc == 0) {
        /* Surfaces need no video subsystem; SDL_Init(0) sets up the rest. */
        SDL_Init(0);
        rc = rs_report_save_png(d, font, png, msg, sizeof msg);
        if (TTF_WasInit())
            TTF_Quit();
        SDL_Quit();
    }
    free(d);
    if (rc) {
        rs_cli_error("report: %s", msg);
        return RS_EXIT_FAIL;
    }
    return RS_EXIT_OK;
}
