#!/usr/bin/env bash
# cli_test.sh ROLLSENSE SYNTH - the session commands end to end, as a user
# runs them: sessions (text and --json, with an interrupted and a damaged
# file), export (files, header, row count, 0600), report (a PNG), clear
# one-line errors and exit codes, --help everywhere.
set -euo pipefail
rs=$1
synth=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-cli-XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

export XDG_DATA_HOME="$dir/data"
sess="$XDG_DATA_HOME/rollsense/sessions"
mkdir -p "$sess"
"$synth" "$sess/2025-11-21T18-20-56.rsession" 120
"$synth" "$sess/2025-11-22T09-00-00.rsession" 60 --no-cal
# an interrupted session: drop the summary a clean close writes
"$synth" "$dir/int.rsession" 90
python3 - "$dir/int.rsession" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("DELETE FROM meta WHERE key IN ('summary','ended')"); db.commit()
PY
cp "$dir/int.rsession" "$sess/2025-11-23T10-00-00.rsession"
# a damaged one: cut in half
"$synth" "$dir/full.rsession" 120
python3 - "$dir/full.rsession" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("PRAGMA journal_mode=DELETE"); db.close()
PY
head -c $(( $(stat -c %s "$dir/full.rsession") / 2 )) "$dir/full.rsession" > "$sess/2025-11-24T10-00-00.rsession"
echo "not a database at all, clearly" > "$sess/2025-11-25T10-00-00.rsession"

# sessions --json: one line per file, oldest first
"$rs" sessions --json > "$dir/list.json"
[ "$(wc -l < "$dir/list.json")" -eq 5 ] || fail "sessions --json: expected 5 lines: $(cat "$dir/list.json")"
python3 - "$dir/list.json" <<'PY' || exit 1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
a, b, c, d, e = rows
def check(cond, msg):
    if not cond:
        print("FAIL:", msg, rows, file=sys.stderr); sys.exit(1)
check(a["complete"] and a["holds_left"] == 1 and a["holds_right"] == 1, "complete session")
check(abs(a["duration_s"] - 120) < 0.1 and a["frames"] == 9600, "duration and frames")
check(a["longest_hold_s"] == 20.0 and 40 < a["peak_bw_pct"] < 50, "longest hold and peak")
check(a["start"].startswith("2025-11-21T") and a["start"][-6] in "+-", "ISO 8601 start with offset")
check(not c["complete"] and c["holds_left"] == 1 and c["holds_right"] == 1, "interrupted: holds from events")
check(abs(c["duration_s"] - 90) < 0.1, "interrupted: duration from frames")
check(d["damage"] and "truncated" in d["damage"], "damaged file says what was lost")
check("error" in e and "not an SQLite database" in e["error"], "garbage file has a clear error")
PY
"$rs" sessions > "$dir/list.txt"
grep -q "interrupted" "$dir/list.txt" || fail "text listing does not mark the interrupted session"
grep -q "1/1" "$dir/list.txt" || fail "text listing lacks holds per leg"
"$rs" sessions --dir "$dir/nowhere" | grep -q "no sessions" || fail "empty directory"

# export
"$rs" export "$sess/2025-11-21T18-20-56.rsession" --csv "$dir/out" > /dev/null
for f in samples.csv events.csv summary.json; do
  [ -f "$dir/out/$f" ] || fail "export: $f missing"
  [ "$(stat -c %a "$dir/out/$f")" = 600 ] || fail "export: $f not 0600"
done
[ "$(wc -l < "$dir/out/samples.csv")" -eq 9601 ] || fail "export: samples.csv rows"
head -1 "$dir/out/samples.csv" | grep -q "left_raw_counts" || fail "export: units in the header"
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/out/summary.json" || fail "summary.json is not JSON"
# damaged export: works, says what was lost on one stderr line
"$rs" export "$sess/2025-11-24T10-00-00.rsession" --csv "$dir/out2" > /dev/null 2> "$dir/err"
[ "$(wc -l < "$dir/err")" -eq 1 ] && grep -q "truncated" "$dir/err" || fail "damaged export message: $(cat "$dir/err")"

# report
"$rs" report "$sess/2025-11-21T18-20-56.rsession" -o "$dir/r.png"
[ "$(head -c 8 "$dir/r.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "report is not a PNG"
"$rs" report "$dir/int.rsession" -o "$dir/r2.png" || fail "report of an interrupted session"
"$rs" report "$sess/2025-11-24T10-00-00.rsession" -o "$dir/r3.png" 2> "$dir/err" || fail "report of a truncated session"
[ "$(wc -l < "$dir/err")" -eq 1 ] && grep -q "truncated" "$dir/err" || fail "damaged report message: $(cat "$dir/err")"
[ -s "$dir/r3.png" ] || fail "no picture of the truncated session"

# clear errors, exit codes
set +e
"$rs" export "$sess/2025-11-25T10-00-00.rsession" --csv "$dir/x" 2> "$dir/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "garbage file: exit $rc"
[ "$(wc -l < "$dir/err")" -eq 1 ] && grep -q "^rollsense: export: .*not a session file" "$dir/err" || fail "garbage message: $(cat "$dir/err")"
set +e
"$rs" report "$dir/missing.rsession" -o "$dir/m.png" 2> "$dir/err"; rc=$?
"$rs" export 2>/dev/null; rc2=$?
"$rs" sessions --bogus 2>/dev/null; rc3=$?
set -e
[ $rc -eq 1 ] && grep -q "cannot open" "$dir/err" || fail "missing file: exit $rc, $(cat "$dir/err")"
[ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] || fail "bad command lines must exit 2 ($rc2, $rc3)"
for c in sessions export report; do
  "$rs" "$c" --help | grep -q "usage: rollsense $c" || fail "$c --help"
done
echo "cli ok"
