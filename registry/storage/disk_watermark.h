#ifndef CERTREG_REGISTRY_STORAGE_DISK_WATERMARK_H_
#define CERTREG_REGISTRY_STORAGE_DISK_WATERMARK_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace certreg {

// Free disk space as an alarm, not a crash (as etcd's NOSPACE alarm and
// Elasticsearch's flood stage do it): writes are refused while the data
// directory's filesystem has less than a watermark free, before RocksDB
// would hit ENOSPC in the middle of a write, and accepted again by
// themselves once space returns. Reads never ask.
//
// Thread-safe. The free space is measured at most once per `recheck`.
class DiskWatermark {
 public:
  using FreeBytes = std::function<absl::StatusOr<uint64_t>()>;

  // The space free to unprivileged writers on the filesystem of `path`
  // (statvfs: f_bavail blocks of f_frsize bytes).
  static FreeBytes FreeBytesOf(std::string path);

  DiskWatermark(
      FreeBytes free_bytes, uint64_t min_free_bytes,
      absl::Duration recheck = absl::Seconds(1),
      std::function<absl::Time()> now = [] { return absl::Now(); });

  // OK while at least the watermark is free; RESOURCE_EXHAUSTED saying how
  // much is free, the watermark, and that writes resume by themselves.
  // A failure to measure counts as enough space (the write then meets the
  // disk's own answer).
  absl::Status CheckWritable();

  uint64_t min_free_bytes() const { return min_free_bytes_; }

 private:
  const FreeBytes free_bytes_;
  const uint64_t min_free_bytes_;
  const absl::Duration recheck_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  absl::Time measured_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t free_ ABSL_GUARDED_BY(mu_) = 0;
  bool known_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_STORAGE_DISK_WATERMARK_H_
