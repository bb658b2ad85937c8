#!/usr/bin/env bash
# cli_test.sh ROLLSENSE - the command-line contract: help, version, exit codes,
# one-line errors, and `decode` on a capture with corruption in it.
set -u
rs=$1
. "$(dirname "$0")/check.sh"

"$rs" --help >"$tmp/out" 2>&1; rc=$?
check "help exits 0" test $rc -eq 0
check "help lists decode" grep -q '^  decode ' "$tmp/out"

"$rs" --version >"$tmp/out"; rc=$?
check "version exits 0" test $rc -eq 0
check "version names the protocol" grep -q '^rollsense [0-9.]* (protocol v1)$' "$tmp/out"

"$rs" frobnicate >"$tmp/out" 2>"$tmp/err"; rc=$?
check "unknown command exits 2" test $rc -eq 2
check "unknown command: one line" test "$(wc -l <"$tmp/err")" -eq 1
check "unknown command is named" grep -q "unknown command 'frobnicate'" "$tmp/err"

"$rs" decode >/dev/null 2>"$tmp/err"; rc=$?
check "decode without FILE exits 2" test $rc -eq 2
"$rs" decode --bogus x >/dev/null 2>"$tmp/err"; rc=$?
check "decode bad option exits 2" test $rc -eq 2
"$rs" decode "$tmp/missing.bin" >/dev/null 2>"$tmp/err"; rc=$?
check "decode missing file exits 1" test $rc -eq 1
check "missing file: one line naming it" \
  bash -c "test \$(wc -l <'$tmp/err') -eq 1 && grep -q 'missing.bin' '$tmp/err'"

# Two sample frames from docs/protocol.md, with a corrupted copy of the first
# and some line noise between them.
s1='00 05 01 02 e8 03 01 04 59 ec be 07 40 e2 01 d7 f6 ff 04 60 ff ff 01 05 53 e8 ee 1c 00'
bad='00 05 01 02 e8 03 01 04 59 ec be 07 40 e2 01 d7 f6 ff 04 60 ff ff 01 05 53 e8 ee 1d 00'
s2='00 05 01 02 e9 03 01 04 2d 1d bf 0c 4e e2 01 dc f6 ff 0a 60 ff ff 41 05 e3 2c 6c 3d 00'
noise='13 37 42'
for h in $s1 $bad $noise $s2; do printf "\\x$h"; done >"$tmp/cap.bin"
"$rs" decode "$tmp/cap.bin" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "decode exits 0" test $rc -eq 0
check "decode: 3 lines" test "$(wc -l <"$tmp/out")" -eq 3
check "decode: first frame" grep -q '^{"type":"sample","seq":1000,' "$tmp/out"
check "decode: second frame" grep -q '^{"type":"sample","seq":1001,.*"status":65}$' "$tmp/out"
check "decode: summary counts" grep -q '^{"type":"summary","frames":2,"crc_errors":1,"framing_errors":1,' "$tmp/out"
"$rs" decode - <"$tmp/cap.bin" >"$tmp/out2"; rc=$?
check "decode - reads stdin" cmp -s "$tmp/out" "$tmp/out2"

finish
