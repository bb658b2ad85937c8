/*
 * cli_calopt.c - the options of the calibration wizard in the live and demo
 * windows (key c; rs_run.h): --cal-mass KG for the span, --cal-window S
 * seconds per measurement.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_run.h"

int rs_cli_cal_option(int argc, char **argv, int *i, const char *who, struct rs_run_opts *ro)
{
    const char *a = argv[*i];
    bool mass = strcmp(a, "--cal-mass") == 0;
    if (!mass && strcmp(a, "--cal-window") != 0)
        return 0;
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        rs_cli_error("%s: %s needs a value", who, a);
        return -1;
    }
    const char *v = argv[++*i];
    char *end;
    double x = strtod(v, &end);
    if (mass) {
        /* The solver refuses masses under 2 kg with its own sentence when
         * the span starts; here only what cannot be a mass at all. */
        if (*end || !(x > 0) || x > 500) {
            rs_cli_error("%s: --cal-mass wants kilograms (0-500), got '%s'", who, v);
            return -1;
        }
        ro->cal_mass_kg = x;
    } else {
        if (*end || !(x >= 0.5) || x > 30) {
            rs_cli_error("%s: --cal-window wants seconds (0.5-30), got '%s'", who, v);
            return -1;
        }
        ro->cal_window_s = x;
    }
    return 1;
}
