// RFC 9162 Merkle tree: proofs are computed by walking the RFC's recursive
// definitions top-down, where every subtree [lo, hi) they name starts at a
// multiple of the power of two at or above its width. Such a range splits
// into at most 64 aligned perfect subtrees, so its root costs one node read
// per set bit of hi - lo and the whole tree is never rebuilt.
#include "vledger/ledger/merkle.h"

#include <algorithm>
#include <bit>
#include <string>

#include "vledger/ledger/crypto.h"

namespace vledger {

namespace {

// The hasher keeps its digest context between calls: nodes are hashed in
// the hot path of append and verify.
Sha256Hasher& ThreadHasher() {
  thread_local Sha256Hasher hasher;
  return hasher;
}

// The largest power of two strictly below n; requires n > 1.
uint64_t SplitPoint(uint64_t n) {
  VLEDGER_ASSERT(n > 1);
  return uint64_t{1} << (63 - std::countl_zero(n - 1));
}

// MTH(D[lo:hi]) for a range that starts at a multiple of the power of two at
// or above its width (every range named by RFC 9162's recursion does). Its
// perfect subtrees, largest first, are folded right to left, as MTH splits
// off the largest power of two on the left.
Result<Hash> RangeRoot(uint64_t lo, uint64_t hi, const NodeReader& read) {
  VLEDGER_ASSERT(lo < hi);
  std::array<Hash, kMerkleLevelsMax> pieces;
  int count = 0;
  uint64_t start = lo;
  for (int level = kMerkleLevelsMax - 1; level >= 0; level--) {
    uint64_t width = uint64_t{1} << level;
    if (((hi - lo) & width) == 0) continue;
    VLEDGER_ASSERT(start % width == 0);
    VLEDGER_ASSIGN_OR_RETURN(pieces[count], read(level, start >> level));
    count++;
    start += width;
  }
  Hash root = pieces[count - 1];
  for (int i = count - 2; i >= 0; i--) root = MerkleNodeHash(pieces[i], root);
  return root;
}

// Shifts fn and sn right together until fn is odd or zero (RFC 9162 verify).
void ShiftUntilOddOrZero(uint64_t* fn, uint64_t* sn) {
  if (*fn == 0) return;
  int shift = std::countr_zero(*fn);
  *fn >>= shift;
  *sn >>= shift;
}

}  // namespace

Hash MerkleLeafHash(const Hash& record_hash) {
  static constexpr char kLeafPrefix = 0x00;
  return ThreadHasher().Update({&kLeafPrefix, 1}).Update(AsView(record_hash)).Finish();
}

Hash MerkleNodeHash(const Hash& left, const Hash& right) {
  static constexpr char kNodePrefix = 0x01;
  return ThreadHasher()
      .Update({&kNodePrefix, 1})
      .Update(AsView(left))
      .Update(AsView(right))
      .Finish();
}

Hash MerkleEmptyRoot() { return Sha256(""); }

Result<Hash> MerkleRoot(uint64_t size, const NodeReader& read) {
  if (size == 0) return MerkleEmptyRoot();
  return RangeRoot(0, size, read);
}

Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size, const NodeReader& read) {
  if (index >= size) {
    return Status::InvalidInput(
        Msg("inclusion proof: index {} is not below tree size {}", index, size));
  }
  // PATH(m, D[lo:hi]) descends into the half holding the leaf and lists the
  // other half's root after the deeper path: collect top-down, then reverse.
  std::vector<Hash> path;
  uint64_t lo = 0, hi = size;
  for (int depth = 0; hi - lo > 1; depth++) {
    VLEDGER_ASSERT(depth < kMerkleLevelsMax);
    uint64_t mid = lo + SplitPoint(hi - lo);
    if (index < mid) {
      VLEDGER_ASSIGN_OR_RETURN(Hash right, RangeRoot(mid, hi, read));
      path.push_back(right);
      hi = mid;
    } else {
      VLEDGER_ASSIGN_OR_RETURN(Hash left, RangeRoot(lo, mid, read));
      path.push_back(left);
      lo = mid;
    }
  }
  std::reverse(path.begin(), path.end());
  return path;
}

Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const NodeReader& read) {
  if (old_size > new_size) {
    return Status::InvalidInput(
        Msg("consistency proof: old size {} is above new size {}", old_size, new_size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) return proof;
  // SUBPROOF(m, D[lo:hi], b), unrolled: each step lists one sibling root
  // after the deeper proof, so collect top-down and reverse. The walk ends
  // where m covers the whole range: that node is needed first unless it is
  // a left-edge subtree the verifier already has (b true).
  uint64_t lo = 0, hi = new_size, m = old_size;
  bool on_left_edge = true;
  for (int depth = 0; m != hi - lo; depth++) {
    VLEDGER_ASSERT(depth < kMerkleLevelsMax);
    uint64_t k = SplitPoint(hi - lo);
    if (m <= k) {
      VLEDGER_ASSIGN_OR_RETURN(Hash right, RangeRoot(lo + k, hi, read));
      proof.push_back(right);
      hi = lo + k;
    } else {
      VLEDGER_ASSIGN_OR_RETURN(Hash left, RangeRoot(lo, lo + k, read));
      proof.push_back(left);
      lo += k;
      m -= k;
      on_left_edge = false;
    }
  }
  if (!on_left_edge) {
    VLEDGER_ASSIGN_OR_RETURN(Hash start, RangeRoot(lo, hi, read));
    proof.push_back(start);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;  // the path is longer than the tree is tall
    if ((fn & 1) != 0 || fn == sn) {
      r = MerkleNodeHash(p, r);
      if ((fn & 1) == 0) ShiftUntilOddOrZero(&fn, &sn);
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty() && old_root == MerkleEmptyRoot();
  if (proof.empty()) return false;
  // A power-of-two old tree is a left-edge node the proof leaves out: the
  // verifier starts from old_root itself (RFC 9162 2.1.4.2 step 2).
  bool old_is_node = std::has_single_bit(old_size);
  size_t next = old_is_node ? 0 : 1;
  Hash fr = old_is_node ? old_root : proof[0];
  Hash sr = fr;
  uint64_t fn = old_size - 1, sn = new_size - 1;
  int shift = std::countr_one(fn);  // fn < 2^64 - 1, so shift < 64
  fn >>= shift;
  sn >>= shift;
  for (; next < proof.size(); next++) {
    const Hash& c = proof[next];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      if ((fn & 1) == 0) ShiftUntilOddOrZero(&fn, &sn);
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

void StreamingMerkleRoot::AddLeafHash(const Hash& leaf_hash, std::vector<MerkleNode>* completed) {
  VLEDGER_ASSERT(size_ != UINT64_MAX);
  const uint64_t index = size_;
  if (completed != nullptr) completed->push_back({0, index, leaf_hash});
  // Like a binary increment: each set low bit of the size is a perfect
  // subtree the new leaf's subtree merges with. Some bit is clear, so the
  // loop stops below level 64.
  Hash carry = leaf_hash;
  int level = 0;
  for (; ((size_ >> level) & 1) != 0; level++) {
    carry = MerkleNodeHash(frontier_[level], carry);
    if (completed != nullptr) completed->push_back({level + 1, index >> (level + 1), carry});
  }
  frontier_[level] = carry;
  size_++;
}

Hash StreamingMerkleRoot::Root() const {
  if (size_ == 0) return MerkleEmptyRoot();
  int lowest = std::countr_zero(size_);
  Hash root = frontier_[lowest];
  for (int level = lowest + 1; level < kMerkleLevelsMax; level++) {
    if (((size_ >> level) & 1) != 0) root = MerkleNodeHash(frontier_[level], root);
  }
  return root;
}

Result<MerkleAppender> MerkleAppender::Load(uint64_t size, const NodeReader& read) {
  // A stored size comes from disk: refuse one that leaves no room to grow.
  if (size == UINT64_MAX) return Status::FailedPrecondition("merkle tree is full");
  MerkleAppender appender;
  for (int level = 0; level < kMerkleLevelsMax; level++) {
    if (((size >> level) & 1) == 0) continue;
    // The subtree for set bit `level` ends where the higher bits leave off.
    VLEDGER_ASSIGN_OR_RETURN(appender.tree_.frontier_[level], read(level, (size >> level) - 1));
  }
  appender.tree_.size_ = size;
  return appender;
}

void MemoryMerkleTree::AppendLeafHash(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // An even count at a level completes a pair: hash it into the level above.
  for (size_t level = 0; levels_[level].size() % 2 == 0; level++) {
    VLEDGER_ASSERT(level < kMerkleLevelsMax);
    const std::vector<Hash>& row = levels_[level];
    Hash parent = MerkleNodeHash(row[row.size() - 2], row[row.size() - 1]);
    if (level + 1 == levels_.size()) levels_.emplace_back();
    levels_[level + 1].push_back(parent);
  }
}

NodeReader MemoryMerkleTree::Reader() const {
  return [this](int level, uint64_t index) -> Result<Hash> {
    if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
        index >= levels_[level].size()) {
      return Status::Internal(
          Msg("merkle node (level {}, index {}) is not in the tree", level, index));
    }
    return levels_[level][index];
  };
}

}  // namespace vledger
