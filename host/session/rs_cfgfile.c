/* rs_cfgfile.c - the config file loader shared by live, demo and analyze. */
#include "rs_cfgfile.h"
#include "rs_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Config files are small; anything larger is a mistake, not a config. */
#define RS_CFGFILE_MAX (256 * 1024)

int rs_cfgfile_default_path(char *out, size_t cap)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0])
        n = snprintf(out, cap, "%s/rollsense/config", xdg);
    else if (home && home[0])
        n = snprintf(out, cap, "%s/.config/rollsense/config", home);
    else
        return -1;
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int rs_cfgfile_load(struct rs_config *cfg, const char *path, char *used, size_t usedcap,
                    char *err, size_t errcap)
{
    struct rs_rtcfg rt;
    return rs_cfgfile_load_all(cfg, &rt, path, used, usedcap, err, errcap);
}

int rs_cfgfile_load_all(struct rs_config *cfg, struct rs_rtcfg *rt, const char *path, char *used,
                        size_t usedcap, char *err, size_t errcap)
{
    rs_rtcfg_defaults(rt);
    char def[1024];
    rs_config_defaults(cfg);
    if (usedcap)
        used[0] = '\0';
    if (!path) {
        if (rs_cfgfile_default_path(def, sizeof def) != 0 || access(def, F_OK) != 0)
            return 0; /* no config file: the documented defaults */
        path = def;
    }
    /* Regular files only (a FIFO would hang), no NUL bytes: rs_file.h. */
    char why[400];
    char *text = rs_read_text_file(path, RS_CFGFILE_MAX, NULL, why, sizeof why);
    if (!text) {
        int e = errno;
        if (strncmp(why, "cannot read", 11) == 0)
            snprintf(err, errcap, "cannot read config %s: %s", path, strerror(e));
        else
            snprintf(err, errcap, "config: %s", why);
        return -1;
    }
    int rc = rs_rtcfg_take(rt, text, path, err, errcap);
    if (rc == 0)
        rc = rs_config_parse(cfg, text, path, err, errcap);
    free(text);
    if (rc < 0)
        return -1;
    if (usedcap)
        snprintf(used, usedcap, "%s", path);
    return 0;
}
