#include "verifier/certificate_validation.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "verifier/date.h"
#include "verifier/service_grade.h"
#include "verifier/status_macros.h"

namespace certreg {
namespace {

// The GB 32100-2015 alphabet; a character's value is its index.
constexpr absl::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Weights of positions 1..17.
constexpr int kUsccWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                  29, 25, 13, 8,  24, 10, 30, 28};
constexpr size_t kMaxQuotedBytes = 80;

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// `text` in double quotes, safe to put in a message: non-printable and
// non-ASCII bytes hex-escaped, long input cut short.
std::string Quote(absl::string_view text) {
  if (text.size() > kMaxQuotedBytes) {
    return absl::StrCat("\"", absl::CHexEscape(text.substr(0, kMaxQuotedBytes)),
                        "\"...");
  }
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

// One byte for a message: 'A' when printable ASCII, 0xNN otherwise.
std::string DescribeByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u <= 0x7E) return absl::StrFormat("'%c'", c);
  return absl::StrFormat("byte 0x%02X", u);
}

bool IsDigits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Checks the first 17 characters of a USCC (or all of them when
// `text.size() <= 17`) for characters the code may not hold.
// Positions in messages are 1-based.
absl::Status ValidateUsccCharacters(absl::string_view text,
                                    absl::string_view field) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const size_t position = i + 1;
    if (absl::ascii_islower(static_cast<unsigned char>(c))) {
      return Invalid(
          field,
          absl::StrCat("lower-case '", std::string(1, c), "' at position ",
                       position, "; the code must be written in upper case"));
    }
    if (kUsccAlphabet.find(c) == absl::string_view::npos) {
      if (c == 'I' || c == 'O' || c == 'Z' || c == 'S' || c == 'V') {
        return Invalid(
            field,
            absl::StrCat("'", std::string(1, c), "' at position ", position,
                         " is not allowed (the code never uses I, "
                         "O, Z, S or V)"));
      }
      return Invalid(field, absl::StrCat(DescribeByte(c), " at position ",
                                         position, " is not allowed"));
    }
    if (position >= 3 && position <= 8 &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return Invalid(field,
                     absl::StrCat(DescribeByte(c), " at position ", position,
                                  " is not a digit (positions 3-8 are the "
                                  "administrative division code)"));
    }
  }
  return absl::OkStatus();
}

// The check character for 17 characters already known to be valid.
char UsccCheckCharacter(absl::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    sum += static_cast<int>(kUsccAlphabet.find(first17[i])) * kUsccWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kUsccAlphabet[check];
}

// Decodes the UTF-8 sequence starting at text[*pos]; advances *pos past it.
// Returns false (leaving *pos) when the sequence is malformed: a stray
// continuation byte, truncation, an overlong form, a surrogate or a code
// point above U+10FFFF.
bool DecodeUtf8(absl::string_view text, size_t* pos, uint32_t* code_point) {
  const unsigned char lead = static_cast<unsigned char>(text[*pos]);
  size_t length;
  uint32_t value;
  uint32_t min_value;
  if (lead < 0x80) {
    *code_point = lead;
    ++*pos;
    return true;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
    min_value = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    min_value = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    min_value = 0x10000;
  } else {
    return false;
  }
  if (text.size() - *pos < length) return false;
  for (size_t i = 1; i < length; ++i) {
    const unsigned char next = static_cast<unsigned char>(text[*pos + i]);
    if ((next & 0xC0) != 0x80) return false;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return false;
  }
  *code_point = value;
  *pos += length;
  return true;
}

