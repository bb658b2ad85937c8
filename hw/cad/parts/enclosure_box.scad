// rollsense part: enclosure_box (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

enclosure_box();
