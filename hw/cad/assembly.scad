// rollsense roller, assembled: the pictures of hw/README.md's build guide
// (hw/tools/render_previews.sh renders every view; not a printable part).
// Uses the same parameters, rules and placed bodies as the collision check.
include <lib/rollsense.scad>
include <lib/bodies.scad>

explode = 0;        // mm: pull the parts apart along their assembly direction
view = "assembly";  // see the if-chain at the end

module both(n) { body(n); mirror([1, 0, 0]) body(n); }
module corner(sx, sy, e) translate([0, 0, -e]) seat_at(sx, sy) {
    color("Orange") cell_seat();
    color("LightGray") translate([-cell_w / 2, -cell_l / 2, -seat_h - e]) cube([cell_w, cell_l, cell_t]);
    color("Tomato") translate([0, 0, -seat_h - 2 * e]) cell_retainer();
    color("Orange") translate([0, 0, -seat_h - foot_boss_h - foot_h - 3 * e]) cell_foot();
    color("Black") translate([0, 0, -seat_h - foot_boss_h - foot_h - 3 - 4 * e]) cylinder(d = 20, h = 3);
}
module rotor(e) {
    color("Silver") translate([e, 0, 0]) both("rot_bearing_R_inner");
    color("Silver") translate([e, 0, 0]) both("bearing_R_outer");
    color("DimGray") translate([e / 2, 0, 0]) both("rot_shaft_R");
    color("Orange") translate([e / 3, 0, 0]) both("rot_cap_R");
    color("Gold") translate([1.5 * e, 0, 0]) both("rot_holder_R");
    color("Red") translate([1.5 * e, 0, 0]) body("rot_magnet");
}
module electronics(e) {
    color("DarkSlateGray") body("box");
    color("SlateGray", 0.6) translate([0, 0, 2 * e]) body("lid");
    color("RoyalBlue") translate([0, 0, e / 2]) body("pro_micro");
    color("ForestGreen") translate([0, 0, e / 2]) { body("hx711_L"); body("hx711_R"); }
    color("Black") translate([-e, 0, 0]) body("usb_plug");
}
module whole(e) {
    color("BurlyWood") body("plate");
    color("SteelBlue") translate([e, 0, 0]) body("upright_R");
    color("SteelBlue") translate([-e, 0, 0]) body("upright_L");
    color("ForestGreen") translate([2 * e, 0, 0]) body("enc_board");
    rotor(e);
    color("MediumSeaGreen", 0.5) body("rot_roller");
    for (sx = [-1, 1], sy = [-1, 1]) corner(sx, sy, e / 3);
    electronics(e / 2);
    color("Purple") { body("cables_cells"); body("cable_encoder"); }
}

// The encoder end as a 2D section through the axis (plane y = 0), labelled.
module section() {
    module cut() projection(cut = true) rotate([-90, 0, 0]) children();
    color("SteelBlue") cut() body("upright_R");
    color("Orange") cut() body("rot_cap_R");
    translate([0, 0, 0.1]) {
        color("Silver") cut() { body("bearing_R_outer"); body("rot_bearing_R_inner"); }
        color("DimGray") cut() body("rot_shaft_R");
        color("Gold") cut() body("rot_holder_R");
        color("ForestGreen") cut() body("enc_board");
        color("BurlyWood") cut() intersection() { body("plate"); translate([x_rend - 45, -60, -base_t - 1]) cube([100, 120, base_t + 2]); }
    }
    translate([0, 0, 0.2]) { color("Red") cut() body("rot_magnet"); color("Black") cut() body("enc_chip"); }
    color("Black") translate([0, 0, 0.3]) {
        lbl = [[x_outer + 6, axis_h + 2, str("magnet gap ", magnet_gap, " mm")],
               [x_outer + 6, axis_h + 16, "AS5048A on Adafruit 1210 breakout (flush, 2 M3 clamps)"],
               [x_outer + 6, axis_h - 12, str("magnet holder, ", magnet_steel, " mm of plastic to the steel")],
               [x_outer + 6, axis_h - 26, "608 bearing, seat printed vertical"],
               [x_rend - 42, axis_h + 28, "end cap (collar on the inner race)"],
               [x_rend - 42, axis_h - 32, str("8 x ", shaft_len, " mm shaft")],
               [x_inner - 10, 10, "upright"],
               [x_rend - 42, -base_t + 4, "base plate"]];
        for (l = lbl) translate([l[0], l[1]]) text(l[2], size = 4, font = "DejaVu Sans");
    }
}

