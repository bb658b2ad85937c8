#!/usr/bin/python3
"""End-to-end tests of recording in `rollsense demo` and of `rollsense replay`
and `rollsense analyze` on session files (issue 7). Everything happens in a
mkdtemp directory that is also XDG_DATA_HOME and XDG_CONFIG_HOME, removed at
the end.

usage: replay_cli.py --rollsense BIN [--window ARTIFACTS_DIR]
"""
import argparse
import glob
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile

ARGS = None
TMP = None


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def env(**kw):
    e = dict(os.environ)
    e["XDG_DATA_HOME"] = os.path.join(TMP, "data")
    e["XDG_CONFIG_HOME"] = os.path.join(TMP, "config")
    e.pop("DISPLAY", None)
    e.pop("WAYLAND_DISPLAY", None)
    e.pop("SDL_VIDEODRIVER", None)
    e.update(kw)
    return e


def run(argv, want_rc, limit_kib=None):
    pre = None
    if limit_kib:
        import resource

        def pre():
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_kib * 1024, limit_kib * 1024))
    p = subprocess.run([ARGS.rollsense] + argv, capture_output=True, env=env(), timeout=50,
                       preexec_fn=pre)
    out, err = p.stdout.decode(), p.stderr.decode()
    if p.returncode != want_rc:
        fail("%r: exit %d, want %d; stderr %r; stdout tail %r" %
             (argv, p.returncode, want_rc, err, out[-300:]))
    return out, err


def lines(out):
    return [json.loads(x) for x in out.splitlines() if x.strip()]


def one_line(err, what):
    if err.count("\n") != 1 or not err.startswith("rollsense: "):
        fail("%s: want one stderr line, got %r" % (what, err))


def record_demo(path):
    out, err = run(["demo", "--headless", "--json", "--fast", "--record", path], 0)
    if err:
        fail("demo --record printed on stderr: %r" % err)
    return lines(out)


def test_compare_equal():
    """Acceptance: demo --record F, then replay F --compare: no difference."""
    f = os.path.join(TMP, "demo.rsession")
    demo = record_demo(f)
    mode = stat.S_IMODE(os.stat(f).st_mode)
    if mode != 0o600:
        fail("session file mode %o, want 600" % mode)
    out, _ = run(["replay", f, "--compare"], 0)
    if "no difference" not in out:
        fail("replay --compare: %r" % out)
    out, _ = run(["replay", f, "--compare", "--json"], 0)
    last = lines(out)[-1]
    if last.get("type") != "compare" or last.get("equal") is not True or \
            last.get("differences") != 0 or last.get("recorded_events", 0) < 10:
        fail("replay --compare --json: %r" % last)
    # the replayed events are live's (live shifts times onto the session
    # clock, so compare kinds and hold figures, not times)
    out, _ = run(["replay", f, "--headless", "--json"], 0)
    rep = lines(out)
    skip = ("status", "summary", "lost", "gap", "sample")
    kinds = lambda ls: [o["type"] for o in ls if o["type"] not in skip]
    if kinds(rep) != kinds(demo):
        fail("replay events %r != demo events %r" % (kinds(rep), kinds(demo)))
    dur = lambda ls: [o["duration"] for o in ls if o["type"] == "hold_end"]
    if dur(rep) != dur(demo) or len(dur(rep)) < 3:
        fail("hold durations %r != %r" % (dur(rep), dur(demo)))
    if rep[-1]["type"] != "summary" or rep[-1]["frames"] != demo[-1]["frames"]:
        fail("replay summary %r vs demo %r" % (rep[-1], demo[-1]))
    # analyze on the session file: same output format, frames counted
    out, err = run(["analyze", f, "--json"], 0)
    an = lines(out)
    if err or an[-1]["type"] != "summary" or an[-1]["frames"] != demo[-1]["frames"]:
        fail("analyze session: %r / %r" % (an[-1], err))
    if kinds(an) != kinds(demo):
        fail("analyze events differ from demo")
    out, _ = run(["analyze", f], 0)
    if "%d frames" % demo[-1]["frames"] not in out:
        fail("analyze (text): %r" % out[-300:])
    return f, demo[-1]


