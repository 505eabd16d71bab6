#include "verifier/log/merkle.h"

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Hex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

std::vector<std::string> HexAll(const std::vector<std::string>& hashes) {
  std::vector<std::string> out;
  for (const std::string& h : hashes) out.push_back(Hex(h));
  return out;
}

std::vector<std::string> Unhex(const std::vector<std::string>& hex) {
  std::vector<std::string> out;
  for (const std::string& h : hex) out.push_back(absl::HexStringToBytes(h));
  return out;
}

// The leaves of the RFC 6962 reference data set (certificate-transparency
// and transparency-dev/merkle test data).
std::vector<std::string> ReferenceLeaves() {
  return {
      std::string(""),
      std::string("\x00", 1),
      std::string("\x10", 1),
      std::string("\x20\x21", 2),
      std::string("\x30\x31", 2),
      std::string("\x40\x41\x42\x43", 4),
      std::string("\x50\x51\x52\x53\x54\x55\x56\x57", 8),
      std::string("\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d"
                  "\x6e\x6f",
                  16),
  };
}

// Expected values below were computed with an independent Python
// (hashlib) implementation of RFC 6962 MTH/PATH/SUBPROOF and match the
// RFC 6962 reference data set.
const char* const kReferenceRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct InclusionVector {
  uint64_t leaf_index;
  uint64_t tree_size;
  std::vector<std::string> path_hex;
};

