// Inclusion and consistency proofs (RFC 9162) as a verifier receives them.
//
// Input: a mode byte, then fields read by FuzzInput.
//   mode 0: VerifyInclusion on arbitrary arguments: leaf index and tree size
//           (8 bytes each), leaf hash and root (a length byte and the bytes),
//           a hash count byte and that many length-prefixed hashes. Both
//           overloads (strings and string views) must give the same answer.
//   mode 1: VerifyConsistency the same way: from and to sizes, the two roots,
//           the proof.
//   mode 2: a real inclusion proof in a tree of up to 1,024 leaves (leaf and
//           size from the input) must verify; a change the input chooses
//           (a flipped bit of a proof hash, the leaf hash or the root; a hash
//           dropped or added; another leaf index) must not.
//   mode 3: the same for a real consistency proof between two sizes.
// Any input not matching its mode's checks is simply verified as it is.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tests/fuzz/fuzz_support.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

constexpr uint64_t kTreeSize = 1024;

const InMemoryMerkleTree& Tree() {
  static const InMemoryMerkleTree* const tree = [] {
    auto* built = new InMemoryMerkleTree();
    for (uint64_t i = 0; i < kTreeSize; ++i) {
      built->AppendLeaf(absl::StrCat("leaf ", i));
    }
    return built;
  }();
  return *tree;
}

std::string Root(uint64_t size) {
  absl::StatusOr<std::string> root = RootHash(Tree(), size);
  FUZZ_CHECK(root.ok(), root.status().ToString());
  return *std::move(root);
}

std::vector<std::string> ReadHashes(fuzz::FuzzInput& input) {
  std::vector<std::string> hashes(input.Byte() % 72);
  for (std::string& hash : hashes) hash = input.ShortString(40);
  return hashes;
}

void FlipBit(std::string& bytes, fuzz::FuzzInput& input) {
  if (bytes.empty()) return;
  bytes[input.U32() % bytes.size()] ^=
      static_cast<char>(1 << (input.Byte() % 8));
}

absl::Status Inclusion(uint64_t index, uint64_t size, absl::string_view leaf,
                       const std::vector<std::string>& proof,
                       absl::string_view root) {
  const absl::Status by_strings =
      VerifyInclusion(index, size, leaf, proof, root);
  const std::vector<absl::string_view> views(proof.begin(), proof.end());
  const absl::Status by_views = VerifyInclusion(index, size, leaf, views, root);
  FUZZ_CHECK(by_strings == by_views,
             absl::StrCat(by_strings.ToString(), " vs ", by_views.ToString()));
  return by_strings;
}

void RealInclusion(fuzz::FuzzInput& input) {
  const uint64_t size = 1 + input.U32() % kTreeSize;
  const uint64_t index = input.U32() % size;
  absl::StatusOr<std::vector<std::string>> proof =
      InclusionProof(Tree(), index, size);
  FUZZ_CHECK(proof.ok(), proof.status().ToString());
  absl::StatusOr<std::string> leaf = Tree().SubtreeHash(0, index);
  FUZZ_CHECK(leaf.ok(), leaf.status().ToString());
  std::string root = Root(size);
  const absl::Status valid = Inclusion(index, size, *leaf, *proof, root);
  FUZZ_CHECK(valid.ok(), absl::StrCat("a real proof of leaf ", index, " of ",
                                      size, ": ", valid.ToString()));

  uint64_t other_index = index;
  switch (input.Byte() % 6) {
    case 0:
      if (proof->empty()) return;
      FlipBit((*proof)[input.Byte() % proof->size()], input);
      break;
    case 1:
      FlipBit(*leaf, input);
      break;
    case 2:
      FlipBit(root, input);
      break;
    case 3:
      if (proof->empty()) return;
      proof->erase(proof->begin() + input.Byte() % proof->size());
      break;
    case 4:
      proof->insert(
          proof->begin() + input.Byte() % (proof->size() + 1),
          std::string(kMerkleHashBytes, static_cast<char>(input.Byte())));
      break;
    default:
      other_index = input.U32() % size;
      if (other_index == index) return;
      break;
  }
  const absl::Status changed =
      Inclusion(other_index, size, *leaf, *proof, root);
  FUZZ_CHECK(!changed.ok(), absl::StrCat("a changed proof of leaf ", index,
                                         " of ", size, " still verifies"));
}

void RealConsistency(fuzz::FuzzInput& input) {
  const uint64_t to_size = input.U32() % (kTreeSize + 1);
  const uint64_t from_size = input.U32() % (to_size + 1);
  absl::StatusOr<std::vector<std::string>> proof =
      ConsistencyProof(Tree(), from_size, to_size);
  FUZZ_CHECK(proof.ok(), proof.status().ToString());
  std::string from_root = Root(from_size);
  std::string to_root = Root(to_size);
  const absl::Status valid =
      VerifyConsistency(from_size, to_size, from_root, to_root, *proof);
  FUZZ_CHECK(valid.ok(), absl::StrCat("a real proof from ", from_size, " to ",
                                      to_size, ": ", valid.ToString()));

  switch (input.Byte() % 5) {
    case 0:
      if (proof->empty()) return;
      FlipBit((*proof)[input.Byte() % proof->size()], input);
      break;
    case 1:
      FlipBit(from_root, input);
      break;
    case 2:
      // Documented: from size 0 checks the new root only for its length.
      if (from_size == 0) return;
      FlipBit(to_root, input);
      break;
    case 3:
      if (proof->empty()) return;
      proof->erase(proof->begin() + input.Byte() % proof->size());
      break;
    default:
      proof->insert(
          proof->begin() + input.Byte() % (proof->size() + 1),
          std::string(kMerkleHashBytes, static_cast<char>(input.Byte())));
      break;
  }
  const absl::Status changed =
      VerifyConsistency(from_size, to_size, from_root, to_root, *proof);
  FUZZ_CHECK(!changed.ok(), absl::StrCat("a changed proof from ", from_size,
                                         " to ", to_size, " still verifies"));
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  fuzz::FuzzInput input(data, size);
  switch (input.Byte() % 4) {
    case 0: {
      const uint64_t index = input.U64();
      const uint64_t tree_size = input.U64();
      const std::string leaf = input.ShortString(40);
      const std::string root = input.ShortString(40);
      const std::vector<std::string> proof = ReadHashes(input);
      Inclusion(index, tree_size, leaf, proof, root).IgnoreError();
      break;
    }
    case 1: {
      const uint64_t from_size = input.U64();
      const uint64_t to_size = input.U64();
      const std::string from_root = input.ShortString(40);
      const std::string to_root = input.ShortString(40);
      const std::vector<std::string> proof = ReadHashes(input);
      VerifyConsistency(from_size, to_size, from_root, to_root, proof)
          .IgnoreError();
      break;
    }
    case 2:
      RealInclusion(input);
      break;
    default:
      RealConsistency(input);
      break;
  }
  return 0;
}
