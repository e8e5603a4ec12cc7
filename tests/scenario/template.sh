#!/usr/bin/env bash
# Import templates (issue 18, item 7): `template KIND --village V --out
# F.xlsx` writes a workbook whose first sheet has the canonical Chinese
# headings, text/date/amount formats and drop-down lists of the village's
# residents, rules and funds (from a hidden sheet, under defined names), a
# helper sheet of ids and names, and instructions in Chinese. The workbook
# is read back with python's zipfile and xml.etree (xlsx_dump.py), not with
# the importer. The same ledger gives the same bytes; an unknown kind or
# village is exit 3 and writes nothing.
# Usage: template.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
DUMP="$SCENARIO_DIR/xlsx_dump.py"

vl init --test-clock --name 模板测试 --admin-key-out admin.key >/dev/null
vl "${A[@]}" village add V01 --name 曲家村 >/dev/null
vl "${A[@]}" village add V02 --name 王家村 >/dev/null
vl "${A[@]}" household add H001 --village V01 --head 曲建国 >/dev/null
vl "${A[@]}" household add H900 --village V02 --head 王大山 >/dev/null
vl "${A[@]}" resident add R001 --village V01 --household H001 --name 曲建国 --birth-year 1960 >/dev/null
vl "${A[@]}" resident add R002 --village V01 --household H001 --name 曲小红 --birth-year 1990 >/dev/null
vl "${A[@]}" resident add 007 --village V01 --household H001 --name 曲小明 --birth-year 2000 >/dev/null
vl "${A[@]}" resident add R900 --village V02 --household H900 --name 王大山 --birth-year 1955 >/dev/null
vl "${A[@]}" rule add VOL --category volunteer --points 2 --min 1 --max 10 --desc 志愿服务 >/dev/null
vl "${A[@]}" rule add CLEAN --category hygiene --points 3 --desc 环境卫生 >/dev/null
vl "${A[@]}" fund open EDU --name 助学基金 --kind charity --village V01 >/dev/null
vl "${A[@]}" donate EDU --amount 500 --purpose books --anonymous >/dev/null

# dump FILE EXPR — evaluates a Python expression over the workbook's dump
# (bound to `d`; `sheet(name)` is a sheet by name).
dump() {
  python3 "$DUMP" "$1" >"$WORK/.out/dump.json" || return 1
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
def sheet(name):
    return next(s for s in d["sheets"] if s["name"] == name)
v = eval(sys.argv[2], {"d": d, "sheet": sheet, "json": json})
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
' "$WORK/.out/dump.json" "$2"
}

# expect_dump FILE EXPR VALUE
expect_dump() {
  local got
  got=$(dump "$1" "$2" 2>&1)
  expect_eq "$got" "$3" "$1: $2"
}

# ------------------------------------------------------------ awards
echo "== the awards template"
expect_exit 0 vl template awards --village V01 --out awards.xlsx
expect_stdout_contains 'wrote awards.xlsx'
expect_stderr_contains "holds residents' names"
expect_dump awards.xlsx '[s["name"] for s in d["sheets"]]' \
  '["加分", "填写说明", "村民名单", "规则表", "下拉数据"]'
expect_dump awards.xlsx '[s["state"] for s in d["sheets"]]' \
  '["visible", "visible", "visible", "visible", "hidden"]'
# The header row: the canonical Chinese headings, and nothing else written.
expect_dump awards.xlsx 'sheet("加分")["rows"]' '[["村民", "规则", "分值", "日期", "备注"]]'
expect_dump awards.xlsx 'sheet("加分")["frozen"]' 'A2'
# Formats: ids and text as text (so 007 stays 007), points whole, dates.
expect_dump awards.xlsx 'sheet("加分")["formats"]' \
  '{"A": "@", "B": "@", "C": "0", "D": "yyyy-mm-dd", "E": "@"}'
# Validations: drop-down lists by defined name over the whole column.
expect_dump awards.xlsx '[(v["sqref"], v["type"], v["formula1"]) for v in sheet("加分")["validations"]]' \
  '[["A2:A1048576", "list", "ResidentIds"], ["B2:B1048576", "list", "RuleCodes"], ["C2:C1048576", "whole", "1"], ["D2:D1048576", "date", "25569"], ["E2:E1048576", "none", null]]'
