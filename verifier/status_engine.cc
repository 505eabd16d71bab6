#include "verifier/status_engine.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "verifier/date.h"

namespace certreg {
namespace {

std::string Day(absl::CivilDay day) { return FormatDate(ToProtoDate(day)); }

v1::StatusReason* AddReason(v1::EffectiveStatus& status, v1::ReasonCode code,
                            std::string text_zh, std::string text_en) {
  v1::StatusReason* reason = status.add_reasons();
  reason->set_code(code);
  reason->set_text_zh(std::move(text_zh));
  reason->set_text_en(std::move(text_en));
  return reason;
}

void AddReasonSince(v1::EffectiveStatus& status, v1::ReasonCode code,
                    std::string text_zh, std::string text_en,
                    absl::CivilDay since) {
  *AddReason(status, code, std::move(text_zh), std::move(text_en))
       ->mutable_since() = ToProtoDate(since);
}

// "：<reason>" / ": <reason>" when the body gave one.
std::string QuoteZh(const std::string& reason) {
  return reason.empty() ? "" : absl::StrCat("：", reason);
}
std::string QuoteEn(const std::string& reason) {
  return reason.empty() ? "" : absl::StrCat(": ", reason);
}

}  // namespace

absl::Status ValidatePolicy(const SurveillancePolicy& policy) {
  if (policy.surveillance_interval_months < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("surveillance_interval_months must be at least 1, got ",
                     policy.surveillance_interval_months));
  }
  if (policy.surveillance_grace_days < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("surveillance_grace_days must not be negative, got ",
                     policy.surveillance_grace_days));
  }
  if (policy.max_suspension_months < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_suspension_months must be at least 1, got ",
                     policy.max_suspension_months));
  }
  return absl::OkStatus();
}

