#include "registry/log/merkle_log.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/memory/memory.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "registry/storage/store_keys.h"
#include "verifier/base/durable_file.h"
#include "verifier/base/status_macros.h"
#include "verifier/log/checkpoint.h"

namespace certreg {
namespace {

// The leaf (serialized statement) at `index`; DATA_LOSS when the store has
// none.
absl::StatusOr<std::string> ReadLeafData(const ReadableStore& store,
                                         uint64_t index) {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> data,
                           store.Get(Column::kStatements, EncodeUint64(index)));
  if (!data.has_value()) {
    return absl::DataLossError(
        absl::StrCat("log entry ", index, " is missing"));
  }
  return *std::move(data);
}

// The tree as stored: every complete subtree hash under kMerkleNodes, the
// upper levels also in `cache`. With kFromStatements, a leaf hash is
// computed from the leaf's statement instead of read from kMerkleNodes. The
// hashes of ranges RangeHash computes (the right edge) are remembered for
// the reader's lifetime.
class StoredTree : public MerkleTreeReader {
 public:
  enum class Leaves { kStoredNodes, kFromStatements };
  StoredTree(const ReadableStore& store, SubtreeHashCache& cache, uint64_t size,
             Leaves leaves = Leaves::kStoredNodes)
      : store_(store), cache_(cache), size_(size), leaves_(leaves) {}
  uint64_t size() const override { return size_; }
  absl::StatusOr<std::string> SubtreeHash(int level,
                                          uint64_t index) const override {
    std::string cached;
    if (level >= MerkleLog::kCachedLevel &&
        cache_.Find(level, index, &cached)) {
      return cached;
    }
    if (level == 0 && leaves_ == Leaves::kFromStatements) {
      CERTREG_ASSIGN_OR_RETURN(const std::string data,
                               ReadLeafData(store_, index));
      return LeafHash(data);
    }
    CERTREG_ASSIGN_OR_RETURN(
        std::optional<std::string> hash,
        store_.Get(Column::kMerkleNodes, MerkleNodeKey(level, index)));
    if (!hash.has_value()) {
      return absl::DataLossError(
          absl::StrCat("merkle node (", level, ", ", index, ") is missing"));
    }
    // Only what was read from the store: a node of a batch not yet written
    // could still be refused.
    if (level >= MerkleLog::kCachedLevel) cache_.Insert(level, index, *hash);
    return *hash;
  }
  const std::string* RememberedRangeHash(uint64_t begin,
                                         uint64_t end) const override {
    auto it = ranges_.find(std::make_pair(begin, end));
    return it == ranges_.end() ? nullptr : &it->second;
  }
  void RememberRangeHash(uint64_t begin, uint64_t end,
                         const std::string& hash) const override {
    ranges_.emplace(std::make_pair(begin, end), hash);
  }

 private:
  const ReadableStore& store_;
  SubtreeHashCache& cache_;
  const uint64_t size_;
  const Leaves leaves_;
  mutable absl::flat_hash_map<std::pair<uint64_t, uint64_t>, std::string>
      ranges_;
};

absl::Status CheckSize(uint64_t tree_size, uint64_t log_size,
                       absl::string_view field) {
  if (tree_size > log_size) {
    return absl::OutOfRangeError(absl::StrCat(
        field, ": ", tree_size, " exceeds the log's size ", log_size));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<MerkleLog>> MerkleLog::Open(
    Store* store, MerkleLogOptions options) {
  if (options.log_key == nullptr && options.log_public_key == nullptr) {
    return absl::InvalidArgumentError(
        "log_key: is required (log_public_key for a mirror)");
  }
  auto log = absl::WrapUnique(new MerkleLog(store, std::move(options)));
  const std::string& key_id = log->public_key().key_id();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> stored_key_id,
                           store->Get(Column::kMeta, kMetaLogKeyId));
  if (stored_key_id.has_value() && *stored_key_id != key_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("this data directory's log is signed by log key ",
                     ToHex(*stored_key_id), " but the configured log key is ",
                     ToHex(key_id)));
  }
  if (!stored_key_id.has_value()) {
    WriteBatch batch;
    batch.Put(Column::kMeta, kMetaLogKeyId, key_id);
    CERTREG_RETURN_IF_ERROR(store->Write(batch));
  }
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> size,
                           store->Get(Column::kMeta, kMetaTreeSize));
  if (size.has_value()) {
    std::optional<uint64_t> decoded = DecodeUint64(*size);
    if (!decoded.has_value()) return absl::DataLossError("tree size corrupt");
    log->size_ = *decoded;
  }
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> latest,
                           store->Get(Column::kMeta, kMetaLatestCheckpoint));
  if (latest.has_value()) {
    absl::MutexLock lock(&log->publish_mu_);
    if (!log->latest_.ParseFromString(*latest)) {
      return absl::DataLossError("latest checkpoint corrupt");
    }
    v1::Checkpoint checkpoint;
    if (!checkpoint.ParseFromString(log->latest_.checkpoint())) {
      return absl::DataLossError("latest checkpoint corrupt");
    }
    log->latest_size_ = checkpoint.tree_size();
    log->latest_time_ =
        absl::FromUnixMillis(checkpoint.timestamp_unix_millis());
    log->has_latest_ = true;
  }
  CERTREG_RETURN_IF_ERROR(log->CheckPublished());
  if (log->options_.warm_cache) {
    log->warmer_ = std::thread([log = log.get()] { log->WarmCache(); });
  } else {
    log->cache_warmed_.Notify();
  }
  return log;
}

