#ifndef CERTREG_TOOLS_CLI_CERTCTL_CLAIM_H_
#define CERTREG_TOOLS_CLI_CERTCTL_CLAIM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/verifier.pb.h"

namespace certreg {

// The claim certctl verify checks, from its flags, and the verdict as it
// prints it.
//
// Example:
//   ClaimFlags flags;
//   flags.holder = "杭州云帆家电服务有限公司";
//   flags.min_stars = "四星级";
//   absl::StatusOr<v1::Claim> claim = ClaimFromFlags("90224S00317R0L", flags);
//   ...
//   std::cout << VerdictText(verifier->Verify(*claim));

// The values of verify's claim flags, as given (empty when not).
struct ClaimFlags {
  std::string holder;     // --holder: the holder's name
  std::string address;    // --address: the holder's address
  std::string scope;      // --scope: required terms, ';'-separated
  std::string basis;      // --basis: a standard the basis must include
  std::string min_stars;  // --min_stars: a star level, any of its names
  std::string as_of;      // --as_of: YYYY-MM-DD
};

// The claim that certificate `number` is as `flags` say. Empty scope terms
// (";;") are skipped; an empty flag claims nothing.
//
// Errors (INVALID_ARGUMENT): "--min_stars: ..." for a star level
// ParseStarLevel does not know; "--as_of: ..." for a malformed date.
absl::StatusOr<v1::Claim> ClaimFromFlags(absl::string_view number,
                                         const ClaimFlags& flags);

// The verdict as certctl verify prints it: a table of the checks (name,
// 通过 PASS / 失败 FAIL / 跳过 skip, the detail in Chinese and English),
// a blank line, then "结论 verdict: PASS" and, when the response has one,
// the status: " (有效 valid as of 2026-12-31)".
std::string VerdictText(const v1::VerifyResponse& response);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_CLAIM_H_
