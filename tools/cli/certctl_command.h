#ifndef CERTREG_TOOLS_CLI_CERTCTL_COMMAND_H_
#define CERTREG_TOOLS_CLI_CERTCTL_COMMAND_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace certreg {

// What every certctl command is: a function of its arguments (those after
// the command's name) returning the process's exit code. Commands read their
// flags with absl::GetFlag.
//
// Example:
//   int BodiesCommand(const Args& args) {
//     if (!args.empty()) return Usage("bodies", "takes no arguments");
//     ...
//     if (!response.ok()) return Fail(response.status());
//     return kExitOk;
//   }

// Exit codes: 0 success, 1 a check failed or the thing is not there / not
// allowed, 2 usage or connection error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitUsage = 2;

// A command's arguments after its name.
using Args = std::vector<std::string>;

// A command as certctl's dispatch table names it.
struct Command {
  absl::string_view name;  // as typed: "get", "change-holder"
  int (*run)(const Args& args);
};

// The exit code for `status`: kExitOk when it is OK; kExitCheckFailed for
// NOT_FOUND, FAILED_PRECONDITION, PERMISSION_DENIED and ALREADY_EXISTS (the
// thing is not there or not allowed); kExitUsage for every other code
// (INVALID_ARGUMENT, UNAVAILABLE, DEADLINE_EXCEEDED, ...).
int ExitCode(const absl::Status& status);

// Prints "certctl: MESSAGE" to standard error; returns ExitCode(status).
int Fail(const absl::Status& status);

// Prints "certctl COMMAND: PROBLEM", a blank line and the command's help to
// standard error; returns kExitUsage.
int Usage(absl::string_view command, absl::string_view problem);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_COMMAND_H_
