#!/usr/bin/python3
"""Unit tests of the hw checkers' pure functions (stdlib unittest), for the
cases the fixture files cannot reach: rules that only fire after the
connectivity checks pass, the overlay loader's errors, the STL measures and
the collision matrix's pair selection, and that the build guide's pictures
are committed and drawn by render_previews.sh.

  test_hwlib.py PINS_H NETLIST
"""
import copy
import os
import struct
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import rs_hwlib as hw  # noqa: E402
import rs_stl  # noqa: E402
import geomcheck  # noqa: E402

PINS, NETLIST = sys.argv[1], sys.argv[2]


def codes(findings):
    return sorted({c for c, _ in findings})


class Semantics(unittest.TestCase):
    def setUp(self):
        self.nl = hw.load_netlist(NETLIST)
        self.pm = hw.parse_pinmap(PINS)

    def test_design_is_clean(self):
        self.assertEqual(hw.check_semantics(self.nl, self.pm), [])

    def test_three_cells_on_one_bridge(self):
        nl = copy.deepcopy(self.nl)
        nl["nets"]["L_SIG_P"].append(("LC3", "RED"))
        nl["nets"]["R_SIG_N"] = [("U3", "A-")]
        self.assertIn("bridge-cells", codes(hw.check_semantics(nl, self.pm)))

    def test_both_taps_on_one_input(self):
        nl = copy.deepcopy(self.nl)
        nl["nets"]["L_SIG_P"] = [("U2", "A+"), ("LC2", "RED"), ("LC1", "RED")]
        nl["nets"]["L_SIG_N"] = [("U2", "A-")]
        self.assertEqual(codes(hw.check_semantics(nl, self.pm)), ["bridge-cells"])

    def test_reader_pins_mixed_on_one_net(self):
        nl = copy.deepcopy(self.nl)
        nl["nets"]["L_EXC_N"] = [("U2", "E-"), ("U2", "A-"), ("LC1", "WHT"), ("LC2", "BLK")]
        nl["nets"]["L_SIG_N"] = [("LC1", "RED"), ("U2", "B-")]
        self.assertIn("bridge-excitation", codes(hw.check_semantics(nl, self.pm)))

    def test_unknown_signal(self):
        pm = [e for e in self.pm if e["signal"] != "ENC_CS"]
        self.assertEqual(codes(hw.check_semantics(self.nl, pm)), ["sig-unknown"])

    def test_without_pinmap_only_bridges_and_ties(self):
        nl = copy.deepcopy(self.nl)
        nl["nets"]["ENC_CS"] = [("U1", "D10"), ("U4", "CLK")]
        nl["nets"]["ENC_SCK"] = [("U1", "D15"), ("U4", "CSN")]
        self.assertEqual(hw.check_semantics(nl, None), [])
        self.assertEqual(codes(hw.check_semantics(nl, self.pm)), ["sig-wrong-net"])

    def test_tie_on_no_net(self):
        nl = copy.deepcopy(self.nl)
        nl["nets"]["VCC"] = [c for c in nl["nets"]["VCC"] if c != ("U3", "RATE")]
        f = hw.check_semantics(nl, self.pm)
        self.assertEqual(codes(f), ["tie-wrong"])
        self.assertIn("no net", f[0][1])

    def test_switch_pin_missing_from_pinmap(self):
        # The semantic rule alone (connectivity would also object to D8).
        pm = [e for e in self.pm if e["signal"] != "ENC_PWR"]
        f = hw.check_semantics(self.nl, pm)
        self.assertEqual(codes(f), ["sig-unknown", "supply-unswitched"])
        self.assertIn("no signal ENC_PWR", [m for c, m in f if c == "supply-unswitched"][0])

    def test_switch_gate_on_mcu_output_is_not_a_switch(self):
        # The MCU has a pin on the gate net, yet feeding the encoder from
        # its VCC does not make the supply switched.
        nl = copy.deepcopy(self.nl)
        nl["nets"]["VCC"].append(("U4", "5V"))
        del nl["nets"]["ENC_VCC"]
        self.assertEqual(codes(hw.check_semantics(nl, self.pm)), ["supply-unswitched"])

    def test_switch_pullup_to_another_net(self):
        # A resistor on the gate net that goes anywhere but the switch's
        # source is no pull-up; one straight to it is.
        nl = copy.deepcopy(self.nl)
        nl["nets"]["VCC"].remove(("R1", "1"))
        nl["nets"]["ENC_VCC"].append(("R1", "1"))
        self.assertEqual(codes(hw.check_semantics(nl, self.pm)), ["supply-pullup"])

    def test_fed_needs_a_supply_pin(self):
        with self.assertRaises(hw.HwError):
            hw._parse_pin_spec("t", "in required fed=ENC_PWR")

    def test_unknown_side_is_rejected(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "n.yaml")
            with open(NETLIST, encoding="utf-8") as fh:
                text = fh.read().replace("side: L, note: front left", "side: X, note: front left")
            with open(p, "w", encoding="utf-8") as fh:
                fh.write(text)
            with self.assertRaises(hw.HwError):
                hw.load_netlist(p)


