/*
 * rs_palette.h - the window's colours.
 *
 * Derived from the Okabe-Ito palette, which stays distinguishable under the
 * common colour-vision deficiencies; every colour-coded state is also named
 * in text (band names, "SLOW DOWN"), so colour is never the only cue. The
 * background is near-black so the saturated band colours and white numerals
 * keep strong contrast from across a room.
 */
#ifndef RS_PALETTE_H
#define RS_PALETTE_H

#include <stdint.h>

#include "rs_view.h"

struct rs_rgb {
    uint8_t r, g, b;
};

enum rs_colour {
    RS_C_BG,          /* window background */
    RS_C_PANEL,       /* panel fill */
    RS_C_TRACK,       /* empty gauge/ring track */
    RS_C_TEXT,        /* primary text, numerals */
    RS_C_TEXT_DIM,    /* labels, units */
    RS_C_GRID,        /* chart grid lines */
    RS_C_ORANGE,      /* Okabe-Ito orange      E69F00 */
    RS_C_SKY,         /* Okabe-Ito sky blue    56B4E9 */
    RS_C_GREEN,       /* Okabe-Ito bluish green 009E73 */
    RS_C_YELLOW,      /* Okabe-Ito yellow      F0E442 */
    RS_C_BLUE,        /* Okabe-Ito blue        0072B2 */
    RS_C_VERMILLION,  /* Okabe-Ito vermillion  D55E00 */
    RS_C_PURPLE,      /* Okabe-Ito reddish purple CC79A7 */
    RS_C_GREY,        /* neutral, "no contact" */
    RS_C_AZURE,       /* Okabe-Ito blue lightened to 337AFF: readable text on the dark panels */
    RS_C_KNEE,        /* white: the knee-zone warning, a colour no leg and no band uses */
    RS_C_COUNT
};

/* Hold ring phases: filling to 15 s, filling to 30 s, target reached,
 * long (>= 60 s), release now (>= 90 s). */
enum rs_hold_phase { RS_HP_NONE, RS_HP_TO15, RS_HP_TO30, RS_HP_DONE, RS_HP_LONG, RS_HP_RELEASE };

struct rs_rgb rs_colour(enum rs_colour c);
/* Text colour on a filled background: dark on light colours, white on dark. */
struct rs_rgb rs_on_colour(struct rs_rgb bg);
struct rs_rgb rs_force_band_colour(enum rs_view_force_band b);
struct rs_rgb rs_speed_band_colour(enum rs_view_speed_band b);

/* Phase of a hold of s seconds (RS_HP_NONE when !active). */
enum rs_hold_phase rs_hold_phase(bool active, float s);
/* Ring colour of a phase; "to15" is the first lap, "to30" the second. */
struct rs_rgb rs_hold_phase_colour(enum rs_hold_phase p);
/* Filled fraction of the current lap, 0..1 (1 from 30 s on). */
float rs_hold_lap_fraction(float s);

#endif
