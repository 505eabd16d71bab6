#ifndef CERTREG_VERIFIER_CERTIFICATE_VALIDATION_H_
#define CERTREG_VERIFIER_CERTIFICATE_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"

namespace certreg {

// Domain validation of certificates and their fields. Every function returns
// OK or INVALID_ARGUMENT, and every error message starts with the full path of
// the offending field followed by ": ", e.g.
//   "certificate.holder.unified_social_credit_code: check character is 'X',
//    expected '3'".
// Messages never copy raw bytes of invalid input: non-printable and non-ASCII
// bytes are hex-escaped.

// Limits. Text lengths are counted in Unicode code points.
inline constexpr size_t kMinCertificateNumberChars = 4;
inline constexpr size_t kMaxCertificateNumberChars = 64;
inline constexpr size_t kMaxItemNameChars = 100;
inline constexpr size_t kMaxBasisEntries = 20;
inline constexpr size_t kMaxBasisChars = 100;
inline constexpr size_t kMaxHolderNameChars = 200;
inline constexpr size_t kMaxHolderAddressChars = 300;
inline constexpr size_t kMaxSites = 100;
inline constexpr size_t kMaxSiteNameChars = 200;
inline constexpr size_t kMaxSiteAddressChars = 300;
inline constexpr size_t kMaxScopeChars = 2000;
inline constexpr size_t kMaxBodyNameChars = 200;
// Free-text notes and reasons in statements (surveillance, suspension, ...).
inline constexpr size_t kMaxNoteChars = 1000;
// A unified social credit code is exactly this long.
inline constexpr size_t kUnifiedSocialCreditCodeLength = 18;
// Basis entries starting with this prefix make a certificate an after-sales
// service certificate that must carry a service grade.
inline constexpr absl::string_view kServiceGradeBasisPrefix = "GB/T 27922";

// Validates a certificate number (证书编号): 4 to 64 printable ASCII
// characters (0x21..0x7E; no spaces), e.g. "00216Q10097R1S",
// "00114E22766R2L/3502" or "CQC2024010101234567".
// Errors: empty, too short or too long, or any other byte (space, control
// character, non-ASCII).
absl::Status ValidateCertificateNumber(
    absl::string_view number, absl::string_view field = "certificate.number");

// Validates a certification body's approval number (机构批准号): exactly
// "CNCA-R-YYYY-NNN" (three digits) or "CNCA-RF-YYYY-NN" (two digits), with
// YYYY within 1990..2099, e.g. "CNCA-R-2002-001" or "CNCA-RF-2006-01".
// Errors: any other form or a year out of range.
absl::Status ValidateApprovalNumber(absl::string_view approval_number,
                                    absl::string_view field);

// Validates a unified social credit code (统一社会信用代码, GB 32100-2015):
// 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, Z, S, V),
// positions 3-8 (administrative division code) digits, and position 18 the
// check character over positions 1-17.
// Errors: wrong length, lower-case letters (never upper-cased silently),
// characters outside the alphabet, non-digits in positions 3-8, or a wrong
// check character (the message gives the found and the expected one).
absl::Status ValidateUnifiedSocialCreditCode(absl::string_view code,
                                             absl::string_view field);

// The GB 32100-2015 check character for the first 17 characters of a unified
// social credit code, e.g. for generating valid test codes.
// Errors (INVALID_ARGUMENT): `first17` is not 17 characters, or has a
// character the code may not hold at its position (as above).
absl::StatusOr<char> UnifiedSocialCreditCodeCheckCharacter(
    absl::string_view first17);

// Validates a certification item code: one upper-case letter, optionally
// followed by two digits and then optionally two more: "A", "A05", "A0501".
absl::Status ValidateItemCode(absl::string_view code, absl::string_view field);

// Validates free text: well-formed UTF-8 (no overlong forms, surrogates or
// code points above U+10FFFF), no control characters at all (C0 including
// tab and newline, DEL, C1), at most `max_chars` code points, and when
// `required` not empty after trimming ASCII whitespace.
absl::Status ValidateText(absl::string_view text, absl::string_view field,
                          size_t max_chars, bool required);

// Validates a whole certificate, with field paths under "certificate.":
// number; type set and known; item code and name (required); basis (at least
// one entry, each required); holder name, unified social credit code and
// address, and each site's name and address (required; at most kMaxSites
// sites); scope (required); first_issue_date, issue_date and expiry_date
// real days with first_issue_date <= issue_date < expiry_date;
// body_approval_number; body_name (required). service_grade is required and
// validated (ValidateServiceGrade) when any basis entry starts with
// "GB/T 27922", and must be absent (all fields zero) otherwise.
// Stops at the first error.
absl::Status ValidateCertificate(const v1::Certificate& certificate);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CERTIFICATE_VALIDATION_H_
