#ifndef CERTREG_VERIFIER_BUNDLE_WORKER_POOL_H_
#define CERTREG_VERIFIER_BUNDLE_WORKER_POOL_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace certreg {

// A fixed set of threads running scheduled tasks in the order they were
// scheduled (ScheduleFirst's ahead of the others). However many callers
// schedule work, no more than `threads` tasks run at once.
//
// Example:
//   WorkerPool pool(4);
//   pool.Schedule([] { ... });
//
// Thread-safe. The destructor runs every task already scheduled, then
// joins the threads; tasks must not schedule more once it has started.
class WorkerPool {
 public:
  // At least one thread.
  explicit WorkerPool(int threads);
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Schedule(std::function<void()> task);
  // Schedule, ahead of every task still queued: for short work that should
  // not wait behind long queues.
  void ScheduleFirst(std::function<void()> task);

  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Run();

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BUNDLE_WORKER_POOL_H_
