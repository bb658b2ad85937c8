# What `cmake --install` and the Debian package put where. Paths follow the
# FHS under CMAKE_INSTALL_PREFIX (/usr in the package, docs/packaging.md).
#   bin/rollsense                                  the program (host/cli)
#   <udev rules dir>/70-rollsense.rules            device access (component udev)
#   share/man/man1/rollsense.1.gz                  the manual page
#   share/applications/rollsense.desktop           the menu launcher
#   share/icons/hicolor/scalable/apps/io.github.rollsense.svg
#   share/metainfo/io.github.rollsense.metainfo.xml  AppStream
#   share/rollsense/rollsense-fw.hex, FLASHING     the firmware image
#   share/doc/rollsense/copyright, changelog.gz
set(RS_PKG_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(RS_APP_ID io.github.rollsense)

# udev reads /usr/lib/udev/rules.d and /etc/udev/rules.d, not /usr/local/...:
# with the default /usr/local prefix pass -DRS_UDEV_RULES_DIR=/etc/udev/rules.d
# (a relative value is taken under the install prefix).
set(RS_UDEV_RULES_DIR lib/udev/rules.d CACHE STRING "Where cmake --install puts 70-rollsense.rules")
install(FILES ${PROJECT_SOURCE_DIR}/hw/udev/70-rollsense.rules
        DESTINATION ${RS_UDEV_RULES_DIR} COMPONENT udev)

# Debian policy: manual pages and changelogs gzip -9n (no name, no time stamp)
# so that the package is reproducible.
set(RS_GEN_DIR ${CMAKE_BINARY_DIR}/packaging)
function(rs_gzip src out)
  add_custom_command(OUTPUT ${out}
    COMMAND gzip -9n -c ${src} > ${out}
    DEPENDS ${src} VERBATIM)
endfunction()
# The release (version from project(), date RS_RELEASE_DATE) goes into the
# AppStream metadata and the changelog's top entry.
execute_process(COMMAND date -u -R -d "${RS_RELEASE_DATE} 12:00"
                OUTPUT_VARIABLE RS_RELEASE_DATE_RFC2822 OUTPUT_STRIP_TRAILING_WHITESPACE
                COMMAND_ERROR_IS_FATAL ANY)
configure_file(${RS_PKG_DIR}/changelog.in ${RS_GEN_DIR}/changelog @ONLY)
configure_file(${RS_PKG_DIR}/${RS_APP_ID}.metainfo.xml.in ${RS_GEN_DIR}/${RS_APP_ID}.metainfo.xml @ONLY)
rs_gzip(${RS_PKG_DIR}/rollsense.1 ${RS_GEN_DIR}/rollsense.1.gz)
rs_gzip(${RS_GEN_DIR}/changelog ${RS_GEN_DIR}/changelog.gz)
add_custom_target(rs_packaging_files ALL DEPENDS ${RS_GEN_DIR}/rollsense.1.gz ${RS_GEN_DIR}/changelog.gz)

install(FILES ${RS_GEN_DIR}/rollsense.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${RS_PKG_DIR}/rollsense.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${RS_PKG_DIR}/${RS_APP_ID}.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${RS_GEN_DIR}/${RS_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${RS_PKG_DIR}/copyright ${RS_GEN_DIR}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(RS_BUILD_FIRMWARE)
  install(FILES ${RS_FW_IMAGE_DIR}/${RS_FW_IMAGE_NAME} ${RS_PKG_DIR}/FLASHING
          DESTINATION ${CMAKE_INSTALL_DATADIR}/rollsense)
endif()
