#include "verifier/rules/status_engine.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "verifier/rules/date.h"

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

namespace {

// The counted events, replayed: what the decisions need.
struct Replay {
  absl::CivilDay window_issue;
  absl::CivilDay window_expiry;
  // The renewal that opened the window, if any.
  const CertificateEvent* renewal = nullptr;
  const CertificateEvent* terminal = nullptr;
  const CertificateEvent* suspension = nullptr;
  // Surveillance audits of the current cycle, oldest first.
  std::vector<absl::CivilDay> cycle_audits;
};

Replay ReplayEvents(const IssuedValidity& issued,
                    const std::vector<CertificateEvent>& events,
                    absl::CivilDay as_of) {
  Replay replay;
  replay.window_issue = issued.issue_date;
  replay.window_expiry = issued.expiry_date;
  for (const CertificateEvent& event : events) {
    if (event.date > as_of) continue;
    switch (event.kind) {
      case v1::STATEMENT_KIND_SURVEILLANCE:
        replay.cycle_audits.push_back(event.date);
        break;
      case v1::STATEMENT_KIND_SUSPEND:
        replay.suspension = &event;
        break;
      case v1::STATEMENT_KIND_REINSTATE:
        replay.suspension = nullptr;
        break;
      case v1::STATEMENT_KIND_REVOKE:
      case v1::STATEMENT_KIND_WITHDRAW:
        replay.terminal = &event;
        break;
      case v1::STATEMENT_KIND_RENEW:
        // Recertification must be completed before expiry.
        if (event.date > replay.window_expiry) break;
        replay.renewal = &event;
        replay.window_issue = event.new_issue_date;
        replay.window_expiry = event.new_expiry_date;
        replay.cycle_audits.clear();
        break;
      default:
        break;
    }
  }
  return replay;
}

void AddTerminalReason(v1::EffectiveStatus& result,
                       const CertificateEvent& terminal) {
  if (terminal.kind == v1::STATEMENT_KIND_REVOKE) {
    result.set_status(v1::CERTIFICATE_STATUS_REVOKED);
    AddReasonSince(
        result, v1::REASON_CODE_REVOKED_BY_BODY,
        absl::StrCat("证书已被撤销", QuoteZh(terminal.reason)),
        absl::StrCat("The certificate has been revoked by the certification "
                     "body",
                     QuoteEn(terminal.reason)),
        terminal.date);
  } else {
    result.set_status(v1::CERTIFICATE_STATUS_WITHDRAWN);
    AddReasonSince(result, v1::REASON_CODE_WITHDRAWN_BY_BODY,
                   absl::StrCat("证书已注销", QuoteZh(terminal.reason)),
                   absl::StrCat("The certificate has been withdrawn",
                                QuoteEn(terminal.reason)),
                   terminal.date);
  }
}

void AddExpiredReason(v1::EffectiveStatus& result, absl::CivilDay expiry,
                      absl::CivilDay end, int max_validity_months) {
  result.set_status(v1::CERTIFICATE_STATUS_EXPIRED);
  if (end == expiry) {
    AddReasonSince(result, v1::REASON_CODE_AFTER_EXPIRY_DATE,
                   absl::StrCat("证书已过期（有效期至 ", Day(expiry), "）"),
                   absl::StrCat("The certificate expired after ", Day(expiry)),
                   end + 1);
    return;
  }
  AddReasonSince(
      result, v1::REASON_CODE_AFTER_EXPIRY_DATE,
      absl::StrCat("证书有效期最长 ", max_validity_months, " 个月，已于 ",
                   Day(end), " 届满"),
      absl::StrCat("A certificate is valid at most ", max_validity_months,
                   " months; this one's validity ended after ", Day(end),
                   " (its stated expiry date is ", Day(expiry), ")"),
      end + 1);
}

// "第 2 次" / "2nd".
std::string Ordinal(int n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return absl::StrCat(n, suffix);
}

// Names the status in both languages.
v1::EffectiveStatus Finish(v1::EffectiveStatus result) {
  result.set_status_name_zh(
      std::string(CertificateStatusNameZh(result.status())));
  result.set_status_name_en(
      std::string(CertificateStatusNameEn(result.status())));
  return result;
}

}  // namespace

