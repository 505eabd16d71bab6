#include "verifier/rules/admission_rules.h"

#include "absl/strings/str_cat.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

std::string Day(absl::CivilDay day) { return FormatDate(ToProtoDate(day)); }

// OK when [issue, expiry] is at most `months` long.
absl::Status CheckLength(absl::CivilDay issue, absl::CivilDay expiry,
                         uint32_t months, absl::string_view field) {
  const absl::CivilDay limit = AddMonths(issue, static_cast<int>(months));
  if (expiry <= limit) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", Day(expiry), " is more than ", months, " months after ",
      Day(issue), "; a certificate is valid at most ", months,
      " months (until ", Day(limit), " at the latest)"));
}

}  // namespace

absl::Status CheckIssueAdmission(const v1::Statement& issue,
                                 const v1::CertificationRules& rules) {
  const v1::Certificate& certificate = issue.issue().certificate();
  const absl::CivilDay issue_date = ToCivilDay(certificate.issue_date());
  if (ToCivilDay(issue.date()) != issue_date) {
    return absl::InvalidArgumentError(
        absl::StrCat("statement.date: ", FormatDate(issue.date()),
                     " differs from certificate.issue_date ", Day(issue_date),
                     "; an issue statement is dated on its issue date"));
  }
  return CheckLength(issue_date, ToCivilDay(certificate.expiry_date()),
                     rules.max_validity_months(), "certificate.expiry_date");
}

absl::Status CheckEventAdmission(const CertificateChain& chain,
                                 const v1::Statement& event,
                                 const v1::CertificationRules& rules) {
  if (event.kind_case() != v1::Statement::kRenew) return absl::OkStatus();
  const IssuedValidity window = chain.CurrentWindow();
  const absl::CivilDay longest = AddMonths(
      window.issue_date, static_cast<int>(rules.max_validity_months()));
  const absl::CivilDay end =
      window.expiry_date < longest ? window.expiry_date : longest;
  const absl::CivilDay date = ToCivilDay(event.date());
  if (date > end) {
    return absl::FailedPreconditionError(absl::StrCat(
        "statement.date: ", Day(date),
        " is after the certificate's validity "
        "ended (",
        Day(end),
        "); recertification must be completed before "
        "expiry, and an expired certificate needs a new certification (a new "
        "issue)"));
  }
  const v1::RenewCertificate& renew = event.renew();
  const absl::CivilDay new_issue = ToCivilDay(renew.new_issue_date());
  if (new_issue > end + 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "renew.new_issue_date: ", Day(new_issue),
        " leaves a gap after the current validity ends (", Day(end),
        "); the new window starts on ", Day(end + 1), " at the latest"));
  }
  return CheckLength(new_issue, ToCivilDay(renew.new_expiry_date()),
                     rules.max_validity_months(), "renew.new_expiry_date");
}

}  // namespace certreg
