/*
 * rs_palette.c - colour tables and hold-ring phases (see rs_palette.h).
 */
#include "rs_palette.h"

static const struct rs_rgb table[RS_C_COUNT] = {
    [RS_C_BG] = { 0x0E, 0x11, 0x16 },
    [RS_C_PANEL] = { 0x1B, 0x20, 0x28 },
    [RS_C_TRACK] = { 0x3A, 0x42, 0x4E },
    [RS_C_TEXT] = { 0xFF, 0xFF, 0xFF },
    [RS_C_TEXT_DIM] = { 0xB4, 0xBC, 0xC8 },
    [RS_C_GRID] = { 0x4A, 0x52, 0x5E },
    [RS_C_ORANGE] = { 0xE6, 0x9F, 0x00 },
    [RS_C_SKY] = { 0x56, 0xB4, 0xE9 },
    [RS_C_GREEN] = { 0x00, 0x9E, 0x73 },
    [RS_C_YELLOW] = { 0xF0, 0xE4, 0x42 },
    [RS_C_BLUE] = { 0x00, 0x72, 0xB2 },
    [RS_C_VERMILLION] = { 0xD5, 0x5E, 0x00 },
    [RS_C_PURPLE] = { 0xCC, 0x79, 0xA7 },
    [RS_C_GREY] = { 0x8A, 0x8F, 0x98 },
    [RS_C_AZURE] = { 0x33, 0x7A, 0xFF },
    [RS_C_KNEE] = { 0xFF, 0xFF, 0xFF },
};

struct rs_rgb rs_colour(enum rs_colour c)
{
    return (unsigned)c < RS_C_COUNT ? table[c] : table[RS_C_TEXT];
}

struct rs_rgb rs_force_band_colour(enum rs_view_force_band b)
{
    /* Light to typical run cool (blue to green); high, no-benefit and
     * overload run warm (yellow, orange, vermillion). */
    static const enum rs_colour map[RS_FB_COUNT] = {
        RS_C_GREY, RS_C_SKY, RS_C_AZURE, RS_C_GREEN, RS_C_YELLOW, RS_C_ORANGE, RS_C_VERMILLION,
    };
    return rs_colour((unsigned)b < RS_FB_COUNT ? map[b] : RS_C_GREY);
}

struct rs_rgb rs_speed_band_colour(enum rs_view_speed_band b)
{
    static const enum rs_colour map[RS_SB_COUNT] = {
        RS_C_SKY, RS_C_GREEN, RS_C_ORANGE, RS_C_VERMILLION,
    };
    return rs_colour((unsigned)b < RS_SB_COUNT ? map[b] : RS_C_GREY);
}

enum rs_hold_phase rs_hold_phase(bool active, float s)
{
    if (!active)
        return RS_HP_NONE;
    if (s < 15.0f)
        return RS_HP_TO15;
    if (s < 30.0f)
        return RS_HP_TO30;
    if (s < 60.0f)
        return RS_HP_DONE;
    if (s < 90.0f)
        return RS_HP_LONG;
    return RS_HP_RELEASE;
}

struct rs_rgb rs_hold_phase_colour(enum rs_hold_phase p)
{
    static const enum rs_colour map[] = {
        [RS_HP_NONE] = RS_C_TRACK, [RS_HP_TO15] = RS_C_SKY,    [RS_HP_TO30] = RS_C_GREEN,
        [RS_HP_DONE] = RS_C_GREEN, [RS_HP_LONG] = RS_C_ORANGE, [RS_HP_RELEASE] = RS_C_VERMILLION,
    };
    return rs_colour(map[p <= RS_HP_RELEASE ? p : RS_HP_NONE]);
}

float rs_hold_lap_fraction(float s)
{
    if (!(s > 0.0f))
        return 0.0f;
    if (s < 15.0f)
        return s / 15.0f;
    if (s < 30.0f)
        return (s - 15.0f) / 15.0f;
    return 1.0f;
}

struct rs_rgb rs_on_colour(struct rs_rgb bg)
{
    int lum = 299 * bg.r + 587 * bg.g + 114 * bg.b;
    return lum > 150000 ? rs_colour(RS_C_BG) : rs_colour(RS_C_TEXT);
}
