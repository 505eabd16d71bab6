#ifndef CERTREG_TOOLS_CLI_CERTCTL_COMMANDS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_COMMANDS_H_

#include "absl/status/statusor.h"
#include "certreg/v1/registry.pb.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_keys.h"
#include "tools/cli/certctl_lookup.h"
#include "tools/cli/certctl_text.h"
#include "tools/cli/certctl_verify.h"
#include "tools/cli/certctl_write.h"

namespace certreg {

// Each certctl command: takes its positional arguments, returns the exit
// code. Flags are read with absl::GetFlag.

// Bulk and operations (certctl_bulk.cc).
int GenerateCommand(const Args& args);
int ImportCommand(const Args& args);
int ExportCommand(const Args& args);
int BackupCommand(const Args& args);
int DemoSeedCommand(const Args& args);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_COMMANDS_H_
