#ifndef CERTREG_VERIFIER_CRYPTO_ED25519_H_
#define CERTREG_VERIFIER_CRYPTO_ED25519_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace certreg {

// Ed25519 keys and signatures through OpenSSL's EVP API.
//
// A key id is the SHA-256 of the raw 32-byte public key (32 bytes).
// Every signature in certreg covers a domain-separation prefix followed by the
// exact bytes of what is signed; see DomainSeparated().
//
// Example:
//   absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
//   absl::StatusOr<std::string> sig = key->Sign(message);
//   absl::Status ok = key->public_key().Verify(message, *sig);

inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;
inline constexpr size_t kKeyIdBytes = 32;

// SHA-256 of `raw_public_key`.
std::string KeyIdOf(absl::string_view raw_public_key);

// What Ed25519PublicKey::FromRaw checks of `raw` (its length: OpenSSL takes
// any 32 bytes), without setting a key up; INVALID_ARGUMENT naming `field`.
absl::Status CheckRawPublicKey(absl::string_view raw, absl::string_view field);

// Lower-case hex of `bytes`, for key ids and hashes shown to people.
std::string ToHex(absl::string_view bytes);

// Inverse of ToHex; INVALID_ARGUMENT naming `field` on bad input.
absl::StatusOr<std::string> FromHex(absl::string_view hex,
                                    absl::string_view field);

// `domain` (which must name the type of what is signed) || `message`.
std::string DomainSeparated(absl::string_view domain,
                            absl::string_view message);

// Verifies signatures with one public key. Implementations MUST be
// thread-safe.
class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  // OK when `signature` is valid over `message`; PERMISSION_DENIED otherwise.
  virtual absl::Status Verify(absl::string_view message,
                              absl::string_view signature) const = 0;
  virtual const std::string& key_id() const = 0;
};

// Makes signatures with one private key. Implementations MUST be thread-safe.
class Signer {
 public:
  virtual ~Signer() = default;
  virtual absl::StatusOr<std::string> Sign(absl::string_view message) const = 0;
  virtual const std::string& key_id() const = 0;
};

// An Ed25519 public key, parsed once. Copies share the OpenSSL object, which
// is immutable; thread-safe.
class Ed25519PublicKey : public SignatureVerifier {
 public:
  // From the raw 32 bytes; INVALID_ARGUMENT naming `field` otherwise.
  static absl::StatusOr<Ed25519PublicKey> FromRaw(
      absl::string_view raw, absl::string_view field = "public_key");
  // From a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) block.
  static absl::StatusOr<Ed25519PublicKey> FromPem(absl::string_view pem);

  absl::Status Verify(absl::string_view message,
                      absl::string_view signature) const override;
  const std::string& key_id() const override { return key_id_; }
  const std::string& raw() const { return raw_; }
  std::string ToPem() const;

 private:
  Ed25519PublicKey(std::shared_ptr<EVP_PKEY> key, std::string raw);

  std::shared_ptr<EVP_PKEY> key_;
  std::string raw_;
  std::string key_id_;
};

// An Ed25519 private key. Thread-safe.
class Ed25519PrivateKey : public Signer {
 public:
  static absl::StatusOr<Ed25519PrivateKey> Generate();
  // From a PEM "PRIVATE KEY" (PKCS#8, unencrypted) block.
  static absl::StatusOr<Ed25519PrivateKey> FromPem(absl::string_view pem);

  absl::StatusOr<std::string> Sign(absl::string_view message) const override;
  const std::string& key_id() const override { return public_key_.key_id(); }
  const Ed25519PublicKey& public_key() const { return public_key_; }
  // PKCS#8 PEM. Keep it secret.
  std::string ToPem() const;

 private:
  Ed25519PrivateKey(std::shared_ptr<EVP_PKEY> key, Ed25519PublicKey public_key);

  std::shared_ptr<EVP_PKEY> key_;
  Ed25519PublicKey public_key_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CRYPTO_ED25519_H_
