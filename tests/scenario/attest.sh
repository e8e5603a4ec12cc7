#!/usr/bin/env bash
# Benefits and credit certificates (issue 21 items 2 and 3, SPEC section 12
# "Benefits"): the benefits catalogue, the benefits a resident qualifies
# for on `balance`, the attestor role, `attest` (a C2SP signed note and its
# QR code), `verify-attestation` offline and against the ledger (tampered,
# another key, expired, another person's card, revoked, grade dropped),
# `attest revoke`, refused certificates writing nothing, and the
# independent checkers tests/interop/check_attestation.py and
# tests/interop/note_check.go (Go's golang.org/x/mod/sumdb/note).
CHECKER="$(cd "$(dirname "$0")/../interop" && pwd)/check_attestation.py"
source "$(dirname "$0")/lib.sh"
setup

ID1=11010519491231002X   # R1's
ID2=371081198003121238   # R2's
ID9=371081198507064564   # nobody's on record
ID3=371081201501010017   # R3, a minor

expect_exit 0 vl --json init --test-clock --name 礼遇 --admin-key-out admin.key
ORIGIN=$(json_get 'd["origin"]')
vl key new --out col.key >/dev/null
vl key new --out att.key >/dev/null
vl key new --out other.key >/dev/null
expect_exit 0 vl --key admin.key village add V1 --name 一村
expect_exit 0 vl --key admin.key village add V2 --name 二村
expect_exit 0 vl --key admin.key key register --pub col.key.pub --role collector --village V1
# --- the attestor role is accepted now.
expect_exit 0 vl --key admin.key key register --pub att.key.pub --role attestor --label 信用办
expect_exit 0 vl --key admin.key rule add GOOD --category 志愿服务 --points 50
expect_exit 0 vl --key admin.key rule add BAD --category 违规 --points -100
expect_exit 0 vl --key col.key household add H1 --village V1 --head 曲建国
expect_exit 0 vl --key col.key resident add R1 --village V1 --household H1 --name 曲建国 --id-card $ID1
expect_exit 0 vl --key col.key resident add R2 --village V1 --household H1 --name 曲小红 --id-card $ID2
expect_exit 0 vl --key col.key resident add R3 --village V1 --household H1 --name 曲小明 --id-card $ID3
expect_exit 0 vl --key col.key resident add R4 --village V1 --household H1 --name 王秀英 --adult
for r in R1 R1 R1 R1 R2 R2 R3 R3 R3 R3 R4 R4 R4 R4; do
  expect_exit 0 vl --key col.key award $r GOOD --on 2021-09-01
done
expect_exit 0 vl --key admin.key village grades V1 --from 2021-09-01 --grades AAA:200,AA:150,A:100,B:50,C:0

# --- the catalogue: refused benefits write nothing.
expect_rejected_unchanged 3 vl --key admin.key benefit add BUS --name 免费乘公交 --partner 市交通集团 \
  --min-grade Z --village V1
expect_stderr_contains "--min-grade"
expect_rejected_unchanged 3 vl --key admin.key benefit add BUS --name 免费乘公交 --partner 市交通集团 \
  --min-grade AA --village V2
expect_rejected_unchanged 3 vl --key admin.key benefit add BUS --name 免费乘公交 --partner 市交通集团 \
  --min-grade AA --village V9
expect_rejected_unchanged 3 vl --key col.key benefit add BUS --name 免费乘公交 --partner 市交通集团 \
  --min-grade AA --village V1
expect_rejected_unchanged 3 vl --key admin.key benefit add 'B S' --name 免费乘公交 --partner 市交通集团 \
  --min-grade AA
expect_exit 0 vl --key admin.key benefit add BUS --name 免费乘公交 --partner 市交通集团 --min-grade AA \
  --village V1
expect_exit 0 vl --key admin.key benefit add LOAN --name 信用贷款利率优惠 --partner 县农商银行 \
  --min-grade AAA
expect_exit 0 vl --key admin.key benefit add OLD --name 旧礼遇 --partner 县文旅局 --min-grade C
expect_rejected_unchanged 3 vl --key admin.key benefit add BUS --name 又一个 --partner 市交通集团 \
  --min-grade A
expect_exit 0 vl --key admin.key benefit withdraw OLD
expect_rejected_unchanged 3 vl --key admin.key benefit withdraw OLD
expect_rejected_unchanged 3 vl --key admin.key benefit withdraw NOPE
expect_exit 0 vl --json benefit list
expect_json '[(b["code"], b["minGrade"], b["villages"]) for b in d["benefits"]]' \
  '[["BUS", "AA", ["V1"]], ["LOAN", "AAA", []]]'
