#ifndef CERTREG_VERIFIER_LOG_MERKLE_H_
#define CERTREG_VERIFIER_LOG_MERKLE_H_

// The append-only Merkle log's hashing (RFC 9162 section 2.1, which is the
// same tree as RFC 6962): leaf and node hashes, root hashes, inclusion and
// consistency proofs and their verifiers, an in-memory tree, and the helper a
// persistent store uses to write the nodes an append completes.
//
// Hashes are std::string values holding exactly kMerkleHashBytes (32) raw
// bytes (not hex), so they can be copied to and from protobuf `bytes` fields
// as they are. Proofs are ordered bottom to top, as in RFC 9162.
//
// Tree model. A log of n leaves is read through MerkleTreeReader, which only
// exposes hashes of *perfect* subtrees: SubtreeHash(level, index) is the hash
// of the 2^level leaves [index * 2^level, (index + 1) * 2^level). Any MTH of a
// range that occurs in RFC 9162 (a root, an audit-path sibling, a consistency
// proof node) is built from O(log n) such subtrees, so RootHash,
// InclusionProof and ConsistencyProof each make O(log n) SubtreeHash calls and
// work against a store of level/index -> hash rows (see
// NodesCompletedByAppend).
//
// Errors:
//   INVALID_ARGUMENT  a request that can never be satisfied: leaf_index >=
//                     tree_size (including any leaf of the empty tree),
//                     from_size > to_size, or a hash argument (leaf hash,
//                     root, proof element) that is not 32 bytes.
//   OUT_OF_RANGE      tree_size / to_size larger than the reader's size().
//   FAILED_PRECONDITION  (verifiers only) a well-formed proof that does not
//                     verify: wrong number of hashes, or the recomputed root
//                     does not match. The message says what did not match.
//   INTERNAL          the reader returned a hash that is not 32 bytes.
//   Errors returned by MerkleTreeReader::SubtreeHash are passed through.
//
// Thread-safety: the free functions are thread-safe and keep no state; they
// call only const methods of the reader, so they may run concurrently on one
// reader if its implementation allows concurrent const calls.
// InMemoryMerkleTree is thread-compatible: const methods may run concurrently,
// AppendLeafHash needs external synchronisation against all other calls.
//
// Example:
//   InMemoryMerkleTree tree;
//   tree.AppendLeaf("entry");
//   absl::StatusOr<std::string> root = RootHash(tree, tree.size());
//   absl::StatusOr<std::vector<std::string>> proof =
//       InclusionProof(tree, 0, tree.size());
//   absl::Status ok =
//       VerifyInclusion(0, tree.size(), LeafHash("entry"), *proof, *root);

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace certreg {

// Size of every hash in the tree (SHA-256).
inline constexpr size_t kMerkleHashBytes = 32;

// RFC 9162 leaf hash: SHA-256(0x00 || leaf_data).
std::string LeafHash(absl::string_view leaf_data);

// RFC 9162 interior node hash: SHA-256(0x01 || left || right).
std::string NodeHash(absl::string_view left, absl::string_view right);

// Root of the empty tree: SHA-256 of the empty string.
std::string EmptyTreeRoot();

// Read access to a log's hashes. Implementations may compute subtree hashes
// from a store (e.g. rows keyed by level and index).
class MerkleTreeReader {
 public:
  virtual ~MerkleTreeReader() = default;

  // Number of leaves.
  virtual uint64_t size() const = 0;

  // Hash of the perfect subtree of 2^level leaves starting at leaf
  // index * 2^level; level 0 is a leaf hash. Callers in this file only ask for
  // complete subtrees within size(), i.e. (index + 1) << level <= size().
  // Must return 32 bytes.
  virtual absl::StatusOr<std::string> SubtreeHash(int level,
                                                  uint64_t index) const = 0;

  // A reader may remember the MTH of ranges that are not perfect subtrees
  // (the tree's right edge, which every proof at one tree size shares):
  // RangeHash asks here before computing one, and hands over what it
  // computed. By default nothing is remembered.
  virtual const std::string* RememberedRangeHash(uint64_t /*begin*/,
                                                 uint64_t /*end*/) const {
    return nullptr;
  }
  virtual void RememberRangeHash(uint64_t /*begin*/, uint64_t /*end*/,
                                 const std::string& /*hash*/) const {}
};

// MTH of the first `tree_size` leaves; EmptyTreeRoot() for 0.
// OUT_OF_RANGE if tree_size > tree.size().
absl::StatusOr<std::string> RootHash(const MerkleTreeReader& tree,
                                     uint64_t tree_size);

// RFC 9162 2.1.3.1 PATH(leaf_index, D[0:tree_size]), bottom to top.
// INVALID_ARGUMENT if leaf_index >= tree_size; OUT_OF_RANGE if
// tree_size > tree.size().
absl::StatusOr<std::vector<std::string>> InclusionProof(
    const MerkleTreeReader& tree, uint64_t leaf_index, uint64_t tree_size);

// RFC 9162 2.1.4.1 PROOF(from_size, D[0:to_size]). Empty when from_size is 0
// (every tree extends the empty tree) or from_size == to_size.
// INVALID_ARGUMENT if from_size > to_size; OUT_OF_RANGE if
// to_size > tree.size().
absl::StatusOr<std::vector<std::string>> ConsistencyProof(
    const MerkleTreeReader& tree, uint64_t from_size, uint64_t to_size);

// RFC 9162 2.1.3.2: checks that `leaf_hash` is leaf `leaf_index` of the tree
// of `tree_size` leaves whose root is `root_hash`, by the path `proof`
// (bottom to top). Pure, and allocates nothing on success; OK or an error as
// described at the top of this file.
absl::Status VerifyInclusion(uint64_t leaf_index, uint64_t tree_size,
                             absl::string_view leaf_hash,
                             absl::Span<const absl::string_view> proof,
                             absl::string_view root_hash);

// The same for a path held as strings, as InclusionProof returns it.
absl::Status VerifyInclusion(uint64_t leaf_index, uint64_t tree_size,
                             absl::string_view leaf_hash,
                             const std::vector<std::string>& proof,
                             absl::string_view root_hash);

// RFC 9162 2.1.4.2: checks that the tree of `to_size` leaves with root
// `to_root` extends the tree of `from_size` leaves with root `from_root`.
// Special cases (outside the RFC algorithm, which needs 0 < from < to):
//   from_size == 0: the proof must be empty and from_root must be
//     EmptyTreeRoot(); to_root is only checked for length.
//   from_size == to_size: the proof must be empty and the roots equal.
// Pure; OK or an error as described at the top of this file.
absl::Status VerifyConsistency(uint64_t from_size, uint64_t to_size,
                               absl::string_view from_root,
                               absl::string_view to_root,
                               const std::vector<std::string>& proof);

// A complete node of the tree as a store keeps it: level 0 holds leaf hashes;
// node (k, i) for k > 0 is NodeHash((k-1, 2i), (k-1, 2i+1)) and exists once
// both children exist.
struct MerkleNode {
  int level = 0;
  uint64_t index = 0;
  std::string hash;

  friend bool operator==(const MerkleNode& a, const MerkleNode& b) {
    return a.level == b.level && a.index == b.index && a.hash == b.hash;
  }
};

// The nodes that become complete when `leaf_hash` is appended to `before`
// (of size n): (0, n, leaf_hash) first, then each (k, n >> k, hash) for
// k = 1, 2, ... while it completes, in increasing level. A store writes these
// in the same batch as the leaf. Makes one SubtreeHash call per returned node
// above level 0. INVALID_ARGUMENT if leaf_hash is not 32 bytes.
absl::StatusOr<std::vector<MerkleNode>> NodesCompletedByAppend(
    const MerkleTreeReader& before, absl::string_view leaf_hash);

// An in-memory, append-only tree that stores every complete node of every
// level, as the RocksDB-backed store does. Used by tests and as the reference
// for the store.
class InMemoryMerkleTree : public MerkleTreeReader {
 public:
  InMemoryMerkleTree() = default;

  // Appends a leaf by its hash and stores the internal nodes it completes.
  // `leaf_hash` should be 32 bytes; a hash of another length is stored as is
  // and makes later proof/root computations over it fail with INTERNAL.
  void AppendLeafHash(std::string leaf_hash);

  // AppendLeafHash(LeafHash(leaf_data)).
  void AppendLeaf(absl::string_view leaf_data);

  uint64_t size() const override;

  // OUT_OF_RANGE if the node is not (yet) complete.
  absl::StatusOr<std::string> SubtreeHash(int level,
                                          uint64_t index) const override;

  // All stored nodes, level by level, in increasing index; for tests and for
  // comparing with a store.
  std::vector<MerkleNode> AllNodes() const;

 private:
  // levels_[k][i] is node (k, i).
  std::vector<std::vector<std::string>> levels_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_LOG_MERKLE_H_
