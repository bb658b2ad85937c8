// rollsense part: magnet_holder (one STL, bore down).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 40));
magnet_holder();
