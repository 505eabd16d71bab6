#include "tools/cli/certctl_events.h"

#include <optional>
#include <utility>

#include "absl/status/status.h"

namespace certreg {
namespace {

absl::Status RequireReason(const EventFlags& flags) {
  if (flags.reason.empty()) {
    return absl::InvalidArgumentError("--reason: is required");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::RenewCertificate> Renewal(const EventFlags& flags) {
  absl::StatusOr<v1::Date> issue =
      RequiredDate(flags.new_issue_date, "new_issue_date");
  absl::StatusOr<v1::Date> expiry =
      RequiredDate(flags.new_expiry_date, "new_expiry_date");
  for (const absl::Status& status : {issue.status(), expiry.status()}) {
    if (!status.ok()) return status;
  }
  v1::RenewCertificate renew;
  *renew.mutable_new_issue_date() = *issue;
  *renew.mutable_new_expiry_date() = *expiry;
  absl::StatusOr<std::optional<v1::ServiceGrade>> grade =
      ServiceGradeFromFlags(flags.grade);
  if (!grade.ok()) return grade.status();
  if (*grade) *renew.mutable_service_grade() = **grade;
  return renew;
}

absl::StatusOr<v1::ChangeScope> ScopeChange(const EventFlags& flags) {
  if (flags.scope.empty()) {
    return absl::InvalidArgumentError("--scope: is required");
  }
  absl::StatusOr<std::vector<v1::Site>> sites = ParseSiteFlags(flags.sites);
  if (!sites.ok()) return sites.status();
  v1::ChangeScope change;
  change.set_new_scope(flags.scope);
  for (v1::Site& site : *sites) *change.add_new_sites() = std::move(site);
  return change;
}

// Sets the event `command` on `statement`.
absl::Status SetEvent(absl::string_view command, const EventFlags& flags,
                      v1::Statement& statement) {
  if (command == "surveil") {
    statement.mutable_surveillance()->set_note(flags.note);
  } else if (command == "suspend") {
    if (absl::Status s = RequireReason(flags); !s.ok()) return s;
    statement.mutable_suspend()->set_reason(flags.reason);
  } else if (command == "reinstate") {
    statement.mutable_reinstate()->set_note(flags.note);
  } else if (command == "revoke") {
    if (absl::Status s = RequireReason(flags); !s.ok()) return s;
    statement.mutable_revoke()->set_reason(flags.reason);
  } else if (command == "withdraw") {
    if (absl::Status s = RequireReason(flags); !s.ok()) return s;
    statement.mutable_withdraw()->set_reason(flags.reason);
  } else if (command == "renew") {
    absl::StatusOr<v1::RenewCertificate> renew = Renewal(flags);
    if (!renew.ok()) return renew.status();
    *statement.mutable_renew() = *std::move(renew);
  } else if (command == "change-scope") {
    absl::StatusOr<v1::ChangeScope> change = ScopeChange(flags);
    if (!change.ok()) return change.status();
    *statement.mutable_change_scope() = *std::move(change);
  } else if (command == "change-holder") {
    absl::StatusOr<v1::ChangeHolder> change =
        ChangeHolderFromFlags(flags.name, flags.address, flags.sites);
    if (!change.ok()) return change.status();
    *statement.mutable_change_holder() = *std::move(change);
  } else {
    return absl::InvalidArgumentError("unknown event");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Statement> EventStatement(absl::string_view command,
                                             absl::string_view number,
                                             const v1::Date& date,
                                             const EventFlags& flags) {
  v1::Statement statement;
  statement.set_certificate_number(std::string(number));
  *statement.mutable_date() = date;
  absl::Status event = SetEvent(command, flags, statement);
  if (!event.ok()) return event;
  return statement;
}

}  // namespace certreg
