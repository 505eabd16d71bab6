#include "verifier/rules/certificate_validation.h"

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Real public codes whose check characters we verified by hand.
constexpr const char* kValidUsccs[] = {
    "91350100M000100Y43",
    "91110000600037341L",
};

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

void ExpectInvalid(const absl::Status& status, absl::string_view field,
                   absl::string_view message_part = "") {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(Message(status), AllOf(StartsWith(absl::StrCat(field, ": ")),
                                     HasSubstr(std::string(message_part))));
}

// ----- Certificate number -----

TEST(ValidateCertificateNumberTest, AcceptsRealNumbers) {
  // Syntax only: what a number may look like for any type, e.g. in a lookup.
  // ValidateCertificateNumberStructure refuses "ABCD" for a certificate.
  for (const char* number :
       {"00216Q10097R1S", "00114E22766R2L/3502", "CQC2024010101234567",
        "0350122Q0111R0M", "ABCD", "!~#-"}) {
    EXPECT_TRUE(ValidateCertificateNumber(number).ok()) << number;
  }
  EXPECT_TRUE(ValidateCertificateNumber(std::string(64, 'A')).ok());
}

TEST(ValidateCertificateNumberTest, Refuses) {
  struct Case {
    std::string number;
    const char* message_part;
  };
  const Case cases[] = {
      {"", "required"},
      {"ABC", "has 3 characters"},
      {std::string(65, 'A'), "has 65 characters"},
      {"00216Q 10097R1S", "space at position 7"},
      {" 00216Q10097R1S", "space at position 1"},
      {"00216Q10097R1S\n", "byte 0x0A"},
      {std::string("0021\0006Q", 8), "byte 0x00"},
      {"00216Q\t10097", "byte 0x09"},
      {"00216Q\x7F", "byte 0x7F"},
      {"证书00216Q", "byte 0xE8"},
      {"ＣＱＣ2024", "byte 0xEF"},
  };
  for (const Case& c : cases) {
    ExpectInvalid(ValidateCertificateNumber(c.number), "certificate.number",
                  c.message_part);
  }
  ExpectInvalid(ValidateCertificateNumber("", "statement.certificate_number"),
                "statement.certificate_number");
}

// ----- Management-system certificate number structure -----

