#!/usr/bin/env python3
"""Checks a vledger credit certificate (信用证明) without vledger.

Follows docs/FORMAT.md, "Credit certificates", alone, with hashlib and the
`cryptography` package:

  check_attestation.py CERT --pub ATTESTOR.pub [--id-card NUMBER]
                       [--today YYYY-MM-DD]

Checks the C2SP signed note (a signature line by the key: its 4-byte key
hash is SHA-256(name || 0x0A || 0x01 || public key)[:4] and its Ed25519
signature verifies over the body), that the key name is the origin line,
every body line in its one form and order, that the attestor line is the
key's id (SHA-256(public key)[:8] in hex), the dates (valid until on or
after --today, default today in China Standard Time) and, with --id-card,
the 16-bit check SHA-256(salt || number)[:2].

Prints one "ok: ..." line per check; exits 1 naming the first failure.
"""

import argparse
import base64
import binascii
import datetime
import hashlib
import re
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

EM_DASH = "\u2014"
FORMAT_LINE = "vledger-attestation/v1"
ID = r"[A-Za-z0-9_.-]{1,64}"
DATE = r"\d{4}-\d{2}-\d{2}"


class Failure(Exception):
    pass


def raw_public_key(path):
    with open(path, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise Failure(f"{path} is not an Ed25519 public key")
    return key, key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def split_note(text):
    """The signed body and the signature lines of a C2SP signed note."""
    if "\n\n" not in text or not text.endswith("\n"):
        raise Failure("malformed: no blank line before the signatures, or no final line end")
    at = text.rindex("\n\n")
    body, block = text[: at + 1], text[at + 2 :]
    sigs = []
    for line in block[:-1].split("\n"):
        if not line.startswith(EM_DASH + " "):
            raise Failure("malformed: a signature line does not start with an em dash")
        name, _, b64 = line[2:].partition(" ")
        try:
            raw = base64.b64decode(b64, validate=True)
        except binascii.Error:
            raise Failure("malformed: a signature is not base64") from None
        if len(raw) != 68:
            raise Failure("malformed: an Ed25519 signature line holds 4 + 64 bytes")
        sigs.append((name, raw[:4], raw[4:]))
    return body, sigs


def parse_body(body):
    lines = body[:-1].split("\n")
    if len(lines) not in (11, 14):
        raise Failure("malformed: a certificate has 11 lines, or 14 with a benefit")
    keys = ["resident", "name", "village", "grade", "checkpoint", "issued", "valid-until"]
    if len(lines) == 14:
        keys += ["benefit", "benefit-name", "partner"]
    keys += ["attestor", "id-check"]
    if lines[0] != FORMAT_LINE:
        raise Failure(f"malformed: the first line is not {FORMAT_LINE}")
    cert = {"origin": lines[1]}
    for key, line in zip(keys, lines[2:]):
        if not line.startswith(key + " ") or len(line) == len(key) + 1:
            raise Failure(f"malformed: expected a line '{key} …', got {line!r}")
        cert[key] = line[len(key) + 1 :]
    forms = {
        "resident": ID,
        "village": ID,
        "checkpoint": r"[1-9]\d{0,18} [A-Za-z0-9+/]{43}=",
        "issued": DATE,
        "valid-until": DATE,
        "benefit": ID,
        "attestor": r"[0-9a-f]{16}",
        "id-check": r"[0-9a-f]{32} [0-9a-f]{4}",
    }
    for key, form in forms.items():
        if key in cert and not re.fullmatch(form, cert[key]):
            raise Failure(f"malformed: the {key} line is not of its form")
    if cert["valid-until"] < cert["issued"]:
        raise Failure("malformed: valid until a day before it was issued")
    return cert


def check(args):
    with open(args.cert, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    key, raw = raw_public_key(args.pub)
    body, sigs = split_note(text)
    signed_by_key = []
    for name, key_hash, sig in sigs:
        want = hashlib.sha256(name.encode() + b"\n\x01" + raw).digest()[:4]
        if key_hash == want:
            signed_by_key.append((name, sig))
    if not signed_by_key:
        raise Failure("not signed by the given key")
    for name, sig in signed_by_key:
        try:
            key.verify(sig, body.encode("utf-8"))
        except InvalidSignature:
            raise Failure("tampered: bad signature") from None
    print("ok: signed-note signature by the given key")
    cert = parse_body(body)
    if signed_by_key[0][0] != cert["origin"]:
        raise Failure("tampered: the key name is not the origin line")
    key_id = hashlib.sha256(raw).hexdigest()[:16]
    if cert["attestor"] != key_id:
        raise Failure(f"malformed: attestor {cert['attestor']}, key {key_id}")
    print(f"ok: body of resident {cert['resident']}, grade {cert['grade']}, origin {cert['origin']}")
    today = args.today or (
        datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)
    ).strftime("%Y-%m-%d")
    if today > cert["valid-until"]:
        raise Failure(f"expired: valid until {cert['valid-until']}, today is {today}")
    print(f"ok: valid until {cert['valid-until']} (today {today})")
    if args.id_card:
        salt_hex, digits = cert["id-check"].split(" ")
        number = args.id_card.upper().encode()
        got = hashlib.sha256(bytes.fromhex(salt_hex) + number).hexdigest()[:4]
        if got != digits:
            raise Failure("another person's ID card")
        print("ok: the ID-card check matches")
    print("ok: certificate sha256 " + hashlib.sha256(data).hexdigest())


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cert")
    p.add_argument("--pub", required=True)
    p.add_argument("--id-card")
    p.add_argument("--today")
    args = p.parse_args()
    try:
        check(args)
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
