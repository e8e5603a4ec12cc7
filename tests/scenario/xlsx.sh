#!/usr/bin/env bash
# `vledger import` of Excel workbooks as clerks have them (SPEC section 9):
# .xlsx files written by a real spreadsheet program (LibreOffice) and by
# libxlsxwriter (tests/data/import/make-xlsx makes them) with Chinese
# headings, date serials, dates like 2021/10/6, amounts like ￥1,000.00 and
# #,##0.00 numbers, formulas with saved values, shared and inline strings;
# the same forms in CSV (trimmed cells, empty trailing columns); --sheet;
# three bad rows reported in one run, by row and heading; a formula without
# a saved value; a missing sheet; what is no workbook; an .xls workbook and
# UTF-16 text told how to save the file, in English and in Chinese.
# Usage: xlsx.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup
# The sample entries are dated October 2021.
export VLEDGER_NOW=2021-11-01T10:00:00Z

D=$TEST_DATA/import
K=admin.key

# The same command in Chinese (LANG=zh_CN.UTF-8, no locale installed needed).
vl_zh() {
  printf x >>"$WORK/.out/calls"
  LANG=zh_CN.UTF-8 "$VLEDGER" "$@"
}

# expect_bad_rows N LINE... -- cmd...: the import is refused for N bad rows:
# exit 3, the ledger unchanged, the summary line, then one line per bad
# row, each beginning with the given "line L, column C:" in order.
expect_bad_rows() {
  local n=$1 wants=() ledger before after problem="" i=2
  shift
  while [[ $1 != -- ]]; do
    wants+=("$1")
    shift
  done
  shift
  ledger=$(_ledger_of "$@")
  before=$(ledger_snapshot "$ledger")
  run "$@"
  after=$(ledger_snapshot "$ledger")
  if [[ $LAST_RC -ne 3 ]]; then
    problem="expected exit 3, got $LAST_RC"
  elif [[ "$before" != "$after" ]]; then
    problem="the refused import changed the ledger"
  elif [[ $(wc -l <"$(LAST_ERR_FILE)") -ne $((n + 1)) ]] ||
    [[ "$(head -n 1 "$(LAST_ERR_FILE)")" != \
      "vledger: error: FILE: $n rows are refused; nothing was appended" ]]; then
    problem="stderr is not a summary of $n bad rows, then a line each"
  else
    for want in "${wants[@]}"; do
      if [[ "$(sed -n "${i}p" "$(LAST_ERR_FILE)")" != "vledger: error: $want"* ]]; then
        problem="line $i of stderr does not begin with: $want"
        break
      fi
      i=$((i + 1))
    done
  fi
  if [[ -n $problem ]]; then
    fail "$problem"
    _show_last
    return 1
  fi
  pass "refused $n rows, each named, unchanged: $LAST_CMD"
}

expect_exit 0 vl init --test-clock --name 表格导入 --admin-key-out $K
expect_exit 0 vl --key $K village add V1 --name 甲夼曲家村
expect_exit 0 vl key new --out col.key
expect_exit 0 vl --key $K key register --pub col.key.pub --role collector --village V1 --label 信息采集员
expect_exit 0 vl --key col.key import "$D/households.csv" --kind households
expect_exit 0 vl --key $K import "$D/rules.csv" --kind rules

# ------------------------------------------------ LibreOffice workbooks
# Residents under Chinese headings (编号, 村, 户号, 姓名, 出生年份; the
# year a number cell).
expect_exit 0 vl --key col.key --json import "$D/lo-residents.xlsx" --kind residents
expect_json 'd["appended"]' 4
expect_exit 0 vl --json resident list --village V1
expect_json '[r["id"] for r in d["residents"]]' '["R01", "R02", "R03", "R04"]'
# Awards: 村民, 规则, 分值, 日期, 备注; dates 2021/10/6 (text), 2021-10-07
# (LibreOffice made it a date serial), 2021年10月8日, 2021.10.9; points
# empty (the rule's), +3, 3分, 4.
expect_exit 0 vl --key col.key import "$D/lo-awards.xlsx" --kind awards
expect_stdout_contains "appended 4 awards rows"
expect_stderr_contains "column 备注 is part of the public log"
for pair in R01:5 R02:3 R03:3 R04:4; do
  expect_exit 0 vl --json balance "${pair%%:*}"
  expect_json 'd["creditScore"]' "${pair#*:}"
