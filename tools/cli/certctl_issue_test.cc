#include "tools/cli/certctl_issue.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::Date D(int y, int m, int d) { return ToProtoDate(absl::CivilDay(y, m, d)); }

v1::Certificate IssuedOn(v1::Date issue_date) {
  v1::Certificate c;
  c.set_number("00223Q12345R0M");
  *c.mutable_issue_date() = issue_date;
  *c.mutable_first_issue_date() = issue_date;
  *c.mutable_expiry_date() = D(2026, 12, 19);
  return c;
}

const absl::CivilDay kToday(2026, 12, 7);

TEST(IssueStatementTest, DatedOnTheIssueDateByDefault) {
  const v1::Certificate c = IssuedOn(D(2023, 12, 20));
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(c, std::nullopt, kToday);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(FormatDate(statement->date()), "2023-12-20");
  EXPECT_EQ(statement->certificate_number(), "00223Q12345R0M");
  ASSERT_TRUE(statement->has_issue());
  EXPECT_EQ(statement->issue().certificate().number(), c.number());
  EXPECT_EQ(FormatDate(statement->issue().certificate().issue_date()),
            "2023-12-20");
}

TEST(IssueStatementTest, IssuedTodayIsDatedToday) {
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(IssuedOn(ToProtoDate(kToday)), std::nullopt, kToday);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(ToCivilDay(statement->date()), kToday);
}

TEST(IssueStatementTest, AcceptsDateFlagEqualToTheIssueDate) {
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(IssuedOn(D(2023, 12, 20)), D(2023, 12, 20), kToday);
  ASSERT_TRUE(statement.ok()) << statement.status();
  EXPECT_EQ(FormatDate(statement->date()), "2023-12-20");
}

TEST(IssueStatementTest, RefusesDateFlagThatDiffers) {
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(IssuedOn(D(2023, 12, 20)), D(2026, 12, 7), kToday);
  ASSERT_FALSE(statement.ok());
  EXPECT_EQ(statement.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(statement.status().message(),
            "--date: 2026-12-07 differs from the certificate's issue date "
            "2023-12-20; an issue statement is dated on its issue date");
  // A day early is refused as well.
  EXPECT_FALSE(
      IssueStatement(IssuedOn(D(2023, 12, 20)), D(2023, 12, 19), kToday).ok());
}

TEST(IssueStatementTest, RefusesAnIssueDateAfterToday) {
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(IssuedOn(ToProtoDate(kToday + 1)), std::nullopt, kToday);
  ASSERT_FALSE(statement.ok());
  EXPECT_EQ(statement.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(statement.status().message()),
              StartsWith("issue_date: 2026-12-08 is after today (2026-12-07 "
                         "in China Standard Time)"));
  // Even when --date names it: the registry takes nothing dated ahead.
  EXPECT_FALSE(IssueStatement(IssuedOn(ToProtoDate(kToday + 1)),
                              ToProtoDate(kToday + 1), kToday)
                   .ok());
}

TEST(IssueStatementTest, RefusesAMissingIssueDate) {
  v1::Certificate c = IssuedOn(D(2023, 12, 20));
  c.clear_issue_date();
  absl::StatusOr<v1::Statement> statement =
      IssueStatement(c, std::nullopt, kToday);
  ASSERT_FALSE(statement.ok());
  EXPECT_THAT(std::string(statement.status().message()),
              AllOf(StartsWith("issue_date: "), HasSubstr("required")));
  // With --date too, the missing issue date is what is reported.
  EXPECT_THAT(
      std::string(
          IssueStatement(c, ToProtoDate(kToday), kToday).status().message()),
      StartsWith("issue_date: "));
}

IssueFlags ServiceCertificateFlags() {
  IssueFlags flags;
  flags.number = "90224S00317R0L";
  flags.type = "Service";
  flags.item_code = "S03";
  flags.item_name = "商品售后服务评价认证";
  flags.basis = " GB/T 27922-2011 ;;";
  flags.holder = "杭州云帆家电服务有限公司";
  flags.credit_code = "91330106MA2B3C4D5E";
  flags.address = "浙江省杭州市西湖区文三路1号";
  flags.scope = "家用电器的售后服务";
  flags.issue_date = "2024-01-10";
  flags.expiry_date = "2027-01-09";
  flags.body = "CNCA-R-2002-001";
  flags.body_name = "示例认证有限公司";
  flags.grade.score = "92.5";
  flags.grade.stars = "四星级";
  return flags;
}

TEST(CertificateFromFlagsTest, EveryField) {
  absl::StatusOr<v1::Certificate> c =
      CertificateFromFlags(ServiceCertificateFlags());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->number(), "90224S00317R0L");
  EXPECT_EQ(c->type(), v1::CERTIFICATION_TYPE_SERVICE);
  EXPECT_EQ(c->item().code(), "S03");
  EXPECT_EQ(c->item().name(), "商品售后服务评价认证");
  ASSERT_EQ(c->basis_size(), 1);
  EXPECT_EQ(c->basis(0), "GB/T 27922-2011");
  EXPECT_EQ(c->holder().name(), "杭州云帆家电服务有限公司");
  EXPECT_EQ(c->holder().unified_social_credit_code(), "91330106MA2B3C4D5E");
  EXPECT_EQ(c->holder().address(), "浙江省杭州市西湖区文三路1号");
  EXPECT_EQ(c->scope(), "家用电器的售后服务");
  EXPECT_EQ(FormatDate(c->issue_date()), "2024-01-10");
  // The first issue date is the issue date unless given.
  EXPECT_EQ(FormatDate(c->first_issue_date()), "2024-01-10");
  EXPECT_EQ(FormatDate(c->expiry_date()), "2027-01-09");
  EXPECT_EQ(c->body_approval_number(), "CNCA-R-2002-001");
  EXPECT_EQ(c->body_name(), "示例认证有限公司");
  EXPECT_EQ(c->service_grade().score(), 92.5);
  EXPECT_EQ(c->service_grade().star_level(), v1::STAR_LEVEL_FOUR);
}

