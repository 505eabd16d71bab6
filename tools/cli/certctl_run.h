#ifndef CERTREG_TOOLS_CLI_CERTCTL_RUN_H_
#define CERTREG_TOOLS_CLI_CERTCTL_RUN_H_

#include "absl/types/span.h"
#include "tools/cli/certctl_command.h"

namespace certreg {

// certctl's main, given its dispatch table; returns the exit code. In
// order:
//   1. --help, -h or -help anywhere: the help of the first argument that is
//      not a flag (the command), else the overview, on standard output;
//      exit 0.
//   2. What absl would refuse (UsageProblem): "certctl: PROBLEM (see
//      certctl COMMAND --help)" on standard error; exit 2.
//   3. Every --site value is recorded (SetSiteFlagValues), then the flags
//      are parsed.
//   4. No command: the overview on standard error; exit 2. "help [COMMAND]":
//      the help on standard output; exit 0. A command of `commands`: what it
//      returns. Any other: "certctl: unknown command" and the overview on
//      standard error; exit 2.
// Call once per process: it sets absl's program usage message.
int RunCertctl(int argc, char** argv, absl::Span<const Command> commands);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_RUN_H_
