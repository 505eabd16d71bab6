#include "verifier/certificate_validation.h"

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
       {"91110000600037341", "12100000400000000", "Y1000000000000000",
        "00000000000000000", "YY000000YYYYYYYYY", "A1310115MA1K3YJ12"}) {
    absl::StatusOr<char> check = UnifiedSocialCreditCodeCheckCharacter(first17);
    ASSERT_TRUE(check.ok()) << first17 << ": " << check.status();
    const std::string code = absl::StrCat(first17, std::string(1, *check));
    EXPECT_TRUE(ValidateUnifiedSocialCreditCode(code, "f").ok()) << code;
  }
  absl::StatusOr<char> zeros =
      UnifiedSocialCreditCodeCheckCharacter("00000000000000000");
  ASSERT_TRUE(zeros.ok());
  EXPECT_EQ(*zeros, '0');
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
  c.set_number("00216Q10097R1S");
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
        AcceptCase{
            "cqc_number",
            [](v1::Certificate* c) { c->set_number("CQC2024010101234567"); }},
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
                             RefuseCase{"27922_second_basis_entry",
                                        [](v1::Certificate* c) {
                                          c->add_basis("GB/T 27922-2011");
                                        },
                                        "certificate.service_grade",
                                        "required"}),
                         [](const ::testing::TestParamInfo<RefuseCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace certreg
