#!/usr/bin/env bash
# Scenario test for the foundation (issue 1): every ledger and registry
# command, every exit code (0 ok, 1 fault, 2 usage, 3 rejected, 4
# unavailable), rejections that leave the log untouched, request-id
# idempotency, and readers beside a writer.
# Usage: foundation.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

L=vledger-data  # the default --ledger, relative to the work folder
A=(--key admin.key)

# ===================================================== usage: exit 2
expect_exit 2 vl
expect_stderr_contains 'vledger: error: '
expect_exit 2 vl frobnicate
expect_stderr_contains 'vledger: error: unknown command "frobnicate" (see vledger --help)'
expect_exit 2 vl key frobnicate
expect_stderr_contains 'unknown command "key frobnicate"'
expect_exit 2 vl init
expect_stderr_contains '--name'
expect_exit 2 vl log --bogus
expect_exit 2 vl show
expect_exit 2 vl show abc
expect_stderr_contains 'SEQ: "abc" is not a seq'
# A negative seq is named as typed, never wrapped to 18446744073709551615.
expect_exit 2 vl show -1
expect_stderr_contains 'SEQ: "-1" is not a seq'
expect_exit 2 vl prove -1
expect_stderr_contains 'SEQ: "-1" is not a seq'
expect_exit 2 vl log --from -1
expect_stderr_contains '--from: "-1" is not a seq'
expect_exit 2 vl checkpoint --size -5
expect_stderr_contains '--size: "-5" is not a size'
expect_exit 2 vl log --limit many
expect_exit 2 vl key
expect_exit 2 vl --wait -1 log
expect_exit 2 vl village add V1
expect_exit 2 vl init --test-clock --name X --admin-key a.key --admin-key-out b.key
expect_exit 0 vl --help
expect_stdout_contains 'village'
expect_exit 0 vl village add --help
[[ ! -e $L && ! -e admin.key ]] && pass "usage errors created nothing" ||
  fail "a usage error created files: $(ls)"

# ============================================= missing ledger: exit 4
expect_exit 0 vl key new --out early.key
for cmd in "log" "show 0" "verify" "key list" "village list" "household list" \
  "resident list" "rebuild"; do
  # shellcheck disable=SC2086
  expect_exit 4 vl $cmd
  expect_stderr_contains "no ledger at ./$L"
done
expect_exit 4 vl --key early.key village add V1 --name 一村
expect_exit 4 vl --ledger nowhere/at/all --json verify
[[ ! -e $L && ! -e nowhere ]] && pass "a missing ledger is not created by reading" ||
  fail "a command on a missing ledger created it"

# ================================================================ init
# A flag given with an empty value does not parse: exit 2, never "not given".
expect_exit 2 vl init --test-clock --name ''
expect_stderr_contains 'vledger: error: --name: a value is required'
expect_exit 3 vl init --test-clock --name $'bad\x01name'
[[ ! -e $L && ! -e admin.key ]] && pass "a rejected init created nothing" ||
  fail "a rejected init left files: $(ls)"

expect_exit 0 vl --json init --test-clock --name '测试 台账+1'
expect_json 'sorted(d)' '["adminKey", "hash", "keyId", "last", "origin", "seq"]'
expect_json 'd["seq"]' 0
ADMIN_ID=$(json_get 'd["keyId"]')
expect_json 'd["origin"]' "vledger/测试-台账-1-${ADMIN_ID:0:8}"
expect_eq "$(stat -c %a admin.key)" 600 "admin.key has mode 0600"
[[ -f admin.key.pub ]] && pass "admin.key.pub written" || fail "admin.key.pub missing"

# Refuses to overwrite an existing key file, and a non-empty ledger folder;
# either way nothing is created.
sha_admin=$(sha256sum admin.key)
expect_rejected_unchanged 3 vl --ledger other init --test-clock --name 二
expect_stderr_contains '--admin-key-out'
expect_eq "$(sha256sum admin.key)" "$sha_admin" "admin.key untouched by a refused init"
[[ ! -e other ]] && pass "refused init created no ledger folder" || fail "other/ was created"
touch lonely.key.pub
expect_exit 3 vl --ledger other init --test-clock --name 二 --admin-key-out lonely.key
[[ ! -e lonely.key && ! -e other ]] && pass "existing .pub refuses init" || fail "init wrote lonely.key"
expect_rejected_unchanged 3 vl init --test-clock --name 二 --admin-key-out admin2.key
expect_stderr_contains '--ledger'
[[ ! -e admin2.key && ! -e admin2.key.pub ]] && pass "init into a non-empty folder wrote no key" ||
  fail "init into a non-empty folder wrote admin2.key"
