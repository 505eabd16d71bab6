#ifndef CERTREG_REGISTRY_SERVER_REPAIR_H_
#define CERTREG_REGISTRY_SERVER_REPAIR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "registry/core/registry.h"

namespace certreg {

// The checks a start runs on a data directory that was restored from a
// backup or is to be repaired.
//
// certreg-registry --repair keeps what is provably intact of a damaged data
// directory instead of refusing it. The database is opened with the
// write-ahead log recovered up to its first damaged record (RocksDbStore's
// drop_damaged_wal_tail); then
// - the log must be sound by itself: every leaf readable, hashing to the
//   latest checkpoint in the database, every signer checked from the pinned
//   operator key -- otherwise nothing can be kept and the repair is refused;
// - certificate records that differ from their leaves are rewritten;
// - the published checkpoint (kept outside the database) is compared: a
//   log that forks from it is refused; a shorter one is accepted, saying how
//   many acknowledged statements were lost.
// The published checkpoint file is moved aside (to
// published_checkpoint.before-repair) as the evidence of what was lost.

// When `data_dir` is a restored backup not yet checked (it holds
// kRestoreCheckFile), scrubs it in full before it is served: every leaf
// hashed against the checkpoint, every signer checked from the pinned
// operator key, every record re-derived. Then deletes the file. DATA_LOSS
// naming the first problems when any is found.
absl::Status CheckRestoredBackup(const std::string& data_dir,
                                 Registry& registry);

// Moves DATA_DIR/published_checkpoint aside before the registry opens;
// returns where to (empty when there was none).
absl::StatusOr<std::string> SetPublishedCheckpointAside(
    const std::string& data_dir);

// The checks and the record repair above, on `registry` opened with the
// published checkpoint set aside at `set_aside` (empty: none). Returns what
// was done, for the log; DATA_LOSS saying why when nothing can be kept.
absl::StatusOr<std::string> RepairOpenedRegistry(Registry& registry,
                                                 const std::string& set_aside);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_SERVER_REPAIR_H_
