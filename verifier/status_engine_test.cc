#include "verifier/status_engine.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifier/date.h"

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

// Three years from 2025-03-01; with the default policy the first surveillance
// is due by 2026-03-01.
const IssuedValidity kIssued = {D(2025, 3, 1), D(2028, 2, 29)};
// One year: expires before the first surveillance falls due.
const IssuedValidity kOneYear = {D(2025, 3, 1), D(2026, 2, 28)};
const IssuedValidity kEndOfAugust = {D(2025, 8, 31), D(2028, 8, 30)};
const IssuedValidity kLeapDay = {D(2024, 2, 29), D(2029, 2, 28)};
const IssuedValidity kEndOfAugust2024 = {D(2024, 8, 30), D(2027, 8, 29)};

const SurveillancePolicy kDefault;
const SurveillancePolicy kGrace30 = {12, 30, 6};
const SurveillancePolicy kInterval6 = {6, 0, 6};
const SurveillancePolicy kInterval24 = {24, 0, 6};
const SurveillancePolicy kInterval48 = {48, 0, 6};
const SurveillancePolicy kInterval1 = {1, 0, 6};
const SurveillancePolicy kMax3 = {12, 0, 3};

// Audits that keep kIssued in surveillance to its expiry date.
std::vector<CertificateEvent> AuditedToExpiry() {
  return {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
          Surveil(D(2028, 2, 10))};
}
// Audited, expired on 2028-02-29, renewed on 2028-03-10.
std::vector<CertificateEvent> RenewedAfterExpiry() {
  std::vector<CertificateEvent> events = AuditedToExpiry();
  events.push_back(Renew(D(2028, 3, 10), D(2028, 3, 10), D(2031, 3, 9)));
  return events;
}

struct Row {
  std::string name;
  IssuedValidity issued;
  SurveillancePolicy policy;
  std::vector<CertificateEvent> events;
  absl::CivilDay as_of;
  v1::CertificateStatus status;
  std::vector<v1::ReasonCode> reasons;
  bool revocation_due;
};

