// The Merkle tree against a naive transcription of RFC 9162's recursive
// definitions (MTH, PATH, PROOF), and against the RFC 6962 /
// certificate-transparency known answers.
#include "vledger/ledger/merkle.h"

#include <gtest/gtest.h>

#include <bit>
#include <string>
#include <vector>

#include "helpers.h"
#include "vledger/ledger/crypto.h"

namespace vledger {
namespace {

using testing::HashFromHex;
using testing::RecordHash;

std::vector<Hash> LeafHashes(uint64_t n) {
  std::vector<Hash> leaves;
  for (uint64_t i = 0; i < n; i++) leaves.push_back(MerkleLeafHash(RecordHash(i)));
  return leaves;
}

uint64_t Split(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// RFC 9162 2.1.1 MTH over leaves[lo, hi).
Hash NaiveRoot(const std::vector<Hash>& leaves, uint64_t lo, uint64_t hi) {
  if (hi == lo) return Sha256("");
  if (hi - lo == 1) return leaves[lo];
  uint64_t k = Split(hi - lo);
  return MerkleNodeHash(NaiveRoot(leaves, lo, lo + k), NaiveRoot(leaves, lo + k, hi));
}

// RFC 9162 2.1.3.1 PATH(m, D[lo:hi]).
std::vector<Hash> NaivePath(const std::vector<Hash>& leaves, uint64_t m, uint64_t lo, uint64_t hi) {
  if (hi - lo <= 1) return {};
  uint64_t k = Split(hi - lo);
  std::vector<Hash> path;
  if (m < k) {
    path = NaivePath(leaves, m, lo, lo + k);
    path.push_back(NaiveRoot(leaves, lo + k, hi));
  } else {
    path = NaivePath(leaves, m - k, lo + k, hi);
    path.push_back(NaiveRoot(leaves, lo, lo + k));
  }
  return path;
}

// RFC 9162 2.1.4.1 SUBPROOF(m, D[lo:hi], b).
std::vector<Hash> NaiveSubproof(const std::vector<Hash>& leaves, uint64_t m, uint64_t lo,
                                uint64_t hi, bool b) {
  if (m == hi - lo) return b ? std::vector<Hash>{} : std::vector<Hash>{NaiveRoot(leaves, lo, hi)};
  uint64_t k = Split(hi - lo);
  std::vector<Hash> proof;
  if (m <= k) {
    proof = NaiveSubproof(leaves, m, lo, lo + k, b);
    proof.push_back(NaiveRoot(leaves, lo + k, hi));
  } else {
    proof = NaiveSubproof(leaves, m - k, lo + k, hi, false);
    proof.push_back(NaiveRoot(leaves, lo, lo + k));
  }
  return proof;
}

MemoryMerkleTree TreeOf(uint64_t n) {
  MemoryMerkleTree tree;
  for (uint64_t i = 0; i < n; i++) tree.Append(RecordHash(i));
  return tree;
}

Hash Flipped(Hash h, int bit) {
  h[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
  return h;
}

TEST(Merkle, EmptyRootIsSha256OfNothing) {
  EXPECT_EQ(Hex(MerkleEmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(*MerkleRoot(0, MemoryMerkleTree().Reader()), MerkleEmptyRoot());
}

TEST(Merkle, LeafAndNodeHashesArePrefixedSha256) {
  Hash h = RecordHash(7);
  EXPECT_EQ(MerkleLeafHash(h), Sha256(std::string(1, '\0') + AsString(h)));
  Hash l = RecordHash(1), r = RecordHash(2);
  EXPECT_EQ(MerkleNodeHash(l, r), Sha256("\x01" + AsString(l) + AsString(r)));
}

TEST(Merkle, RootMatchesNaiveMthForEverySizeUpTo70) {
  const uint64_t n = 70;
  std::vector<Hash> leaves = LeafHashes(n);
  MemoryMerkleTree tree = TreeOf(n);
  // A larger tree serves every smaller size: stored nodes never change.
  for (uint64_t size = 0; size <= n; size++) {
    Result<Hash> root = MerkleRoot(size, tree.Reader());
    ASSERT_TRUE(root.ok()) << root.status().message();
    EXPECT_EQ(*root, NaiveRoot(leaves, 0, size)) << "size " << size;
  }
}

TEST(Merkle, RootMatchesNaiveMthForLargeSizes) {
  const uint64_t n = 4099;
  std::vector<Hash> leaves = LeafHashes(n);
  MemoryMerkleTree tree = TreeOf(n);
  for (uint64_t size : {1000u, 1023u, 1024u, 1025u, 2047u, 4096u, 4097u, 4099u}) {
    EXPECT_EQ(*MerkleRoot(size, tree.Reader()), NaiveRoot(leaves, 0, size)) << "size " << size;
  }
}

TEST(Merkle, StreamingRootMatchesStoredRootAtEverySize) {
  MemoryMerkleTree tree = TreeOf(300);
  StreamingMerkleRoot stream;
  EXPECT_EQ(stream.Root(), MerkleEmptyRoot());
  for (uint64_t i = 0; i < 300; i++) {
    stream.Add(RecordHash(i));
    ASSERT_EQ(stream.size(), i + 1);
    EXPECT_EQ(stream.Root(), *MerkleRoot(i + 1, tree.Reader())) << "size " << i + 1;
  }
}

TEST(Merkle, RootReadsOneNodePerSetBitOfTheSize) {
  MemoryMerkleTree tree = TreeOf(1000);
  int reads = 0;
  NodeReader inner = tree.Reader();
  NodeReader counting = [&](int level, uint64_t index) {
    reads++;
    return inner(level, index);
  };
  ASSERT_TRUE(MerkleRoot(999, counting).ok());
  EXPECT_EQ(reads, std::popcount(999u));
}

TEST(Merkle, InclusionProofsMatchRfcPathAndVerifyForSizesUpTo40) {
  const uint64_t n = 40;
  std::vector<Hash> leaves = LeafHashes(n);
  MemoryMerkleTree tree = TreeOf(n);
  for (uint64_t size = 1; size <= n; size++) {
    Hash root = NaiveRoot(leaves, 0, size);
    for (uint64_t index = 0; index < size; index++) {
      Result<std::vector<Hash>> proof = InclusionProof(index, size, tree.Reader());
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      EXPECT_EQ(*proof, NaivePath(leaves, index, 0, size)) << index << "/" << size;
      EXPECT_TRUE(VerifyInclusion(index, size, leaves[index], *proof, root))
          << index << "/" << size;
    }
  }
}

TEST(Merkle, InclusionVerificationFailsWhenAnythingIsAltered) {
  const uint64_t n = 40;
  std::vector<Hash> leaves = LeafHashes(n);
  MemoryMerkleTree tree = TreeOf(n);
  for (uint64_t size = 1; size <= n; size++) {
    Hash root = NaiveRoot(leaves, 0, size);
    for (uint64_t index = 0; index < size; index++) {
      std::vector<Hash> proof = *InclusionProof(index, size, tree.Reader());
      for (size_t i = 0; i < proof.size(); i++) {
        std::vector<Hash> bad = proof;
        bad[i] = Flipped(bad[i], static_cast<int>((index + i) % 256));
        EXPECT_FALSE(VerifyInclusion(index, size, leaves[index], bad, root));
      }
      EXPECT_FALSE(VerifyInclusion(index, size, Flipped(leaves[index], 3), proof, root));
      EXPECT_FALSE(VerifyInclusion(index, size, leaves[index], proof, Flipped(root, 200)));
      EXPECT_FALSE(VerifyInclusion(index + 1, size, leaves[index], proof, root));
      std::vector<Hash> longer = proof;
      longer.push_back(root);
      EXPECT_FALSE(VerifyInclusion(index, size, leaves[index], longer, root));
      if (!proof.empty()) {
        std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
        EXPECT_FALSE(VerifyInclusion(index, size, leaves[index], shorter, root));
      }
    }
  }
}

TEST(Merkle, InclusionProofRejectsIndexAtOrAboveSize) {
  MemoryMerkleTree tree = TreeOf(5);
  EXPECT_EQ(InclusionProof(5, 5, tree.Reader()).status().code(), Code::kInvalidInput);
  EXPECT_EQ(InclusionProof(0, 0, tree.Reader()).status().code(), Code::kInvalidInput);
  EXPECT_FALSE(VerifyInclusion(0, 0, MerkleEmptyRoot(), {}, MerkleEmptyRoot()));
}

TEST(Merkle, ConsistencyProofsMatchRfcProofAndVerifyForSizesUpTo40) {
  const uint64_t n = 40;
  std::vector<Hash> leaves = LeafHashes(n);
  MemoryMerkleTree tree = TreeOf(n);
  for (uint64_t new_size = 0; new_size <= n; new_size++) {
    Hash new_root = NaiveRoot(leaves, 0, new_size);
    for (uint64_t old_size = 0; old_size <= new_size; old_size++) {
      Hash old_root = NaiveRoot(leaves, 0, old_size);
      Result<std::vector<Hash>> proof = ConsistencyProof(old_size, new_size, tree.Reader());
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      if (old_size > 0 && old_size < new_size) {
        EXPECT_EQ(*proof, NaiveSubproof(leaves, old_size, 0, new_size, true));
      } else {
        EXPECT_TRUE(proof->empty());
      }
      EXPECT_TRUE(VerifyConsistency(old_size, new_size, old_root, new_root, *proof))
          << old_size << " -> " << new_size;
    }
  }
}

TEST(Merkle, ConsistencyVerificationFailsWhenAnythingIsAltered) {
  const uint64_t n = 40;
  std::vector<Hash> leaves = LeafHashes(n);
  MemoryMerkleTree tree = TreeOf(n);
  for (uint64_t new_size = 1; new_size <= n; new_size++) {
    Hash new_root = NaiveRoot(leaves, 0, new_size);
    for (uint64_t old_size = 1; old_size < new_size; old_size++) {
      Hash old_root = NaiveRoot(leaves, 0, old_size);
      std::vector<Hash> proof = *ConsistencyProof(old_size, new_size, tree.Reader());
      for (size_t i = 0; i < proof.size(); i++) {
        std::vector<Hash> bad = proof;
        bad[i] = Flipped(bad[i], static_cast<int>((old_size * 7 + i) % 256));
        EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, new_root, bad))
            << old_size << " -> " << new_size << " element " << i;
      }
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, Flipped(old_root, 1), new_root, proof));
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, Flipped(new_root, 9), proof));
      EXPECT_FALSE(VerifyConsistency(old_size - 1, new_size, old_root, new_root, proof));
      // (A larger new size can share the proof's shape: the signed checkpoint,
      // not the proof, binds a root to its size.)
      std::vector<Hash> longer = proof;
      longer.push_back(new_root);
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, new_root, longer));
      std::vector<Hash> shorter(proof.begin(), proof.end() - 1);
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, old_root, new_root, shorter));
    }
  }
}

