#!/usr/bin/env python3
"""Makes tampered copies of vledger evidence for the tamper suite
(tests/scenario/audit.sh). An attacker's tools: hashlib, `cryptography`
and `capnp convert` — no vledger code.

  forge.py SCHEMAS archive IN OUT flip-event SEQ       one byte of C(e[SEQ]) changed
  forge.py SCHEMAS archive IN OUT swap SEQ             events SEQ and SEQ+1 swapped
  forge.py SCHEMAS archive IN OUT drop-tail N          last N events (and their commits) removed
  forge.py SCHEMAS archive IN OUT forge-sig LAST       a bit of commit ..LAST's signature flipped
  forge.py SCHEMAS archive IN OUT inject KEY TEMPLATE JSON [RECORDED_AT]
        appends a validly hashed event cloned from event TEMPLATE with the
        body fields in JSON replaced, as a new commit signed by KEY (PEM);
        recorded at RECORDED_AT (UTC ms) when given, else at TEMPLATE's time
  forge.py SCHEMAS archive IN OUT resign KEY           checkpoint re-signed by KEY only
  forge.py SCHEMAS archive IN OUT drop-person N        the Nth person record (from 0) removed
  forge.py SCHEMAS archive IN OUT relabel-full         the header says full (not public)
  forge.py SCHEMAS archive IN OUT repeat KEY SEQ N     N more copies of event SEQ (by KEY),
        in signed commits of 1000, and the checkpoint re-signed by KEY: a large,
        valid archive for memory tests
  forge.py SCHEMAS proof IN OUT alter-path             one byte of the audit path changed
  forge.py SCHEMAS proof IN OUT rebind CHECKPOINT      the proof's checkpoint replaced
  forge.py SCHEMAS note IN OUT resign KEY              a checkpoint re-signed by KEY only
  forge.py - certificate IN OUT resign KEY             a credit certificate naming KEY as its
        attestor, signed by KEY (tests/scenario/attest.sh, site_attest.sh)
"""

import base64
import hashlib
import json
import os
import struct
import subprocess
import sys

from cryptography.hazmat.primitives import serialization

EM_DASH = "\u2014"


def sha256(data):
    return hashlib.sha256(data).digest()


def capnp(args, data):
    out = subprocess.run(["capnp", "convert"] + args, input=data, capture_output=True, check=True)
    return out.stdout


def read_archive(schemas, path):
    with open(path, "rb") as f:
        text = capnp(["--short", "binary:json", os.path.join(schemas, "archive.capnp"),
                      "ArchiveEntry"], f.read())
    return [json.loads(line) for line in text.decode().splitlines() if line.strip()]


def write_archive(schemas, path, entries):
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in entries).encode()
    with open(path, "wb") as f:
        f.write(capnp(["json:binary", os.path.join(schemas, "archive.capnp"), "ArchiveEntry"],
                      text))


