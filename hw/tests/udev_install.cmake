# cmake -DBUILD_DIR=... -DRULES_DIR=... -P udev_install.cmake
# Installs the `udev` component under a fresh DESTDIR (so even an absolute
# RS_UDEV_RULES_DIR never touches the system) and checks that the rule lands
# in RULES_DIR with its uaccess tag and without world-writable permissions.
string(RANDOM LENGTH 10 _r)
set(_dest "${BUILD_DIR}/hw/udev-install-${_r}")
execute_process(COMMAND ${CMAKE_COMMAND} -E env DESTDIR=${_dest}
                        ${CMAKE_COMMAND} --install ${BUILD_DIR} --component udev
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
file(GLOB_RECURSE _found "${_dest}/*/70-rollsense.rules")
set(_ok FALSE)
foreach(_f IN LISTS _found)
  if(_f MATCHES "/${RULES_DIR}/70-rollsense.rules$" OR _f MATCHES "^${_dest}${RULES_DIR}/70-rollsense.rules$")
    set(_ok TRUE)
    file(READ "${_f}" _text)
    execute_process(COMMAND stat -c %a "${_f}" OUTPUT_VARIABLE _mode OUTPUT_STRIP_TRAILING_WHITESPACE)
  endif()
endforeach()
file(REMOVE_RECURSE ${_dest})
if(NOT _rc EQUAL 0 OR NOT _ok)
  message(FATAL_ERROR "cmake --install --component udev did not put 70-rollsense.rules in ${RULES_DIR} (found: ${_found}) ${_out}")
endif()
if(NOT _text MATCHES "TAG\\+=\"uaccess\"")
  message(FATAL_ERROR "installed rule has no uaccess tag")
endif()
if(_mode MATCHES "[2367]$")
  message(FATAL_ERROR "installed rule file is world-writable (mode ${_mode})")
endif()
message(STATUS "installed 70-rollsense.rules into ${RULES_DIR} (mode ${_mode})")