MerkleLog::~MerkleLog() {
  stop_warming_ = true;
  if (warmer_.joinable()) warmer_.join();
}

void MerkleLog::WarmCache() {
  // Every stored node is a complete subtree, so every one may be cached; a
  // read error only leaves the rest to be read when first needed. The
  // durable view walks the store itself with one cursor.
  const std::shared_ptr<const ReadableStore> durable = store_->DurableView();
  std::unique_ptr<Cursor> cursor =
      durable->NewCursor(Column::kMerkleNodes, /*end=*/"");
  absl::StatusOr<bool> found =
      cursor->Seek(MerkleNodeKey(kCachedLevel, /*index=*/0));
  while (found.ok() && *found && !stop_warming_.load()) {
    const absl::string_view key = cursor->key();
    if (key.size() == 1 + sizeof(uint64_t)) {
      std::optional<uint64_t> index = DecodeUint64(key.substr(1));
      if (index.has_value()) {
        nodes_.Insert(static_cast<unsigned char>(key[0]), *index,
                      cursor->value());
      }
    }
    found = cursor->Next();
  }
  cache_warmed_.Notify();
}

absl::StatusOr<std::string> MerkleLog::AppendToBatch(
    absl::string_view leaf_data, WriteBatch& batch) const {
  const uint64_t index = size_.load();
  const std::string leaf_hash = LeafHash(leaf_data);
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> duplicate,
                           store_->Get(Column::kLeafByHash, leaf_hash));
  if (duplicate.has_value()) {
    return absl::AlreadyExistsError(
        "signed_statement: this exact statement is already in the log");
  }
  StoredTree before(*store_, nodes_, index);
  CERTREG_ASSIGN_OR_RETURN(std::vector<MerkleNode> nodes,
                           NodesCompletedByAppend(before, leaf_hash));
  for (const MerkleNode& node : nodes) {
    batch.Put(Column::kMerkleNodes, MerkleNodeKey(node.level, node.index),
              node.hash);
  }
  batch.Put(Column::kStatements, EncodeUint64(index), leaf_data);
  batch.Put(Column::kLeafByHash, leaf_hash, EncodeUint64(index));
  batch.Put(Column::kMeta, kMetaTreeSize, EncodeUint64(index + 1));
  return leaf_hash;
}

absl::StatusOr<std::string> MerkleLog::RootAt(uint64_t tree_size) const {
  CERTREG_RETURN_IF_ERROR(CheckSize(tree_size, size(), "tree_size"));
  return RootHash(StoredTree(*store_, nodes_, tree_size), tree_size);
}

absl::StatusOr<v1::SignedCheckpoint> MerkleLog::Publish() {
  absl::MutexLock lock(&publish_mu_);
  if (options_.log_key == nullptr) {  // a mirror: the registry's only
    if (has_latest_) return latest_;
    return absl::FailedPreconditionError(
        "this mirror has adopted no checkpoint of its registry yet");
  }
  const uint64_t tree_size = size();
  const absl::Time now = options_.now();
  const bool fresh = options_.resign_after <= absl::ZeroDuration() ||
                     now - latest_time_ < options_.resign_after;
  if (has_latest_ && latest_size_ == tree_size && fresh) return latest_;
  // Never sign a tree whose leaves a crash could still take away.
  CERTREG_RETURN_IF_ERROR(store_->Sync());
  v1::Checkpoint checkpoint;
  checkpoint.set_origin(options_.origin);
  checkpoint.set_tree_size(tree_size);
  CERTREG_ASSIGN_OR_RETURN(*checkpoint.mutable_root_hash(), RootAt(tree_size));
  checkpoint.set_timestamp_unix_millis(absl::ToUnixMillis(now));
  CERTREG_ASSIGN_OR_RETURN(v1::SignedCheckpoint signed_checkpoint,
                           SignCheckpoint(checkpoint, *options_.log_key));
  CERTREG_RETURN_IF_ERROR(SaveLatest(signed_checkpoint, tree_size, now));
  return signed_checkpoint;
}

