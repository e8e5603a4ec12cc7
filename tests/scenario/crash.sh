#!/usr/bin/env bash
# Crash safety: `vledger import --batch` and `vledger allowance run` are
# killed with SIGKILL at random moments, again and again. After every kill
# the ledger must open, `verify` must pass (hash chain, signatures, Merkle
# root, and projections against a replay of the log), every commit must be
# wholly present or wholly absent, the projections must equal what
# `rebuild` makes of the log, and re-running the command must finish the
# job without appending anything twice.
# VLEDGER_CRASH_KILLS (default 20) sets how many imports must be killed
# while running; VLEDGER_CRASH_SEED fixes the random moments.
# Usage: crash.sh PATH/TO/vledger
source "$(dirname "$0")/lib.sh"
setup

KILLS=${VLEDGER_CRASH_KILLS:-20}
RANDOM=${VLEDGER_CRASH_SEED:-$$}
echo "crash.sh: seed ${VLEDGER_CRASH_SEED:-$$} (set VLEDGER_CRASH_SEED to repeat)"

K=admin.key
expect_exit 0 vl init --test-clock --name 断电测试 --admin-key-out $K
expect_exit 0 vl --key $K village add V1 --name 甲夼曲家村
expect_exit 0 vl key new --out col.key
expect_exit 0 vl --key $K key register --pub col.key.pub --role collector --village V1 --label 信息采集员
expect_exit 0 vl --key $K rule add VOL --village V1 --category 志愿服务 --points 2 --min 1 --max 10
python3 - <<'EOF'
with open("households.csv", "w", encoding="utf-8") as f:
    f.write("id,village,head\n")
    for h in range(1, 61):
        f.write("H%03d,V1,户主%d\n" % (h, h))
with open("residents.csv", "w", encoding="utf-8") as f:
    f.write("name,id,household,village,minor,birth_year\n")
    for r in range(1, 181):
        f.write("村民%d,R%03d,H%03d,V1,0,%d\n" % (r, r, 1 + (r - 1) // 3, 1950 + r % 50))
EOF
expect_exit 0 vl --key col.key import households.csv --kind households
expect_exit 0 vl --key col.key import residents.csv --kind residents

ROWS=400
BATCH=25
# awards_file N: ROWS awards, each row distinct, to import as round N.
awards_file() {
  python3 - "$1" "$ROWS" <<'EOF'
import sys
n, rows = int(sys.argv[1]), int(sys.argv[2])
with open("awards-%d.csv" % n, "w", encoding="utf-8") as f:
    f.write("resident,rule,points,date,note\n")
    for i in range(rows):
        f.write("R%03d,VOL,%d,2021-%02d-%02d,第%d轮第%d条\n"
                % (1 + (i * 7 + n) % 180, 1 + i % 10, 7 + i % 3, 1 + i % 28, n, i))
EOF
}

# ledger_events: the number of events, from `verify --json` (0 on failure).
ledger_events() {
  "$VLEDGER" --json verify 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])' 2>/dev/null || echo 0
}

# projections: what the projections say, for comparing across a rebuild.
projections() {
  "$VLEDGER" --json rank --village V1 --period 2021Q3 --households
  "$VLEDGER" --json rank --village V1 --period 2021Q3
  "$VLEDGER" --json balance --fund CH
  local r
  for r in R001 R002 R090 R180; do "$VLEDGER" --json balance $r; done
}

# check_after_kill WHAT BEFORE UNIT: the ledger opens and verifies, the
# events appended since BEFORE are a whole number of commits of UNIT
# events each, and a rebuild changes no projection. Sets APPENDED.
check_after_kill() {
  local what=$1 before=$2 unit=$3
  expect_exit 0 vl --json verify || return 1
  expect_json 'd["ok"]' true || return 1
  APPENDED=$(($(json_get 'd["events"]') - before))
  if ((APPENDED >= 0 && APPENDED % unit == 0)); then
    pass "$what: $APPENDED events, whole commits"
  else
    fail "$what: $APPENDED events appended, not a whole number of $unit-event commits"
  fi
  local live rebuilt
  live=$(projections 2>&1)
  expect_exit 0 vl --key $K rebuild
  rebuilt=$(projections 2>&1)
  expect_eq "$rebuilt" "$live" "$what: projections equal a rebuild"
}

