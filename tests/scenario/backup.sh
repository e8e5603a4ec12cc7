#!/usr/bin/env bash
# backup DIR and restore DIR (SPEC section 7): a backup is a consistent copy
# of the last whole commit (log, person store, checkpoints), taken beside a
# live writer; restore creates the --ledger folder, verifies it, and leaves
# nothing behind when that fails.
source "$(dirname "$0")/lib.sh"
setup

# A ledger with persons (the demo village) and a stored checkpoint.
expect_exit 0 vl demo L
K=L-keys/admin.key
expect_exit 0 vl --ledger L --key "$K" checkpoint
cp "$WORK/.out/stdout" checkpoint.txt
SIZE=$(ledger_size L)

# --- backup
expect_exit 0 vl --ledger L --json backup B
expect_json 'd["events"]' "$SIZE"
expect_exit 0 vl --ledger B verify
expect_rejected_unchanged 3 vl --ledger L backup B          # not empty
expect_stderr_contains "not empty"
mkdir E
expect_exit 0 vl --ledger L backup E                        # an empty folder is fine
expect_exit 4 vl --ledger nowhere backup B2                 # no ledger
[[ ! -e B2 ]] && pass "no backup folder left for a missing ledger" ||
  fail "B2 was left behind"

# --- restore: same log, same persons, same checkpoints
expect_exit 0 vl --ledger R --json restore B
expect_json 'd["verified"]' true
expect_json 'd["events"]' "$SIZE"
expect_eq "$(vl --ledger R log --json)" "$(vl --ledger L log --json)" "restored log equals the original"
expect_eq "$(vl --ledger R resident list --village JKQJ --json 2>&1)" \
  "$(vl --ledger L resident list --village JKQJ --json 2>&1)" "restored person store equals the original"
expect_exit 0 vl --ledger R prove 3 --out p.tlog-proof      # the stored checkpoint, no key
expect_exit 0 vl --ledger R verify-proof p.tlog-proof --pub "$K.pub"
expect_exit 0 vl --ledger R verify
# The restored ledger takes writes again.
expect_exit 0 vl --ledger R --key "$K" village add V9 --name 新村
expect_exit 0 vl --ledger R verify

# --- restore refuses an existing --ledger folder, and changes nothing there
expect_rejected_unchanged 3 vl --ledger L restore B
mkdir Empty
expect_exit 3 vl --ledger Empty restore B
expect_eq "$(ls -A Empty)" "" "existing empty folder untouched"

# --- restore from something that is not a backup: 4, nothing created
mkdir NotABackup
expect_exit 4 vl --ledger R2 restore NotABackup
[[ ! -e R2 ]] && pass "nothing left after restoring a non-backup" || fail "R2 left behind"

# --- a tampered backup fails verification: exit 1, nothing left behind
cp -r B T
seq_key=$(printf '0x%016x' 5)
value=$(ldb --db=T/db --column_family=events --hex get "$seq_key" 2>/dev/null | tail -n1)
if [[ $value == 0x* ]]; then
  # Flip the last hex digit of the stored event: a well-formed row whose
  # hash no longer matches.
  last=${value: -1}
  flipped=$([[ $last == 0 ]] && echo 1 || echo 0)
  ldb --db=T/db --column_family=events --hex put "$seq_key" "${value:0:-1}$flipped" >/dev/null
  expect_exit 1 vl --ledger R3 restore T
  expect_stderr_contains "nothing was restored"
  [[ ! -e R3 ]] && pass "nothing left after a failed verification" || fail "R3 left behind"
else
  fail "ldb could not read event 5 from the backup: $value"
fi

# --- backup beside a live writer: the copy is a whole commit and verifies
( for i in $(seq 1 40); do
    vl --ledger L --key "$K" --wait 30 village add "W$i" --name "村$i" >/dev/null 2>&1 || exit 1
  done ) &
writer=$!
BG_PIDS+=("$writer")
n=0
while kill -0 "$writer" 2>/dev/null && ((n < 5)); do
  n=$((n + 1))
  expect_exit 0 vl --ledger L backup "live$n"
  expect_exit 0 vl --ledger "live$n" verify
done
wait "$writer"
expect_eq "$?" 0 "the writer ran to the end beside the backups"
((n >= 1)) && pass "took $n backups while the writer ran" || fail "the writer finished too soon"
expect_exit 0 vl --ledger L backup final
expect_exit 0 vl --ledger R4 restore final
expect_eq "$(vl --ledger R4 log --json)" "$(vl --ledger L log --json)" "final restore equals the original"

finish
