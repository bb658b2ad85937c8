// rollsense part: enclosure_lid (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

enclosure_lid();
