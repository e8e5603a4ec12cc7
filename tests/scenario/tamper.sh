#!/usr/bin/env bash
# Tamper tests: build a small ledger, close it, then change or delete one
# stored row with `ldb` (rocksdb-tools) in a copy of the ledger folder and
# expect `verify` to find it — exit 1, naming the seq when the fault belongs
# to one event — and to pass again once the row is restored. Storage damage
# below RocksDB (a flipped byte in a table file) is exit 4 instead.
# Usage: tamper.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

if ! command -v ldb >/dev/null; then
  echo "ldb (rocksdb-tools) is not installed" >&2
  exit 1
fi

# ------------------------------------------------------------ the ledger
# seq 0 genesis · 1 village V1 · 2 collector key · 3 household H1 (by the
# collector; person record) · 4 resident R1 · 5 resident R2 · 6 village V2
BASE=base
expect_exit 0 vl --ledger $BASE init --test-clock --name 篡改测试
expect_exit 0 vl --ledger $BASE --key admin.key village add V1 --name 一村
expect_exit 0 vl key new --out col.key
expect_exit 0 vl --ledger $BASE --key admin.key key register --pub col.key.pub --role collector \
  --village V1
C=(--ledger $BASE --key col.key)
expect_exit 0 vl "${C[@]}" household add H1 --village V1 --head 张三
expect_exit 0 vl "${C[@]}" resident add R1 --village V1 --household H1 --name 张三 --adult
expect_exit 0 vl "${C[@]}" resident add R2 --village V1 --household H1 --name 张小四 --minor
expect_exit 0 vl --ledger $BASE --key admin.key village add V2 --name 二村
expect_exit 0 vl --ledger $BASE --json verify
expect_json 'd["events"]' 7
GOOD_ROOT=$(json_get 'd["root"]')

# ------------------------------------------------------------ ldb helpers
# Keys and values are hex without 0x. Reads of the pristine ledger open it as
# a secondary instance, so they change nothing in it.
seq_key() { printf '%016X' "$1"; }
ldb_get() {  # ldb_get DIR CF KEYHEX
  rm -rf "$TMPDIR/ldb-secondary"
  ldb --db="$1/db" --secondary_path="$TMPDIR/ldb-secondary" --column_family="$2" --hex \
    get "0x$3" 2>/dev/null | sed 's/^0x//'
  rm -rf "$TMPDIR/ldb-secondary"
}
ldb_scan() {  # ldb_scan DIR CF: "KEYHEX VALUEHEX" lines
  rm -rf "$TMPDIR/ldb-secondary"
  ldb --db="$1/db" --secondary_path="$TMPDIR/ldb-secondary" --column_family="$2" --hex \
    scan 2>/dev/null | sed -n 's/^0x\([0-9A-F]*\) : 0x\([0-9A-F]*\)$/\1 \2/p'
  rm -rf "$TMPDIR/ldb-secondary"
}
ldb_put() {  # ldb_put DIR CF KEYHEX VALUEHEX
  ldb --db="$1/db" --column_family="$2" --hex put "0x$3" "0x$4" >/dev/null ||
    fail "ldb put into $2 failed"
}
ldb_delete() {  # ldb_delete DIR CF KEYHEX
  ldb --db="$1/db" --column_family="$2" --hex delete "0x$3" >/dev/null ||
    fail "ldb delete from $2 failed"
}
# flip_byte HEX INDEX: HEX with byte INDEX (negative counts from the end) xor 0x01.
flip_byte() {
  python3 -c '
import sys
b = bytearray.fromhex(sys.argv[1]); i = int(sys.argv[2]); b[i] ^= 1
print(b.hex().upper())' "$1" "$2"
}

# A fresh copy of the pristine ledger for one case.
fresh() {
  rm -rf "$1"
  cp -a $BASE "$1"
}

