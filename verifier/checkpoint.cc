#include "verifier/checkpoint.h"

#include "absl/strings/str_cat.h"

namespace certreg {

absl::StatusOr<v1::SignedCheckpoint> SignCheckpoint(
    const v1::Checkpoint& checkpoint, const Signer& signer) {
  v1::SignedCheckpoint out;
  if (!checkpoint.SerializeToString(out.mutable_checkpoint())) {
    return absl::InternalError("checkpoint: cannot be serialized");
  }
  absl::StatusOr<std::string> signature = signer.Sign(
      DomainSeparated(kCheckpointSignatureDomain, out.checkpoint()));
  if (!signature.ok()) return signature.status();
  out.set_signature(*std::move(signature));
  out.set_key_id(signer.key_id());
  return out;
}

absl::StatusOr<v1::Checkpoint> VerifyCheckpoint(
    const v1::SignedCheckpoint& signed_checkpoint,
    const SignatureVerifier& log_key) {
  if (signed_checkpoint.key_id() != log_key.key_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "checkpoint: signed by key ", ToHex(signed_checkpoint.key_id()),
        ", not the pinned log key ", ToHex(log_key.key_id())));
  }
  absl::Status signature =
      log_key.Verify(DomainSeparated(kCheckpointSignatureDomain,
                                     signed_checkpoint.checkpoint()),
                     signed_checkpoint.signature());
  if (!signature.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("checkpoint: ", signature.message()));
  }
  v1::Checkpoint checkpoint;
  if (!checkpoint.ParseFromString(signed_checkpoint.checkpoint())) {
    return absl::InvalidArgumentError("checkpoint: malformed bytes");
  }
  if (checkpoint.root_hash().size() != 32) {
    return absl::InvalidArgumentError("checkpoint: root hash is not 32 bytes");
  }
  return checkpoint;
}

absl::StatusOr<v1::SignedCertificateHead> SignCertificateHead(
    const v1::CertificateHead& head, const Signer& log_key) {
  v1::SignedCertificateHead out;
  if (!head.SerializeToString(out.mutable_head())) {
    return absl::InternalError("certificate head: cannot be serialized");
  }
  absl::StatusOr<std::string> signature = log_key.Sign(
      DomainSeparated(kCertificateHeadSignatureDomain, out.head()));
  if (!signature.ok()) return signature.status();
  out.set_signature(*std::move(signature));
  out.set_key_id(log_key.key_id());
  return out;
}

absl::StatusOr<v1::CertificateHead> VerifyCertificateHead(
    const v1::SignedCertificateHead& signed_head,
    const SignatureVerifier& log_key) {
  if (signed_head.key_id() != log_key.key_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "certificate head: signed by key ", ToHex(signed_head.key_id()),
        ", not the pinned log key ", ToHex(log_key.key_id())));
  }
  absl::Status signature = log_key.Verify(
      DomainSeparated(kCertificateHeadSignatureDomain, signed_head.head()),
      signed_head.signature());
  if (!signature.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("certificate head: ", signature.message()));
  }
  v1::CertificateHead head;
  if (!head.ParseFromString(signed_head.head())) {
    return absl::InvalidArgumentError("certificate head: malformed bytes");
  }
  return head;
}

}  // namespace certreg