def test_compare_differs(f):
    """A recorded event that the detectors do not reproduce: listed, exit 1."""
    g = os.path.join(TMP, "tampered.rsession")
    shutil.copy(f, g)
    db = sqlite3.connect(g)
    db.execute("UPDATE log SET data = replace(data, '\"duration\":', '\"duration\":9') "
               "WHERE id = (SELECT min(id) FROM log WHERE type = 'hold_end')")
    db.execute("DELETE FROM log WHERE id = (SELECT max(id) FROM log WHERE kind = 2)")
    db.commit()
    db.close()
    out, _ = run(["replay", g, "--compare"], 1)
    if "changed" not in out or "extra" not in out or "2 differences" not in out:
        fail("tampered compare: %r" % out)
    out, _ = run(["replay", g, "--compare", "--json"], 1)
    ds = [o for o in lines(out) if o["type"] == "difference"]
    kinds = sorted(d["kind"] for d in ds)
    if kinds != ["changed", "extra"]:
        fail("tampered compare json: %r" % ds)
    ch = [d for d in ds if d["kind"] == "changed"][0]
    if ch["recorded"]["type"] != "hold_end" or \
            ch["recorded"]["duration"] == ch["replayed"]["duration"]:
        fail("changed difference: %r" % ch)


def test_export_calibrated(f, demo_summary):
    """export: the detectors' calibrated columns next to the raw ones; the CSV
    reloads to numbers consistent with the stored calibration and summary."""
    import csv
    out_dir = os.path.join(TMP, "export")
    out, err = run(["export", f, "--csv", out_dir], 0)
    if err or "nominal" in out:
        fail("export: %r %r" % (out, err))
    summ = json.load(open(os.path.join(out_dir, "summary.json")))
    cal, thr = summ["calibration"], summ["thresholds"]
    if cal.get("calibrated") is not True:
        fail("export: calibration snapshot %r" % cal)
    rows = list(csv.DictReader(open(os.path.join(out_dir, "samples.csv"))))
    want = ["left_N", "right_N", "total_N", "bw_pct", "position_cm", "velocity_cm_s"]
    if len(rows) != demo_summary["frames"] or list(rows[0].keys())[-6:] != want:
        fail("export: %d rows, header %r" % (len(rows), list(rows[0].keys())))
    lim = thr["autozero_limit_n"] + 0.002
    peak = 0.0
    for r in rows:
        ln, rn, tn = float(r["left_N"]), float(r["right_N"]), float(r["total_N"])
        el = (int(r["left_raw_counts"]) - cal["offset_left"]) / cal["scale_left"]
        er = (int(r["right_raw_counts"]) - cal["offset_right"]) / cal["scale_right"]
        if abs(ln - el) > lim or abs(rn - er) > lim or abs(tn - (ln + rn)) > 0.0021:
            fail("export row %s: %r vs calibration %.3f %.3f" % (r["seq"], r, el, er))
        peak = max(peak, float(r["bw_pct"]))
        if not -100 < float(r["velocity_cm_s"]) < 100:
            fail("export velocity %r" % r)
    if abs(peak - demo_summary["peak_bw_pct"]) > 0.06:
        fail("export: peak %%BW %.3f, live said %.1f" % (peak, demo_summary["peak_bw_pct"]))


def test_damaged(f):
    """A truncated session: one line says what was lost, the rest is analysed."""
    g = os.path.join(TMP, "cut.rsession")
    with open(f, "rb") as src, open(g, "wb") as dst:
        dst.write(src.read()[:200 * 1024])
    out, err = run(["analyze", g, "--json"], 0)
    one_line(err, "analyze truncated")
    if "truncated" not in err:
        fail("analyze truncated: %r" % err)
    s = lines(out)[-1]
    if s["type"] != "summary" or not 1000 < s["frames"] < 9936:
        fail("analyze truncated summary: %r" % s)
    _, err = run(["replay", g, "--headless", "--json"], 0)
    one_line(err, "replay truncated")