# expect_fault DIR SEQ TEXT: verify exits 1 with {"ok":false,"seq":SEQ}
# (SEQ "null" for a fault of no single event), its problem contains TEXT,
# and the human form says the same on one stderr line.
expect_fault() {
  expect_exit 1 vl --ledger "$1" --json verify
  expect_json 'd["ok"]' false
  expect_json 'd["seq"]' "$2"
  expect_json '"'"$3"'" in d["problem"]' true || json_get 'd["problem"]' >&2
  expect_exit 1 vl --ledger "$1" verify
  expect_stderr_contains "vledger: error: verify failed"
  expect_stderr_contains "$3"
  if [[ "$2" != null ]]; then
    expect_stderr_contains "seq $2"
  fi
  expect_eq "$(wc -l <"$(LAST_ERR_FILE)")" 1 "verify prints one error line"
}

# expect_missing_row DIR SEQ TEXT: as expect_fault for a row that is gone.
# The message and the JSON seq name the seq.
expect_missing_row() {
  expect_exit 1 vl --ledger "$1" --json verify
  expect_json 'd["ok"]' false
  expect_json '"'"$3"'" in d["problem"]' true
  expect_json 'd["seq"]' "$2"
  expect_exit 1 vl --ledger "$1" verify
  expect_stderr_contains "$3"
}

expect_verifies() {
  expect_exit 0 vl --ledger "$1" --json verify
  expect_json 'd' "{\"events\": 7, \"ok\": true, \"root\": \"$GOOD_ROOT\"}"
}

