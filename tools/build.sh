#!/usr/bin/env bash
# tools/build.sh PRESET [-DVAR=VALUE...] - configure (the first time, or
# always when cache settings are given) and build a CMake preset.
# The build itself decides what is stale, so running it again is cheap.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
shift || true
if [ ! -f "build/$preset/CMakeCache.txt" ] || [ $# -gt 0 ]; then
  cmake --preset "$preset" "$@" >/dev/null
fi
cmake --build --preset "$preset"
