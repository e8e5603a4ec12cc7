#!/usr/bin/env bash
# Offline villages (issue 19, item 3): with --outbox a command that
# appends is kept when the county server cannot be reached, with the act's
# date fixed the day it was entered and signed by the collector's key;
# `vledger sync` sends it later through prepare -> sign -> commit, each
# entry landing once: after a second sync, after a sync SIGKILLed between
# the commit and the removal of its file, never for an altered file.
# Servers run on 127.0.0.1 at free ports and are stopped by this script.
source "$(dirname "$0")/lib.sh"
setup
export XDG_DATA_HOME="$WORK/xdg"
OUTBOX="$XDG_DATA_HOME/vledger/outbox"

expect_exit 0 vl init --test-clock --name 县 --admin-key-out admin.key
A=(--key admin.key)
vl key new --out col1.key >/dev/null
vl key new --out col2.key >/dev/null
vl "${A[@]}" village add V1 --name 一村 >/dev/null
vl "${A[@]}" key register --pub col1.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" key register --pub col2.key.pub --role collector --village V1 >/dev/null
vl "${A[@]}" rule add GOOD --category 志愿服务 --points 5 --min 1 --max 10 >/dev/null
vl --key col1.key household add H1 --village V1 --head 张大 >/dev/null
for r in R1 R2 R3; do
  vl --key col1.key resident add $r --village V1 --household H1 --name "张$r" --adult >/dev/null
done
expect_exit 0 vl log --json

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
SERVER=""
# The server's clock: five days after the entries were made.
start_server() {
  rm -f serve.out
  VLEDGER_NOW=2021-10-05T02:00:00Z bg_run "$VLEDGER" serve --listen "127.0.0.1:$PORT" \
    >serve.out 2>>serve.err
  SERVER=$BG_PID
  local i
  for i in $(seq 1 100); do
    grep listening serve.out >/dev/null 2>&1 && break
    sleep 0.1
  done
  grep listening serve.out >/dev/null 2>&1 && pass "server listening at $URL" ||
    fail "server did not start: $(cat serve.err)"
}
stop_server() {
  kill -TERM "$SERVER" 2>/dev/null
  wait "$SERVER"
}
entries() { find "$OUTBOX" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l; }
refused() { find "$OUTBOX/refused" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l; }
# awards_of RESIDENT: "DATE POINTS" of each award in the resident's history.
awards_of() {
  "$VLEDGER" --json history "$1" | python3 -c '
import json, sys
for r in json.load(sys.stdin)["history"]:
    if r.get("type") == "pointsAwarded":
        print(r["date"], r["points"])'
}
# The day the collector entered them (China Standard Time: 2021-10-01).
ENTRY=(env VLEDGER_NOW=2021-10-01T02:00:00Z)

# --- the server is down: three awards are kept, a read is not.
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox --key col1.key award R1 GOOD
expect_stdout_contains "sync"
expect_stdout_contains "2021-10-01"
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox --key col1.key --json award R2 GOOD
expect_json 'd["queued"]' true
expect_json 'd["on"]' 2021-10-01
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox --key col1.key award R3 GOOD --points 5
expect_eq "$(entries)" 3 "three entries kept"
# A server no connection can be made to is tried twice, then the command
# is kept: not after the whole backoff of eight sends (about 5 s).
strace -f -qq -e trace=connect -o connects.txt "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox \
  --key col1.key award R4 GOOD >/dev/null 2>&1
