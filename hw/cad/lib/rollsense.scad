// rollsense roller mechanics: parameters, derived geometry, design rules and
// one module per part. Each file in cad/parts/ includes this file and calls
// one module in its print orientation; cad/assembly.scad places them all,
// and cad/check.scad lists the assembled bodies for the collision check.
//
// Coordinates of the assembly: X along the roller axis (+X = right, the
// encoder side), Y front (-) to back (+), Z up; the base plate's top is z = 0.
// Units: mm, N, MPa.
//
// Every design rule is an assert(): a violated rule stops openscad with exit
// status 1 and no STL (OpenSCAD 2021.01), so `ctest -L hw` fails. The checks
// pass the firmware header's values for the first three parameters with -D.
// rules = false switches the formula rules off: the geometric checks
// (hw/tools/geomcheck.py) must then catch a mistake on their own.

// --- shared with firmware/include/rs_defaults.h (the header wins) -----------
cell_span  = 380;   // RS_CELL_SPAN_MM: left and right load-cell lines = upright mid-planes
roller_d   = 140;   // RS_ROLLER_DIAMETER_MM
roller_len = 330;   // RS_ROLLER_LENGTH_MM (nominal; the left upright slides for the real one)

// --- loads (as in hw/tools/spicecheck.py) ------------------------------------
rated_load_kg = 100;     // user load on the roller the device is rated for
overload      = 1.5;     // design rules hold at 150 % of it
g             = 9.80665;
rules         = true;    // false: formula rules off (geometry-check fixtures only)

// --- bought parts (measure yours and override) -------------------------------
core_id     = 100;  // the foam roller's core tube, inner diameter
len_tol     = 4;    // the core may be this much longer or shorter than roller_len
bearing_od  = 22;   // 608
bearing_id  = 8;
bearing_w   = 7;
bearing_inner_land = 12.0;  // inner race shoulder diameter: rotating parts may touch only inside it
bearing_outer_land = 19.0;  // outer race shoulder (inner) diameter: the seat lip must reach inside it
shaft_d     = 8;    // ground steel shaft through the bearing
shaft_yield = 500;  // MPa, core of an induction-hardened Cf53 linear shaft (mild steel ~250: too weak)
magnet_d    = 6;    // diametric magnet
magnet_h    = 2.5;
// Encoder: a bare AS5048A, orderable as AS5048A-HTSP-500 (TSSOP-14; ams
// OSRAM datasheet AS5048A/AS5048B v1-06, 2014-06-05: body 5.0 x 4.4 mm,
// 1.2 mm high at most, pins 1 CSn, 2 CLK, 3 MISO, 4 MOSI, 11 VDD5V, 12 VDD3V,
// 13 GND, 14 PWM; magnet 0.5-2 mm from the package, centred on it), soldered
// on Adafruit's SOIC-14/TSSOP-14 breakout (product 1210). From Adafruit's
// board file ("14-pin SOIC+TSSOP.brd", github.com/adafruit/
// Adafruit-SMT-Breakout-PCBs): outline 0.7 x 0.7 in (17.78 mm square, 1.27 mm
// corner radius); the TSSOP footprint on the bottom side, centred on the
// board (its pad rows sit 0.04 mm off centre along the rows: neglected, ams
// allows 0.5); two rows of seven 1.016 mm plated holes, 0.1 in pitch, along
// two opposite edges, 1.27 mm in from them (0.6 in apart); no mounting holes.
// The board thickness is not in the file: 1.6 mm is assumed (measure yours,
// step 1 of hw/README.md). Here the hole rows run along Y (top and bottom
// edges), the clamp washers hold the bare left and right edges, and the
// recess floor has a groove under each row for the solder on the chip side.
enc_pcb     = [17.78, 17.78];  // [along Y, along Z]
enc_pcb_t   = 1.6;
enc_chip    = [4.4, 5.0, 1.2];  // [Y, Z, height above the board face towards the magnet]
enc_chip_dz = 0;    // chip centre above the outline centre (Adafruit 1210: centred)
enc_row     = 7.62; // the hole rows' distance from the board centre (0.3 in)
enc_row_len = 15.24; // first to last hole of a row (6 x 0.1 in)
enc_rows_vertical = false;  // (fixtures only) the board turned a quarter turn: hole rows along Z
enc_joint   = [1.8, 1.0];  // solder on the chip side of a hole row: width (pad 1.778 mm), height
enc_groove  = [3.0, 1.5];  // groove in the recess floor under each row: width, depth
cell_w      = 34;   // 50 kg half-bridge cell: outer frame
cell_l      = 34;
cell_t      = 7;    // frame thickness
cell_tongue_w = 12; // the centre beam that carries the load and deflects
cell_defl   = 0.5;  // tongue deflection at the cell's rated 50 kg (measure yours: step 9)
cell_dy     = 100;  // front and back cells at y = -cell_dy and +cell_dy
pro_micro   = [33.5, 18.5, 1.6];
hx711       = [34.5, 21.5, 1.6];
usb_plug    = [20, 10.6, 7.5];   // micro-B overmould: length, width, height
tape_t      = 1.0;  // double-sided foam tape under each board
wire_d      = 4;    // bundle of a cell's 3 wires or the encoder's 6, as routed

