// A disk that fills up under RocksDB, injected through its FileSystem: the
// write that meets ENOSPC fails and stores nothing, reads go on, later
// writes are refused, and a reopen once space returns finds exactly what was
// acknowledged.
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/storage/rocksdb_store.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

// A file whose appends and syncs fail with "No space left on device" while
// the disk is full.
class FillingFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FillingFile(std::unique_ptr<rocksdb::FSWritableFile> file,
              const std::atomic<bool>* full)
      : FSWritableFileOwnerWrapper(std::move(file)), full_(*full) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    if (full_) return rocksdb::IOStatus::NoSpace("injected: disk full");
    return FSWritableFileOwnerWrapper::Append(data, options, dbg);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* dbg) override {
    if (full_) return rocksdb::IOStatus::NoSpace("injected: disk full");
    return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* dbg) override {
    if (full_) return rocksdb::IOStatus::NoSpace("injected: disk full");
    return FSWritableFileOwnerWrapper::Sync(options, dbg);
  }

 private:
  const std::atomic<bool>& full_;
};

// The machine's file system, with a disk that fills when told to.
class FillingFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FillingFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FillingFileSystem"; }

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* file,
      rocksdb::IODebugContext* dbg) override {
    if (full) return rocksdb::IOStatus::NoSpace("injected: disk full");
    std::unique_ptr<rocksdb::FSWritableFile> opened;
    rocksdb::IOStatus status =
        target()->NewWritableFile(name, options, &opened, dbg);
    if (status.ok()) {
      *file = std::make_unique<FillingFile>(std::move(opened), &full);
    }
    return status;
  }

  std::atomic<bool> full{false};
};

absl::Status Put(RocksDbStore& store, const std::string& key,
                 const std::string& value) {
  WriteBatch batch;
  batch.Put(Column::kCertificates, key, value);
  batch.Put(Column::kMeta, "last", key);
  return store.Write(batch);
}

TEST(RocksDbDiskFullTest, TheWriteThatMeetsAFullDiskFailsWholeAndReadsGoOn) {
  const std::string path = testing::TempDir() + "/rocksdb_disk_full";
  std::filesystem::remove_all(path);
  auto file_system = std::make_shared<FillingFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(file_system);
  RocksDbStoreOptions options;
  options.block_cache_bytes = 8 << 20;
  options.settle_after = absl::ZeroDuration();
  options.env = env.get();
  {
    auto store = RocksDbStore::Open(path, options);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE(Put(**store, "acknowledged", "record").ok());

    file_system->full = true;
    const absl::Status refused = Put(**store, "refused", "record");
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(std::string(refused.message()), HasSubstr("No space"));
    // Nothing of the failed batch is visible, the acknowledged write is.
    EXPECT_EQ(*(*store)->Get(Column::kCertificates, "acknowledged"), "record");
    EXPECT_EQ(*(*store)->DurableView()->Get(Column::kMeta, "last"),
              "acknowledged");
    EXPECT_EQ(*(*store)->DurableView()->Get(Column::kCertificates, "refused"),
              std::nullopt);
    // A failed sync is final: what it covered may or may not be on disk.
    file_system->full = false;
    EXPECT_FALSE(Put(**store, "later", "record").ok());
  }
  // Once space returns, a reopen finds what was acknowledged.
  RocksDbStoreOptions plain = options;
  plain.env = nullptr;
  auto reopened = RocksDbStore::Open(path, plain);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->Get(Column::kCertificates, "acknowledged"), "record");
  EXPECT_EQ(*(*reopened)->Get(Column::kCertificates, "later"), std::nullopt);
}

}  // namespace
}  // namespace certreg
