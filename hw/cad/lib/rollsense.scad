// rollsense roller mechanics: parameters, derived geometry, design rules and
// one module per part. Each file in cad/parts/ includes this file and calls
// one module; cad/assembly.scad places them all.
//
// Coordinates of the assembly: X along the roller axis (+X = right, the
// encoder side), Y front (-) to back (+), Z up; the base plate's top is z = 0.
// Units: mm, N, MPa.
//
// Every design rule is an assert(): a violated rule stops openscad with exit
// status 1 and no STL (OpenSCAD 2021.01), so `ctest -L hw` fails. The checks
// pass the firmware header's values for the first three parameters with -D.

// --- shared with firmware/include/rs_defaults.h (the header wins) -----------
cell_span  = 380;   // RS_CELL_SPAN_MM: left and right load-cell lines = upright mid-planes
roller_d   = 140;   // RS_ROLLER_DIAMETER_MM
roller_len = 330;   // RS_ROLLER_LENGTH_MM

// --- loads (as in hw/tools/spicecheck.py) ------------------------------------
rated_load_kg = 100;     // user load on the roller the device is rated for
overload      = 1.5;     // design rules hold at 150 % of it
g             = 9.80665;

// --- bought parts (measure yours and override) -------------------------------
core_id     = 100;  // the foam roller's core tube, inner diameter
bearing_od  = 22;   // 608
bearing_id  = 8;
bearing_w   = 7;
bearing_inner_land = 12.0;  // inner race shoulder diameter: rotating parts may touch only inside it
bearing_outer_land = 19.0;  // outer race shoulder (inner) diameter: the seat lip must reach inside it
shaft_d     = 8;    // ground steel shaft through the bearing
shaft_len   = 60;
shaft_yield = 500;  // MPa (induction-hardened linear shaft is more; mild steel is ~250: too weak)
magnet_d    = 6;    // diametric magnet
magnet_h    = 2.5;
enc_pcb_w   = 24;   // encoder board, square, chip centred on the side facing the magnet
enc_pcb_t   = 1.6;
enc_chip_h  = 1.0;  // chip body height above that board face (TSSOP-14)
enc_hole_pitch = 17;  // the board's mounting holes (diagonal pair), centre to centre per axis
cell_w      = 34;   // 50 kg half-bridge cell: outer frame
cell_l      = 34;
cell_t      = 7;    // frame thickness
cell_tongue_w = 12; // the centre beam that carries the load and deflects
cell_defl   = 0.5;  // centre deflection at the cell's rated 50 kg (conservative)
cell_dy     = 100;  // front and back cells at y = -cell_dy and +cell_dy
pro_micro   = [33.5, 18.5];
hx711       = [34.5, 21.5];

// --- printing and fits --------------------------------------------------------
bearing_seat_d = 22.10;  // printed holes come out small: a light press fit on 22.00
shaft_bore_d   = 8.00;   // press fit + epoxy on the 8 mm shaft
plug_fit       = 0.4;    // end cap plug diameter below the core's inner diameter
min_clear      = 0.5;    // between a rotating and a stationary part
min_wall       = 1.2;

// --- design choices -------------------------------------------------------------
base_t      = 18;   // plywood base plate
base_w      = 280;
base_margin = 8;
floor_gap   = 15;   // unloaded foam bottom above the base plate
upright_t   = 18;   // along X
upright_w   = 70;   // along Y
boss_r      = 24;   // around the bearing
foot_t      = 8;
foot_ext    = 16;   // foot flange beyond each face of the upright
flange_t    = 4;    // end cap flange over the core tube end
flange_d    = 112;
hub_d       = 24;
hub_gap     = 1.5;  // rotating hub to the stationary upright face
collar_d    = 11;   // the hub's collar that bears on the inner race
lip_d       = 14;   // bore behind the bearing seat
holder_d    = 11;   // magnet holder on the shaft end
holder_bore = 4;    // shaft engagement in the holder
holder_floor= 0.8;
enc_pocket_depth = 1.2;  // encoder board recess in the upright's outer face
seat_wall   = 4;
seat_top    = 3;    // seat material between the cell pocket and the base plate
seat_recess = 1.5;  // room above the cell's tongue to deflect into
seat_ear    = 9;    // screw ears of the cell seat, front and back
foot_boss_h = 2.0;  // foot boss height: the frame's clearance above the foot
foot_d      = 30;
foot_h      = 5;
box_wall    = 2;
box_floor   = 2;
box_inner   = [80, 40, 20];
box_y       = 102;  // enclosure centre, behind the roller
lid_t       = 2;

