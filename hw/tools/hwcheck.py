#!/usr/bin/python3
"""hwcheck - consistency checks of the rollsense hardware design.

  hwcheck.py net  NETLIST [--pins RS_PINS_H] [--dot OUT.dot] [--svg OUT.svg] [--snapshot SVG]
  hwcheck.py pins NETLIST --pins RS_PINS_H [--mutations]
  hwcheck.py bom  BOM NETLIST [--cad-dir DIR] [--readme README.md] [--markdown]
  hwcheck.py udev RULES --defaults RS_DEFAULTS_H

Each prints one line per finding, "error[code]: message", and exits 0 when
there is none, 1 when there are findings, 2 on a bad command line or an
unreadable input. With --expect CODE[,CODE...] the result is inverted into a
fixture test: exit 0 only if the set of finding codes is exactly the one
given, so a broken fixture must fail for its intended reason.
"""
import argparse
import html
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rs_hwlib as hw  # noqa: E402


# --- wiring diagram ---------------------------------------------------------

def _net_colour(net):
    if net in ("VCC",) or net.endswith("EXC_P"):
        return "#c0392b"
    if net == "GND" or net.endswith("EXC_N"):
        return "#222222"
    if "_SIG_" in net:
        return "#1e8449"
    return "#2062b0"


def _esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def netlist_dot(nl, pinmap):
    """DOT text: one table per part (only its wired pins), one edge per
    two-pin net, a labelled junction for nets with three or more pins."""
    used = {}
    for net, conns in nl["nets"].items():
        for ref, pin in conns:
            used.setdefault(ref, []).append(pin)
    sig = {e["label"]: e["signal"] for e in pinmap} if pinmap else {}
    port = {}
    lines = ["graph wiring {", '  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=11, '
             'nodesep=0.25, ranksep=1.2, label="rollsense wiring (generated from hw/netlist/rollsense.yaml)", labelloc=t];',
             '  node [fontname="DejaVu Sans", fontsize=10];', '  edge [fontname="DejaVu Sans", fontsize=9];']
    for ref, p in nl["parts"].items():
        t = nl["types"].get(p["type"])
        if t is None or ref not in used:
            continue
        rows = [f'<tr><td bgcolor="#e8e8e8"><b>{_esc(ref)}</b><br/>{_esc(t["name"])}'
                f'{"<br/><i>" + _esc(p["note"]) + "</i>" if p["note"] else ""}</td></tr>']
        for i, pin in enumerate(t["pins"]):
            if pin not in used[ref]:
                continue
            port[(ref, pin)] = f"p{i}"
            extra = ""
            if t["pins"][pin]["avr"]:
                extra = f' ({t["pins"][pin]["avr"]}{", " + sig[pin] if pin in sig else ""})'
            rows.append(f'<tr><td port="p{i}" align="left">{_esc(pin + extra)}</td></tr>')
        lines.append(f'  "{ref}" [shape=plaintext, label=<<table border="1" cellborder="1" '
                     f'cellspacing="0">{"".join(rows)}</table>>];')
    for net, conns in nl["nets"].items():
        ok = [(r, p) for r, p in conns if (r, p) in port]
        col = _net_colour(net)
        if len(ok) == 2:
            (r1, p1), (r2, p2) = ok
            lines.append(f'  "{r1}":{port[(r1, p1)]} -- "{r2}":{port[(r2, p2)]} '
                         f'[label="{_esc(net)}", color="{col}", fontcolor="{col}", penwidth=1.6];')
        elif len(ok) > 2:
            j = f"net_{net}"
            lines.append(f'  "{j}" [shape=box, style="rounded,filled", fillcolor="white", color="{col}", '
                         f'fontcolor="{col}", label="{_esc(net)}", fontsize=9, height=0.2];')
            for r, p in ok:
                lines.append(f'  "{r}":{port[(r, p)]} -- "{j}" [color="{col}", penwidth=1.6];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def snapshot_findings(nl, pinmap, svg_path):
    """A committed wiring.svg must still show every part, pin row and net
    label that netlist_dot() would draw now (layout may differ between
    graphviz versions, the texts may not)."""
    with open(svg_path, encoding="utf-8") as fh:
        texts = {html.unescape(t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", fh.read())}
    want = set()
    for line in netlist_dot(nl, pinmap).splitlines():
        for t in re.findall(r"<b>(.*?)</b>|<td port=\"p\d+\" align=\"left\">(.*?)</td>|label=\"([^\"]+)\"", line):
            want.update(html.unescape(x) for x in t if x)
    want.discard("rollsense wiring (generated from hw/netlist/rollsense.yaml)")
    missing = sorted(want - texts)
    if missing:
        return [("wiring-snapshot", f"{svg_path} is stale: no {', '.join(missing[:5])}"
                 f"{' ...' if len(missing) > 5 else ''} (redraw: tools/render_previews.sh)")]
    return []


# --- BOM table for the README -----------------------------------------------

BOM_BEGIN = "<!-- bom-table:begin (generated: tools/hwcheck.py bom bom.csv netlist/rollsense.yaml --markdown) -->"
BOM_END = "<!-- bom-table:end -->"


def bom_markdown(rows):
    """The README's BOM table, ending with the 'BOM total' line."""
    out = ["| Ref | Qty | Part | Key specification | Example source | EUR each | EUR |",
           "|---|---:|---|---|---|---:|---:|"]
    for r in rows:
        cells = [r["ref"], str(r["qty"]), r["part"], r["spec"], r["source"],
                 f"{r['unit_eur']:.2f}", f"{r['qty'] * r['unit_eur']:.2f}"]
        out.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    out.append("")
    out.append(f"**BOM total: {hw.bom_total(rows):.2f} EUR** (estimate, single unit, 2026 hobby prices; "
               f"printed parts at filament cost)")
    return "\n".join(out) + "\n"


# --- udev rule --------------------------------------------------------------

def check_udev(path, defaults):
    """The rule matches the firmware's VID:PID and product string (1209:0001
    is the shared pid.codes test pair: other projects' boards use it too),
    grants access with uaccess (logged-in user), never makes the device
    world-writable, and names the symlink by the unique USB serial.

    Codes: udev-no-match, udev-no-uaccess, udev-world-writable,
    udev-no-product (a VID:PID rule without the product string),
    udev-symlink (a symlink not named by ID_SERIAL_SHORT or without a
    non-empty guard), udev-late-file (uaccess is applied by
    73-seat-late.rules, so the file must sort before it), udev-syntax.
    """
    f = []
    vid = f"{defaults['RS_USB_VID']:04x}"
    pid = f"{defaults['RS_USB_PID']:04x}"
    product = defaults.get("RS_USB_PRODUCT")
    base = os.path.basename(path)
    m = re.match(r"(\d+)-", base)
    if not m or int(m.group(1)) >= 73:
        f.append(("udev-late-file", f"{base}: must be named NN-*.rules with NN < 73 for uaccess to apply"))
    matched = uaccess = False
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            keys = re.findall(r'([A-Z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"', s)
            if not keys or re.sub(r'([A-Z_]+(?:\{[^}]*\})?)\s*(==|!=|\+=|-=|:=|=)\s*"[^"]*"\s*,?\s*', "", s):
                f.append(("udev-syntax", f"{base}:{n}: not a list of KEY op \"value\""))
                continue
            d = {(k, op): v for k, op, v in keys}
            v_ok = d.get(("ATTRS{idVendor}", "==")) == vid or d.get(("ATTR{idVendor}", "==")) == vid
            p_ok = d.get(("ATTRS{idProduct}", "==")) == pid or d.get(("ATTR{idProduct}", "==")) == pid
            if v_ok and p_ok:
                matched = True
                if d.get(("TAG", "+=")) == "uaccess":
                    uaccess = True
                if product and product not in (d.get(("ATTRS{product}", "==")),
                                               d.get(("ATTR{product}", "=="))):
                    f.append(("udev-no-product", f"{base}:{n}: matches {vid}:{pid} without "
                              f"the product string \"{product}\""))
                link = d.get(("SYMLINK", "+="))
                if link is not None and ("$env{ID_SERIAL_SHORT}" not in link or
                                         d.get(("ENV{ID_SERIAL_SHORT}", "==")) != "?*"):
                    f.append(("udev-symlink", f"{base}:{n}: the symlink must use the unique "
                              f"serial $env{{ID_SERIAL_SHORT}}, guarded by ENV{{ID_SERIAL_SHORT}}==\"?*\""))
            for (k, op), v in d.items():
                if k == "MODE" and op in ("=", ":="):
                    try:
                        mode = int(v, 8)
                    except ValueError:
                        mode = 0o777
                    if mode & 0o002:
                        f.append(("udev-world-writable", f"{base}:{n}: MODE {v} is world-writable"))
    if not matched:
        f.append(("udev-no-match", f"{base}: no rule matches {vid}:{pid} (rs_defaults.h)"))
    elif not uaccess:
        f.append(("udev-no-uaccess", f"{base}: the {vid}:{pid} rule does not add TAG+=\"uaccess\""))
    return f


# --- pin map mutation self-test ---------------------------------------------

def pin_mutations(nl, pins_path):
    """Move each pin-map signal in turn to another free MCU pin (a copy of
    the header in memory) and require check_pinmap to object every time.
    Returns findings for mutations that went unnoticed."""
    with open(pins_path, encoding="utf-8") as fh:
        text = fh.read()
    pinmap = hw.parse_pinmap(pins_path, text)
    tpins = nl["types"][nl["parts"][nl["mcu"]]["type"]]["pins"]
    used = {e["label"] for e in pinmap}
    free = [(p, s["avr"]) for p, s in tpins.items() if s["kind"] == "gpio" and p not in used]
    if not free:
        return [("pinmap-mutation", "no free MCU pin to move a signal to")]
    f = []
    lines = text.splitlines()
    for e in pinmap:
        label, avr = free[0]
        old = lines[e["line"] - 1]
        new = re.sub(r'X\(\s*(\w+)\s*,\s*[A-F]\s*,\s*[0-7]\s*,\s*(IN|OUT)\s*,\s*"[^"]+"',
                     f'X(\\1, {avr[1]}, {avr[2]}, \\2, "{label}"', old, count=1)
        mutated = "\n".join(lines[:e["line"] - 1] + [new] + lines[e["line"]:])
        moved = hw.parse_pinmap(pins_path, mutated)
        if not [c for c, _ in hw.check_pinmap(nl, moved)]:
            f.append(("pinmap-mutation", f"moving {e['signal']} to {label} went unnoticed"))
    print(f"pins: {len(pinmap)} mutations of rs_pins.h, each moved one signal; "
          f"{len(pinmap) - len(f)} detected")
    return f


# --- main -------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--expect", help="comma-separated finding codes this input must produce (exactly)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("net")
    a.add_argument("netlist")
    a.add_argument("--pins")
    a.add_argument("--dot")
    a.add_argument("--svg")
    a.add_argument("--snapshot", help="a committed wiring SVG that must still match the netlist")
    a.add_argument("--without", action="append", default=[], metavar="SIGNAL",
                   help="check against the pin map with SIGNAL removed (broken-pin-map fixtures)")
    a = sub.add_parser("pins")
    a.add_argument("netlist")
    a.add_argument("--pins", required=True)
    a.add_argument("--mutations", action="store_true")
    a = sub.add_parser("bom")
    a.add_argument("bom")
    a.add_argument("netlist")
    a.add_argument("--cad-dir")
    a.add_argument("--readme", help="check the README's BOM table block (and total) against the CSV")
    a.add_argument("--markdown", action="store_true", help="print the README's BOM table block")
    a = sub.add_parser("udev")
    a.add_argument("rules")
    a.add_argument("--defaults", required=True)
    args = ap.parse_args(argv)

    findings = []
    try:
        if args.cmd == "net":
            nl = hw.load_netlist(args.netlist)
            pinmap = hw.parse_pinmap(args.pins) if args.pins else None
            if args.without:
                if pinmap is None or not set(args.without) <= {e["signal"] for e in pinmap}:
                    raise hw.HwError(f"--without {', '.join(args.without)}: not in the pin map")
                pinmap = [e for e in pinmap if e["signal"] not in args.without]
            findings = hw.check_netlist(nl, pinmap)
            if pinmap:
                findings += hw.check_pinmap(nl, pinmap)
            # What the wiring means is judged only on a netlist whose
            # connectivity is sound, so each fixture fails for one reason.
            if not findings:
                findings = hw.check_semantics(nl, pinmap)
            if args.snapshot and not findings:
                findings = snapshot_findings(nl, pinmap, args.snapshot)
            if not findings:
                print(f"net: {len(nl['parts'])} parts, {len(nl['nets'])} nets, "
                      f"{sum(len(c) for c in nl['nets'].values())} connections: ok")
            if (args.dot or args.svg) and not findings:
                dot = netlist_dot(nl, pinmap)
                if args.dot:
                    with open(args.dot, "w", encoding="utf-8") as fh:
                        fh.write(dot)
                if args.svg:
                    r = subprocess.run(["dot", "-Tsvg", "-o", args.svg], input=dot.encode(),
                                       stderr=subprocess.PIPE)
                    if r.returncode != 0:
                        raise hw.HwError(f"dot failed: {r.stderr.decode(errors='replace').strip()}")
        elif args.cmd == "pins":
            nl = hw.load_netlist(args.netlist)
            pinmap = hw.parse_pinmap(args.pins)
            findings = hw.check_pinmap(nl, pinmap)
            if not findings:
                print(f"pins: {len(pinmap)} rs_pins.h entries agree with the netlist")
            if args.mutations and not findings:
                findings = pin_mutations(nl, args.pins)
        elif args.cmd == "bom":
            nl = hw.load_netlist(args.netlist)
            rows = hw.load_bom(args.bom)
            cad = None
            if args.cad_dir:
                cad = [os.path.splitext(n)[0] for n in os.listdir(args.cad_dir) if n.endswith(".scad")]
            findings = hw.check_bom(rows, nl, cad)
            total = hw.bom_total(rows)
            table = bom_markdown(rows)
            if args.markdown:
                print(table, end="")
                return 0
            if args.readme:
                with open(args.readme, encoding="utf-8") as fh:
                    text = fh.read()
                m = re.search(re.escape(BOM_BEGIN) + r"\n(.*?)" + re.escape(BOM_END), text, re.S)
                if not m:
                    findings.append(("bom-readme", f"{args.readme}: no {BOM_BEGIN} ... {BOM_END} block"))
                elif m.group(1) != table:
                    findings.append(("bom-readme", f"{args.readme}: the BOM table or total differs from bom.csv "
                                     f"(regenerate: hwcheck.py bom --markdown)"))
            if not findings:
                print(f"bom: {len(rows)} rows, {sum(r['qty'] for r in rows)} items, total {total:.2f} EUR: ok")
        elif args.cmd == "udev":
            defaults = hw.require_defines(args.defaults, ["RS_USB_VID", "RS_USB_PID"])
            with open(args.defaults, encoding="utf-8") as fh:
                m = re.search(r'#define\s+RS_USB_PRODUCT\s+"([^"]*)"', fh.read())
            if not m:
                raise hw.HwError(f"{args.defaults}: no RS_USB_PRODUCT string")
            defaults = dict(defaults, RS_USB_PRODUCT=m.group(1))
            findings = check_udev(args.rules, defaults)
            if not findings:
                print(f"udev: {os.path.basename(args.rules)}: ok")
    except (hw.HwError, OSError) as e:
        print(f"hwcheck: {e}", file=sys.stderr)
        return 2

    return hw.report_findings("hwcheck", findings, args.expect)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
