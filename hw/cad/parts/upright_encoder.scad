// rollsense part: upright_encoder (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

upright(true);
