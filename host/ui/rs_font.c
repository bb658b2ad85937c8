/*
 * rs_font.c - font discovery through fontconfig with fixed fallbacks.
 */
#include "rs_font.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int usable(const char *p)
{
    return p && *p && access(p, R_OK) == 0;
}

static int copy(char *path, size_t cap, const char *p)
{
    if (strlen(p) + 1 > cap)
        return 0;
    memcpy(path, p, strlen(p) + 1);
    return 1;
}

/* fontconfig's match is always "something"; accept it only when it is a
 * scalable TrueType/CFF file that SDL_ttf can open. */
static int from_fontconfig(char *path, size_t cap)
{
    int ok = 0;
    if (!FcInit())
        return 0;
    FcPattern *pat = FcNameParse((const FcChar8 *)"DejaVu Sans:bold");
    if (!pat)
        return 0;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    if (m) {
        FcChar8 *file = NULL, *fmt = NULL;
        FcBool scalable = FcFalse;
        if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
            FcPatternGetBool(m, FC_SCALABLE, 0, &scalable) == FcResultMatch && scalable &&
            (FcPatternGetString(m, FC_FONTFORMAT, 0, &fmt) != FcResultMatch ||
             strcasecmp((const char *)fmt, "TrueType") == 0 ||
             strcasecmp((const char *)fmt, "CFF") == 0) &&
            usable((const char *)file))
            ok = copy(path, cap, (const char *)file);
        FcPatternDestroy(m);
    }
    FcPatternDestroy(pat);
    return ok;
}

int rs_font_find(char *path, size_t cap, const char **source)
{
    const char *src = "ROLLSENSE_FONT";
    const char *env = getenv("ROLLSENSE_FONT");
    if (env && *env) {
        if (usable(env) && copy(path, cap, env))
            goto found;
        return RS_FONT_ENOTFOUND;
    }
    src = "fontconfig";
    if (from_fontconfig(path, cap))
        goto found;
    src = "fallback";
    static const char *const fallback[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    };
    for (size_t i = 0; i < sizeof fallback / sizeof fallback[0]; i++)
        if (usable(fallback[i]) && copy(path, cap, fallback[i]))
            goto found;
    return RS_FONT_ENOTFOUND;
found:
    if (source)
        *source = src;
    return 0;
}
