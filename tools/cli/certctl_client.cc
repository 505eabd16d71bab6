#include "tools/cli/certctl_client.h"

#include <chrono>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_text.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address (host:port) of the certreg registry.");
ABSL_FLAG(int, timeout_seconds, 10, "Deadline for each call to the registry.");
ABSL_FLAG(std::string, key, "",
          "The certification body's private key file (signs its statements).");
ABSL_FLAG(std::string, operator_key, "",
          "The registry operator's private key file (default "
          "CONFIG/operator.key, CONFIG = ~/.config/certreg).");

namespace certreg {

std::unique_ptr<RegistryClient> Client() {
  return std::make_unique<RegistryClient>(
      absl::GetFlag(FLAGS_registry),
      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)));
}

absl::StatusOr<Ed25519PrivateKey> BodyKey() {
  std::string path = absl::GetFlag(FLAGS_key);
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "--key: give the certification body's private key file");
  }
  return ReadPrivateKey(path);
}

absl::StatusOr<Ed25519PrivateKey> OperatorKey() {
  std::string path = absl::GetFlag(FLAGS_operator_key);
  if (path.empty()) path = ConfigPath("operator.key");
  return ReadPrivateKey(path);
}

std::string ReceiptText(v1::StatementKind kind,
                        const v1::StatementReceipt& receipt) {
  return absl::StrCat(KindName(kind), " accepted: log index ",
                      receipt.leaf_index(), ", statement hash ",
                      ToHex(receipt.statement_hash()), "\n");
}

int SignAndSubmit(const v1::Statement& statement, const Signer& signer) {
  absl::StatusOr<v1::SignedStatement> signed_statement =
      SignStatement(statement, signer);
  if (!signed_statement.ok()) return Fail(signed_statement.status());
  absl::StatusOr<v1::StatementReceipt> receipt =
      Client()->Submit(KindOf(statement), *signed_statement);
  if (!receipt.ok()) return Fail(receipt.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*receipt);
    return kExitOk;
  }
  std::cout << ReceiptText(KindOf(statement), *receipt);
  return kExitOk;
}

}  // namespace certreg
