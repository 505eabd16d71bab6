// One contract, run against every Store implementation.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "registry/storage/memory_store.h"
#include "registry/storage/rocksdb_store.h"
#include "registry/storage/store.h"
#include "rocksdb/metadata.h"
#include "rocksdb/perf_context.h"
#include "rocksdb/perf_level.h"

namespace certreg {
namespace {

class StoreFactory {
 public:
  virtual ~StoreFactory() = default;
  virtual std::unique_ptr<Store> Make() = 0;
  // Reopens the last store made (drops it first); nullptr if not durable.
  virtual std::unique_ptr<Store> Reopen(std::unique_ptr<Store> store) = 0;
};

class MemoryFactory : public StoreFactory {
 public:
  std::unique_ptr<Store> Make() override {
    return std::make_unique<MemoryStore>();
  }
  std::unique_ptr<Store> Reopen(std::unique_ptr<Store>) override {
    return nullptr;
  }
};

class RocksDbFactory : public StoreFactory {
 public:
  RocksDbFactory() {
    dir_ = std::filesystem::path(testing::TempDir()) /
           ("store_contract_" + std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
  }
  ~RocksDbFactory() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<Store> Make() override {
    auto store = RocksDbStore::Open(dir_.string());
    EXPECT_TRUE(store.ok()) << store.status();
    return std::move(store).value();
  }
  std::unique_ptr<Store> Reopen(std::unique_ptr<Store> store) override {
    store.reset();
    return Make();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
};

template <typename Factory>
class StoreContractTest : public testing::Test {
 protected:
  void SetUp() override { store_ = factory_.Make(); }
  Factory factory_;
  std::unique_ptr<Store> store_;
};

using Factories = testing::Types<MemoryFactory, RocksDbFactory>;
TYPED_TEST_SUITE(StoreContractTest, Factories);

TYPED_TEST(StoreContractTest, GetMissingIsNullopt) {
  auto value = this->store_->Get(Column::kCertificates, "nope");
  ASSERT_TRUE(value.ok());
  EXPECT_FALSE(value->has_value());
}

TYPED_TEST(StoreContractTest, PutGetDeleteAcrossColumns) {
  WriteBatch batch;
  batch.Put(Column::kCertificates, "00216Q10097R1S", "record");
  batch.Put(Column::kBodies, "00216Q10097R1S", "other column");
  ASSERT_TRUE(this->store_->Write(batch).ok());
  EXPECT_EQ(**this->store_->Get(Column::kCertificates, "00216Q10097R1S"),
            "record");
  EXPECT_EQ(**this->store_->Get(Column::kBodies, "00216Q10097R1S"),
            "other column");
  EXPECT_FALSE(this->store_->Get(Column::kKeys, "00216Q10097R1S")->has_value());

  WriteBatch del;
  del.Delete(Column::kCertificates, "00216Q10097R1S");
  ASSERT_TRUE(this->store_->Write(del).ok());
  EXPECT_FALSE(
      this->store_->Get(Column::kCertificates, "00216Q10097R1S")->has_value());
  EXPECT_TRUE(
      this->store_->Get(Column::kBodies, "00216Q10097R1S")->has_value());
}

TYPED_TEST(StoreContractTest, MultiGetAnswersEachKeyInOrder) {
  WriteBatch batch;
  batch.Put(Column::kCertificates, "b", "second");
  batch.Put(Column::kCertificates, "a", "first");
  batch.Put(Column::kBodies, "c", "other column");
  ASSERT_TRUE(this->store_->Write(batch).ok());
  // Unsorted, repeated, missing, and present only in another column.
  auto values = this->store_->MultiGet(Column::kCertificates,
                                       {"b", "missing", "a", "c", "b"});
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), 5u);
  EXPECT_EQ((*values)[0], std::optional<std::string>("second"));
  EXPECT_FALSE((*values)[1].has_value());
  EXPECT_EQ((*values)[2], std::optional<std::string>("first"));
  EXPECT_FALSE((*values)[3].has_value());
  EXPECT_EQ((*values)[4], std::optional<std::string>("second"));
  auto none = this->store_->MultiGet(Column::kCertificates, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TYPED_TEST(StoreContractTest, BinaryKeysAndValues) {
  std::string key("\x00\x01\xff", 3);
  std::string value("\x00\x00\x7f\x80", 4);
  WriteBatch batch;
  batch.Put(Column::kMerkleNodes, key, value);
  ASSERT_TRUE(this->store_->Write(batch).ok());
  EXPECT_EQ(**this->store_->Get(Column::kMerkleNodes, key), value);
}

TYPED_TEST(StoreContractTest, ScanIsOrderedBoundedAndLimited) {
  WriteBatch batch;
  for (const char* key : {"海尔\0a", "海尔\0b", "海信\0c", "b", "a"}) {
    batch.Put(Column::kNameIndex, key, "");
  }
  batch.Put(Column::kNameIndex, std::string("ab\0x", 4), "1");
  batch.Put(Column::kNameIndex, std::string("ab\0y", 4), "2");
  batch.Put(Column::kNameIndex, std::string("abc", 3), "3");
  ASSERT_TRUE(this->store_->Write(batch).ok());

  std::string prefix("ab\0", 3);
  auto hits =
      this->store_->Scan(Column::kNameIndex, prefix, PrefixEnd(prefix), 100);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].second, "1");
  EXPECT_EQ((*hits)[1].second, "2");

