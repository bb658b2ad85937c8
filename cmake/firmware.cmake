# Cross-build firmware/ with avr-gcc as an external project of the host build.
# BUILD_ALWAYS lets the firmware's own build decide what is stale.
include(ExternalProject)
set(RS_FIRMWARE_DIR ${CMAKE_BINARY_DIR}/firmware)
set(RS_FIRMWARE_ELF ${RS_FIRMWARE_DIR}/rollsense-fw.elf)
ExternalProject_Add(firmware
  SOURCE_DIR ${PROJECT_SOURCE_DIR}/firmware
  BINARY_DIR ${RS_FIRMWARE_DIR}
  CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/avr-gcc.cmake
             -DCMAKE_BUILD_TYPE=MinSizeRel
             -DRS_VERSION=${PROJECT_VERSION}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  USES_TERMINAL_BUILD ON
  BUILD_BYPRODUCTS ${RS_FIRMWARE_ELF} ${RS_FIRMWARE_DIR}/rollsense-fw.hex)
