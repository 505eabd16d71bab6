#ifndef CERTREG_REGISTRY_CORE_REGISTRY_H_
#define CERTREG_REGISTRY_CORE_REGISTRY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "certreg/v1/admin.pb.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "certreg/v1/statement.pb.h"
#include "registry/core/bundle_builder.h"
#include "registry/core/certificate_reader.h"
#include "registry/core/certificate_search.h"
#include "registry/core/change_feed.h"
#include "registry/core/public_log.h"
#include "registry/core/published_rules.h"
#include "registry/core/scrub.h"
#include "registry/core/statement_writer.h"
#include "registry/core/watchlists.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/disk_watermark.h"
#include "registry/storage/store.h"
#include "verifier/base/latency_histogram.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

struct RegistryOptions {
  // The registry operator's accreditation key: the only key that may sign
  // accredit, rotate and retire statements.
  std::shared_ptr<const Ed25519PublicKey> operator_key;
  // The clock, for "today" (China Standard Time) and statement dates.
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // The log-signing key (separate from the operator's) and the log's name.
  std::shared_ptr<const Ed25519PrivateKey> log_key;
  // A mirror (registry/mirror) has no log_key: it signs nothing, adopts the
  // checkpoints of the registry it follows (AdoptCheckpoint), whose public
  // log key this is, and serves that registry's bundles through
  // `mirror_bundles`, which checks them against its own log.
  std::shared_ptr<const Ed25519PublicKey> log_public_key;
  std::function<absl::StatusOr<v1::VerificationBundle>(
      const v1::GetVerificationBundleRequest&)>
      mirror_bundle;
  std::function<absl::StatusOr<v1::GetVerificationBundlesResponse>(
      const v1::GetVerificationBundlesRequest&)>
      mirror_bundles;
  std::string log_origin = "certreg.v1";
  // Told what a long step is doing (upgrading an older data directory,
  // building or passing the status calendar), for the operator's log; may
  // be empty.
  std::function<void(absl::string_view)> progress;
  // Most bytes of bundles one GetVerificationBundles answer carries, below
  // gRPC's default 4 MiB message limit (the heads' paths and framing come
  // on top). The numbers that do not fit get RESOURCE_EXHAUSTED in their
  // results; the first bundle is always sent.
  size_t max_bundles_bytes = 3 << 20;
  // Where every published checkpoint is also kept, outside the store, and
  // checked at Open (MerkleLogOptions::published_checkpoint_file); empty:
  // not kept.
  std::string published_checkpoint_file;
  // Refuses writes (RESOURCE_EXHAUSTED) while the disk is nearly full;
  // none: no watermark.
  std::shared_ptr<DiskWatermark> disk_watermark;
  // Limits on the watchlists API keys may hold.
  WatchlistLimits watchlists;
  // A quiet log's checkpoint is signed again once it is this old.
  absl::Duration checkpoint_resign_after = absl::Seconds(60);
};

// Where writes go in replicated mode (registry/replication): to the
// replicas' leader, which checks them, orders them through etcd, and has
// every replica apply them (Registry::ApplyReplicated). `done` is called
// once, possibly on another thread, and must not block.
class WriteRouter {
 public:
  virtual ~WriteRouter() = default;
  // OK while writes are taken here; else why not (a follower names the
  // leader), for a batch refused as a whole.
  virtual absl::Status Accepting() const = 0;
  virtual void SubmitAsync(
      v1::StatementKind expected_kind, v1::SignedStatement signed_statement,
      std::function<void(absl::StatusOr<v1::StatementReceipt>)> done) = 0;
};

