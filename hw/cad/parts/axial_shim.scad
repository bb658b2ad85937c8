// rollsense part: axial_shim (one STL, flat).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 30));
axial_shim();
