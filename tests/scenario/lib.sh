# Shared helpers for the scenario tests: each test is a bash script that
# drives the real `vledger` binary against a throw-away ledger.
#
#   #!/usr/bin/env bash
#   source "$(dirname "$0")/lib.sh"      # takes the binary path from $1
#   setup
#   expect_exit 0 vl init --test-clock --name T
#   expect_rejected_unchanged 3 vl --key admin.key village add 'a b' --name X
#   expect_stderr_contains 'code'
#   finish                               # prints "N passed, 0 failed"
#
# Every expect_* counts one check; a failed check prints the command, both
# exit codes, stdout and stderr, and the run goes on so one report shows
# every failure. `finish` exits 1 when any check failed. Nothing is left
# behind: the work folder (also TMPDIR, where readers keep their scratch
# folders) is removed on exit and background processes started with `bg_run`
# are ended.

set -u
# With pipefail, `cmd | grep -q X` fails at random: grep exits at the first
# match and cmd, still writing, dies of SIGPIPE. Let grep read everything:
# `cmd | grep X >/dev/null`.
set -o pipefail

VLEDGER=${1:-}
if [[ -z "$VLEDGER" || ! -x "$VLEDGER" ]]; then
  echo "usage: $0 PATH/TO/vledger" >&2
  exit 2
fi
VLEDGER=$(readlink -f "$VLEDGER")
SCENARIO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCENARIO_DIR/../.." && pwd)
TEST_DATA="$REPO_ROOT/tests/data"

PASSED=0
FAILED=0
KNOWN_BUGS=0
WORK=""
BG_PIDS=()
LAST_RC=0
LAST_CMD=""
_FINISHED=0

# ------------------------------------------------------------------ setup

# Makes a fresh work folder and enters it; pins the clock; clears the
# environment variables vledger reads, so the caller's shell cannot leak in.
setup() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/vledger-scenario.XXXXXX")
  mkdir -p "$WORK/.out" "$WORK/tmp"
  : >"$WORK/.out/calls"
  trap _cleanup EXIT
  trap 'exit 130' INT TERM
  cd "$WORK" || exit 2
  export TMPDIR="$WORK/tmp"
  export VLEDGER_NOW=2021-09-30T10:00:00Z
  unset VLEDGER_DIR VLEDGER_KEY VLEDGER_KEY_PASSPHRASE
  # Messages in English unless a test asks for another language (zh.sh).
  unset VLEDGER_LANG LANGUAGE LC_ALL LC_MESSAGES
  export LANG=C.UTF-8
  umask 022
}

_cleanup() {
  local rc=$?
  local pid
  for pid in "${BG_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  cd / || true
  [[ -n "$WORK" ]] && rm -rf "$WORK"
  if [[ $_FINISHED -eq 0 ]]; then
    echo "ABORTED after $PASSED passed, $FAILED failed (exit $rc)" >&2
    exit $((rc == 0 ? 1 : rc))
  fi
}

# Runs a command in the background and remembers it, so cleanup ends it.
# The pid is in BG_PID.
bg_run() {
  "$@" &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}