$fn = 64;
eps = 0.01;

// --- derived geometry ------------------------------------------------------------
axis_h   = roller_d / 2 + floor_gap;          // axis above the base plate top
x_up     = cell_span / 2;                     // upright mid-plane = cell line
x_inner  = x_up - upright_t / 2;              // upright inner face
x_outer  = x_up + upright_t / 2;
x_rend   = roller_len / 2;                    // foam roller end
collar_len = hub_gap;                         // the collar reaches the inner race at x_inner
hub_len  = x_inner - collar_len - x_rend - flange_t;
shaft_out = holder_bore;                      // shaft beyond the bearing's outer face
shaft_in_cap = shaft_len - bearing_w - shaft_out;   // from x_inner back into the cap
plug_len = shaft_in_cap - (flange_t + hub_len + collar_len) + 4;  // 4 mm of cap behind the shaft end
holder_pocket = magnet_h + 0.1;
holder_len = holder_bore + holder_floor + holder_pocket;
x_magnet = x_inner + bearing_w + holder_len;  // magnet face (flush with the holder end)
x_chip   = x_outer - enc_pocket_depth - enc_chip_h;
magnet_gap = x_chip - x_magnet;
base_l   = cell_span + cell_l + 2 * seat_wall + 2 * base_margin;
seat_h   = seat_top + seat_recess + cell_t - 1;   // the cell frame stands 1 mm out of the seat
seat_screw_y = cell_l / 2 + seat_wall + seat_ear / 2;
side_load_n = overload * rated_load_kg * g * (0.5 + (roller_len / 2) / cell_span);
lever    = bearing_w / 2 + hub_gap + 3;       // 3 mm of printed hub assumed not to carry load
shaft_stress = side_load_n * lever / (PI * pow(shaft_d, 3) / 32);
cell_load_over = side_load_n / 2;             // front and back cell share one side
defl_over = cell_defl * cell_load_over / (50 * g);
box_outer = [box_inner[0] + 2 * box_wall, box_inner[1] + 2 * box_wall, box_inner[2] + box_floor];

// --- design rules -------------------------------------------------------------------
assert(magnet_gap >= 0.5 && magnet_gap <= 3,
       str("RULE magnet gap: magnet to encoder chip is ", magnet_gap, " mm, must be 0.5..3"));
assert(enc_pocket_depth >= 0 && enc_pocket_depth <= upright_t - bearing_w - 3,
       str("RULE encoder pocket: depth ", enc_pocket_depth, " leaves no bearing lip"));
assert(bearing_seat_d - bearing_od >= 0 && bearing_seat_d - bearing_od <= 0.3,
       str("RULE bearing fit: seat ", bearing_seat_d, " mm for a ", bearing_od, " mm bearing (allowed +0..+0.3)"));
assert(lip_d < bearing_outer_land - 1 && lip_d > bearing_inner_land + 2 * min_clear,
       str("RULE bearing fit: lip bore ", lip_d, " must hold the outer race and clear the inner race"));
assert(shaft_bore_d >= shaft_d - 0.05 && shaft_bore_d <= shaft_d + 0.1,
       str("RULE shaft fit: bore ", shaft_bore_d, " for a ", shaft_d, " mm shaft"));
assert(hub_gap >= 1, str("RULE axle clearance: hub to upright gap ", hub_gap, " mm < 1 mm"));
assert(collar_d <= bearing_inner_land && collar_d >= shaft_d + 2 * min_wall,
       str("RULE axle clearance: collar ", collar_d, " mm must bear on the inner race only"));
assert(holder_d <= bearing_inner_land && holder_d + 2 * min_clear <= lip_d && holder_d >= magnet_d + 2 * min_wall
       && holder_d >= shaft_d + 2 * min_wall,
       str("RULE axle clearance: magnet holder ", holder_d, " mm vs lip bore ", lip_d));
assert(hub_len >= 3, str("RULE axle clearance: roller plus end caps do not fit between the uprights (hub ", hub_len, " mm)"));
assert(hub_d < flange_d && flange_d < roller_d - 10 && flange_d > core_id,
       "RULE end cap: flange must cover the core tube and stay inside the foam");
