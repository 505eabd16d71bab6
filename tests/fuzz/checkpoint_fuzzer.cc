// Signed checkpoints (tree heads) as a verifier receives them.
//
// Input: a serialized SignedCheckpoint. It is verified as it is with the
// pinned log key; then its checkpoint bytes are signed again with the log key
// (which the harness holds), so that the parsing behind the signature check
// sees arbitrary bytes too.
//
// Properties checked: a verified checkpoint has a 32-byte root and names no
// other key; re-signed bytes verify exactly when they parse as a Checkpoint
// with a 32-byte root and no other key id; a signature by another key never
// verifies.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "certreg/v1/log.pb.h"
#include "tests/fuzz/fuzz_support.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/log/checkpoint.h"

namespace certreg {
namespace {

v1::SignedCheckpoint SignBytes(const std::string& bytes, const Signer& key) {
  v1::SignedCheckpoint out;
  out.set_checkpoint(bytes);
  absl::StatusOr<std::string> signature =
      key.Sign(DomainSeparated(kCheckpointSignatureDomain, bytes));
  FUZZ_CHECK(signature.ok(), signature.status().ToString());
  out.set_signature(*signature);
  out.set_key_id(key.key_id());
  return out;
}

}  // namespace
}  // namespace certreg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace certreg;
  v1::SignedCheckpoint signed_checkpoint;
  if (!signed_checkpoint.ParseFromArray(data, static_cast<int>(size))) return 0;
  const Ed25519PublicKey& log_key = fuzz::FuzzLogKey().public_key();

  absl::StatusOr<v1::Checkpoint> verified =
      VerifyCheckpoint(signed_checkpoint, log_key);
  if (verified.ok()) {
    FUZZ_CHECK(verified->root_hash().size() == 32, "root hash length");
    FUZZ_CHECK(
        verified->key_id().empty() || verified->key_id() == log_key.key_id(),
        "a verified checkpoint names another key");
    FUZZ_CHECK(signed_checkpoint.key_id() == log_key.key_id(),
               "verified with a key id that is not the log key's");
  }

  // The same bytes signed by the log key: only their content decides.
  const std::string& bytes = signed_checkpoint.checkpoint();
  v1::Checkpoint parsed;
  const bool acceptable =
      parsed.ParseFromString(bytes) && parsed.root_hash().size() == 32 &&
      (parsed.key_id().empty() || parsed.key_id() == log_key.key_id());
  absl::StatusOr<v1::Checkpoint> resigned =
      VerifyCheckpoint(SignBytes(bytes, fuzz::FuzzLogKey()), log_key);
  FUZZ_CHECK(
      resigned.ok() == acceptable,
      absl::StrCat("re-signed checkpoint: ", resigned.status().ToString(),
                   "; expected ", acceptable ? "OK" : "an error"));
  if (resigned.ok()) {
    FUZZ_CHECK(resigned->SerializeAsString() == parsed.SerializeAsString(),
               "the verified checkpoint differs from its bytes");
  }

  // Signed by another key (the operator's): never the log's checkpoint,
  // whether it names its own key id or the log key's.
  v1::SignedCheckpoint forged = SignBytes(bytes, fuzz::FuzzOperatorKey());
  FUZZ_CHECK(
      absl::IsPermissionDenied(VerifyCheckpoint(forged, log_key).status()),
      "a checkpoint signed by another key was not refused");
  forged.set_key_id(log_key.key_id());
  FUZZ_CHECK(
      absl::IsPermissionDenied(VerifyCheckpoint(forged, log_key).status()),
      "a checkpoint signed by another key under the log key's id");
  return 0;
}
