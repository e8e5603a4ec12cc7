#!/usr/bin/env bash
# `vledger import` (SPEC section 9), driving the real binary with the
# sample files of tests/data/import/: every kind imports (UTF-8, UTF-8 with
# BOM and CRLF, GB18030); a bad row anywhere rejects the whole file with
# "line N, column C" and appends nothing, several bad rows are each named
# after a summary line; --batch with a fixed file and
# re-runs (rows already in the ledger are skipped, a completed import
# appends nothing, a different file under a completed label is refused,
# the same content under another label is refused unless --again);
# a killed batched import resumes; the --json shape; header errors; and
# verify / rebuild keep the import records.
# Usage: import.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

# expect_rows_refused N cmd... — an import refused for N bad rows: exit 3,
# the ledger unchanged, and on stderr the summary line, then one error line
# per bad row.
expect_rows_refused() {
  local n=$1
  shift
  local ledger before after
  ledger=$(_ledger_of "$@")
  before=$(ledger_snapshot "$ledger")
  run "$@"
  after=$(ledger_snapshot "$ledger")
  local problem=""
  if [[ $LAST_RC -ne 3 ]]; then
    problem="expected exit 3, got $LAST_RC"
  elif [[ "$before" != "$after" ]]; then
    problem="the refused import changed the ledger $ledger"
  elif [[ $(wc -l <"$(LAST_ERR_FILE)") -ne $((n + 1)) ]] ||
    [[ "$(head -n 1 "$(LAST_ERR_FILE)")" != \
      "vledger: error: FILE: $n rows are refused; nothing was appended" ]] ||
    grep -qv '^vledger: error: line ' <(tail -n +2 "$(LAST_ERR_FILE)"); then
    problem="stderr is not a summary of $n bad rows, then a line each"
  fi
  if [[ -n $problem ]]; then
    fail "$problem"
    _show_last
    return 1
  fi
  pass "refused $n rows, unchanged: $LAST_CMD"
}

D=$TEST_DATA/import
K=admin.key
expect_exit 0 vl init --test-clock --name 导入测试 --admin-key-out $K
expect_exit 0 vl --key $K village add V1 --name 甲夼曲家村
expect_exit 0 vl key new --out col.key
expect_exit 0 vl --key $K key register --pub col.key.pub --role collector --village V1 --label 信息采集员

# ------------------------------------------------------------ each kind
expect_exit 0 vl --key col.key import "$D/households.csv" --kind households
expect_stdout_contains "appended 5 households rows as seqs 3..7 in 1 commit,"
# UTF-8 with a BOM and CRLF line ends; columns in another order.
expect_exit 0 vl --key col.key --json import "$D/residents.csv" --kind residents
expect_json 'd["appended"]' 8
expect_json 'sorted(d.keys())' '["appended", "hash", "last", "repeated", "seq"]'
expect_json 'd["repeated"]' 0
expect_json 'd["last"] - d["seq"]' 7
expect_exit 0 vl --json resident list --village V1
expect_json '[r["name"] for r in d["residents"] if r["id"] == "R02"][0]' 曲小红
expect_json '[r["minor"] for r in d["residents"]]' \
  '[false, true, false, false, false, false, true, false]'
expect_exit 0 vl --key $K import "$D/rules.csv" --kind rules
expect_exit 0 vl --json rule list --village V1
expect_json '[r["code"] for r in d["rules"]]' '["CLEAN", "ELDER", "LITTER", "SORT", "VOL", "WEDDING"]'
expect_json '[(r["min"], r["max"]) for r in d["rules"] if r["code"] == "SORT"][0]' '[-20, -1]'
expect_exit 0 vl --key col.key import "$D/awards.csv" --kind awards
expect_stderr_contains "public"
# GB18030, as Chinese Excel writes it.
expect_exit 0 vl --key col.key --json import "$D/deductions-gb18030.csv" --kind deductions
expect_json 'd["appended"]' 3
expect_exit 0 vl --json balance R03
expect_json 'd["creditScore"]' 17
expect_exit 0 vl --json history R06
expect_json '[h["note"] for h in d["history"] if h["type"] == "pointsDeducted"]' '["乱堆柴草"]'
# --encoding utf-8 on a GB18030 file: rejected, naming the line.
expect_rejected_unchanged 3 vl --key col.key import "$D/deductions-gb18030.csv" --kind deductions \
  --source gb-as-utf8 --encoding utf-8