# Ends one process started with bg_run, by pid.
bg_stop() {
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# -------------------------------------------------------------- running

# Runs vledger. Each call is counted (in a file, so calls in subshells and
# background jobs count too): expect_rejected_unchanged reuses its last
# snapshot of a ledger only while no command has run since.
vl() {
  printf x >>"$WORK/.out/calls"
  "$VLEDGER" "$@"
}

# The last command's output, as files and as text.
LAST_OUT_FILE() { echo "$WORK/.out/stdout"; }
LAST_ERR_FILE() { echo "$WORK/.out/stderr"; }
last_stdout() { cat "$WORK/.out/stdout"; }
last_stderr() { cat "$WORK/.out/stderr"; }

# Runs "$@" capturing stdout and stderr; sets LAST_RC.
run() {
  printf x >>"$WORK/.out/calls"
  LAST_CMD=$(printf '%q ' "$@")
  "$@" >"$WORK/.out/stdout" 2>"$WORK/.out/stderr"
  LAST_RC=$?
  return 0
}

_where() {
  # The test script's line that called the expect_* helper.
  local i
  for ((i = 1; i < ${#FUNCNAME[@]}; i++)); do
    if [[ "${BASH_SOURCE[$i]}" != "${BASH_SOURCE[0]}" ]]; then
      echo "$(basename "${BASH_SOURCE[$i]}"):${BASH_LINENO[$((i - 1))]}"
      return
    fi
  done
  echo "?"
}

pass() {
  PASSED=$((PASSED + 1))
  [[ -n "${VERBOSE:-}" ]] && echo "ok   $*"
  return 0
}

fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL [$(_where)] $*" >&2
  return 1
}

_show_last() {
  {
    echo "  command: $LAST_CMD"
    echo "  exit:    $LAST_RC"
    echo "  stdout:"
    sed 's/^/    | /' "$WORK/.out/stdout" | head -40
    echo "  stderr:"
    sed 's/^/    | /' "$WORK/.out/stderr" | head -40
  } >&2
}

# expect_exit CODE cmd... — runs cmd; the check fails unless it exits CODE.
expect_exit() {
  local want=$1
  shift
  run "$@"
  if [[ "$LAST_RC" -ne "$want" ]]; then
    fail "expected exit $want, got $LAST_RC"
    _show_last
    return 1
  fi
  pass "exit $want: $LAST_CMD"
}

# The ledger folder a command line acts on: its --ledger, else $VLEDGER_DIR,
# else ./vledger-data (SPEC section 7).
_ledger_of() {
  local prev=""
  local arg
  for arg in "$@"; do
    if [[ "$prev" == "--ledger" ]]; then
      echo "$arg"
      return
    fi
    if [[ "$arg" == --ledger=* ]]; then
      echo "${arg#--ledger=}"
      return
    fi
    prev=$arg
  done
  echo "${VLEDGER_DIR:-./vledger-data}"
}

# The number of commands run so far (through `vl` or `run`), in _CALLS.
_count_calls() {
  _CALLS=""
  IFS= read -r _CALLS <"$WORK/.out/calls" || true
  _CALLS=${#_CALLS}
}

# Forget the cached snapshot: call it after changing a ledger other than
# through `vl` or `run` (e.g. with ldb, or "$VLEDGER" directly).
snapshot_forget() { _SNAP_KEY=""; }
_SNAP_KEY=""
_SNAP=""

# What a reader sees of a ledger: `log --json` and its exit code.
ledger_snapshot() {
  local out rc
  out=$("$VLEDGER" --ledger "$1" log --json 2>&1)
  rc=$?
  printf '%s\nexit %s\n' "$out" "$rc"
}

# expect_rejected_unchanged CODE cmd... — as expect_exit, and the command
# must leave the ledger as it was (`log --json` byte-identical, so the
# size and the head are unchanged) and print exactly one stderr line
# starting with "vledger: error: ".
expect_rejected_unchanged() {
  local want=$1
  shift
  local ledger before after
  ledger=$(_ledger_of "$@")
  _count_calls
  if [[ "$_SNAP_KEY" == "$ledger@$_CALLS" ]]; then
    before=$_SNAP  # the snapshot after the previous rejection, nothing ran since
  else
    before=$(ledger_snapshot "$ledger")
  fi
  run "$@"
  after=$(ledger_snapshot "$ledger")
  _count_calls
  _SNAP_KEY="$ledger@$_CALLS"
  _SNAP=$after
  local ok=1
  if [[ "$LAST_RC" -ne "$want" ]]; then
    fail "expected exit $want, got $LAST_RC"
    ok=0
  elif [[ "$before" != "$after" ]]; then
    fail "rejected command changed the ledger $ledger"
    diff <(echo "$before") <(echo "$after") | head -20 >&2
    ok=0
  elif [[ $(wc -l <"$WORK/.out/stderr") -ne 1 ]] ||
    [[ "$(head -c 16 "$WORK/.out/stderr")" != "vledger: error: " ]]; then
    fail "stderr is not exactly one line starting with 'vledger: error: '"
    ok=0
  fi
  if [[ $ok -eq 0 ]]; then
    _show_last
    return 1
  fi
  pass "rejected ($want), unchanged: $LAST_CMD"
}

# expect_stderr_contains TEXT — the last command's stderr contains TEXT.
# expect_error EXIT LABEL TEXT... -- CMD...: CMD exits EXIT with exactly one
# "vledger: error:" line on stderr, containing every TEXT (fixed strings).
expect_error() {
  local want=$1 label=$2
  shift 2
  local texts=() t problem=""
  while [[ $# -gt 0 && $1 != -- ]]; do
    texts+=("$1")
    shift
  done
  shift
  run "$@"
  if [[ $LAST_RC -ne $want ]]; then
    problem="expected exit $want for $label, got $LAST_RC"
  elif [[ $(wc -l <"$(LAST_ERR_FILE)") -ne 1 ||
    "$(head -c 16 "$(LAST_ERR_FILE)")" != "vledger: error: " ]]; then
    problem="stderr is not one 'vledger: error:' line"
  else
    for t in "${texts[@]}"; do
      if ! grep -qF -- "$t" "$(LAST_ERR_FILE)"; then
        problem="stderr does not contain: $t"
        break
      fi
    done
  fi
  if [[ -n $problem ]]; then
    fail "$problem"
    _show_last
    return 1
  fi
  pass "$label ($want): $LAST_CMD"
}

expect_stderr_contains() {
  if grep -qF -- "$1" "$WORK/.out/stderr"; then
    pass "stderr contains $1"
  else
    fail "stderr does not contain: $1"
    _show_last
    return 1
  fi
}

# expect_stdout_contains TEXT — the last command's stdout contains TEXT.
expect_stdout_contains() {
  if grep -qF -- "$1" "$WORK/.out/stdout"; then
    pass "stdout contains $1"
  else
    fail "stdout does not contain: $1"
    _show_last
    return 1
  fi
}

# expect_stdout_lacks TEXT — the last command's stdout does not contain TEXT.
expect_stdout_lacks() {
  if grep -qF -- "$1" "$WORK/.out/stdout"; then
    fail "stdout contains: $1"
    _show_last
    return 1
  fi
  pass "stdout lacks $1"
}

# json_get EXPR — evaluates a Python expression over the last stdout parsed
# as JSON (bound to `d`); prints strings raw and anything else as JSON.
#   json_get 'd["events"][-1]["seq"]'   json_get 'len(d["events"])'
json_get() {
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
v = eval(sys.argv[2], {"d": d, "json": json})
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
' "$WORK/.out/stdout" "$1"
}

# expect_json EXPR VALUE — json_get EXPR prints VALUE.
expect_json() {
  local got
  got=$(json_get "$1" 2>&1)
  if [[ "$got" == "$2" ]]; then
    pass "$1 == $2"
  else
    fail "$1: expected $2, got $got"
    _show_last
    return 1
  fi
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
  if [[ "$1" == "$2" ]]; then
    pass "$3"
  else
    fail "$3: expected '$2', got '$1'"
    return 1
  fi
}

# ------------------------------------------------------------- utilities

# Number of events in a ledger (0 when it cannot be read).
ledger_size() {
  "$VLEDGER" --ledger "$1" log --json 2>/dev/null |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))' 2>/dev/null || echo 0
}

# A private key copied from tests/data with the mode vledger requires (git
# keeps only the executable bit).
fixture_key() {
  cp "$TEST_DATA/$1" "$2" && chmod 600 "$2"
}

# known_bug WHAT expect_... — a check that fails because of a reported,
# not yet fixed bug: its failure is listed but not counted, so the suite
# stays green; once it passes, the run says so and the marker should go.
known_bug() {
  local what=$1
  shift
  local failed=$FAILED
  "$@" 2>"$WORK/.out/known-bug"
  if [[ $FAILED -gt $failed ]]; then
    FAILED=$failed
    KNOWN_BUGS=$((KNOWN_BUGS + 1))
    echo "known bug [$(_where)]: $what"
  else
    echo "FIXED? [$(_where)] passes now, remove its known_bug marker: $what"
  fi
  return 0
}

# --------------------------------------------------------------- summary

finish() {
  _FINISHED=1
  echo "$PASSED passed, $FAILED failed"
  if [[ $KNOWN_BUGS -ne 0 ]]; then
    echo "($KNOWN_BUGS checks skipped as known bugs, listed above)"
  fi
  if [[ $FAILED -ne 0 ]]; then
    exit 1
  fi
  exit 0
}
