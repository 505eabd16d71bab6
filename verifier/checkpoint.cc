#include "verifier/checkpoint.h"

#include "absl/strings/str_cat.h"

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

}  // namespace certreg
