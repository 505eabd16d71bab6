#ifndef CERTREG_REGISTRY_CORE_REGISTRY_H_
#define CERTREG_REGISTRY_CORE_REGISTRY_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "certreg/v1/record.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/log/commit_queue.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/rules/certificate_chain.h"
#include "verifier/rules/status_engine.h"

namespace certreg {

struct RegistryOptions {
  // The registry operator's accreditation key: the only key that may sign
  // accredit, rotate and retire statements.
  std::shared_ptr<const Ed25519PublicKey> operator_key;
  // The clock, for "today" (China Standard Time) and statement dates.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // The log-signing key (separate from the operator's) and the log's name.
  std::shared_ptr<const Ed25519PrivateKey> log_key;
  std::string log_origin = "certreg.v1";
  // Told what a long step of Open is doing (upgrading an older data
  // directory), for the operator; may be empty.
  std::function<void(absl::string_view)> progress;
  // Most bytes of bundles one GetVerificationBundles answer carries, below
  // gRPC's default 4 MiB message limit (the heads' paths and framing come
  // on top). The numbers that do not fit get RESOURCE_EXHAUSTED in their
  // results; the first bundle is always sent.
  size_t max_bundles_bytes = 3 << 20;
};

// The registry core: accepts signed statements under the statement rules,
// stores them with their indexes atomically, and answers lookups. No gRPC
// here; registry_service adapts it.
//
// Thread-safety: every method may be called from many threads. Writes are
// serialised (each is checked against the state the previous one left);
// reads take no lock.
//
// Errors follow the API: INVALID_ARGUMENT (a malformed field, named),
// NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION (illegal transition, stale
// previous_event_hash), PERMISSION_DENIED (signature or accreditation),
// UNAVAILABLE (storage).
class Registry {
 public:
  // Opens the registry over `store` (which must outlive it). The first open
  // records the operator key's id in the store; a later open with another
  // operator key fails with FAILED_PRECONDITION.
  static absl::StatusOr<std::unique_ptr<Registry>> Open(
      Store* store, RegistryOptions options);

  // Checks and stores one statement, which must be of `expected_kind` (the
  // RPC it came through; STATEMENT_KIND_UNSPECIFIED takes any). Nothing is
  // stored unless everything passes. OK means durable (the WAL is synced).
  // If syncing fails, the statement's fate is unknown: the call and every
  // later write fail with UNAVAILABLE until the registry is reopened.
  absl::StatusOr<v1::StatementReceipt> Submit(
      v1::StatementKind expected_kind,
      const v1::SignedStatement& signed_statement);

  // Submit without blocking on the disk: checks and applies the statement
  // on the calling thread, then calls `done` -- at once when refused,
  // otherwise on the commit thread once durable. Concurrent writes share
  // fsyncs. `done` must not block.
  using SubmitDone = std::function<void(absl::StatusOr<v1::StatementReceipt>)>;
  void SubmitAsync(v1::StatementKind expected_kind,
                   const v1::SignedStatement& signed_statement,
                   SubmitDone done);

  // Submits each statement in order as Submit would (of any kind; a refused
  // one does not stop the others) and calls `done` with one result each,
  // once every accepted one is durable: one fsync for the lot.
  // INVALID_ARGUMENT (and `done` is not called) for more than kMaxBatch.
  static constexpr size_t kMaxBatch = 1000;
  using BatchDone =
      std::function<void(std::vector<absl::StatusOr<v1::StatementReceipt>>)>;
  absl::Status SubmitBatchAsync(
      const std::vector<const v1::SignedStatement*>& statements,
      BatchDone done);

  absl::StatusOr<v1::GetCertificateResponse> GetCertificate(
      const v1::GetCertificateRequest& request) const;
  absl::StatusOr<v1::SearchCertificatesResponse> SearchCertificates(
      const v1::SearchCertificatesRequest& request) const;
  absl::StatusOr<v1::ListBodiesResponse> ListBodies(
      const v1::ListBodiesRequest& request) const;
  v1::GetRegistryKeysResponse GetRegistryKeys() const;

