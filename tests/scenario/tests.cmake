# Scenario tests: bash scripts driving the real vledger binary.
add_test(NAME points_scenario
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/points.sh $<TARGET_FILE:vledger>)
set_tests_properties(points_scenario PROPERTIES TIMEOUT 900)
add_test(NAME scenario.audit COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/audit.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.audit PROPERTIES TIMEOUT 900)
add_test(NAME scenario.report COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/report.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.report PROPERTIES TIMEOUT 900)
add_test(NAME scenario.funds COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/funds.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.funds PROPERTIES TIMEOUT 900)
add_test(NAME scenario.import COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/scenario/import.sh $<TARGET_FILE:vledger>)
set_tests_properties(scenario.import PROPERTIES TIMEOUT 900)
