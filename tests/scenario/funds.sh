#!/usr/bin/env bash
# Scenario: credit and charity funds through the real binary — fund open,
# donate (receipts, donors, purposes), disburse, release, dividend,
# allowances (repeated and interleaved runs, shortfalls), balance,
# statement (by recording date, and --for), donor, reversals — and every
# rejection: exit 3, nothing appended, one error line naming the field;
# among them the safeguards of issue #16: a purpose the fund never held, a
# repeated dividend (--again), departed and deceased residents skipped by
# dividends, allowance months after the clock's (--advance).
source "$(dirname "$0")/lib.sh"
setup
export VLEDGER_DIR="$WORK/ledger"

# `reverse` warns that its reason is public before it validates, so its
# rejections print two stderr lines: check exit 3, the unchanged ledger
# and the error line.
expect_reverse_refused() {
  local before after
  before=$(ledger_snapshot "$VLEDGER_DIR")
  expect_exit 3 vl "$@" || return 1
  after=$(ledger_snapshot "$VLEDGER_DIR")
  expect_eq "$after" "$before" "refused reversal left the ledger unchanged"
  expect_stderr_contains 'vledger: error: target'
}

A=(--key admin.key)
T=(--key tre.key)
T2=(--key tre2.key)
C=(--key col.key)

# ------------------------------------------------------------ the village
expect_exit 0 vl init --test-clock --name 测试账本 --admin-key-out admin.key
expect_exit 0 vl "${A[@]}" village add V1 --name 甲夼曲家村
expect_exit 0 vl "${A[@]}" village add V2 --name 乙村
for k in tre col tre2; do expect_exit 0 vl key new --out $k.key; done
expect_exit 0 vl "${A[@]}" key register --pub tre.key.pub --role treasurer --village V1
expect_exit 0 vl "${A[@]}" key register --pub tre2.key.pub --role treasurer --village V2
expect_exit 0 vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 --village V2
expect_exit 0 vl "${C[@]}" household add H1 --village V1 --head 曲建国
expect_exit 0 vl "${C[@]}" household add H2 --village V1 --head 曲建军
expect_exit 0 vl "${C[@]}" household add H9 --village V2 --head 李大山
expect_exit 0 vl "${C[@]}" resident add R1 --village V1 --household H1 --name 曲建国 --adult
expect_exit 0 vl "${C[@]}" resident add R2 --village V1 --household H2 --name 曲建军 --adult
expect_exit 0 vl "${C[@]}" resident add R3 --village V1 --household H2 --name 曲小雨 --minor
expect_exit 0 vl "${C[@]}" resident add R4 --village V1 --household H1 --name 王秀英 --adult
expect_exit 0 vl "${C[@]}" resident add R9 --village V2 --household H9 --name 李大山 --adult
expect_exit 0 vl "${A[@]}" rule add AW --category 志愿服务 --points 10
expect_exit 0 vl "${A[@]}" rule add DE --category 环境整治 --points=-5
# 2021Q3 points: R1 10, R2 20, R3 10-5 = 5, R4 10-10 = 0 (gets nothing).
expect_exit 0 vl "${C[@]}" award R1 AW --on 2021-07-05
expect_exit 0 vl "${C[@]}" award R2 AW --on 2021-07-06
expect_exit 0 vl "${C[@]}" award R2 AW --on 2021-08-06
expect_exit 0 vl "${C[@]}" award R3 AW --on 2021-08-01
expect_exit 0 vl "${C[@]}" deduct R3 DE --on 2021-08-02
expect_exit 0 vl "${C[@]}" award R4 AW --on 2021-08-03
expect_exit 0 vl "${C[@]}" deduct R4 DE --on 2021-08-04
expect_exit 0 vl "${C[@]}" deduct R4 DE --on 2021-08-05
# R5 departed and R6 died after earning points in 2021Q3: dividends skip
# them, as allowances do, and their points are not in P.
expect_exit 0 vl "${C[@]}" resident add R5 --village V1 --household H1 --name 曲建民
expect_exit 0 vl "${C[@]}" resident add R6 --village V1 --household H2 --name 曲老汉
expect_exit 0 vl "${C[@]}" award R5 AW --on 2021-07-07
expect_exit 0 vl "${C[@]}" award R6 AW --on 2021-07-08
expect_exit 0 vl "${C[@]}" resident update R5 --status departed
expect_exit 0 vl "${C[@]}" resident update R6 --status deceased