def test_default_place():
    """Recording is on by default, into XDG_DATA_HOME, 0600; --no-record is off."""
    sess = os.path.join(TMP, "data", "rollsense", "sessions")
    run(["demo", "--headless", "--json", "--fast", "--scenario", "quick"], 0)
    files = glob.glob(os.path.join(sess, "*.rsession"))
    if len(files) != 1:
        fail("default recording: %r" % files)
    if stat.S_IMODE(os.stat(files[0]).st_mode) != 0o600:
        fail("default recording mode")
    out, _ = run(["sessions", "--json"], 0)
    if os.path.basename(files[0]) not in out:
        fail("sessions does not list %s: %r" % (files[0], out))
    run(["replay", files[0], "--compare"], 0)
    run(["demo", "--headless", "--json", "--fast", "--scenario", "quick", "--no-record"], 0)
    if len(glob.glob(os.path.join(sess, "*.rsession"))) != 1:
        fail("--no-record recorded")
    # never overwrite: --record to an existing file is refused
    _, err = run(["demo", "--headless", "--json", "--fast", "--record", files[0]], 1)
    one_line(err, "record to existing")
    _, err = run(["demo", "--headless", "--json", "--record"], 2)
    one_line(err, "--record without PATH")


def test_disk_full():
    """A file size limit stops the recording with a message; the session goes on."""
    f = os.path.join(TMP, "full.rsession")
    out, err = run(["demo", "--headless", "--json", "--fast", "--record", f], 0, limit_kib=100)
    if "recording stopped" not in err or "file size limit" not in err:
        fail("disk full message: %r" % err)
    s = lines(out)[-1]
    if s["type"] != "summary" or s["frames"] != 9936 or s["holds_right"] < 3:
        fail("live feedback did not go on: %r" % s)
    run(["analyze", f, "--json"], 0)  # what was written before stays readable


def test_usage():
    run(["replay", "--help"], 0)
    for argv, rc in ((["replay"], 2), (["replay", "a", "b"], 2), (["replay", "x", "--bogus"], 2),
                     (["replay", "x", "--speed", "3"], 2), (["replay", "x", "--speed"], 2),
                     (["replay", "x", "--headless"], 2),
                     (["replay", os.path.join(TMP, "missing.rsession"), "--compare"], 1),
                     (["replay", os.path.join(TMP, "missing.rsession")], 1)):
        _, err = run(argv, rc)
        one_line(err, " ".join(argv))
    out, _ = run(["--help"], 0)
    if "replay" not in out:
        fail("replay missing from rollsense --help")


def test_window(artifacts):
    """The replay window (offscreen, software renderer, dummy audio) in
    emulated time: 180 frames at 16x reach 48 s; the screenshot is kept."""
    f = os.path.join(TMP, "w.rsession")
    record_demo(f)
    os.makedirs(os.path.join(TMP, "config", "rollsense"), exist_ok=True)
    # the safety note was read before: the screenshot shows the replay
    open(os.path.join(TMP, "config", "rollsense", "safety-note-seen"), "w").close()
    shots = os.path.join(TMP, "shots")
    os.makedirs(shots)
    e = env(SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy", SDL_RENDER_DRIVER="software")
    p = subprocess.run([ARGS.rollsense, "replay", f, "--speed", "16", "--screenshot-after", "180",
                        "--screenshot-dir", shots, "--size", "1280x800"],
                       capture_output=True, env=e, timeout=50)
    out = p.stdout.decode()
    if p.returncode != 0 or "position: 48.000 s of 124.188 s, speed 16x" not in out:
        fail("replay window: exit %d, %r, %r" % (p.returncode, out, p.stderr.decode()))
    png = [x for x in os.listdir(shots) if x.endswith(".png")]
    if len(png) != 1:
        fail("replay window: screenshots %r" % png)
    with open(os.path.join(shots, png[0]), "rb") as fh:
        if fh.read(8) != b"\x89PNG\r\n\x1a\n":
            fail("replay window: not a PNG")
    if artifacts:
        os.makedirs(artifacts, exist_ok=True)
        shutil.copy(os.path.join(shots, png[0]), os.path.join(artifacts, "replay-window.png"))


def main():
    global ARGS, TMP
    ap = argparse.ArgumentParser()
    ap.add_argument("--rollsense", required=True)
    ap.add_argument("--window", metavar="ARTIFACTS_DIR")
    ARGS = ap.parse_args()
    TMP = tempfile.mkdtemp(prefix="rs-replay-")
    try:
        if ARGS.window:
            test_window(ARGS.window)
            print("PASS", flush=True)
            return
        f, demo_summary = test_compare_equal()
        test_export_calibrated(f, demo_summary)
        test_compare_differs(f)
        test_damaged(f)
        test_default_place()
        test_disk_full()
        test_usage()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
