#ifndef CERTREG_TOOLS_CLI_CERTCTL_ISSUE_H_
#define CERTREG_TOOLS_CLI_CERTCTL_ISSUE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"
#include "tools/cli/certctl_statements.h"

namespace certreg {

// The certificate certctl issue issues, from its flags or a JSON file, and
// the issue statement certctl issue and import sign.

// The values of issue's certificate flags, as given (empty when not).
struct IssueFlags {
  std::string number;            // --number
  std::string type;              // --type: management_system, service, product
  std::string item_code;         // --item_code
  std::string item_name;         // --item_name
  std::string basis;             // --basis: standards, ';'-separated
  std::string holder;            // --holder: the holder's name
  std::string credit_code;       // --credit_code
  std::string address;           // --address: the holder's address
  std::string scope;             // --scope
  std::string first_issue_date;  // --first_issue_date (default issue_date)
  std::string issue_date;        // --issue_date
  std::string expiry_date;       // --expiry_date
  std::string body;              // --body: the body's approval number
  std::string body_name;         // --body_name
  GradeFlags grade;              // --score, --deductions, --stars
};

// The certificate `flags` describe. Basis entries are trimmed and empty ones
// skipped. Nothing else is checked here: the registry validates the
// certificate.
//
// Errors (INVALID_ARGUMENT), in this order: "--type: \"T\" is not
// management_system, service or product" (any case; an empty type too);
// RequiredDate's for --issue_date, then --first_issue_date when given, then
// --expiry_date; ServiceGradeFromFlags's.
absl::StatusOr<v1::Certificate> CertificateFromFlags(const IssueFlags& flags);

// A certreg.v1.Certificate in the API's JSON form. `source` names the text
// in errors, e.g. the file's path.
//
// Errors (INVALID_ARGUMENT): "SOURCE: not a certreg.v1.Certificate in JSON
// form: ...".
absl::StatusOr<v1::Certificate> CertificateFromJson(absl::string_view json,
                                                    absl::string_view source);

// The issue statement of `certificate`, as `certctl issue` and `certctl
// import` sign it: dated on the certificate's issue date, whenever it is
// submitted (a certificate issued years ago is recorded as issued then).
//
// `date_flag` is the statement date the user gave (--date), if any; it must
// be the issue date. `today` is today in China Standard Time: the registry
// takes no statement dated after it, so neither is a certificate whose issue
// date is still ahead.
//
// Errors (INVALID_ARGUMENT):
//   - "--date: 2026-12-07 differs from the certificate's issue date
//     2023-12-20; an issue statement is dated on its issue date";
//   - "issue_date: ..." when the certificate has no valid issue date, or it
//     is after `today`.
absl::StatusOr<v1::Statement> IssueStatement(
    const v1::Certificate& certificate,
    const std::optional<v1::Date>& date_flag, absl::CivilDay today);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_ISSUE_H_
