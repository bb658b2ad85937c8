# Resolve RS_BUILD_FIRMWARE and RS_BUILD_TESTS (ON, OFF or AUTO) into ON/OFF.
#
# A machine set up by `tools/setup.sh run` (what tools/demo installs) has the
# compiler, CMake and the host libraries only: AUTO then builds the program
# without the firmware image and without the tests, and says so. tools/test
# passes -DRS_BUILD_FIRMWARE=ON -DRS_BUILD_TESTS=ON, so there a missing
# package is a configure error, never a silently smaller suite.
#
# The resolved value is a normal variable of the same name: it shadows the
# cache entry (which keeps AUTO) for every directory below, where
# `if(RS_BUILD_FIRMWARE)` / `if(NOT RS_BUILD_FIRMWARE)` see ON or OFF.

# rs_resolve_option(VAR FOUND WHAT): AUTO -> FOUND; ON with FOUND false is an
# error naming WHAT (the packages to install).
function(rs_resolve_option var found what)
  set(_v "${${var}}")
  string(TOUPPER "${_v}" _v)
  if(_v STREQUAL "AUTO")
    if(found)
      set(_v ON)
    else()
      set(_v OFF)
      message(STATUS "${var}=AUTO: off, ${what} not installed (tools/test installs it)")
    endif()
  elseif(_v)
    if(NOT found)
      message(FATAL_ERROR "${var}=ON needs ${what}: run tools/setup.sh test")
    endif()
    set(_v ON)
  else()
    set(_v OFF)
  endif()
  set(${var} ${_v} PARENT_SCOPE)
endfunction()

find_program(RS_AVR_GCC avr-gcc)
if(RS_AVR_GCC)
  set(_rs_have_avr TRUE)
else()
  set(_rs_have_avr FALSE)
endif()
rs_resolve_option(RS_BUILD_FIRMWARE ${_rs_have_avr} "the AVR toolchain (gcc-avr, binutils-avr, avr-libc)")

# The test suite needs cmocka (unit tests), simavr (emulator, USB and firmware
# tests) and graphviz (the hw/ wiring diagram, built by `all` in hw/).
pkg_check_modules(CMOCKA QUIET IMPORTED_TARGET cmocka)
pkg_check_modules(SIMAVR QUIET IMPORTED_TARGET simavr)
find_program(RS_DOT dot)
if(CMOCKA_FOUND AND SIMAVR_FOUND AND RS_DOT)
  set(_rs_have_tests TRUE)
else()
  set(_rs_have_tests FALSE)
endif()
rs_resolve_option(RS_BUILD_TESTS ${_rs_have_tests} "the test packages (libcmocka-dev, simavr, libsimavr-dev, graphviz)")
if(RS_BUILD_TESTS AND NOT RS_BUILD_FIRMWARE)
  message(STATUS "RS_BUILD_TESTS=ON without the firmware: the firmware, USB and emulator tests are skipped")
endif()
