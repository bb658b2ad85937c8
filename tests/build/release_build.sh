#!/usr/bin/env bash
# release_build.sh SOURCE BINARY GENERATOR - the product (no tests, no
# firmware) configures and builds under -Werror in Release: -O3, where GCC
# follows more paths and warns where -O2 does not, and _FORTIFY_SOURCE from
# cmake/host-flags.cmake. The tree goes to BINARY/release-check, rebuilt from
# scratch each run so every file is compiled.
set -u
src=$1 out=$2/release-check gen=$3
rm -rf "$out"
if ! cmake -S "$src" -B "$out" -G "$gen" -DCMAKE_BUILD_TYPE=Release \
     -DRS_BUILD_TESTS=OFF -DRS_BUILD_FIRMWARE=OFF >"$out.log" 2>&1; then
  cat "$out.log"; echo "FAIL Release configure"; exit 1
fi
if ! cmake --build "$out" >"$out.log" 2>&1; then
  grep -E 'error|warning' "$out.log" | head -20; echo "FAIL Release build under -Werror"; exit 1
fi
grep -q -- '-O3' "$out/build.ninja" 2>/dev/null || grep -rqs -- '-O3' "$out/CMakeFiles" ||
  { echo "FAIL the Release build did not use -O3"; exit 1; }
grep -rqs -- '_FORTIFY_SOURCE=2' "$out/build.ninja" "$out/CMakeFiles" ||
  { echo "FAIL the Release build did not set _FORTIFY_SOURCE"; exit 1; }
rm -rf "$out" "$out.log"
echo "ok Release build: no warning under -Werror"
