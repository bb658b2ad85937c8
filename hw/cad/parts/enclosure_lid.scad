// rollsense part: enclosure_lid (one STL, top face down).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 5000));
enclosure_lid();
