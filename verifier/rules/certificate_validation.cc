// Every field check of a certificate in one file, over ~680 lines: most of it
// is the standards' own tables (GB 32100's departments and categories, the
// province codes) and one function per field, which share the quoting and
// error helpers at the top.
#include "verifier/rules/certificate_validation.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "verifier/base/status_macros.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"
#include "verifier/rules/text_normalize.h"

namespace certreg {
namespace {

// The GB 32100-2015 alphabet; a character's value is its index.
constexpr absl::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// Weights of positions 1..17.
constexpr int kUsccWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                  29, 25, 13, 8,  24, 10, 30, 28};
constexpr size_t kMaxQuotedBytes = 80;

// GB 32100-2015 character 1 (登记管理部门代码) and the character 2 values
// (机构类别代码) each department assigns.
struct RegistrationDepartment {
  char code;
  absl::string_view name;        // in English, for messages
  absl::string_view categories;  // allowed characters 2
};
constexpr RegistrationDepartment kRegistrationDepartments[] = {
    {'1', "establishment administration (机构编制)", "1239"},
    {'2', "foreign affairs (外交)", "19"},
    {'3', "judicial administration (司法行政)", "123459"},
    {'4', "culture (文化)", "19"},
    {'5', "civil affairs (民政)", "1239"},
    {'6', "tourism (旅游)", "129"},
    {'7', "religious affairs (宗教)", "129"},
    {'8', "trade unions (工会)", "19"},
    {'9', "industry and commerce (工商)", "123"},
    {'A', "the CMC reform and establishment office (中央军委改革和编制办公室)",
     "19"},
    {'N', "agriculture (农业)", "1239"},
    {'Y', "other (其他)", "1"},
};

// Characters 3-8 of a code registered at national level.
constexpr absl::string_view kNationalDivisionCode = "100000";

constexpr absl::string_view kManagementSystemNumberForm =
    "a management-system certificate number is body code (3 characters) + "
    "year (2 digits) + system letter + serial digits + 'R' + recertification "
    "count + size S/M/L [+ '/' + 4 digits], e.g. \"00226Q21540R2M\"";

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

// "a, b or c" for the characters of `chars`.
std::string ListCharacters(absl::string_view chars) {
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i > 0) out += i + 1 == chars.size() ? " or " : ", ";
    out.push_back(chars[i]);
  }
  return out;
}

const RegistrationDepartment* FindDepartment(char code) {
  for (const RegistrationDepartment& department : kRegistrationDepartments) {
    if (department.code == code) return &department;
  }
  return nullptr;
}

