#!/usr/bin/env bash
# pkg_test.sh BUILD_DIR VERSION - the Debian package as a user gets it.
# Builds the .deb with cpack into a private directory, unpacks it with
# `dpkg-deb -x` into a fresh root and checks: every file and its mode (and
# nothing else), the control fields (version from project(), dependencies
# from dpkg-shlibdeps), no run-time path into the build tree, the program's
# --version and a headless demo run from the installed paths, the firmware
# image check (matching, changed, missing), the desktop file, the AppStream
# metadata, the manual page, and lintian.
set -u
build=$(cd "$1" && pwd)
version=$2
. "$(dirname "$0")/check.sh"

# --- build ------------------------------------------------------------------
cpack --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1
rc=$?
debs=("$tmp"/out/rollsense_*.deb)
if [ $rc -ne 0 ] || [ ! -f "${debs[0]}" ]; then
  cat "$tmp/cpack.log"
  echo "FAIL cpack built no package (exit $rc)"
  exit 1
fi
deb=${debs[0]}
arch=$(dpkg --print-architecture)
check "package file name rollsense_${version}_${arch}.deb" test "$(basename "$deb")" = "rollsense_${version}_${arch}.deb"

# --- the source tarball (README: getting the code without git) ---------------
cpack --config "$build/CPackSourceConfig.cmake" -B "$tmp/src" >"$tmp/cpack-src.log" 2>&1
tgz=$tmp/src/rollsense-$version.tar.gz
check "package_source: rollsense-$version.tar.gz" test -f "$tgz"
tar tzf "$tgz" >"$tmp/src.list" 2>/dev/null
check "source tarball: the tree under rollsense-$version/" \
  bash -c "grep -qx 'rollsense-$version/CMakeLists.txt' '$tmp/src.list' && grep -qx 'rollsense-$version/tools/demo' '$tmp/src.list'"
check "source tarball: no build/ and no .git" \
  bash -c "! grep -qE '^rollsense-$version/build/|/\.git(/|$)' '$tmp/src.list'"
check "source tarball: tests/build kept" grep -q "^rollsense-$version/tests/build/CMakeLists.txt$" "$tmp/src.list"

# --- contents: every path, its mode and owner, and nothing else ---------------
expected="drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/bin/
-rwxr-xr-x root/root ./usr/bin/rollsense
drwxr-xr-x root/root ./usr/lib/
drwxr-xr-x root/root ./usr/lib/udev/
drwxr-xr-x root/root ./usr/lib/udev/rules.d/
-rw-r--r-- root/root ./usr/lib/udev/rules.d/70-rollsense.rules
drwxr-xr-x root/root ./usr/libexec/
drwxr-xr-x root/root ./usr/libexec/rollsense/
-rwxr-xr-x root/root ./usr/libexec/rollsense/rollsense-full
drwxr-xr-x root/root ./usr/share/
drwxr-xr-x root/root ./usr/share/applications/
-rw-r--r-- root/root ./usr/share/applications/rollsense.desktop
drwxr-xr-x root/root ./usr/share/doc/
drwxr-xr-x root/root ./usr/share/doc/rollsense/
-rw-r--r-- root/root ./usr/share/doc/rollsense/changelog.gz
-rw-r--r-- root/root ./usr/share/doc/rollsense/copyright
drwxr-xr-x root/root ./usr/share/icons/
drwxr-xr-x root/root ./usr/share/icons/hicolor/
drwxr-xr-x root/root ./usr/share/icons/hicolor/scalable/
drwxr-xr-x root/root ./usr/share/icons/hicolor/scalable/apps/
-rw-r--r-- root/root ./usr/share/icons/hicolor/scalable/apps/io.github.rollsense.svg
drwxr-xr-x root/root ./usr/share/man/
drwxr-xr-x root/root ./usr/share/man/man1/
-rw-r--r-- root/root ./usr/share/man/man1/rollsense.1.gz
drwxr-xr-x root/root ./usr/share/metainfo/
-rw-r--r-- root/root ./usr/share/metainfo/io.github.rollsense.metainfo.xml
drwxr-xr-x root/root ./usr/share/rollsense/
-rw-r--r-- root/root ./usr/share/rollsense/FLASHING
-rw-r--r-- root/root ./usr/share/rollsense/rollsense-fw.hex"
dpkg-deb -c "$deb" | awk '{print $1, $2, $6}' | grep -v ' \./$' | sort -k3 >"$tmp/contents"
if ! diff <(echo "$expected") "$tmp/contents" >"$tmp/contents.diff"; then
  echo "package contents differ from the expected list (< expected, > package):"
  cat "$tmp/contents.diff"
fi
check "contents: every file and mode as expected" test ! -s "$tmp/contents.diff"

# --- control fields ------------------------------------------------------------
check "control: version $version" test "$(dpkg-deb -f "$deb" Version)" = "$version"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libsqlite3-0 libserialport0 libusb-1.0-0 libfontconfig1 fonts-dejavu-core; do
  check "control: depends on $lib" grep -qE "(^|, )$lib( |,|$)" <<<"$depends"
done
check "control: no -dev package in Depends" bash -c "! grep -q -- '-dev' <<<'$depends'"

