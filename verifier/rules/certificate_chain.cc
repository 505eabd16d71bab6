#include "verifier/rules/certificate_chain.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/certificate_validation.h"
#include "verifier/rules/date.h"
#include "verifier/rules/service_grade.h"

namespace certreg {
namespace {

bool NeedsServiceGrade(const v1::Certificate& certificate) {
  for (const std::string& basis : certificate.basis()) {
    if (IsServiceGradeBasis(basis)) return true;
  }
  return false;
}

// `certificate` with `change` (a scope or holder change) folded in; it must
// still be valid as a whole (sites too). Errors are prefixed with `what`.
absl::StatusOr<v1::Certificate> Changed(const v1::Certificate& certificate,
                                        const v1::Statement& change,
                                        absl::string_view what) {
  v1::Certificate next = certificate;
  FoldIntoCertificate(change, next);
  absl::Status valid = ValidateCertificate(next, {/*after_renewals=*/true});
  if (!valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", valid.message()));
  }
  return next;
}

}  // namespace

absl::StatusOr<CertificateChain> CertificateChain::Start(
    const v1::Statement& issue, absl::string_view statement_hash) {
  if (issue.kind_case() != v1::Statement::kIssue) {
    return absl::InvalidArgumentError(
        "statement.kind: a certificate's chain starts with an issue statement");
  }
  CERTREG_RETURN_IF_ERROR(ValidateDate(issue.date(), "statement.date"));
  const v1::Certificate& certificate = issue.issue().certificate();
  CERTREG_RETURN_IF_ERROR(ValidateCertificate(certificate));
  if (issue.certificate_number() != certificate.number()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement.certificate_number: \"", issue.certificate_number(),
        "\" differs from certificate.number \"", certificate.number(), "\""));
  }
  if (!issue.previous_event_hash().empty()) {
    return absl::InvalidArgumentError(
        "statement.previous_event_hash: must be empty for an issue statement");
  }
  CertificateChain chain;
  chain.certificate_ = certificate;
  chain.issued_.issue_date = ToCivilDay(certificate.issue_date());
  chain.issued_.expiry_date = ToCivilDay(certificate.expiry_date());
  chain.last_event_date_ = chain.issued_.issue_date;
  chain.head_hash_ = std::string(statement_hash);
  return chain;
}