  auto limited = this->store_->Scan(Column::kNameIndex, "", "", 3);
  ASSERT_TRUE(limited.ok());
  ASSERT_EQ(limited->size(), 3u);
  EXPECT_EQ((*limited)[0].first, "a");
  EXPECT_LT((*limited)[0].first, (*limited)[1].first);
  EXPECT_LT((*limited)[1].first, (*limited)[2].first);

  auto from = this->store_->Scan(Column::kNameIndex, "b", "", 100);
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->front().first, "b");
}

TYPED_TEST(StoreContractTest, CursorSeeksAndStepsBelowItsBound) {
  WriteBatch batch;
  for (const char* key : {"a", "b1", "b2", "b3", "c"}) {
    batch.Put(Column::kNameIndex, key, std::string("v") + key);
  }
  batch.Put(Column::kBodies, "b15", "another column");
  ASSERT_TRUE(this->store_->Write(batch).ok());

  std::unique_ptr<Cursor> cursor =
      this->store_->NewCursor(Column::kNameIndex, "c");
  ASSERT_TRUE(*cursor->Seek("b"));
  EXPECT_EQ(cursor->key(), "b1");
  EXPECT_EQ(cursor->value(), "vb1");
  ASSERT_TRUE(*cursor->Next());
  EXPECT_EQ(cursor->key(), "b2");
  // Seeking forward past keys, and back again.
  ASSERT_TRUE(*cursor->Seek("b25"));
  EXPECT_EQ(cursor->key(), "b3");
  ASSERT_TRUE(*cursor->Seek(""));
  EXPECT_EQ(cursor->key(), "a");
  ASSERT_TRUE(*cursor->Seek("b3"));
  EXPECT_EQ(cursor->value(), "vb3");
  // "c" is the bound: not seen.
  EXPECT_FALSE(*cursor->Next());
  EXPECT_FALSE(*cursor->Seek("b4"));

  std::unique_ptr<Cursor> unbounded =
      this->store_->NewCursor(Column::kNameIndex, "");
  ASSERT_TRUE(*unbounded->Seek("b4"));
  EXPECT_EQ(unbounded->key(), "c");
  EXPECT_FALSE(*unbounded->Next());
  EXPECT_FALSE(*this->store_->NewCursor(Column::kKeys, "")->Seek(""));
}

TYPED_TEST(StoreContractTest, LaterOpInABatchWins) {
  WriteBatch batch;
  batch.Put(Column::kMeta, "k", "1");
  batch.Put(Column::kMeta, "k", "2");
  batch.Delete(Column::kMeta, "gone");
  ASSERT_TRUE(this->store_->Write(batch).ok());
  EXPECT_EQ(**this->store_->Get(Column::kMeta, "k"), "2");
}

TYPED_TEST(StoreContractTest, ConcurrentReadersSeeWholeBatches) {
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::atomic<int> syncs{0};
  // Scans of both keys at one point in time, of the latest state and of the
  // durable one, while batches are written and synced.
  auto check = [&](const ReadableStore& store) {
    auto both = store.Scan(Column::kMeta, "a", "c", 10);
    if (both.ok() && both->size() == 2 &&
        (*both)[0].second != (*both)[1].second) {
      ++torn;
    }
  };
  std::atomic<int> checks{0};
  std::thread reader([&] {
    while (!stop) {
      check(*this->store_);
      check(*this->store_->DurableView());
      ++checks;
    }
  });
  std::thread syncer([&] {
    while (!stop) {
      EXPECT_TRUE(this->store_->Sync().ok());
      ++syncs;
    }
  });
  // At least 400 batches, and on until both threads have had their turn
  // (on a loaded machine they may not have started by the 400th).
  int i = 0;
  for (; i < 400 || syncs.load() == 0 || checks.load() == 0; ++i) {
    WriteBatch batch;
    batch.Put(Column::kMeta, "a", std::to_string(i));
    batch.Put(Column::kMeta, "b", std::to_string(i));
    // Half synced at once, half left to the syncer.
    ASSERT_TRUE(i % 2 == 0 ? this->store_->Write(batch).ok()
                           : this->store_->WriteUnsynced(batch).ok());
    if (i >= 400) std::this_thread::yield();
  }
  stop = true;
  reader.join();
  syncer.join();
  EXPECT_EQ(torn.load(), 0);
  ASSERT_TRUE(this->store_->Sync().ok());
  EXPECT_EQ(**this->store_->DurableView()->Get(Column::kMeta, "b"),
            std::to_string(i - 1));
}

TYPED_TEST(StoreContractTest, DurableStoresKeepWritesAcrossReopen) {
  WriteBatch batch;
  batch.Put(Column::kStatements, "leaf", "data");
  ASSERT_TRUE(this->store_->Write(batch).ok());
  std::unique_ptr<Store> reopened =
      this->factory_.Reopen(std::move(this->store_));
  if (reopened == nullptr) GTEST_SKIP() << "not a durable store";
  EXPECT_EQ(**reopened->Get(Column::kStatements, "leaf"), "data");
  EXPECT_EQ(**reopened->DurableView()->Get(Column::kStatements, "leaf"),
            "data");
}

TYPED_TEST(StoreContractTest, UnsyncedWritesAreVisibleAndDurableAfterSync) {
  WriteBatch batch;
  batch.Put(Column::kStatements, "a", "1");
  ASSERT_TRUE(this->store_->WriteUnsynced(batch).ok());
  EXPECT_EQ(**this->store_->Get(Column::kStatements, "a"), "1");
  ASSERT_TRUE(this->store_->Sync().ok());
  std::unique_ptr<Store> reopened =
      this->factory_.Reopen(std::move(this->store_));
  if (reopened == nullptr) GTEST_SKIP() << "not a durable store";
  EXPECT_EQ(**reopened->Get(Column::kStatements, "a"), "1");
}

// Every key of `column` that `view` shows, through a cursor.
std::vector<std::string> KeysThroughCursor(const ReadableStore& view,
                                           Column column) {
  std::vector<std::string> keys;
  std::unique_ptr<Cursor> cursor = view.NewCursor(column, "");
  for (auto more = cursor->Seek(""); more.ok() && *more;
       more = cursor->Next()) {
    keys.emplace_back(cursor->key());
  }
  return keys;
}

TYPED_TEST(StoreContractTest, TheDurableViewShowsOnlySyncedWrites) {
  WriteBatch first;
  first.Put(Column::kCertificates, "a", "1");
  first.Put(Column::kCertificates, "c", "3");
  ASSERT_TRUE(this->store_->Write(first).ok());
  // A write is in the view once Write has returned.
  std::shared_ptr<const ReadableStore> durable = this->store_->DurableView();
  EXPECT_EQ(**durable->Get(Column::kCertificates, "a"), "1");

  WriteBatch second;
  second.Put(Column::kCertificates, "b", "2");
  second.Put(Column::kCertificates, "a", "1'");
  second.Delete(Column::kCertificates, "c");
  ASSERT_TRUE(this->store_->WriteUnsynced(second).ok());
  // The store's own reads see the latest state, through every kind of
  // read...
  EXPECT_EQ(**this->store_->Get(Column::kCertificates, "b"), "2");
  EXPECT_EQ(*this->store_->Get(Column::kCertificates, "c"), std::nullopt);
  auto latest = this->store_->MultiGet(Column::kCertificates, {"a", "b", "c"});
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest,
            (std::vector<std::optional<std::string>>{"1'", "2", std::nullopt}));
  EXPECT_EQ(*this->store_->Scan(Column::kCertificates, "", "", 10),
            (std::vector<KeyValue>{{"a", "1'"}, {"b", "2"}}));
  EXPECT_EQ(*this->store_->Scan(Column::kCertificates, "", "", 1),
            (std::vector<KeyValue>{{"a", "1'"}}));
  EXPECT_EQ(KeysThroughCursor(*this->store_, Column::kCertificates),
            (std::vector<std::string>{"a", "b"}));
  // ...and the durable view only what has been synced.
  durable = this->store_->DurableView();
  EXPECT_EQ(*durable->Get(Column::kCertificates, "b"), std::nullopt);
  EXPECT_EQ(**durable->Get(Column::kCertificates, "a"), "1");
  auto synced = durable->MultiGet(Column::kCertificates, {"a", "b", "c"});
  ASSERT_TRUE(synced.ok());
  EXPECT_EQ(*synced,
            (std::vector<std::optional<std::string>>{"1", std::nullopt, "3"}));
  EXPECT_EQ(*durable->Scan(Column::kCertificates, "", "", 10),
            (std::vector<KeyValue>{{"a", "1"}, {"c", "3"}}));
  EXPECT_EQ(KeysThroughCursor(*durable, Column::kCertificates),
            (std::vector<std::string>{"a", "c"}));

