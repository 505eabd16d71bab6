#include "tools/cli/certctl_import_queue.h"

#include <algorithm>
#include <utility>

namespace certreg {

ImportQueue::ImportQueue(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)) {}

void ImportQueue::Push(ImportGroup group) {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](ImportQueue* q) { return q->groups_.size() < q->capacity_; }, this));
  groups_.push_back(std::move(group));
}

void ImportQueue::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

std::optional<ImportGroup> ImportQueue::Pop() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](ImportQueue* q) { return q->closed_ || !q->groups_.empty(); }, this));
  if (groups_.empty()) return std::nullopt;
  ImportGroup group = std::move(groups_.front());
  groups_.pop_front();
  return group;
}

}  // namespace certreg
