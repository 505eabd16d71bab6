#ifndef CERTREG_REGISTRY_STORAGE_ROCKSDB_OPTIONS_H_
#define CERTREG_REGISTRY_STORAGE_ROCKSDB_OPTIONS_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace certreg {

// How RocksDbStore tunes RocksDB: what its user chooses, and the database
// and column family options built from it.

// What one settling did.
struct SettleReport {
  int level0_files = 0;     // level-0 files compacted into level 1
  int column_families = 0;  // that had any
  absl::Duration took;
  // Not OK: the fold stopped at that column family (an automatic compaction
  // held its files, or the store is closing); the rest waits for the next
  // quiet spell.
  absl::Status status;
};

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
  // Once nothing has been written for this long, every column family's
  // level-0 files are compacted into level 1 ("settling"). Each level-0 file
  // is a sorted run of its own, which every seek visits and every read checks
  // the filter of; RocksDB itself folds them only once there are 4, so after
  // a burst of writes (and after every clean stop, which flushes the
  // memtables) up to 3 stay. Zero or less: never.
  absl::Duration settle_after = absl::Seconds(30);
  // Called on the settling thread after each fold that had files to fold or
  // failed.
  std::function<void(const SettleReport&)> on_settled;
  // Opens an existing database read-only (RocksDB's OpenForReadOnly): nothing
  // in the directory is written, so it starts on a full disk, where
  // recovering the write-ahead log into a table file would fail. Writes are
  // then RESOURCE_EXHAUSTED.
  bool read_only = false;
  // Recovers the write-ahead log up to its first damaged record and drops
  // the rest (RocksDB's point-in-time recovery), instead of refusing to
  // open: for a repair, whose user then checks what is left.
  bool drop_damaged_wal_tail = false;
  // The Env RocksDB reads and writes files through; nullptr: the machine's.
  // Tests inject faults (a disk that fills) with one. Must outlive the store.
  rocksdb::Env* env = nullptr;
};

// The database options for `options`: a new database unless `exists`, the
// memtables counted in `cache`, RocksDB's log to standard error, strict WAL
// recovery (unless options.drop_damaged_wal_tail), block cache tickers.
rocksdb::DBOptions DatabaseOptions(
    const RocksDbStoreOptions& options, bool exists,
    const std::shared_ptr<rocksdb::Cache>& cache);

// The column families to open, in this order: the default one, one per
// Column (kAllColumns' order), then any other of `existing` (a newer
// version may have added some). Their tables share `cache`.
std::vector<rocksdb::ColumnFamilyDescriptor> ColumnDescriptors(
    const std::vector<std::string>& existing,
    const std::shared_ptr<rocksdb::Cache>& cache, int bloom_bits_per_key);

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_ROCKSDB_OPTIONS_H_