class Overlay(unittest.TestCase):
    def write(self, d, name, text):
        p = os.path.join(d, name)
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(text)
        return p

    def test_overlay_replaces_and_deletes_nets(self):
        with tempfile.TemporaryDirectory() as d:
            p = self.write(d, "o.yaml", f"base: {os.path.abspath(NETLIST)}\nnets:\n  LED: null\n  X: [U1.D8, U1.D9]\n")
            nl = hw.load_netlist(p)
            self.assertNotIn("LED", nl["nets"])
            self.assertEqual(nl["nets"]["X"], [("U1", "D8"), ("U1", "D9")])
            self.assertIn("VCC", nl["nets"])

    def test_overlay_may_change_only_nets(self):
        with tempfile.TemporaryDirectory() as d:
            p = self.write(d, "o.yaml", f"base: {os.path.abspath(NETLIST)}\nparts: {{}}\n")
            with self.assertRaisesRegex(hw.HwError, "only change nets"):
                hw.load_netlist(p)

    def test_overlay_of_overlay_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "a.yaml", f"base: {os.path.abspath(NETLIST)}\n")
            p = self.write(d, "b.yaml", "base: a.yaml\n")
            with self.assertRaisesRegex(hw.HwError, "itself an overlay"):
                hw.load_netlist(p)


CUBE = [((0, 0, 0), (1, 1, 0), (1, 0, 0)), ((0, 0, 0), (0, 1, 0), (1, 1, 0)),   # bottom, facing down
        ((0, 0, 1), (1, 0, 1), (1, 1, 1)), ((0, 0, 1), (1, 1, 1), (0, 1, 1)),   # top
        ((0, 0, 0), (1, 0, 0), (1, 0, 1)), ((0, 0, 0), (1, 0, 1), (0, 0, 1)),   # front
        ((0, 1, 0), (1, 1, 1), (1, 1, 0)), ((0, 1, 0), (0, 1, 1), (1, 1, 1)),   # back
        ((0, 0, 0), (0, 0, 1), (0, 1, 1)), ((0, 0, 0), (0, 1, 1), (0, 1, 0)),   # left
        ((1, 0, 0), (1, 1, 0), (1, 1, 1)), ((1, 0, 0), (1, 1, 1), (1, 0, 1))]   # right


def scaled(tris, s, dz=0.0):
    return [tuple((p[0] * s, p[1] * s, p[2] * s + dz) for p in t) for t in tris]


class Stl(unittest.TestCase):
    def test_volume_bbox_and_bed_area(self):
        t = scaled(CUBE, 2.0, dz=3.0)
        self.assertAlmostEqual(rs_stl.volume(t), 8.0)
        self.assertEqual(rs_stl.bbox(t), ((0, 0, 3.0), (2.0, 2.0, 5.0)))
        self.assertAlmostEqual(rs_stl.bed_area(t), 4.0)

    def test_upside_down_has_no_bed_face_down(self):
        flipped = [tuple((p[0], p[1], -p[2]) for p in tri) for tri in CUBE]   # mirrored: facets inverted
        self.assertAlmostEqual(rs_stl.bed_area(flipped), 0.0)

    def test_empty(self):
        self.assertIsNone(rs_stl.bbox([]))
        self.assertEqual(rs_stl.bed_area([]), 0.0)

    def test_empty_ascii_solid_is_no_geometry(self):
        # OpenSCAD's STL of an intersection of two bodies that only touch
        with tempfile.TemporaryDirectory() as d:
            e = os.path.join(d, "e.stl")
            with open(e, "w", encoding="ascii") as fh:
                fh.write("solid OpenSCAD_Model\nendsolid OpenSCAD_Model\n")
            self.assertEqual(rs_stl.read_stl(e), [])
            with open(e, "wb") as fh:
                fh.write(b"solid but short")
            with self.assertRaises(ValueError):
                rs_stl.read_stl(e)

    def test_binary_and_ascii_agree(self):
        with tempfile.TemporaryDirectory() as d:
            b = os.path.join(d, "b.stl")
            with open(b, "wb") as fh:
                fh.write(b"\0" * 80 + struct.pack("<I", len(CUBE)))
                for t in CUBE:
                    fh.write(struct.pack("<12fH", 0, 0, 0, *[c for p in t for c in p], 0))
            a = os.path.join(d, "a.stl")
            with open(a, "w", encoding="ascii") as fh:
                fh.write("solid x\n")
                for t in CUBE:
                    fh.write("facet normal 0 0 0\nouter loop\n" + "".join(f"vertex {p[0]} {p[1]} {p[2]}\n" for p in t)
                             + "endloop\nendfacet\n")
                fh.write("endsolid x\n")
            self.assertAlmostEqual(rs_stl.volume(rs_stl.read_stl(b)), 1.0, places=6)
            self.assertAlmostEqual(rs_stl.volume(rs_stl.read_stl(a)), 1.0, places=6)
            with open(b, "r+b") as fh:
                fh.truncate(100)
            with self.assertRaises(ValueError):
                rs_stl.read_stl(b)


