// The RocksDB store in one file, about 600 lines: opening (refusing damaged
// directories; the options are rocksdb_options.cc's, the files kept at open
// files_at_open.cc's), reads, the write queue and the settling compaction
// share the DB handle and its locks.
#include "registry/storage/rocksdb_store.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/memory/memory.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "registry/storage/files_at_open.h"
#include "rocksdb/env.h"
#include "rocksdb/metadata.h"
#include "rocksdb/statistics.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "verifier/base/status_macros.h"

namespace certreg {
namespace {

absl::Status FromRocksDb(const rocksdb::Status& status,
                         absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("storage error while ", what, ": ", status.ToString()));
}

// Where a new database may be created: a directory that does not exist yet
// or is empty. One that holds files but no CURRENT is an incomplete copy
// (SST files without their MANIFEST, say) that RocksDB would open as a new,
// empty database and whose files it would then delete.
absl::Status CheckCreatable(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return absl::OkStatus();
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data directory ", path, " holds files (",
        entry.path().filename().string(),
        ", ...) but no RocksDB CURRENT file: it is not a complete database "
        "(an interrupted copy or restore?). Refusing to create a new registry "
        "over it: restore the whole backup directory, or choose an empty "
        "--data_dir"));
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot read data directory ",
                                               path, ": ", error.message()));
  }
  return absl::OkStatus();
}

// RocksDB 7.8 moves the oldest WAL it keeps forward only when a memtable is
// flushed, and a WAL found empty at open flushes nothing, so every session
// leaves its last WAL behind as a 0-byte file (fixed upstream in 8.3,
// rocksdb#11409): a registry that restarts often gathers thousands of them,
// and each open reads every one. An empty WAL holds no record, so recovery
// loses nothing without it (this store does not track WALs in the MANIFEST,
// which would then miss them). They are removed only while this process
// holds the directory's LOCK, so no running session's new WAL is touched; if
// the lock is held, the open that follows reports it.
void RemoveEmptyWals(const std::string& path) {
  rocksdb::Env* env = rocksdb::Env::Default();
  rocksdb::FileLock* lock = nullptr;
  if (!env->LockFile(path + "/LOCK", &lock).ok()) return;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
    const std::string name = entry.path().filename().string();
    if (!absl::EndsWith(name, ".log") || name.size() == 4) continue;
    const absl::string_view stem(name.data(), name.size() - 4);
    if (!std::all_of(stem.begin(), stem.end(), absl::ascii_isdigit)) continue;
    std::error_code ignored;
    if (entry.file_size(ignored) == 0 && !ignored) {
      std::filesystem::remove(entry.path(), ignored);
    }
  }
  env->UnlockFile(lock).PermitUncheckedError();
}