mkdir notempty && touch notempty/x
expect_exit 3 vl --ledger notempty init --test-clock --name 三 --admin-key-out admin3.key
[[ ! -e admin3.key && -e notempty/x && ! -e notempty/db ]] &&
  pass "non-empty folder left alone" || fail "init touched notempty/"
# An empty folder is fine.
mkdir emptydir
expect_exit 0 vl --ledger emptydir init --test-clock --name 空 --admin-key-out empty.key
expect_exit 0 vl --ledger emptydir verify

# init --admin-key: an existing key becomes the root admin; it must be a
# readable private key of mode 0600, and it is never removed or rewritten.
expect_exit 0 vl key new --out root2.key
sha_root2=$(sha256sum root2.key)
expect_exit 2 vl --ledger withkey init --test-clock --name 四 --admin-key root2.key --admin-key-out x.key
expect_exit 3 vl --ledger withkey init --test-clock --name 四 --admin-key missing.key
expect_stderr_contains '--admin-key'
chmod 644 root2.key
expect_exit 3 vl --ledger withkey init --test-clock --name 四 --admin-key root2.key
expect_stderr_contains 'chmod 600'
chmod 600 root2.key
expect_exit 3 vl --ledger withkey init --test-clock --name 四 --admin-key root2.key.pub
[[ ! -e withkey ]] && pass "refused --admin-key init created nothing" || fail "withkey/ created"
expect_exit 3 vl --ledger emptydir init --test-clock --name 四 --admin-key root2.key
expect_eq "$(sha256sum root2.key)" "$sha_root2" "a failed init keeps the --admin-key file"
expect_exit 0 vl --ledger withkey --json init --test-clock --name 四 --admin-key root2.key
ROOT2_ID=$(json_get 'd["keyId"]')
expect_json 'd["adminKey"]' root2.key
expect_eq "$(sha256sum root2.key)" "$sha_root2" "init --admin-key leaves the key file as it was"
expect_exit 0 vl --ledger withkey --json log
expect_json 'd["events"][0]["keyId"]' "$ROOT2_ID"
expect_exit 0 vl --ledger withkey --key root2.key village add V1 --name 一村
expect_exit 0 vl --ledger withkey verify

# ============================================================= key new
expect_exit 0 vl --json key new --out col1.key
COL1_ID=$(json_get 'd["keyId"]')
expect_json 'd["public"]' col1.key.pub
expect_eq "$(stat -c %a col1.key)" 600 "key new writes mode 0600"
[[ -f col1.key.pub ]] && grep -q 'BEGIN PUBLIC KEY' col1.key.pub && pass "col1.key.pub is SPKI PEM" ||
  fail "col1.key.pub missing or not SPKI"
grep -q 'BEGIN PRIVATE KEY' col1.key && pass "col1.key is PKCS#8 PEM" || fail "col1.key not PKCS#8"
sha_col1=$(sha256sum col1.key col1.key.pub)
expect_exit 3 vl key new --out col1.key
expect_stderr_contains 'refusing to overwrite'
expect_eq "$(sha256sum col1.key col1.key.pub)" "$sha_col1" "key new does not overwrite"
expect_exit 3 vl key new --out no/such/dir/k.key
for k in col2 col3 tre1 rev1 aud1 adm2 stray; do
  expect_exit 0 vl key new --out $k.key
done

# ===================================================== village add/list
expect_exit 0 vl "${A[@]}" --json village add V1 --name 甲夼曲家村
expect_json 'sorted(d)' '["hash", "last", "seq"]'
expect_json '[d["seq"], d["last"]]' '[1, 1]'
expect_exit 0 vl "${A[@]}" village add V2 --name 二村
expect_stdout_contains 'Registered village 二村 (V2) (seq 2)'

