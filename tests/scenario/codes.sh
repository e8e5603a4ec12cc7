#!/usr/bin/env bash
# Display names for codes (issue 18, item 5; SPEC section 12, "Display
# names"): `name set` and `rule add --name` give rules, purposes, shops,
# funds and categories the names people read; the sentence of an award,
# `log`, `rule list`, `history`, a fund's balance and the bulletin show
# them, in Chinese and English, while JSON keeps the codes. Bad names,
# unknown codes and the wrong role are refused with nothing written; a
# report of a ledger without names is the same before and after an
# unrelated name is set, and a name changes only what it names.
# Also: `log --resident` and `objection file --by` take a name.
# Usage: codes.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
C=(--key col.key)
T=(--key tre.key)
zh() {
  printf x >>"$WORK/.out/calls"
  LANG=zh_CN.UTF-8 "$VLEDGER" "$@"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ----------------------------------------------------------------- setup
expect_exit 0 vl init --test-clock --name 名称测试 --admin-key-out admin.key
for k in col tre aud; do vl key new --out $k.key >/dev/null; done
vl "${A[@]}" village add V1 --name 甲村 >/dev/null
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub tre.key.pub --role treasurer --village V1 >/dev/null
vl "${A[@]}" key register --pub aud.key.pub --role auditor >/dev/null
vl "${C[@]}" household add H1 --village V1 --head 曲户主 >/dev/null
vl "${C[@]}" resident add R1 --village V1 --household H1 --name 曲建国 --adult >/dev/null
vl "${C[@]}" household head H1 --resident R1 >/dev/null
vl "${A[@]}" rule add VOL --category volunteer --points 3 --desc 为老人义务理发 >/dev/null
vl "${A[@]}" fund open EDU --name 教育基金 --kind charity --village V1 >/dev/null
vl "${T[@]}" donate EDU --amount 500 --donor-org 县慈善总会 --purpose edu >/dev/null
vl "${C[@]}" award R1 VOL --on 2021-08-03 >/dev/null
vl "${A[@]}" checkpoint >/dev/null

# A bulletin before any name: the bytes a ledger without names gives.
for f in html md csv json; do
  expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format $f --out before.$f
done

# ----------------------------------------------------------- bad input: 3
expect_rejected_unchanged 3 vl "${A[@]}" name set rule VOL ''
expect_stderr_contains 'name: must not be empty'
long=$(printf '名%.0s' {1..65})
expect_rejected_unchanged 3 vl "${A[@]}" name set rule VOL "$long"
expect_stderr_contains 'name: is 65 characters long; at most 64 allowed'
expect_rejected_unchanged 3 vl "${A[@]}" name set rule VOL $'志愿\x01服务'
expect_stderr_contains 'name:'
expect_rejected_unchanged 3 vl "${A[@]}" name set rule NOPE 某规则
expect_stderr_contains 'code: unknown rule "NOPE"'
expect_rejected_unchanged 3 vl "${A[@]}" name set fund NOPE 某基金
expect_stderr_contains 'unknown fund "NOPE"'
expect_rejected_unchanged 3 vl "${A[@]}" name set category nosuch 某类
expect_stderr_contains 'no rule has category "nosuch"'
expect_rejected_unchanged 3 vl "${A[@]}" name set colour VOL 红色
expect_stderr_contains 'kind: "colour" is not rule, purpose, shop, fund or category'
expect_rejected_unchanged 3 vl "${A[@]}" name set purpose 'e du' 助学
expect_stderr_contains 'code:'
expect_rejected_unchanged 3 vl "${A[@]}" name set rule VOL 志愿服务理发 --village V1
expect_stderr_contains 'village:'
expect_rejected_unchanged 3 vl "${A[@]}" name set shop CS01 信用超市 --village NOPE
expect_stderr_contains 'unknown village "NOPE"'
# Names are an admin's: a collector of the village and a treasurer may not.
expect_rejected_unchanged 3 vl "${C[@]}" name set shop CS01 信用超市 --village V1
expect_stderr_contains 'may not write displayNameSet'
expect_rejected_unchanged 3 vl "${T[@]}" name set purpose edu 助学 --village V1
expect_stderr_contains '(role treasurer) may not write displayNameSet'
expect_exit 3 zh "${T[@]}" name set purpose edu 助学 --village V1
expect_stderr_contains '会计'
if grep -q 'treasurer' "$(LAST_ERR_FILE)"; then fail "a role name in English in a Chinese line"; else pass "the role is named in Chinese"; fi
expect_exit 2 vl "${A[@]}" name set rule VOL
expect_exit 2 vl "${A[@]}" rule add BAD --category volunteer --points 1 --name ''
expect_exit 3 vl "${A[@]}" rule list --village NOPE

# ------------------------------------------- a name unrelated to V1's report
expect_exit 0 vl "${A[@]}" name set shop CS01 乙村超市 --village V2
vl "${A[@]}" checkpoint >/dev/null
N=$(ledger_size ./vledger-data)
for f in html md csv json; do
  expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format $f --out other.$f
  expect_eq "$(grep -c 乙村超市 other.$f)" 0 "$f: another village's shop name is not in V1's report"
done

# ------------------------------------------------------------- names set
expect_exit 0 vl "${A[@]}" name set rule VOL 志愿服务理发
expect_stdout_contains 'Named rule VOL "志愿服务理发"'
expect_exit 0 zh "${A[@]}" name set category volunteer 志愿服务
expect_stdout_contains '类别 volunteer'
expect_stdout_contains '志愿服务'
expect_exit 0 vl "${A[@]}" name set purpose edu 助学
expect_exit 0 vl "${A[@]}" name set shop CS01 信用超市 --village V1
expect_exit 0 vl "${A[@]}" name set fund EDU 曲家村教育基金
# A later name replaces the earlier one.
expect_exit 0 vl "${A[@]}" name set purpose edu 助学金
expect_exit 0 vl "${A[@]}" rule add HAIR --category volunteer --points 2 --name 义务理发
expect_stdout_contains 'HAIR'
expect_stdout_contains '义务理发'
vl "${A[@]}" checkpoint >/dev/null

# The award's sentence: category and rule by name, in both languages.
expect_exit 0 zh "${C[@]}" award R1 VOL --on 2021-08-04 --note 帮邻居理发
expect_stdout_contains '已为 曲建国（R1）'
expect_stdout_contains '（志愿服务：志愿服务理发；'
expect_exit 0 vl "${C[@]}" award R1 HAIR --on 2021-08-05
expect_stdout_contains '(志愿服务: 义务理发)'
expect_exit 0 vl "${C[@]}" redeem R1 --points 1 --item 酱油 --shop CS01
expect_stdout_contains 'at 信用超市'
vl "${T[@]}" disburse EDU --to R1 --amount 100 --purpose edu >/dev/null

# log, history, rule list, summary, the fund: names, the JSON codes.
expect_exit 0 vl log --kind award
expect_stdout_contains '志愿服务: 志愿服务理发'
expect_exit 0 zh log --kind name
expect_stdout_contains '设置名称'
expect_stdout_contains '信用超市（CS01）'
expect_exit 0 vl --json log --kind name
expect_json '[e["body"]["kind"] for e in d["events"]]' '["shop", "rule", "category", "purpose", "shop", "fund", "purpose", "rule"]'
expect_json 'd["events"][0]["body"]["code"]' 'CS01'
expect_exit 0 vl history R1
expect_stdout_contains '志愿服务理发'
expect_stdout_contains 'at 信用超市'
expect_exit 0 vl rule list
expect_stdout_contains 'VOL  志愿服务理发  *  志愿服务  3 points'
expect_exit 0 zh rule list
expect_stdout_contains 'HAIR  义务理发  *  志愿服务  2 分'
expect_exit 0 vl --json rule list
expect_json '[r.get("name") for r in d["rules"]]' '["义务理发", "志愿服务理发"]'
expect_json '[r["category"] for r in d["rules"]]' '["volunteer", "volunteer"]'
expect_exit 0 vl summary --month 2021-08
expect_stdout_contains '志愿服务  awards'
expect_exit 0 vl balance --fund EDU
expect_stdout_contains '曲家村教育基金'
expect_stdout_contains '助学金'
expect_exit 0 vl statement EDU --period 2021Q3
expect_stdout_contains '助学金'

# The bulletin shows the names; JSON adds them beside the codes.
vl "${A[@]}" checkpoint >/dev/null
for f in html md csv; do
  expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format $f --out named.$f
  expect_exit 0 grep -q '志愿服务理发' named.$f
  expect_exit 0 grep -q '助学金' named.$f
  expect_exit 0 grep -q '曲家村教育基金' named.$f
done
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format md --lang en --out named-en.md
expect_exit 0 grep -q '志愿服务理发' named-en.md
expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format json --out named.json
expect_exit 0 python3 -c '
import json
d = json.load(open("named.json", encoding="utf-8"))
rules = {r["rule"]: r for r in d["rules"]}
assert rules["VOL"]["name"] == "志愿服务理发", rules
assert rules["VOL"]["category"] == "volunteer" and rules["VOL"]["categoryName"] == "志愿服务", rules
assert d["categories"][0]["name"] == "志愿服务", d["categories"]
fund = d["funds"][0]
assert fund["fund"] == "EDU" and fund["name"] == "曲家村教育基金", fund
assert fund["payments"][0]["purpose"] == "edu" and fund["payments"][0]["purposeName"] == "助学金", fund
'
# Still a pure function of the log: verify-report regenerates the bytes,
# of the reports made before any name too.
for f in html md csv json; do
  expect_exit 0 vl verify-report named.$f
  expect_exit 0 vl verify-report before.$f
  expect_eq "$(grep -c -e 志愿服务理发 -e 助学 before.$f)" 0 "$f: no name in the report made before"
done
expect_exit 0 vl verify

# ----------------------------- RESIDENT arguments by name: log, objection
expect_exit 0 vl log --resident 曲建国 --kind award
expect_stdout_contains '志愿服务理发'
expect_exit 0 vl --json log --resident 曲建国
by_name=$(last_stdout)
expect_exit 0 vl --json log --resident R1
expect_eq "$(last_stdout)" "$by_name" "log --resident by name is log --resident by id"
expect_exit 3 vl log --resident 无此人
award=$(vl --json log --kind award --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"][0]["seq"])')
expect_exit 0 vl --key aud.key --json objection file --event "$award" --by 曲建国 --text 分数记错了
expect_exit 0 vl --json log --kind objection
expect_json 'd["events"][0]["body"]["byResident"]' 'R1'
expect_rejected_unchanged 3 vl --key aud.key objection file --event "$award" --by 无此人 --text 分数记错了

finish
