#!/usr/bin/env python3
"""Re-checks vledger's integrity formats (SPEC section 5) without vledger.

Uses only hashlib, the `cryptography` package and the `capnp` tool, so it
shows that an auditor with standard tools can check what vledger writes:

  check_formats.py --schemas DIR --pub ADMIN.pub [--checkpoint F]
                   [--proof F.tlog-proof] [--archive F.vla] [--tiles DIR]

--checkpoint  a C2SP signed-note checkpoint: three body lines, a blank line,
              an Ed25519 signature line whose 4-byte key id is
              SHA-256(origin || 0x0A || 0x01 || public key)[:4].
--proof       a c2sp.org/tlog-proof@v1: recomputes h[n] from `extra`
              (h[n-1] || C(e[n])), its leaf, and the RFC 9162 inclusion
              path up to the checkpoint root; decodes the event.
--archive     lists the archive with `capnp convert binary:json`, recomputes
              every h[n], checks every commit signature with the keys the
              archive registers, every person commitment, the Merkle root
              against the archive's checkpoint, and decodes events with
              `capnp convert canonical:json`.
--tiles       a folder as `vledger tiles --out` writes it (c2sp.org/tlog-tiles):
              checks DIR/checkpoint's signature, that every entry bundle
              entry is a 32-byte h[n] whose leaf is in the level-0 tile, that
              every higher tile hash is the root of a full tile below, then
              rebuilds the checkpoint's root from the tiles alone and checks
              an RFC 9162 inclusion proof computed from them for the first,
              a middle and the last entry. With --archive too, the entries
              must be the archive's record hashes.

Prints one "ok: ..." line per check; exits 1 naming the first failure.
"""

import argparse
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

EVENT_DOMAIN = b"VLEDGER-EVENT-V1\0"
COMMIT_DOMAIN = b"VLEDGER-COMMIT-V1\0"
PERSON_DOMAIN = b"VLEDGER-PERSON-V1\0"
EM_DASH = "\u2014"


class Failure(Exception):
    pass


def sha256(data):
    return hashlib.sha256(data).digest()


def u64be(n):
    return struct.pack(">Q", n)


def record_hash(seq, prev, canonical):
    return sha256(EVENT_DOMAIN + u64be(seq) + prev + canonical)