  ASSERT_TRUE(this->store_->Sync().ok());
  durable = this->store_->DurableView();
  EXPECT_EQ(**durable->Get(Column::kCertificates, "a"), "1'");
  EXPECT_EQ(**durable->Get(Column::kCertificates, "b"), "2");
  EXPECT_EQ(KeysThroughCursor(*durable, Column::kCertificates),
            (std::vector<std::string>{"a", "b"}));
  // Nothing was lost from the store's own reads on the way.
  EXPECT_EQ(*this->store_->Scan(Column::kCertificates, "", "", 10),
            (std::vector<KeyValue>{{"a", "1'"}, {"b", "2"}}));
}

TYPED_TEST(StoreContractTest, AKeyWrittenAgainDuringASyncKeepsItsNewestValue) {
  WriteBatch first;
  first.Put(Column::kMeta, "k", "1");
  ASSERT_TRUE(this->store_->WriteUnsynced(first).ok());
  std::thread sync([&] { EXPECT_TRUE(this->store_->Sync().ok()); });
  WriteBatch second;
  second.Put(Column::kMeta, "k", "2");
  ASSERT_TRUE(this->store_->WriteUnsynced(second).ok());
  sync.join();
  EXPECT_EQ(**this->store_->Get(Column::kMeta, "k"), "2");
  ASSERT_TRUE(this->store_->Sync().ok());
  EXPECT_EQ(**this->store_->Get(Column::kMeta, "k"), "2");
  EXPECT_EQ(**this->store_->DurableView()->Get(Column::kMeta, "k"), "2");
}

