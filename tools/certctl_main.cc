// certctl: the command line for every user of certreg. Private keys never
// leave this machine: certctl signs, the registry only verifies.
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "tools/cli/certctl_args.h"
#include "tools/cli/certctl_commands.h"
#include "tools/cli/certctl_help.h"

namespace {

bool IsHelpFlag(const char* arg) {
  return std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0 ||
         std::strcmp(arg, "-help") == 0;
}

// What absl::ParseCommandLine would refuse (an unknown flag, a value of the
// wrong type), said here first: absl exits with 1, which for certctl means
// "a check failed", while a usage error is 2. Empty when all is well.
std::string UsageProblem(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;  // the rest are positional
    if (arg.size() < 2 || arg[0] != '-') continue;
    absl::string_view name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<absl::string_view> value;
    if (size_t eq = name.find('='); eq != absl::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && absl::StartsWith(name, "no") && !value) {
      absl::CommandLineFlag* negated =
          absl::FindCommandLineFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) continue;
    }
    if (flag == nullptr) {
      return "unknown flag --" + std::string(name);
    }
    if (!value && !flag->IsOfType<bool>()) {
      if (i + 1 >= argc) return "--" + std::string(name) + " needs a value";
      value = argv[++i];
    }
    std::string error;
    if (value && !flag->ParseFrom(*value, &error)) {
      return "--" + std::string(name) + ": " + error;
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  using certreg::Args;
  // `certctl COMMAND --help` shows that command's help (absl's --help would
  // list every flag of every command).
  std::string first_command;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') {
      first_command = argv[i];
      break;
    }
  }
  for (int i = 1; i < argc; ++i) {
    if (IsHelpFlag(argv[i])) {
      std::cout << (first_command.empty() ? certreg::GeneralHelp()
                                          : certreg::CommandHelp(first_command))
                << "\n";
      return certreg::kExitOk;
    }
  }
  absl::SetProgramUsageMessage(certreg::GeneralHelp());
  if (std::string problem = UsageProblem(argc, argv); !problem.empty()) {
    std::cerr << "certctl: " << problem << " (see certctl "
              << (first_command.empty() ? "help" : first_command + " --help")
              << ")\n";
    return certreg::kExitUsage;
  }
  certreg::SetSiteFlagValues(certreg::RepeatedFlagValues(argc, argv, "site"));
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  // As in the servers: no lock-graph bookkeeping (import is CPU-bound).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (parsed.size() < 2) {
    std::cerr << certreg::GeneralHelp() << "\n";
    return certreg::kExitUsage;
  }
  const std::string command = parsed[1];
  const Args args(parsed.begin() + 2, parsed.end());
  if (command == "help") {
    std::cout << (args.empty() ? certreg::GeneralHelp()
                               : certreg::CommandHelp(args[0]))
              << "\n";
    return certreg::kExitOk;
  }
  if (command == "get") return certreg::GetCommand(args);
  if (command == "search") return certreg::SearchCommand(args);
  if (command == "bodies") return certreg::BodiesCommand(args);
  if (command == "health") return certreg::HealthCommand(args);
  if (command == "bundle") return certreg::BundleCommand(args);
  if (command == "verify") return certreg::VerifyCommand(args);
  if (command == "registry-keys") return certreg::RegistryKeysCommand(args);
  if (command == "keygen") return certreg::KeygenCommand(args);
  if (command == "key-id") return certreg::KeyIdCommand(args);
  if (command == "accredit") return certreg::AccreditCommand(args);
  if (command == "rotate-key") return certreg::RotateKeyCommand(args);
  if (command == "retire-key") return certreg::RetireKeyCommand(args);
  if (command == "publish-rules") return certreg::PublishRulesCommand(args);
  if (command == "issue") return certreg::IssueCommand(args);
  if (command == "surveil") return certreg::SurveilCommand(args);
  if (command == "suspend") return certreg::SuspendCommand(args);
  if (command == "reinstate") return certreg::ReinstateCommand(args);
  if (command == "revoke") return certreg::RevokeCommand(args);
  if (command == "withdraw") return certreg::WithdrawCommand(args);
  if (command == "renew") return certreg::RenewCommand(args);
  if (command == "change-scope") return certreg::ChangeScopeCommand(args);
  if (command == "change-holder") return certreg::ChangeHolderCommand(args);
  if (command == "demo-seed") return certreg::DemoSeedCommand(args);
  if (command == "generate") return certreg::GenerateCommand(args);
  if (command == "import") return certreg::ImportCommand(args);
  if (command == "export") return certreg::ExportCommand(args);
  if (command == "backup") return certreg::BackupCommand(args);
  std::cerr << "certctl: unknown command \"" << command << "\"\n\n"
            << certreg::GeneralHelp() << "\n";
  return certreg::kExitUsage;
}
