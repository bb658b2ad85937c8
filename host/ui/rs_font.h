/*
 * rs_font.h - find the font the window draws with.
 *
 * Order: $ROLLSENSE_FONT (a path), then fontconfig's best match for
 * "DejaVu Sans:bold" if it is a TrueType/OpenType file, then the Debian
 * paths /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf and
 * DejaVuSans.ttf (package fonts-dejavu-core). Bold, because the numerals
 * must read from the floor.
 */
#ifndef RS_FONT_H
#define RS_FONT_H

#include <stddef.h>

/* The error rs_font_find returns when no font file is usable. */
#define RS_FONT_ENOTFOUND (-2)

/* One line, no trailing newline, for rs_cli_error and the window. */
#define RS_FONT_HELP "no usable font found: install fonts-dejavu-core (apt-get install fonts-dejavu-core) or set ROLLSENSE_FONT=/path/to/font.ttf"

/* Write the chosen font file into path (cap bytes). *source (optional)
 * names where it came from: "ROLLSENSE_FONT", "fontconfig" or "fallback".
 * Returns 0, or RS_FONT_ENOTFOUND. A set but unreadable ROLLSENSE_FONT is
 * an error too (the user asked for that file), not silently skipped. */
int rs_font_find(char *path, size_t cap, const char **source);

#endif
