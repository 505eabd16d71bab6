#ifndef CERTREG_VERIFIER_RULES_STATUS_ENGINE_H_
#define CERTREG_VERIFIER_RULES_STATUS_ENGINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/statement.pb.h"
#include "certreg/v1/status.pb.h"

namespace certreg {

// The status engine: a certificate's effective status (证书状态) as of a date,
// computed from its issued validity window and its authenticated events. Pure:
// no I/O, no clock, no shared state; safe to call from any thread.

// One event of a certificate's chain, already authenticated and parsed.
struct CertificateEvent {
  // SURVEILLANCE, SUSPEND, REINSTATE, REVOKE, WITHDRAW, RENEW or CHANGE_SCOPE.
  // ISSUE is not an event here (see IssuedValidity); CHANGE_SCOPE and any
  // other kind do not affect the status.
  v1::StatementKind kind = v1::STATEMENT_KIND_UNSPECIFIED;
  // The statement's date.
  absl::CivilDay date;
  // For SUSPEND, REVOKE and WITHDRAW: the body's reason, quoted in the texts.
  std::string reason;
  // For RENEW: the renewed validity window.
  absl::CivilDay new_issue_date;
  absl::CivilDay new_expiry_date;
};

// The certificate's validity window as issued.
struct IssuedValidity {
  absl::CivilDay issue_date;
  absl::CivilDay expiry_date;
};

// The effective status of a certificate as of `as_of` under `rules` (the
// scheme rules of the certificate's type, see scheme_rules.h).
//
// `events` are in chain order (dates non-decreasing). Only events dated on or
// before `as_of` count; later ones are ignored, so the status as of a date is
// answered from history, exactly. "Last" below means last in chain order among
// the counted events. All date arithmetic is in calendar days (AddMonths keeps
// the day of month, clamped to the month's end: 2024-02-29 + 12 months =
// 2025-02-28); a day named as a limit ("due on or before D") is itself still
// allowed.
//
// Validity window: starts as `issued`. A counted RENEW dated on or before the
// window's expiry replaces it with [new_issue_date, new_expiry_date] and
// starts a new surveillance cycle; a RENEW dated after the window expired
// renews nothing (after expiry a certificate needs a new certification). The
// window ends on the earlier of its expiry_date and issue date +
// max_validity_months.
//
// Decisions, first match wins:
//  1. as_of < issued.issue_date: NOT_YET_VALID, reason BEFORE_ISSUE_DATE
//     (since unset).
//  2. The last counted terminal event is REVOKE: REVOKED, reason
//     REVOKED_BY_BODY (since = its date, texts quote its reason); WITHDRAW:
//     WITHDRAWN, reason WITHDRAWN_BY_BODY (likewise). Terminal beats
//     everything below, expiry included.
//  3. as_of after the window's end: EXPIRED, reason AFTER_EXPIRY_DATE
//     (since = end + 1). The end day itself is still valid.
//  4./5. SUSPENDED when either holds (both reasons when both hold, in this
//     order):
//     - Explicit suspension: the last counted SUSPEND not followed by a
//       counted REINSTATE. Reason SUSPENDED_BY_BODY, since = the suspend date,
//       texts quote its reason. Revocation is due from
//       AddMonths(suspend date, max_suspension_months).
//     - Surveillance overdue. With n counted SURVEILLANCE events in the
//       current cycle (after its last counted RENEW), the next audit is due
//       on or before:
//         n = 0: AddMonths(cycle issue date, first_surveillance_months);
//         0 < n < surveillances_per_cycle: AddMonths(last audit,
//           max_surveillance_gap_months), and when audit_every_calendar_year
//           no later than 31 December of the year after the last audit's;
//         n >= surveillances_per_cycle: none (the cycle ends with
//           recertification before expiry).
//       When as_of > due: reason SURVEILLANCE_OVERDUE, since = due + 1.
//       Revocation is due from AddMonths(due + 1, max_suspension_months).
//     When as_of is on or after a revocation-due date, revocation_due is true
//     and one more reason, REVOCATION_DUE, follows, with since = the earliest
//     such date.
//  6. Otherwise VALID, reason IN_VALIDITY_PERIOD (since = the window's
//     issue_date, or the renewal's date while that is still ahead).
//
// A RENEW dated before its new_issue_date starts the new window on the
// renewal's date (the new window's expiry applies; the new cycle's first
// audit is due from the new issue date). A REINSTATE does not change when an
// audit is due. Every answer has as_of, status_name_zh, status_name_en and
// at least one reason, each with a code, text_zh and text_en.
v1::EffectiveStatus ComputeEffectiveStatus(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    absl::CivilDay as_of, const v1::CertificationRules& rules);

// The date on or before which the next surveillance audit is due, given the
// cycle's issue date and its audits so far (oldest first); nullopt when the
// cycle needs none. The rule of ComputeEffectiveStatus's step 5.
std::optional<absl::CivilDay> SurveillanceDue(
    absl::CivilDay cycle_issue_date,
    const std::vector<absl::CivilDay>& cycle_audits,
    const v1::CertificationRules& rules);

// Whether two answers of ComputeEffectiveStatus say the same: the same
// status with the same reason codes (texts and dates aside).
bool SameEffectiveStatus(const v1::EffectiveStatus& a,
                         const v1::EffectiveStatus& b);

// The first day after `after` on which ComputeEffectiveStatus's answer (its
// status or the codes of its reasons) differs from the day before, when no
// further event comes; nullopt when it never changes again (revoked,
// withdrawn, expired for good). These are the changes no body writes down:
// coming into force, an audit overdue, revocation due, expiry; and the
// effect of events dated after `after`.
//
// Found without scanning days: the status can only change on a day derived
// from the chain (each window's first day, the day after its end, the day
// after each audit deadline, each revocation-due day, each event's date),
// and each such day is checked with ComputeEffectiveStatus itself, so the
// answer agrees with it by construction (a test scans every day to confirm
// that no change falls between them).
std::optional<absl::CivilDay> NextStatusChange(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    absl::CivilDay after, const v1::CertificationRules& rules);

// The status's display name: 有效, 暂停, 撤销, 注销, 过期, 未生效 ("未知" for
// UNSPECIFIED or an unknown value).
absl::string_view CertificateStatusNameZh(v1::CertificateStatus status);

// The status's English name: "valid", "suspended", "revoked", "withdrawn",
// "expired", "not yet valid" ("unknown" for UNSPECIFIED or an unknown value).
absl::string_view CertificateStatusNameEn(v1::CertificateStatus status);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_RULES_STATUS_ENGINE_H_