def load_private(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def raw_pub(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw,
                                         serialization.PublicFormat.Raw)


def sign_note(body, name, key):
    """A signed note of BODY (ending in a newline) signed by KEY as NAME."""
    kid = sha256(name.encode() + b"\n\x01" + raw_pub(key))[:4]
    sig = base64.b64encode(kid + key.sign(body.encode())).decode()
    return body + "\n" + EM_DASH + " " + name + " " + sig + "\n"


def resign_note(text, key):
    body = text.split("\n\n", 1)[0] + "\n"
    return sign_note(body, body.split("\n", 1)[0], key)


def resign_certificate(text, key):
    """A credit certificate (docs/FORMAT.md section 13) naming KEY as its
    attestor and signed by it, under the certificate's origin (line 2)."""
    lines = text[: text.rindex("\n\n") + 1].split("\n")
    attestor = "attestor " + sha256(raw_pub(key)).hex()[:16]
    lines = [attestor if line.startswith("attestor ") else line for line in lines]
    return sign_note("\n".join(lines), lines[1], key)


def events_of(entries):
    return [i for i, e in enumerate(entries) if "event" in e]


def archive_edit(schemas, entries, op, args):
    evs = events_of(entries)
    if op == "flip-event":
        e = entries[evs[int(args[0])]]["event"]
        mid = len(e["canonical"]) // 2
        e["canonical"][mid] ^= 0x01
    elif op == "swap":
        a, b = evs[int(args[0])], evs[int(args[0]) + 1]
        entries[a], entries[b] = entries[b], entries[a]
    elif op == "drop-tail":
        keep = len(evs) - int(args[0])
        entries[:] = [e for e in entries
                      if not ("event" in e and int(e["event"]["seq"]) >= keep)
                      and not ("commit" in e and int(e["commit"]["last"]) >= keep)]
    elif op == "forge-sig":
        for e in entries:
            if "commit" in e and int(e["commit"]["last"]) == int(args[0]):
                e["commit"]["signature"][5] ^= 0x01
    elif op == "inject":
        key = load_private(args[0])
        template = entries[evs[int(args[1])]]["event"]
        event = json.loads(capnp(["--short", "canonical:json",
                                  os.path.join(schemas, "event.capnp"), "Event"],
                                 bytes(template["canonical"])))
        kind = next(iter(event["body"]))
        event["body"][kind].update(json.loads(args[2]))
        event["keyId"] = sha256(raw_pub(key))[:8].hex()
        if len(args) > 3:
            event["recordedAt"] = args[3]
        canonical = capnp(["json:canonical", os.path.join(schemas, "event.capnp"), "Event"],
                          json.dumps(event, ensure_ascii=False).encode())
        last = entries[evs[-1]]["event"]
        seq = int(last["seq"]) + 1
        h = sha256(b"VLEDGER-EVENT-V1\0" + struct.pack(">Q", seq) + bytes(last["hash"]) +
                   canonical)
        sig = key.sign(b"VLEDGER-COMMIT-V1\0" + struct.pack(">QQ", seq, seq) + h)
        at = max(i for i, e in enumerate(entries) if "commit" in e) + 1
        entries[at:at] = [
            {"event": {"seq": str(seq), "hash": list(h), "canonical": list(canonical)}},
            {"commit": {"first": str(seq), "last": str(seq), "keyId": event["keyId"],
                        "signature": list(sig)}},
        ]
    elif op == "resign":
        entries[-1]["checkpoint"] = resign_note(entries[-1]["checkpoint"], load_private(args[0]))
    elif op == "drop-person":
        persons = [i for i, e in enumerate(entries) if "person" in e]
        del entries[persons[int(args[0])]]
    elif op == "relabel-full":
        entries[0]["header"]["public"] = False
    else:
        raise SystemExit("unknown archive edit " + op)


class StreamingRoot:
    """RFC 6962 root of leaves added one at a time (right-edge frontier)."""

    def __init__(self):
        self.frontier = []  # (height, hash), heights strictly decreasing
        self.size = 0

    def add(self, leaf):
        node, height = leaf, 0
        while self.frontier and self.frontier[-1][0] == height:
            node = sha256(b"\x01" + self.frontier.pop()[1] + node)
            height += 1
        self.frontier.append((height, node))
        self.size += 1

    def root(self):
        node = self.frontier[-1][1]
        for _, left in reversed(self.frontier[:-1]):
            node = sha256(b"\x01" + left + node)
        return node


def repeat_events(schemas, entries, dst, key_path, template_seq, count):
    """Streams the grown archive into `capnp convert`, never holding it."""
    key = load_private(key_path)
    kid = sha256(raw_pub(key))[:8].hex()
    evs = [entries[i]["event"] for i in events_of(entries)]
    canonical = bytes(evs[template_seq]["canonical"])
    canonical_json = json.dumps(list(canonical))
    tree = StreamingRoot()
    for e in evs:
        tree.add(sha256(b"\x00" + bytes(e["hash"])))
    checkpoint = entries[-1]["checkpoint"]
    proc = subprocess.Popen(["capnp", "convert", "json:binary",
                             os.path.join(schemas, "archive.capnp"), "ArchiveEntry"],
                            stdin=subprocess.PIPE, stdout=open(dst, "wb"))
    write = lambda obj: proc.stdin.write((json.dumps(obj, ensure_ascii=False) + "\n").encode())
    for e in entries[:-1]:
        if "person" not in e:
            write(e)
    seq, h = len(evs), bytes(evs[-1]["hash"])
    first = seq
    for i in range(count):
        h = sha256(b"VLEDGER-EVENT-V1\0" + struct.pack(">Q", seq) + h + canonical)
        tree.add(sha256(b"\x00" + h))
        proc.stdin.write(('{"event":{"seq":"%d","hash":%s,"canonical":%s}}\n' %
                          (seq, json.dumps(list(h)), canonical_json)).encode())
        if (i + 1) % 1000 == 0 or i + 1 == count:
            sig = key.sign(b"VLEDGER-COMMIT-V1\0" + struct.pack(">QQ", first, seq) + h)
            write({"commit": {"first": str(first), "last": str(seq), "keyId": kid,
                              "signature": list(sig)}})
            first = seq + 1
        seq += 1
    origin = checkpoint.split("\n", 1)[0]
    body = "%s\n%d\n%s\n" % (origin, tree.size, base64.b64encode(tree.root()).decode())
    write({"checkpoint": resign_note(body + "\n", key)})
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("capnp convert failed")


def proof_edit(text, op, args):
    lines = text.split("\n")
    if op == "alter-path":
        raw = bytearray(base64.b64decode(lines[3]))
        raw[0] ^= 0x01
        lines[3] = base64.b64encode(bytes(raw)).decode()
        return "\n".join(lines)
    if op == "rebind":
        blank = lines.index("")
        with open(args[0], encoding="utf-8") as f:
            return "\n".join(lines[:blank + 1]) + "\n" + f.read()
    raise SystemExit("unknown proof edit " + op)


def main(argv):
    schemas, kind, src, dst, op, args = argv[1], argv[2], argv[3], argv[4], argv[5], argv[6:]
    if kind == "archive" and op == "repeat":
        repeat_events(schemas, read_archive(schemas, src), dst, args[0], int(args[1]),
                      int(args[2]))
        return 0
    if kind == "archive":
        entries = read_archive(schemas, src)
        archive_edit(schemas, entries, op, args)
        write_archive(schemas, dst, entries)
        return 0
    with open(src, encoding="utf-8") as f:
        text = f.read()
    if kind == "proof":
        out = proof_edit(text, op, args)
    elif kind == "note" and op == "resign":
        out = resign_note(text, load_private(args[0]))
    elif kind == "certificate" and op == "resign":
        out = resign_certificate(text, load_private(args[0]))
    else:
        raise SystemExit("unknown " + kind + " " + op)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
