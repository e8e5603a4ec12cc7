# vledger portable archive.
#
# `vledger export` writes a stream of Cap'n Proto messages in standard stream
# framing, each an `ArchiveEntry`: first a header, then every event with its
# record hash, each commit after its last event, person records (only in a
# full export), and last the checkpoint covering exactly the archived events.
# `capnp convert binary:json schemas/archive.capnp ArchiveEntry` lists one.

@0xa523d5a99cf27d4a;

struct ArchiveEntry {
  union {
    header @0 :Header;
    event @1 :EventEntry;
    commit @2 :CommitEntry;
    person @3 :PersonEntry;
    checkpoint @4 :Text;
    # The signed C2SP checkpoint text of the archived tree.
  }
}

struct Header {
  origin @0 :Text;
  ledgerName @1 :Text;
  formatVersion @2 :UInt32;
  # 1.
  public @3 :Bool;
  # True for `--public` (no person records), false for `--full`.
}

struct EventEntry {
  seq @0 :UInt64;
  hash @1 :Data;
  # h[seq], 32 bytes.
  canonical @2 :Data;
  # The exact bytes C(e) that were hashed.
}

struct CommitEntry {
  first @0 :UInt64;
  last @1 :UInt64;
  keyId @2 :Text;
  signature @3 :Data;
  # Ed25519 over "VLEDGER-COMMIT-V1\0" || u64be(first) || u64be(last) || h[last].
}

struct PersonEntry {
  personRef @0 :Data;
  salt @1 :Data;
  # 16 bytes.
  record @2 :Data;
  # Exactly C(Person).
}