TEST(ParseManagementSystemNumberTest, ParsesParts) {
  struct Case {
    const char* number;
    const char* body_code;
    const char* year;
    char system;
    const char* serial;
    uint32_t recertifications;
    char size;
    const char* sub_certificate;
  };
  const Case cases[] = {
      {"00226Q21540R2M", "002", "26", 'Q', "21540", 2, 'M', ""},
      {"00114E22766R2L/3502", "001", "14", 'E', "22766", 2, 'L', "3502"},
      {"00216Q10097R1S", "002", "16", 'Q', "10097", 1, 'S', ""},
      {"F0106S1R0S", "F01", "06", 'S', "1", 0, 'S', ""},
      {"99999Z0123456789R10L/0000", "999", "99", 'Z', "0123456789", 10, 'L',
       "0000"},
      {"00000A0R0M", "000", "00", 'A', "0", 0, 'M', ""},
      // The system letter may be 'R'; the serial ends at the next 'R'.
      {"00226R21540R3M", "002", "26", 'R', "21540", 3, 'M', ""},
      {"00226Q1R999999999S", "002", "26", 'Q', "1", 999999999, 'S', ""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ManagementSystemNumber> parsed =
        ParseManagementSystemNumber(c.number);
    ASSERT_TRUE(parsed.ok()) << c.number << ": " << parsed.status();
    EXPECT_EQ(parsed->body_code, c.body_code) << c.number;
    EXPECT_EQ(parsed->year, c.year) << c.number;
    EXPECT_EQ(parsed->system, c.system) << c.number;
    EXPECT_EQ(parsed->serial, c.serial) << c.number;
    EXPECT_EQ(parsed->recertifications, c.recertifications) << c.number;
    EXPECT_EQ(parsed->size, c.size) << c.number;
    EXPECT_EQ(parsed->sub_certificate, c.sub_certificate) << c.number;
  }
}

TEST(ParseManagementSystemNumberTest, RefusesNamingThePart) {
  struct Case {
    const char* number;
    const char* message_part;
  };
  const Case cases[] = {
      {"ABCD", "characters 1-3 are not a body code"},
      {"", "characters 1-3 are not a body code"},
      {"00", "characters 1-3 are not a body code"},
      {"0A226Q21540R2M", "characters 1-3 are not a body code"},
      {"G0126Q21540R2M", "characters 1-3 are not a body code"},
      {"F0A26Q21540R2M", "characters 1-3 are not a body code"},
      {"f0126Q21540R2M", "characters 1-3 are not a body code"},
      {"002", "characters 4-5 are not a two-digit year"},
      {"0022", "characters 4-5 are not a two-digit year"},
      {"0022QQ21540R2M", "characters 4-5 are not a two-digit year"},
      {"00226", "character 6 is not a management-system letter A-Z"},
      {"002261", "character 6 is not a management-system letter A-Z"},
      {"00226q21540R2M", "character 6 is not a management-system letter A-Z"},
      {"00226Q", "character 7 is not a digit of the serial number"},
      {"00226QR2M", "character 7 is not a digit of the serial number"},
      {"00226Q21540", "the number ends after the serial number, expected 'R'"},
      {"00226Q21540X2M", "character 12 is 'X' after the serial number"},
      {"00226Q21540r2M", "character 12 is 'r' after the serial number"},
      {"00226Q21540R",
       "expected the recertification count (digits) at "
       "character 13"},
      {"00226Q21540RM", "expected the recertification count"},
      {"00226Q21540R02M", "recertification count \"02\" has a leading zero"},
      {"00226Q21540R1234567890M", "\"1234567890\" is too large"},
      {"00226Q21540R2",
       "the number ends after the recertification count, "
       "expected the size S, M or L"},
      {"00226Q21540R2X", "character 14 is 'X' after the recertification count"},
      {"00226Q21540R2m", "character 14 is 'm'"},
      {"00226Q21540R2M/", "characters 15-15 are not a sub-certificate"},
      {"00226Q21540R2M/350", "characters 15-18 are not a sub-certificate"},
      {"00226Q21540R2M/35021", "characters 15-20 are not a sub-certificate"},
      {"00226Q21540R2M-3502", "characters 15-19 are not a sub-certificate"},
      {"00226Q21540R2M/35A2", "are not a sub-certificate"},
      {"00226Q21540R2MS", "characters 15-15 are not a sub-certificate"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ManagementSystemNumber> parsed =
        ParseManagementSystemNumber(c.number, "certificate.number");
    ExpectInvalid(parsed.status(), "certificate.number", c.message_part);
    // Every message also says what a number looks like.
    EXPECT_THAT(Message(parsed.status()), HasSubstr("e.g. \"00226Q21540R2M\""))
        << c.number;
  }
}

TEST(BodyCodeOfApprovalNumberTest, LastDigitsOrFAndTwoDigits) {
  const std::pair<const char*, const char*> cases[] = {
      {"CNCA-R-2002-001", "001"}, {"CNCA-R-2011-902", "902"},
      {"CNCA-R-1990-999", "999"}, {"CNCA-R-2099-000", "000"},
      {"CNCA-RF-2006-01", "F01"}, {"CNCA-RF-2002-99", "F99"},
  };
  for (const auto& [approval, code] : cases) {
    absl::StatusOr<std::string> body_code = BodyCodeOfApprovalNumber(approval);
    ASSERT_TRUE(body_code.ok()) << approval << ": " << body_code.status();
    EXPECT_EQ(*body_code, code) << approval;
  }
  ExpectInvalid(BodyCodeOfApprovalNumber("CNCA-R-2002-01").status(),
                "certificate.body_approval_number", "CNCA-R-YYYY-NNN");
  ExpectInvalid(BodyCodeOfApprovalNumber("", "f").status(), "f",
                "CNCA-R-YYYY-NNN");
}

v1::Certificate NumberedCertificate(v1::CertificationType type,
                                    const std::string& number,
                                    const std::string& body,
                                    uint32_t recertifications) {
  v1::Certificate c;
  c.set_type(type);
  c.set_number(number);
  c.set_body_approval_number(body);
  c.set_recertification_count(recertifications);
  return c;
}

TEST(ValidateCertificateNumberStructureTest, AfterRenewals) {
  CertificateValidationOptions after_renewals;
  after_renewals.after_renewals = true;
  // Issued as R1, renewed twice: the number keeps "R1".
  v1::Certificate c =
      NumberedCertificate(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM,
                          "00126Q21540R1M", "CNCA-R-2002-001", 3);
  EXPECT_TRUE(ValidateCertificateNumberStructure(c, after_renewals).ok());
  ExpectInvalid(ValidateCertificateNumberStructure(c), "certificate.number",
                "(expected \"R3\")");
  c.set_recertification_count(1);
  EXPECT_TRUE(ValidateCertificateNumberStructure(c, after_renewals).ok());
  c.set_recertification_count(0);
  ExpectInvalid(ValidateCertificateNumberStructure(c, after_renewals),
                "certificate.number",
                "recertification count R1 exceeds "
                "certificate.recertification_count 0 (expected at most "
                "\"R0\")");
  // The body code is checked all the same.
  c.set_recertification_count(2);
  c.set_body_approval_number("CNCA-R-2002-002");
  ExpectInvalid(ValidateCertificateNumberStructure(c, after_renewals),
                "certificate.number", "(expected \"002\")");
}

TEST(ValidateCertificateNumberStructureTest, Table) {
  constexpr v1::CertificationType kMs =
      v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM;
  constexpr v1::CertificationType kService = v1::CERTIFICATION_TYPE_SERVICE;
  constexpr v1::CertificationType kProduct = v1::CERTIFICATION_TYPE_PRODUCT;
  struct Case {
    v1::CertificationType type;
    const char* number;
    const char* body;
    uint32_t recertifications;
    const char* field;         // nullptr: accepted
    const char* message_part;  // for a refusal
  };
  const Case cases[] = {
      // Management system: accepted.
      {kMs, "00126Q21540R2M", "CNCA-R-2002-001", 2, nullptr, ""},
      {kMs, "00114E22766R2L/3502", "CNCA-R-2002-001", 2, nullptr, ""},
      {kMs, "90116Q10097R0S", "CNCA-R-2002-901", 0, nullptr, ""},
      {kMs, "F0106S00001R1M", "CNCA-RF-2006-01", 1, nullptr, ""},
      {kMs, "00026Q1R10L", "CNCA-R-2099-000", 10, nullptr, ""},
      // Management system: refused.
      {kMs, "ABCD", "CNCA-R-2002-001", 0, "certificate.number",
       "\"ABCD\": characters 1-3 are not a body code"},
      {kMs, "CQC2024010101234567", "CNCA-R-2002-001", 0, "certificate.number",
       "not a body code"},
      {kMs, "00426Q21540R2M", "CNCA-R-2002-001", 2, "certificate.number",
       "body code \"004\" does not match body CNCA-R-2002-001 (expected "
       "\"001\")"},
      {kMs, "00126Q21540R2M", "CNCA-R-2002-101", 2, "certificate.number",
       "body code \"001\" does not match body CNCA-R-2002-101 (expected "
       "\"101\")"},
      // A foreign-invested body's code is "F" and its two digits, never
      // "0" and them.
      {kMs, "00106S00001R1M", "CNCA-RF-2006-01", 1, "certificate.number",
       "body code \"001\" does not match body CNCA-RF-2006-01 (expected "
       "\"F01\")"},
      {kMs, "F0106S00001R1M", "CNCA-R-2002-001", 1, "certificate.number",
       "(expected \"001\")"},
      {kMs, "00126Q21540R1M", "CNCA-R-2002-001", 2, "certificate.number",
       "recertification count R1 does not match "
       "certificate.recertification_count 2 (expected \"R2\")"},
      {kMs, "00126Q21540R0M", "CNCA-R-2002-001", 1, "certificate.number",
       "(expected \"R1\")"},
      {kMs, "00126Q21540R3M/0001", "CNCA-R-2002-001", 2, "certificate.number",
       "recertification count R3"},
      {kMs, "00126Q21540R2M", "CNCA-R-02-001", 2,
       "certificate.body_approval_number", "CNCA-R-YYYY-NNN"},
      {kMs, "00126Q21540R2M", "", 2, "certificate.body_approval_number",
       "CNCA-R-YYYY-NNN"},
      // Service and product: any printable number with a digit, whatever
      // the body and count.
      {kService, "04524S00317R0L", "CNCA-R-2002-001", 3, nullptr, ""},
      {kService, "CQC2024010101234567", "CNCA-R-2002-001", 0, nullptr, ""},
      {kProduct, "CQC-P-1", "", 0, nullptr, ""},
      {kProduct, "0000", "", 0, nullptr, ""},
      {kService, "ABCD", "CNCA-R-2002-001", 0, "certificate.number",
       "\"ABCD\" has no digit"},
      {kProduct, "CQC-P-X", "CNCA-R-2002-001", 0, "certificate.number",
       "has no digit"},
  };
  for (const Case& c : cases) {
    absl::Status status = ValidateCertificateNumberStructure(
        NumberedCertificate(c.type, c.number, c.body, c.recertifications));
    if (c.field == nullptr) {
      EXPECT_TRUE(status.ok()) << c.number << ": " << status;
    } else {
      ExpectInvalid(status, c.field, c.message_part);
    }
  }
}

// ----- Approval number -----

TEST(ValidateApprovalNumberTest, Accepts) {
  for (const char* number :
       {"CNCA-R-2002-001", "CNCA-RF-2006-01", "CNCA-R-1990-999",
        "CNCA-R-2099-000", "CNCA-RF-2099-99"}) {
    EXPECT_TRUE(ValidateApprovalNumber(number, "f").ok()) << number;
  }
}

TEST(ValidateApprovalNumberTest, Refuses) {
  for (const char* number :
       {"", "CNCA-R-2002-01", "CNCA-R-2002-0001", "CNCA-RF-2006-001",
        "CNCA-RF-2006-1", "cnca-r-2002-001", "CNCA-R-02-001", "CNCA-R-2002001",
        "CNCA-R-2002-00A", "CNCA-X-2002-001", "CNCA-R-2002-001 ",
        " CNCA-R-2002-001", "CNCA-R-+002-001", "CNCA-R-2002--01",
        "CNCA-F-2006-01", "CNAS-R-2002-001"}) {
    ExpectInvalid(ValidateApprovalNumber(number, "certificate.body"),
                  "certificate.body", "CNCA-R-YYYY-NNN");
  }
  ExpectInvalid(ValidateApprovalNumber("CNCA-R-1989-001", "f"), "f",
                "year 1989");
  ExpectInvalid(ValidateApprovalNumber("CNCA-RF-2100-01", "f"), "f",
                "year 2100");
}

// ----- Unified social credit code -----

TEST(UnifiedSocialCreditCodeTest, AcceptsKnownGoodCodes) {
  for (const char* code : kValidUsccs) {
    EXPECT_TRUE(ValidateUnifiedSocialCreditCode(code, "f").ok()) << code;
  }
}

TEST(UnifiedSocialCreditCodeTest, CheckCharacterOfKnownCodes) {
  for (const char* code : kValidUsccs) {
    absl::StatusOr<char> check =
        UnifiedSocialCreditCodeCheckCharacter(absl::string_view(code, 17));
    ASSERT_TRUE(check.ok()) << check.status();
    EXPECT_EQ(*check, code[17]) << code;
  }
}

TEST(UnifiedSocialCreditCodeTest, GeneratedCodesValidate) {
  // Check value 0 (sum divisible by 31) maps to '0', not to a 32nd character.
  for (const char* first17 :
       {"91110000600037341", "12100000400000000", "Y1110000000000000",
        "A1310115MA1K3YJ12", "N2330106000000000", "31820000YYYYYYYYY"}) {
    absl::StatusOr<char> check = UnifiedSocialCreditCodeCheckCharacter(first17);
    ASSERT_TRUE(check.ok()) << first17 << ": " << check.status();
    const std::string code = absl::StrCat(first17, std::string(1, *check));
    EXPECT_TRUE(ValidateUnifiedSocialCreditCode(code, "f").ok()) << code;
  }
  // The check character is computed for any characters the code may hold;
  // department, category and division are the validation's business.
  for (const char* first17 : {"00000000000000000", "YY000000YYYYYYYYY"}) {
    EXPECT_TRUE(UnifiedSocialCreditCodeCheckCharacter(first17).ok()) << first17;
  }
  absl::StatusOr<char> zeros =
      UnifiedSocialCreditCodeCheckCharacter("00000000000000000");
  ASSERT_TRUE(zeros.ok());
  EXPECT_EQ(*zeros, '0');
}

// `first8` completed with a fixed organisation code and the right check
// character, so that only characters 1-8 can be wrong.
std::string CodeStartingWith(absl::string_view first8) {
  const std::string first17 = absl::StrCat(first8, "MA1K3YJ12");
  absl::StatusOr<char> check = UnifiedSocialCreditCodeCheckCharacter(first17);
  EXPECT_TRUE(check.ok()) << first17 << ": " << check.status();
  return absl::StrCat(first17, std::string(1, check.value_or('0')));
}

TEST(UnifiedSocialCreditCodeTest, AllZerosNamesCharacterOne) {
  ExpectInvalid(
      ValidateUnifiedSocialCreditCode("000000000000000000",
                                      "certificate.holder.unified_social_"
                                      "credit_code"),
      "certificate.holder.unified_social_credit_code",
      "character 1 '0' is not a registration management department code "
      "(expected 1-9, A, N or Y)");
}

TEST(UnifiedSocialCreditCodeTest, DepartmentsAndCategories) {
  // GB 32100-2015 Annex A: each department and the categories it assigns.
  const std::pair<char, const char*> table[] = {
      {'1', "1239"}, {'2', "19"},  {'3', "123459"}, {'4', "19"},
      {'5', "1239"}, {'6', "129"}, {'7', "129"},    {'8', "19"},
      {'9', "123"},  {'A', "19"},  {'N', "1239"},   {'Y', "1"},
  };
  const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (const auto& [department, categories] : table) {
    for (char category : alphabet) {
      const std::string code = CodeStartingWith(absl::StrCat(
          std::string(1, department), std::string(1, category), "330106"));
      const bool allowed = absl::string_view(categories).find(category) !=
                           absl::string_view::npos;
      absl::Status status = ValidateUnifiedSocialCreditCode(code, "f");
      if (allowed) {
        EXPECT_TRUE(status.ok()) << code << ": " << status;
      } else {
        ExpectInvalid(status, "f",
                      absl::StrCat("character 2 '", std::string(1, category),
                                   "' is not an organisation category of "
                                   "department '",
                                   std::string(1, department), "'"));
      }
    }
  }
  // Every other character 1 is refused.
  for (char department : alphabet) {
    if (absl::string_view("123456789ANY").find(department) !=
        absl::string_view::npos) {
      continue;
    }
    ExpectInvalid(
        ValidateUnifiedSocialCreditCode(
            CodeStartingWith(
                absl::StrCat(std::string(1, department), "1", "330106")),
            "f"),
        "f",
        absl::StrCat("character 1 '", std::string(1, department),
                     "' is not a registration management department code"));
  }
}

TEST(UnifiedSocialCreditCodeTest, CategoryMessagesSayWhatIsExpected) {
  ExpectInvalid(
      ValidateUnifiedSocialCreditCode(CodeStartingWith("94110000"), "f"), "f",
      "character 2 '4' is not an organisation category of "
      "department '9' industry and commerce (工商) (expected 1, 2 "
      "or 3)");
  ExpectInvalid(
      ValidateUnifiedSocialCreditCode(CodeStartingWith("Y2110000"), "f"), "f",
      "(expected 1)");
  ExpectInvalid(
      ValidateUnifiedSocialCreditCode(CodeStartingWith("16110000"), "f"), "f",
      "(expected 1, 2, 3 or 9)");
}

TEST(UnifiedSocialCreditCodeTest, DivisionCodes) {
  // Every province-level code, at both ends of its range and beyond.
  const char* accepted[] = {"110000", "110108", "150000", "210000", "230000",
                            "310115", "330100", "330106", "370200", "410100",
                            "460000", "500000", "540000", "610100", "650000",
                            "710000", "810000", "820000", "100000", "119999"};
  for (const char* division : accepted) {
    const std::string code = CodeStartingWith(absl::StrCat("91", division));
    absl::Status status = ValidateUnifiedSocialCreditCode(code, "f");
    EXPECT_TRUE(status.ok()) << code << ": " << status;
  }
  const char* refused[] = {
      "000000", "100001", "101000", "109999", "160000", "200000", "240000",
      "300000", "380000", "400000", "470000", "490000", "550000", "600000",
      "660000", "700000", "720000", "800000", "830000", "900000", "990000"};
  for (const char* division : refused) {
    const std::string code = CodeStartingWith(absl::StrCat("91", division));
    ExpectInvalid(ValidateUnifiedSocialCreditCode(code, "f"), "f",
                  absl::StrCat("characters 3-8 \"", division,
                               "\" are not an administrative division code: "
                               "characters 3-4 \"",
                               absl::string_view(division).substr(0, 2),
                               "\" are no province-level code (expected "
                               "11-15, 21-23, 31-37, 41-46, 50-54, 61-65, "
                               "71, 81 or 82, or \"100000\" for national "
                               "registration)"));
  }
}

TEST(UnifiedSocialCreditCodeTest, StructureIsCheckedBeforeTheCheckCharacter) {
  // A wrong department with a wrong check character names the department.
  ExpectInvalid(ValidateUnifiedSocialCreditCode("01350100M000100Y43", "f"), "f",
                "character 1 '0'");
}

TEST(ProvinceLevelDivisionTest, Table) {
  EXPECT_EQ(ProvinceLevelDivisions().size(), 34u);
  const std::pair<const char*, const char*> cases[] = {
      {"330106", "浙江省"},
      {"370200", "山东省"},
      {"11", "北京市"},
      {"310115", "上海市"},
      {"440300", "广东省"},
      {"650000", "新疆维吾尔自治区"},
      {"820000", "澳门特别行政区"},
  };
  for (const auto& [division, name] : cases) {
    const ProvinceLevelDivision* province = ProvinceLevelDivisionOf(division);
    ASSERT_NE(province, nullptr) << division;
    EXPECT_EQ(province->name, name);
    EXPECT_EQ(province->code, absl::string_view(division).substr(0, 2));
  }
  for (const char* division : {"100000", "10", "00", "1", "", "99", "2x"}) {
    EXPECT_EQ(ProvinceLevelDivisionOf(division), nullptr) << division;
  }
  // Every code in the table is one ValidateUnifiedSocialCreditCode accepts.
  for (const ProvinceLevelDivision& province : ProvinceLevelDivisions()) {
    const std::string code =
        CodeStartingWith(absl::StrCat("91", province.code, "0000"));
    EXPECT_TRUE(ValidateUnifiedSocialCreditCode(code, "f").ok()) << code;
    EXPECT_EQ(CreditCodeProvince(code), &province);
  }
}

TEST(ProvinceLevelDivisionTest, CreditCodeProvince) {
  const ProvinceLevelDivision* fuzhou =
      CreditCodeProvince("91350100M000100Y43");
  ASSERT_NE(fuzhou, nullptr);
  EXPECT_EQ(fuzhou->name, "福建省");
  EXPECT_EQ(CreditCodeProvince("12100000400000000X"), nullptr);  // national
  EXPECT_EQ(CreditCodeProvince("9133"), nullptr);
  EXPECT_EQ(CreditCodeProvince(""), nullptr);
}

TEST(UnifiedSocialCreditCodeTest, RefusesChangedCheckCharacter) {
  absl::Status status = ValidateUnifiedSocialCreditCode(
      "91350100M000100Y4X", "certificate.holder.unified_social_credit_code");
  ExpectInvalid(status, "certificate.holder.unified_social_credit_code",
                "check character is 'X', expected '3'");
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91110000600037341K", "f"), "f",
                "expected 'L'");
}

TEST(UnifiedSocialCreditCodeTest, RefusesChangedBody) {
  // One changed character in positions 1-17 is always caught.
  const std::string good = "91350100M000100Y43";
  for (size_t i = 0; i < 17; ++i) {
    if (i >= 2 && i <= 7) continue;  // Positions 3-8 must stay digits.
    std::string bad = good;
    bad[i] = bad[i] == '1' ? '2' : '1';
    ExpectInvalid(ValidateUnifiedSocialCreditCode(bad, "f"), "f",
                  "check character");
  }
}

TEST(UnifiedSocialCreditCodeTest, RefusesWrongLength) {
  ExpectInvalid(ValidateUnifiedSocialCreditCode("", "f"), "f", "got 0");
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91350100M000100Y4", "f"), "f",
                "got 17");
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91350100M000100Y430", "f"),
                "f", "got 19");
  EXPECT_FALSE(UnifiedSocialCreditCodeCheckCharacter("9135").ok());
  EXPECT_FALSE(
      UnifiedSocialCreditCodeCheckCharacter("91350100M000100Y43").ok());
}

