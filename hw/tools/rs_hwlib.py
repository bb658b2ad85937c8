"""rs_hwlib - shared readers for the hw/ checks (stdlib + PyYAML only).

Contract: every reader returns plain Python data or raises HwError with a
one-line message naming the file (and line where known). Checks report
findings as (code, message) pairs; a code names the rule, so tests can
assert that a broken fixture fails for the intended reason and no other.
"""
import csv
import os
import re
import sys

import yaml


class HwError(Exception):
    """Bad input file: the message is one line, ready for stderr."""


# --- firmware headers -------------------------------------------------------

_PINMAP_RE = re.compile(
    r'X\(\s*(\w+)\s*,\s*([A-F])\s*,\s*([0-7])\s*,\s*(IN|OUT)\s*,'
    r'\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\)')


def parse_pinmap(path, text=None):
    """Parse the RS_PINMAP X-macro table of rs_pins.h.

    Returns a list of dicts {signal, port, bit, dir, label, net, line}.
    Only lines inside '#define RS_PINMAP(X)' and its continuation lines are
    read, so X(...) text in comments cannot be mistaken for an entry.
    """
    if text is None:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    entries = []
    inside = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not inside:
            if re.match(r'\s*#\s*define\s+RS_PINMAP\s*\(\s*X\s*\)', line):
                inside = True
            else:
                continue
        for m in _PINMAP_RE.finditer(line):
            entries.append(dict(signal=m.group(1), port=m.group(2),
                                bit=int(m.group(3)), dir=m.group(4),
                                label=m.group(5), net=m.group(6),
                                line=lineno))
        if not line.rstrip().endswith("\\"):
            break
    if not entries:
        raise HwError(f"{path}: no RS_PINMAP entries found")
    return entries


_DEFINE_RE = re.compile(
    r'^\s*#\s*define\s+(\w+)\s+\(?\s*(0x[0-9A-Fa-f]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)[fFuUlL]*\s*\)?\s*$')


