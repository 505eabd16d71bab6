#ifndef CERTREG_VERIFIER_RULES_CERTIFICATE_VALIDATION_H_
#define CERTREG_VERIFIER_RULES_CERTIFICATE_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
// The after-sales service standard whose certificates carry a service grade
// (商品售后服务评价体系), as most certificates spell it; IsServiceGradeBasis
// recognises it however it is spelled.
inline constexpr absl::string_view kServiceGradeStandard = "GB/T 27922";

// Validates a certificate number (证书编号) on its own, for any type of
// certificate and wherever a number is given (lookups, claims): 4 to 64
// printable ASCII characters (0x21..0x7E; no spaces), e.g. "00216Q10097R1S",
// "00114E22766R2L/3502" or "CQC2024010101234567".
// Errors: empty, too short or too long, or any other byte (space, control
// character, non-ASCII).
// ValidateCertificateNumberStructure adds the rules that depend on the
// certificate's type, body and recertification count.
absl::Status ValidateCertificateNumber(
    absl::string_view number, absl::string_view field = "certificate.number");

// The parts of a management-system certificate number (管理体系认证证书编号),
// e.g. "00226Q21540R2M" or "00114E22766R2L/3502":
//
//   002      body code: the last three digits of the body's approval number
//            CNCA-R-YYYY-NNN ("F" and the two digits for CNCA-RF-YYYY-NN,
//            see BodyCodeOfApprovalNumber)
//   26       two digits: the year of issue (not compared with the dates: a
//            certificate keeps its number when it is re-issued)
//   Q        one upper-case letter A-Z: the management system (Q quality,
//            E environment, S or O occupational health and safety, ...)
//   21540    the body's serial number: one or more digits
//   R2       'R' and the recertification count (再认证次数): digits without
//            leading zeros ("R0", "R2", "R10")
//   M        the organisation's size: S (small), M (medium) or L (large)
//   /3502    optional: '/' and four digits, a sub-certificate (子证书)
//
// This is the structure CNCA's numbering rule for management-system
// certificates gives and cx.cnca.cn shows; service and product certificates
// have no such published structure.
struct ManagementSystemNumber {
  std::string body_code;          // "002"
  std::string year;               // "26"
  char system = 0;                // 'Q'
  std::string serial;             // "21540"
  uint32_t recertifications = 0;  // 2
  char size = 0;                  // 'M'
  std::string sub_certificate;    // "3502", or empty
};

// Parses a management-system certificate number (see ManagementSystemNumber).
// Errors (INVALID_ARGUMENT, "<field>: ..."): the number does not have that
// structure; the message names the first part that does not fit and what was
// expected there.
absl::StatusOr<ManagementSystemNumber> ParseManagementSystemNumber(
    absl::string_view number, absl::string_view field = "certificate.number");

// The body code a management-system certificate number starts with for a
// body's approval number: the three digits NNN of "CNCA-R-YYYY-NNN" ("001"
// for CNCA-R-2002-001), and "F" followed by the two digits NN of
// "CNCA-RF-YYYY-NN" ("F01" for CNCA-RF-2006-01). No rule is published for
// foreign-invested bodies (外资认证机构, CNCA-RF): "F" + NN keeps every body's
// code distinct, where "0" + NN would give CNCA-RF-2006-01 the code of
// CNCA-R-2002-001.
// Errors: as ValidateApprovalNumber.
absl::StatusOr<std::string> BodyCodeOfApprovalNumber(
    absl::string_view approval_number,
    absl::string_view field = "certificate.body_approval_number");

// How much of a certificate's later history validation allows for.
struct CertificateValidationOptions {
  // A renewal (RENEW) raises recertification_count but keeps the number. Set
  // this when validating a certificate as it stands after its chain's events
  // (e.g. after a scope or holder change): a management-system number's "R"
  // count may then be lower than recertification_count, never higher. Unset
  // (the default), the two must be equal, as on issue.
  bool after_renewals = false;
};

// Validates the certificate number against the rest of the certificate:
//  - CERTIFICATION_TYPE_MANAGEMENT_SYSTEM: the number parses as a
//    ManagementSystemNumber, its body code is
//    BodyCodeOfApprovalNumber(body_approval_number) and its recertification
//    count equals recertification_count (is at most that with
//    options.after_renewals).
//  - service and product certificates (no published structure): the number
//    contains at least one digit, besides ValidateCertificateNumber.
// Errors (INVALID_ARGUMENT, "certificate.number: ..." saying what was
// expected), e.g.
//   certificate.number: body code "004" does not match body CNCA-R-2002-001
//   (expected "001")
// A malformed body_approval_number is reported on that field.
absl::Status ValidateCertificateNumberStructure(
    const v1::Certificate& certificate,
    const CertificateValidationOptions& options = {});

