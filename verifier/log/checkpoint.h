#ifndef CERTREG_VERIFIER_LOG_CHECKPOINT_H_
#define CERTREG_VERIFIER_LOG_CHECKPOINT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "certreg/v1/log.pb.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// What the log key signs: checkpoints (tree heads) of the registry's log
// and certificate heads (how far a certificate's chain reaches).

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

// What every certificate-head signature covers before the head bytes.
inline constexpr absl::string_view kCertificateHeadSignatureDomain{
    "certreg.v1.CertificateHead\0", 27};

// Serializes `head` once and signs it with the log key.
absl::StatusOr<v1::SignedCertificateHead> SignCertificateHead(
    const v1::CertificateHead& head, const Signer& log_key);

// Checks the signature with the pinned `log_key`, then parses.
// PERMISSION_DENIED for a bad signature or another key, INVALID_ARGUMENT for
// malformed bytes.
absl::StatusOr<v1::CertificateHead> VerifyCertificateHead(
    const v1::SignedCertificateHead& signed_head,
    const SignatureVerifier& log_key);

// What every certificate head tree signature covers before the tree bytes.
inline constexpr absl::string_view kCertificateHeadTreeSignatureDomain{
    "certreg.v1.CertificateHeadTree\0", 31};

// Signs `heads` (all for the checkpoint of `tree_size`) with one signature:
// builds the RFC 9162 tree whose leaves are the serialized heads, signs its
// root, and returns each head with its inclusion path, in the order given.
// INVALID_ARGUMENT when `heads` is empty or a head names another tree size.
absl::StatusOr<std::vector<v1::CertificateHeadInTree>> SignCertificateHeads(
    const std::vector<v1::CertificateHead>& heads, uint64_t tree_size,
    const Signer& log_key);

// Checks the tree's signature with the pinned `log_key` (a memoizing key
// checks a tree shared by many bundles once), then that the head is the
// tree's leaf `index`, then parses the head. PERMISSION_DENIED for a bad
// signature or another key; INVALID_ARGUMENT for malformed bytes, a wrong
// path, or a head for another tree size than its tree's.
absl::StatusOr<v1::CertificateHead> VerifyCertificateHeadInTree(
    const v1::CertificateHeadInTree& head_in_tree,
    const SignatureVerifier& log_key);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_LOG_CHECKPOINT_H_
