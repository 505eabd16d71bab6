#include "registry/core/scrub.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "registry/core/paging.h"
#include "registry/core/record_upgrade.h"
#include "registry/core/signature_audit.h"
#include "registry/core/stored_records.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/crypto/signed_statement.h"
#include "verifier/log/merkle.h"

namespace certreg {
namespace {

constexpr size_t kPage = 1000;

// The latest published checkpoint's tree size and root; size 0 when none.
absl::Status LatestCheckpoint(const ReadableStore& store, uint64_t& size,
                              std::string& root) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           store.Get(Column::kMeta, kMetaLatestCheckpoint));
  size = 0;
  if (!bytes.has_value()) return absl::OkStatus();
  v1::SignedCheckpoint signed_checkpoint;
  v1::Checkpoint checkpoint;
  if (!signed_checkpoint.ParseFromString(*bytes) ||
      !checkpoint.ParseFromString(signed_checkpoint.checkpoint())) {
    return absl::DataLossError("the latest checkpoint is unreadable");
  }
  size = checkpoint.tree_size();
  root = checkpoint.root_hash();
  return absl::OkStatus();
}

// A report lists this many problems at most (a log damaged from some leaf
// on would otherwise list every later one).
constexpr int kMaxProblems = 100;

void AddProblem(v1::ScrubReport& report, std::string problem) {
  if (report.problems_size() < kMaxProblems) {
    report.add_problems(std::move(problem));
  } else if (report.problems_size() == kMaxProblems) {
    report.add_problems("... and more problems (only the first are listed)");
  }
}

// Tells `on_progress` (when set) how far `phase` has come.
void Progress(const ScrubProgressFunction& on_progress, const char* phase,
              uint64_t done, uint64_t total) {
  if (on_progress == nullptr) return;
  v1::ScrubProgress progress;
  progress.set_phase(phase);
  progress.set_done(done);
  progress.set_total(total);
  on_progress(progress);
}

// CANCELLED once `stop` is notified.
absl::Status Stopped(const absl::Notification* stop) {
  if (stop != nullptr && stop->HasBeenNotified()) {
    return absl::CancelledError("the scrub was stopped");
  }
  return absl::OkStatus();
}

// Each certificate's leaves, in log order, as the log has them.
using LeavesOf = absl::flat_hash_map<std::string, std::vector<uint64_t>>;

// Notes leaf `index`, `signed_statement`, in `leaves_of` when it is about a
// certificate, and checks its signer; returns the problem, if any.
std::optional<std::string> CheckLeaf(
    uint64_t index, const absl::StatusOr<v1::SignedStatement>& signed_statement,
    SignatureAudit& audit, LeavesOf& leaves_of) {
  if (!signed_statement.ok()) {
    return absl::StrCat("log leaf ", index, ": ",
                        signed_statement.status().message());
  }
  absl::StatusOr<v1::Statement> statement =
      ParseSignedStatement(*signed_statement);
  if (statement.ok() && !statement->certificate_number().empty()) {
    leaves_of[statement->certificate_number()].push_back(index);
  }
  return audit.Check(index, *signed_statement);
}

// Hashes every leaf and compares the root at the latest checkpoint with it,
// checking each leaf's signer and noting each certificate's leaves.
absl::Status ScrubLog(const ReadableStore& store, const MerkleLog& log,
                      const Ed25519PublicKey& operator_key,
                      const absl::Notification* stop,
                      const ScrubProgressFunction& on_progress,
                      v1::ScrubReport& report, LeavesOf& leaves_of) {
  uint64_t size = 0;
  std::string published_root;
  if (absl::Status latest = LatestCheckpoint(store, size, published_root);
      !latest.ok()) {
    AddProblem(report, std::string(latest.message()));
    return absl::OkStatus();
  }
  report.set_checkpoint_tree_size(size);
  InMemoryMerkleTree tree;
  SignatureAudit audit(operator_key);
  // Past the checkpoint too: the leaves the records may name.
  const uint64_t leaves = std::max(size, log.size());
  for (uint64_t i = 0; i < leaves; ++i) {
    if (i % 4096 == 0) {
      CERTREG_RETURN_IF_ERROR(Stopped(stop));
      Progress(on_progress, "log", i, leaves);
    }
    absl::StatusOr<std::string> leaf = log.LeafDataAt(i);
    if (!leaf.ok()) {
      AddProblem(report, absl::StrCat("log leaf ", i, " cannot be read: ",
                                      leaf.status().message()));
      return absl::OkStatus();
    }
    tree.AppendLeaf(*leaf);
    report.set_leaves_checked(i + 1);
    std::optional<std::string> problem =
        CheckLeaf(i, ParseLeafData(*leaf), audit, leaves_of);
    if (problem.has_value()) AddProblem(report, *std::move(problem));
    report.set_signatures_checked(i + 1);
  }
  if (size == 0) {  // no checkpoint yet: no root to compare with
    report.set_log_root_matches(true);
    return absl::OkStatus();
  }
  CERTREG_ASSIGN_OR_RETURN(std::string root, RootHash(tree, size));
  report.set_log_root_matches(root == published_root);
  if (root != published_root) {
    AddProblem(report, absl::StrCat("the log's leaves hash to root ",
                                    ToHex(root), " at size ", size,
                                    " but the published checkpoint says ",
                                    ToHex(published_root)));
  }
  return absl::OkStatus();
}