assert(shaft_in_cap >= 4 * shaft_d, str("RULE shaft: only ", shaft_in_cap, " mm of shaft in the end cap"));
assert(plug_len >= 15 && plug_len <= roller_len / 4, str("RULE end cap: plug length ", plug_len));
assert(shaft_stress <= shaft_yield / 2,
       str("RULE shaft: bending stress ", shaft_stress, " MPa at 150 % load exceeds half the yield ", shaft_yield));
assert(axis_h - roller_d / 2 >= 10, "RULE floor: the foam must clear the base plate by 10 mm");
assert(boss_r * 2 >= bearing_od + 2 * 6 && axis_h - boss_r > foot_t, "RULE upright: bearing boss too thin");
assert(seat_recess >= defl_over + 0.5,
       str("RULE cell deflection: recess ", seat_recess, " mm, tongue moves ", defl_over, " mm at 150 % load (+0.5 margin)"));
assert(foot_boss_h >= defl_over + 1,
       str("RULE cell deflection: foot boss ", foot_boss_h, " mm, frame sinks ", defl_over, " mm at 150 % load (+1 margin)"));
assert(foot_d - 2 * 3 > cell_tongue_w / 2 && cell_tongue_w - 2 > 4, "RULE cell foot: boss must sit on the tongue");
assert(cell_load_over <= 1.5 * 50 * g, str("RULE cells: ", cell_load_over / g, " kg on one cell beyond its 150 % overload"));
assert(abs(2 * x_up - cell_span) < 0.01 && base_l >= cell_span + cell_l + 2 * seat_wall,
       "RULE base: the cells must sit on the cell lines RS_CELL_SPAN_MM apart");
assert(x_up + cell_w / 2 + seat_wall + 3 <= base_l / 2 && x_up + upright_t / 2 + foot_ext + 3 <= base_l / 2
       && cell_dy + seat_screw_y + seat_ear / 2 + 3 <= base_w / 2,
       "RULE base: cell seats and upright feet must sit inside the plate, screws 3 mm from the edge");
assert(box_y - box_outer[1] / 2 >= roller_d / 2 + 5 && box_y + box_outer[1] / 2 <= base_w / 2,
       "RULE enclosure: must sit on the base behind the roller");
assert(box_inner[0] >= pro_micro[1] + 2 * hx711[1] + 4 * 3 && box_inner[1] >= max(pro_micro[0], hx711[0]) + 2,
       "RULE enclosure: the Pro Micro and two HX711 modules must fit side by side");
assert(min(box_wall, box_floor, lid_t, seat_top) >= min_wall, "RULE walls: thinner than min_wall");

// --- parts --------------------------------------------------------------------------

// Upright, in its own frame: inner face at x = 0, outer face at x = upright_t,
// base at z = 0, axis at (y, z) = (0, axis_h). encoder = true adds the board
// recess and its screw holes on the outer face.
module upright(encoder) {
    difference() {
        union() {
            hull() {
                translate([0, -upright_w / 2, 0]) cube([upright_t, upright_w, eps]);
                translate([0, 0, axis_h]) rotate([0, 90, 0]) cylinder(r = boss_r, h = upright_t);
            }
            translate([-foot_ext, -upright_w / 2, 0]) cube([upright_t + 2 * foot_ext, upright_w, foot_t]);
        }
        // bearing seat from the inner face, lip bore behind it
        translate([-eps, 0, axis_h]) rotate([0, 90, 0]) cylinder(d = bearing_seat_d, h = bearing_w + eps);
        translate([-1, 0, axis_h]) rotate([0, 90, 0]) cylinder(d = lip_d, h = upright_t + 2);
        // 0.5 mm lead-in chamfer for pressing the bearing
        translate([-eps, 0, axis_h]) rotate([0, 90, 0]) cylinder(d1 = bearing_seat_d + 1, d2 = bearing_seat_d, h = 0.5);
        if (encoder) {
            translate([upright_t - enc_pocket_depth, -enc_pcb_w / 2 - 0.2, axis_h - enc_pcb_w / 2 - 0.2])
                cube([enc_pocket_depth + 1, enc_pcb_w + 0.4, enc_pcb_w + 0.4]);
            for (s = [-1, 1])
                translate([upright_t - 10, s * enc_hole_pitch / 2, axis_h + s * enc_hole_pitch / 2])
                    rotate([0, 90, 0]) cylinder(d = 1.7, h = 11);
            // cable channel from the board recess down the outer face
            translate([upright_t - 2, -3, foot_t]) cube([3, 6, axis_h - foot_t]);
        }
        // countersunk holes for 4 mm wood screws in the foot flange
        for (sx = [-foot_ext / 2, upright_t + foot_ext / 2], sy = [-1, 1])
            translate([sx, sy * (upright_w / 2 - 9), -1]) {
                cylinder(d = 4.5, h = foot_t + 2, $fn = 24);
                translate([0, 0, foot_t + 1 - 2.5]) cylinder(d1 = 4.5, d2 = 9, h = 2.5 + eps, $fn = 24);
            }
    }
}

