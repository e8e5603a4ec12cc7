#!/usr/bin/env bash
# Scenario test for public reports and objections (issue 6), driving the
# real binary: report in every format, byte-identical across runs, after
# `rebuild` and in a restored backup; privacy (no ID-card number, no
# minor's name, no name of a donor who did not consent, masked
# beneficiaries); publish and verify-report (a tampered section named, an
# erasure told apart); corrections since the last bulletin; the question
# ledger (file, list, overdue, resolve) and disputed entries.
# Usage: report.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

sha() { sha256sum "$1" | cut -d' ' -f1; }
A=(--key admin.key)
C=(--key col.key)

# ----------------------------------------------------------------- setup
expect_exit 0 vl init --test-clock --name 报告测试 --admin-key-out admin.key
for k in col rev tre aud col2 rev2; do vl key new --out $k.key >/dev/null; done
vl "${A[@]}" village add V1 --name 甲夼曲家村 >/dev/null
vl "${A[@]}" village add V2 --name 邻村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub rev.key.pub --role reviewer --village V1 >/dev/null
vl "${A[@]}" key register --pub tre.key.pub --role treasurer --village V1 >/dev/null
vl "${A[@]}" key register --pub aud.key.pub --role auditor >/dev/null
vl "${A[@]}" key register --pub col2.key.pub --role collector --village V2 >/dev/null
vl "${A[@]}" key register --pub rev2.key.pub --role reviewer --village V2 >/dev/null
vl "${C[@]}" household add H1 --village V1 --head 曲建国 >/dev/null
vl "${C[@]}" household add H2 --village V1 --head 王秀英 >/dev/null
vl "${C[@]}" resident add R1 --village V1 --household H1 --name 曲建国 --id-card 370682195001011232 --phone 13812341234 >/dev/null
vl "${C[@]}" resident add R2 --village V1 --household H2 --name 王秀英 --adult >/dev/null
vl "${C[@]}" resident add R3 --village V1 --household H1 --name 曲子涵 --minor >/dev/null
vl "${C[@]}" resident add R4 --village V1 --household H2 --name 欧阳明月 --adult >/dev/null
vl "${C[@]}" household head H1 --resident R1 >/dev/null
vl "${C[@]}" household head H2 --resident R2 >/dev/null
vl "${A[@]}" rule add VOL --category 志愿服务 --points 5 --min 1 --max 50 --desc 义务理发 >/dev/null
vl "${A[@]}" rule add LITTER --category 环境整治 --points -10 >/dev/null
R1_SEQ=$(vl --json "${C[@]}" award R1 VOL --points 25 --on 2021-08-03 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
vl "${C[@]}" award R2 VOL --points 10 --on 2021-08-05 >/dev/null
vl "${C[@]}" award R3 VOL --points 45 --on 2021-08-06 >/dev/null
vl "${C[@]}" deduct R2 LITTER --on 2021-09-01 >/dev/null
AWARD_SEQ=$(vl --json "${C[@]}" award R2 VOL --points 40 --on 2021-09-02 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
FUND_SEQ=$(vl --json "${A[@]}" fund open CF --name 曲家村慈善基金 --kind charity --village V1 --list-beneficiaries masked | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
T=(--key tre.key)
vl "${T[@]}" donate CF --amount 100 --donor 张三丰 >/dev/null
vl "${T[@]}" donate CF --amount 200 --donor 李四光 --public-name >/dev/null
vl "${T[@]}" donate CF --amount 500 --donor-org 荣成市慈善总会 >/dev/null
vl "${T[@]}" donate CF --amount 50 --anonymous >/dev/null
vl "${T[@]}" disburse CF --to R4 --amount 120 >/dev/null
vl "${T[@]}" disburse CF --to R3 --amount 60 >/dev/null

# No checkpoint stored and no key: nothing to compute at.
expect_exit 3 vl report bulletin --village V1 --period 2021Q3
expect_stderr_contains "checkpoint"
# A bad kind, format or period is input rejected.
expect_exit 3 vl "${A[@]}" report weekly --village V1 --period 2021Q3
expect_exit 3 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format pdf
expect_exit 3 vl "${A[@]}" report bulletin --village V1 --period 2021-13
expect_exit 3 vl "${A[@]}" report bulletin --village NOPE --period 2021Q3

# ------------------------------------------------------ formats, bytes
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --out b1.html
N=$(ledger_size ./vledger-data)
for f in html md csv json; do
  expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format $f --out a.$f
  expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format $f --out b.$f
  expect_eq "$(sha a.$f)" "$(sha b.$f)" "$f: two runs give the same bytes"
  expect_eq "$(grep -c "vledger-report village=V1 period=2021Q3 kind=bulletin format=$f lang=zh size=$N" a.$f)" 1 \
    "$f: the footer line appears once"
done
expect_eq "$(sha a.html)" "$(sha b1.html)" "no key (stored checkpoint) equals the signed one"
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format html
expect_eq "$(last_stdout | sha256sum | cut -d' ' -f1)" "$(sha a.html)" "stdout equals --out"
expect_exit 0 python3 -c '
import json, sys
d = json.load(open("a.json", encoding="utf-8"))
assert d["footer"].startswith("vledger-report village=V1"), d["footer"]
assert d["checkpoint"].split("\n")[1] == sys.argv[1], d["checkpoint"]
assert [r["id"] for r in d["rankingResidents"]] == ["R2", "R1"], d["rankingResidents"]
assert d["rankingResidents"][0]["points"] == 40 and d["rankingResidents"][0]["stars"] == 2
assert d["rankingResidents"][0]["redFlag"] is True and d["rankingResidents"][1]["redFlag"] is False
assert d["summary"]["minorPoints"] == 45 and d["summary"]["totalPoints"] == 110
f = d["funds"][0]
assert f["incomeFen"] == 85000 and f["paymentsFen"] == 18000 and f["carriedFen"] == 67000, f
assert f["minorPayments"] == 1 and f["minorFen"] == 6000, f
' "$N"
tail -c 200 a.csv | grep "^footer,vledger-report" >/dev/null && pass "csv: footer is the last row" || fail "csv footer row"
expect_exit 0 vl report points --village V1 --period 2021Q3 --format md --lang en --out en.md
grep -q "Ranking by resident" en.md && pass "--lang en labels" || fail "--lang en labels"
expect_exit 0 vl report funds --village V1 --period 2021Q3 --format csv --out funds.csv

# ---------------------------------------------------------------- privacy
for f in a.html a.md a.csv a.json en.md funds.csv; do
  for secret in 370682195001011232 曲子涵 张三丰 欧阳明月 13812341234; do
    if grep -qF "$secret" $f; then fail "$f contains $secret"; else pass "$f lacks $secret"; fi
  done
done
grep -qF "李四光" a.html && pass "a consenting donor is named" || fail "consenting donor missing"
grep -qF "爱心人士" a.html && pass "others are 爱心人士" || fail "爱心人士 missing"
grep -qF "欧*月" a.html && pass "beneficiary masked" || fail "masked beneficiary missing"
grep -qF "荣成市慈善总会" a.md && pass "organisations are named" || fail "org missing"
grep -qE "<script|<link|src=|url\(" a.html && fail "html has external assets" || pass "html is self-contained"
grep -qF "<svg" a.html && pass "html has inline svg" || fail "no svg"

# ----------------------------------------------------- --at, rebuild, restore
expect_exit 3 vl report bulletin --village V1 --period 2021Q3 --at 5
expect_stderr_contains "no checkpoint is stored at size 5"
expect_exit 0 vl rebuild
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --at "$N" --out rebuilt.html
expect_eq "$(sha rebuilt.html)" "$(sha a.html)" "same bytes after rebuild"
expect_exit 0 vl backup bk
expect_exit 0 vl --ledger restored restore bk
expect_exit 0 vl --ledger restored report bulletin --village V1 --period 2021Q3 --at "$N" --format json --out restored.json
expect_eq "$(sha restored.json)" "$(sha a.json)" "same bytes in a restored ledger"
# A ledger rebuilt from its full archive gives the same bytes in every
# format; one from the public archive has no names, so its bulletin differs.
expect_exit 0 vl export full.vlar --full
expect_exit 0 vl export public.vlar --public
expect_exit 0 vl --ledger from-archive --json restore full.vlar
expect_json 'd["events"]' "$N"
expect_json 'd["verified"]' true
for f in html md csv json; do
  expect_exit 0 vl --ledger from-archive report bulletin --village V1 --period 2021Q3 --at "$N" \
    --format $f --out arch.$f
  expect_eq "$(sha arch.$f)" "$(sha a.$f)" "$f: same bytes in a ledger restored from its archive"
done
expect_exit 0 vl --ledger from-archive verify
expect_exit 0 vl --ledger from-public restore public.vlar
expect_stderr_contains "no person records"
expect_exit 0 vl --ledger from-public report bulletin --village V1 --period 2021Q3 --format md \
  --out public.md
grep -qF "曲建国" public.md && fail "names in a bulletin from the public archive" ||
  pass "no names from the public archive"
# A damaged archive restores nothing; nor does one into an existing folder.
head -c -40 full.vlar >cut.vlar
expect_exit 1 vl --ledger from-cut restore cut.vlar
expect_stderr_contains "nothing was restored"
[[ ! -e from-cut ]] && pass "no folder left by a failed restore" || fail "from-cut left behind"
expect_exit 3 vl --ledger from-archive restore full.vlar
expect_stderr_contains "already exists"

# ------------------------------------------------------ publish, verify-report
expect_rejected_unchanged 3 vl "${T[@]}" publish --village V1 --period 2021Q3 --out t.html
expect_exit 0 vl --json "${C[@]}" publish --village V1 --period 2021Q3 --out pub1.html
expect_json 'd["sha256"]' "$(sha pub1.html)"
expect_json 'd["size"]' "$N"
expect_json 'd["windowEnd"]' "2021-10-11"
PUB1_SHA=$(sha pub1.html)
expect_eq "$(sha pub1.html)" "$(sha a.html)" "publish writes the same report"
expect_exit 0 vl log --from $N --json
expect_json 'd["events"][0]["type"]' "disclosurePublished"
expect_exit 0 vl verify-report pub1.html
expect_stdout_contains "published at seq $N"
for f in a.md a.csv a.json; do expect_exit 0 vl verify-report $f; done
sed 's/王秀英/王秀美/' pub1.html >tampered.html
expect_exit 1 vl verify-report tampered.html
expect_stderr_contains "ranking-residents"
sed 's/"totalPoints":110/"totalPoints":111/' a.json >tampered.json
expect_exit 1 vl verify-report tampered.json
expect_stderr_contains "section summary"
sed 's/^funds,CF,income,,,,85000/funds,CF,income,,,,85001/' a.csv >tampered.csv
expect_exit 1 vl verify-report tampered.csv
expect_stderr_contains "section funds"
echo "not a report" >junk.txt
expect_exit 1 vl verify-report junk.txt

# ------------------------------------------------- corrections, objections
expect_exit 0 vl --json --key aud.key objection file --event "$R1_SEQ" --by R1 --text 积分有误
OBJ1=$(json_get 'd["seq"]')
expect_exit 0 vl --json "${C[@]}" objection file --event "$AWARD_SEQ" --by R2 --text 积分被撤销 --due 2021-10-08
OBJ2=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl --key col2.key objection file --event "$R1_SEQ" --by R1 --text 越权
expect_rejected_unchanged 3 vl --key aud.key objection file --event 99999 --by R1 --text 无此记录
expect_rejected_unchanged 3 vl --key aud.key objection file --report 00112233 --by R1 --text 坏哈希
# Not about the genesis; a reply due neither before the filing date
# (2021-09-30) nor past 365 working days after it.
expect_rejected_unchanged 3 vl --key aud.key objection file --event 0 --by R1 --text 创世
expect_stderr_contains "--event: seq 0 is the genesis"
expect_rejected_unchanged 3 vl --key aud.key objection file --event "$R1_SEQ" --by R1 --text 早 --due 2021-09-29
expect_stderr_contains "--due: 2021-09-29 is before the filing date 2021-09-30"
expect_rejected_unchanged 3 vl --key aud.key objection file --event "$R1_SEQ" --by R1 --text 晚 --due 2023-02-24
expect_stderr_contains "--due: 2023-02-24 is more than 365 working days after the filing date (at most 2023-02-23)"
# A report by the short id the bulletin prints (16 hex digits, any case);
# one that starts no published report's SHA-256 is refused.
expect_rejected_unchanged 3 vl --key aud.key objection file --report 0000000000000000 --by R4 --text 无此公示
expect_stderr_contains "--report: no published report's SHA-256 starts with 0000000000000000"
expect_rejected_unchanged 3 vl --key aud.key objection file --report "${PUB1_SHA:0:15}" --by R4 --text 太短
expect_exit 0 vl --json --key aud.key objection file --report "$(echo "${PUB1_SHA:0:16}" | tr a-f A-F)" \
  --by R4 --text 公示有误
OBJ3=$(json_get 'd["seq"]')
expect_exit 0 vl --json objection list
expect_json 'len(d["objections"])' 3
expect_json 'd["objections"][0]["status"]' "open"
expect_json 'd["objections"][0]["replyDue"]' "2021-10-11"
expect_json 'd["objections"][0]["about"]' "$R1_SEQ"
expect_json 'd["objections"][2]["about"]' "$PUB1_SHA"
VLEDGER_NOW=2021-10-09T10:00:00Z run vl --json objection list --overdue
expect_json '[o["seq"] for o in d["objections"]]' "[$OBJ2]"
# The correction OBJ2 leads to.
REV=$(vl --json "${C[@]}" reverse "$AWARD_SEQ" --reason 重复录入 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
# Only a reviewer, an auditor or an admin of the village closes (销号) an
# objection: not a collector or a treasurer, nor another village's reviewer.
expect_rejected_unchanged 3 vl "${C[@]}" objection resolve "$OBJ1" --dismissed --answer 核实无误
expect_stderr_contains "role collector"
expect_rejected_unchanged 3 vl "${T[@]}" objection resolve "$OBJ1" --dismissed --answer 核实无误
expect_stderr_contains "role treasurer"
expect_rejected_unchanged 3 vl --key rev2.key objection resolve "$OBJ1" --dismissed --answer 核实无误
expect_stderr_contains "outside its village scope"
expect_rejected_unchanged 3 vl --key rev.key objection resolve "$OBJ1" --answer 缺少结论
# Upheld, it cites the correction it led to: a reversal of the disputed
# entry recorded after the objection — not one of another entry, not an
# event that reverses nothing.
expect_rejected_unchanged 3 vl --key rev.key objection resolve "$OBJ1" --upheld --answer 已更正 --reversal "$REV"
expect_stderr_contains "--reversal: seq $REV reverses seq $AWARD_SEQ, not the disputed seq $R1_SEQ"
expect_rejected_unchanged 3 vl --key rev.key objection resolve "$OBJ2" --upheld --answer 已更正 --reversal "$OBJ3"
expect_stderr_contains "--reversal: seq $OBJ3 is objectionFiled"
expect_exit 0 vl --key rev.key objection resolve "$OBJ2" --upheld --answer 已更正 --reversal "$REV"
expect_rejected_unchanged 3 vl --key rev.key objection resolve "$OBJ2" --dismissed --answer 再次
expect_exit 0 vl --json objection list --open
expect_json 'len(d["objections"])' 2
expect_exit 0 vl --json objection list --village V1
expect_json 'd["objections"][1]["outcome"]' "upheld"

expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format json --out c.json
expect_exit 0 python3 -c '
import json
d = json.load(open("c.json", encoding="utf-8"))
c = d["corrections"]
assert len(c) == 1 and c[0]["reason"] == "重复录入" and c[0]["type"] == "pointsAwarded", c
o = {x["seq"]: x for x in d["objections"]}
assert len(o) == 3, o
r1 = [r for r in d["rankingResidents"] if r["id"] == "R1"][0]
assert r1["disputed"] is True, r1
assert "R2" not in [r["id"] for r in d["rankingResidents"]], d["rankingResidents"]
'
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format html --out c.html
grep -qF "有异议" c.html && pass "disputed shown" || fail "disputed not shown"
grep -qF "更正说明" c.html && grep -qF "重复录入" c.html && pass "correction listed" || fail "correction missing"

# The key that recorded the disputed entry does not close the objection,
# even an admin's; another key of the village does.
expect_exit 0 vl --json --key aud.key objection file --event "$FUND_SEQ" --by R4 --text 基金设立有误
OBJ4=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl "${A[@]}" objection resolve "$OBJ4" --dismissed --answer 经核实无误
expect_stderr_contains "recorded what seq $OBJ4 disputes and may not resolve it"
expect_exit 0 vl --key aud.key objection resolve "$OBJ4" --dismissed --answer 经核实无误
# A reversal recorded before the objection is not the correction it led to.
expect_exit 0 vl --json --key aud.key objection file --event "$AWARD_SEQ" --by R2 --text 再议
OBJ5=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl --key rev.key objection resolve "$OBJ5" --upheld --answer 已更正 --reversal "$REV"
expect_stderr_contains "--reversal: seq $REV was recorded before the objection (seq $OBJ5)"
expect_exit 0 vl --key rev.key objection resolve "$OBJ5" --dismissed --answer 已于前次更正

# The next period's bulletin lists only corrections since this one was
# published; this period's, published again in any format, lists the same
# corrections as before (issue 20, item 5).
expect_exit 0 vl --json "${C[@]}" publish --village V1 --period 2021Q3 --format json --out pub2.json
PUB2_SEQ=$(json_get 'd["seq"]')
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q4 --format json --out d.json
expect_eq "$(python3 -c 'import json; print(len(json.load(open("d.json"))["corrections"]))')" 0 \
  "corrections start again after a publication"
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format json --out d3.json
expect_eq "$(python3 -c 'import json; print(len(json.load(open("d3.json"))["corrections"]))')" \
  "$(python3 -c 'import json; print(len(json.load(open("pub2.json"))["corrections"]))')" \
  "the same period republished lists the same corrections"
# An objection about a report is upheld by a later publication of the same
# village, period and kind (or a reversal of an entry the report counts),
# not by one of another kind.
expect_exit 0 vl --json "${C[@]}" publish --village V1 --period 2021Q3 --kind funds --format json \
  --out pub3.json
PUB3_SEQ=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl --key aud.key objection resolve "$OBJ3" --upheld --answer 已重新公示 \
  --reversal "$PUB3_SEQ"
expect_stderr_contains "--reversal: seq $PUB3_SEQ publishes funds V1 2021Q3, not the disputed report's bulletin V1 2021Q3"
expect_exit 0 vl --key aud.key objection resolve "$OBJ3" --upheld --answer 已重新公示 --reversal "$PUB2_SEQ"

# ----------------------------------------------------------- erasure
expect_exit 0 vl "${C[@]}" person erase R1 --reason 本人申请
expect_exit 1 vl verify-report pub1.html
expect_stderr_contains "person erased at seq"
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --out e.html
grep -qF "已删除" e.html && pass "an erased person shows as 已删除" || fail "已删除 missing"
expect_exit 0 vl verify-report e.html
expect_exit 0 vl verify

# ------------------------------------- corrections an objection may cite
seq_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])'; }
# About a report: a reversal, after the objection, of an entry it counts.
expect_exit 0 vl --json --key aud.key objection file --report "$(sha pub2.json | cut -c1-16)" \
  --by R2 --text 公示有误
OBJ6=$(json_get 'd["seq"]')
REV2=$(vl --json "${C[@]}" reverse "$R1_SEQ" --reason 核实有误 | seq_of)
expect_exit 0 vl --key aud.key objection resolve "$OBJ6" --upheld --answer 已更正 --reversal "$REV2"
# About an entry still pending review: the review that rejected it — not
# one that approved another entry.
expect_exit 0 vl "${A[@]}" village policy V1 --review on
PENDING1=$(vl --json "${C[@]}" award R4 VOL --points 5 --on 2021-09-20 | seq_of)
PENDING2=$(vl --json "${C[@]}" award R2 VOL --points 5 --on 2021-09-21 | seq_of)
expect_exit 0 vl --json --key aud.key objection file --event "$PENDING1" --by R4 --text 未参加
OBJ7=$(json_get 'd["seq"]')
APPROVAL=$(vl --json --key rev.key review --approve "$PENDING2" | seq_of)
REJECTION=$(vl --json --key rev.key review --reject "$PENDING1:不实" | seq_of)
expect_rejected_unchanged 3 vl --key aud.key objection resolve "$OBJ7" --upheld --answer 已驳回 \
  --reversal "$APPROVAL"
expect_stderr_contains "--reversal: seq $APPROVAL is a review that did not reject the disputed seq $PENDING1"
expect_exit 0 vl --key aud.key objection resolve "$OBJ7" --upheld --answer 已驳回 --reversal "$REJECTION"
expect_exit 0 vl verify
finish