TEST(RocksDbStoreTest, SecondOpenOfTheSameDirectoryFailsClearly) {
  std::string dir = testing::TempDir() + "/rocksdb_lock_test";
  std::filesystem::remove_all(dir);
  auto first = RocksDbStore::Open(dir);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = RocksDbStore::Open(dir);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use by another process"),
            std::string::npos)
      << second.status();
  first->reset();
  EXPECT_TRUE(RocksDbStore::Open(dir).ok());
  std::filesystem::remove_all(dir);
}

// The WAL files (NNNNNN.log) in a data directory.
std::vector<std::string> WalFiles(const std::string& dir) {
  std::vector<std::string> wals;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0) {
      wals.push_back(name);
    }
  }
  return wals;
}

// Writes one synced batch and ends the process as kill -9 would: no
// destructor runs, so the write lives only in the WAL.
void WriteAndDie(const std::string& dir) {
  auto store = RocksDbStore::Open(dir);
  if (!store.ok()) _exit(2);
  WriteBatch batch;
  batch.Put(Column::kCertificates, "acknowledged", "before the crash");
  if (!(*store)->Write(batch).ok()) _exit(3);
  _exit(0);
}

TEST(RocksDbStoreTest, RestartsLeaveNoEmptyWalsBehind) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::string dir = testing::TempDir() + "/rocksdb_empty_wals";
  std::filesystem::remove_all(dir);
  {
    auto store = RocksDbStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    WriteBatch batch;
    batch.Put(Column::kMeta, "k", "written before the restarts");
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  // A session that crashes after an acknowledged write leaves a WAL that
  // holds it; the empty ones of the sessions before must go, that one not.
  // (The death test's child runs this test from the top, so it writes the
  // same first session again before it crashes.)
  EXPECT_EXIT(WriteAndDie(dir), testing::ExitedWithCode(0), "");
  for (int restart = 0; restart < 6; ++restart) {
    auto store = RocksDbStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(**(*store)->Get(Column::kMeta, "k"),
              "written before the restarts");
    EXPECT_EQ(**(*store)->Get(Column::kCertificates, "acknowledged"),
              "before the crash")
        << "restart " << restart;
  }
  // Each session opens one WAL; what the last left behind is all there is.
  EXPECT_LE(WalFiles(dir).size(), 1u) << absl::StrJoin(WalFiles(dir), " ");
  std::filesystem::remove_all(dir);
}

