#!/usr/bin/env bash
# Signed reads (issue 19, items 4 and 7; docs/SERVER.md): a request signed
# with a registered key (RFC 9421) sees the names that key may see; an
# unsigned one sees what a public archive holds; replayed, tampered or
# badly keyed requests are refused (401) with nothing run; an address
# beyond its rate is answered 429 and the server goes on. Every server is
# started on 127.0.0.1 at a port it chose and stopped by this script.
source "$(dirname "$0")/lib.sh"
setup
CLIENT="python3 $SCENARIO_DIR/serve_client.py"

expect_exit 0 vl init --test-clock --name 县 --admin-key-out admin.key
A=(--key admin.key)
for k in col1 col2 aud; do vl key new --out $k.key >/dev/null; done
vl "${A[@]}" village add V1 --name 一村 >/dev/null
vl "${A[@]}" village add V2 --name 二村 >/dev/null
vl "${A[@]}" key register --pub col1.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub col2.key.pub --role collector --village V2 >/dev/null
vl "${A[@]}" key register --pub aud.key.pub --role auditor >/dev/null
vl "${A[@]}" rule add GOOD --category 志愿服务 --points 5 >/dev/null
vl --key col1.key household add H1 --village V1 --head 张大 >/dev/null
vl --key col1.key resident add R1 --village V1 --household H1 --name 张大 --adult >/dev/null
vl --key col1.key resident add R2 --village V1 --household H1 --name 张小 --birth-year 1980 >/dev/null
vl --key col1.key award R1 GOOD >/dev/null
key_id() { openssl pkey -pubin -in "$1" -outform DER | tail -c 32 | sha256sum | cut -c1-16; }
COL1_ID=$(key_id col1.key.pub)

SERVER=""
URL=""
start_server() {  # start_server [ARGS...]: a server on a free port; URL and SERVER set
  rm -f serve.out
  bg_run "$VLEDGER" --ledger vledger-data serve --listen 127.0.0.1:0 "$@" >serve.out 2>>serve.err
  SERVER=$BG_PID
  local i
  for i in $(seq 1 100); do
    grep listening serve.out >/dev/null 2>&1 && break
    sleep 0.1
  done
  URL=$(sed -n 's/^listening on //p' serve.out)
  [[ -n "$URL" ]] && pass "server listening at $URL" || fail "server did not start: $(cat serve.err)"
}
stop_server() {
  kill -TERM "$SERVER" 2>/dev/null
  wait "$SERVER"
  expect_eq "$?" 0 "server stopped by SIGTERM with exit 0"
}

# Locally nothing changes: names for anyone who can read the folder.
expect_exit 0 vl resident list --village V1 --json
expect_stdout_contains 张大
expect_exit 0 vl resident find 张大
expect_stdout_contains R1

start_server
R=(--remote "$URL")

# --- unsigned: what a public archive holds.
for cmd in "resident list --village V1" "household list --village V1" "log" "history R1" \
  "balance R1"; do
  expect_exit 0 vl "${R[@]}" --json $cmd
  expect_stdout_lacks 张大
  expect_stdout_lacks 张小
done
expect_exit 0 vl "${R[@]}" --json resident list --village V1
expect_stdout_contains '"name":"不公开"'
expect_exit 0 vl "${R[@]}" log
expect_stdout_lacks 张大
got=$(curl -sf "$URL/v1/resident/list?village=V1")
[[ $got == *R1* && $got != *张大* ]] && pass "GET /v1/resident/list unsigned: ids, no names" \
  || fail "GET /v1/resident/list unsigned: $got"
expect_exit 3 vl "${R[@]}" resident find 张大
expect_stderr_contains "looked up only for a signed request"
expect_exit 3 vl "${R[@]}" balance 张大
expect_stderr_contains "looked up only for a signed request"
expect_exit 0 vl "${R[@]}" balance R1     # an id needs no name

