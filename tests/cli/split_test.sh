#!/usr/bin/env bash
# split_test.sh ROLLSENSE ROLLSENSE_FULL - the two programs: rollsense needs
# no SDL, SDL_ttf, SDL_image, espeak-ng or fontconfig; it runs analyze and
# the other commands that draw nothing itself and hands the window commands
# and --version to rollsense-full (found at ../libexec/rollsense from its
# own directory) with their arguments, exit code and output unchanged; and
# without rollsense-full it says so in one line.
set -u
rs=$1
full=$2
. "$(dirname "$0")/check.sh"

needed=$(readelf -d "$rs" | grep NEEDED)
echo "$needed"
check "rollsense: no SDL, SDL_ttf, SDL_image, espeak-ng, fontconfig" \
  bash -c "! grep -qiE 'SDL|espeak|fontconfig' <<<'$needed'"
check "rollsense-full: SDL" bash -c "readelf -d '$full' | grep -q 'libSDL2-2.0'"

# The same command list and the same help from both.
check "the same --help" cmp <("$rs" --help) <("$full" --help)
for c in live routine calibrate demo view-test replay history report analyze export decode \
         sessions devices; do
  "$rs" "$c" --help >"$tmp/a" 2>&1; ra=$?
  "$full" "$c" --help >"$tmp/b" 2>&1; rb=$?
  check "$c --help: the same output and exit code ($ra)" \
    bash -c "cmp -s '$tmp/a' '$tmp/b' && [ $ra -eq $rb ] && [ $ra -eq 0 ]"
done
# A usage error in a handed-over command: its exit code (2) and message.
"$rs" demo --no-such-option >"$tmp/out" 2>&1; rc=$?
check "demo --no-such-option: exit 2" test $rc -eq 2
check "demo --no-such-option: the option named" grep -q "no-such-option" "$tmp/out"
# A handed-over command that runs: the headless demo, to its summary.
"$rs" demo --headless --json --fast --duration 2 >"$tmp/demo" 2>"$tmp/demo.err"; rc=$?
check "demo --headless --json --fast: exit 0" test $rc -eq 0
check "demo: a summary line" grep -q '^{"type":"summary"' "$tmp/demo"
"$rs" --version >"$tmp/v" 2>&1
check "--version from rollsense-full: SDL versions" grep -q '^SDL [0-9]' "$tmp/v"

# rollsense alone, without rollsense-full beside it.
mkdir -p "$tmp/lone/bin"
cp "$rs" "$tmp/lone/bin/rollsense"
"$tmp/lone/bin/rollsense" live --help >"$tmp/out" 2>&1; rc=$?
cat "$tmp/out"
check "no rollsense-full: exit 1" test $rc -eq 1
check "no rollsense-full: one line naming the command and the path" bash -c \
  "[ \$(wc -l <'$tmp/out') -eq 1 ] && grep -q '^rollsense: live needs $tmp/lone/bin/../libexec/rollsense/rollsense-full, which could not be started' '$tmp/out'"
"$tmp/lone/bin/rollsense" sessions --help >/dev/null 2>&1; rc=$?
check "no rollsense-full: its own commands still run" test $rc -eq 0
finish
