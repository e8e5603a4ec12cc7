#!/usr/bin/env bash
# What a clerk recorded (issue 18, items 3 and 4): `log` filters (--today,
# --since, --until, --by KEY|me, --village, --resident, --kind) combined,
# its human lines (event names in both languages, residents' names only
# for a key that may see them, rule, points, note), `summary --month`
# figures against known entries, the one sentence each appending command
# answers with (English and Chinese), `history` notes, `rule list` points.
# Usage: log.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
C=(--key col.key)
C2=(--key col2.key)
T=(--key tre.key)
AU=(--key aud.key)
ZH=(env LANG=zh_CN.UTF-8)

# --------------------------------------------------- the ledger, 2021-09-28
export VLEDGER_NOW=2021-09-28T02:00:00Z
expect_exit 0 vl init --test-clock --name 日志测试 --admin-key-out admin.key
for k in col col2 tre aud; do vl key new --out $k.key >/dev/null; done
expect_exit 0 vl "${A[@]}" village add V1 --name 曲家村
expect_stdout_contains 'Registered village 曲家村 (V1) (seq 1)'
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
expect_exit 0 vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 --label 曲家村采集员
expect_stdout_contains 'Registered key '
expect_stdout_contains '(collector, 曲家村采集员)'
vl "${A[@]}" key register --pub col2.key.pub --role collector --village V2 >/dev/null
vl "${A[@]}" key register --pub tre.key.pub --role treasurer --village V1 >/dev/null
vl "${A[@]}" key register --pub aud.key.pub --role auditor >/dev/null
expect_exit 0 vl "${A[@]}" rule add VOL --category 志愿服务 --points 3 --desc 为老人义务理发
expect_stdout_contains 'Defined rule VOL (志愿服务: 为老人义务理发), 3 points (seq'
vl "${A[@]}" rule add ENV --category 环境整治 --points=-2 --desc 乱堆乱放 >/dev/null
expect_exit 0 vl "${C[@]}" household add H1 --village V1 --head 曲建国
expect_stdout_contains 'Registered household H1 in village V1, head 曲建国'
vl "${C2[@]}" household add H9 --village V2 --head 李大山 >/dev/null
expect_exit 0 vl "${C[@]}" resident add R001 --village V1 --household H1 --name 曲建国 --adult
expect_stdout_contains 'Registered resident 曲建国 (R001) in household H1, village V1'
vl "${C[@]}" resident add R002 --village V1 --household H1 --name 王秀英 --adult >/dev/null
vl "${C2[@]}" resident add R009 --village V2 --household H9 --name 李大山 --adult >/dev/null
expect_exit 0 vl "${A[@]}" fund open CH --name 关爱基金 --kind charity --village V1
expect_stdout_contains 'Opened fund 关爱基金 (CH)'

