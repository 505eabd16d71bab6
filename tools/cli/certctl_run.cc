#include "tools/cli/certctl_run.h"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "tools/cli/certctl_args.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_help.h"

namespace certreg {
namespace {

bool IsHelpFlag(const char* arg) {
  return std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0 ||
         std::strcmp(arg, "-help") == 0;
}

// The first argument that is not a flag; empty when there is none.
std::string FirstCommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') return argv[i];
  }
  return "";
}

std::string HelpOf(const std::string& command) {
  return command.empty() ? GeneralHelp() : CommandHelp(command);
}

}  // namespace

int RunCertctl(int argc, char** argv, absl::Span<const Command> commands) {
  // `certctl COMMAND --help` shows that command's help (absl's --help would
  // list every flag of every command).
  const std::string first_command = FirstCommand(argc, argv);
  for (int i = 1; i < argc; ++i) {
    if (IsHelpFlag(argv[i])) {
      std::cout << HelpOf(first_command) << "\n";
      return kExitOk;
    }
  }
  absl::SetProgramUsageMessage(GeneralHelp());
  if (std::string problem = UsageProblem(argc, argv); !problem.empty()) {
    std::cerr << "certctl: " << problem << " (see certctl "
              << (first_command.empty() ? "help" : first_command + " --help")
              << ")\n";
    return kExitUsage;
  }
  SetSiteFlagValues(RepeatedFlagValues(argc, argv, "site"));
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  // As in the servers: no lock-graph bookkeeping (import is CPU-bound).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (parsed.size() < 2) {
    std::cerr << GeneralHelp() << "\n";
    return kExitUsage;
  }
  const std::string name = parsed[1];
  const Args args(parsed.begin() + 2, parsed.end());
  if (name == "help") {
    std::cout << HelpOf(args.empty() ? "" : args[0]) << "\n";
    return kExitOk;
  }
  for (const Command& command : commands) {
    if (command.name == name) return command.run(args);
  }
  std::cerr << "certctl: unknown command \"" << name << "\"\n\n"
            << GeneralHelp() << "\n";
  return kExitUsage;
}

}  // namespace certreg
