#include "verifier/crypto/ed25519.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "verifier/crypto/openssl_handles.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  std::string raw(kEd25519PublicKeyBytes, '\0');
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(raw.data()), &length) != 1 ||
      length != kEd25519PublicKeyBytes) {
    return absl::InternalError("cannot extract the Ed25519 public key");
  }
  return raw;
}

// OpenSSL keeps a queue of errors per thread, and its PEM reader looks at
// that queue to tell a block it skips (another PEM block before the key) from
// a failure. Errors left there by earlier failures on the thread made such a
// file fail to read now and then, so every key parse starts with an empty
// queue, and leaves it empty.
class OpenSslErrorScope {
 public:
  OpenSslErrorScope() { ERR_clear_error(); }
  ~OpenSslErrorScope() { ERR_clear_error(); }
  OpenSslErrorScope(const OpenSslErrorScope&) = delete;
  OpenSslErrorScope& operator=(const OpenSslErrorScope&) = delete;
};

// The pass phrase callback of every PEM read: there is none, so an encrypted
// key is refused like any other unreadable block. (Without a callback
// OpenSSL asks for one on the terminal and waits.)
int NoPassphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/,
                 void* /*userdata*/) {
  return -1;
}

std::string ReadBio(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace

std::string KeyIdOf(absl::string_view raw_public_key) {
  return Sha256(raw_public_key);
}

std::string ToHex(absl::string_view bytes) {
  return absl::BytesToHexString(bytes);
}

absl::StatusOr<std::string> FromHex(absl::string_view hex,
                                    absl::string_view field) {
  if (hex.size() % 2 != 0 || hex.find_first_not_of("0123456789abcdefABCDEF") !=
                                 absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", hex, "\" is not hexadecimal"));
  }
  return absl::HexStringToBytes(hex);
}

std::string DomainSeparated(absl::string_view domain,
                            absl::string_view message) {
  return absl::StrCat(domain, message);
}

Ed25519PublicKey::Ed25519PublicKey(std::shared_ptr<EVP_PKEY> key,
                                   std::string raw)
    : key_(std::move(key)), raw_(std::move(raw)), key_id_(KeyIdOf(raw_)) {}

absl::Status CheckRawPublicKey(absl::string_view raw, absl::string_view field) {
  if (raw.size() != kEd25519PublicKeyBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": an Ed25519 public key is 32 bytes, got ", raw.size()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromRaw(
    absl::string_view raw, absl::string_view field) {
  if (absl::Status checked = CheckRawPublicKey(raw, field); !checked.ok()) {
    return checked;
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid Ed25519 public key"));
  }
  return Ed25519PublicKey(Own(key), std::string(raw));
}

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromPem(
    absl::string_view pem) {
  OpenSslErrorScope errors;
  UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key =
      PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "public key: not a PEM \"PUBLIC KEY\" block");
  }
  std::shared_ptr<EVP_PKEY> owned = Own(key);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("public key: not an Ed25519 key");
  }
  absl::StatusOr<std::string> raw = RawPublicKey(key);
  if (!raw.ok()) return raw.status();
  return Ed25519PublicKey(std::move(owned), *std::move(raw));
}

absl::Status Ed25519PublicKey::Verify(absl::string_view message,
                                      absl::string_view signature) const {
  if (signature.size() != kEd25519SignatureBytes) {
    return absl::PermissionDeniedError(absl::StrCat(
        "signature: an Ed25519 signature is 64 bytes, got ", signature.size()));
  }
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr,
                                             nullptr, key_.get()) != 1) {
    return absl::InternalError("cannot initialise Ed25519 verification");
  }
  int result = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
      signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
      message.size());
  if (result != 1) {
    return absl::PermissionDeniedError(
        absl::StrCat("signature: does not verify with key ", ToHex(key_id_)));
  }
  return absl::OkStatus();
}

std::string Ed25519PublicKey::ToPem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return ReadBio(bio.get());
}

Ed25519PrivateKey::Ed25519PrivateKey(std::shared_ptr<EVP_PKEY> key,
                                     Ed25519PublicKey public_key)
    : key_(std::move(key)), public_key_(std::move(public_key)) {}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr)
    return absl::InternalError("Ed25519 key generation failed");
  std::shared_ptr<EVP_PKEY> owned = Own(key);
  absl::StatusOr<std::string> raw = RawPublicKey(key);
  if (!raw.ok()) return raw.status();
  absl::StatusOr<Ed25519PublicKey> public_key = Ed25519PublicKey::FromRaw(*raw);
  if (!public_key.ok()) return public_key.status();
  return Ed25519PrivateKey(std::move(owned), *std::move(public_key));
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromPem(
    absl::string_view pem) {
  OpenSslErrorScope errors;
  UniqueBio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key =
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr);
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        "private key: not an unencrypted PEM \"PRIVATE KEY\" block");
  }
  std::shared_ptr<EVP_PKEY> owned = Own(key);
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("private key: not an Ed25519 key");
  }
  absl::StatusOr<std::string> raw = RawPublicKey(key);
  if (!raw.ok()) return raw.status();
  absl::StatusOr<Ed25519PublicKey> public_key = Ed25519PublicKey::FromRaw(*raw);
  if (!public_key.ok()) return public_key.status();
  return Ed25519PrivateKey(std::move(owned), *std::move(public_key));
}

absl::StatusOr<std::string> Ed25519PrivateKey::Sign(
    absl::string_view message) const {
  UniqueMdCtx ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr,
                                           key_.get()) != 1) {
    return absl::InternalError("cannot initialise Ed25519 signing");
  }
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t length = signature.size();
  if (EVP_DigestSign(
          ctx.get(), reinterpret_cast<unsigned char*>(signature.data()),
          &length, reinterpret_cast<const unsigned char*>(message.data()),
          message.size()) != 1 ||
      length != kEd25519SignatureBytes) {
    return absl::InternalError("Ed25519 signing failed");
  }
  return signature;
}

std::string Ed25519PrivateKey::ToPem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr,
                           nullptr);
  return ReadBio(bio.get());
}

}  // namespace certreg
