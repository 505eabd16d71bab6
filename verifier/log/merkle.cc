#include "verifier/log/merkle.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

constexpr char kLeafPrefix = 0x00;
constexpr char kNodePrefix = 0x01;

// Number of bits needed to write `x` (0 for 0).
int BitLength(uint64_t x) {
  int bits = 0;
  while (x != 0) {
    ++bits;
    x >>= 1;
  }
  return bits;
}

// Largest power of two strictly less than n; n >= 2.
uint64_t SplitPoint(uint64_t n) {
  return uint64_t{1} << (BitLength(n - 1) - 1);
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

int TrailingZeros(uint64_t n) {  // n != 0
  int zeros = 0;
  while ((n & 1) == 0) {
    ++zeros;
    n >>= 1;
  }
  return zeros;
}

// NodeHash by value.
Sha256Digest NodeHashValue(absl::string_view left, absl::string_view right) {
  const char prefix = kNodePrefix;
  return Sha256Value({absl::string_view(&prefix, 1), left, right});
}

absl::Status CheckHashArgument(absl::string_view hash, absl::string_view what) {
  if (hash.size() != kMerkleHashBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": a hash is ", kMerkleHashBytes, " bytes, got ", hash.size()));
  }
  return absl::OkStatus();
}

// `Hashes`: a container of std::string or absl::string_view.
template <typename Hashes>
absl::Status CheckProofHashes(const Hashes& proof, absl::string_view what) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (proof[i].size() != kMerkleHashBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": hash ", i, " is ", proof[i].size(),
                       " bytes, want ", kMerkleHashBytes));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CheckedSubtreeHash(const MerkleTreeReader& tree,
                                               int level, uint64_t index) {
  absl::StatusOr<std::string> hash = tree.SubtreeHash(level, index);
  if (!hash.ok()) return hash.status();
  if (hash->size() != kMerkleHashBytes) {
    return absl::InternalError(absl::StrCat(
        "merkle tree: subtree (level ", level, ", index ", index, ") has a ",
        hash->size(), "-byte hash, want ", kMerkleHashBytes));
  }
  return hash;
}

// MTH(D[begin:end]), end > begin, from perfect subtrees: a perfect aligned
// range is one SubtreeHash call, any other range is split at the largest
// power of two below its size. For the ranges RFC 9162 uses (begin aligned to
// a power of two >= end - begin) this takes popcount(end - begin) calls.
absl::StatusOr<std::string> RangeHash(const MerkleTreeReader& tree,
                                      uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if (IsPowerOfTwo(n) && begin % n == 0) {
    const int level = TrailingZeros(n);
    return CheckedSubtreeHash(tree, level, begin >> level);
  }
  if (const std::string* remembered = tree.RememberedRangeHash(begin, end)) {
    return *remembered;
  }
  const uint64_t k = SplitPoint(n);
  absl::StatusOr<std::string> left = RangeHash(tree, begin, begin + k);
  if (!left.ok()) return left.status();
  absl::StatusOr<std::string> right = RangeHash(tree, begin + k, end);
  if (!right.ok()) return right.status();
  std::string hash = NodeHash(*left, *right);
  tree.RememberRangeHash(begin, end, hash);
  return hash;
}

absl::Status CheckTreeSize(const MerkleTreeReader& tree, uint64_t tree_size,
                           absl::string_view what) {
  if (tree_size > tree.size()) {
    return absl::OutOfRangeError(absl::StrCat(what, ": tree size ", tree_size,
                                              " exceeds the log's size ",
                                              tree.size()));
  }
  return absl::OkStatus();
}

absl::Status Mismatch(absl::string_view what, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(what, ": ", detail));
}

}  // namespace

std::string LeafHash(absl::string_view leaf_data) {
  const char prefix = kLeafPrefix;
  return Sha256({absl::string_view(&prefix, 1), leaf_data});
}

std::string NodeHash(absl::string_view left, absl::string_view right) {
  return std::string(DigestBytes(NodeHashValue(left, right)));
}

std::string EmptyTreeRoot() { return Sha256(""); }

absl::StatusOr<std::string> RootHash(const MerkleTreeReader& tree,
                                     uint64_t tree_size) {
  absl::Status status = CheckTreeSize(tree, tree_size, "root hash");
  if (!status.ok()) return status;
  if (tree_size == 0) return EmptyTreeRoot();
  return RangeHash(tree, 0, tree_size);
}

