#!/usr/bin/python3
"""Tests of `rollsense demo` (and the config handling shared with live and
analyze). Each test uses its own mkdtemp directory as XDG_CONFIG_HOME, so no
user config or safety-note marker leaks in.

usage: demo_test.py TEST --rollsense BIN [--artifacts DIR]
TEST: events | window | nodisplay | config | usage | state
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


def env_with(tmp, **kw):
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "xdg")
    env["XDG_DATA_HOME"] = os.path.join(tmp, "data")  # demo records by default
    env.update(kw)
    return env


def run(args, argv, env, timeout=60):
    return subprocess.run([args.rollsense] + argv, capture_output=True, env=env, timeout=timeout)


def test_events(args, tmp):
    """Issue 8 acceptance: the fast demo contains every scripted event."""
    p = run(args, ["demo", "--headless", "--json", "--fast"], env_with(tmp))
    if p.returncode != 0:
        fail("exit %d: %s" % (p.returncode, p.stderr.decode()))
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    by = {}
    for o in lines:
        by.setdefault(o["type"], []).append(o)
    starts, ends, cues = by.get("hold_start", []), by.get("hold_end", []), by.get("hold_cue", [])
    if len(starts) < 3 or len(ends) != len(starts):
        fail("want >= 3 holds, got %d starts %d ends" % (len(starts), len(ends)))
    for h in starts:
        got = sorted(c["seconds"] for c in cues if c["index"] == h["index"])
        end = [e for e in ends if e["index"] == h["index"]][0]
        want = [s for s in (15, 30, 60, 90) if end["duration"] >= s]
        if got != want:
            fail("hold %d (%.1f s): cues %r, want %r" % (h["index"], end["duration"], got, want))
    if not any(c["seconds"] == 30 for c in cues):
        fail("no 30 s cue")
    durations = sorted(round(e["duration"]) for e in ends)
    if durations != [17, 25, 35]:
        fail("hold durations %r, want the scripted 17, 25, 35 s" % durations)
    if not any(o["band"] == "too_fast" for o in by.get("speed_band", [])):
        fail("no too_fast speed band")
    if not any(o["reason"] == "holds" and o["advice"] for o in by.get("dose", [])):
        fail("no dose advice: %r" % by.get("dose"))
    if not by.get("knee_zone"):
        fail("no knee_zone warning")
    legs = {e["leg"] for e in ends}
    if legs != {"right"}:
        fail("holds on %r, want the right calf" % legs)
    s = lines[-1]
    if s["type"] != "summary" or len(by["summary"]) != 1:
        fail("the last line is not the one summary: %r" % s)
    if (s["holds_right"] != 3 or s["lost"] != 0 or s["gaps"] != 0 or not s["calibrated"]
            or abs(s["rate_hz"] - 80) > 0.01 or not (120 < s["duration_s"] < 130)
            or s["serial"] != "SIM-000001" or s["time_left_s"] <= 0):
        fail("summary %r" % s)
    ident = [o for o in by.get("status", []) if o["state"] == "identified"]
    if len(ident) != 1 or ident[0]["serial"] != "SIM-000001" or ident[0]["calibration"] != "ok":
        fail("status lines %r" % by.get("status"))
    print("events: ok, %d lines, summary %s" % (len(lines), json.dumps(s)), flush=True)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        fail("%s is not a PNG" % path)
    return struct.unpack(">II", head[16:24])


def test_window(args, tmp):
    """Window smoke test: the demo in emulated time under the offscreen
    driver; a screenshot before frame 256 (64 s into the demo: the second
    hold at about 24 s, after the first hold's spot is on the calf map)."""
    shots = os.path.join(tmp, "shots")
    os.makedirs(shots)
    os.makedirs(os.path.join(tmp, "xdg", "rollsense"))
    # The safety note was read before: the screenshot shows the live view.
    open(os.path.join(tmp, "xdg", "rollsense", "safety-note-seen"), "w").close()
    env = env_with(tmp, SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy",
                   SDL_RENDER_DRIVER="software")
    for w, h in ((1280, 800), (800, 480)):
        p = run(args, ["demo", "--fast", "--mute", "--screenshot-after", "256", "--screenshot-dir",
                       shots, "--json", "--size", "%dx%d" % (w, h)], env, timeout=110)
        if p.returncode != 0:
            fail("exit %d: %s" % (p.returncode, p.stderr.decode()))
        out = p.stdout.decode().splitlines()
        shot_lines = [x for x in out if x.startswith("screenshot: ")]
        if len(shot_lines) != 1:
            fail("want one screenshot line, got %r" % shot_lines)
        path = shot_lines[0][len("screenshot: "):]
        if not os.path.isfile(path) or os.path.dirname(path) != shots:
            fail("screenshot %r missing" % path)
        if png_size(path) != (w, h):
            fail("screenshot is %dx%d, want %dx%d" % (png_size(path) + (w, h)))
        objs = [json.loads(x) for x in out if x.startswith("{")]
        if objs[-1]["type"] != "summary":
            fail("no summary after the window closed")
        starts = [o for o in objs if o["type"] == "hold_start"]
        if len(starts) != 2:
            fail("64 s into the demo there should be 2 holds started, got %d" % len(starts))
        if args.artifacts:
            os.makedirs(args.artifacts, exist_ok=True)
            shutil.copy(path, os.path.join(args.artifacts, "demo-64s-%dx%d.png" % (w, h)))
        os.remove(path)
        print("window: ok, %dx%d" % (w, h), flush=True)


def test_nodisplay(args, tmp):
    """No display and no SDL_VIDEODRIVER: one line suggesting --headless --json, exit 1."""
    env = env_with(tmp)
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        env.pop(k, None)
    for cmd in (["demo"], ["live", "--port", os.path.join(tmp, "nope")]):
        p = run(args, cmd, env, timeout=20)
        err = p.stderr.decode().splitlines()
        if p.returncode != 1 or len(err) != 1 or "--headless --json" not in err[0] or p.stdout:
            fail("%s: exit %d, stderr %r" % (cmd[0], p.returncode, err))
    print("nodisplay: ok", flush=True)


def test_config(args, tmp):
    """A bad config file (explicit or the XDG default) stops live, demo and
    analyze with exit 2 and one line naming file, line, key and range; a
    good one applies."""
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("# thresholds\ncue_min_s = 12\nknee_zone_cm = 500\n")
    cap = os.path.join(tmp, "empty.bin")
    open(cap, "wb").close()
    cmds = {
        "demo": ["demo", "--headless", "--json", "--fast"],
        "live": ["live", "--headless", "--json", "--port", os.path.join(tmp, "nope"), "--duration", "0"],
        "analyze": ["analyze", cap, "--json"],
    }
    xdg_cfg = os.path.join(tmp, "xdg", "rollsense", "config")
    for how in ("explicit", "default"):
        if how == "default":
            os.makedirs(os.path.dirname(xdg_cfg), exist_ok=True)
            shutil.copy(bad, xdg_cfg)
        for name, argv in cmds.items():
            full = argv + (["--config", bad] if how == "explicit" else [])
            p = run(args, full, env_with(tmp), timeout=20)
            err = p.stderr.decode().splitlines()
            where = bad if how == "explicit" else xdg_cfg
            if p.returncode != 2 or len(err) != 1 or p.stdout:
                fail("%s %s: exit %d, stdout %r, stderr %r" % (how, name, p.returncode, p.stdout[:80], err))
            want = "rollsense: %s: %s:3: key 'knee_zone_cm'" % (name, where)
            if not err[0].startswith(want) or "allowed" not in err[0]:
                fail("%s %s: %r, want it to start with %r" % (how, name, err[0], want))
    os.remove(xdg_cfg)
    # A good default config applies to the demo: a 20 s first cue.
    with open(xdg_cfg, "w") as f:
        f.write("cue_min_s = 20\n")
    p = run(args, cmds["demo"], env_with(tmp))
    cues = [json.loads(x) for x in p.stdout.decode().splitlines() if '"hold_cue"' in x]
    if p.returncode != 0 or not cues or any(c["seconds"] == 15 for c in cues) or \
            not any(c["seconds"] == 20 for c in cues):
        fail("config not applied: %r" % cues)
    print("config: ok", flush=True)


def test_usage(args, tmp):
    """Bad command lines exit 2 with one line; --help exits 0; a scenario
    file plays like a built-in one."""
    env = env_with(tmp)
    for argv in (["demo", "--scenario", os.path.join(tmp, "nope.scn"), "--headless", "--json"],
                 ["demo", "--headless"], ["demo", "--bogus"], ["demo", "--duration", "-1"],
                 ["demo", "--screenshot-after", "5", "--headless", "--json"],
                 ["demo", "--headless", "--json", "--state-every", "0"],
                 ["demo", "--headless", "--json", "--state-every", "1x"],
                 ["demo", "--headless", "--json", "--state-every"],
                 ["live", "--headless", "--json", "--state-every", "-1"],
                 ["live", "--headless"], ["live", "--volume", "300"]):
        p = run(args, argv, env, timeout=20)
        err = p.stderr.decode().splitlines()
        if p.returncode != 2 or len(err) != 1 or not err[0].startswith("rollsense: ") or p.stdout:
            fail("%r: exit %d, stderr %r" % (argv, p.returncode, err))
    for cmd in ("demo", "live"):
        p = run(args, [cmd, "--help"], env, timeout=20)
        if p.returncode != 0 or b"usage: rollsense " + cmd.encode() not in p.stdout:
            fail("%s --help" % cmd)
    scn = os.path.join(tmp, "mine.scn")
    with open(scn, "w") as f:
        f.write("leg left\nlift 1\nroll 4 3\nhold 16\nroll 3 -3\nlift 1\n")
    p = run(args, ["demo", "--scenario", scn, "--headless", "--json", "--fast"], env)
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    ends = [o for o in lines if o["type"] == "hold_end"]
    if p.returncode != 0 or len(ends) != 1 or ends[0]["leg"] != "left" or lines[-1]["type"] != "summary":
        fail("scenario file: exit %d, %r" % (p.returncode, ends))
    print("usage: ok", flush=True)


STATE_KEYS = {"type", "t", "speed_cm_s", "velocity_cm_s", "force_n", "bw_pct", "contact", "leg",
              "pos_cm", "x_mm", "speed_band", "force_band", "hold", "hold_seconds"}


def test_state(args, tmp):
    """--state-every 1: one state line per second of device time (the first
    sample at or after each whole second: within one 80 Hz sample period),
    in analyze's shape, from start to end."""
    p = run(args, ["demo", "--headless", "--json", "--fast", "--scenario", "quick",
                   "--state-every", "1"], env_with(tmp))
    if p.returncode != 0:
        fail("exit %d: %s" % (p.returncode, p.stderr.decode()))
    lines = [json.loads(x) for x in p.stdout.decode().splitlines()]
    states = [o for o in lines if o["type"] == "state"]
    summary = lines[-1]
    if summary["type"] != "summary" or len(states) < 10:
        fail("want >= 10 state lines and a summary, got %d" % len(states))
    for k, o in enumerate(states):
        if set(o) != STATE_KEYS:
            fail("state line keys %r" % sorted(o))
        t0 = states[0]["t"]
        if not (k <= o["t"] - t0 < k + 1.0 / 80 + 1e-6):
            fail("state line %d at t=%.4f, want [%d, %d + 1/80) s after %.4f" % (k, o["t"], k, k, t0))
    if summary["duration_s"] - states[-1]["t"] > 1.0 + 1.0 / 80:
        fail("last state at %.3f s, session ends at %.3f s" % (states[-1]["t"], summary["duration_s"]))
    if not any(o["hold"] for o in states) or not any(o["speed_cm_s"] > 1 for o in states):
        fail("state lines never show a hold or rolling")
    print("state: %d lines" % len(states), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("test", choices=["events", "window", "nodisplay", "config", "usage", "state"])
    ap.add_argument("--rollsense", required=True)
    ap.add_argument("--artifacts")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="rs-demo-")
    try:
        globals()["test_" + args.test](args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS", flush=True)


if __name__ == "__main__":
    main()
