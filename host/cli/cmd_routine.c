/*
 * cmd_routine.c - `rollsense routine`: the guided calf routine on a real
 * roller. The same session as `rollsense live` (options, recording, JSON
 * lines) with the routine on (host/session/rs_rtglue.h): warm-up, tender
 * spots, two timed stretches, then the other calf.
 */
#include <stdio.h>

#include "cli.h"

static void help(void)
{
    printf("usage: rollsense routine [--port PATH] [--device SERIAL] [--headless] [--json]\n"
           "                         [--duration S] [--frames] [--capture FILE] [--config FILE]\n"
           "                         [--mute] [--volume 0-100] [--fullscreen] [--size WxH]\n"
           "                         [--voice on|off] [--state-every S]\n"
           "\n"
           "The guided calf routine on the roller, one calf then the other: warm-up rolling\n"
           "(75 s), two or three tender spots held 15-30 s (the detected holds tick them\n"
           "off; a shorter hold does not count), then two stretches away from the roller,\n"
           "knee straight and knee bent, each timed (2 x 30 s). A stretch repetition starts\n"
           "with space or by stepping off the roller, after a 3 s countdown. Durations,\n"
           "repetitions and the first leg come from the config file (routine_* keys,\n"
           "docs/config.md). Every step change sounds a tone and a spoken phrase.\n"
           "\n"
           "  --port PATH      serial port or pseudo-terminal to use\n"
           "  --device SERIAL  the roller with this serial number\n"
           "  --headless       no window (needs --json)\n"
           "  --json           JSON lines on stdout as `rollsense live` writes them, and a\n"
           "                   routine_step object at each step end, routine_done at the end\n"
           "  --duration S     stop after S seconds\n"
           "  --frames         also one object per sample frame\n"
           "  --state-every S  also the live state every S seconds of device time\n"
           "  --capture FILE   also write every byte read from the port to FILE\n"
           "  --config FILE    thresholds and the routine's plan (docs/config.md)\n"
           "  --record PATH    record the session to PATH (default: the sessions folder)\n"
           "  --no-record      do not record\n"
           "  --mute, --volume N, --fullscreen, --size WxH   window and cues\n"
           "  --renderer software|gpu  how the window draws\n"
           "  --voice on|off   spoken phrases after the tones (config key voice)\n"
           "  --cal-mass KG, --cal-step STEP, --cal-window S, --cal-turns N,\n"
           "  --cal-distance M   key c: the calibration wizard, as in `rollsense live`\n"
           "\n"
           "Window keys: space go on (end the warm-up, enough spots, start a stretch\n"
           "now), n skip this step, c calibrate, m mute, s screenshot, f fullscreen,\n"
           "h help, q quit. Exit codes as `rollsense live`.\n");
}

int rs_cmd_routine(int argc, char **argv)
{
    return rs_cli_live_main(argc, argv, "routine", 1, help);
}
