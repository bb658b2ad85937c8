// rollsense roller, assembled (for pictures and for checking the fit by eye;
// not a printable part). Uses the same parameters and rules as the parts.
include <lib/rollsense.scad>

explode = 0;   // mm: pull the parts apart along their assembly direction
view = "assembly";  // "assembly", "section" (encoder end cut at y = 0) or "parts" (print layout)

module placed_upright(side) {   // side: +1 right (encoder), -1 left
    mirror([side < 0 ? 1 : 0, 0, 0])
        translate([x_inner + explode, 0, 0]) upright(side > 0);
}

module placed_cap(side) {
    mirror([side < 0 ? 1 : 0, 0, 0])
        translate([x_rend + explode / 2, 0, axis_h]) rotate([0, 90, 0]) end_cap();
}

if (view == "assembly") whole();
else if (view == "section") section();
else if (view == "parts") parts();

// The encoder end as a 2D section through the axis (plane y = 0), labelled.
module section() {
    module cut() projection(cut = true) rotate([-90, 0, 0]) children();
    color("SteelBlue") cut() translate([x_inner, 0, 0]) upright(true);
    color("Orange") cut() translate([x_rend, 0, axis_h]) rotate([0, 90, 0]) end_cap();
    translate([0, 0, 0.1]) {
        color("Silver") cut() translate([0, 0, axis_h]) rotate([0, 90, 0]) translate([0, 0, x_inner]) difference() {
            cylinder(d = bearing_od, h = bearing_w);
            translate([0, 0, -1]) cylinder(d = bearing_id, h = bearing_w + 2);
        }
        color("DimGray") cut() translate([0, 0, axis_h]) rotate([0, 90, 0])
            translate([0, 0, x_inner + bearing_w + shaft_out - shaft_len]) cylinder(d = shaft_d, h = shaft_len);
        color("Gold") cut() translate([0, 0, axis_h]) rotate([0, 90, 0]) translate([0, 0, x_inner + bearing_w]) magnet_holder();
        color("ForestGreen") cut() translate([x_outer - enc_pocket_depth, -enc_pcb_w / 2, axis_h - enc_pcb_w / 2])
            cube([enc_pcb_t, enc_pcb_w, enc_pcb_w]);
        color("MediumSeaGreen") cut() translate([x_rend - 45, 0, axis_h]) rotate([0, 90, 0]) difference() {
            cylinder(d = roller_d, h = 45, $fn = 96);
            translate([0, 0, -1]) cylinder(d = core_id, h = 47);
        }
        color("BurlyWood") cut() translate([x_rend - 45, -60, -base_t]) cube([base_l / 2 - x_rend + 45, 120, base_t]);
    }
    translate([0, 0, 0.2]) {
        color("Red") cut() translate([0, 0, axis_h]) rotate([0, 90, 0]) translate([0, 0, x_magnet - magnet_h]) cylinder(d = magnet_d, h = magnet_h);
        color("Black") cut() translate([x_chip, -2.5, axis_h - 2.5]) cube([enc_chip_h, 5, 5]);
    }
    color("Black") translate([0, 0, 0.3]) {
        lbl = [[x_outer + 6, axis_h + 2, str("magnet gap ", magnet_gap, " mm")],
               [x_outer + 6, axis_h + 16, "encoder board"],
               [x_outer + 6, axis_h - 12, "magnet holder"],
               [x_outer + 6, axis_h - 26, "608 bearing (behind the holder)"],
               [x_rend - 42, axis_h + 62, "foam roller"],
               [x_rend - 42, axis_h + 28, "end cap"],
               [x_rend - 42, axis_h - 32, "8 mm shaft"],
               [x_inner - 10, 10, "upright"],
               [x_rend - 42, -base_t + 4, "base plate"]];
        for (l = lbl) translate([l[0], l[1]]) text(l[2], size = 4, font = "DejaVu Sans");
    }
}

// All printed parts, each in its printing orientation (see hw/bom.csv).
module parts() {
    color("SteelBlue") translate([-upright_t / 2, -60, 0]) upright(true);
    color("SteelBlue") translate([-upright_t / 2, 60, 0]) upright(false);
    color("Orange") for (i = [0, 1]) translate([120, -65 + i * 125, plug_len]) end_cap();
    color("Gold") for (i = [0, 1]) translate([-75, -20 + i * 25, 0]) magnet_holder();
    color("Orange") for (i = [0:3]) translate([-135 - (i % 2) * 50, -70 + floor(i / 2) * 72, 0]) rotate([180, 0, 0]) cell_seat();
    color("Orange") for (i = [0:3]) translate([-75, -105 + i * 35 + (i >= 2 ? 140 : 0), 0]) cell_foot();
    color("DarkSlateGray") translate([-10, -160, 0]) enclosure_box();
    color("SlateGray") translate([120, -160, 0]) enclosure_lid();
}

module whole() {
    color("BurlyWood") base_plate();
    for (s = [-1, 1]) {
        color("SteelBlue") placed_upright(s);
        color("Orange") placed_cap(s);
        // bearings, shafts and magnet holders
        mirror([s < 0 ? 1 : 0, 0, 0]) translate([0, 0, axis_h]) rotate([0, 90, 0]) {
            color("Silver") translate([0, 0, x_inner + explode]) difference() {
                cylinder(d = bearing_od, h = bearing_w);
                translate([0, 0, -1]) cylinder(d = bearing_id, h = bearing_w + 2);
            }
            color("DimGray") translate([0, 0, x_inner + bearing_w + shaft_out - shaft_len + explode * 0.75])
                cylinder(d = shaft_d, h = shaft_len);
            color("Gold") translate([0, 0, x_inner + bearing_w + explode * 1.2]) magnet_holder();
        }
        for (sy = [-1, 1]) translate([s * x_up, sy * cell_dy, -base_t - explode / 3]) {
            color("Orange") cell_seat();
            color("LightGray") translate([-cell_w / 2, -cell_l / 2, -seat_h - 1]) cube([cell_w, cell_l, cell_t]);
            color("Orange") translate([0, 0, -seat_h - 1 - foot_boss_h - foot_h - explode / 3]) cell_foot();
        }
    }
    // encoder board on the right upright's outer face
    color("ForestGreen") translate([x_outer - enc_pocket_depth + explode * 1.5, -enc_pcb_w / 2, axis_h - enc_pcb_w / 2])
        cube([enc_pcb_t, enc_pcb_w, enc_pcb_w]);
    // the foam roller
    color("MediumSeaGreen", 0.55) translate([-roller_len / 2, 0, axis_h]) rotate([0, 90, 0]) difference() {
        cylinder(d = roller_d, h = roller_len, $fn = 96);
        translate([0, 0, -1]) cylinder(d = core_id, h = roller_len + 2);
    }
    // enclosure
    color("DarkSlateGray") translate([0, box_y, 0]) enclosure_box();
    color("SlateGray") translate([0, box_y, box_outer[2] + lid_t + explode / 2]) mirror([0, 0, 1]) enclosure_lid();
}
