#!/usr/bin/env bash
# Every appending command run remotely (SPEC section 12, issue 19 item 2):
# each is run through `--remote` against a server on 127.0.0.1 and, with
# the same key, request id and fixed clock, locally on a twin ledger; the
# exit codes and JSON answers must be equal, and at the end so must the
# two logs (`log --json`, recordedAt included; hashes and person
# references aside, since each person record has a random salt). The
# files written remotely (report, proof, archive) verify, and so do both
# ledgers. Refusals exit as the local command does.
source "$(dirname "$0")/lib.sh"
setup
# After the imported spreadsheet's dates (October 2021); the server and
# the twin share this clock.
export VLEDGER_NOW=2021-10-31T10:00:00Z
D="$SCENARIO_DIR/../data/import"
# A JSON answer or log without what differs between two ledgers by
# design: hashes (each person record has a random salt, so the person
# references and every hash after the first one differ) and what covers
# them (roots, report digests, proofs).
normalize() {
  python3 -c '
import json, sys
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items()
                if k not in ("hash", "root", "sha256", "reportSha256", "proof", "bytes")
                and not k.endswith("Ref")}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
text = sys.stdin.read()
try:
    print(json.dumps(strip(json.loads(text)), ensure_ascii=False, sort_keys=True))
except ValueError:
    print(text.split("\n")[0])  # a note: its origin line
'
}

expect_exit 0 vl init --test-clock --name 县 --admin-key-out admin.key
for k in col tre rev aud; do vl key new --out $k.key >/dev/null; done
# A key id: the first 8 bytes of SHA-256 of the raw public key, in hex.
key_id() { openssl pkey -pubin -in "$1" -outform DER | tail -c 32 | sha256sum | cut -c1-16; }
cp -a vledger-data twin
mkdir rem loc

SERVER=""
URL=""
# No rate limits: every command here is one key's, from 127.0.0.1, in a row.
bg_run "$VLEDGER" --ledger vledger-data serve --listen 127.0.0.1:0 --address-limit 0 --key-limit 0 \
  >serve.out 2>serve.err
SERVER=$BG_PID
for i in $(seq 1 100); do
  grep listening serve.out >/dev/null 2>&1 && break
  sleep 0.1
done
URL=$(sed -n 's/^listening on //p' serve.out)
[[ -n "$URL" ]] && pass "server listening at $URL" || fail "server did not start: $(cat serve.err)"

N=0
REMOTE_ERR=""
# both KEY WORDS ARGS...: the command (WORDS: its words, quoted) with
# --key KEY.key, remotely and on the twin; a request id when it takes one.
# Equal exit codes and --json answers.
both() {
  local key=$1 words=$2
  shift 2
  local rid=()
  # shellcheck disable=SC2086
  if "$VLEDGER" --ledger twin $words --help 2>/dev/null | grep -q -- --request-id; then
    N=$((N + 1))
    rid=(--request-id "q$N")
  fi
  # Each side in a folder of its own, for the files it writes.
  cd "$WORK/rem" || exit 2
  # shellcheck disable=SC2086
  run "$VLEDGER" --remote "$URL" --key "$WORK/$key.key" --json $words "$@" "${rid[@]}"
  local remote_rc=$LAST_RC remote_out
  remote_out=$(last_stdout | normalize)
  REMOTE_ERR=$(last_stderr)
  cd "$WORK/loc" || exit 2
  # shellcheck disable=SC2086
  run "$VLEDGER" --ledger "$WORK/twin" --key "$WORK/$key.key" --json $words "$@" "${rid[@]}"
  cd "$WORK" || exit 2
  expect_eq "$remote_rc" "$LAST_RC" "remote $words exits as local ($LAST_RC)"
  if [[ "$remote_rc" != "$LAST_RC" ]]; then
    echo "    remote stderr: $REMOTE_ERR" >&2
    echo "    local stderr: $(last_stderr)" >&2
  fi
  expect_eq "$remote_out" "$(last_stdout | normalize)" "remote $words answers as local"
}

