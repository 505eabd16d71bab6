#ifndef CERTREG_REGISTRY_LOG_MERKLE_LOG_H_
#define CERTREG_REGISTRY_LOG_MERKLE_LOG_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "certreg/v1/log.pb.h"
#include "registry/log/subtree_hash_cache.h"
#include "registry/storage/store.h"
#include "verifier/crypto/ed25519.h"
#include "verifier/log/merkle.h"

namespace certreg {

struct MerkleLogOptions {
  // Signs checkpoints. Separate from the operator's accreditation key.
  std::shared_ptr<const Ed25519PrivateKey> log_key;
  // A mirror's log, without log_key: the registry's public log key, which
  // every checkpoint it adopts (Adopt) must be signed with. It signs
  // nothing itself.
  std::shared_ptr<const Ed25519PublicKey> log_public_key;
  // The log's name in its checkpoints.
  std::string origin = "certreg.v1";
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // After Open, read every stored subtree hash of kCachedLevel and above
  // into memory on a thread of its own (about 32 bytes per leaf), so that
  // proofs find them there from the start rather than one store read at a
  // time as they are first needed.
  bool warm_cache = true;
  // A file outside the store where every published checkpoint is also
  // written (atomically, synced), so that losing the store's newest writes
  // (a damaged write-ahead log, an incomplete restore) cannot take the
  // evidence of what was published with it. Open compares the log with it
  // and refuses a log that is shorter or disagrees. Empty: not kept.
  std::string published_checkpoint_file;
  // A checkpoint is signed anew once the latest is this old, even when the
  // log has not grown, so verifiers that demand fresh checkpoints are not
  // left with an old one on a quiet day. Zero or less: only when it grows.
  absl::Duration resign_after = absl::Seconds(60);
};

// The registry's append-only Merkle log (RFC 9162 hashing) kept in the
// store: leaves (statements' leaf data), every complete subtree hash, and the
// signed checkpoints. Appends go into the caller's WriteBatch, so a statement
// and its leaf are stored atomically. Proofs take O(log n) reads.
//
// Thread-safety: AppendToBatch and Committed must be called by one writer at
// a time (the registry's write lock); everything else from any thread.
class MerkleLog {
 public:
  // Complete subtree hashes of this level and above are kept in memory, read
  // in after Open (MerkleLogOptions::warm_cache) or when first needed (up to
  // size() / 2^kCachedLevel of them per level, 32 bytes each, so at most 32
  // bytes per leaf in all): they never change, and every proof reads one per
  // level. Below it, a proof hashes the sibling leaf's statement, read
  // from the store (Prover).
  static constexpr int kCachedLevel = 1;

  // Opens the log in `store` (which must outlive it). The first open records
  // the log key's id; opening with another key is FAILED_PRECONDITION.
  // DATA_LOSS, saying what is missing and what to do, when the log is
  // shorter than the checkpoint in options.published_checkpoint_file or its
  // root at that size differs.
  static absl::StatusOr<std::unique_ptr<MerkleLog>> Open(
      Store* store, MerkleLogOptions options);
  // Stops the cache warm-up, if still running.
  ~MerkleLog();

  MerkleLog(const MerkleLog&) = delete;
  MerkleLog& operator=(const MerkleLog&) = delete;

  // Blocks until the warm-up (options.warm_cache) has read every stored
  // subtree hash, or stopped at a read error; at once without a warm-up.
  // Proofs are right before it ends too, only slower.
  void WaitForWarmCache() const { cache_warmed_.WaitForNotification(); }

  // Number of leaves committed.
  uint64_t size() const { return size_.load(); }
  // When the latest checkpoint was signed; nullopt before the first.
  std::optional<absl::Time> LatestCheckpointTime() const;

  // Adds leaf number size() with `leaf_data`, the subtree hashes it
  // completes and the new size to `batch`; returns the leaf hash. Call
  // Committed() once the batch is written. ALREADY_EXISTS when an identical
  // leaf is already in the log.
  absl::StatusOr<std::string> AppendToBatch(absl::string_view leaf_data,
                                            WriteBatch& batch) const;
  void Committed() { size_.fetch_add(1); }

