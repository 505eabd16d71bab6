#ifndef CERTREG_VERIFIER_RULES_STATUS_NAMES_H_
#define CERTREG_VERIFIER_RULES_STATUS_NAMES_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/status.pb.h"

namespace certreg {

// Certificate statuses and GB/T 27922 star levels as people type them: on the
// command line, in CSV files. Pure; safe to call from any thread.
//
// In both parsers surrounding whitespace is ignored, ASCII letters match in
// any case, and "-", "_" and spaces are interchangeable between words
// ("not-yet-valid", "not_yet_valid", "Not Yet Valid"). Errors are
// INVALID_ARGUMENT with a message that quotes the text and lists the accepted
// names, without a field prefix (callers add theirs, e.g. "--status: ").

// A certificate status, by
//   - its Chinese name (CertificateStatusNameZh): 有效, 暂停, 撤销, 注销, 过期,
//     未生效;
//   - its English name (CertificateStatusNameEn): valid, suspended, revoked,
//     withdrawn, expired, not yet valid;
//   - its enum name, with or without the prefix: CERTIFICATE_STATUS_SUSPENDED,
//     SUSPENDED.
// CERTIFICATE_STATUS_UNSPECIFIED is not a status and is refused.
absl::StatusOr<v1::CertificateStatus> ParseCertificateStatus(
    absl::string_view text);

// A star level, by
//   - its name in the standard (StarLevelNameZh): 达标级, 三星级, 四星级,
//   五星级,
//     also without the 级 (达标, 三星) and with a digit (3星级, 3星);
//   - its English name (StarLevelNameEn): compliant, three-star, four-star,
//     five-star, also three, 3-star;
//   - its number of stars: 3, 4, 5 (and 1 for compliant);
//   - its enum name, with or without the prefix: STAR_LEVEL_FOUR, FOUR.
// STAR_LEVEL_UNSPECIFIED is not a level and is refused.
absl::StatusOr<v1::StarLevel> ParseStarLevel(absl::string_view text);

// The accepted names for messages and help texts, e.g. "有效 (valid), 暂停
// (suspended), ... or 未生效 (not yet valid)".
absl::string_view CertificateStatusChoices();
// "达标级 (compliant), 三星级 (three-star, 3), 四星级 (four-star, 4) or
// 五星级 (five-star, 5)".
absl::string_view StarLevelChoices();

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_STATUS_NAMES_H_