bool IsControl(uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

absl::Status ValidateDates(const v1::Certificate& c) {
  CERTREG_RETURN_IF_ERROR(
      ValidateDate(c.first_issue_date(), "certificate.first_issue_date"));
  CERTREG_RETURN_IF_ERROR(
      ValidateDate(c.issue_date(), "certificate.issue_date"));
  CERTREG_RETURN_IF_ERROR(
      ValidateDate(c.expiry_date(), "certificate.expiry_date"));
  if (ToCivilDay(c.issue_date()) < ToCivilDay(c.first_issue_date())) {
    return Invalid("certificate.issue_date",
                   absl::StrCat(FormatDate(c.issue_date()),
                                " is before certificate.first_issue_date ",
                                FormatDate(c.first_issue_date())));
  }
  if (ToCivilDay(c.expiry_date()) <= ToCivilDay(c.issue_date())) {
    return Invalid("certificate.expiry_date",
                   absl::StrCat(FormatDate(c.expiry_date()),
                                " must be after certificate.issue_date ",
                                FormatDate(c.issue_date())));
  }
  return absl::OkStatus();
}

absl::Status ValidateHolder(const v1::Holder& holder) {
  CERTREG_RETURN_IF_ERROR(ValidateText(holder.name(), "certificate.holder.name",
                                       kMaxHolderNameChars, true));
  CERTREG_RETURN_IF_ERROR(
      ValidateUnifiedSocialCreditCode(holder.unified_social_credit_code(),
                                      "certificate.holder.unified_social_"
                                      "credit_code"));
  CERTREG_RETURN_IF_ERROR(ValidateText(holder.address(),
                                       "certificate.holder.address",
                                       kMaxHolderAddressChars, true));
  if (static_cast<size_t>(holder.sites_size()) > kMaxSites) {
    return Invalid("certificate.holder.sites",
                   absl::StrCat(holder.sites_size(),
                                " sites exceed the limit of ", kMaxSites));
  }
  for (int i = 0; i < holder.sites_size(); ++i) {
    const std::string prefix =
        absl::StrCat("certificate.holder.sites[", i, "]");
    const v1::Site& site = holder.sites(i);
    CERTREG_RETURN_IF_ERROR(ValidateText(
        site.name(), absl::StrCat(prefix, ".name"), kMaxSiteNameChars, true));
    CERTREG_RETURN_IF_ERROR(ValidateText(site.address(),
                                         absl::StrCat(prefix, ".address"),
                                         kMaxSiteAddressChars, true));
  }
  return absl::OkStatus();
}

bool NeedsServiceGrade(const v1::Certificate& c) {
  for (const std::string& basis : c.basis()) {
    if (absl::StartsWith(basis, kServiceGradeBasisPrefix)) return true;
  }
  return false;
}

bool IsPresent(const v1::ServiceGrade& grade) {
  return grade.score() != 0 || grade.special_deductions() != 0 ||
         grade.star_level() != v1::STAR_LEVEL_UNSPECIFIED;
}

}  // namespace

absl::Status ValidateCertificateNumber(absl::string_view number,
                                       absl::string_view field) {
  if (number.empty()) return Invalid(field, "the number is required");
  for (size_t i = 0; i < number.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(number[i]);
    if (c < 0x21 || c > 0x7E) {
      return Invalid(
          field, absl::StrCat(
                     c == ' ' ? std::string("space") : DescribeByte(number[i]),
                     " at position ", i + 1,
                     " is not allowed; a certificate number is "
                     "printable ASCII without spaces"));
    }
  }
  if (number.size() < kMinCertificateNumberChars ||
      number.size() > kMaxCertificateNumberChars) {
    return Invalid(field, absl::StrCat(Quote(number), " has ", number.size(),
                                       " characters; a certificate number has ",
                                       kMinCertificateNumberChars, " to ",
                                       kMaxCertificateNumberChars));
  }
  return absl::OkStatus();
}

absl::Status ValidateApprovalNumber(absl::string_view approval_number,
                                    absl::string_view field) {
  absl::string_view rest = approval_number;
  size_t serial_digits = 0;
  if (absl::ConsumePrefix(&rest, "CNCA-RF-")) {
    serial_digits = 2;
  } else if (absl::ConsumePrefix(&rest, "CNCA-R-")) {
    serial_digits = 3;
  }
  int year = 0;
  if (serial_digits == 0 || rest.size() != 5 + serial_digits ||
      rest[4] != '-' || !IsDigits(rest.substr(0, 4)) ||
      !IsDigits(rest.substr(5)) ||
      !absl::SimpleAtoi(rest.substr(0, 4), &year)) {
    return Invalid(field, absl::StrCat(Quote(approval_number),
                                       " is not an approval number of the "
                                       "form CNCA-R-YYYY-NNN or "
                                       "CNCA-RF-YYYY-NN"));
  }
  if (year < 1990 || year > 2099) {
    return Invalid(field, absl::StrCat(Quote(approval_number), ": year ", year,
                                       " is outside 1990..2099"));
  }
  return absl::OkStatus();
}