TEST(UnifiedSocialCreditCodeTest, RefusesForbiddenLetters) {
  for (char letter : {'I', 'O', 'Z', 'S', 'V'}) {
    std::string code = "91350100M000100Y43";
    code[8] = letter;
    ExpectInvalid(ValidateUnifiedSocialCreditCode(code, "f"), "f",
                  absl::StrCat("'", std::string(1, letter),
                               "' at position 9 is not allowed"));
    std::string first17 = code.substr(0, 17);
    EXPECT_FALSE(UnifiedSocialCreditCodeCheckCharacter(first17).ok())
        << first17;
  }
}

TEST(UnifiedSocialCreditCodeTest, RefusesLowerCase) {
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91110000600037341l", "f"), "f",
                "lower-case 'l' at position 18");
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91350100m000100Y43", "f"), "f",
                "upper case");
  EXPECT_FALSE(UnifiedSocialCreditCodeCheckCharacter("91350100m000100y4").ok());
}

TEST(UnifiedSocialCreditCodeTest, RefusesOtherCharacters) {
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91A50100M000100Y43", "f"), "f",
                "position 3 is not a digit");
  ExpectInvalid(ValidateUnifiedSocialCreditCode("913501-0M000100Y43", "f"), "f",
                "'-' at position 7");
  ExpectInvalid(ValidateUnifiedSocialCreditCode("91350100M000100Y4 ", "f"), "f",
                "byte 0x20 at position 18");
  // 18 bytes, but not ASCII.
  ExpectInvalid(ValidateUnifiedSocialCreditCode("913501０0M000100Y", "f"), "f",
                "byte 0xEF at position 7");
}