# --- the registry, keys, rules and names (admin).
both admin "village add" V1 --name 一村
both admin "village add" V2 --name 二村
both admin "key register" --pub "$WORK/col.key.pub" --role collector --village V1
both admin "key register" --pub "$WORK/tre.key.pub" --role treasurer --village V1
both admin "key register" --pub "$WORK/rev.key.pub" --role reviewer --village V1
both admin "key register" --pub "$WORK/aud.key.pub" --role auditor
both admin "rule add" GOOD --category 志愿服务 --points 5 --name 好事
both admin "rule add" BAD --category 违规 --points 3
both admin "rule add" OLD --category 志愿服务 --points 1
both admin "rule add" FINE --category 违规 --points -3
both admin "rule retire" OLD
both admin "name set" rule BAD 乱扔垃圾
both admin "village policy" V1 --star-points 20
both admin "village grades" V1 --from 2021-09-01 --grades AAA:20,AA:10,A:0 --households AAA:40,AA:20,A:0
both admin "village grades" V1 --from 2021-09-01 --grades AAA:10,AA:20
both admin "benefit add" BUS --name 免费乘公交 --partner 市交通集团 --min-grade AA --village V1
both admin "benefit add" OLD --name 旧礼遇 --partner 县文旅局 --min-grade A
both admin "benefit add" BAD --name 礼遇 --partner 县文旅局 --min-grade Z
both admin "benefit withdraw" OLD
both col "household add" H1 --village V1 --head 曲建国
both col "household add" H2 --village V1 --head 王秀英
both col "resident add" R1 --village V1 --household H1 --name 曲建国 --adult
both col "resident add" R2 --village V1 --household H2 --name 王秀英 --adult
both col "resident add" R3 --village V1 --household H2 --name 曲小雨 --minor
both col "resident update" R3 --household H1
both col "household head" H1 --resident R1
expect_eq "$LAST_RC" 0 "household head ran"

# --- points (collector, reviewer).
both col award R1 GOOD --on 2021-09-01
award=$(vl --ledger twin --json log | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["seq"])')
both col award 曲建国 GOOD --on 2021-09-02
# A resident named: the client shows the id the server resolved it to.
[[ "$REMOTE_ERR" == *"曲建国 → R1"* ]] && pass "the named resident's id shown" ||
  fail "no \"曲建国 → R1\" in: $REMOTE_ERR"
both col award R2 GOOD --points 5 --on 2021-09-03 --note 扫雪
both col deduct R2 FINE --on 2021-09-04
expect_eq "$LAST_RC" 0 "a deduction ran"
both col redeem R1 --points 2 --item 酱油 --shop CS01
seq=$(vl --ledger twin --json log | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["seq"])')
both col reverse "$seq" --reason 录错了
# The shop's shelf (collector of its village): items, restocks, redemptions
# at the shelf's price, refusals beyond the stock or at another price.
both col "shop item add" CS01 --item 洗衣液 --points 2 --stock 3
both col "shop restock" CS01 --item 洗衣液 --qty 1
both col redeem R1 --shop CS01 --item 洗衣液 --qty 2
both col redeem R1 --shop CS01 --item 洗衣液 --qty 3
both col redeem R1 --shop CS01 --item 洗衣液 --points 3
both col "shop restock" CS01 --item 米 --qty 1
both admin expire --village V2 --before 2021-01-01
# Refusals exit as locally: an unknown resident, another village's key.
both col award R9 GOOD
both col award R1 NOPE
# Review (a reviewer approves one pending entry and rejects another), a
# household's deduction, and a person's erasure.
last_seq() { vl --ledger twin --json log | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["seq"])'; }
both admin "village policy" V1 --review on
both col award R2 GOOD --on 2021-09-05
p1=$(last_seq)
both col award R2 GOOD --on 2021-09-06
p2=$(last_seq)
both rev review --approve "$p1" --reject "$p2:重复录入"
expect_eq "$LAST_RC" 0 "review ran"
both rev review --approve "$p2"  # reviewed already: refused
expect_eq "$LAST_RC" 3 "a second review is refused"
both admin "village policy" V1 --review off
both col deduct --household H1 FINE --on 2021-09-07
expect_eq "$LAST_RC" 0 "a household's deduction ran" || echo "    $(last_stderr)" >&2
both col "resident add" R4 --village V1 --household H2 --name 王小二 --adult
both admin "person erase" R4 --reason 本人申请删除
expect_eq "$LAST_RC" 0 "an erasure ran"