absl::StatusOr<std::optional<std::string>> DbGet(const RocksDbStore& store,
                                                 Column column,
                                                 absl::string_view key) {
  std::string value;
  rocksdb::Status status =
      store.db()->Get(rocksdb::ReadOptions(), store.handle(column),
                      rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) return FromRocksDb(status, "reading");
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> DbMultiGet(
    const RocksDbStore& store, Column column,
    const std::vector<std::string>& keys) {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> found(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  store.db()->MultiGet(rocksdb::ReadOptions(), store.handle(column),
                       keys.size(), slices.data(), found.data(),
                       statuses.data());
  std::vector<std::optional<std::string>> values(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocksDb(statuses[i], "reading");
    values[i] = found[i].ToString();
  }
  return values;
}

absl::StatusOr<std::vector<KeyValue>> DbScan(const RocksDbStore& store,
                                             Column column,
                                             absl::string_view start,
                                             absl::string_view end,
                                             size_t limit) {
  std::vector<KeyValue> out;
  rocksdb::ReadOptions read_options;
  rocksdb::Slice upper(end.data(), end.size());
  if (!end.empty()) read_options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator(read_options, store.handle(column)));
  for (it->Seek(rocksdb::Slice(start.data(), start.size()));
       it->Valid() && out.size() < limit; it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "scanning");
  return out;
}

class DbCursor : public Cursor {
 public:
  DbCursor(const RocksDbStore& store, Column column, absl::string_view end)
      : end_(end), upper_(end_) {
    rocksdb::ReadOptions read_options;
    if (!end_.empty()) read_options.iterate_upper_bound = &upper_;
    it_.reset(store.db()->NewIterator(read_options, store.handle(column)));
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

// RocksDB as it is: what the syncs have written.
class DurableReads : public ReadableStore {
 public:
  explicit DurableReads(const RocksDbStore& store) : store_(store) {}

  absl::StatusOr<std::optional<std::string>> Get(
      Column column, absl::string_view key) const override {
    return DbGet(store_, column, key);
  }
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      Column column, const std::vector<std::string>& keys) const override {
    return DbMultiGet(store_, column, keys);
  }
  absl::StatusOr<std::vector<KeyValue>> Scan(Column column,
                                             absl::string_view start,
                                             absl::string_view end,
                                             size_t limit) const override {
    return DbScan(store_, column, start, end, limit);
  }
  std::unique_ptr<Cursor> NewCursor(Column column,
                                    absl::string_view end) const override {
    return std::make_unique<DbCursor>(store_, column, end);
  }

 private:
  const RocksDbStore& store_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& path, const RocksDbStoreOptions& store_options) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path + "/CURRENT", error);
  if (!exists && store_options.read_only) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "data directory ", path,
        " holds no database, and a read-only start (the disk is full) "
        "cannot create one: free some space"));
  }
  if (!exists) CERTREG_RETURN_IF_ERROR(CheckCreatable(path));
  std::filesystem::create_directories(path, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat("cannot create data directory ",
                                               path, ": ", error.message()));
  }

  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(store_options.block_cache_bytes);
  const rocksdb::DBOptions db_options =
      DatabaseOptions(store_options, exists, cache);
  std::vector<std::string> existing;
  rocksdb::DB::ListColumnFamilies(db_options, path, &existing);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors =
      ColumnDescriptors(existing, cache, store_options.bloom_bits_per_key);
  if (store_options.read_only && exists) {
    // Read-only cannot create the columns a newer registry added to an
    // older directory: those are read as the empty default column.
    std::vector<rocksdb::ColumnFamilyDescriptor> present;
    for (rocksdb::ColumnFamilyDescriptor& descriptor : descriptors) {
      if (std::find(existing.begin(), existing.end(), descriptor.name) !=
          existing.end()) {
        present.push_back(std::move(descriptor));
      }
    }
    descriptors = std::move(present);
  }

  auto store = absl::WrapUnique(new RocksDbStore());
  store->read_only_ = store_options.read_only;
  if (exists && !store->read_only_) {
    // What RocksDB would delete stays (hard-linked) until the registry has
    // checked what it opened: a truncated MANIFEST drops the data itself.
    CERTREG_ASSIGN_OR_RETURN(
        store->kept_,
        KeepWhatOpeningDeletes(path, existing, path + "/" + kKeptAtOpenDir));
  }
  if (!store->read_only_) RemoveEmptyWals(path);
  rocksdb::DB* db = nullptr;
  rocksdb::Status status =
      store->read_only_
          ? rocksdb::DB::OpenForReadOnly(db_options, path, descriptors,
                                         &store->all_handles_, &db)
          : rocksdb::DB::Open(db_options, path, descriptors,
                              &store->all_handles_, &db);
  if (!status.ok()) {
    if (status.IsNoSpace() ||
        absl::StrContains(status.ToString(), "No space left")) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the disk holding ", path,
          " is full; opening it needs space: ", status.ToString()));
    }
    if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "data directory ", path,
          " is in use by another process (its RocksDB LOCK file is held); "
          "stop that process or choose another --data_dir: ",
          status.ToString()));
    }
    if (status.IsCorruption()) {
      return absl::DataLossError(
          absl::StrCat("data directory ", path,
                       " is damaged and was not opened (", status.ToString(),
                       "). Nothing was changed; restore the data "
                       "directory from a backup"));
    }
    return FromRocksDb(status, absl::StrCat("opening ", path));
  }
  store->db_.reset(db);
  store->statistics_ = db_options.statistics;
  for (Column column : kAllColumns) {
    store->handles_[column] = store->all_handles_[0];  // default: empty
    for (rocksdb::ColumnFamilyHandle* handle : store->all_handles_) {
      if (handle->GetName() == ColumnName(column)) {
        store->handles_[column] = handle;
      }
    }
  }
  store->durable_ = std::make_shared<const DurableReads>(*store);
  store->settle_after_ =
      store->read_only_ ? absl::ZeroDuration() : store_options.settle_after;
  store->on_settled_ = store_options.on_settled;
  if (store->settle_after_ > absl::ZeroDuration()) {
    // Counted from opening: a clean stop has just flushed the memtables
    // into new level-0 files.
    {
      absl::MutexLock lock(&store->settle_mu_);
      store->last_written_ = absl::Now();
    }
    store->settler_ = std::thread([s = store.get()] { s->SettleWhenQuiet(); });
  }
  return store;
}