// --- printing and fits --------------------------------------------------------
bearing_seat_d = 22.10;  // vertical printed holes come out ~0.1 small: a light press fit on 22.00
shaft_bore_d   = 8.00;   // press fit + epoxy on the 8 mm shaft
plug_fit       = 0.4;    // end cap plug diameter below the core's inner diameter
min_clear      = 0.5;    // between a rotating and a stationary part
min_wall       = 1.2;
bed            = [220, 220, 250];  // printer build volume

// --- design choices -------------------------------------------------------------
base_t      = 18;   // plywood base plate
base_w      = 280;
base_margin = 8;
floor_gap   = 15;   // unloaded foam bottom above the base plate
upright_t   = 22;   // along X; printed lying on its outer face (bearing axis vertical)
upright_w   = 70;   // along Y
boss_r      = 24;   // around the bearing
foot_t      = 8;
foot_ext    = 20;   // foot beyond each side of the upright (along Y)
flange_t    = 4;    // end cap flange over the core tube end
flange_d    = 112;
hub_d       = 24;
hub_gap     = 1.5;  // rotating hub to the stationary upright face
collar_d    = 11;   // the hub's collar that bears on the inner race
lip_d       = 14;   // bore behind the bearing seat
holder_d    = 11;   // magnet holder on the shaft end
holder_bore = 4;    // shaft engagement in the holder
holder_floor= 4.2;  // printed (non-ferromagnetic) spacer between the steel shaft end and the magnet
steel_clear = 3;    // magnet to the steel shaft end at least (ams: non-ferromagnetic surroundings)
embed_lever = 12;   // the shaft bends as if held this far inside the printed cap (PETG yields locally)
plate_hole_shift = 0;  // (fixtures only) moves the plate's pilot holes
seat_wall   = 6;
seat_top    = 3;    // seat material between the cell pocket and the base plate
seat_recess = 1.5;  // room above the cell's tongue to deflect into
seat_ear    = 9;    // screw ears of the cell seat, front and back
retainer_t  = 2;    // plate under the cell frame that keeps the cell in its seat
retainer_lap= 1.5;  // how far it reaches under the frame
stop_gap    = 0.5;  // set-screw tip to the retainer: the overload stop (M3 pitch 0.5 = 1 turn)
stop_x      = 20;   // stop screws at x = +-stop_x from the cell centre
foot_d      = 46;
foot_h      = 5;
box_wall    = 2;
box_floor   = 2;
box_inner   = [110, 56, 22];
box_y       = 106;  // enclosure centre, behind the roller
lid_t       = 2;
box_hole    = [38, 0, 12];   // cell cable hole in the box floor: x, y (box frame), diameter
plate_hole_d = 14;           // the plate's hole under it
plate_hole_x = box_hole[0];  // (fixtures may move it) the plate hole's x
enc_slot    = [8, 6];        // encoder cable slot in the +X wall (width, height above the floor)
ear_dy      = 18;            // box ears: -X ear at +ear_dy, +X ear at -ear_dy (clear of the USB plug)

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
shaft_in_cap = 4 * shaft_d + 2;               // shaft inside the cap (from the collar face)
shaft_len = shaft_in_cap + bearing_w + shaft_out;
plug_len = shaft_in_cap - (flange_t + hub_len + collar_len) + 4;  // 4 mm of cap behind the shaft end
holder_pocket = magnet_h + 0.1;
holder_len = holder_bore + holder_floor + holder_pocket;
x_magnet = x_inner + bearing_w + holder_len;  // magnet face (flush with the holder end)
enc_pocket_depth = enc_pcb_t;                 // the board lies flush in its recess
x_board  = x_outer - enc_pocket_depth;        // the board's chip face
x_chip   = x_board - enc_chip[2];
magnet_gap = x_chip - x_magnet;
magnet_steel = x_magnet - magnet_h - (x_inner + bearing_w + shaft_out);
base_l   = cell_span + cell_l + 2 * seat_wall + 2 * base_margin;
seat_h   = seat_top + seat_recess + cell_t;   // the frame is flush with the seat's underside
seat_screw_y = cell_l / 2 + seat_wall + seat_ear / 2;
foot_boss_h = retainer_t + stop_gap + 1.5;    // the boss reaches the tongue through the retainer; the stop screws stand 1.5 mm proud of the rim
side_load_n = rated_load_kg * g * (0.5 + (roller_len / 2) / cell_span);  // worst lateral position
lever    = bearing_w / 2 + hub_gap + embed_lever;
shaft_w  = PI * pow(shaft_d, 3) / 32;
shaft_stress = side_load_n * lever / shaft_w;           // at rated load
shaft_stress_over = overload * shaft_stress;
cell_max_kg = (side_load_n / g + 1.5) / 2;   // one cell at rated load, worst position, + dead load
stop_kg  = 50 * stop_gap / cell_defl;         // the load on one cell where its stop takes over
box_outer = [box_inner[0] + 2 * box_wall, box_inner[1] + 2 * box_wall, box_inner[2] + box_floor];
upright_screws = [for (sy = [-1, 1], d = [6, 15]) [upright_t / 2, sy * (upright_w / 2 + d)]];
box_ears = [[-(box_outer[0] / 2 + 6), ear_dy], [box_outer[0] / 2 + 6, -ear_dy]];
// boards in the box (box frame, floor at z = 0): [x0, y0] corner, size
pm_pos   = [-box_inner[0] / 2 + 0.5, -pro_micro[1] / 2];
hx_pos   = [[-15, 1], [-15, -1 - hx711[1]]];
usb_z    = box_floor + tape_t + pro_micro[2] + 1.4;   // socket centre height

