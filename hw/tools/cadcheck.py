#!/usr/bin/python3
"""cadcheck - render the OpenSCAD parts and check the STLs.

  cadcheck.py --defaults rs_defaults.h --lib cad/lib/rollsense.scad
              --outdir DIR PART.scad... [-D name=value ...] [--expect-rule TEXT]
  cadcheck.py --stl FILE.stl... [--expect CODES]

For each part: openscad renders it to DIR/<part>.stl with the firmware
header's geometry passed as -D (cell_span, roller_d, roller_len), which runs
every design-rule assert(); then the STL must be a closed, consistently
oriented, single-body mesh (own edge check) and admesh must agree (one part,
no disconnected facets). Also checks that the library's standalone defaults
equal the header, so opening a part in the GUI shows the real geometry.

--stl checks given STL files only (mesh rules); --expect CODES inverts the
result as in hwcheck.py (the mesh checks' own fixtures use it).

--params FILE reads a JSON bad parameter set ({"why": ..., "part": ...,
"defines": {name: value}, "expect_rule": TEXT}); --expect-rule TEXT inverts the result for bad parameter sets: exit 0 only if
every part fails to render with an assert message containing "RULE TEXT"
and no STL is left behind.
Exit 0 ok, 1 on a finding, 2 on bad usage.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rs_hwlib as hw  # noqa: E402
import rs_stl  # noqa: E402

HEADER_PARAMS = {"cell_span": "RS_CELL_SPAN_MM", "roller_d": "RS_ROLLER_DIAMETER_MM",
                 "roller_len": "RS_ROLLER_LENGTH_MM"}


def header_defines(path):
    d = hw.require_defines(path, list(HEADER_PARAMS.values()))
    return {k: d[v] for k, v in HEADER_PARAMS.items()}


def check_lib_defaults(lib, want):
    with open(lib, encoding="utf-8") as fh:
        text = fh.read()
    f = []
    for k, v in want.items():
        m = re.search(rf"^\s*{k}\s*=\s*([-0-9.]+)\s*;", text, re.M)
        if not m or float(m.group(1)) != float(v):
            f.append(("cad-defaults", f"{os.path.basename(lib)}: {k} = {m.group(1) if m else '?'}, "
                      f"rs_defaults.h {HEADER_PARAMS[k]} = {v}"))
    return f


def stl_mesh_check(path):
    """(facets, problems) for an ASCII STL: every directed edge must occur once
    with its reverse once (closed, consistently oriented, 2-manifold) and all
    facets must connect through shared edges (one body)."""
    vid = {}
    tris = []
    cur = []
    with open(path, encoding="ascii", errors="replace") as fh:
        for line in fh:
            w = line.split()
            if w and w[0] == "vertex":
                key = tuple(w[1:4])
                cur.append(vid.setdefault(key, len(vid)))
                if len(cur) == 3:
                    tris.append(tuple(cur))
                    cur = []
    if not tris:
        return 0, ["no facets (binary or empty STL?)"]
    problems = []
    directed = {}
    for i, (a, b, c) in enumerate(tris):
        if len({a, b, c}) < 3:
            problems.append(f"degenerate facet {i}")
            continue
        for e in ((a, b), (b, c), (c, a)):
            directed.setdefault(e, []).append(i)
    bad_dup = sum(1 for e, l in directed.items() if len(l) > 1)
    open_edges = sum(1 for (a, b) in directed if (b, a) not in directed)
    if bad_dup:
        problems.append(f"{bad_dup} edges used twice in one direction (non-manifold or flipped)")
    if open_edges:
        problems.append(f"{open_edges} edges without a partner (holes)")
    parent = list(range(len(tris)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for (a, b), l in directed.items():
        for j in l + directed.get((b, a), []):
            ra, rb = find(l[0]), find(j)
            if ra != rb:
                parent[ra] = rb
    bodies = len({find(i) for i in range(len(tris))})
    if bodies != 1:
        problems.append(f"{bodies} separate bodies")
    return len(tris), problems


def admesh_check(path):
    r = subprocess.run(["admesh", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=200)
    out = r.stdout.decode(errors="replace")
    parts = re.search(r"Number of parts\s*:\s*(\d+)", out)
    disc = re.search(r"Total disconnected facets\s*:\s*(\d+)", out)
    if r.returncode != 0 or not parts or not disc:
        return [f"admesh failed (exit {r.returncode})"]
    p = []
    if int(parts.group(1)) != 1:
        p.append(f"admesh: {parts.group(1)} parts")
    if int(disc.group(1)) != 0:
        p.append(f"admesh: {disc.group(1)} disconnected facets")
    return p


def print_findings(name, stl, log, bed):
    """A printed part must fit the bed and lie on the face its part file names.

    The part file echoes "PRINT bed_area_min=A" (mm^2 of its face that must
    touch the bed in the exported orientation) or "PRINT cut" (not printed).
    Codes: cad-bed (larger than the bed), cad-orient (exported on another
    face, or not standing on z = 0), cad-print (the part file says nothing).
    """
    if "PRINT cut" in log:
        return []
    m = re.search(r"PRINT bed_area_min=([0-9.]+)", log)
    if not m:
        return [("cad-print", f"{name}: the part file echoes no PRINT line (bed face or cut)")]
    tris = rs_stl.read_stl(stl)
    lo, hi = rs_stl.bbox(tris)
    size = [hi[i] - lo[i] for i in range(3)]
    f = []
    if size[0] > bed[0] or size[1] > bed[1] or size[2] > bed[2]:
        f.append(("cad-bed", f"{name}: {size[0]:.0f} x {size[1]:.0f} x {size[2]:.0f} mm does not fit the "
                  f"{bed[0]:g} x {bed[1]:g} x {bed[2]:g} mm build volume"))
    area = rs_stl.bed_area(tris)
    if abs(lo[2]) > 1e-3 or area < float(m.group(1)):
        f.append(("cad-orient", f"{name}: {area:.0f} mm^2 on the bed at z = {lo[2]:.2f}, the print face "
                  f"needs {float(m.group(1)):.0f} mm^2 at z = 0 (exported in the wrong orientation?)"))
    if not f:
        print(f"cad: {name}: {size[0]:.0f} x {size[1]:.0f} x {size[2]:.0f} mm, {area:.0f} mm^2 on the bed: ok")
    return f


def render(part, outdir, defines):
    name = os.path.splitext(os.path.basename(part))[0]
    stl = os.path.join(outdir, name + ".stl")
    if os.path.exists(stl):
        os.remove(stl)
    cmd = ["openscad", "-o", stl]
    for k, v in defines.items():
        cmd += ["-D", f"{k}={v}"]
    cmd.append(part)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=280)
    return name, stl, r.returncode, r.stdout.decode(errors="replace")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--defaults")
    ap.add_argument("--lib")
    ap.add_argument("--outdir")
    ap.add_argument("-D", dest="defs", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--expect-rule")
    ap.add_argument("--params", help="JSON bad parameter set: {\"defines\": {...}, \"expect_rule\": ...}")
    ap.add_argument("--stl", action="store_true",
                    help="the arguments are STL files: run only the mesh checks on them")
    ap.add_argument("--expect", help="comma-separated finding codes the input must produce (exactly)")
    ap.add_argument("--bed", default="220x220x250", help="printer build volume, mm (default 220x220x250)")
    ap.add_argument("parts", nargs="+")
    args = ap.parse_args(argv)
    try:
        if args.stl:
            findings = []
            for stl in args.parts:
                nf, problems = stl_mesh_check(stl)
                problems += admesh_check(stl)
                findings += [("cad-mesh", f"{os.path.basename(stl)}: {p}") for p in problems]
            return report(findings, args.expect)
        if not (args.defaults and args.lib and args.outdir):
            print("cadcheck: --defaults, --lib and --outdir are required to render parts", file=sys.stderr)
            return 2
        bed = [float(v) for v in args.bed.split("x")]
        if args.params:
            with open(args.params, encoding="utf-8") as fh:
                pset = json.load(fh)
            args.defs += [f"{k}={v}" for k, v in pset.get("defines", {}).items()]
            args.expect_rule = pset.get("expect_rule", args.expect_rule)
            args.expect = pset.get("expect", args.expect)
        defines = header_defines(args.defaults)
        findings = check_lib_defaults(args.lib, defines) if args.expect_rule is None else []
        for d in args.defs:
            k, sep, v = d.partition("=")
            if not sep or not re.fullmatch(r"[A-Za-z_]\w*", k):
                print(f"cadcheck: bad -D {d!r}", file=sys.stderr)
                return 2
            defines[k] = v
        os.makedirs(args.outdir, exist_ok=True)
        for part in args.parts:
            name, stl, rc, log = render(part, args.outdir, defines)
            rules = re.findall(r"RULE [^\"]*", log)
            if args.expect_rule is not None:
                if rc != 0 and not os.path.exists(stl) and any(x.startswith("RULE " + args.expect_rule) for x in rules):
                    print(f"cad: {name}: rejected as expected: {rules[0]}")
                else:
                    findings.append(("cad-expect", f"{name}: expected 'RULE {args.expect_rule}' to stop the "
                                     f"render; exit {rc}, rules {rules}, STL {'written' if os.path.exists(stl) else 'absent'}"))
                continue
            if rc != 0 or not os.path.exists(stl):
                msg = rules[0] if rules else (log.strip().splitlines() or ["no output"])[-1]
                findings.append(("cad-render", f"{name}: openscad exit {rc}: {msg}"))
                continue
            nf, problems = stl_mesh_check(stl)
            problems += admesh_check(stl)
            for p in problems:
                findings.append(("cad-mesh", f"{name}: {p}"))
            if not problems:
                print(f"cad: {name}: {nf} facets, closed, one body -> {stl}")
                findings += print_findings(name, stl, log, bed)
    except (hw.HwError, OSError, ValueError, subprocess.TimeoutExpired) as e:
        print(f"cadcheck: {e}", file=sys.stderr)
        return 2
    return report(findings, args.expect)


def report(findings, expect):
    return hw.report_findings("cadcheck", findings, expect)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