# Bad ids and names: exit 3, one line naming the field, nothing appended.
expect_rejected_unchanged 3 vl "${A[@]}" village add V1 --name 重复
expect_stderr_contains 'code'
expect_rejected_unchanged 3 vl "${A[@]}" village add 'a b' --name 坏
expect_stderr_contains 'code'
expect_rejected_unchanged 3 vl "${A[@]}" village add 'x/y' --name 坏
expect_rejected_unchanged 3 vl "${A[@]}" village add "$(printf 'v%.0s' {1..65})" --name 长
expect_stderr_contains 'code'
expect_rejected_unchanged 2 vl "${A[@]}" village add V3 --name ''
expect_stderr_contains '--name: a value is required'
expect_rejected_unchanged 3 vl "${A[@]}" village add V3 --name "$(printf '村%.0s' {1..65})"
expect_stderr_contains 'name'
expect_rejected_unchanged 3 vl "${A[@]}" village add V3 --name $'bad\x01'
expect_stderr_contains 'name'
expect_rejected_unchanged 3 vl "${A[@]}" village add V3 --name $'tab\there'
expect_rejected_unchanged 3 vl "${A[@]}" village add V3 --name $'del\x7f'
expect_rejected_unchanged 3 vl "${A[@]}" village add V3 --name $'\xc3\x28'
expect_stderr_contains 'name'
# The limits themselves are fine: 64 id chars, 64 code points.
LONG_ID="$(printf 'v%.0s' {1..60})_.-9"
expect_exit 0 vl "${A[@]}" village add "$LONG_ID" --name "$(printf '村%.0s' {1..64})"
expect_exit 0 vl --json village list
expect_json '[v["code"] for v in d["villages"]]' "[\"V1\", \"V2\", \"$LONG_ID\"]"
expect_json 'd["villages"][0]["name"]' '甲夼曲家村'

# ======================================================= village policy
expect_exit 0 vl "${A[@]}" village policy V1 --review on --star-points 10 --max-stars 3 \
  --red-flag-share 20
expect_exit 0 vl --json village list
expect_json '{k: d["villages"][0][k] for k in ("review", "starPoints", "maxStars", "redFlagSharePct")}' \
  '{"maxStars": 3, "redFlagSharePct": 20, "review": true, "starPoints": 10}'
expect_exit 0 vl "${A[@]}" village policy V1 --review off
expect_exit 0 vl --json village list
expect_json '[d["villages"][0]["review"], d["villages"][0]["starPoints"]]' '[false, 10]'
expect_rejected_unchanged 3 vl "${A[@]}" village policy NOPE --review on
expect_stderr_contains 'village'
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --star-points 0
expect_stderr_contains 'star-points'
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --max-stars 11
expect_stderr_contains 'max-stars'
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --red-flag-share 101
expect_stderr_contains 'red-flag-share'
expect_exit 2 vl "${A[@]}" village policy V1 --star-points ten

# ======================================================== key register
COL1_PUB=col1.key.pub
expect_exit 0 vl "${A[@]}" --json key register --pub $COL1_PUB --role collector --village V1 \
  --label 曲家村信息采集员
# A private-key PEM is accepted as --pub too.
expect_exit 0 vl "${A[@]}" key register --pub col2.key --role collector --village V1 --village V2
expect_exit 0 vl "${A[@]}" key register --pub col3.key.pub --role collector --village V2
expect_exit 0 vl "${A[@]}" key register --pub tre1.key.pub --role treasurer --village V1
expect_exit 0 vl "${A[@]}" key register --pub rev1.key.pub --role reviewer --village V1
expect_exit 0 vl "${A[@]}" key register --pub aud1.key.pub --role auditor
expect_exit 0 vl "${A[@]}" key register --pub adm2.key.pub --role admin --label 第二管理员

expect_rejected_unchanged 3 vl "${A[@]}" key register --pub stray.key.pub --role wizard
expect_stderr_contains 'role'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub stray.key.pub --role collector
expect_stderr_contains 'village'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub stray.key.pub --role collector \
  --village NOPE
expect_stderr_contains 'unknown village'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub stray.key.pub --role collector \
  --village V1 --village V1
expect_stderr_contains 'village'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub stray.key.pub --role admin --village V1
expect_stderr_contains 'village'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub col1.key.pub --role collector \
  --village V2
expect_stderr_contains 'already registered'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub admin.key.pub --role auditor
expect_stderr_contains 'already registered'
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub missing.pub --role auditor
expect_stderr_contains '--pub'
echo 'not a key' >garbage.pub
expect_rejected_unchanged 3 vl "${A[@]}" key register --pub garbage.pub --role auditor
expect_stderr_contains '--pub'
expect_rejected_unchanged 3 vl --key col1.key key register --pub stray.key.pub --role auditor
expect_stderr_contains 'role collector'
expect_rejected_unchanged 3 vl --key stray.key village add V9 --name 九村
expect_stderr_contains 'not registered'

