#ifndef CERTREG_REGISTRY_LOG_COMMIT_QUEUE_H_
#define CERTREG_REGISTRY_LOG_COMMIT_QUEUE_H_

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "verifier/base/latency_histogram.h"

namespace certreg {

// Group commit without blocking the writers: a writer applies its write
// (visible, not yet durable), then hands WhenDurable a callback; one thread
// runs `sync` for every callback queued before that sync started and then
// calls them all with its result. Writers arriving during a sync share the
// next one, so under load one fsync serves many writes, and no request
// thread waits for the disk.
//
// Example:
//   CommitQueue commits([&store] { return store.Sync(); });
//   store.WriteUnsynced(batch);
//   commits.WhenDurable([](absl::Status s) { /* acknowledge or fail */ });
//
// A failed sync is final: what it covered may or may not be on disk (and
// on Linux a second fsync can succeed after the kernel dropped the data), so
// every later callback gets the same error and `sync` is never called again.
//
// Thread-safe. Callbacks run on the queue's thread, in the order they were
// queued, and must not call WhenDurable themselves. The destructor syncs for
// and calls every callback still queued.
class CommitQueue {
 public:
  explicit CommitQueue(std::function<absl::Status()> sync);
  ~CommitQueue();

  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Calls `done` with OK once every write applied before this call is
  // durable, or with the error of the sync that should have made it so.
  void WhenDurable(std::function<void(absl::Status)> done);

  // Blocks until every write applied before this call is durable.
  absl::Status WaitDurable();

  // OK, or the error of the sync that failed.
  absl::Status failure() const;

  // Writes waiting for a sync (queued or in the sync under way), and how
  // long each sync took: for metrics.
  uint64_t waiting() const { return waiting_.load(std::memory_order_relaxed); }
  const LatencyHistogram& sync_latency() const { return sync_latency_; }

 private:
  void Run();

  const std::function<absl::Status()> sync_;
  mutable absl::Mutex mu_;
  std::vector<std::function<void(absl::Status)>> queued_ ABSL_GUARDED_BY(mu_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<uint64_t> waiting_{0};
  LatencyHistogram sync_latency_;
  std::thread thread_;
};

}  // namespace certreg

#endif  // CERTREG_REGISTRY_LOG_COMMIT_QUEUE_H_