std::optional<absl::CivilDay> SurveillanceDue(
    absl::CivilDay cycle_issue_date,
    const std::vector<absl::CivilDay>& cycle_audits,
    const v1::CertificationRules& rules) {
  const size_t done = cycle_audits.size();
  if (done >= rules.surveillances_per_cycle()) return std::nullopt;
  if (done == 0) {
    return AddMonths(cycle_issue_date, rules.first_surveillance_months());
  }
  const absl::CivilDay last = cycle_audits.back();
  absl::CivilDay due = AddMonths(last, rules.max_surveillance_gap_months());
  if (rules.audit_every_calendar_year()) {
    const absl::CivilDay year_end(last.year() + 1, 12, 31);
    if (year_end < due) due = year_end;
  }
  return due;
}

v1::EffectiveStatus ComputeEffectiveStatus(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    absl::CivilDay as_of, const v1::CertificationRules& rules) {
  v1::EffectiveStatus result;
  *result.mutable_as_of() = ToProtoDate(as_of);

  // 1. Before the issue date.
  if (as_of < issued.issue_date) {
    result.set_status(v1::CERTIFICATE_STATUS_NOT_YET_VALID);
    AddReason(result, v1::REASON_CODE_BEFORE_ISSUE_DATE,
              absl::StrCat("尚未到颁证日期（", Day(issued.issue_date), "）"),
              absl::StrCat("The issue date (", Day(issued.issue_date),
                           ") has not been reached"));
    return Finish(std::move(result));
  }
  const Replay replay = ReplayEvents(issued, events, as_of);

  // 2. Revoked or withdrawn.
  if (replay.terminal != nullptr) {
    AddTerminalReason(result, *replay.terminal);
    return Finish(std::move(result));
  }

  // 3. Expired: after the expiry date, or after the longest validity the
  // scheme allows.
  const absl::CivilDay limit =
      AddMonths(replay.window_issue, rules.max_validity_months());
  const absl::CivilDay end =
      replay.window_expiry < limit ? replay.window_expiry : limit;
  if (as_of > end) {
    AddExpiredReason(result, replay.window_expiry, end,
                     rules.max_validity_months());
    return Finish(std::move(result));
  }

  // 4. Explicit suspension; 5. surveillance overdue.
  std::optional<absl::CivilDay> revocation_due;
  auto note_revocation_due = [&](absl::CivilDay from) {
    if (as_of >= from && (!revocation_due || from < *revocation_due)) {
      revocation_due = from;
    }
  };
  bool suspended = false;
  if (const CertificateEvent* suspension = replay.suspension) {
    suspended = true;
    AddReasonSince(
        result, v1::REASON_CODE_SUSPENDED_BY_BODY,
        absl::StrCat("证书已被认证机构暂停", QuoteZh(suspension->reason)),
        absl::StrCat("The certificate has been suspended by the certification "
                     "body",
                     QuoteEn(suspension->reason)),
        suspension->date);
    note_revocation_due(
        AddMonths(suspension->date, rules.max_suspension_months()));
  }
  const std::optional<absl::CivilDay> due =
      SurveillanceDue(replay.window_issue, replay.cycle_audits, rules);
  if (due.has_value() && as_of > *due) {
    suspended = true;
    const int audit = static_cast<int>(replay.cycle_audits.size()) + 1;
    AddReasonSince(
        result, v1::REASON_CODE_SURVEILLANCE_OVERDUE,
        absl::StrCat("未在规定期限内完成本周期第 ", audit,
                     " 次监督审核（最迟应于 ", Day(*due), " 完成）"),
        absl::StrCat("The ", Ordinal(audit),
                     " surveillance audit of this cycle was not completed in "
                     "time (due on or before ",
                     Day(*due), ")"),
        *due + 1);
    note_revocation_due(AddMonths(*due + 1, rules.max_suspension_months()));
  }
  if (suspended) {
    result.set_status(v1::CERTIFICATE_STATUS_SUSPENDED);
    if (revocation_due) {
      result.set_revocation_due(true);
      AddReasonSince(
          result, v1::REASON_CODE_REVOCATION_DUE,
          absl::StrCat("暂停已满 ", rules.max_suspension_months(), " 个月，自 ",
                       Day(*revocation_due), " 起应予撤销"),
          absl::StrCat("Suspended for ", rules.max_suspension_months(),
                       " months; revocation is due from ",
                       Day(*revocation_due)),
          *revocation_due);
    }
    return Finish(std::move(result));
  }

  // 6. Valid. A renewal dated before its new issue date starts the window on
  // the renewal's date.
  const absl::CivilDay valid_since =
      replay.window_issue <= as_of ? replay.window_issue : replay.renewal->date;
  result.set_status(v1::CERTIFICATE_STATUS_VALID);
  AddReasonSince(
      result, v1::REASON_CODE_IN_VALIDITY_PERIOD,
      absl::StrCat("证书有效（有效期至 ", Day(end), "）"),
      absl::StrCat("The certificate is valid (until ", Day(end), ")"),
      valid_since);
  return Finish(std::move(result));
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

namespace {

// Every day on which the status might change (a superset; see
// NextStatusChange).
std::vector<absl::CivilDay> ChangeCandidates(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    const v1::CertificationRules& rules) {
  std::vector<absl::CivilDay> days;
  auto add_window = [&](absl::CivilDay first, absl::CivilDay expiry) {
    days.push_back(first);
    days.push_back(expiry + 1);
    days.push_back(AddMonths(first, rules.max_validity_months()) + 1);
  };
  auto add_deadlines = [&](absl::CivilDay cycle_start,
                           const std::vector<absl::CivilDay>& audits) {
    if (std::optional<absl::CivilDay> due =
            SurveillanceDue(cycle_start, audits, rules)) {
      days.push_back(*due + 1);
      days.push_back(AddMonths(*due + 1, rules.max_suspension_months()));
    }
  };
  add_window(issued.issue_date, issued.expiry_date);
  std::vector<absl::CivilDay> cycle_starts = {issued.issue_date};
  std::vector<absl::CivilDay> audits;
  for (absl::CivilDay start : cycle_starts) add_deadlines(start, audits);
  for (const CertificateEvent& event : events) {
    days.push_back(event.date);
    switch (event.kind) {
      case v1::STATEMENT_KIND_RENEW:
        add_window(event.new_issue_date, event.new_expiry_date);
        add_window(event.date, event.new_expiry_date);
        cycle_starts = {event.new_issue_date, event.date};
        audits.clear();
        break;
      case v1::STATEMENT_KIND_SURVEILLANCE:
        audits.push_back(event.date);
        break;
      case v1::STATEMENT_KIND_SUSPEND:
        days.push_back(AddMonths(event.date, rules.max_suspension_months()));
        break;
      default:
        continue;
    }
    for (absl::CivilDay start : cycle_starts) add_deadlines(start, audits);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

}  // namespace

bool SameEffectiveStatus(const v1::EffectiveStatus& a,
                         const v1::EffectiveStatus& b) {
  if (a.status() != b.status() || a.reasons_size() != b.reasons_size()) {
    return false;
  }
  for (int i = 0; i < a.reasons_size(); ++i) {
    if (a.reasons(i).code() != b.reasons(i).code()) return false;
  }
  return true;
}

std::optional<absl::CivilDay> NextStatusChange(
    const IssuedValidity& issued, const std::vector<CertificateEvent>& events,
    absl::CivilDay after, const v1::CertificationRules& rules) {
  for (absl::CivilDay day : ChangeCandidates(issued, events, rules)) {
    if (day <= after) continue;
    if (!SameEffectiveStatus(
            ComputeEffectiveStatus(issued, events, day - 1, rules),
            ComputeEffectiveStatus(issued, events, day, rules))) {
      return day;
    }
  }
  return std::nullopt;
}

}  // namespace certreg