class Pairs(unittest.TestCase):
    def test_which_pairs_are_checked(self):
        w = geomcheck.wanted
        self.assertTrue(w(("upright_R", "solid"), ("bearing_R_outer", "solid")))
        self.assertTrue(w(("rot_cap_R", "solid"), ("upright_R", "solid")))
        self.assertFalse(w(("rot_cap_R", "solid"), ("rot_shaft_R", "solid")))
        self.assertFalse(w(("screws_a", "screw"), ("screws_b", "screw")))
        self.assertFalse(w(("cable_a", "cable"), ("cable_b", "cable")))
        self.assertTrue(w(("cable_a", "cable"), ("screws_b", "screw")))
        self.assertFalse(w(("clear_a", "keepout"), ("clear_b", "keepout")))
        self.assertFalse(w(("clear_rotor_R", "keepout"), ("rot_magnet", "solid")))
        self.assertTrue(w(("clear_rotor_R", "keepout"), ("upright_R", "solid")))
        self.assertTrue(w(("enc_board", "board"), ("clear_board_face", "keepout")))

    def test_touching_boxes_do_not_overlap(self):
        a = ((0, 0, 0), (1, 1, 1))
        self.assertFalse(geomcheck.overlap(a, ((1, 0, 0), (2, 1, 1))))
        self.assertFalse(geomcheck.overlap(a, ((0.99, 0, 0), (2, 1, 1))))
        self.assertTrue(geomcheck.overlap(a, ((0.9, 0.9, 0.9), (2, 2, 2))))
        self.assertFalse(geomcheck.overlap(a, ((0.5, 0.5, 1.5), (2, 2, 2))))


class BomLinks(unittest.TestCase):
    def test_wire_and_counts(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "bom.csv")
            with open(p, "w", encoding="utf-8") as fh:
                fh.write("ref,qty,part,kind,spec,source,unit_eur\n"
                         "W1,1,wire,consumable,\"about 2 m\",x,1\n"
                         "F1-F4,4,screw,mechanical,\"ears [cad: enclosure_screws]\",x,1\n"
                         "F5,1,screw,mechanical,\"[cad: nothing]\",x,1\n")
            f = geomcheck.bom_findings(p, [("a", 1000.0, 2)], {"enclosure_screws": 2})
            self.assertEqual(sorted(c for c, _ in f), ["bom-count", "bom-count", "bom-wire"])
            f = geomcheck.bom_findings(p, [("a", 800.0, 2)], {"enclosure_screws": 4, "nothing": 1})
            self.assertEqual(f, [])


class BuildGuidePictures(unittest.TestCase):
    def test_every_picture_is_committed_and_rendered(self):
        # hw/README.md shows images/NAME: the file is committed and
        # tools/render_previews.sh draws it (so the build regenerates it).
        import re
        root = os.path.join(HERE, "..")
        with open(os.path.join(root, "README.md"), encoding="utf-8") as fh:
            shown = set(re.findall(r"\]\(images/([\w.-]+)\)", fh.read()))
        with open(os.path.join(root, "tools", "render_previews.sh"), encoding="utf-8") as fh:
            script = fh.read()
        self.assertGreaterEqual(len(shown), 10)
        for name in sorted(shown):
            self.assertTrue(os.path.isfile(os.path.join(root, "images", name)), name)
            self.assertTrue(re.search(r"\b%s\b" % re.escape(os.path.splitext(name)[0]), script),
                            f"{name} is not drawn by tools/render_previews.sh")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
