#include "registry/log/commit_queue.h"

#include <utility>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace certreg {

CommitQueue::CommitQueue(std::function<absl::Status()> sync)
    : sync_(std::move(sync)), thread_([this] { Run(); }) {}

CommitQueue::~CommitQueue() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void CommitQueue::WhenDurable(std::function<void(absl::Status)> done) {
  absl::MutexLock lock(&mu_);
  queued_.push_back(std::move(done));
  waiting_.fetch_add(1, std::memory_order_relaxed);
}

absl::Status CommitQueue::WaitDurable() {
  absl::Notification synced;
  absl::Status result;
  WhenDurable([&](absl::Status status) {
    result = std::move(status);
    synced.Notify();
  });
  synced.WaitForNotification();
  return result;
}

absl::Status CommitQueue::failure() const {
  absl::MutexLock lock(&mu_);
  return failure_;
}

void CommitQueue::Run() {
  while (true) {
    std::vector<std::function<void(absl::Status)>> group;
    absl::Status failed;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queued_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&ready));
      if (queued_.empty()) return;  // stopping, nothing left
      group.swap(queued_);
      failed = failure_;
    }
    // Every write of `group` was applied before its callback was queued,
    // so before this sync starts.
    const absl::Time started = absl::Now();
    const absl::Status status = failed.ok() ? sync_() : failed;
    if (failed.ok()) sync_latency_.Record(absl::Now() - started);
    if (!status.ok()) {
      absl::MutexLock lock(&mu_);
      failure_ = status;
    }
    for (std::function<void(absl::Status)>& done : group) done(status);
    waiting_.fetch_sub(group.size(), std::memory_order_relaxed);
  }
}

}  // namespace certreg
