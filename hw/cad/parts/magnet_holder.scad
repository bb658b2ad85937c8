// rollsense part: magnet_holder (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

magnet_holder();