expect_exit 0 vl --json key list
expect_json 'len(d["keys"])' 8
expect_json '[k for k in d["keys"] if k["keyId"] == "'"$COL1_ID"'"][0]["villages"]' '["V1"]'
expect_json '[k for k in d["keys"] if k["keyId"] == "'"$COL1_ID"'"][0]["label"]' '曲家村信息采集员'
expect_json '[k for k in d["keys"] if k["keyId"] == "'"$ADMIN_ID"'"][0]["role"]' 'admin'
expect_json 'sorted(d["keys"][0])' '["keyId", "label", "registeredSeq", "revokedSeq", "role", "villages"]'
expect_exit 0 vl key list
expect_stdout_contains "$COL1_ID  collector  V1  active"

# =============================================== signing key problems: 3
expect_rejected_unchanged 3 vl village add V9 --name 九村
expect_stderr_contains '--key'
expect_rejected_unchanged 3 vl --key missing.key village add V9 --name 九村
expect_stderr_contains '--key'
cp col1.key open.key && chmod 644 open.key
expect_rejected_unchanged 3 vl --key open.key household add H9 --village V1 --head 王五
expect_stderr_contains 'chmod 600'
chmod 640 open.key
expect_rejected_unchanged 3 vl --key open.key household add H9 --village V1 --head 王五
printf -- '-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n' >bad.key
chmod 600 bad.key
expect_rejected_unchanged 3 vl --key bad.key household add H9 --village V1 --head 王五
expect_stderr_contains '--key'
cp col1.key.pub pub-as-private.key && chmod 600 pub-as-private.key
expect_rejected_unchanged 3 vl --key pub-as-private.key household add H9 --village V1 --head 王五
expect_stderr_contains '--key'
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null &&
  chmod 600 ec.key
expect_rejected_unchanged 3 vl --key ec.key household add H9 --village V1 --head 王五
expect_stderr_contains 'Ed25519'
mkdir keydir && chmod 700 keydir
expect_rejected_unchanged 3 vl --key keydir household add H9 --village V1 --head 王五

# ============================================ households and residents
C1=(--key col1.key)
C3=(--key col3.key)
expect_exit 0 vl "${C1[@]}" --json household add H1 --village V1 --head 曲振华 --phone 13800000000
expect_exit 0 vl "${C1[@]}" household add H2 --village V1 --head 曲秀英
expect_exit 0 vl "${C3[@]}" household add H3 --village V2 --head 王建国
expect_rejected_unchanged 3 vl "${C1[@]}" household add H4 --village NOPE --head 某
expect_stderr_contains 'unknown village'
expect_rejected_unchanged 3 vl "${C1[@]}" household add H1 --village V1 --head 某
expect_stderr_contains 'household "H1" exists'
expect_rejected_unchanged 3 vl "${C1[@]}" household add 'H 4' --village V1 --head 某
expect_stderr_contains 'id'
expect_rejected_unchanged 2 vl "${C1[@]}" household add H4 --village V1 --head ''
expect_stderr_contains '--head'
expect_rejected_unchanged 3 vl "${C1[@]}" household add H4 --village V1 --head $'某\x01'
expect_stderr_contains '--head'
expect_rejected_unchanged 3 vl "${C1[@]}" household add H4 --village V1 --head 某 --phone call-me
expect_stderr_contains '--phone'
# A collector outside its village scope.
expect_rejected_unchanged 3 vl "${C1[@]}" household add H4 --village V2 --head 某
expect_stderr_contains 'outside its village scope'
expect_stderr_contains '"V2"'
# Wrong role: a treasurer may not register households, a reviewer neither.
expect_rejected_unchanged 3 vl --key tre1.key household add H4 --village V1 --head 某
expect_stderr_contains 'role treasurer'
expect_rejected_unchanged 3 vl --key rev1.key household add H4 --village V1 --head 某
expect_stderr_contains 'role reviewer'
# A collector may not register villages (county-level).
expect_rejected_unchanged 3 vl "${C1[@]}" village add V9 --name 九村
expect_stderr_contains 'role collector'

expect_exit 0 vl "${C1[@]}" resident add R1 --village V1 --household H1 --name 曲振华 \
  --birth-year 1960 --id-card 371082196001011235
expect_exit 0 vl "${C1[@]}" resident add R2 --village V1 --household H1 --name 曲小明 --minor
expect_exit 0 vl "${C1[@]}" resident add R3 --village V1 --household H2 --name 曲秀英 --adult
expect_exit 0 vl --key col2.key resident add R4 --village V2 --household H3 --name 王建国 --adult
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village NOPE --household H1 --name 某
expect_stderr_contains 'unknown village'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village V1 --household NOPE --name 某
expect_stderr_contains 'unknown household'
expect_rejected_unchanged 3 vl --key col2.key resident add R5 --village V1 --household H3 --name 某
expect_stderr_contains 'household "H3" is in village "V2"'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R1 --village V1 --household H1 --name 某
expect_stderr_contains 'resident "R1" exists'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add "$(printf 'r%.0s' {1..65})" --village V1 \
  --household H1 --name 某
