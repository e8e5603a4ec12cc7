#!/usr/bin/env bash
# People and their text (issue 16, items 12, 16, 19, 22): a resident's age
# (ID-card birth date, else birth year, else --minor/--adult) decides whether
# public reports name it, at the report's date; `resident update` corrects
# it under a new person record and erases the old one; an origin the
# checkpoint signer refuses is refused by init; names and free text refuse
# blank, bidi-control and noncharacter values; control characters typed by
# a user never reach the terminal raw.
# Usage: people.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

A=(--key admin.key)
C=(--key col.key)
ESC=$'\e'

# ------------------------------------------------------ origin (item 16)
i=0
for bad in 'a b' 'x+y' '+' -x - $'a\u3000b' $'a\u00a0b'; do
  i=$((i + 1))
  expect_exit 3 vl --ledger O$i init --test-clock --name T --origin="$bad" --admin-key-out o$i.key
  expect_stderr_contains '--origin'
  expect_eq "$(ls -d O$i o$i.key* 2>/dev/null)" "" "init --origin '$bad' writes nothing"
done
# A ledger name with an ideographic space and a '+' gives a default origin
# the checkpoint signer takes.
expect_exit 0 vl --ledger O0 init --test-clock --name $'曲家村\u3000积分+1' --admin-key-out o0.key
expect_exit 0 vl --ledger O0 --key o0.key checkpoint
expect_stdout_contains $'vledger/曲家村-积分-1-'

# ---------------------------------------------------------- the ledger
expect_exit 0 vl init --test-clock --name 人员测试 --admin-key-out admin.key
for k in col col2; do vl key new --out $k.key >/dev/null; done
vl "${A[@]}" village add V1 --name 甲村 >/dev/null
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub col2.key.pub --role collector --village V2 >/dev/null
vl "${A[@]}" rule add VOL --category 志愿服务 --points 5 --min 1 --max 50 >/dev/null
vl "${C[@]}" household add H1 --village V1 --head 曲户主 >/dev/null

# ------------------------------------------------------- age (item 12)
add() { vl "${C[@]}" resident add "$1" --village V1 --household H1 --name "${@:2}"; }
expect_exit 0 add RA 曲大山 --birth-year 1962
expect_exit 0 add RK3 曲小刚 --birth-year 2016                 # --minor forgotten
expect_exit 0 add RY 曲青年 --birth-year 2003                  # 18 in 2021: a minor all 2021
expect_exit 0 add RC 曲身份 --id-card 371081200306151231       # 18 on 2021-06-15
expect_exit 0 add RU 曲未知                                    # age unknown
expect_exit 0 add RD 曲成年 --adult
expect_exit 0 add RM 曲小妹 --minor
# A declaration contradicting the birth data, a birth year in the future
# or before 1900, a bad ID-card number: exit 3, nothing written.
expect_rejected_unchanged 3 add RX 某 --minor --birth-year 1950
expect_stderr_contains '--minor'
expect_rejected_unchanged 3 add RX 某 --adult --birth-year 2016
expect_stderr_contains '--adult'
expect_rejected_unchanged 3 add RX 某 --adult --id-card 371081201001010010
expect_stderr_contains '--adult'
expect_rejected_unchanged 3 add RX 某 --minor --id-card 37108119700101002X
expect_stderr_contains '--minor'
expect_rejected_unchanged 3 add RX 某 --birth-year 2099
expect_stderr_contains '--birth-year'
expect_rejected_unchanged 3 add RX 某 --birth-year 1899
expect_stderr_contains '--birth-year'
expect_rejected_unchanged 3 add RX 某 --id-card 371081200306151232
expect_stderr_contains '--id-card'
expect_rejected_unchanged 3 add RX 某 --id-card 371081200306151231 --birth-year 2004
expect_stderr_contains '--birth-year'
expect_exit 2 add RX 某 --minor --adult
for r in RA RK3 RY RC RU RD RM; do
  vl "${C[@]}" award $r VOL --points 7 --on 2021-08-02 >/dev/null
done

