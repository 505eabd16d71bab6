#ifndef CERTREG_REGISTRY_CORE_SIGNER_DIRECTORY_H_
#define CERTREG_REGISTRY_CORE_SIGNER_DIRECTORY_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "certreg/v1/registry.pb.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// A registered body key: the body it belongs to, as the store has it, and
// the key parsed for checking signatures.
struct RegisteredSigner {
  v1::CertificationBody body;
  Ed25519PublicKey key;
};

// The certification bodies' keys by key id, each with its body: read from
// the store once and kept until the next authority statement (the only
// writes that change a body or a key's owner). The writer authenticates a
// statement with it outside its lock, then reads the signer's body from it
// under the lock.
//
// Example:
//   SignerDirectory signers(store);
//   absl::StatusOr<std::shared_ptr<const RegisteredSigner>> signer =
//       signers.Find(signed_statement.key_id());
//   ... write an authority statement ...
//   signers.Forget();
//
// Thread-safe. Forget must be called once every authority statement is
// written, while the writer still holds its lock: a signer read from the
// store before Forget is then never kept, so once the lock is free Find
// answers from what the store holds.
class SignerDirectory {
 public:
  // `store` (its latest state) must outlive the directory.
  explicit SignerDirectory(const ReadableStore* store) : store_(*store) {}

  // The signer of key `key_id`. PERMISSION_DENIED when no body has the key;
  // DATA_LOSS when its body's record is missing or corrupt.
  absl::StatusOr<std::shared_ptr<const RegisteredSigner>> Find(
      absl::string_view key_id) const;

  // Drops every signer kept, and any being read now.
  void Forget();

 private:
  absl::StatusOr<RegisteredSigner> Read(absl::string_view key_id) const;

  const ReadableStore& store_;
  mutable absl::Mutex mu_;
  // Counts Forget calls: a signer read while it changed is not kept.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  mutable absl::flat_hash_map<std::string,
                              std::shared_ptr<const RegisteredSigner>>
      signers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_SIGNER_DIRECTORY_H_