# ------------------------------------------------------------- fund open
expect_exit 0 vl "${A[@]}" fund open CF --name 曲家村信用基金 --kind credit --village V1
expect_exit 0 vl "${A[@]}" fund open CH --name 困境儿童关爱基金 --kind charity --village V1 \
  --list-beneficiaries masked
expect_rejected_unchanged 3 vl "${T[@]}" fund open X1 --name 财务自开 --kind charity --village V1
expect_rejected_unchanged 3 vl "${A[@]}" fund open CF --name 重复 --kind credit
expect_stderr_contains code
expect_rejected_unchanged 3 vl "${A[@]}" fund open X2 --name 坏 --kind loan
expect_stderr_contains kind
expect_rejected_unchanged 3 vl "${A[@]}" fund open X3 --name 坏 --kind charity --village NOPE
expect_stderr_contains village
expect_rejected_unchanged 3 vl "${A[@]}" fund open X4 --name 坏 --kind charity --list-beneficiaries all
expect_exit 0 vl --json fund list
expect_json 'len(d["funds"])' 2

# ---------------------------------------------------------------- donate
expect_exit 0 vl "${T[@]}" --json donate CH --amount 500 --donor 张三 --public-name --purpose edu
expect_json 'd["receipt"]' CH-1
expect_json 'sorted(d)' '["hash", "last", "receipt", "seq"]'
expect_exit 0 vl "${T[@]}" --json donate CH --amount 200 --anonymous
expect_json 'd["receipt"]' CH-2
expect_exit 0 vl "${T[@]}" --json donate CH --amount 1000 --donor-org 荣成市慈善总会
expect_json 'd["receipt"]' CH-3
expect_exit 0 vl "${T[@]}" --json donate CH --amount 0.1 --receipt PAPER-0007
expect_json 'd["receipt"]' PAPER-0007
expect_exit 0 vl "${T[@]}" donate CH --amount 9.9 --donor 王五
expect_stdout_contains 'receipt CH-4'
# 500 edu; 200 + 1000 + 0.10 + 9.90 = 1210 unrestricted.
expect_exit 0 vl --json balance --fund CH
expect_json 'd' '{"balanceFen": 171000, "fund": "CH", "purposes": {"": 121000, "edu": 50000}}'
expect_json 'list(d["purposes"])' '["edu", ""]'

expect_rejected_unchanged 3 vl "${T[@]}" donate CH --amount 5 --receipt PAPER-0007
expect_stderr_contains receipt
expect_rejected_unchanged 3 vl "${T[@]}" donate CH --amount 5 --receipt CH-2
expect_stderr_contains receipt
expect_rejected_unchanged 3 vl "${T[@]}" donate CH --amount 5 --receipt CH-9
expect_stderr_contains 'CH-5'
expect_rejected_unchanged 3 vl "${T[@]}" donate NOFUND --amount 5
expect_stderr_contains FUND
expect_rejected_unchanged 3 vl "${T[@]}" donate CH --amount 5 --donor 张三 --anonymous
expect_rejected_unchanged 3 vl "${T[@]}" donate CH --amount 5 --donor-org 某公司 --public-name
expect_rejected_unchanged 3 vl "${T2[@]}" donate CH --amount 5
expect_stderr_contains scope
for bad in 1.234 -5 1e3 5,000 0 0.00 05 .5 5. 92233720368547758.08 99999999999999999999; do
  expect_rejected_unchanged 3 vl "${T[@]}" donate CH --amount="$bad"
  expect_stderr_contains amount