  // The log. Every accepted statement is a leaf, appended in the same batch.
  absl::StatusOr<v1::SignedCheckpoint> GetCheckpoint(
      const v1::GetCheckpointRequest& request);
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& request);
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(
      const v1::GetConsistencyProofRequest& request) const;
  absl::StatusOr<v1::GetEntriesResponse> GetEntries(
      const v1::GetEntriesRequest& request) const;
  // Every statement of the certificate and the operator statements that
  // authorise its body's keys, each with an inclusion proof to one signed
  // checkpoint (published now if the latest does not cover them).
  absl::StatusOr<v1::VerificationBundle> GetVerificationBundle(
      const v1::GetVerificationBundleRequest& request);
  // Bundles for up to kMaxBundles certificates, all at one checkpoint, whose
  // heads share one signature (`head_in_tree`): a batch costs the log key
  // one signature, and a verifier one check. INVALID_ARGUMENT only for too
  // many numbers; an unknown or malformed number gets its own error, and so
  // does one whose bundle would take the answer past
  // options.max_bundles_bytes (RESOURCE_EXHAUSTED: ask for it again).
  static constexpr int kMaxBundles = 100;
  absl::StatusOr<v1::GetVerificationBundlesResponse> GetVerificationBundles(
      const v1::GetVerificationBundlesRequest& request);
  // Signs and stores a checkpoint if there are new entries (the server calls
  // it every second). UNAVAILABLE once a sync has failed: a checkpoint
  // must not vouch for leaves that may be lost.
  absl::StatusOr<v1::SignedCheckpoint> PublishCheckpoint();

  // Number of statements stored (the log's size).
  uint64_t size() const { return log_->size(); }

  // The scheme rules in force: the latest published rules statement's, or
  // the built-in version 1 rules (scheme_rules.h) until one is published.
  struct PublishedRules {
    v1::SchemeRules rules;
    // Where the rules statement is in the log; unset for the built-in rules.
    std::optional<uint64_t> leaf_index;
    std::string statement_hash;
  };
  std::shared_ptr<const PublishedRules> rules() const;

 private:
  Registry(Store* store, RegistryOptions options)
      : store_(store), options_(std::move(options)) {}

  absl::CivilDay Today() const;
  // The registered body key `key_id`, parsed once and cached;
  // PERMISSION_DENIED when no body has it.
  absl::StatusOr<std::shared_ptr<const Ed25519PublicKey>> PublicKeyOf(
      absl::string_view key_id) const;
  absl::StatusOr<std::optional<v1::CertificationBody>> LoadBody(
      absl::string_view approval_number) const;
  absl::StatusOr<v1::SignedStatement> LoadStatement(uint64_t index) const;
  // Statements proven for one request, by leaf index: the authority
  // statements of a body recur in every bundle of its certificates.
  using ProvenByIndex = absl::flat_hash_map<uint64_t, v1::ProvenStatement>;
  // The statements at `indexes`, each with its inclusion proof from
  // `prover`; those in `proven` (if given) are taken from it, the others
  // added to it.
  absl::StatusOr<std::vector<v1::ProvenStatement>> Prove(
      const std::vector<uint64_t>& indexes, const MerkleLog::Prover& prover,
      ProvenByIndex* proven) const;
  // The certificate's record in `from` (its chain's state and history);
  // nullopt when unknown. Writers read the store's latest state, readers
  // its durable view.
  static absl::StatusOr<std::optional<v1::CertificateRecord>> LoadRecord(
      const ReadableStore& from, absl::string_view number);
  // LoadRecord, NOT_FOUND when unknown.
  static absl::StatusOr<v1::CertificateRecord> RequireRecord(
      const ReadableStore& from, absl::string_view number);
  // What a bundle is built from, read before its checkpoint is published so
  // that the checkpoint covers it.
  struct BundleSources {
    std::string number;
    v1::CertificateRecord record;
    std::vector<uint64_t> authority;  // the body's statements' leaf indexes
    std::shared_ptr<const PublishedRules> rules;
    uint64_t last_leaf_index() const;
  };
  // `field` names the number in errors ("number", "numbers[3]").
  absl::StatusOr<BundleSources> ReadBundleSources(
      absl::string_view number, absl::string_view field) const;
  // The latest checkpoint, published now if needed, covering leaf
  // `last_leaf_index`.
  absl::StatusOr<v1::SignedCheckpoint> PublishCheckpointCovering(
      uint64_t last_leaf_index);
  // The bundle of `sources` at `checkpoint` (of `prover`'s tree size), and
  // its head for the caller to sign. `authority` keeps the authority
  // statements proven for the request (see Prove).
  absl::StatusOr<v1::VerificationBundle> AssembleBundle(
      const BundleSources& sources, const v1::SignedCheckpoint& checkpoint,
      const MerkleLog::Prover& prover, ProvenByIndex& authority,
      v1::CertificateHead& head) const;
  // The record of the certificate whose statements are at `indexes`, by
  // replaying them (for upgrading older data directories).
  absl::StatusOr<v1::CertificateRecord> ReplayRecord(
      const std::vector<uint64_t>& indexes) const;
  // Rewrites every certificate's pre-record entry as a CertificateRecord,
  // durably and resumably, page by page.
  absl::Status UpgradeCertificateRecords();
  // Parses a certificate's stored record (`bytes` from the store) into
  // `record`; false when there is none, DATA_LOSS when it is corrupt.
  static absl::StatusOr<bool> ParseRecord(
      absl::string_view number, const std::optional<std::string>& bytes,
      v1::CertificateRecord& record);
  // The search result for certificate `number` from its stored record, and
  // in `matches` whether it passes the request's filters.
  absl::StatusOr<v1::CertificateSummary> Summarize(
      absl::string_view number, const std::optional<std::string>& stored,
      absl::CivilDay as_of, const v1::SearchCertificatesRequest& filters,
      bool* matches) const;