# The bulletin names only residents known to be adults on its date (the
# recorded time of its last event: 2021-09-30), in every format.
expect_exit 0 vl "${A[@]}" checkpoint
for f in html md csv json; do
  expect_exit 0 vl report bulletin --village V1 --period 2021Q3 --format $f --out q3.$f
  for named in 曲大山 曲身份 曲成年; do
    expect_eq "$(grep -c "$named" q3.$f)" 1 "$f: $named (an adult) is named"
  done
  for masked in 曲小刚 曲青年 曲未知 曲小妹; do
    expect_eq "$(grep -c "$masked" q3.$f)" 0 "$f: $masked (a minor or of unknown age) is not named"
  done
done
expect_eq "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["residents"], s["minors"], s["minorPoints"])' q3.json)" \
  "7 4 28" "totals count the four not named"
# A clerk's list says why.
expect_exit 0 vl --json resident list --village V1
expect_json '{r["id"]: r["age"] for r in d["residents"]}' \
  '{"RA": "adult", "RC": "adult", "RD": "adult", "RK3": "minor", "RM": "minor", "RU": "unknown", "RY": "minor"}'

# ---------------------------------------------- resident update (item 12)
# Only a collector of the village (or an admin) corrects a resident.
expect_rejected_unchanged 3 vl --key col2.key resident update RU --adult
expect_rejected_unchanged 3 vl "${C[@]}" resident update RK3 --adult
expect_stderr_contains '--adult'
expect_rejected_unchanged 3 vl "${C[@]}" resident update RU --birth-year 2099
expect_stderr_contains '--birth-year'
expect_rejected_unchanged 3 vl "${C[@]}" resident update NOPE --adult
expect_exit 2 vl "${C[@]}" resident update RU --minor --adult
# A declaration alone needs no new person record.
expect_exit 0 vl --json "${C[@]}" resident update RU --adult
expect_json 'd["seq"] == d["last"]' true
# Name and phone: a new person record, the old one erased in the same commit.
OLD_REF=$(vl --json log | python3 -c '
import json, sys
print([e["body"]["personRef"] for e in json.load(sys.stdin)["events"]
       if e["type"] == "residentRegistered" and e["body"]["id"] == "RU"][0])')
expect_exit 0 vl --json "${C[@]}" resident update RU --name 曲改名 --phone 13900001111
expect_exit 0 vl --json log
expect_json '[e["type"] for e in d["events"][-2:]]' '["residentUpdated", "personErased"]'
expect_json 'd["events"][-1]["body"]["personRef"]' "$OLD_REF"
expect_json 'd["events"][-2]["body"]["personRef"] not in ("", "'"$OLD_REF"'")' true
# verify checks every present record against its commitment: the old record
# is gone (a present record of an erased person is a fault) and the new one
# matches.
expect_exit 0 vl verify
expect_exit 0 vl "${A[@]}" export full.vla --full
expect_stdout_contains '8 person records'  # a head and seven residents: the old record is gone
expect_exit 0 vl verify --archive full.vla
# The ID card corrects the birth year's answer: 曲青年 was born 2003-06-15.
expect_exit 0 vl "${C[@]}" resident update RY --id-card 371081200306151231
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format md --out upd.md
for named in 曲大山 曲身份 曲成年 曲改名 曲青年; do
  expect_eq "$(grep -c "$named" upd.md)" 1 "after update: $named is named"
done
for masked in 曲小刚 曲未知 曲小妹; do
  expect_eq "$(grep -c "$masked" upd.md)" 0 "after update: $masked is not named"
done
expect_exit 0 vl --json resident list --village V1
expect_json '[(r["name"], r["age"]) for r in d["residents"] if r["id"] in ("RU", "RY")]' \
  '[["曲改名", "adult"], ["曲青年", "adult"]]'

# Imported residents take the same rules: an `adult` column, and a
# contradiction is refused naming its line.
printf 'id,village,household,name,birth_year,minor,adult\nRI,V1,H1,曲导入,,,是\n' >adult.csv
expect_exit 0 vl "${C[@]}" import adult.csv --kind residents
printf 'id,village,household,name,birth_year,minor\nRJ,V1,H1,曲矛盾,1950,1\n' >minor.csv
expect_rejected_unchanged 3 vl "${C[@]}" import minor.csv --kind residents
expect_stderr_contains 'line 2, column minor'
expect_exit 0 vl --json resident list --village V1
expect_json '[r["age"] for r in d["residents"] if r["id"] == "RI"]' '["adult"]'

# A child turns adult in later reports by itself: with a birth year alone,
# after the calendar year of the 18th birthday. The report's date comes
# from the log, so record something in 2022.
expect_exit 0 add RB 曲二零 --birth-year 2003
vl "${C[@]}" award RB VOL --points 3 --on 2021-08-09 >/dev/null
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format md --out y2021.md
expect_eq "$(grep -c 曲二零 y2021.md)" 0 "born 2003: not named in a 2021 report"
export VLEDGER_NOW=2022-01-05T02:00:00Z
vl "${C[@]}" award RA VOL --points 1 --on 2022-01-04 >/dev/null
expect_exit 0 vl "${A[@]}" report bulletin --village V1 --period 2021Q3 --format md --out y2022.md
expect_eq "$(grep -c 曲二零 y2022.md)" 1 "born 2003: named in a 2022 report"
expect_eq "$(grep -c 曲小刚 y2022.md)" 0 "born 2016: still not named in 2022"
# The 2021 report still verifies: its date is its own last event's.
expect_exit 0 vl verify-report y2021.md

# ------------------------------------------- names and text (item 19)
for bad in ' ' $'\u3000' $'\u200b' $' \u200b\u3000\ufeff' $'\u2060' $'曲\u202e明' \
  $'曲\u2067明' $'曲\u200f明' $'曲\ufdd0明' $'曲\uffff明'; do
  i=$((i + 1))
  expect_rejected_unchanged 3 add RN$i "$bad"
  expect_stderr_contains '--name'
  expect_exit 3 vl "${C[@]}" award RA VOL --note "$bad"
  expect_stderr_contains '--note'
done
# Control characters are shown escaped in messages, never raw.
expect_exit 3 vl "${C[@]}" award RA X --note $'\e[31m'
expect_eq "$(grep -c "$ESC" "$(LAST_ERR_FILE)")" 0 "no raw ESC on stderr (award --note)"
expect_rejected_unchanged 3 vl "${C[@]}" award $'R\e[31m1' VOL
expect_eq "$(grep -c "$ESC" "$(LAST_ERR_FILE)")" 0 "no raw ESC on stderr (resident id)"
expect_stderr_contains 'R\x1b[31m1'
expect_rejected_unchanged 3 vl "${A[@]}" village add $'V\a9' --name 村
expect_eq "$(grep -c $'\a' "$(LAST_ERR_FILE)")" 0 "no raw BEL on stderr"
expect_stderr_contains 'V\x079'
expect_exit 2 vl "${C[@]}" award RA VOL --no-such-flag $'\e]0;x\a'
expect_eq "$(grep -c "$ESC" "$(LAST_ERR_FILE)")" 0 "no raw ESC on stderr (usage error)"

# What a request id keeps of its command is sealed (a salt and a hash): an
# ID-card number given with --request-id is nowhere in the ledger's files,
# and the id still tells a repeat from a different command.
expect_exit 0 add RQ 曲请求 --id-card 371081198001011238 --request-id rq-card
expect_exit 0 vl --json "${C[@]}" resident add RQ --village V1 --household H1 --name 曲请求 \
  --id-card 371081198001011238 --request-id rq-card
expect_json 'd["repeated"]' true
expect_rejected_unchanged 3 add RQ2 曲请求 --id-card 371081198001011238 --request-id rq-card
expect_stderr_contains 'different command'
expect_eq "$(grep -rl 371081198001011238 vledger-data | wc -l)" 0 \
  "no ID-card number in the ledger's files (request ids keep a sealed fingerprint)"

finish
