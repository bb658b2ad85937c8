// rollsense: the assembled model as named bodies, for the collision and
// clearance matrix of hw/tools/geomcheck.py (not a printable part).
//
//   openscad -D 'what="list"' ...   echoes one "BODY name kind" line per body,
//                                   "CABLE name length_mm wires" per cable run
//                                   and "COUNT name n" for screw groups
//   -D 'what="body"' -D 'a="name"'  one body, placed as assembled
//   -D 'what="pair"' -D 'a=...' -D 'b=...'   intersection() of two bodies
//
// kinds: solid (a part or bought item), screw, board, cable (a wire bundle's
// path), keepout (a clearance that must stay empty: rotating parts grown by
// min_clear, the board face; the USB plug is a solid). Stationary and rotating solids
// are told apart by the name prefix "rot_".
include <lib/rollsense.scad>
include <lib/bodies.scad>

what = "list";
a = "";
b = "";
$fn = 32;

if (what == "list") {
    for (x = bodies) echo(str("BODY ", x[0], " ", x[1]));
    for (r = runs) echo(str("CABLE ", r[0], " ", run_len(r[2]), " ", r[1]));
    echo(str("COUNT enclosure_screws ", len(box_ears)));
    echo(str("COUNT upright_screws ", 2 * len(upright_screws)));
    echo(str("COUNT seat_screws ", 8));
    echo(str("COUNT retainer_screws ", 4 * len(retainer_screws())));
    echo(str("COUNT stop_screws ", 8));
}
else if (what == "body") body(a);
else if (what == "pair") intersection() { body(a); body(b); }