expect_eq "$(grep -c "htons(${URL##*:})" connects.txt)" 2 "two connection attempts, then kept"
rm "$(ls -t "$OUTBOX"/*.json | head -n 1)"
expect_eq "$(stat -c %a "$OUTBOX")" 700 "outbox folder mode 0700"
expect_eq "$(stat -c %a "$OUTBOX"/*.json | sort -u)" 600 "entry files mode 0600"
grep -l PRIVATE "$OUTBOX"/*.json >/dev/null && fail "a private key in an entry" || pass "no private key in the entries"
expect_exit 4 vl --remote "$URL" --outbox balance R1
expect_eq "$(entries)" 3 "a read is not kept"
expect_exit 2 vl --outbox --key col1.key award R1 GOOD
expect_exit 0 vl sync --list
expect_stdout_contains "award"
expect_stdout_contains "$URL"
expect_exit 0 vl sync --list --json
expect_json 'len(d["entries"])' 3
expect_json '[e["on"] for e in d["entries"]]' '["2021-10-01", "2021-10-01", "2021-10-01"]'
expect_json '[e["args"][e["args"].index("award") + 1] for e in d["entries"]]' '["R1", "R2", "R3"]'
# Still down: sync stops, exit 4, everything kept.
expect_exit 4 vl --key col1.key sync
expect_eq "$(entries)" 3 "an unreachable server: entries kept"
# Another collector's key does not send them (nor sign their commits).
expect_exit 3 vl --key col2.key sync
expect_eq "$(entries)" 3 "entries of another key: kept"

# --- the server is up: each lands once, dated the day it was entered.
start_server
expect_exit 0 vl --key col1.key sync
expect_stdout_contains "R1"
expect_eq "$(entries)" 0 "outbox empty after sync"
for r in R1 R2 R3; do
  expect_eq "$(awards_of $r)" "2021-10-01 5" "$r: one award, dated the entry day"
done
expect_exit 0 vl --key col1.key sync
expect_exit 0 vl --key col1.key --json sync
expect_json 'd["sent"]' '[]'
for r in R1 R2 R3; do
  expect_eq "$(awards_of $r)" "2021-10-01 5" "$r: still one award after syncing again"
done

# --- a sync SIGKILLed after the commit, before its file was removed: a
# proxy passes the commit to the server and holds back its answer.
cat >proxy.py <<'PY'
import http.client, http.server, os, sys, time
port, upstream, mode_file, seen_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def forward(self, method):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        c = http.client.HTTPConnection("127.0.0.1", upstream, timeout=60)
        # Every header as sent (Host too: the request's signature covers
        # the authority the client named, the proxy's).
        headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
        c.request(method, self.path, body, headers)
        r = c.getresponse()
        data = r.read()
        if self.path == "/v1/commit" and open(mode_file).read().strip() == "hold":
            open(seen_file, "w").write("committed")
            time.sleep(600)
        self.send_response(r.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_POST(self): self.forward("POST")
    def do_GET(self): self.forward("GET")
http.server.ThreadingHTTPServer.daemon_threads = True
http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
PY
PPORT=$(free_port)
PURL="http://127.0.0.1:$PPORT"
echo hold >proxy.mode
# Entered while the proxy is not there.
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$PURL" --outbox --key col1.key award R1 GOOD --points 7
bg_run python3 proxy.py "$PPORT" "$PORT" proxy.mode proxy.seen
PROXY=$BG_PID
for i in $(seq 1 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PPORT))" 2>/dev/null && break
  sleep 0.1
done
bg_run "$VLEDGER" --key col1.key sync
SYNC=$BG_PID
for i in $(seq 1 300); do
  [[ -f proxy.seen ]] && break
  sleep 0.1
done
expect_eq "$(cat proxy.seen 2>/dev/null)" committed "the commit reached the server"
kill -KILL "$SYNC"
wait "$SYNC" 2>/dev/null
expect_eq "$(awards_of R1)" "$(printf '2021-10-01 5\n2021-10-01 7')" "the award landed once"
expect_eq "$(entries)" 1 "its entry is still kept (the answer never came)"
echo pass >proxy.mode
expect_exit 0 vl --key col1.key --json sync
expect_json 'd["sent"][0]["result"]["repeated"]' true
expect_eq "$(entries)" 0 "the entry removed once answered"
expect_eq "$(awards_of R1)" "$(printf '2021-10-01 5\n2021-10-01 7')" "still once after the second sync"
bg_stop "$PROXY"

# --- an altered entry and a refused command: moved aside, each with its
# error; the others are sent.
stop_server
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox --key col1.key award R2 GOOD --points 3
TAMPERED=$(ls "$OUTBOX"/*.json | head -1)
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox --key col1.key award R9 GOOD
expect_exit 0 "${ENTRY[@]}" "$VLEDGER" --remote "$URL" --outbox --key col1.key award R3 GOOD --points 2
# Three points become nine, in the command and in what the client checks.
python3 - "$TAMPERED" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["args"] = [("9" if a == "3" else a) for a in d["args"]]
d["expect"]["points"] = 9
json.dump(d, open(sys.argv[1], "w"))
PY
start_server
expect_exit 1 vl --key col1.key sync
expect_stderr_contains "$(basename "$TAMPERED")"
expect_stderr_contains "altered"
expect_stderr_contains "R9"
expect_eq "$(entries)" 0 "nothing left in the outbox"
expect_eq "$(refused)" 2 "two entries moved to refused/"
expect_eq "$(cat "$OUTBOX/refused/$(basename "$TAMPERED").error" | grep -c altered)" 1 \
  "the altered entry's error beside it"
grep -l R9 "$OUTBOX"/refused/*.error >/dev/null && pass "the refused command's error beside it" ||
  fail "no error file names R9"
expect_eq "$(awards_of R2)" "2021-10-01 5" "the altered award not applied"
expect_eq "$(awards_of R3)" "$(printf '2021-10-01 5\n2021-10-01 2')" "the next entry sent"
expect_exit 0 vl verify
stop_server
finish
