/*
 * rs_rtcfg.h - the guided routine's keys and `voice` in the config file.
 *
 * The config file (docs/config.md) holds the detection thresholds
 * (rs_config_parse) and, in the same `key = value` form, the routine's plan
 * (routine_warmup_s, routine_spots_min, ..., routine_first_leg = left|right)
 * and voice = on|off. This module takes those lines out of the text: each
 * is parsed and then blanked, so the thresholds' parser sees the rest with
 * its line numbers unchanged. Every value is range-checked, a key set twice
 * is an error, and the plan as a whole must pass rs_routine_plan_check; an
 * error is one line "FILE:LINE: key 'x': <why>, allowed <range>". Pure: text
 * in, struct out.
 */
#ifndef RS_RTCFG_H
#define RS_RTCFG_H

#include <stddef.h>

#include "rs_routine.h"

struct rs_rtcfg {
    struct rs_routine_plan plan;
    int voice; /* -1 not set, 0 off, 1 on */
};

/* The default plan (rs_routine_plan_default), voice not set. */
void rs_rtcfg_defaults(struct rs_rtcfg *c);

/* Parse and blank the routine's lines and `voice` of text into *c (set on
 * top of what *c holds). 0, or -1 with one line in err (*c then unchanged). */
int rs_rtcfg_take(struct rs_rtcfg *c, char *text, const char *filename, char *err, size_t errcap);

/* How many keys (routine_* and voice) there are, and their names (docs, tests). */
size_t rs_rtcfg_key_count(void);
const char *rs_rtcfg_key_name(size_t i);

#endif
