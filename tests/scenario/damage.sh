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
  run "$@"
  local ok=1
  if [[ $LAST_RC -ne 4 ]]; then
    fail "expected exit 4 for damage, got $LAST_RC"
    ok=0
  elif [[ $(wc -l <"$(LAST_ERR_FILE)") -ne 1 || "$(head -c 16 "$(LAST_ERR_FILE)")" != "vledger: error: " ]]; then
    fail "stderr is not one 'vledger: error:' line"
    ok=0
  elif ! grep -qF -- "$text" "$(LAST_ERR_FILE)"; then
    fail "stderr does not name $text"
    ok=0
  elif ! grep -q "restore" "$(LAST_ERR_FILE)"; then
    fail "stderr does not say to restore from a backup"
    ok=0
  fi
  if ((ok == 0)); then
    _show_last
    return 1
  fi
  pass "damaged (4): $LAST_CMD"
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

# --- after all that, the backup taken before still restores and verifies
expect_exit 0 vl --ledger restored restore good-backup
expect_exit 0 vl --ledger restored verify

finish
