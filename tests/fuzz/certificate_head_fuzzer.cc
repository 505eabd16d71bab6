// Certificate heads as a verifier receives them: a SignedCertificateHead
// (VerifyCertificateHead) or a head in a signed tree of heads
// (VerifyCertificateHeadInTree).
//
// Input: one byte choosing the form (even: SignedCertificateHead, odd:
// CertificateHeadInTree), then the serialized message. It is verified as it
// is with the pinned log key, then again with its signed bytes signed by the
// log key (which the harness holds), so that what lies behind the signature
// check sees arbitrary bytes too.
//
// Properties checked: re-signed heads verify exactly when their bytes parse
// (and, in a tree, when the path leads to the signed root and the sizes
// agree), giving back the parsed head; a head that verifies, signed again in
// a tree of its own by SignCertificateHeads, verifies as the same head.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "certreg/v1/log.pb.h"
#include "tests/fuzz/fuzz_support.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/log/checkpoint.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

std::string SignOrDie(absl::string_view domain, const std::string& bytes) {
  absl::StatusOr<std::string> signature =
      fuzz::FuzzLogKey().Sign(DomainSeparated(domain, bytes));
  FUZZ_CHECK(signature.ok(), signature.status().ToString());
  return *std::move(signature);
}

// The head signed anew in a tree of its own and a copy of itself; both
// leaves must verify as `head`.
void CheckSignedAgain(const v1::CertificateHead& head,
                      const Ed25519PublicKey& log_key) {
  absl::StatusOr<std::vector<v1::CertificateHeadInTree>> in_tree =
      SignCertificateHeads({head, head}, head.tree_size(), fuzz::FuzzLogKey());
  FUZZ_CHECK(in_tree.ok(), in_tree.status().ToString());
  for (const v1::CertificateHeadInTree& leaf : *in_tree) {
    absl::StatusOr<v1::CertificateHead> again =
        VerifyCertificateHeadInTree(leaf, log_key);
    FUZZ_CHECK(again.ok(), again.status().ToString());
    FUZZ_CHECK(again->SerializeAsString() == head.SerializeAsString(),
               "a head signed again verifies as another head");
  }
}

void FuzzSignedHead(const std::string& bytes, const Ed25519PublicKey& log_key) {
  v1::SignedCertificateHead signed_head;
  if (!signed_head.ParseFromString(bytes)) return;
  absl::StatusOr<v1::CertificateHead> verified =
      VerifyCertificateHead(signed_head, log_key);
  if (verified.ok()) {
    FUZZ_CHECK(signed_head.key_id() == log_key.key_id(),
               "verified under another key id");
  }

  signed_head.set_signature(
      SignOrDie(kCertificateHeadSignatureDomain, signed_head.head()));
  signed_head.set_key_id(log_key.key_id());
  v1::CertificateHead parsed;
  const bool parses = parsed.ParseFromString(signed_head.head());
  absl::StatusOr<v1::CertificateHead> resigned =
      VerifyCertificateHead(signed_head, log_key);
  FUZZ_CHECK(resigned.ok() == parses, resigned.status().ToString());
  if (resigned.ok()) {
    FUZZ_CHECK(resigned->SerializeAsString() == parsed.SerializeAsString(),
               "the verified head differs from its bytes");
    CheckSignedAgain(*resigned, log_key);
  }
}

void FuzzHeadInTree(const std::string& bytes, const Ed25519PublicKey& log_key) {
  v1::CertificateHeadInTree head_in_tree;
  if (!head_in_tree.ParseFromString(bytes)) return;
  absl::StatusOr<v1::CertificateHead> verified =
      VerifyCertificateHeadInTree(head_in_tree, log_key);
  if (verified.ok()) {
    FUZZ_CHECK(head_in_tree.tree().key_id() == log_key.key_id(),
               "verified under another key id");
  }

  v1::SignedCertificateHeadTree& signed_tree = *head_in_tree.mutable_tree();
  signed_tree.set_signature(
      SignOrDie(kCertificateHeadTreeSignatureDomain, signed_tree.tree()));
  signed_tree.set_key_id(log_key.key_id());
  // What the documented checks decide for these bytes.
  v1::CertificateHeadTree tree;
  v1::CertificateHead parsed;
  const std::vector<std::string> path(head_in_tree.path().begin(),
                                      head_in_tree.path().end());
  const bool acceptable =
      tree.ParseFromString(signed_tree.tree()) &&
      VerifyInclusion(head_in_tree.index(), tree.head_count(),
                      LeafHash(head_in_tree.head()), path, tree.root_hash())
          .ok() &&
      parsed.ParseFromString(head_in_tree.head()) &&
      parsed.tree_size() == tree.tree_size();
  absl::StatusOr<v1::CertificateHead> resigned =
      VerifyCertificateHeadInTree(head_in_tree, log_key);
  FUZZ_CHECK(resigned.ok() == acceptable,
             absl::StrCat("re-signed head tree: ", resigned.status().ToString(),
                          "; expected ", acceptable ? "OK" : "an error"));
  if (resigned.ok()) {
    FUZZ_CHECK(resigned->SerializeAsString() == parsed.SerializeAsString(),
               "the verified head differs from its bytes");
  }
  // The leaf's bytes as a head of a tree of its own, when they parse.
  if (parsed.ParseFromString(head_in_tree.head())) {
    CheckSignedAgain(parsed, log_key);
  }
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  fuzz::FuzzInput input(data, size);
  const bool in_tree = input.Byte() % 2 == 1;
  const std::string message = input.Rest();
  const Ed25519PublicKey& log_key = fuzz::FuzzLogKey().public_key();
  if (in_tree) {
    FuzzHeadInTree(message, log_key);
  } else {
    FuzzSignedHead(message, log_key);
  }
  return 0;
}
