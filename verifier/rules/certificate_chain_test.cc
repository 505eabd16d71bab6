#include "verifier/rules/certificate_chain.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

v1::Date Day(int year, int month, int day) {
  return ToProtoDate(absl::CivilDay(year, month, day));
}

v1::Statement Issue() {
  v1::Statement statement;
  statement.set_certificate_number("00116Q10097R0S");
  *statement.mutable_date() = Day(2023, 3, 1);
  v1::Certificate* c = statement.mutable_issue()->mutable_certificate();
  c->set_number("00116Q10097R0S");
  c->set_type(v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
  c->mutable_item()->set_code("A0501");
  c->mutable_item()->set_name("质量管理体系认证（ISO9001）");
  c->add_basis("GB/T 19001-2016/ISO 9001:2015");
  c->mutable_holder()->set_name("福州示例有限公司");
  c->mutable_holder()->set_unified_social_credit_code("91350100M000100Y43");
  c->mutable_holder()->set_address("福建省福州市鼓楼区示例路1号");
  c->set_scope("电子产品的设计和生产");
  *c->mutable_first_issue_date() = Day(2017, 3, 1);
  *c->mutable_issue_date() = Day(2023, 3, 1);
  *c->mutable_expiry_date() = Day(2026, 2, 28);
  c->set_body_approval_number("CNCA-R-2002-001");
  c->set_body_name("中国质量认证中心");
  return statement;
}

// An event of the certificate, following `previous`.
v1::Statement Event(const v1::Date& date, const std::string& previous) {
  v1::Statement statement;
  statement.set_certificate_number("00116Q10097R0S");
  *statement.mutable_date() = date;
  statement.set_previous_event_hash(previous);
  return statement;
}

// A chain through every kind of event that affects the status: audit,
// suspension, reinstatement, renewal, scope change, another suspension.
CertificateChain ReplayedChain() {
  absl::StatusOr<CertificateChain> chain =
      CertificateChain::Start(Issue(), "h0");
  EXPECT_TRUE(chain.ok()) << chain.status();
  v1::Statement audit = Event(Day(2024, 2, 10), "h0");
  audit.mutable_surveillance()->set_note("年度监督");
  EXPECT_TRUE(chain->Apply(audit, "h1").ok());
  v1::Statement suspend = Event(Day(2024, 6, 1), "h1");
  suspend.mutable_suspend()->set_reason("未按期整改");
  EXPECT_TRUE(chain->Apply(suspend, "h2").ok());
  v1::Statement reinstate = Event(Day(2024, 8, 1), "h2");
  reinstate.mutable_reinstate();
  EXPECT_TRUE(chain->Apply(reinstate, "h3").ok());
  v1::Statement renew = Event(Day(2026, 2, 1), "h3");
  *renew.mutable_renew()->mutable_new_issue_date() = Day(2026, 2, 1);
  *renew.mutable_renew()->mutable_new_expiry_date() = Day(2029, 1, 31);
  EXPECT_TRUE(chain->Apply(renew, "h4").ok());
  v1::Statement scope = Event(Day(2026, 3, 1), "h4");
  scope.mutable_change_scope()->set_new_scope("电子产品的设计");
  EXPECT_TRUE(chain->Apply(scope, "h5").ok());
  v1::Statement again = Event(Day(2026, 5, 1), "h5");
  again.mutable_suspend()->set_reason("监督审核不合格");
  EXPECT_TRUE(chain->Apply(again, "h6").ok());
  return *std::move(chain);
}

TEST(CertificateChainStateTest, RestoredChainAnswersAsTheReplayedOne) {
  const CertificateChain replayed = ReplayedChain();
  absl::StatusOr<CertificateChain> restored =
      CertificateChain::Restore(replayed.State());
  ASSERT_TRUE(restored.ok()) << restored.status();

  EXPECT_EQ(restored->certificate().SerializeAsString(),
            replayed.certificate().SerializeAsString());
  EXPECT_EQ(restored->certificate().scope(), "电子产品的设计");
  EXPECT_EQ(restored->head_hash(), "h6");
  EXPECT_TRUE(restored->suspended());
  EXPECT_FALSE(restored->terminal());
  const v1::SchemeRules& policy = DefaultSchemeRules();
  for (absl::CivilDay day(2023, 1, 1); day < absl::CivilDay(2030, 1, 1);
       day += 17) {
    EXPECT_EQ(restored->StatusAsOf(day, policy).SerializeAsString(),
              replayed.StatusAsOf(day, policy).SerializeAsString())
        << day;
    absl::StatusOr<v1::EffectiveStatus> of_state =
        StatusOfState(replayed.State(), day, policy);
    ASSERT_TRUE(of_state.ok()) << of_state.status();
    EXPECT_EQ(of_state->SerializeAsString(),
              replayed.StatusAsOf(day, policy).SerializeAsString());
    EXPECT_EQ(restored->SurveillanceCount(day),
              replayed.SurveillanceCount(day));
    EXPECT_EQ(restored->LastSurveillance(day), replayed.LastSurveillance(day));
  }
  // Read once and dropped, as a lookup does: the certificate is moved out.
  EXPECT_EQ((*std::move(restored)).TakeCertificate().SerializeAsString(),
            replayed.certificate().SerializeAsString());
}

TEST(CertificateChainStateTest,
     RestoredChainChecksTheNextEventAsTheReplayedOne) {
  CertificateChain replayed = ReplayedChain();
  absl::StatusOr<CertificateChain> restored =
      CertificateChain::Restore(replayed.State());
  ASSERT_TRUE(restored.ok()) << restored.status();

  // Suspended: another suspension is refused, and so is a stale hash or a
  // date before the latest event.
  v1::Statement suspend = Event(Day(2026, 6, 1), "h6");
  suspend.mutable_suspend()->set_reason("再次暂停");
  EXPECT_EQ(restored->Apply(suspend, "h7").code(),
            replayed.Apply(suspend, "h7").code());
  EXPECT_EQ(restored->Apply(suspend, "h7").code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Statement stale = Event(Day(2026, 6, 1), "h5");
  stale.mutable_reinstate();
  EXPECT_EQ(restored->Apply(stale, "h7").code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Statement early = Event(Day(2026, 4, 1), "h6");
  early.mutable_reinstate();
  EXPECT_EQ(restored->Apply(early, "h7").code(),
            absl::StatusCode::kFailedPrecondition);

  v1::Statement revoke = Event(Day(2026, 6, 1), "h6");
  revoke.mutable_revoke()->set_reason("撤销");
  ASSERT_TRUE(restored->Apply(revoke, "h7").ok());
  ASSERT_TRUE(replayed.Apply(revoke, "h7").ok());
  EXPECT_EQ(restored->State().SerializeAsString(),
            replayed.State().SerializeAsString());
  EXPECT_TRUE(restored->terminal());
}

TEST(CertificateChainStateTest, RestoreRefusesMalformedState) {
  const v1::ChainState good = ReplayedChain().State();

  v1::ChainState no_number = good;
  no_number.mutable_certificate()->clear_number();
  EXPECT_EQ(CertificateChain::Restore(no_number).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ChainState bad_date = good;
  bad_date.mutable_last_event_date()->set_month(13);
  EXPECT_EQ(CertificateChain::Restore(bad_date).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      StatusOfState(bad_date, absl::CivilDay(2026, 1, 1), {}).status().code(),
      absl::StatusCode::kInvalidArgument);

  v1::ChainState issue_event = good;
  issue_event.mutable_events(0)->set_kind(v1::STATEMENT_KIND_ISSUE);
  EXPECT_EQ(CertificateChain::Restore(issue_event).status().code(),
            absl::StatusCode::kInvalidArgument);

  v1::ChainState renew_without_window = good;
  for (v1::ChainEvent& event : *renew_without_window.mutable_events()) {
    if (event.kind() == v1::STATEMENT_KIND_RENEW) event.clear_new_issue_date();
  }
  EXPECT_EQ(CertificateChain::Restore(renew_without_window).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certreg
