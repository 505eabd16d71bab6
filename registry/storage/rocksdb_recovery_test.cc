// Damaged and incomplete data directories: RocksDbStore refuses them loudly
// instead of dropping acknowledged writes or starting a new, empty database
// over what is left.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "registry/storage/rocksdb_store.h"
#include "rocksdb/db.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

std::string TestDir() {
  const std::string dir =
      testing::TempDir() + "/rocksdb_recovery/" +
      testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

RocksDbStoreOptions Small() {
  RocksDbStoreOptions options;
  options.block_cache_bytes = 8 << 20;
  options.settle_after = absl::ZeroDuration();
  return options;
}

// Writes `count` synced batches in a child process that then dies without
// closing the database, as a killed registry does: the writes are in the
// write-ahead log only.
void WriteAndDie(const std::string& path, int count) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = RocksDbStore::Open(path, Small());
    if (!store.ok()) _exit(1);
    for (int i = 0; i < count; ++i) {
      WriteBatch batch;
      batch.Put(Column::kCertificates, absl::StrCat("number ", 1000 + i),
                std::string(200, 'x'));
      if (!(*store)->Write(batch).ok()) _exit(2);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

std::vector<std::string> FilesEndingIn(const std::string& dir,
                                       absl::string_view suffix) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().string();
    if (absl::EndsWith(name, suffix) &&
        std::filesystem::file_size(entry.path()) > 0) {
      files.push_back(name);
    }
  }
  return files;
}

void FlipByte(const std::string& file, size_t offset) {
  std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
  io.seekg(offset);
  char c;
  io.get(c);
  io.seekp(offset);
  io.put(static_cast<char>(c ^ 0x20));
}

TEST(RocksDbRecoveryTest, AfterACrashEveryAcknowledgedWriteIsThere) {
  const std::string path = TestDir() + "/data";
  WriteAndDie(path, 300);
  auto store = RocksDbStore::Open(path, Small());
  ASSERT_TRUE(store.ok()) << store.status();
  for (int i = 0; i < 300; ++i) {
    auto value =
        (*store)->Get(Column::kCertificates, absl::StrCat("number ", 1000 + i));
    ASSERT_TRUE(value.ok() && value->has_value()) << i;
  }
}

TEST(RocksDbRecoveryTest, ADamagedWriteAheadLogIsRefusedNotTruncated) {
  const std::string path = TestDir() + "/data";
  WriteAndDie(path, 300);
  const std::vector<std::string> wals = FilesEndingIn(path, ".log");
  ASSERT_EQ(wals.size(), 1u);
  FlipByte(wals[0], std::filesystem::file_size(wals[0]) / 2);
  auto store = RocksDbStore::Open(path, Small());
  ASSERT_FALSE(store.ok()) << "opened a damaged write-ahead log";
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss)
      << store.status();
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("restore the data directory from a backup"));
}

TEST(RocksDbRecoveryTest, FilesWithoutCurrentAreNotANewDatabase) {
  const std::string dir = TestDir();
  {
    auto store = RocksDbStore::Open(dir + "/data", Small());
    ASSERT_TRUE(store.ok()) << store.status();
    WriteBatch batch;
    batch.Put(Column::kCertificates, "number", "record");
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  // A copy of the table files without CURRENT and MANIFEST.
  std::filesystem::create_directories(dir + "/copy");
  int copied = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/data")) {
    if (entry.path().extension() != ".sst") continue;
    std::filesystem::copy_file(
        entry.path(), dir + "/copy/" + entry.path().filename().string());
    ++copied;
  }
  ASSERT_GT(copied, 0);
  auto store = RocksDbStore::Open(dir + "/copy", Small());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("no RocksDB CURRENT file"));
  EXPECT_EQ(static_cast<int>(FilesEndingIn(dir + "/copy", ".sst").size()),
            copied);
}

TEST(RocksDbRecoveryTest, AnEmptyDirectoryBecomesANewDatabase) {
  const std::string dir = TestDir() + "/empty";
  std::filesystem::create_directories(dir);
  EXPECT_TRUE(RocksDbStore::Open(dir, Small()).ok());
}

// A table file the MANIFEST does not list, as a crash during a flush
// leaves: RocksDB deletes it on opening, so the store keeps a hard link
// until its user has checked what it opened.
TEST(RocksDbRecoveryTest, TableFilesTheManifestDoesNotListAreKeptUntilChecked) {
  const std::string path = TestDir() + "/db";
  {
    auto store = RocksDbStore::Open(path, Small());
    ASSERT_TRUE(store.ok()) << store.status();
    WriteBatch batch;
    batch.Put(Column::kCertificates, "number", "record");
    ASSERT_TRUE((*store)->Write(batch).ok());
    EXPECT_EQ((*store)->kept_at_open(), 0u);
  }
  std::ofstream(path + "/999999.sst") << "table bytes";
  auto store = RocksDbStore::Open(path, Small());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->kept_at_open(), 1u);
  EXPECT_EQ((*store)->kept_files_dir(), path + "/kept-at-open");
  EXPECT_TRUE(std::filesystem::exists(path + "/kept-at-open/999999.sst"));
  EXPECT_TRUE(std::filesystem::exists(path + "/kept-at-open/CURRENT"));
  (*store)->ReleaseFilesKeptAtOpen();
  EXPECT_FALSE(std::filesystem::exists(path + "/kept-at-open"));
  EXPECT_EQ(*(*store)->Get(Column::kCertificates, "number"), "record");
}

}  // namespace
}  // namespace certreg

namespace certreg {
namespace {

// A directory of an older registry lacks the columns added since; opened
// read-only (a full disk) it still opens, the new columns empty.
TEST(RocksDbRecoveryTest, ReadOnlyOpensAnOlderDirectoryWithoutNewColumns) {
  const std::string path = TestDir() + "/db";
  {
    auto store = RocksDbStore::Open(path, Small());
    ASSERT_TRUE(store.ok()) << store.status();
    WriteBatch batch;
    batch.Put(Column::kCertificates, "90126Q21540R2M", "record");
    ASSERT_TRUE((*store)->Write(batch).ok());
  }
  {
    // Drop the newer columns, as an older registry never made them.
    std::vector<std::string> names;
    ASSERT_TRUE(
        rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names)
            .ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) {
      descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors,
                                  &handles, &db)
                    .ok());
    for (rocksdb::ColumnFamilyHandle* handle : handles) {
      const std::string name = handle->GetName();
      if (name == "status_changes" || name == "watchlists") {
        ASSERT_TRUE(db->DropColumnFamily(handle).ok());
      }
      db->DestroyColumnFamilyHandle(handle);
    }
    delete db;
  }
  RocksDbStoreOptions read_only = Small();
  read_only.read_only = true;
  auto store = RocksDbStore::Open(path, read_only);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(
      (*store)->Get(Column::kCertificates, "90126Q21540R2M")->value_or(""),
      "record");
  EXPECT_FALSE((*store)->Get(Column::kWatchlists, "wl-1")->has_value());
  EXPECT_TRUE((*store)->Scan(Column::kStatusChanges, "", "", 10)->empty());
}

}  // namespace
}  // namespace certreg
