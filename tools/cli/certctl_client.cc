#include "tools/cli/certctl_client.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/cli/certctl_command.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_text.h"
#include "verifier/crypto/key_files.h"
#include "verifier/crypto/signed_statement.h"

ABSL_FLAG(std::string, registry, "127.0.0.1:50051",
          "Address (host:port) of the certreg registry.");
ABSL_FLAG(int, timeout_seconds, 10, "Deadline for each call to the registry.");
ABSL_FLAG(bool, tls, false,
          "Reach the registry over TLS, checking its certificate against "
          "the system's CAs (or --tls_ca_file) and its name against the "
          "address (or --tls_server_name).");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM file of the CA the registry's certificate must chain to; "
          "implies --tls. Default: the system's CAs.");
ABSL_FLAG(std::string, tls_server_name, "",
          "The name the registry's certificate must carry, when not the "
          "address's host; implies --tls.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "A client certificate (PEM) for admin commands over TLS, with "
          "--tls_key_file; implies --tls.");
ABSL_FLAG(std::string, tls_key_file, "", "The key of --tls_cert_file.");
ABSL_FLAG(std::string, api_key_file, "",
          "A file holding this client's API key for the registry's quotas "
          "(sent as metadata x-api-key); default: none, metered by address.");
ABSL_FLAG(std::string, admin, "",
          "Where admin commands (backup, scrub) reach the registry: its admin "
          "socket (default unix:DATA/registry.admin.sock, DATA = "
          "~/.local/share/certreg, where certreg-registry puts it by "
          "default), or host:port over TLS with a client certificate "
          "(--tls_cert_file).");
ABSL_FLAG(std::string, key, "",
          "The certification body's private key file (signs its statements).");
ABSL_FLAG(std::string, operator_key, "",
          "The registry operator's private key file (default "
          "CONFIG/operator.key, CONFIG = ~/.config/certreg).");

namespace certreg {

std::optional<ClientTls> TlsFromFlags() {
  const std::string ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  const std::string server_name = absl::GetFlag(FLAGS_tls_server_name);
  const std::string cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  const std::string key_file = absl::GetFlag(FLAGS_tls_key_file);
  if (!absl::GetFlag(FLAGS_tls) && ca_file.empty() && server_name.empty() &&
      cert_file.empty() && key_file.empty()) {
    return std::nullopt;
  }
  absl::StatusOr<ClientTls> tls =
      LoadClientTls(ca_file, cert_file, key_file, server_name);
  if (!tls.ok()) {
    std::cerr << "certctl: " << tls.status().message() << "\n";
    std::exit(kExitUsage);
  }
  return *std::move(tls);
}

std::unique_ptr<RegistryClient> Client() {
  auto client = std::make_unique<RegistryClient>(
      absl::GetFlag(FLAGS_registry),
      std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)),
      TlsFromFlags());
  const std::string key_file = absl::GetFlag(FLAGS_api_key_file);
  if (!key_file.empty()) {
    std::ifstream in(key_file);
    std::string key;
    if (!std::getline(in, key) || key.empty()) {
      std::cerr << "certctl: --api_key_file: cannot read a key from "
                << key_file << "\n";
      std::exit(kExitUsage);
    }
    client->set_api_key(key);
  }
  return client;
}

std::unique_ptr<RegistryClient> AdminClient() {
  std::string address = absl::GetFlag(FLAGS_admin);
  if (address.empty()) {
    address = "unix:" + DefaultDataDir() + "/registry.admin.sock";
  }
  // The socket is plaintext: the kernel checks who connects.
  const bool socket = absl::StartsWith(address, "unix:");
  return std::make_unique<RegistryClient>(
      address, std::chrono::seconds(absl::GetFlag(FLAGS_timeout_seconds)),
      socket ? std::nullopt : TlsFromFlags());
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