expect_exit 0 vl --json benefit list --all
expect_json '[b["code"] for b in d["benefits"]]' '["BUS", "LOAN", "OLD"]'
expect_exit 0 vl benefit list
expect_stdout_contains "BUS  免费乘公交  partner 市交通集团  grade AA or better  V1"

# --- balance: the benefits a resident qualifies for.
expect_exit 0 vl --json balance R1
expect_json '[d["grade"], [b["code"] for b in d["benefits"]]]' '["AAA", ["BUS", "LOAN"]]'
expect_exit 0 vl --json balance R2
expect_json '[d["grade"], "benefits" in d]' '["A", false]'
expect_exit 0 vl balance R1
expect_stdout_contains "qualifies for 免费乘公交 (BUS, 市交通集团)"
expect_exit 0 vl --lang zh balance R1
expect_stdout_contains "可享 免费乘公交"

# --- the attestor key signs certificates only.
expect_rejected_unchanged 3 vl --key att.key award R1 GOOD --on 2021-09-02
expect_stderr_contains "attestor"
expect_rejected_unchanged 3 vl --key att.key checkpoint
expect_stderr_contains "attestor"

ATTEST=(vl --key att.key attest)
# No stored checkpoint yet.
expect_rejected_unchanged 3 "${ATTEST[@]}" R1 --for BUS --valid-days 90 --id-card $ID1 --out c0.txt
expect_exit 0 vl --key admin.key checkpoint
# The villager site lists the benefits a resident qualifies for (shown, not verified).
expect_exit 0 vl site --out site1
benefits_of() {  # the benefits in RESIDENT's data on the site, as "name（partner）"
  python3 - "$1" <<'PY'
import glob, json, sys
for f in glob.glob("site1/V1/d/*.json"):
    data = json.load(open(f, encoding="utf-8"))
    if sys.argv[1] in data:
        print(" ".join("%s（%s）" % tuple(b) for b in data[sys.argv[1]]["benefits"]))
PY
}
expect_eq "$(benefits_of R1)" "免费乘公交（市交通集团） 信用贷款利率优惠（县农商银行）" "R1's page lists 免费乘公交 and the loan"
expect_eq "$(benefits_of R2)" "" "R2's page lists none"
expect_eq "$(grep -c '可享礼遇' site1/V1/r.html)" 1 "the resident page has the benefits' section"

# --- refused certificates: exit 3, no event, no file.
refused() {
  local what=$1
  shift
  expect_rejected_unchanged 3 "$@"
  expect_stderr_contains "$what"
  if [[ -e bad.txt || -e bad.txt.png || -e bad.txt.svg ]]; then
    fail "a refused certificate wrote a file"
  else
    pass "nothing written: $what"
  fi
}
refused "does not qualify" "${ATTEST[@]}" R2 --for BUS --valid-days 90 --id-card $ID2 --out bad.txt
refused "unknown benefit" "${ATTEST[@]}" R1 --for NOPE --valid-days 90 --id-card $ID1 --out bad.txt
refused "withdrawn" "${ATTEST[@]}" R1 --for OLD --valid-days 90 --id-card $ID1 --out bad.txt
refused "--valid-days" "${ATTEST[@]}" R1 --for BUS --valid-days 0 --id-card $ID1 --out bad.txt
refused "--valid-days" "${ATTEST[@]}" R1 --for BUS --valid-days=-5 --id-card $ID1 --out bad.txt
refused "--valid-days" "${ATTEST[@]}" R1 --for BUS --valid-days 367 --id-card $ID1 --out bad.txt
refused "unknown resident" "${ATTEST[@]}" R9 --valid-days 90 --id-card $ID1 --out bad.txt
refused "minor" "${ATTEST[@]}" R3 --valid-days 90 --id-card $ID3 --out bad.txt
refused "no ID card on record" "${ATTEST[@]}" R4 --valid-days 90 --id-card $ID9 --out bad.txt
refused "--id-card" "${ATTEST[@]}" R1 --valid-days 90 --id-card $ID9 --out bad.txt
refused "--id-card" "${ATTEST[@]}" R1 --valid-days 90 --id-card 110105194912310021 --out bad.txt
refused "--id-card" "${ATTEST[@]}" R1 --valid-days 90 --out bad.txt
refused "attestor" vl --key admin.key attest R1 --valid-days 90 --id-card $ID1 --out bad.txt
refused "--out" "${ATTEST[@]}" R1 --valid-days 90 --id-card $ID1 --out nofolder/bad.txt
vl key new --out att2.key >/dev/null
expect_exit 0 vl --key admin.key key register --pub att2.key.pub --role attestor --village V2
refused "outside its village scope" vl --key att2.key attest R1 --valid-days 90 --id-card $ID1 \
  --out bad.txt

