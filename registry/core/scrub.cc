#include "registry/core/scrub.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "registry/core/paging.h"
#include "registry/core/record_upgrade.h"
#include "registry/core/signature_audit.h"
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

// Hashes every leaf up to the latest checkpoint and compares the root,
// checking each leaf's signer on the way.
absl::Status ScrubLog(const ReadableStore& store, const MerkleLog& log,
                      const Ed25519PublicKey& operator_key,
                      v1::ScrubReport& report) {
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
  for (uint64_t i = 0; i < size; ++i) {
    absl::StatusOr<std::string> leaf = log.LeafDataAt(i);
    if (!leaf.ok()) {
      AddProblem(report, absl::StrCat("log leaf ", i, " cannot be read: ",
                                      leaf.status().message()));
      return absl::OkStatus();
    }
    tree.AppendLeaf(*leaf);
    report.set_leaves_checked(i + 1);
    absl::StatusOr<v1::SignedStatement> signed_statement = ParseLeafData(*leaf);
    std::optional<std::string> problem =
        signed_statement.ok()
            ? audit.Check(i, *signed_statement)
            : absl::StrCat("log leaf ", i, ": ",
                           signed_statement.status().message());
    if (problem.has_value()) AddProblem(report, *std::move(problem));
    report.set_signatures_checked(i + 1);
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

// The problem with certificate `number`'s stored `bytes`, or "".
std::string CheckRecord(const MerkleLog& log, const std::string& number,
                        const std::string& bytes) {
  v1::CertificateRecord stored;
  if (!stored.ParseFromString(bytes) || stored.statements_size() == 0) {
    return absl::StrCat("certificate ", number, ": the record is unreadable");
  }
  std::vector<uint64_t> indexes;
  for (const v1::RecordedStatement& recorded : stored.statements()) {
    indexes.push_back(recorded.leaf_index());
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

absl::Status ScrubRecords(const ReadableStore& store, const MerkleLog& log,
                          v1::ScrubReport& report) {
  std::string start;
  while (true) {
    CERTREG_ASSIGN_OR_RETURN(
        std::vector<KeyValue> rows,
        store.Scan(Column::kCertificates, start, "", kPage));
    for (const KeyValue& row : rows) {
      const std::string problem = CheckRecord(log, row.first, row.second);
      if (!problem.empty()) AddProblem(report, problem);
      report.set_certificates_checked(report.certificates_checked() + 1);
    }
    if (rows.size() < kPage) return absl::OkStatus();
    start = KeyAfter(rows.back().first);
  }
}

}  // namespace

absl::StatusOr<v1::ScrubReport> Scrub(const ReadableStore& store,
                                      const MerkleLog& log,
                                      const Ed25519PublicKey& operator_key) {
  const absl::Time start = absl::Now();
  v1::ScrubReport report;
  CERTREG_RETURN_IF_ERROR(ScrubLog(store, log, operator_key, report));
  CERTREG_RETURN_IF_ERROR(ScrubRecords(store, log, report));
  report.set_duration_millis(absl::ToInt64Milliseconds(absl::Now() - start));
  return report;
}

}  // namespace certreg
