/*
 * cli.h - subcommands of the rollsense program and their shared conventions.
 *
 * Exit codes (documented in README.md):
 *   0  success
 *   1  the work failed at run time (file unreadable, device lost, ...)
 *   2  bad command line (unknown subcommand, bad option or value)
 * Every error is one line on stderr starting with "rollsense: ".
 */
#ifndef RS_CLI_H
#define RS_CLI_H

enum { RS_EXIT_OK = 0, RS_EXIT_FAIL = 1, RS_EXIT_USAGE = 2 };

/* Each subcommand gets argv[0] = its own name. */
int rs_cmd_decode(int argc, char **argv);
int rs_cmd_demo(int argc, char **argv);
int rs_cmd_analyze(int argc, char **argv);
int rs_cmd_view_test(int argc, char **argv);
int rs_cmd_devices(int argc, char **argv);
int rs_cmd_live(int argc, char **argv);
int rs_cmd_export(int argc, char **argv);
int rs_cmd_report(int argc, char **argv);
int rs_cmd_sessions(int argc, char **argv);
int rs_cmd_history(int argc, char **argv);
int rs_cmd_calibrate(int argc, char **argv);
int rs_cmd_replay(int argc, char **argv);
int rs_cmd_routine(int argc, char **argv);

/* `rollsense live` and `rollsense routine` (the same session with the
 * guided routine on): who names the command in messages and help. */
int rs_cli_live_main(int argc, char **argv, const char *who, int routine, void (*help_fn)(void));

/* Print "rollsense: <message>" as one line on stderr. */
void rs_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when arg is -h or --help. */
int rs_cli_is_help(const char *arg);

/* `rollsense --version` (cli_version.c): versions and the firmware image check. */
int rs_cli_version(void);

/* ---- shared by the session commands (cli_session.c) ---- */
#include <signal.h>

struct rs_config;
struct rs_window_config;

/* SIGINT/SIGTERM set *flag (returned); SIGPIPE is ignored. */
void rs_cli_catch_signals(volatile sig_atomic_t **flag);
/* A JSON line to ctx (a FILE *), flushed: the line callback of rs_session. */
void rs_cli_print_line(void *ctx, const char *line);
/* Thresholds from --config PATH (or NULL: the XDG default file if present).
 * A bad or unreadable file: one line on stderr, returns -1 (exit 2). */
int rs_cli_load_config(const char *who, const char *path, struct rs_config *cfg);
/* The same, with the routine's keys and `voice` (rs_rtcfg.h) into rt. */
struct rs_rtcfg;
int rs_cli_load_config_all(const char *who, const char *path, struct rs_config *cfg,
                           struct rs_rtcfg *rt);
/* "WxH" within 320x200..8192x8192 into *w, *h; 0, or -1 if malformed. */
int rs_cli_parse_size(const char *s, int *w, int *h);

/* Window options --mute, --fullscreen, --volume N, --size WxH,
 * --screenshot-dir D, --renderer software|gpu at argv[*i]: 1 consumed (and *i advanced past a
 * value), 0 not a window option, -1 bad value (reported). */
int rs_cli_window_option(int argc, char **argv, int *i, const char *who,
                         struct rs_window_config *wc);

/* ---- the options every session command (live, demo) shares ---- */
struct rs_session_config;
struct rs_rec_opts;
struct rs_run_opts;
struct rs_cli_session_args {
    int headless, json;
    const char *config_path;
    struct rs_rec_opts *rec;   /* the caller's, default enabled */
    int voice_given;           /* --voice was on the command line (wins over the config) */
    int routine;               /* the guided routine (routine, demo --routine): set by the caller */
};
/* Window, calibration-wizard and recording options, --headless, --json,
 * --frames, --config FILE, --duration S, --state-every S at argv[*i]: 1 consumed (and *i
 * advanced past a value), 0 not one of them, -1 bad value (reported). */
int rs_cli_session_option(int argc, char **argv, int *i, const char *who,
                          struct rs_run_opts *ro, struct rs_session_config *scfg,
                          struct rs_cli_session_args *sa);
/* After parsing: checks the options fit together and loads the config into
 * scfg. 0, or -1 (reported: exit 2). */
int rs_cli_session_check(const char *who, struct rs_run_opts *ro,
                         struct rs_session_config *scfg, const struct rs_cli_session_args *sa);
/* The session's outputs from the options: JSON lines on stdout with --json,
 * the window unless --headless; the software's name for the snapshot. */
void rs_cli_session_outputs(const struct rs_cli_session_args *sa, struct rs_run_opts *ro,
                            struct rs_session_config *scfg);

/* ---- recording for live and demo (cli_record.c) ---- */
struct rs_rec_opts;
struct rs_session;
struct rs_run_opts;
struct rs_conn;
/* Record s when opts say so, run it (rs_run) to its end, stop recording,
 * then free c and s: the end of live and demo. An error is one line on
 * stderr. RS_EXIT_OK or RS_EXIT_FAIL. */
int rs_cli_record_run(const char *who, const struct rs_rec_opts *opts, struct rs_conn *c,
                      struct rs_session *s, struct rs_run_opts *ro);
struct rs_conn_config;
/* A new session from scfg and a connection (cfg) feeding it, for live and
 * demo: the session, with *c set; NULL with "WHO: out of memory" on stderr
 * and nothing left allocated. */
struct rs_session *rs_cli_session_conn(const char *who, const struct rs_session_config *scfg,
                                       const struct rs_conn_config *cfg, struct rs_conn **c);

/* ---- the calibration wizard in the live/demo window (cli_calopt.c) ---- */
/* --cal-step, --cal-mass, --cal-window, --cal-turns, --cal-distance at
 * argv[*i] into ro: 1 consumed (and *i advanced past the value), 0 not one
 * of them, -1 bad value (reported). */
int rs_cli_cal_option(int argc, char **argv, int *i, const char *who, struct rs_run_opts *ro);
/* After parsing: 0, or -1 (reported) when they do not fit together. */
int rs_cli_cal_check(const char *who, const struct rs_run_opts *ro);

#endif
