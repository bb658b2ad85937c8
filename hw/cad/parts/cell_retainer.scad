// rollsense part: cell_retainer (one STL, flat).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 1000));
print_cell_retainer();
