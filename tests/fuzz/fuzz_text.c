/*
 * fuzz_text.c - libFuzzer targets for the text-file parsers: the config
 * (rs_config_parse), scenario files (rs_scenario_parse), calibration files
 * (rs_calstore_parse) and profiles (rs_profiles_parse). One source, one
 * parser per binary (-DRS_FUZZ_CONFIG, _SCENARIO, _CALFILE, _PROFILES).
 *
 * Contract checked: any bytes give 0 or a negative code with a one-line
 * message (no newline, no raw control byte), never a crash, leak or
 * undefined behaviour (ASan + UBSan); a failed parse leaves its output as it
 * was (nothing half-applied) where the parser promises that.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(RS_FUZZ_CONFIG)
#include "rs_config.h"
#include "rs_rtcfg.h"
#elif defined(RS_FUZZ_SCENARIO)
#include "rs_sim.h"
#elif defined(RS_FUZZ_CALFILE)
#include "rs_calstore.h"
#elif defined(RS_FUZZ_PROFILES)
#include "rs_profiles.h"
#endif

/* One line, nothing that could drive a terminal. */
static void check_message(const char *m)
{
    for (const unsigned char *p = (const unsigned char *)m; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == 0x1b)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The file readers refuse NUL bytes before a parser sees the text, so
     * the parsers get NUL-terminated text without inner NULs. */
    if (size > 65536 || memchr(data, 0, size))
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char msg[2048] = "";
#if defined(RS_FUZZ_CONFIG)
    /* as the loader does: the routine's keys and voice first (rs_rtcfg),
     * then the thresholds on what is left */
    struct rs_rtcfg rt, rt_before;
    rs_rtcfg_defaults(&rt);
    rt_before = rt;
    if (rs_rtcfg_take(&rt, text, "fuzz.conf", msg, sizeof msg) < 0) {
        if (memcmp(&rt, &rt_before, sizeof rt) != 0)
            abort(); /* half-applied */
        check_message(msg);
    }
    struct rs_config c, before;
    rs_config_defaults(&c);
    before = c;
    if (rs_config_parse(&c, text, "fuzz.conf", msg, sizeof msg) < 0) {
        if (memcmp(&c, &before, sizeof c) != 0)
            abort(); /* half-applied */
        check_message(msg);
    }
#elif defined(RS_FUZZ_SCENARIO)
    static struct rs_scenario scn;
    memset(&scn, 0, sizeof scn);
    if (rs_scenario_parse(&scn, text, "fuzz.scn", msg, sizeof msg) < 0)
        check_message(msg);
#elif defined(RS_FUZZ_CALFILE)
    struct rs_calstore st;
    if (rs_calstore_parse(text, &st, msg, sizeof msg) < 0)
        check_message(msg);
#elif defined(RS_FUZZ_PROFILES)
    static struct rs_profiles ps;
    if (rs_profiles_parse(text, &ps, msg, sizeof msg) < 0)
        check_message(msg);
#endif
    free(text);
    return 0;
}