// --- design rules -------------------------------------------------------------------
module rule(ok, msg) { if (rules) assert(ok, str("RULE ", msg)); }
rule(magnet_gap >= 0.5 && magnet_gap <= 2,
     str("magnet gap: magnet to encoder chip is ", magnet_gap, " mm, must be 0.5..2 (AS5048A datasheet)"));
rule(enc_groove[1] >= enc_joint[1] + 0.3 && enc_groove[0] >= enc_joint[0] + 0.8,
     str("encoder board: groove ", enc_groove, " under the hole rows must clear the solder joints ", enc_joint, " by 0.3 mm deep, 0.4 mm each side"));
rule(sqrt(pow(3.5, 2) - pow(2.2, 2)) < enc_row - enc_joint[0] / 2 - 0.5,
     "encoder board: the 7 mm clamp washers must stay off the hole rows (their pads)");
rule(magnet_steel >= steel_clear,
     str("magnet steel: magnet ", magnet_steel, " mm from the steel shaft end, keep >= ", steel_clear));
rule(enc_pocket_depth >= enc_pcb_t && upright_t - enc_pocket_depth - enc_chip[2] - bearing_w >= holder_len,
     "encoder pocket: the board must lie flush and leave room for the magnet holder");
rule(bearing_seat_d - bearing_od >= 0 && bearing_seat_d - bearing_od <= 0.3,
     str("bearing fit: seat ", bearing_seat_d, " mm for a ", bearing_od, " mm bearing (allowed +0..+0.3)"));