std::vector<InclusionVector> ReferenceInclusion() {
  return {
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
      {2,
       3,
       {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {7,
       8,
       {"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
}

struct ConsistencyVector {
  uint64_t from_size;
  uint64_t to_size;
  std::vector<std::string> proof_hex;
};

std::vector<ConsistencyVector> ReferenceConsistency() {
  return {
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
      {3,
       7,
       {"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "837dbb152e9b079010717e84e865da4ebc0fa198a806d59d31bf15accef22d0e"}},
      {4,
       8,
       {"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
  };
}

// Naive recursive RFC 9162 MTH over leaf hashes [begin, end).
std::string NaiveMth(const std::vector<std::string>& leaf_hashes, size_t begin,
                     size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyTreeRoot();
  if (n == 1) return leaf_hashes[begin];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return NodeHash(NaiveMth(leaf_hashes, begin, begin + k),
                  NaiveMth(leaf_hashes, begin + k, end));
}

// Distinct leaves "leaf <i>".
InMemoryMerkleTree TreeOfSize(uint64_t n, std::vector<std::string>* hashes) {
  InMemoryMerkleTree tree;
  for (uint64_t i = 0; i < n; ++i) {
    std::string h = LeafHash(absl::StrCat("leaf ", i));
    if (hashes != nullptr) hashes->push_back(h);
    tree.AppendLeafHash(std::move(h));
  }
  return tree;
}

// Forwards to a tree and counts SubtreeHash calls.
class CountingReader : public MerkleTreeReader {
 public:
  explicit CountingReader(const MerkleTreeReader* tree) : tree_(tree) {}
  uint64_t size() const override { return tree_->size(); }
  absl::StatusOr<std::string> SubtreeHash(int level,
                                          uint64_t index) const override {
    ++calls_;
    EXPECT_LE((index + 1) << level, tree_->size())
        << "asked for an incomplete subtree (" << level << ", " << index << ")";
    return tree_->SubtreeHash(level, index);
  }
  int calls() const { return calls_; }
  void Reset() { calls_ = 0; }

 private:
  const MerkleTreeReader* tree_;
  mutable int calls_ = 0;
};

// A CountingReader that remembers the ranges RangeHash computes.
class RememberingReader : public CountingReader {
 public:
  using CountingReader::CountingReader;
  const std::string* RememberedRangeHash(uint64_t begin,
                                         uint64_t end) const override {
    auto it = ranges_.find({begin, end});
    if (it == ranges_.end()) return nullptr;
    ++recalled_;
    return &it->second;
  }
  void RememberRangeHash(uint64_t begin, uint64_t end,
                         const std::string& hash) const override {
    EXPECT_EQ(end, size()) << "only the right edge is not a perfect subtree";
    ranges_[{begin, end}] = hash;
  }
  int recalled() const { return recalled_; }
  size_t remembered() const { return ranges_.size(); }

 private:
  mutable std::map<std::pair<uint64_t, uint64_t>, std::string> ranges_;
  mutable int recalled_ = 0;
};

// A reader that returns a 31-byte hash.
class BrokenReader : public MerkleTreeReader {
 public:
  uint64_t size() const override { return 4; }
  absl::StatusOr<std::string> SubtreeHash(int, uint64_t) const override {
    return std::string(31, 'x');
  }
};

TEST(MerkleHashTest, PrimitivesAreDomainSeparated) {
  EXPECT_EQ(Hex(EmptyTreeRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("").size(), kMerkleHashBytes);
  EXPECT_EQ(LeafHash("abc"), Sha256(std::string("\x00"
                                                "abc",
                                                4)));
  EXPECT_EQ(NodeHash("l", "r"), Sha256("\x01lr"));
  EXPECT_NE(LeafHash(""), EmptyTreeRoot());
  EXPECT_EQ(Hex(LeafHash("")), kReferenceRoots[0]);
}

TEST(MerkleReferenceTest, Roots) {
  const std::vector<std::string> leaves = ReferenceLeaves();
  InMemoryMerkleTree tree;
  ASSERT_EQ(RootHash(tree, 0).value(), EmptyTreeRoot());
  for (size_t i = 0; i < leaves.size(); ++i) {
    tree.AppendLeaf(leaves[i]);
    absl::StatusOr<std::string> root = RootHash(tree, i + 1);
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(Hex(*root), kReferenceRoots[i]) << "size " << i + 1;
  }
  // Roots of earlier sizes stay available.
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(Hex(RootHash(tree, i + 1).value()), kReferenceRoots[i]);
  }
}

TEST(MerkleReferenceTest, InclusionProofs) {
  const std::vector<std::string> leaves = ReferenceLeaves();
  InMemoryMerkleTree tree;
  for (const std::string& leaf : leaves) tree.AppendLeaf(leaf);
  for (const InclusionVector& v : ReferenceInclusion()) {
    SCOPED_TRACE(absl::StrCat("leaf ", v.leaf_index, " size ", v.tree_size));
    absl::StatusOr<std::vector<std::string>> proof =
        InclusionProof(tree, v.leaf_index, v.tree_size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_THAT(HexAll(*proof), ElementsAreArray(v.path_hex));
    const std::string root =
        absl::HexStringToBytes(kReferenceRoots[v.tree_size - 1]);
    EXPECT_TRUE(VerifyInclusion(v.leaf_index, v.tree_size,
                                LeafHash(leaves[v.leaf_index]),
                                Unhex(v.path_hex), root)
                    .ok());
  }
}

TEST(MerkleReferenceTest, ConsistencyProofs) {
  const std::vector<std::string> leaves = ReferenceLeaves();
  InMemoryMerkleTree tree;
  for (const std::string& leaf : leaves) tree.AppendLeaf(leaf);
  for (const ConsistencyVector& v : ReferenceConsistency()) {
    SCOPED_TRACE(absl::StrCat("from ", v.from_size, " to ", v.to_size));
    absl::StatusOr<std::vector<std::string>> proof =
        ConsistencyProof(tree, v.from_size, v.to_size);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_THAT(HexAll(*proof), ElementsAreArray(v.proof_hex));
    EXPECT_TRUE(VerifyConsistency(
                    v.from_size, v.to_size,
                    absl::HexStringToBytes(kReferenceRoots[v.from_size - 1]),
                    absl::HexStringToBytes(kReferenceRoots[v.to_size - 1]),
                    Unhex(v.proof_hex))
                    .ok());
  }
}

TEST(MerkleRootTest, MatchesNaiveMth) {
  std::vector<std::string> hashes;
  InMemoryMerkleTree tree = TreeOfSize(300, &hashes);
  for (uint64_t n = 0; n <= 300; ++n) {
    EXPECT_EQ(RootHash(tree, n).value(), NaiveMth(hashes, 0, n)) << n;
  }
}

// Checks the proofs of one tree of size `max_size`: every leaf against every
// size up to max_size, every consistency pair, and corruptions of each.
// Corrupts every byte of proofs for sizes <= `all_bytes_up_to`, one byte per
// hash otherwise.
void CheckAllProofs(uint64_t max_size, uint64_t all_bytes_up_to) {
  std::vector<std::string> hashes;
  InMemoryMerkleTree tree = TreeOfSize(max_size, &hashes);
  std::vector<std::string> roots;
  for (uint64_t n = 0; n <= max_size; ++n)
    roots.push_back(RootHash(tree, n).value());

  for (uint64_t n = 1; n <= max_size; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      absl::StatusOr<std::vector<std::string>> proof =
          InclusionProof(tree, i, n);
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_TRUE(VerifyInclusion(i, n, hashes[i], *proof, roots[n]).ok())
          << "leaf " << i << " size " << n;
      // Wrong leaf, root, index or size. Sizes are changed by doubling or
      // halving (a different height); a size with the same shape along the
      // path, e.g. leaf 0 of size 3 vs 4, verifies by design.
      EXPECT_FALSE(
          VerifyInclusion(i, n, hashes[(i + 1) % n], *proof, roots[n]).ok() &&
          n > 1);
      EXPECT_FALSE(VerifyInclusion(i, n, hashes[i], *proof, roots[n - 1]).ok());
      for (uint64_t j : {i - 1, i + 1, i ^ 2, i ^ 1}) {
        if (j == i || j >= n) continue;
        EXPECT_FALSE(VerifyInclusion(j, n, hashes[i], *proof, roots[n]).ok())
            << "leaf " << i << " as " << j << " size " << n;
      }
      for (uint64_t m : {n * 2, n / 2}) {
        if (m == n) continue;
        EXPECT_FALSE(VerifyInclusion(i, m, hashes[i], *proof, roots[n]).ok())
            << "leaf " << i << " size " << n << " as " << m;
      }
      // Added or removed hashes.
      std::vector<std::string> longer = *proof;
      longer.push_back(hashes[0]);
      EXPECT_FALSE(VerifyInclusion(i, n, hashes[i], longer, roots[n]).ok());
      if (!proof->empty()) {
        std::vector<std::string> shorter(proof->begin(), proof->end() - 1);
        EXPECT_FALSE(VerifyInclusion(i, n, hashes[i], shorter, roots[n]).ok());
      }
      // Flipped bytes.
      for (size_t h = 0; h < proof->size(); ++h) {
        for (size_t b = 0; b < kMerkleHashBytes; ++b) {
          if (n > all_bytes_up_to && b != (h * 7 + i) % kMerkleHashBytes) {
            continue;
          }
          std::vector<std::string> bad = *proof;
          bad[h][b] ^= 0x01;
          ASSERT_FALSE(VerifyInclusion(i, n, hashes[i], bad, roots[n]).ok())
              << "leaf " << i << " size " << n << " hash " << h << " byte "
              << b;
        }
      }
    }
  }

  for (uint64_t n = 0; n <= max_size; ++n) {
    for (uint64_t m = 0; m <= n; ++m) {
      absl::StatusOr<std::vector<std::string>> proof =
          ConsistencyProof(tree, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status();
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], *proof).ok())
          << "from " << m << " to " << n;
      if (m == 0 || m == n) {
        EXPECT_THAT(*proof, IsEmpty());
        continue;
      }
      // Wrong roots or sizes.
      EXPECT_FALSE(
          VerifyConsistency(m, n, roots[m - 1], roots[n], *proof).ok());
      EXPECT_FALSE(
          VerifyConsistency(m, n, roots[m], roots[n - 1], *proof).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, roots[n], roots[m], *proof).ok());
      for (uint64_t mm : {m - 1, m + 1}) {
        if (mm == 0 || mm >= n) continue;
        EXPECT_FALSE(VerifyConsistency(mm, n, roots[m], roots[n], *proof).ok())
            << "from " << m << " as " << mm << " to " << n;
      }
      // A root does not commit to its size by itself: a proof may also verify
      // for another to_size with the same tree shape along the proof (e.g.
      // 2 -> 4 also verifies as 2 -> 3 with c as leaf 2). Doubling the size
      // changes the height, which must fail.
      EXPECT_FALSE(VerifyConsistency(m, n * 2, roots[m], roots[n], *proof).ok())
          << "from " << m << " to " << n << " as " << n * 2;
      std::vector<std::string> longer = *proof;
      longer.push_back(hashes[0]);
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], longer).ok());
      std::vector<std::string> shorter(proof->begin(), proof->end() - 1);
      EXPECT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], shorter).ok());
      for (size_t h = 0; h < proof->size(); ++h) {
        for (size_t b = 0; b < kMerkleHashBytes; ++b) {
          if (n > all_bytes_up_to && b != (h * 5 + m) % kMerkleHashBytes) {
            continue;
          }
          std::vector<std::string> bad = *proof;
          bad[h][b] ^= 0x80;
          ASSERT_FALSE(VerifyConsistency(m, n, roots[m], roots[n], bad).ok())
              << "from " << m << " to " << n << " hash " << h << " byte " << b;
        }
      }
    }
  }
}

