#!/usr/bin/env bash
# bad_inputs.sh ROLLSENSE - files that are not what they claim: a FIFO as
# --config or --scenario (used to hang), a NUL byte, hex numbers, terminal
# escapes. Each: exit 2, one stderr line, no raw control bytes echoed.
set -euo pipefail
rs=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/rs-bad-XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkfifo "$dir/fifo"
printf 'still_speed_cm_s = 0.5\0garbage\n' > "$dir/nul.conf"
printf 'still_speed_cm_s = 0x96\n' > "$dir/hex.conf"
printf 'still_speed_cm_s = 0x1p1\n' > "$dir/hexf.conf"
printf 'still_speed_cm_s = \033[2J\033]0;owned\007\n' > "$dir/esc.conf"
check() { # expected-substring args...
  want=$1; shift
  # timeout: a FIFO must be refused, not waited on (a hang fails the test)
  set +e
  timeout 20 "$rs" demo "$@" --headless --json --fast --no-record > /dev/null 2> "$dir/err"
  rc=$?
  set -e
  [ "$rc" = 2 ] || fail "$*: exit $rc, want 2 ($(cat "$dir/err"))"
  [ "$(wc -l < "$dir/err")" = 1 ] || fail "$*: not one line: $(cat "$dir/err")"
  grep -q -- "$want" "$dir/err" || fail "$*: no '$want' in: $(cat "$dir/err")"
  if LC_ALL=C grep -q "$(printf '[\001-\010\016-\037\177]')" "$dir/err"; then
    fail "$*: raw control bytes echoed"
  fi
}
check "not a regular file" --config "$dir/fifo"
check "not a regular file" --scenario "$dir/fifo"
check "NUL byte at offset 22" --config "$dir/nul.conf"
check "'0x96' is not a number" --config "$dir/hex.conf"
check "'0x1p1' is not a number" --config "$dir/hexf.conf"
check '\\x1b\[2J\\x1b\]0;owned\\x07' --config "$dir/esc.conf"
echo "PASS: FIFO config and scenario, NUL byte, hex numbers, escapes: refused on one line"
