#ifndef CERTREG_VERIFIER_CRYPTO_SIGNATURE_MEMO_H_
#define CERTREG_VERIFIER_CRYPTO_SIGNATURE_MEMO_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Remembers signatures that verified, so that a verifier seeing the same
// signed bytes again (the checkpoint, a body's accreditation, a certificate
// many bidders claim) checks each once. An entry is the SHA-256 of
// (key id, signature, message): a remembered signature vouches only for the
// exact message it was checked over. Failures are never remembered.
//
// Bounded: once `capacity` entries are held, the memo starts afresh.
// Thread-safe.
class SignatureMemo {
 public:
  explicit SignatureMemo(size_t capacity) : capacity_(capacity) {}

  // The entry for a signature; Contains/Remember take it.
  static std::string EntryOf(absl::string_view key_id,
                             absl::string_view message,
                             absl::string_view signature);

  bool Contains(absl::string_view entry) const;
  void Remember(std::string entry);
  size_t size() const;

  // The Ed25519 public key of `raw` (32 bytes), set up once: a body's key
  // checks many certificates, and OpenSSL's set-up of a key costs about a
  // tenth of a verification. Errors as Ed25519PublicKey::FromRaw, which
  // are not remembered. Bounded by `capacity` too.
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> PublicKeyOf(
      absl::string_view raw);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_set<std::string> verified_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<const Ed25519PublicKey>>
      keys_ ABSL_GUARDED_BY(mu_);
};

// `memo`'s PublicKeyOf, or, with a null `memo`, the key set up for this
// caller alone.
absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> PublicKeyOf(
    SignatureMemo* memo, absl::string_view raw);

// A SignatureVerifier that answers from `memo` when it can and otherwise
// asks `key`, remembering what verified. With a null `memo` it is `key`.
// Both must outlive it. Thread-safe.
class MemoizedVerifier final : public SignatureVerifier {
 public:
  MemoizedVerifier(const SignatureVerifier& key, SignatureMemo* memo)
      : key_(key), memo_(memo) {}

  absl::Status Verify(absl::string_view message,
                      absl::string_view signature) const override;
  const std::string& key_id() const override { return key_.key_id(); }

 private:
  const SignatureVerifier& key_;
  SignatureMemo* const memo_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_CRYPTO_SIGNATURE_MEMO_H_
