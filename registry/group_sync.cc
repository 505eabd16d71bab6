#include "registry/group_sync.h"

#include <algorithm>

namespace certreg {

absl::Status GroupSync::WaitDurable(uint64_t ticket) {
  absl::MutexLock lock(&mu_);
  while (durable_ < ticket) {
    if (syncing_) {
      synced_.Wait(&mu_);
      continue;
    }
    syncing_ = true;
    const uint64_t target = applied_();
    mu_.Unlock();
    absl::Status status = sync_();
    mu_.Lock();
    syncing_ = false;
    if (status.ok()) durable_ = std::max(durable_, target);
    synced_.SignalAll();
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace certreg
