#include "tools/cli/certctl_events.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

using ::testing::StartsWith;

constexpr char kNumber[] = "00216Q10097R1S";

const v1::Date kDate = ToProtoDate(absl::CivilDay(2026, 11, 1));

std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

absl::StatusOr<v1::Statement> Event(absl::string_view command,
                                    const EventFlags& flags) {
  return EventStatement(command, kNumber, kDate, flags);
}

TEST(EventStatementTest, OnTheCertificateOnTheDateWithNoPredecessor) {
  for (const char* command :
       {"surveil", "reinstate", "suspend", "revoke", "withdraw"}) {
    EventFlags flags;
    flags.reason = "获证组织申请注销";
    absl::StatusOr<v1::Statement> statement = Event(command, flags);
    ASSERT_TRUE(statement.ok()) << command << ": " << statement.status();
    EXPECT_EQ(statement->certificate_number(), kNumber) << command;
    EXPECT_EQ(FormatDate(statement->date()), "2026-11-01") << command;
    EXPECT_EQ(statement->previous_event_hash(), "") << command;
  }
}

TEST(EventStatementTest, SurveilAndReinstateTakeANote) {
  EventFlags flags;
  flags.note = "监督审核";
  flags.reason = "not read";
  absl::StatusOr<v1::Statement> surveil = Event("surveil", flags);
  ASSERT_TRUE(surveil.ok()) << surveil.status();
  EXPECT_EQ(surveil->surveillance().note(), "监督审核");
  absl::StatusOr<v1::Statement> reinstate = Event("reinstate", EventFlags());
  ASSERT_TRUE(reinstate.ok()) << reinstate.status();
  EXPECT_TRUE(reinstate->has_reinstate());
  EXPECT_EQ(reinstate->reinstate().note(), "");
}

TEST(EventStatementTest, SuspendRevokeAndWithdrawNeedAReason) {
  EventFlags flags;
  flags.reason = "未按期接受监督审核";
  absl::StatusOr<v1::Statement> suspend = Event("suspend", flags);
  ASSERT_TRUE(suspend.ok());
  EXPECT_EQ(suspend->suspend().reason(), "未按期接受监督审核");
  EXPECT_EQ(Event("revoke", flags)->revoke().reason(), "未按期接受监督审核");
  EXPECT_EQ(Event("withdraw", flags)->withdraw().reason(),
            "未按期接受监督审核");
  for (const char* command : {"suspend", "revoke", "withdraw"}) {
    absl::StatusOr<v1::Statement> none = Event(command, EventFlags());
    EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Message(none.status()), "--reason: is required") << command;
  }
}

TEST(EventStatementTest, RenewWithANewWindowAndGrade) {
  EventFlags flags;
  flags.new_issue_date = "2027-01-10";
  flags.new_expiry_date = "2030-01-09";
  flags.grade.score = "95.5";
  flags.grade.stars = "5";
  absl::StatusOr<v1::Statement> renew = Event("renew", flags);
  ASSERT_TRUE(renew.ok()) << renew.status();
  EXPECT_EQ(FormatDate(renew->renew().new_issue_date()), "2027-01-10");
  EXPECT_EQ(FormatDate(renew->renew().new_expiry_date()), "2030-01-09");
  EXPECT_EQ(renew->renew().service_grade().score(), 95.5);
  EXPECT_EQ(renew->renew().service_grade().star_level(), v1::STAR_LEVEL_FIVE);

  flags.grade = GradeFlags();
  renew = Event("renew", flags);
  ASSERT_TRUE(renew.ok()) << renew.status();
  EXPECT_FALSE(renew->renew().has_service_grade());
}

TEST(EventStatementTest, RenewUsageErrorsInOrder) {
  EventFlags flags;
  flags.grade.score = "x";
  EXPECT_EQ(Message(Event("renew", flags).status()),
            "--new_issue_date: is required");
  flags.new_issue_date = "2027-01-10";
  EXPECT_EQ(Message(Event("renew", flags).status()),
            "--new_expiry_date: is required");
  flags.new_expiry_date = "2030-01-09";
  EXPECT_EQ(Message(Event("renew", flags).status()), "--score: not a number");
}

TEST(EventStatementTest, ChangeScopeWithTheSites) {
  EventFlags flags;
  flags.scope = "家用电器的设计和生产";
  flags.sites = {"黄岛工厂|山东省青岛市黄岛区前湾港路1号"};
  absl::StatusOr<v1::Statement> change = Event("change-scope", flags);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->change_scope().new_scope(), "家用电器的设计和生产");
  ASSERT_EQ(change->change_scope().new_sites_size(), 1);
  EXPECT_EQ(change->change_scope().new_sites(0).name(), "黄岛工厂");

  flags.sites.clear();
  change = Event("change-scope", flags);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->change_scope().new_sites_size(), 0);
}

TEST(EventStatementTest, ChangeScopeUsageErrors) {
  EventFlags flags;
  flags.sites = {"bad"};
  EXPECT_EQ(Message(Event("change-scope", flags).status()),
            "--scope: is required");
  flags.scope = "s";
  EXPECT_EQ(Message(Event("change-scope", flags).status()),
            "--site \"bad\": expected name|address");
}

TEST(EventStatementTest, ChangeHolder) {
  EventFlags flags;
  flags.name = "青岛海岳电器集团有限公司";
  flags.scope = "not read";
  absl::StatusOr<v1::Statement> change = Event("change-holder", flags);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->change_holder().new_name(), "青岛海岳电器集团有限公司");
  EXPECT_EQ(Message(Event("change-holder", EventFlags()).status()),
            "give --name, --address or --site (at least one)");
}

TEST(EventStatementTest, OnlyEvents) {
  absl::StatusOr<v1::Statement> issue = Event("issue", EventFlags());
  EXPECT_EQ(issue.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(issue.status()), StartsWith("unknown event"));
}

}  // namespace
}  // namespace certreg
