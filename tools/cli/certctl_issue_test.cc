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

}  // namespace
}  // namespace certreg