std::vector<Row> Rows() {
  return {
      // Issue date.
      {"DayBeforeIssue",
       kIssued,
       kDefault,
       {},
       D(2025, 2, 28),
       kNotYetValid,
       {kBeforeIssue},
       false},
      {"IssueDay",
       kIssued,
       kDefault,
       {},
       D(2025, 3, 1),
       kValid,
       {kInPeriod},
       false},
      {"LongBeforeIssue",
       kIssued,
       kDefault,
       {},
       D(1999, 1, 1),
       kNotYetValid,
       {kBeforeIssue},
       false},
      {"BeforeIssueBeatsRevocation",
       kIssued,
       kDefault,
       {Revoke(D(2025, 2, 1))},
       D(2025, 2, 28),
       kNotYetValid,
       {kBeforeIssue},
       false},

      // Expiry date.
      {"ExpiryDayOneYear",
       kOneYear,
       kDefault,
       {},
       D(2026, 2, 28),
       kValid,
       {kInPeriod},
       false},
      {"DayAfterExpiryOneYear",
       kOneYear,
       kDefault,
       {},
       D(2026, 3, 1),
       kExpired,
       {kAfterExpiry},
       false},
      {"ExpiryDayAudited",
       kIssued,
       kDefault,
       AuditedToExpiry(),
       D(2028, 2, 29),
       kValid,
       {kInPeriod},
       false},
      {"DayAfterExpiryAudited",
       kIssued,
       kDefault,
       AuditedToExpiry(),
       D(2028, 3, 1),
       kExpired,
       {kAfterExpiry},
       false},
      {"LongAfterExpiry",
       kIssued,
       kDefault,
       AuditedToExpiry(),
       D(2040, 1, 1),
       kExpired,
       {kAfterExpiry},
       false},
      {"ExpiryBeatsOverdue",
       kIssued,
       kDefault,
       {},
       D(2028, 3, 1),
       kExpired,
       {kAfterExpiry},
       false},
      {"ExpiryBeatsSuspension",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
        Suspend(D(2027, 12, 1))},
       D(2028, 3, 1),
       kExpired,
       {kAfterExpiry},
       false},

      // Surveillance due date, interval 12, no grace: due 2026-03-01.
      {"SurveillanceDueDay",
       kIssued,
       kDefault,
       {},
       D(2026, 3, 1),
       kValid,
       {kInPeriod},
       false},
      {"SurveillanceDayAfterDue",
       kIssued,
       kDefault,
       {},
       D(2026, 3, 2),
       kSuspended,
       {kOverdue},
       false},
      // With 30 days' grace: due 2026-03-31.
      {"GraceDueDay",
       kIssued,
       kGrace30,
       {},
       D(2026, 3, 31),
       kValid,
       {kInPeriod},
       false},
      {"GraceDayAfterDue",
       kIssued,
       kGrace30,
       {},
       D(2026, 4, 1),
       kSuspended,
       {kOverdue},
       false},
      {"GraceCoversDayAfterPlainDue",
       kIssued,
       kGrace30,
       {},
       D(2026, 3, 2),
       kValid,
       {kInPeriod},
       false},
      // Interval 6: due 2025-09-01.
      {"Interval6DueDay",
       kIssued,
       kInterval6,
       {},
       D(2025, 9, 1),
       kValid,
       {kInPeriod},
       false},
      {"Interval6DayAfterDue",
       kIssued,
       kInterval6,
       {},
       D(2025, 9, 2),
       kSuspended,
       {kOverdue},
       false},

      // An on-time audit resets the reference: due 2027-02-15.
      {"OnTimeAuditPassesOldDueDate",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15))},
       D(2026, 3, 2),
       kValid,
       {kInPeriod},
       false},
      {"OnTimeAuditNewDueDay",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15))},
       D(2027, 2, 15),
       kValid,
       {kInPeriod},
       false},
      {"OnTimeAuditDayAfterNewDue",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15))},
       D(2027, 2, 16),
       kSuspended,
       {kOverdue},
       false},
      {"AuditOnDueDay",
       kIssued,
       kDefault,
       {Surveil(D(2026, 3, 1))},
       D(2026, 3, 2),
       kValid,
       {kInPeriod},
       false},
      {"TwoAuditsLastCounts",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15)), Surveil(D(2027, 1, 10))},
       D(2028, 1, 10),
       kValid,
       {kInPeriod},
       false},
      {"TwoAuditsDayAfterSecondDue",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15)), Surveil(D(2027, 1, 10))},
       D(2028, 1, 11),
       kSuspended,
       {kOverdue},
       false},
      // A late audit lifts the automatic suspension from its date on.
      {"LateAuditDayBefore",
       kIssued,
       kDefault,
       {Surveil(D(2026, 4, 10))},
       D(2026, 4, 9),
       kSuspended,
       {kOverdue},
       false},
      {"LateAuditDay",
       kIssued,
       kDefault,
       {Surveil(D(2026, 4, 10))},
       D(2026, 4, 10),
       kValid,
       {kInPeriod},
       false},

      // Overdue since 2026-03-02: revocation due from 2026-09-02.
      {"OverdueDayBeforeMax",
       kIssued,
       kDefault,
       {},
       D(2026, 9, 1),
       kSuspended,
       {kOverdue},
       false},
      {"OverduePlusSixMonths",
       kIssued,
       kDefault,
       {},
       D(2026, 9, 2),
       kSuspended,
       {kOverdue, kRevocationDue},
       true},
      {"OverdueLongAfter",
       kIssued,
       kDefault,
       {},
       D(2027, 6, 1),
       kSuspended,
       {kOverdue, kRevocationDue},
       true},
      // With grace: overdue since 2026-04-01, revocation due 2026-10-01.
      {"GraceOverdueDayBeforeMax",
       kIssued,
       kGrace30,
       {},
       D(2026, 9, 30),
       kSuspended,
       {kOverdue},
       false},
      {"GraceOverduePlusSixMonths",
       kIssued,
       kGrace30,
       {},
       D(2026, 10, 1),
       kSuspended,
       {kOverdue, kRevocationDue},
       true},
      {"OverduePlusThreeMonthsMax3",
       kIssued,
       kMax3,
       {},
       D(2026, 6, 2),
       kSuspended,
       {kOverdue, kRevocationDue},
       true},
      {"OverdueDayBeforeMax3",
       kIssued,
       kMax3,
       {},
       D(2026, 6, 1),
       kSuspended,
       {kOverdue},
       false},

      // Explicit suspension on 2025-06-10.
      {"SuspensionDayBefore",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10))},
       D(2025, 6, 9),
       kValid,
       {kInPeriod},
       false},
      {"SuspensionDay",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10))},
       D(2025, 6, 10),
       kSuspended,
       {kByBody},
       false},
      {"SuspensionDayBeforeMax",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10))},
       D(2025, 12, 9),
       kSuspended,
       {kByBody},
       false},
      {"SuspensionExactlyMaxOld",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10))},
       D(2025, 12, 10),
       kSuspended,
       {kByBody, kRevocationDue},
       true},
      {"SuspensionMax3",
       kIssued,
       kMax3,
       {Suspend(D(2025, 6, 10))},
       D(2025, 9, 10),
       kSuspended,
       {kByBody, kRevocationDue},
       true},
      {"SuspensionMax3DayBefore",
       kIssued,
       kMax3,
       {Suspend(D(2025, 6, 10))},
       D(2025, 9, 9),
       kSuspended,
       {kByBody},
       false},
      {"SuspendedDayBeforeReinstatement",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 7, 1))},
       D(2025, 6, 30),
       kSuspended,
       {kByBody},
       false},
      {"ReinstatementDay",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 7, 1))},
       D(2025, 7, 1),
       kValid,
       {kInPeriod},
       false},
      {"SuspendAndReinstateSameDay",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 6, 10))},
       D(2025, 6, 10),
       kValid,
       {kInPeriod},
       false},
      {"ReinstateWithoutSuspension",
       kIssued,
       kDefault,
       {Reinstate(D(2025, 6, 10))},
       D(2025, 6, 10),
       kValid,
       {kInPeriod},
       false},
      // Suspended again on 2025-08-15: the latest suspension counts.
      {"ResuspendedDayBeforeMax",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 7, 1)),
        Suspend(D(2025, 8, 15))},
       D(2026, 2, 14),
       kSuspended,
       {kByBody},
       false},
      {"ResuspendedMaxOld",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 7, 1)),
        Suspend(D(2025, 8, 15))},
       D(2026, 2, 15),
       kSuspended,
       {kByBody, kRevocationDue},
       true},
      // A reinstatement does not count as an audit.
      {"ReinstatementDoesNotResetSurveillance",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2026, 4, 1))},
       D(2026, 4, 1),
       kSuspended,
       {kOverdue},
       false},
      // Explicit and automatic suspension together.
      {"SuspendedAndOverdue",
       kIssued,
       kDefault,
       {Suspend(D(2026, 1, 10))},
       D(2026, 3, 2),
       kSuspended,
       {kByBody, kOverdue},
       false},
      {"SuspendedAndOverdueDayBeforeMax",
       kIssued,
       kDefault,
       {Suspend(D(2026, 1, 10))},
       D(2026, 7, 9),
       kSuspended,
       {kByBody, kOverdue},
       false},
      {"SuspendedAndOverdueMaxOld",
       kIssued,
       kDefault,
       {Suspend(D(2026, 1, 10))},
       D(2026, 7, 10),
       kSuspended,
       {kByBody, kOverdue, kRevocationDue},
       true},
      {"SuspendedAndOverdueBothDue",
       kIssued,
       kDefault,
       {Suspend(D(2026, 1, 10))},
       D(2026, 9, 2),
       kSuspended,
       {kByBody, kOverdue, kRevocationDue},
       true},

      // Terminal events.
      {"DayBeforeRevocation",
       kIssued,
       kDefault,
       {Revoke(D(2026, 1, 5))},
       D(2026, 1, 4),
       kValid,
       {kInPeriod},
       false},
      {"RevocationDay",
       kIssued,
       kDefault,
       {Revoke(D(2026, 1, 5))},
       D(2026, 1, 5),
       kRevoked,
       {kRevokedByBody},
       false},
      {"RevokedThenAfterExpiry",
       kIssued,
       kDefault,
       {Revoke(D(2026, 1, 5))},
       D(2029, 1, 1),
       kRevoked,
       {kRevokedByBody},
       false},
      {"RevokedWhenOverdueAndSuspended",
       kIssued,
       kDefault,
       {Suspend(D(2026, 1, 10)), Revoke(D(2026, 9, 1))},
       D(2026, 12, 1),
       kRevoked,
       {kRevokedByBody},
       false},
      {"RevokedAfterRenewal",
       kIssued,
       kDefault,
       {Renew(D(2026, 2, 1), D(2026, 2, 1), D(2029, 1, 31)),
        Revoke(D(2026, 5, 1))},
       D(2030, 1, 1),
       kRevoked,
       {kRevokedByBody},
       false},
      {"DayBeforeWithdrawal",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15)), Withdraw(D(2026, 5, 1))},
       D(2026, 4, 30),
       kValid,
       {kInPeriod},
       false},
      {"WithdrawalDay",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15)), Withdraw(D(2026, 5, 1))},
       D(2026, 5, 1),
       kWithdrawn,
       {kWithdrawnByBody},
       false},
      {"WithdrawnThenAfterExpiry",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 15)), Withdraw(D(2026, 5, 1))},
       D(2030, 1, 1),
       kWithdrawn,
       {kWithdrawnByBody},
       false},
      {"WithdrawnWhileSuspended",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Withdraw(D(2025, 7, 1))},
       D(2025, 7, 1),
       kWithdrawn,
       {kWithdrawnByBody},
       false},
      {"LastTerminalEventWins",
       kIssued,
       kDefault,
       {Revoke(D(2025, 6, 1)), Withdraw(D(2025, 7, 1))},
       D(2025, 7, 1),
       kWithdrawn,
       {kWithdrawnByBody},
       false},
      {"LastCountedTerminalEventWins",
       kIssued,
       kDefault,
       {Revoke(D(2025, 6, 1)), Withdraw(D(2025, 7, 1))},
       D(2025, 6, 30),
       kRevoked,
       {kRevokedByBody},
       false},

      // Renewal after the expiry date (2028-02-29), dated 2028-03-10.
      {"RenewedAfterExpiryAskedOnExpiryDay",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2028, 2, 29),
       kValid,
       {kInPeriod},
       false},
      {"RenewedAfterExpiryAskedBeforeRenewal",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2028, 3, 1),
       kExpired,
       {kAfterExpiry},
       false},
      {"RenewedAfterExpiryAskedDayBeforeRenewal",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2028, 3, 9),
       kExpired,
       {kAfterExpiry},
       false},
      {"RenewedAfterExpiryAskedOnRenewalDay",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2028, 3, 10),
       kValid,
       {kInPeriod},
       false},
      {"RenewalIsAnAuditDueDay",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2029, 3, 10),
       kValid,
       {kInPeriod},
       false},
      {"RenewalIsAnAuditDayAfterDue",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2029, 3, 11),
       kSuspended,
       {kOverdue},
       false},
      {"RenewedWindowExpiryDay",
       kIssued,
       kInterval48,
       RenewedAfterExpiry(),
       D(2031, 3, 9),
       kValid,
       {kInPeriod},
       false},
      {"RenewedWindowDayAfterExpiry",
       kIssued,
       kDefault,
       RenewedAfterExpiry(),
       D(2031, 3, 10),
       kExpired,
       {kAfterExpiry},
       false},
      // Renewed early (2027-12-01) for a window from 2028-03-01.
      {"RenewedEarlyOldExpiryDay",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
        Renew(D(2027, 12, 1), D(2028, 3, 1), D(2031, 2, 28))},
       D(2028, 2, 29),
       kValid,
       {kInPeriod},
       false},
      {"RenewedEarlyDayAfterOldExpiry",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
        Renew(D(2027, 12, 1), D(2028, 3, 1), D(2031, 2, 28))},
       D(2028, 3, 1),
       kValid,
       {kInPeriod},
       false},
      {"RenewedEarlyNewDueDay",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
        Renew(D(2027, 12, 1), D(2028, 3, 1), D(2031, 2, 28))},
       D(2029, 3, 1),
       kValid,
       {kInPeriod},
       false},
      {"RenewedEarlyDayAfterNewDue",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
        Renew(D(2027, 12, 1), D(2028, 3, 1), D(2031, 2, 28))},
       D(2029, 3, 2),
       kSuspended,
       {kOverdue},
       false},
      // A renewal within the window resets the surveillance reference.
      {"RenewalResetsReference",
       kIssued,
       kDefault,
       {Renew(D(2026, 2, 1), D(2026, 2, 1), D(2029, 1, 31))},
       D(2026, 3, 2),
       kValid,
       {kInPeriod},
       false},
      {"RenewalResetsReferenceDayAfterDue",
       kIssued,
       kDefault,
       {Renew(D(2026, 2, 1), D(2026, 2, 1), D(2029, 1, 31))},
       D(2027, 2, 2),
       kSuspended,
       {kOverdue},
       false},
      {"LaterAuditBeatsRenewal",
       kIssued,
       kDefault,
       {Renew(D(2026, 2, 1), D(2026, 2, 1), D(2029, 1, 31)),
        Surveil(D(2026, 6, 1))},
       D(2027, 6, 1),
       kValid,
       {kInPeriod},
       false},
      {"RenewalDoesNotLiftSuspension",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)),
        Renew(D(2025, 7, 1), D(2025, 7, 1), D(2028, 6, 30))},
       D(2025, 7, 1),
       kSuspended,
       {kByBody},
       false},

      // Events dated after as_of are ignored.
      {"SuspendDatedTomorrowIgnored",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 11))},
       D(2025, 6, 10),
       kValid,
       {kInPeriod},
       false},
      {"RevokeDatedTomorrowIgnored",
       kIssued,
       kDefault,
       {Revoke(D(2025, 6, 11))},
       D(2025, 6, 10),
       kValid,
       {kInPeriod},
       false},
      {"WithdrawDatedTomorrowIgnored",
       kIssued,
       kDefault,
       {Withdraw(D(2025, 6, 11))},
       D(2025, 6, 10),
       kValid,
       {kInPeriod},
       false},
      {"ReinstateDatedTomorrowIgnored",
       kIssued,
       kDefault,
       {Suspend(D(2025, 6, 10)), Reinstate(D(2025, 6, 21))},
       D(2025, 6, 20),
       kSuspended,
       {kByBody},
       false},
      {"SurveillanceDatedTomorrowIgnored",
       kIssued,
       kDefault,
       {Surveil(D(2026, 3, 3))},
       D(2026, 3, 2),
       kSuspended,
       {kOverdue},
       false},
      {"RenewDatedTomorrowIgnored",
       kIssued,
       kDefault,
       {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
        Renew(D(2028, 3, 2), D(2028, 3, 2), D(2031, 3, 1))},
       D(2028, 3, 1),
       kExpired,
       {kAfterExpiry},
       false},

      // Kinds that do not affect the status.
      {"ChangeScopeIgnored",
       kIssued,
       kDefault,
       {Event(v1::STATEMENT_KIND_CHANGE_SCOPE, D(2026, 2, 1))},
       D(2026, 3, 2),
       kSuspended,
       {kOverdue},
       false},
      {"OtherKindsIgnored",
       kIssued,
       kDefault,
       {Event(v1::STATEMENT_KIND_ISSUE, D(2025, 3, 1)),
        Event(v1::STATEMENT_KIND_UNSPECIFIED, D(2025, 4, 1)),
        Event(v1::STATEMENT_KIND_ACCREDIT_BODY, D(2025, 5, 1))},
       D(2025, 6, 1),
       kValid,
       {kInPeriod},
       false},

      // Month-end clamping.
      {"EndOfAugustDueDay",
       kEndOfAugust,
       kDefault,
       {},
       D(2026, 8, 31),
       kValid,
       {kInPeriod},
       false},
      {"EndOfAugustDayAfterDue",
       kEndOfAugust,
       kDefault,
       {},
       D(2026, 9, 1),
       kSuspended,
       {kOverdue},
       false},
      {"EndOfAugustOverdueDayBeforeMax",
       kEndOfAugust,
       kDefault,
       {},
       D(2027, 2, 28),
       kSuspended,
       {kOverdue},
       false},
      {"EndOfAugustOverdueMaxOld",
       kEndOfAugust,
       kDefault,
       {},
       D(2027, 3, 1),
       kSuspended,
       {kOverdue, kRevocationDue},
       true},
      {"EndOfAugustInterval6DueDay",
       kEndOfAugust,
       kInterval6,
       {},
       D(2026, 2, 28),
       kValid,
       {kInPeriod},
       false},
      {"EndOfAugustInterval6DayAfterDue",
       kEndOfAugust,
       kInterval6,
       {},
       D(2026, 3, 1),
       kSuspended,
       {kOverdue},
       false},
      {"LeapDayDueDay",
       kLeapDay,
       kDefault,
       {},
       D(2025, 2, 28),
       kValid,
       {kInPeriod},
       false},
      {"LeapDayDayAfterDue",
       kLeapDay,
       kDefault,
       {},
       D(2025, 3, 1),
       kSuspended,
       {kOverdue},
       false},
      {"LeapDayInterval24DueDay",
       kLeapDay,
       kInterval24,
       {},
       D(2026, 2, 28),
       kValid,
       {kInPeriod},
       false},
      {"LeapDayInterval24DayAfterDue",
       kLeapDay,
       kInterval24,
       {},
       D(2026, 3, 1),
       kSuspended,
       {kOverdue},
       false},
      {"LeapDayInterval48DueDay",
       kLeapDay,
       kInterval48,
       {},
       D(2028, 2, 29),
       kValid,
       {kInPeriod},
       false},
      {"LeapDayInterval48DayAfterDue",
       kLeapDay,
       kInterval48,
       {},
       D(2028, 3, 1),
       kSuspended,
       {kOverdue},
       false},
      {"AuditOnJan31Interval1DueDay",
       kIssued,
       kInterval1,
       {Surveil(D(2026, 1, 31))},
       D(2026, 2, 28),
       kValid,
       {kInPeriod},
       false},
      {"AuditOnJan31Interval1DayAfterDue",
       kIssued,
       kInterval1,
       {Surveil(D(2026, 1, 31))},
       D(2026, 3, 1),
       kSuspended,
       {kOverdue},
       false},
      {"SuspendedAug31DayBeforeMax",
       kIssued,
       kDefault,
       {Suspend(D(2025, 8, 31))},
       D(2026, 2, 27),
       kSuspended,
       {kByBody},
       false},
      {"SuspendedAug31MaxOld",
       kIssued,
       kDefault,
       {Suspend(D(2025, 8, 31))},
       D(2026, 2, 28),
       kSuspended,
       {kByBody, kRevocationDue},
       true},
      // Overdue since 2025-08-31: revocation due 2026-02-28.
      {"OverdueSinceAug31DayBeforeMax",
       kEndOfAugust2024,
       kDefault,
       {},
       D(2026, 2, 27),
       kSuspended,
       {kOverdue},
       false},
      {"OverdueSinceAug31MaxOld",
       kEndOfAugust2024,
       kDefault,
       {},
       D(2026, 2, 28),
       kSuspended,
       {kOverdue, kRevocationDue},
       true},
  };
}

class StatusEngineTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(StatusEngineTableTest, ComputesStatus) {
  const Row& row = GetParam();
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(row.issued, row.events, row.as_of, row.policy);
  EXPECT_EQ(status.status(), row.status)
      << CertificateStatusNameEn(status.status());
  EXPECT_THAT(Codes(status), ElementsAreArray(row.reasons));
  EXPECT_EQ(status.revocation_due(), row.revocation_due);

  // Invariants of every answer.
  EXPECT_EQ(ToCivilDay(status.as_of()), row.as_of);
  ASSERT_FALSE(status.reasons().empty());
  for (const v1::StatusReason& reason : status.reasons()) {
    EXPECT_NE(reason.code(), v1::REASON_CODE_UNSPECIFIED);
    EXPECT_FALSE(reason.text_zh().empty());
    EXPECT_FALSE(reason.text_en().empty());
    if (reason.code() == v1::REASON_CODE_BEFORE_ISSUE_DATE) {
      EXPECT_FALSE(IsSet(reason.since()));
    } else {
      ASSERT_TRUE(IsSet(reason.since()));
      EXPECT_TRUE(ValidateDate(reason.since(), "since").ok());
      EXPECT_LE(ToCivilDay(reason.since()), row.as_of);
    }
  }
  EXPECT_EQ(status.revocation_due(),
            Codes(status).back() == v1::REASON_CODE_REVOCATION_DUE);