# --- unpack into a fresh root ----------------------------------------------------
root=$tmp/root
mkdir "$root"
dpkg-deb -x "$deb" "$root"
rs=$root/usr/bin/rollsense
src=$(cd "$(dirname "$0")/../.." && pwd)
for b in "$rs" "$root/usr/libexec/rollsense/rollsense-full"; do
  n=${b#$root}
  check "$n: no RPATH/RUNPATH" bash -c "! readelf -d '$b' | grep -qE 'RPATH|RUNPATH'"
  check "$n: no path into the build tree" bash -c "! grep -qaF '$build' '$b'"
  check "$n: no path into the source tree" bash -c "! grep -qaF '$src/' '$b'"
  check "$n: stripped (no debug sections)" bash -c "! readelf -S '$b' | grep -q '\.debug_'"
  ldd "$b" >"$tmp/ldd" 2>&1
  check "$n: every library resolves to the system" \
    bash -c "! grep -q 'not found' '$tmp/ldd' && ! grep -qF '$build' '$tmp/ldd'"
done

# A clean environment: no build-tree variables, private XDG dirs.
run() {
  env -i PATH=/usr/bin:/bin HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/config" \
    XDG_DATA_HOME="$tmp/home/data" LANG=C.UTF-8 "$@"
}
mkdir -p "$tmp/home"
run "$rs" --version >"$tmp/version" 2>&1; rc=$?
cat "$tmp/version"
check "installed --version exits 0" test $rc -eq 0
check "installed --version: program and protocol" grep -qx "rollsense $version (protocol v1)" "$tmp/version"
check "installed --version: SDL" grep -qE '^SDL [0-9]+\.[0-9]+\.[0-9]+ \(built with [0-9.]+\), SDL_ttf [0-9.]+, SDL_image [0-9.]+$' "$tmp/version"
check "installed --version: SQLite" grep -qE '^SQLite 3\.[0-9]+\.[0-9]+$' "$tmp/version"
sum=$(sha256sum "$root/usr/share/rollsense/rollsense-fw.hex" | cut -c1-16)
check "installed --version: the installed image matches" \
  grep -qx "firmware image: $root/usr/share/rollsense/rollsense-fw.hex matches this build (sha256 $sum)" "$tmp/version"

cp -a "$root" "$tmp/changed"
echo ":00000001FF" >>"$tmp/changed/usr/share/rollsense/rollsense-fw.hex"
run "$tmp/changed/usr/bin/rollsense" --version >"$tmp/version2" 2>&1
check "--version: a changed image does not match" grep -q '^firmware image: .* does NOT match this build' "$tmp/version2"
rm "$tmp/changed/usr/share/rollsense/rollsense-fw.hex"
run "$tmp/changed/usr/bin/rollsense" --version >"$tmp/version3" 2>&1
check "--version: a missing image is named" \
  grep -qx "firmware image: missing or unreadable (looked for $tmp/changed/usr/bin/../share/rollsense/rollsense-fw.hex)" "$tmp/version3"

run "$rs" demo --headless --json --fast >"$tmp/demo" 2>"$tmp/demo.err"; rc=$?
check "installed demo --headless --json --fast exits 0" test $rc -eq 0
check "installed demo: a summary with frames and holds" \
  grep -qE '^\{"type":"summary","frames":[1-9][0-9]*,.*"holds_right":[1-9]' "$tmp/demo"
check "installed demo: recorded under XDG_DATA_HOME" \
  bash -c "ls '$tmp/home/data/rollsense/sessions/' | grep -q ."
test -s "$tmp/demo.err" && cat "$tmp/demo.err"

# --- desktop file, AppStream, manual page ------------------------------------------
check "desktop-file-validate" desktop-file-validate "$root/usr/share/applications/rollsense.desktop"
check "desktop: Exec rollsense live" grep -qx 'Exec=rollsense live' "$root/usr/share/applications/rollsense.desktop"
check "desktop: demo action" grep -qx 'Exec=rollsense demo' "$root/usr/share/applications/rollsense.desktop"
appstreamcli validate --no-net --explain "$root/usr/share/metainfo/io.github.rollsense.metainfo.xml" >"$tmp/as" 2>&1; rc=$?
cat "$tmp/as"
check "appstreamcli validate" test $rc -eq 0
check "metainfo: release $version" grep -q "<release version=\"$version\"" "$root/usr/share/metainfo/io.github.rollsense.metainfo.xml"
check "man rollsense finds the page" \
  test "$(MANPATH="$root/usr/share/man" man -w rollsense 2>/dev/null)" = "$root/usr/share/man/man1/rollsense.1.gz"
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$root/usr/share/man/man1/rollsense.1.gz" >"$tmp/man.txt" 2>"$tmp/man.err"
cat "$tmp/man.err"
check "man page renders without warnings" test ! -s "$tmp/man.err"
check "man page: NAME section" grep -q '^NAME' "$tmp/man.txt"

# --- lintian: no error or warning; the info tags it still shows are explained
# in docs/packaging.md ---------------------------------------------------------
lintian --no-cfg --fail-on error,warning -I "$deb" >"$tmp/lintian" 2>&1; rc=$?
grep -v 'root privileges' "$tmp/lintian"
check "lintian: no error or warning" test $rc -eq 0
# RELRO, BIND_NOW and _FORTIFY_SOURCE (cmake/host-flags.cmake): no hardening tag,
# not even an information one
check "lintian: no hardening-* tag" sh -c "! grep -q 'hardening-' '$tmp/lintian'"

finish
