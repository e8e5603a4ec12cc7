#!/usr/bin/env bash
# The county server (issue 19): `vledger serve` holds the writer and runs
# the same commands for remote clients; writing is prepare -> sign ->
# commit with the client's key (SPEC sections 5 and 12). Every server is
# started on 127.0.0.1 at a port it chose and stopped by this script (the
# EXIT trap of lib.sh ends what bg_run started).
source "$(dirname "$0")/lib.sh"
setup
CLIENT="python3 $SCENARIO_DIR/serve_client.py"
# Awards per client in the load phase (8 clients at once), and in the
# phase the server is SIGKILLed in.
AWARDS=${SERVE_AWARDS:-200}
KILL_AWARDS=${SERVE_KILL_AWARDS:-100}

expect_exit 0 vl init --test-clock --name 县 --admin-key-out admin.key
A=(--key admin.key)
for k in col1 col2 col3; do vl key new --out $k.key >/dev/null; done
vl "${A[@]}" village add V1 --name 一村 >/dev/null
vl "${A[@]}" village add V2 --name 二村 >/dev/null
vl "${A[@]}" key register --pub col1.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub col2.key.pub --role collector --village V2 >/dev/null
vl "${A[@]}" key register --pub col3.key.pub --role collector --village V1 >/dev/null
# A key id: the first 8 bytes of SHA-256 of the raw public key, in hex.
key_id() { openssl pkey -pubin -in "$1" -outform DER | tail -c 32 | sha256sum | cut -c1-16; }
vl "${A[@]}" key revoke "$(key_id col3.key.pub)" >/dev/null
vl "${A[@]}" rule add GOOD --category 志愿服务 --points 5 >/dev/null
vl --key col1.key household add H1 --village V1 --head 张大 >/dev/null
vl --key col1.key resident add R1 --village V1 --household H1 --name 张大 --adult >/dev/null
vl --key col1.key resident add R2 --village V1 --household H1 --name 张二 --adult >/dev/null
expect_exit 0 vl log --json
COL1_ID=$(key_id col1.key.pub)

# A twin of the ledger, for the same commands run locally.
cp -a vledger-data twin

SERVER=""
URL=""
# start_server LEDGER [ARGS...]: a server on a free port; URL and SERVER set.
start_server() {
  rm -f serve.out
  bg_run "$VLEDGER" --ledger "$1" serve --listen 127.0.0.1:0 "${@:2}" >serve.out 2>>serve.err
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
  local rc=$?
  expect_eq "$rc" 0 "server stopped by SIGTERM with exit 0"
}

# No rate limits here: the load phases send thousands of requests from
# 127.0.0.1 with one key (serve_reads.sh tests the limits).
NO_LIMITS=(--address-limit 0 --key-limit 0)
start_server vledger-data "${NO_LIMITS[@]}"
R=(--remote "$URL")

# --- the server is the writer: a local writer is told the ledger is busy.
expect_rejected_unchanged 4 vl --key col1.key award R1 GOOD
expect_stderr_contains "another writer"
# Local reads go on beside it.
expect_exit 0 vl balance R1 --json

# --- a remote award is the local one, byte for byte (same clock, same id).
expect_exit 0 vl "${R[@]}" --key col1.key --json award R1 GOOD --request-id a1
remote_award=$(last_stdout)
expect_exit 0 vl --ledger twin --key col1.key --json award R1 GOOD --request-id a1
expect_eq "$remote_award" "$(last_stdout)" "remote award == local award (json)"
# Signed by the admin key, a remote read sees every name, as a local one.
for cmd in "balance R1" "history R1" "log" "rank --village V1 --period 2021"; do
  expect_exit 0 vl "${R[@]}" --key admin.key --json $cmd
  remote_doc=$(last_stdout)
  expect_exit 0 vl --ledger twin --json $cmd
  expect_eq "$remote_doc" "$(last_stdout)" "remote $cmd == local $cmd (json)"
done
# The same through GET /v1/... (a read endpoint).
got=$(curl -sf "$URL/v1/balance/R1")
expect_eq "$got" "$(vl --ledger twin --json balance R1)" "GET /v1/balance/R1 == balance R1 --json"
# A retry with the same request id gets the original answer.
expect_exit 0 vl "${R[@]}" --key col1.key --json award R1 GOOD --request-id a1
expect_json 'd["repeated"]' true
# `vledger` runs a remote command itself: alone in a folder, without
# vledger-net beside it, it awards on the server, and `sync` runs. Only
# serve (and mirror) need vledger-net.
mkdir -p alone && cp "$VLEDGER" alone/vledger
before=$(curl -sf "$URL/v1/balance/R1")
expect_exit 0 alone/vledger "${R[@]}" --key col1.key --json award R1 GOOD --request-id alone1
expect_json 'd.get("repeated", False)' false
expect_eq "$(curl -sf "$URL/v1/balance/R1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["creditScore"])')" \
  "$(($(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["creditScore"])' "$before") + 5))" \
  "the award of vledger alone is on the server"