# kill_at MS CMD...: runs CMD in the background, sends SIGKILL after MS
# milliseconds; KILLED=1 when the process was still running then.
kill_at() {
  local ms=$1
  shift
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$(printf '0.%03d' "$ms")"
  if kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null; then
    KILLED=1
  else
    KILLED=0
  fi
  wait "$pid" 2>/dev/null
  return 0
}

# When a process finished before its kill, later kills come sooner.
shrink_span() {
  span_ms=$((span_ms * 3 / 4))
  ((span_ms < 10)) && span_ms=10
  return 0
}

# ---------------------------------------------- imports killed mid-way
# An undisturbed run first, to know how long an import takes here.
awards_file 0
start=$(date +%s%N)
expect_exit 0 vl --key col.key import awards-0.csv --kind awards --batch $BATCH
span_ms=$((($(date +%s%N) - start) / 1000000))
((span_ms > 999)) && span_ms=999
((span_ms < 20)) && span_ms=20
echo "crash.sh: an import of $ROWS rows takes ${span_ms} ms here"

killed=0
round=0
while ((killed < KILLS && round < 4 * KILLS)); do
  round=$((round + 1))
  awards_file $round
  before=$(ledger_events)
  kill_at $((RANDOM % span_ms)) "$VLEDGER" --key col.key import awards-$round.csv --kind awards \
    --batch $BATCH
  killed=$((killed + KILLED))
  ((KILLED)) || shrink_span
  check_after_kill "import round $round (killed=$KILLED)" "$before" $BATCH
  part=$APPENDED
  # Re-running completes the import; no row lands twice.
  expect_exit 0 vl --key col.key --json import awards-$round.csv --kind awards --batch $BATCH
  expect_json 'd["repeated"]' "$part"
  expect_json 'd["appended"] + d["repeated"]' $ROWS
  expect_eq "$(ledger_events)" $((before + ROWS)) "round $round: every row exactly once"
done
((killed >= KILLS)) && pass "$killed imports killed while running, in $round rounds" ||
  fail "only $killed of $round imports were still running when killed (wanted $KILLS)"

# ------------------------------------------- allowance runs killed mid-way
# One allowance per resident, so a month's run is one commit of 180
# payments: after a kill either all of them are there or none.
expect_exit 0 vl --key $K fund open CH --name 困境儿童关爱基金 --kind charity --village V1
expect_exit 0 vl --key $K donate CH --amount 2000000 --donor-org 荣成市慈善总会
for r in $(seq 1 180); do
  "$VLEDGER" --key $K allowance add CH --to "$(printf R%03d "$r")" --amount 100 --from 2021-01 \
    >/dev/null || fail "allowance add R$r"
done
snapshot_forget
start=$(date +%s%N)
expect_exit 0 vl --key $K --json allowance run --month 2021-01
expect_json 'len(d["payments"])' 180
span_ms=$((($(date +%s%N) - start) / 1000000))
((span_ms > 999)) && span_ms=999
((span_ms < 20)) && span_ms=20

run_kills=0
months=1
# Months after the test clock's (2021-09) are paid ahead: --advance.
for month in 2021-{02..12} 2022-{01..12}; do
  ((run_kills >= 6)) && break
  before=$(ledger_events)
  kill_at $((RANDOM % span_ms)) "$VLEDGER" --key $K allowance run --month $month --advance
  run_kills=$((run_kills + KILLED))
  ((KILLED)) || shrink_span
  check_after_kill "allowance run $month (killed=$KILLED)" "$before" 180
  paid=$APPENDED
  expect_exit 0 vl --key $K --json allowance run --month $month --advance
  expect_json 'len(d["payments"])' $((180 - paid))
  expect_exit 0 vl --key $K --json allowance run --month $month --advance
  expect_json 'len(d["payments"])' 0
  expect_eq "$(ledger_events)" $((before + 180)) "$month: every allowance paid once"
  months=$((months + 1))
done
((run_kills >= 6)) && pass "$run_kills allowance runs killed while running, in $months months" ||
  fail "only $run_kills allowance runs were still running when killed"
expect_exit 0 vl --json balance --fund CH
expect_json 'd["balanceFen"]' $(((2000000 - months * 180 * 100) * 100))

finish