TEST(Merkle, ConsistencyEdgeCasesNeedEmptyProofsAndMatchingRoots) {
  Hash a = RecordHash(1), b = RecordHash(2);
  EXPECT_TRUE(VerifyConsistency(3, 3, a, a, {}));
  EXPECT_FALSE(VerifyConsistency(3, 3, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(3, 3, a, a, {a}));
  EXPECT_TRUE(VerifyConsistency(0, 5, MerkleEmptyRoot(), b, {}));
  EXPECT_FALSE(VerifyConsistency(0, 5, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(0, 5, MerkleEmptyRoot(), b, {a}));
  EXPECT_FALSE(VerifyConsistency(5, 3, a, b, {a}));
  EXPECT_FALSE(VerifyConsistency(2, 3, a, b, {}));
  MemoryMerkleTree tree = TreeOf(5);
  EXPECT_EQ(ConsistencyProof(5, 4, tree.Reader()).status().code(), Code::kInvalidInput);
}

TEST(Merkle, AppenderYieldsExactlyTheNodesOfTheMemoryTree) {
  const uint64_t n = 70;
  MemoryMerkleTree reference = TreeOf(n);
  NodeReader want = reference.Reader();
  for (uint64_t start = 0; start <= n; start++) {
    Result<MerkleAppender> appender = MerkleAppender::Load(start, want);
    ASSERT_TRUE(appender.ok()) << appender.status().message();
    EXPECT_EQ(appender->Root(), *MerkleRoot(start, want));
    std::vector<MerkleNode> nodes;
    for (uint64_t i = start; i < n; i++) appender->Append(RecordHash(i), &nodes);
    uint64_t expected_count = 0;
    for (int level = 0; level < 8; level++) expected_count += (n >> level) - (start >> level);
    EXPECT_EQ(nodes.size(), expected_count) << "from " << start;
    for (const MerkleNode& node : nodes) {
      EXPECT_EQ(node.hash, *want(node.level, node.index))
          << "from " << start << " node " << node.level << "/" << node.index;
    }
    EXPECT_EQ(appender->size(), n);
    EXPECT_EQ(appender->Root(), *MerkleRoot(n, want));
  }
}

TEST(Merkle, AppenderReadsOnlyTheFrontierAtLoad) {
  MemoryMerkleTree tree = TreeOf(100);
  NodeReader inner = tree.Reader();
  int reads = 0;
  NodeReader counting = [&](int level, uint64_t index) {
    reads++;
    return inner(level, index);
  };
  MerkleAppender appender = *MerkleAppender::Load(100, counting);
  EXPECT_EQ(reads, std::popcount(100u));
  std::vector<MerkleNode> nodes;
  for (uint64_t i = 100; i < 200; i++) appender.Append(RecordHash(i), &nodes);
  EXPECT_EQ(reads, std::popcount(100u));
  EXPECT_EQ(appender.Root(), *TreeOf(200).Root());
}

TEST(Merkle, ReaderErrorsPassThrough) {
  NodeReader broken = [](int, uint64_t) -> Result<Hash> { return Status::Unavailable("disk"); };
  EXPECT_EQ(MerkleRoot(3, broken).status().code(), Code::kUnavailable);
  EXPECT_EQ(InclusionProof(1, 3, broken).status().code(), Code::kUnavailable);
  EXPECT_EQ(ConsistencyProof(1, 3, broken).status().code(), Code::kUnavailable);
  EXPECT_EQ(MerkleAppender::Load(3, broken).status().code(), Code::kUnavailable);
  EXPECT_TRUE(MerkleAppender::Load(0, broken).ok());  // an empty tree has no frontier
  EXPECT_EQ(MerkleAppender::Load(UINT64_MAX, broken).status().code(), Code::kFailedPrecondition);
  MemoryMerkleTree tree = TreeOf(3);
  EXPECT_EQ(MerkleRoot(4, tree.Reader()).status().code(), Code::kInternal);
}

// The RFC 6962 test inputs of certificate-transparency's merkle_tree_test.cc
// (also used by transparency-dev/merkle), hashed as raw leaf data.
std::vector<Hash> VectorLeafHashes() {
  std::vector<Hash> leaves;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    leaves.push_back(Sha256(std::string(1, '\0') + *Unhex(hex)));
  }
  return leaves;
}

MemoryMerkleTree VectorTree() {
  MemoryMerkleTree tree;
  for (const Hash& leaf : VectorLeafHashes()) tree.AppendLeafHash(leaf);
  return tree;
}

TEST(MerkleKnownAnswers, RootsMatchCertificateTransparencyVectors) {
  const char* roots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  MemoryMerkleTree tree = VectorTree();
  StreamingMerkleRoot stream;
  for (uint64_t size = 1; size <= 8; size++) {
    EXPECT_EQ(Hex(*MerkleRoot(size, tree.Reader())), roots[size - 1]) << "size " << size;
    stream.AddLeafHash(VectorLeafHashes()[size - 1]);
    EXPECT_EQ(Hex(stream.Root()), roots[size - 1]) << "size " << size;
  }
}

TEST(MerkleKnownAnswers, InclusionProofsMatchCertificateTransparencyVectors) {
  struct Case {
    uint64_t index, size;
    std::vector<const char*> path;
  };
  const Case cases[] = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  MemoryMerkleTree tree = VectorTree();
  std::vector<Hash> leaves = VectorLeafHashes();
  for (const Case& c : cases) {
    std::vector<Hash> want;
    for (const char* hex : c.path) want.push_back(HashFromHex(hex));
    EXPECT_EQ(*InclusionProof(c.index, c.size, tree.Reader()), want) << c.index << "/" << c.size;
    Hash root = *MerkleRoot(c.size, tree.Reader());
    EXPECT_TRUE(VerifyInclusion(c.index, c.size, leaves[c.index], want, root));
  }
}

TEST(MerkleKnownAnswers, ConsistencyProofsMatchCertificateTransparencyVectors) {
  struct Case {
    uint64_t old_size, new_size;
    std::vector<const char*> proof;
  };
  const Case cases[] = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  MemoryMerkleTree tree = VectorTree();
  for (const Case& c : cases) {
    std::vector<Hash> want;
    for (const char* hex : c.proof) want.push_back(HashFromHex(hex));
    EXPECT_EQ(*ConsistencyProof(c.old_size, c.new_size, tree.Reader()), want)
        << c.old_size << " -> " << c.new_size;
    EXPECT_TRUE(VerifyConsistency(c.old_size, c.new_size, *MerkleRoot(c.old_size, tree.Reader()),
                                  *MerkleRoot(c.new_size, tree.Reader()), want));
  }
}

}  // namespace
}  // namespace vledger
