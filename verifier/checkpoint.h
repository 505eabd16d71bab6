#ifndef CERTREG_VERIFIER_CHECKPOINT_H_
#define CERTREG_VERIFIER_CHECKPOINT_H_

#include "absl/status/statusor.h"
#include "certreg/v1/log.pb.h"
#include "verifier/ed25519.h"

namespace certreg {

// Signed checkpoints (tree heads) of the registry's log.

// What every checkpoint signature covers before the checkpoint bytes.
inline constexpr absl::string_view kCheckpointSignatureDomain{
    "certreg.v1.Checkpoint\0", 22};

// Serializes `checkpoint` once and signs those bytes.
absl::StatusOr<v1::SignedCheckpoint> SignCheckpoint(
    const v1::Checkpoint& checkpoint, const Signer& signer);

// Checks the signature with `log_key` (and that key_id names it), then
// parses. PERMISSION_DENIED for a bad signature or another key,
// INVALID_ARGUMENT for malformed bytes or a root hash that is not 32 bytes.
absl::StatusOr<v1::Checkpoint> VerifyCheckpoint(
    const v1::SignedCheckpoint& signed_checkpoint,
    const SignatureVerifier& log_key);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CHECKPOINT_H_
