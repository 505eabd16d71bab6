#include "registry/core/registry.h"

#include <time.h>

#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "registry/core/body_list.h"
#include "registry/core/record_upgrade.h"
#include "registry/core/scrub.h"
#include "registry/core/status_calendar.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// Records the operator key's id in a new store (with the record format a
// new store starts in); FAILED_PRECONDITION when the store belongs to
// another operator key.
absl::Status ClaimForOperator(Store& store, const std::string& key_id) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> stored_key_id,
                           store.Get(Column::kMeta, kMetaOperatorKeyId));
  if (stored_key_id.has_value() && *stored_key_id != key_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this data directory belongs to operator key ", ToHex(*stored_key_id),
        " but the configured operator key is ", ToHex(key_id)));
  }
  if (stored_key_id.has_value()) return absl::OkStatus();
  WriteBatch batch;
  batch.Put(Column::kMeta, kMetaOperatorKeyId, key_id);
  batch.Put(Column::kMeta, kMetaRecordFormat, kRecordFormat);
  return store.Write(batch);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Registry>> Registry::Open(
    Store* store, RegistryOptions options) {
  if (options.operator_key == nullptr) {
    return absl::InvalidArgumentError("operator_key: is required");
  }
  if (options.log_key == nullptr &&
      (options.log_public_key == nullptr || !options.mirror_bundle ||
       !options.mirror_bundles)) {
    return absl::InvalidArgumentError(
        "log_key: is required (a mirror: log_public_key and its bundles)");
  }
  CERTREG_RETURN_IF_ERROR(
      ClaimForOperator(*store, options.operator_key->key_id()));
  auto registry = absl::WrapUnique(new Registry(store, std::move(options)));
  CERTREG_RETURN_IF_ERROR(registry->OpenParts());
  return registry;
}

absl::Status Registry::OpenParts() {
  MerkleLogOptions log_options;
  log_options.log_key = options_.log_key;
  log_options.log_public_key = options_.log_public_key;
  log_options.origin = options_.log_origin;
  log_options.now = options_.now;
  log_options.published_checkpoint_file = options_.published_checkpoint_file;
  log_options.resign_after = options_.checkpoint_resign_after;
  CERTREG_ASSIGN_OR_RETURN(log_,
                           MerkleLog::Open(store_, std::move(log_options)));
  CERTREG_RETURN_IF_ERROR(
      UpgradeCertificateRecords(*store_, *log_, options_.progress));
  CERTREG_ASSIGN_OR_RETURN(rules_, RulesInForce::Load(*store_, *log_));
  // Readers see only what is durable; the writer and the bundles (whose
  // checkpoint syncs first) the latest state.
  const DurableViewSource durable = [store = store_] {
    return store->DurableView();
  };
  writer_ = std::make_unique<StatementWriter>(
      store_, log_.get(), rules_.get(), options_.operator_key, options_.now,
      options_.disk_watermark);
  public_log_ = std::make_unique<PublicLog>(log_.get(), writer_.get(), durable);
  reader_ = std::make_unique<CertificateReader>(log_.get(), rules_.get(),
                                                durable, options_.now);
  search_ = std::make_unique<CertificateSearch>(reader_.get(), rules_.get(),
                                                durable, options_.now);
  bundles_ = std::make_unique<BundleBuilder>(
      store_, log_.get(), rules_.get(), public_log_.get(), options_.log_key,
      options_.max_bundles_bytes);
  feed_ = std::make_unique<ChangeFeed>(public_log_.get(), reader_.get(),
                                       search_.get(), rules_.get(), durable,
                                       options_.now);
  watchlists_ = std::make_unique<Watchlists>(store_, feed_.get(), options_.now,
                                             options_.watchlists);
  writer_->set_durable_notifier([this] { notifier_.Notify(); });
  return absl::OkStatus();
}

namespace {

// CPU time of the calling thread, in microseconds.
int64_t ThreadCpuMicros() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

}  // namespace

absl::Status Registry::AdvanceStatusCalendar() {
  const absl::CivilDay today = TodayInChina(options_.now());
  PassStats passed;
  const int64_t cpu_before = ThreadCpuMicros();
  CERTREG_RETURN_IF_ERROR(writer_->WithWritesPaused([&]() -> absl::Status {
    CERTREG_ASSIGN_OR_RETURN(bool current, CalendarIsCurrent(*store_));
    if (!current) {
      if (options_.progress) {
        options_.progress("building the calendar of status changes");
      }
      CERTREG_RETURN_IF_ERROR(RebuildCalendar(
          *store_, today, rules_->current()->rules, [this](uint64_t done) {
            if (options_.progress) {
              options_.progress(
                  absl::StrCat("status calendar: ", done, " certificates"));
            }
          }));
    }
    CERTREG_ASSIGN_OR_RETURN(
        passed, RunDailyPass(*store_, today, rules_->current()->rules));
    return absl::OkStatus();
  }));
  if (passed.days == 0) return absl::OkStatus();
  if (options_.progress) {
    options_.progress(
        absl::StrCat("status calendar: ", passed.days, " day(s) passed, ",
                     passed.moved, " certificates' next changes entered, ",
                     (ThreadCpuMicros() - cpu_before) / 1000, " ms of CPU"));
  }
  notifier_.Notify();
  return absl::OkStatus();
}

std::shared_ptr<const Registry::PublishedRules> Registry::rules() const {
  return rules_->current();
}

