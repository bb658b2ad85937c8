#!/usr/bin/env bash
# private_files.sh ROLLSENSE SYNTH - every file the program writes with
# health data is 0600 under umask 022, also when it replaces an existing
# world-readable file: session files, exports, report PNGs, live --capture.
# (Window screenshots: test_ui_window; calibration and profile files:
# test_calib_store, test_calib_profiles; all use rs_file_create_private.)
set -euo pipefail
rs=$1
synth=$2
umask 022
dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-priv-XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mode() { stat -c %a "$1"; }
export XDG_DATA_HOME="$dir/data"

"$synth" "$dir/s.rsession" 30
[ "$(mode "$dir/s.rsession")" = 600 ] || fail "session file $(mode "$dir/s.rsession")"

# Existing world-readable files that the commands overwrite.
mkdir -p "$dir/out"
for f in out/samples.csv out/events.csv out/summary.json r.png cap.bin; do
  echo old > "$dir/$f"
  [ "$(mode "$dir/$f")" = 644 ] || fail "setup: umask 022 should give 644"
done

"$rs" export "$dir/s.rsession" --csv "$dir/out" > /dev/null
for f in samples.csv events.csv summary.json; do
  [ "$(mode "$dir/out/$f")" = 600 ] || fail "export $f: $(mode "$dir/out/$f")"
done
"$rs" export "$dir/s.rsession" --csv "$dir/new" > /dev/null
for f in samples.csv events.csv summary.json; do
  [ "$(mode "$dir/new/$f")" = 600 ] || fail "new export $f: $(mode "$dir/new/$f")"
done

"$rs" report "$dir/s.rsession" -o "$dir/r.png"
[ "$(mode "$dir/r.png")" = 600 ] || fail "report over an old PNG: $(mode "$dir/r.png")"
"$rs" report "$dir/s.rsession" -o "$dir/r2.png"
[ "$(mode "$dir/r2.png")" = 600 ] || fail "report PNG: $(mode "$dir/r2.png")"

# live --capture: the file is made before the port is opened.
"$rs" live --port "$dir/no-such-port" --headless --json --duration 0.5 --no-record \
  --capture "$dir/cap.bin" > /dev/null 2>&1 || true
[ "$(mode "$dir/cap.bin")" = 600 ] || fail "live --capture over an old file: $(mode "$dir/cap.bin")"
"$rs" live --port "$dir/no-such-port" --headless --json --duration 0.5 --no-record \
  --capture "$dir/cap2.bin" > /dev/null 2>&1 || true
[ -f "$dir/cap2.bin" ] || fail "live --capture made no file"
[ "$(mode "$dir/cap2.bin")" = 600 ] || fail "live --capture: $(mode "$dir/cap2.bin")"
echo "PASS: session, export (new and over 0644), report PNG (new and over 0644), capture: 0600"
