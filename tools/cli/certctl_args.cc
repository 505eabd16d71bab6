#include "tools/cli/certctl_args.h"

#include <optional>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"

namespace certreg {

std::vector<std::string> RepeatedFlagValues(int argc, const char* const* argv,
                                            absl::string_view name) {
  std::vector<std::string> values;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;  // the rest are positional
    if (arg.size() < 2 || arg[0] != '-') continue;
    absl::string_view flag = arg.substr(arg[1] == '-' ? 2 : 1);
    const size_t eq = flag.find('=');
    const bool has_value = eq != absl::string_view::npos;
    absl::string_view value;
    if (has_value) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    if (flag == name) {
      if (has_value) {
        values.emplace_back(value);
      } else if (i + 1 < argc) {
        values.emplace_back(argv[++i]);
      }
      continue;
    }
    if (has_value) continue;
    const absl::CommandLineFlag* other = absl::FindCommandLineFlag(flag);
    if (other != nullptr && !other->IsOfType<bool>()) ++i;  // its value
  }
  return values;
}

std::string UsageProblem(int argc, const char* const* argv) {
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

}  // namespace certreg
