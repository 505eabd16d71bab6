#ifndef CERTREG_REGISTRY_CORE_STATEMENT_WRITER_H_
#define CERTREG_REGISTRY_CORE_STATEMENT_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "registry/core/published_rules.h"
#include "registry/core/signer_directory.h"
#include "registry/log/commit_queue.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/disk_watermark.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// The registry's write path: checks a signed statement under the statement
// rules and stores it, its indexes and its log leaf in one batch. Each write
// goes through one pipeline:
//
//   1. stateless checks: the statement parses, is of the kind the call
//      takes, is dated no later than today (computed once per write) and
//      has the shape its kind needs;
//   2. authenticate: the signature, by the operator's key for operator
//      statements, by a registered body key otherwise -- outside the lock,
//      so that writers verify in parallel;
//   3. lock: each write is checked against the state the previous one left;
//   4. load what the statement needs, once: the signer's body (from the
//      SignerDirectory) and the certificate's record, or the body's record;
//   5. the rules: the certificate chain and admission rules, then the signer
//      rules (CheckSignerMayWriteFor on the statement's date, and the key
//      still usable today); authority or scheme rules for those statements;
//   6. build the batch: the record, then index postings, only once every
//      check passed;
//   7. append the leaf to the same batch and write it (not yet synced);
//   8. acknowledge once the commit queue has made it durable.
//
// Thread-safety: every method may be called from many threads.
// Whether `status`, a refusal of the writer, is the rules' verdict on the
// statement and the state it met (malformed, illegal, unauthorised,
// duplicate), which the same statement on the same state always gets --
// not a storage failure or a full disk, which a later try may pass.
bool IsVerdict(const absl::Status& status);

class StatementWriter {
 public:
  static constexpr size_t kMaxBatch = 1000;
  using SubmitDone = std::function<void(absl::StatusOr<v1::StatementReceipt>)>;
  using BatchDone =
      std::function<void(std::vector<absl::StatusOr<v1::StatementReceipt>>)>;

  // `store`, `log` and `rules` must outlive the writer. `operator_key` may
  // sign operator statements; `now` gives today (China Standard Time).
  // `disk`, when given, refuses writes while the disk is nearly full.
  StatementWriter(Store* store, MerkleLog* log, RulesInForce* rules,
                  std::shared_ptr<const Ed25519PublicKey> operator_key,
                  std::function<absl::Time()> now,
                  std::shared_ptr<DiskWatermark> disk = nullptr);

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

  // Replicated mode (registry/replication): the leader checks a statement
  // as Submit would -- every rule, against the state the statements applied
  // so far left -- without storing anything, on `today` (China Standard
  // Time), the day the replicas will apply it on.
  absl::Status Check(v1::StatementKind expected_kind,
                     const v1::SignedStatement& signed_statement,
                     absl::CivilDay today);
  // Every replica then applies the replicated statements in order, each
  // checked again on `today` (the leader's day, so that every replica
  // decides alike), and returns once they are durable here: one result
  // each; none is applied after one is refused (ABORTED). A refusal here
  // means this replica's state differs from the leader's when it checked
  // them, or its storage failed.
  std::vector<absl::StatusOr<v1::StatementReceipt>> ApplyReplicated(
      const std::vector<v1::SignedStatement>& statements,
      absl::CivilDay today) {
    return ApplyReplicated(
        statements, std::vector<absl::CivilDay>(statements.size(), today));
  }
  // The same, each statement on its own day (`days`, one per statement): a
  // mirror applies each on its statement's date.
  std::vector<absl::StatusOr<v1::StatementReceipt>> ApplyReplicated(
      const std::vector<v1::SignedStatement>& statements,
      const std::vector<absl::CivilDay>& days);

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

  // The queue of writes waiting for a sync, for metrics.
  const CommitQueue& commit_queue() const { return *commits_; }

  // Told each time acknowledged writes became durable (wakes watchers);
  // set once, before any write. May stay unset.
  void set_durable_notifier(std::function<void()> notify) {
    notify_durable_ = std::move(notify);
  }

  // Runs `work` while no write is applied (the status calendar's daily pass
  // and rebuild read and move entries the writer moves too).
  absl::Status WithWritesPaused(const std::function<absl::Status()>& work)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // One statement on its way through the pipeline, after steps 1 and 2.
  struct Incoming {
    const v1::SignedStatement& signed_statement;
    v1::Statement statement;
    std::string hash;
    absl::CivilDay today;
  };

  // Steps 1 to 7 on `today` (the clock's when none); not yet durable. With
  // `check_only`, steps 1 to 6: the receipt has the statement's hash only
  // and nothing is written.
  absl::StatusOr<v1::StatementReceipt> Apply(
      v1::StatementKind expected_kind,
      const v1::SignedStatement& signed_statement,
      std::optional<absl::CivilDay> today = std::nullopt,
      bool check_only = false);
  absl::Status Authenticate(const v1::Statement& statement,
                            const v1::SignedStatement& signed_statement) const;
  // Steps 4 to 6 for each kind of statement; `next` gets the rules a rules
  // statement puts in force.
  absl::Status AddStatement(const Incoming& in, WriteBatch& batch,
                            std::shared_ptr<const PublishedRules>& next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AddCertificateStatement(const Incoming& in, WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AddAuthorityStatement(const Incoming& in, WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status AddRulesStatement(const Incoming& in, WriteBatch& batch,
                                 std::shared_ptr<const PublishedRules>& next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The ids of `body`'s keys not yet registered; ALREADY_EXISTS when one
  // belongs to another body.
  absl::StatusOr<std::vector<std::string>> KeysToRegister(
      const v1::CertificationBody& body) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Step 7.
  absl::StatusOr<v1::StatementReceipt> Write(const Incoming& in,
                                             WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records that a sync failed; returns the UNAVAILABLE every write gets
  // from now on.
  absl::Status StopWrites(const absl::Status& sync_status);

  Store* const store_;
  MerkleLog* const log_;
  RulesInForce* const rules_;
  const std::shared_ptr<const Ed25519PublicKey> operator_key_;
  const std::function<absl::Time()> now_;
  const std::shared_ptr<DiskWatermark> disk_;
  SignerDirectory signers_;
  std::function<void()> notify_durable_;
  absl::Mutex mu_;
  // Set when a write could not be made durable; every later write fails
  // with it (UNAVAILABLE).
  absl::Status write_failure_ ABSL_GUARDED_BY(mu_);
  // Destroyed first, finishing every queued write while the members above
  // are still there (its callbacks use mu_ and write_failure_).
  std::unique_ptr<CommitQueue> commits_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_STATEMENT_WRITER_H_
