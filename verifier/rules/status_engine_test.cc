#include "verifier/rules/status_engine.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/rules/date.h"
#include "verifier/rules/scheme_rules.h"

namespace certreg {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

absl::CivilDay D(int year, int month, int day) {
  return absl::CivilDay(year, month, day);
}

CertificateEvent Event(v1::StatementKind kind, absl::CivilDay date,
                       std::string reason = "") {
  CertificateEvent event;
  event.kind = kind;
  event.date = date;
  event.reason = std::move(reason);
  return event;
}
CertificateEvent Surveil(absl::CivilDay date) {
  return Event(v1::STATEMENT_KIND_SURVEILLANCE, date);
}
CertificateEvent Suspend(absl::CivilDay date, std::string reason = "整改中") {
  return Event(v1::STATEMENT_KIND_SUSPEND, date, std::move(reason));
}
CertificateEvent Reinstate(absl::CivilDay date) {
  return Event(v1::STATEMENT_KIND_REINSTATE, date);
}
CertificateEvent Revoke(absl::CivilDay date, std::string reason = "伪造报告") {
  return Event(v1::STATEMENT_KIND_REVOKE, date, std::move(reason));
}
CertificateEvent Withdraw(absl::CivilDay date,
                          std::string reason = "持证人申请") {
  return Event(v1::STATEMENT_KIND_WITHDRAW, date, std::move(reason));
}
CertificateEvent Renew(absl::CivilDay date, absl::CivilDay new_issue,
                       absl::CivilDay new_expiry) {
  CertificateEvent event = Event(v1::STATEMENT_KIND_RENEW, date);
  event.new_issue_date = new_issue;
  event.new_expiry_date = new_expiry;
  return event;
}

std::vector<v1::ReasonCode> Codes(const v1::EffectiveStatus& status) {
  std::vector<v1::ReasonCode> codes;
  for (const v1::StatusReason& reason : status.reasons()) {
    codes.push_back(reason.code());
  }
  return codes;
}

constexpr v1::CertificateStatus kValid = v1::CERTIFICATE_STATUS_VALID;
constexpr v1::CertificateStatus kSuspended = v1::CERTIFICATE_STATUS_SUSPENDED;
constexpr v1::CertificateStatus kRevoked = v1::CERTIFICATE_STATUS_REVOKED;
constexpr v1::CertificateStatus kWithdrawn = v1::CERTIFICATE_STATUS_WITHDRAWN;
constexpr v1::CertificateStatus kExpired = v1::CERTIFICATE_STATUS_EXPIRED;
constexpr v1::CertificateStatus kNotYetValid =
    v1::CERTIFICATE_STATUS_NOT_YET_VALID;

constexpr v1::ReasonCode kInPeriod = v1::REASON_CODE_IN_VALIDITY_PERIOD;
constexpr v1::ReasonCode kBeforeIssue = v1::REASON_CODE_BEFORE_ISSUE_DATE;
constexpr v1::ReasonCode kAfterExpiry = v1::REASON_CODE_AFTER_EXPIRY_DATE;
constexpr v1::ReasonCode kByBody = v1::REASON_CODE_SUSPENDED_BY_BODY;
constexpr v1::ReasonCode kOverdue = v1::REASON_CODE_SURVEILLANCE_OVERDUE;
constexpr v1::ReasonCode kRevocationDue = v1::REASON_CODE_REVOCATION_DUE;
constexpr v1::ReasonCode kRevokedByBody = v1::REASON_CODE_REVOKED_BY_BODY;
constexpr v1::ReasonCode kWithdrawnByBody = v1::REASON_CODE_WITHDRAWN_BY_BODY;

const v1::CertificationRules& Rules() {
  return RulesFor(DefaultSchemeRules(),
                  v1::CERTIFICATION_TYPE_MANAGEMENT_SYSTEM);
}

v1::EffectiveStatus Compute(const IssuedValidity& issued,
                            const std::vector<CertificateEvent>& events,
                            absl::CivilDay as_of) {
  return ComputeEffectiveStatus(issued, events, as_of, Rules());
}

// Three years from 2025-03-01: the first surveillance is due on or before
// 2026-03-01.
const IssuedValidity kIssued = {D(2025, 3, 1), D(2028, 2, 29)};
// The recertification-year case: issued 2023-12-20, audited 2024-12-10 and
// 2025-12-01, expires 2026-12-19.
const IssuedValidity kDec2023 = {D(2023, 12, 20), D(2026, 12, 19)};
const std::vector<CertificateEvent> kDec2023Audits = {Surveil(D(2024, 12, 10)),
                                                      Surveil(D(2025, 12, 1))};
// Month ends and a leap day.
const IssuedValidity kEndOfAugust = {D(2025, 8, 31), D(2028, 8, 30)};
const IssuedValidity kLeapDay = {D(2024, 2, 29), D(2027, 2, 28)};
// Ten years: the scheme allows three.
const IssuedValidity kTenYears = {D(2025, 3, 1), D(2035, 2, 28)};
// Expired 2025-01-09.
const IssuedValidity kJan2022 = {D(2022, 1, 10), D(2025, 1, 9)};

std::vector<CertificateEvent> TwoAudits() {
  return {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 10))};
}

