#ifndef CERTREG_VERIFIER_BUNDLE_SIGNED_HEAD_H_
#define CERTREG_VERIFIER_BUNDLE_SIGNED_HEAD_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/statement.pb.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// A bundle's signed certificate head: the log key's word on how many
// statements the certificate and its body have at the bundle's checkpoint,
// and which scheme rules statement is the latest there. The completeness and
// scheme_rules checks rest on it. Pure and thread-safe.

// True when `bundle` carries a head: `head`, or `head_in_tree`.
bool HasSignedHead(const v1::VerificationBundle& bundle);

// The head the pinned `log_key` signed for `bundle` (which must carry one):
// its `head`, or else its `head_in_tree`. Errors as VerifyCertificateHead and
// VerifyCertificateHeadInTree.
absl::StatusOr<v1::CertificateHead> VerifyBundleHead(
    const v1::VerificationBundle& bundle, const SignatureVerifier& log_key);

// OK when `bundle` carries every statement `head` counts at `checkpoint`:
// the head is for the checkpoint's tree size and the bundle's certificate,
// and its counts and latest statements are the bundle's. FAILED_PRECONDITION
// saying what differs otherwise (a relay dropped the latest events).
absl::Status CheckBundleComplete(const v1::CertificateHead& head,
                                 const v1::VerificationBundle& bundle,
                                 const v1::Checkpoint& checkpoint);

// The scheme rules of `proven`, the rules statement a head names by
// `named_hash`: it must be that statement, signed by `operator_key`, in the
// log at `checkpoint`, and valid rules (ValidateSchemeRules).
// FAILED_PRECONDITION for another statement or a proof for another tree
// size, PERMISSION_DENIED for another key; otherwise the error of the step
// that failed (signature, inclusion proof, parsing, validation).
absl::StatusOr<v1::SchemeRules> VerifyRulesStatement(
    const v1::ProvenStatement& proven, absl::string_view named_hash,
    const SignatureVerifier& operator_key, const v1::Checkpoint& checkpoint);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_SIGNED_HEAD_H_