# --- a certificate.
expect_exit 0 vl --json --key att.key attest R1 --for BUS --valid-days 90 --id-card $ID1 --out cert.txt
expect_json '[d["certificate"]["grade"], d["certificate"]["validUntil"], d["certificate"]["name"]]' \
  '["AAA", "2021-12-29", "曲*国"]'
ISSUED_SEQ=$(json_get 'd["seq"]')
CERT_HASH=$(json_get 'd["certificateHash"]')
expect_eq "$(sha256sum cert.txt | cut -d' ' -f1)" "$CERT_HASH" "the event names the note's SHA-256"
expect_eq "$(head -c 8 cert.txt.png | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "cert.txt.png is a PNG"
grep -q '<svg' cert.txt.svg && pass "cert.txt.svg is an SVG" || fail "cert.txt.svg"
if command -v zbarimg >/dev/null; then  # zbarimg ends what it read with a line end
  zbarimg --raw -q cert.txt.png 2>/dev/null | head -c -1 >qr.txt
  cmp -s qr.txt cert.txt && pass "the PNG's QR code reads back as the certificate" ||
    fail "the PNG's QR code is not the certificate"
fi
expect_eq "$(head -1 cert.txt)" "vledger-attestation/v1" "the first line names the format"
expect_eq "$(sed -n 2p cert.txt)" "$ORIGIN" "the second line is the origin"
if grep -q -e "$ID1" -e 曲建国 cert.txt; then fail "the card or the name in clear"; else pass "no card, no full name"; fi
# The log holds neither the name nor the card.
expect_exit 0 vl --json log --kind attest
expect_json '[e["type"] for e in d["events"]]' '["attestationIssued"]'
if last_stdout | grep -q -e 曲 -e "$ID1"; then fail "log shows a name or card"; else pass "log: no name, no card"; fi

PUB=att.key.pub
expect_exit 0 vl verify-attestation cert.txt --pub $PUB
expect_stdout_contains "certificate valid: resident R1 (曲*国), village V1"
expect_stdout_contains "checked against the ledger"
expect_exit 0 vl verify-attestation cert.txt --pub $PUB --id-card $ID1
expect_exit 0 vl verify-attestation cert.txt --pub $PUB --id-card "${ID1%X}x"
expect_error 1 "another card" "another person's ID card" -- \
  vl verify-attestation cert.txt --pub $PUB --id-card $ID9
expect_error 1 "another key" "not signed by the given key" -- \
  vl verify-attestation cert.txt --pub other.key.pub
expect_exit 0 vl --json verify-attestation cert.txt --pub $PUB --offline
expect_json '[d["valid"], d["online"]]' '[true, false]'
(mkdir -p away && cd away && "$VLEDGER" verify-attestation ../cert.txt --pub ../$PUB >out 2>&1) &&
  grep -q offline away/out && pass "away from a ledger: offline" || fail "offline run away from the ledger"
# Each body line changed: tampered.
body_lines=$(awk '/^$/{exit} {n++} END{print n}' cert.txt)
expect_eq "$body_lines" 14 "a certificate for a benefit has 14 body lines"
for n in $(seq 1 "$body_lines"); do
  python3 - cert.txt t.txt "$n" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
n = int(sys.argv[3]) - 1
line = lines[n]
c = line[-1]
lines[n] = line[:-1] + ("1" if c != "1" else "2")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
PY
  expect_error 1 "body line $n changed" "tampered" -- vl verify-attestation t.txt --pub $PUB
  if /usr/bin/python3 "$CHECKER" t.txt --pub $PUB --today 2021-10-01 >/dev/null 2>&1; then
    fail "the checker accepted body line $n changed"
  else
    pass "the checker refuses body line $n changed"
  fi
done
head -c 50 cert.txt >t.txt
expect_error 1 "cut short" "malformed" -- vl verify-attestation t.txt --pub $PUB
expect_error 3 "no such file" "nofile.txt" -- vl verify-attestation nofile.txt --pub $PUB
# Expired: by the ledger's clock, and offline by the checker's.
VLEDGER_NOW=2021-12-29T15:00:00Z expect_exit 0 vl verify-attestation cert.txt --pub $PUB
VLEDGER_NOW=2021-12-29T16:00:00Z expect_error 1 "expired" "expired: valid until 2021-12-29" -- \
  vl verify-attestation cert.txt --pub $PUB
