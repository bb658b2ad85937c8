// rollsense part: cell_foot (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

cell_foot();
