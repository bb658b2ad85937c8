// rollsense part: enclosure_box (one STL, floor down).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 5000));
enclosure_box();
