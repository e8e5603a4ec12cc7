#!/usr/bin/env bash
# Scenario test for the credit points commands (issue 3), driving the real
# binary: rules, awards, deductions (household-level too), redemptions,
# expiry, reversals, review, the queries with --json and --at, request-id
# idempotency, every rejection (exit 3, field named, nothing appended),
# and verify / rebuild at the end.
# Usage: points.sh PATH/TO/vledger
set -euo pipefail

VL=${1:?usage: points.sh PATH/TO/vledger}
VL=$(cd "$(dirname "$VL")" && pwd)/$(basename "$VL")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vledger-points.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export VLEDGER_NOW=2021-09-30T10:00:00Z
export VLEDGER_DIR=$tmp/ledger
unset VLEDGER_KEY

checks=0
fail() {
  echo "FAIL: $*" >&2
  [[ -f $tmp/err ]] && sed 's/^/  stderr: /' "$tmp/err" >&2
  [[ -f $tmp/out ]] && sed 's/^/  stdout: /' "$tmp/out" >&2
  exit 1
}
ok() { checks=$((checks + 1)); }

logsum() { "$VL" log --json | sha256sum | cut -d' ' -f1; }

# expect CODE [FIELD] -- ARGS...: runs vledger ARGS, which must exit CODE.
# On a non-zero exit the log must be unchanged and stderr must name FIELD.
expect() {
  local code=$1 field="" before after rc
  shift
  if [[ $1 != -- ]]; then
    field=$1
    shift
  fi
  shift
  ((code == 0)) || before=$(logsum)
  set +e
  "$VL" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  set -e
  ((rc == code)) || fail "expected exit $code, got $rc: vledger $*"
  if ((code != 0)); then
    after=$(logsum)
    [[ $before == "$after" ]] || fail "log changed after a rejected command: vledger $*"
    grep -q '^vledger: error: ' "$tmp/err" || fail "no error line: vledger $*"
    [[ -z $field ]] || grep -qF -- "$field" "$tmp/err" || fail "stderr does not name '$field': vledger $*"
  fi
  ok
}

# reject FIELD ARGS...: exit 3, nothing appended, FIELD named.
reject() {
  local field=$1
  shift
  expect 3 "$field" -- "$@"
}

# seq_of ARGS...: runs an appending command with --json and prints its seq.
seq_of() {
  "$VL" --json "$@" >"$tmp/out" 2>"$tmp/err" || fail "command failed: vledger $*"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["seq"])' "$tmp/out"
}

# same ACTUAL EXPECTED: exact string equality.
same() {
  [[ $1 == "$2" ]] || fail "got '$1', expected '$2'"
  ok
}

balance() { "$VL" --json balance "$1" ${2:+--at "$2"}; }
bal_json() { printf '{"resident":"%s","creditScore":%s,"spendablePoints":%s}' "$1" "$2" "$3"; }

# ----------------------------------------------------------------- setup
"$VL" init --test-clock --name 积分测试 --admin-key-out admin.key >/dev/null
A=(--key "$tmp/admin.key")
"$VL" key new --out col1.key >/dev/null
"$VL" key new --out col2.key >/dev/null
"$VL" key new --out rev1.key >/dev/null
"$VL" "${A[@]}" village add V1 --name 甲夼曲家村 >/dev/null
"$VL" "${A[@]}" village add V2 --name 乙村 >/dev/null
"$VL" "${A[@]}" key register --pub col1.key.pub --role collector --village V1 >/dev/null
"$VL" "${A[@]}" key register --pub col2.key.pub --role collector --village V2 >/dev/null
"$VL" "${A[@]}" key register --pub rev1.key.pub --role reviewer --village V1 >/dev/null
C=(--key "$tmp/col1.key")
C2=(--key "$tmp/col2.key")
R=(--key "$tmp/rev1.key")
"$VL" "${C[@]}" household add H1 --village V1 --head 曲大山 >/dev/null
"$VL" "${C[@]}" household add H2 --village V1 --head 曲二 >/dev/null
"$VL" "${C2[@]}" household add H3 --village V2 --head 王三 >/dev/null
"$VL" "${C[@]}" resident add R1 --village V1 --household H1 --name 曲大山 --adult >/dev/null
"$VL" "${C[@]}" resident add R2 --village V1 --household H1 --name 曲小红 --adult >/dev/null
"$VL" "${C[@]}" resident add R3 --village V1 --household H2 --name 曲二 --adult >/dev/null
"$VL" "${C2[@]}" resident add R4 --village V2 --household H3 --name 王三 --adult >/dev/null
"$VL" "${C[@]}" household head H1 --resident R1 >/dev/null

