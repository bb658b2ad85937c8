/*
 * cmd_demo.c - `rollsense demo`: the simulated user on a simulated roller,
 * through the same transport (an in-process byte source), connection and
 * session path as `rollsense live`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rs_cfgfile.h"
#include "rs_conn.h"
#include "rs_link.h"
#include "rs_record.h"
#include "rs_scenario_file.h"
#include "rs_run.h"
#include "rs_session.h"
#include "rs_sim.h"
#include "rs_simroller.h"
#include "rs_rtsim.h"
#include "rs_window.h"

/* Emulated time for --fast: sleeping advances it at once. */
struct emu_clock {
    uint64_t now_us;
};

static uint64_t emu_now(void *ctx)
{
    return ((struct emu_clock *)ctx)->now_us;
}

static void emu_sleep(void *ctx, uint64_t us)
{
    ((struct emu_clock *)ctx)->now_us += us;
}

struct demo {
    struct rs_simroller roller;
    struct emu_clock clock;
    bool fast;
    int opens;
};

/* The roller is plugged in once; it is never unplugged in the demo. */
static int demo_open(void *ctx, struct rs_link **out)
{
    struct demo *d = ctx;
    struct rs_byte_source src = { .ctx = &d->roller, .produce = rs_simroller_produce,
                                  .consume = rs_simroller_consume };
    if (d->fast) {
        src.clock_ctx = &d->clock;
        src.now_us = emu_now;
        src.sleep_us = emu_sleep;
    }
    d->opens++;
    return rs_link_open_source(out, &src, "simulated");
}

static bool demo_done(void *ctx)
{
    struct demo *d = ctx;
    return d->fast && rs_simroller_done(&d->roller);
}

static void help(void)
{
    printf("usage: rollsense demo [--scenario NAME|FILE] [--routine] [--headless] [--json] [--fast]\n"
           "                      [--duration S] [--frames] [--config FILE] [--mute]\n"
           "                      [--volume 0-100] [--fullscreen] [--size WxH]\n"
           "                      [--screenshot-after N] [--screenshot-dir DIR]\n"
           "                      [--cal-step STEP] [--cal-mass KG] [--cal-window S]\n"
           "                      [--cal-turns N] [--cal-distance M] [--state-every S]\n"
           "\n"
           "Roll along with a simulated user on a simulated roller: no hardware needed.\n"
           "The built-in scenario 'demo' shows slow rolling, a 25 s and a 35 s hold, a\n"
           "too-fast pass, a third hold with the dose advice and a leg switch within\n"
           "about two minutes, then loops. The data take the same path as with a real\n"
           "roller (wire protocol, connection, detectors).\n"
           "\n"
           "  --scenario NAME|FILE  a built-in scenario (demo, quick) or a scenario file\n"
           "                        (docs/scenario-format.md); default demo\n"
           "  --routine             the guided calf routine (`rollsense routine`) done by a\n"
           "                        simulated user who follows it: warm-up, tender spots\n"
           "                        (one hold too short to count), both stretches off the\n"
           "                        roller, then the other calf (the default scenario)\n"
           "  --headless            no window (needs --json)\n"
           "  --json                JSON lines on stdout as `rollsense live` writes them\n"
           "  --fast                emulated time: as fast as possible, one pass, then\n"
           "                        the summary (with a window: 15x real time)\n"
           "  --duration S          stop after S seconds of session time\n"
           "  --frames              with --json: also every sample frame\n"
           "  --state-every S       with --json: also the live state (speed, force,\n"
           "                        position, leg, hold) every S s of device time\n"
           "  --config FILE         thresholds (docs/config.md)\n"
           "  --record PATH         record the session to PATH (a new file); by default\n"
           "                        it goes to $XDG_DATA_HOME/rollsense/sessions/\n"
           "  --no-record           do not record\n"
           "  --screenshot-after N  write a PNG screenshot before frame N, then quit\n"
           "  --mute, --volume N, --fullscreen, --size WxH, --screenshot-dir DIR\n"
           "  --renderer software|gpu  how the window draws (default: the GPU unless it\n"
           "                        is a software rasteriser such as llvmpipe)\n"
           "  --voice on|off        spoken cues after the tones (default on when\n"
           "                        espeak-ng is there; the window says when it is not)\n"
           "  --cal-mass KG         key c: tare, then span with this known mass (without\n"
           "                        it: tare only), saved on the simulated roller and\n"
           "                        used at once (docs/calibration.md)\n"
           "  --cal-step tare|span|encoder|calf   what key c opens instead (calf:\n"
           "                        the profile's calf length by rolling once)\n"
           "  --cal-window S        seconds per load measurement (default 2)\n"
           "  --cal-turns N, --cal-distance M   encoder check: turns (default 3) and a\n"
           "                        measured distance for the radius\n"
           "\n"
           "Window keys: space mark (with --routine: go on), n skip a routine step,\n"
           "c calibrate, m mute, s screenshot, f fullscreen, h help, q quit.\n"
           "Without a display use --headless --json.\n");
}

/* A built-in name or a file; parsed into *scn. Message on error. */
static int load_scenario(const char *name, struct rs_scenario *scn)
{
    char err[600];
    if (rs_scenario_load(scn, name, err, sizeof err) < 0) {
        rs_cli_error("demo: %s", err);
        return -1;
    }
    return 0;
}

