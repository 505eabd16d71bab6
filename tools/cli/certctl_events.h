#ifndef CERTREG_TOOLS_CLI_CERTCTL_EVENTS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_EVENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "certreg/v1/certificate.pb.h"
#include "certreg/v1/statement.pb.h"
#include "tools/cli/certctl_statements.h"

namespace certreg {

// The statement of each event a certification body records on one of its
// certificates, built from the event command's flag values: surveil,
// suspend, reinstate, revoke, withdraw, renew, change-scope and
// change-holder.
//
// Example:
//   EventFlags flags;
//   flags.reason = "未按期接受监督审核";
//   absl::StatusOr<v1::Statement> suspend =
//       EventStatement("suspend", "00216Q10097R1S", today, flags);

// The values of the event commands' flags, as given (empty when not).
struct EventFlags {
  std::string note;             // --note: surveil, reinstate
  std::string reason;           // --reason: suspend, revoke, withdraw
  std::string new_issue_date;   // --new_issue_date: renew
  std::string new_expiry_date;  // --new_expiry_date: renew
  GradeFlags grade;             // --score, --deductions, --stars: renew
  std::string scope;            // --scope: change-scope
  std::string name;             // --name: change-holder
  std::string address;          // --address: change-holder
  // Every --site value, in order: change-scope, change-holder.
  std::vector<std::string> sites;
};

// The statement of the event `command` on certificate `number`, dated
// `date`, without its previous_event_hash (the chain's head when it is
// submitted). Only the flags of `command` are read.
//
// Errors (INVALID_ARGUMENT), each naming the flag: "--reason: is required"
// (suspend, revoke, withdraw); RequiredDate's for --new_issue_date, then
// --new_expiry_date, then ServiceGradeFromFlags's (renew); "--scope: is
// required", then ParseSiteFlags's (change-scope); ChangeHolderFromFlags's
// (change-holder); "unknown event" for a command that is not an event.
absl::StatusOr<v1::Statement> EventStatement(absl::string_view command,
                                             absl::string_view number,
                                             const v1::Date& date,
                                             const EventFlags& flags);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_EVENTS_H_
