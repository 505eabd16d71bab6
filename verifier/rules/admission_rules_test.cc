#include "verifier/rules/admission_rules.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

v1::Date Day(int year, int month, int day) {
  return ToProtoDate(absl::CivilDay(year, month, day));
}

const v1::CertificationRules& Rules() {
  return RulesFor(DefaultSchemeRules(),
                  v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
}

// Issued 2023-12-20 (dated so), expiring `expiry`.
v1::Statement Issue(const v1::Date& expiry) {
  v1::Statement statement;
  *statement.mutable_date() = Day(2023, 12, 20);
  v1::Certificate* c = statement.mutable_issue()->mutable_certificate();
  *c->mutable_issue_date() = Day(2023, 12, 20);
  *c->mutable_expiry_date() = expiry;
  return statement;
}

v1::Statement Renew(const v1::Date& date, const v1::Date& new_issue,
                    const v1::Date& new_expiry) {
  v1::Statement statement;
  *statement.mutable_date() = date;
  *statement.mutable_renew()->mutable_new_issue_date() = new_issue;
  *statement.mutable_renew()->mutable_new_expiry_date() = new_expiry;
  return statement;
}

// A chain in the state the admission check looks at: its current window.
class ChainWindow {
 public:
  static CertificateChain Of(const v1::Date& issue, const v1::Date& expiry) {
    v1::ChainState state;
    state.mutable_certificate()->set_number("00124Q00001R0M");
    *state.mutable_certificate()->mutable_issue_date() = issue;
    *state.mutable_certificate()->mutable_expiry_date() = expiry;
    *state.mutable_issued_issue_date() = issue;
    *state.mutable_issued_expiry_date() = expiry;
    *state.mutable_last_event_date() = issue;
    absl::StatusOr<CertificateChain> chain = CertificateChain::Restore(state);
    EXPECT_TRUE(chain.ok()) << chain.status();
    return *std::move(chain);
  }
};

TEST(IssueAdmissionTest, ThirtySixMonthsIsTheLongestValidity) {
  // 2023-12-20 + 36 months = 2026-12-20.
  EXPECT_TRUE(CheckIssueAdmission(Issue(Day(2026, 12, 19)), Rules()).ok());
  EXPECT_TRUE(CheckIssueAdmission(Issue(Day(2026, 12, 20)), Rules()).ok());
  const absl::Status longer =
      CheckIssueAdmission(Issue(Day(2026, 12, 21)), Rules());
  EXPECT_EQ(longer.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(longer.message()),
              HasSubstr("certificate.expiry_date: 2026-12-21 is more than 36 "
                        "months after 2023-12-20"));
  EXPECT_EQ(CheckIssueAdmission(Issue(Day(2033, 12, 19)), Rules()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(IssueAdmissionTest, LeapDayIssueEndsOnTheLastDayOfFebruary) {
  v1::Statement issue = Issue(Day(2027, 2, 28));
  *issue.mutable_date() = Day(2024, 2, 29);
  *issue.mutable_issue()->mutable_certificate()->mutable_issue_date() =
      Day(2024, 2, 29);
  EXPECT_TRUE(CheckIssueAdmission(issue, Rules()).ok());
  *issue.mutable_issue()->mutable_certificate()->mutable_expiry_date() =
      Day(2027, 3, 1);
  EXPECT_FALSE(CheckIssueAdmission(issue, Rules()).ok());
}

TEST(IssueAdmissionTest, IssueStatementIsDatedOnItsIssueDate) {
  v1::Statement issue = Issue(Day(2026, 12, 19));
  *issue.mutable_date() = Day(2026, 12, 7);
  const absl::Status status = CheckIssueAdmission(issue, Rules());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("statement.date: 2026-12-07 differs from "
                        "certificate.issue_date 2023-12-20"));
}

TEST(EventAdmissionTest, RenewalOnOrBeforeExpiry) {
  const CertificateChain chain =
      ChainWindow::Of(Day(2023, 12, 20), Day(2026, 12, 19));
  EXPECT_TRUE(
      CheckEventAdmission(
          chain, Renew(Day(2026, 12, 19), Day(2026, 12, 20), Day(2029, 12, 19)),
          Rules())
          .ok());
  const absl::Status late = CheckEventAdmission(
      chain, Renew(Day(2026, 12, 20), Day(2026, 12, 20), Day(2029, 12, 19)),
      Rules());
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(late.message()), HasSubstr("new certification"));
}

TEST(EventAdmissionTest, RenewalOfALongExpiredCertificateIsRefused) {
  // Expired 2025-01-09, renewed on 2026-11-01 for 20 years.
  const CertificateChain chain =
      ChainWindow::Of(Day(2022, 1, 10), Day(2025, 1, 9));
  EXPECT_EQ(
      CheckEventAdmission(
          chain, Renew(Day(2026, 11, 1), Day(2026, 11, 1), Day(2046, 10, 31)),
          Rules())
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST(EventAdmissionTest, RenewedWindowIsAtMostThirtySixMonths) {
  const CertificateChain chain =
      ChainWindow::Of(Day(2023, 12, 20), Day(2026, 12, 19));
  EXPECT_TRUE(CheckEventAdmission(
                  chain,
                  Renew(Day(2026, 11, 1), Day(2026, 12, 20), Day(2029, 12, 20)),
                  Rules())
                  .ok());
  const absl::Status longer = CheckEventAdmission(
      chain, Renew(Day(2026, 11, 1), Day(2026, 12, 20), Day(2029, 12, 21)),
      Rules());
  EXPECT_EQ(longer.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(longer.message()),
              HasSubstr("renew.new_expiry_date"));
}

TEST(EventAdmissionTest, RenewedWindowLeavesNoGap) {
  const CertificateChain chain =
      ChainWindow::Of(Day(2023, 12, 20), Day(2026, 12, 19));
  const absl::Status gap = CheckEventAdmission(
      chain, Renew(Day(2026, 11, 1), Day(2026, 12, 21), Day(2029, 12, 20)),
      Rules());
  EXPECT_EQ(gap.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(gap.message()),
              HasSubstr("renew.new_issue_date: 2026-12-21"));
}

TEST(EventAdmissionTest, OtherKindsPass) {
  const CertificateChain chain =
      ChainWindow::Of(Day(2022, 1, 10), Day(2025, 1, 9));
  v1::Statement suspend;
  *suspend.mutable_date() = Day(2026, 1, 1);
  suspend.mutable_suspend()->set_reason("x");
  EXPECT_TRUE(CheckEventAdmission(chain, suspend, Rules()).ok());
}

}  // namespace
}  // namespace certreg
