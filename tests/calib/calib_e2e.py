#!/usr/bin/python3
"""End-to-end tests of `rollsense calibrate` against a roller on a pty.

The roller is rs_fake_roller (tests/calib/fake_roller.c: the wire protocol
with SET_CAL/SAVE_CAL/RESET and a pretend EEPROM, streaming the loads this
driver injects) or, for `emu`, the real firmware in rollsense-emu --pty.
Each test uses its own mkdtemp directory as HOME, XDG_DATA_HOME and
XDG_CONFIG_HOME. Nothing sleeps to synchronise: the driver waits for the
prompt line, changes the load, waits for the fake's "ok", then answers the
prompt with Enter (a line on rollsense's stdin). All waits have deadlines.

usage: calib_e2e.py TEST --rollsense BIN --fake FAKE_ROLLER [--emu EMU]
TEST: full | refusals | reset_undo | gui | emu
"""
import argparse
import json
import os
import select
import shutil
import stat
import subprocess
import sys
import tempfile
import time

G = 9.80665
CELL_SPAN_MM = 380.0
COUNTS_PER_REV = 16384


def fail(msg):
    print("FAIL: " + msg, flush=True)
    sys.exit(1)


class Lines:
    """Line reader over a child's pipe with deadlines (no blocking reads)."""

    def __init__(self, fd, name):
        self.fd, self.name, self.buf, self.seen = fd, name, b"", []
        os.set_blocking(fd, False)
        self.eof = False

    def _more(self, timeout):
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return
        try:
            d = os.read(self.fd, 65536)
        except BlockingIOError:
            return
        if not d:
            self.eof = True
        self.buf += d

    def line(self, deadline):
        while b"\n" not in self.buf:
            if self.eof or time.monotonic() > deadline:
                return None
            self._more(deadline - time.monotonic())
        ln, self.buf = self.buf.split(b"\n", 1)
        s = ln.decode(errors="replace")
        self.seen.append(s)
        return s

    def until(self, text, timeout=20):
        deadline = time.monotonic() + timeout
        while True:
            s = self.line(deadline)
            if s is None:
                fail("%s: no line containing %r; saw %r" % (self.name, text, self.seen[-8:]))
            if text in s:
                return s

    def rest(self, timeout=20):
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            self._more(deadline - time.monotonic())
        out, self.buf = self.buf.decode(errors="replace"), b""
        self.seen.extend(out.splitlines())
        return out


