#!/usr/bin/env bash
# tools/setup.sh [run|test|all] [--list] - install the Debian 12 packages
# rollsense needs, in two groups:
#   run   building and running the program (tools/demo): compiler, CMake,
#         Ninja, pkg-config, the host libraries, fonts
#   test  run + everything the test suite and the package build need
#         (tools/test): firmware cross-build and emulator, cmocka, fuzzing,
#         UI smoke tests, hardware checks, package checks
#   all   the same as test (the default)
# --list prints the group's packages, one a line, and installs nothing.
# Idempotent: when everything is present it installs nothing and says so.
set -euo pipefail

run_packages=(
  # build: a C compiler and libc headers (the project is C only: no g++),
  # CMake with CPack, Ninja, pkg-config
  gcc libc6-dev cmake ninja-build pkg-config
  # host libraries
  libserialport-dev libusb-1.0-0-dev libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
  libsqlite3-dev fontconfig libfontconfig-dev fonts-dejavu-core
)
test_packages=(
  # firmware cross-build (the .hex the package ships) and emulation
  gcc-avr binutils-avr avr-libc simavr libsimavr-dev libelf-dev
  # tests: unit tests, fuzzing, UI smoke tests, session files
  libcmocka-dev clang libclang-rt-14-dev xvfb xauth sqlite3
  # hardware design checks (hw/)
  openscad admesh ngspice graphviz python3 python3-yaml
  # the Debian package: dpkg-shlibdeps, and its checks
  dpkg-dev file lintian desktop-file-utils appstream man-db
)

group=all
list=0
for arg in "$@"; do
  case $arg in
    run|test|all) group=$arg ;;
    --list) list=1 ;;
    *) echo "usage: tools/setup.sh [run|test|all] [--list]" >&2; exit 2 ;;
  esac
done
packages=("${run_packages[@]}")
if [ "$group" != run ]; then
  packages+=("${test_packages[@]}")
fi
if [ $list -eq 1 ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages of group '$group' present"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s) of group '$group': ${missing[*]}"
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
