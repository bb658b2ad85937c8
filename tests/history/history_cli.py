#!/usr/bin/env python3
"""`rollsense history` and `rollsense sessions` end to end on a directory of
synthetic daily sessions written through the real recorder (hist_gen,
hist_synth.h): the --json days, holds, recurring spots and clusters equal the
ground truth of where the holds were put; the catalog is created 0600, fresh
on the next run, updated when a session is added, rebuilt with a one-line
note when damaged; -o writes a 0600 PNG (also over an old 0644 file, under
umask 022) without a display; bad options exit 2.
Usage: history_cli.py ROLLSENSE HIST_GEN"""
import json
import os
import stat
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(args, code=0):
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if p.returncode != code:
        fail("%s: exit %d, want %d: %s" % (" ".join(args), p.returncode, code, p.stderr))
    return p


def history(rs, d, *extra):
    p = run([rs, "history", "--dir", d, "--json"] + list(extra))
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    return lines, p.stderr


def plan(d):
    """hist_synth.h's hs_plan_day: (leg, pos_cm, seconds, bw) per hold."""
    holds = []
    if d % 5 != 2:
        holds.append((0, 14.0 + 0.3 * (d % 5 - 2), 24 + d % 5, 30 + d % 4))
    if d % 2 == 0:
        holds.append((1, 9.0, 20, 28))
    if d % 7 == 0:
        holds.append((0, 28.0, 16, 35))
    return holds


def median(v):
    v = sorted(v)
    n = len(v)
    return None if n == 0 else v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def check_days(lines, ndays):
    days = [l for l in lines if l["type"] == "day"]
    if len(days) != ndays:
        fail("%d day lines, want %d" % (len(days), ndays))
    for d, row in enumerate(days):
        h = plan(d)
        want = {"date": "2026-01-%02d" % (d + 1), "sessions": 1,
                "time_left_s": 170.0 + d % 20, "time_right_s": 150.0 + d % 30,
                "holds_left": sum(1 for x in h if x[0] == 0),
                "holds_right": sum(1 for x in h if x[0] == 1),
                "typical_bw_pct": median([x[3] for x in h]),
                "routines_completed": 1 if d % 3 == 0 else 0}
        for k, v in want.items():
            if row[k] != v:
                fail("day %d: %s = %r, want %r" % (d, k, row[k], v))
    dots = [l for l in lines if l["type"] == "hold"]
    want = sum(len(plan(d)) for d in range(ndays))
    if len(dots) != want:
        fail("%d hold lines, want %d" % (len(dots), want))


def check_spots(lines):
    spots = [l for l in lines if l["type"] == "spot"]
    if len(spots) != 2:
        fail("spots: %r" % spots)
    left, right = spots
    # days 7..11: the 14 cm spot on 8, 9, 10, 11 (not 7), held 27 28 24 25 s
    if (left["leg"], left["sessions"], left["window"], left["holds"]) != ("left", 4, 5, 4):
        fail("left spot: %r" % left)
    if abs(left["pos_cm"] - 14.0) > 0.05 or abs(left["mean_s"] - 26.0) > 0.05:
        fail("left spot place: %r" % left)
    if left["text"] != ("left calf, 14 cm above the Achilles: held in 4 of the last 5 "
                        "sessions, 26 s on average"):
        fail("left spot text: %r" % left["text"])
    if (right["leg"], right["sessions"], right["pos_cm"]) != ("right", 2, 9.0):
        fail("right spot: %r" % right)
    clusters = [(c["leg"], round(c["pos_cm"]), c["sessions"]) for c in lines
                if c["type"] == "cluster"]
    if clusters != [("left", 14, 10), ("right", 9, 6), ("left", 28, 2)]:
        fail("clusters: %r" % clusters)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def check_catalog(rs, gen, d):
    cat = os.path.join(d, "catalog.rscat")
    os.unlink(cat)  # made by the first run: deleting it loses nothing
    first, err = history(rs, d)
    if first[-1]["catalog"] != "rebuilt" or err:
        fail("first run: %r %r" % (first[-1], err))
    if mode(cat) != 0o600:
        fail("catalog mode %o" % mode(cat))
    again, _ = history(rs, d)
    if again[-1]["catalog"] != "fresh" or again != first[:-1] + [again[-1]]:
        fail("second run differs or is not fresh: %r" % again[-1])
    with open(cat, "r+b") as f:
        f.seek(60)
        f.write(b"#")
    damaged, err = history(rs, d)
    if damaged[-1]["catalog"] != "rebuilt" or "damaged" not in err or err.count("\n") != 1:
        fail("damaged catalog: %r %r" % (damaged[-1], err))
    if damaged[:-1] != first[:-1]:
        fail("rebuilt catalog gives other figures")
    run([gen, d, "1", "0.2", "12"])
    more, _ = history(rs, d)
    if more[-1]["catalog"] != "updated" or more[-1]["sessions"] != 13:
        fail("after adding a session: %r" % more[-1])
    p = run([rs, "sessions", "--dir", d, "--json"])
    if len(p.stdout.splitlines()) != 13 or p.stderr:
        fail("sessions: %r" % p.stderr)


