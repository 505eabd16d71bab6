#include "verifier/log/checkpoint.h"

#include "absl/strings/str_cat.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

// Serializes `message` once into `*bytes` and signs domain || bytes.
absl::Status SignInto(const google::protobuf::MessageLite& message,
                      absl::string_view domain, const Signer& signer,
                      std::string* bytes, std::string* signature,
                      std::string* key_id, absl::string_view what) {
  if (!message.SerializeToString(bytes)) {
    return absl::InternalError(absl::StrCat(what, ": cannot be serialized"));
  }
  absl::StatusOr<std::string> signed_bytes =
      signer.Sign(DomainSeparated(domain, *bytes));
  if (!signed_bytes.ok()) return signed_bytes.status();
  *signature = *std::move(signed_bytes);
  *key_id = signer.key_id();
  return absl::OkStatus();
}

// Checks that `key_id` names the pinned `key` and that `signature` covers
// domain || bytes, then parses `bytes` into `message`.
absl::Status VerifyAndParse(absl::string_view bytes,
                            absl::string_view signature,
                            absl::string_view key_id, absl::string_view domain,
                            const SignatureVerifier& key,
                            google::protobuf::MessageLite* message,
                            absl::string_view what) {
  if (key_id != key.key_id()) {
    return absl::PermissionDeniedError(
        absl::StrCat(what, ": signed by key ", ToHex(key_id),
                     ", not the pinned log key ", ToHex(key.key_id())));
  }
  absl::Status verified = key.Verify(DomainSeparated(domain, bytes), signature);
  if (!verified.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat(what, ": ", verified.message()));
  }
  if (!message->ParseFromString(std::string(bytes))) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": malformed bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SignedCheckpoint> SignCheckpoint(
    const v1::Checkpoint& checkpoint, const Signer& signer) {
  v1::SignedCheckpoint out;
  v1::Checkpoint named = checkpoint;
  named.set_key_id(signer.key_id());
  absl::Status status = SignInto(
      named, kCheckpointSignatureDomain, signer, out.mutable_checkpoint(),
      out.mutable_signature(), out.mutable_key_id(), "checkpoint");
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::Checkpoint> VerifyCheckpoint(
    const v1::SignedCheckpoint& signed_checkpoint,
    const SignatureVerifier& log_key) {
  v1::Checkpoint checkpoint;
  absl::Status status = VerifyAndParse(
      signed_checkpoint.checkpoint(), signed_checkpoint.signature(),
      signed_checkpoint.key_id(), kCheckpointSignatureDomain, log_key,
      &checkpoint, "checkpoint");
  if (!status.ok()) return status;
  if (checkpoint.root_hash().size() != 32) {
    return absl::InvalidArgumentError("checkpoint: root hash is not 32 bytes");
  }
  // Checkpoints signed before the key id was part of them have none.
  if (!checkpoint.key_id().empty() && checkpoint.key_id() != log_key.key_id()) {
    return absl::PermissionDeniedError(
        absl::StrCat("checkpoint: names key ", ToHex(checkpoint.key_id()),
                     " in its signed bytes, not the pinned log key ",
                     ToHex(log_key.key_id())));
  }
  return checkpoint;
}

absl::StatusOr<v1::SignedCertificateHead> SignCertificateHead(
    const v1::CertificateHead& head, const Signer& log_key) {
  v1::SignedCertificateHead out;
  absl::Status status = SignInto(head, kCertificateHeadSignatureDomain, log_key,
                                 out.mutable_head(), out.mutable_signature(),
                                 out.mutable_key_id(), "certificate head");
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<v1::CertificateHead> VerifyCertificateHead(
    const v1::SignedCertificateHead& signed_head,
    const SignatureVerifier& log_key) {
  v1::CertificateHead head;
  absl::Status status = VerifyAndParse(
      signed_head.head(), signed_head.signature(), signed_head.key_id(),
      kCertificateHeadSignatureDomain, log_key, &head, "certificate head");
  if (!status.ok()) return status;
  return head;
}

absl::StatusOr<std::vector<v1::CertificateHeadInTree>> SignCertificateHeads(
    const std::vector<v1::CertificateHead>& heads, uint64_t tree_size,
    const Signer& log_key) {
  if (heads.empty()) {
    return absl::InvalidArgumentError("certificate heads: none to sign");
  }
  std::vector<v1::CertificateHeadInTree> out(heads.size());
  InMemoryMerkleTree leaves;
  for (size_t i = 0; i < heads.size(); ++i) {
    if (heads[i].tree_size() != tree_size) {
      return absl::InvalidArgumentError(
          absl::StrCat("certificate heads: head ", i, " is for tree size ",
                       heads[i].tree_size(), ", not ", tree_size));
    }
    if (!heads[i].SerializeToString(out[i].mutable_head())) {
      return absl::InternalError("certificate head: cannot be serialized");
    }
    leaves.AppendLeaf(out[i].head());
  }
  v1::CertificateHeadTree tree;
  tree.set_tree_size(tree_size);
  tree.set_head_count(heads.size());
  absl::StatusOr<std::string> root = RootHash(leaves, leaves.size());
  if (!root.ok()) return root.status();
  tree.set_root_hash(*std::move(root));
  v1::SignedCertificateHeadTree signed_tree;
  absl::Status status =
      SignInto(tree, kCertificateHeadTreeSignatureDomain, log_key,
               signed_tree.mutable_tree(), signed_tree.mutable_signature(),
               signed_tree.mutable_key_id(), "certificate head tree");
  if (!status.ok()) return status;
  for (size_t i = 0; i < out.size(); ++i) {
    absl::StatusOr<std::vector<std::string>> path =
        InclusionProof(leaves, i, leaves.size());
    if (!path.ok()) return path.status();
    out[i].set_index(i);
    for (std::string& hash : *path) out[i].add_path(std::move(hash));
    *out[i].mutable_tree() = signed_tree;
  }
  return out;
}

absl::StatusOr<v1::CertificateHead> VerifyCertificateHeadInTree(
    const v1::CertificateHeadInTree& head_in_tree,
    const SignatureVerifier& log_key) {
  const v1::SignedCertificateHeadTree& signed_tree = head_in_tree.tree();
  v1::CertificateHeadTree tree;
  absl::Status status =
      VerifyAndParse(signed_tree.tree(), signed_tree.signature(),
                     signed_tree.key_id(), kCertificateHeadTreeSignatureDomain,
                     log_key, &tree, "certificate head tree");
  if (!status.ok()) return status;
  std::vector<std::string> path(head_in_tree.path().begin(),
                                head_in_tree.path().end());
  status =
      VerifyInclusion(head_in_tree.index(), tree.head_count(),
                      LeafHash(head_in_tree.head()), path, tree.root_hash());
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate head: not leaf ", head_in_tree.index(),
                     " of the signed head tree: ", status.message()));
  }
  v1::CertificateHead head;
  if (!head.ParseFromString(head_in_tree.head())) {
    return absl::InvalidArgumentError("certificate head: malformed bytes");
  }
  if (head.tree_size() != tree.tree_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate head: for tree size ", head.tree_size(),
                     " in a head tree for ", tree.tree_size()));
  }
  return head;
}

}  // namespace certreg
