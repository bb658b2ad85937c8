/*
 * cli_calopt.c - the options of the calibration wizard in the live and demo
 * windows (key c; rs_run.h): --cal-step tare|span|encoder|calf (what c
 * opens), --cal-mass KG for the span, --cal-window S seconds per load
 * measurement, --cal-turns N and --cal-distance M for the encoder check.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_run.h"

int rs_cli_cal_option(int argc, char **argv, int *i, const char *who, struct rs_run_opts *ro)
{
    static const char *const names[] = { "--cal-mass", "--cal-window", "--cal-step",
                                         "--cal-turns", "--cal-distance" };
    const char *a = argv[*i];
    size_t k = 0;
    while (k < sizeof names / sizeof names[0] && strcmp(a, names[k]) != 0)
        k++;
    if (k == sizeof names / sizeof names[0])
        return 0;
    bool mass = k == 0;
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        rs_cli_error("%s: %s needs a value", who, a);
        return -1;
    }
    const char *v = argv[++*i];
    char *end;
    double x = strtod(v, &end);
    if (k == 2) {
        static const char *const steps[] = { "tare", "span", "encoder", "calf" };
        for (int s = 0; s < 4; s++)
            if (strcmp(v, steps[s]) == 0) {
                ro->cal_step = RS_RUN_CAL_TARE + s;
                return 1;
            }
        rs_cli_error("%s: --cal-step wants tare, span, encoder or calf, got '%s'", who, v);
        return -1;
    }
    if (k == 3 || k == 4) {
        /* The wizard's solver judges the values (1-100 turns, 0.2-20 m)
         * and says so on the screen; here only what is not a number. */
        if (*end || !(x > 0) || x > 1000) {
            rs_cli_error("%s: %s wants a positive number, got '%s'", who, a, v);
            return -1;
        }
        if (k == 3)
            ro->cal_turns = x;
        else
            ro->cal_distance_m = x;
        return 1;
    }
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

int rs_cli_cal_check(const char *who, const struct rs_run_opts *ro)
{
    if (ro->cal_step == RS_RUN_CAL_SPAN && !(ro->cal_mass_kg > 0)) {
        rs_cli_error("%s: --cal-step span needs --cal-mass KG", who);
        return -1;
    }
    return 0;
}