absl::StatusOr<v1::StatementReceipt> Registry::Submit(
    v1::StatementKind expected_kind,
    const v1::SignedStatement& signed_statement) {
  if (router_ == nullptr) {
    return writer_->Submit(expected_kind, signed_statement);
  }
  absl::Notification done;
  absl::StatusOr<v1::StatementReceipt> result;
  router_->SubmitAsync(expected_kind, signed_statement,
                       [&](absl::StatusOr<v1::StatementReceipt> receipt) {
                         result = std::move(receipt);
                         done.Notify();
                       });
  done.WaitForNotification();
  return result;
}

void Registry::SubmitAsync(v1::StatementKind expected_kind,
                           const v1::SignedStatement& signed_statement,
                           SubmitDone done) {
  if (router_ != nullptr) {
    router_->SubmitAsync(expected_kind, signed_statement, std::move(done));
    return;
  }
  writer_->SubmitAsync(expected_kind, signed_statement, std::move(done));
}

absl::Status Registry::SubmitBatchAsync(
    const std::vector<const v1::SignedStatement*>& statements, BatchDone done) {
  if (router_ == nullptr) {
    return writer_->SubmitBatchAsync(statements, std::move(done));
  }
  if (statements.size() > kMaxBatch) {
    return absl::InvalidArgumentError(
        absl::StrCat("signed_statements: ", statements.size(),
                     " statements in one call; the limit is ", kMaxBatch));
  }
  if (absl::Status accepting = router_->Accepting(); !accepting.ok()) {
    return accepting;
  }
  if (statements.empty()) {
    done({});
    return absl::OkStatus();
  }
  // One result each, in order; `done` once the last is known.
  struct Pending {
    absl::Mutex mu;
    std::vector<absl::StatusOr<v1::StatementReceipt>> results;
    size_t left;
    BatchDone done;
  };
  auto pending = std::make_shared<Pending>();
  pending->results.resize(statements.size(),
                          absl::UnknownError("not answered"));
  pending->left = statements.size();
  pending->done = std::move(done);
  for (size_t i = 0; i < statements.size(); ++i) {
    router_->SubmitAsync(
        v1::STATEMENT_KIND_UNSPECIFIED, *statements[i],
        [pending, i](absl::StatusOr<v1::StatementReceipt> receipt) {
          bool last;
          {
            absl::MutexLock lock(&pending->mu);
            pending->results[i] = std::move(receipt);
            last = --pending->left == 0;
          }
          if (last) pending->done(std::move(pending->results));
        });
  }
  return absl::OkStatus();
}

absl::CivilDay Registry::Today() const { return TodayInChina(options_.now()); }

absl::StatusOr<v1::GetCertificateResponse> Registry::GetCertificate(
    const v1::GetCertificateRequest& request) const {
  return reader_->GetCertificate(request);
}

absl::StatusOr<v1::SearchCertificatesResponse> Registry::SearchCertificates(
    const v1::SearchCertificatesRequest& request) const {
  return search_->SearchCertificates(request);
}

absl::StatusOr<v1::ListBodiesResponse> Registry::ListBodies(
    const v1::ListBodiesRequest& request) const {
  return certreg::ListBodies(*store_->DurableView(),
                             TodayInChina(options_.now()), request);
}

v1::GetRegistryKeysResponse Registry::GetRegistryKeys() const {
  v1::GetRegistryKeysResponse response;
  response.set_operator_public_key(options_.operator_key->raw());
  response.set_operator_key_id(options_.operator_key->key_id());
  response.set_log_public_key(log_->public_key().raw());
  response.set_log_key_id(log_->public_key().key_id());
  response.set_log_origin(log_->origin());
  return response;
}

absl::StatusOr<v1::SignedCheckpoint> Registry::GetCheckpoint(
    const v1::GetCheckpointRequest& request) {
  return public_log_->GetCheckpoint(request);
}

absl::StatusOr<v1::InclusionProof> Registry::GetInclusionProof(
    const v1::GetInclusionProofRequest& request) {
  return public_log_->GetInclusionProof(request);
}

absl::StatusOr<v1::ConsistencyProof> Registry::GetConsistencyProof(
    const v1::GetConsistencyProofRequest& request) const {
  return public_log_->GetConsistencyProof(request);
}

absl::StatusOr<v1::GetEntriesResponse> Registry::GetEntries(
    const v1::GetEntriesRequest& request) const {
  return public_log_->GetEntries(request);
}

absl::StatusOr<v1::SignedCheckpoint> Registry::PublishCheckpoint() {
  return public_log_->PublishCheckpoint();
}

absl::StatusOr<v1::VerificationBundle> Registry::GetVerificationBundle(
    const v1::GetVerificationBundleRequest& request) {
  if (is_mirror()) return options_.mirror_bundle(request);
  return bundles_->GetVerificationBundle(request);
}

absl::StatusOr<v1::GetVerificationBundlesResponse>
Registry::GetVerificationBundles(
    const v1::GetVerificationBundlesRequest& request) {
  if (is_mirror()) return options_.mirror_bundles(request);
  return bundles_->GetVerificationBundles(request);
}

Registry::Stats Registry::stats() const {
  Stats stats;
  stats.log_size = log_->size();
  stats.checkpoint_signed = log_->LatestCheckpointTime();
  stats.writes_waiting_for_sync = writer_->commit_queue().waiting();
  stats.sync_latency = writer_->commit_queue().sync_latency().Read();
  return stats;
}

absl::StatusOr<uint64_t> Registry::RepairRecords() {
  return certreg::RepairRecords(*store_, *log_);
}

absl::StatusOr<v1::ScrubReport> Registry::Scrub(
    const absl::Notification* stop,
    const ScrubProgressFunction& on_progress) const {
  return certreg::Scrub(*store_, *log_, *options_.operator_key, stop,
                        on_progress);
}

}  // namespace certreg
