#!/usr/bin/env bash
# The log as C2SP tlog-tiles (SPEC section 12, docs/FORMAT.md section 12):
# `vledger tiles --out DIR` read back by an independent client
# (tests/interop/check_formats.py: hashlib and the cryptography package),
# which rebuilds the checkpoint's root and inclusion proofs from the tiles
# alone; an earlier output brought up to date; and the checkpointer role: a
# checkpoint it signs verifies, its events are refused, a collector's
# checkpoint is refused.
source "$(dirname "$0")/lib.sh"
setup

SCHEMAS="$REPO_ROOT/schemas"
PY=python3
if /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then PY=/usr/bin/python3; fi
CHECK=("$PY" "$REPO_ROOT/tests/interop/check_formats.py" --schemas "$SCHEMAS")
L=(--ledger L)

# ------------------------------------------------------------ the ledger

expect_exit 0 vl "${L[@]}" init --test-clock --name 瓦片测试 --admin-key-out admin.key
expect_exit 0 vl "${L[@]}" --key admin.key village add V1 --name 甲村
for k in c cp cp2; do expect_exit 0 vl key new --out $k.key; done
expect_exit 0 vl "${L[@]}" --key admin.key key register --pub c.key.pub --role collector --village V1
expect_exit 0 vl "${L[@]}" --key admin.key key register --pub cp.key.pub --role checkpointer \
  --label 县服务器
expect_exit 0 vl "${L[@]}" --key c.key household add H1 --village V1 --head 曲建国
expect_exit 0 vl "${L[@]}" --key c.key resident add R1 --village V1 --household H1 --name 曲明 --adult
expect_exit 0 vl "${L[@]}" --key admin.key rule add VOL --category 志愿服务 --points 2 --min 1 --max 10
{
  echo "resident,rule,points,note"
  for i in $(seq 1 600); do echo "R1,VOL,$((1 + i % 10)),第${i}次"; done
} >awards.csv
expect_exit 0 vl "${L[@]}" --key c.key import awards.csv --kind awards --batch 100
SIZE=$(ledger_size L)
expect_eq "$SIZE" 607 "the test ledger has 607 events"

# ------------------------------------------------- the checkpointer role

expect_rejected_unchanged 3 vl "${L[@]}" --key admin.key key register --pub cp2.key.pub \
  --role checkpointer --village V1
expect_stderr_contains "give no --village"
# Its events are refused, whatever they are.
expect_rejected_unchanged 3 vl "${L[@]}" --key cp.key award R1 VOL
expect_stderr_contains "signs checkpoints only, never events"
expect_rejected_unchanged 3 vl "${L[@]}" --key cp.key village add V2 --name 乙村
expect_stderr_contains "signs checkpoints only, never events"
# A collector's checkpoint is refused; nothing is stored.
expect_exit 3 vl "${L[@]}" --key c.key checkpoint
expect_stderr_contains "checkpoints are signed by an admin or checkpointer key"
expect_exit 3 vl "${L[@]}" tiles --out none
expect_stderr_contains "no checkpoint is stored yet"
[[ ! -e none ]] && pass "nothing written without a checkpoint" || fail "none/ was written"
# The checkpointer's checkpoint: signed, stored, checked by verify and by
# the independent checker with its public key.
expect_exit 0 vl "${L[@]}" --key cp.key checkpoint
cp "$(LAST_OUT_FILE)" cp.checkpoint
expect_exit 0 "${CHECK[@]}" --pub cp.key.pub --checkpoint cp.checkpoint
expect_stdout_contains "ok: checkpoint"
expect_exit 1 "${CHECK[@]}" --pub admin.key.pub --checkpoint cp.checkpoint
expect_exit 0 vl "${L[@]}" --json verify
expect_json 'd["ok"]' true
expect_exit 0 vl "${L[@]}" prove 300 --out p300.tlog-proof
expect_exit 0 vl verify-proof p300.tlog-proof --pub cp.key.pub

# ------------------------------------------------------------ tiles

