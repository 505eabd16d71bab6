#include "verifier/base/rate_limiter.h"

#include "gtest/gtest.h"

namespace certreg {
namespace {

class RateLimiterTest : public testing::Test {
 protected:
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
  RateLimiter limiter_{[this] { return now_; }};
};

TEST_F(RateLimiterTest, ABurstThenTheRateThenARefill) {
  const Rate rate{10, 3};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter_.TryTake("a", 0, rate), std::nullopt) << i;
  }
  std::optional<absl::Duration> wait = limiter_.TryTake("a", 0, rate);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(100));
  now_ += absl::Milliseconds(100);
  EXPECT_EQ(limiter_.TryTake("a", 0, rate), std::nullopt);
  EXPECT_TRUE(limiter_.TryTake("a", 0, rate).has_value());
  now_ += absl::Seconds(60);  // refills up to the burst only
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter_.TryTake("a", 0, rate), std::nullopt);
  }
  EXPECT_TRUE(limiter_.TryTake("a", 0, rate).has_value());
}

TEST_F(RateLimiterTest, ClientsAndBudgetsAreSeparate) {
  const Rate rate{1, 1};
  EXPECT_EQ(limiter_.TryTake("a", 0, rate), std::nullopt);
  EXPECT_TRUE(limiter_.TryTake("a", 0, rate).has_value());
  EXPECT_EQ(limiter_.TryTake("a", 1, rate), std::nullopt);    // a's writes
  EXPECT_EQ(limiter_.TryTake("b", 0, rate), std::nullopt);    // b's lookups
  EXPECT_EQ(limiter_.TryTake("a", 2, Rate{}), std::nullopt);  // unlimited
}

TEST_F(RateLimiterTest, ACallBeyondTheBurstIsTakenWhenFullAndLeavesADebt) {
  const Rate rate{100, 200};
  EXPECT_EQ(limiter_.TryTake("a", 0, rate, 1000), std::nullopt);  // full
  // 800 tokens in debt, plus the one asked for: 8.01 s at 100 a second.
  std::optional<absl::Duration> wait = limiter_.TryTake("a", 0, rate, 1);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(8010));
  now_ += absl::Seconds(9);
  EXPECT_EQ(limiter_.TryTake("a", 0, rate, 1), std::nullopt);
  // Another big one waits for a full bucket again.
  EXPECT_TRUE(limiter_.TryTake("a", 0, rate, 1000).has_value());
}

TEST_F(RateLimiterTest, IdleClientsAreForgotten) {
  for (int i = 0; i < 80000; ++i) {
    limiter_.TryTake("client " + std::to_string(i), 0, Rate{1, 1});
  }
  EXPECT_EQ(limiter_.clients(), 80000u);
  now_ += absl::Minutes(11);
  for (int i = 0; i < 16 * 64; ++i) {
    limiter_.TryTake("new " + std::to_string(i), 0, Rate{1, 1});
  }
  EXPECT_LT(limiter_.clients(), 5000u);
}

}  // namespace
}  // namespace certreg
