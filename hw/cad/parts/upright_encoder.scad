// rollsense part: upright_encoder (one STL, lying on its outer face: the bearing seat prints vertical and round).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 4000));
print_upright(true);
