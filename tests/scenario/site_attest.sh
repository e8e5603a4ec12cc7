#!/usr/bin/env bash
# The villager site's certificate page (issue 21, verify-attestation "and
# the villager site, offline in the browser"): real certificates issued
# with `attest`, the site written with `site`, and verify.html checked in
# headless Chromium (site_attest_browser.py): a valid certificate (有效),
# with the right ID card (有效) and a wrong one (身份证不符), one byte
# changed (篡改), signed by a collector's key of this county
# (签名密钥不是核验员), another county's (非本县签发), an expired one
# (已过期); then, after `attest revoke`, a grade drop, a benefit withdrawn
# and a new site, those certificates (已失效（自第 N 条起）) while
# the others still hold; and the certificate carried in verify.html#c=….
# The ledger's test clock is set near the real date, since the page's
# "today" is the browser's clock. Without Chromium the test fails.
# Usage: site_attest.sh PATH/TO/vledger [SCREENSHOT]
source "$(dirname "$0")/lib.sh"
SHOT=${2:-}
[[ -n $SHOT ]] && SHOT=$(readlink -f "$SHOT")
setup

ID1=11010519491231002X   # R1's
ID2=371081198003121238   # R2's
ID9=371081198507064564   # nobody's on record
# The real time now, and 40 days before (the expired certificate's day).
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
THEN=$(date -u -d '40 days ago' +%Y-%m-%dT%H:%M:%SZ)
DAY0=$(TZ=Asia/Shanghai date -d "$THEN" +%Y-%m-%d)
export VLEDGER_NOW=$THEN

# A county with a village V1, an attestor key, residents with ID cards and
# grades (AAA at 200 points), and a benefit for AA or better.
county() {
  local L=(--ledger "$1") name=$2
  expect_exit 0 vl "${L[@]}" init --test-clock --name "$name" --admin-key-out "$1.admin.key"
  local A=("${L[@]}" --key "$1.admin.key") C=("${L[@]}" --key col.key)
  expect_exit 0 vl "${A[@]}" village add V1 --name 一村
  expect_exit 0 vl "${A[@]}" key register --pub col.key.pub --role collector --village V1
  expect_exit 0 vl "${A[@]}" key register --pub att.key.pub --role attestor --label 信用办
  expect_exit 0 vl "${A[@]}" rule add GOOD --category 志愿服务 --points 50
  expect_exit 0 vl "${A[@]}" rule add BAD --category 违规 --points -100
  expect_exit 0 vl "${C[@]}" household add H1 --village V1 --head 曲建国
  expect_exit 0 vl "${C[@]}" resident add R1 --village V1 --household H1 --name 曲建国 --id-card $ID1
  expect_exit 0 vl "${C[@]}" resident add R2 --village V1 --household H1 --name 曲小红 --id-card $ID2
  for r in R1 R1 R1 R1 R2 R2 R2 R2; do
    expect_exit 0 vl "${C[@]}" award $r GOOD --on "$DAY0"
  done
  expect_exit 0 vl "${A[@]}" village grades V1 --from "$DAY0" --grades AAA:200,AA:150,A:100,B:50,C:0
  expect_exit 0 vl "${A[@]}" benefit add BUS --name 免费乘公交 --partner 市交通集团 --min-grade AA \
    --village V1
  expect_exit 0 vl "${A[@]}" checkpoint
}

vl key new --out col.key >/dev/null
vl key new --out att.key >/dev/null
# Another county, whose attestor is the same key: only the origin differs.
county L2 别县
expect_exit 0 vl --ledger L2 --key att.key attest R1 --valid-days 90 --id-card $ID1 --out other.txt
county L1 本县
export VLEDGER_DIR=L1
cp L1.admin.key admin.key
expect_exit 0 vl --key admin.key benefit add TRAIN --name 景区门票优惠 --partner 县文旅局 --min-grade AA
expect_exit 0 vl --key att.key attest R1 --valid-days 1 --id-card $ID1 --out expired.txt
export VLEDGER_NOW=$NOW
expect_exit 0 vl --key admin.key checkpoint
expect_exit 0 vl --key att.key attest R1 --for BUS --valid-days 90 --id-card $ID1 --out cert.txt
expect_exit 0 vl --key att.key attest R2 --valid-days 90 --id-card $ID2 --out grade.txt
expect_exit 0 vl --json --key att.key attest R1 --valid-days 90 --id-card $ID1 --out revoked.txt
REVOKED_HASH=$(json_get 'd["certificateHash"]')
expect_exit 0 vl --key att.key attest R1 --for TRAIN --valid-days 90 --id-card $ID1 --out train.txt
expect_exit 0 vl --key admin.key checkpoint
ATT_ID=$(vl --json key list | python3 -c '
import json, sys
print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k.get("label") == "信用办"][0])')

# One byte changed: a digit of valid-until.
python3 - cert.txt tampered.txt <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
i = text.index("valid-until ") + len("valid-until 20")
open(sys.argv[2], "w", encoding="utf-8").write(text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:])
PY
# Signed by the collector's key (its private half, outside vledger).
/usr/bin/python3 "$SCENARIO_DIR/../interop/forge.py" - certificate grade.txt forged.txt resign col.key
# What the CLI says of each, against this ledger.
expect_exit 0 vl verify-attestation cert.txt --pub att.key.pub --id-card $ID1
expect_error 1 "tampered" "tampered" -- vl verify-attestation tampered.txt --pub att.key.pub
expect_error 1 "collector's key" "no registered attestor key" -- \
  vl verify-attestation forged.txt --pub col.key.pub
