#!/usr/bin/env bash
# People by name (issue 18, items 2, 6 and 9; SPEC section 12): `resident
# find` by name, pinyin, initials, household and id; a name in place of a
# resident id (one resident: that one; two: exit 3 listing both; nobody:
# exit 3 with the closest names); names kept out of the public log unless
# --allow-names; the name index never in a --public archive, dropped on
# erasure, built again by rebuild and restore; names in an import's
# resident column.
# Usage: names.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
C=(--key col.key)

expect_exit 0 vl init --test-clock --name 姓名测试 --admin-key-out admin.key
vl key new --out col.key >/dev/null
vl "${A[@]}" village add V1 --name 甲村 >/dev/null
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" rule add VOL --category 志愿服务 --points 3 >/dev/null
vl "${A[@]}" household add H1 --village V1 --head 曲户主 >/dev/null
vl "${A[@]}" household add H2 --village V2 --head 乙户主 >/dev/null
expect_exit 0 vl "${A[@]}" resident add R1 --village V1 --household H1 --name 王建国 --birth-year 1970
vl "${A[@]}" resident add R2 --village V1 --household H1 --name 单雄信 --adult >/dev/null
vl "${A[@]}" resident add R3 --village V1 --household H1 --name 曲小红 --adult >/dev/null

# ------------------------------------------------------- resident find
for q in 王建国 wangjianguo wjg WJG wangjian 王建; do
  expect_exit 0 vl resident find "$q"
  expect_stdout_contains "R1  王建国  village V1  household H1 (head 曲户主)  born 1970  active"
done
expect_exit 0 vl --json resident find wjg
expect_json 'd["residents"][0]["id"]' R1
expect_json 'd["residents"][0]["head"]' 曲户主
expect_json 'd["residents"][0]["birthYear"]' 1970
expect_json 'd["truncated"]' false
expect_exit 0 vl resident find shanxiongxin   # the surname table: 单 is shan
expect_stdout_contains "R2  单雄信"
expect_exit 0 vl resident find H1
expect_stdout_contains "R3  曲小红"
expect_exit 0 vl resident find nobody
expect_stdout_contains "no resident matches"
expect_exit 0 vl --lang zh resident find 王建国
expect_stdout_contains "户主 曲户主"

# ------------------------------------------------ a name for a resident
expect_exit 0 vl "${C[@]}" --json award 王建国 VOL
expect_exit 0 vl --json balance 王建国
expect_json 'd["resident"]' R1
expect_json 'd["creditScore"]' 3
expect_exit 0 vl --json history 王建国
expect_json 'd["resident"]' R1
# A second 王建国, in V2: the collector of V1 still means R1; a read
# without a key sees both and lists them.
vl "${A[@]}" resident add R4 --village V2 --household H2 --name 王建国 --birth-year 1985 >/dev/null
expect_exit 0 vl "${C[@]}" --json award 王建国 VOL
expect_exit 3 vl balance 王建国
expect_stderr_contains "R1 (H1, 曲户主, 1970)"
expect_stderr_contains "R4 (H2, 乙户主, 1985)"
expect_rejected_unchanged 3 vl "${A[@]}" award 王建国 VOL
expect_stderr_contains "王建国 is the name of 2 residents"
# An existing id wins over a name.
expect_exit 0 vl --json balance R4
expect_json 'd["creditScore"]' 0
# A name of nobody: exit 3 with the closest names.
expect_rejected_unchanged 3 vl "${A[@]}" award 王建军 VOL
expect_stderr_contains "no resident is named 王建军; the closest"
expect_stderr_contains "R1 (H1, 曲户主, 1970)"
expect_exit 3 vl balance 王剑国    # the same pinyin
expect_stderr_contains "R1 (H1"

# ------------------------------------------------- names in free text
expect_rejected_unchanged 3 vl "${C[@]}" award R3 VOL --note "帮单雄信修屋顶"
expect_stderr_contains "note: contains 单雄信"
expect_stdout_lacks "seq"
run vl "${C[@]}" award R3 VOL --note "帮单雄信修屋顶" --allow-names
expect_eq "$LAST_RC" 0 "--allow-names lets a name into a note"
expect_eq "$(grep -c 'part of the public log' "$(LAST_ERR_FILE)")" 1 \
  "the personal-data warning is printed once"