expect_stderr_contains 'id'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village V1 --household H1 \
  --name "$(printf '名%.0s' {1..65})"
expect_stderr_contains '--name'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village V1 --household H1 --name $'\x1b[31m'
expect_stderr_contains '--name'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village V1 --household H1 --name 某 \
  --birth-year 1800
expect_stderr_contains '--birth-year'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village V1 --household H1 --name 某 \
  --id-card 12345
expect_stderr_contains '--id-card'
expect_rejected_unchanged 3 vl "${C1[@]}" resident add R5 --village V2 --household H3 --name 某
expect_stderr_contains 'outside its village scope'

# Personal data stays beside the chain: the log holds neither names nor the
# ID-card number, and the number is nowhere in the ledger folder.
expect_exit 0 vl log --json
expect_stdout_lacks 曲振华
expect_stdout_lacks 13800000000
if grep -rqaF 37108219600101123 "$L"; then
  fail "the ID-card number is stored in the ledger folder"
else
  pass "the ID-card number is stored nowhere"
fi

expect_exit 0 vl --json resident list --village V1
expect_json '[(r["id"], r["household"], r["name"], r["minor"], r["status"]) for r in d["residents"]]' \
  '[["R1", "H1", "曲振华", false, "active"], ["R2", "H1", "曲小明", true, "active"], ["R3", "H2", "曲秀英", false, "active"]]'
expect_exit 0 vl resident list
expect_stdout_contains 'R2  H1  曲小明  (minor)'
expect_rejected_unchanged 3 vl resident list --village NOPE

# household head
expect_exit 0 vl "${C1[@]}" household head H1 --resident R1
expect_rejected_unchanged 3 vl "${C1[@]}" household head H1 --resident R3
expect_stderr_contains 'not in household "H1"'
expect_rejected_unchanged 3 vl "${C1[@]}" household head NOPE --resident R1
expect_stderr_contains 'household'
expect_rejected_unchanged 3 vl "${C1[@]}" household head H1 --resident NOPE
expect_stderr_contains 'unknown resident'
expect_rejected_unchanged 3 vl "${C1[@]}" household head H3 --resident R4
expect_stderr_contains 'outside its village scope'
expect_exit 0 vl --json household list --village V1
expect_json '[(h["id"], h["head"], h["headResident"]) for h in d["households"]]' \
  '[["H1", "曲振华", "R1"], ["H2", "曲秀英", ""]]'

# resident update
expect_exit 0 vl "${C1[@]}" resident update R3 --household H1
expect_exit 0 vl "${C1[@]}" resident update R3 --status departed
expect_rejected_unchanged 3 vl "${C1[@]}" resident update R3
expect_stderr_contains 'household'
expect_rejected_unchanged 3 vl "${C1[@]}" resident update R3 --status vanished
expect_stderr_contains 'status'
expect_rejected_unchanged 3 vl "${C1[@]}" resident update NOPE --status departed
expect_stderr_contains 'unknown resident'
expect_rejected_unchanged 3 vl "${C1[@]}" resident update R3 --household NOPE
expect_stderr_contains 'unknown household'
expect_rejected_unchanged 3 vl --key col2.key resident update R3 --household H3
expect_stderr_contains 'household "H3" is in village "V2"'
expect_rejected_unchanged 3 vl "${C3[@]}" resident update R3 --status active
expect_stderr_contains 'outside its village scope'
expect_exit 0 vl --json resident list --village V1
expect_json '[(r["household"], r["status"]) for r in d["residents"] if r["id"] == "R3"]' \
  '[["H1", "departed"]]'