def parse_defines(path):
    """Numeric #defines of a header (e.g. rs_defaults.h) as {name: float|int}."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = _DEFINE_RE.match(line)
            if m:
                v = m.group(2)
                out[m.group(1)] = int(v, 16) if v.lower().startswith("0x") else (
                    float(v) if ("." in v or "e" in v.lower()) else int(v))
    return out


def require_defines(path, names):
    d = parse_defines(path)
    missing = [n for n in names if n not in d]
    if missing:
        raise HwError(f"{path}: missing numeric #define {', '.join(missing)}")
    return d


# --- netlist ----------------------------------------------------------------

PIN_KINDS = {"in", "out", "bidir", "passive", "pwr_in", "pwr_out", "gnd",
             "nc", "gpio"}


def _parse_pin_spec(where, spec):
    words = str(spec).split()
    if not words or words[0] not in PIN_KINDS:
        raise HwError(f"{where}: pin kind must be one of {sorted(PIN_KINDS)}, got {spec!r}")
    pin = {"kind": words[0], "required": False, "avr": None, "sig": None, "tie": None, "fed": None}
    for w in words[1:]:
        if w == "required":
            pin["required"] = True
        elif re.fullmatch(r"sig=[A-Za-z0-9_{}]+", w):
            pin["sig"] = w[4:]
        elif re.fullmatch(r"tie=[A-Za-z0-9_]+", w):
            pin["tie"] = w[4:]
        elif re.fullmatch(r"fed=[A-Za-z0-9_]+", w) and pin["kind"] == "pwr_in":
            pin["fed"] = w[4:]
        elif re.fullmatch(r"P[A-F][0-7]", w) and pin["kind"] == "gpio":
            pin["avr"] = w
        else:
            raise HwError(f"{where}: unknown pin attribute {w!r}")
    if pin["kind"] == "gpio" and pin["avr"] is None:
        raise HwError(f"{where}: gpio pin needs its AVR port pin (e.g. PD4)")
    return pin


def _read_yaml(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise HwError(f"{path}: cannot read netlist: {str(e).splitlines()[0]}")
    if not isinstance(doc, dict):
        raise HwError(f"{path}: netlist must be a mapping")
    return doc


def _apply_overlay(path, doc):
    """A fixture may be 'base: FILE' plus changed nets: the base netlist with
    each listed net replaced (a null value deletes the net). The fixture then
    stays one defect away from the design when the design changes."""
    base_path = os.path.join(os.path.dirname(path), str(doc["base"]))
    base = _read_yaml(base_path)
    if "base" in base:
        raise HwError(f"{path}: the base netlist {base_path} is itself an overlay")
    unknown = set(doc) - {"base", "nets"}
    if unknown:
        raise HwError(f"{path}: an overlay may only change nets (not {', '.join(sorted(unknown))})")
    nets = dict(base.get("nets") or {})
    for name, conns in (doc.get("nets") or {}).items():
        if conns is None:
            nets.pop(name, None)
        else:
            nets[name] = conns
    base["nets"] = nets
    return base


def load_netlist(path):
    """Load and shape-check a netlist YAML file.

    Returns {mcu, types: {t: {name, pins: {pin: {kind, required, avr}}}},
    parts: {ref: {type, supplied_with, note}}, nets: {name: [(ref, pin)]}}.
    Shape errors (missing sections, bad pin specs, a connection that is not
    REF.PIN) raise HwError; wiring errors are left to check_netlist().
    """
    doc = _read_yaml(path)
    if "base" in doc:
        doc = _apply_overlay(path, doc)
    for key in ("mcu", "types", "parts", "nets"):
        if key not in doc:
            raise HwError(f"{path}: missing section '{key}'")
    types = {}
    for tname, t in (doc["types"] or {}).items():
        if not isinstance(t, dict) or "name" not in t or not isinstance(t.get("pins"), dict):
            raise HwError(f"{path}: type {tname}: needs 'name' and 'pins'")
        pins = {str(p): _parse_pin_spec(f"{path}: type {tname} pin {p}", s)
                for p, s in t["pins"].items()}
        types[tname] = {"name": str(t["name"]), "pins": pins}
    parts = {}
    for ref, p in (doc["parts"] or {}).items():
        if not isinstance(p, dict) or "type" not in p:
            raise HwError(f"{path}: part {ref}: needs 'type'")
        side = p.get("side")
        if side not in (None, "L", "R"):
            raise HwError(f"{path}: part {ref}: side must be L or R")
        parts[str(ref)] = {"type": p["type"], "supplied_with": p.get("supplied_with"),
                           "note": p.get("note", ""), "side": side}
    nets = {}
    for name, conns in (doc["nets"] or {}).items():
        if not isinstance(conns, list):
            raise HwError(f"{path}: net {name}: must be a list of REF.PIN")
        lst = []
        for c in conns:
            m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\.(\S+)", str(c))
            if not m:
                raise HwError(f"{path}: net {name}: {c!r} is not REF.PIN")
            lst.append((m.group(1), m.group(2)))
        nets[str(name)] = lst
    return {"mcu": str(doc["mcu"]), "types": types, "parts": parts, "nets": nets}


def resolve_gpio(netlist, pinmap):
    """{(ref, pin): 'in'|'out'} for MCU gpio pins named by the pin map."""
    mcu = netlist["mcu"]
    out = {}
    if mcu not in netlist["parts"]:
        return out
    tpins = netlist["types"].get(netlist["parts"][mcu]["type"], {}).get("pins", {})
    by_label = {p: s for p, s in tpins.items()}
    for e in pinmap:
        if e["label"] in by_label:
            out[(mcu, e["label"])] = "out" if e["dir"] == "OUT" else "in"
    return out


def check_netlist(nl, pinmap=None):
    """Electrical rule check. Returns a list of (code, message).

    Codes: unknown-part, unknown-type, unknown-pin, single-pin-net,
    pin-on-two-nets, conflicting-drivers, unconnected-required, nc-connected,
    undriven-net. With a pin map, MCU gpio pins take its direction (OUT pins
    drive); without one they count as bidirectional (never a conflict).
    """
    f = []
    gpio_dir = resolve_gpio(nl, pinmap) if pinmap else {}
    where = {}          # (ref, pin) -> first net
    for ref, p in nl["parts"].items():
        if p["type"] not in nl["types"]:
            f.append(("unknown-type", f"part {ref}: unknown type {p['type']!r}"))
    for net, conns in nl["nets"].items():
        if len(conns) < 2:
            f.append(("single-pin-net", f"net {net}: only one pin "
                      f"({', '.join(r + '.' + p for r, p in conns) or 'none'})"))
        drivers = []
        loads = []
        sources = 0
        for ref, pin in conns:
            rp = f"{ref}.{pin}"
            part = nl["parts"].get(ref)
            if part is None:
                f.append(("unknown-part", f"net {net}: {rp}: no part {ref}"))
                continue
            t = nl["types"].get(part["type"])
            if t is None:
                continue
            spec = t["pins"].get(pin)
            if spec is None:
                f.append(("unknown-pin", f"net {net}: {rp}: type {part['type']} has no pin {pin}"))
                continue
            # A pin on two nets is a short; it still loads/drives both nets.
            if (ref, pin) in where:
                f.append(("pin-on-two-nets", f"{rp} is on nets {where[(ref, pin)]} and {net}"))
            else:
                where[(ref, pin)] = net
            kind = spec["kind"]
            if kind == "gpio":
                kind = gpio_dir.get((ref, pin), "bidir")
            if kind == "nc":
                f.append(("nc-connected", f"net {net}: {rp} must stay unconnected"))
            if kind in ("out", "pwr_out"):
                drivers.append(rp)
            if kind in ("in", "pwr_in"):
                loads.append(rp)
            if kind in ("out", "pwr_out", "bidir", "passive", "gnd"):
                sources += 1
        if len(drivers) > 1:
            f.append(("conflicting-drivers", f"net {net}: {len(drivers)} drivers ({', '.join(drivers)})"))
        if loads and sources == 0:
            f.append(("undriven-net", f"net {net}: inputs {', '.join(loads)} but nothing drives it"))
    for ref, p in nl["parts"].items():
        t = nl["types"].get(p["type"])
        if t is None:
            continue
        for pin, spec in t["pins"].items():
            if spec["required"] and (ref, pin) not in where:
                f.append(("unconnected-required", f"{ref}.{pin} ({t['name']}) is on no net"))
    return f


def check_pinmap(nl, pinmap):
    """The netlist wires each pin-map signal's net to the MCU pin the firmware uses.

    Codes: pinmap-net-missing, pinmap-wrong-pin, pinmap-port-mismatch,
    pinmap-unknown-label, pinmap-unmapped-gpio, pinmap-duplicate.
    """
    f = []
    mcu = nl["mcu"]
    if mcu not in nl["parts"] or nl["parts"][mcu]["type"] not in nl["types"]:
        return [("pinmap-net-missing", f"MCU part {mcu} is not in the netlist")]
    tpins = nl["types"][nl["parts"][mcu]["type"]]["pins"]
    seen_labels = {}
    seen_nets = {}
    for e in pinmap:
        for key, seen in (("label", seen_labels), ("net", seen_nets)):
            if e[key] in seen:
                f.append(("pinmap-duplicate", f"rs_pins.h: {e['signal']} and {seen[e[key]]} share {key} {e[key]}"))
            seen[e[key]] = e["signal"]
        spec = tpins.get(e["label"])
        if spec is None or spec["kind"] != "gpio":
            f.append(("pinmap-unknown-label", f"rs_pins.h: {e['signal']}: {mcu} has no port pin labelled {e['label']}"))
        elif spec["avr"] != f"P{e['port']}{e['bit']}":
            f.append(("pinmap-port-mismatch", f"rs_pins.h: {e['signal']}: label {e['label']} is {spec['avr']} on the board, header says P{e['port']}{e['bit']}"))
        conns = nl["nets"].get(e["net"])
        if conns is None:
            f.append(("pinmap-net-missing", f"netlist has no net {e['net']} (rs_pins.h {e['signal']})"))
            continue
        mcu_pins = [p for r, p in conns if r == mcu]
        if mcu_pins != [e["label"]]:
            f.append(("pinmap-wrong-pin", f"net {e['net']}: wired to {mcu}.{'/'.join(mcu_pins) or '(nothing)'}, rs_pins.h says {mcu}.{e['label']}"))
    mapped = {e["label"] for e in pinmap}
    for net, conns in nl["nets"].items():
        for r, p in conns:
            spec = tpins.get(p) if r == mcu else None
            if spec and spec["kind"] == "gpio" and p not in mapped:
                f.append(("pinmap-unmapped-gpio", f"net {net}: {mcu}.{p} is wired but not in rs_pins.h"))
    return f


_READER_PINS = {"E+", "E-", "A+", "A-"}    # a bridge ADC input (HX711 module)
_CELL_PINS = {"RED", "BLK", "WHT"}         # a half-bridge cell: BLK-RED stretches, RED-WHT shortens


def _parts_with_pins(nl, pins):
    return [ref for ref, p in nl["parts"].items()
            if pins <= set(nl["types"].get(p["type"], {}).get("pins", {}))]


def _bridge_findings(nl, reader, net_of, cells):
    """Findings for one bridge reader, and the side (L/R) of its cells or None.

    Contract (half-bridge cells, BLK-RED stretches, RED-WHT shortens under
    load): E+/E- nets carry only gauge ends (BLK/WHT), A+/A- only centre taps
    (RED); two cells, one tap on each input; each cell spans E+ to E-. A
    cell's tap rises with load when WHT is on E+; the output A+ - A- is the
    sum of both loads with positive sign only if the rising tap of each cell
    is on A+ and the falling one on A-.
    """
    f = []
    nets = {pin: net_of.get((reader, pin)) for pin in _READER_PINS}
    if None in nets.values():
        return f, None          # unconnected-required already says so
    for pin in ("E+", "E-", "A+", "A-"):
        want = ("BLK", "WHT") if pin.startswith("E") else ("RED",)
        for ref, p in nl["nets"][nets[pin]]:
            if ref == reader and p == pin:
                continue
            if ref not in cells or p not in want:
                kind = "excitation" if pin.startswith("E") else "signal"
                f.append(("bridge-excitation", f"{reader}.{pin} ({kind}) net {nets[pin]} also holds {ref}.{p}: "
                          f"{'gauge ends (BLK/WHT)' if kind == 'excitation' else 'only centre taps (RED)'} belong there"))
    if f:
        return f, None
    taps = {ref: net_of.get((ref, "RED")) for ref in cells}
    mine = sorted(ref for ref, n in taps.items() if n in (nets["A+"], nets["A-"]))
    if len(mine) != 2 or taps[mine[0]] == taps[mine[1]]:
        return [("bridge-cells", f"{reader}: needs two cells, one centre tap on A+ and one on A- (has {', '.join(mine) or 'none'})")], None
    sign = {}
    for ref in mine:
        ends = (net_of.get((ref, "BLK")), net_of.get((ref, "WHT")))
        if set(ends) != {nets["E+"], nets["E-"]}:
            f.append(("bridge-excitation", f"{ref}: BLK and WHT must go one to {reader}.E+ and one to {reader}.E-"))
            continue
        rises = ends[1] == nets["E+"]
        sign[ref] = (1 if rises else -1) * (1 if taps[ref] == nets["A+"] else -1)
    if f:
        return f, None
    a, b = mine
    if sign[a] != sign[b]:
        f.append(("bridge-difference", f"{reader}: {a} and {b} act with opposite signs: the output is the "
                  f"difference of their loads (swap one cell's BLK and WHT)"))
    elif sign[a] < 0:
        f.append(("bridge-polarity", f"{reader}: load gives a negative output (swap the A+ and A- wires)"))
    sides = {nl["parts"][r]["side"] for r in mine}
    if len(sides) != 1 or None in sides:
        f.append(("bridge-sides", f"{reader}: cells {a} ({nl['parts'][a]['side']}) and {b} "
                  f"({nl['parts'][b]['side']}) must both be on one known side (side: L or R)"))
        return f, None
    return f, sides.pop()


def _pin_specs(nl, ref):
    return nl["types"].get(nl["parts"][ref]["type"], {}).get("pins", {})


def _switch_findings(nl, ref, pin, sig, net_of, sig_net):
    """Findings for a supply pin marked fed=SIGNAL (the encoder's 5 V).

    Contract: the pin's net is driven (pwr_out) by a switch part, and that
    part has a pin (its gate) on the net rs_pins.h gives SIGNAL, so the
    firmware can cut the supply (supply-unswitched otherwise, also when the
    pin map has no SIGNAL); a resistor joins the gate net to a net that
    feeds the switch (pwr_in: its source), so the switch is off while the
    MCU pin floats in reset and in the bootloader (supply-pullup).
    """
    where = f"{ref}.{pin}"
    if sig not in sig_net:
        return [("supply-unswitched", f"{where}: rs_pins.h has no signal {sig} to switch this supply with")]
    here = net_of.get((ref, pin))
    ctl = sig_net[sig]
    drivers = [r for r, q in nl["nets"].get(here, []) if _pin_specs(nl, r).get(q, {}).get("kind") == "pwr_out"]
    switches = [r for r in drivers if any(net_of.get((r, g)) == ctl and s["kind"] == "in"
                                          for g, s in _pin_specs(nl, r).items())]
    if not switches:
        return [("supply-unswitched", f"{where} is fed by {', '.join(drivers) or 'nothing'} on net {here}, "
                 f"not through a switch whose gate is on {ctl} ({sig} in rs_pins.h)")]
    sw = switches[0]
    feeds = {net_of.get((sw, q)) for q, s in _pin_specs(nl, sw).items() if s["kind"] == "pwr_in"} - {None}
    for r in nl["parts"]:
        pins = _pin_specs(nl, r)
        if len(pins) == 2 and all(s["kind"] == "passive" for s in pins.values()):
            nets = {net_of.get((r, q)) for q in pins}
            if ctl in nets and nets & feeds:
                return []
    return [("supply-pullup", f"{sw}: no resistor from its gate net {ctl} to its supply "
             f"({', '.join(sorted(feeds)) or 'none'}): it would switch on while the MCU pin floats")]


def check_semantics(nl, pinmap=None):
    """Electrical meaning beyond connectivity. Returns a list of (code, message).

    Codes: bridge-excitation, bridge-cells, bridge-difference, bridge-polarity,
    bridge-sides (see _bridge_findings); sig-wrong-net (a pin marked
    sig=SIGNAL is not on the net rs_pins.h gives SIGNAL; {side} in the name is
    the L/R side of the part's bridge, so a left module must read the left
    cells on the HX_L_* pins); sig-unknown (no such rs_pins.h signal);
    tie-wrong (a pin marked tie=NET is not on NET, e.g. HX711 RATE high);
    supply-unswitched, supply-pullup (a supply pin marked fed=SIGNAL, see
    _switch_findings).
    """
    f = []
    net_of = {}
    for net, conns in nl["nets"].items():
        for c in conns:
            net_of.setdefault(c, net)
    cells = set(_parts_with_pins(nl, _CELL_PINS))
    side = {ref: p["side"] for ref, p in nl["parts"].items()}
    for reader in _parts_with_pins(nl, _READER_PINS):
        bf, s = _bridge_findings(nl, reader, net_of, cells)
        f += bf
        side[reader] = s
    sig_net = {e["signal"]: e["net"] for e in pinmap} if pinmap else None
    for ref, p in nl["parts"].items():
        for pin, spec in nl["types"].get(p["type"], {}).get("pins", {}).items():
            here = net_of.get((ref, pin))
            if spec["tie"] and here != spec["tie"]:
                f.append(("tie-wrong", f"{ref}.{pin} must be tied to {spec['tie']}, is on {here or 'no net'}"))
            if spec["fed"] and sig_net is not None:
                f += _switch_findings(nl, ref, pin, spec["fed"], net_of, sig_net)
            if not spec["sig"] or sig_net is None:
                continue
            if "{side}" in spec["sig"] and side.get(ref) is None:
                continue        # bridge-sides (or a broken bridge) already reported
            sig = spec["sig"].replace("{side}", side.get(ref) or "")
            if sig not in sig_net:
                f.append(("sig-unknown", f"{ref}.{pin}: rs_pins.h has no signal {sig}"))
            elif here != sig_net[sig]:
                f.append(("sig-wrong-net", f"{ref}.{pin} must carry {sig} (net {sig_net[sig]}), is on {here or 'no net'}"))
    return f


# --- BOM --------------------------------------------------------------------

BOM_COLUMNS = ["ref", "qty", "part", "kind", "spec", "source", "unit_eur"]
BOM_KINDS = {"electrical", "mechanical", "consumable", "printed", "cut"}


def expand_refs(text):
    """'LC1-LC4' -> [LC1, LC2, LC3, LC4]; 'U1' -> [U1]; spaces separate groups."""
    out = []
    for tok in text.split():
        m = re.fullmatch(r"([A-Z]+)(\d+)(?:-([A-Z]+)(\d+))?", tok)
        if not m or (m.group(3) and m.group(3) != m.group(1)):
            raise HwError(f"bad reference {tok!r} (use U1 or LC1-LC4)")
        a = int(m.group(2))
        b = int(m.group(4)) if m.group(4) else a
        if b < a:
            raise HwError(f"bad reference range {tok!r}")
        out += [f"{m.group(1)}{i}" for i in range(a, b + 1)]
    return out


def load_bom(path):
    """Rows as dicts with 'refs' (expanded) and float 'unit_eur'."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
            header = rows and list(rows[0].keys())
    except OSError as e:
        raise HwError(f"{path}: {e.strerror}")
    if header != BOM_COLUMNS:
        raise HwError(f"{path}: columns must be {','.join(BOM_COLUMNS)}")
    out = []
    for i, r in enumerate(rows, 2):
        try:
            r["refs"] = expand_refs(r["ref"])
            r["qty"] = int(r["qty"])
            r["unit_eur"] = float(r["unit_eur"])
        except (ValueError, HwError) as e:
            raise HwError(f"{path}:{i}: {e}")
        if r["kind"] not in BOM_KINDS:
            raise HwError(f"{path}:{i}: kind must be one of {sorted(BOM_KINDS)}")
        r["line"] = i
        out.append(r)
    return out


def bom_total(rows):
    return round(sum(r["qty"] * r["unit_eur"] for r in rows), 2)


def check_bom(rows, nl, cad_parts):
    """BOM <-> netlist and BOM <-> CAD parts, both ways.

    Codes: bom-qty, bom-duplicate-ref, bom-missing-part (netlist part without
    a BOM row), bom-not-in-netlist (electrical row without a netlist part),
    bom-part-mismatch (row's part differs from the netlist type name),
    bom-missing-cad / bom-not-in-cad (printed/cut rows vs cad/parts/*.scad).
    """
    f = []
    byref = {}
    for r in rows:
        if r["qty"] != len(r["refs"]):
            f.append(("bom-qty", f"bom.csv:{r['line']}: qty {r['qty']} but {len(r['refs'])} references ({r['ref']})"))
        for ref in r["refs"]:
            if ref in byref:
                f.append(("bom-duplicate-ref", f"bom.csv:{r['line']}: {ref} also on line {byref[ref]['line']}"))
            byref[ref] = r
    for ref, p in nl["parts"].items():
        if p["supplied_with"]:
            if p["supplied_with"] not in nl["parts"]:
                f.append(("bom-missing-part", f"netlist {ref}: supplied_with unknown part {p['supplied_with']}"))
            continue
        r = byref.get(ref)
        tname = nl["types"].get(p["type"], {}).get("name", "?")
        if r is None:
            f.append(("bom-missing-part", f"netlist part {ref} ({tname}) has no BOM row"))
        elif r["kind"] != "electrical":
            f.append(("bom-part-mismatch", f"bom.csv:{r['line']}: {ref} is in the netlist but kind is {r['kind']}"))
        elif r["part"] != tname:
            f.append(("bom-part-mismatch", f"bom.csv:{r['line']}: {ref} is {r['part']!r}, netlist type says {tname!r}"))
    for r in rows:
        if r["kind"] == "electrical":
            for ref in r["refs"]:
                p = nl["parts"].get(ref)
                if p is None or p["supplied_with"]:
                    f.append(("bom-not-in-netlist", f"bom.csv:{r['line']}: electrical part {ref} is not in the netlist"))
    if cad_parts is not None:
        bom_cad = {r["part"]: r for r in rows if r["kind"] in ("printed", "cut")}
        for name in sorted(set(cad_parts) - set(bom_cad)):
            f.append(("bom-missing-cad", f"CAD part {name} has no printed/cut BOM row"))
        for name in sorted(set(bom_cad) - set(cad_parts)):
            f.append(("bom-not-in-cad", f"bom.csv:{bom_cad[name]['line']}: {name} has no cad/parts/{name}.scad"))
    return f


def report_findings(tool, findings, expect):
    """Print the (code, message) findings; the exit code: 0 clean, 1 findings.
    With expect (comma-separated codes), 0 when exactly those were found and
    1 otherwise, a line on stderr naming TOOL saying what differed."""
    for code, msg in findings:
        print(f"error[{code}]: {msg}")
    if expect is not None:
        want = {c for c in expect.split(",") if c}
        got = {c for c, _ in findings}
        if got == want:
            print(f"expected failure seen: {', '.join(sorted(want))}")
            return 0
        print(f"{tool}: expected findings {sorted(want)}, got {sorted(got)}", file=sys.stderr)
        return 1
    return 1 if findings else 0
