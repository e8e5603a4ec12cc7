#!/usr/bin/env bash
# A full disk (SPEC section 7): every writer ends with exit 4 and one
# "vledger: error: disk full: …" line — never a crash (RocksDB's own info
# logger asserts on a failed write: SIGABRT, exit 134) — and writes
# nothing: once space is freed, `verify` is ok and the log is as it was.
# `init` on a full disk leaves no half ledger behind.
#
# The disk is a small tmpfs mounted for the test (the tests run as root in
# CI). Where mounting is not permitted the test says it was skipped and
# why, counts nothing as passed, and exits 77 (ctest's SKIP_RETURN_CODE).
# Usage: diskfull.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

MNT=$WORK/small
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=16m,mode=0755 tmpfs "$MNT" 2>"$WORK/.out/mount"; then
  echo "SKIPPED: cannot mount a tmpfs for a small disk here ($(head -n1 "$WORK/.out/mount"));" \
    "this test needs root (mount -t tmpfs)"
  _FINISHED=1
  exit 77
fi
trap 'rc=$?; umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null; (exit $rc); _cleanup' EXIT

L=$MNT/ledger
K=admin.key
A=(--ledger "$L" --key $K)
expect_exit 0 vl --ledger "$L" init --test-clock --name 满盘 --admin-key-out $K
expect_exit 0 vl "${A[@]}" village add V1 --name 一村
expect_exit 0 vl "${A[@]}" household add H1 --village V1 --head 户主
expect_exit 0 vl "${A[@]}" rule add ELDER --category 孝老爱亲 --points 5
for i in 1 2 3; do
  expect_exit 0 vl "${A[@]}" resident add "R$i" --village V1 --household H1 --name "村民$i"
done
expect_exit 0 vl "${A[@]}" award R1 ELDER --on 2021-07-05
{
  echo "resident,rule,points,date"
  for i in $(seq 1 200); do echo "R$((1 + i % 3)),ELDER,,2021-07-$((10 + i % 20))"; done
} >awards.csv
# Big enough that its one commit does not fit in 128 KB.
{
  echo "resident,rule,points,date"
  for i in $(seq 1 3000); do echo "R$((1 + i % 3)),ELDER,,2021-08-$((10 + i % 20))"; done
} >big.csv
expect_exit 0 vl --ledger "$L" verify
size=$(ledger_size "$L")
((size > 0)) && pass "ledger of $size events" || fail "no events"
log_before=$("$VLEDGER" --ledger "$L" log --json)

# Fills the small disk, then frees FREE bytes of it.
fill_disk() {  # fill_disk FREE_BYTES
  rm -f "$MNT/fill"
  dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null
  sync
  (($1 > 0)) && truncate -s "-$1" "$MNT/fill"
  local avail
  avail=$(df --output=avail -B1 "$MNT" | tail -n1 | tr -d ' ')
  ((avail <= $1 + 16384)) && pass "disk full but $avail bytes" ||
    fail "disk not full: $avail bytes free"
}

# expect_disk_full cmd...: exit 4, one "vledger: error:" line saying
# "disk full".
expect_disk_full() {
  expect_error 4 "a full disk" "disk full" -- "$@"
}

for free in 0 4096; do
  fill_disk $free
  expect_disk_full vl "${A[@]}" award R2 ELDER --on 2021-07-06
  expect_disk_full vl "${A[@]}" import awards.csv --kind awards
  expect_disk_full vl "${A[@]}" resident add R9 --village V1 --household H1 --name 新人
  expect_disk_full vl "${A[@]}" rebuild
  expect_disk_full vl --ledger "$L" backup "$MNT/backup"
  [[ ! -e $MNT/backup ]] && pass "backup left nothing behind" || fail "backup left $MNT/backup"
  # init on the full disk: exit 4, and no half ledger (nor its key) left.
  expect_disk_full vl --ledger "$MNT/new" init --test-clock --name 新账 --admin-key-out new.key
  [[ ! -e $MNT/new && ! -e new.key ]] && pass "init left nothing behind" ||
    fail "init on a full disk left $(ls -d "$MNT/new" new.key 2>/dev/null)"
  # With space again the ledger is whole and unchanged.
  rm -f "$MNT/fill"
  expect_exit 0 vl --ledger "$L" verify
  expect_eq "$("$VLEDGER" --ledger "$L" log --json)" "$log_before" "log unchanged (free $free)"
done

# Room to open the ledger but not for the commit: the write of the commit
# itself fails, and it is all or nothing.
fill_disk 131072
expect_disk_full vl "${A[@]}" import big.csv --kind awards
expect_stderr_contains "write commit"
rm -f "$MNT/fill"
expect_exit 0 vl --ledger "$L" verify
expect_eq "$("$VLEDGER" --ledger "$L" log --json)" "$log_before" "log unchanged (commit too big)"

# And it takes writes again.
expect_exit 0 vl "${A[@]}" award R2 ELDER --on 2021-07-06
expect_exit 0 vl "${A[@]}" import awards.csv --kind awards
expect_eq "$(ledger_size "$L")" $((size + 201)) "the award and the import appended"
expect_exit 0 vl --ledger "$L" verify
finish
