// rollsense part: base_plate (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

base_plate();