def check_png(rs, d):
    png = os.path.join(d, "h.png")
    with open(png, "w") as f:
        f.write("old")
    os.chmod(png, 0o644)
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env["SDL_VIDEODRIVER"] = "dummy"
    old = os.umask(0o022)
    p = subprocess.run([rs, "history", "--dir", d, "-o", png, "--size", "800x480"],
                       capture_output=True, text=True, timeout=120, env=env)
    os.umask(old)
    if p.returncode != 0:
        fail("history -o: %r" % p.stderr)
    with open(png, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            fail("not a PNG")
    if mode(png) != 0o600:
        fail("PNG mode %o" % mode(png))


def main():
    rs, gen = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="rs-history-") as d:
        run([gen, d, "12", "0.2"])
        lines, _ = history(rs, d)
        check_days(lines, 12)
        check_spots(lines)
        last = lines[-1]
        if (last["type"], last["first"], last["last"], last["sessions"]) != \
                ("history", "2025-12-16", "2026-01-12", 12):
            fail("history line: %r" % last)
        check_catalog(rs, gen, d)
        check_png(rs, d)
        # the window: drawn once and not waited for where nobody can see it
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen", SDL_RENDER_DRIVER="software")
        p = subprocess.run([rs, "history", "--dir", d, "--size", "800x480"], env=env,
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0 or p.stderr:
            fail("history window: exit %d %r" % (p.returncode, p.stderr))
        env["SDL_VIDEODRIVER"] = "no-such-driver"
        p = subprocess.run([rs, "history", "--dir", d], env=env, capture_output=True, text=True,
                           timeout=60)
        if p.returncode != 1 or "cannot open a window" not in p.stderr or p.stderr.count("\n") != 1:
            fail("history with a broken video driver: exit %d %r" % (p.returncode, p.stderr))
        # no display at all: said at once, not a window nobody sees
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
        p = subprocess.run([rs, "history", "--dir", d], env=env, capture_output=True, text=True,
                           timeout=60)
        if p.returncode != 1 or "no display" not in p.stderr or p.stderr.count("\n") != 1:
            fail("history without a display: exit %d %r" % (p.returncode, p.stderr))
    with tempfile.TemporaryDirectory(prefix="rs-history-routine-") as d:
        # a real recording: the guided routine's routine_done row (the routine
        # lane's contract) counts as completed, the calf_time meta gives the
        # time per calf
        run([rs, "demo", "--routine", "--headless", "--json", "--fast", "--record",
             os.path.join(d, "2026-12-07T10-00-00.rsession")])
        lines, _ = history(rs, d)
        day = [l for l in lines if l["type"] == "day"]
        if len(day) != 1 or day[0]["routines_completed"] != 1:
            fail("routine session: %r" % day)
        if not (day[0]["time_left_s"] > 0 and day[0]["time_right_s"] > 0):
            fail("routine session without time per calf: %r" % day)
    with tempfile.TemporaryDirectory(prefix="rs-history-empty-") as d:
        lines, _ = history(rs, d)
        if len(lines) != 1 or lines[0]["sessions"] != 0 or lines[0]["first"] is not None:
            fail("empty directory: %r" % lines)
    run([rs, "history", "--days", "0"], 2)
    run([rs, "history", "--window", "65"], 2)
    run([rs, "history", "--bogus"], 2)
    run([rs, "history", "--json", "-o", "x.png"], 2)
    if "--window" not in run([rs, "history", "--help"]).stdout:
        fail("--help")
    print("history_cli: ok")


if __name__ == "__main__":
    main()