VLEDGER_NOW=2022-03-01T00:00:00Z expect_error 1 "expired offline" "expired" -- \
  vl verify-attestation cert.txt --pub $PUB --offline

# --- the independent checker, from docs/FORMAT.md alone.
if /usr/bin/python3 "$CHECKER" cert.txt --pub $PUB --id-card $ID1 --today 2021-10-01 >chk.out 2>&1; then
  pass "check_attestation.py accepts the certificate"
else
  fail "check_attestation.py: $(cat chk.out)"
fi
grep -q "$CERT_HASH" chk.out && pass "checker: the same hash" || fail "checker: hash"
/usr/bin/python3 "$CHECKER" cert.txt --pub $PUB --id-card $ID9 --today 2021-10-01 >/dev/null 2>&1 &&
  fail "checker accepted another card" || pass "checker refuses another card"
/usr/bin/python3 "$CHECKER" cert.txt --pub other.key.pub --today 2021-10-01 >/dev/null 2>&1 &&
  fail "checker accepted another key" || pass "checker refuses another key"
/usr/bin/python3 "$CHECKER" cert.txt --pub $PUB --today 2022-01-01 >/dev/null 2>&1 &&
  fail "checker accepted an expired one" || pass "checker refuses an expired certificate"
# The example of docs/FORMAT.md section 13, by the published test key.
python3 - "$SCENARIO_DIR/../../docs/FORMAT.md" example.txt <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
block = text.split("<!-- certificate example -->\n```\n", 1)[1].split("```\n", 1)[0]
open(sys.argv[2], "w", encoding="utf-8").write(block)
PY
expect_eq "$(sha256sum example.txt | cut -d' ' -f1)" \
  6dccaa938001ca58bc0f09e145514c85687eca388ea889fc11e872b517a0590d "FORMAT.md's example as printed"
cp "$SCENARIO_DIR/../data/vector-collector.key.pub" example.pub
VLEDGER_NOW=2021-10-01T00:00:00Z expect_exit 0 vl verify-attestation example.txt --pub example.pub \
  --id-card 11010519491231002X --offline
/usr/bin/python3 "$CHECKER" example.txt --pub example.pub --id-card 11010519491231002X \
  --today 2021-10-01 >/dev/null 2>&1 && pass "the checker accepts FORMAT.md's example" ||
  fail "the checker refuses FORMAT.md's example"
# Go's own golang.org/x/mod/sumdb/note (Debian's golang-golang-x-mod-dev,
# installed by scripts/install-deps) opens the certificates and the
# checkpoint as the signed notes they are: tests/interop/note_check.go.
if ! command -v go >/dev/null || [[ ! -d /usr/share/gocode/src/golang.org/x/mod/sumdb/note ]]; then
  fail "go or golang.org/x/mod is missing (scripts/install-deps installs golang-go and golang-golang-x-mod-dev)"
elif ! GOCACHE=$PWD/gocache GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= \
  go build -o note_check "$SCENARIO_DIR/../interop/note_check.go" >go.out 2>&1; then
  fail "note_check.go does not build: $(cat go.out)"
else
  gonote() { ./note_check "$@" >go.out 2>&1; }
  gonote example.txt example.pub && pass "Go's sumdb/note opens FORMAT.md's example" ||
    fail "Go's sumdb/note refuses FORMAT.md's example: $(cat go.out)"
  gonote cert.txt $PUB && pass "Go's sumdb/note opens the certificate" ||
    fail "Go's sumdb/note refuses the certificate: $(cat go.out)"
  sed 's/^grade AAA$/grade AA/' cert.txt >go-tampered.txt
  gonote go-tampered.txt $PUB && fail "Go's sumdb/note opens a tampered certificate" ||
    { grep -q "invalid signature" go.out && pass "Go's sumdb/note: tampered, invalid signature" ||
      fail "Go's sumdb/note, tampered: $(cat go.out)"; }
  gonote cert.txt other.key.pub && fail "Go's sumdb/note opens it with another key" ||
    pass "Go's sumdb/note refuses another key"
  vl --key admin.key checkpoint >go-checkpoint.txt
  gonote go-checkpoint.txt admin.key.pub && pass "Go's sumdb/note opens the stored checkpoint" ||
    fail "Go's sumdb/note refuses the checkpoint: $(cat go.out)"
