#ifndef CERTREG_VERIFIER_BASE_LATENCY_HISTOGRAM_H_
#define CERTREG_VERIFIER_BASE_LATENCY_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstdint>

#include "absl/time/time.h"

namespace certreg {

// Durations counted into fixed buckets without a lock, for metrics: the core
// libraries record (an fsync, say) without knowing who exports them.
// Thread-safe.
class LatencyHistogram {
 public:
  // Upper bounds of the buckets, in seconds (a last one, +Inf, follows).
  static constexpr std::array<double, 14> kBoundsSeconds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};

  struct Snapshot {
    // Per bucket, not cumulative; the last is above every bound.
    std::array<uint64_t, kBoundsSeconds.size() + 1> counts = {};
    uint64_t count = 0;
    double sum_seconds = 0;
  };

  void Record(absl::Duration duration);
  Snapshot Read() const;

 private:
  std::array<std::atomic<uint64_t>, kBoundsSeconds.size() + 1> counts_ = {};
  std::atomic<uint64_t> nanos_{0};
};

}  // namespace certreg

#endif  // CERTREG_VERIFIER_BASE_LATENCY_HISTOGRAM_H_
