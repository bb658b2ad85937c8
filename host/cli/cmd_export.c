/*
 * cmd_export.c - `rollsense export FILE --csv DIR`: a session as
 * samples.csv, events.csv and summary.json for spreadsheets and pandas.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "cli.h"
#include "rs_columns.h"
#include "rs_export.h"
#include "rs_reader.h"

static void help(void)
{
    printf("usage: rollsense export FILE --csv DIR\n"
           "\n"
           "Write the session FILE as three files in DIR (created if missing):\n"
           "  samples.csv   one row per sample: host receive time (ISO 8601 with UTC\n"
           "                offset), device time in s, seq, raw left/right bridge counts,\n"
           "                encoder counts (16384 per turn), status bits; then the\n"
           "                detectors' values: left_N, right_N, total_N (calibrated,\n"
           "                auto-zeroed), bw_pct, position_cm (along the calf from the\n"
           "                Achilles end), velocity_cm_s (+ towards the knee)\n"
           "  events.csv    gaps, detector events, marks and device frames, with their\n"
           "                data as JSON text\n"
           "  summary.json  summary and snapshot (device, calibration, profile,\n"
           "                thresholds, software)\n"
           "Units are in the column names. A damaged session is exported as far as it\n"
           "can be read, with a one-line note on stderr saying what was lost.\n");
}

int rs_cmd_export(int argc, char **argv)
{
    const char *file = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (rs_cli_is_help(argv[i])) {
            help();
            return RS_EXIT_OK;
        }
        if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rs_cli_error("export: unknown option '%s' (try 'rollsense export --help')", argv[i]);
            return RS_EXIT_USAGE;
        } else if (!file) {
            file = argv[i];
        } else {
            rs_cli_error("export: takes one FILE, got '%s' and '%s'", file, argv[i]);
            return RS_EXIT_USAGE;
        }
    }
    if (!file || !dir) {
        rs_cli_error("export: usage: rollsense export FILE --csv DIR");
        return RS_EXIT_USAGE;
    }
    struct rs_reader *s;
    char msg[640];
    if (rs_reader_open(&s, file, msg, sizeof msg) != 0) {
        rs_cli_error("export: %s", msg);
        return RS_EXIT_FAIL;
    }
    struct rs_export_stats st;
    /* the pipeline is large: not on the stack */
    struct rs_columns *cc = malloc(sizeof *cc);
    if (!cc) {
        rs_reader_close(s);
        rs_cli_error("export: out of memory");
        return RS_EXIT_FAIL;
    }
    struct rs_export_columns cols;
    rs_columns_init(cc, s, &cols);
    int rc = rs_export_csv(s, file, dir, &cols, &st, msg, sizeof msg);
    bool calibrated = cc->calibrated;
    free(cc);
    const char *dmg = rs_reader_damage_message(s);
    if (dmg)
        rs_cli_error("export: %s: %s", file, dmg);
    rs_reader_close(s);
    if (rc) {
        rs_cli_error("export: %s", msg);
        return RS_EXIT_FAIL;
    }
    /* stderr is for errors and damage (one line): the calibration note goes here */
    printf("exported %llu samples and %llu events to %s%s\n", st.samples, st.events, dir,
           calibrated ? "" : " (no saved calibration in the session: the _N columns use "
                             "nominal values)");
    return RS_EXIT_OK;
}
