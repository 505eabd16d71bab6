#include "registry/core/public_log.h"

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/status_macros.h"
#include "verifier/crypto/signed_statement.h"

namespace certreg {
namespace {

constexpr uint64_t kMaxEntries = 1000;

absl::Status CheckEntriesRange(const v1::GetEntriesRequest& request,
                               uint64_t log_size) {
  if (request.end() <= request.start()) {
    return absl::InvalidArgumentError(
        absl::StrCat("end: ", request.end(), " must be greater than start ",
                     request.start()));
  }
  if (request.end() - request.start() > kMaxEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat("end: at most ", kMaxEntries, " entries per call"));
  }
  if (request.end() > log_size) {
    return absl::OutOfRangeError(absl::StrCat(
        "end: ", request.end(), " exceeds the log's size ", log_size));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SignedCheckpoint> PublicLog::PublishCheckpoint() {
  CERTREG_RETURN_IF_ERROR(writer_.CheckSyncs());
  return log_.Publish();
}

absl::StatusOr<v1::SignedCheckpoint> PublicLog::PublishCheckpointCovering(
    uint64_t last_leaf_index) {
  writer_.AwaitLeaf(last_leaf_index);
  return PublishCheckpoint();
}

absl::StatusOr<v1::SignedCheckpoint> PublicLog::GetCheckpoint(
    const v1::GetCheckpointRequest& request) {
  if (request.tree_size() == 0) return PublishCheckpoint();
  return log_.CheckpointAt(request.tree_size());
}

absl::StatusOr<v1::InclusionProof> PublicLog::GetInclusionProof(
    const v1::GetInclusionProofRequest& request) {
  uint64_t tree_size = request.tree_size();
  if (tree_size == 0) {
    CERTREG_ASSIGN_OR_RETURN(v1::SignedCheckpoint latest, PublishCheckpoint());
    v1::Checkpoint checkpoint;
    checkpoint.ParseFromString(latest.checkpoint());
    tree_size = checkpoint.tree_size();
  }
  switch (request.leaf_case()) {
    case v1::GetInclusionProofRequest::kLeafIndex:
      return log_.ProveInclusion(request.leaf_index(), tree_size);
    case v1::GetInclusionProofRequest::kLeafHash: {
      CERTREG_ASSIGN_OR_RETURN(uint64_t index,
                               log_.IndexOfLeaf(request.leaf_hash()));
      return log_.ProveInclusion(index, tree_size);
    }
    default:
      return absl::InvalidArgumentError("leaf: give leaf_index or leaf_hash");
  }
}

absl::StatusOr<v1::ConsistencyProof> PublicLog::GetConsistencyProof(
    const v1::GetConsistencyProofRequest& request) const {
  return log_.ProveConsistency(request.from_size(), request.to_size());
}

absl::StatusOr<v1::GetEntriesResponse> PublicLog::GetEntries(
    const v1::GetEntriesRequest& request) const {
  CERTREG_RETURN_IF_ERROR(CheckEntriesRange(request, log_.size()));
  std::shared_ptr<const ReadableStore> durable = durable_();
  bool waited = false;
  v1::GetEntriesResponse response;
  for (uint64_t i = request.start(); i < request.end(); ++i) {
    CERTREG_ASSIGN_OR_RETURN(
        std::optional<std::string> data,
        durable->Get(Column::kStatements, EncodeUint64(i)));
    if (!data.has_value() && !waited) {
      waited = true;
      if (absl::Status synced = writer_.WaitDurable(); !synced.ok()) {
        return absl::UnavailableError(absl::StrCat(
            "log entry ", i, " is not durable: ", synced.message()));
      }
      durable = durable_();
      CERTREG_ASSIGN_OR_RETURN(
          data, durable->Get(Column::kStatements, EncodeUint64(i)));
    }
    if (!data.has_value()) {
      return absl::DataLossError(absl::StrCat("log entry ", i, " is missing"));
    }
    v1::LogEntry* entry = response.add_entries();
    entry->set_index(i);
    CERTREG_ASSIGN_OR_RETURN(*entry->mutable_signed_statement(),
                             ParseLeafData(*data));
  }
  return response;
}

}  // namespace certreg
