# The Debian package and the source tarball, made by CPack from the install
# rules (docs/packaging.md says why CPack rather than a debian/ directory):
#   cmake --build build/default --target package         -> rollsense_<v>_<arch>.deb
#   cmake --build build/default --target package_source  -> rollsense-<v>.tar.gz
# The version is project()'s; the runtime dependencies come from the shared
# libraries the binary links (dpkg-shlibdeps), never typed here.
set(CPACK_PACKAGE_NAME rollsense)
set(CPACK_PACKAGE_VENDOR "rollsense")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "feedback for rolling the calf on a pressure-sensing foam roller")
set(CPACK_PACKAGE_CONTACT "rollsense dev <dev@rollsense.invalid>")
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# CPACK_PACKAGING_INSTALL_PREFIX stays unset: the DEB generator installs
# under /usr by default, and the source tarball must not get a usr/ level.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# The window's text needs a TrueType font: fontconfig finds DejaVu Sans.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "avrdude")
# The extended description: CPack puts the summary above it and indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"rollsense reads a foam roller with four load cells and an angle encoder over
USB and shows, in large numbers and with sounds, how hard and how fast you
roll the calf, which leg is on the roller and where, and when a trigger-point
hold of 15 to 30 seconds is done. Sessions are recorded privately and can be
replayed, analysed, exported to CSV and drawn as a report. A simulated roller
(rollsense demo) needs no hardware.
.
The package holds the program, its manual page, a desktop launcher, the udev
rule that gives the logged-in user access to the roller, and the roller's
firmware image with flashing instructions (/usr/share/rollsense).")

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_PACKAGE_FILE_NAME rollsense-${PROJECT_VERSION})
# Only the top-level build/ (tests/build/ is a test area); .git is a
# directory in a clone and a file in a worktree.
set(CPACK_SOURCE_IGNORE_FILES "^${PROJECT_SOURCE_DIR}/build/" "/\\\\.git/" "/\\\\.git$"
    "/\\\\.cache/" "~$")
include(CPack)