// The problem with certificate `number`'s stored `bytes`, or "". Its
// statements must be the leaves the log has for it (`in_log`; the first
// `leaves` leaves were read) and replay to the record.
std::string CheckRecord(const MerkleLog& log, const std::string& number,
                        const std::string& bytes,
                        const std::vector<uint64_t>& in_log, uint64_t leaves) {
  v1::CertificateRecord stored;
  if (!stored.ParseFromString(bytes) || stored.statements_size() == 0) {
    return absl::StrCat("certificate ", number, ": the record is unreadable");
  }
  const std::vector<uint64_t> indexes = LeafIndexesOf(stored);
  std::vector<uint64_t> read;  // written during the scrub: not compared
  for (uint64_t index : indexes) {
    if (index < leaves) read.push_back(index);
  }
  if (read != in_log) {
    return absl::StrCat("certificate ", number, ": the record lists ",
                        read.size(), " of its statements but the log has ",
                        in_log.size(),
                        " (lookups would miss or invent events)");
  }
  absl::StatusOr<v1::CertificateRecord> replayed = ReplayRecord(log, indexes);
  if (!replayed.ok()) {
    return absl::StrCat(
        "certificate ", number,
        ": its statements do not replay: ", replayed.status().message());
  }
  if (replayed->chain().certificate().number() != number) {
    return absl::StrCat("certificate ", number,
                        ": the record is stored under "
                        "another number than its statements name");
  }
  if (replayed->SerializeAsString() != stored.SerializeAsString()) {
    return absl::StrCat("certificate ", number,
                        ": the stored record differs from what its signed "
                        "statements say (lookups would show altered data)");
  }
  return "";
}

// Checks every record against the log; `leaves_of` (emptied) names each
// certificate's leaves among the first `leaves`.
absl::Status ScrubRecords(const ReadableStore& store, const MerkleLog& log,
                          uint64_t leaves, LeavesOf& leaves_of,
                          const absl::Notification* stop,
                          const ScrubProgressFunction& on_progress,
                          v1::ScrubReport& report) {
  std::string start;
  const std::vector<uint64_t> none;
  // The certificates the log names: as many records, when nothing is wrong.
  const uint64_t total = leaves_of.size();
  while (true) {
    CERTREG_RETURN_IF_ERROR(Stopped(stop));
    Progress(on_progress, "records",
             std::min(report.certificates_checked(), total), total);
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<KeyValue> rows,
        store.Scan(Column::kCertificates, start, "", kPage));
    for (const KeyValue& row : rows) {
      auto in_log = leaves_of.find(row.first);
      const std::string problem = CheckRecord(
          log, row.first, row.second,
          in_log == leaves_of.end() ? none : in_log->second, leaves);
      if (in_log != leaves_of.end()) leaves_of.erase(in_log);
      if (!problem.empty()) AddProblem(report, problem);
      report.set_certificates_checked(report.certificates_checked() + 1);
    }
    if (rows.size() < kPage) break;
    start = KeyAfter(rows.back().first);
  }
  for (const auto& [number, indexes] : leaves_of) {
    AddProblem(report,
               absl::StrCat("certificate ", number, " has ", indexes.size(),
                            " statement(s) in the log but no record "
                            "(lookups answer NOT_FOUND)"));
  }
  return absl::OkStatus();
}

// Each certificate's leaves among the whole log's; UNAVAILABLE or DATA_LOSS
// when a leaf cannot be read or parsed.
absl::StatusOr<LeavesOf> LeavesOfEachCertificate(const MerkleLog& log) {
  LeavesOf leaves_of;
  for (uint64_t i = 0; i < log.size(); ++i) {
    CERTREG_ASSIGN_OR_RETURN(v1::SignedStatement signed_statement,
                             LoadStatement(log, i));
    CERTREG_ASSIGN_OR_RETURN(v1::Statement statement,
                             ParseSignedStatement(signed_statement));
    if (!statement.certificate_number().empty()) {
      leaves_of[statement.certificate_number()].push_back(i);
    }
  }
  return leaves_of;
}

}  // namespace

absl::StatusOr<uint64_t> RepairRecords(Store& store, const MerkleLog& log) {
  CERTREG_ASSIGN_OR_RETURN(LeavesOf leaves_of, LeavesOfEachCertificate(log));
  uint64_t changed = 0;
  std::string start;
  while (true) {  // records of certificates the log does not have
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<KeyValue> rows,
        store.Scan(Column::kCertificates, start, "", kPage));
    WriteBatch batch;
    for (const KeyValue& row : rows) {
      if (leaves_of.contains(row.first)) continue;
      batch.Delete(Column::kCertificates, row.first);
      ++changed;
    }
    CERTREG_RETURN_IF_ERROR(store.Write(batch));
    if (rows.size() < kPage) break;
    start = KeyAfter(rows.back().first);
  }
  for (const auto& [number, indexes] : leaves_of) {
    CERTREG_ASSIGN_OR_RETURN(v1::CertificateRecord replayed,
                             ReplayRecord(log, indexes));
    const std::string bytes = replayed.SerializeAsString();
    CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> stored,
                             store.Get(Column::kCertificates, number));
    if (stored == bytes) continue;
    WriteBatch batch;
    batch.Put(Column::kCertificates, number, bytes);
    CERTREG_RETURN_IF_ERROR(store.Write(batch));
    ++changed;
  }
  return changed;
}

absl::StatusOr<v1::ScrubReport> Scrub(
    const ReadableStore& store, const MerkleLog& log,
    const Ed25519PublicKey& operator_key, const absl::Notification* stop,
    const ScrubProgressFunction& on_progress) {
  const absl::Time start = absl::Now();
  v1::ScrubReport report;
  LeavesOf leaves_of;
  CERTREG_RETURN_IF_ERROR(
      ScrubLog(store, log, operator_key, stop, on_progress, report, leaves_of));
  CERTREG_RETURN_IF_ERROR(ScrubRecords(store, log, report.leaves_checked(),
                                       leaves_of, stop, on_progress, report));
  report.set_duration_millis(absl::ToInt64Milliseconds(absl::Now() - start));
  return report;
}

}  // namespace certreg