# ----------------------------------------------------------------- rules
expect 0 -- "${A[@]}" rule add ELDER --category 孝老爱亲 --points 5 --desc "照顾老人"
expect 0 -- "${A[@]}" rule add VOL --category 志愿服务 --points 2 --min 1 --max 10 --village V1 \
  --cap 12 --cap-period month
expect 0 -- "${A[@]}" rule add LITTER --category 环境整治 --points -10
expect 0 -- "${A[@]}" rule add SORT --category 环境整治 --points -5 --min -20 --max -1 --village V1
expect 0 -- "${A[@]}" rule add OLD --category 移风易俗 --points 3
expect 0 -- "${A[@]}" rule retire OLD
reject "code" "${A[@]}" rule retire OLD
reject "code" "${A[@]}" rule retire NOSUCH
reject "code" "${A[@]}" rule add ELDER --category 孝老爱亲 --points 5
reject "points" "${A[@]}" rule add ZERO --category 孝老爱亲 --points 0
reject "--points" "${A[@]}" rule add BAD --category 孝老爱亲 --points abc
reject "min" "${A[@]}" rule add RANGE --category 孝老爱亲 --points 5 --min 6 --max 9
reject "min" "${A[@]}" rule add SIGN --category 环境整治 --points -5 --min 1 --max 9
reject "--max" "${A[@]}" rule add HALF --category 孝老爱亲 --points 5 --min 1
reject "cap-period" "${A[@]}" rule add CAPX --category 孝老爱亲 --points 5 --cap 10
reject "cap-period" "${A[@]}" rule add CAPY --category 孝老爱亲 --points 5 --cap 10 --cap-period week
reject "village" "${A[@]}" rule add VX --category 孝老爱亲 --points 5 --village V9
expect 2 "--category: a value is required" -- "${A[@]}" rule add CATX --category "" --points 5
reject "may not write" "${C[@]}" rule add COLRULE --category 孝老爱亲 --points 5 --village V1
reject "may not write" "${C[@]}" rule retire VOL
"$VL" --json rule list --village V2 >"$tmp/out"
python3 - "$tmp/out" <<'EOF' || fail "rule list --village V2"
import json, sys
d = json.load(open(sys.argv[1]))
codes = [r["code"] for r in d["rules"]]
assert codes == ["ELDER", "LITTER", "OLD"], codes
old = [r for r in d["rules"] if r["code"] == "OLD"][0]
assert old["retiredSeq"] is not None
EOF
ok

