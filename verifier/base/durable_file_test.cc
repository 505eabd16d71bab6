#include "verifier/base/durable_file.h"

#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

std::string Dir() {
  const std::string dir =
      testing::TempDir() + "/durable_file/" +
      testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(DurableFileTest, WritesReplacesAndReadsBack) {
  const std::string path = Dir() + "/sub/file";
  absl::StatusOr<std::optional<std::string>> missing = ReadFileIfExists(path);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  ASSERT_TRUE(WriteFileDurably(path, std::string("a\0b", 3)).ok());
  EXPECT_EQ(**ReadFileIfExists(path), std::string("a\0b", 3));
  ASSERT_TRUE(WriteFileDurably(path, "second").ok());
  EXPECT_EQ(**ReadFileIfExists(path), "second");
  // No temporary file is left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(path).parent_path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(DurableFileTest, RefusesOversizedFilesAndUnwritableDirectories) {
  const std::string dir = Dir();
  ASSERT_TRUE(WriteFileDurably(dir + "/big", std::string(100, 'x')).ok());
  absl::StatusOr<std::optional<std::string>> big =
      ReadFileIfExists(dir + "/big", 10);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(big.status().message()), HasSubstr("100 bytes"));
  if (geteuid() != 0) {
    std::filesystem::create_directories(dir + "/ro");
    chmod((dir + "/ro").c_str(), 0500);
    const absl::Status status = WriteFileDurably(dir + "/ro/file", "x");
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
    EXPECT_THAT(std::string(status.message()), HasSubstr(dir + "/ro/file"));
  }
}

}  // namespace
}  // namespace certreg
