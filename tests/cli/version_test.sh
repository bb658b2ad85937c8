#!/usr/bin/env bash
# version_test.sh ROLLSENSE IMAGE|- VERSION [FULL] - `rollsense --version`:
# the versions, and the firmware image found relative to the executable
# (bin/../share/rollsense/rollsense-fw.hex): matching, changed, missing, and
# with '-' (built without the firmware) "not built". FULL: the rollsense-full
# that ROLLSENSE hands --version to, copied to libexec/rollsense beside it.
set -u
rs=$1
image=$2
version=$3
full=${4:-}
. "$(dirname "$0")/check.sh"

mkdir -p "$tmp/bin" "$tmp/share/rollsense"
cp "$rs" "$tmp/bin/rollsense"
if [ -n "$full" ]; then
  mkdir -p "$tmp/libexec/rollsense"
  cp "$full" "$tmp/libexec/rollsense/rollsense-full"
fi
v() { "$tmp/bin/rollsense" --version >"$tmp/out" 2>&1; echo $? >"$tmp/rc"; cat "$tmp/out"; }

v
check "exits 0" test "$(cat "$tmp/rc")" -eq 0
check "first line: version and protocol" test "$(head -1 "$tmp/out")" = "rollsense $version (protocol v1)"
check "SDL versions" grep -qE '^SDL [0-9]+\.[0-9]+\.[0-9]+ \(built with [0-9]+\.[0-9]+\.[0-9]+\), SDL_ttf [0-9]+\.[0-9]+\.[0-9]+, SDL_image [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
check "SQLite version" grep -qE '^SQLite 3\.[0-9]+\.[0-9]+$' "$tmp/out"
check "four lines" test "$(wc -l <"$tmp/out")" -eq 4
if [ "$image" = - ]; then
  check "no image built" grep -qx 'firmware image: not built with this program (no AVR toolchain at build time)' "$tmp/out"
else
  check "missing image named" grep -qx "firmware image: missing or unreadable (looked for $tmp/bin/../share/rollsense/rollsense-fw.hex)" "$tmp/out"
  cp "$image" "$tmp/share/rollsense/rollsense-fw.hex"
  v
  sum=$(sha256sum "$image" | cut -c1-16)
  check "the built image matches" \
    grep -qx "firmware image: $tmp/share/rollsense/rollsense-fw.hex matches this build (sha256 $sum)" "$tmp/out"
  # One byte changed (the last hex digit before the final newline).
  sed '$ s/.$/0/' "$image" >"$tmp/share/rollsense/rollsense-fw.hex"
  if cmp -s "$image" "$tmp/share/rollsense/rollsense-fw.hex"; then
    sed -i '$ s/.$/1/' "$tmp/share/rollsense/rollsense-fw.hex"
  fi
  v
  bad=$(sha256sum "$tmp/share/rollsense/rollsense-fw.hex" | cut -c1-16)
  check "a changed image does not match" \
    grep -qx "firmware image: $tmp/share/rollsense/rollsense-fw.hex does NOT match this build (sha256 $bad, built $sum)" "$tmp/out"
  # Present but unreadable (a directory: fopen succeeds, reading fails).
  rm "$tmp/share/rollsense/rollsense-fw.hex"
  mkdir "$tmp/share/rollsense/rollsense-fw.hex"
  v
  check "an unreadable image is named" \
    grep -qx "firmware image: missing or unreadable (looked for $tmp/share/rollsense/rollsense-fw.hex)" "$tmp/out"
  rmdir "$tmp/share/rollsense/rollsense-fw.hex"
  # SHA-256 padding edge cases: 55, 56, 63, 64 and 119 bytes of content.
  for n in 0 55 56 63 64 119 4097; do
    head -c $n /dev/zero | tr '\0' 'x' >"$tmp/share/rollsense/rollsense-fw.hex"
    v >/dev/null
    want=$(sha256sum "$tmp/share/rollsense/rollsense-fw.hex" | cut -c1-16)
    check "sha256 of $n bytes" grep -q "(sha256 $want, built $sum)" "$tmp/out"
  done
fi
finish