fi

# --- a certificate of the grade alone; another county's ledger.
expect_exit 0 vl --key att.key attest R1 --valid-days 30 --id-card $ID1 --out grade.txt
expect_eq "$(awk '/^$/{exit} {n++} END{print n}' grade.txt)" 11 "a grade certificate has 11 body lines"
expect_exit 0 vl --key att.key attest R1 --for LOAN --valid-days 30 --id-card $ID1 --out loan.txt
# A request id: a repeat records nothing, writes nothing, answers the first hash;
# the number given with --id-card is kept nowhere, not even with the request id.
expect_exit 0 vl --json --key att.key attest R1 --valid-days 30 --id-card $ID1 --out rid.txt \
  --request-id att-1
RID_HASH=$(json_get 'd["certificateHash"]')
rm -f rid.txt rid.txt.png rid.txt.svg
expect_exit 0 vl --json --key att.key attest R1 --valid-days 30 --id-card $ID1 --out rid.txt \
  --request-id att-1
expect_json '[d["certificateHash"], d.get("repeated")]' "[\"$RID_HASH\", true]"
[[ -e rid.txt ]] && fail "a repeat wrote a certificate" || pass "a repeat writes no certificate"
if grep -rqa -e "$ID1" -e "${ID1%X}" vledger-data; then
  fail "the ID-card number is in the ledger folder"
else
  pass "the ID-card number is nowhere in the ledger folder"
fi
expect_exit 0 vl --ledger L2 init --test-clock --name 别县 --admin-key-out admin2.key
expect_error 1 "another county" "another county's certificate" -- \
  vl --ledger L2 verify-attestation grade.txt --pub $PUB
expect_exit 0 vl --ledger L2 --key admin2.key key register --pub att.key.pub --role attestor
expect_error 1 "another county" "another county's certificate" -- \
  vl --ledger L2 verify-attestation grade.txt --pub $PUB

# --- revoked.
expect_rejected_unchanged 3 vl --key col.key attest revoke cert.txt
expect_rejected_unchanged 3 vl --key att.key attest revoke t.txt
expect_exit 0 vl --json --key att.key attest revoke cert.txt --reason 重新签发
expect_json 'd["certificateHash"]' "$CERT_HASH"
REVOKED_SEQ=$(json_get 'd["seq"]')
expect_error 1 "revoked" "revoked at seq $REVOKED_SEQ" -- vl verify-attestation cert.txt --pub $PUB
expect_exit 0 vl verify-attestation cert.txt --pub $PUB --offline
expect_rejected_unchanged 3 vl --key att.key attest revoke cert.txt

# --- the grade drops: no longer valid from the next checkpoint.
expect_exit 0 vl --key col.key deduct R1 BAD --on 2021-09-30
expect_exit 0 vl verify-attestation grade.txt --pub $PUB
expect_exit 0 vl --key admin.key checkpoint
CP=$(sed -n 2p "$(LAST_OUT_FILE)")
expect_error 1 "grade dropped" "no longer valid from checkpoint $CP" -- \
  vl verify-attestation grade.txt --pub $PUB
expect_error 1 "grade dropped, benefit" "no longer valid from checkpoint $CP" -- \
  vl verify-attestation loan.txt --pub $PUB
expect_exit 0 vl verify-attestation grade.txt --pub $PUB --offline
expect_exit 0 vl --json balance R1
expect_json '[d["grade"], "benefits" in d]' '["A", false]'
refused "does not qualify" "${ATTEST[@]}" R1 --for BUS --valid-days 90 --id-card $ID1 --out bad.txt

# A certificate signed by a collector's key (made outside vledger with the
# key's private half): no registered attestor of this county.
/usr/bin/python3 "$SCENARIO_DIR/../interop/forge.py" - certificate grade.txt forged.txt resign col.key
expect_exit 0 vl verify-attestation forged.txt --pub col.key.pub --offline
expect_error 1 "a collector's key" "no registered attestor key" -- \
  vl verify-attestation forged.txt --pub col.key.pub
# The attestor key revoked: its certificates fail against the ledger.
ATT_ID=$(vl --json key list | python3 -c '
import json, sys
print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k.get("label") == "信用办"][0])')
expect_exit 0 vl --key admin.key key revoke "$ATT_ID"
expect_error 1 "attestor revoked" "was revoked at seq" -- vl verify-attestation grade.txt --pub $PUB
expect_exit 0 vl log --kind attest-revoked
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
finish