// End cap: plug into the core tube, flange, hub and collar; the shaft bore runs
// from the collar end into the plug. Frame: flange's outer face at z = 0, the
// plug towards -z, hub and collar towards +z (print flange down: plug up).
module end_cap() {
    bore_depth = shaft_in_cap + 0.5;
    difference() {
        union() {
            // plug with a 1 mm lead-in chamfer at its end
            translate([0, 0, -plug_len]) cylinder(d1 = core_id - plug_fit - 2, d2 = core_id - plug_fit, h = 2 + eps);
            translate([0, 0, -plug_len + 2]) cylinder(d = core_id - plug_fit, h = plug_len - 2 + eps);
            translate([0, 0, -eps]) cylinder(d = flange_d, h = flange_t + eps);
            translate([0, 0, flange_t - eps]) cylinder(d = hub_d, h = hub_len + eps);
            translate([0, 0, flange_t + hub_len - eps]) cylinder(d = collar_d, h = collar_len + eps);
        }
        translate([0, 0, flange_t + hub_len + collar_len - bore_depth]) cylinder(d = shaft_bore_d, h = bore_depth + 1);
        // lighten the plug, keeping a boss around the shaft and a 6 mm web
        translate([0, 0, -plug_len - 1])
            difference() {
                cylinder(d = core_id - plug_fit - 12, h = plug_len - 6 + 1);
                translate([0, 0, -1]) cylinder(d = 22, h = plug_len + 2);
            }
    }
}

// Magnet holder: pressed on the shaft end behind the bearing; its inner end
// bears on the inner race, the magnet sits flush in its outer end.
module magnet_holder() {
    difference() {
        cylinder(d = holder_d, h = holder_len);
        translate([0, 0, -1]) cylinder(d = shaft_bore_d, h = holder_bore + 1);
        translate([0, 0, holder_len - holder_pocket]) cylinder(d = magnet_d + 0.1, h = holder_pocket + 1);
    }
}

// Load-cell seat, screwed under the base plate: holds the cell's frame and
// leaves a recess above the tongue. Frame: the face against the plate at z = 0,
// the seat hangs down to z = -seat_h; the cell enters from below.
module cell_seat() {
    difference() {
        translate([-cell_w / 2 - seat_wall, -cell_l / 2 - seat_wall - seat_ear, -seat_h])
            cube([cell_w + 2 * seat_wall, cell_l + 2 * seat_wall + 2 * seat_ear, seat_h]);
        // cell frame pocket
        translate([-cell_w / 2 - 0.2, -cell_l / 2 - 0.2, -seat_h - 1]) cube([cell_w + 0.4, cell_l + 0.4, cell_t - 1 + 1]);
        // deflection recess above the tongue (the tongue runs along Y)
        translate([-cell_tongue_w / 2 - 1, -cell_l / 2 - 0.2, -seat_h + cell_t - 1 - eps])
            cube([cell_tongue_w + 2, cell_l + 0.4, seat_recess + eps]);
        // wire exit towards the middle of the base
        translate([-cell_w / 2 - seat_wall - 1, -4, -seat_h - 1]) cube([seat_wall + 2, 8, cell_t]);
        // two screws into the plate, counterbored from below
        for (s = [-1, 1])
            translate([0, s * seat_screw_y, -seat_h - 1]) {
                cylinder(d = 3.8, h = seat_h + 2, $fn = 24);
                cylinder(d = 7.5, h = seat_h - 3 + 1, $fn = 32);
            }
    }
}

// Foot under each cell: only its boss touches the cell (the tongue); a
// rubber pad goes under it. Frame: floor at z = 0.
module cell_foot() {
    cylinder(d = foot_d, h = foot_h);
    translate([0, 0, foot_h - eps]) cylinder(d = cell_tongue_w - 2, h = foot_boss_h + eps);
}

