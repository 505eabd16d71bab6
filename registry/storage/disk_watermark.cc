#include "registry/storage/disk_watermark.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace certreg {
namespace {

std::string Megabytes(uint64_t bytes) {
  return absl::StrCat(bytes >> 20, " MiB");
}

}  // namespace

DiskWatermark::FreeBytes DiskWatermark::FreeBytesOf(std::string path) {
  return [path = std::move(path)]() -> absl::StatusOr<uint64_t> {
    struct statvfs fs;
    if (statvfs(path.c_str(), &fs) != 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot measure the free space of ", path, ": ",
                       std::strerror(errno)));
    }
    return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  };
}

DiskWatermark::DiskWatermark(FreeBytes free_bytes, uint64_t min_free_bytes,
                             absl::Duration recheck,
                             std::function<absl::Time()> now)
    : free_bytes_(std::move(free_bytes)),
      min_free_bytes_(min_free_bytes),
      recheck_(recheck),
      now_(std::move(now)) {}

absl::Status DiskWatermark::CheckWritable() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = now_();
  if (now - measured_at_ >= recheck_) {
    absl::StatusOr<uint64_t> free = free_bytes_();
    known_ = free.ok();
    if (known_) free_ = *free;
    measured_at_ = now;
  }
  if (!known_ || free_ >= min_free_bytes_) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "the registry's disk is nearly full: ", Megabytes(free_),
      " free, below the ", Megabytes(min_free_bytes_),
      " kept in reserve (--min_free_disk_mb); writes are refused until space "
      "is freed and resume by themselves, reads go on"));
}

}  // namespace certreg