struct Row {
  std::string name;
  IssuedValidity issued;
  std::vector<CertificateEvent> events;
  absl::CivilDay as_of;
  v1::CertificateStatus status;
  std::vector<v1::ReasonCode> reasons;
};

std::vector<Row> Rows() {
  const auto dec2023_renewed = [] {
    std::vector<CertificateEvent> events = kDec2023Audits;
    events.push_back(Renew(D(2026, 11, 20), D(2026, 12, 20), D(2029, 12, 19)));
    return events;
  }();
  return {
      // Issue date.
      {"DayBeforeIssue",
       kIssued,
       {},
       D(2025, 2, 28),
       kNotYetValid,
       {kBeforeIssue}},
      {"IssueDay", kIssued, {}, D(2025, 3, 1), kValid, {kInPeriod}},
      // First surveillance: due on or before issue + 12 months.
      {"FirstAuditDueDayBefore",
       kIssued,
       {},
       D(2026, 2, 28),
       kValid,
       {kInPeriod}},
      {"FirstAuditDueDay", kIssued, {}, D(2026, 3, 1), kValid, {kInPeriod}},
      {"FirstAuditDayAfterDue",
       kIssued,
       {},
       D(2026, 3, 2),
       kSuspended,
       {kOverdue}},
      {"FirstAuditOnDueDay",
       kIssued,
       {Surveil(D(2026, 3, 1))},
       D(2026, 3, 2),
       kValid,
       {kInPeriod}},
      {"LateAuditEndsTheOverdueSuspension",
       kIssued,
       {Surveil(D(2026, 4, 1))},
       D(2026, 4, 1),
       kValid,
       {kInPeriod}},
      {"LateAuditDayBefore",
       kIssued,
       {Surveil(D(2026, 4, 1))},
       D(2026, 3, 31),
       kSuspended,
       {kOverdue}},
      // Leap day: 2024-02-29 + 12 months = 2025-02-28.
      {"LeapDayFirstAuditDueDay",
       kLeapDay,
       {},
       D(2025, 2, 28),
       kValid,
       {kInPeriod}},
      {"LeapDayFirstAuditDayAfter",
       kLeapDay,
       {},
       D(2025, 3, 1),
       kSuspended,
       {kOverdue}},
      // Second surveillance: within 15 months of the first ...
      {"SecondAuditGapDueDay",
       kIssued,
       {Surveil(D(2026, 2, 20))},
       D(2027, 5, 20),
       kValid,
       {kInPeriod}},
      {"SecondAuditGapDayAfter",
       kIssued,
       {Surveil(D(2026, 2, 20))},
       D(2027, 5, 21),
       kSuspended,
       {kOverdue}},
      // ... and in the calendar year after the first's.
      {"SecondAuditYearEnd",
       kDec2023,
       {Surveil(D(2024, 12, 10))},
       D(2025, 12, 31),
       kValid,
       {kInPeriod}},
      {"SecondAuditNewYearsDay",
       kDec2023,
       {Surveil(D(2024, 12, 10))},
       D(2026, 1, 1),
       kSuspended,
       {kOverdue}},
      // Month end: 2026-08-31 + 15 months = 2027-11-30.
      {"EndOfAugustFirstDueDay",
       kEndOfAugust,
       {},
       D(2026, 8, 31),
       kValid,
       {kInPeriod}},
      {"EndOfAugustFirstDayAfter",
       kEndOfAugust,
       {},
       D(2026, 9, 1),
       kSuspended,
       {kOverdue}},
      {"EndOfAugustGapDueDay",
       kEndOfAugust,
       {Surveil(D(2026, 8, 31))},
       D(2027, 11, 30),
       kValid,
       {kInPeriod}},
      {"EndOfAugustGapDayAfter",
       kEndOfAugust,
       {Surveil(D(2026, 8, 31))},
       D(2027, 12, 1),
       kSuspended,
       {kOverdue}},
      // Recertification year: no third audit is due.
      {"RecertificationYearDec2",
       kDec2023,
       kDec2023Audits,
       D(2026, 12, 2),
       kValid,
       {kInPeriod}},
      {"RecertificationYearExpiryDay",
       kDec2023,
       kDec2023Audits,
       D(2026, 12, 19),
       kValid,
       {kInPeriod}},
      {"RecertificationYearDayAfterExpiry",
       kDec2023,
       kDec2023Audits,
       D(2026, 12, 20),
       kExpired,
       {kAfterExpiry}},
      {"TwoAuditsValidToExpiry",
       kIssued,
       TwoAudits(),
       D(2028, 2, 29),
       kValid,
       {kInPeriod}},
      {"TwoAuditsExpiredAfter",
       kIssued,
       TwoAudits(),
       D(2028, 3, 1),
       kExpired,
       {kAfterExpiry}},
      // Validity at most 36 months: 2025-03-01 + 36 months = 2028-03-01.
      {"TenYearsLastAllowedDay",
       kTenYears,
       TwoAudits(),
       D(2028, 3, 1),
       kValid,
       {kInPeriod}},
      {"TenYearsEndsAtThirtySixMonths",
       kTenYears,
       TwoAudits(),
       D(2028, 3, 2),
       kExpired,
       {kAfterExpiry}},
      // Renewal before expiry starts a new cycle ...
      {"RenewedNewWindow",
       kDec2023,
       dec2023_renewed,
       D(2026, 12, 20),
       kValid,
       {kInPeriod}},
      {"RenewedFirstAuditDueDay",
       kDec2023,
       dec2023_renewed,
       D(2027, 12, 20),
       kValid,
       {kInPeriod}},
      {"RenewedFirstAuditDayAfter",
       kDec2023,
       dec2023_renewed,
       D(2027, 12, 21),
       kSuspended,
       {kOverdue}},
      // ... renewal after expiry renews nothing.
      {"RenewedAfterExpiryStaysExpired",
       kJan2022,
       {Surveil(D(2022, 12, 1)), Surveil(D(2023, 11, 1)),
        Renew(D(2026, 11, 1), D(2026, 11, 1), D(2046, 10, 31))},
       D(2026, 11, 2),
       kExpired,
       {kAfterExpiry}},
      // Explicit suspension; revocation due after 6 months (Jan 31 + 6
      // months = Jul 31).
      {"SuspendedByBody",
       kIssued,
       {Suspend(D(2025, 6, 10))},
       D(2025, 6, 10),
       kSuspended,
       {kByBody}},
      {"ReinstatedDay",
       kIssued,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 7, 1))},
       D(2025, 7, 1),
       kValid,
       {kInPeriod}},
      {"SuspensionDayBeforeSixMonths",
       kIssued,
       {Suspend(D(2026, 1, 31))},
       D(2026, 7, 30),
       kSuspended,
       {kByBody, kOverdue}},
      {"SuspensionSixMonthsDay",
       kIssued,
       {Surveil(D(2026, 1, 20)), Suspend(D(2026, 1, 31))},
       D(2026, 7, 31),
       kSuspended,
       {kByBody, kRevocationDue}},
      // Overdue since 2026-03-02: revocation due 2026-09-02.
      {"OverdueDayBeforeRevocationDue",
       kIssued,
       {},
       D(2026, 9, 1),
       kSuspended,
       {kOverdue}},
      {"OverdueRevocationDueDay",
       kIssued,
       {},
       D(2026, 9, 2),
       kSuspended,
       {kOverdue, kRevocationDue}},
      // A reinstatement does not make an overdue audit done.
      {"ReinstateKeepsOverdue",
       kIssued,
       {Suspend(D(2026, 2, 1)), Reinstate(D(2026, 3, 10))},
       D(2026, 3, 10),
       kSuspended,
       {kOverdue}},
      // Terminal events beat everything.
      {"Revoked",
       kIssued,
       {Revoke(D(2025, 9, 1))},
       D(2025, 9, 1),
       kRevoked,
       {kRevokedByBody}},
      {"DayBeforeRevoked",
       kIssued,
       {Revoke(D(2025, 9, 1))},
       D(2025, 8, 31),
       kValid,
       {kInPeriod}},
      {"RevokedAfterExpiry",
       kIssued,
       {Revoke(D(2025, 9, 1))},
       D(2030, 1, 1),
       kRevoked,
       {kRevokedByBody}},
      {"Withdrawn",
       kIssued,
       {Withdraw(D(2025, 9, 1))},
       D(2025, 9, 2),
       kWithdrawn,
       {kWithdrawnByBody}},
  };
}

class StatusEngineTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(StatusEngineTableTest, ComputesStatus) {
  const Row& row = GetParam();
  const v1::EffectiveStatus status = Compute(row.issued, row.events, row.as_of);
  EXPECT_EQ(status.status(), row.status)
      << CertificateStatusNameEn(status.status());
  EXPECT_THAT(Codes(status), ElementsAreArray(row.reasons));

  // Invariants of every answer.
  EXPECT_EQ(ToCivilDay(status.as_of()), row.as_of);
  EXPECT_EQ(status.status_name_zh(), CertificateStatusNameZh(row.status));
  EXPECT_EQ(status.status_name_en(), CertificateStatusNameEn(row.status));
  ASSERT_FALSE(status.reasons().empty());
  for (const v1::StatusReason& reason : status.reasons()) {
    EXPECT_NE(reason.code(), v1::REASON_CODE_UNSPECIFIED);
    EXPECT_FALSE(reason.text_zh().empty());
    EXPECT_FALSE(reason.text_en().empty());
    if (reason.code() == v1::REASON_CODE_BEFORE_ISSUE_DATE) {
      EXPECT_FALSE(IsSet(reason.since()));
    } else {
      ASSERT_TRUE(IsSet(reason.since()));
      EXPECT_LE(ToCivilDay(reason.since()), row.as_of);
    }
  }
  EXPECT_EQ(status.revocation_due(),
            Codes(status).back() == v1::REASON_CODE_REVOCATION_DUE);
  // Pure: the same question gets the same answer.
  EXPECT_EQ(Compute(row.issued, row.events, row.as_of).SerializeAsString(),
            status.SerializeAsString());
}