  // Pure: the same question gets the same answer.
  EXPECT_EQ(
      ComputeEffectiveStatus(row.issued, row.events, row.as_of, row.policy)
          .SerializeAsString(),
      status.SerializeAsString());
}

INSTANTIATE_TEST_SUITE_P(Boundaries, StatusEngineTableTest,
                         ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.name;
                         });

// The reason of a status with exactly one reason of `code`.
const v1::StatusReason& OnlyReason(const v1::EffectiveStatus& status,
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

TEST(StatusEngineTest, DefaultPolicyArgument) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kIssued, {}, D(2026, 3, 2));
  EXPECT_EQ(status.status(), kSuspended);
}

TEST(StatusEngineTest, AsOfIsEchoed) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kIssued, {}, D(2025, 7, 9), kDefault);
  EXPECT_EQ(FormatDate(status.as_of()), "2025-07-09");
}

TEST(StatusEngineTest, NotYetValidTexts) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kIssued, {}, D(2025, 2, 28), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kBeforeIssue);
  EXPECT_EQ(reason.text_zh(), "尚未到颁证日期");
  EXPECT_THAT(reason.text_en(), HasSubstr("2025-03-01"));
  EXPECT_FALSE(reason.has_since());
  EXPECT_FALSE(status.revocation_due());
}