absl::Status MerkleLog::SaveLatest(
    const v1::SignedCheckpoint& signed_checkpoint, uint64_t tree_size,
    absl::Time when) {
  WriteBatch batch;
  const std::string bytes = signed_checkpoint.SerializeAsString();
  batch.Put(Column::kCheckpoints, EncodeUint64(tree_size), bytes);
  batch.Put(Column::kMeta, kMetaLatestCheckpoint, bytes);
  CERTREG_RETURN_IF_ERROR(store_->Write(batch));
  if (!options_.published_checkpoint_file.empty()) {
    CERTREG_RETURN_IF_ERROR(
        WriteFileDurably(options_.published_checkpoint_file, bytes));
  }
  latest_ = signed_checkpoint;
  latest_size_ = tree_size;
  latest_time_ = when;
  has_latest_ = true;
  return absl::OkStatus();
}

absl::Status MerkleLog::Adopt(const v1::SignedCheckpoint& signed_checkpoint) {
  CERTREG_ASSIGN_OR_RETURN(const v1::Checkpoint checkpoint,
                           VerifyCheckpoint(signed_checkpoint, public_key()));
  if (checkpoint.origin() != options_.origin) {
    return absl::PermissionDeniedError(
        absl::StrCat("checkpoint.origin: \"", checkpoint.origin(),
                     "\" is not this log's \"", options_.origin, "\""));
  }
  const uint64_t tree_size = checkpoint.tree_size();
  if (tree_size > size()) {
    return absl::OutOfRangeError(
        absl::StrCat("checkpoint.tree_size: ", tree_size,
                     " is beyond this log's ", size(), " entries"));
  }
  CERTREG_ASSIGN_OR_RETURN(const std::string root, RootAt(tree_size));
  if (root != checkpoint.root_hash()) {
    return absl::DataLossError(absl::StrCat(
        "the checkpoint of size ", tree_size, " has root ",
        absl::BytesToHexString(checkpoint.root_hash()),
        " but the entries served hash to ", absl::BytesToHexString(root)));
  }
  absl::MutexLock lock(&publish_mu_);
  if (has_latest_ && tree_size < latest_size_) return absl::OkStatus();
  // Leaves a checkpoint vouches for must survive a crash.
  CERTREG_RETURN_IF_ERROR(store_->Sync());
  return SaveLatest(signed_checkpoint, tree_size,
                    absl::FromUnixMillis(checkpoint.timestamp_unix_millis()));
}

std::optional<absl::Time> MerkleLog::LatestCheckpointTime() const {
  absl::MutexLock lock(&publish_mu_);
  if (!has_latest_) return std::nullopt;
  return latest_time_;
}