expect_exit 4 alone/vledger --ledger twin serve --listen 127.0.0.1:0
expect_stderr_contains "vledger-net"
# `sync` is the same client: it runs there too (an empty outbox here).
XDG_DATA_HOME="$WORK/alone-xdg" expect_exit 0 alone/vledger sync --list
expect_stdout_contains "is empty"
# Human output and errors in the client's language.
expect_exit 0 vl "${R[@]}" --lang zh balance R1
expect_exit 3 vl "${R[@]}" --lang zh --key col1.key award R9 GOOD
expect_stderr_contains "错误"

# --- refusals: nothing written.
size=$(vl "${R[@]}" --json log | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))')
expect_exit 3 vl "${R[@]}" --key col2.key award R1 GOOD     # another village's key
expect_exit 3 vl "${R[@]}" --key col3.key award R1 GOOD     # a revoked key
run $CLIENT "$URL" "$COL1_ID" col1.key forged award R1 GOOD --json --lang en
expect_stdout_contains '"exit":3'
run $CLIENT "$URL" "$COL1_ID" col1.key replay award R1 GOOD --json --lang en
expect_stdout_contains '"exit":3'
run $CLIENT "$URL" "$COL1_ID" col1.key raw '{"args": 5'
expect_stdout_contains '400'
run $CLIENT "$URL" "$COL1_ID" col1.key raw '{"args": ["--ledger", "/etc", "log"]}'
expect_stdout_contains '"exit":2'
run $CLIENT "$URL" "$COL1_ID" col1.key raw '{"args": ["prove", "1", "--out", "/tmp/x"]}'
expect_stdout_contains '"exit":'
after=$(vl "${R[@]}" --json log | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))')
# The replay client's honest first commit is the one event added.
expect_eq "$after" "$((size + 1))" "refused commits wrote nothing"

# --- usage: --remote with --ledger, a folder command, an unreachable server.
expect_exit 2 vl "${R[@]}" --ledger twin balance R1
expect_exit 2 vl "${R[@]}" backup --out b
expect_exit 4 vl --remote http://127.0.0.1:1 balance R1
expect_exit 2 vl --remote ftp://x balance R1

# --- a cached read (GET /v1/...) is answered anew after a write.
before=$(curl -sf "$URL/v1/balance/R1")
expect_eq "$(curl -sf "$URL/v1/balance/R1")" "$before" "a read asked twice: the same answer"
expect_exit 0 vl "${R[@]}" --key col1.key award R1 GOOD --request-id cache-1
got=$(curl -sf "$URL/v1/balance/R1")
# (The CLI's remote reads are POSTed, never cached.)
expect_eq "$got" "$(vl "${R[@]}" --json balance R1)" "a read cached before an award is new after it"
[[ $got != "$before" ]] && pass "the award shows in the read" || fail "the read was not answered anew"

# --- load: 8 clients x AWARDS awards at once; every acknowledged award is
# in the log exactly once.
load() {  # load PREFIX [N]: awards PREFIX-1..N, acknowledged ids in PREFIX.ok
  local i
  : >"$1.ok"
  for i in $(seq 1 "${2:-$AWARDS}"); do
    if "$VLEDGER" "${R[@]}" --key col1.key award R2 GOOD --request-id "$1-$i" \
      >/dev/null 2>>"$1.err"; then
      echo "$1-$i" >>"$1.ok"
    fi
  done
}
check_log() {  # check_log PREFIX: each acknowledged PREFIX id in the log once
  vl "${R[@]}" --json log --kind pointsAwarded >log.json
  python3 - "$1" log.json "$1"*.ok <<'PY'
import json, sys, collections
prefix = sys.argv[1]
events = json.load(open(sys.argv[2]))["events"]
seen = collections.Counter(e.get("requestId") for e in events)
acked = [l.strip() for f in sys.argv[3:] for l in open(f) if l.strip()]
ours = [i for i in seen if i and i.startswith(prefix)]
twice = [i for i in ours if seen[i] > 1]
missing = [i for i in acked if seen[i] != 1]
print(f"acknowledged {len(acked)}, in the log {len(ours)}, twice {len(twice)}, missing {len(missing)}")
sys.exit(1 if twice or missing else 0)
PY
}
pids=()
for c in 1 2 3 4 5 6 7 8; do
  bg_run load c$c
  pids+=("$BG_PID")
done
for p in "${pids[@]}"; do wait "$p"; done
run check_log c
[[ $LAST_RC -eq 0 ]] && pass "load: $(last_stdout)" || fail "load: $(last_stdout) $(cat c*.err | head -3)"
expect_exit 0 vl "${R[@]}" verify

