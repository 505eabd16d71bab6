#ifndef CERTREG_VERIFIER_BUNDLE_BUNDLE_VERIFIER_H_
#define CERTREG_VERIFIER_BUNDLE_BUNDLE_VERIFIER_H_

#include <memory>

#include "absl/time/time.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signature_memo.h"
#include "verifier/rules/status_engine.h"

namespace certreg {

// The offline verifier: decides a claim about a certificate from a
// verification bundle, trusting nothing but the registry's two pinned public
// keys. No I/O, no clock (the caller passes `now`), no shared state.

// The only things the verifier trusts. Both must be set; a missing key makes
// every bundle fail the check that needs it.
struct PinnedKeys {
  // Signs accredit / rotate / retire statements (the registry operator).
  std::shared_ptr<const Ed25519PublicKey> operator_key;
  // Signs checkpoints (the log).
  std::shared_ptr<const Ed25519PublicKey> log_key;
};

struct VerifyPolicy {
  // A checkpoint older than this (or dated more than kMaxCheckpointClockSkew
  // in the future) fails the freshness check, which makes the verdict UNKNOWN
  // rather than FAIL: the evidence is authentic but may be out of date.
  absl::Duration max_checkpoint_age = absl::Hours(24);
};

// How far in the future of `now` a checkpoint may be dated (clock skew).
inline constexpr absl::Duration kMaxCheckpointClockSkew = absl::Minutes(5);

// Verifies `bundle` and decides `claim` as of claim.as_of (or today in China
// Standard Time, from `now`). Pure and thread-safe; never crashes on any
// input bytes.
//
// The response's checks, in this order, with these stable names:
//  (claim)              only when the claim itself is malformed (empty or
//                       invalid certificate_number, invalid as_of, unknown
//                       enum value): then it is the only check and the
//                       verdict is UNKNOWN.
//  checkpoint_signature the checkpoint verifies with the pinned log key.
//  inclusion_proof      every statement's inclusion proof leads to the
//                       checkpoint's root at the checkpoint's size.
//  statement_signature  every authority statement is signed by the pinned
//                       operator key; every certificate statement by a key
//                       that the authority statements register for the
//                       certificate's body. A certificate statement whose
//                       next statement carries the same key id and names
//                       its hash as previous_event_hash is covered by that
//                       statement's signature; only the last of such a run
//                       is verified with Ed25519.
//  signer_accredited    the authority statements (all about the
//                       certificate's body, strictly increasing leaf indexes)
//                       replay under the authority rules, and every
//                       certificate statement's key was accredited on its
//                       date. A statement about another body fails it.
//  event_chain          the certificate statements form one legal chain,
//                       issue first (its number equals the bundle's and the
//                       claim's), strictly increasing leaf indexes, each
//                       naming its predecessor's hash.
//  completeness         the log key's signed certificate head for the
//                       checkpoint counts exactly the bundle's certificate
//                       and authority statements (so none of the latest was
//                       dropped on the way).
//  scheme_rules         the scheme rules statement that head names (the
//                       latest published at the checkpoint) is the bundle's,
//                       signed by the pinned operator key, in the log and
//                       valid; with none named, the built-in version 1
//                       rules apply. The status is computed under them.
//  status               effective status as of the date; PASSED iff VALID.
//  holder_name, holder_address, scope, basis, star_level, type, item_code
//                       the claim's fields (SKIPPED when the claim leaves the
//                       field empty), against the certificate as it stood on
//                       the date (events dated on or before it).
//  freshness            the checkpoint is at most max_checkpoint_age old.
// A check whose inputs could not be established is SKIPPED, saying why. When
// any of checkpoint_signature .. scheme_rules does not pass, every later
// check is SKIPPED and the response carries neither status nor certificate
// (nothing unauthenticated is evaluated).
//
// Verdict: FAIL when any check up to scheme_rules does not pass, or status
// or a claim check fails; otherwise UNKNOWN when freshness fails; otherwise
// PASS.
//
// The response echoes claim.certificate_number; checkpoint_tree_size is set
// once the checkpoint's signature verified; status and certificate only when
// every cryptographic check passed.
//
// `memo`, when given, spares checking a signature again that verified
// before (see SignatureMemo); the verdict is the same with or without it.
//
// Limits: a bundle proves that its statements are in the log up to its
// checkpoint and that the certificate chain has no gap. It cannot prove that
// no later event exists beyond the checkpoint (hence freshness), nor that
// the registry did not leave out a key-retirement statement of the body.
v1::VerifyResponse VerifyBundle(const v1::VerificationBundle& bundle,
                                const v1::Claim& claim, const PinnedKeys& keys,
                                const VerifyPolicy& policy, absl::Time now,
                                SignatureMemo* memo = nullptr);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_BUNDLE_VERIFIER_H_
