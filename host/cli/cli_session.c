/*
 * cli_session.c - what the session commands (live, demo, replay) share on
 * the command line: window options, signals, JSON output (the config file
 * is cli_config.c's, which analyze also uses).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_cfgfile.h"
#include "rs_record.h"
#include "rs_run.h"
#include "rs_session.h"
#include "rs_window.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

void rs_cli_catch_signals(volatile sig_atomic_t **flag)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Closing the terminal: end the session properly (summary, exit 0). */
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    *flag = &stop_requested;
}

void rs_cli_print_line(void *ctx, const char *line)
{
    FILE *out = ctx;
    fputs(line, out);
    fputc('\n', out);
    /* Nobody reads any more (`| head`): end the session like SIGTERM does,
     * instead of running on and writing into a closed pipe. */
    if (fflush(out) != 0 && errno == EPIPE)
        stop_requested = 1;
}

int rs_cli_parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (*end != 'x')
        return -1;
    long b = strtol(end + 1, &end, 10);
    if (*end || a < 320 || b < 200 || a > 8192 || b > 8192)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

int rs_cli_window_option(int argc, char **argv, int *i, const char *who,
                         struct rs_window_config *wc)
{
    const char *a = argv[*i];
    if (strcmp(a, "--mute") == 0) {
        wc->muted = true;
        return 1;
    }
    if (strcmp(a, "--fullscreen") == 0) {
        wc->fullscreen = true;
        return 1;
    }
    if (strcmp(a, "--volume") != 0 && strcmp(a, "--size") != 0 &&
        strcmp(a, "--screenshot-dir") != 0 && strcmp(a, "--renderer") != 0 &&
        strcmp(a, "--voice") != 0)
        return 0;
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        rs_cli_error("%s: %s needs a value", who, a);
        return -1;
    }
    const char *v = argv[++*i];
    if (strcmp(a, "--screenshot-dir") == 0) {
        wc->screenshot_dir = v;
    } else if (strcmp(a, "--voice") == 0) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
            rs_cli_error("%s: --voice wants on or off, got '%s'", who, v);
            return -1;
        }
        wc->no_voice = strcmp(v, "off") == 0;
    } else if (strcmp(a, "--renderer") == 0) {
        if (strcmp(v, "software") != 0 && strcmp(v, "gpu") != 0) {
            rs_cli_error("%s: --renderer wants software or gpu, got '%s'", who, v);
            return -1;
        }
        wc->renderer = v[0] == 's' ? RS_RENDERER_SOFTWARE : RS_RENDERER_GPU;
    } else if (strcmp(a, "--size") == 0) {
        if (rs_cli_parse_size(v, &wc->width, &wc->height) != 0) {
            rs_cli_error("%s: --size wants WxH (320x200 to 8192x8192), got '%s'", who, v);
            return -1;
        }
    } else {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 0 || n > 100) {
            rs_cli_error("%s: --volume wants 0 to 100, got '%s'", who, v);
            return -1;
        }
        wc->volume = (float)n / 100.0f;
    }
    return 1;
}

int rs_cli_session_option(int argc, char **argv, int *i, const char *who,
                          struct rs_run_opts *ro, struct rs_session_config *scfg,
                          struct rs_cli_session_args *sa)
{
    if (strcmp(argv[*i], "--voice") == 0)
        sa->voice_given = 1;
    int r = rs_cli_window_option(argc, argv, i, who, &ro->wcfg);
    if (r == 0)
        r = rs_cli_cal_option(argc, argv, i, who, ro);
    if (r == 0) {
        r = rs_rec_parse_opt(argc, argv, i, sa->rec);
        if (r < 0)
            rs_cli_error("%s: --record needs a PATH", who);
    }
    if (r != 0)
        return r < 0 ? -1 : 1;
    const char *a = argv[*i];
    if (strcmp(a, "--headless") == 0) {
        sa->headless = 1;
    } else if (strcmp(a, "--json") == 0) {
        sa->json = 1;
    } else if (strcmp(a, "--frames") == 0) {
        scfg->frames = true;
    } else if (strcmp(a, "--config") == 0 || strcmp(a, "--duration") == 0 ||
               strcmp(a, "--state-every") == 0) {
        if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
            rs_cli_error("%s: %s needs a value", who, a);
            return -1;
        }
        const char *v = argv[++*i];
        char *end;
        if (strcmp(a, "--config") == 0) {
            sa->config_path = v;
        } else if (strcmp(a, "--state-every") == 0) {
            /* the bounds of analyze's --state-every: one line per sample at most */
            scfg->state_every = strtod(v, &end);
            if (*end || !(scfg->state_every >= 0.0125 && scfg->state_every <= 3600)) {
                rs_cli_error("%s: --state-every wants seconds in 0.0125..3600, got '%s'", who, v);
                return -1;
            }
        } else {
            ro->duration_s = strtod(v, &end);
            if (*end || !(ro->duration_s >= 0) || ro->duration_s > 1e7) {
                rs_cli_error("%s: --duration wants seconds >= 0, got '%s'", who, v);
                return -1;
            }
        }
    } else {
        return 0;
    }
    return 1;
}

int rs_cli_session_check(const char *who, struct rs_run_opts *ro,
                         struct rs_session_config *scfg, const struct rs_cli_session_args *sa)
{
    if (rs_cli_cal_check(who, ro) != 0)
        return -1;
    if (sa->headless && !sa->json) {
        rs_cli_error("%s: --headless needs --json (there is nothing else to show)", who);
        return -1;
    }
    struct rs_rtcfg rt;
    if (rs_cli_load_config_all(who, sa->config_path, &scfg->cfg, &rt) != 0)
        return -1;
    if (rt.voice >= 0 && !sa->voice_given)
        ro->wcfg.no_voice = rt.voice == 0;
    scfg->routine = sa->routine != 0;
    scfg->plan = rt.plan;
    return 0;
}

void rs_cli_session_outputs(const struct rs_cli_session_args *sa, struct rs_run_opts *ro,
                            struct rs_session_config *scfg)
{
    if (sa->json) {
        scfg->line = rs_cli_print_line;
        scfg->line_ctx = stdout;
    }
    scfg->software = "rollsense " RS_VERSION_STRING;
    ro->window = !sa->headless;
    ro->json = sa->json;
}