# --------------------------------------------------------- awards, deductions
s_a1=$(seq_of "${C[@]}" award R1 ELDER --on 2021-07-05)
same "$(balance R1)" "$(bal_json R1 5 5)"
"$VL" "${C[@]}" award R1 VOL --points 8 --on 2021-07-10 --note "义务理发" >"$tmp/out" 2>"$tmp/err"
grep -q "public" "$tmp/err" || fail "no public-text warning for --note"
ok
s_a3=$(seq_of "${C[@]}" award R2 VOL --points 10 --on 2021-08-01)
s_d1=$(seq_of "${C[@]}" deduct R2 SORT --points 3 --on 2021-08-02)
same "$(balance R2)" "$(bal_json R2 7 7)"
# Household-level deduction: borne by the head R1; FIFO takes the 07-05 lot
# (5) and 5 of the 07-10 lot (8).
s_d2=$(seq_of "${C[@]}" deduct --household H1 LITTER --on 2021-08-03)
same "$(balance R1)" "$(bal_json R1 3 3)"
s_r1=$(seq_of "${C[@]}" redeem R1 --points 2 --item 酱油 --qty 1 --shop S1)
same "$(balance R1)" "$(bal_json R1 3 1)"
# The default date is the CST date of recordedAt.
"$VL" --json log --from "$s_r1" --limit 1 >/dev/null
# VLEDGER_NOW 2021-09-30T10:00Z is 18:00 in CST; at 17:00Z it is the next day.
s_today=$(seq_of "${C2[@]}" award R4 ELDER)
"$VL" --json log --from "$s_today" --limit 1 >"$tmp/out"
grep -q '"occurredOn":"2021-09-30"' "$tmp/out" || fail "default --on date is not the CST date"
ok
# (At 17:00Z it is the next day in CST: checked last, below, since the
# clock may not go back to 10:00Z after it.)