# --- the same with the server SIGKILLed mid-way and started again.
pids=()
for c in 1 2 3 4 5 6 7 8; do
  bg_run load k$c "$KILL_AWARDS"
  pids+=("$BG_PID")
done
sleep 3
kill -KILL "$SERVER"
wait "$SERVER" 2>/dev/null
port=${URL##*:}
bg_run "$VLEDGER" --ledger vledger-data serve --listen "127.0.0.1:$port" "${NO_LIMITS[@]}" \
  >serve.out 2>>serve.err
SERVER=$BG_PID
for p in "${pids[@]}"; do wait "$p"; done
run check_log k
[[ $LAST_RC -eq 0 ]] && pass "kill -9: $(last_stdout)" || fail "kill -9: $(last_stdout)"
expect_exit 0 vl "${R[@]}" verify
stop_server
expect_exit 0 vl verify

# --- the log as others follow it: /checkpoint kept fresh by a checkpointer
# key, the tiles under /tile/ equal to `tiles --out`, /events for mirrors.
vl key new --out cp.key >/dev/null
vl "${A[@]}" key register --pub cp.key.pub --role checkpointer >/dev/null
expect_exit 3 vl --ledger vledger-data serve --listen 127.0.0.1:0 --checkpoint-key nope.key
start_server vledger-data --checkpoint-key cp.key
curl -sf "$URL/checkpoint" >cp.txt
expect_eq "$(sed -n 1p cp.txt)" "$(vl show 0 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["body"]["origin"])')" "/checkpoint names the log's origin"
cp_size=$(sed -n 2p cp.txt)
expect_exit 0 vl --remote "$URL" --key col1.key award R2 GOOD
sleep 6   # the checkpointer signs every few seconds
curl -sf "$URL/checkpoint" >cp2.txt
[[ $(sed -n 2p cp2.txt) -gt $cp_size ]] && pass "a commit gets a fresh checkpoint within seconds" \
  || fail "checkpoint not refreshed: $(sed -n 2p cp2.txt) after $cp_size"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$URL/tile/0/x999/999")" 404 "a tile beyond the tree is 404"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$URL/tile/zz")" 400 "a malformed tile path is 400"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$URL/events?from=abc")" 400 "a bad from is 400"
rm -rf mirror-rep
run vl --ledger mirror-rep mirror "$URL" --once
expect_eq "$LAST_RC" 0 "mirror --once follows the server"
[[ "$(last_stdout)" == *"checkpoint at size $(sed -n 2p cp2.txt),"* ]] && pass "the mirror holds the served checkpoint" \
  || fail "mirror: $(last_stdout)"
expect_exit 0 vl --ledger mirror-rep verify
stop_server
rm -rf tiles-out
expect_exit 0 vl --ledger vledger-data tiles --out tiles-out
start_server vledger-data "${NO_LIMITS[@]}"
same=1
while read -r f; do
  rel=${f#tiles-out/}
  cmp -s "$f" <(curl -sf "$URL/$rel") || { same=0; echo "differs: $rel"; }
done < <(find tiles-out -type f)
expect_eq "$same" 1 "every file of tiles --out is what the server serves"
stop_server

# --- TLS with a self-signed certificate, trusted with --ca.
openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.crt -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
start_server vledger-data --tls-cert tls.crt --tls-key tls.key
expect_exit 0 vl --remote "$URL" --ca tls.crt --key col1.key award R1 GOOD
# Not trusted without --ca (the system's CAs did not sign it): exit 4 at
# once, after one connection, not retried like an unreachable server.
# (LeakSanitizer cannot run under strace: off for this one command of an
# ASan build, whose exit code is checked.)
strace -f -qq -e trace=connect -o connects.txt \
  env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  "$VLEDGER" --remote "$URL" balance R1 >/dev/null 2>untrusted.err
expect_eq "$?" 4 "a certificate not trusted is exit 4"
expect_eq "$(grep -c "htons(${URL##*:})" connects.txt)" 1 "one connection to a server not trusted"
grep -qF "cannot use the server $URL: its certificate is not trusted here (self-signed certificate); --ca FILE names the CA that signed it" untrusted.err &&
  pass "the refusal says why and names --ca" || fail "untrusted: $(cat untrusted.err)"
# Trusted, but for another host: the name in the URL is checked.
expect_exit 4 vl --remote "https://localhost:${URL##*:}" --ca tls.crt balance R1
expect_stderr_contains "its certificate is not trusted here (hostname mismatch)"
expect_exit 3 vl --remote "$URL" --ca missing.crt balance R1
expect_stderr_contains '--ca: cannot load the CA certificates of "missing.crt"'
stop_server

finish