RocksDbStore::~RocksDbStore() {
  if (db_ == nullptr) return;
  if (settler_.joinable()) {
    {
      absl::MutexLock lock(&settle_mu_);
      closing_ = true;
      settle_cv_.Signal();
    }
    db_->DisableManualCompaction();  // stops a fold under way
    settler_.join();
  }
  // Flush the memtables so the next open need not replay the WAL.
  if (!read_only_) db_->Flush(rocksdb::FlushOptions(), all_handles_);
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
  if (HasPending()) {
    absl::ReaderMutexLock lock(&pending_mu_);
    auto it = pending_.find(std::make_pair(column, key));
    if (it != pending_.end()) return it->second.value;
  }
  // Not pending: RocksDB has its latest value (a sync removes a write from
  // pending_ only once RocksDB holds it).
  return DbGet(*this, column, key);
}

absl::StatusOr<std::vector<std::optional<std::string>>> RocksDbStore::MultiGet(
    Column column, const std::vector<std::string>& keys) const {
  if (!HasPending()) return DbMultiGet(*this, column, keys);
  std::vector<std::optional<std::string>> values(keys.size());
  std::vector<size_t> stored;  // indexes of the keys not pending
  {
    absl::ReaderMutexLock lock(&pending_mu_);
    for (size_t i = 0; i < keys.size(); ++i) {
      auto it =
          pending_.find(std::make_pair(column, absl::string_view(keys[i])));
      if (it != pending_.end()) {
        values[i] = it->second.value;
      } else {
        stored.push_back(i);
      }
    }
  }
  if (stored.size() == keys.size()) return DbMultiGet(*this, column, keys);
  std::vector<std::string> stored_keys;
  for (size_t i : stored) stored_keys.push_back(keys[i]);
  CERTREG_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> found,
                           DbMultiGet(*this, column, stored_keys));
  for (size_t k = 0; k < stored.size(); ++k) {
    values[stored[k]] = std::move(found[k]);
  }
  return values;
}

absl::StatusOr<std::vector<KeyValue>> RocksDbStore::Scan(
    Column column, absl::string_view start, absl::string_view end,
    size_t limit) const {
  std::vector<std::pair<std::string, std::optional<std::string>>> pending;
  absl::StatusOr<std::vector<KeyValue>> stored;
  {
    // Holding the lock keeps new writes out of pending_ until RocksDB has
    // been read, so no batch is seen in part.
    absl::ReaderMutexLock lock(&pending_mu_);
    for (auto it = pending_.lower_bound(std::make_pair(column, start));
         it != pending_.end() && it->first.first == column &&
         (end.empty() || it->first.second < end);
         ++it) {
      pending.emplace_back(it->first.second, it->second.value);
    }
    // Each pending deletion can hide one stored row.
    stored = DbScan(*this, column, start, end, limit + pending.size());
  }
  if (!stored.ok()) return stored.status();
  if (pending.empty()) return stored;
  // Merge, the pending value winning over the stored one.
  std::vector<KeyValue> out;
  auto row = stored->begin();
  auto next = pending.begin();
  while (out.size() < limit &&
         (row != stored->end() || next != pending.end())) {
    if (next == pending.end() ||
        (row != stored->end() && row->first < next->first)) {
      out.push_back(std::move(*row++));
      continue;
    }
    if (row != stored->end() && row->first == next->first) ++row;
    if (next->second.has_value()) {
      out.emplace_back(std::move(next->first), *std::move(next->second));
    }
    ++next;
  }
  return out;
}

