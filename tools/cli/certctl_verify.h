#ifndef CERTREG_TOOLS_CLI_CERTCTL_VERIFY_H_
#define CERTREG_TOOLS_CLI_CERTCTL_VERIFY_H_

#include "tools/cli/certctl_command.h"

namespace certreg {

// certctl's commands that check evidence with the pinned keys
// (--operator_public_key, --log_public_key; default CONFIG/operator.pub and
// CONFIG/log.pub).

// verify NUMBER [claims] | verify --bundle=FILE [NUMBER] [claims]: checks a
// claim online (the checkpoint must extend the last one this machine
// trusted, CONFIG/trusted_checkpoint) or against a bundle file offline;
// prints every check. Exit 0 PASS, 1 FAIL or UNKNOWN, 2 usage or an
// unreachable registry.
int VerifyCommand(const Args& args);

// bundle NUMBER [--out=FILE]: the certificate's verification bundle, binary,
// to FILE or standard output (--json: its JSON form).
int BundleCommand(const Args& args);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_VERIFY_H_
