// rollsense: the assembled roller as named bodies (included by cad/check.scad
// for the collision matrix and by cad/assembly.scad for the pictures).
// Needs lib/rollsense.scad included first.

bodies = [
  ["plate", "solid"], ["upright_R", "solid"], ["upright_L", "solid"],
  ["bearing_R_outer", "solid"], ["rot_bearing_R_inner", "solid"],
  ["rot_cap_R", "solid"], ["rot_shaft_R", "solid"], ["rot_holder_R", "solid"], ["rot_magnet", "solid"],
  ["rot_roller", "solid"], ["enc_board", "board"], ["enc_chip", "board"], ["enc_joints", "board"],
  ["seat_RF", "solid"], ["seat_RB", "solid"], ["seat_LF", "solid"], ["seat_LB", "solid"],
  ["retainer_RF", "solid"], ["cell_RF", "solid"], ["foot_RF", "solid"],
  ["box", "solid"], ["lid", "solid"], ["usb_plug", "solid"],
  ["pro_micro", "board"], ["hx711_L", "board"], ["hx711_R", "board"],
  ["screws_upright_R", "screw"], ["screws_upright_L", "screw"], ["screws_seat_RF", "screw"],
  ["screws_retainer_RF", "screw"], ["screws_stop_RF", "screw"], ["screws_box", "screw"],
  ["screws_lid", "screw"], ["screws_encoder", "screw"], ["enc_washers", "screw"],
  ["cables_cells", "cable"], ["cable_encoder", "cable"],
  ["clear_rotor_R", "keepout"], ["clear_roller", "keepout"], ["clear_board_face", "keepout"],
  ["clear_enc_pads", "keepout"]];

// cable runs: [name, wires, points]; a bundle is a chain of wire_d tubes
cell_dx = x_up - cell_w / 2 - seat_wall;     // the seat's wire slot face (towards the middle)
z_under = -base_t - wire_d / 2 - 0.2;        // clipped to the plate's underside
function cell_run(sx, sy) = [
  [sx * (cell_dx + 2), sy * cell_dy, -base_t - seat_h + cell_t / 2],
  [sx * (cell_dx - 6), sy * cell_dy, -base_t - seat_h + cell_t / 2],
  [sx * (cell_dx - 6), sy * cell_dy, z_under],
  [box_hole[0], sy * cell_dy, z_under],
  [box_hole[0], box_y + box_hole[1], z_under],
  [box_hole[0], box_y + box_hole[1], box_floor + 6]];
enc_x = x_outer - 2.5;
enc_run = [
  [enc_x, 0, axis_h - enc_chip_dz - enc_pcb[1] / 2 - 3],
  [enc_x, 0, wire_d / 2 + 0.2],
  [x_outer + 4, 0, wire_d / 2 + 0.2],
  [x_outer + 4, box_y, wire_d / 2 + 0.2],
  [box_outer[0] / 2 + 6, box_y, box_floor + wire_d / 2 + 0.5],
  [box_inner[0] / 2 - 6, box_y, box_floor + wire_d / 2 + 0.5]];
runs = [["cell_LF", 3, cell_run(-1, -1)], ["cell_LB", 3, cell_run(-1, 1)],
        ["cell_RF", 3, cell_run(1, -1)], ["cell_RB", 3, cell_run(1, 1)],
        ["encoder", 6, enc_run]];
function run_len(p) = len(p) < 2 ? 0 : norm(p[1] - p[0]) + run_len([for (i = [1:len(p) - 1]) p[i]]);
module tube(p) for (i = [0:len(p) - 2]) hull() {
    translate(p[i]) sphere(d = wire_d, $fn = 12);
    translate(p[i + 1]) sphere(d = wire_d, $fn = 12);
}