std::unique_ptr<Cursor> RocksDbStore::NewCursor(Column column,
                                                absl::string_view end) const {
  // The store's own reads must see pending writes; scanning for each step
  // does (readers that walk far use DurableView()'s RocksDB iterator).
  return NewScanCursor(*this, column, end);
}

absl::Status RocksDbStore::Write(const WriteBatch& batch) {
  CERTREG_RETURN_IF_ERROR(WriteUnsynced(batch));
  return Sync();
}

absl::Status RocksDbStore::WriteUnsynced(const WriteBatch& batch) {
  if (read_only_) {
    return absl::ResourceExhaustedError(
        "writes are off: the registry opened its database read-only because "
        "the disk was full; it reopens it for writing once space returns");
  }
  absl::MutexLock lock(&pending_mu_);
  ++writes_;
  for (const WriteBatch::Op& op : batch.ops()) {
    Pending& pending = pending_[std::make_pair(op.column, op.key)];
    pending.value = op.value;
    pending.write = writes_;
  }
  pending_count_.store(pending_.size(), std::memory_order_release);
  return absl::OkStatus();
}

absl::Status RocksDbStore::Sync() {
  absl::MutexLock sync_lock(&sync_mu_);
  if (!sync_failure_.ok()) return sync_failure_;
  // Every pending write, as one batch: a batch applied by WriteUnsynced is
  // whole in it (WriteUnsynced holds the lock for the whole batch).
  rocksdb::WriteBatch batch;
  uint64_t last_write = 0;
  {
    absl::ReaderMutexLock lock(&pending_mu_);
    last_write = writes_;
    for (const auto& [key, pending] : pending_) {
      rocksdb::Status status =
          pending.value.has_value()
              ? batch.Put(handle(key.first), key.second, *pending.value)
              : batch.Delete(handle(key.first), key.second);
      if (!status.ok()) {
        sync_failure_ = FromRocksDb(status, "building a write batch");
        return sync_failure_;
      }
    }
  }
  if (batch.Count() == 0) return absl::OkStatus();
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  absl::Status written =
      FromRocksDb(db_->Write(write_options, &batch), "writing");
  if (!written.ok()) {
    sync_failure_ = written;
    return written;
  }
  NoteWritten();
  // Now in RocksDB; a key written again since stays pending (its newer
  // value goes with the next sync).
  absl::MutexLock lock(&pending_mu_);
  for (auto it = pending_.begin(); it != pending_.end();) {
    it = it->second.write <= last_write ? pending_.erase(it) : std::next(it);
  }
  pending_count_.store(pending_.size(), std::memory_order_release);
  return absl::OkStatus();
}

void RocksDbStore::NoteWritten() {
  if (settle_after_ <= absl::ZeroDuration()) return;
  absl::MutexLock lock(&settle_mu_);
  last_written_ = absl::Now();
  // A settled store waits for writes without a deadline: start its clock.
  if (settled_) {
    settled_ = false;
    settle_cv_.Signal();
  }
}