TEST(RocksDbStoreTest, CreatesMissingDirectories) {
  std::string dir = testing::TempDir() + "/nested/a/b/data";
  std::filesystem::remove_all(testing::TempDir() + "/nested");
  auto store = RocksDbStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(std::filesystem::exists(dir + "/CURRENT"));
}

TEST(RocksDbStoreTest, MemtablesAreBoundedByTheCache) {
  std::string dir = testing::TempDir() + "/memtable_bound";
  std::filesystem::remove_all(dir);
  RocksDbStoreOptions options;
  options.block_cache_bytes = 16 << 20;
  options.memtable_bytes = 4 << 20;
  auto store = RocksDbStore::Open(dir, options);
  ASSERT_TRUE(store.ok()) << store.status();
  // 64 MiB into three columns. Unbounded, every byte would stay in the
  // memtables (each column's may grow to 64 MiB before it is flushed);
  // bounded, the oldest are flushed as the budget fills. Flushes run in
  // the background, so the memtables overshoot the budget while a fast
  // writer outpaces them, but stay far below the data written.
  const std::string value(4096, 'v');
  uint64_t peak = 0;
  for (int i = 0; i < 16384; ++i) {
    WriteBatch batch;
    const Column column = i % 3 == 0   ? Column::kStatements
                          : i % 3 == 1 ? Column::kNameIndex
                                       : Column::kCertificates;
    batch.Put(column, absl::StrCat("key", 1000000 + i), value);
    ASSERT_TRUE((*store)->WriteUnsynced(batch).ok());
    uint64_t active = 0;
    for (Column c : kAllColumns) {
      uint64_t bytes = 0;
      ASSERT_TRUE((*store)->db()->GetIntProperty(
          (*store)->handle(c), "rocksdb.cur-size-active-mem-table", &bytes));
      active += bytes;
    }
    peak = std::max(peak, active);
  }
  EXPECT_LT(peak, uint64_t{32} << 20);
  store->reset();
  std::filesystem::remove_all(dir);
}

TEST(RocksDbStoreTest, IndexesAndFiltersOfEveryLevelStayInTheCache) {
  const std::string dir = testing::TempDir() + "/pinned_metadata";
  std::filesystem::remove_all(dir);
  {
    auto store = RocksDbStore::Open(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 0; i < 1000; ++i) {
      WriteBatch batch;
      batch.Put(Column::kCertificates, absl::StrCat("number", 100000 + i),
                std::string(500, 'r'));
      ASSERT_TRUE((*store)->WriteUnsynced(batch).ok());
    }
    ASSERT_TRUE((*store)->Sync().ok());
    // Into the bottom level, where a point lookup of a settled registry
    // finds nearly every record.
    rocksdb::CompactRangeOptions bottom;
    bottom.bottommost_level_compaction =
        rocksdb::BottommostLevelCompaction::kForce;
    ASSERT_TRUE((*store)
                    ->db()
                    ->CompactRange(bottom,
                                   (*store)->handle(Column::kCertificates),
                                   nullptr, nullptr)
                    .ok());
  }
  auto store = RocksDbStore::Open(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  rocksdb::ColumnFamilyMetaData meta;
  (*store)->db()->GetColumnFamilyMetaData(
      (*store)->handle(Column::kCertificates), &meta);
  ASSERT_TRUE(meta.levels[0].files.empty());
  EXPECT_EQ(**(*store)->Get(Column::kCertificates, "number100500"),
            std::string(500, 'r'));
  // The file's index and filter blocks are held for good, so a lookup
  // needs one block-cache lookup (the data block), not three.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(
        (*store)
            ->Get(Column::kCertificates, absl::StrCat("number", 100000 + i * 7))
            ->has_value());
  }
  const rocksdb::PerfContext& perf = *rocksdb::get_perf_context();
  EXPECT_EQ(perf.block_cache_index_hit_count + perf.index_block_read_count, 0u);
  EXPECT_EQ(perf.block_cache_filter_hit_count + perf.filter_block_read_count,
            0u);
  EXPECT_GT(perf.block_read_count + perf.block_cache_hit_count, 0u);
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  store->reset();
  std::filesystem::remove_all(dir);
}

