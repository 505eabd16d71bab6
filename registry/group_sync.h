#ifndef CERTREG_REGISTRY_GROUP_SYNC_H_
#define CERTREG_REGISTRY_GROUP_SYNC_H_

#include <cstdint>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace certreg {

// Group commit: makes writes durable in groups, one sync for every write
// applied before that sync started.
//
// Writes are numbered 1, 2, ... in the order they are applied (the registry
// uses the log size after each write). A writer calls WaitDurable(n) after
// applying write n; one caller at a time runs `sync`, covering every write
// applied by then (`applied()`); the others wait for it and return as soon
// as a finished sync covers them. Thread-safe.
class GroupSync {
 public:
  GroupSync(std::function<uint64_t()> applied,
            std::function<absl::Status()> sync)
      : applied_(std::move(applied)), sync_(std::move(sync)) {}

  // Returns once write `ticket` is durable, or the error of the sync this
  // caller ran (another caller will try again).
  absl::Status WaitDurable(uint64_t ticket);

 private:
  const std::function<uint64_t()> applied_;
  const std::function<absl::Status()> sync_;
  absl::Mutex mu_;
  absl::CondVar synced_;
  uint64_t durable_ ABSL_GUARDED_BY(mu_) = 0;
  bool syncing_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_GROUP_SYNC_H_