class Fake:
    def __init__(self, exe):
        self.p = subprocess.Popen([exe, "--speed", "5"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE)
        self.out = Lines(self.p.stdout.fileno(), "fake roller")
        self.port = self.out.line(time.monotonic() + 10)
        if not self.port or not self.port.startswith("/dev/"):
            fail("fake roller gave no pty path: %r" % self.port)

    def ctl(self, line):
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()
        self.out.until("ok", 10)

    def load(self, total_n, x_mm=0.0):
        self.ctl("load %.4f %.2f" % (total_n, x_mm))

    def stop(self):
        try:
            self.p.stdin.write(b"quit\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


class Env:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="rs-calib-e2e-")
        self.env = dict(os.environ, HOME=self.dir, XDG_DATA_HOME=self.dir + "/data",
                        XDG_CONFIG_HOME=self.dir + "/config")
        self.children = []

    def cleanup(self):
        for p in self.children:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, argv):
        p = subprocess.Popen([self.args.rollsense, "calibrate"] + argv, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        self.children.append(p)
        p.lines = Lines(p.stdout.fileno(), "rollsense calibrate " + argv[0])
        return p

    def enter(self, p, text=""):
        p.stdin.write((text + "\n").encode())
        p.stdin.flush()

    def finish(self, p, want_rc, timeout=30):
        p.stdin.close()  # end of input: a step still asking gives up
        out = p.lines.rest(timeout)
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            fail("rollsense calibrate did not finish")
        err = p.stderr.read().decode(errors="replace")
        if rc != want_rc:
            fail("exit %d, want %d\nstdout: %s\nstderr: %s" % (
                rc, want_rc, "\n".join(p.lines.seen[-10:]), err))
        return "\n".join(p.lines.seen) + out, err

    def run(self, argv, want_rc=0, stdin_text="", timeout=30):
        r = subprocess.run([self.args.rollsense, "calibrate"] + argv, input=stdin_text.encode(),
                           capture_output=True, env=self.env, timeout=timeout)
        out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        if r.returncode != want_rc:
            fail("calibrate %s: exit %d, want %d\nstdout: %s\nstderr: %s" % (
                " ".join(argv), r.returncode, want_rc, out, err))
        return out, err

    def show(self, port, *extra):
        out, _ = self.run(["show", "--json", "--port", port] + list(extra))
        return json.loads(out.strip().splitlines()[-1])


BLOCK_KEYS = ("offset_left", "offset_right", "scale_left", "scale_right", "radius_um", "enc_dir")


def block(js):
    return tuple(js[k] for k in BLOCK_KEYS)


def tare(env, fake, port, extra=()):
    """Tare an empty roller; a roller with no calibration yet asks to
    confirm that it is empty (y)."""
    p = env.start(["tare", "--port", port, "--window", "1"] + list(extra))
    p.lines.until("press Enter")
    fake.ctl("noise 0.07")
    fake.ctl("drift 0")
    fake.load(0, 0)
    env.enter(p)
    deadline = time.monotonic() + 20
    while True:
        ln = p.lines.line(deadline)
        if ln is None or "saved on roller" in ln:
            break
        if "Is the roller empty?" in ln:
            env.enter(p, "y")
    out, _ = env.finish(p, 0)
    if "saved on roller" not in out:
        fail("tare did not report saving: " + out)


def span(env, fake, port, mass=10.0):
    p = env.start(["span", "--mass", str(mass), "--port", port, "--window", "1"])
    for i, x in enumerate((-150, 0, 150)):
        p.lines.until("Step %d of 4" % (i + 1))
        fake.load(mass * G, x)
        env.enter(p)
    p.lines.until("Step 4 of 4: Check")
    fake.load(mass * G, 80)
    env.enter(p)
    line = p.lines.until("Check: error")
    out, _ = env.finish(p, 0)
    if "error" not in line or "saved on roller" not in out:
        fail("span output: " + out)
    fake.load(0, 0)
    return line


def loaded_tare_refused(env, fake, port, extra):
    """A person on a calibrated roller (260 N, steady): the tare is refused in
    one line saying so, even with --empty, and the roller keeps its block."""
    before = env.show(port)
    fake.load(260, 30)
    _, err = env.run(["tare", "--yes", "--empty", "--port", port, "--window", "1"] + extra,
                     want_rc=1)
    fake.load(0, 0)
    if "something is on the roller: 260 N" not in err or len(err.strip().splitlines()) != 1:
        fail("loaded tare %r: want one line 'something is on the roller: 260 N', got %r" % (
            extra, err))
    if block(env.show(port)) != block(before):
        fail("a refused tare changed the roller's calibration")


def check_accuracy(env, fake, port):
    """Five loads 50-600 N on each side: total and each side within +-1 % or
    +-1 N, lateral position within 1 cm."""
    worst = 0.0
    for x in (-95.0, 95.0):
        for f in (50.0, 150.0, 300.0, 450.0, 600.0):
            fake.load(f, x)
            js = env.show(port, "--measure", "--window", "1")
            fr = f * (0.5 + x / CELL_SPAN_MM)
            for name, truth in (("total_n", f), ("left_n", f - fr), ("right_n", fr)):
                err = abs(js[name] - truth)
                tol = max(0.01 * truth, 1.0)
                worst = max(worst, err / tol)
                if err > tol:
                    fail("%s at %.0f N, x %.0f mm: %.2f N, truth %.2f N" % (
                        name, f, x, js[name], truth))
            if abs(js["x_mm"] - x) > 10.0:
                fail("position at %.0f N: %.1f mm, truth %.1f mm" % (f, js["x_mm"], x))
    fake.load(0, 0)
    print("accuracy: worst error %.2f of the tolerance" % worst)


def encoder(env, fake, port, counts, argv, want_rc=0):
    p = env.start(["encoder", "--port", port] + argv)
    p.lines.until("Put a mark")
    env.enter(p)
    p.lines.until("times forward")
    fake.ctl("enc %d" % counts)
    env.enter(p)
    return p


def test_full(args, env):
    fake = Fake(args.fake)
    try:
        port = fake.port
        js = env.show(port)
        if js["cal_state"] != "default" or js["calibrated"] or js["mirror"] != "none":
            fail("fresh roller should be uncalibrated with no host copy: %r" % js)
        tare(env, fake, port)
        line = span(env, fake, port)
        print(line)
        js = env.show(port)
        if js["cal_state"] != "ok" or not js["calibrated"] or js["mirror"] != "same":
            fail("after span: %r" % js)
        if not js["undo_available"]:
            fail("the previous version must be kept")
        loaded_tare_refused(env, fake, port, [])
        check_accuracy(env, fake, port)

        # Encoder: three turns forward, then backwards (direction flips), then
        # the radius from rolling 1 m on a 68 mm effective radius.
        p = encoder(env, fake, port, 3 * COUNTS_PER_REV, ["--turns", "3"])
        out, _ = env.finish(p, 0)
        if env.show(port)["enc_dir"] != 1:
            fail("forward turns must give enc_dir +1")
        p = encoder(env, fake, port, -3 * COUNTS_PER_REV, ["--turns", "3"])
        env.finish(p, 0)
        if env.show(port)["enc_dir"] != -1:
            fail("backward-counting turns must give enc_dir -1")
        p = encoder(env, fake, port, 3 * COUNTS_PER_REV + 5000, ["--turns", "3"])
        _, err = env.finish(p, 1)  # --yes not given: the refusal asks again; EOF ends it
        if "encoder check failed: counted 3.31 turns, expected 3" not in err:
            fail("miscount message: " + err)
        want_r = 0.068
        counts = round(1.0 / (2 * 3.141592653589793 * want_r) * COUNTS_PER_REV)
        p = encoder(env, fake, port, 2 * COUNTS_PER_REV, ["--turns", "2", "--distance", "1.0"])
        p.lines.until("start of a measured")
        env.enter(p)
        p.lines.until("Roll the roller forward over exactly")
        fake.ctl("enc %d" % counts)
        env.enter(p)
        env.finish(p, 0)
        r = env.show(port)["radius_um"]
        if abs(r - 68000) > 50:
            fail("radius %d um, want 68000" % r)

        # Profiles: one from options, one guided with the calf measured by rolling.
        out, _ = env.run(["profile", "--name", "anna", "--mass", "62", "--calf", "38.5"])
        if "profile anna created and active" not in out:
            fail("profile create: " + out)
        p = env.start(["profile", "--name", "bob", "--port", port])
        p.lines.until("Body mass in kg")
        env.enter(p, "5")  # out of range: said at once, asked again
        p.lines.until("body mass must be 10-500 kg, not 5; try again")
        p.lines.until("Body mass in kg")
        env.enter(p, "80")
        p.lines.until("Calf length in cm")
        env.enter(p, "m")
        p.lines.until("at the Achilles end")
        env.enter(p)
        p.lines.until("just below the knee")
        calf_counts = round(0.40 / (2 * 3.141592653589793 * want_r) * COUNTS_PER_REV)
        fake.ctl("enc %d" % -calf_counts)  # enc_dir is -1 now: the magnitude counts
        env.enter(p)
        p.lines.until("Calf length: 40.0 cm.")
        p.lines.until("Force limit in N")
        env.enter(p, "500")
        env.finish(p, 0)
        out, _ = env.run(["profile", "--list", "--json"])
        prof = {j["name"]: j for j in map(json.loads, out.strip().splitlines())}
        if set(prof) != {"anna", "bob"} or not prof["bob"]["active"] or prof["anna"]["active"]:
            fail("profiles: %r" % prof)
        if abs(prof["bob"]["calf_length_cm"] - 40.0) > 0.1 or prof["bob"]["force_limit_n"] != 500:
            fail("bob: %r" % prof["bob"])
        env.run(["profile", "--use", "anna"])
        js = env.show(port)
        if js["profile"] != "anna" or js["calf_length_cm"] != 38.5:
            fail("active profile in show: %r" % js)
        path = env.dir + "/config/rollsense/profiles.conf"
        if stat.S_IMODE(os.stat(path).st_mode) != 0o600:
            fail("profiles file mode %o" % stat.S_IMODE(os.stat(path).st_mode))
        if stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) != 0o700:
            fail("profiles folder mode")
        _, err = env.run(["profile", "--use", "carl"], want_rc=1)
        if "no profile called 'carl'" not in err:
            fail("unknown profile message: " + err)

        # A live session takes the active profile (and the roller's saved
        # calibration): 400 N is %BW of anna (62 kg), then of bob (80 kg).
        # The load goes on once the session has the roller's cal frame (the
        # samples before it are in nominal units). The session is ended by
        # SIGTERM once the band shows the load (event-driven: a loaded
        # machine only makes it slower); --duration is a hang guard.
        for name, mass in (("anna", 62.0), ("bob", 80.0)):
            env.run(["profile", "--use", name])
            fake.load(0, 0)
            p = subprocess.Popen([args.rollsense, "live", "--headless", "--json", "--frames",
                                  "--port", port, "--duration", "120"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env.env)
            env.children.append(p)
            lines = Lines(p.stdout.fileno(), "rollsense live")
            lines.until('"type":"cal"', 60)
            fake.load(400, -95)
            want = 400 / (mass * G) * 100
            bands = []
            deadline = time.monotonic() + 60
            while not bands or abs(bands[-1]["bw_pct"] - want) > 1.5:
                ln = lines.line(deadline)
                if ln is None:
                    break
                if '"force_band"' in ln:
                    bands.append(json.loads(ln))
            p.terminate()
            lines.rest(30)
            rc = p.wait(30)
            if rc != 0 or not bands or abs(bands[-1]["bw_pct"] - want) > 1.5:
                fail("live with profile %s: want %.1f %%BW, got %r (rc %d, %s)" % (
                    name, want, bands[-1:], rc, p.stderr.read().decode()[-300:]))
        fake.load(0, 0)
    finally:
        fake.stop()


def test_refusals(args, env):
    fake = Fake(args.fake)
    try:
        port = fake.port
        cases = [
            # (fake setup, argv, exit code, message)
            (["noise 4"], ["tare", "--yes"], 1, "tare refused: the load is changing"),
            (["noise 0.07", "drift 3"], ["tare", "--yes"], 1, "tare refused: the reading is drifting"),
            (["drift 0"], ["span", "--mass", "1.5"], 1, "span refused: a reference mass of 1.50 kg is too light"),
            ([], ["span", "--mass", "abc"], 2, "--mass wants a number"),
            ([], ["span"], 2, "span needs --mass KG"),
            ([], ["undo"], 1, "nothing to undo"),
            ([], ["frobnicate"], 2, "unknown step"),
            ([], ["profile", "--mass", "3"], 1, "body mass must be"),
        ]
        for setup, argv, rc, msg in cases:
            for line in setup:
                fake.ctl(line)
            _, err = env.run(argv + ["--port", port, "--window", "1"], want_rc=rc)
            if msg not in err or len(err.strip().splitlines()) != 1:
                fail("%s: want one line with %r, got %r" % (" ".join(argv), msg, err))
        js = env.show(port)
        if js["cal_state"] != "default":
            fail("refused steps must not save anything: %r" % js)
        # The roller fails to save: the step fails and says so, the roller
        # goes back to the block it had (in RAM too), the host copy is not
        # advanced to the unsaved block.
        fake.ctl("failsave 1")
        _, err = env.run(["tare", "--yes", "--empty", "--port", port, "--window", "1"],
                         want_rc=1)
        fake.ctl("failsave 0")
        if "the roller refused cmd_save_cal: the EEPROM write failed (NAK 5)" not in err:
            fail("failed save message: %r" % err)
        after = env.show(port)
        if after["undo_available"] or block(after) != block(js) or after["cal_state"] != "default":
            fail("after a failed save: %r, want %r" % (after, js))
        # A read-back that differs is reported as such.
        fake.ctl("badreadback 1")
        _, err = env.run(["tare", "--yes", "--empty", "--port", port, "--window", "1"],
                         want_rc=1)
        fake.ctl("badreadback 0")
        if "reads back a different calibration than was written" not in err:
            fail("bad read-back message: %r" % err)
        # The roller now claims a saved block whose zero is 38 N off: the
        # guard refuses a tare against it; --forget-zero asks as a first tare.
        _, err = env.run(["tare", "--yes", "--port", port, "--window", "1"], want_rc=1)
        if "something is on the roller: 14 N (left 38 N, right -24 N)" not in err:
            fail("tare against a wrong saved zero: %r" % err)
        tare(env, fake, port, ["--forget-zero"])

        # An unstable placement is refused, then measured again once steady.
        p = env.start(["span", "--mass", "10", "--port", port, "--window", "1"])
        p.lines.until("Step 1 of 4")
        fake.ctl("noise 4")
        fake.load(10 * G, -150)
        env.enter(p)
        p.lines.until("measure again")
        fake.ctl("noise 0.07")
        env.enter(p)
        for i, x in ((2, 0), (3, 150)):
            p.lines.until("Step %d of 4" % i)
            fake.load(10 * G, x)
            env.enter(p)
        p.lines.until("Step 4 of 4: Check")
        fake.load(10 * G, -60)
        env.enter(p)
        _, err = env.finish(p, 0)
        if "span placement refused: the load is changing" not in err:
            fail("unstable placement message: " + err)

        # With --yes an unstable placement is final; the mass must also show.
        fake.ctl("noise 4")
        fake.load(10 * G, -150)
        _, err = env.run(["span", "--mass", "10", "--yes", "--port", port, "--window", "1"], 1)
        if "span placement refused: the load is changing" not in err:
            fail("--yes unstable placement: " + err)
        fake.ctl("noise 0.07")
        fake.load(0, 0)
        _, err = env.run(["span", "--mass", "10", "--yes", "--port", port, "--window", "1"], 1)
        if "is the mass resting on the roller?" not in err:
            fail("no load message: " + err)
        # Three placements in the same spot cannot separate the two sides.
        p = env.start(["span", "--mass", "10", "--port", port, "--window", "1", "--no-check"])
        fake.load(10 * G, 0)
        for i in (1, 2, 3):
            p.lines.until("Step %d of 3" % i)
            env.enter(p)
        _, err = env.finish(p, 1)
        if "the placements load both sides the same way" not in err:
            fail("ill-posed span message: " + err)
        fake.load(0, 0)
    finally:
        fake.stop()


def reset_undo(env, port, fake=None):
    """Tare (block A), span (block B); B survives a reset; undo gives A back
    on the roller and in the host copy, and also survives a reset."""
    if fake:
        tare(env, fake, port)
    a = env.show(port)
    if fake:
        span(env, fake, port)
    else:
        raise RuntimeError("emu path sets B itself")
    b = env.show(port)
    if block(a) == block(b):
        fail("span did not change the block")
    after = env.show(port, "--reset")
    if block(after) != block(b) or after["cal_state"] != "ok" or after["mirror"] != "same":
        fail("after reset: %r, want %r" % (after, b))
    out, _ = env.run(["undo", "--port", port])
    if "previous calibration again" not in out:
        fail("undo output: " + out)
    u = env.show(port, "--reset")
    if block(u) != block(a) or u["mirror"] != "same" or u["cal_state"] != "ok":
        fail("after undo and reset: %r, want %r" % (u, a))
    env.run(["undo", "--port", port])  # undo of the undo: B again
    if block(env.show(port)) != block(b):
        fail("redo did not bring B back")
    # Backup and restore: B saved as JSON, A back by undo, B restored.
    backup = env.dir + "/backup.json"
    with open(backup, "w") as f:
        f.write(env.run(["show", "--json", "--port", port])[0])
    env.run(["undo", "--port", port])
    out, _ = env.run(["restore", backup, "--port", port])
    r = env.show(port, "--reset")
    if block(r) != block(b) or not r["undo_available"] or r["mirror"] != "same":
        fail("after restore: %r, want %r" % (r, b))
    with open(backup) as f:
        other = f.read().replace(b["serial"], "RS-OTHER")
    with open(backup, "w") as f:
        f.write(other)
    _, err = env.run(["restore", backup, "--port", port], want_rc=1)
    if "holds the calibration of roller RS-OTHER" not in err:
        fail("restore onto another roller: " + err)


def test_reset_undo(args, env):
    fake = Fake(args.fake)
    try:
        reset_undo(env, fake.port, fake)
    finally:
        fake.stop()


def test_gui(args, env):
    """The window wizard (offscreen): tare with --yes, then a span driven by
    stdin lines exactly like the terminal steps; the result is saved,
    mirrored and accurate; a light mass is refused before any window; the
    encoder check in the window; --gui refused for profiles."""
    env.env.update(SDL_VIDEODRIVER="offscreen", SDL_AUDIODRIVER="dummy")
    fake = Fake(args.fake)
    try:
        port = fake.port
        fake.load(0, 0)
        shot = env.dir + "/tare.png"
        _, err = env.run(["tare", "--gui", "--yes", "--port", port, "--window", "1"],
                         want_rc=1)
        if "first tare of this roller" not in err:
            fail("gui first tare without --empty: " + err)
        out, _ = env.run(["tare", "--gui", "--yes", "--empty", "--port", port, "--window", "1",
                          "--screenshot", shot])
        if "saved on roller" not in out:
            fail("gui tare: " + out)
        with open(shot, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                fail("the screenshot is not a PNG")
        p = env.start(["span", "--gui", "--mass", "10", "--port", port, "--window", "1"])
        for i, x in enumerate((-150, 0, 150)):
            p.lines.until("Step %d of 4" % (i + 1))
            fake.load(10 * G, x)
            env.enter(p)
        p.lines.until("Step 4 of 4: Check")
        fake.load(10 * G, 60)
        env.enter(p)
        p.lines.until("Saved on the roller")
        env.enter(p)  # close the window
        out, _ = env.finish(p, 0)
        if "Check: error" not in out:
            fail("gui span output: " + out)
        js = env.show(port)
        if js["cal_state"] != "ok" or js["mirror"] != "same" or not js["undo_available"]:
            fail("after the gui span: %r" % js)
        fake.load(300, -95)
        js = env.show(port, "--measure", "--window", "1")
        if abs(js["total_n"] - 300) > 3 or abs(js["x_mm"] + 95) > 10:
            fail("gui calibration reads %r" % js)
        fake.load(0, 0)
        loaded_tare_refused(env, fake, port, ["--gui"])
        _, err = env.run(["span", "--gui", "--mass", "1", "--port", port], want_rc=1)
        if "too light" not in err:
            fail("gui light mass: " + err)
        # The encoder check in the window: Enter starts counting, the
        # roller turns, Enter ends it; the block is saved (direction).
        p = env.start(["encoder", "--gui", "--turns", "2", "--port", port])
        p.lines.until("Step 1 of 1: Put a mark")
        env.enter(p)
        p.lines.until("Turn the roller 2 times forward")
        fake.ctl("enc %d" % (-2 * COUNTS_PER_REV))
        env.enter(p)
        p.lines.until("Saved on the roller")
        env.enter(p)  # close the window
        out, _ = env.finish(p, 0)
        if "Encoder: 2.00 turns counted; forward is counting down" not in out:
            fail("gui encoder output: " + out)
        if env.show(port)["enc_dir"] != -1:
            fail("gui encoder: backward-counting turns must give enc_dir -1")
        _, err = env.run(["encoder", "--gui", "--turns", "500", "--port", port], want_rc=1)
        if "between 1 and 100 times" not in err:
            fail("gui encoder, 500 turns: " + err)
        _, err = env.run(["profile", "--gui", "--mass", "70"], want_rc=2)
        if "--gui is for tare, span and encoder" not in err:
            fail("gui profile: " + err)
    finally:
        fake.stop()


class Emu:
    """rollsense-emu --pty: the real firmware in simavr. Its first stdout
    line is the pty path. The scenario keeps the roller empty and still, so
    a tare is accepted; the second calibration comes from a restore file."""

    def __init__(self, exe, tmpdir):
        scn = os.path.join(tmpdir, "idle.scn")
        with open(scn, "w") as f:
            f.write("t=0 total=0 x=0 angle=0\n")  # keyframes: empty and still
        self.p = subprocess.Popen([exe, "--pty", "--scenario", scn, "--noise", "150"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = Lines(self.p.stdout.fileno(), "rollsense-emu")
        self.port = self.out.line(time.monotonic() + 30)
        if not self.port or not self.port.startswith("/dev/"):
            err = self.p.stderr.read1(4096).decode(errors="replace") if self.p.poll() is not None else ""
            fail("rollsense-emu gave no pty path: %r %s" % (self.port, err))

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def test_emu(args, env):
    """Acceptance against the real firmware: a calibration saved to the
    device survives a device reset and is read back by the host; undo
    restores the previous calibration (also across a reset)."""
    if not args.emu:
        fail("--emu EMU is required")
    emu = Emu(args.emu, env.dir)
    try:
        port = emu.port
        first = env.show(port)
        print("fresh emulated roller: cal_state %s" % first["cal_state"])
        out, _ = env.run(["tare", "--yes", "--empty", "--port", port, "--window", "1"],
                         timeout=60)
        a = env.show(port)
        if a["cal_state"] != "ok" or a["mirror"] != "same":
            fail("after tare: %r" % a)
        # B: a different block, restored from a file (no load can be placed
        # on the emulated roller between prompts).
        b_file = env.dir + "/b.json"
        with open(b_file, "w") as f:
            json.dump({"offset_left": a["offset_left"] + 500, "offset_right": a["offset_right"] - 700,
                       "scale_left": 2100.5, "scale_right": 2250.25, "radius_um": 68500,
                       "enc_dir": -1}, f)
        env.run(["restore", b_file, "--port", port], timeout=60)
        b = env.show(port)
        if block(b) == block(a):
            fail("restore did not change the block")
        after = env.show(port, "--reset")
        if block(after) != block(b) or after["cal_state"] != "ok" or after["mirror"] != "same":
            fail("after a device reset: %r, want the block of %r" % (after, b))
        out, _ = env.run(["undo", "--port", port], timeout=60)
        u = env.show(port, "--reset")
        if block(u) != block(a) or u["cal_state"] != "ok" or u["mirror"] != "same":
            fail("after undo and a reset: %r, want the block of %r" % (u, a))
        if not u["undo_available"]:
            fail("the undone block must stay available (redo)")
    finally:
        emu.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("test")
    ap.add_argument("--rollsense", required=True)
    ap.add_argument("--fake")
    ap.add_argument("--emu")
    args = ap.parse_args()
    tests = {"full": test_full, "refusals": test_refusals, "reset_undo": test_reset_undo,
             "gui": test_gui, "emu": test_emu}
    if args.test not in tests:
        fail("unknown test " + args.test)
    env = Env(args)
    try:
        tests[args.test](args, env)
    finally:
        env.cleanup()
    print("PASS " + args.test)


if __name__ == "__main__":
    main()