INSTANTIATE_TEST_SUITE_P(Boundaries, StatusEngineTableTest,
                         ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.name;
                         });

// The reason of a status with exactly one reason of `code`.
v1::StatusReason OnlyReason(const v1::EffectiveStatus& status,
                            v1::ReasonCode code) {
  int found = -1;
  for (int i = 0; i < status.reasons_size(); ++i) {
    if (status.reasons(i).code() == code) {
      EXPECT_EQ(found, -1) << "two reasons of code " << code;
      found = i;
    }
  }
  EXPECT_NE(found, -1) << "no reason of code " << code;
  return status.reasons(found < 0 ? 0 : found);
}

std::string Since(const v1::StatusReason& reason) {
  return FormatDate(reason.since());
}

TEST(StatusEngineTest, OverdueTextsSayTheDueDayIsStillAllowed) {
  const v1::StatusReason reason =
      OnlyReason(Compute(kIssued, {}, D(2026, 3, 2)), kOverdue);
  EXPECT_EQ(reason.text_zh(),
            "未在规定期限内完成本周期第 1 次监督审核（最迟应于 2026-03-01 "
            "完成）");
  EXPECT_EQ(reason.text_en(),
            "The 1st surveillance audit of this cycle was not completed in "
            "time (due on or before 2026-03-01)");
  EXPECT_EQ(Since(reason), "2026-03-02");
  EXPECT_THAT(
      OnlyReason(Compute(kIssued, {Surveil(D(2026, 2, 20))}, D(2027, 6, 1)),
                 kOverdue)
          .text_en(),
      HasSubstr("2nd surveillance audit"));
}

