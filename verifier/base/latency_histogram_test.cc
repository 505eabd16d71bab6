#include "verifier/base/latency_histogram.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

TEST(LatencyHistogramTest, CountsEachDurationInItsBucket) {
  LatencyHistogram histogram;
  histogram.Record(absl::Microseconds(50));  // <= 0.0001
  histogram.Record(absl::Milliseconds(1));   // <= 0.001 (bound included)
  histogram.Record(absl::Milliseconds(3));   // <= 0.005
  histogram.Record(absl::Seconds(10));       // above every bound
  const LatencyHistogram::Snapshot snapshot = histogram.Read();
  EXPECT_EQ(snapshot.count, 4u);
  EXPECT_EQ(snapshot.counts[0], 1u);
  EXPECT_EQ(snapshot.counts[3], 1u);
  EXPECT_EQ(snapshot.counts[5], 1u);
  EXPECT_EQ(snapshot.counts.back(), 1u);
  EXPECT_NEAR(snapshot.sum_seconds, 10.00405, 1e-9);
}

}  // namespace
}  // namespace certreg