expect_dump awards.xlsx 'sheet("加分")["validations"][0]["promptTitle"]' '村民'
expect_dump awards.xlsx 'sheet("加分")["validations"][0]["errorStyle"]' 'information'
expect_dump awards.xlsx 'sheet("加分")["validations"][1]["errorStyle"]' 'warning'
expect_dump awards.xlsx '[v.get("error") for v in sheet("加分")["validations"]]' \
  '["名单中没有这个编号。模板生成后新登记的村民，或同村没有重名的姓名，可以保留。", "账本中没有这个规则代码（见“规则表”）。", "请填写整数。", "请填写 1970-01-01 至 2200-12-31 之间的日期。", null]'
# (A filter button adds Excel's own name _xlnm._FilterDatabase.)
expect_dump awards.xlsx '{k: v for k, v in d["names"].items() if not k.startswith("_xlnm")}' \
  "{\"ResidentIds\": \"'下拉数据'!\$A\$2:\$A\$4\", \"RuleCodes\": \"'下拉数据'!\$B\$2:\$B\$3\"}"
# The hidden lists: V01's residents (not V02's), the rules; all text cells.
expect_dump awards.xlsx 'sheet("下拉数据")["rows"]' \
  '[["ResidentIds", "RuleCodes"], ["007", "CLEAN"], ["R001", "VOL"], ["R002"]]'
expect_dump awards.xlsx 'sheet("下拉数据")["types"][1]' '["s", "s"]'
# The helper sheet a clerk reads: id, name, household; filter buttons.
expect_dump awards.xlsx 'sheet("村民名单")["rows"]' \
  '[["编号", "姓名", "户号"], ["007", "曲小明", "H001"], ["R001", "曲建国", "H001"], ["R002", "曲小红", "H001"]]'
expect_dump awards.xlsx 'sheet("村民名单")["autofilter"]' 'A1:C4'
expect_dump awards.xlsx 'sheet("规则表")["rows"][1:]' \
  '[["CLEAN", "hygiene", "环境卫生", "3", "", "全县"], ["VOL", "volunteer", "志愿服务", "2", "1～10", "全县"]]'
# The instructions: Chinese, the import command, each column, the forms.
expect_dump awards.xlsx 'sheet("填写说明")["rows"][0][0]' 'vledger 导入模板：加分（--kind awards）'
expect_dump awards.xlsx '"含个人信息" in json.dumps(sheet("填写说明")["rows"], ensure_ascii=False)' 'true'
expect_dump awards.xlsx '[r[:3] for r in sheet("填写说明")["rows"] if len(r) > 1 and r[1] in ("resident", "rule", "points")]' \
  '[["村民", "resident", "是"], ["规则", "rule", "是"], ["分值", "points", ""]]'
expect_dump awards.xlsx 'any("2021年10月6日" in r[0] for r in sheet("填写说明")["rows"] if r)' 'true'
expect_dump awards.xlsx 'd["created"]' '2021-09-30T10:00:00Z'
expect_dump awards.xlsx 'd["title"]' 'vledger 导入模板：加分'

# ------------------------------------------------------ determinism
echo "== the same ledger gives the same bytes"
sleep 1
expect_exit 0 vl template awards --village V01 --out again.xlsx
expect_eq "$(cmp awards.xlsx again.xlsx && echo same)" same "a second template is byte for byte the first"
expect_exit 0 env VLEDGER_NOW=2021-10-31T10:00:00Z "$VLEDGER" template awards --village V01 --out later.xlsx
expect_eq "$(cmp awards.xlsx later.xlsx && echo same)" same "a later clock, same ledger: same bytes"

# ------------------------------------------------------- other kinds
echo "== every kind"
for kind in residents households rules awards deductions redemptions donations disbursements; do
  expect_exit 0 vl template $kind --village V01 --out $kind.xlsx
  # The instructions name every heading of the import sheet, in order.
  expect_dump $kind.xlsx '(lambda rows: [r[0] for r in rows[rows.index(["列名", "英文列名", "必填", "说明"]) + 1:] if r and r[0]][:len(d["sheets"][0]["rows"][0])])(sheet("填写说明")["rows"]) == d["sheets"][0]["rows"][0]' 'true'