# ------------------------------------------------------------ 2021-09-29
export VLEDGER_NOW=2021-09-29T02:00:00Z
expect_exit 0 vl "${C[@]}" award R001 VOL --on 2021-09-20 --note 三次
expect_stdout_contains 'Awarded 3 points to 曲建国 (R001) (志愿服务: 为老人义务理发; note: 三次); credit score 3, spendable 3 (seq'
S_A1=$(vl "${C[@]}" --json award R001 VOL --on 2021-09-21 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
vl "${C[@]}" award R002 VOL --on 2021-08-31 >/dev/null
vl "${C2[@]}" award R009 VOL --on 2021-09-25 >/dev/null
expect_exit 0 vl "${C[@]}" deduct R002 ENV --on 2021-09-22
expect_stdout_contains 'Deducted 2 points from 王秀英 (R002) (环境整治: 乱堆乱放); credit score 1, spendable'

# ------------------------------------------------------------ 2021-09-30
export VLEDGER_NOW=2021-09-30T10:00:00Z
expect_exit 0 vl "${T[@]}" donate CH --amount 1000 --donor-org 荣成市慈善总会 --purpose edu
expect_stdout_contains 'Received a donation of 1000.00 yuan to fund 关爱基金 (CH) (edu), receipt CH-1; fund balance 1000.00 yuan'
expect_exit 0 vl "${T[@]}" disburse CH --to R001 --amount 300 --purpose edu --period 2021-09
expect_stdout_contains 'Paid 300.00 yuan from fund 关爱基金 (CH) to 曲建国 (R001) (edu); fund balance 700.00 yuan'
expect_exit 0 "${ZH[@]}" "$VLEDGER" "${C[@]}" award R001 VOL --on 2021-09-23
expect_stdout_contains '已为 曲建国（R001）加 3 分（志愿服务：为老人义务理发），信用分 9，可用积分 9（第'
expect_exit 0 "${ZH[@]}" "$VLEDGER" "${T[@]}" donate CH --amount 50 --purpose edu
expect_stdout_contains '已收到捐赠 50.00 元，入基金 关爱基金（CH）（edu），票据号 CH-2，基金余额 750.00 元（第'
expect_exit 0 "${ZH[@]}" "$VLEDGER" "${T[@]}" disburse CH --to R001 --amount 50 --purpose edu
expect_stdout_contains '已从基金 关爱基金（CH）向 曲建国（R001）支出 50.00 元（edu），基金余额 700.00 元（第'
# A reversal says what it reversed and the balances after it.
expect_exit 0 vl "${C[@]}" reverse "$S_A1" --reason 重复录入
expect_stdout_contains "Reversed seq $S_A1 (pointsAwarded, 曲建国 (R001)): 重复录入; credit score 6, spendable 6"
# A repeated request says it was recorded before; the head hash is in --json.
expect_exit 0 vl "${C[@]}" award R002 VOL --on 2021-09-24 --request-id rq1
S_RQ=$(vl "${C[@]}" --json award R002 VOL --on 2021-09-24 --request-id rq1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
expect_exit 0 vl "${C[@]}" award R002 VOL --on 2021-09-24 --request-id rq1
expect_stdout_contains "Already recorded (seq $S_RQ): nothing appended now"
expect_exit 0 vl "${C[@]}" --json award R002 VOL --on 2021-09-25
expect_json 'sorted(d)' '["hash", "last", "seq"]'

# --------------------------------------------------------------- log filters
expect_exit 0 vl --json log --kind award
expect_json 'len(d["events"])' 7
expect_json 'sorted(set(e["type"] for e in d["events"]))' '["pointsAwarded"]'
expect_exit 0 vl --json log --kind pointsAwarded
expect_json 'len(d["events"])' 7
expect_exit 0 vl --json log --kind award --since 2021-09-30
expect_json 'len(d["events"])' 3
expect_exit 0 vl --json log --kind award --until 2021-09-29
expect_json 'len(d["events"])' 4
expect_exit 0 vl --json log --today
expect_json 'all(e["recordedAt"] >= 1632931200000 for e in d["events"])' true
expect_json 'len(d["events"])' 8
expect_exit 0 vl --json log --since 2021-09-29 --until 2021-09-29
expect_json 'len(d["events"])' 5
expect_exit 0 vl "${C2[@]}" --json log --by me
expect_json '[e["body"].get("resident", e["body"].get("id")) for e in d["events"] if e["type"] in ("pointsAwarded", "residentRegistered")]' '["R009", "R009"]'
COL2=$(vl key list --json | python3 -c 'import json,sys; print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k["registeredSeq"] == 4][0])')
expect_exit 0 vl --json log --by "$COL2"
expect_json 'len(d["events"])' 3
expect_json 'all(e["keyId"] == "'"$COL2"'" for e in d["events"])' true
expect_exit 0 vl --json log --village V2
expect_json '[e["type"] for e in d["events"]]' '["villageRegistered", "keyRegistered", "householdRegistered", "residentRegistered", "pointsAwarded"]'
expect_exit 0 vl --json log --resident R002 --kind deduct
expect_json '[e["body"]["points"] for e in d["events"]]' '[-2]'
expect_exit 0 vl --json log --resident R001 --village V1 --kind reverse
expect_json '[e["body"]["target"] for e in d["events"]]' "[$S_A1]"
expect_exit 0 vl --json log --kind award --limit 2
expect_json 'len(d["events"])' 2
# Bad filters: exit 3 naming the option, or 2 for a malformed number.
expect_exit 3 vl log --kind bogus
expect_stderr_contains '--kind'
expect_exit 3 vl log --since 2021-13-01
expect_stderr_contains '--since'
expect_exit 3 vl log --village NOPE
expect_stderr_contains '--village'
expect_exit 3 vl log --resident R404
expect_stderr_contains '--resident'
expect_exit 3 vl log --by me
expect_stderr_contains '--by'
expect_exit 3 vl log --by 0000000000000000
expect_stderr_contains '--by'

# ----------------------------------------------------------- log, human lines
expect_exit 0 vl "${C[@]}" log --resident R001 --kind award
expect_stdout_contains 'pointsAwarded  曲建国 (R001)  志愿服务: 为老人义务理发  +3  三次'
# Without a key, with an auditor's key or a key of another village: no names.
expect_exit 0 vl log --resident R001 --kind award
expect_stdout_contains 'pointsAwarded  R001  志愿服务: 为老人义务理发  +3  三次'
expect_stdout_lacks '曲建国'
expect_exit 0 vl "${AU[@]}" log --resident R001
expect_stdout_lacks '曲建国'
expect_exit 0 vl "${C2[@]}" log --resident R001
expect_stdout_lacks '曲建国'
expect_exit 0 vl "${T[@]}" log --kind disburse
expect_stdout_contains 'fundDisbursed  曲建国 (R001)  300.00 yuan  关爱基金 (CH)  edu  2021-09'
# In Chinese, event names are Chinese.
expect_exit 0 "${ZH[@]}" "$VLEDGER" "${C[@]}" log --resident R001 --kind award
expect_stdout_contains '加分  曲建国（R001）  志愿服务：为老人义务理发  +3  三次'
expect_exit 0 "${ZH[@]}" "$VLEDGER" log --kind donate
expect_stdout_contains '捐赠'
expect_exit 0 "${ZH[@]}" "$VLEDGER" log --kind reverse
expect_stdout_contains '冲正'
expect_exit 0 "${ZH[@]}" "$VLEDGER" show 1
expect_stdout_contains '登记村'

# ------------------------------------------------------------------ summary
# September by the act's date: col awarded R001 3+3+3 (one reversed) and
# deducted R002 2, and R002 3+3 (2021-09-24, 25); col2 awarded R009 3; the
# award of 2021-08-31 is August's.
expect_exit 0 vl --json summary --month 2021-09
C1=$(vl key list --json | python3 -c 'import json,sys; print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k["registeredSeq"] == 3][0])')
expect_json '[(c["keyId"] == "'"$C1"'", c["label"], c["awards"], c["deductions"], c["reversed"]) for c in d["collectors"] if c["keyId"] == "'"$C1"'"]' \
  '[[true, "曲家村采集员", {"count": 4, "points": 12}, {"count": 1, "points": -2}, {"count": 1, "points": 3}]]'
expect_json '[c["awards"] for c in d["collectors"] if c["keyId"] == "'"$COL2"'"]' '[{"count": 1, "points": 3}]'
expect_json '[(c["category"], c["awards"]["points"], c["deductions"]["points"]) for c in d["categories"]]' \
  '[["志愿服务", 15, 0], ["环境整治", 0, -2]]'
expect_json 'd["total"]' '{"awards": {"count": 5, "points": 15}, "deductions": {"count": 1, "points": -2}, "reversed": {"count": 1, "points": 3}}'
expect_exit 0 vl --json summary --month 2021-09 --village V2
expect_json 'd["total"]["awards"]' '{"count": 1, "points": 3}'
expect_exit 0 vl --json summary --month 2021-08
expect_json 'd["total"]["awards"]' '{"count": 1, "points": 3}'
expect_exit 0 vl summary --month 2021-09
expect_stdout_contains '(曲家村采集员)  awards 4 (12 points)  deductions 1 (-2 points)  reversed 1 (3 points)'
expect_stdout_contains 'total  awards 5 (15 points)'
expect_exit 0 "${ZH[@]}" "$VLEDGER" summary --month 2021-09
expect_stdout_contains '合计  加分 5 条（15 分）'
expect_exit 3 vl summary --month 2021-9
expect_stderr_contains '--month'
expect_exit 2 vl summary

# ----------------------------------------------------- history, rule list
expect_exit 0 vl history R001
expect_stdout_contains '三次'
expect_exit 0 vl rule list
expect_stdout_contains 'VOL  *  志愿服务  3 points'
expect_stdout_contains 'ENV  *  环境整治  -2 points'
expect_exit 0 "${ZH[@]}" "$VLEDGER" rule list
expect_stdout_contains 'VOL  *  志愿服务  3 分'

# In a village that reviews entries, an award waits: no balances yet.
vl "${A[@]}" village policy V2 --review on >/dev/null
expect_exit 0 vl "${C2[@]}" award R009 VOL --on 2021-09-26
expect_stdout_contains 'Awarded 3 points to 李大山 (R009) (志愿服务: 为老人义务理发), pending review (seq'
expect_exit 0 "${ZH[@]}" "$VLEDGER" "${C2[@]}" log --kind award --village V2
expect_stdout_contains '李大山（R009）  志愿服务：为老人义务理发  +3  待审核'

expect_exit 0 vl verify
finish