TEST(CertificateFromFlagsTest, FirstIssueDateAndNoGrade) {
  IssueFlags flags = ServiceCertificateFlags();
  flags.type = "management_system";
  flags.first_issue_date = "2018-01-10";
  flags.grade = GradeFlags();
  absl::StatusOr<v1::Certificate> c = CertificateFromFlags(flags);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->type(), v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  EXPECT_EQ(FormatDate(c->first_issue_date()), "2018-01-10");
  EXPECT_FALSE(c->has_service_grade());
}

TEST(CertificateFromFlagsTest, UsageErrorsInOrder) {
  IssueFlags flags = ServiceCertificateFlags();
  flags.type = "";
  flags.issue_date = "";
  EXPECT_EQ(CertificateFromFlags(flags).status().message(),
            "--type: \"\" is not management_system, service or product");
  flags.type = "system";
  EXPECT_EQ(CertificateFromFlags(flags).status().message(),
            "--type: \"system\" is not management_system, service or product");
  flags.type = "product";
  EXPECT_EQ(CertificateFromFlags(flags).status().message(),
            "--issue_date: is required");
  flags.issue_date = "2024-01-10";
  flags.first_issue_date = "2018";
  EXPECT_THAT(std::string(CertificateFromFlags(flags).status().message()),
              StartsWith("--first_issue_date: "));
  flags.first_issue_date = "";
  flags.expiry_date = "";
  EXPECT_EQ(CertificateFromFlags(flags).status().message(),
            "--expiry_date: is required");
  flags.expiry_date = "2027-01-09";
  flags.grade.stars = "";
  EXPECT_THAT(std::string(CertificateFromFlags(flags).status().message()),
              StartsWith("--stars: "));
}

TEST(CertificateFromJsonTest, TheApisJsonForm) {
  absl::StatusOr<v1::Certificate> c = CertificateFromJson(
      R"({"number": "00216Q10097R1S", "type": "CERTIFICATION_TYPE_PRODUCT",
          "issueDate": {"year": 2024, "month": 1, "day": 10}})",
      "cert.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->number(), "00216Q10097R1S");
  EXPECT_EQ(c->type(), v1::CERTIFICATION_TYPE_PRODUCT);
  EXPECT_EQ(FormatDate(c->issue_date()), "2024-01-10");
}

TEST(CertificateFromJsonTest, NamesTheSource) {
  absl::StatusOr<v1::Certificate> c =
      CertificateFromJson(R"({"numbr": "x"})", "cert.json");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()),
              StartsWith("cert.json: not a certreg.v1.Certificate in JSON "
                         "form: "));
}

}  // namespace
}  // namespace certreg