  // Checks the signature: the operator's key for authority statements, a
  // registered body key otherwise. Needs no lock.
  absl::Status Authenticate(const v1::Statement& statement,
                            const v1::SignedStatement& signed_statement) const;
  // The body `key_id` is registered for; PERMISSION_DENIED when none.
  absl::StatusOr<v1::CertificationBody> SignerBody(
      absl::string_view key_id) const;
  // SignerBody, remembered until the next authority statement (the only
  // writes that change a body or a key's owner).
  absl::StatusOr<std::shared_ptr<const v1::CertificationBody>> CachedSignerBody(
      absl::string_view key_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Checks and writes one statement (not yet durable).
  absl::StatusOr<v1::StatementReceipt> Apply(
      v1::StatementKind expected_kind,
      const v1::SignedStatement& signed_statement);
  // Records that a sync failed; returns the UNAVAILABLE every write gets
  // from now on.
  absl::Status WriteFailure(const absl::Status& sync_status);
  absl::Status AddAuthorityStatement(const v1::Statement& statement,
                                     WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // A scheme rules statement: valid rules of a higher version than now.
  absl::Status AddRulesStatement(const v1::Statement& statement,
                                 const std::string& statement_hash,
                                 WriteBatch& batch,
                                 std::shared_ptr<const PublishedRules>& next)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Loads the published rules named in the store's metadata.
  absl::Status LoadRules();
  // The certificate of `record` as it stood on `as_of`, with its history
  // entries up to that day, into `response` (statements are read back from
  // the log when a later one must be left out).
  absl::Status FillAsOf(v1::CertificateRecord& record, absl::CivilDay as_of,
                        bool full, v1::GetCertificateResponse& response) const;
  // The certificate of `record` as it stood on `as_of` (its statements read
  // back from the log and folded).
  absl::StatusOr<v1::Certificate> CertificateAsOf(
      const v1::CertificateRecord& record, absl::CivilDay as_of) const;
  absl::Status AddCertificateStatement(
      const v1::Statement& statement,
      const v1::SignedStatement& signed_statement,
      const std::string& statement_hash, WriteBatch& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  Store* const store_;
  const RegistryOptions options_;
  std::unique_ptr<MerkleLog> log_;
  absl::Mutex write_mu_;
  // Set when a write could not be made durable; every later write fails
  // with it (UNAVAILABLE).
  absl::Status write_failure_ ABSL_GUARDED_BY(write_mu_);
  // CachedSignerBody's bodies by key id; emptied by every authority
  // statement.
  absl::flat_hash_map<std::string, std::shared_ptr<const v1::CertificationBody>>
      signer_bodies_ ABSL_GUARDED_BY(write_mu_);
  // Destroyed before the members above, finishing every queued write while
  // they are still there (its callbacks use write_mu_ and write_failure_).
  std::unique_ptr<CommitQueue> commits_;
  mutable absl::Mutex rules_mu_;
  std::shared_ptr<const PublishedRules> rules_ ABSL_GUARDED_BY(rules_mu_);
  mutable absl::Mutex key_cache_mu_;
  mutable absl::flat_hash_map<std::string,
                              std::shared_ptr<const Ed25519PublicKey>>
      key_cache_ ABSL_GUARDED_BY(key_cache_mu_);
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_REGISTRY_H_