K3=$(seq_key 3)
EVENT3=$(ldb_get $BASE events "$K3")
# hashes: u64be(chunk) -> the record hashes of 256 events from seq chunk*256,
# 32 bytes each; the 7 events of this ledger are all in chunk 0.
K0=$(seq_key 0)
HASHES=$(ldb_get $BASE hashes "$K0")
HASH3=${HASHES:192:64}
COMMIT3=$(ldb_get $BASE commits "$K3")
[[ ${#EVENT3} -gt 100 && ${#HASH3} -eq 64 && ${#COMMIT3} -gt 128 ]] &&
  pass "ldb reads the events, hashes and commits rows of seq 3" ||
  fail "ldb could not read seq 3 (event '${EVENT3:0:20}', hash '$HASH3')"

# ---------------------------------------------- one byte of a stored event
fresh case
ldb_put case events "$K3" "$(flip_byte "$EVENT3" 40)"
expect_fault case 3 "seq 3"
expect_fault case 3 "event altered"
# In Chinese the verdict is the fault's own translated message, no English
# left in it.
expect_exit 1 env LANG=zh_CN.UTF-8 "$VLEDGER" --ledger case verify
expect_stderr_contains "校验在第 3 条未通过"
expect_stderr_contains "第 3 条的记录哈希与存储的字节不符（事件被篡改）"
if grep -qi 'altered\|verify failed\|record hash' "$(LAST_ERR_FILE)"; then
  fail "English words in the Chinese verify verdict"
else
  pass "the Chinese verify verdict has no English words"
fi
ldb_put case events "$K3" "$EVENT3"
expect_verifies case

# The last byte too (the end of the segment).
fresh case
ldb_put case events "$K3" "$(flip_byte "$EVENT3" -1)"
expect_fault case 3 "seq 3"

# ------------------------------------------------------ a deleted event row
fresh case
ldb_delete case events "$K3"
expect_missing_row case 3 "event 3 is missing"
ldb_put case events "$K3" "$EVENT3"
expect_verifies case

# ---------------------------------------------------- a stored record hash
fresh case
ldb_put case hashes "$K0" "$(flip_byte "$HASHES" 96)"  # h[3], the fourth of the row
expect_fault case 3 "seq 3"
ldb_put case hashes "$K0" "$HASHES"
expect_verifies case
fresh case
ldb_delete case hashes "$K0"
expect_missing_row case 0 "hash of event 0 is missing"
# A row cut short loses the last hashes.
fresh case
ldb_put case hashes "$K0" "${HASHES:0:384}"
expect_missing_row case 6 "hash of event 6 is missing"

# ------------------------------------------------------ a commit signature
# commits: u64be(last) -> varint(first) || varint(16) keyId || varint(64) signature
fresh case
ldb_put case commits "$K3" "$(flip_byte "$COMMIT3" -1)"
expect_fault case 3 "signature does not verify"
ldb_put case commits "$K3" "$COMMIT3"
expect_verifies case
fresh case
ldb_delete case commits "$K3"
expect_fault case 3 "commit"

# --------------------------- an event rewritten with a consistent hash chain
# Someone with the database but not the key changes household H1's id in
# event 3 and recomputes h[3..6] and the head: only the signature catches it.
fresh case
ldb_scan $BASE events >"$WORK/.out/events"
python3 - "$WORK/.out/events" "$WORK/.out/rewrite" <<'EOF'
import hashlib, sys
rows = [line.split() for line in open(sys.argv[1])]
events = [bytes.fromhex(v) for _, v in rows]
e3 = bytearray(events[3])
at = e3.find(b"H1\x00")
assert at > 0, "household id not found in event 3"
e3[at + 1] = ord("9")  # H1 -> H9: still a valid event
events[3] = bytes(e3)
h = bytes(32)
out = open(sys.argv[2], "w")
chunk = b""
for n, c in enumerate(events):
    h = hashlib.sha256(b"VLEDGER-EVENT-V1\0" + n.to_bytes(8, "big") + h + c).digest()
    chunk += h
    if n >= 3:
        out.write("%016X %s\n" % (n, c.hex().upper()))
out.write("HASHES %s\n" % chunk.hex().upper())
out.write("HEAD %016X%s\n" % (len(events), h.hex().upper()))
EOF
while read -r key value; do
  if [[ $key == HEAD ]]; then
    ldb_put case default "$(printf head | xxd -p -u)" "$value"
  elif [[ $key == HASHES ]]; then
    ldb_put case hashes "$K0" "$value"
  else
    ldb_put case events "$key" "$value"
  fi
done <"$WORK/.out/rewrite"
expect_fault case 3 "commit 3..3: signature does not verify"

# ---------------------------------------------------------- person records
# persons: personRef -> salt(16) || C(Person). The head of H1 (seq 3).
ldb_scan $BASE persons >"$WORK/.out/persons"
expect_eq "$(wc -l <"$WORK/.out/persons")" 3 "three person records"
H1_REF=$(vl --ledger $BASE --json show 3 | python3 -c 'import json,sys; print(json.load(sys.stdin)["body"]["headRef"].upper())')
H1_PERSON=$(awk -v k="$H1_REF" '$1 == k {print $2}' "$WORK/.out/persons")
[[ -n $H1_PERSON ]] && pass "found H1's person record" || fail "no person record for $H1_REF"
fresh case
ldb_put case persons "$H1_REF" "$(flip_byte "$H1_PERSON" -9)"
expect_fault case null "does not match its commitment"
ldb_put case persons "$H1_REF" "$H1_PERSON"
expect_verifies case
# A changed salt is just as wrong.
fresh case
ldb_put case persons "$H1_REF" "$(flip_byte "$H1_PERSON" 0)"
expect_fault case null "does not match its commitment"
# A well-formed record, with its own salt and a correct commitment
# H("VLEDGER-PERSON-V1\0" || salt || C(Person)), that no event refers to.
read -r ORPHAN_REF ORPHAN_VALUE < <(python3 - "$H1_PERSON" <<'EOF'
import hashlib, sys
record = bytes.fromhex(sys.argv[1])[16:]
salt = bytes(range(16))
ref = hashlib.sha256(b"VLEDGER-PERSON-V1\x00" + salt + record).hexdigest()
print(ref.upper(), (salt + record).hex().upper())
EOF
)
fresh case
ldb_put case persons "$ORPHAN_REF" "$ORPHAN_VALUE"
expect_fault case null "referenced by no event"
# A deleted record (not erased through `person erase`): nothing in the
# chain says it was erased, yet reports would show 已删除. verify names the
# household whose head it was, registered at seq 3.
fresh case
ldb_delete case persons "$H1_REF"
expect_fault case 3 "household H1"
expect_fault case 3 "no personErased erased it"
ldb_put case persons "$H1_REF" "$H1_PERSON"
expect_verifies case
# The last record in ref order, and a resident's.
LAST_REF=$(tail -1 "$WORK/.out/persons" | cut -d' ' -f1)
fresh case
ldb_delete case persons "$LAST_REF"
expect_exit 1 vl --ledger case --json verify
expect_json '"is missing, and no personErased erased it" in d["problem"]' true
# After `person erase` the record's absence is what the chain says.
fresh case
expect_exit 0 vl --ledger case --key col.key person erase R1 --reason 本人申请
expect_exit 0 vl --ledger case verify

# ------------------------------------------------------------ checkpoints
# checkpoints: u64be(size) -> the signed note. verify checks every stored
# one: it parses, it is signed under the origin by a key that was an admin
# at its size, and its root is the log's at its size.
K7=$(seq_key 7)
K8=$(seq_key 8)
SIGNED=signed
fresh $SIGNED
expect_exit 0 vl --ledger $SIGNED --key admin.key checkpoint
NOTE=$(ldb_get $SIGNED checkpoints "$K7")
[[ -n $NOTE ]] && pass "found the checkpoint row of size 7" || fail "no checkpoint row of size 7"
expect_verifies $SIGNED
expect_exit 0 vl --ledger $SIGNED report bulletin --village V1 --period 2021Q3 --at 7 --format md \
  --out signed.md
expect_exit 0 vl --ledger $SIGNED verify-report signed.md
fresh_signed() {
  rm -rf "$1"
  cp -a $SIGNED "$1"
}
# note_edit NOTEHEX EDIT [KEY]: the note with its signature changed
# ("flip": one bit of the Ed25519 signature; "sign KEY": signed by KEY instead).
note_edit() {
  python3 - "$@" <<'PYEOF'
import base64, hashlib, sys
from cryptography.hazmat.primitives import serialization
note = bytes.fromhex(sys.argv[1]).decode()
body, sigs = note.split("\n\n", 1)
body += "\n"
name, sig = sigs.rstrip("\n").split(" ")[1:]
raw = bytearray(base64.b64decode(sig))
if sys.argv[2] == "flip":
    raw[-1] ^= 1
else:
    key = serialization.load_pem_private_key(open(sys.argv[3], "rb").read(), password=None)
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    raw = hashlib.sha256(name.encode() + b"\n\x01" + pub).digest()[:4] + key.sign(body.encode())
line = "\u2014 " + name + " " + base64.b64encode(bytes(raw)).decode() + "\n"
print((body + "\n" + line).encode().hex().upper())
PYEOF
}
# A garbage row.
fresh_signed case
ldb_put case checkpoints "$K7" "$(printf 'not a checkpoint' | xxd -p -u)"
expect_fault case null "checkpoint at size 7"
expect_fault case null "malformed"
# One bit of the signature.
fresh_signed case
ldb_put case checkpoints "$K7" "$(note_edit "$NOTE" flip)"
expect_fault case null "checkpoint at size 7: checkpoint: bad signature"
# ... and a report at it neither embeds it nor verifies; nor is a new head
# signed beside it.
expect_exit 1 vl --ledger case report bulletin --village V1 --period 2021Q3 --at 7 --format md
expect_stderr_contains "bad signature"
expect_exit 1 vl --ledger case verify-report signed.md
expect_stderr_contains "the report's checkpoint does not verify"
expect_exit 1 vl --ledger case --key admin.key checkpoint
expect_stderr_contains "refusing to sign"
ldb_put case checkpoints "$K7" "$NOTE"
expect_exit 0 vl --ledger case verify
# Well signed, but by the collector's key: no admin at size 7.
fresh_signed case
ldb_put case checkpoints "$K7" "$(note_edit "$NOTE" sign col.key)"
expect_fault case null "which was no active admin or checkpointer key at this size"
# A checkpoint of size 8 where the log has 7 events: the log was cut back.
fork() {  # fork DIR CODE: the pristine ledger and one more event, signed at size 8
  fresh "$1"
  expect_exit 0 vl --ledger "$1" --key admin.key village add "$2" --name 分叉
  expect_exit 0 vl --ledger "$1" --key admin.key checkpoint
}
fork fork-a V3
NOTE8=$(ldb_get fork-a checkpoints "$K8")
fresh case
ldb_put case checkpoints "$K8" "$NOTE8"
expect_fault case null "checkpoint at size 8: past the end of the log (size 7)"
# The log cut back to 7 events after a checkpoint of 8 was signed, and a
# different event 7 appended: the checkpoint, correctly signed, no longer
# has the log's root.
fork fork-b V4
ldb_put fork-b checkpoints "$K8" "$NOTE8"
expect_exit 1 vl --ledger fork-b --json verify
expect_json 'd["seq"]' null
expect_json 'd["problem"].startswith("checkpoint at size 8: root ")' true
expect_json '"the log was altered since it was signed" in d["problem"]' true
# A key made admin at seq 7 signs no checkpoint of 7 events (verify would
# not accept it).
fresh case
expect_exit 0 vl key new --out admin2.key
expect_exit 0 vl --ledger case --key admin.key key register --pub admin2.key.pub --role admin
expect_rejected_unchanged 3 vl --ledger case --key admin2.key checkpoint --size 7
expect_stderr_contains "registered at seq 7"
expect_exit 0 vl --ledger case --key admin2.key checkpoint
expect_exit 0 vl --ledger case verify

# ------------------------------------------------------ projection rows
# state: projection rows, e.g. village/V1. verify replays the log and
# compares; `rebuild` puts them right.
VILLAGE_KEY=$(printf 'village/V1' | xxd -p -u)
VILLAGE_ROW=$(ldb_get $BASE state "$VILLAGE_KEY")
[[ -n $VILLAGE_ROW ]] && pass "found the village/V1 row" || fail "no village/V1 row"
fresh case
ldb_put case state "$VILLAGE_KEY" "$(flip_byte "$VILLAGE_ROW" -1)"
expect_fault case null "projection row village/V1 differs from replay"
expect_fault case null "rebuild"
ldb_put case state "$VILLAGE_KEY" "$VILLAGE_ROW"
expect_verifies case
fresh case
ldb_put case state "$VILLAGE_KEY" "$(flip_byte "$VILLAGE_ROW" -1)"
expect_exit 0 vl --ledger case rebuild
expect_verifies case
fresh case
ldb_delete case state "$(printf 'res/R1' | xxd -p -u)"
expect_fault case null "projection row res/R1 is missing"
expect_exit 0 vl --ledger case rebuild
expect_verifies case
# verify compares the rows in key ranges at once (households and what sorts
# before the person refs; the person refs; the residents and after): with
# faults in several, the first in key order is the one reported, whichever
# range's comparison ends first.
HH_KEY=$(printf 'hh/H1' | xxd -p -u)
HH_ROW=$(ldb_get $BASE state "$HH_KEY")
[[ -n $HH_ROW ]] && pass "found the hh/H1 row" || fail "no hh/H1 row"
fresh case
ldb_put case state "$VILLAGE_KEY" "$(flip_byte "$VILLAGE_ROW" -1)"
ldb_delete case state "$(printf 'res/R2' | xxd -p -u)"
expect_fault case null "projection row res/R2 is missing"
ldb_put case state "$HH_KEY" "$(flip_byte "$HH_ROW" -1)"
expect_fault case null "projection row hh/H1 differs from replay"
ldb_put case state "$HH_KEY" "$HH_ROW"
ldb_put case state "$(printf 'res/R2' | xxd -p -u)" "$(ldb_get $BASE state "$(printf 'res/R2' | xxd -p -u)")"
expect_fault case null "projection row village/V1 differs from replay"
fresh case
ldb_put case state "$(printf 'village/V9' | xxd -p -u)" "$VILLAGE_ROW"
expect_fault case null "not produced by replay"

# ---------------------------------------------- the Merkle tree and the head
# merkle: u8 level || u64be index -> a perfect subtree's root, from level 8
# (256 leaves, one chunk of hashes) up; lower nodes are computed from the
# hashes. A ledger of 602 events stores nodes 8/0, 8/1 and 9/0, and its
# root is built from 9/0 and nodes below level 8.
BIG=big
expect_exit 0 vl --ledger $BIG init --test-clock --name 大账本 --admin-key-out big.key
expect_exit 0 vl --ledger $BIG --key big.key village add V1 --name 一村
python3 -c 'print("id,village,head"); [print(f"H{i:04d},V1,户主") for i in range(600)]' >hh600.csv
expect_exit 0 vl --ledger $BIG --key big.key import hh600.csv --kind households --batch 97
expect_exit 0 vl --ledger $BIG --json verify
expect_json 'd["events"]' 602
expect_eq "$(ldb_scan $BIG merkle | cut -d' ' -f1 | tr '\n' ' ')" \
  "080000000000000000 080000000000000001 090000000000000000 " "stored Merkle nodes of 602 events"
# The node the root is built from.
rm -rf case && cp -a $BIG case
NODE_9_0=$(ldb_get $BIG merkle 090000000000000000)
ldb_put case merkle 090000000000000000 "$(flip_byte "$NODE_9_0" 5)"
expect_fault case null "Merkle tree"
ldb_put case merkle 090000000000000000 "$NODE_9_0"
expect_exit 0 vl --ledger case verify
# A node below it, used only by inclusion proofs: verify checks every
# stored node against the log, not only those of the root.
rm -rf case && cp -a $BIG case
ldb_put case merkle 080000000000000001 "$(flip_byte "$(ldb_get $BIG merkle 080000000000000001)" 5)"
expect_fault case null "does not match the log at level 8"
rm -rf case && cp -a $BIG case
ldb_delete case merkle 080000000000000000
expect_fault case null "misses node 8/0"
# A head cut back to seq 5 (a consistent prefix): the projections of event 6
# are still there, so verify notices.
fresh case
ldb_put case default "$(printf head | xxd -p -u)" "$(seq_key 6)${HASHES:320:64}"
expect_fault case null "village/V2"

# ------------------------------------------ every command after tampering
# Readers still answer; the tamper shows only in verify.
fresh case
ldb_put case events "$K3" "$(flip_byte "$EVENT3" 40)"
expect_exit 0 vl --ledger case --json log --limit 2
expect_exit 0 vl --ledger case key list

# ------------------------------------------- storage damage below RocksDB
# Compact the events into a table file, flip one byte inside it: every
# command, verify included, is exit 4 naming the file.
fresh case
ldb --db=case/db --column_family=events compact >/dev/null 2>&1 ||
  fail "ldb compact failed"
SST=$(grep -l 'vledger/' case/db/*.sst 2>/dev/null | head -1)
if [[ -z "$SST" ]]; then
  SST=$(ls -S case/db/*.sst 2>/dev/null | head -1)
fi
if [[ -n "$SST" ]]; then
  expect_verifies case
  python3 - "$SST" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 4] ^= 0x01  # inside the first data block
open(p, "wb").write(bytes(b))
EOF
  expect_exit 4 vl --ledger case --json verify
  expect_stderr_contains "$(basename "$SST")"
else
  fail "no table file after ldb compact"
fi

# The pristine ledger was never touched.
expect_verifies $BASE

finish
