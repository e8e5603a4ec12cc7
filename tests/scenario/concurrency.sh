#!/usr/bin/env bash
# Writers and readers (SPEC section 7): one writer at a time — a second
# writer gets exit 4 at once, or waits with --wait SECONDS; readers never
# take the writer lock and always see a whole commit, even while a real
# writer appends.
source "$(dirname "$0")/lib.sh"
setup

expect_exit 0 vl init --test-clock --name 并发 --admin-key-out admin.key
K=admin.key
expect_exit 0 vl --key $K village add V1 --name 一村

# --- a held writer lock: the second writer fails at once, readers go on.
# flock(1) takes the same flock() on DIR/writer.lock that a writer holds.
bg_run flock vledger-data/writer.lock sleep 3
holder=$BG_PID
sleep 0.3
start=$(date +%s%N)
expect_rejected_unchanged 4 vl --key $K village add V2 --name 二村
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
expect_stderr_contains "another writer"
((elapsed_ms < 2000)) && pass "refused at once (${elapsed_ms} ms)" || fail "took ${elapsed_ms} ms"
expect_exit 0 vl log
expect_exit 0 vl verify
expect_exit 0 vl show 0
# --wait: succeeds once the holder lets go.
expect_exit 0 vl --key $K --wait 20 village add V2 --name 二村
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
((elapsed_ms >= 2000)) && pass "waited for the lock (${elapsed_ms} ms)" ||
  fail "did not wait: ${elapsed_ms} ms"
bg_stop "$holder"
# --wait that runs out: 4.
bg_run flock vledger-data/writer.lock sleep 4
holder=$BG_PID
sleep 0.3
expect_rejected_unchanged 4 vl --key $K --wait 1 village add V3 --name 三村
bg_stop "$holder"

# --- the commands over the whole log start again with glibc's huge pages
# (cli/main.cc): where the kernel gives them on request, a rebuild or an
# import waiting for the lock runs with glibc.malloc.hugetlb=1 added to the
# caller's GLIBC_TUNABLES; a value the caller gave is kept; a short command
# is not started again. Elsewhere none is.
# glibc cuts GLIBC_TUNABLES into its tunables in place as it starts (a NUL
# where each ':' was), so /proc/PID/environ shows the later ones as
# entries of their own: they are joined again here.
tunables_of() {  # tunables_of PID: its GLIBC_TUNABLES once it names hugetlb (or after 5 s)
  local i env=""
  for i in $(seq 50); do
    env=$(tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | awk '
      /^GLIBC_TUNABLES=/ { v = substr($0, 16); on = 1; next }
      on && /^glibc\./ { v = v ":" $0; next }
      { on = 0 }
      END { print v }')
    [[ $env == *hugetlb* ]] && break
    sleep 0.1
  done
  echo "$env"
}
printf 'resident,rule,points,date\n' >none.csv
on_request=0
grep -qF '[madvise]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null && on_request=1
bg_run flock vledger-data/writer.lock sleep 30
holder=$BG_PID
sleep 0.3
GLIBC_TUNABLES=glibc.malloc.arena_max=2 bg_run "$VLEDGER" --key $K --wait 60 rebuild
rebuilding=$BG_PID
GLIBC_TUNABLES=glibc.malloc.hugetlb=0 bg_run "$VLEDGER" --key $K --wait 60 import none.csv --kind awards
importing=$BG_PID
bg_run "$VLEDGER" --key $K --wait 60 village add V4 --name 四村
adding=$BG_PID
got=$(tunables_of "$rebuilding")
if ((on_request)); then
  [[ $got == glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1 ]] &&
    pass "rebuild started again with huge pages" || fail "rebuild's GLIBC_TUNABLES: '$got'"
else
  [[ $got == glibc.malloc.arena_max=2 ]] &&
    pass "no huge pages to ask for: rebuild not started again" || fail "rebuild's GLIBC_TUNABLES: '$got'"
fi
got=$(tunables_of "$importing")
[[ $got == glibc.malloc.hugetlb=0 ]] && pass "the caller's hugetlb=0 kept" ||
  fail "import's GLIBC_TUNABLES: '$got'"
got=$(tr '\0' '\n' <"/proc/$adding/environ" | grep '^GLIBC_TUNABLES=')
[[ -z $got ]] && pass "a short command is not started again" || fail "village add: '$got'"
grep -qF -- '--wait' "/proc/$rebuilding/cmdline" && pass "rebuild's command line kept" ||
  fail "rebuild's command line: $(tr '\0' ' ' <"/proc/$rebuilding/cmdline")"
bg_stop "$holder"
for pid in "$rebuilding" "$importing" "$adding"; do
  wait "$pid" && pass "process $pid ended well" || fail "process $pid exited $?"
done
expect_exit 0 vl verify

# --- real writers: two loops of appends, each waiting for the other,
# while readers run log, verify and show in a loop.
WRITES=30
writer_loop() {  # writer_loop PREFIX
  local i
  for i in $(seq 1 $WRITES); do
    vl --key $K --wait 60 household add "$1$i" --village V1 --head "户主$i" >/dev/null 2>"$1.err" ||
      { echo "writer $1 failed at $i: $(cat "$1.err")" >"$1.failed"; return 1; }
  done
}
before=$(ledger_size vledger-data)
bg_run writer_loop HA
wa=$BG_PID
bg_run writer_loop HB
wb=$BG_PID

reads=0
read_failures=0
last_size=0
shrank=0
while kill -0 "$wa" 2>/dev/null || kill -0 "$wb" 2>/dev/null; do
  if ! out=$(vl log --json 2>&1); then
    read_failures=$((read_failures + 1))
    echo "log failed: $out" >&2
    continue
  fi
  size=$(python3 -c '
import json, sys
events = json.loads(sys.argv[1])["events"]
assert [e["seq"] for e in events] == list(range(len(events))), "seqs not contiguous"
print(len(events))' "$out") || { read_failures=$((read_failures + 1)); continue; }
  ((size < last_size)) && shrank=1
  last_size=$size
  if ! out=$(vl --json verify 2>&1) || [[ $out != *'"ok":true'* ]]; then
    read_failures=$((read_failures + 1))
    echo "verify failed: $out" >&2
  fi
  if ! out=$(vl show $((size - 1)) 2>&1); then
    read_failures=$((read_failures + 1))
    echo "show failed: $out" >&2
  fi
  reads=$((reads + 1))
done
wait "$wa"
ra=$?
wait "$wb"
rb=$?
expect_eq "$ra/$rb" "0/0" "both writers appended every event ($(cat ./*.failed 2>/dev/null))"
expect_eq "$read_failures" 0 "every concurrent log/verify/show succeeded and verified ($reads rounds)"
((reads >= 3)) && pass "readers ran $reads rounds beside the writers" ||
  fail "only $reads reader rounds ran beside the writers"
expect_eq "$shrank" 0 "readers never saw the log shrink"
expect_eq "$(ledger_size vledger-data)" "$((before + 2 * WRITES))" "every append landed exactly once"
expect_exit 0 vl verify
expect_exit 0 vl --json household list --village V1
expect_json 'len(d["households"])' "$((2 * WRITES))"

finish
