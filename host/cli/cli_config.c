/*
 * cli_config.c - the config file, for every command that runs the
 * detectors (in both programs: analyze is in rollsense, the window
 * commands in rollsense-full; see host/cli/CMakeLists.txt).
 */
#include "cli.h"
#include "rs_cfgfile.h"

int rs_cli_load_config(const char *who, const char *path, struct rs_config *cfg)
{
    struct rs_rtcfg rt;
    return rs_cli_load_config_all(who, path, cfg, &rt);
}

int rs_cli_load_config_all(const char *who, const char *path, struct rs_config *cfg,
                           struct rs_rtcfg *rt)
{
    char err[2048], used[1024];
    if (rs_cfgfile_load_all(cfg, rt, path, used, sizeof used, err, sizeof err) != 0) {
        rs_cli_error("%s: %s", who, err);
        return -1;
    }
    return 0;
}
