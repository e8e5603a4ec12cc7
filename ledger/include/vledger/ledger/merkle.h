// The RFC 9162 (RFC 6962) Merkle tree over record hashes h[0..n-1]: hashing,
// roots, inclusion and consistency proofs, their verifiers, and incremental
// append. Pure functions with no storage dependency (SPEC section 5).
//
// Storage sees the tree as a set of *perfect subtrees*: node (level, index)
// is the root of the perfect subtree covering leaves
// [index * 2^level, (index + 1) * 2^level); level 0 is the leaf hash
// H(0x00 || h[i]). Every node of a tree of size n whose leaves are all below
// n is final: appending never changes it, so a store writes each node once.
// Roots and proofs of any size read O(log n) to O(log^2 n) such nodes.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "vledger/ledger/bytes.h"
#include "vledger/ledger/status.h"

namespace vledger {

// A tree of up to 2^64 - 1 leaves is at most 64 levels tall.
constexpr int kMerkleLevelsMax = 64;

// H(0x00 || record_hash): the leaf of the record hash h[i].
Hash MerkleLeafHash(const Hash& record_hash);
// H(0x01 || left || right): an interior node.
Hash MerkleNodeHash(const Hash& left, const Hash& right);
// H(""): the root of the empty tree.
Hash MerkleEmptyRoot();

// Returns the root of the perfect subtree at `level` covering leaves
// [index * 2^level, (index + 1) * 2^level). The functions below only ask for
// nodes whose leaves all lie below the tree size they were given. A reader
// reports a missing or unreadable node as a Status, which they pass on.
using NodeReader = std::function<Result<Hash>(int level, uint64_t index)>;

// MTH(D[0:size]): the root of the first `size` leaves (MerkleEmptyRoot() for
// 0). Reads one node per set bit of `size`.
Result<Hash> MerkleRoot(uint64_t size, const NodeReader& read);

// RFC 9162 2.1.3.1 PATH(index, D[0:size]): the audit path of leaf `index`,
// from the leaf's sibling up to the root's child. InvalidInput if index >= size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read);

// RFC 9162 2.1.4.1 PROOF(old_size, D[0:new_size]). Empty when old_size is 0
// or equals new_size; InvalidInput if old_size > new_size.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const NodeReader& read);

// RFC 9162 2.1.3.2: true iff `proof` shows that `leaf_hash` (already
// H(0x00 || h[index])) is leaf `index` of the tree of `size` with `root`.
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root);

// RFC 9162 2.1.4.2: true iff `proof` shows that the tree of `old_size` with
// `old_root` is a prefix of the tree of `new_size` with `new_root`. Equal sizes
// need an empty proof and equal roots; old size 0 needs an empty proof and the
// empty root.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof);

// A perfect-subtree node completed by an append, for the store to keep.
struct MerkleNode {
  int level = 0;
  uint64_t index = 0;
  Hash hash{};

  bool operator==(const MerkleNode&) const = default;
};

// The root of a tree fed one leaf at a time with O(log n) memory: the
// right-edge frontier (one perfect subtree per set bit of the size). Used to
// check a large archive with flat memory, and as the core of MerkleAppender.
class StreamingMerkleRoot {
 public:
  StreamingMerkleRoot() = default;

  void Add(const Hash& record_hash) { AddLeafHash(MerkleLeafHash(record_hash)); }
  // Adds a leaf that is already H(0x00 || ...). If `completed` is not null,
  // appends every perfect-subtree node this leaf completes, leaf first.
  void AddLeafHash(const Hash& leaf_hash, std::vector<MerkleNode>* completed = nullptr);

  uint64_t size() const { return size_; }
  Hash Root() const;

 private:
  friend class MerkleAppender;
  // frontier_[level] is valid iff bit `level` of size_ is set.
  std::array<Hash, kMerkleLevelsMax> frontier_{};
  uint64_t size_ = 0;
};

// Appends leaves to a stored tree. Load() reads the right-edge frontier once
// (one node per set bit of the size); later appends read nothing and yield
// the new nodes to store.
class MerkleAppender {
 public:
  // FailedPrecondition for a size of 2^64 - 1, which has no room to grow.
  static Result<MerkleAppender> Load(uint64_t size, const NodeReader& read);

  // Appends leaf H(0x00 || record_hash) and adds to `out` the nodes it
  // completes: the leaf (level 0) and each newly perfect subtree above it.
  void Append(const Hash& record_hash, std::vector<MerkleNode>* out) {
    AppendLeafHash(MerkleLeafHash(record_hash), out);
  }
  void AppendLeafHash(const Hash& leaf_hash, std::vector<MerkleNode>* out) {
    tree_.AddLeafHash(leaf_hash, out);
  }

  uint64_t size() const { return tree_.size(); }
  Hash Root() const { return tree_.Root(); }

 private:
  MerkleAppender() = default;
  StreamingMerkleRoot tree_;
};

// Every perfect-subtree node in memory (one vector per level): for tests and
// offline checks of archives small enough to hold.
class MemoryMerkleTree {
 public:
  void Append(const Hash& record_hash) { AppendLeafHash(MerkleLeafHash(record_hash)); }
  void AppendLeafHash(const Hash& leaf_hash);

  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // Reads nodes of this tree; Internal for a node it does not hold. The
  // reader borrows the tree, which must outlive it.
  NodeReader Reader() const;
  Result<Hash> Root() const { return MerkleRoot(size(), Reader()); }

 private:
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace vledger
