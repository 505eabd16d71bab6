#include "registry/mirror/mirror_follower.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "verifier/base/durable_file.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/rules/date.h"

namespace certreg {
namespace {

// Entries asked for at a time (GetEntries' limit).
constexpr uint64_t kEntriesPerCall = 1000;

std::string Json(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options)
           .ok()) {
    return "null";
  }
  return json;
}

// Where a proven statement sits in the log.
uint64_t IndexOf(const v1::ProvenStatement& proven) {
  return proven.inclusion_proof().leaf_index();
}

}  // namespace

MirrorFollower::MirrorFollower(MirrorOptions options)
    : options_(std::move(options)),
      upstream_(options_.upstream, std::chrono::seconds(30),
                options_.upstream_tls) {}

void MirrorFollower::Start(Registry* registry) {
  registry_ = registry;
  thread_ = std::thread([this] { Loop(); });
}

void MirrorFollower::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void MirrorFollower::Log(absl::string_view line) const {
  if (options_.log) options_.log(line);
}

absl::Status MirrorFollower::Accepting() const {
  return absl::FailedPreconditionError(
      absl::StrCat("this is a mirror of ", options_.upstream,
                   ": it takes no writes (send them to the registry)"));
}

std::string MirrorFollower::state() const {
  return fork().ok() ? "following" : "stale";
}

absl::Status MirrorFollower::fork() const {
  absl::MutexLock lock(&mu_);
  return fork_;
}

void MirrorFollower::Loop() {
  while (!stop_.HasBeenNotified() && fork().ok()) {
    const absl::Status synced = SyncOnce();
    if (!synced.ok() && fork().ok()) {
      Log(absl::StrCat("following ", options_.upstream, ": ",
                       synced.message()));
    }
    stop_.WaitForNotificationWithTimeout(options_.poll_interval);
  }
}

absl::Status MirrorFollower::SyncOnce() {
  CERTREG_RETURN_IF_ERROR(fork());
  CERTREG_ASSIGN_OR_RETURN(v1::SignedCheckpoint latest,
                           upstream_.GetCheckpoint());
  v1::Checkpoint checkpoint;
  if (!checkpoint.ParseFromString(latest.checkpoint())) {
    return absl::InvalidArgumentError("the registry's checkpoint is garbage");
  }
  const absl::Time start = absl::Now();
  const uint64_t before = registry_->size();
  if (checkpoint.tree_size() > before) {
    const absl::Status caught_up = CatchUp(checkpoint.tree_size());
    if (IsVerdict(caught_up)) return Forked(caught_up, latest);
    CERTREG_RETURN_IF_ERROR(caught_up);
  }
  // Its signature, and the root of this mirror's own leaves at its size:
  // a registry that signed another tree than it served, or rewrote what an
  // adopted checkpoint covers, is caught here. A replica behind the others
  // (a smaller checkpoint) must agree too.
  const absl::Status adopted = registry_->AdoptCheckpoint(latest);
  if (absl::IsDataLoss(adopted)) return Forked(adopted, latest);
  CERTREG_RETURN_IF_ERROR(adopted);
  const uint64_t applied = registry_->size() - before;
  if (applied > 0) {
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    Log(absl::StrCat("verified and applied ", applied, " entries in ",
                     absl::StrFormat("%.3f s (%.0f a second)", seconds,
                                     applied / std::max(seconds, 1e-6)),
                     "; at checkpoint ", checkpoint.tree_size()));
  }
  return absl::OkStatus();
}

