#include "tools/common/latency_histogram.h"

#include <cmath>
#include <cstdint>
#include <random>

#include "gtest/gtest.h"

namespace certreg {
namespace {

constexpr int64_t kMicro = 1000;

// True when `actual` is within `fraction` of `expected`.
::testing::AssertionResult Near(int64_t actual, int64_t expected,
                                double fraction) {
  const double error = std::abs(static_cast<double>(actual - expected));
  if (error <= fraction * static_cast<double>(expected)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << actual << " is not within "
                                       << fraction * 100 << "% of " << expected;
}

TEST(LatencyHistogramTest, EmptyHistogramReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.Percentile(50), 0);
  EXPECT_EQ(h.Percentile(99.9), 0);
  EXPECT_EQ(h.Percentile(100), 0);

  LatencyHistogram other;
  other.Merge(h);
  EXPECT_EQ(other.count(), 0u);
}

TEST(LatencyHistogramTest, UniformMicroseconds) {
  LatencyHistogram h;
  for (int64_t us = 1; us <= 1000; ++us) h.Record(us * kMicro);
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_EQ(h.min(), 1 * kMicro);
  EXPECT_EQ(h.max(), 1000 * kMicro);
  EXPECT_DOUBLE_EQ(h.mean(), 500.5 * kMicro);
  EXPECT_TRUE(Near(h.Percentile(50), 500 * kMicro, 0.01));
  EXPECT_TRUE(Near(h.Percentile(90), 900 * kMicro, 0.01));
  EXPECT_TRUE(Near(h.Percentile(99), 990 * kMicro, 0.01));
  EXPECT_TRUE(Near(h.Percentile(99.9), 999 * kMicro, 0.01));
  EXPECT_EQ(h.Percentile(100), 1000 * kMicro);
  EXPECT_EQ(h.Percentile(0), 1 * kMicro);
}

TEST(LatencyHistogramTest, EverySingleValueWithinOnePercent) {
  std::mt19937_64 rng(42);
  // Log-uniform from 1 µs to 60 s.
  std::uniform_real_distribution<double> exponent(3.0, std::log10(6e10));
  for (int i = 0; i < 2000; ++i) {
    const auto value = static_cast<int64_t>(std::pow(10.0, exponent(rng)));
    LatencyHistogram h;
    h.Record(value);
    h.Record(1);  // so the percentile is not clamped to the exact min
    h.Record(LatencyHistogram::kMaxTrackableNanos);
    ASSERT_TRUE(Near(h.Percentile(50), value, 0.01)) << "value " << value;
  }
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int64_t v = 0; v < 256; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 127);
  EXPECT_EQ(h.min(), 0);
}

TEST(LatencyHistogramTest, MergeEqualsRecordingAllInOne) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> dist(1.0 / 2e6);  // mean 2 ms
  LatencyHistogram all, a, b, c;
  for (int i = 0; i < 30000; ++i) {
    const auto v = static_cast<int64_t>(dist(rng)) + 1000;
    all.Record(v);
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).Record(v);
  }
  LatencyHistogram merged;
  merged.Merge(a);
  merged.Merge(b);
  merged.Merge(c);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_DOUBLE_EQ(merged.mean(), all.mean());
  for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    EXPECT_EQ(merged.Percentile(p), all.Percentile(p)) << "p" << p;
  }
}

TEST(LatencyHistogramTest, HugeAndNegativeValues) {
  LatencyHistogram h;
  h.Record(-5);
  h.Record(int64_t{3600} * 1'000'000'000);  // an hour: beyond the range
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), int64_t{3600} * 1'000'000'000);
  EXPECT_EQ(h.Percentile(100), h.max());
  EXPECT_TRUE(
      Near(h.Percentile(99), LatencyHistogram::kMaxTrackableNanos, 0.01));
}

TEST(LatencyHistogramTest, ResetForgets) {
  LatencyHistogram h;
  h.Record(5000);
  h.Reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(50), 0);
}

}  // namespace
}  // namespace certreg