done
# The next automatic receipt is still CH-5: rejections used no number.
expect_exit 0 vl "${T[@]}" --json donate CH --amount 1
expect_json 'd["receipt"]' CH-5

# -------------------------------------------------------------- disburse
# 600 for edu: the 500 restricted to edu first, then 100 unrestricted.
expect_exit 0 vl "${T[@]}" --json disburse CH --to R1 --amount 600 --purpose edu --period 2021-09
DISB=$(json_get 'd["seq"]')
expect_exit 0 vl --json balance --fund CH
expect_json 'd["purposes"]' '{"": 111100, "edu": 0}'
expect_exit 0 vl "${T[@]}" disburse CH --to H1 --amount 100
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to R2 --amount 1011.01
expect_stderr_contains amount
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to R2 --amount 1 --purpose edu --period 2021-13
expect_stderr_contains period
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to NOBODY --amount 1
expect_stderr_contains to
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to R9 --amount 1
expect_stderr_contains V2
expect_rejected_unchanged 3 vl "${T[@]}" disburse NOFUND --to R1 --amount 1
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to R1 --amount 1.001
# A purpose the fund never held (a typo of edu) is refused rather than
# drawing on unrestricted money; so is an allowance for one.
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to R2 --amount 1 --purpose EDUU
expect_stderr_contains '--purpose'
expect_stderr_contains '"EDUU"'
expect_rejected_unchanged 3 vl "${T[@]}" allowance add CH --to R3 --amount 5 --from 2021-08 \
  --purpose EDUU
expect_stderr_contains '--purpose'
# Unrestricted money only, and never below zero.
expect_exit 0 vl "${T[@]}" disburse CH --to R2 --amount 1010
expect_exit 0 vl --json balance --fund CH
expect_json 'd["balanceFen"]' 100
expect_rejected_unchanged 3 vl "${T[@]}" disburse CH --to R2 --amount 1.01
expect_stderr_contains amount

# --------------------------------------------------------------- release
expect_exit 0 vl "${T[@]}" donate CH --amount 300 --donor 张三 --purpose edu
expect_rejected_unchanged 3 vl "${T[@]}" release CH --purpose edu --amount 300.01 --consent 同意
expect_stderr_contains amount
expect_rejected_unchanged 3 vl "${T[@]}" release CH --purpose nothing --amount 1 --consent 同意
expect_exit 0 vl "${T[@]}" release CH --purpose edu --amount 100 --consent '捐赠人书面同意 2021-09-30'
expect_exit 0 vl --json balance --fund CH
expect_json 'd["purposes"]' '{"": 10100, "edu": 20000}'
# Reversing the first edu gift (500) would take edu (200) below zero.
expect_exit 0 vl --json log
GIFT1=$(json_get '[e["seq"] for e in d["events"] if e["type"]=="donationReceived"][0]')
expect_reverse_refused "${T[@]}" reverse "$GIFT1" --reason 录入错误
expect_stderr_contains 'below zero'

# ----------------------------------------------------------------- donor
expect_exit 0 vl --json donor 张三
expect_json 'len(d["gifts"])' 2
expect_json 'd["gifts"][0]["receipt"]' CH-1
expect_json 'd["gifts"][0]["uses"]' "[{\"amountFen\": 50000, \"date\": \"2021-09-30\", \"seq\": $DISB, \"to\": \"R1\", \"type\": \"payment\"}]"
expect_json 'd["gifts"][0]["unspentFen"]' 0
expect_json '[u["type"] for u in d["gifts"][1]["uses"]]' '["release"]'
expect_json 'd["gifts"][1]["unspentFen"]' 20000
expect_exit 0 vl --json donor 荣成市慈善总会
expect_json 'd["gifts"][0]["purpose"]' ''
expect_rejected_unchanged 3 vl donor 无名氏

