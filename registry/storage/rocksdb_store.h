#ifndef CERTREG_REGISTRY_STORAGE_ROCKSDB_STORE_H_
#define CERTREG_REGISTRY_STORAGE_ROCKSDB_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "registry/storage/files_at_open.h"
#include "registry/storage/rocksdb_options.h"
#include "registry/storage/store.h"
#include "rocksdb/db.h"

namespace certreg {

// A Store over one RocksDB database with a column family per Column.
//
// Writes applied by WriteUnsynced wait in memory, where the store's own reads
// find them; Sync writes all of them to RocksDB as one batch with a synced
// WAL. So RocksDB itself holds only durable writes, and DurableView() reads
// it directly. Thread-safe.
//
// Example:
//   absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
//       RocksDbStore::Open("/var/lib/certreg");
// What RocksDB says about itself that an operator watches: write stalls,
// compaction debt, the block cache.
struct RocksDbStats {
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
  uint64_t block_cache_bytes = 0;
  uint64_t compactions_pending = 0;  // column families needing one
  uint64_t pending_compaction_bytes = 0;
  bool writes_stopped = false;
  uint64_t delayed_write_rate = 0;  // bytes/s while writes are slowed; 0
  uint64_t live_table_bytes = 0;
};

// Where RocksDbStore keeps the files found at open that RocksDB deletes.
inline constexpr char kKeptAtOpenDir[] = "kept-at-open";

class RocksDbStore : public Store {
 public:
  // Opens the database in `path`, creating the directory, the database and
  // any missing column family (unless options.read_only). Errors:
  // FAILED_PRECONDITION when another process holds the database's lock;
  // RESOURCE_EXHAUSTED when the disk is full; UNAVAILABLE on other I/O
  // errors.
  static absl::StatusOr<std::unique_ptr<RocksDbStore>> Open(
      const std::string& path, const RocksDbStoreOptions& options = {});

  ~RocksDbStore() override;

  absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const override;
  absl::StatusOr<std::vector<KeyValue>> Scan(Column column,
                                             absl::string_view start,
                                             absl::string_view end,
                                             size_t limit) const override;
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      Column column, const std::vector<std::string>& keys) const override;
  std::unique_ptr<Cursor> NewCursor(Column column,
                                    absl::string_view end) const override;
  absl::Status Write(const WriteBatch& batch) override;
  absl::Status WriteUnsynced(const WriteBatch& batch) override;
  // A failed sync is final: every later Sync and Write fails with its error
  // (what it held may or may not be on disk).
  absl::Status Sync() override;
  // RocksDB itself.
  std::shared_ptr<const ReadableStore> DurableView() const override;

  // Writes a consistent copy of the database to `dir`, which must not exist
  // (its parent is created). Files are hard-linked where possible, so it is
  // fast and small on the same filesystem. ALREADY_EXISTS when `dir` exists,
  // UNAVAILABLE on I/O errors.
  absl::Status CreateCheckpoint(const std::string& dir) const;

  // Files this open found and RocksDB deleted or would delete: table files
  // the MANIFEST does not list (left by a crash during a flush or compaction,
  // or the data of a damaged MANIFEST), hard-linked into kept_files_dir()
  // with the MANIFEST, CURRENT and WAL files before RocksDB opened them.
  // kept_files_dir() is empty when nothing is kept; it names a directory a
  // refused earlier start left even when this open kept nothing.
  size_t kept_at_open() const { return kept_.count; }
  const std::string& kept_files_dir() const { return kept_.dir; }
  // Deletes what this open kept, once its user has checked the database.
  // A directory left by an earlier start stays for its operator.
  void ReleaseFilesKeptAtOpen();

  // RocksDB's own figures, summed over the column families.
  RocksDbStats stats() const;

  // Whether it was opened read-only (RocksDbStoreOptions::read_only).
  bool read_only() const { return read_only_; }

  // The underlying database, for tests that need raw access.
  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* handle(Column column) const;

 private:
  RocksDbStore() = default;

  // The settling thread: waits for `settle_after` without writes, then
  // compacts level 0 into level 1 (Settle), until the store closes.
  void SettleWhenQuiet();
  SettleReport Settle();
  // Called after each write that reached RocksDB.
  void NoteWritten();

  // A write waiting for the next Sync: the key's newest value (nullopt:
  // deleted) and the WriteUnsynced call that set it.
  struct Pending {
    std::optional<std::string> value;
    uint64_t write = 0;
  };
  // Orders (column, key) pairs, and finds them by string_view too.
  struct PendingLess {
    using is_transparent = void;
    bool operator()(const std::pair<Column, absl::string_view>& a,
                    const std::pair<Column, absl::string_view>& b) const {
      return a.first != b.first ? a.first < b.first : a.second < b.second;
    }
  };

  bool read_only_ = false;
  FilesKeptAtOpen kept_;

  std::shared_ptr<rocksdb::Statistics> statistics_;
  std::unique_ptr<rocksdb::DB> db_;
  std::map<Column, rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> all_handles_;
  std::shared_ptr<const ReadableStore> durable_;

  // Whether any write is pending, without the lock. A reader ordered after
  // a WriteUnsynced (as the registry's writers are, by their own lock) sees
  // its count; one that misses a write made since it started loses nothing.
  bool HasPending() const {
    return pending_count_.load(std::memory_order_acquire) != 0;
  }

  mutable absl::Mutex pending_mu_;
  std::map<std::pair<Column, std::string>, Pending, PendingLess> pending_
      ABSL_GUARDED_BY(pending_mu_);
  // pending_.size(), stored after every change under pending_mu_.
  std::atomic<size_t> pending_count_{0};
  uint64_t writes_ ABSL_GUARDED_BY(pending_mu_) = 0;
  // One Sync at a time.
  absl::Mutex sync_mu_ ABSL_ACQUIRED_BEFORE(pending_mu_);
  absl::Status sync_failure_ ABSL_GUARDED_BY(sync_mu_);

  absl::Duration settle_after_;
  std::function<void(const SettleReport&)> on_settled_;
  absl::Mutex settle_mu_;
  absl::CondVar settle_cv_;
  absl::Time last_written_ ABSL_GUARDED_BY(settle_mu_);
  // No write since the last settling (or since opening: not yet).
  bool settled_ ABSL_GUARDED_BY(settle_mu_) = false;
  bool closing_ ABSL_GUARDED_BY(settle_mu_) = false;
  std::thread settler_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_ROCKSDB_STORE_H_