done
expect_exit 0 vl --json history R02
expect_json '[h["date"] for h in d["history"]]' '["2021-10-07"]'
expect_exit 0 vl --json history R01
expect_json '[(h["date"], h["note"]) for h in d["history"]]' '[["2021-10-06", "照顾邻居孤寡老人"]]'
expect_exit 0 vl --json history R03
expect_json '[(h["date"], h["points"]) for h in d["history"]]' '[["2021-10-08", 3]]'
expect_exit 0 vl --json history R04
expect_json '[h["date"] for h in d["history"]]' '["2021-10-09"]'
# Running it again appends nothing: the rows' request ids are derived as
# for CSV, from the label and the cells.
expect_exit 0 vl --key col.key --json import "$D/lo-awards.xlsx" --kind awards
expect_json 'd["appended"]' 0

# ------------------------------------------------ libxlsxwriter workbooks
# Shared strings; date serials under yyyy/m/d, yyyy"年"m"月"d"日" and the
# built-in format 14; a formula (=1+2) with its saved value; "3分"; a note
# with spaces around it; merged and styled empty cells; a second sheet.
expect_exit 0 vl --key col.key --json import "$D/xw-awards.xlsx" --kind awards
expect_json 'd["appended"]' 3
expect_exit 0 vl --json history R02
expect_json '[(h["date"], h["points"], h.get("note")) for h in d["history"]]' \
  '[["2021-10-07", 3, "义务理发"], ["2021-10-11", 3, "清理河道"]]'
expect_exit 0 vl --json history R03
expect_json '[h["date"] for h in d["history"]]' '["2021-10-08", "2021-10-12"]'
# Inline strings (libxlsxwriter's constant-memory mode).
expect_exit 0 vl --key col.key --json import "$D/xw-awards-inline.xlsx" --kind awards
expect_json 'd["appended"]' 1
for pair in R01:7 R02:6 R03:6 R04:7; do
  expect_exit 0 vl --json balance "${pair%%:*}"
  expect_json 'd["creditScore"]' "${pair#*:}"
done
# --sheet: the workbook's second sheet is empty; a sheet it does not have
# is refused, listing its sheets.
expect_error 3 "an empty sheet" "the file has no header row" -- \
  vl --key col.key import "$D/xw-awards.xlsx" --kind awards --sheet 说明 --source sheet2
expect_error 3 "a missing sheet" 'has no sheet "三队" (its sheets: 十月积分, 说明)' -- \
  vl --key col.key import "$D/xw-awards.xlsx" --kind awards --sheet 三队
expect_exit 0 vl --key col.key --json import "$D/xw-awards.xlsx" --kind awards --sheet 十月积分
expect_json 'd["repeated"]' 3
expect_error 3 "--sheet on a CSV file" "--sheet: is for .xlsx workbooks" -- \
  vl --key col.key import "$D/awards.csv" --kind awards --sheet Sheet1
expect_error 3 "--encoding on a workbook" "--encoding: is for CSV files" -- \
  vl --key col.key import "$D/xw-awards.xlsx" --kind awards --encoding gb18030

# ------------------------------------------------------------- donations
expect_exit 0 vl --key $K fund open CH --name 困境儿童关爱基金 --kind charity --village V1
# LibreOffice: ￥1,000.00 and ¥200 (text), 500元, 1,500.50 (a number).
expect_exit 0 vl --key $K --json import "$D/lo-donations.xlsx" --kind donations
expect_json 'd["appended"]' 4
expect_exit 0 vl --json balance --fund CH
expect_json 'd["balanceFen"]' 320050
expect_json 'd["purposes"]' '{"": 220050, "edu": 100000}'
# libxlsxwriter: 2000 under #,##0.00, =0.1+0.2 saved as
# 0.30000000000000004 (0.30 yuan, exactly), 1234.5 under "￥"#,##0.00.
expect_exit 0 vl --key $K --json import "$D/xw-donations.xlsx" --kind donations
expect_json 'd["appended"]' 3
expect_exit 0 vl --json balance --fund CH
expect_json 'd["balanceFen"]' 643530
expect_json 'd["purposes"]' '{"": 343530, "edu": 300000}'

# ------------------------------------------------- the same forms in CSV
# Chinese headings, cells with spaces and full-width spaces around them,
# empty trailing columns (as Excel writes the columns it once used).
printf '%s\n' '基金,金额,捐赠人,用途,,' 'CH,"　￥1,000.00 ",　曲志强　,edu,,' 'CH, 500元 ,,,,' \
  'CH,¥0.50,,,,' >donations-zh.csv
expect_exit 0 vl --key $K --json import donations-zh.csv --kind donations
expect_json 'd["appended"]' 3
expect_exit 0 vl --json balance --fund CH
expect_json 'd["balanceFen"]' 793580
printf '%s\n' '村民,规则,分值,日期,备注,' 'R01,VOL,+2,2021年10月20日,　扫雪　,' \
  'R02,VOL,2分,2021.10.21,,' >awards-zh.csv
