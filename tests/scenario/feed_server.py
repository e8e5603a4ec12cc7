#!/usr/bin/env python3
"""A stand-in for the county server's feed endpoints, for tests/scenario/mirror.sh.

    feed_server.py VLEDGER LEDGER_DIR ADMIN_KEY PORT_FILE [STALE_CHECKPOINT]

Listens on 127.0.0.1 at a free port (written to PORT_FILE) and answers

    GET /checkpoint              `vledger --key ADMIN_KEY checkpoint` (a fresh
                                 checkpoint at the current size), text
    GET /events?from=N&limit=K   `vledger __feed --from N --limit K`, the page

by running the program against LEDGER_DIR for each request, so the folder
may be replaced between requests (a restored backup: a forked server).
While the file STALE_CHECKPOINT exists, /checkpoint answers it instead (a
server whose checkpoint lags its log). A refused request is 400 with the
program's error line — 409 when it refuses `from`, as `vledger serve`
does — and 404 for a checkpoint the ledger cannot give.
"""
import http.server
import os
import subprocess
import sys
import urllib.parse

VLEDGER, LEDGER, ADMIN_KEY, PORT_FILE = sys.argv[1:5]
STALE_CHECKPOINT = sys.argv[5] if len(sys.argv) > 5 else None


def run(args):
    return subprocess.run([VLEDGER, "--ledger", LEDGER] + args, capture_output=True)


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/checkpoint" and STALE_CHECKPOINT and os.path.exists(STALE_CHECKPOINT):
            with open(STALE_CHECKPOINT, "rb") as f:
                self.answer(200, f.read(), "text/plain; charset=utf-8")
        elif url.path == "/checkpoint":
            done = run(["--key", ADMIN_KEY, "checkpoint"])
            if done.returncode == 0:
                self.answer(200, done.stdout, "text/plain; charset=utf-8")
            else:
                self.answer(404, done.stderr, "text/plain; charset=utf-8")
        elif url.path == "/events":
            args = ["__feed"]
            for name in ("from", "limit"):
                if name in query:
                    args += ["--" + name, query[name][0]]
            done = run(args)
            if done.returncode == 0:
                self.answer(200, done.stdout, "application/octet-stream")
            else:
                status = 500
                if done.returncode == 3:
                    status = 409 if b" from: " in done.stderr else 400
                self.answer(status, done.stderr, "text/plain; charset=utf-8")
        else:
            self.answer(404, b"not found\n", "text/plain; charset=utf-8")

    def log_message(self, *args):
        pass


def main():
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(PORT_FILE + ".tmp", PORT_FILE)
    server.serve_forever()


if __name__ == "__main__":
    main()
