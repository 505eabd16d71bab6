#include "verifier/crypto/signature_memo.h"

#include <utility>

#include "verifier/base/status_macros.h"
#include "verifier/crypto/sha256.h"

namespace certreg {
namespace {

absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> SetUpKey(
    absl::string_view raw) {
  CERTREG_ASSIGN_OR_RETURN(Ed25519PublicKey key,
                           Ed25519PublicKey::FromRaw(raw));
  return std::make_shared<const Ed25519PublicKey>(std::move(key));
}

}  // namespace

std::string SignatureMemo::EntryOf(absl::string_view key_id,
                                   absl::string_view message,
                                   absl::string_view signature) {
  // Key id and signature have fixed sizes for Ed25519; their lengths are
  // hashed too so that no other split of the same bytes collides.
  const std::string lengths = std::to_string(key_id.size()) + ":" +
                              std::to_string(signature.size()) + ":";
  return Sha256({lengths, key_id, signature, message});
}

bool SignatureMemo::Contains(absl::string_view entry) const {
  absl::MutexLock lock(&mu_);
  return verified_.contains(entry);
}

void SignatureMemo::Remember(std::string entry) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  if (verified_.size() >= capacity_) verified_.clear();
  verified_.insert(std::move(entry));
}

size_t SignatureMemo::size() const {
  absl::MutexLock lock(&mu_);
  return verified_.size();
}

absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>>
SignatureMemo::PublicKeyOf(absl::string_view raw) {
  {
    absl::MutexLock lock(&mu_);
    auto it = keys_.find(raw);
    if (it != keys_.end()) return it->second;
  }
  CERTREG_ASSIGN_OR_RETURN(std::shared_ptr<const Ed25519PublicKey> key,
                           SetUpKey(raw));
  if (capacity_ == 0) return key;
  absl::MutexLock lock(&mu_);
  if (keys_.size() >= capacity_) keys_.clear();
  keys_.emplace(std::string(raw), key);
  return key;
}

absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> PublicKeyOf(
    SignatureMemo* memo, absl::string_view raw) {
  if (memo != nullptr) return memo->PublicKeyOf(raw);
  return SetUpKey(raw);
}

absl::Status MemoizedVerifier::Verify(absl::string_view message,
                                      absl::string_view signature) const {
  if (memo_ == nullptr) return key_.Verify(message, signature);
  std::string entry = SignatureMemo::EntryOf(key_.key_id(), message, signature);
  if (memo_->Contains(entry)) return absl::OkStatus();
  absl::Status status = key_.Verify(message, signature);
  if (status.ok()) memo_->Remember(std::move(entry));
  return status;
}

}  // namespace certreg
