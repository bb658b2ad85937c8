#!/usr/bin/python3
"""geomcheck - collision and clearance matrix over the assembled model.

  geomcheck.py --defaults rs_defaults.h --check cad/check.scad --outdir DIR
               [--bom bom.csv] [--params FIXTURE.json] [-j N] [--expect CODES]

cad/check.scad names every body of the assembled roller (parts, bearings,
boards, screws as their cores, cable runs as wire-bundle tubes, and keep-out
volumes: rotating parts grown by min_clear, the board face). Each body is
exported once as STL; every pair that may touch (below) and whose bounding
boxes overlap is intersected by OpenSCAD, and a non-empty intersection with
volume above 0.05 mm^3 is a collision. Pairs: all, except two rotating bodies
("rot_" prefix: they turn together), two screws, two cables, two keep-outs,
and a keep-out with a rotating body (it is grown from them).

With --bom: the wire (W1) must cover the cable runs (length x wires, +20 %
for slack and stripping), and BOM rows tagged "[cad: NAME]" in their spec
must have the quantity check.scad counts for NAME.

--params FILE: a fixture {"why", "defines": {...}, "pairs": [[a, b], ...],
"expect": "codes"}; defines go to OpenSCAD with the formula rules off
(rules=false), so the geometry alone must catch the mistake.

Codes: cad-collision, cad-render, bom-wire, bom-count. Exit 0 / 1 / 2 as in
hwcheck.py; --expect inverts it for fixtures.
"""
import argparse
import concurrent.futures
import csv
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rs_hwlib as hw  # noqa: E402
import rs_stl  # noqa: E402
from cadcheck import header_defines, report  # noqa: E402

MIN_VOLUME = 0.05   # mm^3: below this an intersection is a touching face


def scad(check, out, defines, timeout=600):
    cmd = ["openscad", "-o", out]
    for k, v in defines.items():
        cmd += ["-D", f"{k}={v}"]
    cmd.append(check)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
    return r.returncode, r.stdout.decode(errors="replace")


def listing(check, outdir, defines):
    rc, log = scad(check, os.path.join(outdir, "list.csg"), dict(defines, what='"list"'))
    if rc != 0 or "ERROR" in log:
        raise hw.HwError(f"{check}: listing failed: {(re.findall(r'ERROR.*', log) or [log.strip()[-200:]])[0]}")
    bodies = re.findall(r'ECHO: "BODY (\S+) (\S+)"', log)
    cables = [(n, float(ln), int(w)) for n, ln, w in re.findall(r'ECHO: "CABLE (\S+) ([0-9.]+) (\d+)"', log)]
    counts = {n: int(c) for n, c in re.findall(r'ECHO: "COUNT (\S+) (\d+)"', log)}
    return bodies, cables, counts


def wanted(a, b):
    (na, ka), (nb, kb) = a, b
    ra, rb = na.startswith("rot_"), nb.startswith("rot_")
    if ka == kb and ka in ("keepout", "screw", "cable"):
        return False
    if ka == "keepout" or kb == "keepout":
        return not (ra or rb)
    return not (ra and rb)


def overlap(b1, b2, tol=0.02):
    return all(b1[0][i] < b2[1][i] - tol and b2[0][i] < b1[1][i] - tol for i in range(3))


def export_body(check, outdir, defines, name):
    stl = os.path.join(outdir, f"body-{name}.stl")
    rc, log = scad(check, stl, dict(defines, what='"body"', a=f'"{name}"'))
    if rc != 0 or not os.path.exists(stl):
        return name, None, log
    return name, rs_stl.bbox(rs_stl.read_stl(stl)), log


def intersect(check, outdir, defines, a, b):
    stl = os.path.join(outdir, f"pair-{a}--{b}.stl")
    if os.path.exists(stl):
        os.remove(stl)
    rc, log = scad(check, stl, dict(defines, what='"pair"', a=f'"{a}"', b=f'"{b}"'))
    if not os.path.exists(stl) or "top level object is empty" in log:
        return a, b, 0.0, None
    return a, b, abs(rs_stl.volume(rs_stl.read_stl(stl))), rs_stl.bbox(rs_stl.read_stl(stl))


