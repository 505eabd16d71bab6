#ifndef CERTREG_REGISTRY_CORE_SCRUB_H_
#define CERTREG_REGISTRY_CORE_SCRUB_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "certreg/v1/admin.pb.h"
#include "registry/log/merkle_log.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Reads everything the registry serves from and checks it against what is
// signed, so damage that RocksDB's block checksums cannot see (a record
// rewritten whole, a leaf altered with a valid checksum) or bytes never read
// since they were written are found before a reader meets them:
// - every log leaf up to the latest published checkpoint is read and hashed,
//   and the root recomputed from them must equal the checkpoint's;
// - every leaf's signer is checked from the first leaf on, with nothing but
//   `operator_key` (SignatureAudit);
// - every certificate record is re-derived by replaying its signed
//   statements from the log and must equal the stored record.
// Reads only. Problems are reported, not repaired (restore from a backup).
// UNAVAILABLE when the store cannot be read at all.
// CANCELLED soon after `stop` (when given) is notified. `on_progress`
// (when given) is called when each phase begins and every few thousand
// items (its elapsed_millis left 0), on the scrubbing thread.
using ScrubProgressFunction = std::function<void(const v1::ScrubProgress&)>;
absl::StatusOr<v1::ScrubReport> Scrub(
    const ReadableStore& store, const MerkleLog& log,
    const Ed25519PublicKey& operator_key,
    const absl::Notification* stop = nullptr,
    const ScrubProgressFunction& on_progress = nullptr);

// Rewrites every certificate record that differs from the replay of the
// leaves the log has for its certificate, and deletes the records of
// certificates the log does not have: what a scrub found wrong with the
// records, repaired from the log (search indexes are not rebuilt). Returns
// how many records changed. Only while nothing else writes to `store`.
absl::StatusOr<uint64_t> RepairRecords(Store& store, const MerkleLog& log);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_CORE_SCRUB_H_
