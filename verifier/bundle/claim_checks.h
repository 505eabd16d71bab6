#ifndef CERTREG_VERIFIER_BUNDLE_CLAIM_CHECKS_H_
#define CERTREG_VERIFIER_BUNDLE_CLAIM_CHECKS_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/verifier.pb.h"
#include "verifier/bundle/check_result.h"

namespace certreg {

// The claim checks: whether what a claim says about a certificate (its
// holder, scope, basis, grade, type, item) is what the certificate says,
// as it stood on the claim's date. VerifyBundle runs them once the bundle
// is authentic. Pure functions; texts from check_texts.h.
//
// Example:
//   AddClaimChecks(claim, response.certificate(), response);

// The first malformed field of `claim` (empty or invalid certificate_number,
// invalid as_of, unknown min_star_level or type) as the FAILED result of
// the "claim" check, or nullopt when the claim can be checked.
std::optional<CheckResult> ClaimProblem(const v1::Claim& claim);

namespace claim_checks {

// Each is SKIPPED when the claim leaves its field empty (unspecified),
// PASSED or FAILED otherwise. Names, addresses and scope terms compare
// after NormalizeText (full or half width, case, white space), a basis after
// NormalizeBasis.

// holder_name: the claimed name is the holder's.
CheckResult HolderName(const v1::Claim& claim,
                       const v1::Certificate& certificate);
// holder_address: the claimed address is the holder's.
CheckResult HolderAddress(const v1::Claim& claim,
                          const v1::Certificate& certificate);
// scope: every claimed term occurs in the certified scope.
CheckResult Scope(const v1::Claim& claim, const v1::Certificate& certificate);
// basis: one of the certificate's standards is the claimed one, or starts
// with it where a number does not go on ("GB/T 19001" is within
// "GB/T 19001-2016/ISO 9001:2015", "GB/T 1900" is not).
CheckResult Basis(const v1::Claim& claim, const v1::Certificate& certificate);
// star_level: the certificate's GB/T 27922 star level is at least the
// claimed minimum (a certificate without a grade fails).
CheckResult StarLevel(const v1::Claim& claim,
                      const v1::Certificate& certificate);
// type: the certificate is of the claimed certification type.
CheckResult Type(const v1::Claim& claim, const v1::Certificate& certificate);
// item_code: the certification item's code starts with the claimed code
// (ASCII case and surrounding spaces ignored), e.g. "A" covers "A01".
CheckResult ItemCode(const v1::Claim& claim,
                     const v1::Certificate& certificate);

}  // namespace claim_checks

// The claim checks by name, in the order they run.
struct ClaimCheck {
  absl::string_view name;
  CheckResult (*run)(const v1::Claim& claim,
                     const v1::Certificate& certificate);
};
inline constexpr ClaimCheck kClaimChecks[] = {
    {"holder_name", claim_checks::HolderName},
    {"holder_address", claim_checks::HolderAddress},
    {"scope", claim_checks::Scope},
    {"basis", claim_checks::Basis},
    {"star_level", claim_checks::StarLevel},
    {"type", claim_checks::Type},
    {"item_code", claim_checks::ItemCode},
};

// Appends the result of each of kClaimChecks, under its name, to
// `response`.
void AddClaimChecks(const v1::Claim& claim, const v1::Certificate& certificate,
                    v1::VerifyResponse& response);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_CLAIM_CHECKS_H_
