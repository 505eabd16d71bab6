#include "tools/cli/certctl_command.h"

#include <iostream>

#include "tools/cli/certctl_help.h"

namespace certreg {

int ExitCode(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      return kExitCheckFailed;
    default:
      return kExitUsage;
  }
}

int Fail(const absl::Status& status) {
  std::cerr << "certctl: " << status.message() << "\n";
  return ExitCode(status);
}

int Usage(absl::string_view command, absl::string_view problem) {
  std::cerr << "certctl " << command << ": " << problem << "\n\n"
            << CommandHelp(std::string(command)) << "\n";
  return kExitUsage;
}

}  // namespace certreg