absl::Status MerkleLog::CheckPublished() const {
  const std::string& path = options_.published_checkpoint_file;
  if (path.empty()) return absl::OkStatus();
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                           ReadFileIfExists(path));
  if (!bytes.has_value()) return absl::OkStatus();
  v1::SignedCheckpoint signed_checkpoint;
  v1::Checkpoint published;
  if (!signed_checkpoint.ParseFromString(*bytes) ||
      !published.ParseFromString(signed_checkpoint.checkpoint())) {
    return absl::DataLossError(absl::StrCat(
        path,
        " does not hold a checkpoint: the record of what this registry "
        "published is damaged. Restore the data directory from a backup, "
        "or move the file aside only if you know the log is intact"));
  }
  const uint64_t published_size = published.tree_size();
  if (size() < published_size) {
    return absl::DataLossError(absl::StrCat(
        "the log holds ", size(),
        " statements but this registry published a "
        "checkpoint at size ",
        published_size, " (", path, "): ", published_size - size(),
        " acknowledged statement(s) are missing (a "
        "damaged write-ahead log or an incomplete restore). Refusing to serve "
        "a log shorter than what was published: restore the data directory "
        "from a backup"));
  }
  CERTREG_ASSIGN_OR_RETURN(std::string root, RootAt(published_size));
  if (root != published.root_hash()) {
    return absl::DataLossError(absl::StrCat(
        "the log's root at size ", published_size, " is ", ToHex(root),
        " but this registry published ", ToHex(published.root_hash()), " (",
        path,
        "): the log was altered. Restore the data directory from a "
        "backup"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SignedCheckpoint> MerkleLog::CheckpointAt(
    uint64_t tree_size) const {
  CERTREG_ASSIGN_OR_RETURN(
      std::optional<std::string> bytes,
      store_->Get(Column::kCheckpoints, EncodeUint64(tree_size)));
  if (!bytes.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "tree_size: no checkpoint was published at size ", tree_size));
  }
  v1::SignedCheckpoint out;
  if (!out.ParseFromString(*bytes)) {
    return absl::DataLossError("checkpoint corrupt");
  }
  return out;
}

MerkleLog::Prover::Prover(std::unique_ptr<const MerkleTreeReader> tree,
                          uint64_t tree_size)
    : tree_(std::move(tree)), tree_size_(tree_size) {}

MerkleLog::Prover::~Prover() = default;

absl::StatusOr<v1::InclusionProof> MerkleLog::Prover::Prove(
    uint64_t leaf_index) const {
  if (leaf_index >= tree_size_) {
    return absl::OutOfRangeError(absl::StrCat(
        "leaf_index: ", leaf_index, " is not below tree_size ", tree_size_));
  }
  CERTREG_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                           InclusionProof(*tree_, leaf_index, tree_size_));
  v1::InclusionProof proof;
  proof.set_leaf_index(leaf_index);
  proof.set_tree_size(tree_size_);
  for (std::string& hash : hashes) proof.add_hashes(std::move(hash));
  return proof;
}

absl::StatusOr<MerkleLog::Prover> MerkleLog::NewProver(
    uint64_t tree_size) const {
  CERTREG_RETURN_IF_ERROR(CheckSize(tree_size, size(), "tree_size"));
  return Prover(
      std::make_unique<StoredTree>(*store_, nodes_, tree_size,
                                   StoredTree::Leaves::kFromStatements),
      tree_size);
}

absl::StatusOr<v1::InclusionProof> MerkleLog::ProveInclusion(
    uint64_t leaf_index, uint64_t tree_size) const {
  CERTREG_ASSIGN_OR_RETURN(const Prover prover, NewProver(tree_size));
  return prover.Prove(leaf_index);
}

absl::StatusOr<uint64_t> MerkleLog::IndexOfLeaf(
    absl::string_view leaf_hash) const {
  CERTREG_ASSIGN_OR_RETURN(std::optional<std::string> index,
                           store_->Get(Column::kLeafByHash, leaf_hash));
  std::optional<uint64_t> decoded;
  if (index.has_value()) decoded = DecodeUint64(*index);
  if (!decoded.has_value() || *decoded >= size()) {
    return absl::NotFoundError("leaf_hash: no such leaf in the log");
  }
  return *decoded;
}

absl::StatusOr<v1::ConsistencyProof> MerkleLog::ProveConsistency(
    uint64_t from_size, uint64_t to_size) const {
  CERTREG_RETURN_IF_ERROR(CheckSize(to_size, size(), "to_size"));
  if (from_size > to_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from_size: ", from_size, " is larger than to_size ", to_size));
  }
  CERTREG_ASSIGN_OR_RETURN(
      std::vector<std::string> hashes,
      ConsistencyProof(StoredTree(*store_, nodes_, to_size), from_size,
                       to_size));
  v1::ConsistencyProof proof;
  proof.set_from_size(from_size);
  proof.set_to_size(to_size);
  for (std::string& hash : hashes) proof.add_hashes(std::move(hash));
  return proof;
}

absl::StatusOr<std::string> MerkleLog::LeafDataAt(uint64_t leaf_index) const {
  // The store first: a writer's batch (leaf and the indexes naming it)
  // becomes visible a moment before size() counts it, and a reader that
  // followed such an index must find the leaf.
  absl::StatusOr<std::string> data = ReadLeafData(*store_, leaf_index);
  if (absl::IsDataLoss(data.status()) && leaf_index >= size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "leaf_index: ", leaf_index, " is beyond the log's size ", size()));
  }
  return data;
}

}  // namespace certreg
