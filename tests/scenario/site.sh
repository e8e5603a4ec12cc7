#!/usr/bin/env bash
# Scenario test for the villager site (issue 20, items 7-9): `site --out
# DIR` writes the index, a page per village, the village's resident page
# (r.html?id=…) with data for each adult resident (none for a minor or a
# resident of unknown age); names as the village's
# policy shows them on the site (masked by default, ids under `none`, none
# at all from a --public archive); two runs give identical trees; bad input
# (unknown village, --at past the log or not stored, a folder that is not
# empty) is exit 3 with nothing written; no file is over 300 KB.
# Then the browser test (site_browser.py, headless Chromium): the resident
# and village pages verify (已核验), and a copy with one event byte changed,
# one proof hash changed, or another ledger's checkpoint shows the warning
# naming the failed check. Without Chromium the test fails. The partner's
# certificate page: verify.html linked from the index, attest.json listing
# the attestor keys (a revoked one with its seq) and a revoked certificate.
# Usage: site.sh PATH/TO/vledger [SCREENSHOT_DIR]
source "$(dirname "$0")/lib.sh"
SHOTS=${2:-}
[[ -n $SHOTS ]] && SHOTS=$(readlink -f "$SHOTS")
setup

A=(--key admin.key)
C=(--key col.key)

