#!/usr/bin/env bash
# The ledger's clock and request ids across keys (SPEC section 12):
# VLEDGER_NOW is honoured only by a ledger made with `init --test-clock`
# (exit 3 elsewhere, nothing written); an append whose clock is behind the
# ledger's last event is exit 3; verify faults recorded times that go
# backwards (a forged archive); a request id used by one key is refused to
# any other key, revoked or not, which learns nothing of the original (for
# commands and for import rows); numeric options compare as numbers.
# Usage: clock.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

PY=python3
if /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then PY=/usr/bin/python3; fi
FORGE=("$PY" "$REPO_ROOT/tests/interop/forge.py" "$REPO_ROOT/schemas")

# ------------------------------------------- VLEDGER_NOW on a real ledger
# lib.sh sets VLEDGER_NOW. Without --test-clock, init refuses it.
expect_exit 3 vl --ledger real init --name 真账本 --admin-key-out real.key
expect_stderr_contains 'VLEDGER_NOW is set: it is honoured only by a ledger made with init --test-clock'
[[ ! -e real && ! -e real.key ]] && pass "a refused init created nothing" ||
  fail "a refused init left files: $(ls)"
VLEDGER_NOW= expect_exit 0 vl --ledger real init --name 真账本 --admin-key-out real.key
expect_exit 0 vl --ledger real --json show 0
expect_json 'd["body"]["testClock"], d["body"]["monotonicTime"]' '[false, true]'
RK=(--ledger real --key real.key)
# Every command that takes the time refuses a set VLEDGER_NOW here.
expect_rejected_unchanged 3 vl "${RK[@]}" village add V1 --name 甲村
expect_stderr_contains 'VLEDGER_NOW is honoured only by a ledger made with init --test-clock'
printf 'id,village,head\nH01,V1,曲大山\n' >hh.csv
VLEDGER_NOW= expect_exit 0 vl "${RK[@]}" village add V1 --name 甲村
expect_rejected_unchanged 3 vl "${RK[@]}" import hh.csv --kind households
expect_stderr_contains 'VLEDGER_NOW is honoured only'
expect_exit 3 vl --ledger real objection list --overdue
expect_stderr_contains 'VLEDGER_NOW is honoured only'
# Reads that take no time, and the system clock, still work.
expect_exit 0 vl --ledger real verify
VLEDGER_NOW= expect_exit 0 vl "${RK[@]}" import hh.csv --kind households
VLEDGER_NOW= expect_exit 0 vl --ledger real objection list --overdue
expect_eq "$(ledger_size real)" 3 "genesis, village, household"

# ------------------------------------------------- a test-clock ledger
T=(--ledger test)
expect_exit 0 vl "${T[@]}" init --test-clock --name 测试钟 --admin-key-out admin.key
expect_exit 0 vl "${T[@]}" --json show 0
expect_json 'd["body"]["testClock"], d["body"]["monotonicTime"]' '[true, true]'
expect_json 'd["recordedAt"]' 1632996000000
TA=("${T[@]}" --key admin.key)
# A recorded time outside 1970-2200, or not a calendar date: refused.
VLEDGER_NOW=2201-01-01T00:00:00Z expect_rejected_unchanged 3 vl "${TA[@]}" village add V1 --name 甲村
expect_stderr_contains 'VLEDGER_NOW: "2201-01-01" is outside 1970-01-01..2200-12-31'
VLEDGER_NOW=1969-12-31T23:00:00Z expect_rejected_unchanged 3 vl "${TA[@]}" village add V1 --name 甲村
expect_stderr_contains 'is outside 1970-01-01..2200-12-31'
VLEDGER_NOW=2021-02-30T00:00:00Z expect_rejected_unchanged 3 vl "${TA[@]}" village add V1 --name 甲村
expect_stderr_contains 'VLEDGER_NOW: "2021-02-30" is not a calendar date'
# Exactly the documented form, with a time of day that exists: refused
# (exit 3, the value is not the command line) rather than read leniently.
for bad in 2021-09-30T-1:00:00Z 2021-09-30T10:00:60Z 2021-09-30T10:00:00.x9zZ \
  2021-09-30T10:00:00 2021-9-30T10:00:00Z ' 2021-09-30T10:00:00Z' yesterday; do
  VLEDGER_NOW=$bad expect_rejected_unchanged 3 vl "${TA[@]}" village add V1 --name 甲村
  expect_stderr_contains "VLEDGER_NOW: \"$bad\" is not like 2021-09-30T10:00:00Z"