TEST(StatusEngineTest, ValidTextsAndSince) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Surveil(D(2026, 2, 15))}, D(2026, 6, 1), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kInPeriod);
  EXPECT_EQ(reason.text_zh(), "证书有效");
  EXPECT_THAT(reason.text_en(), HasSubstr("valid"));
  EXPECT_EQ(Since(reason), "2025-03-01");
}

TEST(StatusEngineTest, ValidAfterRenewalIsSinceTheNewIssueDate) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, RenewedAfterExpiry(), D(2028, 6, 1), kDefault);
  EXPECT_EQ(Since(OnlyReason(status, kInPeriod)), "2028-03-10");
}

TEST(StatusEngineTest, ValidAfterEarlyRenewalIsSinceTheRenewalDate) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued,
      {Surveil(D(2026, 2, 20)), Surveil(D(2027, 2, 20)),
       Renew(D(2027, 12, 1), D(2028, 3, 1), D(2031, 2, 28))},
      D(2028, 2, 29), kDefault);
  EXPECT_EQ(Since(OnlyReason(status, kInPeriod)), "2027-12-01");
}

TEST(StatusEngineTest, ExpiredTextsAndSince) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kOneYear, {}, D(2026, 5, 1), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kAfterExpiry);
  EXPECT_EQ(reason.text_zh(), "证书已过期");
  EXPECT_THAT(reason.text_en(), HasSubstr("expired"));
  EXPECT_EQ(Since(reason), "2026-03-01");
}