// Electronics enclosure: Pro Micro and the two HX711 modules side by side
// (taped to the floor), USB opening at -X, sensor cable hole at +X, debug
// header slot in the back wall, screw ears. Frame: floor on z = 0.
module enclosure_box() {
    o = box_outer;
    difference() {
        union() {
            translate([-o[0] / 2, -o[1] / 2, 0]) cube(o);
            for (s = [-1, 1]) translate([s * (o[0] / 2 + 5), 0, 0]) translate([-6, -8, 0]) cube([12, 16, 3]);
        }
        translate([-box_inner[0] / 2, -box_inner[1] / 2, box_floor]) cube([box_inner[0], box_inner[1], o[2]]);
        // micro-USB plug opening (the Pro Micro sits against the -X wall)
        translate([-o[0] / 2 - 1, -6, box_floor + 0.5]) cube([box_wall + 2, 12, 8]);
        // sensor cables
        translate([o[0] / 2 - box_wall - 1, 0, box_floor + 8]) rotate([0, 90, 0]) cylinder(d = 8, h = box_wall + 2);
        // debug header slot (3 x 2.54 mm)
        translate([-4.5, o[1] / 2 - box_wall - 1, o[2] - 6]) cube([9, box_wall + 2, 3.5]);
        for (s = [-1, 1]) translate([s * (o[0] / 2 + 6), 0, -1]) cylinder(d = 3.4, h = 5);
    }
    // lid screw bosses in the corners
    for (sx = [-1, 1], sy = [-1, 1])
        translate([sx * (box_inner[0] / 2 - 3), sy * (box_inner[1] / 2 - 3), box_floor - eps])
            difference() {
                union() {
                    cylinder(d = 6, h = box_inner[2] + eps);
                    translate([sx > 0 ? 0 : -3 - eps, sy > 0 ? 0 : -3 - eps, 0]) cube([3 + eps, 3 + eps, box_inner[2] + eps]);
                }
                translate([0, 0, 4]) cylinder(d = 2.5, h = box_inner[2]);
            }
}

// Lid: plate with an inner locating lip. Frame: top face down on z = 0 (as printed).
module enclosure_lid() {
    o = box_outer;
    difference() {
        union() {
            translate([-o[0] / 2, -o[1] / 2, 0]) cube([o[0], o[1], lid_t]);
            translate([-box_inner[0] / 2 + 0.3, -box_inner[1] / 2 + 0.3, lid_t - eps])
                difference() {
                    cube([box_inner[0] - 0.6, box_inner[1] - 0.6, 2 + eps]);
                    translate([1.5, 1.5, -1]) cube([box_inner[0] - 3.6, box_inner[1] - 3.6, 4]);
                    for (sx = [0, 1], sy = [0, 1])
                        translate([sx * (box_inner[0] - 0.6) - 4.5, sy * (box_inner[1] - 0.6) - 4.5, -1]) cube([9, 9, 4]);
                }
        }
        for (sx = [-1, 1], sy = [-1, 1])
            translate([sx * (box_inner[0] / 2 - 3), sy * (box_inner[1] / 2 - 3), -1]) cylinder(d = 3.4, h = lid_t + 2);
    }
}

// Base plate (cut from plywood, not printed): pilot holes for the uprights'
// feet and the cell seats, a cable hole under the enclosure. Frame: top at z = 0.
module base_plate() {
    difference() {
        translate([-base_l / 2, -base_w / 2, -base_t]) cube([base_l, base_w, base_t]);
        for (sx = [-1, 1]) {
            // upright feet
            for (fx = [-upright_t / 2 - foot_ext / 2, upright_t / 2 + foot_ext / 2], sy = [-1, 1])
                translate([sx * x_up + fx, sy * (upright_w / 2 - 9), -base_t - 1]) cylinder(d = 3, h = base_t + 2, $fn = 16);
            // cell seats
            for (sy = [-1, 1], ey = [-1, 1])
                translate([sx * x_up, sy * cell_dy + ey * seat_screw_y, -base_t - 1])
                    cylinder(d = 2.5, h = base_t + 2, $fn = 16);
        }
        // cable hole under the enclosure's cable entry
        translate([box_outer[0] / 2 - 10, box_y, -base_t - 1]) cylinder(d = 10, h = base_t + 2, $fn = 24);
    }
}
