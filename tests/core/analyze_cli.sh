#!/bin/sh
# analyze_cli.sh BIN_DIR SCENARIO_DIR - `rollsense analyze` end to end on a
# capture written by rollsense-sim: the events and summary come out as JSON
# lines, exit codes mean what cli.h says, errors are one line.
set -eu
bin=$1
scn=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
# No user config file may change the results (analyze reads the XDG default).
XDG_CONFIG_HOME=$tmp/xdg
export XDG_CONFIG_HOME

"$bin/rollsense-sim" "$scn/dropped_1pct.scn" -o "$tmp/cap.bin"
"$bin/rollsense" analyze "$tmp/cap.bin" --json > "$tmp/out.json"
last=$(tail -n 1 "$tmp/out.json")
case $last in '{"type":"summary","frames":'*) ;; *) fail "last line is not the summary: $last" ;; esac
frames=$(echo "$last" | sed 's/.*"frames":\([0-9]*\).*/\1/')
lost=$(echo "$last" | sed 's/.*"lost":\([0-9]*\).*/\1/')
[ "$frames" -gt 6000 ] || fail "frames $frames"
[ "$lost" -gt 0 ] || fail "lost $lost (1 % of frames are dropped)"
[ "$(grep -c '"type":"hold_end"' "$tmp/out.json")" -eq 3 ] || fail "want 3 holds"
grep -q '"type":"hold_cue","t":[0-9.]*,"seconds":30' "$tmp/out.json" || fail "no 30 s cue"

# Same bytes from standard input, same output.
"$bin/rollsense" analyze - --json < "$tmp/cap.bin" > "$tmp/out2.json"
cmp -s "$tmp/out.json" "$tmp/out2.json" || fail "stdin output differs"

# Human-readable output ends with the summary lines and the decoder line.
"$bin/rollsense" analyze "$tmp/cap.bin" | tail -n 2 | grep -q "^holds: 1 left, 2 right" || fail "text summary"

# A bad config: exit 2 (like any bad input on the command line) and one line
# naming file, line, key and range.
printf 'still_time_s = 2\nhold_dip_max_s = 99\n' > "$tmp/bad.conf"
set +e
"$bin/rollsense" analyze "$tmp/cap.bin" --config "$tmp/bad.conf" > /dev/null 2> "$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "bad config exit $rc"
[ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "error is not one line"
grep -q "bad.conf:2: key 'hold_dip_max_s': 99 is out of range, allowed 0.1..10 s" "$tmp/err" || fail "error text: $(cat "$tmp/err")"

# The default config file applies when there is no --config.
mkdir -p "$tmp/xdg/rollsense"
cp "$tmp/bad.conf" "$tmp/xdg/rollsense/config"
set +e
"$bin/rollsense" analyze "$tmp/cap.bin" > /dev/null 2> "$tmp/err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "bad default config exit $rc"
grep -q "xdg/rollsense/config:2: key 'hold_dip_max_s'" "$tmp/err" || fail "default config error: $(cat "$tmp/err")"
rm "$tmp/xdg/rollsense/config"

# A good config applies: with a 20 s minimum cue, the 15 s hold gets no cue.
printf 'cue_min_s = 20\ncue_target_s = 30\n' > "$tmp/good.conf"
"$bin/rollsense" analyze "$tmp/cap.bin" --config "$tmp/good.conf" --json > "$tmp/out3.json"
grep -q '"seconds":15' "$tmp/out3.json" && fail "config not applied"

# Usage errors: exit 2.
set +e
"$bin/rollsense" analyze > /dev/null 2>&1; [ $? -eq 2 ] || fail "no FILE should exit 2"
"$bin/rollsense" analyze "$tmp/cap.bin" --bogus > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad option should exit 2"
"$bin/rollsense" analyze "$tmp/cap.bin" --mass 5 > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad mass should exit 2"
"$bin/rollsense" analyze "$tmp/missing.bin" > /dev/null 2>&1; [ $? -eq 1 ] || fail "missing file should exit 1"
set -e

# A raw capture's summary carries the decoder's account: clean bytes skip
# nothing; garbage in front is counted as skipped bytes and errors.
echo "$last" | grep -q '"decoder":{"frames":[0-9]*,"crc":0,"framing":0,"oversize":0,"bad_version":0,.*"bytes_skipped":0}}$' \
    || fail "decoder counts in the summary: $last"
head -c 3000 /dev/urandom > "$tmp/noise.bin"
cat "$tmp/noise.bin" "$tmp/cap.bin" > "$tmp/mixed.bin"
"$bin/rollsense" analyze "$tmp/mixed.bin" --json | tail -n 1 | grep -q '"bytes_skipped":[1-9]' \
    || fail "skipped bytes not counted"

# --state-every: the live state on a fixed device-time grid; passes as events.
"$bin/rollsense" analyze "$tmp/cap.bin" --json --state-every 5 > "$tmp/st.json"
n=$(grep -c '"type":"state"' "$tmp/st.json")
dur=$(tail -n 1 "$tmp/st.json" | sed 's/.*"duration":\([0-9]*\).*/\1/')
[ "$n" -eq $((dur / 5 + 1)) ] || fail "state lines $n for $dur s"
grep -q '"type":"state","t":10.0000,"speed_cm_s":' "$tmp/st.json" || fail "state at 10 s"
grep -q '"type":"pass",.*"mean_cm_s":.*"direction":"knee"' "$tmp/st.json" || fail "no pass event"
set +e
"$bin/rollsense" analyze "$tmp/cap.bin" --state-every 0 > /dev/null 2>&1; [ $? -eq 2 ] || fail "--state-every 0 should exit 2"
set -e

# Neither a session nor a capture: exit 1, one line, no summary. A FIFO or a
# device is refused without reading (it would block or never end).
refuse() {
    set +e
    timeout 20 "$bin/rollsense" analyze "$1" --json > "$tmp/out.ref" 2> "$tmp/err"
    rc=$?
    set -e
    [ $rc -eq 1 ] || fail "$1: exit $rc, want 1"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$1: error is not one line"
    grep -q "$2" "$tmp/err" || fail "$1: error text: $(cat "$tmp/err")"
    [ -s "$tmp/out.ref" ] && fail "$1: printed output"
    return 0
}
echo "just some text" > "$tmp/text.txt"
refuse "$tmp/text.txt" "neither a session file nor a roller capture"
refuse "$tmp/noise.bin" "neither a session file nor a roller capture"
mkfifo "$tmp/fifo"
refuse "$tmp/fifo" "not a regular file"
refuse /dev/zero "not a regular file"
"$bin/rollsense" analyze --help | grep -q '^usage: rollsense analyze' || fail "help"
echo "analyze_cli: ok"