TEST(StatusEngineTest, RenewedWindowExpirySince) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, RenewedAfterExpiry(), D(2032, 1, 1), kDefault);
  EXPECT_EQ(Since(OnlyReason(status, kAfterExpiry)), "2031-03-10");
}

TEST(StatusEngineTest, ExplicitSuspensionTextsQuoteTheReason) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Suspend(D(2025, 6, 10), "Quality system nonconformity")},
      D(2025, 7, 1), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kByBody);
  EXPECT_EQ(reason.text_zh(),
            "证书已被认证机构暂停：Quality system nonconformity");
  EXPECT_THAT(reason.text_en(), HasSubstr("suspended"));
  EXPECT_THAT(reason.text_en(), HasSubstr(": Quality system nonconformity"));
  EXPECT_EQ(Since(reason), "2025-06-10");
}

TEST(StatusEngineTest, ExplicitSuspensionChineseReason) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Suspend(D(2025, 6, 10), "监督审核不通过")}, D(2025, 7, 1),
      kDefault);
  EXPECT_EQ(OnlyReason(status, kByBody).text_zh(),
            "证书已被认证机构暂停：监督审核不通过");
}

TEST(StatusEngineTest, LatestSuspensionGivesSinceAndReason) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued,
      {Suspend(D(2025, 6, 10), "first"), Reinstate(D(2025, 7, 1)),
       Suspend(D(2025, 8, 15), "second")},
      D(2025, 9, 1), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kByBody);
  EXPECT_EQ(Since(reason), "2025-08-15");
  EXPECT_THAT(reason.text_zh(), HasSubstr("second"));
}