def matrix(check, outdir, defines, bodies, only, jobs):
    f = []
    kinds = dict(bodies)
    names = [n for n, _ in bodies]
    if only:
        names = sorted({n for p in only for n in p})
        missing = [n for n in names if n not in kinds]
        if missing:
            raise hw.HwError(f"no body {', '.join(missing)} in the check model")
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        boxes = {}
        for name, box, log in ex.map(lambda n: export_body(check, outdir, defines, n), names):
            if box is None:
                f.append(("cad-render", f"body {name}: {(re.findall(r'ERROR.*', log) or ['no geometry'])[0]}"))
            boxes[name] = box
        if only:
            pairs = [tuple(p) for p in only]
        else:
            pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
                     if wanted((a, kinds[a]), (b, kinds[b]))]
        todo = [(a, b) for a, b in pairs if boxes.get(a) and boxes.get(b) and overlap(boxes[a], boxes[b])]
        print(f"geom: {len(names)} bodies, {len(pairs)} pairs, {len(todo)} with overlapping bounding boxes intersected")
        for a, b, vol, box in ex.map(lambda p: intersect(check, outdir, defines, *p), todo):
            if vol > MIN_VOLUME:
                where = " x ".join(f"{box[0][i]:.1f}..{box[1][i]:.1f}" for i in range(3))
                what = "enters the clearance" if "keepout" in (kinds[a], kinds[b]) else "overlaps"
                f.append(("cad-collision", f"{a} {what} {b}: {vol:.2f} mm^3 at x y z = {where}"))
    return f


def bom_findings(bom, cables, counts):
    """W1 covers the cable runs; rows tagged [cad: NAME] have the CAD's count."""
    f = []
    with open(bom, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    need = 1.2 * sum(ln * w for _, ln, w in cables) / 1000
    w1 = [r for r in rows if r["ref"] == "W1"]
    m = re.search(r"([0-9.]+) m\b", w1[0]["spec"]) if w1 else None
    have = float(m.group(1)) if m else 0.0
    print(f"geom: cable runs need {need:.1f} m of wire ({', '.join(f'{n} {ln:.0f} mm x {w}' for n, ln, w in cables)}), "
          f"BOM W1 has {have:g} m")
    if have < need:
        f.append(("bom-wire", f"BOM W1 lists {have:g} m of wire, the cable runs need {need:.1f} m"))
    for r in rows:
        for name in re.findall(r"\[cad: (\w+)\]", r["spec"]):
            if name not in counts:
                f.append(("bom-count", f"BOM {r['ref']}: check.scad counts no {name}"))
            elif int(r["qty"]) != counts[name]:
                f.append(("bom-count", f"BOM {r['ref']}: qty {r['qty']}, the CAD has {counts[name]} {name}"))
    return f


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--defaults", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--bom")
    ap.add_argument("--params")
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--expect")
    args = ap.parse_args(argv)
    try:
        defines = header_defines(args.defaults)
        only = None
        if args.params:
            with open(args.params, encoding="utf-8") as fh:
                pset = json.load(fh)
            # strings are OpenSCAD text as is; other JSON values become
            # OpenSCAD literals (true, not Python's True)
            defines.update({k: v if isinstance(v, str) else json.dumps(v)
                            for k, v in pset.get("defines", {}).items()})
            defines["rules"] = "false"
            only = pset.get("pairs")
            args.expect = pset.get("expect", args.expect)
        os.makedirs(args.outdir, exist_ok=True)
        bodies, cables, counts = listing(args.check, args.outdir, defines)
        findings = matrix(args.check, args.outdir, defines, bodies, only, args.jobs)
        if args.bom:
            findings += bom_findings(args.bom, cables, counts)
        if not findings:
            print("geom: no collisions, every clearance volume empty")
    except (hw.HwError, OSError, ValueError, KeyError, subprocess.TimeoutExpired) as e:
        print(f"geomcheck: {e}", file=sys.stderr)
        return 2
    return report(findings, args.expect)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