# -------------------------------------------------------------- dividend
expect_exit 0 vl "${T[@]}" donate CF --amount 150
expect_exit 0 vl "${T[@]}" --json dividend CF --village V1 --period 2021Q3 --amount 100
# T = 10000 fen, p = 10, 20, 5 (P = 35): floors 2857, 5714, 1428; remainders
# 5, 10, 20: the one fen left goes to R3. R4 (0 points) gets nothing.
expect_json 'd["payments"]' '[{"amountFen": 2857, "to": "R1"}, {"amountFen": 5714, "to": "R2"}, {"amountFen": 1429, "to": "R3"}]'
expect_json 'd["skipped"]' '["R5", "R6"]'
expect_json 'd["last"] - d["seq"]' 3
DIV=$(json_get 'd["seq"]')
# A second dividend for the fund, village and period (a repeated command)
# is refused, naming the first, unless --again.
expect_rejected_unchanged 3 vl "${T[@]}" dividend CF --village V1 --period 2021Q3 --amount 1
expect_stderr_contains "at seq $DIV"
expect_stderr_contains '--again'
expect_exit 0 vl --json balance --fund CF
expect_json 'd["balanceFen"]' 5000
expect_rejected_unchanged 3 vl "${T[@]}" dividend CF --village V1 --period 2020Q1 --amount 1
expect_stderr_contains period
expect_rejected_unchanged 3 vl "${T[@]}" dividend CF --village V1 --period 2021Q3 --amount 50.01
expect_stderr_contains amount
expect_rejected_unchanged 3 vl "${T[@]}" dividend CH --village V1 --period 2021Q3 --amount 1
expect_rejected_unchanged 3 vl "${T[@]}" dividend CF --village V2 --period 2021Q3 --amount 1
expect_rejected_unchanged 3 vl "${T[@]}" dividend CF --village V1 --period 2021Q3 --amount 1e2
# A dividend's payments cannot be reversed alone; the dividend is reversed whole.
expect_reverse_refused "${T[@]}" reverse $((DIV + 1)) --reason 单笔
expect_stderr_contains "$DIV"
expect_exit 0 vl "${T[@]}" reverse "$DIV" --reason 期间错误
expect_exit 0 vl --json balance --fund CF
expect_json 'd["balanceFen"]' 15000
expect_reverse_refused "${T[@]}" reverse "$DIV" --reason 再次
# The reversed dividend is not a repeat; 1 fen over three residents.
expect_exit 0 vl "${T[@]}" --json dividend CF --village V1 --period 2021Q3 --amount 0.01
expect_json 'd["payments"]' '[{"amountFen": 1, "to": "R2"}]'
DIV2=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl "${T[@]}" dividend CF --village V1 --period 2021Q3 --amount 1 \
  --request-id div-1
expect_stderr_contains "at seq $DIV2"
# Another one with --again; --request-id keeps a retry idempotent.
expect_exit 0 vl "${T[@]}" dividend CF --village V1 --period 2021Q3 --amount 1 --again \
  --request-id div-1
expect_stdout_contains 'skipped 2 residents: departed or deceased (R5 R6)'
expect_exit 0 vl "${T[@]}" --json dividend CF --village V1 --period 2021Q3 --amount 1 --again \
  --request-id div-1
expect_json 'd["repeated"]' true
expect_json 'len(d["payments"])' 3
# Another period is not a repeat.
expect_exit 0 vl "${T[@]}" --json dividend CF --village V1 --period 2021-08 --amount 0.01

# ------------------------------------------------------------ allowances
expect_exit 0 vl "${T[@]}" donate CH --amount 5000
expect_exit 0 vl "${T[@]}" --json allowance add CH --to R3 --amount 500 --from 2021-06 --until 2021-08
AL1=$(json_get 'd["seq"]')
expect_exit 0 vl "${T[@]}" --json allowance add CH --to H2 --amount 300 --from 2021-07
AL2=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl "${T[@]}" allowance add CH --to R3 --amount 500 --from 2021-13
expect_rejected_unchanged 3 vl "${T[@]}" allowance add CH --to R3 --amount 500 --from 2021-08 --until 2021-07
expect_rejected_unchanged 3 vl "${T[@]}" allowance add CH --to R9 --amount 500 --from 2021-08
expect_rejected_unchanged 3 vl "${T[@]}" allowance add CH --to R3 --amount -500 --from 2021-08

expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-07
expect_json 'd["payments"]' '[{"amountFen": 30000, "to": "H2"}, {"amountFen": 50000, "to": "R3"}]'
expect_json 'd["last"] - d["seq"]' 1
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-07
expect_json 'd' '{"hash": null, "last": null, "payments": [], "seq": null}'
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-06
expect_json 'd["payments"]' '[{"amountFen": 50000, "to": "R3"}]'
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-09
expect_json 'd["payments"]' '[{"amountFen": 30000, "to": "H2"}]'
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-08 --fund CH
expect_json 'len(d["payments"])' 2
for m in 2021-06 2021-07 2021-08 2021-09; do
  expect_exit 0 vl "${T[@]}" --json allowance run --month $m
  expect_json 'd["payments"]' '[]'
done
expect_exit 0 vl "${T[@]}" allowance stop "$AL2"
expect_rejected_unchanged 3 vl "${T[@]}" allowance stop "$AL2"
expect_rejected_unchanged 3 vl "${T[@]}" allowance stop 1
# The clock says 2021-09-30 (UTC+8): a later month is paid only with
# --advance.
expect_rejected_unchanged 3 vl "${T[@]}" allowance run --month 2021-10
expect_stderr_contains '--advance'
expect_rejected_unchanged 3 vl "${T[@]}" allowance run --month 2030-01
expect_stderr_contains 'after the current month 2021-09'
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-10 --advance
expect_json 'd["payments"]' '[]'
expect_exit 0 vl --json allowance list
expect_json '[a["stopped"] is not None for a in d["allowances"]]' '[false, true]'
expect_rejected_unchanged 3 vl "${T[@]}" allowance run --month 2021-7
expect_rejected_unchanged 3 vl "${T[@]}" allowance run --month 2021-07 --fund NOFUND

# A fund that cannot cover every due payment pays none, and says so.
expect_exit 0 vl "${A[@]}" fund open SMALL --name 小基金 --kind charity --village V1
expect_exit 0 vl "${T[@]}" donate SMALL --amount 100
expect_exit 0 vl "${T[@]}" --json allowance add SMALL --to R1 --amount 60 --from 2021-11
SA1=$(json_get 'd["seq"]')
expect_exit 0 vl "${T[@]}" --json allowance add SMALL --to R2 --amount 60 --from 2021-11
SA2=$(json_get 'd["seq"]')
expect_exit 0 vl "${T[@]}" allowance add CH --to R1 --amount 10 --from 2021-11
expect_rejected_unchanged 3 vl "${T[@]}" allowance run --month 2021-11 --advance
expect_stderr_contains 'fund SMALL is short by 20.00'
expect_stderr_contains "$SA2"
expect_exit 0 vl --json balance --fund SMALL
expect_json 'd["balanceFen"]' 10000
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-11 --fund CH --advance
expect_json 'd["payments"]' '[{"amountFen": 1000, "to": "R1"}]'
expect_exit 0 vl "${T[@]}" donate SMALL --amount 20
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-11 --advance
expect_json 'd["payments"]' '[{"amountFen": 6000, "to": "R1"}, {"amountFen": 6000, "to": "R2"}]'
# Reversing an allowance payment makes that month due again.
expect_exit 0 vl --json log
LASTPAY=$(json_get 'd["events"][-1]["seq"]')
expect_exit 0 vl "${T[@]}" reverse "$LASTPAY" --reason 重复发放
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-11 --fund SMALL --advance
expect_json 'd["payments"]' '[{"amountFen": 6000, "to": "R2"}]'
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-11 --fund SMALL --advance
expect_json 'd["payments"]' '[]'