done
VLEDGER_NOW=2099-01-01T00:00:00Z expect_exit 0 vl "${TA[@]}" village add V1 --name 甲村
# The clock behind the last event: refused, nothing written.
VLEDGER_NOW=2026-01-01T00:00:00Z expect_rejected_unchanged 3 vl "${TA[@]}" village add V2 --name 乙村
expect_stderr_contains 'the clock is behind the ledger: last event (seq 1) recorded at 2099-01-01T00:00:00Z, now 2026-01-01T00:00:00Z'
VLEDGER_NOW=2026-01-01T00:00:00Z expect_rejected_unchanged 3 vl "${TA[@]}" import hh.csv --kind households
expect_stderr_contains 'the clock is behind the ledger'
VLEDGER_NOW=2026-01-01T00:00:00Z expect_rejected_unchanged 3 vl "${TA[@]}" publish --village V1 \
  --period 2021Q3 --out b.html
expect_stderr_contains 'the clock is behind the ledger'
[[ ! -e b.html ]] && pass "a refused publish wrote no report" || fail "b.html was written"
# The same time again is fine.
VLEDGER_NOW=2099-01-01T00:00:00Z expect_exit 0 vl "${TA[@]}" village add V2 --name 乙村
VLEDGER_NOW=2099-01-01T00:00:00Z expect_exit 0 vl "${TA[@]}" import hh.csv --kind households
expect_exit 0 vl "${T[@]}" verify

# ------------------------------- verify: recorded times that go backwards
# A forged archive: a validly hashed and signed event recorded in 2026,
# after one recorded in 2099.
expect_exit 0 vl "${TA[@]}" export full.vla --full
"${FORGE[@]}" archive full.vla back.vla inject admin.key 1 '{"code":"V9","name":"丙村"}' \
  1767225600000 || fail "forge.py inject failed"
expect_exit 0 vl verify --archive full.vla --pub admin.key.pub
expect_exit 1 vl --json verify --archive back.vla --pub admin.key.pub
expect_json 'd["seq"]' 4
expect_stderr_contains 'seq 4 is recorded at 2026-01-01T00:00:00Z, before seq 3 (2099-01-01T00:00:00Z)'
expect_exit 1 vl --ledger from-back restore back.vla
[[ ! -e from-back ]] && pass "a refused restore left nothing" || fail "from-back/ was left"

# ------------------------------------------- request ids across keys
I=(--ledger ids)
expect_exit 0 vl "${I[@]}" init --test-clock --name 请求 --admin-key-out ida.key
IA=("${I[@]}" --key ida.key)
expect_exit 0 vl "${IA[@]}" village add V1 --name 甲村
for k in c1 c2 tr; do expect_exit 0 vl key new --out $k.key; done
expect_exit 0 vl --json key new --out c3.key
C3_ID=$(json_get 'd["keyId"]')
for k in c1 c2 c3; do
  expect_exit 0 vl "${IA[@]}" key register --pub $k.key.pub --role collector --village V1
done
expect_exit 0 vl "${IA[@]}" key register --pub tr.key.pub --role treasurer --village V1
C1=("${I[@]}" --key c1.key)
C2=("${I[@]}" --key c2.key)
C3=("${I[@]}" --key c3.key)
TR=("${I[@]}" --key tr.key)
expect_exit 0 vl "${C1[@]}" household add H1 --village V1 --head 曲大山
expect_exit 0 vl "${C1[@]}" resident add R1 --village V1 --household H1 --name 曲大山
expect_exit 0 vl "${IA[@]}" rule add VOL --category 志愿服务 --points 1 --min 1 --max 10

