#!/usr/bin/env bash
# tools/build.sh PRESET - configure (first time) and build a CMake preset.
# The build itself decides what is stale, so running it again is cheap.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
if [ ! -f "build/$preset/CMakeCache.txt" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