expect_stderr_contains "line 2"
# Encodings are judged line by line: a mostly-UTF-8 file with one GB18030
# row (曲红 as C7 FA BA EC) is refused as mixed, naming a line of each,
# never decoded whole as GB18030 (曲红 stored for ever as 鏇茬孩).
printf 'resident,rule,points,date,note\nR01,VOL,1,2021-09-01,曲红帮忙\nR02,VOL,1,2021-09-01,x\nR03,VOL,1,2021-09-01,\xC7\xFA\xBA\xEC\n' \
  >mixed.csv
expect_rejected_unchanged 3 vl --key col.key import mixed.csv --kind awards
expect_stderr_contains 'mixed encodings: line 2 is UTF-8, line 4 is GB18030; save the file again as "CSV UTF-8"'
# Old Mac Excel ends lines with a CR alone: lines are counted right, and
# the last cell does not run into the next line.
printf 'resident,rule,points,date,note\rR01,VOL,1,2021-09-01,cr\rR02,VOL,x,2021-09-01,\r' >cr.csv
expect_rejected_unchanged 3 vl --key col.key import cr.csv --kind awards
expect_stderr_contains 'line 3, column points:'
printf 'resident,rule,points,date,note\rR01,VOL,1,2021-09-01,只有回车\rR02,VOL,1,2021-09-01,\r' >cr.csv
expect_exit 0 vl --key col.key --json import cr.csv --kind awards
expect_json 'd["appended"]' 2
expect_exit 0 vl --json history R01
expect_json '[h["note"] for h in d["history"] if h.get("note")][-1]' 只有回车
expect_exit 0 vl --key col.key import "$D/redemptions.csv" --kind redemptions
expect_exit 0 vl --json balance R03
expect_json '[d["creditScore"], d["spendablePoints"]]' '[17, 12]'
expect_exit 0 vl --json history R05
expect_json '[(h["shop"], h["quantity"]) for h in d["history"] if h["type"] == "pointsRedeemed"]' \
  '[["QJ-SHOP", 1]]'

# Funds: donations (an organisation, a named donor who consents, anonymous,
# a paper receipt, a named donor who does not) and payments.
expect_exit 0 vl --key $K fund open CH --name 困境儿童关爱基金 --kind charity --village V1
expect_exit 0 vl --key $K --json import "$D/donations.csv" --kind donations
expect_json 'd["appended"]' 5
expect_exit 0 vl --json balance --fund CH
expect_json 'd["balanceFen"]' 970050
expect_json 'd["purposes"]' '{"": 570050, "edu": 400000}'
expect_exit 0 vl --key $K import "$D/disbursements.csv" --kind disbursements
expect_exit 0 vl --json balance --fund CH
expect_json 'd["purposes"]' '{"": 540050, "edu": 300000}'
# The same content under another name (a copy Windows calls "… (1).csv")
# would pay everyone twice: refused, naming the label it was imported
# under, unless --again.
cp "$D/disbursements.csv" 'disbursements (1).csv'
expect_rejected_unchanged 3 vl --key $K import 'disbursements (1).csv' --kind disbursements
expect_stderr_contains 'already imported under --source "disbursements.csv"'
expect_stderr_contains '--again'
expect_rejected_unchanged 3 vl --key $K import "$D/disbursements.csv" --kind disbursements \
  --source 2021-09-payments
expect_stderr_contains 'already imported under --source "disbursements.csv"'
expect_exit 0 vl --key $K --json import 'disbursements (1).csv' --kind disbursements --again
expect_json '[d["appended"], d["repeated"]]' '[3, 0]'
expect_exit 0 vl --json balance --fund CH
expect_json 'd["purposes"]' '{"": 510050, "edu": 200000}'
# A purpose the fund never held (a typo) is refused as the single command
# refuses it, naming the column.
printf 'fund,to,amount,purpose\nCH,R01,1,EDUU\n' >typo.csv
expect_rejected_unchanged 3 vl --key $K import typo.csv --kind disbursements
expect_stderr_contains 'line 2, column purpose:'
expect_stderr_contains 'EDUU'
printf 'fund,amount\nCH,12.345\n' >yuan.csv
expect_rejected_unchanged 3 vl --key $K import yuan.csv --kind donations
expect_stderr_contains 'line 2, column amount:'
printf 'fund,to,amount\nCH,R01,1\nCH,R01,99999\n' >overdraft.csv
expect_rejected_unchanged 3 vl --key $K import overdraft.csv --kind disbursements
expect_stderr_contains 'line 3, column amount:'
printf 'fund,amount,donor_org,public_name\nCH,1,某公司,1\n' >consent.csv
expect_rejected_unchanged 3 vl --key $K import consent.csv --kind donations
expect_stderr_contains 'line 2, column public_name:'