TEST(StatusEngineTest, RevocationDueOnTheSixMonthDaySaysReachedNotExceeded) {
  const v1::EffectiveStatus status =
      Compute(kIssued, {Surveil(D(2026, 1, 20)), Suspend(D(2026, 1, 31))},
              D(2026, 7, 31));
  const v1::StatusReason reason = OnlyReason(status, kRevocationDue);
  EXPECT_EQ(reason.text_zh(), "暂停已满 6 个月，自 2026-07-31 起应予撤销");
  EXPECT_EQ(reason.text_en(),
            "Suspended for 6 months; revocation is due from 2026-07-31");
  EXPECT_EQ(Since(reason), "2026-07-31");
  EXPECT_TRUE(status.revocation_due());
}

TEST(StatusEngineTest, ExpiryCappedAtTheLongestValidityNamesBothDates) {
  const v1::StatusReason reason =
      OnlyReason(Compute(kTenYears, TwoAudits(), D(2029, 1, 1)), kAfterExpiry);
  EXPECT_THAT(reason.text_en(), HasSubstr("at most 36 months"));
  EXPECT_THAT(reason.text_en(), HasSubstr("2028-03-01"));
  EXPECT_THAT(reason.text_en(), HasSubstr("2035-02-28"));
  EXPECT_EQ(Since(reason), "2028-03-02");
}

TEST(StatusEngineTest, ValidTextsNameTheEndOfValidity) {
  const v1::StatusReason reason =
      OnlyReason(Compute(kIssued, {}, D(2025, 7, 9)), kInPeriod);
  EXPECT_EQ(reason.text_zh(), "证书有效（有效期至 2028-02-29）");
  EXPECT_EQ(reason.text_en(), "The certificate is valid (until 2028-02-29)");
  EXPECT_EQ(Since(reason), "2025-03-01");
}

TEST(StatusEngineTest, EarlyRenewalIsValidSinceTheRenewalDate) {
  const v1::EffectiveStatus status =
      Compute(kDec2023,
              {Surveil(D(2024, 12, 10)), Surveil(D(2025, 12, 1)),
               Renew(D(2026, 11, 20), D(2026, 12, 20), D(2029, 12, 19))},
              D(2026, 12, 1));
  EXPECT_EQ(Since(OnlyReason(status, kInPeriod)), "2026-11-20");
}

TEST(StatusEngineTest, ExplicitSuspensionTextsQuoteTheReason) {
  const v1::StatusReason reason =
      OnlyReason(Compute(kIssued, {Suspend(D(2025, 6, 10), "监督审核不通过")},
                         D(2025, 7, 1)),
                 kByBody);
  EXPECT_EQ(reason.text_zh(), "证书已被认证机构暂停：监督审核不通过");
  EXPECT_EQ(reason.text_en(),
            "The certificate has been suspended by the certification body: "
            "监督审核不通过");
  EXPECT_EQ(Since(reason), "2025-06-10");
}

TEST(StatusEngineTest, RulesChangeTheAnswer) {
  v1::CertificationRules rules = Rules();
  rules.set_first_surveillance_months(6);
  EXPECT_EQ(ComputeEffectiveStatus(kIssued, {}, D(2025, 9, 2), rules).status(),
            kSuspended);
  rules.set_surveillances_per_cycle(0);
  EXPECT_EQ(ComputeEffectiveStatus(kIssued, {}, D(2027, 9, 2), rules).status(),
            kValid);
}

