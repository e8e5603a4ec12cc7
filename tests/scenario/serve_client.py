#!/usr/bin/env python3
"""A hostile or hand-made client of `vledger serve` for tests/scenario/serve.sh.

Usage: serve_client.py URL KEY_ID KEY_FILE MODE ARGS...
  MODE forged   prepare ARGS, answer with 64 random bytes: prints the HTTP
                status and body of the commit.
  MODE replay   prepare ARGS and sign it (openssl), commit; prepare ARGS
                again with another request id and answer with the first
                signature: prints the second commit's status and body.
  MODE raw      POST the bytes of ARGS[0] to /v1/run: prints status, body.
  MODE resend   POST ARGS (a command line) to /v1/run signed (RFC 9421), then
                the very same request again: prints both statuses.
  MODE keep     POST ARGS[1:] to /v1/run signed, and keep the request (body
                and headers) in the file ARGS[0]: prints the status.
  MODE again    POST the request kept in the file ARGS[0] once more, as it
                was: prints the status and body.
  MODE tamper   sign ARGS, then send another body under that signature:
                prints the status and body.
  MODE unsigned POST ARGS naming KEY_ID, unsigned: prints status, body.
  MODE burst    GET /checkpoint ARGS[0] times at once: prints how many
                answers were 200 and how many 429 (with Retry-After).
Requests that name a key are signed with it (RFC 9421, docs/SERVER.md).
Only the standard library and the openssl command are used.
"""
import base64
import concurrent.futures
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

KEY = None  # (key id, key file) that signs each POST


def signature_headers(url, path, body):
    """RFC 9421 Signature-Input and Signature over @method, @authority,
    @path, @query and content-digest (RFC 9530 sha-256), as the program's
    own client signs."""
    key_id, key_file = KEY
    authority = url.split("://", 1)[1].split("/", 1)[0]
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    created = int(time.time())
    params = ('("@method" "@authority" "@path" "@query" "content-digest")'
              f';created={created};expires={created + 60};nonce="{os.urandom(16).hex()}"'
              f';keyid="{key_id}";alg="ed25519"')
    base = (f'"@method": POST\n"@authority": {authority}\n"@path": {path}\n"@query": ?\n'
            f'"content-digest": {digest}\n"@signature-params": {params}')
    signature = base64.b64encode(sign(key_file, base.encode())).decode()
    return {"Content-Digest": digest, "Signature-Input": "sig1=" + params,
            "Signature": f"sig1=:{signature}:"}


def post(url, path, body, headers=None):
    if headers is None:
        headers = signature_headers(url, path, body) if KEY else {}
    req = urllib.request.Request(url + path, data=body, method="POST",
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as res:
            return res.status, ""
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Retry-After", "")


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
    global KEY
    url, key_id, key_file, mode = sys.argv[1:5]
    args = sys.argv[5:]
    KEY = (key_id, key_file)
    if mode == "burst":
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda _: get_status(url + "/checkpoint"), range(int(args[0]))))
        ok = sum(1 for s, _ in answers if s == 200)
        limited = [a for s, a in answers if s == 429]
        print(f"200: {ok} 429: {len(limited)} retry-after: {all(limited)}")
        return
    if mode == "resend" or mode == "tamper":
        body = json.dumps({"args": args, "key_id": key_id}).encode()
        headers = signature_headers(url, "/v1/run", body)
        if mode == "tamper":
            other = json.dumps({"args": args + ["--json"], "key_id": key_id}).encode()
            print(*post(url, "/v1/run", other, headers))
            return
        first, _ = post(url, "/v1/run", body, headers)
        second, answer = post(url, "/v1/run", body, headers)
        print(first, second, answer)
        return
    if mode == "keep":
        body = json.dumps({"args": args[1:], "key_id": key_id}).encode()
        headers = signature_headers(url, "/v1/run", body)
        with open(args[0], "w", encoding="utf-8") as f:
            json.dump({"body": body.decode(), "headers": headers}, f)
        print(post(url, "/v1/run", body, headers)[0])
        return
    if mode == "again":
        with open(args[0], encoding="utf-8") as f:
            kept = json.load(f)
        print(*post(url, "/v1/run", kept["body"].encode(), kept["headers"]))
        return
    if mode == "unsigned":
        KEY = None
        print(*post(url, "/v1/run", json.dumps({"args": args, "key_id": key_id}).encode()))
        return
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