# ======================================================== person erase
ldb_persons() {
  rm -rf "$TMPDIR/ldb-sec"
  ldb --db="$L/db" --secondary_path="$TMPDIR/ldb-sec" --column_family=persons --hex scan \
    2>/dev/null | grep -c '^0x.* : 0x'
  rm -rf "$TMPDIR/ldb-sec"
}
persons_before=$(ldb_persons)
expect_eq "$persons_before" 7 "person store holds 3 household heads and 4 residents"
expect_exit 0 vl "${C1[@]}" --json person erase R2 --reason 本人申请删除
ERASE_SEQ=$(json_get 'd["seq"]')
expect_eq "$(ldb_persons)" 6 "person erase removes the record from the person store"
expect_exit 0 vl --json resident list --village V1
expect_json '[r["name"] for r in d["residents"] if r["id"] == "R2"]' '["已删除"]'
expect_exit 0 vl --json show "$ERASE_SEQ"
expect_json 'd["type"]' personErased
expect_json 'd["body"]["reason"]' 本人申请删除
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
expect_rejected_unchanged 3 vl "${C1[@]}" person erase R2 --reason 再次
expect_stderr_contains "already erased at seq $ERASE_SEQ"
expect_rejected_unchanged 3 vl "${C1[@]}" person erase NOPE --reason 无
expect_stderr_contains 'NOPE'
expect_rejected_unchanged 3 vl "${C3[@]}" person erase R1 --reason 越权
expect_stderr_contains 'outside its village scope'
expect_exit 0 vl "${C1[@]}" person erase H2 --reason 户主申请
expect_exit 0 vl --json household list --village V1
expect_json '[h["head"] for h in d["households"] if h["id"] == "H2"]' '["已删除"]'