expect_exit 0 vl "${L[@]}" --json tiles --out site
expect_json 'd["size"]' 607
expect_json 'd["files"]' 7   # bundles 000 001 002.p/95, tile/0 the same, tile/1/000.p/2
expect_json 'd["written"]' 7
expect_exit 0 cmp site/checkpoint cp.checkpoint
for f in tile/entries/000 tile/entries/001 tile/entries/002.p/95 tile/0/000 tile/0/001 \
  tile/0/002.p/95 tile/1/000.p/2; do
  [[ -f site/$f ]] && pass "site/$f" || fail "site/$f is missing"
done
expect_eq "$(stat -c %s site/tile/0/000)" 8192 "a full tile is 256 hashes"
expect_eq "$(stat -c %s site/tile/entries/000)" 8704 "a full bundle is 256 x (2 + 32) bytes"
expect_exit 0 "${CHECK[@]}" --pub cp.key.pub --tiles site
expect_stdout_contains "ok: tiles site: 7 files rebuild the root"
# The entries are the record hashes of the archive at the same checkpoint.
expect_exit 0 vl "${L[@]}" export pub.vla --public
expect_exit 0 "${CHECK[@]}" --pub cp.key.pub --archive pub.vla --tiles site
expect_stdout_contains "ok: tiles site"
# A tile with one bit changed, or missing, fails the check.
cp -a site bad
python3 - bad/tile/0/001 <<'PYEOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[100] ^= 1
open(sys.argv[1], "wb").write(b)
PYEOF
expect_exit 1 "${CHECK[@]}" --pub cp.key.pub --tiles bad
expect_stderr_contains "FAIL: tiles:"
rm bad/tile/0/001
expect_exit 1 "${CHECK[@]}" --pub cp.key.pub --tiles bad
expect_stderr_contains "is missing"
# The same again writes nothing.
expect_exit 0 vl "${L[@]}" --json tiles --out site
expect_json 'd["written"]' 0
expect_json 'd["unchanged"]' 7
# A folder holding anything else is refused, and left as it was.
mkdir web && echo '<html></html>' >web/index.html
expect_exit 3 vl "${L[@]}" tiles --out web
expect_stderr_contains "holds no earlier tiles output"
[[ ! -e web/tile && ! -e web/checkpoint ]] && pass "web/ untouched" || fail "web/ was written"
expect_exit 3 vl "${L[@]}" tiles --out site2 --at 100
expect_stderr_contains "no checkpoint is stored at size 100"

# ------------------------------------------------------ a newer checkpoint

{
  echo "resident,rule,points,note"
  for i in $(seq 1 300); do echo "R1,VOL,$((1 + i % 10)),二${i}"; done
} >awards2.csv
expect_exit 0 vl "${L[@]}" --key c.key import awards2.csv --kind awards --batch 300
expect_exit 0 vl "${L[@]}" --key cp.key checkpoint
# The checkpointer's head signed by the admin too: both signatures kept.
expect_exit 0 vl "${L[@]}" --key admin.key checkpoint
expect_exit 0 vl "${L[@]}" --json tiles --out site
expect_json 'd["size"]' 907
expect_json 'd["removed"]' 3  # the partial tiles of size 607
expect_exit 0 "${CHECK[@]}" --pub cp.key.pub --tiles site
expect_exit 0 "${CHECK[@]}" --pub admin.key.pub --tiles site
expect_stdout_contains "at size 907"
expect_exit 0 vl "${L[@]}" tiles --out fresh
expect_exit 0 diff -r site fresh
# Back at the older checkpoint: exactly the first output.
expect_exit 0 vl "${L[@]}" tiles --out old --at 607
expect_exit 0 cmp old/checkpoint cp.checkpoint
expect_exit 0 vl "${L[@]}" tiles --out site --at 607
expect_exit 0 diff -r site old
expect_exit 0 "${CHECK[@]}" --pub cp.key.pub --tiles old

# A revoked checkpointer signs nothing more; what it signed stays valid.
CP_ID=$(openssl pkey -pubin -in cp.key.pub -outform DER | tail -c 32 | sha256sum | cut -c1-16)
expect_exit 0 vl "${L[@]}" --key admin.key key revoke "$CP_ID"
expect_exit 3 vl "${L[@]}" --key cp.key checkpoint
expect_stderr_contains "was revoked"
expect_exit 0 vl "${L[@]}" --json verify
expect_json 'd["ok"]' true

finish