# -------------------------------------- one bad row rejects the whole file
cat >bad.csv <<'EOF'
resident,rule,points,date,note
R01,ELDER,,2021-09-01,
R02,CLEAN,,2021-09-01,
R03,CLEAN,,2021-09-02,
R04,ELDER,,2021-09-02,
R05,NOSUCH,,2021-09-03,
R06,CLEAN,,2021-09-03,
R07,CLEAN,,2021-09-04,
EOF
expect_rejected_unchanged 3 vl --key col.key import bad.csv --kind awards --batch 2 --source sept
expect_stderr_contains 'line 6, column rule: unknown rule "NOSUCH"'
# Failing fields map to their columns: --points to points, occurredOn to date.
# Every bad row is named in one run: a summary line, then a line each.
sed 's/^R03,CLEAN,,/R03,CLEAN,7,/' bad.csv >bad-points.csv
expect_rows_refused 2 vl --key col.key import bad-points.csv --kind awards --source sept
expect_stderr_contains 'line 4, column points:'
expect_stderr_contains 'line 6, column rule: unknown rule "NOSUCH"'
sed 's/^R04,ELDER,,2021-09-02/R04,ELDER,,2021-10-02/' bad.csv >bad-date.csv
expect_rows_refused 2 vl --key col.key import bad-date.csv --kind awards --source sept
expect_stderr_contains 'line 5, column date:'
sed 's/^R04,ELDER,,2021-09-02/R04,ELDER,,2021-10-02/' bad-points.csv >bad-three.csv
expect_rows_refused 3 vl --key col.key import bad-three.csv --kind awards --source sept
expect_eq "$(sed -n '2,4s/^vledger: error: line \([0-9]*\),.*/\1/p' "$(LAST_ERR_FILE)" | tr '\n' ' ')" \
  "4 5 6 " "bad rows in file order"
# Lines are physical lines: blank lines count, and a record spanning two
# lines is named by the line where it starts.
printf 'resident,rule,points,date,note\nR01,ELDER,,2021-09-01,\n\nR02,ELDER,x,2021-09-01,\n' \
  >blank.csv
expect_rejected_unchanged 3 vl --key col.key import blank.csv --kind awards
expect_stderr_contains 'line 4, column points:'
printf 'resident,rule,points,date,note\nR01,ELDER,,2021-09-01,\nR02,ELDER,,2021-09-01,"两行\n备注"\n' \
  >multiline.csv
expect_rejected_unchanged 3 vl --key col.key import multiline.csv --kind awards
expect_stderr_contains 'line 3, column note:'
# A row that conflicts with an earlier row of the same file (the second
# household with the same id).
printf 'id,village,head\nH06,V1,赵一\nH06,V1,赵二\n' >dup.csv
expect_rejected_unchanged 3 vl --key col.key import dup.csv --kind households
expect_stderr_contains 'line 3, column id:'
# Outside the collector's villages: the first column is named.
expect_exit 0 vl --key $K village add V2 --name 乙村
printf 'id,village,head\nH90,V2,孙九\n' >scope.csv
expect_rejected_unchanged 3 vl --key col.key import scope.csv --kind households
expect_stderr_contains 'line 2, column id:'
expect_stderr_contains 'village scope'

# ------------------------------------ fix the row, re-run, re-run again
sed 's/NOSUCH/CLEAN/' bad.csv >fixed.csv
size=$(ledger_size vledger-data)
expect_exit 0 vl --key col.key import fixed.csv --kind awards --batch 2 --source sept
expect_stdout_contains "appended 7 awards rows as seqs $size..$((size + 6)) in 4 commits,"
expect_eq "$(ledger_size vledger-data)" $((size + 7)) "7 events appended"
expect_exit 0 vl log --json
expect_json 'len({e["requestId"] for e in d["events"][-7:]})' 7
expect_json 'all(e["requestId"].startswith("imp-") for e in d["events"][-7:])' true
expect_exit 0 vl --key col.key import fixed.csv --kind awards --batch 2 --source sept
expect_stdout_contains "already imported"
expect_exit 0 vl --key col.key --json import fixed.csv --kind awards --source sept
expect_json '[d["seq"], d["last"], d["appended"], d["repeated"]]' '[null, null, 0, 7]'
expect_eq "$(ledger_size vledger-data)" $((size + 7)) "nothing appended on re-runs"
# A different file under the completed label: refused, naming --source.
expect_rejected_unchanged 3 vl --key col.key import bad-points.csv --kind awards --source sept
expect_stderr_contains "--source"
# The same rows under their own label are new rows (an October file).
printf 'resident,rule,points,date,note\nR01,ELDER,,2021-09-01,\n' >oct.csv
expect_exit 0 vl --key col.key --json import oct.csv --kind awards --source 2021-10
expect_json 'd["appended"]' 1
# Identical rows in one file are distinct rows (counted, not merged).
printf 'resident,rule,points,date,note\nR08,VOL,1,2021-09-05,\nR08,VOL,1,2021-09-05,\n' >twice.csv
expect_exit 0 vl --key col.key --json import twice.csv --kind awards
expect_json 'd["appended"]' 2