module at_axis() translate([0, 0, axis_h]) rotate([0, 90, 0]) children();   // local z = world x
module cyl_x(d, x0, x1) at_axis() translate([0, 0, x0]) cylinder(d = d, h = x1 - x0);
module seat_at(sx, sy) translate([sx * x_up, sy * cell_dy, -base_t]) mirror([sx < 0 ? 1 : 0, 0, 0]) children();
module screw(p, z_top, l, d) translate([p[0], p[1], z_top - l]) cylinder(d = d, h = l, $fn = 12);

module body(n) {
    if (n == "plate") base_plate();
    else if (n == "upright_R") translate([x_inner, 0, 0]) upright(true);
    else if (n == "upright_L") mirror([1, 0, 0]) translate([x_inner, 0, 0]) upright(false);
    else if (n == "bearing_R_outer") difference() { cyl_x(bearing_od, x_inner, x_inner + bearing_w); cyl_x(bearing_outer_land, x_inner - 1, x_inner + bearing_w + 1); }
    else if (n == "rot_bearing_R_inner") difference() { cyl_x(bearing_inner_land, x_inner, x_inner + bearing_w); cyl_x(bearing_id, x_inner - 1, x_inner + bearing_w + 1); }
    else if (n == "rot_cap_R") translate([x_rend, 0, axis_h]) rotate([0, 90, 0]) end_cap();
    else if (n == "rot_shaft_R") cyl_x(shaft_d, x_inner + bearing_w + shaft_out - shaft_len, x_inner + bearing_w + shaft_out);
    else if (n == "rot_holder_R") at_axis() translate([0, 0, x_inner + bearing_w]) magnet_holder();
    else if (n == "rot_magnet") cyl_x(magnet_d, x_magnet - magnet_h, x_magnet);
    else if (n == "rot_roller") difference() { cyl_x(roller_d, -x_rend, x_rend); cyl_x(core_id, -x_rend - 1, x_rend + 1); }
    else if (n == "enc_board") translate([x_board, -enc_pcb[0] / 2, axis_h - enc_chip_dz - enc_pcb[1] / 2]) cube([enc_pcb_t, enc_pcb[0], enc_pcb[1]]);
    else if (n == "enc_joints") enc_rows_turn() for (s = [-1, 1])   // solder on the chip side of each hole row
        translate([x_board - enc_joint[1], -enc_row_len / 2 - enc_joint[0] / 2, axis_h - enc_chip_dz + s * enc_row - enc_joint[0] / 2])
            cube([enc_joint[1], enc_row_len + enc_joint[0], enc_joint[0]]);
    else if (n == "enc_chip") translate([x_chip, -enc_chip[0] / 2, axis_h - enc_chip[1] / 2]) cube([enc_chip[2], enc_chip[0], enc_chip[1]]);
    else if (n == "seat_RF") seat_at(1, -1) cell_seat();
    else if (n == "seat_RB") seat_at(1, 1) cell_seat();
    else if (n == "seat_LF") seat_at(-1, -1) cell_seat();
    else if (n == "seat_LB") seat_at(-1, 1) cell_seat();
    else if (n == "retainer_RF") seat_at(1, -1) translate([0, 0, -seat_h]) cell_retainer();
    else if (n == "cell_RF") seat_at(1, -1) translate([-cell_w / 2, -cell_l / 2, -seat_h]) cube([cell_w, cell_l, cell_t]);
    else if (n == "foot_RF") seat_at(1, -1) translate([0, 0, -seat_h - foot_boss_h - foot_h]) cell_foot();
    else if (n == "box") translate([0, box_y, 0]) enclosure_box();
    else if (n == "lid") translate([0, box_y, box_outer[2] + lid_t]) mirror([0, 0, 1]) enclosure_lid();
    else if (n == "usb_plug") translate([pm_pos[0] - usb_plug[0] - 0.5, box_y - usb_plug[1] / 2, usb_z - usb_plug[2] / 2]) cube(usb_plug);
    else if (n == "pro_micro") translate([pm_pos[0], box_y + pm_pos[1], box_floor + tape_t]) cube([pro_micro[0], pro_micro[1], 5]);
    else if (n == "hx711_L") translate([hx_pos[0][0], box_y + hx_pos[0][1], box_floor + tape_t]) cube([hx711[0], hx711[1], 8]);
    else if (n == "hx711_R") translate([hx_pos[1][0], box_y + hx_pos[1][1], box_floor + tape_t]) cube([hx711[0], hx711[1], 8]);
    // screws as their cores (the pilot diameter less 0.2 mm), head seat to tip
    else if (n == "screws_upright_R") for (p = upright_screws) screw([x_inner + p[0], p[1]], foot_t, 25, 2.8);
    else if (n == "screws_upright_L") for (p = upright_screws) screw([-(x_inner + p[0]), p[1]], foot_t, 25, 2.8);
    // (seat and retainer screws point up: head seat at the bottom)
    else if (n == "screws_seat_RF") for (ey = [-1, 1]) screw([x_up, -cell_dy + ey * seat_screw_y], -base_t - 3 + 16, 16, 2.3);
    else if (n == "screws_retainer_RF") seat_at(1, -1) for (p = retainer_screws()) screw(p, -seat_h - retainer_t + 8, 8, 2.3);
    else if (n == "screws_stop_RF") seat_at(1, -1) for (s = [-1, 1]) screw([s * stop_x, 0], -seat_h - retainer_t - stop_gap, 6, 2.3);
    else if (n == "screws_box") for (e = box_ears) screw([e[0], box_y + e[1]], 3, 12, 2.3);
    else if (n == "screws_lid") for (sx = [-1, 1], sy = [-1, 1]) screw([sx * (box_inner[0] / 2 - 3), box_y + sy * (box_inner[1] / 2 - 3)], box_outer[2] + lid_t, 8, 2.3);
    else if (n == "screws_encoder") for (s = [-1, 1]) translate([x_outer - 10, s * (enc_pcb[0] / 2 + 2.2), axis_h - enc_chip_dz]) rotate([0, 90, 0]) cylinder(d = 2.3, h = 10, $fn = 12);
    else if (n == "enc_washers") for (s = [-1, 1])   // the clamp screws' 7 mm washers, on the board's face
        translate([x_outer, s * (enc_pcb[0] / 2 + 2.2), axis_h - enc_chip_dz]) rotate([0, 90, 0]) cylinder(d = 7, h = 0.8, $fn = 24);
    else if (n == "cables_cells") for (r = [0:3]) tube(runs[r][2]);
    else if (n == "cable_encoder") tube(runs[4][2]);
    // clearances as volumes: rotating parts grown by min_clear must stay clear
    // of everything stationary; the board must not stand proud of the face
    else if (n == "clear_rotor_R") union() {
        cyl_x(hub_d + 2 * min_clear, x_rend + flange_t, x_inner - collar_len + min_clear);
        cyl_x(collar_d + 2 * min_clear, x_inner - collar_len, x_inner);
        cyl_x(holder_d + 2 * min_clear, x_inner + bearing_w + 0.01, x_magnet + min_clear);
    }
    else if (n == "clear_roller") cyl_x(roller_d + 2 * min_clear, -x_rend - min_clear, x_rend + min_clear);
    // (its edges left out: the clamp washers lie there)
    else if (n == "clear_board_face") translate([x_outer + 0.01, -enc_pcb[0] / 2 + 1.5, axis_h - enc_chip_dz - enc_pcb[1] / 2]) cube([2, enc_pcb[0] - 3, enc_pcb[1]]);
    // the pads of the hole rows on the wire side (+0.5 mm): no washer on them
    else if (n == "clear_enc_pads") enc_rows_turn() for (s = [-1, 1])
        translate([x_outer + 0.01, -enc_row_len / 2 - enc_joint[0] / 2 - 0.5, axis_h - enc_chip_dz + s * enc_row - enc_joint[0] / 2 - 0.5])
            cube([1.5, enc_row_len + enc_joint[0] + 1, enc_joint[0] + 1]);
}