// Reports of the settling thread, waited for by the test.
class SettleReports {
 public:
  void Add(const SettleReport& report) {
    absl::MutexLock lock(&mu_);
    reports_.push_back({report, absl::Now()});
  }
  // The `n`th report (from 1) and when it came, once it has come (nullopt
  // after 30 s).
  std::optional<std::pair<SettleReport, absl::Time>> Wait(size_t n) {
    absl::MutexLock lock(&mu_);
    auto came = [this, n] {
      mu_.AssertHeld();
      return reports_.size() >= n;
    };
    mu_.AwaitWithTimeout(absl::Condition(&came), absl::Seconds(30));
    if (reports_.size() < n) return std::nullopt;
    return reports_[n - 1];
  }

 private:
  absl::Mutex mu_;
  std::vector<std::pair<SettleReport, absl::Time>> reports_
      ABSL_GUARDED_BY(mu_);
};

size_t Level0Files(RocksDbStore& store, Column column) {
  rocksdb::ColumnFamilyMetaData meta;
  store.db()->GetColumnFamilyMetaData(store.handle(column), &meta);
  return meta.levels.at(0).files.size();
}

TEST(RocksDbStoreTest, SettlesLevelZeroOnceWritesAreQuiet) {
  const std::string dir = testing::TempDir() + "/settle";
  std::filesystem::remove_all(dir);
  SettleReports reports;
  RocksDbStoreOptions options;
  options.settle_after = absl::Seconds(2);
  options.on_settled = [&reports](const SettleReport& r) { reports.Add(r); };
  auto opened = RocksDbStore::Open(dir, options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  RocksDbStore& store = **opened;
  // Three flushed files in level 0, one short of RocksDB's own trigger.
  std::vector<std::string> keys;
  absl::Time last_write;  // just before the last write
  auto write_and_flush = [&](int round) {
    WriteBatch batch;
    for (int i = 0; i < 100; ++i) {
      keys.push_back(absl::StrCat("gram", (i * 7 + round) % 100, "|", round));
      batch.Put(Column::kNameIndex, keys.back(), "");
    }
    ASSERT_TRUE(store.Write(batch).ok());
    ASSERT_TRUE(
        store.db()
            ->Flush(rocksdb::FlushOptions(), store.handle(Column::kNameIndex))
            .ok());
  };
  for (int round = 0; round < 3; ++round) write_and_flush(round);
  ASSERT_EQ(Level0Files(store, Column::kNameIndex), 3u);

  auto first = reports.Wait(1);
  ASSERT_TRUE(first.has_value()) << "the store never settled";
  EXPECT_GE(first->second - last_write, absl::Seconds(2))
      << "settled before writes had been quiet for settle_after";
  EXPECT_TRUE(first->first.status.ok()) << first->first.status;
  EXPECT_GE(first->first.level0_files, 3);
  EXPECT_GE(first->first.column_families, 1);
  EXPECT_EQ(Level0Files(store, Column::kNameIndex), 0u);
  // Everything is still there, in order.
  std::sort(keys.begin(), keys.end());
  {
    std::unique_ptr<Cursor> cursor =
        store.DurableView()->NewCursor(Column::kNameIndex, "");
    absl::StatusOr<bool> at = cursor->Seek("");
    for (const std::string& key : keys) {
      ASSERT_TRUE(at.ok() && *at) << "missing " << key;
      EXPECT_EQ(cursor->key(), key);
      at = cursor->Next();
    }
    EXPECT_TRUE(at.ok() && !*at);
  }

  // A later burst of writes settles again once it is over.
  write_and_flush(3);
  ASSERT_EQ(Level0Files(store, Column::kNameIndex), 1u);
  auto second = reports.Wait(2);
  ASSERT_TRUE(second.has_value()) << "the store did not settle again";
  EXPECT_EQ(second->first.level0_files, 1);
  EXPECT_EQ(Level0Files(store, Column::kNameIndex), 0u);
  EXPECT_TRUE(
      store.DurableView()->Get(Column::kNameIndex, keys.back())->has_value());
  opened->reset();
  std::filesystem::remove_all(dir);
}

TEST(RocksDbStoreTest, UnwritableLocationIsUnavailable) {
  auto store = RocksDbStore::Open("/proc/certreg-cannot-be-here");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("/proc/certreg-cannot-be-here"),
            std::string::npos);
}

}  // namespace
}  // namespace certreg