rule(lip_d < bearing_outer_land - 1 && lip_d > bearing_inner_land + 2 * min_clear,
     str("bearing fit: lip bore ", lip_d, " must hold the outer race and clear the inner race"));
rule(shaft_bore_d >= shaft_d - 0.05 && shaft_bore_d <= shaft_d + 0.1,
     str("shaft fit: bore ", shaft_bore_d, " for a ", shaft_d, " mm shaft"));
rule(hub_gap >= 1, str("axle clearance: hub to upright gap ", hub_gap, " mm < 1 mm"));
rule(collar_d <= bearing_inner_land && collar_d >= shaft_d + 2 * min_wall,
     str("axle clearance: collar ", collar_d, " mm must bear on the inner race only"));
rule(holder_d <= bearing_inner_land && holder_d + 2 * min_clear <= lip_d && holder_d >= magnet_d + 2 * min_wall,
     str("axle clearance: magnet holder ", holder_d, " mm vs lip bore ", lip_d));
rule(hub_len >= 3 + len_tol / 2, str("axle clearance: roller plus end caps do not fit between the uprights (hub ", hub_len, " mm)"));
rule(hub_d < flange_d && flange_d < roller_d - 10 && flange_d > core_id,
     "end cap: flange must cover the core tube and stay inside the foam");
rule(plug_len >= 15 && plug_len <= roller_len / 4, str("end cap: plug length ", plug_len));
rule(shaft_stress <= shaft_yield / 1.5 && shaft_stress_over <= shaft_yield,
     str("shaft: bending stress ", shaft_stress, " MPa at rated load (limit ", shaft_yield / 1.5, "), ",
         shaft_stress_over, " at 150 % (limit ", shaft_yield, "), lever ", lever, " mm"));
rule(axis_h - roller_d / 2 >= 10, "floor: the foam must clear the base plate by 10 mm");
rule(boss_r * 2 >= bearing_od + 2 * 6 && axis_h - boss_r > foot_t, "upright: bearing boss too thin");
rule(stop_kg <= 50 && stop_kg >= cell_max_kg,
     str("overload stop: acts at ", stop_kg, " kg per cell; must be <= 50 (rated) and >= ", cell_max_kg, " (rated roller load)"));
rule(seat_recess >= stop_gap + 0.5,
     str("cell deflection: recess ", seat_recess, " mm, the stop allows ", stop_gap, " mm (+0.5 margin)"));
rule(stop_x - 1.5 - 2 > (cell_w - 2 * retainer_lap) / 2 && stop_x + 3 <= foot_d / 2,
     "overload stop: the stop screws must bear on the retainer outside its opening and sit in the foot");
rule(foot_d / 2 <= cell_w / 2 + seat_wall && cell_tongue_w - 2 > 4, "cell foot: must fit under the seat, boss on the tongue");
rule(abs(2 * x_up - cell_span) < 0.01 && base_l >= cell_span + cell_l + 2 * seat_wall,
     "base: the cells must sit on the cell lines RS_CELL_SPAN_MM apart");
