# Installing vledger, and the Debian package built from the same rules.
#
# `cmake --install build --prefix P` puts:
#   P/bin/vledger
#   P/share/locale/zh_CN/LC_MESSAGES/vledger.mo    (po/catalogs.cmake; the
#                                                   program reads ../share/locale)
#   P/share/bash-completion/completions/vledger    `vledger completion bash`
#   P/share/man/man1/vledger.1.gz                  packaging/man.py, from the
#   P/share/man/zh_CN/man1/vledger.1.gz            program's own help (English,
#                                                   Chinese)
#   P/share/vledger/demo/                          `vledger demo`'s village
#                                                   (read from ../share/vledger/demo)
#   P/share/doc/vledger/copyright
# The completion and the man page are written at build time by the program
# just built, so they name every command and option it has.
#
# `cpack -G DEB` in the build folder (or scripts/package) builds
# vledger_VERSION-1_ARCH.deb: the files above under /usr, a Debian
# changelog, lintian overrides, and the county server's systemd unit
# (packaging/vledger.service) with its settings file /etc/default/vledger.
# These are the component `deb`, left out of a plain `cmake --install` (the
# unit names /usr/bin/vledger, and /lib and /etc are outside any --prefix).

include(GNUInstallDirs)
set(VLEDGER_PACKAGE_MAINTAINER "vledger maintainers <vledger@example.org>"
    CACHE STRING "The Maintainer field of the Debian package")

# vledger-net beside vledger: serve, mirror and --remote run it (docs/SERVER.md).
install(TARGETS vledger vledger-net RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# --- generated from the program: bash completion and man page
find_program(VLEDGER_PYTHON3 python3 REQUIRED)
set(VLEDGER_COMPLETION ${CMAKE_BINARY_DIR}/share/bash-completion/vledger)
set(VLEDGER_MAN ${CMAKE_BINARY_DIR}/share/man/vledger.1)
add_custom_command(
  OUTPUT ${VLEDGER_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/share/bash-completion
  COMMAND ${CMAKE_COMMAND} -E env VLEDGER_LANG=en ASAN_OPTIONS=detect_leaks=0 sh -c "\"$1\" completion bash >\"$2\""
          sh $<TARGET_FILE:vledger> ${VLEDGER_COMPLETION}
  DEPENDS vledger
  COMMENT "Writing the bash completion of vledger"
  VERBATIM)
set(VLEDGER_MAN_ZH ${CMAKE_BINARY_DIR}/share/man/zh_CN/vledger.1)
add_custom_command(
  OUTPUT ${VLEDGER_MAN}.gz ${VLEDGER_MAN_ZH}.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/share/man/zh_CN
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${VLEDGER_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/packaging/man.py $<TARGET_FILE:vledger>
          ${PROJECT_VERSION} ${VLEDGER_MAN}
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${VLEDGER_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/packaging/man.py $<TARGET_FILE:vledger>
          ${PROJECT_VERSION} ${VLEDGER_MAN_ZH} --lang zh
  COMMAND gzip -9nf ${VLEDGER_MAN} ${VLEDGER_MAN_ZH}
  DEPENDS vledger vledger_catalogs ${CMAKE_CURRENT_SOURCE_DIR}/packaging/man.py
  COMMENT "Writing the man pages of vledger (English, Chinese) from its help"
  VERBATIM)
# Not in a sanitizer build's default target: there the program's help takes
# most of a minute to write them, and no test under the sanitizers reads them
# (the package and completion suites run in the normal build).
if(VLEDGER_SANITIZE)
  add_custom_target(vledger_docs DEPENDS ${VLEDGER_COMPLETION} ${VLEDGER_MAN}.gz)
else()
  add_custom_target(vledger_docs ALL DEPENDS ${VLEDGER_COMPLETION} ${VLEDGER_MAN}.gz)
endif()

install(FILES ${VLEDGER_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${VLEDGER_MAN}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${VLEDGER_MAN_ZH}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/zh_CN/man1)

# --- the demo village (cli/commands_demo.cc finds it beside the program)
file(GLOB VLEDGER_DEMO_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/demo/*.csv)
install(FILES ${VLEDGER_DEMO_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/vledger/demo)
install(PROGRAMS ${CMAKE_CURRENT_SOURCE_DIR}/demo/village
        DESTINATION ${CMAKE_INSTALL_DATADIR}/vledger/demo)

# --- /usr/share/doc/vledger: the copyright file, and in the .deb a Debian
# changelog of its version (dated by the last commit)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vledger)
execute_process(COMMAND git -C ${CMAKE_CURRENT_SOURCE_DIR} log -1 --format=%aD
                OUTPUT_VARIABLE VLEDGER_PACKAGE_DATE ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT VLEDGER_PACKAGE_DATE)
  string(TIMESTAMP VLEDGER_PACKAGE_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
configure_file(packaging/debian/changelog.in ${CMAKE_BINARY_DIR}/share/doc/changelog.Debian @ONLY)
execute_process(COMMAND gzip -9nf ${CMAKE_BINARY_DIR}/share/doc/changelog.Debian)
install(FILES ${CMAKE_BINARY_DIR}/share/doc/changelog.Debian.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/vledger COMPONENT deb EXCLUDE_FROM_ALL)
# What lintian reports that is meant so (the static archives, no PIE).
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME vledger
        COMPONENT deb EXCLUDE_FROM_ALL)

# --- the county server's unit and settings: the .deb only
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/vledger.service
        DESTINATION /lib/systemd/system COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/packaging/default/vledger
        DESTINATION /etc/default COMPONENT deb EXCLUDE_FROM_ALL)

# --- CPack: the Debian package
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vledger)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${VLEDGER_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "signed, hash-chained ledger for village credit points and funds")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "vledger records village credit points (awards, deductions, redemptions)
and charity and credit funds (donations, disbursements, dividends) as
signed events in an append-only, hash-chained log. Anyone can verify the
log, check an event against a published checkpoint with a Merkle proof,
and read the public bulletin; names of people stay beside the chain.
.
The package holds the vledger program with its Chinese messages, bash
completion and manual, the demo village, and a systemd unit (not enabled)
that runs the county server from /var/lib/vledger as the system user
vledger.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Shared libraries: dpkg-shlibdeps reads them from the binary. libxlsxwriter
# (`vledger template`) and libzip (reading .xlsx) are opened with dlopen, so
# their packages are named here: those that hold the files the program
# opens. adduser: postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(VLEDGER_DEB_DEPENDS "adduser")
foreach(opened ${VLEDGER_XLSXWRITER_FILE} ${VLEDGER_LIBZIP_FILE})
  execute_process(COMMAND dpkg-query -S ${opened} OUTPUT_VARIABLE VLEDGER_OPENED_OWNER ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(VLEDGER_OPENED_OWNER MATCHES "^([a-z0-9.+-]+)(:[a-z0-9]+)?: ")
    string(APPEND VLEDGER_DEB_DEPENDS ", ${CMAKE_MATCH_1}")
  endif()
endforeach()
set(CPACK_DEBIAN_PACKAGE_DEPENDS ${VLEDGER_DEB_DEPENDS})
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Files under /usr (the install prefix) and the deb component's absolute
# /lib and /etc paths, all below the package's root.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS
    "${CMAKE_BINARY_DIR};vledger;ALL;/;${CMAKE_BINARY_DIR};vledger;deb;/")
set(CPACK_STRIP_FILES ON)
include(CPack)