absl::Status CertificateChain::Apply(const v1::Statement& event,
                                     absl::string_view statement_hash) {
  const v1::StatementKind kind = KindOf(event);
  if (kind == v1::STATEMENT_KIND_ISSUE || IsAuthorityKind(kind) ||
      kind == v1::STATEMENT_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement.kind: ", KindName(kind), " is not a certificate event"));
  }
  if (event.certificate_number() != certificate_.number()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "statement.certificate_number: \"", event.certificate_number(),
        "\" is not this certificate (", certificate_.number(), ")"));
  }
  CERTREG_RETURN_IF_ERROR(ValidateDate(event.date(), "statement.date"));
  if (event.previous_event_hash() != head_hash_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "statement.previous_event_hash: ",
        event.previous_event_hash().empty()
            ? std::string("is empty")
            : absl::StrCat("is ", ToHex(event.previous_event_hash())),
        " but the certificate's latest event is ", ToHex(head_hash_),
        " (replayed, reordered or based on a stale view)"));
  }
  if (terminal_) {
    return absl::FailedPreconditionError(
        absl::StrCat("certificate ", certificate_.number(),
                     " is revoked or withdrawn; no further event is allowed"));
  }
  const absl::CivilDay date = ToCivilDay(event.date());
  const std::string when = FormatDate(event.date());
  if (date < last_event_date_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "statement.date: ", when, " is before the certificate's latest event (",
        FormatDate(ToProtoDate(last_event_date_)), ")"));
  }

  CertificateEvent applied;
  applied.kind = kind;
  applied.date = date;
  // Only a renewal or a scope change changes the certificate: they work on
  // a copy, kept once the event is accepted.
  std::optional<v1::Certificate> next;
  bool suspended = suspended_;
  bool terminal = false;
  switch (event.kind_case()) {
    case v1::Statement::kSurveillance: {
      CERTREG_RETURN_IF_ERROR(ValidateText(event.surveillance().note(),
                                           "surveillance.note", kMaxNoteChars,
                                           false));
      if (date < ToCivilDay(certificate_.issue_date()) ||
          date > ToCivilDay(certificate_.expiry_date())) {
        return absl::InvalidArgumentError(
            absl::StrCat("statement.date: surveillance on ", when,
                         " is outside the validity period ",
                         FormatDate(certificate_.issue_date()), " to ",
                         FormatDate(certificate_.expiry_date())));
      }
      break;
    }
    case v1::Statement::kSuspend:
      CERTREG_RETURN_IF_ERROR(ValidateText(
          event.suspend().reason(), "suspend.reason", kMaxNoteChars, true));
      if (suspended_) {
        return absl::FailedPreconditionError(
            absl::StrCat("certificate ", certificate_.number(),
                         " is already suspended; reinstate it first"));
      }
      applied.reason = event.suspend().reason();
      suspended = true;
      break;
    case v1::Statement::kReinstate:
      CERTREG_RETURN_IF_ERROR(ValidateText(
          event.reinstate().note(), "reinstate.note", kMaxNoteChars, false));
      if (!suspended_) {
        return absl::FailedPreconditionError(
            absl::StrCat("certificate ", certificate_.number(),
                         " is not suspended; only a suspended certificate "
                         "can be reinstated"));
      }
      suspended = false;
      break;
    case v1::Statement::kRevoke:
      CERTREG_RETURN_IF_ERROR(ValidateText(
          event.revoke().reason(), "revoke.reason", kMaxNoteChars, true));
      applied.reason = event.revoke().reason();
      terminal = true;
      break;
    case v1::Statement::kWithdraw:
      CERTREG_RETURN_IF_ERROR(ValidateText(
          event.withdraw().reason(), "withdraw.reason", kMaxNoteChars, true));
      applied.reason = event.withdraw().reason();
      terminal = true;
      break;
    case v1::Statement::kRenew: {
      const v1::RenewCertificate& renew = event.renew();
      CERTREG_RETURN_IF_ERROR(
          ValidateDate(renew.new_issue_date(), "renew.new_issue_date"));
      CERTREG_RETURN_IF_ERROR(
          ValidateDate(renew.new_expiry_date(), "renew.new_expiry_date"));
      if (ToCivilDay(renew.new_issue_date()) <=
          ToCivilDay(certificate_.issue_date())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "renew.new_issue_date: ", FormatDate(renew.new_issue_date()),
            " must be after the current issue date ",
            FormatDate(certificate_.issue_date())));
      }
      if (ToCivilDay(renew.new_expiry_date()) <=
          ToCivilDay(renew.new_issue_date())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "renew.new_expiry_date: ", FormatDate(renew.new_expiry_date()),
            " must be after renew.new_issue_date ",
            FormatDate(renew.new_issue_date())));
      }
      if (suspended_) {
        return absl::FailedPreconditionError(
            absl::StrCat("certificate ", certificate_.number(),
                         " is suspended; reinstate it before renewing"));
      }
      if (renew.has_service_grade()) {
        if (!NeedsServiceGrade(certificate_)) {
          return absl::InvalidArgumentError(
              "renew.service_grade: only GB/T 27922 certificates are graded");
        }
        CERTREG_RETURN_IF_ERROR(
            ValidateServiceGrade(renew.service_grade(), "renew.service_grade"));
      }
      next = certificate_;
      FoldIntoCertificate(event, *next);
      applied.new_issue_date = ToCivilDay(renew.new_issue_date());
      applied.new_expiry_date = ToCivilDay(renew.new_expiry_date());
      break;
    }
    case v1::Statement::kChangeScope: {
      const v1::ChangeScope& change = event.change_scope();
      CERTREG_RETURN_IF_ERROR(ValidateText(
          change.new_scope(), "change_scope.new_scope", kMaxScopeChars, true));
      CERTREG_ASSIGN_OR_RETURN(next,
                               Changed(certificate_, event, "change_scope"));
      break;
    }
    case v1::Statement::kChangeHolder: {
      const v1::ChangeHolder& change = event.change_holder();
      if (change.new_name().empty() && change.new_address().empty() &&
          change.new_sites_size() == 0) {
        return absl::InvalidArgumentError(
            "change_holder: names no change (set new_name, new_address or "
            "new_sites)");
      }
      CERTREG_ASSIGN_OR_RETURN(next,
                               Changed(certificate_, event, "change_holder"));
      break;
    }
    default:
      return absl::InvalidArgumentError("statement.kind: unknown");
  }

  if (next.has_value()) certificate_ = *std::move(next);
  suspended_ = suspended;
  terminal_ = terminal;
  last_event_date_ = date;
  head_hash_ = std::string(statement_hash);
  events_.push_back(std::move(applied));
  return absl::OkStatus();
}

