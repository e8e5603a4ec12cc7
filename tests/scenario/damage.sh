#!/usr/bin/env bash
# Storage damage (SPEC section 7): a checksum mismatch, a missing or
# truncated file is exit 4 for every command, `verify` included, with one
# `vledger: error:` line naming the file and saying to restore from a
# backup — never a crash (134, 139) and never a wrong answer.
source "$(dirname "$0")/lib.sh"
setup

expect_exit 0 vl init --test-clock --name 损坏 --admin-key-out admin.key
K=admin.key
expect_exit 0 vl --key $K village add V1 --name 一村
for i in $(seq 1 30); do
  vl --key $K household add "H$i" --village V1 --head "户主$i" >/dev/null ||
    fail "household add H$i"
done
expect_exit 0 vl verify
expect_exit 0 vl backup good-backup

# Put everything into table files: opening the closed database with ldb
# replays the write-ahead logs into new .sst files; compact merges them.
ldb --db=vledger-data/db compact >/dev/null 2>&1 || fail "ldb compact"
expect_exit 0 vl verify
cp -a vledger-data pristine

fresh() { rm -rf vledger-data && cp -a pristine vledger-data; }

# The .sst file of a column family, by its table properties.
sst_of() {
  local f
  for f in vledger-data/db/*.sst; do
    if sst_dump --file="$f" --show_properties 2>/dev/null | grep "column family name: $1\$" >/dev/null; then
      echo "$f"
      return
    fi
  done
}
# The size of the data blocks of an .sst (they come first in the file).
data_bytes() {
  sst_dump --file="$1" --show_properties 2>/dev/null | sed -n 's/^ *data block size: //p' | head -n1
}
flip_byte() {  # flip_byte FILE OFFSET
  local byte
  byte=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
  printf "$(printf '\\%03o' $(((byte ^ 0xff) & 0xff)))" |
    dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

# expect_damaged TEXT cmd... — exit exactly 4, one stderr line
# "vledger: error: …" containing TEXT and pointing to a backup.
expect_damaged() {
  local text=$1
  shift
  expect_error 4 damaged "$text" restore -- "$@"
}

# Every kind of command: readers, verify, a writer, rebuild, backup.
all_commands_damaged() {  # all_commands_damaged TEXT
  expect_damaged "$1" vl log
  expect_damaged "$1" vl verify
  expect_damaged "$1" vl --json verify
  expect_damaged "$1" vl show 0
  expect_damaged "$1" vl --key $K village add V2 --name 二村
  expect_damaged "$1" vl rebuild
  expect_damaged "$1" vl backup "b$RANDOM"
}

events_sst=$(sst_of events)
[[ -n $events_sst ]] && pass "found the events table file" || fail "no events .sst after compact"
sst_name=$(basename "${events_sst:-none}")
data=$(data_bytes "${events_sst:-/dev/null}")

# --- a flipped byte in a data block: whoever reads the block says so;
# verify checks every block's checksum, so it always does.
fresh
flip_byte "vledger-data/db/$sst_name" $((data / 2))
expect_damaged "$sst_name" vl log
expect_damaged "$sst_name" vl verify
expect_damaged "$sst_name" vl rebuild
expect_damaged "$sst_name" vl backup b-data

# --- a flipped byte in the index block (after the data blocks and the
# filter block, each with a 5-byte trailer): every command here reads it,
# so every one fails. (A damaged Bloom filter is only an optimisation lost:
# RocksDB reads on without it, and `verify` reports it.)
filter=$(sst_dump --file="${events_sst:-/dev/null}" --show_properties 2>/dev/null |
  sed -n 's/^ *filter block size: //p' | head -n1)
fresh
flip_byte "vledger-data/db/$sst_name" $((data + filter + 5 + 10))
all_commands_damaged "$sst_name"
fresh
flip_byte "vledger-data/db/$sst_name" $((data + 2))
expect_damaged "$sst_name" vl verify

# --- a truncated table file
fresh
truncate -s $(($(stat -c %s "vledger-data/db/$sst_name") / 2)) "vledger-data/db/$sst_name"
all_commands_damaged "$sst_name"

# --- a missing table file
fresh
rm "vledger-data/db/$sst_name"
all_commands_damaged "${sst_name%.sst}"   # RocksDB names it .ldb, its fallback name

# --- a garbled CURRENT
fresh
printf 'MANIFEST-garbage' >vledger-data/db/CURRENT
all_commands_damaged "CURRENT"

# --- a garbled MANIFEST
fresh
manifest=$(ls vledger-data/db/MANIFEST-* | head -n1)
size=$(stat -c %s "$manifest")
for off in $((size / 3)) $((size / 2)); do flip_byte "$manifest" "$off"; done
all_commands_damaged "$(basename "$manifest")"

# --- a damaged write-ahead log: commits after the compaction live only in
# the log; a flipped byte in the middle of it must not silently drop them.
fresh
for i in $(seq 1 10); do
  vl --key $K household add "W$i" --village V1 --head "户主$i" >/dev/null || fail "household add W$i"
done
wal=$(ls -S vledger-data/db/*.log | head -n1)
flip_byte "$wal" $(($(stat -c %s "$wal") / 2))
all_commands_damaged "vledger-data/db"   # RocksDB does not say which log

# --- a missing CURRENT: a damaged ledger, not a missing one
fresh
rm vledger-data/db/CURRENT
all_commands_damaged "CURRENT is missing"
expect_damaged "damaged" vl log
run vl log
grep -qF "vledger init" "$(LAST_ERR_FILE)" && fail "a damaged ledger is called missing" ||
  pass "a damaged ledger is not called missing"

# --- writer.lock deleted while a writer runs: the next writer is told that
# another writer is running, not that a file is lost. The running writer
# is stood for by a process holding RocksDB's own lock on db/LOCK, as the
# writer's database does (fcntl, as lockf takes it).
fresh
rm -f "$WORK/.out/held"
bg_run python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
open(sys.argv[2], "w").close()
time.sleep(60)' vledger-data/db/LOCK "$WORK/.out/held"
holder=$BG_PID
for _ in $(seq 1 100); do [[ -e $WORK/.out/held ]] && break; sleep 0.1; done
[[ -e $WORK/.out/held ]] && pass "db/LOCK held" || fail "could not hold db/LOCK"
rm vledger-data/writer.lock
expect_rejected_unchanged 4 vl --key $K village add V7 --name 七村
expect_stderr_contains "in use by another writer"
expect_stderr_contains "writer.lock was deleted"
run vl --key $K village add V7 --name 七村
grep -q "restore" "$(LAST_ERR_FILE)" && fail "a held lock is called damage" ||
  pass "a held lock is not called damage"
# Readers go on beside it (as beside any writer).
expect_exit 0 vl log
expect_exit 0 vl verify
bg_stop "$holder"
expect_exit 0 vl --key $K village add V7 --name 七村
[[ -e vledger-data/writer.lock ]] && pass "writer.lock made again" || fail "no writer.lock"
expect_exit 0 vl verify

# --- a damaged table block under the projection (state) rows: every
# command that reads the rows says so (exit 4), never "unknown resident"
# (exit 3) nor an internal error (exit 5).
mkdir state-case
(
  cd state-case || exit 1
  vl init --test-clock --name 状态 --admin-key-out admin.key >/dev/null &&
    vl --key admin.key village add V1 --name 一村 >/dev/null &&
    vl --key admin.key household add H1 --village V1 --head 户主 >/dev/null &&
    vl --key admin.key rule add ELDER --category 孝老爱亲 --points 5 >/dev/null || exit 1
  for i in $(seq -w 1 40); do
    vl --key admin.key resident add "R0$i" --village V1 --household H1 --name "村民$i" >/dev/null &&
      vl --key admin.key award "R0$i" ELDER --on 2021-07-05 >/dev/null || exit 1
  done
  ldb --db=vledger-data/db compact >/dev/null 2>&1
) && pass "a ledger with residents" || fail "could not make the state-row ledger"
cd state-case || exit 2
expect_exit 0 vl balance R001
expect_exit 0 vl verify
state_sst=$(sst_of state)
[[ -n $state_sst ]] && pass "found the state table file" || fail "no state .sst after compact"
state_name=$(basename "${state_sst:-none}")
flip_byte "vledger-data/db/$state_name" $(($(data_bytes "${state_sst:-/dev/null}") / 2))
for cmd in "balance R001" "balance --village V1" "rank --village V1 --period 2021Q3" \
  "--key admin.key award R001 ELDER --on 2021-07-06"; do
  # shellcheck disable=SC2086
  expect_damaged "$state_name" vl $cmd
  expect_stderr_contains "projection rows are damaged"
  expect_stderr_contains "vledger rebuild"
  expect_stderr_contains "vledger verify"
done
expect_damaged "$state_name" vl verify
# Projection rows come from the log: rebuild writes them again and drops
# the damaged table file, after which everything reads and verifies.
expect_exit 0 vl --key admin.key rebuild
[[ ! -e vledger-data/db/$state_name ]] && pass "the damaged table file is gone" ||
  fail "the damaged table file is still there"
expect_exit 0 vl balance R001
expect_stdout_contains "credit score 5"
expect_exit 0 vl rank --village V1 --period 2021Q3
expect_exit 0 vl --key admin.key award R001 ELDER --on 2021-07-06
expect_exit 0 vl verify
cd "$WORK" || exit 2

# --- after all that, the backup taken before still restores and verifies
expect_exit 0 vl --ledger restored restore good-backup
expect_exit 0 vl --ledger restored verify

finish
