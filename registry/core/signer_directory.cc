#include "registry/core/signer_directory.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "registry/core/stored_records.h"
#include "verifier/base/status_macros.h"

namespace certreg {

absl::StatusOr<std::shared_ptr<const RegisteredSigner>> SignerDirectory::Find(
    absl::string_view key_id) const {
  uint64_t generation;
  {
    absl::MutexLock lock(&mu_);
    auto it = signers_.find(key_id);
    if (it != signers_.end()) return it->second;
    generation = generation_;
  }
  CERTREG_ASSIGN_OR_RETURN(RegisteredSigner read, Read(key_id));
  auto signer = std::make_shared<const RegisteredSigner>(std::move(read));
  absl::MutexLock lock(&mu_);
  // Kept only if no authority statement was written while it was read.
  if (generation == generation_) signers_.emplace(std::string(key_id), signer);
  return signer;
}

void SignerDirectory::Forget() {
  absl::MutexLock lock(&mu_);
  ++generation_;
  signers_.clear();
}

absl::StatusOr<RegisteredSigner> SignerDirectory::Read(
    absl::string_view key_id) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                           store_.Get(Column::kKeys, key_id));
  if (!owner.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer: key ", ToHex(key_id),
                     " is not registered for any certification body"));
  }
  CERTREG_ASSIGN_OR_RETURN(std::optional<v1::CertificationBody> body,
                           LoadBody(store_, *owner));
  if (!body.has_value()) {
    return absl::DataLossError(
        absl::StrCat("body record ", *owner, " missing"));
  }
  for (const v1::BodyKey& key : body->keys()) {
    if (key.key_id() != key_id) continue;
    CERTREG_ASSIGN_OR_RETURN(Ed25519PublicKey parsed,
                             Ed25519PublicKey::FromRaw(key.public_key()));
    return RegisteredSigner{*std::move(body), std::move(parsed)};
  }
  return absl::PermissionDeniedError(absl::StrCat("signer: key ", ToHex(key_id),
                                                  " is not a key of ",
                                                  body->approval_number()));
}

}  // namespace certreg