rule(x_up + cell_w / 2 + seat_wall + 3 <= base_l / 2 && x_outer + len_tol + 3 <= base_l / 2
     && cell_dy + seat_screw_y + seat_ear / 2 + 3 <= base_w / 2 && upright_w / 2 + foot_ext + 3 <= base_w / 2,
     "base: cell seats and upright feet must sit inside the plate, screws 3 mm from the edge");
rule(box_y - box_outer[1] / 2 >= roller_d / 2 + 5 && box_y + box_outer[1] / 2 <= base_w / 2,
     "enclosure: must sit on the base behind the roller");
rule(min(box_wall, box_floor, lid_t, seat_top, retainer_t) >= min_wall, "walls: thinner than min_wall");

echo(str("DESIGN magnet_gap=", magnet_gap, " magnet_steel=", magnet_steel, " shaft_stress=", shaft_stress,
         " shaft_stress_over=", shaft_stress_over, " stop_kg=", stop_kg, " cell_max_kg=", cell_max_kg,
         " hub_len=", hub_len, " shaft_len=", shaft_len));

// --- parts (each in its own frame; print() in cad/parts/ turns it onto the bed) ---

// The encoder board's hole-row features (grooves, joints, pads) turned with
// the board: about the X axis through the board centre.
module enc_rows_turn() translate([0, 0, axis_h - enc_chip_dz]) rotate([enc_rows_vertical ? 90 : 0, 0, 0])
    translate([0, 0, -(axis_h - enc_chip_dz)]) children();

// Upright: inner face at x = 0, outer face at x = upright_t, base at z = 0,
// axis at (y, z) = (0, axis_h). The foot widens it along Y (both faces stay
// flat: it prints lying on the outer face, the bearing seat vertical and round).
// encoder = true: board recess, clamp screws and cable channel on the outer
// face. encoder = false (left): slotted screw holes, the upright slides +-len_tol
// along X to fit the real roller length.
module upright(encoder) {
    difference() {
        union() {
            hull() {
                translate([0, -upright_w / 2, 0]) cube([upright_t, upright_w, eps]);
                translate([0, 0, axis_h]) rotate([0, 90, 0]) cylinder(r = boss_r, h = upright_t);
            }
            translate([0, -upright_w / 2 - foot_ext, 0]) cube([upright_t, upright_w + 2 * foot_ext, foot_t]);
        }
        // bearing seat from the inner face, lip bore behind it, 0.5 mm lead-in
        translate([-eps, 0, axis_h]) rotate([0, 90, 0]) cylinder(d = bearing_seat_d, h = bearing_w + eps);
        translate([-1, 0, axis_h]) rotate([0, 90, 0]) cylinder(d = lip_d, h = upright_t + 2);
        translate([-eps, 0, axis_h]) rotate([0, 90, 0]) cylinder(d1 = bearing_seat_d + 1, d2 = bearing_seat_d, h = 0.5);
        if (encoder) {
            // board recess (board + 0.2 mm all round), flush
            translate([upright_t - enc_pocket_depth, -enc_pcb[0] / 2 - 0.2, axis_h - enc_chip_dz - enc_pcb[1] / 2 - 0.2])
                cube([enc_pocket_depth + 1, enc_pcb[0] + 0.4, enc_pcb[1] + 0.4]);
            // a groove under each hole row: the solder joints on the chip side
            enc_rows_turn() for (s = [-1, 1])
                translate([upright_t - enc_pocket_depth - enc_groove[1], -enc_pcb[0] / 2 - 0.2,
                           axis_h - enc_chip_dz + s * enc_row - enc_groove[0] / 2])
                    cube([enc_groove[1] + eps, enc_pcb[0] + 0.4, enc_groove[0]]);
            // two M3 clamp screws whose washers hold the board's bare edges
            for (s = [-1, 1])
                translate([upright_t - 10, s * (enc_pcb[0] / 2 + 2.2), axis_h - enc_chip_dz])
                    rotate([0, 90, 0]) cylinder(d = 2.5, h = 11, $fn = 16);
            // cable channel from the board's P1 end down to the plate
            translate([upright_t - 5, -3.5, -1]) cube([6, 7, axis_h - enc_chip_dz - enc_pcb[1] / 2 + 3]);
        }
        // foot screws (4 x 25 wood screws); slots on the left upright
        for (p = upright_screws) translate([p[0], p[1], -1]) hull()
            for (dx = encoder ? [0] : [-len_tol, len_tol]) translate([dx, 0, 0]) cylinder(d = 4.5, h = foot_t + 2, $fn = 24);
    }
}

