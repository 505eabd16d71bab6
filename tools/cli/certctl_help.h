#ifndef CERTREG_TOOLS_CLI_CERTCTL_HELP_H_
#define CERTREG_TOOLS_CLI_CERTCTL_HELP_H_

#include <string>

namespace certreg {

// certctl's overview: every command, one line each, and the exit codes.
std::string GeneralHelp();
// One command's help with an example; the overview for an unknown command.
std::string CommandHelp(const std::string& command);
// True for a command certctl knows.
bool IsCommand(const std::string& command);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_HELP_H_
