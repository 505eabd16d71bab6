#ifndef CERTREG_REGISTRY_STORAGE_STORE_H_
#define CERTREG_REGISTRY_STORAGE_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace certreg {

// The registry's storage: an ordered key-value store split into columns (one
// RocksDB column family each). The registry encodes its records and indexes on
// top; see store_keys.h for the key layouts.
enum class Column {
  kStatements,        // leaf index (8 bytes, big-endian) -> leaf data
  kLeafByHash,        // leaf hash -> leaf index
  kCertificates,      // certificate number -> CertificateRecord proto
  kCreditCodeIndex,   // credit code \0 number -> ""
  kNameIndex,         // name n-gram \0 number -> ""
  kBodies,            // approval number -> BodyRecord
  kKeys,              // key id -> KeyRecord
  kMerkleNodes,       // level (1 byte) + index (8 bytes BE) -> hash
  kCheckpoints,       // tree size (8 bytes BE) -> SignedCheckpoint
  kMeta,              // name -> value
  kBodyStatements,    // approval number -> leaf indexes of its authority
                      // statements (8 bytes each, log order)
  kStatusChanges,     // day (8 bytes BE, days since 1970-01-01) \0 number
                      // -> "": the calendar of date-driven status changes
  kNextStatusChange,  // number -> day (8 bytes BE): its next entry above
  kWatchlists,        // watchlist id -> WatchlistRecord
  kDeliveries,        // watchlist id \0 sequence (8 bytes BE) ->
                      // WebhookDelivery
};

inline constexpr Column kAllColumns[] = {
    Column::kStatements,
    Column::kLeafByHash,
    Column::kCertificates,
    Column::kCreditCodeIndex,
    Column::kNameIndex,
    Column::kBodies,
    Column::kKeys,
    Column::kMerkleNodes,
    Column::kCheckpoints,
    Column::kMeta,
    Column::kBodyStatements,
    Column::kStatusChanges,
    Column::kNextStatusChange,
    Column::kWatchlists,
    Column::kDeliveries,
};

// The column's stable on-disk name (the RocksDB column family name).
absl::string_view ColumnName(Column column);

// A set of writes applied atomically by Store::Write.
class WriteBatch {
 public:
  struct Op {
    Column column;
    std::string key;
    std::optional<std::string> value;  // nullopt = delete
  };

  void Put(Column column, absl::string_view key, absl::string_view value) {
    ops_.push_back({column, std::string(key), std::string(value)});
  }
  void Delete(Column column, absl::string_view key) {
    ops_.push_back({column, std::string(key), std::nullopt});
  }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
};

using KeyValue = std::pair<std::string, std::string>;

// A forward cursor over one column's keys below an upper bound, for walking
// or leapfrogging through ordered keys without a new scan per step. Not
// thread-safe; the store must outlive it.
class Cursor {
 public:
  virtual ~Cursor() = default;
  // Moves to the first key >= `target`. False when there is none below the
  // bound. UNAVAILABLE on I/O error.
  virtual absl::StatusOr<bool> Seek(absl::string_view target) = 0;
  // Moves to the next key; false past the last. Only after Seek or Next
  // returned true.
  virtual absl::StatusOr<bool> Next() = 0;
  // The current key and value; valid until the next Seek or Next, and only
  // after one returned true.
  virtual absl::string_view key() const = 0;
  virtual absl::string_view value() const = 0;
};

// Read-only half of the store. Implementations MUST be safe to call from many
// threads at once, and concurrently with Store::Write; a reader sees each
// batch either wholly or not at all.
class ReadableStore {
 public:
  virtual ~ReadableStore() = default;

  // The value under `key`, or nullopt when absent. UNAVAILABLE on I/O error.
  virtual absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const = 0;

  // Up to `limit` entries with start <= key < end, in key order. An empty
  // `end` means no upper bound. UNAVAILABLE on I/O error.
  virtual absl::StatusOr<std::vector<KeyValue>> Scan(Column column,
                                                     absl::string_view start,
                                                     absl::string_view end,
                                                     size_t limit) const = 0;

  // The values under `keys`, in order (nullopt where absent): one batched
  // lookup where the store has one (RocksDB's MultiGet), else one Get each.
  // UNAVAILABLE on I/O error.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      Column column, const std::vector<std::string>& keys) const;

  // A cursor over `column`'s keys < `end` (empty: no bound), not yet
  // positioned. It may or may not see writes made after it was created.
  virtual std::unique_ptr<Cursor> NewCursor(Column column,
                                            absl::string_view end) const = 0;
};

// The writable store. Implementations MUST apply a batch atomically and MUST
// make it durable (synced to stable storage) before Write returns OK: an
// acknowledged write survives kill -9 and power loss.
//
// The store itself reads the latest state, durable or not: what a writer
// that checks its next write against its last one needs. DurableView()
// reads only what has been made durable: what a reader should be shown.
class Store : public ReadableStore {
 public:
  // Applies every op of `batch` or none, durably, and makes it part of
  // DurableView(). UNAVAILABLE on I/O error.
  virtual absl::Status Write(const WriteBatch& batch) = 0;

  // Applies every op of `batch` or none, visible at once to the store's own
  // reads but durable (and in DurableView()) only after the next successful
  // Sync(). Lets a writer that serialises its writes release its lock before
  // waiting for the disk, so concurrent writers share one fsync.
  virtual absl::Status WriteUnsynced(const WriteBatch& batch) = 0;
  // Makes every write applied so far durable, then part of DurableView().
  // UNAVAILABLE on I/O error (and DurableView() stays as it was).
  virtual absl::Status Sync() = 0;

  // Reads of durable writes only: a write is seen through it once the
  // Sync() or Write() that made it durable has returned OK (each batch
  // wholly or not at all), so it never shows what a crash could still take
  // away. It may go on to show writes made durable after it was taken.
  // Cheap; the store must outlive it.
  virtual std::shared_ptr<const ReadableStore> DurableView() const = 0;
};

// A Cursor over `store`'s Scan that looks each next key up afresh (one short
// Scan per step), so it never holds an iterator across a write: for a store
// without a cursor of its own. `store` must outlive it.
std::unique_ptr<Cursor> NewScanCursor(const ReadableStore& store, Column column,
                                      absl::string_view end);

// The smallest key greater than every key starting with `prefix` (for Scan's
// `end`); empty when there is none (prefix all 0xff).
std::string PrefixEnd(absl::string_view prefix);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_STORE_H_