// End cap: plug into the core tube, flange, hub and collar; the shaft bore runs
// from the collar end into the plug. Frame: flange's outer face at z = 0, the
// plug towards -z, hub and collar towards +z. Prints plug down: the 45-degree
// chamfer under the flange needs no support, the shaft bore is vertical.
module end_cap() {
    pd = core_id - plug_fit;
    difference() {
        union() {
            translate([0, 0, -plug_len]) cylinder(d1 = pd - 2, d2 = pd, h = 1 + eps);
            translate([0, 0, -plug_len + 1]) cylinder(d = pd, h = plug_len - 1 - (flange_d - pd) / 2 + eps);
            translate([0, 0, -(flange_d - pd) / 2]) cylinder(d1 = pd, d2 = flange_d, h = (flange_d - pd) / 2 + eps);
            translate([0, 0, -eps]) cylinder(d = flange_d, h = flange_t + eps);
            translate([0, 0, flange_t - eps]) cylinder(d = hub_d, h = hub_len + eps);
            translate([0, 0, flange_t + hub_len - eps]) cylinder(d = collar_d, h = collar_len + eps);
        }
        translate([0, 0, flange_t + hub_len + collar_len - shaft_in_cap - 0.5]) cylinder(d = shaft_bore_d, h = shaft_in_cap + 1.5);
    }
}

// Magnet holder: pressed on the shaft end behind the bearing; its inner end
// bears on the inner race, the magnet sits flush in its outer end, holder_floor
// of plastic between the magnet and the steel. Frame: bore end at z = 0.
module magnet_holder() {
    difference() {
        cylinder(d = holder_d, h = holder_len);
        translate([0, 0, -1]) cylinder(d = shaft_bore_d, h = holder_bore + 1);
        translate([0, 0, holder_len - holder_pocket]) cylinder(d = magnet_d + 0.1, h = holder_pocket + 1);
    }
}

// Load-cell seat, screwed under the base plate: holds the cell's frame, a
// recess above the tongue, a wire slot towards the plate's middle (-X), pilot
// holes for the retainer. Frame: the face against the plate at z = 0, the seat
// hangs down to z = -seat_h; the cell enters from below.
module cell_seat() {
    ow = cell_w + 2 * seat_wall;
    difference() {
        translate([-ow / 2, -cell_l / 2 - seat_wall - seat_ear, -seat_h])
            cube([ow, cell_l + 2 * seat_wall + 2 * seat_ear, seat_h]);
        translate([-cell_w / 2 - 0.2, -cell_l / 2 - 0.2, -seat_h - 1]) cube([cell_w + 0.4, cell_l + 0.4, cell_t + 1]);
        translate([-cell_tongue_w / 2 - 1, -cell_l / 2 - 0.2, -seat_h + cell_t - eps])
            cube([cell_tongue_w + 2, cell_l + 0.4, seat_recess + eps]);
        translate([-ow / 2 - 1, -4, -seat_h - 1]) cube([seat_wall + 2, 8, cell_t + 1]);
        for (s = [-1, 1])
            translate([0, s * seat_screw_y, -seat_h - 1]) {
                cylinder(d = 3.8, h = seat_h + 2, $fn = 24);
                cylinder(d = 7.5, h = seat_h - 3 + 1, $fn = 32);
            }
        for (p = retainer_screws()) translate([p[0], p[1], -seat_h - 1]) cylinder(d = 2.5, h = 9, $fn = 16);
    }
}
function retainer_screws() = [for (sx = [-1, 1], sy = [-1, 1]) [sx * (cell_w / 2 + seat_wall / 2), sy * (cell_l / 2 + seat_wall / 2)]];

