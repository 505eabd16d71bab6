#include "registry/rocksdb_store.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/memory/memory.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/write_buffer_manager.h"

namespace certreg {
namespace {

absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("storage error while ", what, ": ", status.ToString()));
}

rocksdb::ColumnFamilyOptions ColumnOptions(
    const std::shared_ptr<rocksdb::Cache>& cache, int bloom_bits) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(bloom_bits));
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
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
  options.memtable_prefix_bloom_size_ratio = 0.05;
  options.memtable_whole_key_filtering = true;
  // Memtables grow in 1 MiB blocks (not an eighth of their size), so a
  // quiet column's memtable stays small under the shared memtable budget.
  options.arena_block_size = 1 << 20;
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& path, const RocksDbStoreOptions& store_options) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot create data directory ",
                                               path, ": ", error.message()));
  }

  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(store_options.block_cache_bytes);
  rocksdb::ColumnFamilyOptions column_options =
      ColumnOptions(cache, store_options.bloom_bits_per_key);

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
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
  size_t memtable_bytes = store_options.memtable_bytes;
  if (memtable_bytes == 0) {
    memtable_bytes =
        std::max<size_t>(store_options.block_cache_bytes / 4, 64 << 20);
  }
  db_options.write_buffer_manager =
      std::make_shared<rocksdb::WriteBufferManager>(memtable_bytes, cache);

  // Open every column family the database has (a newer version may have
  // added some) plus every one this version needs.
  std::vector<std::string> existing;
  rocksdb::DB::ListColumnFamilies(db_options, path, &existing);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, column_options);
  for (Column column : kAllColumns) {
    descriptors.emplace_back(std::string(ColumnName(column)), column_options);
  }
  for (const std::string& name : existing) {
    bool known = false;
    for (const auto& d : descriptors) known = known || d.name == name;
    if (!known) descriptors.emplace_back(name, column_options);
  }

  auto store = absl::WrapUnique(new RocksDbStore());
  rocksdb::DB* db = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(db_options, path, descriptors,
                                             &store->all_handles_, &db);
  if (!status.ok()) {
    if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory ", path,
          " is in use by another process (its RocksDB LOCK file is held); "
          "stop that process or choose another --data_dir: ",
          status.ToString()));
    }
    return FromRocksDb(status, absl::StrCat("opening ", path));
  }
  store->db_.reset(db);
  for (size_t i = 0; i < std::size(kAllColumns); ++i) {
    store->handles_[kAllColumns[i]] = store->all_handles_[i + 1];
  }
  return store;
}

RocksDbStore::~RocksDbStore() {
  if (db_ == nullptr) return;
  // Flush the memtables so the next open need not replay the WAL.
  rocksdb::FlushOptions flush;
  db_->Flush(flush, all_handles_);
  for (rocksdb::ColumnFamilyHandle* handle : all_handles_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close();
}

rocksdb::ColumnFamilyHandle* RocksDbStore::handle(Column column) const {
  return handles_.at(column);
}

absl::StatusOr<std::optional<std::string>> RocksDbStore::Get(
    Column column, absl::string_view key) const {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), handle(column),
               rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocksDb(status, "reading");
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> RocksDbStore::MultiGet(
    Column column, const std::vector<std::string>& keys) const {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> found(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), handle(column), keys.size(),
                slices.data(), found.data(), statuses.data());
  std::vector<std::optional<std::string>> values(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocksDb(statuses[i], "reading");
    values[i] = found[i].ToString();
  }
  return values;
}

absl::StatusOr<std::vector<KeyValue>> RocksDbStore::Scan(
    Column column, absl::string_view start, absl::string_view end,
    size_t limit) const {
  std::vector<KeyValue> out;
  rocksdb::ReadOptions read_options;
  rocksdb::Slice upper(end.data(), end.size());
  if (!end.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, handle(column)));
  for (it->Seek(rocksdb::Slice(start.data(), start.size()));
       it->Valid() && out.size() < limit; it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "scanning");
  return out;
}

namespace {

class RocksDbCursor : public Cursor {
 public:
  RocksDbCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* handle,
                absl::string_view end)
      : end_(end), upper_(end_) {
    rocksdb::ReadOptions read_options;
    if (!end_.empty()) read_options.iterate_upper_bound = &upper_;
    it_.reset(db->NewIterator(read_options, handle));
  }

  absl::StatusOr<bool> Seek(absl::string_view target) override {
    it_->Seek(rocksdb::Slice(target.data(), target.size()));
    return Positioned();
  }
  absl::StatusOr<bool> Next() override {
    it_->Next();
    return Positioned();
  }
  absl::string_view key() const override {
    return absl::string_view(it_->key().data(), it_->key().size());
  }
  absl::string_view value() const override {
    return absl::string_view(it_->value().data(), it_->value().size());
  }

 private:
  absl::StatusOr<bool> Positioned() const {
    if (it_->Valid()) return true;
    if (!it_->status().ok()) return FromRocksDb(it_->status(), "scanning");
    return false;
  }

  // The iterator keeps a pointer to upper_, which points into end_.
  const std::string end_;
  const rocksdb::Slice upper_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

std::unique_ptr<Cursor> RocksDbStore::NewCursor(Column column,
                                                absl::string_view end) const {
  return std::make_unique<RocksDbCursor>(db_.get(), handle(column), end);
}

namespace {

absl::Status WriteBatchTo(rocksdb::DB* db, const RocksDbStore& store,
                          const WriteBatch& batch, bool sync) {
  rocksdb::WriteBatch rocks_batch;
  for (const WriteBatch::Op& op : batch.ops()) {
    rocksdb::Status status =
        op.value.has_value()
            ? rocks_batch.Put(store.handle(op.column), op.key, *op.value)
            : rocks_batch.Delete(store.handle(op.column), op.key);
    if (!status.ok()) return FromRocksDb(status, "building a write batch");
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  return FromRocksDb(db->Write(write_options, &rocks_batch), "writing");
}

}  // namespace

absl::Status RocksDbStore::Write(const WriteBatch& batch) {
  return WriteBatchTo(db_.get(), *this, batch, /*sync=*/true);
}

absl::Status RocksDbStore::WriteUnsynced(const WriteBatch& batch) {
  return WriteBatchTo(db_.get(), *this, batch, /*sync=*/false);
}

absl::Status RocksDbStore::Sync() {
  return FromRocksDb(db_->SyncWAL(), "syncing the write-ahead log");
}

absl::Status RocksDbStore::CreateCheckpoint(const std::string& dir) const {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    return absl::AlreadyExistsError(absl::StrCat(dir, " already exists"));
  }
  std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", parent.string(), ": ", error.message()));
  }
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(db_.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (status.ok()) status = checkpoint->CreateCheckpoint(dir);
  return FromRocksDb(status, absl::StrCat("writing a checkpoint to ", dir));
}

}  // namespace certreg
