#ifndef CERTREG_REGISTRY_CORE_STATEMENT_WRITER_H_
#define CERTREG_REGISTRY_CORE_STATEMENT_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "registry/core/published_rules.h"
#include "registry/log/commit_queue.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// The registry's write path: checks a signed statement under the statement
// rules, stores it with its indexes and its log leaf in one batch, and
// acknowledges it once the commit queue has made it durable.
//
// Thread-safety: every method may be called from many threads. Writes are
// serialised (each is checked against the state the previous one left).
class StatementWriter {
 public:
  static constexpr size_t kMaxBatch = 1000;
  using SubmitDone = std::function<void(absl::StatusOr<v1::StatementReceipt>)>;
  using BatchDone =
      std::function<void(std::vector<absl::StatusOr<v1::StatementReceipt>>)>;

  // `store`, `log` and `rules` must outlive the writer. `operator_key` may
  // sign operator statements; `now` gives today (China Standard Time).
  StatementWriter(Store* store, MerkleLog* log, RulesInForce* rules,
                  std::shared_ptr<const Ed25519PublicKey> operator_key,
                  std::function<absl::Time()> now);

  // See Registry::Submit, SubmitAsync and SubmitBatchAsync.
  absl::StatusOr<v1::StatementReceipt> Submit(
      v1::StatementKind expected_kind,
      const v1::SignedStatement& signed_statement);
  void SubmitAsync(v1::StatementKind expected_kind,
                   const v1::SignedStatement& signed_statement,
                   SubmitDone done);
  absl::Status SubmitBatchAsync(
      const std::vector<const v1::SignedStatement*>& statements,
      BatchDone done);

  // OK unless a sync has failed; then the UNAVAILABLE every write gets from
  // then on (what it covered may be lost, so nothing may vouch for it).
  absl::Status CheckSyncs();
  // Blocks until every write applied before the call is durable; the
  // failed sync's error otherwise.
  absl::Status WaitDurable();
  // Returns once leaf `leaf_index` is counted in the log, if a write is
  // adding it now: a writer makes its batch readable just before it counts
  // the leaf, both under its lock.
  void AwaitLeaf(uint64_t leaf_index);

 private:
  // Checks and writes one statement (not yet durable).
  absl::StatusOr<v1::StatementReceipt> Apply(
      v1::StatementKind expected_kind,
      const v1::SignedStatement& signed_statement);
  // Checks the signature: the operator's key for authority statements, a
  // registered body key otherwise. Needs no lock.
  absl::Status Authenticate(const v1::Statement& statement,
                            const v1::SignedStatement& signed_statement) const;
  // The registered body key `key_id`, parsed once and cached;
  // PERMISSION_DENIED when no body has it.
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> PublicKeyOf(
      absl::string_view key_id) const;
  // The body `key_id` is registered for; PERMISSION_DENIED when none.
  absl::StatusOr<v1::CertificationBody> SignerBody(
      absl::string_view key_id) const;
  // SignerBody, remembered until the next authority statement (the only
  // writes that change a body or a key's owner).
  absl::StatusOr<std::shared_ptr<const v1::CertificationBody>> CachedSignerBody(
      absl::string_view key_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AddAuthorityStatement(const v1::Statement& statement,
                                     WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A scheme rules statement: valid rules of a higher version than now.
  absl::Status AddRulesStatement(const v1::Statement& statement,
                                 const std::string& statement_hash,
                                 WriteBatch& batch,
                                 std::shared_ptr<const PublishedRules>& next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AddCertificateStatement(
      const v1::Statement& statement,
      const v1::SignedStatement& signed_statement,
      const std::string& statement_hash, WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records that a sync failed; returns the UNAVAILABLE every write gets
  // from now on.
  absl::Status StopWrites(const absl::Status& sync_status);

  Store* const store_;
  MerkleLog* const log_;
  RulesInForce* const rules_;
  const std::shared_ptr<const Ed25519PublicKey> operator_key_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  // Set when a write could not be made durable; every later write fails
  // with it (UNAVAILABLE).
  absl::Status write_failure_ ABSL_GUARDED_BY(mu_);
  // CachedSignerBody's bodies by key id; emptied by every authority
  // statement.
  absl::flat_hash_map<std::string, std::shared_ptr<const v1::CertificationBody>>
      signer_bodies_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex key_cache_mu_;
  mutable absl::flat_hash_map<std::string,
                              std::shared_ptr<const Ed25519PublicKey>>
      key_cache_ ABSL_GUARDED_BY(key_cache_mu_);
  // Destroyed first, finishing every queued write while the members above
  // are still there (its callbacks use mu_ and write_failure_).
  std::unique_ptr<CommitQueue> commits_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_STATEMENT_WRITER_H_