TEST(SurveillanceDueTest, FollowsTheCycle) {
  EXPECT_EQ(SurveillanceDue(D(2023, 12, 20), {}, Rules()), D(2024, 12, 20));
  EXPECT_EQ(SurveillanceDue(D(2023, 12, 20), {D(2024, 12, 10)}, Rules()),
            D(2025, 12, 31));
  EXPECT_EQ(SurveillanceDue(D(2024, 1, 15), {D(2025, 1, 10)}, Rules()),
            D(2026, 4, 10));
  EXPECT_EQ(SurveillanceDue(D(2023, 12, 20), {D(2024, 12, 10), D(2025, 12, 1)},
                            Rules()),
            std::nullopt);
}

TEST(StatusEngineTest, HistoryIsAnsweredExactlyDayByDay) {
  // One chain asked about every day from before issue to after expiry: the
  // status only changes on the expected days.
  const std::vector<CertificateEvent> events = {
      Surveil(D(2026, 2, 20)), Suspend(D(2026, 5, 1)), Reinstate(D(2026, 6, 1)),
      Surveil(D(2027, 2, 10))};
  std::vector<std::pair<absl::CivilDay, v1::CertificateStatus>> changes;
  v1::CertificateStatus last = v1::CERTIFICATE_STATUS_UNSPECIFIED;
  for (absl::CivilDay day = D(2025, 1, 1); day <= D(2029, 1, 1); ++day) {
    const v1::CertificateStatus now = Compute(kIssued, events, day).status();
    if (now != last) changes.emplace_back(day, now);
    last = now;
  }
  const std::vector<std::pair<absl::CivilDay, v1::CertificateStatus>> expected =
      {{D(2025, 1, 1), kNotYetValid},
       {D(2025, 3, 1), kValid},
       {D(2026, 5, 1), kSuspended},
       {D(2026, 6, 1), kValid},
       {D(2028, 3, 1), kExpired}};
  EXPECT_EQ(changes, expected);
}

TEST(CertificateStatusNameTest, ChineseNames) {
  EXPECT_EQ(CertificateStatusNameZh(kValid), "有效");
  EXPECT_EQ(CertificateStatusNameZh(kSuspended), "暂停");
  EXPECT_EQ(CertificateStatusNameZh(kRevoked), "撤销");
  EXPECT_EQ(CertificateStatusNameZh(kWithdrawn), "注销");
  EXPECT_EQ(CertificateStatusNameZh(kExpired), "过期");
  EXPECT_EQ(CertificateStatusNameZh(kNotYetValid), "未生效");
  EXPECT_EQ(CertificateStatusNameZh(v1::CERTIFICATE_STATUS_UNSPECIFIED),
            "未知");
  EXPECT_EQ(CertificateStatusNameZh(static_cast<v1::CertificateStatus>(99)),
            "未知");
}

TEST(CertificateStatusNameTest, EnglishNames) {
  EXPECT_EQ(CertificateStatusNameEn(kValid), "valid");
  EXPECT_EQ(CertificateStatusNameEn(kSuspended), "suspended");
  EXPECT_EQ(CertificateStatusNameEn(kRevoked), "revoked");
  EXPECT_EQ(CertificateStatusNameEn(kWithdrawn), "withdrawn");
  EXPECT_EQ(CertificateStatusNameEn(kExpired), "expired");
  EXPECT_EQ(CertificateStatusNameEn(kNotYetValid), "not yet valid");
  EXPECT_EQ(CertificateStatusNameEn(v1::CERTIFICATE_STATUS_UNSPECIFIED),
            "unknown");
  EXPECT_EQ(CertificateStatusNameEn(static_cast<v1::CertificateStatus>(99)),
            "unknown");
}

TEST(CertificateStatusNameTest, EveryStatusHasDistinctNames) {
  std::vector<std::string> zh, en;
  for (int value = v1::CertificateStatus_MIN + 1;
       value <= v1::CertificateStatus_MAX; ++value) {
    ASSERT_TRUE(v1::CertificateStatus_IsValid(value));
    const auto status = static_cast<v1::CertificateStatus>(value);
    zh.emplace_back(CertificateStatusNameZh(status));
    en.emplace_back(CertificateStatusNameEn(status));
    EXPECT_NE(zh.back(), "未知") << value;
    EXPECT_NE(en.back(), "unknown") << value;
  }
  for (size_t i = 0; i < zh.size(); ++i) {
    for (size_t j = i + 1; j < zh.size(); ++j) {
      EXPECT_NE(zh[i], zh[j]);
      EXPECT_NE(en[i], en[j]);
    }
  }
}

}  // namespace
}  // namespace certreg