# ------------------------------------------------------------- statement
# A ledger of its own, made in June: the clock never goes backwards, so
# the fund's history is recorded in time order, before and after 2021Q3.
SL=(--ledger "$WORK/statement")
SA=("${SL[@]}" --key sadmin.key)
export VLEDGER_NOW=2021-06-01T02:00:00Z
expect_exit 0 vl "${SL[@]}" init --test-clock --name 统计账本 --admin-key-out sadmin.key
expect_exit 0 vl "${SA[@]}" village add V2 --name 乙村
expect_exit 0 vl "${SA[@]}" household add H9 --village V2 --head 李大山
expect_exit 0 vl "${SA[@]}" resident add R9 --village V2 --household H9 --name 李大山
expect_exit 0 vl "${SA[@]}" fund open ST --name 统计基金 --kind charity
VLEDGER_NOW=2021-06-15T02:00:00Z expect_exit 0 vl "${SA[@]}" donate ST --amount 100
VLEDGER_NOW=2021-07-10T02:00:00Z expect_exit 0 vl "${SA[@]}" donate ST --amount 50 --donor 李四 --public-name --purpose edu
VLEDGER_NOW=2021-07-11T02:00:00Z expect_exit 0 vl "${SA[@]}" donate ST --amount 20 --donor 王六
VLEDGER_NOW=2021-08-01T02:00:00Z expect_exit 0 vl "${SA[@]}" disburse ST --to R9 --amount 30 --purpose edu
VLEDGER_NOW=2021-10-05T02:00:00Z expect_exit 0 vl "${SA[@]}" donate ST --amount 1000
export VLEDGER_NOW=2021-10-05T02:00:00Z
expect_exit 0 vl "${SL[@]}" --json statement ST --period 2021Q3
expect_json 'd["openingFen"]' 10000
expect_json 'd["closingFen"]' 14000
expect_json 'd["income"]' '[{"amountFen": 5000, "donor": "李四"}, {"amountFen": 2000, "donor": "爱心人士"}]'
expect_json 'd["payments"]' '[{"amountFen": 3000, "count": 1, "purpose": "edu"}]'
expect_exit 0 vl "${SL[@]}" statement ST --period 2021Q3
expect_stdout_contains 'opening balance  100.00'
expect_stdout_contains 'closing balance  140.00'
expect_stdout_lacks 王六
expect_rejected_unchanged 3 vl "${SL[@]}" statement ST --period 2021Q5
expect_rejected_unchanged 3 vl "${SL[@]}" statement NOFUND --period 2021Q3
expect_exit 0 vl "${SL[@]}" --json verify
expect_json 'd["ok"]' true
export VLEDGER_NOW=2021-09-30T10:00:00Z

# ------------------------------------ statement: payments listed, --for
# November's allowances paid on 31 October (in advance): October's
# statement (by recording date) lists them, for 2021-11; November's has
# none of them; `--for 2021-11` lists them whatever their recording date.
expect_exit 0 vl "${A[@]}" fund open NV --name 十一月基金 --kind charity --village V1 \
  --list-beneficiaries masked