expect_exit 0 vl "${C1[@]}" --json award R1 VOL --points 01 --request-id r-1
S1=$(json_get 'd["seq"]')
H1=$(json_get 'd["hash"]')
SIZE=$(ledger_size ids)
# The same key, the same command written another way: the original result.
expect_exit 0 vl "${C1[@]}" --json award R1 VOL --points 1 --request-id r-1
expect_json '[d["seq"], d["repeated"]]' "[$S1, true]"
expect_exit 0 vl "${C1[@]}" award R1 VOL --points=0001 --request-id r-1
expect_stdout_contains "Already recorded (seq $S1): nothing appended now"
expect_rejected_unchanged 3 vl "${C1[@]}" award R1 VOL --points 2 --request-id r-1
expect_stderr_contains 'was already used by a different command'
# Another key: refused, and nothing of the original is told.
only_line() {  # only_line TEXT: stderr is exactly TEXT, stdout empty
  expect_eq "$(last_stderr)" "$1" "stderr is one line that tells nothing of the original"
  expect_eq "$(last_stdout)" "" "nothing on stdout"
}
expect_rejected_unchanged 3 vl "${C2[@]}" --json award R1 VOL --points 1 --request-id r-1
only_line 'vledger: error: --request-id: "r-1" was already used by another key'
expect_rejected_unchanged 3 vl "${C2[@]}" award R1 VOL --points 5 --request-id r-1
only_line 'vledger: error: --request-id: "r-1" was already used by another key'
# A revoked key likewise.
expect_exit 0 vl "${IA[@]}" key revoke "$C3_ID"
expect_rejected_unchanged 3 vl "${C3[@]}" --json award R1 VOL --points 1 --request-id r-1
only_line 'vledger: error: --request-id: "r-1" was already used by another key'
expect_eq "$(ledger_size ids)" "$((SIZE + 1))" "only the revocation was appended"
# A record written before records kept their key (the key id cut off its
# end with ldb): its key is the one that signed the events it names.
if command -v ldb >/dev/null; then
  KEY_HEX=$(printf 'req/r-1' | xxd -p | tr -d '\n')
  rm -rf "$TMPDIR/sec"
  REC=$(ldb --db=ids/db --secondary_path="$TMPDIR/sec" --column_family=requests --hex \
    get "0x$KEY_HEX" 2>/dev/null | sed 's/^0x//')
  rm -rf "$TMPDIR/sec"
  [[ ${#REC} -gt 34 ]] && pass "read req/r-1 with ldb" || fail "ldb get req/r-1: '$REC'"
  OLD=${REC:0:$(( ${#REC} - 34 ))}  # without varint(16) || 16-character key id
  ldb --db=ids/db --column_family=requests --hex put "0x$KEY_HEX" "0x$OLD" >/dev/null ||
    fail "ldb put failed"
  expect_rejected_unchanged 3 vl "${C2[@]}" award R1 VOL --points 1 --request-id r-1
  only_line 'vledger: error: --request-id: "r-1" was already used by another key'
  expect_exit 0 vl "${C1[@]}" --json award R1 VOL --points 1 --request-id r-1
  expect_json '[d["seq"], d["repeated"]]' "[$S1, true]"
else
  echo "note: ldb (rocksdb-tools) is not installed: the check of a request record without its key was skipped"
fi
# Amounts in yuan compare as fen.
expect_exit 0 vl "${IA[@]}" fund open CH --name 关爱基金 --kind charity --village V1
expect_exit 0 vl "${TR[@]}" --json donate CH --amount 500 --anonymous --request-id d-1
D1=$(json_get 'd["seq"]')
expect_exit 0 vl "${TR[@]}" --json donate CH --amount 500.00 --anonymous --request-id d-1
expect_json '[d["seq"], d["repeated"]]' "[$D1, true]"
expect_rejected_unchanged 3 vl "${TR[@]}" donate CH --amount 500.01 --anonymous --request-id d-1

# Import rows: a request_id cell, and the ids derived from a file's rows.
printf 'resident,rule,points,date,request_id\nR1,VOL,2,2021-09-01,row-1\n' >req.csv
expect_exit 0 vl "${C1[@]}" import req.csv --kind awards --source req-a
expect_rejected_unchanged 3 vl "${C2[@]}" import req.csv --kind awards --source req-b --again
expect_stderr_contains 'line 2, column request_id: "row-1" was already used by another key'
expect_rejected_unchanged 3 vl "${C2[@]}" award R1 VOL --request-id row-1
only_line 'vledger: error: --request-id: "row-1" was already used by another key'
printf 'resident,rule,points,date\nR1,VOL,3,2021-09-02\n' >rows.csv
expect_exit 0 vl "${C1[@]}" import rows.csv --kind awards
expect_rejected_unchanged 3 vl "${C2[@]}" import rows.csv --kind awards
expect_stderr_contains 'was already imported under "rows.csv" by another key'
expect_exit 0 vl "${C1[@]}" import rows.csv --kind awards
expect_stdout_contains 'already imported'
expect_exit 0 vl "${I[@]}" verify

finish