void RocksDbStore::SettleWhenQuiet() {
  absl::MutexLock lock(&settle_mu_);
  while (!closing_) {
    if (settled_) {
      settle_cv_.Wait(&settle_mu_);
      continue;
    }
    const absl::Time due = last_written_ + settle_after_;
    if (absl::Now() < due) {
      settle_cv_.WaitWithDeadline(&settle_mu_, due);
      continue;
    }
    const absl::Time written = last_written_;
    settle_mu_.Unlock();
    const SettleReport report = Settle();
    if ((report.level0_files > 0 || !report.status.ok()) && on_settled_) {
      on_settled_(report);
    }
    settle_mu_.Lock();
    if (!report.status.ok()) {
      last_written_ = absl::Now();  // try again after another quiet spell
    } else if (last_written_ == written) {  // nothing written meanwhile
      settled_ = true;
    }
  }
}

SettleReport RocksDbStore::Settle() {
  SettleReport report;
  const absl::Time start = absl::Now();
  for (rocksdb::ColumnFamilyHandle* handle : all_handles_) {
    rocksdb::ColumnFamilyMetaData column;
    db_->GetColumnFamilyMetaData(handle, &column);
    if (column.levels.size() < 2 || column.levels[0].files.empty()) continue;
    std::vector<std::string> files;
    for (const rocksdb::SstFileMetaData& file : column.levels[0].files) {
      files.push_back(file.name);
    }
    rocksdb::CompactionOptions options;
    options.compression = rocksdb::kDisableCompressionOption;  // the column's
    options.output_file_size_limit =
        db_->GetOptions(handle).target_file_size_base;
    rocksdb::Status folded = db_->CompactFiles(options, handle, files, 1);
    if (folded.IsManualCompactionPaused()) {
      report.status = absl::CancelledError(
          "the store is closing (what is left is folded after the next open)");
      break;
    }
    if (folded.IsAborted()) {  // an automatic compaction holds some of them
      report.status = absl::AbortedError(absl::StrCat(
          "RocksDB was compacting level 0 of ", handle->GetName(),
          " itself; the rest is folded after the next quiet spell"));
      break;
    }
    if (!folded.ok()) {
      report.status = FromRocksDb(
          folded, absl::StrCat("settling column family ", handle->GetName()));
      break;
    }
    report.level0_files += files.size();
    ++report.column_families;
  }
  report.took = absl::Now() - start;
  return report;
}

RocksDbStats RocksDbStore::stats() const {
  RocksDbStats stats;
  stats.block_cache_hits =
      statistics_->getTickerCount(rocksdb::BLOCK_CACHE_HIT);
  stats.block_cache_misses =
      statistics_->getTickerCount(rocksdb::BLOCK_CACHE_MISS);
  uint64_t value = 0;
  if (db_->GetIntProperty("rocksdb.block-cache-usage", &value)) {
    stats.block_cache_bytes = value;  // one cache, shared
  }
  if (db_->GetIntProperty("rocksdb.actual-delayed-write-rate", &value)) {
    stats.delayed_write_rate = value;
  }
  if (db_->GetIntProperty("rocksdb.is-write-stopped", &value)) {
    stats.writes_stopped = value != 0;
  }
  for (rocksdb::ColumnFamilyHandle* handle : all_handles_) {
    if (db_->GetIntProperty(handle, "rocksdb.compaction-pending", &value)) {
      stats.compactions_pending += value;
    }
    if (db_->GetIntProperty(handle, "rocksdb.estimate-pending-compaction-bytes",
                            &value)) {
      stats.pending_compaction_bytes += value;
    }
    if (db_->GetIntProperty(handle, "rocksdb.live-sst-files-size", &value)) {
      stats.live_table_bytes += value;
    }
  }
  return stats;
}

void RocksDbStore::ReleaseFilesKeptAtOpen() {
  if (kept_.count == 0 || kept_.dir_existed) return;
  std::error_code error;
  std::filesystem::remove_all(kept_.dir, error);
  kept_.dir.clear();
}

std::shared_ptr<const ReadableStore> RocksDbStore::DurableView() const {
  return durable_;
}

absl::Status RocksDbStore::CreateCheckpoint(const std::string& dir) const {
  if (read_only_) {
    return absl::FailedPreconditionError(
        "the database is open read-only (the disk was full): a backup can be "
        "copied from the data directory with the registry stopped");
  }
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