expect_rejected_unchanged 3 vl "${A[@]}" person erase R3 --reason "曲小红本人申请"
expect_stderr_contains "reason: contains 曲小红"
expect_rejected_unchanged 3 vl "${C[@]}" redeem R1 --points 1 --item "送给曲小红的米"
expect_stderr_contains "item: contains 曲小红"
# A refused command shows no warning.
expect_exit 3 vl "${C[@]}" award R3 VOL --note "曲小红"
expect_eq "$(grep -c 'part of the public log' "$(LAST_ERR_FILE)")" 0 "no warning on refusal"

# ------------------------------------------------- the public archive
expect_exit 0 vl "${A[@]}" export pub.vla --public
# No name in its bytes, and no entry but header, events, commits and the
# checkpoint (a byte search for the index's key prefix would also match
# signature bytes now and then).
expect_eq "$(grep -ac -e wangjianguo -e 王建国 pub.vla)" 0 \
  "a --public archive holds no name"
capnp convert binary:json "$REPO_ROOT/schemas/archive.capnp" ArchiveEntry \
  <pub.vla >pub.json
expect_eq "$(grep -c '"person"' pub.json)" 0 \
  "a --public archive holds no person records"
expect_exit 0 vl "${A[@]}" export full.vla --full
capnp convert binary:json "$REPO_ROOT/schemas/archive.capnp" ArchiveEntry \
  <full.vla >full.json
expect_eq "$(($(grep -c '"person"' full.json) > 0))" 1 \
  "a --full archive holds person records, listed the same way"
expect_eq "$(grep -c '"event"' pub.json)" "$(vl --json verify | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')" \
  "the archive's entries were listed"
expect_exit 0 vl verify --archive pub.vla --pub admin.key.pub
expect_exit 0 vl --ledger P restore pub.vla
expect_exit 0 vl --ledger P resident find 王建国
expect_stdout_contains "no resident matches"
expect_exit 0 vl backup B
expect_exit 0 vl --ledger B2 restore B
expect_exit 0 vl --ledger B2 resident find wjg
expect_stdout_contains "R1  王建国"

# ------------------------------------------------------------- erasure
expect_exit 0 vl "${A[@]}" person erase R2 --reason 本人申请
expect_exit 0 vl resident find 单雄信
expect_stdout_contains "no resident matches"
expect_exit 0 vl resident find sxx
expect_stdout_contains "no resident matches"
expect_exit 3 vl "${C[@]}" award 单雄信 VOL
expect_exit 0 vl "${C[@]}" award R3 VOL --note "单雄信"   # an erased name is free text
expect_exit 0 vl rebuild
expect_exit 0 vl resident find 单雄信
expect_stdout_contains "no resident matches"
expect_exit 0 vl resident find qxh
expect_stdout_contains "R3  曲小红"
expect_exit 0 vl verify

# ---------------------------------------------- names in an import
cat >names.csv <<'CSV'
resident,rule,points,date,note
曲小红,VOL,,2021-09-01,打扫村道
R1,VOL,,2021-09-02,
CSV
expect_exit 0 vl "${C[@]}" --json import names.csv --kind awards
expect_json 'd["appended"]' 2
expect_exit 0 vl --json balance R3
expect_json 'd["creditScore"]' 9
cat >ambiguous.csv <<'CSV'
resident,rule,points,date,note
王建军,VOL,,2021-09-01,
王建国,VOL,,2021-09-02,
R1,VOL,,2021-09-03,为曲小红理发
CSV
expect_exit 3 vl "${A[@]}" import ambiguous.csv --kind awards
expect_stderr_contains "3 rows are refused; nothing was appended"
expect_stderr_contains "line 2, column resident: no resident is named 王建军"
expect_stderr_contains "is the name of 2 residents"
expect_stderr_contains "line 4, column note: contains 曲小红"

finish
