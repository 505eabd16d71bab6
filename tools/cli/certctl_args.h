#ifndef CERTREG_TOOLS_CLI_CERTCTL_ARGS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_ARGS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace certreg {

// Every value the command line gives the flag `name`, in order: absl keeps
// only the last of a repeated flag, while certctl change-holder and
// change-scope take --site once per site. Reads "--name=V", "-name=V",
// "--name V" and "-name V"; skips the value of any other flag that takes one
// ("--note --site" is --note with the value "--site") by asking absl's flag
// registry whether it is a bool; stops at "--".
std::vector<std::string> RepeatedFlagValues(int argc, const char* const* argv,
                                            absl::string_view name);

// What absl::ParseCommandLine would refuse in `argv` (an unknown flag, a
// flag without its value, a value of the wrong type), said before absl
// does: absl exits with 1, which for certctl means "a check failed", while
// a usage error is 2. Empty when all is well. Reads flags as
// RepeatedFlagValues does; "--noNAME" of a bool flag NAME is known too.
//
// Problems: "unknown flag --NAME"; "--NAME needs a value"; "--NAME: " and
// absl's reason for a value it cannot parse.
std::string UsageProblem(int argc, const char* const* argv);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_ARGS_H_
