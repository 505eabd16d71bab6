#include "registry/storage/rocksdb_options.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

#include "registry/storage/store.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/write_buffer_manager.h"

namespace certreg {
namespace {

// RocksDB's own log goes to the server's standard error, warnings and worse
// only: a file of its own in the data directory is one more write that a
// full disk makes fail, and RocksDB aborts the process when it cannot write
// its info log.
class StderrLogger : public rocksdb::Logger {
 public:
  StderrLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list args) override {
    char line[1024];
    std::vsnprintf(line, sizeof(line), format, args);
    std::fprintf(stderr, "certreg-registry: rocksdb: %s\n", line);
  }
};

// The posting lists are only ever walked with cursors (Seek and Next), never
// read by whole key, so whole-key bloom filters over them would be built on
// every flush and memtable insert and never consulted.
bool PointRead(Column column) {
  return column != Column::kNameIndex && column != Column::kCreditCodeIndex;
}

rocksdb::ColumnFamilyOptions ColumnOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, int bloom_bits,
    bool point_read) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  if (point_read) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(bloom_bits));
  }
  // Index and filter blocks live in the cache (counted in its size) and
  // stay there for as long as their file does, at every level, so a point
  // lookup makes one cache lookup (its data block) instead of three. They
  // are small next to the cache (about 27 MB at 1,000,000 certificates);
  // random reads of 1,000,000 records, in one process side by side, took
  // 4.59 us each against 4.95 with only level 0 pinned.
  table.cache_index_and_filter_blocks = true;
  table.metadata_cache_options.unpartitioned_pinning =
      rocksdb::PinningTier::kAll;
  table.format_version = 5;
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // LZ4 at every level: a lookup that misses the block cache decompresses a
  // block, and ZSTD's decompression cost several times LZ4's on the bottom
  // level, where most blocks live (disk stays near 1 KiB per certificate).
  options.compression = rocksdb::kLZ4Compression;
  options.bottommost_compression = rocksdb::kLZ4Compression;
  // A bloom filter over each memtable's keys: a point lookup of a key that
  // was flushed long ago skips the skiplist search (which was an eighth of
  // a lookup's CPU right after a bulk import).
  if (point_read) {
    options.memtable_prefix_bloom_size_ratio = 0.05;
    options.memtable_whole_key_filtering = true;
  }
  // Memtables grow in 1 MiB blocks (not an eighth of their size), so a
  // quiet column's memtable stays small under the shared memtable budget.
  options.arena_block_size = 1 << 20;
  return options;
}

}  // namespace

rocksdb::DBOptions DatabaseOptions(
    const RocksDbStoreOptions& options, bool exists,
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !exists;
  db_options.error_if_exists = false;
  // A write-ahead log damaged anywhere but in its last, torn record stops
  // the open instead of dropping every record after the damage (RocksDB's
  // default, point-in-time recovery, drops them and says so only in its
  // own log).
  db_options.wal_recovery_mode =
      options.drop_damaged_wal_tail
          ? rocksdb::WALRecoveryMode::kPointInTimeRecovery
          : rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  db_options.paranoid_checks = true;
  if (options.env != nullptr) db_options.env = options.env;
  // Tickers only (block cache hits and misses): the cheapest level.
  db_options.statistics = rocksdb::CreateDBStatistics();
  db_options.statistics->set_stats_level(
      rocksdb::StatsLevel::kExceptHistogramOrTimers);
  db_options.info_log = std::make_shared<StderrLogger>();
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  // Writes come one at a time (the registry serialises its own; the
  // checkpoint publisher adds one a second), so pipelining the WAL and
  // memtable stages only adds hand-offs: about 5% less CPU per write
  // without it.
  db_options.enable_pipelined_write = false;
  // A WAL file is deleted only once every column family has flushed what it
  // holds; the quiet families (meta, bodies) would keep gigabytes of WAL
  // alive. Past this size the oldest are flushed so their WAL can go.
  db_options.max_total_wal_size = 128 << 20;
  // The memtables of every column family share one budget and are counted
  // in the cache, so the cache's size bounds both (the oldest memtable is
  // flushed when they reach the budget).
  size_t memtable_bytes = options.memtable_bytes;
  if (memtable_bytes == 0) {
    memtable_bytes = std::max<size_t>(options.block_cache_bytes / 4, 64 << 20);
  }
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(memtable_bytes, cache);
  return db_options;
}

std::vector<rocksdb::ColumnFamilyDescriptor> ColumnDescriptors(
    const std::vector<std::string>& existing,
    const std::shared_ptr<rocksdb::Cache>& cache, int bloom_bits_per_key) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName,
                           ColumnOptions(cache, bloom_bits_per_key, true));
  for (Column column : kAllColumns) {
    descriptors.emplace_back(
        std::string(ColumnName(column)),
        ColumnOptions(cache, bloom_bits_per_key, PointRead(column)));
  }
  for (const std::string& name : existing) {
    bool known = false;
    for (const auto& d : descriptors) known = known || d.name == name;
    if (!known) {
      descriptors.emplace_back(name,
                               ColumnOptions(cache, bloom_bits_per_key, true));
    }
  }
  return descriptors;
}

}  // namespace certreg
