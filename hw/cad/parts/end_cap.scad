// rollsense part: end_cap (one STL, plug down; the chamfer under the flange needs no support).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 5000));
print_end_cap();