// ----- GB/T 27922 basis -----

TEST(IsServiceGradeBasisTest, RecognisesEverySpelling) {
  for (const char* basis : {
           "GB/T 27922-2011",
           "GB/T27922-2011",
           "GB/T 27922",
           "GB/T27922",
           "gb/t 27922-2011",
           "Gb/T 27922",
           "  GB / T  27922 - 2011  ",
           "ＧＢ／Ｔ　２７９２２",
           "ＧＢ／Ｔ　２７９２２－２０１１",
           "GB/T\u300027922-2011",
           "GB/T 27922\u20142011",
           "GB/T 27922\u20132011",
           "GB/T 27922-2011 商品售后服务评价体系",
           "GB/T 27922《商品售后服务评价体系》",
           "GB/T 27922(2011)",
           "GB/T 27922/ISO 10002",
           "GB/T 27922.",
       }) {
    EXPECT_TRUE(IsServiceGradeBasis(basis)) << basis;
  }
}

TEST(IsServiceGradeBasisTest, RefusesOtherStandards) {
  for (const char* basis : {
           "GB/T 279220",
           "GB/T 2792",
           "GB/T 2792-2011",
           "GB/T 27922.1-2020",
           "GB/T 27922 2011",  // spaces are dropped: "27922" + "2011"
           "GB 27922-2011",
           "GB/Z 27922",
           "GBT 27922",
           "参照 GB/T 27922-2011",
           "GB/T 19001-2016/GB/T 27922-2011",
           "ＧＢ／Ｔ　２７９２２０",
           "",
       }) {
    EXPECT_FALSE(IsServiceGradeBasis(basis)) << basis;
  }
}

