#ifndef CERTREG_VERIFIER_LOG_TRUSTED_LOG_H_
#define CERTREG_VERIFIER_LOG_TRUSTED_LOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "certreg/v1/log.pb.h"
#include "verifier/crypto/ed25519.h"

namespace certreg {

// Fetches a consistency proof between two tree sizes of the log (e.g. the
// registry's GetConsistencyProof).
using FetchConsistencyFn = std::function<absl::StatusOr<v1::ConsistencyProof>(
    uint64_t from_size, uint64_t to_size)>;

// The verifier's memory of the log: the newest checkpoint it has verified,
// kept in a small state file, so that the registry can never take it
// backwards or sideways (rewrite or fork its history) unnoticed.
//
// State file: the serialized v1::SignedCheckpoint (binary), written
// atomically (temporary file in the same directory, fsync, rename, fsync of
// the directory) and re-verified with the log key when opened.
//
// Thread-safe: Advance calls are serialised (one at a time, including their
// fetch); trusted() never waits for a fetch.
//
// Example:
//   auto log = TrustedLog::Open(path, log_key);
//   absl::Status ok = (*log)->Advance(bundle.checkpoint(), fetch);
class TrustedLog {
 public:
  // Loads state from `state_path`; a missing file means no trusted checkpoint
  // yet. Errors, each naming the path: INVALID_ARGUMENT when `log_key` is
  // null or the file was written for another log key; DATA_LOSS when the
  // file does not parse or its signature does not verify; UNAVAILABLE when it
  // cannot be read.
  static absl::StatusOr<std::unique_ptr<TrustedLog>> Open(
      std::string state_path, std::shared_ptr<const Ed25519PublicKey> log_key);

  // Accepts `newer` if its signature verifies with the log key and it is
  // consistent with the trusted checkpoint:
  //   - none trusted yet: accepted as is (trust on first use);
  //   - same tree size: the root hashes must be equal (the one with the later
  //     timestamp is kept);
  //   - larger: fetch_consistency(trusted size, newer size) must return a
  //     proof for exactly those sizes that VerifyConsistency accepts; `newer`
  //     becomes the trusted checkpoint;
  //   - smaller: fetch_consistency(newer size, trusted size) must prove that
  //     the trusted tree extends `newer`; the trusted checkpoint is kept.
  // The checkpoint's origin must equal the trusted one's. The trusted
  // checkpoint itself, byte for byte (signature included), is accepted at
  // once: its signature verified when it became trusted.
  // Errors (state unchanged on every error): the checkpoint's own
  // PERMISSION_DENIED / INVALID_ARGUMENT; FAILED_PRECONDITION "the log's
  // history was rewritten or forked: ..." on any inconsistency (including a
  // proof for other sizes than asked); the fetch's error, with context;
  // UNAVAILABLE when the state file cannot be written.
  absl::Status Advance(const v1::SignedCheckpoint& newer,
                       const FetchConsistencyFn& fetch_consistency);

  // The trusted checkpoint, if any.
  std::optional<v1::Checkpoint> trusted() const;

  const std::string& state_path() const { return state_path_; }

 private:
  TrustedLog(std::string state_path,
             std::shared_ptr<const Ed25519PublicKey> log_key)
      : state_path_(std::move(state_path)), log_key_(std::move(log_key)) {}

  // Writes `signed_checkpoint` to the state file atomically.
  absl::Status Persist(const v1::SignedCheckpoint& signed_checkpoint) const;

  // Makes `checkpoint`, verified from `signed_checkpoint`, the trusted one.
  void Trust(v1::Checkpoint checkpoint,
             const v1::SignedCheckpoint& signed_checkpoint);

  const std::string state_path_;
  const std::shared_ptr<const Ed25519PublicKey> log_key_;
  // Serialises Advance (and so writes of the state file).
  absl::Mutex advance_mu_;
  mutable absl::Mutex mu_;
  std::optional<v1::Checkpoint> trusted_ ABSL_GUARDED_BY(mu_);
  // What trusted_ was verified from (empty while nothing is trusted).
  v1::SignedCheckpoint trusted_signed_ ABSL_GUARDED_BY(mu_);
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_LOG_TRUSTED_LOG_H_
