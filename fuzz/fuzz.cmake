# Fuzz targets (fuzz/*.cc, each an LLVMFuzzerTestOneInput). With
# VLEDGER_FUZZ (clang) each is a libFuzzer binary that scripts/fuzz runs;
# otherwise each is built with fuzz/replay_main.cc as <name>_replay and
# ctest replays its seed corpus and its regression inputs through it
# (fuzz.<name>.replay), so every crash ever found stays a test.
set(VLEDGER_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(VLEDGER_FUZZ_TARGETS)

function(vledger_fuzz_target name)
  if(VLEDGER_FUZZ)
    add_executable(${name} ${VLEDGER_FUZZ_DIR}/${name}.cc)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set(binary ${name})
  else()
    set(binary ${name}_replay)
    add_executable(${binary} ${VLEDGER_FUZZ_DIR}/${name}.cc ${VLEDGER_FUZZ_DIR}/replay_main.cc)
    add_test(NAME fuzz.${name}.replay
             COMMAND ${binary} ${VLEDGER_FUZZ_DIR}/corpus/${name}
                     ${VLEDGER_FUZZ_DIR}/regressions/${name})
  endif()
  target_compile_options(${binary} PRIVATE ${VLEDGER_WARNINGS})
  target_link_libraries(${binary} PRIVATE ${ARGN})
  set(VLEDGER_FUZZ_TARGETS ${VLEDGER_FUZZ_TARGETS} ${binary} PARENT_SCOPE)
endfunction()

vledger_fuzz_target(fuzz_decode_event vledger_codec)
vledger_fuzz_target(fuzz_checkpoint vledger_merkle)
vledger_fuzz_target(fuzz_tlog_proof vledger_merkle)
vledger_fuzz_target(fuzz_tile_path vledger_merkle)
vledger_fuzz_target(fuzz_yuan vledger_projections)
vledger_fuzz_target(fuzz_csv vledger_projections)
vledger_fuzz_target(fuzz_xlsx vledger_xlsx)
vledger_fuzz_target(fuzz_net_request vledger_net_protocol)

# `ninja fuzz` builds just the fuzz binaries (scripts/fuzz).
add_custom_target(fuzz DEPENDS ${VLEDGER_FUZZ_TARGETS})