// The registry core: accepts signed statements under the statement rules,
// stores them with their indexes atomically, and answers lookups. No gRPC
// here; registry_service adapts it.
//
// A facade over the parts that do each job: StatementWriter (the write
// path), CertificateReader (certificates as of a day), CertificateSearch,
// PublicLog (checkpoints, proofs, entries), BundleBuilder (verification
// bundles), ListBodies, and UpgradeCertificateRecords at Open. It owns them
// and forwards to them.
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
  using SubmitDone = StatementWriter::SubmitDone;
  void SubmitAsync(v1::StatementKind expected_kind,
                   const v1::SignedStatement& signed_statement,
                   SubmitDone done);

  // Submits each statement in order as Submit would (of any kind; a refused
  // one does not stop the others) and calls `done` with one result each,
  // once every accepted one is durable: one fsync for the lot.
  // INVALID_ARGUMENT (and `done` is not called) for more than kMaxBatch.
  static constexpr size_t kMaxBatch = StatementWriter::kMaxBatch;
  using BatchDone = StatementWriter::BatchDone;
  absl::Status SubmitBatchAsync(
      const std::vector<const v1::SignedStatement*>& statements,
      BatchDone done);

  // Replicated mode: from now on Submit and its kin hand statements to
  // `router` (which must outlive this) instead of storing them here. Set
  // before serving.
  void set_write_router(WriteRouter* router) { router_ = router; }
  // The leader's check of a statement before it is replicated, and every
  // replica's application of replicated statements (StatementWriter::Check
  // and ApplyReplicated).
  absl::Status CheckForReplication(v1::StatementKind expected_kind,
                                   const v1::SignedStatement& signed_statement,
                                   absl::CivilDay today) {
    return writer_->Check(expected_kind, signed_statement, today);
  }
  std::vector<absl::StatusOr<v1::StatementReceipt>> ApplyReplicated(
      const std::vector<v1::SignedStatement>& statements,
      absl::CivilDay today) {
    return writer_->ApplyReplicated(statements, today);
  }
  // A mirror's: each statement on its own day.
  std::vector<absl::StatusOr<v1::StatementReceipt>> ApplyReplicated(
      const std::vector<v1::SignedStatement>& statements,
      const std::vector<absl::CivilDay>& days) {
    return writer_->ApplyReplicated(statements, days);
  }
  // Today in China Standard Time by the registry's clock.
  absl::CivilDay Today() const;

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
  static constexpr int kMaxBundles = BundleBuilder::kMaxBundles;
  absl::StatusOr<v1::GetVerificationBundlesResponse> GetVerificationBundles(
      const v1::GetVerificationBundlesRequest& request);
  // A mirror: stores the registry's checkpoint once its root is this log's
  // own at its size (MerkleLog::Adopt).
  absl::Status AdoptCheckpoint(const v1::SignedCheckpoint& checkpoint) {
    return log_->Adopt(checkpoint);
  }
  bool is_mirror() const { return options_.log_key == nullptr; }
  // The log's leaf `index` as stored (a statement's leaf data).
  absl::StatusOr<std::string> LeafDataAt(uint64_t index) const {
    return log_->LeafDataAt(index);
  }

  // Signs and stores a checkpoint if there are new entries (the server calls
  // it every second). UNAVAILABLE once a sync has failed: a checkpoint
  // must not vouch for leaves that may be lost.
  absl::StatusOr<v1::SignedCheckpoint> PublishCheckpoint();

  // Number of statements stored (the log's size).
  uint64_t size() const { return log_->size(); }

  // What the registry's metrics show, read when they are scraped.
  struct Stats {
    uint64_t log_size = 0;
    std::optional<absl::Time> checkpoint_signed;  // the latest checkpoint's
    uint64_t writes_waiting_for_sync = 0;
    LatencyHistogram::Snapshot sync_latency;
  };
  Stats stats() const;

  // Checks every log leaf and certificate record against what is signed
  // (see scrub.h); reads only.
  // CANCELLED soon after `stop` (when given) is notified; `on_progress`
  // as in scrub.h.
  absl::StatusOr<v1::ScrubReport> Scrub(
      const absl::Notification* stop = nullptr,
      const ScrubProgressFunction& on_progress = nullptr) const;
  // Rewrites the certificate records that differ from what the log's
  // leaves replay to (see RepairRecords in scrub.h); returns how many
  // changed. Only before the registry serves.
  absl::StatusOr<uint64_t> RepairRecords();
  // The log's root hash at `tree_size` (at most size()).
  absl::StatusOr<std::string> LogRootAt(uint64_t tree_size) const {
    return log_->RootAt(tree_size);
  }

  // Watching (see change_feed.h): the feed of changes and what wakes its
  // readers.
  ChangeFeed& change_feed() { return *feed_; }
  // Watchlists and their webhook deliveries (watchlists.h).
  Watchlists& watchlists() { return *watchlists_; }
  const ChangeNotifier& change_notifier() const { return notifier_; }
  // Enters the date-driven status changes of every day up to today (China
  // Standard Time) into the status calendar, first rebuilding it if new
  // rules were published (status_calendar.h); wakes the watchers when a
  // day was entered. Writes wait meanwhile. The server calls it every
  // second (not while read-only: it writes).
  absl::Status AdvanceStatusCalendar();

  // The scheme rules in force: the latest published rules statement's, or
  // the built-in version 1 rules (scheme_rules.h) until one is published
  // (see published_rules.h).
  using PublishedRules = ::certreg::PublishedRules;
  std::shared_ptr<const PublishedRules> rules() const;

 private:
  Registry(Store* store, RegistryOptions options)
      : store_(store), options_(std::move(options)) {}

  // Opens the log, upgrades older records, loads the rules in force and
  // makes the parts.
  absl::Status OpenParts();

  Store* const store_;
  const RegistryOptions options_;
  // The parts, each using those declared before it (destroyed in reverse).
  std::unique_ptr<MerkleLog> log_;
  std::unique_ptr<RulesInForce> rules_;
  std::unique_ptr<StatementWriter> writer_;
  std::unique_ptr<PublicLog> public_log_;
  std::unique_ptr<CertificateReader> reader_;
  std::unique_ptr<CertificateSearch> search_;
  ChangeNotifier notifier_;
  std::unique_ptr<ChangeFeed> feed_;
  std::unique_ptr<Watchlists> watchlists_;
  std::unique_ptr<BundleBuilder> bundles_;
  WriteRouter* router_ = nullptr;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_REGISTRY_H_
