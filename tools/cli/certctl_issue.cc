#include "tools/cli/certctl_issue.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// The issue, first issue and expiry dates of `flags` on `c`.
absl::Status SetDates(const IssueFlags& flags, v1::Certificate& c) {
  absl::StatusOr<v1::Date> issue_date =
      RequiredDate(flags.issue_date, "issue_date");
  if (!issue_date.ok()) return issue_date.status();
  *c.mutable_issue_date() = *issue_date;
  absl::StatusOr<v1::Date> first_date =
      flags.first_issue_date.empty()
          ? issue_date
          : RequiredDate(flags.first_issue_date, "first_issue_date");
  if (!first_date.ok()) return first_date.status();
  *c.mutable_first_issue_date() = *first_date;
  absl::StatusOr<v1::Date> expiry =
      RequiredDate(flags.expiry_date, "expiry_date");
  if (!expiry.ok()) return expiry.status();
  *c.mutable_expiry_date() = *expiry;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Certificate> CertificateFromFlags(const IssueFlags& flags) {
  v1::Certificate c;
  c.set_number(flags.number);
  v1::CertificationType type;
  if (!v1::CertificationType_Parse(
          absl::StrCat("CERTIFICATION_TYPE_",
                       absl::AsciiStrToUpper(flags.type)),
          &type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--type: \"", flags.type,
                     "\" is not management_system, service or product"));
  }
  c.set_type(type);
  c.mutable_item()->set_code(flags.item_code);
  c.mutable_item()->set_name(flags.item_name);
  for (absl::string_view basis :
       absl::StrSplit(flags.basis, ';', absl::SkipEmpty())) {
    c.add_basis(std::string(absl::StripAsciiWhitespace(basis)));
  }
  c.mutable_holder()->set_name(flags.holder);
  c.mutable_holder()->set_unified_social_credit_code(flags.credit_code);
  c.mutable_holder()->set_address(flags.address);
  c.set_scope(flags.scope);
  if (absl::Status dates = SetDates(flags, c); !dates.ok()) return dates;
  c.set_body_approval_number(flags.body);
  c.set_body_name(flags.body_name);
  absl::StatusOr<std::optional<v1::ServiceGrade>> grade =
      ServiceGradeFromFlags(flags.grade);
  if (!grade.ok()) return grade.status();
  if (*grade) *c.mutable_service_grade() = **grade;
  return c;
}

absl::StatusOr<v1::Certificate> CertificateFromJson(absl::string_view json,
                                                    absl::string_view source) {
  v1::Certificate c;
  auto status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &c);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": not a certreg.v1.Certificate in JSON form: ",
                     std::string(status.message())));
  }
  return c;
}

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
