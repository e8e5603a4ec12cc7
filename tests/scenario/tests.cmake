# Scenario tests: bash scripts driving the real vledger binary.
add_test(NAME points_scenario
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/points.sh $<TARGET_FILE:vledger>)
set_tests_properties(points_scenario PROPERTIES TIMEOUT 900)
add_test(NAME scenario.funds COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/funds.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.funds PROPERTIES TIMEOUT 900)
add_test(NAME scenario.audit COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/audit.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.audit PROPERTIES TIMEOUT 900)
add_test(NAME scenario.report COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/report.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.report PROPERTIES TIMEOUT 900)
# Foundation (issue 1): every command and exit code, tamper detection with
# ldb, and the FORMAT.md test vectors. Each script takes the binary as $1.
foreach(scenario foundation tamper vectors)
  add_test(NAME scenario.${scenario}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/${scenario}.sh $<TARGET_FILE:vledger>)
  set_tests_properties(scenario.${scenario} PROPERTIES TIMEOUT 900)
endforeach()
add_test(NAME scenario.backup COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/backup.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.backup PROPERTIES TIMEOUT 900)
add_test(NAME scenario.concurrency COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/concurrency.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.concurrency PROPERTIES TIMEOUT 900)
add_test(NAME scenario.damage COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/damage.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.damage PROPERTIES TIMEOUT 900)
add_test(NAME scenario.import COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/import.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.import PROPERTIES TIMEOUT 900)
# Storage upkeep: many interactive commands leave few logs and no compaction due.
add_test(NAME scenario.upkeep COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/upkeep.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.upkeep PROPERTIES TIMEOUT 900)
# Crash safety: imports and allowance runs killed with SIGKILL mid-way.
add_test(NAME scenario.crash COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/crash.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.crash PROPERTIES TIMEOUT 900)
# Passphrase-protected keys, typed at a prompt on a pseudo-terminal.
add_test(NAME scenario.keys COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/keys.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.keys PROPERTIES TIMEOUT 900)
# The test clock (VLEDGER_NOW, time never going backwards) and request ids across keys.
add_test(NAME scenario.clock COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/clock.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.clock PROPERTIES TIMEOUT 900)
# The bounds of docs/LIMITS.md only the program reaches (options, files, the terminal).
add_test(NAME scenario.limits COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/limits.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.limits PROPERTIES TIMEOUT 900)
add_test(NAME scenario.people COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/people.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.people PROPERTIES TIMEOUT 900)
# A full disk: a small tmpfs (needs root to mount; skipped, exit 77, elsewhere).
add_test(NAME scenario.diskfull COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/diskfull.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.diskfull PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)
# What a clerk recorded (issue 18): log filters, summary, the sentence of
# each appending command, in English and Chinese.
add_test(NAME scenario.log COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/log.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.log PROPERTIES TIMEOUT 900)
# People by name (issue 18): resident find, names for residents, names kept
# out of the public log, the name index outside archives.
add_test(NAME scenario.names COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/names.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.names PROPERTIES TIMEOUT 900)
# Import templates (.xlsx, read back with python's zipfile) and bash completion.
foreach(scenario template completion)
  add_test(NAME scenario.${scenario}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/${scenario}.sh $<TARGET_FILE:vledger>)
  set_tests_properties(scenario.${scenario} PROPERTIES TIMEOUT 900)
endforeach()
# Excel workbooks (.xlsx from LibreOffice and libxlsxwriter), Chinese
# headings, the date and amount forms clerks write.
add_test(NAME scenario.xlsx COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/xlsx.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.xlsx PROPERTIES TIMEOUT 900)
# The clerk's language: Chinese help, errors, warnings and output under
# LANG=zh_CN.UTF-8 (no locale installed), --lang and VLEDGER_LANG, JSON unchanged.
# Display names for codes (issue 18, item 5).
add_test(NAME scenario.codes COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/codes.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.codes PROPERTIES TIMEOUT 900)
add_test(NAME scenario.zh COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/zh.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.zh PROPERTIES TIMEOUT 900)
# The county server: remote commands equal to local ones, prepare -> sign ->
# commit under load and after a SIGKILL, refusals, TLS (serve.sh).
add_test(NAME scenario.serve COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/serve.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.serve PROPERTIES TIMEOUT 900)
# Every appending command run remotely equals the same run locally on a
# twin ledger (imports, checkpoints, publish included: remote_all.sh).
add_test(NAME scenario.remote_all COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/remote_all.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.remote_all PROPERTIES TIMEOUT 900)
# The Debian package (issue 19, item 8): CPack builds it from this build
# folder; its contents, control fields and maintainer scripts are checked,
# and the program is run as unpacked into a scratch root (no root needed).
add_test(NAME scenario.package
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/package.sh $<TARGET_FILE:vledger>
                 ${CMAKE_BINARY_DIR})
set_tests_properties(scenario.package PROPERTIES TIMEOUT 600)
# Offline villages: --outbox keeps a write for an unreachable server, `sync`
# sends it later, each once (a sync SIGKILLed mid-way, an altered entry).
add_test(NAME scenario.outbox COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/outbox.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.outbox PROPERTIES TIMEOUT 900)
# vledger mirror over HTTP against a small stand-in server
# (tests/scenario/feed_server.py): catching up, following, forks.
add_test(NAME scenario.mirror COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/mirror.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.mirror PROPERTIES TIMEOUT 900)
# The log as C2SP tlog-tiles read back by an independent checker; the
# checkpointer role.
add_test(NAME scenario.tiles COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/tiles.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.tiles PROPERTIES TIMEOUT 900)
# Signed reads (RFC 9421): who sees names, refused requests, rate limits.
add_test(NAME scenario.serve_reads COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/serve_reads.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.serve_reads PROPERTIES TIMEOUT 900)
# The board bulletin (issue 20): one page for 500 residents, the notice, names, QR payload.
add_test(NAME scenario.board COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/board.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.board PROPERTIES TIMEOUT 900)
# Printables (issue 20, item 10): 积分卡 with decoded QR codes, 捐赠票据 with amounts in capitals.
add_test(NAME scenario.print COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/print.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.print PROPERTIES TIMEOUT 900)
# The credit supermarket's shelf (issue 21): prices, stock, concurrent redemptions, statements.
add_test(NAME scenario.shop COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/shop.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.shop PROPERTIES TIMEOUT 900)
# Credit grades (issue 21): policies from a date, grade, balance and rank.
add_test(NAME scenario.grades COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/grades.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.grades PROPERTIES TIMEOUT 900)
# Benefits and credit certificates (issue 21): benefit, attest, verify-attestation.
add_test(NAME scenario.attest COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/attest.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.attest PROPERTIES TIMEOUT 900)
# The villager site (issue 20, items 7-9): files, names, determinism, bad
# input, and the pages verified in headless Chromium (site_browser.py).
add_test(NAME scenario.site COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/site.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.site PROPERTIES TIMEOUT 900)
# The site's certificate page (issue 21): verify.html checks real certificates
# in headless Chromium against attest.json (site_attest_browser.py).
add_test(NAME scenario.site_attest COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/site_attest.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.site_attest PROPERTIES TIMEOUT 900)
