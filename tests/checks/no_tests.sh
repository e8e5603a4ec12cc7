#!/usr/bin/env bash
# scripts/test cannot pass by accident: its counting (scripts/lib/counts.sh)
# fails a ctest run that ran no test (no test registered, a -R filter that
# matches nothing, every test skipped) and a fuzz step that ran no target,
# and still passes a run that ran tests. Uses a hand-written ctest folder,
# so it needs no build.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vledger-no-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT
source "$repo/scripts/lib/counts.sh"
set +e

passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
bad() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }

# expect_result WANT(pass|fail) NAME MESSAGE COMMAND...: runs COMMAND with
# fresh totals; a failure must print MESSAGE.
expect_result() {
  local want=$1 name=$2 message=$3 rc out
  shift 3
  total_passed=0 total_failed=0 ctest_args=()
  out=$("$@" 2>&1)
  rc=$?
  if [[ $want == pass ]]; then
    if ((rc == 0)); then ok "$name"; else bad "$name: exit $rc, want 0; output:"$'\n'"$out"; fi
  elif ((rc == 0)); then
    bad "$name: passed, want a failure; output:"$'\n'"$out"
  elif [[ $out != *"$message"* ]]; then
    bad "$name: failed without saying '$message'; output:"$'\n'"$out"
  else
    ok "$name"
  fi
}

mkdir -p "$work/empty" "$work/one" "$work/skipped"
: >"$work/empty/CTestTestfile.cmake"
echo 'add_test(one "true")' >"$work/one/CTestTestfile.cmake"
cat >"$work/skipped/CTestTestfile.cmake" <<'CT'
add_test(skips "sh" "-c" "exit 77")
set_tests_properties(skips PROPERTIES SKIP_RETURN_CODE 77)
CT

expect_result fail "a build with no test registered" "ran no test" run_ctest "$work/empty"
expect_result fail "a -R filter matching nothing" "ran no test" run_ctest "$work/one" -R no-such-test
expect_result fail "every test skipped" "ran no test" run_ctest "$work/skipped"
expect_result pass "one test that passes" "" run_ctest "$work/one" -R one
# A ctest filter given to scripts/test itself (its ctest_args).
filtered() { ctest_args=(-R no-such-test); run_ctest "$work/one"; }
expect_result fail "scripts/test's own -R matching nothing" "ran no test" filtered

printf 'fuzz: fuzz_yuan for 5s\nscripts/fuzz: 0 passed, 0 failed\n' >"$work/fuzz-none.log"
printf 'scripts/fuzz: FAILED: no fuzz target was built\nscripts/fuzz: 0 passed, 1 failed\n' \
  >"$work/fuzz-nobuild.log"
printf 'fuzz: fuzz_yuan for 5s\n' >"$work/fuzz-cut.log"
printf 'scripts/fuzz: 5 passed, 0 failed\n' >"$work/fuzz-ok.log"
expect_result fail "a fuzz step with no target" "ran no fuzz target" fuzz_counts "$work/fuzz-none.log"
expect_result fail "a fuzz build with no target" "" fuzz_counts "$work/fuzz-nobuild.log"
expect_result fail "a fuzz step without its summary" "without its summary" \
  fuzz_counts "$work/fuzz-cut.log"
expect_result pass "five fuzz targets that pass" "" fuzz_counts "$work/fuzz-ok.log"

echo "$passed passed, $failed failed"
((failed == 0))