namespace certreg {
namespace {

// Every day from well before issue to well after expiry on which the
// answer (status or reason codes) differs from the day before.
std::vector<absl::CivilDay> ChangesByScanning(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    const v1::CertificationRules& rules) {
  std::vector<absl::CivilDay> changes;
  v1::EffectiveStatus last =
      ComputeEffectiveStatus(issued, events, issued.issue_date - 400, rules);
  for (absl::CivilDay day = issued.issue_date - 399;
       day <= issued.issue_date + 12 * 366; ++day) {
    v1::EffectiveStatus now =
        ComputeEffectiveStatus(issued, events, day, rules);
    if (Codes(now) != Codes(last) || now.status() != last.status()) {
      changes.push_back(day);
    }
    last = std::move(now);
  }
  return changes;
}

std::vector<absl::CivilDay> ChangesByNextStatusChange(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    const v1::CertificationRules& rules) {
  std::vector<absl::CivilDay> changes;
  absl::CivilDay after = issued.issue_date - 400;
  while (std::optional<absl::CivilDay> next =
             NextStatusChange(issued, events, after, rules)) {
    if (*next > issued.issue_date + 12 * 366) break;
    changes.push_back(*next);
    after = *next;
  }
  return changes;
}

// NextStatusChange finds exactly the days a day-by-day scan finds, for every
// chain of the table above and a few more, under two sets of rules.
TEST(NextStatusChangeTest, AgreesWithADayByDayScan) {
  std::vector<std::pair<IssuedValidity, std::vector<CertificateEvent>>> chains;
  for (const Row& row : Rows()) chains.emplace_back(row.issued, row.events);
  chains.push_back({kIssued,
                    {Surveil(D(2026, 2, 20)), Suspend(D(2026, 5, 1)),
                     Reinstate(D(2026, 6, 1)), Surveil(D(2027, 2, 10))}});
  chains.push_back({kIssued, {Suspend(D(2025, 6, 1))}});
  chains.push_back({kIssued, {Surveil(D(2026, 2, 20)), Revoke(D(2026, 9, 1))}});
  chains.push_back({kIssued, {Withdraw(D(2025, 12, 1))}});
  chains.push_back({kIssued,
                    {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 10)),
                     Renew(D(2027, 12, 1), D(2028, 3, 1), D(2031, 2, 28)),
                     Surveil(D(2029, 2, 1))}});
  chains.push_back({kLeapDay, {}});
  chains.push_back({kTenYears, {Surveil(D(2026, 1, 5))}});
  v1::CertificationRules lenient = Rules();
  lenient.set_audit_every_calendar_year(false);
  lenient.set_max_suspension_months(3);
  lenient.set_first_surveillance_months(18);
  int compared = 0;
  for (const v1::CertificationRules& rules : {Rules(), lenient}) {
    for (const auto& [issued, events] : chains) {
      const std::vector<absl::CivilDay> scanned =
          ChangesByScanning(issued, events, rules);
      EXPECT_EQ(ChangesByNextStatusChange(issued, events, rules), scanned)
          << "chain " << compared;
      EXPECT_FALSE(scanned.empty());
      ++compared;
    }
  }
  EXPECT_GE(compared, 40);
}

TEST(NextStatusChangeTest, NamesTheFirstOverdueDayAndTheDayAfterExpiry) {
  // Issued 2025-03-01: the first audit is due by 2026-03-01, so the
  // certificate is suspended from 2026-03-02 on; with both audits done it
  // expires the day after 2028-02-29.
  EXPECT_EQ(NextStatusChange(kIssued, {}, D(2025, 6, 1), Rules()),
            D(2026, 3, 2));
  EXPECT_EQ(NextStatusChange(kIssued, TwoAudits(), D(2027, 6, 1), Rules()),
            D(2028, 3, 1));
  EXPECT_EQ(NextStatusChange(kIssued, {Revoke(D(2025, 6, 1))}, D(2025, 6, 1),
                             Rules()),
            std::nullopt);
}

}  // namespace
}  // namespace certreg
