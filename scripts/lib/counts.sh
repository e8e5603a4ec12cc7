# Counting what a test run really ran, for scripts/test (sourced; also by its
# self-test, tests/checks/no_tests.sh). A run that executed no test is a
# failure, never a pass: a -R filter that matches nothing, a build with no
# test registered, every test skipped, or a fuzz run with no target.
#
#   total_passed=0 total_failed=0 ctest_args=()
#   run_ctest BUILD_DIR [CTEST_ARGS...]   # ctest, counts added to the totals
#   fuzz_counts LOG                        # a scripts/fuzz log, counts added

# run_ctest BUILD_DIR [CTEST_ARGS...]: runs ctest (with the caller's
# ctest_args after CTEST_ARGS), adds its counts to total_passed and
# total_failed, and returns non-zero if any test failed, ctest itself failed,
# or no test ran.
run_ctest() {
  local dir=$1 log rc line total failed skipped ran
  shift
  log=$(mktemp "${TMPDIR:-/tmp}/vledger-ctest.XXXXXX")
  set +e
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j2 --timeout 900 \
    "$@" ${ctest_args[@]+"${ctest_args[@]}"} </dev/null 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  # "100% tests passed, 0 tests failed out of 42"
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n1 || true)
  # Under "The following tests did not run:", "  7 - name (Skipped)"
  skipped=$(grep -cE '^[[:space:]]*[0-9]+ - .* \((Skipped|Disabled)\)$' "$log" || true)
  rm -f "$log"
  total=0
  failed=0
  if [[ -n $line ]]; then
    total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
    failed=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$line")
  fi
  ran=$((total - skipped))
  total_passed=$((total_passed + ran - failed))
  total_failed=$((total_failed + failed))
  if ((ran <= 0)); then
    echo "scripts/test: FAILED: ctest in $dir ran no test ($total found, $skipped skipped):" \
      "a filter (-R/-E) that matches nothing, a build with no test registered, or every" \
      "test skipped" >&2
    total_failed=$((total_failed + 1))
    return 1
  fi
  if ((rc != 0)); then
    echo "scripts/test: ctest in $dir exited with status $rc" >&2
    return 1
  fi
  ((failed == 0))
}

# fuzz_counts LOG: reads the "scripts/fuzz: N passed, M failed" line of a
# scripts/fuzz log, adds the counts to the totals, and returns non-zero if a
# target failed, the line is missing, or no target ran.
fuzz_counts() {
  local line passed failed
  line=$(grep -E '^scripts/fuzz: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n1 || true)
  if [[ -z $line ]]; then
    echo "scripts/test: FAILED: scripts/fuzz ended without its summary line" >&2
    total_failed=$((total_failed + 1))
    return 1
  fi
  passed=$(sed -E 's/^scripts\/fuzz: ([0-9]+) passed.*/\1/' <<<"$line")
  failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if ((passed + failed == 0)); then
    echo "scripts/test: FAILED: scripts/fuzz ran no fuzz target" >&2
    total_failed=$((total_failed + 1))
    return 1
  fi
  ((failed == 0))
}
