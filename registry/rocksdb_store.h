#ifndef CERTREG_REGISTRY_ROCKSDB_STORE_H_
#define CERTREG_REGISTRY_ROCKSDB_STORE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "registry/store.h"
#include "rocksdb/db.h"

namespace certreg {

struct RocksDbStoreOptions {
  // Block cache shared by every column family, in bytes. The memtables are
  // counted in it too.
  size_t block_cache_bytes = 512 << 20;
  // What the memtables of every column family may hold together before the
  // oldest is flushed; 0 means a quarter of the cache, but at least 64 MiB
  // (every column written to holds a 1 MiB block or more).
  size_t memtable_bytes = 0;
  // Bloom filter bits per key for point lookups.
  int bloom_bits_per_key = 10;
};

// A Store over one RocksDB database with a column family per Column.
//
// Every Write is one rocksdb::WriteBatch with WriteOptions::sync, so an
// acknowledged write is on stable storage; concurrent writers share fsyncs
// through RocksDB's write groups. Thread-safe.
//
// Example:
//   absl::StatusOr<std::unique_ptr<RocksDbStore>> store =
//       RocksDbStore::Open("/var/lib/certreg");
class RocksDbStore : public Store {
 public:
  // Opens the database in `path`, creating the directory, the database and
  // any missing column family. Errors: FAILED_PRECONDITION when another
  // process holds the database's lock; UNAVAILABLE on other I/O errors.
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
  absl::Status Sync() override;

  // Writes a consistent copy of the database to `dir`, which must not exist
  // (its parent is created). Files are hard-linked where possible, so it is
  // fast and small on the same filesystem. ALREADY_EXISTS when `dir` exists,
  // UNAVAILABLE on I/O errors.
  absl::Status CreateCheckpoint(const std::string& dir) const;

  // The underlying database, for tests that need raw access.
  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* handle(Column column) const;

 private:
  RocksDbStore() = default;

  std::unique_ptr<rocksdb::DB> db_;
  std::map<Column, rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> all_handles_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_ROCKSDB_STORE_H_
