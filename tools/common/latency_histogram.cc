#include "tools/common/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace certreg {
namespace {

// Values below 2^kLinearBits are exact; above, each power of two has
// 2^(kLinearBits - 1) sub-buckets.
constexpr int kLinearBits = 8;
constexpr int64_t kLinearLimit = int64_t{1} << kLinearBits;       // 256
constexpr int64_t kSubBuckets = int64_t{1} << (kLinearBits - 1);  // 128

int FloorLog2(uint64_t v) { return 63 - __builtin_clzll(v); }

int NumBuckets() {
  const int top = FloorLog2(LatencyHistogram::kMaxTrackableNanos);
  return static_cast<int>(kLinearLimit + (top - kLinearBits + 1) * kSubBuckets);
}

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(NumBuckets(), 0) {}

int LatencyHistogram::BucketOf(int64_t nanos) {
  if (nanos < kLinearLimit) return static_cast<int>(nanos);
  const int exponent = FloorLog2(static_cast<uint64_t>(nanos));
  const int shift = exponent - (kLinearBits - 1);
  const int64_t sub = (nanos >> shift) - kSubBuckets;  // 0..127
  return static_cast<int>(kLinearLimit +
                          (exponent - kLinearBits) * kSubBuckets + sub);
}

int64_t LatencyHistogram::ValueOf(int bucket) {
  if (bucket < kLinearLimit) return bucket;
  const int64_t offset = bucket - kLinearLimit;
  const int exponent = static_cast<int>(offset / kSubBuckets) + kLinearBits;
  const int shift = exponent - (kLinearBits - 1);
  const int64_t sub = offset % kSubBuckets + kSubBuckets;
  const int64_t low = sub << shift;
  return low + ((int64_t{1} << shift) - 1) / 2;
}

void LatencyHistogram::Record(int64_t nanos) {
  nanos = std::max<int64_t>(nanos, 0);
  if (count_ == 0) {
    min_ = max_ = nanos;
  } else {
    min_ = std::min(min_, nanos);
    max_ = std::max(max_, nanos);
  }
  ++count_;
  sum_ += static_cast<double>(nanos);
  ++counts_[BucketOf(std::min(nanos, kMaxTrackableNanos))];
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  sum_ += other.sum_;
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

void LatencyHistogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = max_ = 0;
  sum_ = 0;
}

double LatencyHistogram::mean() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

int64_t LatencyHistogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  if (p <= 0.0) return min_;
  if (p >= 100.0) return max_;
  const uint64_t rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(
             std::ceil(p / 100.0 * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::clamp(ValueOf(static_cast<int>(i)), min_, max_);
    }
  }
  return max_;
}

}  // namespace certreg
