// rollsense part: cell_seat (one STL, plate face down).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 2500));
print_cell_seat();
