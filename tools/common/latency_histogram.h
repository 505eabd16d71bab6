#ifndef CERTREG_TOOLS_COMMON_LATENCY_HISTOGRAM_H_
#define CERTREG_TOOLS_COMMON_LATENCY_HISTOGRAM_H_

#include <cstdint>
#include <vector>

namespace certreg {

// A latency recorder with log-linear buckets (HdrHistogram-like): values up to
// 255 ns are kept exactly; above, every power of two is split into 128 equal
// sub-buckets, so a reported value is within 0.4% of a recorded one (the
// bucket's midpoint is reported). Values from 0 to kMaxTrackableNanos (60 s)
// are bucketed; larger ones are counted in the top bucket, while min, max and
// mean stay exact.
//
// Thread-compatible: give each thread its own histogram and Merge() them, or
// guard one with a mutex.
//
//   LatencyHistogram h;
//   h.Record(1'500'000);  // 1.5 ms
//   int64_t p99 = h.Percentile(99.0);
class LatencyHistogram {
 public:
  static constexpr int64_t kMaxTrackableNanos = 60'000'000'000;

  LatencyHistogram();

  // Records one duration in nanoseconds; negative durations count as 0.
  void Record(int64_t nanos);

  // Adds every value recorded in `other`.
  void Merge(const LatencyHistogram& other);

  // Forgets every value.
  void Reset();

  // Number of values recorded.
  uint64_t count() const { return count_; }
  // Smallest and largest value recorded, exactly; 0 when empty.
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return count_ == 0 ? 0 : max_; }
  // Arithmetic mean of the values recorded; 0 when empty.
  double mean() const;

  // The value at percentile `p` (0-100, clamped): the smallest bucket value
  // such that at least p% of the values are at or below it, clamped to
  // [min(), max()]. Percentile(0) is min() and Percentile(100) is max().
  // 0 when empty.
  int64_t Percentile(double p) const;

 private:
  static int BucketOf(int64_t nanos);
  // Representative (midpoint) value of a bucket.
  static int64_t ValueOf(int bucket);

  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  // Exact for integer sums below 2^53 ns (104 days of latency).
  double sum_ = 0;
};

}  // namespace certreg

#endif  // CERTREG_TOOLS_COMMON_LATENCY_HISTOGRAM_H_