TEST(StatusEngineTest, OverdueTextsNameTheDueDate) {
  const IssuedValidity issued = {D(2026, 3, 1), D(2029, 2, 28)};
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(issued, {}, D(2027, 3, 2), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kOverdue);
  EXPECT_EQ(reason.text_zh(),
            "未在规定期限内完成监督审核（应于 2027-03-01 前完成）");
  EXPECT_THAT(reason.text_en(), HasSubstr("2027-03-01"));
  EXPECT_EQ(Since(reason), "2027-03-02");
}

TEST(StatusEngineTest, OverdueWithGraceNamesTheGraceDueDate) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kIssued, {}, D(2026, 4, 1), kGrace30);
  const v1::StatusReason& reason = OnlyReason(status, kOverdue);
  EXPECT_THAT(reason.text_zh(), HasSubstr("2026-03-31"));
  EXPECT_EQ(Since(reason), "2026-04-01");
}

TEST(StatusEngineTest, RevocationDueAfterSuspension) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Suspend(D(2025, 6, 10))}, D(2025, 12, 10), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kRevocationDue);
  EXPECT_EQ(reason.text_zh(), "暂停已超过 6 个月，应予撤销");
  EXPECT_THAT(reason.text_en(), HasSubstr("6 months"));
  EXPECT_EQ(Since(reason), "2025-12-10");
  EXPECT_TRUE(status.revocation_due());
}

TEST(StatusEngineTest, RevocationDueNamesThePolicyMaximum) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Suspend(D(2025, 6, 10))}, D(2025, 9, 10), kMax3);
  EXPECT_EQ(OnlyReason(status, kRevocationDue).text_zh(),
            "暂停已超过 3 个月，应予撤销");
}

TEST(StatusEngineTest, RevocationDueAfterOverdue) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kIssued, {}, D(2026, 10, 1), kDefault);
  EXPECT_EQ(Since(OnlyReason(status, kOverdue)), "2026-03-02");
  EXPECT_EQ(Since(OnlyReason(status, kRevocationDue)), "2026-09-02");
}

TEST(StatusEngineTest, BothSuspensionsGiveOneRevocationDueFromTheEarliest) {
  // Suspended 2026-01-10 (due 2026-07-10); overdue since 2026-03-02 (due
  // 2026-09-02).
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Suspend(D(2026, 1, 10))}, D(2026, 10, 1), kDefault);
  EXPECT_EQ(Since(OnlyReason(status, kByBody)), "2026-01-10");
  EXPECT_EQ(Since(OnlyReason(status, kOverdue)), "2026-03-02");
  EXPECT_EQ(Since(OnlyReason(status, kRevocationDue)), "2026-07-10");

  // Overdue first (since 2026-03-02), suspended later (2026-06-01): the
  // overdue suspension makes revocation due first.
  const v1::EffectiveStatus later = ComputeEffectiveStatus(
      kIssued, {Suspend(D(2026, 6, 1))}, D(2026, 12, 1), kDefault);
  EXPECT_EQ(Since(OnlyReason(later, kRevocationDue)), "2026-09-02");
}

