#include "tools/cli/certctl_issue.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "verifier/rules/date.h"

namespace certreg {

absl::StatusOr<v1::Statement> IssueStatement(
    const v1::Certificate& certificate,
    const std::optional<v1::Date>& date_flag, absl::CivilDay today) {
  const v1::Date& issue_date = certificate.issue_date();
  absl::Status valid = ValidateDate(issue_date, "issue_date");
  if (!valid.ok()) return valid;
  if (date_flag.has_value() &&
      ToCivilDay(*date_flag) != ToCivilDay(issue_date)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--date: ", FormatDate(*date_flag),
        " differs from the certificate's issue date ", FormatDate(issue_date),
        "; an issue statement is dated on its issue date"));
  }
  if (ToCivilDay(issue_date) > today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "issue_date: ", FormatDate(issue_date), " is after today (",
        FormatDate(ToProtoDate(today)),
        " in China Standard Time); an issue statement is dated on its issue "
        "date, so the certificate can be submitted from that day on"));
  }
  v1::Statement statement;
  statement.set_certificate_number(certificate.number());
  *statement.mutable_date() = issue_date;
  *statement.mutable_issue()->mutable_certificate() = certificate;
  return statement;
}

}  // namespace certreg
