// rollsense part: cell_seat (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

cell_seat();