// Retainer: screwed under the seat, laps retainer_lap under the cell frame so
// the cell cannot drop out when the roller is lifted; the stop screws of the
// foot bear on it at overload. Frame: face against the seat at z = 0, hangs to -retainer_t.
module cell_retainer() {
    ow = cell_w + 2 * seat_wall;
    difference() {
        translate([-ow / 2, -cell_l / 2 - seat_wall, -retainer_t]) cube([ow, cell_l + 2 * seat_wall, retainer_t]);
        translate([-cell_w / 2 + retainer_lap, -cell_l / 2 + retainer_lap, -retainer_t - 1])
            cube([cell_w - 2 * retainer_lap, cell_l - 2 * retainer_lap, retainer_t + 2]);
        for (p = retainer_screws()) translate([p[0], p[1], -retainer_t - 1]) cylinder(d = 3.4, h = retainer_t + 2, $fn = 16);
    }
}

// Foot under each cell: its boss touches only the tongue (epoxy), two M3 x 6
// set screws in its rim are the overload stops (tips stop_gap below the
// retainer, adjusted from below), a rubber pad goes under it. Frame: floor at z = 0.
module cell_foot() {
    difference() {
        union() {
            cylinder(d = foot_d, h = foot_h);
            translate([0, 0, foot_h - eps]) cylinder(d = cell_tongue_w - 2, h = foot_boss_h + eps);
        }
        for (s = [-1, 1]) translate([s * stop_x, 0, -1]) cylinder(d = 2.5, h = foot_h + 2, $fn = 16);
    }
}

// Electronics enclosure: Pro Micro against the -X wall (USB opening), the two
// HX711 modules beside it, cell cable hole in the floor over the plate's hole,
// encoder cable slot in the +X wall, debug header slot in the back wall, two
// screw ears, a cable-tie post for the USB cable's strain relief.
// Frame: floor on z = 0.
module enclosure_box() {
    o = box_outer;
    difference() {
        union() {
            translate([-o[0] / 2, -o[1] / 2, 0]) cube(o);
            for (e = box_ears) translate([e[0] - 6, e[1] - 8, 0]) cube([12, 16, 3]);
            // strain relief post in front of the USB opening
            translate([-o[0] / 2 - 22, -14, 0]) cube([22 + eps, 7, 12]);
        }
        translate([-box_inner[0] / 2, -box_inner[1] / 2, box_floor]) cube([box_inner[0], box_inner[1], o[2]]);
        // micro-USB plug opening
        translate([-o[0] / 2 - 1, -6.5, box_floor]) cube([box_wall + 2, 13, 9]);
        // cable-tie slot through the post (a tie around the USB cable and the post)
        translate([-o[0] / 2 - 14, -15, 5]) cube([4, 9, 2.2]);
        // cell cables up through the floor
        translate([box_hole[0], box_hole[1], -1]) cylinder(d = box_hole[2], h = box_floor + 2);
        // encoder cable slot in the +X wall
        translate([o[0] / 2 - box_wall - 1, -enc_slot[0] / 2, box_floor]) cube([box_wall + 2, enc_slot[0], enc_slot[1]]);
        // debug header slot (3 x 2.54 mm)
        translate([-4.5, o[1] / 2 - box_wall - 1, o[2] - 6]) cube([9, box_wall + 2, 3.5]);
        for (e = box_ears) translate([e[0], e[1], -1]) cylinder(d = 3.4, h = 5, $fn = 16);
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
                        translate([sx * (box_inner[0] - 0.6) - 6.5, sy * (box_inner[1] - 0.6) - 6.5, -1]) cube([13, 13, 4]);
                }
        }
        for (sx = [-1, 1], sy = [-1, 1])
            translate([sx * (box_inner[0] / 2 - 3), sy * (box_inner[1] / 2 - 3), -1]) cylinder(d = 3.4, h = lid_t + 2);
    }
}

