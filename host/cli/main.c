/*
 * main.c - rollsense: sensor-driven foam-rolling feedback.
 * Dispatches to one subcommand per job; see `rollsense --help`.
 *
 * Built twice (host/cli/CMakeLists.txt): rollsense-full (RS_CLI_FULL) runs
 * every command; rollsense runs the ones that draw nothing and puts
 * rollsense-full in its place for the others.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifdef RS_CLI_FULL
#define FULL(fn) fn
#else
#define FULL(fn) NULL /* rollsense-full's */
#endif

struct rs_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct rs_command commands[] = {
    { "live", FULL(rs_cmd_live), "roll with live feedback from a roller (window, or --headless --json)" },
    { "routine", FULL(rs_cmd_routine), "the guided calf routine: warm-up, tender spots, stretches, each leg" },
    { "devices", rs_cmd_devices, "list connected rollers: port, serial, firmware, calibration" },
    { "calibrate", FULL(rs_cmd_calibrate), "tare, span, encoder check, user profile, show, undo (guided)" },
    { "demo", FULL(rs_cmd_demo), "the live window on a simulated roller and user (no hardware needed)" },
    { "analyze", rs_cmd_analyze, "run the detectors over a recording: events and a session summary" },
    { "view-test", FULL(rs_cmd_view_test), "show the feedback window on a scripted session (no roller needed)" },
    { "decode", rs_cmd_decode, "print every frame of a raw captured byte stream as JSON lines" },
    { "replay", FULL(rs_cmd_replay), "replay a recorded session through the detectors (window or JSON; --compare)" },
    { "sessions", rs_cmd_sessions, "list the recorded sessions (date, duration, holds, peak)" },
    { "history", FULL(rs_cmd_history), "progress across days and the spots that keep coming back" },
    { "export", rs_cmd_export, "write a session as samples.csv, events.csv and summary.json" },
    { "report", FULL(rs_cmd_report), "draw a session's force, speed, holds and calf map as a PNG" },
};

void rs_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("rollsense: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int rs_cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: rollsense [--help] [--version] COMMAND [ARGS...]\n"
            "\n"
            "Pressure-sensing foam-roller feedback. Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "`rollsense COMMAND --help` explains one command.\n"
            "Exit codes: 0 success, 1 failure at run time, 2 bad command line.\n");
}

#ifndef RS_CLI_FULL
/* The command in argv[1] is rollsense-full's: run it in this process's
 * place, found at RS_FULL_REL from this program's directory. The path of
 * this program goes with it (RS_LAUNCHER) for --version, which looks for
 * the firmware image relative to it. Returns only if it cannot start. */
static int run_full(char **argv)
{
    char exe[PATH_MAX], path[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        rs_cli_error("%s: cannot find this program's directory: %s", argv[1], strerror(errno));
        return RS_EXIT_FAIL;
    }
    exe[n] = '\0';
    const char *slash = strrchr(exe, '/');
    snprintf(path, sizeof path, "%.*s/%s", (int)(slash - exe), exe, RS_FULL_REL);
    setenv("RS_LAUNCHER", exe, 1);
    execv(path, argv);
    rs_cli_error("%s needs %s, which could not be started: %s (reinstall rollsense)", argv[1],
                 path, strerror(errno));
    return RS_EXIT_FAIL;
}
#endif

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return RS_EXIT_OK;
    }
    const char *name = argv[1];
    if (rs_cli_is_help(name)) {
        usage(stdout);
        return RS_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
#ifdef RS_CLI_FULL
        return rs_cli_version();
#else
        return run_full(argv); /* it names SDL's versions */
#endif
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) != 0)
            continue;
#ifndef RS_CLI_FULL
        if (!commands[i].run)
            return run_full(argv);
#endif
        return commands[i].run(argc - 1, argv + 1);
    }
    if (name[0] == '-')
        rs_cli_error("unknown option '%s' (try 'rollsense --help')", name);
    else
        rs_cli_error("unknown command '%s' (try 'rollsense --help')", name);
    return RS_EXIT_USAGE;
}