TEST(MerklePropertyTest, AllProofsUpTo70) { CheckAllProofs(70, 24); }

TEST(MerklePropertyTest, RandomLargerTrees) {
  std::mt19937_64 rng(20240601);
  std::vector<std::string> hashes;
  InMemoryMerkleTree tree = TreeOfSize(1000, &hashes);
  std::vector<std::string> roots;
  for (uint64_t n = 0; n <= 1000; ++n)
    roots.push_back(RootHash(tree, n).value());
  // A few random sizes in full: every leaf and every older size.
  for (int round = 0; round < 4; ++round) {
    const uint64_t n = 71 + rng() % 930;
    for (uint64_t i = 0; i < n; ++i) {
      ASSERT_TRUE(VerifyInclusion(i, n, hashes[i],
                                  InclusionProof(tree, i, n).value(), roots[n])
                      .ok())
          << "leaf " << i << " size " << n;
    }
    for (uint64_t m = 0; m <= n; ++m) {
      ASSERT_TRUE(VerifyConsistency(m, n, roots[m], roots[n],
                                    ConsistencyProof(tree, m, n).value())
                      .ok())
          << "from " << m << " to " << n;
    }
  }
  // Random (leaf, from, to) triples with corruption.
  for (int trial = 0; trial < 400; ++trial) {
    const uint64_t n = 1 + rng() % 1000;
    const uint64_t i = rng() % n;
    const uint64_t m = rng() % (n + 1);
    SCOPED_TRACE(absl::StrCat("n ", n, " i ", i, " m ", m));
    std::vector<std::string> inclusion = InclusionProof(tree, i, n).value();
    EXPECT_TRUE(VerifyInclusion(i, n, hashes[i], inclusion, roots[n]).ok());
    if (!inclusion.empty()) {
      inclusion[rng() % inclusion.size()][rng() % kMerkleHashBytes] ^= 0x40;
      EXPECT_FALSE(VerifyInclusion(i, n, hashes[i], inclusion, roots[n]).ok());
    }
    std::vector<std::string> consistency = ConsistencyProof(tree, m, n).value();
    EXPECT_TRUE(VerifyConsistency(m, n, roots[m], roots[n], consistency).ok());
    if (!consistency.empty()) {
      consistency[rng() % consistency.size()][rng() % kMerkleHashBytes] ^= 0x02;
      EXPECT_FALSE(
          VerifyConsistency(m, n, roots[m], roots[n], consistency).ok());
    }
  }
}

