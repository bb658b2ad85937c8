#!/usr/bin/env bash
# window_wait_cpu.sh ROLLSENSE - `rollsense live` with its window open and no
# roller on the port waits without spinning and without redrawing (issue 5:
# never spin). Checked by counting, not by timing: the program's own loop
# counts (RS_LOOP_STATS) over a --duration session must stay within what
# its waits allow: at most one wake-up per 250 ms idle wait (plus the
# 100 ms waits before the first frame) and one frame drawn or presented
# per 10 s refresh,
# plus the first frames. A spinning loop makes thousands of wake-ups, a
# redrawing one hundreds of presents; a starved machine only makes fewer,
# since every wait is a timeout. The CPU used is printed as a figure, not
# asserted (speed belongs to benchmarks: docs/testing.md).
set -u
rs=$1
dur=${2:-8}
tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy SDL_RENDER_DRIVER=software
export RS_LOOP_STATS=1
# Exits by itself after $dur s of session time; the ctest TIMEOUT is the hang guard.
"$rs" live --port "$tmp/no-roller-here" --no-record --mute --duration "$dur" >"$tmp/out" 2>"$tmp/err"
rc=$?
line=$(grep -E ': loop: [0-9]+ wake-ups' "$tmp/err")
if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
    echo "FAIL: live exited $rc without its loop counts:"; cat "$tmp/err"
    echo "0 passed, 1 failed"; exit 1
fi
echo "$line"
read -r wakes drawn shown secs < <(echo "$line" |
    sed -E 's/.*loop: ([0-9]+) wake-ups, ([0-9]+) frames drawn, ([0-9]+) presented in ([0-9.]+) s.*/\1 \2 \3 \4/')
# Compared in awk: a wrapped or absurd count (e.g. 2^64-1) fails instead
# of upsetting the shell's integer tests.
over() { awk -v n="$1" -v m="$2" 'BEGIN { exit !(n + 0 > m + 0) }'; }
max_wakes=$(awk -v s="$secs" 'BEGIN { printf "%d", 15 * s + 20 }')
max_shown=$(awk -v s="$secs" 'BEGIN { printf "%d", s / 10 + 4 }')
fail=0
if over "$wakes" "$max_wakes"; then echo "FAIL: $wakes wake-ups in $secs s (limit $max_wakes): the loop spins"; fail=1; fi
if over "$shown" "$max_shown"; then echo "FAIL: $shown frames presented in $secs s (limit $max_shown): it redraws while nothing changes"; fail=1; fi
if over "$drawn" "$max_shown"; then echo "FAIL: $drawn frames drawn in $secs s (limit $max_shown): it redraws while nothing changes"; fail=1; fi
# The first frame is drawn and presented, and the loop waited: zero counts
# mean the counters (or the window) do not work, not that all is well.
if over 1 "$wakes" || over 1 "$drawn" || over 1 "$shown"; then
    echo "FAIL: counts $wakes/$drawn/$shown: the loop did not wait, draw or present"; fail=1
fi
times # CPU of this shell and its children (the figure; never asserted)
if [ "$fail" -eq 0 ]; then echo "1 passed, 0 failed"; exit 0; fi
echo "0 passed, 1 failed"; exit 1
