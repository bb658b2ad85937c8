// rollsense part: end_cap (one STL). Parameters and design rules: ../lib/rollsense.scad
include <../lib/rollsense.scad>

end_cap();
