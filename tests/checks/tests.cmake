# Checks that keep the layering, CI and documents honest (tests/checks/).

# scripts/test cannot pass by accident: a ctest run that ran no test, or a
# fuzz step with no target, fails it.
add_test(NAME check.no_tests COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/no_tests.sh)
# scripts/format refuses any clang-format but 14 (the version Debian 12 ships).
add_test(NAME check.format_pinned
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/format_pinned.sh)
# A test that starts `python3` starts Debian's /usr/bin/python3, whatever
# comes first in the PATH ctest was started with (CMakeLists.txt).
add_test(NAME check.tests_python
         COMMAND env python3 -c "import os, sys; p = os.path.realpath(sys.executable); \
p == os.path.realpath('/usr/bin/python3') or sys.exit('the tests start ' + p + ', not /usr/bin/python3')")

# No public header (ledger/, projections/, app/ include folders) includes a
# third-party header or a header of a layer above its own.
add_test(NAME check.public_headers
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/public_headers.py
                 ${CMAKE_CURRENT_SOURCE_DIR})

# docs/LIMITS.md names constants, functions, files and tests that exist; no
# file cites a path outside the repository.
add_test(NAME check.docs COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/docs.py
                                          ${CMAKE_CURRENT_SOURCE_DIR})

# A wrong-way include fails to compile: a translation unit is compiled
# (syntax only) with exactly the include folders a layer's library is built
# with. Including a header of a layer above must fail because the header is
# not found; the control, a header of the layer itself, must compile, so the
# failure is the layering's and not a broken command.
# vledger_layering_check(NAME TARGET SOURCE [MISSING_HEADER])
function(vledger_layering_check name target source)
  set(includes $<FILTER:$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>,EXCLUDE,^/usr/include/?$>)
  add_test(NAME check.layering.${name}
           COMMAND ${CMAKE_CXX_COMPILER} -std=c++${CMAKE_CXX_STANDARD} -fsyntax-only
                   "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
                   ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/layering/${source}
           COMMAND_EXPAND_LISTS)
  if(ARGC GREATER 3)
    # gcc: "vledger/app/append.h: No such file"; clang: "'vledger/app/append.h' file not found"
    string(REPLACE "." "\\." missing "${ARGV3}")
    set_tests_properties(check.layering.${name} PROPERTIES
                         PASS_REGULAR_EXPRESSION "${missing}'?:? (No such file|file not found)")
  endif()
endfunction()
vledger_layering_check(ledger_cannot_include_projections vledger_store
                       ledger_includes_projections.cc vledger/projections/state.h)
vledger_layering_check(ledger_includes_ledger vledger_store ledger_includes_ledger.cc)
vledger_layering_check(projections_cannot_include_app vledger_projections
                       projections_includes_app.cc vledger/app/append.h)
vledger_layering_check(projections_includes_projections vledger_projections
                       projections_includes_projections.cc)
vledger_layering_check(app_cannot_include_net vledger_app app_includes_net.cc
                       vledger/net/server.h)
vledger_layering_check(net_includes_net vledger_net net_includes_net.cc)

# Every marked message (cli/i18n.h, Msg patterns) has its Chinese
# translation in po/zh_CN, with the same placeholders (Debian's python3, for
# its python3-polib).
add_test(NAME check.translations
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/translations.py
                 ${CMAKE_CURRENT_SOURCE_DIR})

# Every person-facing string literal of cli/ (printed lines, warnings,
# prompts, progress labels, help texts, Status messages, stream output) is
# marked for translation; literals that are not words pass, the rest only
# with an `// i18n-ok: WHY` comment (the script's docstring says which).
add_test(NAME check.unmarked_cli
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/checks/unmarked_cli.py
                 ${CMAKE_CURRENT_SOURCE_DIR})