absl::Status ValidateUnifiedSocialCreditCode(absl::string_view code,
                                             absl::string_view field) {
  if (code.size() != kUnifiedSocialCreditCodeLength) {
    return Invalid(field, absl::StrCat("a unified social credit code has ",
                                       kUnifiedSocialCreditCodeLength,
                                       " characters, got ", code.size()));
  }
  CERTREG_RETURN_IF_ERROR(ValidateUsccCharacters(code, field));
  const char expected = UsccCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return Invalid(
        field, absl::StrCat("check character is '", std::string(1, code[17]),
                            "', expected '", std::string(1, expected), "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<char> UnifiedSocialCreditCodeCheckCharacter(
    absl::string_view first17) {
  constexpr absl::string_view kField = "unified_social_credit_code";
  if (first17.size() != kUnifiedSocialCreditCodeLength - 1) {
    return Invalid(kField, absl::StrCat("the check character is computed over ",
                                        kUnifiedSocialCreditCodeLength - 1,
                                        " characters, got ", first17.size()));
  }
  CERTREG_RETURN_IF_ERROR(ValidateUsccCharacters(first17, kField));
  return UsccCheckCharacter(first17);
}

absl::Status ValidateItemCode(absl::string_view code, absl::string_view field) {
  const bool valid =
      (code.size() == 1 || code.size() == 3 || code.size() == 5) &&
      absl::ascii_isupper(static_cast<unsigned char>(code[0])) &&
      IsDigits(code.substr(1));
  if (!valid) {
    return Invalid(field, absl::StrCat(Quote(code),
                                       " is not an item code such as \"A\", "
                                       "\"A05\" or \"A0501\""));
  }
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view text, absl::string_view field,
                          size_t max_chars, bool required) {
  size_t chars = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    uint32_t code_point = 0;
    const size_t start = pos;
    if (!DecodeUtf8(text, &pos, &code_point)) {
      return Invalid(field, absl::StrCat("invalid UTF-8 at byte ", start));
    }
    if (IsControl(code_point)) {
      return Invalid(field,
                     absl::StrFormat("control character U+%04X at byte %d",
                                     code_point, start));
    }
    ++chars;
  }
  if (chars > max_chars) {
    return Invalid(
        field,
        absl::StrCat(chars, " characters exceed the limit of ", max_chars));
  }
  if (required && absl::StripAsciiWhitespace(text).empty()) {
    return Invalid(field, "a value is required");
  }
  return absl::OkStatus();
}

absl::Status ValidateCertificate(const v1::Certificate& c) {
  CERTREG_RETURN_IF_ERROR(
      ValidateCertificateNumber(c.number(), "certificate.number"));
  if (c.type() == v1::CERTIFICATION_TYPE_UNSPECIFIED ||
      !v1::CertificationType_IsValid(c.type())) {
    return Invalid("certificate.type",
                   absl::StrCat("a known certification type is required, got ",
                                static_cast<int>(c.type())));
  }
  CERTREG_RETURN_IF_ERROR(
      ValidateItemCode(c.item().code(), "certificate.item.code"));
  CERTREG_RETURN_IF_ERROR(ValidateText(c.item().name(), "certificate.item.name",
                                       kMaxItemNameChars, true));
  if (c.basis().empty()) {
    return Invalid("certificate.basis", "at least one standard is required");
  }
  if (static_cast<size_t>(c.basis_size()) > kMaxBasisEntries) {
    return Invalid("certificate.basis",
                   absl::StrCat(c.basis_size(), " entries exceed the limit of ",
                                kMaxBasisEntries));
  }
  for (int i = 0; i < c.basis_size(); ++i) {
    CERTREG_RETURN_IF_ERROR(
        ValidateText(c.basis(i), absl::StrCat("certificate.basis[", i, "]"),
                     kMaxBasisChars, true));
  }
  CERTREG_RETURN_IF_ERROR(ValidateHolder(c.holder()));
  CERTREG_RETURN_IF_ERROR(
      ValidateText(c.scope(), "certificate.scope", kMaxScopeChars, true));
  CERTREG_RETURN_IF_ERROR(ValidateDates(c));
  CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(
      c.body_approval_number(), "certificate.body_approval_number"));
  CERTREG_RETURN_IF_ERROR(ValidateText(c.body_name(), "certificate.body_name",
                                       kMaxBodyNameChars, true));
  if (NeedsServiceGrade(c)) {
    if (!IsPresent(c.service_grade())) {
      return Invalid("certificate.service_grade",
                     absl::StrCat("required for a certificate against ",
                                  kServiceGradeBasisPrefix));
    }
    CERTREG_RETURN_IF_ERROR(
        ValidateServiceGrade(c.service_grade(), "certificate.service_grade"));
  } else if (IsPresent(c.service_grade())) {
    return Invalid("certificate.service_grade",
                   absl::StrCat("only certificates against ",
                                kServiceGradeBasisPrefix, " are graded"));
  }
  return absl::OkStatus();
}

}  // namespace certreg
