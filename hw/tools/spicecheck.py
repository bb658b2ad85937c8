#!/usr/bin/python3
"""spicecheck - the force sensor's electrical check with ngspice.

  spicecheck.py --defaults rs_defaults.h --model bridge.cir --netlist NETLIST
                --pins rs_pins.h --workdir DIR [--sens-mv-per-v 1.0] [--rated-load-kg 100] [--expect CODES]

Simulates both bridges at DC for a set of load cases. The deck is generated
from the netlist: each HX711 module's front end (bridge.cir) on the nodes of
its E+/E-/A+/A- nets and every load-cell pin, through its own lead, on the
node of the net the netlist puts it on; each cell is loaded by the side it
sits on (netlist 'side'), and the firmware's left/right reading is the module
on HX_L_DOUT / HX_R_DOUT (rs_pins.h). So a wrongly wired bridge or swapped
sides fail here too. Checks:
  spice-scale     counts per newton from the circuit match
                  RS_DEFAULT_SCALE_COUNTS_PER_N within 1 %
  spice-range     every case (rated load and 150 % of it at the roller's
                  centre and both ends, on both bridges, plus dead load and
                  the worst cell zero imbalance) stays inside the HX711
                  input range (95 % of full scale)
  spice-cm        the input common mode stays inside AGND+1.2 .. AVDD-1.3 V
  spice-avdd      the module's regulator holds AVDD (4.30 V +- 3 %) from
                  4.75 V USB supply upwards
  spice-cell      no single cell sees more than its 150 % safe overload
  spice-position  for a load at the roller's centre and ends, left + right
                  gives the load within 0.2 % and right / (left + right)
                  the position within 1 mm (cells RS_CELL_SPAN_MM apart)
  spice-enc-supply  a switched supply pin (netlist fed=SIGNAL: the
                  encoder's 5V) gets less than the AS5048A's 4.5 V minimum
                  at its 15 mA maximum from a 4.75 V USB supply, through
                  the switch's on-resistance (--switch-ron, the BOM's worst
                  case 10 ohm)
  spice-netlist   the netlist has no two two-cell bridges on the HX_L/HX_R pins
  spice-run       ngspice failed or printed something unparsable
Exit 0 when all pass, 1 on a finding, 2 on bad usage; --expect as in hwcheck.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rs_hwlib as hw  # noqa: E402

G = 9.80665                 # standard gravity, m/s^2 (as in rs_defaults.h)
CELL_RATED_KG = 50.0        # one half-bridge cell
CELL_SAFE_OVERLOAD = 1.5    # datasheet "safe overload 150 % F.S."
ZERO_IMBALANCE = 0.3e-3     # worst cell zero output, V/V (cheap cells: +-0.3 mV/V)
DEAD_LOAD_KG = 3.0          # base plate, uprights, roller, enclosure on the cells
OVERLOAD = 1.5              # the issue: full load plus 50 %
ENC_I = 15e-3               # AS5048A supply current, datasheet maximum
ENC_VMIN = 4.5              # AS5048A minimum supply for 5 V operation
USB_VMIN = 4.75             # USB 2.0 minimum at the port
GAIN = 128


def bridges(nl, pinmap):
    """{reader: {"cells": [...], "fw_side": "L"|"R"|None}} from the netlist.

    A reader is a part with E+/E-/A+/A- pins (HX711 module); its cells are
    the half-bridge cells with a pin on one of its four nets. fw_side is the
    side the firmware believes it reads: the rs_pins.h signal HX_<side>_DOUT
    whose net holds the reader's DT pin.
    """
    net_of = {}
    for net, conns in nl["nets"].items():
        for c in conns:
            net_of.setdefault(c, net)
    dout = {e["net"]: e["signal"] for e in pinmap}
    out = {}
    for ref in hw._parts_with_pins(nl, hw._READER_PINS):
        mine = {net_of.get((ref, p)) for p in hw._READER_PINS} - {None}
        cells = [c for c in hw._parts_with_pins(nl, hw._CELL_PINS)
                 if any(net_of.get((c, p)) in mine for p in hw._CELL_PINS)]
        m = re.fullmatch(r"HX_([LR])_DOUT", dout.get(net_of.get((ref, "DT")), ""))
        out[ref] = {"cells": cells, "fw_side": m.group(1) if m else None}
    return out, net_of


def bridge_lines(case, reader, nl, net_of, cells, forces, rel, rw):
    """One bridge of one load case as wired in the netlist: the module front
    end on the nodes of its E+/E-/A+/A- nets, each cell pin through a lead of
    rw ohm to the node of its own net (whatever that net is)."""
    p = f"{case}_{reader}"
    node = lambda net: f"{p}_{net}"  # noqa: E731
    pins = " ".join(node(net_of[(reader, q)]) for q in ("E+", "E-", "A+", "A-"))
    lines = [f"X{p} vsup_{case} avdd_{p} {pins} vdiff_{p} vcm_{p} code_{p} hx711fe gain={GAIN}"]
    nets = set()
    for c in cells:
        for q in ("BLK", "RED", "WHT"):
            net = net_of.get((c, q))
            if net is None:
                continue
            nets.add(net)
            lines.append(f"Rw{p}_{c}_{q} {p}_{c}_{q} {node(net)} {rw}")
        f, zo = forces[c]
        lines.append(f"X{p}_{c} {p}_{c}_BLK {p}_{c}_RED {p}_{c}_WHT halfcell f={f:.6g} rel={rel:.6g} zo={zo:.6g}")
    # a net the bridge does not drive (a mis-wired cell) must not float
    nets |= {net_of[(reader, q)] for q in ("E+", "E-", "A+", "A-")}
    lines += [f"Rleak{p}_{n} {node(n)} 0 1G" for n in sorted(nets)]
    for c in cells:
        lines += [f"Rleak{p}_{c}_{q} {p}_{c}_{q} 0 1G" for q in ("BLK", "RED", "WHT") if net_of.get((c, q)) is None]
    return lines


def supply_lines(nl, net_of, ron):
    """Deck lines for each supply pin marked fed=SIGNAL (the encoder's 5V):
    the MCU's supply net at the USB minimum, each switch driving the pin's
    net as its on-resistance from its own supply (pwr_in) net, the part as a
    current sink of ENC_I. Returns (lines, [(ref.pin, node)])."""
    lines, probes, nodes = [], [], set()
    pins = lambda r: nl["types"].get(nl["parts"][r]["type"], {}).get("pins", {})  # noqa: E731
    mcu = nl["mcu"]
    for ref in nl["parts"]:
        for pin, spec in pins(ref).items():
            net = net_of.get((ref, pin))
            if not spec.get("fed") or net is None:
                continue
            probes.append((f"{ref}.{pin}", f"sup_{net}"))
            lines.append(f"I_{ref}_{pin} sup_{net} 0 dc {ENC_I}")
            for r, q in nl["nets"][net]:
                if r == mcu or pins(r).get(q, {}).get("kind") != "pwr_out":
                    continue
                for q2, s2 in pins(r).items():
                    if s2["kind"] == "pwr_in" and net_of.get((r, q2)):
                        lines.append(f"R_{r}_{q2} sup_{net_of[(r, q2)]} sup_{net} {ron}")
                        nodes.add(net_of[(r, q2)])
    for q, s in pins(mcu).items():
        if s["kind"] == "pwr_out" and net_of.get((mcu, q)):
            lines.append(f"V_{mcu}_{q} sup_{net_of[(mcu, q)]} 0 dc {USB_VMIN}")
            nodes.discard(net_of[(mcu, q)])
    for n in sorted(nodes):      # a switch fed from a net nothing supplies
        lines.append(f"R_open_{n} sup_{n} 0 1e9")
    return lines, probes


def build_deck(model, cases, br, nl, net_of, rel, rw, supply=([], [])):
    lines = ["* rollsense force sensor check (generated by spicecheck.py from the netlist)",
             f".include {model}"]
    for c in cases:
        lines.append(f"V{c['name']} vsup_{c['name']} 0 dc {c['vsup']}")
        for reader, b in br.items():
            lines += bridge_lines(c["name"], reader, nl, net_of, b["cells"], c["forces"], rel, rw)
    lines += supply[0]
    # ".op" in the deck keeps ngspice -b from exiting 1 ("no simulations run").
    lines += [".op", ".control", "op"]
    lines += [f"print v({node})" for _, node in supply[1]]
    for c in cases:
        for reader in br:
            for q in ("avdd", "vdiff", "vcm", "code"):
                lines.append(f"print v({q}_{c['name']}_{reader})")
    lines += [".endc", ".end", ""]
    return "\n".join(lines)


def load_cases(nl, br, span, length, user, cell_n):
    """Load cases: each cell's force from its side (netlist 'side') and the
    load's position x (0 = centre, + = right); front and back cells share."""
    dead = DEAD_LOAD_KG * G / 2                   # per side

    def share(side, x):
        return 0.5 + x / span if side == "R" else 0.5 - x / span

    def forces(load, x, zo, only=None):
        out = {}
        for b in br.values():
            for c in b["cells"]:
                side = nl["parts"][c]["side"]
                f = (load * share(side, x) + dead) / 2 if only is None else only
                out[c] = (f, zo)
        return out
    xs = (-length / 2, 0.0, length / 2)
    cases = [dict(name="cal0", x=0, forces=forces(0, 0, 0.0, only=0.0), vsup=5.0, range=False),
             dict(name="cal1", x=0, forces=forces(0, 0, 0.0, only=cell_n), vsup=5.0, range=False),
             dict(name="empty", x=0, forces=forces(0, 0, -ZERO_IMBALANCE), vsup=5.0, range=True)]
    for tag, load in (("full", user), ("over", OVERLOAD * user)):
        for i, x in enumerate(xs):
            cases.append(dict(name=f"{tag}{i}", x=x, forces=forces(load, x, ZERO_IMBALANCE), vsup=5.0, range=True))
    for i, x in enumerate(xs):      # no imbalance: sum and ratio compare exactly
        cases.append(dict(name=f"pos{i}", x=x, forces=forces(user, x, 0.0), vsup=5.0, range=False))
    cases.append(dict(name="overlow", x=xs[2], forces=forces(OVERLOAD * user, xs[2], ZERO_IMBALANCE),
                      vsup=4.75, range=True))
    return cases, xs, dead


def simulate(args, deck_text):
    os.makedirs(args.workdir, exist_ok=True)
    deck = os.path.join(args.workdir, "sensor_check.cir")
    with open(deck, "w", encoding="utf-8") as fh:
        fh.write(deck_text)
    r = subprocess.run(["ngspice", "-b", deck], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=200)
    out = r.stdout.decode(errors="replace")
    with open(os.path.join(args.workdir, "sensor_check.log"), "w", encoding="utf-8") as fh:
        fh.write(out)
    vals = {m.group(1).lower(): float(m.group(2))
            for m in re.finditer(r"^v\((\w+)\)\s*=\s*([-+0-9.eE]+)", out, re.M)}
    return r.returncode, vals, deck


def run(args):
    d = hw.require_defines(args.defaults, ["RS_DEFAULT_SCALE_COUNTS_PER_N",
                                           "RS_CELL_SPAN_MM", "RS_ROLLER_LENGTH_MM"])
    nl = hw.load_netlist(args.netlist)
    pinmap = hw.parse_pinmap(args.pins)
    br, net_of = bridges(nl, pinmap)
    by_side = {b["fw_side"]: r for r, b in br.items() if b["fw_side"]}
    if set(by_side) != {"L", "R"} or len(br) != 2 or any(len(b["cells"]) != 2 for b in br.values()):
        return [("spice-netlist", f"need two bridge readers of two cells each on HX_L_DOUT and HX_R_DOUT, "
                 f"netlist has {', '.join(f'{r}: {b}' for r, b in br.items()) or 'none'}")]
    span = float(d["RS_CELL_SPAN_MM"])
    want = float(d["RS_DEFAULT_SCALE_COUNTS_PER_N"])
    cell_n = CELL_RATED_KG * G
    rel = args.sens_mv_per_v * 1e-3 / cell_n      # relative gauge change per newton
    user = args.rated_load_kg * G
    cases, xs, dead = load_cases(nl, br, span, float(d["RS_ROLLER_LENGTH_MM"]), user, cell_n)
    supply = supply_lines(nl, net_of, args.switch_ron)
    rc, vals, deck = simulate(args, build_deck(os.path.abspath(args.model), cases, br, nl, net_of, rel, args.rw,
                                               supply))
    need = [f"{q}_{c['name']}_{r}".lower() for c in cases for r in br for q in ("avdd", "vdiff", "vcm", "code")]
    need += [node.lower() for _, node in supply[1]]
    missing = [k for k in need if k not in vals]
    if rc != 0 or missing:
        return [("spice-run", f"ngspice exit {rc}, missing {missing[:4]} (see {deck[:-4]}.log)")]
    v = lambda q, n, r: vals[f"{q}_{n}_{r}".lower()]  # noqa: E731
    f = []
    cpn = {}
    for side, r in sorted(by_side.items()):
        cpn[side] = (v("code", "cal1", r) - v("code", "cal0", r)) / (2 * cell_n)
        err = (cpn[side] - want) / want
        print(f"spice: {side} side ({r}): counts per newton (gain {GAIN}) = {cpn[side]:.1f}, "
              f"rs_defaults.h says {want:.1f} ({100 * err:+.2f} %)")
        if abs(err) > 0.01:
            f.append(("spice-scale", f"{side} side ({r}) gives {cpn[side]:.1f} counts/N with both its cells "
                      f"loaded, RS_DEFAULT_SCALE_COUNTS_PER_N is {want}"))
    print(f"spice: rated roller load {args.rated_load_kg:g} kg (x{OVERLOAD:g} for 'over'), dead load "
          f"{DEAD_LOAD_KG:g} kg, cell zero imbalance +-{ZERO_IMBALANCE * 1e3:g} mV/V, leads {args.rw:g} ohm")
    print(f"{'case':8} {'side':>4} {'x mm':>6} {'supply':>6} {'cell N':>7} {'AVDD V':>7} {'Vdiff mV':>9} "
          f"{'FS mV':>6} {'used %':>7} {'Vcm V':>6} {'code':>9}")
    for c in cases:
        n = c["name"]
        for side, r in sorted(by_side.items()):
            avdd, vdiff, vcm, code = (v(q, n, r) for q in ("avdd", "vdiff", "vcm", "code"))
            fmax = max(c["forces"][cl][0] for cl in br[r]["cells"])
            fs = 0.5 * avdd / GAIN
            used = abs(vdiff) / fs
            print(f"{n:8} {side:>4} {c['x']:6.0f} {c['vsup']:6.2f} {fmax:7.1f} {avdd:7.3f} "
                  f"{vdiff * 1e3:9.3f} {fs * 1e3:6.2f} {100 * used:7.1f} {vcm:6.3f} {code:9.0f}")
            f += case_findings(c, f"{n}/{side}", avdd, vdiff, vcm, code, fmax, cell_n)
    f += position_findings(v, by_side, cpn, xs, dead, span, user, want)
    for where, node in supply[1]:
        vs = vals[node.lower()]
        print(f"spice: {where} gets {vs:.3f} V at {ENC_I * 1e3:g} mA from {USB_VMIN} V USB "
              f"(switch {args.switch_ron:g} ohm on; AS5048A needs {ENC_VMIN} V)")
        if vs < ENC_VMIN:
            f.append(("spice-enc-supply", f"{where}: {vs:.3f} V at {ENC_I * 1e3:g} mA, below the "
                      f"AS5048A's {ENC_VMIN} V minimum"))
    return f


def case_findings(c, n, avdd, vdiff, vcm, code, fmax, cell_n):
    f = []
    fs = 0.5 * avdd / GAIN
    used = abs(vdiff) / fs
    if c["range"] and (used >= 0.95 or abs(code) >= 2 ** 23 - 1):
        f.append(("spice-range", f"case {n}: {vdiff * 1e3:.2f} mV is {100 * used:.0f} % of the "
                  f"+-{fs * 1e3:.2f} mV input range (limit 95 %)"))
    if not (1.2 <= vcm <= avdd - 1.3):
        f.append(("spice-cm", f"case {n}: input common mode {vcm:.2f} V outside 1.2..{avdd - 1.3:.2f} V"))
    if abs(avdd - 4.30) > 0.03 * 4.30:
        f.append(("spice-avdd", f"case {n}: AVDD {avdd:.3f} V at {c['vsup']} V supply (want 4.30 V +- 3 %)"))
    if fmax > CELL_SAFE_OVERLOAD * cell_n:
        f.append(("spice-cell", f"case {n}: {fmax / G:.1f} kg on one cell exceeds "
                  f"{CELL_SAFE_OVERLOAD * CELL_RATED_KG:g} kg safe overload"))
    return f


def position_findings(v, by_side, cpn, xs, dead, span, user, want):
    """left + right = total force, right / (left + right) = position (design
    brief), with the readings the firmware takes as left and right."""
    f = []
    # each side as calibrated (its own counts per newton); a side that does not
    # respond to an even load keeps the default scale
    k = {sd: (c if abs(c) > 1e-3 * want else want) for sd, c in cpn.items()}
    for i, x in enumerate(xs):
        left = (v("code", f"pos{i}", by_side["L"]) - v("code", "cal0", by_side["L"])) / k["L"]
        right = (v("code", f"pos{i}", by_side["R"]) - v("code", "cal0", by_side["R"])) / k["R"]
        total_n = left + right - 2 * dead
        # the dead load sits at the centre: remove it before taking the ratio
        x_est = ((right - dead) / total_n - 0.5) * span if abs(total_n) > 1e-9 else float("nan")
        print(f"spice: load at x = {x:+.0f} mm: left + right = {total_n:.1f} N (applied {user:.1f} N), "
              f"position from the ratio {x_est:+.1f} mm")
        if not (abs(total_n - user) <= 0.002 * user and abs(x_est - x) <= 1.0):
            f.append(("spice-position", f"x = {x:+.0f} mm: sum {total_n:.1f} N, position {x_est:+.1f} mm"))
    return f


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--defaults", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--netlist", required=True, help="the wiring to simulate (hw/netlist/rollsense.yaml)")
    ap.add_argument("--pins", required=True, help="rs_pins.h: which reader the firmware takes as left/right")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--sens-mv-per-v", type=float, default=1.0,
                    help="cell rated output as it shows in a two-cell full bridge (default 1.0)")
    ap.add_argument("--rated-load-kg", type=float, default=100.0,
                    help="rated user load on the roller (default 100 kg)")
    ap.add_argument("--rw", type=float, default=0.15, help="lead resistance per wire, ohm")
    ap.add_argument("--switch-ron", type=float, default=10.0,
                    help="on-resistance of a supply switch (the encoder's Q1), ohm (default 10: the BOM's worst case)")
    ap.add_argument("--expect")
    args = ap.parse_args(argv)
    try:
        findings = run(args)
    except (hw.HwError, OSError, KeyError, subprocess.TimeoutExpired) as e:
        print(f"spicecheck: {e}", file=sys.stderr)
        return 2
    return hw.report_findings("spicecheck", findings, args.expect)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
