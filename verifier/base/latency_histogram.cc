#include "verifier/base/latency_histogram.h"

#include <algorithm>

namespace certreg {

void LatencyHistogram::Record(absl::Duration duration) {
  const double seconds = absl::ToDoubleSeconds(duration);
  const size_t bucket =
      std::lower_bound(kBoundsSeconds.begin(), kBoundsSeconds.end(), seconds) -
      kBoundsSeconds.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  nanos_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(
                       0, absl::ToInt64Nanoseconds(duration))),
                   std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::Read() const {
  Snapshot snapshot;
  for (size_t i = 0; i < counts_.size(); ++i) {
    snapshot.counts[i] = counts_[i].load(std::memory_order_relaxed);
    snapshot.count += snapshot.counts[i];
  }
  snapshot.sum_seconds = nanos_.load(std::memory_order_relaxed) / 1e9;
  return snapshot;
}

}  // namespace certreg