# res SITE/VILLAGE RESIDENT EXPR: EXPR of the resident's data (r), found as
# the page finds it (r.html's list of data files), or "absent".
res() {
  python3 - "$@" <<'PY'
import json, re, sys
folder, rid, expr = sys.argv[1:4]
html = open(folder + "/r.html", encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="vdata">(.*?)</script>', html, re.S)
files = json.loads(m.group(1))["files"]
if rid not in files:
    print("absent")
else:
    r = json.load(open("%s/d/%d.json" % (folder, files[rid]), encoding="utf-8"))[rid]
    print(eval(expr))
PY
}

# ----------------------------------------------------------------- setup
expect_exit 0 vl init --test-clock --name 荣成市信用积分 --admin-key-out admin.key
vl key new --out col.key >/dev/null
vl "${A[@]}" village add V1 --name 甲夼曲家村 >/dev/null
vl "${A[@]}" village add V2 --name 乙村 >/dev/null
vl "${A[@]}" key register --pub col.key.pub --role collector --village V1 --village V2 >/dev/null
vl "${A[@]}" village policy V2 --public-names none >/dev/null
vl "${A[@]}" rule add VOL --category 志愿服务 --points 5 --min 1 --max 500 --desc 义务劳动 >/dev/null
vl "${A[@]}" rule add LITTER --category 环境整治 --points -10 --desc 乱扔垃圾 >/dev/null
cat >households.csv <<'EOF'
id,village,head
H01,V1,张建国
H02,V1,李秀英
H03,V2,陈大山
EOF
# R003 a minor, R004 of unknown age, R005 declared an adult without a
# birth year.
cat >residents.csv <<'EOF'
name,id,household,village,minor,birth_year,adult
张建国,R001,H01,V1,,1970,
李秀英,R002,H02,V1,,1980,
张小明,R003,H01,V1,1,2015,
王未知,R004,H02,V1,,,
刘成年,R005,H02,V1,,,1
陈大山,R101,H03,V2,,1975,
EOF
cat >awards.csv <<'EOF'
resident,rule,points,date,note
R001,VOL,10,2021-09-01,清扫村道
R001,VOL,5,2021-09-05,
R002,VOL,20,2021-09-02,照顾孤寡老人
R003,VOL,5,2021-09-03,
R004,VOL,5,2021-09-03,
R005,VOL,7,2021-09-04,
R101,VOL,8,2021-09-04,修桥
EOF
expect_exit 0 vl "${C[@]}" import households.csv --kind households
expect_exit 0 vl "${C[@]}" import residents.csv --kind residents
expect_exit 0 vl "${C[@]}" import awards.csv --kind awards
DEDUCT=$(vl --json "${C[@]}" deduct R001 LITTER --on 2021-09-10 --note '<b>焚烧秸秆</b>' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])')
vl "${C[@]}" deduct R002 LITTER --on 2021-09-11 >/dev/null
expect_exit 0 vl "${C[@]}" reverse "$DEDUCT" --reason 录入错误
expect_exit 0 vl "${A[@]}" checkpoint
SIZE=$(vl --json verify | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
ROOT=$(vl --json verify | python3 -c 'import json,sys; print(json.load(sys.stdin)["root"])')

# ----------------------------------------------------------------- files
expect_exit 0 vl --json site --out s1
expect_json 'd["residents"]' 4
expect_json 'd["villages"]' 2
for f in index.html assets/site.js assets/site.css assets/vendor/noble-hashes/sha2.js \
  assets/vendor/noble-ed25519/index.js assets/vendor/noble-ed25519/LICENSE V1/index.html \
  V1/r.html V1/d/0.json V2/index.html V2/r.html V2/d/0.json; do
  expect_eq "$([[ -f s1/$f ]] && echo yes)" yes "s1/$f written"
done
for r in R001 R002 R005; do
  expect_eq "$(res s1/V1 $r 'r["score"] >= 0')" True "V1's page has $r"
done
for r in R003 R004; do
  expect_eq "$(res s1/V1 $r 'r')" absent "no page for $r (minor or unknown age)"
done
expect_eq "$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))))' s1/V1/d/0.json)" \
  "['R001', 'R002', 'R005']" "V1's data file holds its adults only"
# V1: names masked by default on the site; V2 (--public-names none): ids only.
expect_eq "$(grep -c '张\*国 R001' s1/V1/index.html)" 1 "V1 lists R001 masked"
expect_eq "$(grep -c '张建国\|李秀英\|张小明\|王未知\|刘成年' s1/V1/index.html s1/V1/r.html s1/V1/d/*.json | awk -F: '{s+=$2} END {print s}')" 0 \
  "no full name on V1's pages"
expect_eq "$(res s1/V1 R001 'r["name"]')" '张*国' "R001's page names them masked"
expect_eq "$(grep -c '张小明\|张\*明\|R003' s1/V1/index.html)" 0 "the minor is not listed"
expect_eq "$(grep -c '陈大山\|陈\*山' s1/V2/index.html s1/V2/r.html s1/V2/d/0.json | awk -F: '{s+=$2} END {print s}')" 0 \
  "V2 (none) shows no name"
expect_eq "$(grep -c 'href="r.html?id=R101">R101<' s1/V2/index.html)" 1 "V2 lists R101 by id"
# The resident page: score and spendable, the reversed deduction marked, the
# note escaped, the data for the browser.
expect_eq "$(res s1/V1 R001 'r["score"]')" 15 "R001's credit score"
expect_eq "$(res s1/V1 R002 'r["score"]')" 10 "R002's credit score"
expect_eq "$(res s1/V1 R001 '[(e["what"], e.get("why")) for e in r["events"] if e["seq"] == '"$DEDUCT"']')" \
  "[('乱扔垃圾', 'reversed')]" "the reversed entry is marked"
expect_eq "$(res s1/V1 R001 '[e["seq"] for e in r["events"]] == sorted((e["seq"] for e in r["events"]), reverse=True), len(r["events"])')" \
  "(True, 4)" "R001's two awards, the deduction and its reversal, newest first"
expect_eq "$(res s1/V1 R001 '[e["note"] for e in r["events"] if e["seq"] == '"$DEDUCT"']')" \
  "['<b>焚烧秸秆</b>']" "the note as written (the page shows it as text: site_browser.py)"
expect_eq "$(grep -c 'id="vdata"' s1/V1/r.html)" 1 "the page carries its data"
expect_eq "$(grep -c "<meta name=\"viewport\"" s1/V1/index.html)" 1 "a phone viewport"
expect_eq "$(grep -c 'http://\|https://' s1/V1/index.html s1/V1/r.html s1/index.html | awk -F: '{s+=$2} END {print s}')" 0 \
  "no external resource"