# ------------------------------------------------------ explicit request ids
printf 'resident,points,item,request_id\nR01,1,毛巾,shop-2021-09-0001\n' >req.csv
expect_exit 0 vl --key col.key --json import req.csv --kind redemptions
expect_json 'd["appended"]' 1
# The same id under another label with the same row (--again: the same
# file content): repeated.
expect_exit 0 vl --key col.key --json import req.csv --kind redemptions --source again --again
expect_json '[d["appended"], d["repeated"]]' '[0, 1]'
# The same id for a different row: rejected, naming the column.
printf 'resident,points,item,request_id\nR01,2,毛巾,shop-2021-09-0001\n' >req2.csv
expect_rejected_unchanged 3 vl --key col.key import req2.csv --kind redemptions
expect_stderr_contains 'line 2, column request_id:'
printf 'resident,points,item,request_id\nR01,2,毛巾,bad id\n' >req3.csv
expect_rejected_unchanged 3 vl --key col.key import req3.csv --kind redemptions
expect_stderr_contains 'line 2, column request_id:'

# --------------------------------------------------------- header errors
printf 'resident,rule,remark\nR01,ELDER,x\n' >unknown.csv
expect_rejected_unchanged 3 vl --key col.key import unknown.csv --kind awards
expect_stderr_contains 'line 1, column remark: unknown column'
printf 'resident,points\nR01,5\n' >missing.csv
expect_rejected_unchanged 3 vl --key col.key import missing.csv --kind awards
expect_stderr_contains 'line 1, column rule: the required column is missing'
printf 'resident,rule,rule\nR01,ELDER,ELDER\n' >twicecol.csv
expect_rejected_unchanged 3 vl --key col.key import twicecol.csv --kind awards
expect_stderr_contains 'column rule'
printf 'id,village,household,name,minor\nR20,V1,H05,孙一,也许\n' >flag.csv
expect_rejected_unchanged 3 vl --key col.key import flag.csv --kind residents
expect_stderr_contains 'line 2, column minor:'
expect_rejected_unchanged 3 vl --key col.key import fixed.csv --kind awards --batch 0 --source x
expect_stderr_contains '--batch'
expect_rejected_unchanged 3 vl --key col.key import fixed.csv --kind awards --batch 100001 --source x
expect_rejected_unchanged 3 vl --key col.key import nosuch.csv --kind awards
expect_exit 2 vl --key col.key import fixed.csv --kind people

# --------------------------------- a killed batched import resumes
python3 - <<'EOF'
import datetime
with open("big.csv", "w", encoding="utf-8") as f:
    f.write("resident,rule,points,date,note\n")
    d0 = datetime.date(2021, 7, 1)
    for i in range(3000):
        r = "R%02d" % (1 + i % 8)
        day = d0 + datetime.timedelta(days=i % 90)
        f.write("%s,VOL,%d,%s,志愿服务第%d次\n" % (r, 1 + i % 10, day.isoformat(), i))
EOF
size=$(ledger_size vledger-data)
bg_run "$VLEDGER" --key col.key import big.csv --kind awards --batch 1
# Killed once some of its commits are in (at most 20 s of waiting).
for _ in $(seq 200); do
  (($(ledger_size vledger-data) > size)) && break
  sleep 0.1
done
sleep 0.2
bg_stop "$BG_PID"
part=$(($(ledger_size vledger-data) - size))
((part > 0 && part <= 3000)) && pass "killed import left $part whole rows" ||
  fail "killed import left $part rows"
# Its content under another label is refused although it was imported only
# in part; its own label resumes it.
cp big.csv big-copy.csv
expect_rejected_unchanged 3 vl --key col.key import big-copy.csv --kind awards
expect_stderr_contains 'already imported under --source "big.csv"'
expect_exit 0 vl --key col.key --json import big.csv --kind awards --batch 500
expect_json 'd["appended"] + d["repeated"]' 3000
expect_json 'd["repeated"]' "$part"
expect_eq "$(ledger_size vledger-data)" $((size + 3000)) "every row exactly once"

# ----------------------------------------- verify and rebuild keep imp/ rows
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
expect_exit 0 vl --key $K rebuild
expect_exit 0 vl --key col.key import fixed.csv --kind awards --source sept
expect_stdout_contains "already imported"
expect_rejected_unchanged 3 vl --key col.key import bad-points.csv --kind awards --source sept
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true

finish