# ================================================ key revoke and after
expect_exit 0 vl "${A[@]}" --json key revoke "$(vl --json key list | python3 -c '
import json, sys
print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k["role"] == "collector" and k["villages"] == ["V2"]][0])')"
REVOKE_SEQ=$(json_get 'd["seq"]')
expect_rejected_unchanged 3 vl "${C3[@]}" household add H8 --village V2 --head 某
expect_stderr_contains "revoked at seq $REVOKE_SEQ"
expect_rejected_unchanged 3 vl "${A[@]}" key revoke "$(vl --json key list | python3 -c '
import json, sys
print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k["revokedSeq"] is not None][0])')"
expect_stderr_contains 'already revoked'
expect_rejected_unchanged 3 vl "${A[@]}" key revoke 0123456789abcdef
expect_stderr_contains 'unknown key'
expect_rejected_unchanged 3 vl "${C1[@]}" key revoke "$ADMIN_ID"
expect_stderr_contains 'role collector'
# Events the revoked key signed before stay valid.
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
# The last active admin cannot be revoked: revoke the second admin (by the
# root), then the root is the last one.
ADM2_ID=$(vl --json key list | python3 -c '
import json, sys
print([k["keyId"] for k in json.load(sys.stdin)["keys"] if k["label"] == "第二管理员"][0])')
expect_exit 0 vl --key adm2.key key revoke "$ADMIN_ID"
expect_rejected_unchanged 3 vl "${A[@]}" village add V9 --name 九村
expect_stderr_contains 'revoked'
expect_rejected_unchanged 3 vl --key adm2.key key revoke "$ADM2_ID"
expect_stderr_contains 'last active admin'
A=(--key adm2.key)  # the root admin key is revoked from here on
expect_exit 0 vl key list
expect_stdout_contains "$ADMIN_ID  admin  *  revoked at seq"
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true

# ==================================================== log, show, verify
SIZE=$(ledger_size "$L")
expect_exit 0 vl --json log
expect_json 'len(d["events"])' "$SIZE"
expect_json 'sorted(d)' '["events"]'
expect_json '[e["seq"] for e in d["events"]] == list(range(len(d["events"])))' true
expect_json 'sorted(d["events"][1])' '["body", "hash", "keyId", "recordedAt", "seq", "type"]'
expect_json 'sorted(set(e["recordedAt"] for e in d["events"]))' '[1632996000000]'
expect_json 'all(len(e["hash"]) == 64 and e["hash"] == e["hash"].lower() for e in d["events"])' true
expect_json 'd["events"][0]["type"]' genesis
expect_json 'sorted(d["events"][0]["body"])' '["monotonicTime", "name", "origin", "publicKey", "testClock"]'
expect_json 'd["events"][0]["body"]["name"]' '测试 台账+1'
expect_json 'd["events"][1]' \
  "$(printf '{"body": {"code": "V1", "name": "甲夼曲家村"}, "hash": "%s", "keyId": "%s", "recordedAt": 1632996000000, "seq": 1, "type": "villageRegistered"}' \
    "$(vl --json show 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')" "$ADMIN_ID")"
expect_exit 0 vl --json log --from 2 --limit 3
expect_json '[e["seq"] for e in d["events"]]' '[2, 3, 4]'
expect_exit 0 vl --json log --from "$SIZE"
expect_json 'd' '{"events": []}'
expect_exit 0 vl --json log --from 99999 --limit 5
expect_json 'd' '{"events": []}'
expect_exit 0 vl log --limit 2
expect_eq "$(last_stdout | wc -l)" 2 "log --limit 2 prints two lines"
expect_stdout_contains 'genesis'
expect_exit 0 vl log
expect_eq "$(last_stdout | wc -l)" "$SIZE" "log prints one line per event"

expect_exit 0 vl --json show 1
expect_json 'd["commit"]["first"] <= 1 <= d["commit"]["last"]' true
expect_json 'len(d["commit"]["signature"])' 128
expect_exit 0 vl show 0
expect_stdout_contains 'type:       genesis'
expect_rejected_unchanged 3 vl show "$SIZE"
expect_stderr_contains "seq $SIZE is past the end"
expect_rejected_unchanged 3 vl --json show 123456

expect_exit 0 vl --json verify
expect_json 'sorted(d)' '["events", "ok", "root"]'
expect_json 'd["events"]' "$SIZE"
expect_json 'len(d["root"])' 64
ROOT=$(json_get 'd["root"]')
expect_exit 0 vl verify
expect_stdout_contains "ok: $SIZE events verified, Merkle root $ROOT"

# =================================================== rebuild, then verify
log_before=$(vl --json log)
expect_exit 0 vl --json rebuild
expect_json 'd["events"]' "$SIZE"
expect_exit 0 vl --json verify
expect_json 'd' "{\"events\": $SIZE, \"ok\": true, \"root\": \"$ROOT\"}"
expect_eq "$(vl --json log)" "$log_before" "rebuild leaves the log as it was"

# ================================== global options before or after
expect_exit 0 vl village list --json --ledger "$L"
expect_json 'len(d["villages"])' 3
expect_exit 0 vl village add V5 --name 五村 --key adm2.key --json
expect_json 'd["seq"]' "$SIZE"
SIZE=$((SIZE + 1))
expect_exit 0 vl log --limit 1 --from 1 --json
expect_json 'd["events"][0]["seq"]' 1
mkdir elsewhere
(
  cd elsewhere || exit 1
  export VLEDGER_DIR="$WORK/$L" VLEDGER_KEY="$WORK/adm2.key"
  expect_exit 0 vl village add V6 --name 六村
  expect_exit 0 vl --json verify
  expect_json 'd["events"]' $((SIZE + 1))
  # --ledger and --key win over the environment.
  expect_exit 4 vl --ledger nowhere log
  expect_exit 3 vl --key "$WORK/stray.key" village add V7 --name 七村
  echo "$PASSED $FAILED" >"$WORK/.out/sub-counts"
)
read -r PASSED FAILED <"$WORK/.out/sub-counts"
SIZE=$((SIZE + 1))

# ========================================================= request ids
expect_exit 0 vl "${A[@]}" --json village add V8 --name 八村 --request-id req-8
expect_json 'd' "{\"hash\": \"$(vl --json show $SIZE | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')\", \"last\": $SIZE, \"seq\": $SIZE}"
FIRST_RESULT=$(last_stdout)
expect_exit 0 vl --json log --from "$SIZE"
expect_json 'd["events"][0]["requestId"]' req-8
SIZE=$((SIZE + 1))
before=$(ledger_snapshot "$L")
expect_exit 0 vl --json village add V8 --request-id req-8 --name 八村 "${A[@]}"
expect_json 'd["repeated"]' true
expect_json '{k: v for k, v in d.items() if k != "repeated"}' \
  "$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]), sort_keys=True, ensure_ascii=False))' "$FIRST_RESULT")"
expect_eq "$(ledger_snapshot "$L")" "$before" "a repeated request appends nothing"
expect_exit 0 vl "${A[@]}" village add V8 --name 八村 --request-id req-8
expect_stdout_contains "Already recorded (seq $((SIZE - 1))): nothing appended now"
expect_rejected_unchanged 3 vl "${A[@]}" village add V8 --name 另一个 --request-id req-8
expect_stderr_contains '--request-id'
expect_rejected_unchanged 3 vl "${A[@]}" village add V9 --name 八村 --request-id req-8
expect_rejected_unchanged 3 vl "${A[@]}" village policy V1 --review on --request-id req-8
expect_stderr_contains 'req-8'
expect_rejected_unchanged 3 vl "${A[@]}" village add V9 --name 九村 --request-id 'bad id'
expect_stderr_contains '--request-id'
# A request id survives rebuild.
expect_exit 0 vl rebuild
expect_exit 0 vl "${A[@]}" --json village add V8 --name 八村 --request-id req-8
expect_json 'd["repeated"]' true
expect_eq "$(ledger_size "$L")" "$SIZE" "no event appended by repeats"

# =================================================== readers beside a writer
# Hold the writer lock from another process, exactly as a writer does
# (flock on DIR/writer.lock). `exec` makes the holder one process, so
# stopping it by pid releases the lock.
hold_lock() {  # hold_lock SECONDS: holds the lock for SECONDS
  rm -f "$WORK/.out/held"
  bg_run bash -c 'exec 9>"$1"; flock -x 9; : >"$2"; exec sleep "$3"' _ \
    "$L/writer.lock" "$WORK/.out/held" "$1"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -e "$WORK/.out/held" ]] && return 0
    sleep 0.05
  done
  fail "could not take the writer lock"
}
hold_lock 60
HOLDER=$BG_PID
expect_exit 0 vl --json log
expect_json 'len(d["events"])' "$SIZE"
expect_exit 0 vl --json show 1
expect_exit 0 vl --json verify
expect_json 'd["ok"]' true
expect_exit 0 vl key list
expect_exit 0 vl resident list
expect_rejected_unchanged 4 vl "${A[@]}" village add V9 --name 九村
expect_stderr_contains 'in use by another writer'
expect_rejected_unchanged 4 vl rebuild
expect_stderr_contains 'in use'
start=$(date +%s.%N)
expect_rejected_unchanged 4 vl "${A[@]}" --wait 1 village add V9 --name 九村
elapsed=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
python3 -c "import sys; sys.exit(0 if 0.9 <= $elapsed < 8 else 1)" &&
  pass "--wait 1 gave up after ${elapsed}s" || fail "--wait 1 gave up after ${elapsed}s"
