/*
 * rs_cfgfile.h - where the detection thresholds come from, for every
 * command that runs the pipeline (live, demo, analyze).
 *
 * Order: an explicit `--config FILE`; else $XDG_CONFIG_HOME/rollsense/config
 * (or ~/.config/rollsense/config when XDG_CONFIG_HOME is unset or empty) if
 * that file exists; else the built-in defaults (docs/config.md). The file is
 * validated by rs_config_parse: nothing is half-applied.
 */
#ifndef RS_CFGFILE_H
#define RS_CFGFILE_H

#include <stddef.h>

#include "rs_config.h"
#include "rs_rtcfg.h"

/*
 * Fill *cfg. path: the --config value or NULL. On success returns 0 and
 * writes the file used ("" for the defaults) into used (if usedcap > 0). On
 * error returns -1 and writes one line into err: the parser's
 * "FILE:LINE: key 'x': <why>, allowed <range>", or "cannot read config FILE: <why>".
 */
int rs_cfgfile_load(struct rs_config *cfg, const char *path, char *used, size_t usedcap,
                    char *err, size_t errcap);

/* The same, and the guided routine's keys and `voice` of the same file
 * (rs_rtcfg.h) into *rt (defaults first). rs_cfgfile_load accepts and
 * checks those keys too, and drops them. */
int rs_cfgfile_load_all(struct rs_config *cfg, struct rs_rtcfg *rt, const char *path, char *used,
                        size_t usedcap, char *err, size_t errcap);

/* The default config path (need not exist). 0, or -1 when neither
 * XDG_CONFIG_HOME nor HOME is set. */
int rs_cfgfile_default_path(char *out, size_t cap);

#endif
