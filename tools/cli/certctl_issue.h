#ifndef CERTREG_TOOLS_CLI_CERTCTL_ISSUE_H_
#define CERTREG_TOOLS_CLI_CERTCTL_ISSUE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"

namespace certreg {

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