TEST(StatusEngineTest, RevokedTextsQuoteTheReason) {
  const v1::EffectiveStatus status =
      ComputeEffectiveStatus(kIssued, {Revoke(D(2026, 1, 5), "伪造检测报告")},
                             D(2029, 1, 1), kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kRevokedByBody);
  EXPECT_EQ(reason.text_zh(), "证书已被撤销：伪造检测报告");
  EXPECT_THAT(reason.text_en(), HasSubstr("revoked"));
  EXPECT_THAT(reason.text_en(), HasSubstr("伪造检测报告"));
  EXPECT_EQ(Since(reason), "2026-01-05");
  EXPECT_FALSE(status.revocation_due());
}

TEST(StatusEngineTest, WithdrawnTextsQuoteTheReason) {
  const v1::EffectiveStatus status = ComputeEffectiveStatus(
      kIssued, {Withdraw(D(2025, 5, 1), "持证人申请注销")}, D(2025, 5, 2),
      kDefault);
  const v1::StatusReason& reason = OnlyReason(status, kWithdrawnByBody);
  EXPECT_EQ(reason.text_zh(), "证书已注销：持证人申请注销");
  EXPECT_THAT(reason.text_en(), HasSubstr("withdrawn"));
  EXPECT_THAT(reason.text_en(), HasSubstr("持证人申请注销"));
  EXPECT_EQ(Since(reason), "2025-05-01");
}

TEST(StatusEngineTest, EmptyReasonsAreNotQuoted) {
  EXPECT_EQ(
      OnlyReason(ComputeEffectiveStatus(kIssued, {Revoke(D(2025, 5, 1), "")},
                                        D(2025, 5, 1), kDefault),
                 kRevokedByBody)
          .text_zh(),
      "证书已被撤销");
  EXPECT_EQ(
      OnlyReason(ComputeEffectiveStatus(kIssued, {Withdraw(D(2025, 5, 1), "")},
                                        D(2025, 5, 1), kDefault),
                 kWithdrawnByBody)
          .text_zh(),
      "证书已注销");
  EXPECT_EQ(
      OnlyReason(ComputeEffectiveStatus(kIssued, {Suspend(D(2025, 5, 1), "")},
                                        D(2025, 5, 1), kDefault),
                 kByBody)
          .text_zh(),
      "证书已被认证机构暂停");
}

TEST(StatusEngineTest, HistoryIsAnsweredExactlyDayByDay) {
  // One chain asked about every day from before issue to after expiry: the
  // status only changes on the expected days.
  const std::vector<CertificateEvent> events = {
      Surveil(D(2026, 2, 20)), Suspend(D(2026, 5, 1)), Reinstate(D(2026, 6, 1)),
      Revoke(D(2026, 9, 1))};
  std::vector<std::pair<absl::CivilDay, v1::CertificateStatus>> changes;
  v1::CertificateStatus last = v1::CERTIFICATE_STATUS_UNSPECIFIED;
  for (absl::CivilDay day = D(2025, 1, 1); day <= D(2029, 1, 1); ++day) {
    const v1::CertificateStatus now =
        ComputeEffectiveStatus(kIssued, events, day, kDefault).status();
    if (now != last) changes.emplace_back(day, now);
    last = now;
  }
  const std::vector<std::pair<absl::CivilDay, v1::CertificateStatus>> expected =
      {{D(2025, 1, 1), kNotYetValid},
       {D(2025, 3, 1), kValid},
       {D(2026, 5, 1), kSuspended},
       {D(2026, 6, 1), kValid},
       {D(2026, 9, 1), kRevoked}};
  EXPECT_EQ(changes, expected);
}

TEST(ValidatePolicyTest, AcceptsDefaultsAndMinimums) {
  EXPECT_TRUE(ValidatePolicy(SurveillancePolicy{}).ok());
  EXPECT_TRUE(ValidatePolicy({1, 0, 1}).ok());
  EXPECT_TRUE(ValidatePolicy({12, 30, 6}).ok());
}

TEST(ValidatePolicyTest, RefusesOutOfRangeFieldsNamingThem) {
  struct Bad {
    SurveillancePolicy policy;
    const char* field;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{0, 0, 6}, "surveillance_interval_months"},
           {{-12, 0, 6}, "surveillance_interval_months"},
           {{12, -1, 6}, "surveillance_grace_days"},
           {{12, 0, 0}, "max_suspension_months"},
           {{12, 0, -1}, "max_suspension_months"},
       }) {
    const absl::Status status = ValidatePolicy(bad.policy);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad.field;
    EXPECT_THAT(std::string(status.message()), HasSubstr(bad.field));
  }
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
