#!/usr/bin/env bash
# window_wait_cpu.sh ROLLSENSE - `rollsense live` with its window open and no
# roller on the port uses under 1 % of a core while it waits (issue 5: never
# spin). Measures the process's own CPU ticks over 8 s of waiting, after a
# 2 s start-up that is not counted.
set -u
rs=$1
tmp=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy SDL_RENDER_DRIVER=software
"$rs" live --port "$tmp/no-roller-here" --no-record --mute >"$tmp/out" 2>"$tmp/err" &
pid=$!
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
sleep 2
kill -0 "$pid" 2>/dev/null || { echo "FAIL: live exited early:"; cat "$tmp/err"; exit 1; }
a=$(ticks)
sleep 8
b=$(ticks)
hz=$(getconf CLK_TCK)
used=$((b - a))
limit=$((8 * hz / 100)) # 1 % of 8 s
echo "window open, waiting for a roller: $used ticks of CPU in 8 s (limit $limit, $hz per s)"
if [ "$used" -lt "$limit" ]; then echo "1 passed, 0 failed"; exit 0; fi
echo "0 passed, 1 failed"; exit 1