// Validates a certification body's approval number (机构批准号): exactly
// "CNCA-R-YYYY-NNN" (three digits) or "CNCA-RF-YYYY-NN" (two digits), with
// YYYY within 1990..2099, e.g. "CNCA-R-2002-001" or "CNCA-RF-2006-01".
// Errors: any other form or a year out of range.
absl::Status ValidateApprovalNumber(absl::string_view approval_number,
                                    absl::string_view field);

// Validates a unified social credit code (统一社会信用代码, GB 32100-2015),
// clause by clause:
//  - 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, Z, S,
//    V), in upper case;
//  - character 1, the registration management department (登记管理部门代码):
//    1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会,
//    9 工商, A 中央军委改革和编制办公室, N 农业, Y 其他;
//  - character 2, the organisation category (机构类别代码), from that
//    department's list: 1 → 1 机关, 2 事业单位, 3 中央编办直接管理机构编制的
//    群众团体, 9 其他; 2 → 1, 9; 3 → 1, 2, 3, 4, 5, 9; 4 → 1, 9;
//    5 → 1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他; 6 → 1, 2, 9;
//    7 → 1, 2, 9; 8 → 1, 9; 9 → 1 企业, 2 个体工商户, 3 农民专业合作社;
//    A → 1, 9; N → 1, 2, 3, 9; Y → 1;
//  - characters 3-8, the registering authority's administrative division
//    code (GB/T 2260): six digits, either "100000" (national-level
//    registration) or starting with a province-level code (see
//    ProvinceLevelDivisionOf);
//  - character 18, the check character over characters 1-17.
// Errors name the character and what was expected: wrong length, lower-case
// letters (never upper-cased silently), characters outside the alphabet,
// an unknown department or category, a division code that is no province's,
// or a wrong check character (found and expected), e.g.
//   f: character 1 '0' is not a registration management department code
//   (expected 1-9, A, N or Y)
absl::Status ValidateUnifiedSocialCreditCode(absl::string_view code,
                                             absl::string_view field);

// The GB 32100-2015 check character for the first 17 characters of a unified
// social credit code, e.g. for generating valid test codes.
// Errors (INVALID_ARGUMENT): `first17` is not 17 characters, or has a
// character outside the alphabet, a lower-case letter, or a non-digit in
// positions 3-8. Department, category and division code are not checked.
absl::StatusOr<char> UnifiedSocialCreditCodeCheckCharacter(
    absl::string_view first17);

// A province-level administrative division (省级行政区) of GB/T 2260.
struct ProvinceLevelDivision {
  absl::string_view code;  // two digits, e.g. "33"
  absl::string_view name;  // as addresses start, e.g. "浙江省", "北京市"
};

// The 34 province-level divisions, by code: 11-15, 21-23, 31-37, 41-46,
// 50-54, 61-65, 71, 81, 82.
const std::vector<ProvinceLevelDivision>& ProvinceLevelDivisions();

// The province-level division whose code `division_code` starts with (the
// first two characters, e.g. "330106" or "33"), or nullptr. "100000" (national
// registration) has none.
const ProvinceLevelDivision* ProvinceLevelDivisionOf(
    absl::string_view division_code);

// The province-level division a unified social credit code was registered in
// (characters 3-4), or nullptr when the code is shorter than 8 characters or
// was registered nationally ("100000") or its characters 3-4 name no province.
const ProvinceLevelDivision* CreditCodeProvince(absl::string_view code);

// True when `basis` names GB/T 27922 (商品售后服务评价体系), however it is
// spelled: after NormalizeBasis (full-width forms folded to ASCII, white space
// dropped, case and dashes folded) it starts with "GB/T27922" followed by the
// end, or by anything but a digit or a '.' and a digit (another standard's
// number or part). "GB/T 27922-2011", "GB/T27922-2011", "gb/t 27922",
// "ＧＢ／Ｔ　２７９２２" and "GB/T 27922—2011" are; "GB/T 279220",
// "GB/T 27922.1" and "参照 GB/T 27922-2011" are not.
bool IsServiceGradeBasis(absl::string_view basis);

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
// number (ValidateCertificateNumber); type set and known; item code and name
// (required); basis (at least one entry, each required); holder name,
// unified social credit code and address, and each site's name and address
// (required; at most kMaxSites sites); scope (required); first_issue_date,
// issue_date and expiry_date real days with first_issue_date <= issue_date <
// expiry_date; body_approval_number; body_name (required); the number against
// type, body and recertification count (ValidateCertificateNumberStructure,
// with `options`).
// When any basis entry is GB/T 27922 (IsServiceGradeBasis) the type must be
// CERTIFICATION_TYPE_SERVICE ("certificate.basis: ...") and service_grade is
// required and validated (ValidateServiceGrade); otherwise service_grade must
// be absent (all fields zero). Stops at the first error.
absl::Status ValidateCertificate(
    const v1::Certificate& certificate,
    const CertificateValidationOptions& options = {});

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_CERTIFICATE_VALIDATION_H_
