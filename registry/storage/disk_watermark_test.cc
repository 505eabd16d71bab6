#include "registry/storage/disk_watermark.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace certreg {
namespace {

using ::testing::HasSubstr;

TEST(DiskWatermarkTest, RefusesBelowTheWatermarkAndResumesByItself) {
  uint64_t free = 300 << 20;
  absl::Time now = absl::FromUnixSeconds(1000);
  int measured = 0;
  DiskWatermark disk(
      [&]() -> absl::StatusOr<uint64_t> {
        ++measured;
        return free;
      },
      256 << 20, absl::Seconds(1), [&] { return now; });
  EXPECT_TRUE(disk.CheckWritable().ok());
  free = 100 << 20;
  // Measured at most once a second.
  EXPECT_TRUE(disk.CheckWritable().ok());
  EXPECT_EQ(measured, 1);
  now += absl::Seconds(1);
  const absl::Status full = disk.CheckWritable();
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(full.message()),
              HasSubstr("100 MiB free, below the 256 MiB"));
  EXPECT_THAT(std::string(full.message()), HasSubstr("resume by themselves"));
  free = 256 << 20;
  now += absl::Seconds(1);
  EXPECT_TRUE(disk.CheckWritable().ok());
  EXPECT_EQ(measured, 3);
}

TEST(DiskWatermarkTest, AFailedMeasurementLetsTheDiskAnswer) {
  DiskWatermark disk(
      []() -> absl::StatusOr<uint64_t> {
        return absl::UnavailableError("no statvfs");
      },
      1 << 30);
  EXPECT_TRUE(disk.CheckWritable().ok());
}

TEST(DiskWatermarkTest, MeasuresARealFilesystem) {
  absl::StatusOr<uint64_t> free =
      DiskWatermark::FreeBytesOf(testing::TempDir())();
  ASSERT_TRUE(free.ok()) << free.status();
  EXPECT_GT(*free, 0u);
  EXPECT_FALSE(DiskWatermark::FreeBytesOf("/no/such/directory")().ok());
}

}  // namespace
}  // namespace certreg
