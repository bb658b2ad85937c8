// rollsense part: bearing_test (one STL, flat, seats open upwards like the upright's).
// Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

echo(str("PRINT bed_area_min=", 2000));
bearing_test();