# --- funds (admin opens; treasurer moves money).
both admin "fund open" CH --name 关爱基金 --kind charity --village V1
both admin "fund open" CF --name 信用基金 --kind credit --village V1
both tre donate CH --amount 500 --anonymous --purpose edu
both tre donate CH --amount 100 --anonymous
both tre donate CF --amount 300 --anonymous
both tre disburse CH --to R1 --amount 100 --purpose edu --period 2021-09
both tre disburse CH --to 曲建国 --amount 50 --purpose edu --period 2021-09
both tre release CH --purpose edu --amount 10 --consent 同意
both tre "allowance add" CH --to R2 --amount 20 --from 2021-08 --until 2021-09
al=$(vl --ledger twin --json log | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["seq"])')
both tre "allowance run" --month 2021-09
expect_eq "$LAST_RC" 0 "allowances ran"
both tre "allowance stop" "$al"
both tre dividend CF --village V1 --period 2021Q3 --amount 100

# --- imports (csv and xlsx), each commit prepared, checked and signed.
both col import "$D/households.csv" --kind households --source hh
both col import "$D/residents.csv" --kind residents --source res --batch 2
both admin import "$D/rules.csv" --kind rules --source rules
both col import "$D/lo-awards.xlsx" --kind awards --source lo
expect_eq "$LAST_RC" 0 "the spreadsheet was imported"
# Resumed (a second run appends nothing, as locally).
both col import "$D/lo-awards.xlsx" --kind awards --source lo

# --- checkpoints, reports, proofs, archives signed with the client's key.
both admin checkpoint
both admin publish --village V1 --period 2021Q3 --out bulletin.html
both aud "objection file" --event "$award" --by 张桂兰 --text 分数记错了
obj=$(vl --ledger twin --json log | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["seq"])')
both admin "objection resolve" "$obj" --dismissed --answer 核实无误
size=$(vl --ledger twin --json log | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][-1]["seq"] + 1)')
both admin checkpoint --size "$size"
both admin prove 3 --out p.proof
both admin report bulletin --village V1 --period 2021Q3 --lang en --out r.html
both admin export a.vla --public
# A checkpoint of a key that may not sign one: refused as locally.
both col checkpoint

# --- the files were written where the client said, and check out.
for f in bulletin.html p.proof r.html a.vla; do
  [[ -s "rem/$f" ]] && pass "remote wrote $f" || fail "remote $f missing"
done
expect_exit 0 vl verify-proof rem/p.proof --pub admin.key.pub
# (signed: the report names residents, which an unsigned reader does not see)
expect_exit 0 vl --remote "$URL" --key admin.key verify-report rem/r.html
expect_exit 0 vl verify --archive rem/a.vla

# --- the two ledgers hold the same events.
expect_exit 0 vl --remote "$URL" --json log
remote_log=$(last_stdout)
expect_exit 0 vl --ledger twin --json log
expect_eq "$(normalize <<<"$remote_log")" "$(last_stdout | normalize)" \
  "remote log == local log (json, hashes and person references aside)"
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))' <<<"$remote_log")
[[ "$n" -ge 50 ]] && pass "the log holds $n events" || fail "only $n events"
expect_exit 0 vl --remote "$URL" --json summary --village V1 --month 2021-09
remote_doc=$(last_stdout)
expect_exit 0 vl --ledger twin --json summary --village V1 --month 2021-09
expect_eq "$remote_doc" "$(last_stdout)" "remote summary == local summary"

kill -TERM "$SERVER" 2>/dev/null
wait "$SERVER"
expect_eq "$?" 0 "server stopped by SIGTERM with exit 0"
expect_exit 0 vl verify
expect_exit 0 vl --ledger twin verify
finish