absl::Status MirrorFollower::CatchUp(uint64_t tree_size) {
  while (registry_->size() < tree_size && !stop_.HasBeenNotified()) {
    const uint64_t start = registry_->size();
    CERTREG_ASSIGN_OR_RETURN(
        v1::GetEntriesResponse entries,
        upstream_.GetEntries(start,
                             std::min(tree_size, start + kEntriesPerCall)));
    if (entries.entries().empty()) {
      return absl::UnavailableError("the registry served no entries");
    }
    std::vector<v1::SignedStatement> statements;
    std::vector<absl::CivilDay> days;
    for (const v1::LogEntry& entry : entries.entries()) {
      if (entry.index() != start + statements.size()) {
        return absl::DataLossError(
            absl::StrCat("the registry served entry ", entry.index(), " where ",
                         start + statements.size(), " was due"));
      }
      CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                               ParseSignedStatement(entry.signed_statement()));
      // Checked on its own date: what the log alone can tell.
      days.push_back(ToCivilDay(statement.date()));
      statements.push_back(entry.signed_statement());
    }
    for (absl::StatusOr<v1::StatementReceipt>& receipt :
         registry_->ApplyReplicated(statements, days)) {
      if (!receipt.ok()) {
        return absl::Status(
            receipt.status().code(),
            absl::StrCat("entry ", registry_->size(),
                         " of the registry's log is refused here: ",
                         receipt.status().message()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status MirrorFollower::Forked(const absl::Status& why,
                                    const v1::SignedCheckpoint& conflicting) {
  absl::StatusOr<v1::SignedCheckpoint> trusted =
      registry_->PublishCheckpoint();  // the latest adopted
  const std::string evidence = absl::StrCat(
      "{\"upstream\": \"", options_.upstream, "\",\n \"reason\": \"",
      absl::CHexEscape(why.message()),
      "\",\n \"trusted_checkpoint\": ", trusted.ok() ? Json(*trusted) : "null",
      ",\n \"conflicting_checkpoint\": ", Json(conflicting), "}\n");
  if (!options_.evidence_file.empty()) {
    WriteFileDurably(options_.evidence_file, evidence).IgnoreError();
  }
  const absl::Status stopped = absl::DataLossError(absl::StrCat(
      "the registry at ", options_.upstream, " forked: ", why.message(),
      "; this mirror stopped following and serves its last consistent "
      "state (stale)",
      options_.evidence_file.empty()
          ? ""
          : absl::StrCat("; the two checkpoints are in ",
                         options_.evidence_file)));
  Log(stopped.message());
  absl::MutexLock lock(&mu_);
  fork_ = stopped;
  return fork_;
}

absl::Status MirrorFollower::CheckBundle(
    const v1::VerificationBundle& bundle) const {
  v1::Checkpoint checkpoint;
  if (!checkpoint.ParseFromString(bundle.checkpoint().checkpoint())) {
    return absl::DataLossError("the bundle's checkpoint is garbage");
  }
  if (checkpoint.tree_size() > registry_->size()) {
    return absl::UnavailableError(
        "this mirror has not reached the registry's latest checkpoint yet; "
        "retry in a second");
  }
  CERTREG_ASSIGN_OR_RETURN(const std::string root,
                           registry_->LogRootAt(checkpoint.tree_size()));
  if (root != checkpoint.root_hash()) {
    return absl::DataLossError(
        "the registry's bundle is for a tree this mirror does not hold");
  }
  std::vector<const v1::ProvenStatement*> proven;
  for (const auto& s : bundle.certificate_statements()) proven.push_back(&s);
  for (const auto& s : bundle.authority_statements()) proven.push_back(&s);
  if (bundle.has_rules_statement()) proven.push_back(&bundle.rules_statement());
  for (const v1::ProvenStatement* statement : proven) {
    CERTREG_ASSIGN_OR_RETURN(const std::string leaf,
                             registry_->LeafDataAt(IndexOf(*statement)));
    if (leaf != LeafData(statement->signed_statement())) {
      return absl::DataLossError(
          absl::StrCat("the registry's bundle has another statement at entry ",
                       IndexOf(*statement), " than this mirror"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::VerificationBundle> MirrorFollower::Bundle(
    const v1::GetVerificationBundleRequest& request) {
  CERTREG_RETURN_IF_ERROR(fork().ok()
                              ? absl::OkStatus()
                              : absl::UnavailableError(fork().message()));
  CERTREG_ASSIGN_OR_RETURN(v1::VerificationBundle bundle,
                           upstream_.GetVerificationBundle(request.number()));
  CERTREG_RETURN_IF_ERROR(CheckBundle(bundle));
  return bundle;
}

absl::StatusOr<v1::GetVerificationBundlesResponse> MirrorFollower::Bundles(
    const v1::GetVerificationBundlesRequest& request) {
  if (!fork().ok()) return absl::UnavailableError(fork().message());
  google::protobuf::Arena arena;
  std::vector<std::string> numbers(request.numbers().begin(),
                                   request.numbers().end());
  CERTREG_ASSIGN_OR_RETURN(v1::GetVerificationBundlesResponse * answer,
                           upstream_.GetVerificationBundles(numbers, arena));
  v1::GetVerificationBundlesResponse checked = *answer;
  for (v1::VerificationBundleResult& result : *checked.mutable_results()) {
    if (!result.has_bundle()) continue;
    if (absl::Status ok = CheckBundle(result.bundle()); !ok.ok()) return ok;
  }
  return checked;
}

}  // namespace certreg
