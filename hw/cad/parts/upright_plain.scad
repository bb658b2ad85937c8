// rollsense part: upright_plain (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

upright(false);
