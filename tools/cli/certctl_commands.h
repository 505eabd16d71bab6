#ifndef CERTREG_TOOLS_CLI_CERTCTL_COMMANDS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_COMMANDS_H_

// Every certctl command, by group.
#include "tools/cli/certctl_bulk.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_keys.h"
#include "tools/cli/certctl_lookup.h"
#include "tools/cli/certctl_verify.h"
#include "tools/cli/certctl_write.h"

#endif  // CERTREG_TOOLS_CLI_CERTCTL_COMMANDS_H_
