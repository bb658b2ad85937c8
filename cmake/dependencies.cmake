# Host dependencies, all through pkg-config imported targets (tools/setup.sh
# installs the Debian packages that provide them).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SERIALPORT REQUIRED IMPORTED_TARGET libserialport)
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)
pkg_check_modules(SDL2 REQUIRED IMPORTED_TARGET sdl2)
pkg_check_modules(SDL2_TTF REQUIRED IMPORTED_TARGET SDL2_ttf)
pkg_check_modules(SDL2_IMAGE REQUIRED IMPORTED_TARGET SDL2_image)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
# The test-only libraries (cmocka, simavr) are looked for in cmake/options.cmake.