absl::StatusOr<std::vector<std::string>> InclusionProof(
    const MerkleTreeReader& tree, uint64_t leaf_index, uint64_t tree_size) {
  absl::Status status = CheckTreeSize(tree, tree_size, "inclusion proof");
  if (!status.ok()) return status;
  if (leaf_index >= tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("inclusion proof: leaf index ", leaf_index,
                     " is not below tree size ", tree_size));
  }
  // PATH(m, D[begin:end]) descends towards the leaf; each step records the
  // sibling range's MTH. Collected top-down, returned bottom-up.
  std::vector<std::string> proof;
  uint64_t begin = 0;
  uint64_t end = tree_size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    absl::StatusOr<std::string> sibling;
    if (leaf_index < begin + k) {
      sibling = RangeHash(tree, begin + k, end);
      end = begin + k;
    } else {
      sibling = RangeHash(tree, begin, begin + k);
      begin += k;
    }
    if (!sibling.ok()) return sibling.status();
    proof.push_back(*std::move(sibling));
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

absl::StatusOr<std::vector<std::string>> ConsistencyProof(
    const MerkleTreeReader& tree, uint64_t from_size, uint64_t to_size) {
  if (from_size > to_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("consistency proof: from size ", from_size,
                     " exceeds to size ", to_size));
  }
  absl::Status status = CheckTreeSize(tree, to_size, "consistency proof");
  if (!status.ok()) return status;
  std::vector<std::string> proof;
  if (from_size == 0 || from_size == to_size) return proof;
  // SUBPROOF(m, D[begin:end], b) with m = from_size - begin, unrolled.
  uint64_t begin = 0;
  uint64_t end = to_size;
  bool whole_old_tree = true;  // b in RFC 9162
  while (true) {
    if (from_size == end) {
      if (!whole_old_tree) {
        absl::StatusOr<std::string> node = RangeHash(tree, begin, end);
        if (!node.ok()) return node.status();
        proof.push_back(*std::move(node));
      }
      break;
    }
    const uint64_t k = SplitPoint(end - begin);
    absl::StatusOr<std::string> node;
    if (from_size <= begin + k) {
      node = RangeHash(tree, begin + k, end);
      end = begin + k;
    } else {
      node = RangeHash(tree, begin, begin + k);
      begin += k;
      whole_old_tree = false;
    }
    if (!node.ok()) return node.status();
    proof.push_back(*std::move(node));
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

absl::Status VerifyInclusion(uint64_t leaf_index, uint64_t tree_size,
                             absl::string_view leaf_hash,
                             const std::vector<std::string>& proof,
                             absl::string_view root_hash) {
  const std::vector<absl::string_view> path(proof.begin(), proof.end());
  return VerifyInclusion(leaf_index, tree_size, leaf_hash, path, root_hash);
}

absl::Status VerifyInclusion(uint64_t leaf_index, uint64_t tree_size,
                             absl::string_view leaf_hash,
                             absl::Span<const absl::string_view> proof,
                             absl::string_view root_hash) {
  constexpr absl::string_view kWhat = "inclusion proof";
  if (leaf_index >= tree_size) {
    return absl::InvalidArgumentError(
        absl::StrCat(kWhat, ": leaf index ", leaf_index,
                     " is not below tree size ", tree_size));
  }
  absl::Status status = CheckHashArgument(leaf_hash, "inclusion proof leaf");
  if (!status.ok()) return status;
  status = CheckHashArgument(root_hash, "inclusion proof root");
  if (!status.ok()) return status;
  status = CheckProofHashes(proof, kWhat);
  if (!status.ok()) return status;

  uint64_t fn = leaf_index;
  uint64_t sn = tree_size - 1;
  // The running hash, by value: no allocation per step.
  Sha256Digest r;
  std::copy(leaf_hash.begin(), leaf_hash.end(), r.begin());
  for (absl::string_view p : proof) {
    if (sn == 0) {
      return Mismatch(
          kWhat, absl::StrCat("has more than the expected hashes "
                              "for leaf ",
                              leaf_index, " of tree size ", tree_size, " (got ",
                              proof.size(), ")"));
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHashValue(p, DigestBytes(r));
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHashValue(DigestBytes(r), p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Mismatch(
        kWhat,
        absl::StrCat("has fewer than the expected hashes for leaf ", leaf_index,
                     " of tree size ", tree_size, " (got ", proof.size(), ")"));
  }
  if (DigestBytes(r) != root_hash) {
    return Mismatch(kWhat, absl::StrCat("leaf ", leaf_index,
                                        " does not lead to the root of tree "
                                        "size ",
                                        tree_size));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t from_size, uint64_t to_size,
                               absl::string_view from_root,
                               absl::string_view to_root,
                               const std::vector<std::string>& proof) {
  constexpr absl::string_view kWhat = "consistency proof";
  if (from_size > to_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        kWhat, ": from size ", from_size, " exceeds to size ", to_size));
  }
  absl::Status status =
      CheckHashArgument(from_root, "consistency proof from root");
  if (!status.ok()) return status;
  status = CheckHashArgument(to_root, "consistency proof to root");
  if (!status.ok()) return status;
  status = CheckProofHashes(proof, kWhat);
  if (!status.ok()) return status;

  if (from_size == 0 || from_size == to_size) {
    if (!proof.empty()) {
      return Mismatch(
          kWhat,
          absl::StrCat("from size ", from_size, " to size ", to_size,
                       " needs an empty proof, got ", proof.size(), " hashes"));
    }
    if (from_size == 0) {
      if (from_root != EmptyTreeRoot()) {
        return Mismatch(kWhat, "the root of size 0 is not the empty tree root");
      }
    } else if (from_root != to_root) {
      return Mismatch(
          kWhat, absl::StrCat("roots of the same size ", from_size, " differ"));
    }
    return absl::OkStatus();
  }

  // RFC 9162 2.1.4.2, 0 < from_size < to_size.
  if (proof.empty()) {
    return Mismatch(kWhat, absl::StrCat("from size ", from_size, " to size ",
                                        to_size, " needs a non-empty proof"));
  }
  std::vector<absl::string_view> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(from_size)) path.push_back(from_root);
  for (const std::string& p : proof) path.push_back(p);

  uint64_t fn = from_size - 1;
  uint64_t sn = to_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr(path[0]);
  std::string sr(path[0]);
  for (size_t i = 1; i < path.size(); ++i) {
    const absl::string_view c = path[i];
    if (sn == 0) {
      return Mismatch(
          kWhat, absl::StrCat("has more than the expected hashes from size ",
                              from_size, " to size ", to_size, " (got ",
                              proof.size(), ")"));
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Mismatch(
        kWhat,
        absl::StrCat("has fewer than the expected hashes from size ", from_size,
                     " to size ", to_size, " (got ", proof.size(), ")"));
  }
  if (fr != from_root) {
    return Mismatch(
        kWhat, absl::StrCat("does not lead to the root of size ", from_size));
  }
  if (sr != to_root) {
    return Mismatch(
        kWhat, absl::StrCat("does not lead to the root of size ", to_size));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MerkleNode>> NodesCompletedByAppend(
    const MerkleTreeReader& before, absl::string_view leaf_hash) {
  absl::Status status = CheckHashArgument(leaf_hash, "appended leaf");
  if (!status.ok()) return status;
  const uint64_t n = before.size();
  if (n == UINT64_MAX) {
    return absl::OutOfRangeError("appended leaf: the log is full");
  }
  std::vector<MerkleNode> nodes;
  nodes.push_back(MerkleNode{0, n, std::string(leaf_hash)});
  // Node (k-1, n >> (k-1)) is a right child exactly when its index is odd;
  // then its parent (k, n >> k) becomes complete.
  for (int k = 1; k < 64 && ((n >> (k - 1)) & 1) == 1; ++k) {
    absl::StatusOr<std::string> left =
        CheckedSubtreeHash(before, k - 1, (n >> (k - 1)) - 1);
    if (!left.ok()) return left.status();
    nodes.push_back(MerkleNode{k, n >> k, NodeHash(*left, nodes.back().hash)});
  }
  return nodes;
}

void InMemoryMerkleTree::AppendLeafHash(std::string leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(std::move(leaf_hash));
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (levels_.size() == level + 1) levels_.emplace_back();
    const std::vector<std::string>& children = levels_[level];
    std::string parent =
        NodeHash(children[children.size() - 2], children.back());
    levels_[level + 1].push_back(std::move(parent));
  }
}

void InMemoryMerkleTree::AppendLeaf(absl::string_view leaf_data) {
  AppendLeafHash(LeafHash(leaf_data));
}

uint64_t InMemoryMerkleTree::size() const {
  return levels_.empty() ? 0 : levels_[0].size();
}

absl::StatusOr<std::string> InMemoryMerkleTree::SubtreeHash(
    int level, uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
      index >= levels_[level].size()) {
    return absl::OutOfRangeError(
        absl::StrCat("merkle tree: no complete subtree at level ", level,
                     ", index ", index, " in a tree of size ", size()));
  }
  return levels_[level][index];
}

std::vector<MerkleNode> InMemoryMerkleTree::AllNodes() const {
  std::vector<MerkleNode> nodes;
  for (size_t level = 0; level < levels_.size(); ++level) {
    for (size_t i = 0; i < levels_[level].size(); ++i) {
      nodes.push_back(
          MerkleNode{static_cast<int>(level), i, levels_[level][i]});
    }
  }
  return nodes;
}

}  // namespace certreg
