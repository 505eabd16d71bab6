#ifndef CERTREG_TOOLS_CLI_CERTCTL_CLIENT_H_
#define CERTREG_TOOLS_CLI_CERTCTL_CLIENT_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/grpc/registry_client.h"

ABSL_DECLARE_FLAG(std::string, registry);
ABSL_DECLARE_FLAG(int, timeout_seconds);
ABSL_DECLARE_FLAG(std::string, admin);

namespace certreg {

// How certctl's commands reach the registry (--registry,
// --timeout_seconds) and sign what they send it (--key, --operator_key).
// Private keys never leave this machine: certctl signs, the registry only
// verifies.

// A client of the registry at --registry, each call with a deadline of
// --timeout_seconds, over TLS when a --tls flag asks for it. Connects on the
// first call. Exits with kExitUsage, saying why, when a TLS file cannot be
// read.
std::unique_ptr<RegistryClient> Client();

// A client of the registry's admin service at --admin (default: the admin
// socket of a registry with the default data directory).
std::unique_ptr<RegistryClient> AdminClient();

// The TLS the --tls flags ask for; nullopt for plaintext. Exits with
// kExitUsage, saying why, when a file cannot be read.
std::optional<ClientTls> TlsFromFlags();

// The certification body's key: the file --key names. INVALID_ARGUMENT
// "--key: give the certification body's private key file" when --key is
// empty; ReadPrivateKey's errors (NOT_FOUND, INVALID_ARGUMENT).
absl::StatusOr<Ed25519PrivateKey> BodyKey();

// The registry operator's key: the file --operator_key names, default
// CONFIG/operator.key. ReadPrivateKey's errors.
absl::StatusOr<Ed25519PrivateKey> OperatorKey();

// The line certctl prints when the registry accepts a statement of `kind`:
// "suspend accepted: log index 7, statement hash 3f2a…" (the hash in hex).
std::string ReceiptText(v1::StatementKind kind,
                        const v1::StatementReceipt& receipt);

// Signs `statement` with `signer`, submits it and prints the receipt
// (ReceiptText, or the receipt's JSON with --json). Returns the exit code:
// kExitOk, or Fail's for a refusal or an unreachable registry.
int SignAndSubmit(const v1::Statement& statement, const Signer& signer);

}  // namespace certreg

#endif  // CERTREG_TOOLS_CLI_CERTCTL_CLIENT_H_