// ----- Item code -----

TEST(ValidateItemCodeTest, Accepts) {
  for (const char* code : {"A", "A05", "A0501", "Z", "P99", "B0000"}) {
    EXPECT_TRUE(ValidateItemCode(code, "f").ok()) << code;
  }
}

TEST(ValidateItemCodeTest, Refuses) {
  for (const char* code : {"", "a", "a05", "A0", "A050", "A05011", "AA", "A5A",
                           "05", "A 05", "A05 ", "Ａ"}) {
    ExpectInvalid(ValidateItemCode(code, "certificate.item.code"),
                  "certificate.item.code", "item code");
  }
}

// ----- Text -----

TEST(ValidateTextTest, AcceptsUtf8AndCountsCodePoints) {
  EXPECT_TRUE(ValidateText("青岛海尔股份有限公司", "f", 10, true).ok());
  ExpectInvalid(ValidateText("青岛海尔股份有限公司", "f", 9, true), "f",
                "10 characters exceed the limit of 9");
  EXPECT_TRUE(ValidateText("😀😀", "f", 2, true).ok());
  EXPECT_TRUE(ValidateText("", "f", 0, false).ok());
  EXPECT_TRUE(ValidateText("   ", "f", 10, false).ok());
  EXPECT_TRUE(ValidateText("质量管理体系认证（ISO9001）", "f", 100, true).ok());
  EXPECT_TRUE(ValidateText("\u00A0\u3000x", "f", 3, true).ok());
}

TEST(ValidateTextTest, RequiredRefusesEmptyAndBlank) {
  ExpectInvalid(ValidateText("", "f", 10, true), "f", "required");
  ExpectInvalid(ValidateText("   ", "f", 10, true), "f", "required");
}

TEST(ValidateTextTest, RefusesControlCharacters) {
  for (const std::string& text :
       {std::string("a\nb"), std::string("a\tb"), std::string("a\rb"),
        std::string("a\x7F"), std::string("a\0b", 3), std::string("a\xC2\x85"),
        std::string("\x1B[31m")}) {
    ExpectInvalid(ValidateText(text, "f", 100, false), "f",
                  "control character");
  }
}

TEST(ValidateTextTest, RefusesInvalidUtf8) {
  for (const std::string& text :
       {std::string("\xFF"), std::string("a\x80"), std::string("\xC0\xAF"),
        std::string("\xE0\x80\xAF"), std::string("\xED\xA0\x80"),
        std::string("\xF4\x90\x80\x80"), std::string("\xF5\x80\x80\x80"),
        std::string("\xE9\x9D"), std::string("\xC3"),
        std::string("\xE9\x9D"
                    "A")}) {
    ExpectInvalid(ValidateText(text, "f", 100, false), "f", "invalid UTF-8");
  }
}

// ----- Whole certificate -----