export VLEDGER_NOW=2021-10-20T02:00:00Z
expect_exit 0 vl "${T[@]}" donate NV --amount 1000 --donor 赵大 --public-name
expect_exit 0 vl "${T[@]}" donate NV --amount 1 --receipt PAPER-11
expect_exit 0 vl "${T[@]}" allowance add NV --to R2 --amount 200 --from 2021-10
expect_exit 0 vl "${T[@]}" allowance add NV --to R3 --amount 100 --from 2021-10
export VLEDGER_NOW=2021-10-31T02:00:00Z
expect_exit 0 vl "${T[@]}" --json allowance run --month 2021-10 --fund NV
OCT=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl "${T[@]}" allowance run --month 2021-11 --fund NV
expect_stderr_contains 'after the current month 2021-10'
expect_exit 0 vl "${T[@]}" allowance run --month 2021-11 --fund NV --advance
expect_stdout_contains 'paid in advance for 2021-11'
expect_exit 0 vl --json log
NOV=$(json_get 'd["events"][-1]["seq"] - 1')
export VLEDGER_NOW=2021-11-15T02:00:00Z
expect_exit 0 vl --json statement NV --period 2021-10
expect_json '[d["openingFen"], d["closingFen"]]' '[0, 40100]'
expect_json 'd["payments"]' '[{"amountFen": 60000, "count": 4, "purpose": ""}]'
expect_json '[(p["seq"], p["date"], p["for"], p["advance"]) for p in d["paymentList"]]' \
  "[[$OCT, \"2021-10-31\", \"2021-10\", false], [$((OCT + 1)), \"2021-10-31\", \"2021-10\", false], [$NOV, \"2021-10-31\", \"2021-11\", true], [$((NOV + 1)), \"2021-10-31\", \"2021-11\", true]]"
# Masked as the fund's policy says; the minor R3 never by name.
expect_json '[(p["to"], p["amountFen"], p["purpose"]) for p in d["paymentList"][:2]]' \
  '[["曲*军", 20000, ""], ["(a minor)", 10000, ""]]'
expect_json '[(g["receipt"], g["donor"], g["amountFen"]) for g in d["donationList"]]' \
  '[["NV-1", "赵大", 100000], ["PAPER-11", "爱心人士", 100]]'
expect_exit 0 vl statement NV --period 2021-10
expect_stdout_contains "seq $NOV  2021-10-31  for 2021-11  曲*军  200.00  (unrestricted)  (paid in advance)"
expect_stdout_contains 'receipt PAPER-11'
expect_stdout_lacks 曲建军
expect_stdout_lacks 曲小雨
expect_exit 0 vl --json statement NV --period 2021-11
expect_json '[d["openingFen"], d["closingFen"], d["paymentList"]]' '[40100, 40100, []]'
expect_exit 0 vl --json statement NV --for 2021-11
expect_json '[(p["seq"], p["date"], p["for"]) for p in d["paymentList"]]' \
  "[[$NOV, \"2021-10-31\", \"2021-11\"], [$((NOV + 1)), \"2021-10-31\", \"2021-11\"]]"
expect_json '[d["count"], d["totalFen"]]' '[2, 30000]'
expect_exit 0 vl statement NV --for 2021Q4
expect_stdout_contains 'total  600.00 (4 payments'
# A fund with --list-beneficiaries none lists no one by name.
expect_exit 0 vl --json statement CF --for 2021Q3
expect_json 'sorted({p["to"] for p in d["paymentList"]})' '["(a minor)", "(not listed)"]'
# A resident of unknown age (no birth data, no --adult) is never named
# either: it counts as a minor (SPEC section 12, "Age").
expect_exit 0 vl "${C[@]}" resident add R7 --village V1 --household H2 --name 曲小六
expect_exit 0 vl "${T[@]}" disburse NV --to R7 --amount 1
expect_exit 0 vl --json statement NV --period 2021-11
expect_json '[(p["to"], p["amountFen"]) for p in d["paymentList"]]' '[["(a minor)", 100]]'
expect_exit 0 vl statement NV --period 2021-11
expect_stdout_lacks 曲小六
expect_exit 2 vl statement NV --period 2021-10 --for 2021-11
expect_exit 2 vl statement NV
expect_rejected_unchanged 3 vl statement NV --for 2021-13

# ------------------------------------------------- balance --at and verify
expect_exit 0 vl --json balance --fund CH --at "$DISB"
expect_json 'd["purposes"]' '{"": 111100, "edu": 0}'
expect_rejected_unchanged 3 vl --json balance --fund NOFUND
expect_exit 0 vl balance --fund CH
expect_stdout_contains 'fund CH'
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true

finish