/* One demo argument at argv[*i] (not a shared session option): 0, 1
 * (--help shown), or -1 (reported). */
static int demo_arg(int argc, char **argv, int *i, struct rs_run_opts *ro, bool *fast,
                    const char **scenario, struct rs_cli_session_args *sa)
{
    const char *a = argv[*i];
    if (rs_cli_is_help(a)) {
        help();
        return 1;
    }
    if (strcmp(a, "--fast") == 0 || strcmp(a, "--routine") == 0) {
        if (a[2] == 'f')
            *fast = true;
        else
            sa->routine = 1;
        return 0;
    }
    if (strcmp(a, "--scenario") != 0 && strcmp(a, "--screenshot-after") != 0) {
        rs_cli_error("demo: unknown argument '%s' (try 'rollsense demo --help')", a);
        return -1;
    }
    if (*i + 1 >= argc || argv[*i + 1][0] == '\0') {
        rs_cli_error("demo: %s needs a value", a);
        return -1;
    }
    const char *v = argv[++*i];
    if (strcmp(a, "--scenario") == 0) {
        *scenario = v;
        return 0;
    }
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 1000000) {
        rs_cli_error("demo: --screenshot-after wants a frame count >= 1, got '%s'", v);
        return -1;
    }
    ro->screenshot_after = (int)n;
    return 0;
}

/* The simulated user of the routine, from the plan in use. */
static int routine_scenario(const struct rs_routine_plan *p, struct rs_scenario *scn)
{
    if (rs_rtsim_scenario(p, scn) != 0) {
        rs_cli_error("demo: the simulated routine does not fit this plan");
        return -1;
    }
    return 0;
}

/* The simulated roller's calibration is known exactly, and so is the
 * simulated person: the demo shows calibrated units and %BW. */
static void demo_person(struct rs_session_config *scfg, const struct demo *d,
                        const struct rs_scenario *scn)
{
    struct rs_cal cal;
    rs_simroller_cal(&d->roller, &cal);
    rs_calib_from_cal(&scfg->cal, &cal, true);
    rs_profile_defaults(&scfg->prof);
    if (scn->mass_kg > 0)
        scfg->prof.body_mass_kg = scn->mass_kg;
    if (scn->calf_cm > 0)
        scfg->prof.calf_length_cm = scn->calf_cm;
}

int rs_cmd_demo(int argc, char **argv)
{
    struct rs_session_config scfg = { .mode = RS_MODE_DEMO };
    struct rs_run_opts ro = { .duration_s = -1, .who = "demo" };
    ro.wcfg.title = "rollsense demo";
    ro.wcfg.volume = 0.8f;
    bool fast = false;
    const char *scenario = NULL;
    struct rs_rec_opts rec = { .enabled = true, .path = NULL };
    struct rs_cli_session_args sa = { .rec = &rec };
    for (int i = 1; i < argc; i++) {
        int so = rs_cli_session_option(argc, argv, &i, "demo", &ro, &scfg, &sa);
        if (so < 0)
            return RS_EXIT_USAGE;
        if (so > 0)
            continue;
        int r = demo_arg(argc, argv, &i, &ro, &fast, &scenario, &sa);
        if (r != 0)
            return r > 0 ? RS_EXIT_OK : RS_EXIT_USAGE;
    }
    if (rs_cli_session_check("demo", &ro, &scfg, &sa) != 0)
        return RS_EXIT_USAGE;
    const bool headless = sa.headless;
    if (headless && ro.screenshot_after) {
        rs_cli_error("demo: --screenshot-after needs the window (drop --headless)");
        return RS_EXIT_USAGE;
    }
    static struct demo d; /* large (the scenario): not on the stack */
    memset(&d, 0, sizeof d);
    static struct rs_scenario scn;
    if (scenario || !sa.routine ? load_scenario(scenario ? scenario : "demo", &scn) != 0
                                : routine_scenario(&scfg.plan, &scn) != 0)
        return RS_EXIT_USAGE;
    if (!headless && !rs_run_have_display()) {
        rs_cli_error("demo: no display (DISPLAY and WAYLAND_DISPLAY unset); try "
                     "'tools/demo --headless --json' (it runs until Ctrl-C, --duration S or "
                     "--fast)");
        return RS_EXIT_FAIL;
    }
    /* Real time loops after a pass; --fast plays one pass and ends. */
    scn.loop = !fast;
    rs_simroller_init(&d.roller, &scn);
    d.fast = fast;

    demo_person(&scfg, &d, &scn);
    rs_cli_session_outputs(&sa, &ro, &scfg);
    ro.done = demo_done;
    ro.done_ctx = &d;
    if (fast && ro.window)
        ro.frame_step_s = 0.25; /* 15x real time at 60 frames per second */
    rs_cli_catch_signals(&ro.stop);

    struct rs_conn_config cfg = { .open_link = demo_open, .open_ctx = &d };
    if (fast) {
        cfg.clock_ctx = &d.clock;
        cfg.now_us = emu_now;
        cfg.sleep_us = emu_sleep;
    }
    struct rs_conn *c;
    struct rs_session *s = rs_cli_session_conn("demo", &scfg, &cfg, &c);
    if (!s)
        return RS_EXIT_FAIL;
    return rs_cli_record_run("demo", &rec, c, s, &ro);
}