done
expect_dump residents.xlsx 'sheet("村民")["rows"][0]' '["编号", "村", "户号", "姓名", "未成年", "出生年份"]'
expect_dump residents.xlsx '[(v["sqref"], v["type"], v["formula1"]) for v in sheet("村民")["validations"][1:3]]' \
  '[["B2:B1048576", "list", "\"V01\""], ["C2:C1048576", "list", "HouseholdIds"]]'
expect_dump residents.xlsx 'sheet("村民")["validations"][4]["formula1"]' '"是,否"'
expect_dump residents.xlsx 'sheet("户名单")["rows"]' '[["户号", "户主", "户主村民编号"], ["H001", "曲建国"]]'
expect_dump households.xlsx 'sheet("户")["rows"][0]' '["编号", "村", "户主"]'
expect_dump rules.xlsx 'sheet("规则")["rows"][0]' '["代码", "类别", "分值", "村", "最低分", "最高分", "说明"]'
expect_dump rules.xlsx 'sheet("下拉数据")["rows"]' '[["RuleCategories"], ["hygiene"], ["volunteer"]]'
expect_dump deductions.xlsx 'sheet("扣分")["rows"][0]' '["村民", "规则", "分值", "日期", "备注"]'
expect_dump redemptions.xlsx 'sheet("兑换")["rows"][0]' '["村民", "分值", "物品", "超市", "数量"]'
expect_dump donations.xlsx 'sheet("捐赠")["rows"][0]' '["基金", "金额", "捐赠人", "捐赠单位", "公开姓名", "用途", "票据号"]'
expect_dump donations.xlsx 'sheet("捐赠")["formats"]["B"]' '#,##0.00'
expect_dump donations.xlsx 'sheet("捐赠")["validations"][1]["type"]' 'decimal'
expect_dump donations.xlsx 'sheet("基金表")["rows"]' '[["代码", "名称", "定向用途"], ["EDU", "助学基金", "books"]]'
expect_dump donations.xlsx '{k: v for k, v in d["names"].items() if not k.startswith("_xlnm")}' \
  "{\"FundCodes\": \"'下拉数据'!\$A\$2\", \"Purposes\": \"'下拉数据'!\$B\$2\"}"
# A donations template holds nobody's name.
expect_dump donations.xlsx '[s["name"] for s in d["sheets"]]' '["捐赠", "填写说明", "基金表", "下拉数据"]'
expect_eq "$(python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
print(sum(text.count(name) for name in ("曲建国", "曲小红", "曲小明")))' donations.xlsx)" 0 \
  "no resident's name in the donations template"
expect_exit 0 vl template donations --village V01 --out d2.xlsx
expect_eq "$(grep -c "residents' names" "$(LAST_ERR_FILE)")" 0 "no personal-data warning without names"
expect_dump disbursements.xlsx 'sheet("支出")["rows"][0]' '["基金", "收款人", "金额", "用途", "所属期", "备注"]'
expect_dump disbursements.xlsx 'sheet("支出")["formats"]["E"]' '@'
expect_dump disbursements.xlsx 'sheet("下拉数据")["rows"][0]' '["FundCodes", "PayeeIds", "Purposes"]'
expect_dump disbursements.xlsx '[r[1] for r in sheet("下拉数据")["rows"][1:]]' '["007", "R001", "R002", "H001"]'

# The headings' English names (the instructions' second column), as a CSV
# header with rows typed as a clerk would, import as the kind.
echo "== the columns import"
python3 "$DUMP" awards.xlsx >awards.json
python3 - awards.json >awards.csv <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
inst = next(s for s in d["sheets"] if s["name"] == "填写说明")["rows"]
english = {r[0]: r[1] for r in inst if len(r) > 1 and r[1]}
print(",".join(english[h] for h in d["sheets"][0]["rows"][0]))
print("R001,VOL,3,2021-09-01,理发")
print("007,CLEAN,,2021-09-02,")
PY
expect_eq "$(head -1 awards.csv)" "resident,rule,points,date,note" "the English names of the headings"
expect_exit 0 vl "${A[@]}" import awards.csv --kind awards
expect_stdout_contains 'appended 2 awards rows'