// Characters 1-8 of a code whose characters are already known to be valid:
// department, category and division code.
absl::Status ValidateUsccStructure(absl::string_view code,
                                   absl::string_view field) {
  const RegistrationDepartment* department = FindDepartment(code[0]);
  if (department == nullptr) {
    return Invalid(field, absl::StrCat("character 1 ", DescribeByte(code[0]),
                                       " is not a registration management "
                                       "department code (expected 1-9, A, N "
                                       "or Y)"));
  }
  if (department->categories.find(code[1]) == absl::string_view::npos) {
    return Invalid(
        field, absl::StrCat("character 2 ", DescribeByte(code[1]),
                            " is not an organisation category of department '",
                            std::string(1, department->code), "' ",
                            department->name, " (expected ",
                            ListCharacters(department->categories), ")"));
  }
  const absl::string_view division = code.substr(2, 6);
  if (division != kNationalDivisionCode &&
      ProvinceLevelDivisionOf(division) == nullptr) {
    return Invalid(
        field,
        absl::StrCat("characters 3-8 ", Quote(division),
                     " are not an administrative division code: characters "
                     "3-4 ",
                     Quote(division.substr(0, 2)),
                     " are no province-level code (expected 11-15, 21-23, "
                     "31-37, 41-46, 50-54, 61-65, 71, 81 or 82, or \"",
                     kNationalDivisionCode, "\" for national registration)"));
  }
  return absl::OkStatus();
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

// The first basis entry naming GB/T 27922, or nullptr.
const std::string* ServiceGradeBasis(const v1::Certificate& c) {
  for (const std::string& basis : c.basis()) {
    if (IsServiceGradeBasis(basis)) return &basis;
  }
  return nullptr;
}

// "MANAGEMENT_SYSTEM" for CERTIFICATION_TYPE_MANAGEMENT_SYSTEM.
std::string TypeName(v1::CertificationType type) {
  return std::string(absl::StripPrefix(v1::CertificationType_Name(type),
                                       "CERTIFICATION_TYPE_"));
}

// Consumes the leading ASCII digits of *text and returns them.
absl::string_view ConsumeDigits(absl::string_view* text) {
  size_t n = 0;
  while (n < text->size() &&
         absl::ascii_isdigit(static_cast<unsigned char>((*text)[n]))) {
    ++n;
  }
  absl::string_view digits = text->substr(0, n);
  text->remove_prefix(n);
  return digits;
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

absl::StatusOr<ManagementSystemNumber> ParseManagementSystemNumber(
    absl::string_view number, absl::string_view field) {
  absl::string_view rest = number;
  // 1-based position of rest[0] in `number`.
  const auto position = [&] { return number.size() - rest.size() + 1; };
  const auto fail = [&](absl::string_view problem) {
    return Invalid(field, absl::StrCat(Quote(number), ": ", problem, "; ",
                                       kManagementSystemNumberForm));
  };
  ManagementSystemNumber out;
  if (rest.size() < 3 || !(IsDigits(rest.substr(0, 3)) ||
                           (rest[0] == 'F' && IsDigits(rest.substr(1, 2))))) {
    return fail(
        "characters 1-3 are not a body code (3 digits, or 'F' and 2 digits)");
  }
  out.body_code = std::string(rest.substr(0, 3));
  rest.remove_prefix(3);
  if (rest.size() < 2 || !IsDigits(rest.substr(0, 2))) {
    return fail("characters 4-5 are not a two-digit year");
  }
  out.year = std::string(rest.substr(0, 2));
  rest.remove_prefix(2);
  if (rest.empty() ||
      !absl::ascii_isupper(static_cast<unsigned char>(rest[0]))) {
    return fail("character 6 is not a management-system letter A-Z");
  }
  out.system = rest[0];
  rest.remove_prefix(1);
  out.serial = std::string(ConsumeDigits(&rest));
  if (out.serial.empty()) {
    return fail("character 7 is not a digit of the serial number");
  }
  if (!absl::ConsumePrefix(&rest, "R")) {
    return fail(absl::StrCat(
        rest.empty() ? std::string("the number ends")
                     : absl::StrCat("character ", position(), " is ",
                                    DescribeByte(rest[0])),
        " after the serial number, expected 'R' and the recertification "
        "count"));
  }
  const size_t count_position = position();
  const absl::string_view count = ConsumeDigits(&rest);
  if (count.empty()) {
    return fail(
        absl::StrCat("expected the recertification count (digits) at "
                     "character ",
                     count_position));
  }
  if (count.size() > 1 && count[0] == '0') {
    return fail(absl::StrCat("recertification count \"", count,
                             "\" has a leading zero"));
  }
  if (count.size() > 9 || !absl::SimpleAtoi(count, &out.recertifications)) {
    return fail(
        absl::StrCat("recertification count \"", count, "\" is too large"));
  }
  if (rest.empty() || (rest[0] != 'S' && rest[0] != 'M' && rest[0] != 'L')) {
    return fail(absl::StrCat(
        rest.empty() ? std::string("the number ends")
                     : absl::StrCat("character ", position(), " is ",
                                    DescribeByte(rest[0])),
        " after the recertification count, expected the size S, M or L"));
  }
  out.size = rest[0];
  rest.remove_prefix(1);
  if (!rest.empty()) {
    if (rest.size() != 5 || rest[0] != '/' || !IsDigits(rest.substr(1))) {
      return fail(
          absl::StrCat("characters ", position(), "-", number.size(),
                       " are not a sub-certificate number ('/' and 4 digits)"));
    }
    out.sub_certificate = std::string(rest.substr(1));
  }
  return out;
}

absl::StatusOr<std::string> BodyCodeOfApprovalNumber(
    absl::string_view approval_number, absl::string_view field) {
  CERTREG_RETURN_IF_ERROR(ValidateApprovalNumber(approval_number, field));
  if (absl::StartsWith(approval_number, "CNCA-RF-")) {
    return absl::StrCat("F",
                        approval_number.substr(approval_number.size() - 2));
  }
  return std::string(approval_number.substr(approval_number.size() - 3));
}

absl::Status ValidateCertificateNumberStructure(
    const v1::Certificate& certificate,
    const CertificateValidationOptions& options) {
  constexpr absl::string_view kField = "certificate.number";
  const std::string& number = certificate.number();
  if (certificate.type() != v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM) {
    for (char c : number) {
      if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
        return absl::OkStatus();
      }
    }
    return Invalid(kField, absl::StrCat(Quote(number),
                                        " has no digit; a certificate number "
                                        "has at least one"));
  }
  CERTREG_ASSIGN_OR_RETURN(ManagementSystemNumber parsed,
                           ParseManagementSystemNumber(number, kField));
  CERTREG_ASSIGN_OR_RETURN(
      std::string body_code,
      BodyCodeOfApprovalNumber(certificate.body_approval_number(),
                               "certificate.body_approval_number"));
  if (parsed.body_code != body_code) {
    return Invalid(kField, absl::StrCat("body code ", Quote(parsed.body_code),
                                        " does not match body ",
                                        certificate.body_approval_number(),
                                        " (expected ", Quote(body_code), ")"));
  }
  const uint32_t count = certificate.recertification_count();
  if (options.after_renewals && parsed.recertifications > count) {
    return Invalid(
        kField, absl::StrCat("recertification count R", parsed.recertifications,
                             " exceeds certificate.recertification_count ",
                             count, " (expected at most \"R", count, "\")"));
  }
  if (!options.after_renewals && parsed.recertifications != count) {
    return Invalid(
        kField, absl::StrCat("recertification count R", parsed.recertifications,
                             " does not match "
                             "certificate.recertification_count ",
                             count, " (expected \"R", count, "\")"));
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
  CERTREG_RETURN_IF_ERROR(ValidateUsccStructure(code, field));
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

const std::vector<ProvinceLevelDivision>& ProvinceLevelDivisions() {
  static const auto* divisions = new std::vector<ProvinceLevelDivision>{
      {"11", "北京市"},           {"12", "天津市"},
      {"13", "河北省"},           {"14", "山西省"},
      {"15", "内蒙古自治区"},     {"21", "辽宁省"},
      {"22", "吉林省"},           {"23", "黑龙江省"},
      {"31", "上海市"},           {"32", "江苏省"},
      {"33", "浙江省"},           {"34", "安徽省"},
      {"35", "福建省"},           {"36", "江西省"},
      {"37", "山东省"},           {"41", "河南省"},
      {"42", "湖北省"},           {"43", "湖南省"},
      {"44", "广东省"},           {"45", "广西壮族自治区"},
      {"46", "海南省"},           {"50", "重庆市"},
      {"51", "四川省"},           {"52", "贵州省"},
      {"53", "云南省"},           {"54", "西藏自治区"},
      {"61", "陕西省"},           {"62", "甘肃省"},
      {"63", "青海省"},           {"64", "宁夏回族自治区"},
      {"65", "新疆维吾尔自治区"}, {"71", "台湾省"},
      {"81", "香港特别行政区"},   {"82", "澳门特别行政区"},
  };
  return *divisions;
}

const ProvinceLevelDivision* ProvinceLevelDivisionOf(
    absl::string_view division_code) {
  if (division_code.size() < 2) return nullptr;
  const absl::string_view province = division_code.substr(0, 2);
  for (const ProvinceLevelDivision& division : ProvinceLevelDivisions()) {
    if (division.code == province) return &division;
  }
  return nullptr;
}

const ProvinceLevelDivision* CreditCodeProvince(absl::string_view code) {
  if (code.size() < 8) return nullptr;
  return ProvinceLevelDivisionOf(code.substr(2, 2));
}

bool IsServiceGradeBasis(absl::string_view basis) {
  const std::string normalized = NormalizeBasis(basis);
  absl::string_view rest = normalized;
  if (!absl::ConsumePrefix(&rest, "gb/t27922")) return false;
  const auto digit_at = [&rest](size_t i) {
    return i < rest.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(rest[i]));
  };
  if (digit_at(0)) return false;                         // GB/T 279220
  if (!rest.empty() && rest[0] == '.' && digit_at(1)) {  // GB/T 27922.1
    return false;
  }
  return true;
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

absl::Status ValidateCertificate(const v1::Certificate& c,
                                 const CertificateValidationOptions& options) {
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
  CERTREG_RETURN_IF_ERROR(ValidateCertificateNumberStructure(c, options));
  if (const std::string* basis = ServiceGradeBasis(c); basis != nullptr) {
    if (c.type() != v1::CERTIFICATION_TYPE_SERVICE) {
      return Invalid(
          "certificate.basis",
          absl::StrCat(Quote(*basis), " is ", kServiceGradeStandard,
                       ", which grades after-sales service certificates "
                       "only; type is ",
                       TypeName(c.type()), " (expected SERVICE)"));
    }
    if (!IsPresent(c.service_grade())) {
      return Invalid("certificate.service_grade",
                     absl::StrCat("required for a certificate against ",
                                  kServiceGradeStandard));
    }
    CERTREG_RETURN_IF_ERROR(
        ValidateServiceGrade(c.service_grade(), "certificate.service_grade"));
  } else if (IsPresent(c.service_grade())) {
    return Invalid("certificate.service_grade",
                   absl::StrCat("only certificates against ",
                                kServiceGradeStandard, " are graded"));
  }
  return absl::OkStatus();
}

}  // namespace certreg
