// rollsense part: cell_foot (one STL, flat face down, boss up).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 1000));
cell_foot();