# No page or data file over 300 KB (a resident page loads r.html, one data
# file: within 300 KB in all, bench/run counts it at the county).
expect_eq "$(find s1 -type f -size +300k | wc -l)" 0 "no file over 300 KB"

# ----------------------------------------------------------- determinism
expect_exit 0 vl site --out s2
expect_exit 0 diff -r s1 s2
mkdir empty
expect_exit 0 vl site --out empty --village V2
expect_eq "$(ls empty)" "$(printf 'V2\nassets\nattest.json\nindex.html\nverify.html')" \
  "--village V2 writes V2 only (into an empty folder), and the county's certificate page"
expect_exit 0 cmp empty/attest.json s1/attest.json
expect_exit 0 diff -r empty/V2 s1/V2

# ------------------------------------------------------------- bad input
expect_exit 3 vl site --out bad1 --village V9
expect_stderr_contains 'V9'
expect_eq "$([[ -e bad1 ]] && echo yes || echo no)" no "unknown village: nothing written"
expect_exit 3 vl site --out bad2 --at $((SIZE + 5))
expect_stderr_contains '--at'
expect_eq "$([[ -e bad2 ]] && echo yes || echo no)" no "--at past the log: nothing written"
expect_exit 3 vl site --out bad3 --at 3
expect_stderr_contains '--at'
expect_eq "$([[ -e bad3 ]] && echo yes || echo no)" no "--at without a checkpoint: nothing written"
expect_exit 3 vl site --out s1
expect_stderr_contains 'not empty'
expect_exit 0 diff -r s1 s2
expect_exit 2 vl --remote http://127.0.0.1:9 site --out bad4
expect_eq "$([[ -e bad4 ]] && echo yes || echo no)" no "--remote: nothing written"
# A disk that fills while the pages are written (a small tmpfs; the files
# are written by a thread of their own): one error naming --out, nothing
# left, neither DIR nor its temporary folder.
mkdir small
if mount -t tmpfs -o size=64k,mode=0755 tmpfs small 2>/dev/null; then
  expect_exit 3 vl site --out small/s
  expect_stderr_contains '--out'
  expect_eq "$(ls -A small | wc -l)" 0 "a full disk: nothing left"
  umount small
else
  echo "note: cannot mount a tmpfs here (needs root): the full-disk case was not run"
fi

# ------------------------------------------------ from a --public archive
expect_exit 0 vl "${A[@]}" export pub.vla --public
expect_exit 0 vl --ledger P restore pub.vla
expect_exit 0 vl --ledger P --json site --out sp
# The age known when a resident was registered is in the log (declared, or
# read from the birth year then): the adults keep their pages, by id.
expect_json 'd["residents"]' 4
expect_eq "$(res sp/V1 R005 'r["score"], r["name"]')" "(7, '')" "a declared adult keeps a page, with no name"
expect_eq "$(grep -rc '已删除' sp | awk -F: '{s+=$2} END {print s}')" 0 \
  "a --public archive's residents are not called 已删除 (erased)"
expect_eq "$(python3 -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))))' sp/V1/d/0.json)" \
  "['R001', 'R002', 'R005']" "no page for the minor or the unknown age"
expect_eq "$(grep -rc '张\|李\|王\|刘\|陈' sp --include='*.html' --include='*.json' | awk -F: '{s+=$2} END {print s}')" 0 \
  "no name (nor masked name) at all from a --public archive"

