#!/usr/bin/env python3
"""Writes the text seed corpora of fuzz/corpus/ (checkpoints, proofs, yuan,
CSV). Checkpoints are signed by the fixed key of fuzz_checkpoint.cc (Ed25519
seed bytes 0x01..0x20), so mutations reach the signature check. The event
seeds (fuzz/corpus/fuzz_decode_event/) are real stored events, taken from a
demo ledger with `ldb --column_family=events --hex scan`.
Usage: fuzz/make_corpus.py   (rewrites the files it owns; deterministic)"""
import base64
import hashlib
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PUB = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def b64(b):
    return base64.b64encode(b).decode()


def h(b):
    return hashlib.sha256(b).digest()


def checkpoint(origin, size, root):
    body = f"{origin}\n{size}\n{b64(root)}\n"
    key_id = h(origin.encode() + b"\n\x01" + PUB)[:4]
    sig = KEY.sign(body.encode())
    return body + "\n" + f"\u2014 {origin} {b64(key_id + sig)}\n"


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


cps = [
    checkpoint("vledger/demo-0123abcd", 0, h(b"")),
    checkpoint("vledger/荣成市信用积分演示-9f8e7d6c", 123, h(b"x")),
    checkpoint("example.com/log", 18446744073709551615, bytes(32)),
]
for i, cp in enumerate(cps):
    write("fuzz_checkpoint", f"checkpoint{i}", cp)
# Two signatures: a witness line first, then the log's own.
write("fuzz_checkpoint", "two-signatures",
      cps[0].replace("\n\n", "\n\n\u2014 witness " + b64(b"\0" * 68) + "\n"))

paths = [[], [h(b"a")], [h(bytes([i])) for i in range(5)]]
for i, path in enumerate(paths):
    extra = f"extra {b64(bytes(32) + b'event')}\n" if i != 1 else ""
    text = "c2sp.org/tlog-proof@v1\n" + extra + f"index {i * 3}\n"
    text += "".join(b64(p) + "\n" for p in path) + "\n" + cps[i % len(cps)]
    write("fuzz_tlog_proof", f"proof{i}", text)
write("fuzz_tlog_proof", "consistency0", "")
write("fuzz_tlog_proof", "consistency3", "".join(b64(h(bytes([i]))) + "\n" for i in range(3)))

for i, p in enumerate(["tile/0/000", "tile/0/x001/x234/067", "tile/1/000.p/2",
                       "tile/entries/x001/234.p/255", "tile/63/000", "tile/0/x000/001"]):
    write("fuzz_tile_path", f"path{i}", p)

for i, y in enumerate(["500", "500.5", "0.01", "92233720368547758.07", "1.20", "12345678"]):
    write("fuzz_yuan", f"yuan{i}", y)

csvs = {
    "residents.csv": "id,village,household,name,minor,birth_year\nR1,V1,H1,曲建国,0,1960\n"
                     "R2,V1,H1,\"王,秀英\",是,2012\n",
    "crlf-quotes.csv": "resident,rule,points,note\r\nR1,R01,5,\"said \"\"hi\"\"\r\nthere\"\r\n\r\n",
    "bom.csv": "\ufeffcode,category,points\nA1,孝老爱亲,5\n",
}
for name, text in csvs.items():
    write("fuzz_csv", name, text)
write("fuzz_csv", "gb18030.csv", "id,village,head\nH1,V1,曲建国\n".encode("gb18030"))
