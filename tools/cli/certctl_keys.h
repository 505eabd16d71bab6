#ifndef CERTREG_TOOLS_CLI_CERTCTL_KEYS_H_
#define CERTREG_TOOLS_CLI_CERTCTL_KEYS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/cli/certctl_command.h"

namespace certreg {

// certctl's key commands: new key pairs and key ids on this machine, and
// the registry's public keys to pin.

// keygen PREFIX: a new Ed25519 key pair, PREFIX.key (mode 0600) and
// PREFIX.pub; refuses to overwrite either (exit 1). Prints the key id.
int KeygenCommand(const Args& args);

// key-id FILE: the key id (hex) of a public or private key file.
int KeyIdCommand(const Args& args);

// registry-keys [--out_dir=DIR]: the registry's operator and log key ids
// (--json: the response); with --out_dir, pins both keys there
// (PinPublicKey).
int RegistryKeysCommand(const Args& args);

// Writes the raw Ed25519 public key `raw` to DIR/NAME in PEM, creating DIR,
// and says so on `out` ("wrote DIR/NAME"); a file that already holds this
// key is left as it is ("DIR/NAME already pins this key"). Never replaces
// another key.
//
// Errors: INVALID_ARGUMENT when `raw` is not a public key;
// FAILED_PRECONDITION when DIR/NAME holds another key; UNAVAILABLE when DIR
// cannot be created or the file written.
absl::Status PinPublicKey(const std::string& dir, const std::string& name,
                          absl::string_view raw, std::ostream& out);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_KEYS_H_