TEST(MerkleErrorsTest, ProofArguments) {
  InMemoryMerkleTree tree = TreeOfSize(5, nullptr);
  EXPECT_EQ(InclusionProof(tree, 0, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(tree, 5, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(InclusionProof(tree, 5, 5).status().message(),
              HasSubstr("leaf index 5"));
  EXPECT_EQ(InclusionProof(tree, 0, 6).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(RootHash(tree, 6).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(ConsistencyProof(tree, 3, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 3, 6).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_THAT(ConsistencyProof(tree, 0, 5).value(), IsEmpty());
  EXPECT_THAT(ConsistencyProof(tree, 0, 0).value(), IsEmpty());
  EXPECT_THAT(ConsistencyProof(tree, 4, 4).value(), IsEmpty());

  BrokenReader broken;
  EXPECT_EQ(RootHash(broken, 4).status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(InclusionProof(broken, 1, 4).status().code(),
            absl::StatusCode::kInternal);
}

TEST(MerkleErrorsTest, VerifyInclusionArguments) {
  const std::string leaf = LeafHash("x");
  const std::string root = leaf;  // Tree of one leaf.
  const std::vector<std::string> none;
  EXPECT_TRUE(VerifyInclusion(0, 1, leaf, none, root).ok());
  EXPECT_EQ(VerifyInclusion(0, 0, leaf, none, root).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(1, 1, leaf, none, root).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(0, 1, "short", none, root).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(0, 1, leaf, none, "short").code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status short_hash =
      VerifyInclusion(0, 2, leaf, std::vector<std::string>{"short"}, root);
  EXPECT_EQ(short_hash.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(short_hash.message(), HasSubstr("hash 0 is 5 bytes"));
  absl::Status mismatch = VerifyInclusion(0, 1, leaf, none, LeafHash("y"));
  EXPECT_EQ(mismatch.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(mismatch.message(), HasSubstr("does not lead to the root"));
  absl::Status too_long =
      VerifyInclusion(0, 1, leaf, std::vector<std::string>{leaf}, root);
  EXPECT_EQ(too_long.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(too_long.message(), HasSubstr("more than the expected"));
  absl::Status too_short = VerifyInclusion(0, 2, leaf, none, root);
  EXPECT_EQ(too_short.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(too_short.message(), HasSubstr("fewer than the expected"));
}

// A path read in place, as the verifier reads one from a bundle: views into
// storage it does not own, checked like the copied strings.
TEST(MerkleErrorsTest, VerifyInclusionReadsAPathInPlace) {
  std::vector<std::string> hashes;
  InMemoryMerkleTree tree = TreeOfSize(21, &hashes);
  const std::string root = RootHash(tree, 21).value();
  const std::vector<std::string> proof = InclusionProof(tree, 5, 21).value();
  const std::string packed = absl::StrJoin(proof, "");
  std::vector<absl::string_view> path;
  for (size_t i = 0; i < proof.size(); ++i) {
    path.push_back(absl::string_view(packed).substr(i * kMerkleHashBytes,
                                                    kMerkleHashBytes));
  }
  EXPECT_TRUE(VerifyInclusion(5, 21, hashes[5], path, root).ok());
  EXPECT_EQ(VerifyInclusion(6, 21, hashes[5], path, root).code(),
            absl::StatusCode::kFailedPrecondition);
  path.back().remove_suffix(1);
  absl::Status cut = VerifyInclusion(5, 21, hashes[5], path, root);
  EXPECT_EQ(cut.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(cut.message(), HasSubstr("is 31 bytes"));
}

TEST(MerkleErrorsTest, VerifyConsistencyArguments) {
  std::vector<std::string> hashes;
  InMemoryMerkleTree tree = TreeOfSize(5, &hashes);
  const std::string r3 = RootHash(tree, 3).value();
  const std::string r5 = RootHash(tree, 5).value();
  const std::vector<std::string> proof = ConsistencyProof(tree, 3, 5).value();
  EXPECT_TRUE(VerifyConsistency(3, 5, r3, r5, proof).ok());
  EXPECT_EQ(VerifyConsistency(5, 3, r5, r3, proof).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(3, 5, "short", r5, proof).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(3, 5, r3, "short", proof).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(3, 5, r3, r5, {"short"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(3, 5, r3, r5, {}).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status wrong_root = VerifyConsistency(3, 5, r3, r3, proof);
  EXPECT_EQ(wrong_root.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong_root.message(), HasSubstr("root of size 5"));

  // From the empty tree: empty proof, and the old root must be the empty
  // tree's.
  EXPECT_TRUE(VerifyConsistency(0, 5, EmptyTreeRoot(), r5, {}).ok());
  EXPECT_TRUE(
      VerifyConsistency(0, 0, EmptyTreeRoot(), EmptyTreeRoot(), {}).ok());
  EXPECT_EQ(VerifyConsistency(0, 5, EmptyTreeRoot(), r5, proof).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(VerifyConsistency(0, 5, r3, r5, {}).code(),
            absl::StatusCode::kFailedPrecondition);
  // Same size: empty proof, equal roots.
  EXPECT_TRUE(VerifyConsistency(5, 5, r5, r5, {}).ok());
  EXPECT_EQ(VerifyConsistency(5, 5, r5, r3, {}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(VerifyConsistency(5, 5, r5, r5, {r5}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(MerkleAppendTest, NodesCompletedByAppendMatchInMemoryTree) {
  InMemoryMerkleTree tree;
  std::vector<MerkleNode> stored;  // What a store would hold.
  for (uint64_t n = 0; n < 300; ++n) {
    const std::string leaf = LeafHash(absl::StrCat("entry ", n));
    absl::StatusOr<std::vector<MerkleNode>> nodes =
        NodesCompletedByAppend(tree, leaf);
    ASSERT_TRUE(nodes.ok()) << nodes.status();
    ASSERT_FALSE(nodes->empty());
    EXPECT_EQ((*nodes)[0], (MerkleNode{0, n, leaf}));
    for (size_t k = 1; k < nodes->size(); ++k) {
      EXPECT_EQ((*nodes)[k].level, static_cast<int>(k));
      EXPECT_EQ((*nodes)[k].index, n >> k);
    }
    stored.insert(stored.end(), nodes->begin(), nodes->end());
    const std::vector<MerkleNode> before = tree.AllNodes();
    tree.AppendLeafHash(leaf);
    const std::vector<MerkleNode> after = tree.AllNodes();
    ASSERT_EQ(after.size(), before.size() + nodes->size()) << n;
    // Exactly the new nodes.
    for (const MerkleNode& node : *nodes) {
      EXPECT_EQ(tree.SubtreeHash(node.level, node.index).value(), node.hash);
    }
    ASSERT_EQ(stored.size(), after.size());
  }
  // Every node of the tree was produced by some append, with the same hash.
  for (const MerkleNode& node : tree.AllNodes()) {
    bool found = false;
    for (const MerkleNode& s : stored) {
      if (s == node) found = true;
    }
    EXPECT_TRUE(found) << "(" << node.level << ", " << node.index << ")";
  }
  EXPECT_EQ(NodesCompletedByAppend(tree, "short").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MerkleInMemoryTreeTest, SubtreeHashBounds) {
  std::vector<std::string> hashes;
  InMemoryMerkleTree tree = TreeOfSize(6, &hashes);
  EXPECT_EQ(tree.size(), 6u);
  EXPECT_EQ(tree.SubtreeHash(0, 5).value(), hashes[5]);
  EXPECT_EQ(tree.SubtreeHash(2, 0).value(), NaiveMth(hashes, 0, 4));
  EXPECT_EQ(tree.SubtreeHash(1, 2).value(), NaiveMth(hashes, 4, 6));
  EXPECT_EQ(tree.SubtreeHash(0, 6).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(tree.SubtreeHash(2, 1).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(tree.SubtreeHash(3, 0).status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(tree.SubtreeHash(-1, 0).status().code(),
            absl::StatusCode::kOutOfRange);
  InMemoryMerkleTree empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.SubtreeHash(0, 0).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(MerkleCostTest, ARememberedRightEdgeIsComputedOnce) {
  constexpr uint64_t kSize = 1000;  // 1111101000: a ragged right edge
  InMemoryMerkleTree tree = TreeOfSize(kSize, nullptr);
  RememberingReader remembering(&tree);
  auto first = InclusionProof(remembering, 3, kSize);
  ASSERT_TRUE(first.ok()) << first.status();
  const int first_calls = remembering.calls();
  EXPECT_GT(remembering.remembered(), 0u);
  // Every later proof and the root take the edge as remembered, and come
  // out as they do from a reader that remembers nothing.
  for (uint64_t leaf : {uint64_t{3}, uint64_t{5}, uint64_t{600}}) {
    remembering.Reset();
    auto proof = InclusionProof(remembering, leaf, kSize);
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(*proof, *InclusionProof(tree, leaf, kSize)) << leaf;
    if (leaf == 3) {
      EXPECT_LT(remembering.calls(), first_calls);
    }
  }
  EXPECT_GT(remembering.recalled(), 0);
  auto root = RootHash(remembering, kSize);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, *RootHash(tree, kSize));
}

TEST(MerkleCostTest, LogarithmicSubtreeHashCalls) {
  constexpr uint64_t kSize = 100000;
  InMemoryMerkleTree tree = TreeOfSize(kSize, nullptr);
  CountingReader counting(&tree);
  std::mt19937_64 rng(7);
  auto bound = [](uint64_t n) {
    int ceil_log2 = 0;
    while ((uint64_t{1} << ceil_log2) < n) ++ceil_log2;
    return 4 * ceil_log2 + 4;
  };
  std::vector<uint64_t> sizes = {1,     2,     3,     7,     8,    9,
                                 65535, 65536, 65537, 99999, kSize};
  for (int i = 0; i < 40; ++i) sizes.push_back(1 + rng() % kSize);
  for (uint64_t n : sizes) {
    SCOPED_TRACE(absl::StrCat("size ", n));
    counting.Reset();
    ASSERT_TRUE(RootHash(counting, n).ok());
    EXPECT_LE(counting.calls(), bound(n));

    for (uint64_t i : {uint64_t{0}, n - 1, n / 2, rng() % n}) {
      counting.Reset();
      ASSERT_TRUE(InclusionProof(counting, i, n).ok());
      EXPECT_LE(counting.calls(), bound(n)) << "leaf " << i;
    }
    for (uint64_t m : {uint64_t{1}, n - 1, n / 2, rng() % (n + 1)}) {
      counting.Reset();
      ASSERT_TRUE(ConsistencyProof(counting, m, n).ok());
      EXPECT_LE(counting.calls(), bound(n)) << "from " << m;
    }
  }
}

}  // namespace
}  // namespace certreg