expect_error 1 "another county" "another county's certificate" -- \
  vl verify-attestation other.txt --pub att.key.pub
expect_error 1 "expired" "expired" -- vl verify-attestation expired.txt --pub att.key.pub

# ----------------------------------------------------------- the first site
expect_exit 0 vl site --out s1
python3 - s1/attest.json "$ATT_ID" <<'PY' && pass "s1/attest.json: the attestor, nothing lapsed" ||
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert [a["keyId"] for a in d["attestors"]] == [sys.argv[2]], d["attestors"]
assert d["lapsed"] == [], d["lapsed"]
PY
  fail "s1/attest.json"
cat >cases1.json <<EOF
[
 {"what": "valid", "cert": "cert.txt", "code": "valid", "text": "有效 ✓|曲*国|免费乘公交|未核对"},
 {"what": "right ID card", "cert": "cert.txt", "id": "$ID1", "code": "valid", "text": "有效 ✓|已核对"},
 {"what": "right ID card, lower-case x", "cert": "cert.txt", "id": "${ID1%X}x", "code": "valid", "text": "有效 ✓"},
 {"what": "wrong ID card", "cert": "cert.txt", "id": "$ID9", "code": "id-card", "text": "身份证不符"},
 {"what": "one byte changed", "cert": "tampered.txt", "code": "tampered", "text": "篡改"},
 {"what": "a collector's key", "cert": "forged.txt", "code": "not-attestor", "text": "签名密钥不是核验员"},
 {"what": "another county's", "cert": "other.txt", "code": "other-county", "text": "非本县签发"},
 {"what": "expired", "cert": "expired.txt", "code": "expired", "text": "已过期"},
 {"what": "not yet revoked", "cert": "revoked.txt", "code": "valid", "text": "有效 ✓"},
 {"what": "the grade certificate", "cert": "grade.txt", "code": "valid", "text": "有效 ✓|AAA"},
 {"what": "a benefit still offered", "cert": "train.txt", "code": "valid", "text": "有效 ✓|景区门票优惠"}
]
EOF
expect_exit 0 /usr/bin/python3 "$SCENARIO_DIR/site_attest_browser.py" s1 cases1.json ${SHOT:+"$SHOT"}
last_stdout

# ------------------------------- revoked, and a grade dropped: a new site
expect_exit 0 vl --json --key att.key attest revoke revoked.txt --reason 重新签发
REVOKED_SEQ=$(json_get 'd["seq"]')
expect_exit 0 vl --key admin.key benefit withdraw TRAIN
expect_exit 0 vl --key col.key deduct R2 BAD --on "$(TZ=Asia/Shanghai date -d "$NOW" +%Y-%m-%d)"
expect_exit 0 vl --key admin.key checkpoint
SIZE=$(vl --json verify | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
expect_error 1 "revoked (CLI)" "revoked at seq $REVOKED_SEQ" -- \
  vl verify-attestation revoked.txt --pub att.key.pub
expect_error 1 "grade dropped (CLI)" "no longer valid from checkpoint $SIZE (seq $((SIZE - 1)))" -- \
  vl verify-attestation grade.txt --pub att.key.pub
expect_exit 0 vl site --out s2
GRADE_HASH=$(sha256sum grade.txt | cut -d' ' -f1)
TRAIN_HASH=$(sha256sum train.txt | cut -d' ' -f1)
python3 - s2/attest.json "$REVOKED_HASH" "$REVOKED_SEQ" "$GRADE_HASH" "$SIZE" "$TRAIN_HASH" <<'PY' &&
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
got = {l["hash"]: l for l in d["lapsed"]}
assert set(got) == {sys.argv[2], sys.argv[4], sys.argv[6]}, got
assert [l["hash"] for l in d["lapsed"]] == sorted(got), "hash order"
assert got[sys.argv[6]] == {"hash": sys.argv[6], "from": int(sys.argv[5]) - 1, "why": "benefit"}, got
assert got[sys.argv[2]]["why"] == "revoked" and got[sys.argv[2]]["from"] == int(sys.argv[3]), got
g = got[sys.argv[4]]
assert (g["why"], g["from"], g["grade"], g["least"]) == ("grade", int(sys.argv[5]) - 1, "A", "AAA"), g
assert d["size"] == int(sys.argv[5])
PY
  pass "s2/attest.json: the revoked, the dropped and the withdrawn benefit's certificates" ||
  fail "s2/attest.json"
expect_error 1 "benefit withdrawn (CLI)" "benefit TRAIN was withdrawn" -- \
  vl verify-attestation train.txt --pub att.key.pub
cat >cases2.json <<EOF
[
 {"what": "revoked", "cert": "revoked.txt", "code": "lapsed", "text": "已失效（自第 $REVOKED_SEQ 条起）|吊销"},
 {"what": "grade dropped", "cert": "grade.txt", "code": "lapsed", "text": "已失效（自第 $((SIZE - 1)) 条起）|A"},
 {"what": "benefit withdrawn", "cert": "train.txt", "code": "lapsed", "text": "已失效（自第 $((SIZE - 1)) 条起）|景区门票优惠|TRAIN"},
 {"what": "still valid", "cert": "cert.txt", "id": "$ID1", "code": "valid", "text": "有效 ✓"},
 {"what": "in the address", "cert": "cert.txt", "fragment": true, "code": "valid", "text": "有效 ✓"},
 {"what": "revoked, in the address", "cert": "revoked.txt", "fragment": true, "code": "lapsed", "text": "已失效"}
]
EOF
expect_exit 0 /usr/bin/python3 "$SCENARIO_DIR/site_attest_browser.py" s2 cases2.json
last_stdout
finish
