// rollsense part: base_plate (one STL, cut from 18 mm plywood, not printed).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo("PRINT cut");
base_plate();