bg_stop "$HOLDER"
expect_exit 0 vl "${A[@]}" village add V9 --name 九村
SIZE=$((SIZE + 1))
# A writer with --wait gets the lock when the holder lets go.
hold_lock 1
start=$(date +%s.%N)
expect_exit 0 vl "${A[@]}" --wait 20 village add V10 --name 十村
elapsed=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
python3 -c "import sys; sys.exit(0 if 0.3 <= $elapsed < 15 else 1)" &&
  pass "--wait 20 waited ${elapsed}s for the holder" || fail "--wait 20 took ${elapsed}s"
SIZE=$((SIZE + 1))

# Real concurrent writers: six at once, each waiting its turn, while
# readers verify beside them. Every writer succeeds, every reader sees a
# whole ledger, and the result verifies.
for i in 1 2 3 4 5 6; do
  bg_run vl "${A[@]}" --wait 30 village add "C$i" --name "并发$i" >"$WORK/.out/w$i" 2>&1
  eval "W$i=\$BG_PID"
done
readers_ok=0
readers_bad=0
for i in 1 2 3 4 5; do
  if vl --json verify >"$WORK/.out/r$i" 2>&1 &&
    grep -q '"ok":true' "$WORK/.out/r$i"; then
    readers_ok=$((readers_ok + 1))
  else
    readers_bad=$((readers_bad + 1))
    sed 's/^/    | /' "$WORK/.out/r$i" >&2
  fi
done
writers_bad=0
for i in 1 2 3 4 5 6; do
  eval "pid=\$W$i"
  wait "$pid" || writers_bad=$((writers_bad + 1))
done
expect_eq "$readers_bad" 0 "verify beside concurrent writers always succeeds"
expect_eq "$writers_bad" 0 "concurrent writers with --wait all succeed"
SIZE=$((SIZE + 6))
expect_exit 0 vl --json verify
expect_json 'd["events"]' "$SIZE"
expect_exit 0 vl --json village list
expect_json 'sorted(v["code"] for v in d["villages"] if v["code"].startswith("C"))' \
  '["C1", "C2", "C3", "C4", "C5", "C6"]'
# Without --wait, racing writers either succeed or get exit 4, never more.
for i in 1 2 3; do
  bg_run vl "${A[@]}" village add "D$i" --name "竞争$i" >"$WORK/.out/w$i" 2>&1
  eval "W$i=\$BG_PID"
done
won=0
odd=0
for i in 1 2 3; do
  eval "pid=\$W$i"
  wait "$pid"
  case $? in
    0) won=$((won + 1)) ;;
    4) ;;
    *) odd=$((odd + 1)) ;;
  esac
done
expect_eq "$odd" 0 "racing writers exit 0 or 4"
SIZE=$((SIZE + won))
expect_eq "$(ledger_size "$L")" "$SIZE" "each winning writer appended one event"
expect_exit 0 vl verify

# ========================================================= leave nothing
if [[ -z "$(ls -A "$TMPDIR")" ]]; then
  pass "readers removed their scratch folders"
else
  fail "left in TMPDIR: $(ls -A "$TMPDIR")"
fi

finish