v1::EffectiveStatus ComputeEffectiveStatus(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    absl::CivilDay as_of, const SurveillancePolicy& policy) {
  v1::EffectiveStatus result;
  *result.mutable_as_of() = ToProtoDate(as_of);

  // 1. Before the issue date.
  if (as_of < issued.issue_date) {
    result.set_status(v1::CERTIFICATE_STATUS_NOT_YET_VALID);
    AddReason(result, v1::REASON_CODE_BEFORE_ISSUE_DATE, "尚未到颁证日期",
              absl::StrCat("The issue date (", Day(issued.issue_date),
                           ") has not been reached"));
    return result;
  }

  // Replay the counted events.
  absl::CivilDay window_issue = issued.issue_date;
  absl::CivilDay window_expiry = issued.expiry_date;
  const CertificateEvent* terminal = nullptr;
  const CertificateEvent* suspension = nullptr;
  const CertificateEvent* last_surveillance = nullptr;
  const CertificateEvent* last_renewal = nullptr;
  for (const CertificateEvent& event : events) {
    if (event.date > as_of) continue;
    switch (event.kind) {
      case v1::STATEMENT_KIND_SURVEILLANCE:
        last_surveillance = &event;
        break;
      case v1::STATEMENT_KIND_SUSPEND:
        suspension = &event;
        break;
      case v1::STATEMENT_KIND_REINSTATE:
        suspension = nullptr;
        break;
      case v1::STATEMENT_KIND_REVOKE:
      case v1::STATEMENT_KIND_WITHDRAW:
        terminal = &event;
        break;
      case v1::STATEMENT_KIND_RENEW:
        last_renewal = &event;
        window_issue = event.new_issue_date;
        window_expiry = event.new_expiry_date;
        break;
      default:
        break;
    }
  }

  // 2. Revoked or withdrawn.
  if (terminal != nullptr) {
    if (terminal->kind == v1::STATEMENT_KIND_REVOKE) {
      result.set_status(v1::CERTIFICATE_STATUS_REVOKED);
      AddReasonSince(
          result, v1::REASON_CODE_REVOKED_BY_BODY,
          absl::StrCat("证书已被撤销", QuoteZh(terminal->reason)),
          absl::StrCat("The certificate has been revoked by the certification "
                       "body",
                       QuoteEn(terminal->reason)),
          terminal->date);
    } else {
      result.set_status(v1::CERTIFICATE_STATUS_WITHDRAWN);
      AddReasonSince(result, v1::REASON_CODE_WITHDRAWN_BY_BODY,
                     absl::StrCat("证书已注销", QuoteZh(terminal->reason)),
                     absl::StrCat("The certificate has been withdrawn",
                                  QuoteEn(terminal->reason)),
                     terminal->date);
    }
    return result;
  }

  // 3. Expired.
  if (as_of > window_expiry) {
    result.set_status(v1::CERTIFICATE_STATUS_EXPIRED);
    AddReasonSince(
        result, v1::REASON_CODE_AFTER_EXPIRY_DATE, "证书已过期",
        absl::StrCat("The certificate expired after ", Day(window_expiry)),
        window_expiry + 1);
    return result;
  }

  // 4. Explicit suspension; 5. surveillance overdue.
  std::optional<absl::CivilDay> revocation_due;
  auto note_revocation_due = [&](absl::CivilDay from) {
    if (as_of >= from && (!revocation_due || from < *revocation_due)) {
      revocation_due = from;
    }
  };
  bool suspended = false;
  if (suspension != nullptr) {
    suspended = true;
    AddReasonSince(
        result, v1::REASON_CODE_SUSPENDED_BY_BODY,
        absl::StrCat("证书已被认证机构暂停", QuoteZh(suspension->reason)),
        absl::StrCat("The certificate has been suspended by the certification "
                     "body",
                     QuoteEn(suspension->reason)),
        suspension->date);
    note_revocation_due(
        AddMonths(suspension->date, policy.max_suspension_months));
  }
  absl::CivilDay reference = window_issue;
  if (last_surveillance != nullptr && last_surveillance->date > reference) {
    reference = last_surveillance->date;
  }
  if (last_renewal != nullptr && last_renewal->new_issue_date > reference) {
    reference = last_renewal->new_issue_date;
  }
  const absl::CivilDay due =
      AddMonths(reference, policy.surveillance_interval_months) +
      policy.surveillance_grace_days;
  if (as_of > due) {
    suspended = true;
    AddReasonSince(
        result, v1::REASON_CODE_SURVEILLANCE_OVERDUE,
        absl::StrCat("未在规定期限内完成监督审核（应于 ", Day(due),
                     " 前完成）"),
        absl::StrCat("The surveillance audit was not completed in time (due "
                     "by ",
                     Day(due), ")"),
        due + 1);
    note_revocation_due(AddMonths(due + 1, policy.max_suspension_months));
  }
  if (suspended) {
    result.set_status(v1::CERTIFICATE_STATUS_SUSPENDED);
    if (revocation_due) {
      result.set_revocation_due(true);
      AddReasonSince(
          result, v1::REASON_CODE_REVOCATION_DUE,
          absl::StrCat("暂停已超过 ", policy.max_suspension_months,
                       " 个月，应予撤销"),
          absl::StrCat("Suspended for more than ", policy.max_suspension_months,
                       " months; revocation is due"),
          *revocation_due);
    }
    return result;
  }

  // 6. Valid. A renewal dated before its new issue date starts the window on
  // the renewal's date.
  const absl::CivilDay valid_since =
      window_issue <= as_of ? window_issue : last_renewal->date;
  result.set_status(v1::CERTIFICATE_STATUS_VALID);
  AddReasonSince(
      result, v1::REASON_CODE_IN_VALIDITY_PERIOD, "证书有效",
      absl::StrCat("The certificate is valid (until ", Day(window_expiry), ")"),
      valid_since);
  return result;
}

absl::string_view CertificateStatusNameZh(v1::CertificateStatus status) {
  switch (status) {
    case v1::CERTIFICATE_STATUS_VALID:
      return "有效";
    case v1::CERTIFICATE_STATUS_SUSPENDED:
      return "暂停";
    case v1::CERTIFICATE_STATUS_REVOKED:
      return "撤销";
    case v1::CERTIFICATE_STATUS_WITHDRAWN:
      return "注销";
    case v1::CERTIFICATE_STATUS_EXPIRED:
      return "过期";
    case v1::CERTIFICATE_STATUS_NOT_YET_VALID:
      return "未生效";
    default:
      return "未知";
  }
}

absl::string_view CertificateStatusNameEn(v1::CertificateStatus status) {
  switch (status) {
    case v1::CERTIFICATE_STATUS_VALID:
      return "valid";
    case v1::CERTIFICATE_STATUS_SUSPENDED:
      return "suspended";
    case v1::CERTIFICATE_STATUS_REVOKED:
      return "revoked";
    case v1::CERTIFICATE_STATUS_WITHDRAWN:
      return "withdrawn";
    case v1::CERTIFICATE_STATUS_EXPIRED:
      return "expired";
    case v1::CERTIFICATE_STATUS_NOT_YET_VALID:
      return "not yet valid";
    default:
      return "unknown";
  }
}

}  // namespace certreg
