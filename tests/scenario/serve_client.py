#!/usr/bin/env python3
"""A hostile or hand-made client of `vledger serve` for tests/scenario/serve.sh.

Usage: serve_client.py URL KEY_ID KEY_FILE MODE ARGS...
  MODE forged   prepare ARGS, answer with 64 random bytes: prints the HTTP
                status and body of the commit.
  MODE replay   prepare ARGS and sign it (openssl), commit; prepare ARGS
                again with another request id and answer with the first
                signature: prints the second commit's status and body.
  MODE raw      POST the bytes of ARGS[0] to /v1/run: prints status, body.
Only the standard library and the openssl command are used.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request


def post(url, path, body):
    req = urllib.request.Request(url + path, data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def prepare(url, key_id, args):
    status, body = post(url, "/v1/run", json.dumps({"args": args, "key_id": key_id}).encode())
    doc = json.loads(body)
    if status != 200 or "sign" not in doc:
        sys.exit(f"no commit to sign: {status} {body}")
    return doc["sign"]


def sign(key_file, message):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(message)
    try:
        return subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key_file,
                               "-in", f.name], check=True, capture_output=True).stdout
    finally:
        os.unlink(f.name)


def commit(url, lease, signature):
    body = json.dumps({"lease": lease, "signature": base64.b64encode(signature).decode()})
    return post(url, "/v1/commit", body.encode())


def main():
    url, key_id, key_file, mode = sys.argv[1:5]
    args = sys.argv[5:]
    if mode == "raw":
        status, body = post(url, "/v1/run", args[0].encode())
        print(status, body)
        return
    first = prepare(url, key_id, args + ["--request-id", "forge-1"])
    if mode == "forged":
        print(*commit(url, first["lease"], os.urandom(64)))
        return
    signature = sign(key_file, base64.b64decode(first["message"]))
    status, body = commit(url, first["lease"], signature)
    if status != 200:
        sys.exit(f"the honest commit failed: {status} {body}")
    second = prepare(url, key_id, args + ["--request-id", "forge-2"])
    print(*commit(url, second["lease"], signature))


main()
