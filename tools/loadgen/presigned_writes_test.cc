#include "tools/loadgen/presigned_writes.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tools/demo/demo_data.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"

namespace certreg::loadgen {
namespace {

constexpr char kBody[] = "CNCA-R-2002-901";

v1::Certificate ManagementSystemTemplate() {
  v1::Certificate c;
  c.set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  c.set_number("00226E21540R2L");
  c.set_recertification_count(2);
  c.set_body_approval_number("CNCA-R-2002-002");
  c.set_body_name("another body");
  c.mutable_holder()->set_name("青岛海岳电器有限公司");
  c.mutable_holder()->set_unified_social_credit_code(
      DemoCreditCode(1, "370200"));
  c.set_scope("电器的生产");
  return c;
}

// 2026-03-01 10:00 in China.
absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 1, 2, 0, 0),
                         absl::UTCTimeZone());
}

v1::Statement Parsed(const v1::SignedStatement& signed_statement) {
  absl::StatusOr<v1::Statement> statement =
      ParseSignedStatement(signed_statement);
  EXPECT_TRUE(statement.ok()) << statement.status();
  return statement.ok() ? *statement : v1::Statement();
}

TEST(SignIssueStatementsTest, ManagementSystemNumbersTheSchemesAccept) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  absl::StatusOr<std::vector<v1::SignedStatement>> writes = SignIssueStatements(
      ManagementSystemTemplate(), *key, kBody, "测试认证有限公司", Now(), 3);
  ASSERT_TRUE(writes.ok()) << writes.status();
  ASSERT_EQ(writes->size(), 3u);
  std::set<std::string> numbers;
  std::set<std::string> credit_codes;
  for (const v1::SignedStatement& signed_statement : *writes) {
    EXPECT_TRUE(
        VerifyStatementSignature(signed_statement, key->public_key()).ok());
    const v1::Statement statement = Parsed(signed_statement);
    const v1::Certificate& c = statement.issue().certificate();
    EXPECT_EQ(statement.certificate_number(), c.number());
    EXPECT_TRUE(ValidateCertificateNumberStructure(c).ok()) << c.number();
    // The body's code, the year, the template's system and size, R0.
    EXPECT_EQ(c.number().substr(0, 6), "90126E") << c.number();
    EXPECT_EQ(c.number().substr(c.number().size() - 3), "R0L") << c.number();
    EXPECT_EQ(c.body_approval_number(), kBody);
    EXPECT_EQ(c.body_name(), "测试认证有限公司");
    EXPECT_EQ(c.recertification_count(), 0u);
    EXPECT_EQ(c.holder().name(), "青岛海岳电器有限公司");
    EXPECT_TRUE(ValidateUnifiedSocialCreditCode(
                    c.holder().unified_social_credit_code(), "code")
                    .ok());
    EXPECT_EQ(c.holder().unified_social_credit_code().substr(2, 6), "370200");
    EXPECT_EQ(FormatDate(statement.date()), "2026-03-01");
    EXPECT_EQ(FormatDate(c.issue_date()), "2026-03-01");
    EXPECT_EQ(FormatDate(c.first_issue_date()), "2026-03-01");
    EXPECT_EQ(FormatDate(c.expiry_date()), "2029-02-28");
    numbers.insert(c.number());
    credit_codes.insert(c.holder().unified_social_credit_code());
  }
  EXPECT_EQ(numbers.size(), 3u);
  EXPECT_EQ(credit_codes.size(), 3u);
}

TEST(SignIssueStatementsTest, OtherTypesNumberedFromTheTime) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  v1::Certificate base = ManagementSystemTemplate();
  base.set_type(v1::CERTIFICATION_TYPE_SERVICE);
  base.set_number("SV-001");
  absl::StatusOr<std::vector<v1::SignedStatement>> writes =
      SignIssueStatements(base, *key, kBody, "b", Now(), 2);
  ASSERT_TRUE(writes.ok()) << writes.status();
  EXPECT_EQ(Parsed((*writes)[0]).certificate_number(),
            "LG20260301020000-0000000");
  EXPECT_EQ(Parsed((*writes)[1]).certificate_number(),
            "LG20260301020000-0000001");
}

TEST(SignIssueStatementsTest, AManagementSystemNumberNeedsTheBodysCode) {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  ASSERT_TRUE(key.ok());
  absl::StatusOr<std::vector<v1::SignedStatement>> writes = SignIssueStatements(
      ManagementSystemTemplate(), *key, "not-a-body", "b", Now(), 1);
  EXPECT_EQ(writes.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DefaultWriteCountTest, TheWriteShareOfTheRunWithSomeToSpare) {
  // Closed loop: 20,000 statements/s of which half are writes, 11 s, and
  // 10% more (rounded up: 1.1 is not exact in binary), and 16.
  const size_t closed =
      DefaultWriteCount(OpWeights{1, 0, 0, 0, 1}, 0, 1, 1, 10);
  EXPECT_GE(closed, 121000u + 16);
  EXPECT_LE(closed, 121001u + 16);
  // Open loop: 100 requests/s of 32 statements, 2 s.
  const size_t open =
      DefaultWriteCount(OpWeights{0, 0, 0, 0, 1}, 100, 32, 0, 2);
  EXPECT_GE(open, 7040u + 16);
  EXPECT_LE(open, 7041u + 16);
  // At most a million.
  EXPECT_EQ(DefaultWriteCount(OpWeights{0, 0, 0, 0, 1}, 0, 1, 0, 3600),
            1000000u);
}

}  // namespace
}  // namespace certreg::loadgen
