# Message catalogs (cli/i18n.h): po/zh_CN/*.po, one file per part of the
# program, joined and compiled into <build>/locale/zh_CN/LC_MESSAGES/
# vledger.mo, where the program finds them (beside itself). Installed, the
# catalog goes to share/locale.
find_program(VLEDGER_MSGCAT msgcat REQUIRED)
find_program(VLEDGER_MSGFMT msgfmt REQUIRED)
file(GLOB VLEDGER_PO_ZH CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/po/zh_CN/*.po)
set(VLEDGER_MO_ZH ${CMAKE_BINARY_DIR}/locale/zh_CN/LC_MESSAGES/vledger.mo)
add_custom_command(
  OUTPUT ${VLEDGER_MO_ZH}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/locale/zh_CN/LC_MESSAGES
  COMMAND ${VLEDGER_MSGCAT} --use-first -o ${CMAKE_BINARY_DIR}/locale/zh_CN.po ${VLEDGER_PO_ZH}
  COMMAND ${VLEDGER_MSGFMT} -o ${VLEDGER_MO_ZH} ${CMAKE_BINARY_DIR}/locale/zh_CN.po
  DEPENDS ${VLEDGER_PO_ZH}
  COMMENT "Building the Chinese message catalog"
  VERBATIM)
add_custom_target(vledger_catalogs ALL DEPENDS ${VLEDGER_MO_ZH})
install(FILES ${VLEDGER_MO_ZH} DESTINATION share/locale/zh_CN/LC_MESSAGES)
