#!/usr/bin/env python3
"""`rollsense sessions` never lists a peak %BW for a session recorded with an
uncalibrated roller: the file's calibration meta says "calibrated":false, the
listing shows "uncal" and --json gives "calibrated":false and a null peak.
The calibrated original keeps its figure. Usage: sessions_uncal.py ROLLSENSE"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    rs = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="rs-sessions-uncal-") as d:
        cal, uncal = os.path.join(d, "a-cal.rsession"), os.path.join(d, "b-uncal.rsession")
        p = subprocess.run([rs, "demo", "--fast", "--headless", "--json", "--record", cal],
                           capture_output=True, timeout=120)
        if p.returncode != 0:
            fail("demo: exit %d %r" % (p.returncode, p.stderr))
        shutil.copy(cal, uncal)
        db = sqlite3.connect(uncal)
        for key in ("calibration", "calibration_start"):
            (v,) = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            m = json.loads(v)
            m["calibrated"] = False
            db.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(m), key))
        db.commit()
        db.close()
        out = subprocess.run([rs, "sessions", "--dir", d], capture_output=True, text=True,
                             timeout=60).stdout
        print(out)
        lines = {l.split()[-1]: l for l in out.splitlines()[1:]}
        if "%" not in lines.get("a-cal.rsession", "") or "uncal" in lines["a-cal.rsession"]:
            fail("the calibrated session lost its peak")
        if "uncal" not in lines.get("b-uncal.rsession", "") or "%" in lines["b-uncal.rsession"]:
            fail("the uncalibrated session lists a peak %BW")
        js = subprocess.run([rs, "sessions", "--json", "--dir", d], capture_output=True, text=True,
                            timeout=60).stdout
        objs = {os.path.basename(o["path"]): o for o in map(json.loads, js.splitlines())}
        u, c = objs["b-uncal.rsession"], objs["a-cal.rsession"]
        if u.get("calibrated") is not False or u.get("peak_bw_pct") is not None:
            fail("--json of the uncalibrated session: %r" % u)
        if c.get("calibrated") is not True or not c.get("peak_bw_pct"):
            fail("--json of the calibrated session: %r" % c)
    print("ok")


main()