# ------------------------------------- a checkpoint the county key did not sign
# A server's checkpointer key signs checkpoints the pages could not check by
# the county key: the site keeps to the newest the county key signed.
vl key new --out cp.key >/dev/null
vl "${A[@]}" key register --pub cp.key.pub --role checkpointer >/dev/null
vl "${C[@]}" award R001 VOL --on 2021-09-20 >/dev/null
expect_exit 0 vl --key cp.key checkpoint
CP_SIZE=$(vl --json verify | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
expect_exit 0 vl --json site --out s3
expect_json 'd["size"]' "$SIZE"
expect_exit 0 diff -r s1 s3
expect_exit 3 vl site --out bad5 --at "$CP_SIZE"
expect_stderr_contains 'not signed by the county key'
expect_eq "$([[ -e bad5 ]] && echo yes || echo no)" no "--at a checkpointer's checkpoint: nothing written"
expect_exit 0 vl "${A[@]}" checkpoint --size "$CP_SIZE"
expect_exit 0 vl --json site --out s4 --at "$CP_SIZE"
expect_json 'd["size"]' "$CP_SIZE"
expect_eq "$(res s4/V1 R001 'r["score"]')" 20 "R001's score with the later award"

# ------------------------------------ the certificate page and attest.json
# verify.html, linked from the index, checks certificates against
# attest.json: the county's attestor keys and the certificates no longer
# valid at the site's checkpoint (site_attest.sh checks it in a browser).
expect_eq "$(grep -c 'href="verify.html"' s1/index.html)" 1 "the index links verify.html"
expect_eq "$(grep -c 'id="cert"' s1/verify.html)" 1 "verify.html has the certificate's box"
expect_eq "$(grep -c 'assets/verify.js' s1/verify.html)" 1 "verify.html runs assets/verify.js"
expect_eq "$([[ -f s1/assets/verify.js ]] && echo yes)" yes "s1/assets/verify.js written"
expect_eq "$(grep -c 'http://\|https://' s1/verify.html s1/assets/verify.js | awk -F: '{s+=$2} END {print s}')" 0 \
  "verify.html: no external resource"
python3 - s1/attest.json "$SIZE" <<'PY' && pass "s1/attest.json: no attestor, nothing lapsed" ||
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["format"] == "vledger-site-attest/v1" and d["size"] == int(sys.argv[2]), d
assert d["origin"] == d["checkpoint"].split("\n")[0], d
assert d["attestors"] == [] and d["lapsed"] == [], d
PY
  fail "s1/attest.json"
vl key new --out att.key >/dev/null
vl key new --out att2.key >/dev/null
expect_exit 0 vl "${A[@]}" key register --pub att.key.pub --role attestor --label 信用办
expect_exit 0 vl "${A[@]}" key register --pub att2.key.pub --role attestor --label 旧印章
expect_exit 0 vl "${A[@]}" village grades V1 --from 2021-09-01 --grades A:50,B:0
expect_exit 0 vl "${C[@]}" resident add R006 --village V1 --household H01 --name 张有证 \
  --id-card 11010519491231002X
expect_exit 0 vl "${C[@]}" award R006 VOL --points 100 --on 2021-09-20
expect_exit 0 vl "${A[@]}" checkpoint
expect_exit 0 vl --json --key att.key attest R006 --valid-days 90 --id-card 11010519491231002X \
  --out keep.txt
KEEP_HASH=$(json_get 'd["certificateHash"]')
expect_exit 0 vl --json --key att.key attest R006 --valid-days 90 --id-card 11010519491231002X \
  --out gone.txt
GONE_HASH=$(json_get 'd["certificateHash"]')
expect_exit 0 vl --json --key att.key attest revoke gone.txt
GONE_SEQ=$(json_get 'd["seq"]')
ATT=$(vl --json key list | python3 -c '
import json, sys
print(" ".join(sorted(k["keyId"] for k in json.load(sys.stdin)["keys"] if k["role"] == "attestor")))')
ATT2_ID=$(vl --json key list | python3 -c '
import json, sys
print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k.get("label") == "旧印章"][0])')
expect_exit 0 vl --json "${A[@]}" key revoke "$ATT2_ID"
ATT2_REVOKED=$(json_get 'd["seq"]')
expect_exit 0 vl "${A[@]}" checkpoint
expect_exit 0 vl site --out s5
python3 - s5/attest.json "$ATT" "$ATT2_ID" "$ATT2_REVOKED" "$GONE_HASH" "$GONE_SEQ" "$KEEP_HASH" \
  att.key.pub <<'PY' && pass "s5/attest.json: both attestor keys (one revoked), the revoked certificate" ||
import base64, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
ids, att2, att2_revoked, gone, gone_seq, keep, pub = sys.argv[2:]
assert [a["keyId"] for a in d["attestors"]] == ids.split(), d["attestors"]
by_id = {a["keyId"]: a for a in d["attestors"]}
assert by_id[att2]["revokedSeq"] == int(att2_revoked) and by_id[att2]["label"] == "旧印章", by_id
other = [a for a in d["attestors"] if a["keyId"] != att2][0]
assert "revokedSeq" not in other and other["label"] == "信用办", other
der = base64.b64decode("".join(l for l in open(pub).read().splitlines() if "-----" not in l))
assert other["key"] == der[-32:].hex(), (other["key"], der.hex())
assert d["lapsed"] == [{"hash": gone, "from": int(gone_seq), "why": "revoked"}], d["lapsed"]
assert keep not in json.dumps(d)
PY
  fail "s5/attest.json"
expect_exit 0 vl site --out s6
expect_exit 0 diff -r s5 s6

# ------------------------------------------------- a history too long for a page
# 400 awards to one resident: their data would pass 300 KB, so the page
# keeps the newest that fit, and says how many older ones it leaves out
# and the points they count (site_browser.py checks the page adds them to
# what it verifies and shows 已核验).
mkdir long && (cd long && "$VLEDGER" init --test-clock --name 长账本 --admin-key-out a.key >/dev/null &&
  "$VLEDGER" --key a.key village add V1 --name 甲村 >/dev/null &&
  "$VLEDGER" --key a.key rule add VOL --category 志愿服务 --points 5 --min 1 --max 500 --desc 义务劳动 >/dev/null &&
  "$VLEDGER" --key a.key household add H1 --village V1 --head 王一 >/dev/null &&
  "$VLEDGER" --key a.key resident add R1 --village V1 --household H1 --name 王一 --birth-year 1970 >/dev/null &&
  python3 -c '
print("resident,rule,points,date,note")
for i in range(400):
    print("R1,VOL,%d,2021-09-%02d,第%d次清扫村道" % (i % 7 + 1, i % 28 + 1, i + 1))' >awards.csv &&
  "$VLEDGER" --key a.key import awards.csv --kind awards >/dev/null &&
  "$VLEDGER" --key a.key checkpoint >/dev/null && "$VLEDGER" site --out ../sl >/dev/null) ||
  fail "the long history's ledger"
python3 - sl/V1 <<'PY' && pass "R1's data: the newest awards, the older ones counted, under 300 KB" ||
import json, os, sys
r = json.load(open(sys.argv[1] + "/d/0.json", encoding="utf-8"))["R1"]
listed = len(r["events"])
assert 0 < listed < 400 and r["omitted"] == 400 - listed, (listed, r["omitted"])
points = [i % 7 + 1 for i in range(400)]
assert r["carried"] == sum(points[:r["omitted"]]), (r["carried"], r["omitted"])
assert r["score"] == sum(points), r["score"]
assert [e["seq"] for e in r["events"]] == sorted((e["seq"] for e in r["events"]), reverse=True)
page = os.path.getsize(sys.argv[1] + "/r.html") + os.path.getsize(sys.argv[1] + "/d/0.json")
assert page <= 300 * 1024, page
print("info %d awards listed, %d left out (%d points), page and data %d bytes" % (
    listed, r["omitted"], r["carried"], page))
PY
  fail "R1's data in sl/V1/d/0.json"

# ----------------------------------------------------------- the browser
# Another ledger's checkpoint, for the browser to refuse.
mkdir other && (cd other && "$VLEDGER" init --test-clock --name 别的账本 --admin-key-out o.key >/dev/null &&
  "$VLEDGER" --key o.key village add V1 --name 甲村 >/dev/null && "$VLEDGER" --key o.key checkpoint >/dev/null &&
  "$VLEDGER" tiles --out t >/dev/null && cp t/checkpoint ../other.cp)
expect_eq "$(grep -c '^vledger/别的账本' other.cp)" 1 "another ledger's checkpoint"
expect_exit 0 env SITE_LONG="$PWD/sl" /usr/bin/python3 "$SCENARIO_DIR/site_browser.py" s1 other.cp \
  "$SIZE" "$ROOT" ${SHOTS:+"$SHOTS"}
last_stdout
finish