v1::Date Day(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::Certificate ValidCertificate() {
  v1::Certificate c;
  c.set_number("00123Q10097R2S");
  c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  c.mutable_item()->set_code("A0501");
  c.mutable_item()->set_name("质量管理体系认证（ISO9001）");
  c.add_basis("GB/T 19001-2016/ISO 9001:2015");
  v1::Holder* holder = c.mutable_holder();
  holder->set_name("福州示例有限公司");
  holder->set_unified_social_credit_code("91350100M000100Y43");
  holder->set_address("福建省福州市鼓楼区示例路1号");
  v1::Site* site = holder->add_sites();
  site->set_name("第一工厂");
  site->set_address("福建省福州市仓山区示例路2号");
  c.set_scope("电子产品的设计和生产");
  *c.mutable_first_issue_date() = Day(2017, 3, 1);
  *c.mutable_issue_date() = Day(2023, 3, 1);
  *c.mutable_expiry_date() = Day(2026, 2, 28);
  c.set_body_approval_number("CNCA-R-2002-001");
  c.set_body_name("中国质量认证中心");
  c.set_recertification_count(2);
  return c;
}

v1::Certificate ValidServiceCertificate() {
  v1::Certificate c = ValidCertificate();
  c.set_number("00123S00317R2L");
  c.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  c.mutable_item()->set_code("E01");
  c.mutable_item()->set_name("商品售后服务评价认证");
  c.clear_basis();
  c.add_basis("GB/T 27922-2011");
  c.mutable_service_grade()->set_score(96);
  c.mutable_service_grade()->set_special_deductions(4);
  c.mutable_service_grade()->set_star_level(v1::STAR_LEVEL_FOUR);
  return c;
}

TEST(ValidateCertificateTest, AcceptsValidCertificates) {
  EXPECT_TRUE(ValidateCertificate(ValidCertificate()).ok())
      << ValidateCertificate(ValidCertificate());
  EXPECT_TRUE(ValidateCertificate(ValidServiceCertificate()).ok())
      << ValidateCertificate(ValidServiceCertificate());
}

TEST(ValidateCertificateTest, AfterRenewalsAllowsAHigherCount) {
  v1::Certificate renewed = ValidCertificate();
  renewed.set_recertification_count(3);  // issued as R2, renewed once
  ExpectInvalid(ValidateCertificate(renewed), "certificate.number",
                "(expected \"R3\")");
  CertificateValidationOptions options;
  options.after_renewals = true;
  EXPECT_TRUE(ValidateCertificate(renewed, options).ok());
}

TEST(ValidateCertificateTest, AcceptsGb27922HoweverSpelled) {
  for (const char* basis : {"GB/T 27922-2011", "GB/T27922-2011", "gb/t 27922",
                            "ＧＢ／Ｔ　２７９２２", "GB/T 27922—2011"}) {
    v1::Certificate c = ValidServiceCertificate();
    c.set_basis(0, basis);
    EXPECT_TRUE(ValidateCertificate(c).ok())
        << basis << ": " << ValidateCertificate(c);
    // And each spelling needs the grade.
    c.clear_service_grade();
    ExpectInvalid(ValidateCertificate(c), "certificate.service_grade",
                  "required for a certificate against GB/T 27922");
  }
}

struct AcceptCase {
  const char* name;
  std::function<void(v1::Certificate*)> mutate;
};

class ValidateCertificateAcceptTest
    : public ::testing::TestWithParam<AcceptCase> {};

TEST_P(ValidateCertificateAcceptTest, Accepts) {
  v1::Certificate c = ValidCertificate();
  GetParam().mutate(&c);
  absl::Status status = ValidateCertificate(c);
  EXPECT_TRUE(status.ok()) << GetParam().name << ": " << status;
}

INSTANTIATE_TEST_SUITE_P(
    Mutations, ValidateCertificateAcceptTest,
    ::testing::Values(
        AcceptCase{
            "number_with_slash",
            [](v1::Certificate* c) { c->set_number("00114E22766R2L/3502"); }},
        AcceptCase{"cqc_number_product",
                   [](v1::Certificate* c) {
                     c->set_type(v1::CERTIFICATION_TYPE_PRODUCT);
                     c->set_number("CQC2024010101234567");
                   }},
        AcceptCase{"first_certificate",
                   [](v1::Certificate* c) {
                     c->set_number("00123Q10097R0S");
                     c->set_recertification_count(0);
                   }},
        AcceptCase{
            "level_one_item",
            [](v1::Certificate* c) { c->mutable_item()->set_code("A"); }},
        AcceptCase{"product_type",
                   [](v1::Certificate* c) {
                     c->set_type(v1::CERTIFICATION_TYPE_PRODUCT);
                   }},
        AcceptCase{
            "no_sites",
            [](v1::Certificate* c) { c->mutable_holder()->clear_sites(); }},
        AcceptCase{"max_sites",
                   [](v1::Certificate* c) {
                     for (size_t i = 1; i < kMaxSites; ++i) {
                       *c->mutable_holder()->add_sites() = c->holder().sites(0);
                     }
                   }},
        AcceptCase{"other_uscc",
                   [](v1::Certificate* c) {
                     c->mutable_holder()->set_unified_social_credit_code(
                         "91110000600037341L");
                   }},
        AcceptCase{"first_issue_equals_issue",
                   [](v1::Certificate* c) {
                     *c->mutable_first_issue_date() = c->issue_date();
                   }},
        AcceptCase{"expiry_day_after_issue",
                   [](v1::Certificate* c) {
                     *c->mutable_expiry_date() = Day(2023, 3, 2);
                   }},
        AcceptCase{"rf_body",
                   [](v1::Certificate* c) {
                     c->set_body_approval_number("CNCA-RF-2006-01");
                     c->set_number("F0123Q10097R2S");
                   }},
        AcceptCase{"national_uscc",
                   [](v1::Certificate* c) {
                     c->mutable_holder()->set_unified_social_credit_code(
                         CodeStartingWith("12100000"));
                   }},
        AcceptCase{"max_scope",
                   [](v1::Certificate* c) {
                     std::string scope;
                     for (size_t i = 0; i < kMaxScopeChars; ++i) {
                       scope += "范";
                     }
                     c->set_scope(scope);
                   }},
        AcceptCase{"several_basis",
                   [](v1::Certificate* c) {
                     c->add_basis("GB/T 24001-2016/ISO 14001:2015");
                   }},
        AcceptCase{
            "27922_not_at_start",
            [](v1::Certificate* c) { c->add_basis("参照 GB/T 27922-2011"); }},
        AcceptCase{"empty_service_grade_message",
                   [](v1::Certificate* c) {
                     c->mutable_service_grade();  // present but all zero
                   }}),
    [](const ::testing::TestParamInfo<AcceptCase>& info) {
      return std::string(info.param.name);
    });

struct RefuseCase {
  const char* name;
  std::function<void(v1::Certificate*)> mutate;
  const char* field;
  const char* message_part;
  bool service = false;  // Start from ValidServiceCertificate().
};

class ValidateCertificateRefuseTest
    : public ::testing::TestWithParam<RefuseCase> {};

TEST_P(ValidateCertificateRefuseTest, RefusesNamingField) {
  const RefuseCase& param = GetParam();
  v1::Certificate c =
      param.service ? ValidServiceCertificate() : ValidCertificate();
  param.mutate(&c);
  absl::Status status = ValidateCertificate(c);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
      << param.name << ": " << status;
  EXPECT_THAT(Message(status),
              AllOf(StartsWith(absl::StrCat(param.field, ": ")),
                    HasSubstr(param.message_part)))
      << param.name;
}

std::string Repeat(absl::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out.append(unit.data(), unit.size());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Mutations, ValidateCertificateRefuseTest,
                         ::testing::Values(
                             RefuseCase{
                                 "empty_number",
                                 [](v1::Certificate* c) { c->clear_number(); },
                                 "certificate.number", "required"},
                             RefuseCase{"number_with_space",
                                        [](v1::Certificate* c) {
                                          c->set_number("00216Q 10097");
                                        },
                                        "certificate.number", "space"},
                             RefuseCase{
                                 "unspecified_type",
                                 [](v1::Certificate* c) {
                                   c->set_type(
                                       v1::CERTIFICATION_TYPE_UNSPECIFIED);
                                 },
                                 "certificate.type", "required"},
                             RefuseCase{
                                 "unknown_type",
                                 [](v1::Certificate* c) {
                                   c->set_type(
                                       static_cast<v1::CertificationType>(9));
                                 },
                                 "certificate.type", "got 9"},
                             RefuseCase{"bad_item_code",
                                        [](v1::Certificate* c) {
                                          c->mutable_item()->set_code("a05");
                                        },
                                        "certificate.item.code", "item code"},
                             RefuseCase{"missing_item_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_item()->clear_name();
                                        },
                                        "certificate.item.name", "required"},
                             RefuseCase{"long_item_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_item()->set_name(
                                              Repeat("认", 101));
                                        },
                                        "certificate.item.name",
                                        "101 characters"},
                             RefuseCase{
                                 "no_basis",
                                 [](v1::Certificate* c) { c->clear_basis(); },
                                 "certificate.basis", "at least one"},
                             RefuseCase{
                                 "blank_basis",
                                 [](v1::Certificate* c) { c->add_basis(" "); },
                                 "certificate.basis[1]", "required"},
                             RefuseCase{"long_basis",
                                        [](v1::Certificate* c) {
                                          c->add_basis(std::string(101, 'B'));
                                        },
                                        "certificate.basis[1]",
                                        "101 characters"},
                             RefuseCase{"too_many_basis",
                                        [](v1::Certificate* c) {
                                          for (size_t i = 0;
                                               i < kMaxBasisEntries; ++i) {
                                            c->add_basis("GB/T 19001-2016");
                                          }
                                        },
                                        "certificate.basis",
                                        "exceed the limit"},
                             RefuseCase{"missing_holder_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()->set_name("\t");
                                        },
                                        "certificate.holder.name",
                                        "control character"},
                             RefuseCase{"blank_holder_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()->set_name("  ");
                                        },
                                        "certificate.holder.name", "required"},
                             RefuseCase{"long_holder_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()->set_name(
                                              Repeat("公", 201));
                                        },
                                        "certificate.holder.name",
                                        "201 characters"},
                             RefuseCase{"bad_uscc_check",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()
                                              ->set_unified_social_credit_code(
                                                  "91350100M000100Y4X");
                                        },
                                        "certificate.holder.unified_social_"
                                        "credit_code",
                                        "check character is 'X', expected '3'"},
                             RefuseCase{
                                 "missing_uscc",
                                 [](v1::Certificate* c) {
                                   c->mutable_holder()
                                       ->clear_unified_social_credit_code();
                                 },
                                 "certificate.holder.unified_social_credit_"
                                 "code",
                                 "got 0"},
                             RefuseCase{"missing_holder_address",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()->clear_address();
                                        },
                                        "certificate.holder.address",
                                        "required"},
                             RefuseCase{"long_holder_address",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()->set_address(
                                              Repeat("址", 301));
                                        },
                                        "certificate.holder.address",
                                        "301 characters"},
                             RefuseCase{"missing_site_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()
                                              ->mutable_sites(0)
                                              ->clear_name();
                                        },
                                        "certificate.holder.sites[0].name",
                                        "required"},
                             RefuseCase{"missing_third_site_address",
                                        [](v1::Certificate* c) {
                                          v1::Holder* h = c->mutable_holder();
                                          *h->add_sites() = h->sites(0);
                                          *h->add_sites() = h->sites(0);
                                          h->mutable_sites(2)->set_address("");
                                        },
                                        "certificate.holder.sites[2].address",
                                        "required"},
                             RefuseCase{"long_site_name",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()
                                              ->mutable_sites(0)
                                              ->set_name(Repeat("厂", 201));
                                        },
                                        "certificate.holder.sites[0].name",
                                        "201 characters"},
                             RefuseCase{"long_site_address",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()
                                              ->mutable_sites(0)
                                              ->set_address(Repeat("址", 301));
                                        },
                                        "certificate.holder.sites[0].address",
                                        "301 characters"},
                             RefuseCase{
                                 "too_many_sites",
                                 [](v1::Certificate* c) {
                                   for (size_t i = 0; i < kMaxSites; ++i) {
                                     *c->mutable_holder()->add_sites() =
                                         c->holder().sites(0);
                                   }
                                 },
                                 "certificate.holder.sites", "101 sites"},
                             RefuseCase{
                                 "missing_scope",
                                 [](v1::Certificate* c) { c->clear_scope(); },
                                 "certificate.scope", "required"},
                             RefuseCase{"long_scope",
                                        [](v1::Certificate* c) {
                                          c->set_scope(
                                              Repeat("范", kMaxScopeChars + 1));
                                        },
                                        "certificate.scope", "2001 characters"},
                             RefuseCase{"invalid_utf8_scope",
                                        [](v1::Certificate* c) {
                                          c->set_scope("范\xFF");
                                        },
                                        "certificate.scope", "invalid UTF-8"},
                             RefuseCase{"missing_first_issue_date",
                                        [](v1::Certificate* c) {
                                          c->clear_first_issue_date();
                                        },
                                        "certificate.first_issue_date",
                                        "required"},
                             RefuseCase{"invalid_issue_date",
                                        [](v1::Certificate* c) {
                                          *c->mutable_issue_date() =
                                              Day(2023, 2, 29);
                                        },
                                        "certificate.issue_date", "2023-02-29"},
                             RefuseCase{"missing_expiry_date",
                                        [](v1::Certificate* c) {
                                          c->clear_expiry_date();
                                        },
                                        "certificate.expiry_date", "required"},
                             RefuseCase{"issue_before_first_issue",
                                        [](v1::Certificate* c) {
                                          *c->mutable_first_issue_date() =
                                              Day(2023, 3, 2);
                                        },
                                        "certificate.issue_date",
                                        "2023-03-01 is before "
                                        "certificate.first_issue_date "
                                        "2023-03-02"},
                             RefuseCase{"expiry_equals_issue",
                                        [](v1::Certificate* c) {
                                          *c->mutable_expiry_date() =
                                              c->issue_date();
                                        },
                                        "certificate.expiry_date",
                                        "2023-03-01 must be after "
                                        "certificate.issue_date "
                                        "2023-03-01"},
                             RefuseCase{"expiry_before_issue",
                                        [](v1::Certificate* c) {
                                          *c->mutable_expiry_date() =
                                              Day(2020, 1, 1);
                                        },
                                        "certificate.expiry_date",
                                        "certificate.issue_date"},
                             RefuseCase{"bad_approval_number",
                                        [](v1::Certificate* c) {
                                          c->set_body_approval_number(
                                              "CNCA-R-2002-01");
                                        },
                                        "certificate.body_approval_number",
                                        "CNCA-R-YYYY-NNN"},
                             RefuseCase{"missing_body_name",
                                        [](v1::Certificate* c) {
                                          c->clear_body_name();
                                        },
                                        "certificate.body_name", "required"},
                             RefuseCase{"long_body_name",
                                        [](v1::Certificate* c) {
                                          c->set_body_name(Repeat("中", 201));
                                        },
                                        "certificate.body_name",
                                        "201 characters"},
                             RefuseCase{"grade_without_27922",
                                        [](v1::Certificate* c) {
                                          c->mutable_service_grade()->set_score(
                                              90);
                                        },
                                        "certificate.service_grade",
                                        "only certificates against"},
                             RefuseCase{
                                 "star_level_without_27922",
                                 [](v1::Certificate* c) {
                                   c->mutable_service_grade()->set_star_level(
                                       v1::STAR_LEVEL_FIVE);
                                 },
                                 "certificate.service_grade", "GB/T 27922"},
                             RefuseCase{"deductions_without_27922",
                                        [](v1::Certificate* c) {
                                          c->mutable_service_grade()
                                              ->set_special_deductions(1);
                                        },
                                        "certificate.service_grade",
                                        "GB/T 27922"},
                             RefuseCase{"27922_without_grade",
                                        [](v1::Certificate* c) {
                                          c->clear_service_grade();
                                        },
                                        "certificate.service_grade", "required",
                                        true},
                             RefuseCase{"27922_wrong_level",
                                        [](v1::Certificate* c) {
                                          c->mutable_service_grade()
                                              ->set_star_level(
                                                  v1::STAR_LEVEL_FIVE);
                                        },
                                        "certificate.service_grade.star_level",
                                        "four-star", true},
                             RefuseCase{"27922_unset_level",
                                        [](v1::Certificate* c) {
                                          c->mutable_service_grade()
                                              ->clear_star_level();
                                        },
                                        "certificate.service_grade.star_level",
                                        "required", true},
                             RefuseCase{"27922_low_score",
                                        [](v1::Certificate* c) {
                                          c->mutable_service_grade()->set_score(
                                              73.9);
                                        },
                                        "certificate.service_grade.score",
                                        "evaluation fails", true},
                             RefuseCase{
                                 "27922_five_deductions",
                                 [](v1::Certificate* c) {
                                   c->mutable_service_grade()
                                       ->set_special_deductions(5);
                                 },
                                 "certificate.service_grade.special_deductions",
                                 "evaluation fails", true},
                             RefuseCase{"27922_two_decimals",
                                        [](v1::Certificate* c) {
                                          c->mutable_service_grade()->set_score(
                                              96.05);
                                        },
                                        "certificate.service_grade.score",
                                        "decimal place", true},
                             RefuseCase{"management_system_number_abcd",
                                        [](v1::Certificate* c) {
                                          c->set_number("ABCD");
                                        },
                                        "certificate.number",
                                        "characters 1-3 are not a body code"},
                             RefuseCase{"number_of_another_body",
                                        [](v1::Certificate* c) {
                                          c->set_number("00423Q10097R2S");
                                        },
                                        "certificate.number",
                                        "body code \"004\" does not match "
                                        "body CNCA-R-2002-001 (expected "
                                        "\"001\")"},
                             RefuseCase{"number_body_changed",
                                        [](v1::Certificate* c) {
                                          c->set_body_approval_number(
                                              "CNCA-R-2002-002");
                                        },
                                        "certificate.number",
                                        "(expected \"002\")"},
                             RefuseCase{"number_recertifications",
                                        [](v1::Certificate* c) {
                                          c->set_recertification_count(3);
                                        },
                                        "certificate.number",
                                        "recertification count R2 does not "
                                        "match certificate.recertification_"
                                        "count 3 (expected \"R3\")"},
                             RefuseCase{"service_number_without_digit",
                                        [](v1::Certificate* c) {
                                          c->set_number("ABCD");
                                        },
                                        "certificate.number", "no digit", true},
                             RefuseCase{"uscc_all_zeros",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()
                                              ->set_unified_social_credit_code(
                                                  "000000000000000000");
                                        },
                                        "certificate.holder.unified_social_"
                                        "credit_code",
                                        "character 1 '0'"},
                             RefuseCase{"uscc_division",
                                        [](v1::Certificate* c) {
                                          c->mutable_holder()
                                              ->set_unified_social_credit_code(
                                                  CodeStartingWith("91990100"));
                                        },
                                        "certificate.holder.unified_social_"
                                        "credit_code",
                                        "characters 3-8 \"990100\""},
                             RefuseCase{"27922_on_management_system",
                                        [](v1::Certificate* c) {
                                          c->clear_basis();
                                          c->add_basis("GB/T 27922-2011");
                                          *c->mutable_service_grade() =
                                              ValidServiceCertificate()
                                                  .service_grade();
                                        },
                                        "certificate.basis",
                                        "\"GB/T 27922-2011\" is GB/T 27922, "
                                        "which grades after-sales service "
                                        "certificates only; type is "
                                        "MANAGEMENT_SYSTEM (expected "
                                        "SERVICE)"},
                             RefuseCase{"27922_on_product",
                                        [](v1::Certificate* c) {
                                          c->set_type(
                                              v1::CERTIFICATION_TYPE_PRODUCT);
                                        },
                                        "certificate.basis", "type is PRODUCT",
                                        true},
                             RefuseCase{"27922_spelled_without_grade",
                                        [](v1::Certificate* c) {
                                          c->set_basis(0, "gb/t27922");
                                          c->clear_service_grade();
                                        },
                                        "certificate.service_grade", "required",
                                        true},
                             RefuseCase{"grade_on_other_service_standard",
                                        [](v1::Certificate* c) {
                                          c->set_basis(0, "GB/T 279220");
                                        },
                                        "certificate.service_grade",
                                        "only certificates against GB/T "
                                        "27922 are graded",
                                        true},
                             RefuseCase{
                                 "27922_second_basis_entry",
                                 [](v1::Certificate* c) {
                                   c->set_type(v1::CERTIFICATION_TYPE_SERVICE);
                                   c->set_number("CQC-S-2023-0001");
                                   c->add_basis("GB/T 27922-2011");
                                 },
                                 "certificate.service_grade", "required"}),
                         [](const ::testing::TestParamInfo<RefuseCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace certreg
