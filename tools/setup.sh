#!/usr/bin/env bash
# tools/setup.sh - install the Debian 12 packages that rollsense needs to build,
# test and run (host, firmware cross-build, emulator, fuzzing, hardware checks).
# Idempotent: when everything is present it installs nothing and says so.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  # host libraries
  libserialport-dev libusb-1.0-0-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
  libsqlite3-dev sqlite3 fontconfig libfontconfig-dev fonts-dejavu-core
  # firmware cross-build and emulation
  gcc-avr binutils-avr avr-libc simavr libsimavr-dev libelf-dev
  # tests: unit tests, fuzzing, UI smoke tests
  libcmocka-dev clang libclang-rt-14-dev xvfb xauth
  # hardware design checks (hw/)
  openscad admesh ngspice graphviz python3 python3-yaml
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup: cannot install packages: not root and no sudo. As root run: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