# --- signed by the admin: every name, as locally.
for cmd in "resident list --village V1" "household list --village V1"; do
  expect_exit 0 vl "${R[@]}" --key admin.key --json $cmd
  remote_doc=$(last_stdout)
  expect_exit 0 vl --json $cmd
  expect_eq "$remote_doc" "$(last_stdout)" "signed admin $cmd == local $cmd"
done
expect_exit 0 vl "${R[@]}" --key admin.key log
expect_stdout_contains 张大
expect_exit 0 vl "${R[@]}" --key admin.key resident find 张大
expect_stdout_contains R1
expect_exit 0 vl "${R[@]}" --key admin.key --json balance 张大
expect_stdout_contains R1

# --- a collector sees its own villages' people only; an auditor nobody's.
expect_exit 0 vl "${R[@]}" --key col1.key --json resident list --village V1
expect_stdout_contains 张大
expect_exit 0 vl "${R[@]}" --key col2.key --json resident list --village V1
expect_stdout_lacks 张大
expect_stdout_lacks 张小
expect_exit 3 vl "${R[@]}" --key col2.key balance 张大
expect_exit 0 vl "${R[@]}" --key aud.key --json household list --village V1
expect_stdout_lacks 张大
expect_exit 3 vl "${R[@]}" --key aud.key resident find 张大

# --- refused with nothing run: a replayed request, a body under another's
# signature, a request naming a key it is not signed by.
run $CLIENT "$URL" "$COL1_ID" col1.key resend award R1 GOOD --request-id once --lang en
expect_stdout_contains "200 401"
expect_stdout_contains "replay"
run $CLIENT "$URL" "$COL1_ID" col1.key tamper balance R1 --lang en
expect_stdout_contains "401"
expect_stdout_contains "Content-Digest"
run $CLIENT "$URL" "$COL1_ID" col1.key unsigned balance R1 --lang en
expect_stdout_contains "401"
expect_stdout_contains "must be signed"
# The one award is the resent request's first sending, whose lease was
# never signed: nothing was written.
expect_exit 0 vl "${R[@]}" --key admin.key --json log --kind pointsAwarded
[[ $(last_stdout | grep -o '"requestId":"once"' | wc -l) -eq 0 ]] \
  && pass "nothing of the refused requests was written" || fail "a refused request wrote"

# --- nonces are kept in memory: a request signed before the server
# restarted is answered 503 "sign it again", not taken as new; one signed
# after is taken.
run $CLIENT "$URL" "$COL1_ID" col1.key keep kept.json balance R1 --lang en
expect_stdout_contains "200"
PORT=${URL##*:}
stop_server
rm -f serve.out
bg_run "$VLEDGER" --ledger vledger-data serve --listen "127.0.0.1:$PORT" >serve.out 2>>serve.err
SERVER=$BG_PID
for i in $(seq 1 100); do
  grep listening serve.out >/dev/null 2>&1 && break
  sleep 0.1
done
run $CLIENT "$URL" "$COL1_ID" col1.key again kept.json
expect_stdout_contains "503"
expect_stdout_contains "before the server started"
run $CLIENT "$URL" "$COL1_ID" col1.key resend balance R1 --lang en
expect_stdout_contains "200 401"
stop_server

# --- rate limits: an address beyond its burst is answered 429 with
# Retry-After, and the server goes on; the client waits and retries.
expect_exit 2 vl serve --listen 127.0.0.1:0 --address-limit 5
start_server --address-limit 2:5
run $CLIENT "$URL" x x burst 40
expect_stdout_contains "retry-after: True"
[[ $(last_stdout) =~ 429:\ ([0-9]+) && ${BASH_REMATCH[1]} -gt 0 ]] \
  && pass "a burst beyond the limit is answered 429: $(last_stdout)" || fail "no 429: $(last_stdout)"
expect_exit 0 vl --remote "$URL" --json balance R1
expect_exit 0 vl --remote "$URL" --key col1.key award R1 GOOD
stop_server

finish
