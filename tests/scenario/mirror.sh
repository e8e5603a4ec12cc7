#!/usr/bin/env bash
# vledger mirror URL [--once] (SPEC section 12) over HTTP: a replica made
# from a server's genesis catches up, follows new commits until SIGTERM,
# and stops with exit 1, applying nothing more, when the server rewrote its
# history (an older backup restored and something else appended). The
# server here is tests/scenario/feed_server.py, which answers /checkpoint
# and /events by running the program against the server's folder; pointed
# at a real `vledger serve` the checks are the same.
source "$(dirname "$0")/lib.sh"
setup

expect_exit 0 vl init --test-clock --name 荣成县 --admin-key-out admin.key --ledger S
S() { vl --ledger S --key admin.key "$@" >/dev/null; }
S village add V01 --name 曲家村
S household add H001 --village V01 --head 曲建国
S resident add R001 --village V01 --household H001 --name 曲建国 --adult
S rule add VOL --category 志愿服务 --points 2 --min 1 --max 10
S award R001 VOL --on 2021-07-05
expect_exit 0 vl --ledger S backup OLD                # the history a forked server goes back to
S award R001 VOL --on 2021-07-06

# ---- the server
bg_run python3 "$SCENARIO_DIR/feed_server.py" "$VLEDGER" "$WORK/S" "$WORK/admin.key" port \
  "$WORK/stale.checkpoint"
SERVER=$BG_PID
for _ in $(seq 100); do [[ -s port ]] && break; sleep 0.1; done
URL=http://127.0.0.1:$(cat port)

# wait_size DIR N: waits (up to 60 s) until the ledger DIR holds N events.
wait_size() {
  local i
  for i in $(seq 300); do
    [[ $(ledger_size "$1") == "$2" ]] && return 0
    sleep 0.2
  done
  return 1
}

# ---- catch up from nothing: the replica is made from the server's genesis
expect_exit 0 vl --ledger M --json mirror "$URL" --once
size=$(ledger_size S)
expect_json 'd["created"]' true
expect_json 'd["size"]' "$size"
expect_json 'd["checkpoint"]["size"]' "$size"
expect_exit 0 vl --ledger M verify
expect_exit 0 vl --ledger S --json balance R001
server_balance=$(last_stdout)
expect_exit 0 vl --ledger M --json balance R001
expect_eq "$(last_stdout)" "$server_balance" "the replica's balance is the server's"
expect_exit 0 vl --ledger M --json mirror "$URL" --once    # nothing new
expect_json 'd["appended"]' 0
expect_json 'd["created"]' false

# ---- follow until SIGTERM
bg_run "$VLEDGER" --ledger M mirror "$URL" --interval 1 >follower.out 2>&1   # the program itself gets the signal
FOLLOWER=$BG_PID
S award R001 VOL --on 2021-07-07
S award R001 VOL --on 2021-07-08
wait_size M "$(ledger_size S)" && pass "the follower applied the new commits" ||
  fail "the follower did not reach the server's size"
kill -TERM "$FOLLOWER"
wait "$FOLLOWER"
expect_eq "$?" 0 "the follower stops with exit 0 on SIGTERM"
grep "replica at" follower.out >/dev/null && pass "the follower says what it applied" || fail "no progress line"
expect_exit 0 vl --ledger M verify
# The newest accepted checkpoint is stored: a public archive at it verifies.
expect_exit 0 vl --ledger M export M.vlar --public
expect_exit 0 vl --ledger M verify --archive M.vlar --pub admin.key.pub
replica_size=$(ledger_size M)

# ---- a forked server: the older backup restored, something else appended
# (its checkpoint first still the one of the replica's size, as a server
# whose checkpoint lags its log would answer)
vl --ledger S --key admin.key checkpoint >stale.checkpoint
rm -rf S
expect_exit 0 vl --ledger S restore OLD
S award R001 VOL --on 2021-07-09
# Shorter than the replica, its checkpoint stale: /events from the
# replica's size is refused (409), which is the fork.
expect_exit 1 vl --ledger M mirror "$URL" --once
expect_stderr_contains 'fork'
expect_eq "$(ledger_size M)" "$replica_size" "nothing applied from a shorter forked server with a stale checkpoint"
rm stale.checkpoint
# Shorter than the replica: its checkpoint does not match the replica's tree.
expect_exit 1 vl --ledger M mirror "$URL" --once
expect_stderr_contains 'fork'
expect_eq "$(ledger_size M)" "$replica_size" "nothing applied from a shorter forked server"
for d in 10 11 12 13; do S award R001 VOL --on 2021-07-$d; done
# Longer: its events at the replica's size do not follow the replica's chain.
expect_exit 1 vl --ledger M mirror "$URL" --once
expect_stderr_contains 'rewritten'
expect_eq "$(ledger_size M)" "$replica_size" "nothing applied from a longer forked server"
expect_exit 0 vl --ledger M verify
# A follower stops at the fork too.
expect_exit 1 vl --ledger M mirror "$URL" --interval 1

# ---- a new replica of the forked server is fine: it is a log of its own
expect_exit 0 vl --ledger M2 --json mirror "$URL" --once
expect_json 'd["size"]' "$(ledger_size S)"

# ---- a server that cannot be reached, a URL that is not one
bg_stop "$SERVER"
expect_exit 4 vl --ledger M mirror "$URL" --once
expect_stderr_contains 'cannot reach'
expect_exit 4 vl --ledger M3 mirror "$URL" --once
[[ ! -e M3 ]] && pass "no replica folder left when the server cannot be reached" ||
  fail "M3 left behind"
expect_exit 3 vl --ledger M mirror ftp://example.org --once
expect_stderr_contains 'URL'

finish