// All printed parts in their printing orientation, as exported (bed 220 x 220).
module parts() {
    color("SteelBlue") translate([-110, 0, 0]) print_upright(true);
    color("SteelBlue") translate([-110, 120, 0]) print_upright(false);
    color("Orange") for (i = [0, 1]) translate([75, -60 + i * 125, 0]) print_end_cap();
    color("Gold") for (i = [0, 1]) translate([-150, -40 + i * 20, 0]) magnet_holder();
    color("Orange") for (i = [0:3]) translate([180 + (i % 2) * 55, -60 + floor(i / 2) * 75, 0]) print_cell_seat();
    color("Tomato") for (i = [0:3]) translate([300, -60 + i * 50, 0]) print_cell_retainer();
    color("Orange") for (i = [0:3]) translate([370, -60 + i * 50, 0]) cell_foot();
    color("DarkSlateGray") translate([-40, -140, 0]) enclosure_box();
    color("SlateGray") translate([120, -140, 0]) enclosure_lid();
    color("Khaki") translate([260, -150, 0]) bearing_test();
}

if (view == "assembly") whole(explode);
else if (view == "section") section();
else if (view == "parts") parts();
else if (view == "plate") { color("BurlyWood") body("plate"); color("Purple") body("cables_cells");
                            for (sx = [-1, 1], sy = [-1, 1]) color("Orange") seat_at(sx, sy) cell_seat(); }
else if (view == "corner") { color("BurlyWood") intersection() { body("plate"); translate([x_up - 60, -cell_dy - 60, -base_t - 1]) cube([120, 120, base_t + 2]); }
                             corner(1, -1, explode); color("Purple") body("cables_cells"); color("DimGray") body("screws_stop_RF"); }
else if (view == "box") { electronics(explode); color("Purple") { body("cables_cells"); body("cable_encoder"); } }
else if (view == "bearings") { color("SteelBlue") translate([explode, 0, 0]) body("upright_R"); rotor(explode); translate([2 * explode, 0, 0]) { color("ForestGreen") body("enc_board"); color("Black") body("enc_chip"); color("Silver") body("enc_joints"); } }
else if (view == "test_piece") color("Khaki") bearing_test();
else if (view == "breakout") breakout_view();
else if (view == "measure") measure_view();
else if (view == "stop") stop_section();

// One cell corner cut through the stop screws (plane y = -cell_dy), labelled.
module stop_section() {
    module cut() projection(cut = true) rotate([-90, 0, 0]) translate([0, cell_dy, 0]) children();
    color("BurlyWood") cut() intersection() { body("plate"); translate([x_up - 40, -cell_dy - 40, -base_t - 1]) cube([80, 80, base_t + 2]); }
    color("Orange") cut() body("seat_RF");
    color("LightGray") cut() body("cell_RF");
    color("Tomato") cut() body("retainer_RF");
    color("Orange") cut() body("foot_RF");
    translate([0, 0, 0.1]) color("DimGray") cut() body("screws_stop_RF");
    color("Black") translate([0, 0, 0.3]) {
        zf = -base_t - seat_h;
        lbl = [[x_up + 26, zf - 1.5, str("stop gap ", stop_gap, " mm = 1 turn: acts at ", stop_kg, " kg")],
               [x_up + 26, zf + 3.5, "cell frame (epoxy on its top rim)"],
               [x_up + 26, zf + 8.5, "seat, screwed under the plate"],
               [x_up + 26, zf - 6.5, "retainer: laps 1.5 mm under the frame"],
               [x_up + 26, zf - 11.5, "foot: boss epoxied to the tongue, M3 set screws"]];
        for (l = lbl) translate([l[0], l[1]]) text(l[2], size = 2.6, font = "DejaVu Sans");
    }
}

