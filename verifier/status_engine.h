#ifndef CERTREG_VERIFIER_STATUS_ENGINE_H_
#define CERTREG_VERIFIER_STATUS_ENGINE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/statement.pb.h"
#include "certreg/v1/status.pb.h"

namespace certreg {

// The status engine: a certificate's effective status (证书状态) as of a date,
// computed from its issued validity window and its authenticated events. Pure:
// no I/O, no clock, no shared state; safe to call from any thread.

// The certification rules the status depends on.
struct SurveillancePolicy {
  // An audit is due within this many months of the issue date or of the last
  // surveillance audit (or renewal).
  int surveillance_interval_months = 12;
  // Extra days after the due date before automatic suspension.
  int surveillance_grace_days = 0;
  // A suspension this many months old (or older) means revocation is due.
  int max_suspension_months = 6;
};

// OK when surveillance_interval_months >= 1, max_suspension_months >= 1 and
// surveillance_grace_days >= 0; INVALID_ARGUMENT naming the field otherwise.
absl::Status ValidatePolicy(const SurveillancePolicy& policy);

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

// The effective status of a certificate as of `as_of`.
//
// `events` are in chain order (dates non-decreasing). Only events dated on or
// before `as_of` count; later ones are ignored, so the status as of a date is
// answered from history, exactly. "Last" below means last in chain order among
// the counted events.
//
// Validity window: starts as `issued`. The last counted RENEW replaces it with
// [new_issue_date, new_expiry_date].
//
// Decisions, first match wins:
//  1. as_of < issued.issue_date: NOT_YET_VALID, reason BEFORE_ISSUE_DATE
//     (since unset).
//  2. The last counted terminal event is REVOKE: REVOKED, reason
//     REVOKED_BY_BODY (since = its date, texts quote its reason); WITHDRAW:
//     WITHDRAWN, reason WITHDRAWN_BY_BODY (likewise). Terminal beats
//     everything below, expiry included.
//  3. as_of > the window's expiry_date: EXPIRED, reason AFTER_EXPIRY_DATE
//     (since = expiry_date + 1). The expiry date itself is still valid.
//  4./5. SUSPENDED when either holds (both reasons when both hold, in this
//     order):
//     - Explicit suspension: the last counted SUSPEND not followed by a
//       counted REINSTATE. Reason SUSPENDED_BY_BODY, since = the suspend date,
//       texts quote its reason. Revocation is due from
//       AddMonths(suspend date, max_suspension_months).
//     - Surveillance overdue: reference = the latest of the window's
//       issue_date, the last counted SURVEILLANCE date and the last counted
//       RENEW's new_issue_date; due = AddMonths(reference,
//       surveillance_interval_months) + surveillance_grace_days. When
//       as_of > due: reason SURVEILLANCE_OVERDUE, since = due + 1. Revocation
//       is due from AddMonths(due + 1, max_suspension_months).
//     When as_of is on or after a revocation-due date, revocation_due is true
//     and one more reason, REVOCATION_DUE, follows, with since = the earliest
//     such date.
//  6. Otherwise VALID, reason IN_VALIDITY_PERIOD (since = the window's
//     issue_date, or the renewal's date while that is still ahead).
//
// A RENEW dated before its new_issue_date starts the new window on the
// renewal's date (the new window's expiry applies; the surveillance reference
// is the new issue date). A REINSTATE does not reset the surveillance
// reference. Every answer has as_of set and at least one reason, each with a
// code, text_zh and text_en. `policy` should pass ValidatePolicy.
v1::EffectiveStatus ComputeEffectiveStatus(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    absl::CivilDay as_of, const SurveillancePolicy& policy = {});

// The status's display name: 有效, 暂停, 撤销, 注销, 过期, 未生效 ("未知" for
// UNSPECIFIED or an unknown value).
absl::string_view CertificateStatusNameZh(v1::CertificateStatus status);

// The status's English name: "valid", "suspended", "revoked", "withdrawn",
// "expired", "not yet valid" ("unknown" for UNSPECIFIED or an unknown value).
absl::string_view CertificateStatusNameEn(v1::CertificateStatus status);

}  // namespace certreg

#endif  // CERTREG_VERIFIER_STATUS_ENGINE_H_