def leaf_hash(h):
    return sha256(b"\x00" + h)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def merkle_root(leaves):
    """RFC 6962 MTH over leaf hashes."""
    if not leaves:
        return sha256(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(merkle_root(leaves[:k]), merkle_root(leaves[k:]))


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def raw_public_key(pem_path):
    with open(pem_path, "rb") as f:
        data = f.read()
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        key = serialization.load_pem_private_key(data, password=None).public_key()
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise Failure(pem_path + " is not an Ed25519 key")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def ed25519_ok(raw_pub, message, signature):
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(raw_pub).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def key_id(raw_pub):
    return sha256(raw_pub)[:8].hex()


# ----------------------------------------------------------- checkpoints


def check_checkpoint(text, raw_pub):
    """Returns (origin, size, root) of a checkpoint signed by raw_pub."""
    if "\n\n" not in text:
        raise Failure("checkpoint: no blank line before the signatures")
    body, sigs = text.split("\n\n", 1)
    body += "\n"
    lines = body.split("\n")[:-1]
    if len(lines) != 3:
        raise Failure("checkpoint: body is not three lines")
    origin, size, root_b64 = lines
    root = base64.b64decode(root_b64, validate=True)
    if len(root) != 32:
        raise Failure("checkpoint: root is not 32 bytes")
    want_id = sha256(origin.encode() + b"\n" + b"\x01" + raw_pub)[:4]
    verified = False
    for line in sigs.split("\n"):
        if not line:
            continue
        prefix = EM_DASH + " " + origin + " "
        if not line.startswith(prefix):
            continue
        blob = base64.b64decode(line[len(prefix):], validate=True)
        if len(blob) != 68 or blob[:4] != want_id:
            continue
        if not ed25519_ok(raw_pub, body.encode(), blob[4:]):
            raise Failure("checkpoint signature does not verify")
        verified = True
    if not verified:
        raise Failure("checkpoint signature does not verify (no signature by the key)")
    return origin, int(size), root


# ---------------------------------------------------------- Cap'n Proto


def capnp(args, data):
    out = subprocess.run(["capnp", "convert"] + args, input=data, capture_output=True)
    if out.returncode != 0:
        raise Failure("capnp convert " + " ".join(args) + ": " + out.stderr.decode().strip())
    return out.stdout


def decode_event(schemas, canonical):
    text = capnp(["--short", "canonical:json", os.path.join(schemas, "event.capnp"), "Event"],
                 canonical)
    return json.loads(text)


def list_archive(schemas, path):
    with open(path, "rb") as f:
        data = f.read()
    text = capnp(["--short", "binary:json", os.path.join(schemas, "archive.capnp"),
                  "ArchiveEntry"], data)
    return [json.loads(line) for line in text.decode().splitlines() if line.strip()]


# ----------------------------------------------------------------- proof


def check_proof(schemas, path, raw_pub):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    if lines[0] != "c2sp.org/tlog-proof@v1" or not lines[1].startswith("extra "):
        raise Failure("proof: not a c2sp.org/tlog-proof@v1 with an extra line")
    extra = base64.b64decode(lines[1][6:], validate=True)
    if not lines[2].startswith("index "):
        raise Failure("proof: no index line")
    index = int(lines[2][6:])
    path_hashes = []
    i = 3
    while lines[i] != "":
        path_hashes.append(base64.b64decode(lines[i], validate=True))
        i += 1
    checkpoint = "\n".join(lines[i + 1:])
    origin, size, root = check_checkpoint(checkpoint, raw_pub)
    prev, canonical = extra[:32], extra[32:]
    h = record_hash(index, prev, canonical)
    if not verify_inclusion(index, size, leaf_hash(h), path_hashes, root):
        raise Failure("proof: inclusion path does not lead to the checkpoint root")
    event = decode_event(schemas, canonical)
    kind = next(iter(event["body"]))
    print("ok: proof %s: seq %d (%s by key %s) is in %s of %d events" %
          (path, index, kind, event["keyId"], origin, size))


# ----------------------------------------------------------------- tiles

TILE_WIDTH = 256


def tile_path(level, index, width):
    """c2sp.org/tlog-tiles: tile/<L>/<N>[.p/<W>], N as x001/x234/067."""
    groups = ["%03d" % (index % 1000)]
    index //= 1000
    while index > 0:
        groups.insert(0, "x%03d" % (index % 1000))
        index //= 1000
    path = "tile/%s/%s" % (level, "/".join(groups))
    if width < TILE_WIDTH:
        path += ".p/%d" % width
    return path


class Tiles:
    """Reads the tiles of a tree of `size` entries from a folder."""

    def __init__(self, folder, size):
        self.folder, self.size, self.cache = folder, size, {}

    def read(self, level, index):
        """The tile (full, else the tree's partial one) as a list of items."""
        key = (level, index)
        if key not in self.cache:
            units = self.size if level == "entries" else self.size >> (8 * level)
            width = min(TILE_WIDTH, units - index * TILE_WIDTH)
            if width <= 0:
                raise Failure("tiles: %s is not in the tree of %d" %
                              (tile_path(level, index, TILE_WIDTH), self.size))
            path = os.path.join(self.folder, tile_path(level, index, width))
            if not os.path.exists(path):
                raise Failure("tiles: %s is missing" % tile_path(level, index, width))
            with open(path, "rb") as f:
                data = f.read()
            if level == "entries":
                items, at = [], 0
                while at < len(data):
                    n = struct.unpack(">H", data[at:at + 2])[0]
                    items.append(data[at + 2:at + 2 + n])
                    at += 2 + n
                if at != len(data):
                    raise Failure("tiles: entry bundle %d is torn" % index)
            else:
                if len(data) % 32:
                    raise Failure("tiles: tile %d/%d is torn" % (level, index))
                items = [data[i:i + 32] for i in range(0, len(data), 32)]
            if len(items) != width:
                raise Failure("tiles: %s holds %d items" % (path, len(items)))
            self.cache[key] = items
        return self.cache[key]

    def hash_at(self, level, i):
        return self.read(level, i // TILE_WIDTH)[i % TILE_WIDTH]

    def subtree(self, height, index):
        """Root of the perfect subtree of 2**height leaves at `index`."""
        level, extra = divmod(height, 8)
        row = [self.hash_at(level, i) for i in range(index << extra, (index + 1) << extra)]
        while len(row) > 1:
            row = [node_hash(row[i], row[i + 1]) for i in range(0, len(row), 2)]
        return row[0]

    def range_root(self, lo, hi):
        """MTH(D[lo:hi]) for a range RFC 9162 names: its perfect subtrees,
        largest first, folded from the right."""
        pieces, start = [], lo
        for height in range(63, -1, -1):
            if (hi - lo) >> height & 1:
                pieces.append(self.subtree(height, start >> height))
                start += 1 << height
        root = pieces[-1]
        for piece in reversed(pieces[:-1]):
            root = node_hash(piece, root)
        return root

    def root(self):
        return sha256(b"") if self.size == 0 else self.range_root(0, self.size)

    def inclusion_path(self, index):
        """RFC 9162 2.1.3.1 PATH(index, D[0:size]), leaf's sibling first."""
        path, lo, hi = [], 0, self.size
        while hi - lo > 1:
            k = 1
            while k * 2 < hi - lo:
                k *= 2
            if index < lo + k:
                path.append(self.range_root(lo + k, hi))
                hi = lo + k
            else:
                path.append(self.range_root(lo, lo + k))
                lo += k
        return list(reversed(path))


def check_tiles(folder, raw_pub, archive_hashes=None):
    with open(os.path.join(folder, "checkpoint"), encoding="utf-8") as f:
        origin, size, root = check_checkpoint(f.read(), raw_pub)
    tiles = Tiles(folder, size)
    files = 0
    # Entry bundles: u16be(32) || h[n]; their leaves are the level-0 tile.
    for index in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        entries, leaves = tiles.read("entries", index), tiles.read(0, index)
        for i, entry in enumerate(entries):
            n = index * TILE_WIDTH + i
            if len(entry) != 32:
                raise Failure("tiles: entry %d is %d bytes, not a record hash" % (n, len(entry)))
            if leaf_hash(entry) != leaves[i]:
                raise Failure("tiles: the leaf of entry %d is not in tile/0" % n)
            if archive_hashes is not None and entry != archive_hashes[n]:
                raise Failure("tiles: entry %d is not the archive's h[%d]" % (n, n))
        files += 2
    # Level L hash i is the root of full tile i at level L-1.
    level = 1
    while size >> (8 * level):
        units = size >> (8 * level)
        for index in range((units + TILE_WIDTH - 1) // TILE_WIDTH):
            for i, h in enumerate(tiles.read(level, index)):
                row = tiles.read(level - 1, index * TILE_WIDTH + i)
                while len(row) > 1:
                    row = [node_hash(row[j], row[j + 1]) for j in range(0, len(row), 2)]
                if row[0] != h:
                    raise Failure("tiles: hash %d of tile %d/%d is not the root of the tile below"
                                  % (i, level, index))
            files += 1
        level += 1
    if tiles.root() != root:
        raise Failure("tiles: the root rebuilt from the tiles is not the checkpoint's root")
    for index in sorted({0, size // 2, size - 1}):
        leaf = leaf_hash(tiles.hash_at("entries", index))
        if not verify_inclusion(index, size, leaf, tiles.inclusion_path(index), root):
            raise Failure("tiles: the inclusion proof of entry %d does not verify" % index)
    print("ok: tiles %s: %d files rebuild the root %s of %s at size %d; inclusion proofs of "
          "entries %s verify" % (folder, files, root.hex(), origin, size,
                                 ", ".join(str(i) for i in sorted({0, size // 2, size - 1}))))


# --------------------------------------------------------------- archive


def check_archive(schemas, path, raw_pub):
    entries = list_archive(schemas, path)
    if not entries or "header" not in entries[0]:
        raise Failure("archive: no header")
    if "checkpoint" not in entries[-1]:
        raise Failure("archive: does not end with its checkpoint")
    keys = {}  # key id -> raw public key, from genesis and keyRegistered
    hashes, leaves = [], []
    prev = bytes(32)
    commits = persons = 0
    for entry in entries[1:-1]:
        if "event" in entry:
            e = entry["event"]
            seq, canonical = int(e["seq"]), bytes(e["canonical"])
            if seq != len(hashes):
                raise Failure("archive: event %d where %d was due" % (seq, len(hashes)))
            h = record_hash(seq, prev, canonical)
            if h != bytes(e["hash"]):
                raise Failure("archive: record hash of seq %d does not match" % seq)
            body = decode_event(schemas, canonical)["body"]
            for kind in ("genesis", "keyRegistered"):
                if kind in body:
                    pub = bytes(body[kind]["publicKey"])
                    keys[key_id(pub)] = pub
            hashes.append(h)
            leaves.append(leaf_hash(h))
            prev = h
        elif "commit" in entry:
            c = entry["commit"]
            first, last = int(c["first"]), int(c["last"])
            pub = keys.get(c["keyId"])
            message = COMMIT_DOMAIN + u64be(first) + u64be(last) + hashes[last]
            if pub is None or not ed25519_ok(pub, message, bytes(c["signature"])):
                raise Failure("archive: commit %d..%d: signature does not verify" % (first, last))
            commits += 1
        elif "person" in entry:
            p = entry["person"]
            ref = sha256(PERSON_DOMAIN + bytes(p["salt"]) + bytes(p["record"]))
            if ref != bytes(p["personRef"]):
                raise Failure("archive: person record does not match its commitment")
            persons += 1
        else:
            raise Failure("archive: unexpected entry " + next(iter(entry)))
    origin, size, root = check_checkpoint(entries[-1]["checkpoint"], raw_pub)
    if size != len(hashes):
        raise Failure("archive: checkpoint size %d, %d events" % (size, len(hashes)))
    if merkle_root(leaves) != root:
        raise Failure("archive: Merkle root does not match the checkpoint")
    if origin != entries[0]["header"]["origin"]:
        raise Failure("archive: header and checkpoint origins differ")
    print("ok: archive %s: %d events, %d commits, %d person records, root %s" %
          (path, len(hashes), commits, persons, root.hex()))
    return hashes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schemas", required=True, help="the repository's schemas/ folder")
    parser.add_argument("--pub", required=True, help="the admin public key (SPKI PEM)")
    parser.add_argument("--checkpoint")
    parser.add_argument("--proof")
    parser.add_argument("--archive")
    parser.add_argument("--tiles")
    args = parser.parse_args()
    try:
        raw_pub = raw_public_key(args.pub)
        if args.checkpoint:
            with open(args.checkpoint, encoding="utf-8") as f:
                origin, size, root = check_checkpoint(f.read(), raw_pub)
            print("ok: checkpoint %s: %s, %d events, root %s" %
                  (args.checkpoint, origin, size, root.hex()))
        if args.proof:
            check_proof(args.schemas, args.proof, raw_pub)
        hashes = None
        if args.archive:
            hashes = check_archive(args.schemas, args.archive, raw_pub)
        if args.tiles:
            check_tiles(args.tiles, raw_pub, hashes)
    except (Failure, ValueError, KeyError, IndexError) as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