// The encoder breakout (M12, Adafruit 1210) with U4, C1 and C2, build step 7:
// left the chip side, right the side the capacitors and wires go in from.
// Hole n sits where Adafruit's board file puts the chip's pin n.
function enc_hole(n) = n <= 7 ? [enc_row, enc_row_len / 2 - 2.54 * (n - 1)] : [-enc_row, enc_row_len / 2 - 2.54 * (14 - n)];
module breakout_pcb() difference() {
    color("ForestGreen") linear_extrude(enc_pcb_t) offset(r = 1.27) square([enc_pcb[0] - 2.54, enc_pcb[1] - 2.54], center = true);
    for (n = [1:14]) translate([enc_hole(n)[0], enc_hole(n)[1], -1]) cylinder(d = 1.016, h = enc_pcb_t + 2, $fn = 16);
}
module breakout_labels(mirrored) color("White") for (n = [1:14]) {
    h = enc_hole(n);
    translate([(mirrored ? -1 : 1) * (h[0] + (h[0] > 0 ? -2.0 : 2.0)), h[1], enc_pcb_t + 0.01])
        linear_extrude(0.1) text(str(n), size = 1.2, halign = "center", valign = "center", font = "DejaVu Sans");
}
module breakout_view() {
    // chip side up: the board turned over (mirrored in x)
    translate([-14, 0, 0]) {
        mirror([1, 0, 0]) breakout_pcb();
        color("Black") translate([-enc_chip[0] / 2, -enc_chip[1] / 2, enc_pcb_t]) cube([enc_chip[0], enc_chip[1], enc_chip[2]]);
        color("White") translate([-1.3, 1.7, enc_pcb_t + enc_chip[2]]) cylinder(d = 0.6, h = 0.05, $fn = 12);   // pin-1 dot
        color("Silver") for (n = [1:13]) translate([-enc_hole(n)[0], enc_hole(n)[1], enc_pcb_t]) cylinder(d = enc_joint[0], h = enc_joint[1], $fn = 16);
        breakout_labels(true);
        color("Black") translate([0, -enc_pcb[1] / 2 - 3, 0]) text("chip side", size = 1.4, halign = "center", font = "DejaVu Sans");
    }
    // wire side up: C1 on holes 11 + 13, C2 on 12 + 13, wires on 1-4, 11, 13
    translate([14, 0, 0]) {
        breakout_pcb();
        breakout_labels(false);
        color("Goldenrod") translate([-enc_row + 3.4, enc_hole(11)[1] + 0.6, enc_pcb_t]) cube([1.6, 3.8, 3]);     // C1 100 nF
        color("Sienna") translate([-enc_row + 5.4, enc_hole(12)[1] + 0.2, enc_pcb_t]) cube([1.6, 2.2, 3]);       // C2 10 uF
        wire_colours = ["Blue", "Yellow", "Green", "White"];
        for (n = [1:4]) color(wire_colours[n - 1]) translate([enc_hole(n)[0], enc_hole(n)[1], enc_pcb_t]) cylinder(d = 1, h = 4, $fn = 12);
        color("Red") translate([enc_hole(11)[0], enc_hole(11)[1], enc_pcb_t]) cylinder(d = 1, h = 4, $fn = 12);
        color("Black") translate([enc_hole(13)[0], enc_hole(13)[1], enc_pcb_t]) cylinder(d = 1, h = 4, $fn = 12);
        color("DarkGray") for (a = [[5, 7], [8, 10], [7, 8], [10, 13]])   // TEST pins 5-10 bridged to GND (13)
            hull() for (n = a) translate([enc_hole(n)[0], enc_hole(n)[1], enc_pcb_t + 0.3]) sphere(d = 0.6, $fn = 8);
        color("Black") translate([0, -enc_pcb[1] / 2 - 3, 0]) text("wire side", size = 1.4, halign = "center", font = "DejaVu Sans");
    }
}

// Build step 1: what to measure before printing, each with its parameter.
module measure_view() {
    module label(x, lines) color("Black") for (i = [0:len(lines) - 1])
        translate([x, -roller_d / 2 - 18 - 16 * i, 0]) linear_extrude(0.1)
            text(lines[i], size = 11, halign = "center", font = "DejaVu Sans");
    // the foam roller's core tube, cut open: inner diameter and length
    color("MediumSeaGreen", 0.6) translate([-170, 0, 0]) difference() {
        cylinder(d = roller_d, h = 20);
        translate([0, 0, -1]) cylinder(d = core_id, h = 22);
    }
    label(-170, [str("core_id ", core_id), str("roller_len ", roller_len)]);
    // a load cell's frame
    color("LightGray") translate([-cell_w / 2, -cell_l / 2, 0]) cube([cell_w, cell_l, cell_t]);
    label(0, ["cell frame", str(cell_w, " x ", cell_l, " x ", cell_t)]);
    // the encoder breakout, drawn 3 times its size
    translate([170, 0, 0]) scale(3) {
        color("ForestGreen") linear_extrude(enc_pcb_t) offset(r = 1.27) square([enc_pcb[0] - 2.54, enc_pcb[1] - 2.54], center = true);
        color("Black") translate([-enc_chip[0] / 2, -enc_chip[1] / 2, enc_pcb_t]) cube([enc_chip[0], enc_chip[1], enc_chip[2]]);
    }
    label(170, [str("enc_pcb ", enc_pcb[0]), str("enc_pcb_t ", enc_pcb_t, " (x3)")]);
}
