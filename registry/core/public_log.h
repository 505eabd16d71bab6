#ifndef CERTREG_REGISTRY_CORE_PUBLIC_LOG_H_
#define CERTREG_REGISTRY_CORE_PUBLIC_LOG_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "certreg/v1/log.pb.h"
#include "certreg/v1/registry.pb.h"
#include "registry/core/statement_writer.h"
#include "registry/core/stored_records.h"
#include "registry/log/merkle_log.h"

namespace certreg {

// The log as the registry serves it: signed checkpoints, inclusion and
// consistency proofs, and entries. No checkpoint is published once a sync
// has failed (it must not vouch for leaves that may be lost), and no entry
// is served before it is durable (a mirror must never copy one a crash
// could still take away).
//
// Thread-safe.
class PublicLog {
 public:
  // `log` and `writer` must outlive it; `durable` gives readers' views.
  PublicLog(MerkleLog* log, StatementWriter* writer, DurableViewSource durable)
      : log_(*log), writer_(*writer), durable_(std::move(durable)) {}

  // Signs and stores a checkpoint if there are new entries; returns the
  // latest. UNAVAILABLE once a sync has failed.
  absl::StatusOr<v1::SignedCheckpoint> PublishCheckpoint();
  // PublishCheckpoint, covering leaf `last_leaf_index` (read from the
  // store's latest state, perhaps by a write still under way).
  absl::StatusOr<v1::SignedCheckpoint> PublishCheckpointCovering(
      uint64_t last_leaf_index);

  // See Registry.
  absl::StatusOr<v1::SignedCheckpoint> GetCheckpoint(
      const v1::GetCheckpointRequest& request);
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& request);
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(
      const v1::GetConsistencyProofRequest& request) const;
  // At most 1,000 entries per call: INVALID_ARGUMENT beyond, OUT_OF_RANGE
  // past the log's end. An entry counted but not yet durable is at most one
  // sync away: the call waits for it.
  absl::StatusOr<v1::GetEntriesResponse> GetEntries(
      const v1::GetEntriesRequest& request) const;

 private:
  MerkleLog& log_;
  StatementWriter& writer_;
  const DurableViewSource durable_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_PUBLIC_LOG_H_