expect_exit 0 vl --key col.key --json import awards-zh.csv --kind awards
expect_json 'd["appended"]' 2
expect_exit 0 vl --json history R01
expect_json '[(h["date"], h.get("note")) for h in d["history"]][-1]' '["2021-10-20", "扫雪"]'
# Run again: nothing appended (the rows' ids are of the cells as written).
expect_exit 0 vl --key col.key --json import awards-zh.csv --kind awards
expect_json 'd["appended"]' 0
# An unknown heading: the columns and their Chinese headings are listed.
printf '%s\n' '村民,规则,积分值' 'R01,VOL,2' >heading-bad.csv
expect_error 3 "an unknown heading" \
  'line 1, column 积分值: unknown column for --kind awards (columns: resident,rule[,points,date,note,request_id]; or headed in Chinese: 村民,规则[,分值,日期,备注,请求编号])' -- \
  vl --key col.key import heading-bad.csv --kind awards
# A value under an empty heading is refused.
printf '%s\n' '村民,规则,,' 'R01,VOL,,x' >stray.csv
expect_error 3 "a value under no heading" 'line 2: column 4 holds "x" but has no heading' -- \
  vl --key col.key import stray.csv --kind awards

# ------------------------------------------------------------ bad rows
# Three bad rows in one run, each by its sheet row and the heading the file
# uses: an unknown rule, a date in no accepted form (listing them), points
# that are not a number.
expect_bad_rows 3 "line 3, column 规则:" "line 4, column 日期:" "line 5, column 分值:" -- \
  vl --key col.key import "$D/lo-awards-bad.xlsx" --kind awards
expect_stderr_contains '"2021/13/45" is not a date (accepted: 2021-10-06, 2021/10/6, 2021.10.6, 2021年10月6日, or a date cell of Excel)'
printf '%s\n' '基金,金额' 'CH,$500' 'CH,"1,00"' 'CH,100' >amounts-bad.csv
expect_bad_rows 2 "line 2, column 金额:" "line 3, column 金额:" -- \
  vl --key $K import amounts-bad.csv --kind donations
expect_stderr_contains '"$500" is not an amount in yuan (accepted: 500, 500.5, 1,000.00, ￥500, ¥500, 500元)'
printf '%s\n' 'resident,rule,date' 'R01,VOL,10/20/2021' >date-bad.csv
expect_error 3 "a date in no accepted form" "line 2, column date:" "accepted: 2021-10-06" -- \
  vl --key col.key import date-bad.csv --kind awards

# -------------------------------------------- what import cannot read
expect_error 3 "a formula without a saved value" \
  "Sheet1!C3: a formula without a saved value" -- \
  vl --key col.key import "$D/xw-formula-nocache.xlsx" --kind awards
expect_error 3 "a zip that is no workbook" "is not an .xlsx workbook: it has no part xl/workbook.xml" -- \
  vl --key col.key import "$D/not-a-workbook.xlsx" --kind awards
cp "$D/awards.csv" text.xlsx
expect_error 3 "CSV text named .xlsx" "is not a valid .xlsx workbook (it is not a zip archive)" -- \
  vl --key col.key import text.xlsx --kind awards
expect_error 3 "an .xls workbook" 'is an old Excel .xls workbook' \
  '"CSV UTF-8 (Comma delimited)" or an .xlsx workbook' -- \
  vl --key col.key import "$D/renamed-xls.xlsx" --kind awards
expect_exit 3 vl_zh --key col.key import "$D/renamed-xls.xlsx" --kind awards
expect_stderr_contains '是旧版 Excel .xls 工作簿'
expect_stderr_contains '请在 Excel 中"另存为"→"CSV UTF-8（逗号分隔）"或 .xlsx 工作簿'
expect_error 3 "UTF-16 text" 'is UTF-16 text' '"CSV UTF-8 (Comma delimited)"' -- \
  vl --key col.key import "$D/awards-utf16.csv" --kind awards
expect_exit 3 vl_zh --key col.key import "$D/awards-utf16.csv" --kind awards
expect_stderr_contains '是 UTF-16 编码的文本'
expect_stderr_contains '请在 Excel 中"另存为"→"CSV UTF-8（逗号分隔）"或 .xlsx 工作簿'
printf 'resident,rule\nR01,\xff\xfe\xfd\n' >neither.csv
expect_error 3 "an encoding import cannot read" "line 2: the file is neither UTF-8 nor GB18030" \
  '"CSV UTF-8 (Comma delimited)"' -- vl --key col.key import neither.csv --kind awards

expect_exit 0 vl verify
finish