# ------------------------------------------------------------- rejections
reject "resident" "${C[@]}" award R9 ELDER
reject "resident" "${C[@]}" award "bad id!" ELDER
# A refused command prints its one error line and nothing before it: the
# public-text warning of --note, --item or --reason comes only after a
# command succeeded.
reject "resident" "${C[@]}" award NOPE ELDER --note hi
[[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "a refused award printed more than its error line"
ok
reject "resident" "${C[@]}" redeem NOPE --points 1 --item 酱油
[[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "a refused redeem printed more than its error line"
ok
reject "seq" "${C[@]}" reverse 999999 --reason typo
[[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "a refused reverse printed more than its error line"
ok
reject "rule" "${C[@]}" award R1 NOSUCH
reject "rule" "${C[@]}" award R1 OLD
reject "points" "${C[@]}" award R1 VOL --points 11
reject "points" "${C[@]}" award R1 VOL --points 0
reject "--points" "${C[@]}" award R1 VOL --points x1
reject "points" "${C[@]}" award R1 ELDER --points 6
reject "cap" "${C[@]}" award R1 VOL --points 5 --on 2021-07-20
reject "--on" "${C[@]}" award R1 ELDER --on 2021-13-01
reject "--on" "${C[@]}" award R1 ELDER --on 2021-9-1
reject '--on: "2021-02-29" is not a calendar date' "${C[@]}" award R1 ELDER --on 2021-02-29
# Dates lie in 1970-2200 (docs/LIMITS.md).
reject '--on: "1900-01-01" is outside 1970-01-01..2200-12-31' "${C[@]}" award R1 ELDER --on 1900-01-01
reject '--on: "1969-12-31" is outside' "${C[@]}" award R1 ELDER --on 1969-12-31
# A flag given with an empty value is exit 2, not the rule's default
# (an unset shell variable in `--points "$P"`), nor an empty note.
expect 2 "vledger: error: --points: a value is required" -- "${C[@]}" award R1 VOL --points ''
expect 2 "--points: a value is required" -- "${C[@]}" deduct R1 SORT --points ''
expect 2 "--note: a value is required" -- "${C[@]}" award R1 ELDER --note ''
reject "date" "${C[@]}" award R1 ELDER --on 2021-10-01
reject "rule" "${C[@]}" award R1 LITTER
reject "rule" "${C[@]}" deduct R1 ELDER
reject "rule" "${C2[@]}" award R4 VOL --points 2
reject "points" "${C[@]}" deduct R1 LITTER --points 5
reject "points" "${C[@]}" deduct R1 SORT --points 21
reject "--points" "${C[@]}" deduct R1 SORT --points -3
reject "--household" "${C[@]}" deduct --household H2 LITTER
reject "--household" "${C[@]}" deduct --household H9 LITTER
reject "village scope" "${C2[@]}" award R1 ELDER
reject "village scope" "${C2[@]}" redeem R1 --points 1 --item x
reject "may not write" "${R[@]}" award R1 ELDER
reject "points" "${C[@]}" redeem R1 --points 2 --item 盐
reject "--points" "${C[@]}" redeem R1 --points 0 --item 盐
reject "--qty" "${C[@]}" redeem R1 --points 1 --item 盐 --qty 0
expect 2 "--item: a value is required" -- "${C[@]}" redeem R1 --points 1 --item ""
reject "shop" "${C[@]}" redeem R1 --points 1 --item 盐 --shop "a/b"
reject "--key" award R1 ELDER
expect 2 -- "${C[@]}" award R1
expect 2 -- "${C[@]}" deduct R1 SORT extra

# -------------------------------------------------------------- reversals
s_rv1=$(seq_of "${C[@]}" reverse "$s_d2" --reason 误记)
# The 10 points come back as a lot dated the day of the correction.
same "$(balance R1)" "$(bal_json R1 13 11)"
reject "already reversed" "${C[@]}" reverse "$s_d2" --reason again
reject "moves no value" "${C[@]}" reverse 0 --reason x
reject "moves no value" "${A[@]}" reverse 1 --reason x
reject "moves no value" "${C[@]}" reverse "$s_rv1" --reason x
reject "target" "${C[@]}" reverse 99999 --reason x
reject "SEQ" "${C[@]}" reverse abc --reason x
expect 2 "--reason: a value is required" -- "${C[@]}" reverse "$s_a1" --reason ""
reject 'SEQ: -1 is not a seq' "${C[@]}" reverse -1 --reason x
reject "village scope" "${C2[@]}" reverse "$s_a1" --reason x
s_r2=$(seq_of "${C[@]}" redeem R1 --points 11 --item 大米)
same "$(balance R1)" "$(bal_json R1 13 0)"
reject "spendable" "${C[@]}" reverse "$s_a1" --reason 撤销
s_rv2=$(seq_of "${C[@]}" reverse "$s_r2" --reason 退货)
same "$(balance R1)" "$(bal_json R1 13 11)"

# ----------------------------------------------------------------- expiry
# R2 holds one lot of 7 earned 2021-08-01; R1's only lot is the 11 points
# restored on 2021-09-30, after the cut-off.
reject "before" "${C[@]}" expire --village V1 --before 2021-10-01
reject "--before" "${C[@]}" expire --village V1 --before 2021-02-30
reject "village" "${C[@]}" expire --village V9 --before 2021-09-01
reject "village scope" "${C2[@]}" expire --village V1 --before 2021-09-01
s_x1=$(seq_of "${C[@]}" expire --village V1 --before 2021-09-01)
same "$(balance R2)" "$(bal_json R2 7 0)"
same "$(balance R1)" "$(bal_json R1 13 11)"
s_rv3=$(seq_of "${C[@]}" reverse "$s_x1" --reason 清零有误)
same "$(balance R2)" "$(bal_json R2 7 7)"
same "$(balance R1)" "$(bal_json R1 13 11)"
s_x2=$(seq_of "${C[@]}" expire --village V1 --before 2021-01-01)
reject "moves no value" "${C[@]}" reverse "$s_x2" --reason x

# ----------------------------------------------------------------- review
expect 0 -- "${A[@]}" village policy V1 --review on
s_p1=$(seq_of "${C[@]}" award R3 ELDER --on 2021-08-10)
s_p2=$(seq_of "${C[@]}" award R3 VOL --points 4 --on 2021-08-11)
s_p3=$(seq_of "${C[@]}" deduct R3 SORT --points 2 --on 2021-08-12)
same "$(balance R3)" "$(bal_json R3 0 0)"
same "$("$VL" --json pending --village V1 | python3 -c 'import json,sys; print([p["seq"] for p in json.load(sys.stdin)["pending"]])')" "[$s_p1, $s_p2, $s_p3]"
same "$("$VL" --json pending --village V2)" '{"village":"V2","pending":[]}'
reject "moves no value" "${C[@]}" reverse "$s_p1" --reason x
reject "may not write" "${C[@]}" review --approve "$s_p1"
s_pa=$(seq_of "${A[@]}" award R3 ELDER --on 2021-08-13)
reject "own author" "${A[@]}" review --approve "$s_pa"
reject "seq" "${R[@]}" review --approve "$s_a1"
reject "seq" "${R[@]}" review --approve 99999
reject '--approve: -1 is not a seq' "${R[@]}" review --approve -1
reject "seq" "${R[@]}" review --approve "$s_p1" --reject "$s_p1:重复"
reject "--reject" "${R[@]}" review --reject "$s_p2"
reject "reason" "${R[@]}" review --reject "$s_p2:"
expect 0 -- "${R[@]}" review --approve "$s_p1" "$s_pa" --reject "$s_p2:证据不足" "$s_p3:已整改"
same "$(balance R3)" "$(bal_json R3 10 10)"
reject "not pending" "${R[@]}" review --approve "$s_p2"
reject "moves no value" "${C[@]}" reverse "$s_p2" --reason x
same "$("$VL" --json pending --village V1)" '{"village":"V1","pending":[]}'
# The rejected 4 points of VOL no longer count against its cap of 12.
expect 0 -- "${A[@]}" village policy V1 --review off
expect 0 -- "${C[@]}" award R3 VOL --points 9 --on 2021-08-20
expect 0 -- "${C[@]}" deduct R3 SORT --points 6 --on 2021-08-21
same "$(balance R3)" "$(bal_json R3 13 13)"

# ------------------------------------------------------------ idempotency
"$VL" --json "${C[@]}" award R2 ELDER --on 2021-09-01 --request-id req-1 >"$tmp/first"
before=$(logsum)
"$VL" --json "${C[@]}" award R2 ELDER --on 2021-09-01 --request-id req-1 >"$tmp/second"
same "$(logsum)" "$before"
python3 - "$tmp/first" "$tmp/second" <<'EOF' || fail "idempotent repeat"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert b.pop("repeated") is True and a == b, (a, b)
EOF
ok
reject "--request-id" "${C[@]}" award R2 ELDER --on 2021-09-02 --request-id req-1
same "$(balance R2)" "$(bal_json R2 12 12)"

# ---------------------------------------------------------------- queries
same "$(balance R1 "$s_a1")" "$(bal_json R1 5 5)"
same "$(balance R1 "$s_r1")" "$(bal_json R1 3 1)"
reject "--at" balance R1 --at 99999
reject '--at: -1 is not a seq' balance R1 --at -1
reject "RESIDENT" balance R9
expect 0 -- "${A[@]}" village policy V1 --star-points 5
# 2021Q3 in V1: R1 5+8 (the household deduction was reversed) = 13,
# R2 10-3+5 = 12, R3 5+5+9-6 = 13. Red flags: ceil(3 * 10 / 100) = 1, and
# rows tied at that rank share it.
same "$("$VL" --json rank --village V1 --period 2021Q3)" \
  '{"village":"V1","period":"2021Q3","ranking":[{"rank":1,"resident":"R1","points":13,"stars":2,"redFlag":true},{"rank":1,"resident":"R3","points":13,"stars":2,"redFlag":true},{"rank":3,"resident":"R2","points":12,"stars":2,"redFlag":false}]}'
same "$("$VL" --json rank --village V1 --period 2021Q3 --households)" \
  '{"village":"V1","period":"2021Q3","ranking":[{"rank":1,"household":"H1","points":25,"stars":5,"redFlag":true},{"rank":2,"household":"H2","points":13,"stars":2,"redFlag":false}]}'
same "$("$VL" --json rank --village V1 --period 2021-07)" \
  '{"village":"V1","period":"2021-07","ranking":[{"rank":1,"resident":"R1","points":13,"stars":2,"redFlag":true}]}'
same "$("$VL" --json rank --village V1 --period 2021-08 --at "$s_d2")" \
  '{"village":"V1","period":"2021-08","ranking":[{"rank":1,"resident":"R2","points":7,"stars":0,"redFlag":true},{"rank":2,"resident":"R1","points":-10,"stars":0,"redFlag":false}]}'
same "$("$VL" --json rank --village V2 --period 2020)" '{"village":"V2","period":"2020","ranking":[]}'
reject "--period" rank --village V1 --period 2021Q5
reject "--period" rank --village V1 --period 21
reject "--village" rank --village V9 --period 2021
expect 0 -- rank --village V1 --period 2021Q3
grep -q "R1" "$tmp/out" || fail "rank human output"
"$VL" --json history R1 >"$tmp/out"
python3 - "$tmp/out" "$s_a1" "$s_d2" "$s_rv1" "$s_r1" <<'EOF' || fail "history R1 --json"
import json, sys
d = json.load(open(sys.argv[1]))
a1, d2, rv1, r1 = map(int, sys.argv[2:])
assert d["resident"] == "R1" and d["creditScore"] == 13 and d["spendablePoints"] == 11, d
rows = {r["seq"]: r for r in d["history"]}
assert rows[a1]["type"] == "pointsAwarded" and rows[a1]["points"] == 5, rows[a1]
assert rows[a1]["status"] == "approved" and rows[a1]["date"] == "2021-07-05"
assert rows[d2]["points"] == -10 and rows[d2]["household"] == "H1" and rows[d2]["reversedBy"] == rv1
assert rows[rv1]["target"] == d2 and rows[rv1]["reason"] == "误记"
assert rows[r1]["points"] == -2 and rows[r1]["item"] == "酱油" and rows[r1]["shop"] == "S1"
assert [r["seq"] for r in d["history"]] == sorted(rows)
EOF
ok
same "$("$VL" --json history R1 --at "$s_a1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["history"]))')" 1
expect 0 -- history R3
expect 0 -- balance --village V1
# The whole county: every village's residents, by village and id, each as
# `balance --village` gives it plus its village; --at as for one resident.
"$VL" --json balance --village V1 >"$tmp/v1.json"
"$VL" --json balance --village V2 >"$tmp/v2.json"
"$VL" --json balance --all >"$tmp/all.json"
python3 - "$tmp/all.json" "$tmp/v1.json" "$tmp/v2.json" <<'EOF' || fail "balance --all --json"
import json, sys
rows = json.load(open(sys.argv[1]))["residents"]
expected = []
for path in sys.argv[2:]:
    d = json.load(open(path))
    expected += [dict(r, village=d["village"]) for r in d["residents"]]
assert rows == expected, (rows, expected)
assert [r["resident"] for r in rows] == ["R1", "R2", "R3", "R4"], rows
assert rows[0]["creditScore"] == 13 and rows[0]["spendablePoints"] == 11, rows[0]
EOF
ok
same "$("$VL" --json balance --all --at "$s_a1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["residents"][0]["creditScore"])')" \
  "$(balance R1 "$s_a1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["creditScore"])')"
expect 0 -- balance --all
grep -q "^V2  R4  credit score" "$tmp/out" || fail "balance --all human output"
expect 2 -- balance --all --village V1
same "$("$VL" --json balance --household H1 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["creditScore"], d["spendablePoints"])')" "25 23"
reject "--household" balance --household H9
expect 0 -- pending --village V1

# ------------------------------------------------- the CST date, next day
# VLEDGER_NOW 2021-09-30T17:00Z is 2021-10-01 01:00 in CST.
s_next=$(VLEDGER_NOW=2021-09-30T17:00:00Z seq_of "${C2[@]}" award R4 ELDER)
"$VL" --json log --from "$s_next" --limit 1 >"$tmp/out"
grep -q '"occurredOn":"2021-10-01"' "$tmp/out" || fail "default --on date is not the CST date"
ok

# ------------------------------------------------------ verify and rebuild
expect 0 -- verify
"$VL" --json verify >"$tmp/v1"
expect 0 -- rebuild
"$VL" --json verify >"$tmp/v2"
same "$(cat "$tmp/v2")" "$(cat "$tmp/v1")"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["ok"] is True' "$tmp/v2" || fail "verify not ok"
ok

echo "points.sh: $checks checks passed"