v1::ChainState CertificateChain::State() const {
  v1::ChainState state;
  *state.mutable_certificate() = certificate_;
  *state.mutable_issued_issue_date() = ToProtoDate(issued_.issue_date);
  *state.mutable_issued_expiry_date() = ToProtoDate(issued_.expiry_date);
  for (const CertificateEvent& event : events_) {
    v1::ChainEvent* out = state.add_events();
    out->set_kind(event.kind);
    *out->mutable_date() = ToProtoDate(event.date);
    out->set_reason(event.reason);
    if (event.kind == v1::STATEMENT_KIND_RENEW) {
      *out->mutable_new_issue_date() = ToProtoDate(event.new_issue_date);
      *out->mutable_new_expiry_date() = ToProtoDate(event.new_expiry_date);
    }
  }
  state.set_head_hash(head_hash_);
  *state.mutable_last_event_date() = ToProtoDate(last_event_date_);
  state.set_suspended(suspended_);
  state.set_terminal(terminal_);
  return state;
}

namespace {

// The validity window and events of a stored state, checked.
absl::Status ReadState(const v1::ChainState& state, IssuedValidity& issued,
                       std::vector<CertificateEvent>& events) {
  if (state.certificate().number().empty()) {
    return absl::InvalidArgumentError("chain.certificate.number: is empty");
  }
  CERTREG_RETURN_IF_ERROR(
      ValidateDate(state.issued_issue_date(), "chain.issued_issue_date"));
  CERTREG_RETURN_IF_ERROR(
      ValidateDate(state.issued_expiry_date(), "chain.issued_expiry_date"));
  CERTREG_RETURN_IF_ERROR(
      ValidateDate(state.last_event_date(), "chain.last_event_date"));
  issued.issue_date = ToCivilDay(state.issued_issue_date());
  issued.expiry_date = ToCivilDay(state.issued_expiry_date());
  events.reserve(state.events_size());
  for (const v1::ChainEvent& in : state.events()) {
    const v1::StatementKind kind = in.kind();
    if (kind == v1::STATEMENT_KIND_ISSUE || IsAuthorityKind(kind) ||
        !v1::StatementKind_IsValid(kind) ||
        kind == v1::STATEMENT_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("chain.events.kind: ", kind, " is not an event"));
    }
    CERTREG_RETURN_IF_ERROR(ValidateDate(in.date(), "chain.events.date"));
    CertificateEvent event;
    event.kind = kind;
    event.date = ToCivilDay(in.date());
    event.reason = in.reason();
    if (kind == v1::STATEMENT_KIND_RENEW) {
      CERTREG_RETURN_IF_ERROR(
          ValidateDate(in.new_issue_date(), "chain.events.new_issue_date"));
      CERTREG_RETURN_IF_ERROR(
          ValidateDate(in.new_expiry_date(), "chain.events.new_expiry_date"));
      event.new_issue_date = ToCivilDay(in.new_issue_date());
      event.new_expiry_date = ToCivilDay(in.new_expiry_date());
    }
    events.push_back(std::move(event));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CertificateChain> CertificateChain::Restore(
    v1::ChainState state) {
  CertificateChain chain;
  CERTREG_RETURN_IF_ERROR(ReadState(state, chain.issued_, chain.events_));
  chain.certificate_ = std::move(*state.mutable_certificate());
  chain.head_hash_ = std::move(*state.mutable_head_hash());
  chain.last_event_date_ = ToCivilDay(state.last_event_date());
  chain.suspended_ = state.suspended();
  chain.terminal_ = state.terminal();
  return chain;
}

absl::StatusOr<std::optional<absl::CivilDay>> NextStatusChangeOfState(
    const v1::ChainState& state, absl::CivilDay after,
    const v1::SchemeRules& rules) {
  IssuedValidity issued;
  std::vector<CertificateEvent> events;
  CERTREG_RETURN_IF_ERROR(ReadState(state, issued, events));
  return NextStatusChange(issued, events, after,
                          RulesFor(rules, state.certificate().type()));
}

absl::StatusOr<v1::EffectiveStatus> StatusOfState(
    const v1::ChainState& state, absl::CivilDay as_of,
    const v1::SchemeRules& rules) {
  IssuedValidity issued;
  std::vector<CertificateEvent> events;
  CERTREG_RETURN_IF_ERROR(ReadState(state, issued, events));
  v1::EffectiveStatus status = ComputeEffectiveStatus(
      issued, events, as_of, RulesFor(rules, state.certificate().type()));
  status.set_rules_version(rules.version());
  return status;
}

std::optional<absl::CivilDay> CertificateChain::NextStatusChange(
    absl::CivilDay after, const v1::SchemeRules& rules) const {
  return certreg::NextStatusChange(issued_, events_, after,
                                   RulesFor(rules, certificate_.type()));
}

v1::EffectiveStatus CertificateChain::StatusAsOf(
    absl::CivilDay as_of, const v1::SchemeRules& rules) const {
  v1::EffectiveStatus status = ComputeEffectiveStatus(
      issued_, events_, as_of, RulesFor(rules, certificate_.type()));
  status.set_rules_version(rules.version());
  return status;
}

IssuedValidity CertificateChain::CurrentWindow() const {
  return {ToCivilDay(certificate_.issue_date()),
          ToCivilDay(certificate_.expiry_date())};
}

void FoldIntoCertificate(const v1::Statement& statement,
                         v1::Certificate& certificate) {
  switch (statement.kind_case()) {
    case v1::Statement::kRenew: {
      const v1::RenewCertificate& renew = statement.renew();
      if (renew.has_service_grade()) {
        *certificate.mutable_service_grade() = renew.service_grade();
      }
      *certificate.mutable_issue_date() = renew.new_issue_date();
      *certificate.mutable_expiry_date() = renew.new_expiry_date();
      certificate.set_recertification_count(
          certificate.recertification_count() + 1);
      break;
    }
    case v1::Statement::kChangeScope: {
      const v1::ChangeScope& change = statement.change_scope();
      certificate.set_scope(change.new_scope());
      if (change.new_sites_size() > 0) {
        *certificate.mutable_holder()->mutable_sites() = change.new_sites();
      }
      break;
    }
    case v1::Statement::kChangeHolder: {
      const v1::ChangeHolder& change = statement.change_holder();
      v1::Holder& holder = *certificate.mutable_holder();
      if (!change.new_name().empty()) holder.set_name(change.new_name());
      if (!change.new_address().empty()) {
        holder.set_address(change.new_address());
      }
      if (change.new_sites_size() > 0) {
        *holder.mutable_sites() = change.new_sites();
      }
      break;
    }
    default:
      break;
  }
}

int CertificateChain::SurveillanceCount(absl::CivilDay as_of) const {
  int count = 0;
  for (const CertificateEvent& event : events_) {
    if (event.kind == v1::STATEMENT_KIND_SURVEILLANCE && event.date <= as_of) {
      ++count;
    }
  }
  return count;
}

std::optional<absl::CivilDay> CertificateChain::LastSurveillance(
    absl::CivilDay as_of) const {
  std::optional<absl::CivilDay> last;
  for (const CertificateEvent& event : events_) {
    if (event.kind == v1::STATEMENT_KIND_SURVEILLANCE && event.date <= as_of) {
      last = event.date;
    }
  }
  return last;
}

std::string DescribeStatement(const v1::Statement& statement) {
  switch (statement.kind_case()) {
    case v1::Statement::kIssue: {
      const v1::Certificate& c = statement.issue().certificate();
      return absl::StrCat("颁证 issued to ", c.holder().name(), ", valid ",
                          FormatDate(c.issue_date()), " to ",
                          FormatDate(c.expiry_date()));
    }
    case v1::Statement::kSurveillance:
      return absl::StrCat("监督审核 surveillance audit",
                          statement.surveillance().note().empty() ? "" : ": ",
                          statement.surveillance().note());
    case v1::Statement::kSuspend:
      return absl::StrCat("暂停 suspended: ", statement.suspend().reason());
    case v1::Statement::kReinstate:
      return absl::StrCat("恢复 reinstated",
                          statement.reinstate().note().empty() ? "" : ": ",
                          statement.reinstate().note());
    case v1::Statement::kRevoke:
      return absl::StrCat("撤销 revoked: ", statement.revoke().reason());
    case v1::Statement::kWithdraw:
      return absl::StrCat("注销 withdrawn: ", statement.withdraw().reason());
    case v1::Statement::kRenew:
      return absl::StrCat("再认证 renewed, valid ",
                          FormatDate(statement.renew().new_issue_date()),
                          " to ",
                          FormatDate(statement.renew().new_expiry_date()));
    case v1::Statement::kChangeScope:
      return absl::StrCat("范围变更 scope changed to: ",
                          statement.change_scope().new_scope());
    case v1::Statement::kChangeHolder: {
      const v1::ChangeHolder& change = statement.change_holder();
      std::string line;
      if (!change.new_name().empty()) {
        absl::StrAppend(&line,
                        "组织名称变更 name changed to: ", change.new_name());
      }
      if (!change.new_address().empty()) {
        absl::StrAppend(&line, line.empty() ? "" : "; ",
                        "地址变更 address changed to: ", change.new_address());
      }
      if (change.new_sites_size() > 0) {
        absl::StrAppend(&line, line.empty() ? "" : "; ",
                        "场所变更 sites: ", change.new_sites_size());
      }
      return line;
    }
    default:
      return std::string(KindName(KindOf(statement)));
  }
}

}  // namespace certreg