// Axial shim (spare): a ring on the inner race's land, for taking up end play
// on the left if the left upright's slots are not enough. Frame: on z = 0.
module axial_shim() {
    difference() {
        cylinder(d = collar_d, h = 0.5);
        translate([0, 0, -1]) cylinder(d = shaft_d + 0.3, h = 3);
    }
}

// Bearing-seat test piece: three seats at -0.1, 0 and +0.1 mm from
// bearing_seat_d, printed like the upright (axis vertical). Press a bearing
// into each; pick the one that takes it with firm thumb pressure and set
// bearing_seat_d to it. One, two and three notches mark the holes.
module bearing_test() {
    difference() {
        translate([-45, -16, 0]) cube([90, 32, bearing_w + 2]);
        for (i = [0:2]) translate([-28 + 28 * i, 0, 0]) {
            translate([0, 0, 2]) cylinder(d = bearing_seat_d - 0.1 + 0.1 * i, h = bearing_w + 1);
            translate([0, 0, bearing_w + 2 - 0.5]) cylinder(d1 = bearing_seat_d - 0.1 + 0.1 * i, d2 = bearing_seat_d + 0.9 + 0.1 * i, h = 0.5 + eps);
            translate([0, 0, -1]) cylinder(d = lip_d, h = 4);
            for (n = [0:i]) translate([-4 + 4 * n, -16 - 1, bearing_w - 1]) cube([1.5, 2.5, 4]);
        }
    }
}

// Base plate (cut from plywood, not printed): pilot holes for the uprights'
// feet, the cell seats and the enclosure ears, the cable hole under the
// enclosure's floor hole. Frame: top at z = 0.
module base_plate() {
    difference() {
        translate([-base_l / 2, -base_w / 2, -base_t]) cube([base_l, base_w, base_t]);
        translate([plate_hole_shift, 0, 0]) for (p = plate_pilots()) translate([p[0], p[1], -base_t - 1]) cylinder(d = p[2], h = base_t + 2, $fn = 16);
        translate([plate_hole_x, box_y + box_hole[1], -base_t - 1]) cylinder(d = plate_hole_d, h = base_t + 2, $fn = 32);
    }
}
// [x, y, drill] of every pilot hole in the plate
function plate_pilots() = concat(
    [for (sx = [-1, 1], p = upright_screws) [sx * (x_inner + p[0]), p[1], 3]],
    [for (sx = [-1, 1], sy = [-1, 1], ey = [-1, 1]) [sx * x_up, sy * cell_dy + ey * seat_screw_y, 2.5]],
    [for (e = box_ears) [e[0], box_y + e[1], 2.5]]);

// --- print orientations (what cad/parts/*.scad export) ------------------------
// upright: outer face on the bed; cell_seat: plate face on the bed; cell_retainer:
// seat face on the bed; end_cap: plug down; lid: top face down; the rest as drawn.
upright_print_standing = false;  // (fixtures only) exports the upright standing on its foot
module print_upright(encoder) if (upright_print_standing) upright(encoder);
    else translate([0, 0, upright_t]) rotate([0, 90, 0]) upright(encoder);
print_flip = false;  // (fixtures only) exports the cell seat the other way up
module print_cell_seat() translate([0, 0, print_flip ? seat_h : 0]) rotate([print_flip ? 0 : 180, 0, 0]) cell_seat();
module print_cell_retainer() translate([0, 0, retainer_t]) cell_retainer();
module print_end_cap() translate([0, 0, plug_len]) end_cap();
