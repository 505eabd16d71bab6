#ifndef CERTREG_VERIFIER_CRYPTO_KEY_FILES_H_
#define CERTREG_VERIFIER_CRYPTO_KEY_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Ed25519 keys in PEM files.

// Writes `key` to `private_path` (mode 0600) and its public key to
// `public_path` (mode 0644), creating parent directories. Refuses to
// overwrite either file (ALREADY_EXISTS); UNAVAILABLE on I/O errors.
absl::Status WriteKeyPair(const Ed25519PrivateKey& key,
                          const std::string& private_path,
                          const std::string& public_path);

// Reads a PEM private key. NOT_FOUND when the file does not exist,
// INVALID_ARGUMENT (naming the file) when it is not an Ed25519 key.
absl::StatusOr<Ed25519PrivateKey> ReadPrivateKey(const std::string& path);

// Reads a PEM public key (or the public half of a PEM private key).
absl::StatusOr<Ed25519PublicKey> ReadPublicKey(const std::string& path);

// $XDG_CONFIG_HOME/certreg, else $HOME/.config/certreg, else ./.certreg.
std::string DefaultConfigDir();

// $XDG_DATA_HOME/certreg, else $HOME/.local/share/certreg, else
// ./certreg-data: where the servers keep their data by default.
std::string DefaultDataDir();

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CRYPTO_KEY_FILES_H_