# ------------------------------------------------------------ refusals
echo "== refusals"
expect_error 3 "an unknown village" 'V404' -- vl template awards --village V404 --out v.xlsx
expect_eq "$(ls v.xlsx* 2>/dev/null)" "" "an unknown village writes nothing"
expect_error 3 "an unknown kind" 'gifts' 'awards' -- vl template gifts --village V01 --out k.xlsx
expect_eq "$(ls k.xlsx* 2>/dev/null)" "" "an unknown kind writes nothing"
expect_error 3 "a folder that does not exist" '--out' -- vl template awards --village V01 --out no/such/t.xlsx
expect_exit 2 vl template awards --village V01
expect_exit 2 vl template awards --out x.xlsx
# An existing file is replaced whole (written beside it, then renamed).
vl template awards --village V01 --out fresh.xlsx >/dev/null 2>&1
echo old >keep.xlsx
expect_exit 0 vl template awards --village V01 --out keep.xlsx
expect_eq "$(cmp fresh.xlsx keep.xlsx && echo same)" same "an existing file is replaced"
expect_eq "$(ls keep.xlsx.* 2>/dev/null)" "" "no temporary file is left"

# ------------------------------------------------------------- --json
expect_exit 0 vl --json template awards --village V01 --out j.xlsx
expect_json 'd["kind"]' 'awards'
expect_json '[d["residents"], d["rules"], d["households"], d["funds"]]' '[3, 2, 0, 0]'
expect_json 'd["bytes"] == __import__("os").path.getsize("j.xlsx")' 'true'
expect_json 'd["listsLeftOut"]' '[]'

# ------------------------------------------------------------- Chinese
echo "== Chinese"
expect_exit 0 env LANG=zh_CN.UTF-8 "$VLEDGER" template awards --village V01 --out zh.xlsx
expect_stdout_contains '已写入 zh.xlsx'
expect_stderr_contains '含个人信息'
expect_exit 0 env LANG=zh_CN.UTF-8 "$VLEDGER" template --help
expect_stdout_contains '含个人信息，请勿公开'
expect_exit 0 vl template --help
expect_stdout_contains 'personal data'
expect_exit 3 env LANG=zh_CN.UTF-8 "$VLEDGER" template awards --village V404 --out v.xlsx
expect_stderr_contains '未知的村“V404”'

# ----------------------------------------- the round trip a clerk does
# A template filled in as a spreadsheet program saves it (shared strings,
# the columns' styles, a name for a resident, the date forms a clerk
# types and a date serial) imports as it is.
echo "== a filled-in template imports as it is"
expect_exit 0 vl template awards --village V01 --out blank.xlsx
expect_exit 0 python3 "$SCENARIO_DIR/xlsx_fill.py" blank.xlsx filled.xlsx \
  '[["R001", "VOL", 3, "2021/9/6", "帮邻居修水管"], ["曲小红", "CLEAN", "", "2021年9月7日", ""], ["007", "VOL", 2, {"serial": 44447}, "打扫村道"]]'
expect_dump filled.xlsx 'sheet("加分")["rows"][1:]' \
  '[["R001", "VOL", "3", "2021/9/6", "帮邻居修水管"], ["曲小红", "CLEAN", "", "2021年9月7日"], ["007", "VOL", "2", "44447", "打扫村道"]]'
expect_exit 0 vl "${A[@]}" import filled.xlsx --kind awards
expect_exit 0 vl --json history R001
expect_json '[[r["rule"], r["points"], r["date"]] for r in d["history"] if r.get("rule") and r["date"] >= "2021-09-06"]' '[["VOL", 3, "2021-09-06"]]'
expect_exit 0 vl --json history R002
expect_json '[[r["rule"], r["points"], r["date"]] for r in d["history"] if r.get("rule") and r["date"] >= "2021-09-06"]' '[["CLEAN", 3, "2021-09-07"]]'
expect_exit 0 vl --json history 007
expect_json '[[r["rule"], r["points"], r["date"]] for r in d["history"] if r.get("rule") and r["date"] >= "2021-09-06"]' '[["VOL", 2, "2021-09-08"]]'
# The same file again is the same import: nothing new.
expect_exit 0 vl "${A[@]}" import filled.xlsx --kind awards
expect_exit 0 vl --json history R001
expect_json 'len([r for r in d["history"] if r.get("rule") and r["date"] >= "2021-09-06"])' 1

finish