  // Signs and stores a checkpoint of the current size unless the latest
  // checkpoint already covers it and is younger than options.resign_after.
  // Returns the latest checkpoint. A mirror's log returns the latest it
  // adopted (FAILED_PRECONDITION before the first).
  absl::StatusOr<v1::SignedCheckpoint> Publish();
  // A mirror's log: stores the registry's `signed_checkpoint` as published
  // here, once its signature is the log key's (PERMISSION_DENIED otherwise)
  // and its root is the root of this log's own leaves at its size
  // (DATA_LOSS otherwise: the registry signed a tree that is not the one it
  // served; OUT_OF_RANGE when this log is not that long yet).
  absl::Status Adopt(const v1::SignedCheckpoint& signed_checkpoint);
  // The checkpoint published at exactly `tree_size`; NOT_FOUND otherwise.
  absl::StatusOr<v1::SignedCheckpoint> CheckpointAt(uint64_t tree_size) const;

  // Inclusion proofs of leaves at one tree size, as one request needs
  // them: the hashes of the tree's right edge, which every proof at that
  // size shares, are computed once. A sibling leaf's hash is that of its
  // statement, the proven leaf's neighbour in the store (read just before
  // for the bundle, so most often in the same cached block), rather than a
  // stored node elsewhere. Thread-compatible; must not outlive the log.
  class Prover {
   public:
    Prover(Prover&&) = default;
    Prover& operator=(Prover&&) = default;
    ~Prover();
    // OUT_OF_RANGE when leaf_index is not below the prover's tree size.
    absl::StatusOr<v1::InclusionProof> Prove(uint64_t leaf_index) const;
    uint64_t tree_size() const { return tree_size_; }

   private:
    friend class MerkleLog;
    Prover(std::unique_ptr<const MerkleTreeReader> tree, uint64_t tree_size);
    std::unique_ptr<const MerkleTreeReader> tree_;
    uint64_t tree_size_;
  };
  // OUT_OF_RANGE when tree_size exceeds the log's size.
  absl::StatusOr<Prover> NewProver(uint64_t tree_size) const;

  // Errors: INVALID_ARGUMENT / OUT_OF_RANGE for indexes or sizes outside the
  // log; NOT_FOUND for an unknown leaf hash.
  absl::StatusOr<v1::InclusionProof> ProveInclusion(uint64_t leaf_index,
                                                    uint64_t tree_size) const;
  absl::StatusOr<uint64_t> IndexOfLeaf(absl::string_view leaf_hash) const;
  absl::StatusOr<v1::ConsistencyProof> ProveConsistency(uint64_t from_size,
                                                        uint64_t to_size) const;
  absl::StatusOr<std::string> LeafDataAt(uint64_t leaf_index) const;
  absl::StatusOr<std::string> RootAt(uint64_t tree_size) const;

  const Ed25519PublicKey& public_key() const {
    return options_.log_key != nullptr ? options_.log_key->public_key()
                                       : *options_.log_public_key;
  }
  const std::string& origin() const { return options_.origin; }

 private:
  MerkleLog(Store* store, MerkleLogOptions options)
      : store_(store), options_(std::move(options)) {}

  // Stores `signed_checkpoint` (of `tree_size`, made `when`) as the
  // latest: in the store, and in the published checkpoint file.
  absl::Status SaveLatest(const v1::SignedCheckpoint& signed_checkpoint,
                          uint64_t tree_size, absl::Time when)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(publish_mu_);
  // Checks the log against the checkpoint kept in
  // options_.published_checkpoint_file, if there is one.
  absl::Status CheckPublished() const;

  // Reads the stored subtree hashes of kCachedLevel and above into nodes_
  // until done or stop_warming_; then notifies cache_warmed_.
  void WarmCache();

  Store* const store_;
  const MerkleLogOptions options_;
  mutable SubtreeHashCache nodes_;
  std::atomic<uint64_t> size_{0};
  mutable absl::Mutex publish_mu_;
  v1::SignedCheckpoint latest_ ABSL_GUARDED_BY(publish_mu_);
  uint64_t latest_size_ ABSL_GUARDED_BY(publish_mu_) = 0;
  absl::Time latest_time_ ABSL_GUARDED_BY(publish_mu_);
  bool has_latest_ ABSL_GUARDED_BY(publish_mu_) = false;
  std::atomic<bool> stop_warming_{false};
  absl::Notification cache_warmed_;
  std::thread warmer_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_LOG_MERKLE_LOG_H_
