#include "tools/cli/certctl_keys.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tools/cli/certctl_client.h"
#include "tools/cli/certctl_flags.h"
#include "tools/cli/certctl_text.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/key_files.h"

ABSL_FLAG(std::string, out_dir, "", "registry-keys: write the keys here.");

namespace certreg {

int KeygenCommand(const Args& args) {
  if (args.size() != 1) return Usage("keygen", "give one path prefix");
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  if (!key.ok()) return Fail(key.status());
  absl::Status written = WriteKeyPair(*key, args[0] + ".key", args[0] + ".pub");
  if (!written.ok()) return Fail(written);
  std::cout << "private key " << args[0] << ".key (mode 0600; keep it secret)\n"
            << "public key  " << args[0] << ".pub\n"
            << "key id      " << ToHex(key->key_id()) << "\n";
  return kExitOk;
}

int KeyIdCommand(const Args& args) {
  if (args.size() != 1) return Usage("key-id", "give one key file");
  absl::StatusOr<Ed25519PublicKey> key = ReadPublicKey(args[0]);
  if (!key.ok()) return Fail(key.status());
  std::cout << ToHex(key->key_id()) << "\n";
  return kExitOk;
}

absl::Status PinPublicKey(const std::string& dir, const std::string& name,
                          absl::string_view raw, std::ostream& out) {
  absl::StatusOr<Ed25519PublicKey> key = Ed25519PublicKey::FromRaw(raw);
  if (!key.ok()) return key.status();
  std::string path = absl::StrCat(dir, "/", name);
  // Never replace a pinned key with another one.
  absl::StatusOr<Ed25519PublicKey> pinned = ReadPublicKey(path);
  if (pinned.ok() && pinned->key_id() == key->key_id()) {
    out << path << " already pins this key\n";
    return absl::OkStatus();
  }
  if (!absl::IsNotFound(pinned.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat(path,
                     " already holds another key; not replacing it (remove it "
                     "first if the registry's key really changed)"));
  }
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  std::ofstream file(path, std::ios::trunc);
  file << key->ToPem();
  if (!file.good()) return absl::UnavailableError("cannot write " + path);
  out << "wrote " << path << "\n";
  return absl::OkStatus();
}

int RegistryKeysCommand(const Args& args) {
  if (!args.empty()) return Usage("registry-keys", "takes no arguments");
  absl::StatusOr<v1::GetRegistryKeysResponse> keys =
      Client()->GetRegistryKeys();
  if (!keys.ok()) return Fail(keys.status());
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(*keys);
  } else {
    std::cout << "operator key id " << ToHex(keys->operator_key_id()) << "\n"
              << "log key id      " << ToHex(keys->log_key_id()) << "\n"
              << "log origin      " << keys->log_origin() << "\n";
  }
  std::string dir = absl::GetFlag(FLAGS_out_dir);
  if (dir.empty()) return kExitOk;
  for (const auto& [name, raw] :
       {std::pair<std::string, std::string>{"operator.pub",
                                            keys->operator_public_key()},
        {"log.pub", keys->log_public_key()}}) {
    absl::Status pinned = PinPublicKey(dir, name, raw, std::cout);
    if (!pinned.ok()) return Fail(pinned);
  }
  return kExitOk;
}

}  // namespace certreg
