#ifndef CERTREG_TOOLS_CLI_CERTCTL_WRITE_H_
#define CERTREG_TOOLS_CLI_CERTCTL_WRITE_H_

#include "tools/cli/certctl_command.h"

namespace certreg {

// certctl's signed writes. Each builds its statement from its flags, signs
// it on this machine and submits it; the registry checks and logs it and
// certctl prints the receipt (--json: as JSON). A usage error is found
// before any key is read or the registry is asked.

// The registry operator's statements, signed with --operator_key (default
// CONFIG/operator.key) and dated --date (default today, CST).
//
// accredit --approval --name --public_key --valid_from --valid_until
int AccreditCommand(const Args& args);
// rotate-key --approval --public_key: a new key for the body.
int RotateKeyCommand(const Args& args);
// retire-key --approval (--key_id | --public_key)
int RetireKeyCommand(const Args& args);
// publish-rules [--file] [--rules_version]: a new version of the scheme
// rules (the built-in ones without --file); --print_default prints them.
int PublishRulesCommand(const Args& args);

// A certification body's statements, signed with --key.
//
// issue (--file=CERT.json | --number ... --type ...): dated on the
// certificate's issue date.
int IssueCommand(const Args& args);
// The events on one certificate, NUMBER: each names the head of its chain,
// which certctl asks the registry for. Dated --date (default today, CST).
int SurveilCommand(const Args& args);       // [--note]
int SuspendCommand(const Args& args);       // --reason
int ReinstateCommand(const Args& args);     // [--note]
int RevokeCommand(const Args& args);        // --reason
int WithdrawCommand(const Args& args);      // --reason
int RenewCommand(const Args& args);         // --new_issue_date ...
int ChangeScopeCommand(const Args& args);   // --scope [--site ...]
int ChangeHolderCommand(const Args& args);  // --name, --address, --site

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_WRITE_H_
