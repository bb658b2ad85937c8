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
int rs_cmd_calibrate(int argc, char **argv);

/* Print "rollsense: <message>" as one line on stderr. */
void rs_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when arg is -h or --help. */
int rs_cli_is_help(const char *arg);

#endif
